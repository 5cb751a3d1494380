//! Keys on the terminal while playing: the terminal in raw mode (crossterm) so that a key acts
//! at once and is not echoed, a thread turning keys into [`Command`]s, and a guard that puts
//! the terminal back however playback ends (end, `q`, an error, Ctrl-C, SIGTERM, a panic).
//!
//! Raw mode here keeps two things a full raw mode turns off: output processing (so the bars'
//! and warnings' newlines still return the cursor) and signal keys (so Ctrl-C still sends
//! SIGINT and stops through the one stop flag, with exit 130, as without keys).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{anyhow, Result};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::control::{Command, Retune, Seek, Status};
use crate::signals::StopFlag;

/// What the arrows do: seek in files, retune a tone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyMode {
    Files,
    Tone,
}

/// The keys, as `?` shows them.
pub fn help(mode: KeyMode) -> &'static str {
    match mode {
        KeyMode::Files => {
            "keys: space pause/resume, ←/→ seek 10 s, ↓/↑ seek 60 s, n next, p previous, \
             m meter, q quit, ? these keys"
        }
        KeyMode::Tone => {
            "keys: ↑/↓ a semitone, →/← 1 Hz, digits and Enter a frequency, space pause/resume, \
             m meter, q quit, ? these keys"
        }
    }
}

/// What a key means.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Command(Command),
    /// The frequency being typed changed (`None`: typing ended).
    Typing(Option<String>),
    /// Ctrl-C reached us as a key (signal keys were off after all): stop as SIGINT would.
    Interrupt,
    Nothing,
}

/// Turns keys into actions, remembering digits typed for a frequency.
#[derive(Debug)]
pub struct KeyMap {
    mode: KeyMode,
    typed: String,
}

