//! Sample-rate conversion in software, for a device that does not take a file's rate (play) or a
//! rate someone asked to record in (record), in interleaved `f32` frames of any length.
//!
//! The filters are rubato's windowed-sinc low-pass filters. For the everyday rate pairs (44.1 ↔
//! 48 kHz, 48 → 16 kHz, any pair whose ratio reduces to small numbers) the filter is applied by
//! FFT convolution (rubato's synchronous `Fft`): as clean as direct sinc interpolation, an order
//! of magnitude cheaper. Pairs whose ratio reduces to large numbers (44100 → 47999) would need
//! FFT blocks of a second or more; those go through direct sinc interpolation (rubato's `Async`),
//! slower but with short blocks. The [`Quality`] picks the filter's length, and so how close to
//! the Nyquist frequency it passes and how deep it stops:
//! - `fast`: blocks of about 512 input frames, computed in `f32`;
//! - `good` (the default): about 1024, in `f32`;
//! - `best`: about 4096, in `f64`.
//!
//! By FFT the length hardly changes the cost (blocks of 588 to 2352 frames cost the same within
//! 5%; shorter ones cost more, in per-block overhead), so `fast` and `good` differ in CPU mainly
//! where the direct interpolator runs: 64 taps against 256.
//!
//! Memory and latency stay bounded: each call processes what it is given in the resampler's
//! own chunks (about a thousand frames), keeping at most one chunk of input back. The filter's
//! delay is cut from the start and the tail is flushed out at the end ([`Resampler::finish`]),
//! so `n` frames in give exactly `floor(n × to / from)` frames out, aligned with the input.

use anyhow::{anyhow, Result};
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, Fft, FixedAsync, FixedSync, Indexing, Resampler as _, SincInterpolationParameters,
    SincInterpolationType, WindowFunction,
};

/// How hard the resampler works: the length of its filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Quality {
    Fast,
    #[default]
    Good,
    Best,
}

impl Quality {
    pub fn name(self) -> &'static str {
        match self {
            Quality::Fast => "fast",
            Quality::Good => "good",
            Quality::Best => "best",
        }
    }

    /// Input frames per FFT block (the filter's length), before rounding up to the rate pair's
    /// smallest block.
    fn fft_block(self) -> usize {
        match self {
            Quality::Fast => 512,
            Quality::Good => 1024,
            Quality::Best => 4096,
        }
    }

    /// Taps of the direct sinc interpolator, for rate pairs without a small FFT block.
    fn sinc_len(self) -> usize {
        match self {
            Quality::Fast => 64,
            Quality::Good => 256,
            Quality::Best => 512,
        }
    }
}

/// The largest FFT block (input frames) before direct sinc interpolation is used instead: a
/// tenth of a second at 44.1 kHz and more, so the FFT's delay and buffers stay small.
const MAX_FFT_BLOCK: usize = 8192;

/// Input frames per chunk the resampler processes.
const CHUNK_FRAMES: usize = 1024;

/// A sample type rubato computes in, and the conversions to and from the `f32` of the chain.
trait Float: rubato::Sample {
    fn widen(x: f32) -> Self;
    fn narrow(self) -> f32;
}

impl Float for f32 {
    fn widen(x: f32) -> Self {
        x
    }
    fn narrow(self) -> f32 {
        self
    }
}

impl Float for f64 {
    fn widen(x: f32) -> Self {
        f64::from(x)
    }
    fn narrow(self) -> f32 {
        self as f32
    }
}

/// A rubato resampler with the input it has not consumed yet.
struct Engine<T: Float> {
    inner: Box<dyn rubato::Resampler<T>>,
    channels: usize,
    /// Interleaved input not yet processed: less than one chunk between calls.
    pending: Vec<T>,
    /// One chunk of output.
    output: Vec<T>,
}

