//! Capturing on a thread of its own, with a bounded ring of reusable buffers between the device
//! and whoever writes the audio out (the recorder).
//!
//! The alsa crate's PCM and IO objects cannot cross threads, so the capture thread opens,
//! configures, runs and closes the device itself, and hands back what was negotiated. Audio then
//! flows in chunks through a channel; emptied chunks come back through a second one, so after
//! the ring has filled once nothing more is allocated. The ring holds a few seconds, bounded in
//! bytes: a disk or a pipe that stalls that long costs no audio. When the writer stalls longer,
//! the capture thread waits, the device overruns, and the overrun is recovered and reported.
//!
//! A chunk is filled a step (about 100 ms) at a time and handed over as soon as the device has
//! no further step ready, so that in real time the writer and the meter see audio as it
//! arrives. When the device already holds more (a file-backed PCM, or catching up after a
//! stall), a chunk takes up to [`MAX_BATCH_STEPS`] steps: each hand-over wakes the other thread,
//! and fewer of them cost less (about a quarter of the CPU of a fast capture).

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{anyhow, bail, Result};

use crate::device::negotiate::{Negotiated, Request};
use crate::device::pcm_io::{Gap, PcmStream, XrunCount};
use crate::device::{alsa_log, Direction};
use crate::signals::StopFlag;

/// How long the ring between device and writer is, at most.
pub const RING_SECONDS: u32 = 4;
/// The ring never takes more than this, whatever the rate and channel count.
pub const RING_MAX_BYTES: usize = 32 << 20;
/// The most steps one chunk takes when the device has them ready.
pub const MAX_BATCH_STEPS: usize = 4;
/// A step never takes more than this, so that a ring of at least four chunks of the most steps
/// stays within [`RING_MAX_BYTES`] however many channels at however high a rate.
const MAX_STEP_BYTES: usize = RING_MAX_BYTES / (4 * MAX_BATCH_STEPS);

/// What to capture.
#[derive(Clone, Debug)]
pub struct CaptureConfig {
    pub device: String,
    pub request: Request,
    /// Stop after this many frames at the negotiated rate (see [`crate::spec::frames_in`]),
    /// given as a duration because the rate is known only once the device is open.
    pub duration: Option<Duration>,
}

/// What the capture thread reports when it ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaptureEnd {
    pub xruns: XrunCount,
    /// Frames read from the device.
    pub frames: u64,
    /// Ended by the stop flag (a signal, or a halt) rather than by its duration.
    pub stopped: bool,
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
    /// Gaps recovered and not yet reported, each with the frames captured before it.
    gaps: Arc<Mutex<Vec<Gap>>>,
    /// Raised by the writer when it cannot go on (a write error), or at the end.
    halt: StopFlag,
    thread: Option<JoinHandle<Result<CaptureEnd>>>,
}

/// What the capture thread sends back once the device runs.
struct Started {
    negotiated: Negotiated,
    chunk_bytes: usize,
    ring_chunks: usize,
    filled: Receiver<Vec<u8>>,
    free: SyncSender<Vec<u8>>,
}

