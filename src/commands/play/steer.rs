//! Steering one file or tone while it plays (`play`'s side of [`crate::stream::control`]):
//! what a command from the keys, the signals or the control pipe does once the player hands it
//! over — seeks exact to the frame, next and previous, the meter, the keys' help, a tone's
//! frequency — and the status line's part in it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::{Display, Session};
use crate::device::pcm_io::Transfer;
use crate::progress::clock;
use crate::spec::{frames_duration, frames_in};
use crate::stream::control::{Command, Retune, Seek};
use crate::stream::keys::{self, KeyMode};
use crate::stream::player::Player;
use crate::stream::source::PcmSource;
use crate::stream::tone::Tuner;

/// How one file (or the tone) ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FileEnd {
    Done(Transfer),
    Next,
    Previous,
    Quit,
}

/// How far back `p` goes to the previous file rather than to the start of this one.
const RESTART_AFTER: Duration = Duration::from_secs(3);

/// How one source can be steered: opened again (to seek back; not standard input), retuned
/// (a tone), and where it started (`--start`, in frames).
pub(super) struct Steer<'s, S> {
    pub(super) reopen: Option<&'s dyn Fn() -> Result<S>>,
    pub(super) tuner: Option<&'s Arc<Tuner>>,
    pub(super) start_at: u64,
}

/// "440 Hz", "415.3 Hz": a frequency without needless decimals.
pub(super) fn hz_text(hz: f64) -> String {
    if (hz - hz.round()).abs() < 0.05 {
        format!("{hz:.0}")
    } else {
        format!("{hz:.1}")
    }
}

/// How long a note stays on the status line.
const NOTICE_TIME: Duration = Duration::from_secs(3);

impl Session<'_> {
    /// Acts on a command that ended the playback loop: `Some` when it ends this file.
    pub(super) fn act<S: PcmSource>(
        &self,
        command: Command,
        player: &mut Player,
        source: &mut S,
        steer: &Steer<S>,
        position: &mut u64,
        display: &mut Display,
    ) -> Result<Option<FileEnd>> {
        let rate = source.spec().rate;
        let mode = match steer.tuner {
            Some(_) => KeyMode::Tone,
            None => KeyMode::Files,
        };
        match command {
            Command::Quit => return Ok(Some(FileEnd::Quit)),
            Command::Next | Command::Previous if steer.tuner.is_some() => {}
            Command::Next => {
                player.discard()?;
                return Ok(Some(FileEnd::Next));
            }
            Command::Previous => {
                let heard = position.saturating_sub(player.unheard());
                if heard <= frames_in(RESTART_AFTER, rate) {
                    player.discard()?;
                    return Ok(Some(FileEnd::Previous));
                }
                let to = Seek::To(Duration::ZERO);
                self.seek(player, source, steer, position, to, display)?;
            }
            Command::Seek(_) if steer.tuner.is_some() => {
                display.say("a tone has no position to seek to")
            }
            Command::Seek(to) => self.seek(player, source, steer, position, to, display)?,
            Command::Meter => display.toggle_meter(),
            Command::Help => display.line(keys::help(mode)),
            Command::Freq(retune) => match steer.tuner {
                Some(tuner) => self.retune(tuner, retune, rate, display),
                None => display.say("only a tone (--sine) has a frequency to change"),
            },
            Command::Invalid(message) => display.say(&message),
            // Done by the player.
            Command::Pause | Command::Resume | Command::Toggle => {}
        }
        Ok(None)
    }

    /// Moves playback to `to`, exact to the frame: forward by skipping (through the file's
    /// index where it has one, as --start does), back by opening the file again and skipping
    /// from its start. What was queued and not yet heard is dropped, so the seek is heard at
    /// once. `position` is the next frame to read, from the start of the file.
    fn seek<S: PcmSource>(
        &self,
        player: &mut Player,
        source: &mut S,
        steer: &Steer<S>,
        position: &mut u64,
        to: Seek,
        display: &mut Display,
    ) -> Result<()> {
        let rate = source.spec().rate;
        let heard = position.saturating_sub(player.unheard());
        let end = source.frames_left().map(|left| *position + left);
        let target = match to {
            Seek::By(seconds) => {
                let by = frames_in(Duration::from_secs_f64(seconds.abs()), rate);
                if seconds < 0.0 {
                    heard.saturating_sub(by)
                } else {
                    heard.saturating_add(by)
                }
            }
            Seek::To(time) => frames_in(time, rate),
        };
        let target = end.map_or(target, |end| target.min(end));
        let reopen = match steer.reopen {
            Some(reopen) => Some(reopen),
            None if target < *position => {
                display.say("standard input cannot seek back");
                return Ok(());
            }
            None => None,
        };
        player.discard()?;
        match reopen {
            Some(reopen) if target < *position => {
                *source = reopen()?;
                *position = source.skip_frames(target)?;
            }
            _ => *position += source.skip_frames(target - *position)?,
        }
        display.seeked(*position);
        display.note(&format!(
            "seek from {} to {} (frame {heard} to frame {})",
            clock(frames_duration(heard, rate)),
            clock(frames_duration(*position, rate)),
            *position
        ));
        Ok(())
    }

    /// Retunes the tone, refusing (with one line; the tone plays on) a frequency it cannot
    /// have at the device's rate.
    fn retune(&self, tuner: &Tuner, retune: Retune, rate: u32, display: &mut Display) {
        let current = tuner.target();
        let hz = retune.apply(current);
        if !(hz.is_finite() && hz > 0.0 && hz < f64::from(rate) / 2.0) {
            display.say(&format!(
                "{} Hz cannot be played at {rate} Hz: a tone must be above 0 and below {} Hz; \
                 still {} Hz",
                hz_text(hz),
                rate / 2,
                hz_text(current)
            ));
            return;
        }
        tuner.retune(hz);
        display.note(&format!(
            "retune from {} Hz to {} Hz",
            hz_text(current),
            hz_text(hz)
        ));
    }
}

