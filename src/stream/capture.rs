//! Capturing on a thread of its own, with a bounded ring of reusable buffers between the device
//! and whoever writes the audio out.
//!
//! The alsa crate's PCM and IO objects cannot cross threads, so the capture thread opens,
//! configures, runs and closes the device itself, and hands back what was negotiated. Audio then
//! flows in fixed-size chunks through a channel; emptied chunks come back through a second one,
//! so after the ring has filled once nothing more is allocated. The ring holds a few seconds
//! (bounded in bytes): a disk or a pipe that stalls that long costs no audio. When the writer
//! stalls longer, the capture thread waits, the device overruns, and the overrun is recovered and
//! counted.
//!
//! A chunk is filled a step (about 100 ms) at a time and handed over as soon as the device has
//! no further step ready, so that in real time the writer and the meter see audio as it
//! arrives. When the device already holds more (a file-backed PCM, or catching up after a
//! stall), a chunk takes up to [`MAX_BATCH_STEPS`] steps: each hand-over wakes the other thread,
//! and fewer of them cost less (about a quarter of the CPU of a fast capture).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use alsa::pcm::PCM;
use anyhow::{anyhow, bail, Result};

use crate::device::negotiate::{self, Negotiated, Request};
use crate::device::pcm_io::XrunCount;
use crate::device::{alsa_error_text, alsa_log, open_pcm, Direction};
use crate::signals::StopFlag;

/// How long the ring between device and writer is, at most.
pub const RING_SECONDS: u32 = 4;
/// The ring never takes more than this, whatever the rate and channel count.
pub const RING_MAX_BYTES: usize = 32 << 20;
/// The most steps one chunk takes when the device has them ready.
pub const MAX_BATCH_STEPS: usize = 4;

/// What to capture.
#[derive(Clone, Debug)]
pub struct CaptureConfig {
    pub device: String,
    /// Asked with [`params::Fit::Nearest`]; fields in `explicit` must then come out exactly.
    pub request: Request,
    pub explicit: Explicit,
    /// Stop after this long (counted in frames at the negotiated rate).
    pub duration: Option<Duration>,
}

/// Which of format, channels and rate the user gave (and so must not be bent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Explicit {
    pub format: bool,
    pub channels: bool,
    pub rate: bool,
}

/// What the capture thread reports when it ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaptureEnd {
    pub xruns: XrunCount,
    /// Frames read from the device.
    pub frames: u64,
}

/// The next thing from the capture thread.
pub enum Next {
    /// Captured audio, whole frames; give it back with [`Capture::recycle`].
    Chunk(Vec<u8>),
    /// Nothing arrived within the timeout.
    Idle,
    /// The capture thread finished; every chunk has been handed out.
    Ended,
}

/// A running capture.
pub struct Capture {
    pub negotiated: Negotiated,
    /// Bytes per chunk, at most.
    pub chunk_bytes: usize,
    /// Chunks in the ring.
    pub ring_chunks: usize,
    filled: Receiver<Vec<u8>>,
    free: SyncSender<Vec<u8>>,
    /// Overruns so far (for the live display).
    overruns: Arc<AtomicU64>,
    /// Raised by the writer when it cannot go on (a write error).
    halt: Arc<AtomicBool>,
    thread: Option<JoinHandle<Result<CaptureEnd>>>,
}

type Started = (
    Negotiated,
    usize,
    usize,
    Receiver<Vec<u8>>,
    SyncSender<Vec<u8>>,
);

