//! The one place that moves audio in and out of a PCM: `writei` and `readi` in whole frames, at
//! most a period per call so that a stop request is seen within a period; underruns, overruns
//! and suspends recovered (counted and timed, never fatal); the end of playback drained.
//!
//! Every gap is kept as a [`Gap`] with where it happened and about how long it was, for the
//! stream loops to report: an audible gap or lost audio is worth a line, terminal or not.
//!
//! Playback can also pause, resume and cut what is queued ([`PcmStream::pause`],
//! [`PcmStream::resume`], [`PcmStream::discard`]): `snd_pcm_pause` where the device can pause,
//! otherwise emulated from a copy of what is still queued, so that nothing is skipped or repeated.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use alsa::pcm::{State, PCM};
use alsa::Direction;
use anyhow::{anyhow, bail, Result};

pub use super::gap::{Gap, GapCause, XrunCount};
use super::negotiate::{self, Negotiated, Request};
use super::{alsa_error_text, alsa_log, open_pcm};
use crate::signals::StopFlag;
use crate::spec::frames_duration;

/// Whether a transfer went through or was stopped by the stop flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transfer {
    Complete,
    Stopped,
}

/// The shortest gap [`PcmStream::clock_plugin_write`] reports: below it a plugin's bursty pointer
/// and a server's read-ahead can look like one.
const MIN_CLOCKED_GAP: Duration = Duration::from_millis(50);

/// An open, configured PCM and the state of its transfers.
pub struct PcmStream {
    pcm: PCM,
    device: String,
    direction: Direction,
    pub negotiated: Negotiated,
    stop: StopFlag,
    /// Frames moved so far.
    frames: u64,
    /// When the last transfer ended, and (playback) how many frames were then still to play.
    last_io: Instant,
    queued_after_io: u64,
    /// Whether a plugin's stream has been seen playing since it last started, which is when
    /// the clock can tell an underrun it did not report ([`PcmStream::clock_plugin_write`]).
    seen_playing: bool,
    /// A card's PCM keeps the time of an xrun in its status, which times a gap; a plugin (pulse
    /// keeps the time the stream started there) is timed from `last_io` and `queued_after_io`.
    on_card: bool,
    counts: XrunCount,
    gaps: Vec<Gap>,
    /// Whether the device pauses itself (`snd_pcm_pause`); otherwise a pause is emulated.
    can_pause: bool,
    /// For an emulated pause: the last buffer's worth of bytes written, kept only once
    /// [`PcmStream::keep_queued`] asked for it (a copy of every byte costs a pass-through).
    history: Option<VecDeque<u8>>,
    /// What a pause took back from the device and a resume writes again.
    paused: Option<Paused>,
}

/// How a playback stream is paused.
#[derive(Debug)]
enum Paused {
    /// Paused by the device (`snd_pcm_pause`), or before it started (nothing was playing).
    Device,
    /// Not playing and not started yet: nothing to do to pause or resume.
    NotStarted,
    /// Dropped: these bytes were queued but not heard, and are written again on resume.
    Dropped(Vec<u8>),
}

/// How a pause was done, for `-v`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseKind {
    /// The device paused (`snd_pcm_pause`).
    Device,
    /// The device cannot pause: what was queued was dropped and kept, to be written again.
    Emulated,
    /// Playback had not started yet.
    NotStarted,
}

impl PcmStream {
    /// Opens `device` and negotiates `request`. Transfers give up once `stop` is raised.
    pub fn open(
        device: &str,
        direction: Direction,
        request: &Request,
        stop: StopFlag,
    ) -> Result<PcmStream> {
        let pcm = open_pcm(device, direction)?;
        let negotiated = negotiate::configure(&pcm, device, direction, request)?;
        // ALSATOOL_EMULATE_PAUSE: for a driver that says it pauses and does not do it well,
        // and for the tests, which have no device that cannot pause.
        let can_pause = pcm.hw_params_current().is_ok_and(|hw| hw.can_pause())
            && std::env::var_os("ALSATOOL_EMULATE_PAUSE").is_none();
        let on_card = pcm.info().is_ok_and(|info| info.get_card() >= 0);
        Ok(PcmStream {
            pcm,
            device: device.to_string(),
            direction,
            negotiated,
            stop,
            frames: 0,
            last_io: Instant::now(),
            queued_after_io: 0,
            seen_playing: false,
            on_card,
            counts: XrunCount::default(),
            gaps: Vec::new(),
            can_pause,
            history: None,
            paused: None,
        })
    }

