//! The one place that moves audio in and out of a PCM: `writei` and `readi` in whole frames, at
//! most a period per call so that a stop request is seen within a period; underruns, overruns
//! and suspends recovered (counted and timed, never fatal); the end of playback drained.
//!
//! Every gap is kept as a [`Gap`] with where it happened and about how long it was, for the
//! stream loops to report: an audible gap or lost audio is worth a line, terminal or not.

use std::time::{Duration, Instant};

use alsa::pcm::{State, PCM};
use alsa::Direction;
use anyhow::{anyhow, bail, Result};

use super::negotiate::{self, Negotiated, Request};
use super::{alsa_error_text, alsa_log, open_pcm};
use crate::progress::clock;
use crate::signals::StopFlag;
use crate::spec::frames_duration;

/// Whether a transfer went through or was stopped by the stop flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transfer {
    Complete,
    Stopped,
}

/// What recovery has had to do so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XrunCount {
    /// Underruns (playback) or overruns (capture).
    pub xruns: u64,
    /// Times the system suspended the device.
    pub suspends: u64,
}

/// Why the audio had a gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapCause {
    /// An underrun (playback ran out of audio) or an overrun (capture was not read in time).
    Xrun,
    /// The system suspended the device.
    Suspend,
}

/// A recovered gap in the audio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    pub cause: GapCause,
    /// Frames the stream had moved before the gap.
    pub at_frame: u64,
    /// About how long the gap was: silence heard (playback) or audio lost (capture).
    pub length: Duration,
}

impl Gap {
    /// "underrun at 0:12: about 1.0 s of silence", for a gap `position` into the audio.
    pub fn describe(&self, direction: Direction, position: Duration) -> String {
        let when = clock(position);
        let length = self.length.as_secs_f64();
        let what = match direction {
            Direction::Playback => "silence",
            Direction::Capture => "audio lost",
        };
        match (self.cause, direction) {
            (GapCause::Xrun, Direction::Playback) => {
                format!("underrun at {when}: about {length:.1} s of {what}")
            }
            (GapCause::Xrun, Direction::Capture) => {
                format!("overrun at {when}: about {length:.1} s of {what}")
            }
            (GapCause::Suspend, _) => {
                format!("the system suspended the device at {when}: about {length:.1} s of {what}")
            }
        }
    }
}

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
    counts: XrunCount,
    gaps: Vec<Gap>,
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
        Ok(PcmStream {
            pcm,
            device: device.to_string(),
            direction,
            negotiated,
            stop,
            frames: 0,
            last_io: Instant::now(),
            queued_after_io: 0,
            counts: XrunCount::default(),
            gaps: Vec::new(),
        })
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
                    done += frames * frame;
                    self.frames += frames as u64;
                    self.last_io = Instant::now();
                    // What is still to play decides how soon an underrun becomes silence.
                    let buffer = self.negotiated.buffer_frames as i64;
                    self.queued_after_io = match self.pcm.avail_update() {
                        Ok(avail) => (buffer - avail).max(0) as u64,
                        Err(_) => buffer as u64,
                    };
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
                    done += frames * frame;
                    self.frames += frames as u64;
                    self.last_io = Instant::now();
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
        self.pcm.try_recover(err, true).map_err(|e| {
            anyhow!(
                "'{}': the device failed and could not be recovered: {}",
                self.device.escape_debug(),
                alsa_error_text(&e)
            )
        })?;
        // Recovery only prepares the stream. Capture runs again once started (on hardware
        // nothing else starts it); playback starts by itself when its buffer is full again.
        if self.direction == Direction::Capture && self.pcm.state() == State::Prepared {
            self.start()?;
        }
        match cause {
            GapCause::Xrun => self.counts.xruns += 1,
            GapCause::Suspend => self.counts.suspends += 1,
        }
        let since_io = self.last_io.elapsed();
        let length = match self.direction {
            // What was queued at the last write still played; silence came after it.
            Direction::Playback => since_io.saturating_sub(frames_duration(
                self.queued_after_io,
                self.negotiated.spec.rate,
            )),
            // Everything since the last read is gone (the buffer is dropped on recovery).
            Direction::Capture => since_io,
        };
        self.gaps.push(Gap {
            cause,
            at_frame: self.frames,
            length,
        });
        self.last_io = Instant::now();
        self.queued_after_io = 0;
        Ok(())
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

    /// Stops at once, dropping what is buffered (Ctrl-C, or the end of a capture).
    pub fn abort(self) {
        let _ = self.pcm.drop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_say_where_and_how_long() {
        let gap = Gap {
            cause: GapCause::Xrun,
            at_frame: 0,
            length: Duration::from_millis(1040),
        };
        let at = Duration::from_secs(12);
        assert_eq!(
            gap.describe(Direction::Playback, at),
            "underrun at 0:12: about 1.0 s of silence"
        );
        assert_eq!(
            gap.describe(Direction::Capture, at),
            "overrun at 0:12: about 1.0 s of audio lost"
        );
        let suspend = Gap {
            cause: GapCause::Suspend,
            ..gap
        };
        assert!(suspend
            .describe(Direction::Capture, at)
            .starts_with("the system suspended the device at 0:12"));
    }
}