impl Capture {
    /// Opens and configures the device on a new thread and starts capturing. Returns once the
    /// device is running, or with the error that stopped it from starting.
    pub fn start(config: CaptureConfig, stop: StopFlag) -> Result<Capture> {
        let overruns = Arc::new(AtomicU64::new(0));
        let halt = Arc::new(AtomicBool::new(false));
        let (started_tx, started_rx) = mpsc::sync_channel::<Result<Started>>(1);
        let (thread_overruns, thread_halt) = (overruns.clone(), halt.clone());
        let thread = std::thread::Builder::new()
            .name("capture".into())
            .spawn(move || {
                alsa_log::quiet_this_thread();
                run_capture(&config, &stop, &thread_halt, &thread_overruns, started_tx)
            })
            .map_err(|e| anyhow!("cannot start the capture thread: {e}"))?;
        match started_rx.recv() {
            Ok(Ok((negotiated, chunk_bytes, ring_chunks, filled, free))) => Ok(Capture {
                negotiated,
                chunk_bytes,
                ring_chunks,
                filled,
                free,
                overruns,
                halt,
                thread: Some(thread),
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => match thread.join() {
                Ok(Err(e)) => Err(e),
                _ => bail!("the capture thread ended before the device started"),
            },
        }
    }

    /// Waits up to `timeout` for the next chunk.
    pub fn next(&self, timeout: Duration) -> Next {
        match self.filled.recv_timeout(timeout) {
            Ok(chunk) => Next::Chunk(chunk),
            Err(RecvTimeoutError::Timeout) => Next::Idle,
            Err(RecvTimeoutError::Disconnected) => Next::Ended,
        }
    }

    /// Returns an emptied chunk to the ring.
    pub fn recycle(&self, chunk: Vec<u8>) {
        // The ring has room for every chunk there is; a closed ring means capture ended.
        let _ = self.free.try_send(chunk);
    }

    /// Overruns recovered so far.
    pub fn overruns(&self) -> u64 {
        self.overruns.load(Ordering::Relaxed)
    }

    /// Stops capturing because the writer cannot go on; [`Capture::finish`] then returns at once.
    pub fn halt(&self) {
        self.halt.store(true, Ordering::SeqCst);
    }

    /// Waits for the capture thread (call after [`Next::Ended`] or [`Capture::halt`]).
    pub fn finish(mut self) -> Result<CaptureEnd> {
        self.halt();
        // Closing our end unblocks a thread waiting to hand over a chunk.
        let (dead_tx, dead_rx) = mpsc::sync_channel(1);
        drop(dead_tx);
        drop(std::mem::replace(&mut self.filled, dead_rx));
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => bail!("the capture thread failed"),
            None => Ok(CaptureEnd::default()),
        }
    }
}

/// Frames per step (the least a chunk holds): whole periods, at least about 100 ms (large reads
/// and writes keep the cost per byte low; the device wakes us each period either way).
fn chunk_frames(negotiated: &Negotiated) -> usize {
    let period = negotiated.period_frames.max(1);
    let wanted = (negotiated.rate as usize / 10).max(1);
    wanted.div_ceil(period) * period
}

/// How many chunks the ring holds: [`RING_SECONDS`] of audio in steps of `step_bytes` within
/// [`RING_MAX_BYTES`], and never fewer than four.
fn ring_chunks(negotiated: &Negotiated, step_bytes: usize) -> usize {
    let per_second = negotiated.bytes_per_frame() * negotiated.rate as usize;
    let bytes = (per_second * RING_SECONDS as usize).min(RING_MAX_BYTES);
    (bytes / step_bytes.max(1)).max(4)
}

/// How many steps a chunk may take: up to [`MAX_BATCH_STEPS`], as long as a ring of full chunks
/// stays within [`RING_MAX_BYTES`] (so the ring holds [`RING_SECONDS`] in real time, when each
/// chunk holds one step, and never more than its bound in bytes when every chunk is full).
fn batch_steps(step_bytes: usize, ring: usize) -> usize {
    let ring_bytes = step_bytes.max(1) * ring.max(1);
    (RING_MAX_BYTES / ring_bytes).clamp(1, MAX_BATCH_STEPS)
}

fn open_and_configure(config: &CaptureConfig) -> Result<(PCM, Negotiated)> {
    let pcm = open_pcm(&config.device, Direction::Capture)?;
    let negotiated = negotiate::configure(&pcm, &config.device, &config.request)?;
    let device = &config.device;
    let wanted = &config.request;
    let refuse = |what: String, got: String| {
        anyhow!("'{device}' does not take {what} for capture (nearest: {got}); a 'plughw:' or 'plug:' device converts")
    };
    if config.explicit.format && negotiated.format != wanted.format {
        return Err(refuse(
            format!("sample format {}", wanted.format),
            negotiated.format.to_string(),
        ));
    }
    if config.explicit.channels && negotiated.channels != wanted.channels {
        return Err(refuse(
            format!("{} channels", wanted.channels),
            negotiated.channels.to_string(),
        ));
    }
    if config.explicit.rate && negotiated.rate != wanted.rate {
        return Err(refuse(
            format!("{} Hz", wanted.rate),
            format!("{} Hz", negotiated.rate),
        ));
    }
    pcm.start().map_err(|e| {
        anyhow!(
            "'{device}': cannot start capturing: {}",
            alsa_error_text(&e)
        )
    })?;
    Ok((pcm, negotiated))
}

fn run_capture(
    config: &CaptureConfig,
    stop: &StopFlag,
    halt: &AtomicBool,
    overruns: &AtomicU64,
    started: SyncSender<Result<Started>>,
) -> Result<CaptureEnd> {
    let (pcm, negotiated) = match open_and_configure(config) {
        Ok(ok) => ok,
        Err(e) => {
            let _ = started.send(Err(e));
            return Ok(CaptureEnd::default());
        }
    };
    let bytes_per_frame = negotiated.bytes_per_frame();
    let step_frames = chunk_frames(&negotiated);
    let step_bytes = step_frames * bytes_per_frame;
    let ring = ring_chunks(&negotiated, step_bytes);
    let chunk_bytes = step_bytes * batch_steps(step_bytes, ring);
    let (filled_tx, filled_rx) = mpsc::sync_channel::<Vec<u8>>(ring);
    let (free_tx, free_rx) = mpsc::sync_channel::<Vec<u8>>(ring);
    if started
        .send(Ok((negotiated, chunk_bytes, ring, filled_rx, free_tx)))
        .is_err()
    {
        return Ok(CaptureEnd::default());
    }
    let limit = config
        .duration
        .map(|d| (d.as_secs_f64() * f64::from(negotiated.rate)).round() as u64);
    let io = pcm.io_bytes();
    let mut xruns = XrunCount::default();
    let mut frames: u64 = 0;
    let mut allocated = 0usize;
    // Bytes handed to the writer and not yet seen again (chunks waiting in the free queue
    // still count, which errs on the side of waiting for them), kept within the ring's bytes:
    // with full chunks the ring is then a few of them, small enough to stay in the caches the
    // writer and this thread share, instead of all of them at four times the size.
    let budget = ring * step_bytes;
    let mut in_flight = 0usize;
    let stopping = || stop.is_raised() || halt.load(Ordering::SeqCst);
    // Whether the device already holds another whole step (reading it will not wait).
    let step_ready = || {
        pcm.avail_update()
            .is_ok_and(|avail| avail >= step_frames as alsa::pcm::Frames)
    };
    loop {
        if limit.is_some_and(|total| total == frames) || stopping() {
            break;
        }
        // A chunk from the ring: a returned one, a new one while the ring is not yet full, or
        // (the writer has stalled for the whole ring) wait for one while the device overruns.
        let mut chunk = match free_rx.try_recv() {
            Ok(chunk) => chunk,
            Err(TryRecvError::Empty) if allocated < ring && in_flight + chunk_bytes <= budget => {
                allocated += 1;
                Vec::with_capacity(chunk_bytes)
            }
            Err(_) => loop {
                match free_rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(chunk) => break chunk,
                    Err(RecvTimeoutError::Timeout) if !stopping() => continue,
                    Err(_) => return Ok(CaptureEnd { xruns, frames }),
                }
            },
        };
        // A returned chunk keeps its length: what it carried, and so its bytes are only
        // overwritten when it is filled again a step at a time, never zeroed again.
        in_flight = in_flight.saturating_sub(chunk.len());
        let mut filled = 0;
        loop {
            let left = limit.map(|total| total - frames);
            let want = match left {
                Some(left) => {
                    step_bytes.min(usize::try_from(left).unwrap_or(usize::MAX) * bytes_per_frame)
                }
                None => step_bytes,
            };
            if chunk.len() < filled + want {
                chunk.resize(filled + want, 0);
            }
            let read = xruns.read_exact(
                &pcm,
                &io,
                &mut chunk[filled..filled + want],
                bytes_per_frame,
                &stopping,
            );
            overruns.store(xruns.xruns, Ordering::Relaxed);
            let n = match read {
                Ok(n) => n,
                Err(e) => return Err(e.context(format!("capturing from '{}'", config.device))),
            };
            filled += n;
            frames += (n / bytes_per_frame) as u64;
            let more = n == want
                && filled + step_bytes <= chunk_bytes
                && limit.is_none_or(|total| frames < total)
                && !stopping()
                && step_ready();
            if !more {
                break;
            }
        }
        chunk.truncate(filled);
        in_flight += filled;
        if filled > 0 && filled_tx.send(chunk).is_err() {
            break;
        }
    }
    // Dropping the PCM stops it; a capture has nothing to drain.
    drop(io);
    drop(pcm);
    Ok(CaptureEnd { xruns, frames })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::format::SampleFormat;

