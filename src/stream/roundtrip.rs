//! Measuring the round trip from a playback device to a capture device: `alsatool latency`.
//!
//! Both devices run together on one thread: each pass reads a capture period and writes as
//! much to playback, which stays full. Playback carries silence with one [`latency`] burst per
//! run, spaced so that each run's search window holds only its own burst (and one burst more
//! first, to let the path settle). A round trip is two parts:
//! - ALSA's buffering, from the configuration: the playback buffer (a frame handed to a full
//!   playback device waits that long) and the capture period (a captured frame waits up to
//!   that long before the application is woken to read it);
//! - the rest, outside ALSA, measured: converters, cables, the air, a sound server. When the
//!   burst is handed over, capture's hardware position (frames read plus those it holds) and
//!   the playback queue ahead of the burst are noted; where the burst turns up in the capture,
//!   less that position and that queue, is the time it spent outside. Both positions are read
//!   at the same moment, so the two streams need no common start, and the figure is exact to
//!   the devices' own position reports (a timer tick on snd-aloop), not to a period.
//!
//! [`latency`]: crate::stream::latency

use anyhow::{bail, Result};

use crate::device::negotiate::{Negotiated, Request};
use crate::device::pcm_io::{PcmStream, Transfer};
use crate::device::Direction;
use crate::sample::codec::decode_f64;
use crate::sample::codec::encode_rounded;
use crate::signals::StopFlag;
use crate::spec::{PartialSpec, PcmSpec};
use crate::stream::latency::{find, median, mls, LEVEL, MLS_ORDER};

/// What is asked of the devices when `-f`, `-c` and `-r` are not given (the nearest they take).
pub const DEFAULT_SPEC: PcmSpec = PcmSpec::DEFAULT;

/// Silence played before the first burst (seconds): the streams settle.
const LEAD_SECONDS: f64 = 0.3;
/// Bursts played before the runs that count.
const WARM_UP_BURSTS: usize = 1;
/// How long past the last burst to wait for capture to catch up at most (seconds).
const GIVE_UP_SECONDS: f64 = 5.0;
/// How late, beyond ALSA's buffering, a burst may come back (seconds).
pub const MAX_OUTSIDE_SECONDS: f64 = 0.75;

/// What to measure.
#[derive(Clone, Debug)]
pub struct LatencyConfig {
    pub output: String,
    pub input: String,
    pub requested: PartialSpec,
    pub buffer_time_us: Option<u32>,
    pub period_time_us: Option<u32>,
    pub runs: usize,
}

/// One run's figures, in frames: `total` = `alsa` (the playback buffer and the capture
/// period) + `outside` (measured).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Run {
    pub total: i64,
    pub alsa: i64,
    pub outside: i64,
    /// How clearly the burst came back (normalized correlation, 0 to 1).
    pub score: f64,
}

/// What a measurement found.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub playback: Negotiated,
    pub capture: Negotiated,
    /// The runs whose burst came back, in order.
    pub runs: Vec<Run>,
    /// Runs whose burst did not come back.
    pub missing: usize,
    /// Stopped by a signal before the end.
    pub stopped: bool,
}

