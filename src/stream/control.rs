//! Steering playback while it runs: the commands (pause, seek, next, a tone's frequency, …) and
//! where they come from — keys on a terminal (`stream::keys`), SIGUSR1 and SIGUSR2, and a named
//! pipe (`--control FIFO`) — all feeding one channel, which the player reads once a period.
//!
//! The sources only send; what a command does is decided where it is received: pause and
//! resume by the player (`stream::player`), the rest by `play`, which knows the files.

use std::fs::File;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{anyhow, bail, Result};

use crate::error_text::io_error_text;
use crate::progress::parse_time;

/// One thing to do to the playback.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Pause,
    Resume,
    /// Pause if playing, resume if paused (space, SIGUSR1, `toggle`).
    Toggle,
    Seek(Seek),
    Next,
    /// The previous file, or the start of this one when more than 3 s of it were heard.
    Previous,
    /// Stop at once and skip the rest (exit 0).
    Quit,
    /// Show or hide the level meter.
    Meter,
    /// Show the keys.
    Help,
    /// Retune the tone.
    Freq(Retune),
    /// A line the control pipe could not understand: the message to show.
    Invalid(String),
}

/// Where to seek.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Seek {
    /// Seconds forward (negative: back) from what is being heard.
    By(f64),
    /// A time from the start of the file.
    To(Duration),
}

/// A new frequency for the tone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Retune {
    /// This many Hz.
    To(f64),
    /// Up or down by semitones (equal temperament).
    Semitones(i32),
    /// Up or down by Hz.
    By(f64),
}

impl Retune {
    /// The frequency this makes of `current`.
    pub fn apply(self, current: f64) -> f64 {
        match self {
            Retune::To(hz) => hz,
            Retune::Semitones(n) => current * 2f64.powf(f64::from(n) / 12.0),
            Retune::By(hz) => current + hz,
        }
    }
}

/// Parses a line from the control pipe: `pause`, `resume`, `toggle`, `seek +10`, `seek -10`,
/// `seek 1:30`, `next`, `previous`, `quit`, `meter`, `freq 1000`. `None` for a blank line.
pub fn parse_line(line: &str) -> Option<Command> {
    let line = line.trim();
    let mut words = line.split_whitespace();
    let word = words.next()?;
    let arg = words.next();
    let extra = words.next();
    let invalid = |why: &str| Some(Command::Invalid(format!("control: '{line}': {why}")));
    if extra.is_some() {
        return invalid("one value at most");
    }
    let command = match (word.to_ascii_lowercase().as_str(), arg) {
        ("pause", None) => Command::Pause,
        ("resume" | "play", None) => Command::Resume,
        ("toggle", None) => Command::Toggle,
        ("next", None) => Command::Next,
        ("previous" | "prev", None) => Command::Previous,
        ("quit" | "stop", None) => Command::Quit,
        ("meter", None) => Command::Meter,
        ("seek", Some(to)) => match parse_seek(to) {
            Some(seek) => Command::Seek(seek),
            None => return invalid("give seconds (+10, -10) or a time (1:30)"),
        },
        ("freq", Some(hz)) => match hz.trim_end_matches("Hz").parse::<f64>() {
            Ok(hz) if hz.is_finite() => Command::Freq(Retune::To(hz)),
            _ => return invalid("give a frequency in Hz (freq 1000)"),
        },
        ("seek" | "freq", None) => return invalid("needs a value"),
        _ => {
            return invalid(
                "not a command; use pause, resume, toggle, seek +10|-10|1:30, next, previous, \
                 quit, meter or freq HZ",
            )
        }
    };
    Some(command)
}

/// `+10` and `-10` are relative seconds; `1:30` and `90` a time from the start.
fn parse_seek(text: &str) -> Option<Seek> {
    if let Some(rest) = text.strip_prefix('+') {
        return parse_time(rest).ok().map(|d| Seek::By(d.as_secs_f64()));
    }
    if let Some(rest) = text.strip_prefix('-') {
        return parse_time(rest).ok().map(|d| Seek::By(-d.as_secs_f64()));
    }
    parse_time(text).ok().map(Seek::To)
}

/// What the player and the keys tell the display: shared, read once a redraw.
#[derive(Debug, Default)]
pub struct Status {
    /// Set once a pause took effect (not when it was asked for), cleared on resume.
    paused: AtomicBool,
    /// Frames queued and not yet heard when the pause took effect.
    paused_unheard: AtomicU64,
    /// Whether the pause is emulated (the device cannot pause).
    paused_emulated: AtomicBool,
    /// Digits typed for a new frequency, not yet entered.
    typing: Mutex<Option<String>>,
}

