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
use crate::sample::codec::{encode_f64, encode_i32};
use crate::sample::convert::Conversion;
use crate::sample::format::{Encoding, SampleFormat};
use crate::signals::StopFlag;
use crate::spec::{frames_duration, frames_in, PartialSpec, PcmSpec};
use crate::stream::drift::{ppm, DriftControl, Reading};
use crate::stream::drift_resample::{DriftResampler, PRIME_FRAMES};
use crate::stream::gate::{is_silent, run_hook, Gate, GateEvent};
use crate::stream::meter::{Meter, REDRAW};

/// What IN is asked for when `-f`, `-c` and `-r` are not given (the nearest it takes).
pub const DEFAULT_SPEC: PcmSpec = PcmSpec {
    format: SampleFormat::S16_LE,
    channels: 2,
    rate: 48000,
};

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
        match gate.update(is_silent(in_n.spec.format, piece), (n / frame) as u64) {
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

/// The playback side while it is open.
struct OutSide {
    stream: PcmStream,
    negotiated: Negotiated,
    in_spec: PcmSpec,
    /// IN's format and channels to OUT's: `None` when they are the same.
    conversion: Option<Conversion>,
    /// To `f64` in OUT's channel layout, for the resampler and the software volume.
    to_float: Conversion,
    /// Rate conversion from the start, or drift correction once engaged.
    resampler: Option<DriftResampler>,
    /// A ratio-1 resampler built ahead, for when the correction engages in mid-stream.
    spare: Option<DriftResampler>,
    /// The last frames passed through unchanged (IN's bytes), to prime the resampler with.
    history: Vec<u8>,
    /// IN's position when OUT opened: the two positions are compared from there.
    in_origin: Option<i64>,
    xruns: u64,
    converted: Vec<u8>,
    floats: Vec<f64>,
    resampled: Vec<f64>,
}

impl OutSide {
    fn open(
        device: &str,
        request: &Request,
        input: Negotiated,
        stop: &StopFlag,
        spare: Option<DriftResampler>,
    ) -> Result<OutSide> {
        let mut stream = PcmStream::open(device, Direction::Playback, request, stop.clone())?;
        let negotiated = stream.negotiated;
        let out = negotiated.spec;
        let conversion = Conversion::new(
            input.spec.format,
            input.spec.channels,
            out.format,
            out.channels,
        );
        let channels = out.channels as usize;
        let (resampler, spare) = if out.rate != input.spec.rate {
            let ratio = f64::from(out.rate) / f64::from(input.spec.rate);
            (Some(DriftResampler::new(ratio, channels)?), spare)
        } else {
            let spare = match spare {
                Some(r) if r.channels() == channels => r,
                _ => DriftResampler::new(1.0, channels)?,
            };
            (None, Some(spare))
        };
        // Playback starts once its buffer is full: queue silence up to one period short of
        // that, so that the first period of audio starts it and the latency is the buffer.
        let period = negotiated.period_frames.max(1);
        let threshold = (negotiated.buffer_frames / period) * period;
        let lead = threshold.saturating_sub(period);
        let silence: Vec<u8> = out
            .format
            .silence()
            .iter()
            .copied()
            .cycle()
            .take(lead * negotiated.bytes_per_frame())
            .collect();
        stream.write(&silence)?;
        Ok(OutSide {
            stream,
            negotiated,
            in_spec: input.spec,
            conversion: (!conversion.is_identity()).then_some(conversion),
            to_float: Conversion::new(
                input.spec.format,
                input.spec.channels,
                SampleFormat::FLOAT64_LE,
                out.channels,
            ),
            resampler,
            spare,
            history: Vec::new(),
            in_origin: None,
            xruns: 0,
            converted: Vec::new(),
            floats: Vec::new(),
            resampled: Vec::new(),
        })
    }

    fn describe_conversion(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.conversion {
            parts.push(c.describe());
        }
        if self.negotiated.spec.rate != self.in_spec.rate {
            parts.push(format!(
                "resampling {} Hz to {} Hz",
                self.in_spec.rate, self.negotiated.spec.rate
            ));
        }
        if parts.is_empty() {
            "; bit-exact".to_string()
        } else {
            format!("; {}", parts.join(", "))
        }
    }

    /// Sends a piece of IN's audio to OUT: unchanged, converted, or resampled.
    fn send(
        &mut self,
        piece: &[u8],
        control: &DriftControl,
        gain: Option<&AtomicU64>,
    ) -> Result<Transfer> {
        let gain = gain.map_or(1.0, |g| f64::from_bits(g.load(Ordering::Relaxed)));
        if self.resampler.is_none() && control.engaged() {
            let history = std::mem::take(&mut self.history);
            self.to_float.convert(&history, &mut self.converted);
            let primed = to_f64(&self.converted, gain);
            let mut resampler = match self.spare.take() {
                Some(spare) => spare,
                None => DriftResampler::new(1.0, self.negotiated.spec.channels as usize)?,
            };
            resampler.prime(&primed)?;
            self.resampler = Some(resampler);
        }
        if self.resampler.is_none() && gain == 1.0 {
            self.remember(piece);
            return match &self.conversion {
                None => self.stream.write(piece),
                Some(c) => {
                    c.convert(piece, &mut self.converted);
                    self.stream.write(&self.converted)
                }
            };
        }
        self.remember(piece);
        self.to_float.convert(piece, &mut self.converted);
        self.floats = to_f64(&self.converted, gain);
        let samples = match self.resampler.as_mut() {
            Some(resampler) => {
                self.resampled.clear();
                resampler.process(&self.floats, &mut self.resampled)?;
                &self.resampled
            }
            None => &self.floats,
        };
        let format = self.negotiated.spec.format;
        let width = format.bytes();
        self.converted.resize(samples.len() * width, 0);
        for (x, out) in samples.iter().zip(self.converted.chunks_exact_mut(width)) {
            encode_rounded(format, *x, out);
        }
        self.stream.write(&self.converted)
    }

    /// The ratio-1 resampler this side holds, for the next opening: its spare, or the one it
    /// corrected with (primed afresh when used again).
    fn take_spare(&mut self) -> Option<DriftResampler> {
        if self.negotiated.spec.rate == self.in_spec.rate {
            self.spare.take().or_else(|| self.resampler.take())
        } else {
            self.spare.take()
        }
    }

    /// Keeps the last [`PRIME_FRAMES`] frames of IN's audio.
    fn remember(&mut self, piece: &[u8]) {
        let keep = PRIME_FRAMES * self.in_spec.bytes_per_frame();
        self.history.extend_from_slice(piece);
        if self.history.len() > keep {
            self.history.drain(..self.history.len() - keep);
        }
    }

    /// Counts and reports OUT's xruns; true when there were some.
    fn take_xruns(&mut self, ui: &Ui, bar: &indicatif::ProgressBar) -> bool {
        let gaps = self.stream.take_gaps();
        for gap in &gaps {
            self.xruns += 1;
            report(ui, bar, gap, Direction::Playback, self.negotiated.spec.rate);
        }
        !gaps.is_empty()
    }

    /// The fill level now, and the positions it comes from.
    fn reading(&mut self, input: &PcmStream, in_rate: f64) -> Option<Reading> {
        let in_delay = input.delay()?;
        let out_delay = self.stream.delay()?;
        let in_position = input.frames() as i64 + in_delay;
        let origin = *self.in_origin.get_or_insert(in_position);
        let out_rate = f64::from(self.negotiated.spec.rate);
        let pending = self
            .resampler
            .as_ref()
            .map_or(0.0, |r| r.pending_frames() as f64 / out_rate);
        let played = (self.stream.frames() as i64 - out_delay) as f64 / out_rate;
        Some(Reading {
            time: input.frames() as f64 / in_rate,
            uncorrected: (in_position - origin) as f64 / in_rate - played,
            fill: in_delay as f64 / in_rate + out_delay as f64 / out_rate + pending,
        })
    }

    /// Applies the correction to the resampler.
    fn correct(&mut self, control: &DriftControl) -> Result<()> {
        match self.resampler.as_mut() {
            // 0 while the correction is off: a rate conversion runs at its base ratio.
            Some(resampler) => resampler.set_relative(1.0 + control.correction()),
            None => Ok(()),
        }
    }
}

/// FLOAT64_LE bytes to samples, times `gain`.
fn to_f64(bytes: &[u8], gain: f64) -> Vec<f64> {
    bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) * gain)
        .collect()
}