    /// Whether the device pauses itself; when not, [`PcmStream::pause`] emulates it.
    pub fn can_pause(&self) -> bool {
        self.can_pause
    }

    /// Keeps a copy of what is queued, so that a pause of a device that cannot pause loses
    /// nothing. Only needed (and only done) where the device cannot pause.
    pub fn keep_queued(&mut self) {
        if !self.can_pause && self.history.is_none() {
            let bytes = self.negotiated.buffer_frames * self.negotiated.bytes_per_frame();
            self.history = Some(VecDeque::with_capacity(bytes));
        }
    }

    /// Frames written but not yet heard (the device's delay), at most what was written.
    pub fn unheard(&self) -> u64 {
        match self.pcm.state() {
            State::Running | State::Prepared | State::Paused | State::Draining => {
                let delay = self.pcm.delay().unwrap_or(0).max(0) as u64;
                delay.min(self.negotiated.buffer_frames as u64)
            }
            _ => 0,
        }
    }

    /// Pauses playback: the device pauses where it can, otherwise what is queued and not yet
    /// heard is dropped and kept to be written again on resume. Returns once the pause took
    /// effect.
    pub fn pause(&mut self) -> Result<PauseKind> {
        if self.paused.is_some() {
            return Ok(self.pause_kind());
        }
        let state = self.pcm.state();
        if state == State::Prepared && self.pcm.delay().unwrap_or(0) <= 0 {
            self.paused = Some(Paused::NotStarted);
            return Ok(PauseKind::NotStarted);
        }
        if self.can_pause && matches!(state, State::Running | State::Prepared) {
            // A prepared stream with data queued has not started (its buffer is not full yet):
            // start it so that it can be paused, rather than leave it to start by itself.
            if state == State::Prepared {
                let _ = self.pcm.start();
            }
            if self.pcm.pause(true).is_ok() {
                self.paused = Some(Paused::Device);
                return Ok(PauseKind::Device);
            }
            // The device said it could pause and then did not: emulate it.
        }
        let queued = self.take_queued()?;
        self.paused = Some(Paused::Dropped(queued));
        Ok(PauseKind::Emulated)
    }

    fn pause_kind(&self) -> PauseKind {
        match self.paused {
            Some(Paused::Dropped(_)) => PauseKind::Emulated,
            Some(Paused::NotStarted) => PauseKind::NotStarted,
            _ => PauseKind::Device,
        }
    }

    /// Whether playback is paused.
    pub fn is_paused(&self) -> bool {
        self.paused.is_some()
    }

    /// Resumes a paused playback where it was heard: the device goes on, or the bytes a pause
    /// took back are written again.
    pub fn resume(&mut self) -> Result<Transfer> {
        let Some(paused) = self.paused.take() else {
            return Ok(Transfer::Complete);
        };
        // The pause is no gap: an underrun's length counts from now, and a plugin's clock once
        // it plays again (what was queued is still queued).
        self.last_io = Instant::now();
        self.seen_playing = false;
        match paused {
            Paused::NotStarted => Ok(Transfer::Complete),
            Paused::Device => {
                if self.pcm.state() == State::Paused {
                    if let Err(e) = self.pcm.pause(false) {
                        // A device that lost its state while paused (a suspend): recover; what
                        // was queued is lost, which recovery reports as a gap.
                        self.recover(e)?;
                    }
                }
                Ok(Transfer::Complete)
            }
            Paused::Dropped(bytes) => self.write(&bytes),
        }
    }

    /// Cuts playback short: drops what is queued and not yet heard and makes the device ready
    /// for what comes next (a seek, the next file). Returns how many frames were dropped.
    pub fn discard(&mut self) -> Result<u64> {
        let frame = self.negotiated.bytes_per_frame().max(1) as u64;
        let dropped = match self.paused.take() {
            // Dropped already, by the pause.
            Some(Paused::Dropped(bytes)) => bytes.len() as u64 / frame,
            _ => self.take_queued()?.len() as u64 / frame,
        };
        Ok(dropped)
    }

