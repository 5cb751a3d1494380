//! The bridge `alsatool loop` runs: capture a period from IN, hand it to OUT, a period at a
//! time on one thread, with the chosen latency as OUT's buffer.
//!
//! - **Bit-exact** where it can be: when OUT takes IN's format, channels and rate and no
//!   correction is needed, the captured bytes are written as they are. Otherwise they are
//!   converted ([`Conversion`]) and, for a rate change or drift, resampled ([`DriftResampler`]).
//! - **Drift** ([`DriftControl`]): after every period the two positions (frames captured,
//!   frames played) give the fill level; its slope is the drift, and the correction resamples
//!   by that much. It engages only once the fill has moved by 2 ms for two seconds, so two
//!   streams on one clock pass bit-exact forever. On the first use the resampler is primed with the frames
//!   just passed through, so switching costs no frame.
//! - **Xruns** on either side are recovered by [`PcmStream`] and counted here, never fatal.
//! - **Gating** ([`Gate`]): OUT opens when IN carries sound and closes after the chosen stretch
//!   of digital silence, with the hooks run around it.
//! - **Recording**: what goes to OUT, as captured, is written on a thread of its own by the
//!   crash-safe writer, so the disk never holds up the audio.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};

use crate::device::negotiate::{Negotiated, Request};
use crate::device::pcm_io::{Gap, PcmStream, Transfer};
use crate::device::Direction;
use crate::output::{Container, RecordingPlan, RecordingWriter, Rollover, Target, Written};
use crate::progress::{clock, Ui};
use crate::sample::codec::{decode_f64, encode_rounded};
use crate::sample::convert::Conversion;
use crate::sample::format::SampleFormat;
use crate::signals::StopFlag;
use crate::spec::{frames_duration, frames_in, PartialSpec, PcmSpec};
use crate::stream::drift::{ppm, DriftControl, Reading};
use crate::stream::drift_resample::{DriftResampler, PRIME_FRAMES};
use crate::stream::gate::{is_silent, run_hook, Gate, GateEvent};
use crate::stream::meter::{Meter, REDRAW};

mod out;
mod record;

#[cfg(test)]
use out::to_f64;
use out::OutSide;
use record::RecordThread;

/// What IN is asked for when `-f`, `-c` and `-r` are not given (the nearest it takes).
pub const DEFAULT_SPEC: PcmSpec = PcmSpec::DEFAULT;

/// What to bridge, and how.
#[derive(Clone, Debug)]
pub struct LoopConfig {
    pub input: String,
    pub output: String,
    /// What IN must take exactly (the rest is [`DEFAULT_SPEC`] or the nearest).
    pub requested: PartialSpec,
    /// OUT's buffer: the latency from capture to playback.
    pub latency: Duration,
    /// The period of both sides; `None`: a quarter of the latency.
    pub period: Option<Duration>,
    /// Stop after this much captured audio.
    pub duration: Option<Duration>,
    /// Close OUT after this much digital silence (and open it on sound); `None`: always open.
    pub silence_close: Option<Duration>,
    pub on_start: Option<String>,
    pub on_stop: Option<String>,
    pub record: Option<RecordPlan>,
    /// A volume applied in software (`--volume-from` alone), as an `f64` amplitude's bits.
    pub gain: Option<Arc<AtomicU64>>,
}

/// Where `--record` writes.
#[derive(Clone, Debug)]
pub struct RecordPlan {
    pub target: Target,
    pub container: Container,
    pub force: bool,
}

/// How a loop went.
#[derive(Clone, Debug, Default)]
pub struct LoopSummary {
    /// Audio captured, as time.
    pub captured: Duration,
    pub input: Option<Negotiated>,
    /// OUT's parameters when it was last open.
    pub output: Option<Negotiated>,
    pub in_xruns: u64,
    pub out_xruns: u64,
    /// Relative; `None` when too short or not in real time.
    pub mean_drift: Option<f64>,
    /// The devices ran faster than real time (file plugins): no drift to speak of.
    pub not_real_time: bool,
    /// How often OUT was opened.
    pub openings: u32,
    pub recorded: Option<Written>,
    /// Bytes the recording could not keep up with.
    pub record_lost: u64,
    /// Ended by the stop flag (a signal) rather than its duration.
    pub stopped: bool,
}