impl Status {
    pub fn set_paused(&self, unheard: Option<(u64, bool)>) {
        if let Some((frames, emulated)) = unheard {
            self.paused_unheard.store(frames, Ordering::SeqCst);
            self.paused_emulated.store(emulated, Ordering::SeqCst);
        }
        self.paused.store(unheard.is_some(), Ordering::SeqCst);
    }

    /// `Some((unheard frames, emulated))` while paused.
    pub fn paused(&self) -> Option<(u64, bool)> {
        self.paused.load(Ordering::SeqCst).then(|| {
            (
                self.paused_unheard.load(Ordering::SeqCst),
                self.paused_emulated.load(Ordering::SeqCst),
            )
        })
    }

    pub fn set_typing(&self, typed: Option<String>) {
        if let Ok(mut slot) = self.typing.lock() {
            *slot = typed;
        }
    }

    /// The frequency being typed, if any.
    pub fn typing(&self) -> Option<String> {
        self.typing.lock().ok().and_then(|slot| slot.clone())
    }
}

/// The channel every source feeds, the sources themselves, and the status they share. Dropping
/// it ends the sources, restores the terminal and removes a control pipe it made.
pub struct Controls {
    tx: Sender<Command>,
    rx: Receiver<Command>,
    pub status: Arc<Status>,
    /// Raised on drop: the source threads end.
    done: Arc<AtomicBool>,
    /// The terminal's key reader, which restores the terminal when dropped.
    keys: Option<Box<dyn Send>>,
    fifo: Option<Fifo>,
    signals: Option<JoinHandle<()>>,
}

impl Default for Controls {
    fn default() -> Self {
        Self::new()
    }
}

impl Controls {
    /// A channel with no sources yet.
    pub fn new() -> Controls {
        let (tx, rx) = mpsc::channel();
        Controls {
            tx,
            rx,
            status: Arc::new(Status::default()),
            done: Arc::new(AtomicBool::new(false)),
            keys: None,
            fifo: None,
            signals: None,
        }
    }

    /// A sender into the channel (for tests, and any other source).
    pub fn sender(&self) -> Sender<Command> {
        self.tx.clone()
    }

    /// The next command, if one is waiting.
    pub fn try_recv(&self) -> Option<Command> {
        self.rx.try_recv().ok()
    }

    /// The next command, waiting up to `timeout` for one.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Command> {
        self.rx.recv_timeout(timeout).ok()
    }

    /// Whether keys are read from the terminal.
    pub fn has_keys(&self) -> bool {
        self.keys.is_some()
    }

    /// Keeps the key reader (`stream::keys::Keys`, started with [`Controls::sender`] and
    /// [`Controls::status`]) for as long as the controls live: the terminal is in raw mode
    /// until then.
    pub fn keep_keys(&mut self, keys: Box<dyn Send>) {
        self.keys = Some(keys);
    }

    /// SIGUSR1 toggles pause, SIGUSR2 skips to the next file. The handlers (libc `sigaction`)
    /// only count; a thread turns the counts into commands.
    pub fn watch_signals(&mut self) -> Result<()> {
        if self.signals.is_some() {
            return Ok(());
        }
        install_user_signals()?;
        let tx = self.tx.clone();
        let done = self.done.clone();
        let mut seen = (USR1.load(Ordering::SeqCst), USR2.load(Ordering::SeqCst));
        let thread = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                while !done.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                    let now = (USR1.load(Ordering::SeqCst), USR2.load(Ordering::SeqCst));
                    let toggles = now.0.wrapping_sub(seen.0);
                    let nexts = now.1.wrapping_sub(seen.1);
                    seen = now;
                    let commands = std::iter::repeat_n(Command::Toggle, toggles)
                        .chain(std::iter::repeat_n(Command::Next, nexts));
                    for command in commands {
                        if tx.send(command).is_err() {
                            return;
                        }
                    }
                }
            })
            .map_err(|e| anyhow!("cannot watch for SIGUSR1 and SIGUSR2: {e}"))?;
        self.signals = Some(thread);
        Ok(())
    }

    /// Reads commands, one a line, from the named pipe at `path` (made if it does not exist,
    /// and then removed at the end). Writers may come and go.
    pub fn watch_fifo(&mut self, path: &Path) -> Result<()> {
        let fifo = Fifo::open(path, self.tx.clone(), self.done.clone())?;
        self.fifo = Some(fifo);
        Ok(())
    }
}

