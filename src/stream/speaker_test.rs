//! The speaker test: a test signal on one channel at a time, the others silent, in a given order
//! of channels, with keys (from the caller) to repeat, skip back and forth or quit.
//!
//! The signals: band-limited pink noise (500 Hz to 2 kHz, as speaker-test's), a sine and a
//! logarithmic sweep. Levels are in dBFS relative to a full-scale sine (AES17): a sine or sweep
//! at -18 dBFS peaks at -18 dBFS, noise at -18 dBFS has that sine's RMS. A channel that feeds a
//! subwoofer (LFE) gets the same kind of signal in a subwoofer's band instead, since its
//! crossover would remove most of the normal band and the speaker would seem dead.
//!
//! Each segment fades in and out over a few milliseconds (a hard start clicks on every speaker),
//! and a short silence separates one channel from the next, so that two speakers next to each
//! other can be told apart.

use std::time::Duration;

use anyhow::Result;

use crate::device::chmap::Position;
use crate::device::pcm_io::{PcmStream, Transfer};
use crate::sample::convert::Conversion;
use crate::sample::format::SampleFormat;
use crate::spec::frames_in;

/// The signal to play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Pink,
    Sine,
    Sweep,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Pink => "pink",
            Signal::Sine => "sine",
            Signal::Sweep => "sweep",
        }
    }
}

/// The band of pink noise on a full-range channel.
pub const PINK_BAND: (f64, f64) = (500.0, 2000.0);
/// The band of pink noise on a subwoofer channel.
pub const LFE_PINK_BAND: (f64, f64) = (40.0, 120.0);
/// The sine's frequency on a full-range channel (speaker-test's default) and on a subwoofer.
pub const SINE_HZ: f64 = 440.0;
pub const LFE_SINE_HZ: f64 = 60.0;
/// The sweep's range; its top is kept below 45% of the rate.
pub const SWEEP_BAND: (f64, f64) = (20.0, 20_000.0);
pub const LFE_SWEEP_BAND: (f64, f64) = (20.0, 120.0);

/// Fade in and out over this long (at most a quarter of a segment).
pub const FADE: Duration = Duration::from_millis(10);
/// Silence between one channel's segment and the next.
pub const GAP: Duration = Duration::from_millis(250);
/// Noise is made ahead in bursts of at most this long, repeated for longer segments (so that
/// memory stays small however long a segment is).
const MAX_NOISE: Duration = Duration::from_secs(10);

/// What to play.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub signal: Signal,
    /// dBFS, at most 0.
    pub level_db: f64,
    /// How long each channel plays.
    pub segment: Duration,
    /// Channel indexes, in the order to play them.
    pub order: Vec<usize>,
    /// How many times to go through `order`; 0 is until quit.
    pub loops: u32,
}

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Play the current channel again.
    Repeat,
    /// Move on to the next channel now.
    Next,
    /// Go back to the previous channel now.
    Previous,
    /// Stop (successfully).
    Quit,
    /// Stop as Ctrl-C does.
    Interrupt,
}

/// How the test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every loop was played (and the device drained).
    Finished,
    /// The user quit.
    Quit,
    /// Ctrl-C, SIGTERM or SIGHUP.
    Interrupted,
}

/// One segment that was played.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub channel: usize,
    /// 1-based pass through the order.
    pub pass: u32,
    /// Whether it played to its end (not cut short by a key or a stop).
    pub complete: bool,
}

/// What the caller sees and says while the test runs.
pub trait Listener {
    /// `channel` starts playing, in pass `pass` (1-based).
    fn starting(&mut self, channel: usize, pass: u32);
    /// A key pressed since the last call, if any. Called between pieces of audio.
    fn control(&mut self) -> Option<Control>;
}

/// The sound of one channel's segment, before fades.
enum Tone {
    /// A burst of noise at the right level, repeated.
    Noise(Vec<f32>),
    Sine {
        hz: f64,
        amplitude: f64,
    },
    Sweep {
        from: f64,
        to: f64,
        amplitude: f64,
    },
}