impl<T: Float> Engine<T> {
    fn new(inner: Box<dyn rubato::Resampler<T>>, channels: usize) -> Engine<T> {
        let output = vec![T::coerce_from(0.0f64); inner.output_frames_max() * channels];
        Engine {
            pending: Vec::with_capacity(inner.input_frames_max() * channels),
            inner,
            channels,
            output,
        }
    }

    /// Processes `input` (whole frames) and every whole chunk it completes, passing each piece
    /// of output to `emit`.
    fn push(&mut self, input: &[f32], emit: &mut dyn FnMut(&[T])) -> Result<()> {
        let mut input = input;
        loop {
            let need = self.inner.input_frames_next() * self.channels;
            let take = need.saturating_sub(self.pending.len()).min(input.len());
            self.pending
                .extend(input[..take].iter().map(|&x| T::widen(x)));
            input = &input[take..];
            if self.pending.len() < need {
                return Ok(());
            }
            self.run(None, emit)?;
            self.pending.clear();
        }
    }

    /// Processes what is pending, padded with silence to a whole chunk.
    fn push_partial(&mut self, emit: &mut dyn FnMut(&[T])) -> Result<()> {
        let frames = self.pending.len() / self.channels;
        let need = self.inner.input_frames_next() * self.channels;
        self.pending
            .resize(need.max(self.pending.len()), T::coerce_from(0.0f64));
        self.run(Some(frames), emit)?;
        self.pending.clear();
        Ok(())
    }

    fn run(&mut self, partial: Option<usize>, emit: &mut dyn FnMut(&[T])) -> Result<()> {
        let frames_in = self.pending.len() / self.channels;
        let frames_out = self.output.len() / self.channels;
        let input = InterleavedSlice::new(&self.pending[..], self.channels, frames_in)
            .map_err(|e| anyhow!("the resampler's input is malformed: {e}"))?;
        let mut output = InterleavedSlice::new_mut(&mut self.output[..], self.channels, frames_out)
            .map_err(|e| anyhow!("the resampler's output is malformed: {e}"))?;
        let indexing = partial.map(|n| Indexing::new().partial_len(n));
        let (_, written) = self
            .inner
            .process_into_buffer(&input, &mut output, indexing.as_ref())
            .map_err(|e| anyhow!("the resampler failed: {e}"))?;
        emit(&self.output[..written * self.channels]);
        Ok(())
    }
}

enum Inner {
    Single(Engine<f32>),
    Double(Engine<f64>),
}

/// One stream's sample-rate converter: interleaved `f32` frames in at one rate, out at another.
pub struct Resampler {
    from: u32,
    to: u32,
    channels: usize,
    quality: Quality,
    /// Whether the filter is applied by FFT (else direct sinc interpolation).
    fft: bool,
    inner: Inner,
    /// Output frames of the filter's delay still to drop.
    skip: u64,
    frames_in: u64,
    frames_out: u64,
}