impl Display {
    /// Draws the bar at `heard` with the meter's new text, if any (else the meter stays as it
    /// was, or hidden). Called between writes, and at once for a key (which must show even
    /// while the device takes its time to start).
    pub(super) fn draw(&mut self, heard: u64, meter: Option<String>) {
        self.heard = heard;
        self.bar.set_position(heard);
        let elapsed = clock(frames_duration(heard, self.spec.rate));
        let times = match self.total {
            Some(total) => format!(
                "{elapsed} / {}  -{}",
                clock(frames_duration(total, self.spec.rate)),
                clock(frames_duration(total.saturating_sub(heard), self.spec.rate))
            ),
            None => elapsed,
        };
        let mut message = times;
        if let Some(tuner) = &self.tuner {
            message.push_str(&format!("  {} Hz", hz_text(tuner.frequency())));
        }
        if let Some(typed) = self.status.as_ref().and_then(|s| s.typing()) {
            message.push_str(&format!("  new frequency: {typed}_ Hz (Enter)"));
        }
        if self.status.as_ref().is_some_and(|s| s.paused().is_some()) {
            message.push_str("  paused");
        }
        if self
            .notice
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() >= NOTICE_TIME)
        {
            self.notice = None;
        }
        if let Some((text, _)) = &self.notice {
            message.push_str(&format!("  {text}"));
        }
        if let Some(title) = &self.title {
            message.push_str(&format!("  {title}"));
        }
        self.bar.set_message(message);
        match (self.meter_shown, meter) {
            (true, Some(meter)) => self.bar.set_prefix(meter),
            (true, None) => {}
            (false, _) => self.bar.set_prefix(String::new()),
        }
    }

    /// After a seek to `frame`: what is heard starts there.
    pub(super) fn seeked(&mut self, frame: u64) {
        self.floor = frame;
        self.last_draw = None;
    }

    fn toggle_meter(&mut self) {
        self.meter_shown = !self.meter_shown;
        self.last_draw = None;
        if self.ui.live {
            self.draw(self.heard, None);
        }
    }

    /// A one-line note: on the status line for a few seconds when live, else on stderr.
    fn say(&mut self, text: &str) {
        if self.ui.live {
            self.notice = Some((text.to_string(), Instant::now()));
            self.last_draw = None;
            self.draw(self.heard, None);
        } else if !self.ui.quiet {
            eprintln!("alsatool: {text}");
        }
    }

    /// A line above the bar (the keys' help), when live.
    fn line(&self, text: &str) {
        if self.ui.live {
            self.bar.suspend(|| eprintln!("{text}"));
        }
    }

    /// A `-v` note, above the bar when it is drawn.
    pub(super) fn note(&self, text: &str) {
        if self.ui.verbose > 0 {
            if self.bar.is_hidden() {
                self.ui.note(text);
            } else {
                self.bar.suspend(|| self.ui.note(text));
            }
        }
    }
}