    /// Drops what the device holds and prepares it again; returns the bytes that were queued
    /// and not yet heard, where a copy was kept (else as many zero bytes, only their count
    /// matters).
    fn take_queued(&mut self) -> Result<Vec<u8>> {
        let frame = self.negotiated.bytes_per_frame();
        let unheard = self.unheard() as usize;
        let queued = match &mut self.history {
            Some(history) => {
                let bytes = (unheard * frame).min(history.len());
                let from = history.len() - bytes;
                let queued: Vec<u8> = history.range(from..).copied().collect();
                history.clear();
                queued
            }
            None => vec![0; unheard * frame],
        };
        let _ = self.pcm.drop();
        self.pcm.prepare().map_err(|e| {
            anyhow!(
                "'{}': cannot prepare the device again: {}",
                self.device.escape_debug(),
                alsa_error_text(&e)
            )
        })?;
        self.restart_clock();
        Ok(queued)
    }

    /// Whether the stop flag this stream obeys is raised.
    pub fn stopped(&self) -> bool {
        self.stop.is_raised()
    }

    /// Frames moved so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Recoveries so far.
    pub fn counts(&self) -> XrunCount {
        self.counts
    }

    /// The gaps recovered since the last call.
    pub fn take_gaps(&mut self) -> Vec<Gap> {
        std::mem::take(&mut self.gaps)
    }

    /// Starts a capture (playback starts itself once its buffer is full).
    pub fn start(&mut self) -> Result<()> {
        self.pcm.start().map_err(|e| {
            anyhow!(
                "'{}': cannot start capturing: {}",
                self.device.escape_debug(),
                alsa_error_text(&e)
            )
        })?;
        self.last_io = Instant::now();
        Ok(())
    }

    /// Whether the device holds at least `frames` frames to read (a read of them will not wait).
    pub fn has_ready(&self, frames: usize) -> bool {
        self.pcm
            .avail_update()
            .is_ok_and(|avail| avail >= frames as alsa::pcm::Frames)
    }

    /// Frames between the application and the hardware: queued and not yet played (playback),
    /// or captured and not yet read (capture). `None` when the device cannot say (before it
    /// starts, after an xrun). The duplex loop's fill level and `latency` are built on it.
    pub fn delay(&self) -> Option<i64> {
        self.pcm.delay().ok()
    }

    /// Writes all of `bytes` (whole frames of the negotiated format), unless stopped.
    pub fn write(&mut self, bytes: &[u8]) -> Result<Transfer> {
        let frame = self.negotiated.bytes_per_frame();
        let piece = self.negotiated.period_frames.max(1) * frame;
        let mut done = 0;
        while done < bytes.len() {
            if self.stopped() {
                return Ok(Transfer::Stopped);
            }
            let end = (done + piece).min(bytes.len());
            let written = self.pcm.io_bytes().writei(&bytes[done..end]);
            match written {
                Ok(frames) => {
                    // Only plugins need the clock (a card's own timestamp times a gap, and the
                    // kernel sees every underrun), so a card pays no extra call a period.
                    if !self.on_card {
                        self.clock_plugin_write(frames as u64);
                    }
                    if let Some(history) = &mut self.history {
                        remember(history, &bytes[done..done + frames * frame], {
                            self.negotiated.buffer_frames * frame
                        });
                    }
                    // A blocking call comes back short only when the device stopped (an xrun)
                    // while it waited: those frames went in when it began, so the last transfer
                    // is still the one before, which times the gap.
                    if done + frames * frame == end {
                        self.last_io = Instant::now();
                    }
                    done += frames * frame;
                    self.frames += frames as u64;
                }
                Err(e) => self.recover(e)?,
            }
        }
        Ok(Transfer::Complete)
    }