impl Resampler {
    pub fn new(from: u32, to: u32, channels: usize, quality: Quality) -> Result<Resampler> {
        if from == 0 || to == 0 || channels == 0 {
            return Err(anyhow!(
                "cannot resample {from} Hz to {to} Hz in {channels} channels"
            ));
        }
        let gcd = gcd(from, to);
        let min_block = (from / gcd) as usize;
        // An even block: rubato's filter is centred on half a block, and its delay is counted
        // in whole output frames; an odd block would leave the output half an input frame
        // early.
        let step = if min_block % 2 == 0 {
            min_block
        } else {
            2 * min_block
        };
        let block = quality.fft_block().div_ceil(step).max(1) * step;
        let fft = block <= MAX_FFT_BLOCK;
        let fail = |e: rubato::ResamplerConstructionError| {
            anyhow!("cannot resample {from} Hz to {to} Hz: {e}")
        };
        // One engine in f64 for `best`, in f32 otherwise; the same construction for both.
        macro_rules! engine {
            ($variant:ident, $made:expr) => {{
                let r = $made.map_err(fail)?;
                let delay = r.output_delay();
                (Inner::$variant(Engine::new(Box::new(r), channels)), delay)
            }};
        }
        let (inner, delay) = if fft {
            // Whole blocks per chunk, about CHUNK_FRAMES, so rubato's blocks are exactly `block`.
            let sub_chunks = CHUNK_FRAMES.div_ceil(block).max(1);
            let chunk = block * sub_chunks;
            macro_rules! fft {
                ($t:ty) => {
                    Fft::<$t>::new_custom(
                        from as usize,
                        to as usize,
                        chunk,
                        sub_chunks,
                        channels,
                        WindowFunction::BlackmanHarris2,
                        FixedSync::Input,
                    )
                };
            }
            match quality {
                Quality::Best => engine!(Double, fft!(f64)),
                _ => engine!(Single, fft!(f32)),
            }
        } else {
            let parameters = SincInterpolationParameters::new(
                quality.sinc_len(),
                WindowFunction::BlackmanHarris2,
            )
            .oversampling_factor(256)
            .interpolation(SincInterpolationType::Linear);
            let ratio = f64::from(to) / f64::from(from);
            macro_rules! sinc {
                ($t:ty) => {
                    Async::<$t>::new_sinc(
                        ratio,
                        1.0,
                        &parameters,
                        CHUNK_FRAMES,
                        channels,
                        FixedAsync::Input,
                    )
                };
            }
            match quality {
                Quality::Best => engine!(Double, sinc!(f64)),
                _ => engine!(Single, sinc!(f32)),
            }
        };
        Ok(Resampler {
            from,
            to,
            channels,
            quality,
            fft,
            inner,
            skip: delay as u64,
            frames_in: 0,
            frames_out: 0,
        })
    }

    pub fn from_rate(&self) -> u32 {
        self.from
    }

    pub fn to_rate(&self) -> u32 {
        self.to
    }

    pub fn channels(&self) -> usize {
        self.channels
    }

    /// "44100 → 48000 Hz (good)", for `-v` and the status line.
    pub fn describe(&self) -> String {
        format!(
            "{} → {} Hz ({}{})",
            self.from,
            self.to,
            self.quality.name(),
            if self.fft { "" } else { ", direct sinc" }
        )
    }

    /// Output frames for `frames` input frames in all: what [`Resampler::finish`] brings the
    /// total to.
    pub fn output_frames_for(&self, frames: u64) -> u64 {
        (u128::from(frames) * u128::from(self.to) / u128::from(self.from)) as u64
    }

    /// Resamples `input` (interleaved, whole frames), appending what comes out to `out`. Up to
    /// a chunk of input is kept back until more arrives or [`Resampler::finish`].
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<()> {
        let frames = (input.len() / self.channels) as u64;
        let input = &input[..frames as usize * self.channels];
        self.frames_in += frames;
        let (skip, produced) = (&mut self.skip, &mut self.frames_out);
        let channels = self.channels;
        let limit = u64::MAX;
        match &mut self.inner {
            Inner::Single(e) => e.push(input, &mut |o| {
                collect(o, channels, skip, produced, limit, out)
            }),
            Inner::Double(e) => e.push(input, &mut |o| {
                collect(o, channels, skip, produced, limit, out)
            }),
        }
    }

    /// Flushes the filter: appends the rest of the output to `out`, so that the total is
    /// exactly [`Resampler::output_frames_for`] the input so far. The resampler is then done.
    pub fn finish(&mut self, out: &mut Vec<f32>) -> Result<()> {
        let target = self.output_frames_for(self.frames_in);
        let channels = self.channels;
        // The first round takes what is pending; later ones are silence, pushing the tail out.
        while self.frames_out < target {
            let before = self.frames_out;
            let (skip, produced) = (&mut self.skip, &mut self.frames_out);
            match &mut self.inner {
                Inner::Single(e) => {
                    e.push_partial(&mut |o| collect(o, channels, skip, produced, target, out))?
                }
                Inner::Double(e) => {
                    e.push_partial(&mut |o| collect(o, channels, skip, produced, target, out))?
                }
            }
            if self.frames_out == before && self.skip == 0 {
                // Not reachable with rubato's resamplers (every chunk gives output once the
                // delay is out): a guard against looping forever.
                break;
            }
        }
        Ok(())
    }
}