/// Plays the bursts on OUT while capturing IN, and measures each run.
pub fn measure(config: &LatencyConfig, stop: &StopFlag) -> Result<Measurement> {
    let request = Request {
        exact: config.requested,
        preferred: DEFAULT_SPEC,
        fallback: false,
        buffer_time_us: config.buffer_time_us,
        period_time_us: config.period_time_us,
    };
    let mut input = PcmStream::open(&config.input, Direction::Capture, &request, stop.clone())?;
    let capture = input.negotiated;
    // The two must run at one rate for frames to compare; format and channels may differ.
    let out_request = Request {
        exact: PartialSpec {
            rate: Some(capture.spec.rate),
            ..config.requested
        },
        preferred: capture.spec,
        ..request
    };
    let mut output = PcmStream::open(
        &config.output,
        Direction::Playback,
        &out_request,
        stop.clone(),
    )?;
    let playback = output.negotiated;
    let rate = f64::from(capture.spec.rate);
    let signal: Vec<f64> = mls(MLS_ORDER).iter().map(|x| x * LEVEL).collect();
    let n = signal.len();
    let outside_max = (MAX_OUTSIDE_SECONDS * rate) as usize;
    let period = capture.period_frames.max(1);
    // Each run's window: from a little before the burst could arrive (as it is handed over)
    // to the latest it may, after the playback buffer and the longest path outside.
    let margin = period + 64;
    let window = playback.buffer_frames + outside_max + n + 2 * margin;
    let spacing = window + period;
    let first = playback.buffer_frames + (LEAD_SECONDS * rate) as usize;
    // One burst more than runs: the first only warms the path up (a sound server's streams
    // take a second or so to settle) and is not counted.
    let bursts: Vec<usize> = (0..config.runs.max(1) + WARM_UP_BURSTS)
        .map(|k| first + k * spacing)
        .collect();
    let end_out = bursts.last().map_or(first, |&s| s + spacing);

    let out_frame = playback.bytes_per_frame();
    let out_channels = playback.spec.channels as usize;
    let out_width = playback.spec.format.bytes();
    let in_frame = capture.bytes_per_frame();
    let in_channels = capture.spec.channels as usize;
    let in_width = capture.spec.format.bytes();

    input.start()?;
    // Fill playback with silence: it starts once full, and stays about full from then on.
    let silence_frame: Vec<u8> = playback
        .spec
        .format
        .silence()
        .iter()
        .copied()
        .cycle()
        .take(out_frame)
        .collect();
    let fill: Vec<u8> = silence_frame
        .iter()
        .copied()
        .cycle()
        .take(playback.buffer_frames * out_frame)
        .collect();
    let mut stopped = output.write(&fill)? == Transfer::Stopped;

    let mut captured: Vec<f64> = Vec::new();
    // For each burst: playback's queue ahead of it, and capture's position, at the hand-over.
    let mut handed: Vec<Option<(i64, i64)>> = vec![None; bursts.len()];
    let mut in_buf = vec![0u8; period * in_frame];
    let mut out_buf = Vec::with_capacity(period * out_frame);
    while !stopped {
        let read = input.read(&mut in_buf)?;
        if read < in_buf.len() {
            stopped = true;
            break;
        }
        let position = input.frames() as i64 + input.delay().unwrap_or(0).max(0);
        for frame in in_buf.chunks_exact(in_frame) {
            let sum: f64 = frame
                .chunks_exact(in_width)
                .map(|s| decode_f64(capture.spec.format, s))
                .sum();
            captured.push(sum / in_channels as f64);
        }
        let written = output.frames() as usize;
        // Done once every burst is out and the last one's window has been captured (or, when
        // capture lags far behind playback, a few seconds after that).
        let last_window = handed
            .last()
            .copied()
            .flatten()
            .map(|(_, p)| p as usize + window);
        if last_window.is_some_and(|end| captured.len() >= end)
            || written >= end_out + (GIVE_UP_SECONDS * rate) as usize
        {
            break;
        }
        // The next period of playback: silence, or part of a burst.
        let out_delay = output.delay().unwrap_or(0).max(0);
        out_buf.clear();
        for i in 0..period {
            let j = written + i;
            let value = bursts.iter().enumerate().find_map(|(k, &s)| {
                if j == s {
                    handed[k] = Some((out_delay + i as i64, position));
                }
                (j >= s && j < s + n).then(|| signal[j - s])
            });
            match value {
                Some(x) => {
                    let start = out_buf.len();
                    out_buf.resize(start + out_frame, 0);
                    encode_rounded(
                        playback.spec.format,
                        x,
                        &mut out_buf[start..start + out_width],
                    );
                    for c in 1..out_channels {
                        out_buf.copy_within(start..start + out_width, start + c * out_width);
                    }
                }
                None => out_buf.extend_from_slice(&silence_frame),
            }
        }
        if output.write(&out_buf)? == Transfer::Stopped {
            stopped = true;
        }
        // Recovered xruns cost that run its figure at worst; nothing else to do.
        let _ = input.take_gaps();
        let _ = output.take_gaps();
    }
    output.abort();
    input.abort();

    let alsa = (playback.buffer_frames + capture.period_frames) as i64;
    let mut runs = Vec::new();
    let mut missing = 0;
    for handed in handed.into_iter().skip(WARM_UP_BURSTS) {
        let Some((ahead, position)) = handed else {
            missing += 1;
            continue;
        };
        // The capture index where the burst would arrive at once (captured frames are
        // indexed like positions: both count from capture's start).
        let lo = (position - margin as i64).max(0) as usize;
        let hi = (position as usize + window).min(captured.len());
        let Some(found) = (lo < hi)
            .then(|| find(&signal, &captured[lo..hi]))
            .flatten()
        else {
            missing += 1;
            continue;
        };
        let arrived = (lo + found.offset) as i64;
        let outside = arrived - position - ahead;
        runs.push(Run {
            total: alsa + outside,
            alsa,
            outside,
            score: found.score,
        });
    }
    if runs.is_empty() && !stopped {
        bail!(
            "no signal came back on '{}' from what played on '{}' (nothing within {:.2} s of playing it); check that they are connected (a cable, a loopback) and that neither is muted",
            config.input.escape_debug(),
            config.output.escape_debug(),
            window as f64 / rate
        );
    }
    Ok(Measurement {
        playback,
        capture,
        runs,
        missing,
        stopped,
    })
}

/// min, median and max of some figures.
pub fn spread(values: &[i64]) -> Option<(i64, i64, i64)> {
    Some((
        *values.iter().min()?,
        median(values)?,
        *values.iter().max()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_and_offsets() {
        assert_eq!(spread(&[3, 1, 2]), Some((1, 2, 3)));
        assert_eq!(spread(&[]), None);
    }
}