impl Tone {
    fn new(signal: Signal, lfe: bool, level_db: f64, rate: u32, segment_frames: u64) -> Tone {
        let amplitude = 10f64.powf(level_db / 20.0);
        match signal {
            Signal::Pink => {
                let band = if lfe { LFE_PINK_BAND } else { PINK_BAND };
                let frames = segment_frames.min(frames_in(MAX_NOISE, rate)).max(1) as usize;
                // Same RMS as a sine of that peak.
                Tone::Noise(pink_burst(band, rate, frames, amplitude / 2f64.sqrt()))
            }
            Signal::Sine => Tone::Sine {
                hz: if lfe { LFE_SINE_HZ } else { SINE_HZ },
                amplitude,
            },
            Signal::Sweep => {
                let (from, to) = if lfe { LFE_SWEEP_BAND } else { SWEEP_BAND };
                Tone::Sweep {
                    from,
                    to: to.min(0.45 * f64::from(rate)),
                    amplitude,
                }
            }
        }
    }

    /// Sample `i` of a segment of `frames` frames at `rate`.
    fn sample(&self, i: u64, frames: u64, rate: u32) -> f64 {
        let rate = f64::from(rate);
        match self {
            Tone::Noise(burst) => f64::from(burst[(i % burst.len() as u64) as usize]),
            Tone::Sine { hz, amplitude } => {
                // The phase from the index, reduced to one cycle, so it never drifts.
                let cycles = (i as f64 * hz / rate).fract();
                amplitude * (std::f64::consts::TAU * cycles).sin()
            }
            Tone::Sweep {
                from,
                to,
                amplitude,
            } => {
                // Exponential sweep: the frequency goes from `from` to `to` over the segment;
                // the phase is the integral of that frequency.
                let length = frames.max(1) as f64 / rate;
                let k = (to / from).ln();
                let t = i as f64 / rate;
                let cycles = from * length / k * ((t / length * k).exp() - 1.0);
                amplitude * (std::f64::consts::TAU * cycles.fract()).sin()
            }
        }
    }
}

/// `frames` of pink noise (Paul Kellet's filter on white noise) band-passed to `band` (fourth
/// order on each side), scaled to exactly `rms`. Deterministic: the same call makes the same
/// noise, so a test can be heard (and measured) the same way twice.
pub fn pink_burst(band: (f64, f64), rate: u32, frames: usize, rms: f64) -> Vec<f32> {
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut white = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    };
    let mut b = [0f64; 7];
    let mut filters = [
        Biquad::high_pass(band.0, rate),
        Biquad::high_pass(band.0, rate),
        Biquad::low_pass(band.1.min(0.45 * f64::from(rate)), rate),
        Biquad::low_pass(band.1.min(0.45 * f64::from(rate)), rate),
    ];
    let mut next = move || {
        let w = white();
        b[0] = 0.99886 * b[0] + w * 0.0555179;
        b[1] = 0.99332 * b[1] + w * 0.0750759;
        b[2] = 0.96900 * b[2] + w * 0.1538520;
        b[3] = 0.86650 * b[3] + w * 0.3104856;
        b[4] = 0.55000 * b[4] + w * 0.5329522;
        b[5] = -0.7616 * b[5] - w * 0.0168980;
        let pink = b.iter().sum::<f64>() + w * 0.5362;
        b[6] = w * 0.115926;
        filters.iter_mut().fold(pink, |x, f| f.run(x))
    };
    // Let the filters settle (the lowest band's take longest) before keeping anything.
    for _ in 0..frames_in(Duration::from_millis(500), rate) {
        next();
    }
    let raw: Vec<f64> = (0..frames).map(|_| next()).collect();
    let power = raw.iter().map(|x| x * x).sum::<f64>() / raw.len().max(1) as f64;
    let gain = if power > 0.0 { rms / power.sqrt() } else { 0.0 };
    raw.iter()
        .map(|x| (x * gain).clamp(-1.0, 1.0) as f32)
        .collect()
}