impl KeyMap {
    pub fn new(mode: KeyMode) -> KeyMap {
        KeyMap {
            mode,
            typed: String::new(),
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> Action {
        if key.kind == KeyEventKind::Release {
            return Action::Nothing;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return match key.code {
                KeyCode::Char('c') => Action::Interrupt,
                _ => Action::Nothing,
            };
        }
        if self.mode == KeyMode::Tone {
            match key.code {
                KeyCode::Char(c @ ('0'..='9' | '.')) => {
                    self.typed.push(c);
                    return Action::Typing(Some(self.typed.clone()));
                }
                KeyCode::Backspace if !self.typed.is_empty() => {
                    self.typed.pop();
                    return Action::Typing((!self.typed.is_empty()).then(|| self.typed.clone()));
                }
                KeyCode::Esc if !self.typed.is_empty() => {
                    self.typed.clear();
                    return Action::Typing(None);
                }
                KeyCode::Enter if !self.typed.is_empty() => {
                    let typed = std::mem::take(&mut self.typed);
                    return match typed.parse::<f64>() {
                        Ok(hz) => Action::Command(Command::Freq(Retune::To(hz))),
                        Err(_) => Action::Command(Command::Invalid(format!(
                            "'{typed}' is not a frequency"
                        ))),
                    };
                }
                _ => {}
            }
        }
        let command = match (self.mode, key.code) {
            (_, KeyCode::Char(' ')) => Command::Toggle,
            (_, KeyCode::Char('q' | 'Q')) => Command::Quit,
            (_, KeyCode::Char('m' | 'M')) => Command::Meter,
            (_, KeyCode::Char('?' | 'h')) => Command::Help,
            (KeyMode::Files, KeyCode::Char('n' | 'N')) => Command::Next,
            (KeyMode::Files, KeyCode::Char('p' | 'P')) => Command::Previous,
            (KeyMode::Files, KeyCode::Left) => Command::Seek(Seek::By(-10.0)),
            (KeyMode::Files, KeyCode::Right) => Command::Seek(Seek::By(10.0)),
            (KeyMode::Files, KeyCode::Down) => Command::Seek(Seek::By(-60.0)),
            (KeyMode::Files, KeyCode::Up) => Command::Seek(Seek::By(60.0)),
            (KeyMode::Tone, KeyCode::Up) => Command::Freq(Retune::Semitones(1)),
            (KeyMode::Tone, KeyCode::Down) => Command::Freq(Retune::Semitones(-1)),
            (KeyMode::Tone, KeyCode::Right) => Command::Freq(Retune::By(1.0)),
            (KeyMode::Tone, KeyCode::Left) => Command::Freq(Retune::By(-1.0)),
            _ => return Action::Nothing,
        };
        // A command ends any typing.
        if !self.typed.is_empty() {
            self.typed.clear();
        }
        Action::Command(command)
    }
}

/// The terminal in raw mode while this lives.
struct RawMode;

impl RawMode {
    fn enable() -> Result<RawMode> {
        crossterm::terminal::enable_raw_mode()
            .map_err(|e| anyhow!("cannot read keys from the terminal: {e}"))?;
        let guard = RawMode;
        // Back on: output processing and signal keys (see the module doc). The saved mode
        // that disable_raw_mode restores is crossterm's copy from before, untouched by this.
        // SAFETY: termios is plain data; stdin is a terminal (checked by the caller).
        unsafe {
            let mut mode: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut mode) == 0 {
                mode.c_oflag |= libc::OPOST | libc::ONLCR;
                mode.c_lflag |= libc::ISIG;
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &mode);
            }
        }
        Ok(guard)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// The key-reading thread and the raw mode it needs; dropping it ends both.
pub struct Keys {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    // Dropped after the thread has ended (fields drop in order, after `Drop::drop`).
    _raw: RawMode,
}

impl Keys {
    /// Starts reading keys when standard input is a terminal; `None` when it is not.
    pub fn start(
        mode: KeyMode,
        tx: Sender<Command>,
        status: Arc<Status>,
        stop: StopFlag,
    ) -> Result<Option<Keys>> {
        if !std::io::stdin().is_terminal() {
            return Ok(None);
        }
        // In the background (`alsatool play x.wav &`), changing the terminal's mode would stop
        // the job (SIGTTOU): leave the keys to the foreground.
        // SAFETY: plain queries of the process and its terminal.
        if unsafe { libc::tcgetpgrp(libc::STDIN_FILENO) != libc::getpgrp() } {
            return Ok(None);
        }
        let raw = RawMode::enable()?;
        let done = Arc::new(AtomicBool::new(false));
        let thread_done = done.clone();
        let thread = std::thread::Builder::new()
            .name("keys".into())
            .spawn(move || read_keys(mode, &tx, &status, &stop, &thread_done))
            .map_err(|e| anyhow!("cannot read keys from the terminal: {e}"))?;
        Ok(Some(Keys {
            done,
            thread: Some(thread),
            _raw: raw,
        }))
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        // Within one poll (100 ms): the terminal is restored only once nothing reads it raw.
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn read_keys(
    mode: KeyMode,
    tx: &Sender<Command>,
    status: &Status,
    stop: &StopFlag,
    done: &AtomicBool,
) {
    let mut map = KeyMap::new(mode);
    while !done.load(Ordering::SeqCst) {
        match event::poll(Duration::from_millis(100)) {
            Ok(true) => {}
            Ok(false) => continue,
            // The terminal went away (hung up): nothing more to read.
            Err(_) => return,
        }
        let Ok(Event::Key(key)) = event::read() else {
            continue;
        };
        match map.key(key) {
            Action::Command(command) => {
                status.set_typing(None);
                if tx.send(command).is_err() {
                    return;
                }
            }
            Action::Typing(typed) => status.set_typing(typed),
            Action::Interrupt => stop.raise(),
            Action::Nothing => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn file_keys() {
        let mut map = KeyMap::new(KeyMode::Files);
        let mut command = |code| match map.key(press(code)) {
            Action::Command(c) => Some(c),
            _ => None,
        };
        assert_eq!(command(KeyCode::Char(' ')), Some(Command::Toggle));
        assert_eq!(command(KeyCode::Left), Some(Command::Seek(Seek::By(-10.0))));
        assert_eq!(command(KeyCode::Up), Some(Command::Seek(Seek::By(60.0))));
        assert_eq!(command(KeyCode::Char('n')), Some(Command::Next));
        assert_eq!(command(KeyCode::Char('p')), Some(Command::Previous));
        assert_eq!(command(KeyCode::Char('q')), Some(Command::Quit));
        assert_eq!(command(KeyCode::Char('m')), Some(Command::Meter));
        assert_eq!(command(KeyCode::Char('?')), Some(Command::Help));
        // Digits mean nothing to files.
        assert_eq!(command(KeyCode::Char('4')), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map.key(ctrl_c), Action::Interrupt);
    }

    #[test]
    fn tone_keys_and_typing_a_frequency() {
        let mut map = KeyMap::new(KeyMode::Tone);
        assert_eq!(
            map.key(press(KeyCode::Up)),
            Action::Command(Command::Freq(Retune::Semitones(1)))
        );
        assert_eq!(
            map.key(press(KeyCode::Left)),
            Action::Command(Command::Freq(Retune::By(-1.0)))
        );
        for c in "10000".chars() {
            map.key(press(KeyCode::Char(c)));
        }
        assert_eq!(
            map.key(press(KeyCode::Backspace)),
            Action::Typing(Some("1000".into()))
        );
        assert_eq!(
            map.key(press(KeyCode::Enter)),
            Action::Command(Command::Freq(Retune::To(1000.0)))
        );
        // Enter with nothing typed does nothing.
        assert_eq!(map.key(press(KeyCode::Enter)), Action::Nothing);
        map.key(press(KeyCode::Char('5')));
        assert_eq!(map.key(press(KeyCode::Esc)), Action::Typing(None));
        assert_eq!(
            map.key(press(KeyCode::Char(' '))),
            Action::Command(Command::Toggle)
        );
    }
}
