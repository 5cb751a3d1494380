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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks() {
        assert_eq!(clock(Duration::from_secs(192)), "3:12");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
        assert_eq!(clock(Duration::ZERO), "0:00");
    }
}