/// Encodes a sample (full scale ±1.0) rounded to the nearest step of `format` rather than
/// truncated: resampled values fall between steps, and truncation would add a bias.
pub fn encode_rounded(format: SampleFormat, x: f64, out: &mut [u8]) {
    match format.encoding() {
        Encoding::Float => encode_f64(format, x, out),
        _ => {
            let bits = match format.encoding() {
                Encoding::ALaw | Encoding::MuLaw => 16,
                _ => format.significant_bits().clamp(1, 32),
            };
            let scale = 2f64.powi(bits as i32 - 1);
            let top = scale - 1.0;
            let x = if x.is_nan() { 0.0 } else { x };
            let step = (x * scale).round().clamp(-scale, top) as i64;
            encode_i32(format, (step << (32 - bits)) as i32, out);
        }
    }
}

/// The recording thread: what passes through goes to the crash-safe writer.
struct RecordThread {
    tx: Option<SyncSender<Vec<u8>>>,
    thread: Option<JoinHandle<Result<Written>>>,
    lost: u64,
}

impl RecordThread {
    fn start(plan: &RecordPlan, spec: PcmSpec) -> Result<RecordThread> {
        let mut writer = RecordingWriter::create(RecordingPlan {
            target: plan.target.clone(),
            container: plan.container,
            spec,
            rollover: Rollover::default(),
            duration: None,
            force: plan.force,
        })?;
        // About four seconds of periods: a disk that stalls that long costs nothing.
        let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(512);
        let thread = std::thread::Builder::new()
            .name("loop-record".into())
            .spawn(move || -> Result<Written> {
                loop {
                    match rx.recv_timeout(Duration::from_millis(100)) {
                        Ok(chunk) => writer.write(&chunk)?,
                        Err(RecvTimeoutError::Timeout) => writer.checkpoint()?,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                writer.finish()
            })
            .map_err(|e| anyhow!("cannot start the recording thread: {e}"))?;
        Ok(RecordThread {
            tx: Some(tx),
            thread: Some(thread),
            lost: 0,
        })
    }

    /// Hands a piece to the writer; false once the writer has failed.
    fn send(&mut self, piece: &[u8]) -> bool {
        let Some(tx) = &self.tx else { return false };
        match tx.try_send(piece.to_vec()) {
            Ok(()) => true,
            Err(TrySendError::Full(chunk)) => {
                self.lost += chunk.len() as u64;
                true
            }
            // The writer failed: its error comes out of finish().
            Err(TrySendError::Disconnected(_)) => {
                self.tx = None;
                false
            }
        }
    }

    fn finish(mut self) -> (Result<Written>, u64) {
        drop(self.tx.take());
        let written = match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(anyhow!("the recording thread failed")),
        };
        (written, self.lost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::codec::decode_i32;

    #[test]
    fn rounded_encoding_hits_the_nearest_step() {
        let mut out = [0u8; 2];
        encode_rounded(SampleFormat::S16_LE, 0.5, &mut out);
        assert_eq!(i16::from_le_bytes(out), 16384);
        encode_rounded(SampleFormat::S16_LE, 1.0, &mut out);
        assert_eq!(i16::from_le_bytes(out), i16::MAX);
        encode_rounded(SampleFormat::S16_LE, -1.0, &mut out);
        assert_eq!(i16::from_le_bytes(out), i16::MIN);
        // Just under a step rounds up rather than truncating to the one below.
        encode_rounded(SampleFormat::S16_LE, 100.0 / 32768.0 - 1e-9, &mut out);
        assert_eq!(i16::from_le_bytes(out), 100);
        let mut wide = [0u8; 4];
        encode_rounded(SampleFormat::S32_LE, -0.25, &mut wide);
        assert_eq!(i32::from_le_bytes(wide), -(1 << 29));
        let mut u8_out = [0u8; 1];
        encode_rounded(SampleFormat::U8, 0.0, &mut u8_out);
        assert_eq!(u8_out[0], 0x80);
        let mut s24 = [0u8; 3];
        encode_rounded(SampleFormat::S24_3LE, 0.5, &mut s24);
        assert_eq!(decode_i32(SampleFormat::S24_3LE, &s24), 1 << 30);
    }

    #[test]
    fn floats_come_from_le_bytes_with_gain() {
        let bytes: Vec<u8> = [0.5f64, -1.0]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        assert_eq!(to_f64(&bytes, 0.5), vec![0.25, -0.5]);
    }
}