/// Runs the loop until the stop flag, the duration, or an error that is not an xrun.
pub fn run(config: &LoopConfig, stop: &StopFlag, ui: &Ui) -> Result<LoopSummary> {
    let latency_us = duration_us(config.latency);
    let period_us = config.period.map_or(latency_us / 4, duration_us).max(1);
    // IN's buffer only holds what is not yet read: a generous one costs no latency and rides
    // out a slow hook or a busy machine.
    let in_request = Request {
        exact: config.requested,
        preferred: DEFAULT_SPEC,
        fallback: false,
        buffer_time_us: Some(latency_us.saturating_mul(4).max(200_000)),
        period_time_us: Some(period_us),
    };
    let mut input = PcmStream::open(&config.input, Direction::Capture, &in_request, stop.clone())?;
    let in_n = input.negotiated;
    ui.note(format!(
        "IN '{}': {}, period {} frames, buffer {} frames",
        config.input,
        in_n.spec.describe(),
        in_n.period_frames,
        in_n.buffer_frames
    ));
    let mut summary = LoopSummary {
        input: Some(in_n),
        ..LoopSummary::default()
    };
    let mut recorder = match &config.record {
        Some(plan) => Some(RecordThread::start(plan, in_n.spec)?),
        None => None,
    };
    let frame = in_n.bytes_per_frame();
    let chunk_frames = in_n.period_frames.max(1);
    let mut buf = vec![0u8; chunk_frames * frame];
    let limit = config.duration.map(|d| frames_in(d, in_n.spec.rate));
    let mut gate = Gate::new(
        config
            .silence_close
            .map(|d| frames_in(d, in_n.spec.rate).max(1)),
    );
    let mut control = DriftControl::new();
    let out_request = Request {
        exact: PartialSpec::default(),
        preferred: in_n.spec,
        fallback: false,
        buffer_time_us: Some(latency_us),
        period_time_us: Some(period_us),
    };
    // The resampler for a correction is built once, before audio flows (its filter tables take
    // a moment on a slow machine), and handed from one opening of OUT to the next.
    let mut spare = Some(DriftResampler::new(1.0, in_n.spec.channels as usize)?);
    let opener = |stop: &StopFlag, spare: &mut Option<DriftResampler>| -> Result<OutSide> {
        let side = OutSide::open(&config.output, &out_request, in_n, stop, spare.take())?;
        ui.note(format!(
            "OUT '{}': {}, period {} frames, buffer {} frames{}",
            config.output,
            side.negotiated.spec.describe(),
            side.negotiated.period_frames,
            side.negotiated.buffer_frames,
            side.describe_conversion()
        ));
        Ok(side)
    };
    let hook = |command: &Option<String>, event: &str, bar: &indicatif::ProgressBar| {
        if let Some(command) = command {
            if let Err(e) = run_hook(command, event, &config.input, &config.output) {
                ui.warn(bar, format!("{e:#}"));
            }
        }
    };

    input.start()?;
    let bar = ui.bar(None, "{spinner} {msg}");
    let mut out: Option<OutSide> = None;
    if gate.is_open() {
        hook(&config.on_start, "start", &bar);
        out = Some(opener(stop, &mut spare)?);
        summary.openings += 1;
    }
    let mut meter = Meter::new(in_n.spec, ui.live);
    let started = Instant::now();
    let mut last_draw: Option<Instant> = None;
    let in_rate = f64::from(in_n.spec.rate);
    let result = loop {
        let left = limit.map_or(u64::MAX, |total| total.saturating_sub(input.frames()));
        if left == 0 || input.stopped() {
            break Ok(());
        }
        let want = (chunk_frames as u64).min(left) as usize * frame;
        let read = input.read(&mut buf[..want]);
        let mut resync = false;
        for gap in input.take_gaps() {
            summary.in_xruns += 1;
            resync = true;
            report(ui, &bar, &gap, Direction::Capture, in_n.spec.rate);
        }
        let n = match read {
            Ok(n) => n,
            Err(e) => break Err(e.context("capturing")),
        };
        if n == 0 {
            break Ok(());
        }
        let piece = &buf[..n];
        let captured = input.frames() as f64 / in_rate;
        // File plugins run as fast as they are read: a fill level there says nothing.
        if control.is_enabled() && faster_than_real_time(captured, started.elapsed()) {
            control.disable();
            summary.not_real_time = true;
        }
        meter.add(piece);
        match gate.update(|| is_silent(in_n.spec.format, piece), (n / frame) as u64) {
            GateEvent::Stay => {}
            GateEvent::Open => {
                hook(&config.on_start, "start", &bar);
                match opener(stop, &mut spare) {
                    Ok(side) => out = Some(side),
                    Err(e) => break Err(e),
                }
                summary.openings += 1;
                control.reset();
            }
            GateEvent::Close => {
                if let Some(mut side) = out.take() {
                    summary.output = Some(side.negotiated);
                    summary.out_xruns += side.xruns;
                    spare = side.take_spare();
                    match side.stream.drain() {
                        Ok(Transfer::Complete) => {}
                        Ok(Transfer::Stopped) => {
                            hook(&config.on_stop, "stop", &bar);
                            break Ok(());
                        }
                        Err(e) => break Err(e),
                    }
                }
                hook(&config.on_stop, "stop", &bar);
            }
        }
        if let Some(side) = out.as_mut() {
            match side.send(piece, &control, config.gain.as_deref()) {
                Ok(Transfer::Complete) => {}
                Ok(Transfer::Stopped) => break Ok(()),
                Err(e) => break Err(e.context(format!("playing on '{}'", config.output))),
            }
            if side.take_xruns(ui, &bar) {
                resync = true;
            }
            if let Some(rec) = recorder.as_mut() {
                if !rec.send(piece) {
                    // The recording failed (a full disk): stop, as `record` does; its error
                    // comes out of finish() below.
                    break Ok(());
                }
            }
            if let Some(reading) = side.reading(&input, in_rate) {
                if control.observe(reading) {
                    resync |= control.take_step();
                    side.correct(&control)?;
                    if ui.verbose >= 2 {
                        // -vv: the estimator's every block, to see a device's jitter.
                        let line = block_line(reading.time, &control);
                        bar.suspend(|| eprintln!("alsatool: {line}"));
                    }
                }
            }
        }
        if resync && out.is_some() {
            // After an xrun or a stall, IN holds a backlog that the loop (paced by OUT) would
            // never read down: it would stay as latency. Audio was lost already; drop the
            // backlog beyond a period, and let the estimate find its footing again.
            let held = input.delay().unwrap_or(0).max(0) as usize;
            let mut excess = held.saturating_sub(2 * chunk_frames);
            let dropped = excess;
            while excess > 0 && !input.stopped() {
                let take = excess.min(chunk_frames);
                match input.read(&mut buf[..take * frame]) {
                    Ok(n) if n > 0 => excess -= (n / frame).min(excess),
                    _ => break,
                }
            }
            let _ = input.take_gaps();
            control.resync();
            if dropped > 0 {
                ui.note(format!(
                    "caught up after a gap: dropped {:.1} ms that IN held",
                    dropped as f64 * 1000.0 / in_rate
                ));
            }
        }
        if ui.live && last_draw.is_none_or(|t| t.elapsed() >= REDRAW) {
            last_draw = Some(Instant::now());
            bar.set_message(status_line(
                frames_duration(input.frames(), in_n.spec.rate),
                out.as_ref(),
                &control,
                summary.in_xruns + summary.out_xruns + out.as_ref().map_or(0, |o| o.xruns),
                meter.take().unwrap_or_default(),
            ));
        }
    };
    summary.captured = frames_duration(input.frames(), in_n.spec.rate);
    if faster_than_real_time(summary.captured.as_secs_f64(), started.elapsed()) {
        summary.not_real_time = true;
    }
    summary.stopped = input.stopped();
    let ended_by_time = result.is_ok() && !summary.stopped;
    if let Some(side) = out.take() {
        summary.output = Some(side.negotiated);
        summary.out_xruns += side.xruns;
        if ended_by_time {
            // The duration ran out: play what is queued.
            side.stream.drain()?;
        } else {
            side.stream.abort();
        }
        hook(&config.on_stop, "stop", &bar);
    }
    input.abort();
    bar.finish_and_clear();
    if let Some(rec) = recorder.take() {
        let (written, lost) = rec.finish();
        summary.record_lost = lost;
        match written {
            Ok(written) => summary.recorded = Some(written),
            Err(e) => {
                result?;
                return Err(e);
            }
        }
    }
    result?;
    summary.mean_drift = if summary.not_real_time {
        None
    } else {
        control.mean_drift()
    };
    Ok(summary)
}