    /// Fills `buf` (whole frames) from a capture, unless stopped; returns the bytes read (all of
    /// `buf` unless stopped).
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        let frame = self.negotiated.bytes_per_frame();
        let piece = self.negotiated.period_frames.max(1) * frame;
        let mut done = 0;
        while done < buf.len() {
            if self.stopped() {
                break;
            }
            let end = (done + piece).min(buf.len());
            let read = self.pcm.io_bytes().readi(&mut buf[done..end]);
            match read {
                Ok(frames) => {
                    // Short only when the device stopped while it waited (see write).
                    if done + frames * frame == end {
                        self.last_io = Instant::now();
                    }
                    done += frames * frame;
                    self.frames += frames as u64;
                }
                Err(e) => self.recover(e)?,
            }
        }
        Ok(done)
    }

    /// Recovers from `err` if it is an xrun, a suspend or an interrupted call, and notes the gap.
    fn recover(&mut self, err: alsa::Error) -> Result<()> {
        let cause = match err.errno().abs() {
            libc::EINTR => return Ok(()),
            libc::EPIPE => GapCause::Xrun,
            libc::ESTRPIPE => GapCause::Suspend,
            _ => bail!(
                "'{}': the device failed: {}",
                self.device.escape_debug(),
                alsa_error_text(&err)
            ),
        };
        // How long ago the device stopped, by its own clock, read before recovery resets it.
        let stopped_for = self
            .on_card
            .then(|| self.pcm.status().ok())
            .flatten()
            .and_then(|status| {
                let ts = |t: libc::timespec| Duration::new(t.tv_sec as u64, t.tv_nsec as u32);
                let (now, then) = (status.get_htstamp(), status.get_trigger_htstamp());
                (then.tv_sec > 0 && now.tv_sec >= then.tv_sec)
                    .then(|| ts(now).saturating_sub(ts(then)))
            });
        self.pcm.try_recover(err, true).map_err(|e| {
            anyhow!(
                "'{}': the device failed and could not be recovered: {}",
                self.device.escape_debug(),
                alsa_error_text(&e)
            )
        })?;
        let length = self.gap_length(stopped_for);
        // Recovery only prepares the stream. Capture runs again once started (on hardware
        // nothing else starts it); playback starts by itself when its buffer is full again.
        if self.direction == Direction::Capture && self.pcm.state() == State::Prepared {
            self.start()?;
        }
        self.note_gap(cause, length);
        self.restart_clock();
        Ok(())
    }

    /// After the device was prepared again (nothing queued, not playing): gaps count from now.
    fn restart_clock(&mut self) {
        self.last_io = Instant::now();
        self.queued_after_io = 0;
        self.seen_playing = false;
    }

    fn note_gap(&mut self, cause: GapCause, length: Duration) {
        match cause {
            GapCause::Xrun => self.counts.xruns += 1,
            GapCause::Suspend => self.counts.suspends += 1,
        }
        self.counts.lost += length;
        self.gaps.push(Gap {
            cause,
            at_frame: self.frames,
            length,
        });
    }

    /// After a plugin took `written` frames: notes an underrun it did not report, then keeps
    /// what is still to play, which decides how soon an underrun becomes silence.
    ///
    /// Pulse loses an underrun when the whole process stalls: on waking, the first write can
    /// come before its own thread hears of the server's underflow (and of the room it made),
    /// which it then ignores as old. The clock does not lose it: once the stream is seen
    /// playing, more time since the last write than what was then queued (by more than a
    /// period, the step a plugin's pointer moves in) is a buffer that ran dry. Until it is
    /// seen playing (pulse can be seconds from sounding after a start) nothing is timed; nor
    /// is a plugin that plays nothing in real time (`null`, `file`): nothing stays queued.
    fn clock_plugin_write(&mut self, written: u64) {
        let buffer = self.negotiated.buffer_frames as u64;
        let queued = match self.pcm.avail_update() {
            Ok(avail) => buffer.saturating_sub(avail.max(0) as u64),
            Err(_) => 0,
        };
        // After avail_update, which is where a plugin says it ran dry.
        let running = self.pcm.state() == State::Running;
        let rate = self.negotiated.spec.rate;
        let period = self.negotiated.period_frames as u64;
        if running && self.seen_playing && self.queued_after_io > 0 {
            let late = self
                .last_io
                .elapsed()
                .saturating_sub(frames_duration(self.queued_after_io, rate));
            if late > frames_duration(period, rate).max(MIN_CLOCKED_GAP) {
                self.note_gap(GapCause::Xrun, late);
            }
        }
        // Something played since the last write: less is queued than was, plus this write.
        let played = queued < self.queued_after_io + written;
        self.seen_playing = running && (self.seen_playing || played);
        // Stopped by an xrun in this write: what was queued before it still times the gap.
        if running {
            self.queued_after_io = queued;
        }
    }

    /// About how long a gap was, at the moment of recovery. From the device's own timestamp of
    /// the xrun where it has one: playback was silent since then; capture lost the full buffer
    /// it dropped as well. Otherwise (plugins) from the time since the last transfer, less what
    /// was still queued to play. Nothing went missing before the last transfer, which bounds a
    /// driver's stamp that is older than its xrun (snd-hda-intel's can be the stream's start:
    /// arecord then calls a 1 s stall "at least 2042 ms long").
    fn gap_length(&self, stopped_for: Option<Duration>) -> Duration {
        let rate = self.negotiated.spec.rate;
        let buffer = frames_duration(self.negotiated.buffer_frames as u64, rate);
        let since_io = self.last_io.elapsed();
        match (stopped_for, self.direction) {
            (Some(stopped), Direction::Playback) => stopped.min(since_io),
            (Some(stopped), Direction::Capture) => (stopped + buffer).min(since_io),
            (None, Direction::Playback) => {
                since_io.saturating_sub(frames_duration(self.queued_after_io, rate))
            }
            (None, Direction::Capture) => since_io,
        }
    }

    /// Plays out what is in the buffer, then closes the device. Waits in short steps so that a
    /// stop cuts it short instead of waiting for a blocking drain. After a stop during the final
    /// drain the device is still draining on a helper thread: the process is expected to exit
    /// (which closes it).
    pub fn drain(self) -> Result<Transfer> {
        let pcm = &self.pcm;
        // A clip shorter than the start threshold has not started yet.
        if pcm.state() == State::Prepared && pcm.delay().unwrap_or(0) > 0 {
            let _ = pcm.start();
        }
        let rate = u64::from(self.negotiated.spec.rate.max(1));
        let buffer = self.negotiated.buffer_frames as i64;
        let period = self.negotiated.period_frames as i64;
        loop {
            if self.stop.is_raised() {
                let _ = pcm.drop();
                return Ok(Transfer::Stopped);
            }
            if !matches!(pcm.state(), State::Running | State::Draining) {
                break;
            }
            let Ok(avail) = pcm.avail() else { break };
            let pending = buffer - avail;
            if pending <= period {
                break;
            }
            let ms = ((pending - period) as u64 * 1000 / rate).clamp(1, 50);
            std::thread::sleep(Duration::from_millis(ms));
        }
        // At most a period is left, but some plugins take longer to drain (PulseAudio's waits
        // for its server, over a second). Drain on a helper thread so that a stop still ends
        // things at once: the caller then exits, and closing the process drops the stream.
        let PcmStream {
            pcm, device, stop, ..
        } = self;
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            alsa_log::quiet_this_thread();
            let result = pcm.drain();
            let _ = done_tx.send(result.map_err(|e| (e.errno().abs(), alsa_error_text(&e))));
            drop(pcm);
        });
        loop {
            match done_rx.recv_timeout(Duration::from_millis(20)) {
                Ok(Ok(())) => return Ok(Transfer::Complete),
                // An underrun at the very end means everything was played.
                Ok(Err((errno, _))) if errno == libc::EPIPE => return Ok(Transfer::Complete),
                Ok(Err((_, text))) => bail!(
                    "'{}': cannot finish playback: {text}",
                    device.escape_debug()
                ),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    bail!("'{}': playback ended abnormally", device.escape_debug())
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) if stop.is_raised() => {
                    return Ok(Transfer::Stopped)
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            }
        }
    }

    /// The channel map the configured device plays by, when it reports one.
    pub fn channel_map(&self) -> Option<Vec<super::chmap::Position>> {
        super::chmap::current(&self.pcm)
    }

    /// Stops at once, dropping what is buffered (Ctrl-C, or the end of a capture).
    pub fn abort(self) {
        let _ = self.pcm.drop();
    }
}

/// Appends `bytes` to `history`, keeping at most the last `keep` bytes.
fn remember(history: &mut VecDeque<u8>, bytes: &[u8], keep: usize) {
    let bytes = &bytes[bytes.len().saturating_sub(keep)..];
    let excess = (history.len() + bytes.len()).saturating_sub(keep);
    history.drain(..excess.min(history.len()));
    history.extend(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_keeps_the_last_bytes() {
        let mut history = VecDeque::new();
        remember(&mut history, &[1, 2, 3], 4);
        remember(&mut history, &[4, 5], 4);
        assert_eq!(history.iter().copied().collect::<Vec<_>>(), [2, 3, 4, 5]);
        remember(&mut history, &[6, 7, 8, 9, 10, 11], 4);
        assert_eq!(history.iter().copied().collect::<Vec<_>>(), [8, 9, 10, 11]);
    }
}
