//! What a stream of PCM bytes is, in one type used everywhere (files, devices, recordings), and
//! the frame arithmetic that goes with it.

use std::time::Duration;

use crate::sample::format::{channels_label, SampleFormat};

/// What a stream of PCM bytes holds: interleaved frames of `channels` samples of `format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcmSpec {
    pub format: SampleFormat,
    pub channels: u32,
    pub rate: u32,
}

impl PcmSpec {
    pub fn bytes_per_frame(&self) -> usize {
        self.format.bytes() * self.channels as usize
    }

    /// "S16_LE, 48000 Hz, stereo", as aplay's header line says it.
    pub fn describe(&self) -> String {
        format!(
            "{}, {} Hz, {}",
            self.format,
            self.rate,
            channels_label(self.channels)
        )
    }
}

/// Frames in `duration` at `rate`, rounded to the nearest frame.
pub fn frames_in(duration: Duration, rate: u32) -> u64 {
    (duration.as_secs_f64() * f64::from(rate)).round() as u64
}

/// How long `frames` last at `rate`.
pub fn frames_duration(frames: u64, rate: u32) -> Duration {
    Duration::from_secs_f64(frames as f64 / f64::from(rate.max(1)))
}
