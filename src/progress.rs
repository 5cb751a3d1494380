//! What the user sees while audio runs: progress bars and per-channel peak meters on stderr,
//! drawn only when stderr is a terminal and `-q` was not given; `-v` notes.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How chatty to be, decided once from the flags and the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ui {
    /// `-v` count.
    pub verbose: u8,
    /// `-q`: nothing but errors and requested data.
    pub quiet: bool,
    /// Draw bars and meters (stderr is a terminal and no `-q`).
    pub live: bool,
}

impl Ui {
    pub fn new(verbose: u8, quiet: bool) -> Self {
        Ui {
            verbose,
            quiet,
            live: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// A Ui that never draws (for library users and tests).
    pub fn silent() -> Self {
        Ui {
            verbose: 0,
            quiet: true,
            live: false,
        }
    }

    /// A `-v` note on stderr.
    pub fn note(&self, message: impl std::fmt::Display) {
        if self.verbose > 0 {
            eprintln!("alsatool: {message}");
        }
    }

    /// A line for a terminal user (e.g. "Playing 'x.wav': …"); nothing when not live.
    pub fn status(&self, message: impl std::fmt::Display) {
        if self.live {
            eprintln!("{message}");
        }
    }

    /// A bar counting `len` units (frames), hidden when not live. `None` length: a spinner.
    pub fn bar(&self, len: Option<u64>, template: &str) -> ProgressBar {
        if !self.live {
            return ProgressBar::hidden();
        }
        let bar = match len {
            Some(n) => ProgressBar::new(n),
            None => ProgressBar::new_spinner(),
        };
        bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
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

/// "3:12" or "1:02:03" for a length of time.
pub fn clock(duration: Duration) -> String {
    let total = duration.as_secs();
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
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
    fn clocks() {
        assert_eq!(clock(Duration::from_secs(192)), "3:12");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
        assert_eq!(clock(Duration::ZERO), "0:00");
    }
}