/// A second-order Butterworth section (the Audio EQ Cookbook's), direct form I.
struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
    x: [f64; 2],
    y: [f64; 2],
}

impl Biquad {
    fn new(hz: f64, rate: u32, high: bool) -> Biquad {
        let w = std::f64::consts::TAU * hz / f64::from(rate.max(1));
        let alpha = w.sin() / 2f64.sqrt();
        let cos = w.cos();
        let a0 = 1.0 + alpha;
        let b = if high {
            [(1.0 + cos) / 2.0, -(1.0 + cos), (1.0 + cos) / 2.0]
        } else {
            [(1.0 - cos) / 2.0, 1.0 - cos, (1.0 - cos) / 2.0]
        };
        Biquad {
            b: [b[0] / a0, b[1] / a0, b[2] / a0],
            a: [-2.0 * cos / a0, (1.0 - alpha) / a0],
            x: [0.0; 2],
            y: [0.0; 2],
        }
    }

    fn high_pass(hz: f64, rate: u32) -> Biquad {
        Biquad::new(hz, rate, true)
    }

    fn low_pass(hz: f64, rate: u32) -> Biquad {
        Biquad::new(hz, rate, false)
    }

    fn run(&mut self, x: f64) -> f64 {
        let y = self.b[0] * x + self.b[1] * self.x[0] + self.b[2] * self.x[1]
            - self.a[0] * self.y[0]
            - self.a[1] * self.y[1];
        self.x = [x, self.x[0]];
        self.y = [y, self.y[0]];
        y
    }
}

/// Gain of a raised-cosine fade at `i` of `length` frames (0 to 1).
fn fade(i: u64, length: u64) -> f64 {
    if i >= length {
        return 1.0;
    }
    0.5 - 0.5 * (std::f64::consts::PI * i as f64 / length as f64).cos()
}

/// How a segment ended.
enum SegmentEnd {
    Complete,
    Control(Control),
    Stopped,
}

/// Plays `plan` on `stream` (opened for `channels` channels) with `positions` saying which
/// channels feed a subwoofer. Returns how it ended and every segment played; after
/// [`Outcome::Finished`] the caller drains the stream, after the others it aborts it.
pub struct SpeakerTest<'a> {
    stream: &'a mut PcmStream,
    plan: &'a Plan,
    positions: &'a [Position],
    rate: u32,
    channels: usize,
    conversion: Option<Conversion>,
    /// Frames per piece written: about a period, so keys are seen that often.
    piece: usize,
    segment_frames: u64,
    fade_frames: u64,
    gap_frames: u64,
    full_range: Tone,
    subwoofer: Option<Tone>,
    samples: Vec<f32>,
    bytes: Vec<u8>,
    converted: Vec<u8>,
}

impl<'a> SpeakerTest<'a> {
    pub fn new(stream: &'a mut PcmStream, plan: &'a Plan, positions: &'a [Position]) -> Self {
        let negotiated = stream.negotiated;
        let rate = negotiated.spec.rate;
        let channels = negotiated.spec.channels as usize;
        let conversion = Conversion::new(
            SampleFormat::FLOAT_LE,
            negotiated.spec.channels,
            negotiated.spec.format,
            negotiated.spec.channels,
        );
        let segment_frames = frames_in(plan.segment, rate).max(1);
        let is_lfe = |c: &usize| positions.get(*c).is_some_and(|p| p.is_subwoofer());
        let subwoofer = plan
            .order
            .iter()
            .any(is_lfe)
            .then(|| Tone::new(plan.signal, true, plan.level_db, rate, segment_frames));
        SpeakerTest {
            plan,
            positions,
            rate,
            channels,
            conversion: (!conversion.is_identity()).then_some(conversion),
            piece: negotiated.period_frames.clamp(256, 4096),
            segment_frames,
            fade_frames: frames_in(FADE, rate).min(segment_frames / 4),
            gap_frames: frames_in(GAP, rate),
            full_range: Tone::new(plan.signal, false, plan.level_db, rate, segment_frames),
            subwoofer,
            samples: Vec::new(),
            bytes: Vec::new(),
            converted: Vec::new(),
            stream,
        }
    }