impl Drop for Controls {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        // The keys first: their drop restores the terminal.
        self.keys.take();
        if let Some(fifo) = self.fifo.take() {
            fifo.close();
        }
    }
}

/// SIGUSR1 and SIGUSR2 counts, raised by the handlers.
static USR1: AtomicUsize = AtomicUsize::new(0);
static USR2: AtomicUsize = AtomicUsize::new(0);

extern "C" fn on_user_signal(signal: libc::c_int) {
    // Only an atomic add: async-signal-safe.
    match signal {
        libc::SIGUSR1 => USR1.fetch_add(1, Ordering::SeqCst),
        _ => USR2.fetch_add(1, Ordering::SeqCst),
    };
}

fn install_user_signals() -> Result<()> {
    for signal in [libc::SIGUSR1, libc::SIGUSR2] {
        // SAFETY: a zeroed sigaction is valid; the handler only touches atomics; SA_RESTART
        // keeps system calls (writei, reads) from failing with EINTR because of it.
        let rc = unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_user_signal as *const () as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut())
        };
        if rc != 0 {
            bail!(
                "cannot handle SIGUSR1 and SIGUSR2: {}",
                io_error_text(&std::io::Error::last_os_error())
            );
        }
    }
    Ok(())
}

/// A named pipe read by a thread.
struct Fifo {
    /// The path, when this made the pipe (and so removes it).
    made: Option<PathBuf>,
    thread: Option<JoinHandle<()>>,
}

impl Fifo {
    fn open(path: &Path, tx: Sender<Command>, done: Arc<AtomicBool>) -> Result<Fifo> {
        let shown = path.display().to_string();
        let what = |why: String| anyhow!("--control '{}': {why}", shown.escape_debug());
        let made =
            match std::fs::metadata(path) {
                Ok(meta) if meta.file_type().is_fifo() => None,
                Ok(_) => return Err(what(
                    "not a named pipe; give one made with mkfifo, or a path that does not exist"
                        .into(),
                )),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
                        .map_err(|_| what("the path contains a NUL byte".into()))?;
                    // SAFETY: a valid NUL-terminated path.
                    if unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) } != 0 {
                        let e = std::io::Error::last_os_error();
                        return Err(what(format!("cannot make it: {}", io_error_text(&e))));
                    }
                    Some(path.to_path_buf())
                }
                Err(e) => return Err(what(format!("cannot use it: {}", io_error_text(&e)))),
            };
        // Non-blocking, so the open does not wait for a writer.
        let reader = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| what(format!("cannot open it: {}", io_error_text(&e))))?;
        // Holding a writer of our own, the pipe never reads as ended when a script's writer
        // closes it, so the thread waits in poll instead of spinning on end-of-file.
        let keeper = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| what(format!("cannot open it: {}", io_error_text(&e))))?;
        let thread = std::thread::Builder::new()
            .name("control".into())
            .spawn(move || read_fifo(reader, keeper, tx, done))
            .map_err(|e| what(format!("cannot read it: {e}")))?;
        Ok(Fifo {
            made,
            thread: Some(thread),
        })
    }

    fn close(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let Some(path) = self.made.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn read_fifo(mut reader: File, _keeper: File, tx: Sender<Command>, done: Arc<AtomicBool>) {
    let mut pending = Vec::new();
    let mut buf = [0u8; 1024];
    while !done.load(Ordering::SeqCst) {
        let mut fds = libc::pollfd {
            fd: reader.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd for the duration of the call.
        let ready = unsafe { libc::poll(&mut fds, 1, 100) };
        if ready <= 0 {
            continue;
        }
        let n = match reader.read(&mut buf) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
                ) =>
            {
                continue
            }
            Err(_) => return,
        };
        pending.extend_from_slice(&buf[..n]);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            if let Some(command) = parse_line(&line) {
                if tx.send(command).is_err() {
                    return;
                }
            }
        }
        // A writer that never ends its line must not grow this without bound.
        if pending.len() > 4096 {
            pending.clear();
        }
    }
}

