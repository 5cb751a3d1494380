//! The speaker test on a terminal: a small layout of the speakers, seen from above with the
//! front at the top, with the one playing highlighted; and the keys that steer it (space,
//! ←, →, q), read with the terminal in raw mode, which is restored however the program ends
//! (the end of the test, an error, a panic, SIGTERM; Ctrl-C arrives as a key in raw mode).

use std::io::Write;
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::device::chmap::Position;
use crate::stream::speaker_test::Control;

/// Width of one speaker's cell in the layout.
const CELL: usize = 6;

/// Where each known position sits: (row, column), front row at the top, the listener between
/// the side speakers. Rows without a speaker are left out when drawn.
fn place_of(position: Position) -> Option<(usize, usize)> {
    let code = position.place().0;
    Some(match code {
        18 => (0, 1), // FLH
        19 => (0, 3), // FCH
        20 => (0, 5), // FRH
        22 => (1, 1), // TFL
        28 => (1, 2), // TFLC
        24 => (1, 3), // TFC
        29 => (1, 4), // TFRC
        23 => (1, 5), // TFR
        16 => (2, 0), // FLW
        3 => (2, 1),  // FL
        12 => (2, 2), // FLC
        7 => (2, 3),  // FC
        2 => (2, 3),  // MONO
        13 => (2, 4), // FRC
        4 => (2, 5),  // FR
        17 => (2, 6), // FRW
        32 => (3, 2), // LLFE
        8 => (3, 3),  // LFE
        33 => (3, 4), // RLFE
        9 => (4, 0),  // SL
        30 => (4, 1), // TSL
        21 => (4, 3), // TC
        31 => (4, 5), // TSR
        10 => (4, 6), // SR
        25 => (5, 1), // TRL
        27 => (5, 3), // TRC
        26 => (5, 5), // TRR
        5 => (6, 1),  // RL
        14 => (6, 2), // RLC
        11 => (6, 3), // RC
        15 => (6, 4), // RRC
        6 => (6, 5),  // RR
        35 => (7, 2), // BLC
        34 => (7, 3), // BC
        36 => (7, 4), // BRC
        _ => return None,
    })
}

/// The layout's lines: each channel's short name in its place, `playing` in brackets (and in
/// reverse video when `emphasis`). Channels with no place (Unknown, driver-specific, a second
/// channel on a taken place) are listed on a last line in channel order.
pub fn layout(positions: &[Position], playing: Option<usize>, emphasis: bool) -> Vec<String> {
    const ROWS: usize = 8;
    let mut grid: Vec<Vec<Option<usize>>> = vec![vec![None; 7]; ROWS];
    let mut others = Vec::new();
    for (channel, &position) in positions.iter().enumerate() {
        match place_of(position) {
            Some((row, col)) if grid[row][col].is_none() => grid[row][col] = Some(channel),
            _ => others.push(channel),
        }
    }
    let cell = |channel: usize| {
        let name = positions[channel].place().short_name();
        let name = if positions[channel].is_speaker() {
            name
        } else {
            format!("ch{channel}")
        };
        let text = if Some(channel) == playing {
            format!("[{name}]")
        } else {
            format!(" {name} ")
        };
        let padded = format!("{text:^CELL$}");
        if Some(channel) == playing && emphasis {
            padded.replace(&text, &format!("\x1b[7m{text}\x1b[0m"))
        } else {
            padded
        }
    };
    let mut lines = Vec::new();
    for (r, row) in grid.iter().enumerate() {
        // The listener's row: mark the middle when it is free, so the layout reads as a room.
        let listener_row = r == 4;
        if row.iter().all(Option::is_none) && !listener_row {
            continue;
        }
        let mut line = String::new();
        for (c, slot) in row.iter().enumerate() {
            match slot {
                Some(channel) => line.push_str(&cell(*channel)),
                None if listener_row && c == 3 => line.push_str(&format!("{:^CELL$}", "(you)")),
                None => line.push_str(&" ".repeat(CELL)),
            }
        }
        lines.push(format!("  {}", line.trim_end()));
    }
    // Ten to a line, so that no line is wider than an 80-column terminal: a wrapped line would
    // throw off the redraw, which moves back up by the lines it drew.
    for (i, group) in others.chunks(10).enumerate() {
        let cells: Vec<String> = group.iter().map(|&c| cell(c).trim().to_string()).collect();
        let label = if i == 0 { "other:" } else { "      " };
        lines.push(format!("  {label} {}", cells.join(" ")));
    }
    lines
}

/// The block redrawn on stderr, and raw mode while keys are read.
pub struct Screen {
    /// Lines drawn last time (to move back over).
    drawn: usize,
    /// Keys are read (raw mode is on).
    keys: bool,
}