    /// Runs the plan; `played` collects the segments as they are played.
    pub fn run(
        &mut self,
        listener: &mut dyn Listener,
        played: &mut Vec<Segment>,
    ) -> Result<Outcome> {
        let n = self.plan.order.len() as u64;
        if n == 0 {
            return Ok(Outcome::Finished);
        }
        let total = (self.plan.loops > 0).then(|| u64::from(self.plan.loops) * n);
        let mut step: u64 = 0;
        loop {
            if total.is_some_and(|t| step >= t) {
                return Ok(Outcome::Finished);
            }
            let channel = self.plan.order[(step % n) as usize];
            let pass = u32::try_from(step / n + 1).unwrap_or(u32::MAX);
            listener.starting(channel, pass);
            let end = self.segment(channel, listener)?;
            played.push(Segment {
                channel,
                pass,
                complete: matches!(end, SegmentEnd::Complete),
            });
            let control = match end {
                SegmentEnd::Stopped => return Ok(Outcome::Interrupted),
                SegmentEnd::Control(control) => Some(control),
                // A pause before the next channel (none after the last), in which a key
                // still refers to the channel just played.
                SegmentEnd::Complete if total.is_some_and(|t| step + 1 >= t) => None,
                SegmentEnd::Complete => match self.silence(self.gap_frames, listener)? {
                    SegmentEnd::Stopped => return Ok(Outcome::Interrupted),
                    SegmentEnd::Control(control) => Some(control),
                    SegmentEnd::Complete => None,
                },
            };
            match control {
                None | Some(Control::Next) => step += 1,
                Some(Control::Repeat) => {}
                Some(Control::Previous) => step = step.saturating_sub(1),
                Some(Control::Quit) => return Ok(Outcome::Quit),
                Some(Control::Interrupt) => return Ok(Outcome::Interrupted),
            }
        }
    }

    /// Plays one channel's segment; a key cuts it short (with a quick fade-out).
    fn segment(&mut self, channel: usize, listener: &mut dyn Listener) -> Result<SegmentEnd> {
        let frames = self.segment_frames;
        let fade_frames = self.fade_frames;
        let lfe_tone = self
            .positions
            .get(channel)
            .is_some_and(|p| p.is_subwoofer());
        let mut i: u64 = 0;
        let mut end = frames;
        let mut cut: Option<(Control, u64)> = None;
        while i < end {
            let count = (end - i).min(self.piece as u64);
            self.samples.clear();
            self.samples.resize(count as usize * self.channels, 0.0);
            let tone = match (&self.subwoofer, lfe_tone) {
                (Some(sub), true) => sub,
                _ => &self.full_range,
            };
            for k in 0..count {
                let at = i + k;
                let mut gain = fade(at, fade_frames) * fade(frames - 1 - at, fade_frames);
                if let Some((_, from)) = cut {
                    gain *= 1.0 - fade(at - from, fade_frames.max(1));
                }
                let value = tone.sample(at, frames, self.rate) * gain;
                self.samples[k as usize * self.channels + channel] = value as f32;
            }
            if self.write()? == Transfer::Stopped {
                return Ok(SegmentEnd::Stopped);
            }
            i += count;
            if cut.is_none() {
                if let Some(control) = listener.control() {
                    // Fade out from here rather than stop dead (a click).
                    cut = Some((control, i));
                    end = (i + fade_frames).min(frames);
                }
            }
        }
        Ok(match cut {
            Some((control, _)) => SegmentEnd::Control(control),
            None => SegmentEnd::Complete,
        })
    }