/// Appends a piece of output to `out` as `f32`, dropping the first `skip` frames (the filter's
/// delay) and anything beyond `limit` frames in all.
fn collect<T: Float>(
    piece: &[T],
    channels: usize,
    skip: &mut u64,
    produced: &mut u64,
    limit: u64,
    out: &mut Vec<f32>,
) {
    let frames = (piece.len() / channels) as u64;
    let dropped = (*skip).min(frames);
    *skip -= dropped;
    let kept = (frames - dropped).min(limit.saturating_sub(*produced));
    let start = dropped as usize * channels;
    let end = start + kept as usize * channels;
    out.extend(piece[start..end].iter().map(|&x| x.narrow()));
    *produced += kept;
}

fn gcd(a: u32, b: u32) -> u32 {
    let (mut a, mut b) = (a, b);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(frequency: f64, rate: u32, frames: usize, channels: usize) -> Vec<f32> {
        (0..frames)
            .flat_map(|i| {
                let x = (2.0 * std::f64::consts::PI * frequency * i as f64 / f64::from(rate)).sin()
                    as f32
                    * 0.5;
                std::iter::repeat_n(x, channels)
            })
            .collect()
    }

    /// Feeds `input` in pieces of `piece` frames and finishes.
    fn run(r: &mut Resampler, input: &[f32], piece: usize) -> Vec<f32> {
        let mut out = Vec::new();
        for chunk in input.chunks(piece * r.channels()) {
            r.process(chunk, &mut out).unwrap();
        }
        r.finish(&mut out).unwrap();
        out
    }

    #[test]
    fn lengths_are_exact_whatever_the_pieces() {
        for (from, to) in [
            (44100, 48000),
            (48000, 16000),
            (8000, 44100),
            (44100, 48001),
        ] {
            for quality in [Quality::Fast, Quality::Good, Quality::Best] {
                for (frames, piece) in [(0usize, 7usize), (1, 1), (1000, 333), (20011, 4096)] {
                    let mut r = Resampler::new(from, to, 2, quality).unwrap();
                    let out = run(&mut r, &sine(440.0, from, frames, 2), piece);
                    let want = frames as u64 * u64::from(to) / u64::from(from);
                    assert_eq!(
                        out.len() as u64,
                        want * 2,
                        "{from}->{to} {quality:?} {frames}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_output_is_aligned_with_the_input() {
        // A sine resampled and compared with the same sine computed at the new rate: the
        // filter's delay is gone (away from the ends, where the filter sees silence).
        for quality in [Quality::Fast, Quality::Good, Quality::Best] {
            let mut r = Resampler::new(44100, 48000, 1, quality).unwrap();
            let out = run(&mut r, &sine(1000.0, 44100, 44100, 1), 1000);
            let want = sine(1000.0, 48000, 48000, 1);
            let worst = out[4800..43200]
                .iter()
                .zip(&want[4800..43200])
                .map(|(a, b)| (a - b).abs())
                .fold(0f32, f32::max);
            // Within a few f32 roundings of the exact values (-120 dB of the 0.5 amplitude).
            assert!(worst < 1e-5, "{quality:?}: off by {worst}");
        }
    }

    #[test]
    fn large_ratios_use_direct_sinc_and_small_ones_the_fft() {
        let odd = Resampler::new(44100, 48001, 2, Quality::Good).unwrap();
        assert!(odd.describe().contains("direct sinc"), "{}", odd.describe());
        let common = Resampler::new(44100, 48000, 2, Quality::Good).unwrap();
        assert_eq!(common.describe(), "44100 → 48000 Hz (good)");
        assert!(Resampler::new(0, 48000, 2, Quality::Good).is_err());
        assert_eq!(gcd(44100, 48000), 300);
    }
}
