//! A sine tone as a [`PcmSource`] (PyAlsaAudio's isine.py): mono 32-bit float at whatever rate
//! the device runs, endless or for a given number of frames.

use anyhow::Result;

use crate::sample::format::SampleFormat;
use crate::spec::PcmSpec;
use crate::stream::source::PcmSource;

/// Peak level of the tone: -6 dBFS, loud enough to hear and far from clipping.
pub const AMPLITUDE: f64 = 0.5;

pub struct Sine {
    frequency: f64,
    rate: u32,
    /// Index of the next frame; the phase is computed from it so it never drifts.
    next: u64,
    frames_left: Option<u64>,
}

impl Sine {
    pub fn new(frequency: f64, rate: u32, frames: Option<u64>) -> Sine {
        Sine {
            frequency,
            rate,
            next: 0,
            frames_left: frames,
        }
    }

    fn sample(&self, index: u64) -> f32 {
        // Reduce the index to one period's worth of cycles first, so precision holds for hours.
        let cycles = (index as f64 * self.frequency / f64::from(self.rate)).fract();
        (AMPLITUDE * (std::f64::consts::TAU * cycles).sin()) as f32
    }

    /// Moves on by up to `wanted` frames (fewer at the end of a set length); returns how many.
    fn advance(&mut self, wanted: u64) -> u64 {
        let frames = self.frames_left.map_or(wanted, |left| left.min(wanted));
        self.next += frames;
        if let Some(left) = &mut self.frames_left {
            *left -= frames;
        }
        frames
    }
}

impl PcmSource for Sine {
    fn spec(&self) -> PcmSpec {
        PcmSpec {
            format: SampleFormat::FLOAT_LE,
            channels: 1,
            rate: self.rate,
        }
    }

    fn frames_left(&self) -> Option<u64> {
        self.frames_left
    }

    fn read_frames(&mut self, buf: &mut [u8]) -> Result<usize> {
        let first = self.next;
        let frames = self.advance((buf.len() / 4) as u64);
        for (i, out) in buf.chunks_exact_mut(4).take(frames as usize).enumerate() {
            out.copy_from_slice(&self.sample(first + i as u64).to_le_bytes());
        }
        Ok(frames as usize * 4)
    }

    fn skip_frames(&mut self, frames: u64) -> Result<u64> {
        Ok(self.advance(frames))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sine_has_its_frequency_length_and_level() {
        let mut sine = Sine::new(1000.0, 48000, Some(4800));
        let mut buf = vec![0u8; 4 * 10_000];
        let n = sine.read_frames(&mut buf).unwrap();
        assert_eq!(n, 4800 * 4);
        assert_eq!(sine.read_frames(&mut buf).unwrap(), 0);
        let samples: Vec<f32> = buf[..n]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let crossings = samples
            .windows(2)
            .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
            .count();
        // 100 ms of 1 kHz: 100 upward zero crossings (give or take the edges).
        assert!((99..=100).contains(&crossings), "{crossings}");
        let peak = samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!((peak - 0.5).abs() < 1e-3, "{peak}");
    }

    #[test]
    fn endless_and_skipping() {
        let mut sine = Sine::new(440.0, 8000, None);
        assert_eq!(sine.frames_left(), None);
        assert_eq!(sine.skip_frames(100).unwrap(), 100);
        let mut buf = [0u8; 12];
        assert_eq!(sine.read_frames(&mut buf).unwrap(), 12);
    }
}
