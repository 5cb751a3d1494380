//! The key bindings: alsa-utils' `alsamixer/bindings.c`, key for key, plus what issue 17 adds
//! (`/` filters, PgUp/PgDn move 10 rather than alsamixer's 5). Where the issue and alsamixer
//! disagree, alsamixer wins, because its users' fingers already know it:
//! - `q` is alsamixer's "left channel up", so it quits only where it has nothing to raise (see
//!   [`Command::RaiseLeftOrQuit`]); Esc and F10 always quit;
//! - `c` is alsamixer's "right channel down", so the card list is F6 or `s`, as in alsamixer;
//! - `/` is alsamixer's system information; here it filters controls by name, as the issue asks.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Which channels of a column a key acts on (alsamixer's LEFT, RIGHT, LEFT|RIGHT).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Both,
    Left,
    Right,
}

/// What a key asks for, before the model decides what it means for the focused column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    SetView(View),
    NextView,
    PreviousView,
    Cards,
    Redraw,
    /// Move the focus by this many columns.
    Focus(isize),
    /// Change the volume by this many steps of the mapped scale (1% each), or an enumerated
    /// control by this many items.
    Step(i32, Which),
    /// `q`: raise the left channel by one step, or quit where that changes nothing (a column
    /// without a volume or items, or no column at all).
    RaiseLeftOrQuit,
    /// Set the volume to this percent (an enumerated control: 0 is its first item).
    SetPercent(u32),
    ToggleMute(Which),
    ToggleCapture(Which),
    /// Set both channels to their average (alsamixer's `B`).
    Balance,
    /// Start typing a filter.
    Filter,
}

/// The command for a key in the mixer view (overlays and the filter line read keys themselves).
pub fn command(key: &KeyEvent) -> Option<Command> {
    use Command::*;
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        // Raw mode turns Ctrl-C into a key rather than SIGINT: it quits, as the signal would.
        return match key.code {
            KeyCode::Char('c') => Some(Quit),
            KeyCode::Char('l') => Some(Redraw),
            _ => None,
        };
    }
    let command = match key.code {
        KeyCode::Esc | KeyCode::F(10) => Quit,
        KeyCode::F(1) | KeyCode::Char('?' | 'h' | 'H') => Help,
        KeyCode::F(3) => SetView(View::Playback),
        KeyCode::F(4) => SetView(View::Capture),
        KeyCode::F(5) => SetView(View::All),
        KeyCode::Tab => NextView,
        KeyCode::BackTab => PreviousView,
        KeyCode::F(6) | KeyCode::Char('s' | 'S') => Cards,
        KeyCode::Char('l' | 'L') => Redraw,
        KeyCode::Left | KeyCode::Char('p' | 'P') => Focus(-1),
        KeyCode::Right | KeyCode::Char('n' | 'N') => Focus(1),
        KeyCode::PageUp => Step(10, Which::Both),
        KeyCode::PageDown => Step(-10, Which::Both),
        KeyCode::End => SetPercent(0),
        KeyCode::Char(digit @ '0'..='9') => SetPercent((digit as u32 - '0' as u32) * 10),
        KeyCode::Up | KeyCode::Char('+' | 'k' | 'K' | 'w' | 'W') => Step(1, Which::Both),
        KeyCode::Down | KeyCode::Char('-' | 'j' | 'J' | 'x' | 'X') => Step(-1, Which::Both),
        KeyCode::Char('q' | 'Q') => RaiseLeftOrQuit,
        KeyCode::Char('y' | 'Y' | 'z' | 'Z') => Step(-1, Which::Left),
        KeyCode::Char('e' | 'E') => Step(1, Which::Right),
        KeyCode::Char('c' | 'C') => Step(-1, Which::Right),
        KeyCode::Char('m' | 'M') => ToggleMute(Which::Both),
        KeyCode::Char('<' | ',') => ToggleMute(Which::Left),
        KeyCode::Char('>' | '.') => ToggleMute(Which::Right),
        KeyCode::Char(' ') => ToggleCapture(Which::Both),
        KeyCode::Insert | KeyCode::Char(';') => ToggleCapture(Which::Left),
        KeyCode::Delete | KeyCode::Char('\'') => ToggleCapture(Which::Right),
        KeyCode::Char('b' | 'B' | '=') => Balance,
        KeyCode::Char('/') => Filter,
        _ => return None,
    };
    Some(command)
}