impl Screen {
    /// A screen that draws on stderr; with `keys`, puts the terminal in raw mode to read them
    /// (if that fails, it goes on without keys).
    pub fn new(keys: bool) -> Screen {
        let keys = keys && crossterm::terminal::enable_raw_mode().is_ok();
        Screen { drawn: 0, keys }
    }

    /// Whether keys are being read.
    pub fn reads_keys(&self) -> bool {
        self.keys
    }

    /// Replaces the block drawn last with `lines`.
    pub fn draw(&mut self, lines: &[String]) {
        let mut text = self.erase_text();
        for line in lines {
            // Raw mode turns off the terminal's newline translation: return to column 0 too.
            text.push_str(line);
            text.push_str("\x1b[K\r\n");
        }
        self.drawn = lines.len();
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// Clears the block.
    pub fn clear(&mut self) {
        let text = self.erase_text();
        self.drawn = 0;
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    fn erase_text(&self) -> String {
        if self.drawn == 0 {
            "\r\x1b[J".to_string()
        } else {
            format!("\x1b[{}A\r\x1b[J", self.drawn)
        }
    }

    /// The first key pressed since the last call that means something, without waiting.
    pub fn key(&mut self) -> Option<Control> {
        if !self.keys {
            return None;
        }
        loop {
            match event::poll(Duration::ZERO) {
                Ok(true) => {}
                Ok(false) => return None,
                // Standard input went away: go on without keys.
                Err(_) => {
                    self.keys = false;
                    return None;
                }
            }
            match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    if let Some(control) = control_for(key.code, key.modifiers) {
                        return Some(control);
                    }
                }
                Ok(_) => {}
                Err(_) => {
                    self.keys = false;
                    return None;
                }
            }
        }
    }

    /// Clears the block and gives the terminal back as it was.
    pub fn finish(&mut self) {
        if self.drawn > 0 {
            self.clear();
        }
        if self.keys {
            let _ = crossterm::terminal::disable_raw_mode();
            self.keys = false;
        }
    }
}

impl Drop for Screen {
    /// However the test ends (an error or a panic too), the terminal is restored.
    fn drop(&mut self) {
        self.finish();
    }
}

/// What a key means: space repeats, the arrows move, q or Esc quits, Ctrl-C interrupts (raw
/// mode delivers it as a key, not as SIGINT).
pub fn control_for(code: KeyCode, modifiers: KeyModifiers) -> Option<Control> {
    match code {
        KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => Some(Control::Interrupt),
        KeyCode::Char(' ') => Some(Control::Repeat),
        KeyCode::Right => Some(Control::Next),
        KeyCode::Left => Some(Control::Previous),
        KeyCode::Char('q') | KeyCode::Char('Q') | KeyCode::Esc => Some(Control::Quit),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(names: &str) -> Vec<Position> {
        names
            .split_whitespace()
            .map(|n| Position::parse(n).expect("a position"))
            .collect()
    }

    #[test]
    fn a_5_1_layout_with_the_playing_speaker_in_brackets() {
        let lines = layout(&map("FL FR FC LFE RL RR"), Some(2), false);
        assert_eq!(
            lines,
            [
                "          FL         [FC]         FR",
                "                     LFE",
                "                    (you)",
                "          RL                      RR",
            ]
        );
        let emphasised = layout(&map("FL FR"), Some(0), true).join("\n");
        assert!(emphasised.contains("\x1b[7m[FL]\x1b[0m"), "{emphasised:?}");
    }

    #[test]
    fn channels_without_a_place_are_listed_below() {
        let lines = layout(&map("MONO"), Some(0), false);
        assert!(lines[0].contains("[MONO]"), "{lines:?}");
        let lines = layout(&map("FL FR UNKNOWN FL"), None, false);
        assert_eq!(lines.last().map(String::as_str), Some("  other: ch2 FL"));
        let many = crate::device::chmap::standard(26);
        let lines = layout(&many, Some(25), false);
        assert_eq!(
            lines.iter().filter(|l| l.contains("ch")).count(),
            2,
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| l.chars().count() < 80), "{lines:?}");
        assert!(
            lines.last().is_some_and(|l| l.ends_with("[ch25]")),
            "{lines:?}"
        );
    }

    #[test]
    fn keys() {
        let none = KeyModifiers::NONE;
        assert_eq!(control_for(KeyCode::Char(' '), none), Some(Control::Repeat));
        assert_eq!(control_for(KeyCode::Right, none), Some(Control::Next));
        assert_eq!(control_for(KeyCode::Left, none), Some(Control::Previous));
        assert_eq!(control_for(KeyCode::Char('q'), none), Some(Control::Quit));
        assert_eq!(
            control_for(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Control::Interrupt)
        );
        assert_eq!(control_for(KeyCode::Char('c'), none), None);
    }
}
