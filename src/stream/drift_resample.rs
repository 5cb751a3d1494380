//! The resampler the duplex loop corrects drift with (and converts between two rates with, when
//! the output does not take the input's): rubato's asynchronous sinc resampler, whose ratio can
//! move by a few ppm at a time, smoothly, with no frame dropped or repeated.
//!
//! It works on interleaved `f64` frames in the output's channel layout. Switching from plain
//! pass-through to resampling in mid-stream must not shift the audio: [`DriftResampler::primed`]
//! feeds the frames that were just passed through, at a ratio of exactly 1 (where the sinc
//! filter is an identity), and discards the output up to where the pass-through ended.

use anyhow::{anyhow, Result};
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Adjustable, Async, FixedAsync, Resampler, SincInterpolationParameters, SincInterpolationType,
    WindowFunction,
};

/// Frames per resampler call: small, so the loop's latency barely grows.
const CHUNK_FRAMES: usize = 128;
/// Sinc length: ample for a ratio within a fraction of a percent of 1 (and for rate
/// conversion), short enough to cost little per frame and to build its tables quickly.
const SINC_LEN: usize = 64;
/// Frames of history [`DriftResampler::primed`] takes: the whole filter length.
pub const PRIME_FRAMES: usize = SINC_LEN;
/// How far the ratio may move from its base (relative): the drift correction's bound with room.
const MAX_RELATIVE: f64 = 1.01;

/// An asynchronous resampler with a queue in front of it, so any number of frames can go in.
pub struct DriftResampler {
    inner: Async<f64>,
    channels: usize,
    /// Input waiting for a whole chunk.
    queue: Vec<f64>,
    out: Vec<f64>,
    /// Output frames still to discard (the filter's delay, and the replayed history).
    skip: usize,
    relative: f64,
}

impl DriftResampler {
    /// A resampler from one rate to another (`ratio` = output rate / input rate). Its first
    /// output frame is the first input frame (the filter's delay is discarded).
    pub fn new(ratio: f64, channels: usize) -> Result<DriftResampler> {
        let parameters =
            SincInterpolationParameters::new(SINC_LEN, WindowFunction::BlackmanHarris2)
                .oversampling_factor(128)
                .interpolation(SincInterpolationType::Linear);
        let inner = Async::<f64>::new_sinc(
            ratio,
            MAX_RELATIVE,
            &parameters,
            CHUNK_FRAMES,
            channels.max(1),
            FixedAsync::Input,
        )
        .map_err(|e| anyhow!("cannot set up the resampler: {e}"))?;
        // rubato reports the sinc filter's half length; the first input frame comes out one
        // frame sooner (measured: see the priming test).
        let skip = inner.output_delay().saturating_sub(1);
        let out = vec![0.0; inner.output_frames_max() * channels.max(1)];
        Ok(DriftResampler {
            inner,
            channels: channels.max(1),
            queue: Vec::new(),
            out,
            skip,
            relative: 1.0,
        })
    }

    /// A resampler at a ratio of 1 that continues seamlessly after `history` (interleaved
    /// frames already sent on unchanged): its first output frame is the one after them.
    pub fn primed(channels: usize, history: &[f64]) -> Result<DriftResampler> {
        let mut resampler = DriftResampler::new(1.0, channels)?;
        resampler.prime(history)?;
        Ok(resampler)
    }

    /// Starts this resampler over at a ratio of 1, continuing seamlessly after `history`, as
    /// [`DriftResampler::primed`] does. Building one costs its filter tables (a noticeable
    /// moment on a slow machine): the loop builds it before it is needed and primes it here.
    pub fn prime(&mut self, history: &[f64]) -> Result<()> {
        self.inner.reset();
        self.inner
            .set_resample_ratio_relative(1.0, false)
            .map_err(|e| anyhow!("cannot reset the resampling ratio: {e}"))?;
        self.relative = 1.0;
        self.queue.clear();
        self.skip = self.inner.output_delay().saturating_sub(1) + history.len() / self.channels;
        let mut sink = Vec::new();
        self.process(history, &mut sink)
    }