    /// Plays `frames` of silence, unless a key comes first.
    fn silence(&mut self, frames: u64, listener: &mut dyn Listener) -> Result<SegmentEnd> {
        let mut i = 0;
        while i < frames {
            let count = (frames - i).min(self.piece as u64);
            self.samples.clear();
            self.samples.resize(count as usize * self.channels, 0.0);
            if self.write()? == Transfer::Stopped {
                return Ok(SegmentEnd::Stopped);
            }
            i += count;
            if let Some(control) = listener.control() {
                return Ok(SegmentEnd::Control(control));
            }
        }
        Ok(SegmentEnd::Complete)
    }

    /// Writes `samples` to the device in its format.
    fn write(&mut self) -> Result<Transfer> {
        self.bytes.clear();
        self.bytes
            .extend(self.samples.iter().flat_map(|s| s.to_le_bytes()));
        match &self.conversion {
            None => self.stream.write(&self.bytes),
            Some(conversion) => {
                conversion.convert(&self.bytes, &mut self.converted);
                self.stream.write(&self.converted)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rms(x: &[f32]) -> f64 {
        (x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / x.len() as f64).sqrt()
    }

    /// Power at `hz` (Goertzel), normalized by length.
    fn power_at(x: &[f32], hz: f64, rate: u32) -> f64 {
        let w = std::f64::consts::TAU * hz / f64::from(rate);
        let (mut s1, mut s2) = (0.0, 0.0);
        for &v in x {
            let s = f64::from(v) + 2.0 * w.cos() * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        (s1 * s1 + s2 * s2 - 2.0 * w.cos() * s1 * s2) / x.len() as f64
    }

    #[test]
    fn pink_noise_has_its_level_and_band() {
        let level = 10f64.powf(-18.0 / 20.0) / 2f64.sqrt();
        let burst = pink_burst(PINK_BAND, 48000, 48000, level);
        assert!((rms(&burst) - level).abs() < 1e-4, "{}", rms(&burst));
        let inside = power_at(&burst, 1000.0, 48000);
        let below = power_at(&burst, 100.0, 48000);
        let above = power_at(&burst, 8000.0, 48000);
        assert!(inside > 100.0 * below, "{inside} vs {below} at 100 Hz");
        assert!(inside > 100.0 * above, "{inside} vs {above} at 8 kHz");
        // The same call makes the same noise.
        assert_eq!(burst, pink_burst(PINK_BAND, 48000, 48000, level));
        let sub = pink_burst(LFE_PINK_BAND, 48000, 48000, level);
        assert!(power_at(&sub, 80.0, 48000) > 100.0 * power_at(&sub, 1000.0, 48000));
    }

    #[test]
    fn sine_and_sweep_peak_at_the_level() {
        let frames = 48000;
        for signal in [Signal::Sine, Signal::Sweep] {
            let tone = Tone::new(signal, false, -18.0, 48000, frames);
            let peak = (0..frames)
                .map(|i| tone.sample(i, frames, 48000).abs())
                .fold(0.0, f64::max);
            let db = 20.0 * peak.log10();
            assert!((db + 18.0).abs() < 0.01, "{signal:?}: {db}");
        }
        // The sweep starts low and ends high: count zero crossings in the first and last 10 ms.
        let tone = Tone::new(Signal::Sweep, false, -18.0, 48000, frames);
        let crossings = |from: u64| {
            (from..from + 480)
                .filter(|&i| {
                    (tone.sample(i, frames, 48000) < 0.0)
                        != (tone.sample(i + 1, frames, 48000) < 0.0)
                })
                .count()
        };
        assert!(crossings(0) < 3 && crossings(frames - 482) > 100);
    }

    #[test]
    fn fades_are_smooth_and_reach_one() {
        assert_eq!(fade(0, 480), 0.0);
        assert!((fade(240, 480) - 0.5).abs() < 1e-9);
        assert_eq!(fade(480, 480), 1.0);
        assert_eq!(fade(5, 0), 1.0);
    }
}