/// Whether `captured` seconds of audio came in clearly faster than the clock on the wall
/// (IN's buffer, full at the start, accounts for a fraction of a second).
fn faster_than_real_time(captured: f64, wall: Duration) -> bool {
    captured > 0.5 && captured > wall.as_secs_f64() * 1.5 + 0.25
}

fn duration_us(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX).max(1)
}

fn report(ui: &Ui, bar: &indicatif::ProgressBar, gap: &Gap, direction: Direction, rate: u32) {
    let side = match direction {
        Direction::Capture => "IN",
        Direction::Playback => "OUT",
    };
    let at = frames_duration(gap.at_frame, rate);
    ui.warn(bar, format!("{side}: {}", gap.describe(direction, at)));
}

/// One `-vv` line per block of the drift estimator.
fn block_line(time: f64, control: &DriftControl) -> String {
    let (fill, target) = control.fill().unwrap_or((f64::NAN, f64::NAN));
    format!(
        "drift block at {time:.2} s: fill {:.3} ms, target {:.3} ms, drift {}, correction {}{}",
        fill * 1000.0,
        target * 1000.0,
        control.drift().map_or("…".to_string(), ppm),
        ppm(control.correction()),
        if control.engaged() { " (engaged)" } else { "" }
    )
}

/// The live line: time, fill, drift, correction, xruns, meter.
fn status_line(
    time: Duration,
    out: Option<&OutSide>,
    control: &DriftControl,
    xruns: u64,
    meter: String,
) -> String {
    let Some(side) = out else {
        return format!("{}  waiting for sound  {meter}", clock(time));
    };
    let fill = match control.fill() {
        Some((fill, _)) => format!("fill {:.1} ms", fill * 1000.0),
        None => "fill …".to_string(),
    };
    let drift = match control.drift() {
        Some(d) if control.is_enabled() => format!("drift {}", ppm(d)),
        _ => "drift …".to_string(),
    };
    let correction = match (&side.resampler, &side.conversion) {
        (Some(_), _) if control.engaged() => format!("correction {}", ppm(control.correction())),
        (Some(_), _) => "resampling".to_string(),
        (None, Some(_)) => "converting".to_string(),
        (None, None) => "bit-exact".to_string(),
    };
    format!(
        "{}  {fill}  {drift}  {correction}  xruns {xruns}  {meter}",
        clock(time)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_come_from_le_bytes_with_gain() {
        let bytes: Vec<u8> = [0.5f64, -1.0]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        let mut floats = vec![9.0; 5];
        to_f64(&bytes, 0.5, &mut floats);
        assert_eq!(floats, vec![0.25, -0.5]);
    }
}
