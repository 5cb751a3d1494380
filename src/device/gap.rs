//! A gap in the audio (an underrun, an overrun, a suspend) as the stream core reports it: where it
//! happened and about how long it was, and the counts of them so far.

use std::time::Duration;

use alsa::Direction;
use indicatif::ProgressBar;

use crate::progress::{clock, Ui};
use crate::spec::frames_duration;

/// What recovery has had to do so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XrunCount {
    /// Underruns (playback) or overruns (capture).
    pub xruns: u64,
    /// Times the system suspended the device.
    pub suspends: u64,
    /// About how long the gaps were in all.
    pub lost: Duration,
}

/// Why the audio had a gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapCause {
    /// An underrun (playback ran out of audio) or an overrun (capture was not read in time).
    Xrun,
    /// The system suspended the device.
    Suspend,
}

/// A recovered gap in the audio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    pub cause: GapCause,
    /// Frames the stream had moved before the gap.
    pub at_frame: u64,
    /// About how long the gap was: silence heard (playback) or audio lost (capture).
    pub length: Duration,
}

impl Gap {
    /// Says so on stderr, terminal or not (above `bar` where it is drawn), with where it was:
    /// the frames before it at `rate`.
    pub fn warn(&self, ui: &Ui, bar: &ProgressBar, direction: Direction, rate: u32) {
        let at = frames_duration(self.at_frame, rate);
        ui.warn(bar, self.describe(direction, at));
    }

    /// "underrun at 0:12: about 1.0 s of silence", for a gap `position` into the audio.
    pub fn describe(&self, direction: Direction, position: Duration) -> String {
        let when = clock(position);
        let length = self.length.as_secs_f64();
        let what = match direction {
            Direction::Playback => "silence",
            Direction::Capture => "audio lost",
        };
        match (self.cause, direction) {
            (GapCause::Xrun, Direction::Playback) => {
                format!("underrun at {when}: about {length:.1} s of {what}")
            }
            (GapCause::Xrun, Direction::Capture) => {
                format!("overrun at {when}: about {length:.1} s of {what}")
            }
            (GapCause::Suspend, _) => {
                format!("the system suspended the device at {when}: about {length:.1} s of {what}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_say_where_and_how_long() {
        let gap = Gap {
            cause: GapCause::Xrun,
            at_frame: 0,
            length: Duration::from_millis(1040),
        };
        let at = Duration::from_secs(12);
        assert_eq!(
            gap.describe(Direction::Playback, at),
            "underrun at 0:12: about 1.0 s of silence"
        );
        assert_eq!(
            gap.describe(Direction::Capture, at),
            "overrun at 0:12: about 1.0 s of audio lost"
        );
        let suspend = Gap {
            cause: GapCause::Suspend,
            ..gap
        };
        assert!(suspend
            .describe(Direction::Capture, at)
            .starts_with("the system suspended the device at 0:12"));
    }
}
