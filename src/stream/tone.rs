//! A sine tone as a [`PcmSource`] (PyAlsaAudio's isine.py): mono 32-bit float at whatever rate
//! the device runs, endless or for a given number of frames, retunable while it plays through
//! its [`Tuner`]: a new frequency starts at the next upward zero crossing, phase-continuous, so
//! the change makes no click and lands within one cycle of the tone.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Result;

use crate::sample::format::SampleFormat;
use crate::spec::PcmSpec;
use crate::stream::source::PcmSource;

/// Peak level of the tone: -6 dBFS, loud enough to hear and far from clipping.
pub const AMPLITUDE: f64 = 0.5;

/// Where a tone's frequency is asked to change (from another thread or the same one), and what
/// it is now.
#[derive(Debug, Default)]
pub struct Tuner {
    /// The frequency asked for, as f64 bits; 0: nothing asked.
    wanted: AtomicU64,
    /// The frequency playing, as f64 bits.
    playing: AtomicU64,
}

impl Tuner {
    /// Asks for `hz` (above 0; the caller checks it is below half the rate).
    pub fn retune(&self, hz: f64) {
        self.wanted.store(hz.to_bits(), Ordering::SeqCst);
    }

    /// The frequency the tone generates now (a retune shows once it has landed).
    pub fn frequency(&self) -> f64 {
        f64::from_bits(self.playing.load(Ordering::SeqCst))
    }

    /// The frequency last asked for, or playing if none is pending.
    pub fn target(&self) -> f64 {
        match self.wanted.load(Ordering::SeqCst) {
            0 => self.frequency(),
            bits => f64::from_bits(bits),
        }
    }

    fn take_wanted(&self) -> Option<f64> {
        match self.wanted.swap(0, Ordering::SeqCst) {
            0 => None,
            bits => Some(f64::from_bits(bits)),
        }
    }
}

pub struct Sine {
    frequency: f64,
    rate: u32,
    /// Index of the next frame.
    next: u64,
    frames_left: Option<u64>,
    /// Where the current frequency started, at phase 0: `offset` (a fraction of a frame, in
    /// [0, 1)) after frame `origin`. The phase is computed from there, so it never drifts.
    origin: u64,
    offset: f64,
    /// A retune waiting for its zero crossing: from frame `at` on, `frequency` from phase 0 at
    /// `offset` after `origin`.
    switch: Option<Switch>,
    tuner: Arc<Tuner>,
}

#[derive(Clone, Copy, Debug)]
struct Switch {
    at: u64,
    frequency: f64,
    origin: u64,
    offset: f64,
}

impl Sine {
    pub fn new(frequency: f64, rate: u32, frames: Option<u64>) -> Sine {
        let tuner = Arc::new(Tuner::default());
        tuner.playing.store(frequency.to_bits(), Ordering::SeqCst);
        Sine {
            frequency,
            rate,
            next: 0,
            frames_left: frames,
            origin: 0,
            offset: 0.0,
            switch: None,
            tuner,
        }
    }

    /// The handle through which the frequency changes while playing.
    pub fn tuner(&self) -> Arc<Tuner> {
        self.tuner.clone()
    }

    fn sample(&self, index: u64) -> f32 {
        // Cycles since the current frequency started, reduced to one cycle, so that precision
        // holds for hours.
        let cycles = (((index - self.origin) as f64 - self.offset) * self.frequency
            / f64::from(self.rate))
        .fract();
        (AMPLITUDE * (std::f64::consts::TAU * cycles).sin()) as f32
    }

    /// Takes a retune asked for, to start at the next upward zero crossing from the next frame.
    fn schedule_retune(&mut self) {
        let Some(frequency) = self.tuner.take_wanted() else {
            return;
        };
        let rate = f64::from(self.rate);
        // Whole cycles of the current frequency up to the next frame, rounded up: the crossing,
        // as frames from the origin.
        let cycles = ((self.next - self.origin) as f64 - self.offset) * self.frequency / rate;
        let crossing = cycles.ceil() * rate / self.frequency + self.offset;
        let whole = crossing.floor();
        let origin = self.origin + whole as u64;
        let offset = crossing - whole;
        // The first frame on the new frequency is the first at or after the crossing.
        let at = if offset > 0.0 { origin + 1 } else { origin };
        self.switch = Some(Switch {
            at: at.max(self.next),
            frequency,
            origin,
            offset,
        });
    }

    fn apply_switch_at(&mut self, index: u64) {
        if let Some(switch) = self.switch.filter(|s| index >= s.at) {
            self.frequency = switch.frequency;
            self.origin = switch.origin;
            self.offset = switch.offset;
            self.switch = None;
            self.tuner
                .playing
                .store(switch.frequency.to_bits(), Ordering::SeqCst);
        }
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
        self.schedule_retune();
        let first = self.next;
        let frames = self.advance((buf.len() / 4) as u64);
        for (i, out) in buf.chunks_exact_mut(4).take(frames as usize).enumerate() {
            let index = first + i as u64;
            self.apply_switch_at(index);
            out.copy_from_slice(&self.sample(index).to_le_bytes());
        }
        Ok(frames as usize * 4)
    }

    fn skip_frames(&mut self, frames: u64) -> Result<u64> {
        self.schedule_retune();
        let skipped = self.advance(frames);
        // A switch passed over still happened, at its crossing.
        if self.next > 0 {
            self.apply_switch_at(self.next - 1);
        }
        Ok(skipped)
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

    fn samples(sine: &mut Sine, frames: usize) -> Vec<f32> {
        let mut buf = vec![0u8; 4 * frames];
        let n = sine.read_frames(&mut buf).unwrap();
        buf[..n]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    }

    #[test]
    fn a_retune_lands_at_a_zero_crossing_without_a_jump() {
        let rate = 48000;
        for (from, to) in [
            (440.0, 1000.0),
            (1000.0, 440.0),
            (997.3, 3001.7),
            (50.0, 51.0),
        ] {
            let mut sine = Sine::new(from, rate, None);
            let tuner = sine.tuner();
            let mut all = samples(&mut sine, 1234);
            tuner.retune(to);
            assert_eq!(tuner.frequency(), from);
            all.extend(samples(&mut sine, 4800));
            assert_eq!(tuner.frequency(), to);
            // No step larger than the faster sine's own slope allows (2π f A / rate a frame).
            let max_step = std::f64::consts::TAU * from.max(to) * AMPLITUDE / f64::from(rate);
            for (i, w) in all.windows(2).enumerate() {
                let step = f64::from((w[1] - w[0]).abs());
                assert!(step <= max_step * 1.01, "{from}->{to}: step {step} at {i}");
            }
            // Within one cycle of the old frequency after the request, and at an upward
            // crossing: the new frequency's samples reproduce a sine from phase 0 there.
            let cycle = (f64::from(rate) / from).ceil() as usize + 1;
            let switched = (1234..1234 + cycle)
                .find(|&i| all[i - 1] < 0.0 && all[i] >= 0.0)
                .expect("a crossing within a cycle");
            let later = &all[switched..switched + 100];
            let crossings = all[switched + 1..]
                .windows(2)
                .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
                .count();
            let expected = (all.len() - switched - 1) as f64 * to / f64::from(rate);
            assert!(
                (crossings as f64 - expected).abs() <= 1.5,
                "{from}->{to}: {crossings} crossings, expected about {expected}"
            );
            assert!(later[0] >= 0.0 && later[0] < max_step as f32);
        }
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