/// The help screen's lines.
pub const HELP: &[&str] = &[
    "Esc F10    quit (q too where it has nothing to raise)",
    "F1 ? H     this help",
    "F3 F4 F5   playback, capture, all controls; Tab cycles",
    "F6 S       pick the sound card",
    "/          filter controls by name (Enter keeps, Esc clears)",
    "L Ctrl-L   redraw",
    "Left Right previous / next control (also P N, the mouse)",
    "Up Down    volume 1% of alsamixer's scale (+ - K J W X, wheel)",
    "PgUp PgDn  volume 10%",
    "0-9 End    volume 0%-90%, 0%",
    "Q W E      raise left / both / right",
    "Z X C      lower left / both / right (Y for Z)",
    "B =        balance left and right",
    "M          toggle mute",
    ", .  < >   toggle left / right mute",
    "Space      toggle capture",
    "; '        toggle left / right capture (Insert Delete)",
    "Enumerated controls: Up/Down pick the item, 0 the first",
    "Esc or ? closes this help",
];

/// Which controls are shown: alsamixer's F3, F4 and F5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Playback,
    Capture,
    All,
}

impl View {
    pub const ALL: [View; 3] = [View::Playback, View::Capture, View::All];

    pub fn name(self) -> &'static str {
        match self {
            View::Playback => "Playback",
            View::Capture => "Capture",
            View::All => "All",
        }
    }

    pub(super) fn next(self) -> View {
        match self {
            View::Playback => View::Capture,
            View::Capture => View::All,
            View::All => View::Playback,
        }
    }

    pub(super) fn previous(self) -> View {
        self.next().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Option<Command> {
        command(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn alsamixers_bindings() {
        use Command::*;
        assert_eq!(key(KeyCode::Esc), Some(Quit));
        assert_eq!(key(KeyCode::F(10)), Some(Quit));
        assert_eq!(key(KeyCode::Up), Some(Step(1, Which::Both)));
        assert_eq!(key(KeyCode::Down), Some(Step(-1, Which::Both)));
        assert_eq!(key(KeyCode::PageUp), Some(Step(10, Which::Both)));
        assert_eq!(key(KeyCode::PageDown), Some(Step(-10, Which::Both)));
        assert_eq!(key(KeyCode::Char('q')), Some(RaiseLeftOrQuit));
        assert_eq!(key(KeyCode::Char('e')), Some(Step(1, Which::Right)));
        assert_eq!(key(KeyCode::Char('z')), Some(Step(-1, Which::Left)));
        assert_eq!(key(KeyCode::Char('c')), Some(Step(-1, Which::Right)));
        assert_eq!(key(KeyCode::Char(',')), Some(ToggleMute(Which::Left)));
        assert_eq!(key(KeyCode::Char('.')), Some(ToggleMute(Which::Right)));
        assert_eq!(key(KeyCode::Char('m')), Some(ToggleMute(Which::Both)));
        assert_eq!(key(KeyCode::Char(' ')), Some(ToggleCapture(Which::Both)));
        assert_eq!(key(KeyCode::Char('0')), Some(SetPercent(0)));
        assert_eq!(key(KeyCode::Char('7')), Some(SetPercent(70)));
        assert_eq!(key(KeyCode::F(3)), Some(SetView(View::Playback)));
        assert_eq!(key(KeyCode::F(4)), Some(SetView(View::Capture)));
        assert_eq!(key(KeyCode::F(5)), Some(SetView(View::All)));
        assert_eq!(key(KeyCode::Tab), Some(NextView));
        assert_eq!(key(KeyCode::F(6)), Some(Cards));
        assert_eq!(key(KeyCode::Char('s')), Some(Cards));
        assert_eq!(key(KeyCode::Char('/')), Some(Filter));
        assert_eq!(key(KeyCode::Char('?')), Some(Help));
        assert_eq!(key(KeyCode::Left), Some(Focus(-1)));
        assert_eq!(key(KeyCode::Right), Some(Focus(1)));
        assert_eq!(key(KeyCode::Char('%')), None);
        assert_eq!(
            command(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Quit)
        );
    }
}
