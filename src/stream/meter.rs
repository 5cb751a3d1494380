//! The live level meter that play and record show: per-channel peaks of the audio as it passes,
//! drawn every [`REDRAW`] by the display it sits in. It is the only per-sample work on a pass-through stream,
//! so it does nothing at all when it is not shown.

use std::time::Duration;

use crate::sample::format::SampleFormat;
use crate::sample::peaks::accumulate_peaks;
use crate::spec::PcmSpec;

/// How often the meter (and the line it sits on) is redrawn.
pub const REDRAW: Duration = Duration::from_millis(100);

/// Peaks gathered since the last redraw.
pub struct Meter {
    format: SampleFormat,
    /// Empty when the meter is off.
    peaks: Vec<f32>,
}

impl Meter {
    /// A meter for audio of `spec`; `on` is false when nothing is drawn (no terminal, `-q`).
    pub fn new(spec: PcmSpec, on: bool) -> Meter {
        let channels = if on { spec.channels as usize } else { 0 };
        Meter {
            format: spec.format,
            peaks: vec![0.0; channels],
        }
    }

    /// Takes in a piece of audio (whole frames).
    pub fn add(&mut self, bytes: &[u8]) {
        if !self.peaks.is_empty() {
            accumulate_peaks(self.format, bytes, &mut self.peaks);
        }
    }

    /// The meter line for the peaks since the last call, starting them over; `None` when the
    /// meter is off.
    pub fn take(&mut self) -> Option<String> {
        if self.peaks.is_empty() {
            return None;
        }
        let line = render_meter(&self.peaks);
        self.peaks.fill(0.0);
        Some(line)
    }
}

/// Decibels relative to full scale for a peak given as a fraction of full scale.
pub fn dbfs(fraction: f32) -> f32 {
    if fraction <= 0.0 {
        f32::NEG_INFINITY
    } else {
        20.0 * fraction.log10()
    }
}

/// A sample at or above this fraction of full scale counts as clipping.
pub const CLIP_FRACTION: f32 = 0.999;

/// One meter line: "L -6.0 dBFS [#####     ]  R -inf dBFS [          ] CLIP".
pub fn render_meter(peaks: &[f32]) -> String {
    const WIDTH: usize = 10;
    const FLOOR_DB: f32 = -60.0;
    let mut line = String::new();
    for (ch, &peak) in peaks.iter().enumerate() {
        let db = dbfs(peak);
        let filled = if db.is_finite() {
            (((db - FLOOR_DB) / -FLOOR_DB).clamp(0.0, 1.0) * WIDTH as f32).round() as usize
        } else {
            0
        };
        if !line.is_empty() {
            line.push_str("  ");
        }
        let label = channel_label(ch, peaks.len());
        let value = if db.is_finite() {
            format!("{db:5.1}")
        } else {
            " -inf".to_string()
        };
        line.push_str(&format!(
            "{label} {value} dBFS [{}{}]",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled)
        ));
        if peak >= CLIP_FRACTION {
            line.push_str(" CLIP");
        }
    }
    line
}

fn channel_label(channel: usize, channels: usize) -> String {
    match (channels, channel) {
        (1, _) => "M".to_string(),
        (2, 0) => "L".to_string(),
        (2, 1) => "R".to_string(),
        (_, n) => (n + 1).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decibels() {
        assert_eq!(dbfs(1.0), 0.0);
        assert!((dbfs(0.5) + 6.0206).abs() < 1e-3);
        assert_eq!(dbfs(0.0), f32::NEG_INFINITY);
    }

    #[test]
    fn meter_shows_each_channel_and_clipping() {
        let line = render_meter(&[1.0, 0.0]);
        assert!(line.starts_with("L   0.0 dBFS [##########] CLIP"), "{line}");
        assert!(line.contains("R  -inf dBFS [          ]"), "{line}");
        assert!(render_meter(&[0.001]).starts_with("M -60.0 dBFS [          ]"));
    }

    #[test]
    fn an_unshown_meter_does_nothing() {
        let spec = PcmSpec {
            format: SampleFormat::S16_LE,
            channels: 2,
            rate: 48000,
        };
        let mut off = Meter::new(spec, false);
        off.add(&[0xff, 0x7f, 0, 0]);
        assert_eq!(off.take(), None);
        let mut on = Meter::new(spec, true);
        on.add(&[0xff, 0x7f, 0, 0]);
        let line = on.take().unwrap_or_default();
        assert!(
            line.starts_with("L  -0.0 dBFS") && line.contains("CLIP"),
            "{line}"
        );
        let again = on.take().unwrap_or_default();
        assert!(
            again.starts_with("L  -inf dBFS"),
            "peaks start over: {again}"
        );
    }
}