    fn negotiated(rate: u32, channels: u32, period: usize) -> Negotiated {
        Negotiated {
            format: SampleFormat::S16_LE,
            channels,
            rate,
            period_frames: period,
            buffer_frames: period * 4,
        }
    }

    #[test]
    fn chunks_are_whole_periods_of_about_a_tenth_of_a_second() {
        assert_eq!(chunk_frames(&negotiated(48000, 2, 6000)), 6000);
        assert_eq!(chunk_frames(&negotiated(48000, 2, 1024)), 5120);
        assert_eq!(chunk_frames(&negotiated(8000, 1, 100_000)), 100_000);
    }

    #[test]
    fn chunks_batch_steps_only_within_the_ring_bound() {
        let step = 6000 * 4;
        assert_eq!(batch_steps(step, 32), MAX_BATCH_STEPS);
        assert_eq!(batch_steps(RING_MAX_BYTES / 4, 4), 1);
        assert_eq!(batch_steps(RING_MAX_BYTES / 20, 10), 2);
        assert_eq!(batch_steps(0, 0), MAX_BATCH_STEPS);
    }

    #[test]
    fn ring_is_a_few_seconds_and_bounded_in_bytes() {
        let cd = negotiated(44100, 2, 4410);
        let chunk = chunk_frames(&cd) * 4;
        let ring = ring_chunks(&cd, chunk);
        assert_eq!(ring * chunk, 4 * 44100 * 4);
        let huge = Negotiated {
            format: SampleFormat::FLOAT64_LE,
            channels: 64,
            ..negotiated(384_000, 64, 38400)
        };
        let chunk = chunk_frames(&huge) * huge.bytes_per_frame();
        assert!(ring_chunks(&huge, chunk) * chunk <= RING_MAX_BYTES.max(4 * chunk));
    }
}
