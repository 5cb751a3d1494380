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
    /// What record, loop and latency ask of a device when `-f`, `-c` and `-r` are not given
    /// (the nearest it takes): arecord's CD-like default, at the rate most devices run.
    pub const DEFAULT: PcmSpec = PcmSpec::new(SampleFormat::S16_LE, 2, 48000);

    pub const fn new(format: SampleFormat, channels: u32, rate: u32) -> PcmSpec {
        PcmSpec {
            format,
            channels,
            rate,
        }
    }

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

/// A spec as far as someone gave it: what `-f`, `-c` and `-r` (or a preset such as `cd`) said.
/// Play reads raw input with it; record asks the device for it, and takes what it left open
/// from the device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartialSpec {
    pub format: Option<SampleFormat>,
    pub channels: Option<u32>,
    pub rate: Option<u32>,
}

impl PartialSpec {
    /// Whether any of the three was given.
    pub fn is_given(&self) -> bool {
        self.format.is_some() || self.channels.is_some() || self.rate.is_some()
    }

    /// The spec, with `defaults` for what was not given.
    pub fn or(&self, defaults: PcmSpec) -> PcmSpec {
        PcmSpec {
            format: self.format.unwrap_or(defaults.format),
            channels: self.channels.unwrap_or(defaults.channels),
            rate: self.rate.unwrap_or(defaults.rate),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_maths() {
        assert_eq!(frames_in(Duration::from_millis(1500), 48000), 72000);
        assert_eq!(frames_duration(24000, 48000), Duration::from_millis(500));
        assert_eq!(frames_duration(1, 0), Duration::from_secs(1));
        let cd = PcmSpec {
            format: SampleFormat::S16_LE,
            channels: 2,
            rate: 44100,
        };
        assert_eq!(cd.bytes_per_frame(), 4);
        assert_eq!(cd.describe(), "S16_LE, 44100 Hz, stereo");
    }

    #[test]
    fn partial_specs_fill_in_what_was_not_given() {
        let given = PartialSpec {
            rate: Some(8000),
            ..PartialSpec::default()
        };
        assert!(given.is_given() && !PartialSpec::default().is_given());
        let spec = given.or(PcmSpec {
            format: SampleFormat::U8,
            channels: 1,
            rate: 48000,
        });
        assert_eq!(
            (spec.format, spec.channels, spec.rate),
            (SampleFormat::U8, 1, 8000)
        );
    }
}