impl Capture {
    /// Opens and configures the device on a new thread and starts capturing. Returns once the
    /// device is running, or with the error that stopped it from starting.
    pub fn start(config: CaptureConfig, stop: &StopFlag) -> Result<Capture> {
        let halt = stop.linked();
        let gaps = Arc::new(Mutex::new(Vec::new()));
        let (started_tx, started_rx) = mpsc::sync_channel::<Result<Started>>(1);
        let (thread_halt, thread_gaps) = (halt.clone(), gaps.clone());
        let thread = std::thread::Builder::new()
            .name("capture".into())
            .spawn(move || {
                alsa_log::quiet_this_thread();
                run_capture(&config, thread_halt, &thread_gaps, started_tx)
            })
            .map_err(|e| anyhow!("cannot start the capture thread: {e}"))?;
        match started_rx.recv() {
            Ok(Ok(started)) => Ok(Capture {
                negotiated: started.negotiated,
                chunk_bytes: started.chunk_bytes,
                ring_chunks: started.ring_chunks,
                filled: started.filled,
                free: started.free,
                gaps,
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

    /// The gaps (overruns, suspends) recovered since the last call.
    pub fn take_gaps(&self) -> Vec<Gap> {
        match self.gaps.lock() {
            Ok(mut gaps) => std::mem::take(&mut *gaps),
            Err(_) => Vec::new(),
        }
    }

    /// Stops capturing (the writer cannot go on); [`Capture::finish`] then returns at once.
    pub fn halt(&self) {
        self.halt.raise();
    }

    /// Stops capturing if it has not ended yet, and waits for the capture thread.
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
/// and writes keep the cost per byte low; the device wakes us each period either way), and at
/// most [`MAX_STEP_BYTES`].
fn step_frames(negotiated: &Negotiated) -> usize {
    let period = negotiated.period_frames.max(1);
    let wanted = (negotiated.spec.rate as usize / 10).max(1);
    let frames = wanted.div_ceil(period) * period;
    let bounded = MAX_STEP_BYTES / negotiated.bytes_per_frame().max(1);
    frames.min(bounded).max(1)
}

/// How many chunks the ring holds: [`RING_SECONDS`] of audio in steps of `step_bytes` within
/// [`RING_MAX_BYTES`], and never fewer than four.
fn ring_chunks(negotiated: &Negotiated, step_bytes: usize) -> usize {
    let per_second = negotiated.bytes_per_frame() * negotiated.spec.rate as usize;
    let bytes = per_second
        .saturating_mul(RING_SECONDS as usize)
        .min(RING_MAX_BYTES);
    (bytes / step_bytes.max(1)).max(4)
}

/// How many steps a chunk may take: up to [`MAX_BATCH_STEPS`], as long as a ring of full chunks
/// stays within [`RING_MAX_BYTES`] (so the ring holds [`RING_SECONDS`] in real time, when each
/// chunk holds one step, and never more than its bound in bytes when every chunk is full).
fn batch_steps(step_bytes: usize, ring: usize) -> usize {
    let ring_bytes = step_bytes.max(1) * ring.max(1);
    (RING_MAX_BYTES / ring_bytes).clamp(1, MAX_BATCH_STEPS)
}

/// The capture loop: fill a chunk from the device a step at a time, hand it to the writer,
/// until the duration is reached or the stop flag (a signal, or the writer's halt) is raised.
fn run_capture(
    config: &CaptureConfig,
    stop: StopFlag,
    gaps: &Mutex<Vec<Gap>>,
    started: SyncSender<Result<Started>>,
) -> Result<CaptureEnd> {
    let opened = PcmStream::open(&config.device, Direction::Capture, &config.request, stop)
        .and_then(|mut stream| stream.start().map(|_| stream));
    let mut stream = match opened {
        Ok(stream) => stream,
        Err(e) => {
            let _ = started.send(Err(e));
            return Ok(CaptureEnd::default());
        }
    };
    let negotiated = stream.negotiated;
    let bytes_per_frame = negotiated.bytes_per_frame();
    let step_frames = step_frames(&negotiated);
    let step_bytes = step_frames * bytes_per_frame;
    let ring = ring_chunks(&negotiated, step_bytes);
    let chunk_bytes = step_bytes * batch_steps(step_bytes, ring);
    let (filled_tx, filled_rx) = mpsc::sync_channel::<Vec<u8>>(ring);
    let (free_tx, free_rx) = mpsc::sync_channel::<Vec<u8>>(ring);
    let sent = started.send(Ok(Started {
        negotiated,
        chunk_bytes,
        ring_chunks: ring,
        filled: filled_rx,
        free: free_tx,
    }));
    if sent.is_err() {
        return Ok(CaptureEnd::default());
    }
    let limit = config
        .duration
        .map(|d| crate::spec::frames_in(d, negotiated.spec.rate));
    let end = |stream: &PcmStream| CaptureEnd {
        xruns: stream.counts(),
        frames: stream.frames(),
        stopped: stream.stopped(),
    };
    let mut allocated = 0usize;
    // Bytes handed to the writer and not yet seen again (chunks waiting in the free queue
    // still count, which errs on the side of waiting for them), kept within the ring's bytes:
    // with full chunks the ring is then a few of them, small enough to stay in the caches the
    // writer and this thread share, instead of all of them at four times the size.
    let budget = ring * step_bytes;
    let mut in_flight = 0usize;
    loop {
        let left = limit.map_or(u64::MAX, |total| total.saturating_sub(stream.frames()));
        if left == 0 || stream.stopped() {
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
                    Err(RecvTimeoutError::Timeout) if !stream.stopped() => continue,
                    Err(_) => return Ok(end(&stream)),
                }
            },
        };
        // A returned chunk keeps its length: what it carried, and so its bytes are only
        // overwritten when it is filled again a step at a time, never zeroed again.
        in_flight = in_flight.saturating_sub(chunk.len());
        let mut filled = 0;
        loop {
            let left = limit.map_or(u64::MAX, |total| total.saturating_sub(stream.frames()));
            let want = (step_frames as u64).min(left) as usize * bytes_per_frame;
            if chunk.len() < filled + want {
                chunk.resize(filled + want, 0);
            }
            let read = stream.read(&mut chunk[filled..filled + want]);
            let new_gaps = stream.take_gaps();
            if !new_gaps.is_empty() {
                if let Ok(mut pending) = gaps.lock() {
                    pending.extend(new_gaps);
                }
            }
            let n = read.map_err(|e| e.context("capturing"))?;
            filled += n;
            let more = n == want
                && want > 0
                && filled + step_bytes <= chunk_bytes
                && left > (n / bytes_per_frame) as u64
                && !stream.stopped()
                && stream.has_ready(step_frames);
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
    let end = end(&stream);
    // A capture has nothing to drain.
    stream.abort();
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::format::SampleFormat;
    use crate::spec::PcmSpec;

    fn negotiated(rate: u32, channels: u32, period: usize) -> Negotiated {
        Negotiated {
            spec: PcmSpec {
                format: SampleFormat::S16_LE,
                channels,
                rate,
            },
            period_frames: period,
            buffer_frames: period * 4,
        }
    }

    #[test]
    fn steps_are_whole_periods_of_about_a_tenth_of_a_second() {
        assert_eq!(step_frames(&negotiated(48000, 2, 6000)), 6000);
        assert_eq!(step_frames(&negotiated(48000, 2, 1024)), 5120);
        assert_eq!(step_frames(&negotiated(8000, 1, 100_000)), 100_000);
    }

    #[test]
    fn steps_are_bounded_in_bytes() {
        let huge = Negotiated {
            spec: PcmSpec {
                format: SampleFormat::FLOAT64_LE,
                channels: 1024,
                rate: 1_000_000,
            },
            ..negotiated(1_000_000, 1024, 125_000)
        };
        let step = step_frames(&huge) * huge.bytes_per_frame();
        assert!(step <= MAX_STEP_BYTES, "{step}");
        let ring = ring_chunks(&huge, step);
        assert!(ring * step * batch_steps(step, ring) <= RING_MAX_BYTES);
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
        let chunk = step_frames(&cd) * 4;
        let ring = ring_chunks(&cd, chunk);
        assert_eq!(ring * chunk, 4 * 44100 * 4);
        let huge = Negotiated {
            spec: PcmSpec {
                format: SampleFormat::FLOAT64_LE,
                channels: 64,
                rate: 384_000,
            },
            ..negotiated(384_000, 64, 38400)
        };
        let chunk = step_frames(&huge) * huge.bytes_per_frame();
        assert!(ring_chunks(&huge, chunk) * chunk <= RING_MAX_BYTES.max(4 * chunk));
    }
}