/// The order files play in: the list, `passes` times over (`None`: endlessly), with next and
/// previous.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Playlist {
    len: usize,
    passes: Option<u64>,
    pass: u64,
    index: usize,
}

impl Playlist {
    pub fn new(len: usize, passes: Option<u64>) -> Playlist {
        Playlist {
            len,
            passes,
            pass: 0,
            index: 0,
        }
    }

    /// The index of the file to play now; `None` once the list is done.
    pub fn current(&self) -> Option<usize> {
        let done = self.len == 0 || self.passes.is_some_and(|passes| self.pass >= passes);
        (!done).then_some(self.index)
    }

    /// Which pass this is, from 0.
    pub fn pass(&self) -> u64 {
        self.pass
    }

    /// On to the next file (the first again after the last, if passes remain).
    pub fn next(&mut self) {
        self.index += 1;
        if self.index >= self.len {
            self.index = 0;
            self.pass += 1;
        }
    }

    /// Back to the file before (the last of the pass before, from the first); at the very
    /// first file, that file again.
    pub fn previous(&mut self) {
        if self.index > 0 {
            self.index -= 1;
        } else if self.pass > 0 {
            self.pass -= 1;
            self.index = self.len.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_lines() {
        assert_eq!(parse_line("pause\n"), Some(Command::Pause));
        assert_eq!(parse_line("  toggle "), Some(Command::Toggle));
        assert_eq!(parse_line(""), None);
        assert_eq!(parse_line("seek +10"), Some(Command::Seek(Seek::By(10.0))));
        assert_eq!(parse_line("seek -2.5"), Some(Command::Seek(Seek::By(-2.5))));
        assert_eq!(
            parse_line("seek 1:30"),
            Some(Command::Seek(Seek::To(Duration::from_secs(90))))
        );
        assert_eq!(
            parse_line("freq 1000"),
            Some(Command::Freq(Retune::To(1000.0)))
        );
        assert_eq!(parse_line("next"), Some(Command::Next));
        assert_eq!(parse_line("QUIT"), Some(Command::Quit));
        for bad in ["seek", "seek x", "freq", "freq abc", "dance", "pause now"] {
            assert!(
                matches!(parse_line(bad), Some(Command::Invalid(m)) if m.contains(bad)),
                "{bad}"
            );
        }
    }

    #[test]
    fn retuning() {
        assert_eq!(Retune::To(1000.0).apply(440.0), 1000.0);
        assert!((Retune::Semitones(12).apply(440.0) - 880.0).abs() < 1e-9);
        assert!((Retune::Semitones(-1).apply(440.0) - 415.304_697_579_945).abs() < 1e-6);
        assert_eq!(Retune::By(-1.0).apply(440.0), 439.0);
    }

    #[test]
    fn playlists_loop_and_go_back() {
        let mut once = Playlist::new(2, Some(1));
        assert_eq!(once.current(), Some(0));
        once.previous();
        assert_eq!(once.current(), Some(0));
        once.next();
        assert_eq!(once.current(), Some(1));
        once.next();
        assert_eq!(once.current(), None);
        let mut twice = Playlist::new(2, Some(2));
        twice.next();
        twice.next();
        assert_eq!((twice.current(), twice.pass()), (Some(0), 1));
        twice.previous();
        assert_eq!((twice.current(), twice.pass()), (Some(1), 0));
        let mut endless = Playlist::new(1, None);
        for _ in 0..1000 {
            endless.next();
        }
        assert_eq!(endless.current(), Some(0));
        assert_eq!(Playlist::new(0, None).current(), None);
    }

    #[test]
    fn a_fifo_takes_lines_from_writers_that_come_and_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ctl");
        let mut controls = Controls::new();
        controls.watch_fifo(&path).expect("make the pipe");
        for line in ["pause\n", "seek +10\nnext\n", "bogus\n"] {
            let mut writer = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .expect("open the pipe");
            std::io::Write::write_all(&mut writer, line.as_bytes()).expect("write");
        }
        let mut got = Vec::new();
        while got.len() < 4 {
            match controls.recv_timeout(Duration::from_secs(5)) {
                Some(command) => got.push(command),
                None => break,
            }
        }
        assert_eq!(
            got[..3],
            [Command::Pause, Command::Seek(Seek::By(10.0)), Command::Next]
        );
        assert!(matches!(&got[3], Command::Invalid(_)), "{got:?}");
        drop(controls);
        assert!(!path.exists(), "the pipe it made is removed");
    }
}