    /// Sets the ratio relative to the base one (1 + correction), ramped over the next chunk.
    pub fn set_relative(&mut self, relative: f64) -> Result<()> {
        let relative = relative.clamp(1.0 / MAX_RELATIVE, MAX_RELATIVE);
        if relative != self.relative {
            self.inner
                .set_resample_ratio_relative(relative, true)
                .map_err(|e| anyhow!("cannot change the resampling ratio: {e}"))?;
            self.relative = relative;
        }
        Ok(())
    }

    /// Resamples `input` (whole interleaved frames), appending what comes out to `output`.
    pub fn process(&mut self, input: &[f64], output: &mut Vec<f64>) -> Result<()> {
        let channels = self.channels;
        self.queue.extend_from_slice(input);
        let mut used = 0;
        loop {
            let need = self.inner.input_frames_next();
            if (self.queue.len() - used) / channels < need {
                break;
            }
            let capacity = self.out.len() / channels;
            let source = InterleavedSlice::new(&self.queue[used..], channels, need)
                .map_err(|e| anyhow!("resampler input: {e}"))?;
            let mut sink = InterleavedSlice::new_mut(&mut self.out, channels, capacity)
                .map_err(|e| anyhow!("resampler output: {e}"))?;
            let (read, written) = self
                .inner
                .process_into_buffer(&source, &mut sink, None)
                .map_err(|e| anyhow!("resampling failed: {e}"))?;
            used += read * channels;
            let dropped = written.min(self.skip);
            self.skip -= dropped;
            output.extend_from_slice(&self.out[dropped * channels..written * channels]);
        }
        self.queue.drain(..used);
        Ok(())
    }

    /// Channels it resamples.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Frames waiting inside (the queue and the filter), for the fill level.
    pub fn pending_frames(&self) -> usize {
        self.queue.len() / self.channels + self.inner.output_delay()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(frames: usize, channels: usize) -> Vec<f64> {
        (0..frames * channels)
            .map(|i| ((i / channels) as f64 * 0.01).sin() * 0.5 + (i % channels) as f64 * 0.1)
            .collect()
    }

    #[test]
    fn at_a_ratio_of_one_it_continues_after_its_history_unchanged() {
        let signal = ramp(4000, 2);
        let (history, rest) = signal.split_at(PRIME_FRAMES * 2 * 3);
        let mut resampler = DriftResampler::primed(2, history).unwrap();
        let mut out = Vec::new();
        for piece in rest.chunks(2 * 300) {
            resampler.process(piece, &mut out).unwrap();
        }
        assert!(out.len() > 2 * 2000, "{}", out.len());
        for (i, (a, b)) in out.iter().zip(rest).enumerate() {
            // The filter's passband is not perfectly flat (-80 dB): within a few 16-bit steps.
            assert!((a - b).abs() < 1e-4, "sample {i}: {a} vs {b}");
        }
    }

    #[test]
    fn a_correction_changes_the_frame_count_by_as_much() {
        let mut resampler = DriftResampler::new(1.0, 1).unwrap();
        resampler.set_relative(1.0 + 1e-3).unwrap();
        let input = ramp(200_000, 1);
        let mut out = Vec::new();
        for piece in input.chunks(1000) {
            resampler.process(piece, &mut out).unwrap();
        }
        let expected = (200_000 - resampler.pending_frames()) as f64 * (1.0 + 1e-3);
        assert!(
            (out.len() as f64 - expected).abs() < 300.0,
            "{} vs {expected}",
            out.len()
        );
    }

    #[test]
    fn rates_convert() {
        let mut resampler = DriftResampler::new(48000.0 / 44100.0, 2).unwrap();
        let mut out = Vec::new();
        resampler.process(&ramp(44100, 2), &mut out).unwrap();
        let frames = out.len() / 2;
        assert!((47_500..=48_000).contains(&frames), "{frames}");
    }
}
