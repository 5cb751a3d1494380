//! What the user sees while audio runs: progress bars and status lines on stderr, drawn only
//! when stderr is a terminal and `-q` was not given; `-v` notes; warnings about lost audio.

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

    /// A warning about lost or missing audio: one line on stderr, terminal or not (aplay and
    /// arecord say "underrun!!!" and "overrun!!!" too), printed above `bar` when it is drawn.
    pub fn warn(&self, bar: &ProgressBar, message: impl std::fmt::Display) {
        let line = format!("alsatool: warning: {message}");
        if bar.is_hidden() {
            eprintln!("{line}");
        } else {
            bar.suspend(|| eprintln!("{line}"));
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

/// Parses a time: plain seconds ("2", "0.25") or colon-separated "[h:]m:s" ("1:30", "1:02:03.5").
pub fn parse_time(text: &str) -> Result<Duration, String> {
    let bad = || format!("'{text}' is not a time; give seconds (2.5) or [h:]m:s (1:30)");
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() > 3 {
        return Err(bad());
    }
    let mut seconds = 0.0f64;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let value: f64 = if last {
            part.parse().map_err(|_| bad())?
        } else {
            part.parse::<u64>().map_err(|_| bad())? as f64
        };
        if !value.is_finite() || value < 0.0 {
            return Err(bad());
        }
        seconds = seconds * 60.0 + value;
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| bad())
}

/// Parses a short time: with a unit (`20ms`, `1.5s`, `500us`) or as [`parse_time`] takes it.
pub fn parse_short_time(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("'{text}' is not a time; give 20ms, 0.5s or seconds (2.5)");
    let (number, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = t.strip_suffix("us").or_else(|| t.strip_suffix("µs")) {
        (n, 1e-6)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else {
        return parse_time(t);
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    if !value.is_finite() || value < 0.0 {
        return Err(bad());
    }
    Duration::try_from_secs_f64(value * scale).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks() {
        assert_eq!(clock(Duration::from_secs(192)), "3:12");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
        assert_eq!(clock(Duration::ZERO), "0:00");
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_time("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_time("1:30"), Ok(Duration::from_secs(90)));
        assert_eq!(
            parse_time("1:02:03.5"),
            Ok(Duration::from_millis(3_723_500))
        );
        assert!(parse_time("-1").is_err());
        assert!(parse_time("abc").is_err());
        assert!(parse_time("1:2:3:4").is_err());
        assert!(parse_time("NaN").is_err());
        assert!(parse_time("inf").is_err());
    }

    #[test]
    fn short_times() {
        assert_eq!(parse_short_time("20ms"), Ok(Duration::from_millis(20)));
        assert_eq!(parse_short_time("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_short_time("500us"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_short_time("0.05"), Ok(Duration::from_millis(50)));
        assert_eq!(parse_short_time("1:00"), Ok(Duration::from_secs(60)));
        assert!(parse_short_time("ms").is_err());
        assert!(parse_short_time("-1s").is_err());
    }
}
