//! `alsatool mixer tui` in a terminal against the private PulseAudio (`-d pulse`: `Master` is
//! the default sink, `Capture` the default source, both raw 0..65536 without a dB range).
//!
//! Two harnesses: tmux (`send-keys` to type, `capture-pane` to read the screen as a person sees
//! it) for what is drawn, and a pseudo-terminal of our own for the raw bytes and the terminal's
//! settings, to check the terminal is left as it was. Enumerated controls and exclusive capture
//! switches are not on the pulse plugin; the unit tests drive them through the same key code
//! (`src/mixer/tui/model.rs`, `render.rs`).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{open_pty, require_tool, wait_for_exit, Pulse, TestEnv};

fn pulse_env() -> (TestEnv, Pulse) {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    (env, pulse)
}

/// The per-channel percents pactl prints for the default sink.
fn sink_percents(pulse: &Pulse) -> Vec<u32> {
    pulse
        .pactl_text(&["get-sink-volume", "@DEFAULT_SINK@"])
        .lines()
        .next()
        .unwrap_or_default()
        .split('/')
        .filter_map(|part| part.trim().strip_suffix('%'))
        .map(|p| p.trim().parse().expect("pactl percent"))
        .collect()
}

fn sink_muted(pulse: &Pulse) -> bool {
    pulse
        .pactl_text(&["get-sink-mute", "@DEFAULT_SINK@"])
        .contains("yes")
}

/// Polls `check` every 20 ms until it holds or `limit` passes; whether it held.
fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// alsatool running in a detached tmux session of its own (own server socket), 80×24.
struct Tmux<'e> {
    env: &'e TestEnv,
    socket: PathBuf,
}

impl<'e> Tmux<'e> {
    fn start(env: &'e TestEnv, args: &[&str]) -> Tmux<'e> {
        require_tool("tmux");
        let socket = env.path("tmux.sock");
        let tmux = Tmux { env, socket };
        let status = env.path("tmux.status").display().to_string();
        let script = format!("\"$0\" \"$@\"; echo $? > '{status}'");
        let mut argv = vec![
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            "-s",
            "t",
            "sh",
            "-c",
            &script,
            env!("CARGO_BIN_EXE_alsatool"),
        ];
        argv.extend_from_slice(args);
        tmux.run(&argv);
        // Keep the pane after alsatool exits, to read its exit status.
        tmux.run(&["set-option", "-t", "t", "remain-on-exit", "on"]);
        let started = eventually(Duration::from_secs(20), || {
            tmux.screen().contains("alsatool mixer")
        });
        assert!(started, "the mixer did not draw:\n{}", tmux.screen());
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let socket = self.socket.display().to_string();
        let mut all = vec!["-S", &socket, "-f", "/dev/null"];
        all.extend_from_slice(args);
        let run = self.env.run_tool("tmux", &all);
        run.success();
        run.stdout()
    }

    /// Sends tmux key names one at a time, so an Esc is never read as Alt plus the next key.
    fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", "-t", "t", key]);
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    /// Waits up to `limit` for the screen to contain `text`; the screen last seen.
    fn wait_for(&self, text: &str, limit: Duration) -> Result<String, String> {
        let mut last = String::new();
        if eventually(limit, || {
            last = self.screen();
            last.contains(text)
        }) {
            Ok(last)
        } else {
            Err(last)
        }
    }

    /// `Some(status)` once alsatool has exited (the wrapping shell writes it down: tmux's own
    /// `pane_dead_status` can lag far behind under load).
    fn exit_status(&self) -> Option<i32> {
        std::fs::read_to_string(self.env.path("tmux.status"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    }
}

impl Drop for Tmux<'_> {
    fn drop(&mut self) {
        let socket = self.socket.display().to_string();
        let _ = self
            .env
            .tool("tmux")
            .args(["-S", &socket, "kill-server"])
            .output();
    }
}

/// The row of the screen that summarises the focused control (below the view line).
fn summary(screen: &str) -> String {
    screen.lines().nth(2).unwrap_or_default().trim().to_string()
}

/// `alsatool mixer -d pulse`'s line for a control, with the padding after the name collapsed.
fn list_line(env: &TestEnv, id: &str) -> String {
    let run = env.run(&["mixer", "-d", "pulse"]);
    run.success();
    let line = run
        .stdout()
        .lines()
        .find(|l| l.split_whitespace().next() == Some(id))
        .unwrap_or_else(|| panic!("no {id} in the list:\n{}", run.stdout()))
        .to_string();
    let rest = line[id.len()..].trim_start();
    format!("{id}  {rest}")
}

#[test]
fn the_screen_shows_master_and_capture_as_mixer_get_does() {
    let (env, pulse) = pulse_env();
    pulse.pactl_text(&["set-sink-volume", "@DEFAULT_SINK@", "45%"]);
    pulse.pactl_text(&["set-source-volume", "@DEFAULT_SOURCE@", "30%"]);
    let get = env.run(&["mixer", "-d", "pulse", "get", "Master"]);
    get.success()
        .stdout_contains("Front Left:   Playback 29491 [45%] [on]");
    env.run(&["mixer", "-d", "pulse", "get", "Capture"])
        .success()
        .stdout_contains("[30%] [on]");

    let tmux = Tmux::start(&env, &["mixer", "tui", "-d", "pulse"]);
    tmux.keys(&["F5"]);
    let screen = tmux.wait_for("All", Duration::from_secs(5)).unwrap();
    // The focused control reads exactly as `alsatool mixer` lists it; the columns show the
    // same percent under each bar. The pulse plugin has no dB range, so no dB anywhere, as
    // `mixer get` says ("no dB range").
    assert_eq!(summary(&screen), list_line(&env, "Master"), "{screen}");
    assert_eq!(summary(&screen), "Master  playback 45% 45% [on]");
    let rows: Vec<&str> = screen.lines().collect();
    assert!(
        rows[22].contains("Master") && rows[22].contains("Capture"),
        "{screen}"
    );
    assert!(
        rows.iter().any(|r| r.contains("45") && r.contains("30")),
        "{screen}"
    );
    assert!(!screen.contains("dB"), "{screen}");
    assert!(
        screen.contains("[OO]") && screen.contains("CAPTURE"),
        "{screen}"
    );
    tmux.keys(&["Right"]);
    let screen = tmux
        .wait_for("Capture  capture", Duration::from_secs(5))
        .unwrap_or_else(|s| panic!("focus did not move:\n{s}"));
    assert_eq!(summary(&screen), list_line(&env, "Capture"));

    // Channels that differ show both.
    pulse.pactl_text(&["set-sink-volume", "@DEFAULT_SINK@", "25%", "75%"]);
    tmux.wait_for("25<>75", Duration::from_secs(5))
        .unwrap_or_else(|s| panic!("no L/R percent:\n{s}"));
    tmux.keys(&["Escape"]);
    assert!(eventually(Duration::from_secs(5), || tmux.exit_status() == Some(0)));
}

#[test]
fn up_raises_master_one_step_and_m_mutes_as_pactl_sees() {
    let (env, pulse) = pulse_env();
    pulse.pactl_text(&["set-sink-volume", "@DEFAULT_SINK@", "50%"]);
    let tmux = Tmux::start(&env, &["mixer", "tui", "-d", "pulse"]);
    tmux.keys(&["Up"]);
    // One step of alsamixer's scale is 1%: 50% -> 51% (raw 32768 -> 33424, rounded up).
    assert!(
        eventually(Duration::from_secs(5), || sink_percents(&pulse) == [51, 51]),
        "pactl sees {:?}",
        sink_percents(&pulse)
    );
    tmux.wait_for("Master  playback 51% 51% [on]", Duration::from_secs(5))
        .unwrap_or_else(|s| panic!("the screen did not follow:\n{s}"));
    assert!(env
        .run(&["mixer", "-d", "pulse", "get", "Master"])
        .stdout()
        .contains("Playback 33424 [51%]"));
    tmux.keys(&["Down", "Down"]);
    assert!(eventually(Duration::from_secs(5), || sink_percents(&pulse) == [49, 49]));
    tmux.keys(&["PPage"]);
    assert!(eventually(Duration::from_secs(5), || sink_percents(&pulse) == [59, 59]));
    // One channel: q raises the left, c lowers the right.
    tmux.keys(&["q", "c"]);
    assert!(
        eventually(Duration::from_secs(5), || sink_percents(&pulse) == [60, 58]),
        "{:?}",
        sink_percents(&pulse)
    );
    tmux.wait_for("60<>58", Duration::from_secs(5)).unwrap();
    tmux.keys(&["5"]);
    assert!(eventually(Duration::from_secs(5), || sink_percents(&pulse) == [50, 50]));

    assert!(!sink_muted(&pulse));
    tmux.keys(&["m"]);
    assert!(
        eventually(Duration::from_secs(5), || sink_muted(&pulse)),
        "m mutes"
    );
    tmux.wait_for("[MM]", Duration::from_secs(5)).unwrap();
    tmux.wait_for("playback 50% 50% [off]", Duration::from_secs(5))
        .unwrap();
    tmux.keys(&["m"]);
    assert!(
        eventually(Duration::from_secs(5), || !sink_muted(&pulse)),
        "m unmutes"
    );

    // Space toggles the capture switch on the Capture view.
    tmux.keys(&["F4", "Space"]);
    assert!(eventually(Duration::from_secs(5), || pulse
        .pactl_text(&["get-source-mute", "@DEFAULT_SOURCE@"])
        .contains("yes")));
    tmux.wait_for("-------", Duration::from_secs(5)).unwrap();
    tmux.keys(&["Escape"]);
    assert!(
        eventually(Duration::from_secs(5), || tmux.exit_status() == Some(0)),
        "{}",
        tmux.screen()
    );
}

#[test]
fn a_pactl_change_appears_on_screen_within_a_second() {
    let (env, pulse) = pulse_env();
    let tmux = Tmux::start(&env, &["mixer", "tui", "-d", "pulse"]);
    // The second counts from when pactl is done, i.e. the change has been made.
    for (percent, shown) in [("33%", "playback 33% 33%"), ("72%", "playback 72% 72%")] {
        pulse.pactl_text(&["set-sink-volume", "@DEFAULT_SINK@", percent]);
        let screen = tmux
            .wait_for(shown, Duration::from_secs(1))
            .unwrap_or_else(|s| panic!("{percent} not shown within a second:\n{s}"));
        assert!(screen.contains(&percent[..2]), "{screen}");
    }
    pulse.pactl_text(&["set-sink-mute", "@DEFAULT_SINK@", "1"]);
    tmux.wait_for("[MM]", Duration::from_secs(1))
        .unwrap_or_else(|s| panic!("mute not shown within a second:\n{s}"));
}

#[test]
fn filter_help_and_resize_redraw() {
    let (env, _pulse) = pulse_env();
    let tmux = Tmux::start(&env, &["mixer", "tui", "-d", "pulse"]);
    tmux.keys(&["F5", "/", "c", "a", "p", "Enter"]);
    let screen = tmux
        .wait_for("Filter: cap", Duration::from_secs(5))
        .unwrap();
    let names = screen.lines().nth(22).unwrap_or_default();
    assert!(
        names.contains("Capture") && !names.contains("Master"),
        "{screen}"
    );
    tmux.keys(&["?"]);
    tmux.wait_for("Help", Duration::from_secs(5)).unwrap();
    tmux.keys(&["Escape"]);
    // A bigger window: more rows for the bars, everything redrawn to the new size.
    tmux.run(&["resize-window", "-t", "t", "-x", "120", "-y", "40"]);
    let mut screen = String::new();
    let redrawn = eventually(Duration::from_secs(5), || {
        screen = tmux.screen();
        let rows: Vec<&str> = screen.lines().collect();
        rows.len() == 40 && rows[39].contains("select")
    });
    assert!(redrawn, "not redrawn at 120x40:\n{screen}");
    let rows: Vec<&str> = screen.lines().collect();
    assert!(
        rows[38].contains("Capture"),
        "names on the second-last row:\n{screen}"
    );
    assert!(
        rows[39].contains("select"),
        "the status row is the last:\n{screen}"
    );
    // q on the help screen quits (q has no alsamixer meaning there).
    tmux.keys(&["?"]);
    tmux.wait_for("Help", Duration::from_secs(5)).unwrap();
    tmux.keys(&["q"]);
    assert!(
        eventually(Duration::from_secs(5), || tmux.exit_status() == Some(0)),
        "{}",
        tmux.screen()
    );
}

/// alsatool on a pseudo-terminal of our own (80×24), as the session leader with it as its
/// controlling terminal, as a shell starts it; everything it writes is collected.
struct Pty {
    /// `None` once hung up.
    master: Option<File>,
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
    /// The terminal's settings before alsatool started.
    before: libc::termios,
    /// Tells the reader thread to drop its copy of the master side.
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Pty {
    fn start(env: &TestEnv, args: &[&str]) -> Pty {
        let (master, slave) = open_pty(24, 80);
        // SAFETY: an all-zero termios is a valid out-value for tcgetattr.
        let mut before: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(
            unsafe { libc::tcgetattr(slave.as_raw_fd(), &mut before) },
            0
        );
        let mut cmd = env.alsatool();
        cmd.env("TERM", "xterm")
            .args(args)
            .stdin(Stdio::from(slave.try_clone().expect("dup slave")))
            .stdout(Stdio::from(slave.try_clone().expect("dup slave")))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                // A session of its own with the terminal as its controlling one, so closing
                // the terminal sends it SIGHUP, as a closed terminal window does.
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn on a terminal");
        drop(cmd); // closes our copies of the slave side
        let master = File::from(master);
        let output = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut reader = master.try_clone().expect("dup master");
        let (sink, stopped) = (output.clone(), stop.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !stopped.load(Ordering::SeqCst) {
                let mut fd = libc::pollfd {
                    fd: reader.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd. Polling first lets `hang_up` stop this thread.
                if unsafe { libc::poll(&mut fd, 1, 50) } <= 0 {
                    continue;
                }
                // Ends with EIO once no one holds the slave side any more.
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                }
            }
        });
        Pty {
            master: Some(master),
            child,
            output,
            before,
            stop,
            reader: Some(reader),
        }
    }

    /// Closes every descriptor of the master side: the terminal is gone for alsatool.
    fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.master = None;
    }

    fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    fn wait_for(&self, text: &str) {
        let seen = eventually(Duration::from_secs(20), || self.output().contains(text));
        assert!(seen, "never saw {text:?} in {:?}", self.output());
    }

    fn send(&mut self, bytes: &[u8]) {
        let master = self.master.as_mut().expect("a terminal");
        master.write_all(bytes).expect("type on the terminal");
        std::thread::sleep(Duration::from_millis(150));
    }

    /// The terminal's settings now (alsatool's raw mode, or what it left behind).
    fn termios(&self) -> libc::termios {
        // SAFETY: as in `start`; the master side reports the terminal's settings.
        let mut now: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(
            unsafe {
                libc::tcgetattr(
                    self.master.as_ref().expect("a terminal").as_raw_fd(),
                    &mut now,
                )
            },
            0
        );
        now
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The settings a full-screen program changes (line editing, echo, signals, output processing).
fn modes(t: &libc::termios) -> (libc::tcflag_t, libc::tcflag_t, libc::tcflag_t) {
    (t.c_lflag, t.c_iflag, t.c_oflag)
}

/// Asserts the output entered the full-screen mode and then left it entirely, in that order.
fn assert_restored(pty: &Pty, how: &str) {
    let out = pty.output();
    let entered = out
        .find("\x1b[?1049h")
        .unwrap_or_else(|| panic!("{how}: never entered the alternate screen: {out:?}"));
    let left = out
        .rfind("\x1b[?1049l")
        .unwrap_or_else(|| panic!("{how}: alternate screen not left: {out:?}"));
    assert!(entered < left, "{how}");
    let tail = &out[left..];
    // Mouse reporting was turned on, and is off again; the cursor is shown at the end.
    assert!(out.contains("\x1b[?1000h"), "{how}: {out:?}");
    assert!(
        out.rfind("\x1b[?1000l") > out.rfind("\x1b[?1000h"),
        "{how}: {out:?}"
    );
    assert!(
        out.rfind("\x1b[?25h") > out.rfind("\x1b[?25l"),
        "{how}: {out:?}"
    );
    assert!(!tail.contains("\x1b[?1049h"), "{how}");
    assert!(!out.contains("panicked"), "{how}: {out:?}");
    assert_eq!(
        modes(&pty.termios()),
        modes(&pty.before),
        "{how}: terminal settings not restored"
    );
}

#[test]
fn esc_q_and_signals_leave_the_terminal_as_it_was() {
    let (env, _pulse) = pulse_env();
    // (what to type, or a signal to send, and what it is called)
    let ways: [(&[u8], i32, &str); 5] = [
        (b"\x1b", 0, "Esc"),
        (b"?q", 0, "q on the help screen"),
        (b"/nothing\rq", 0, "q with no control shown"),
        (b"\x03", 0, "Ctrl-C"),
        (b"", libc::SIGTERM, "SIGTERM"),
    ];
    for (keys, signal, how) in ways {
        let mut pty = Pty::start(&env, &["mixer", "tui", "-d", "pulse"]);
        pty.wait_for("Master");
        assert_ne!(
            modes(&pty.termios()),
            modes(&pty.before),
            "{how}: raw mode while running"
        );
        for &byte in keys {
            pty.send(&[byte]);
        }
        if signal != 0 {
            unsafe { libc::kill(pty.child.id() as i32, signal) };
        }
        let status = wait_for_exit(&mut pty.child, Duration::from_secs(10))
            .unwrap_or_else(|| panic!("{how}: did not quit: {:?}", pty.output()));
        assert_eq!(status.code(), Some(0), "{how}");
        // The reader has everything once the slave side is closed.
        std::thread::sleep(Duration::from_millis(200));
        assert_restored(&pty, how);
    }
}

#[test]
fn a_lost_terminal_ends_it_quietly() {
    let (env, _pulse) = pulse_env();
    let mut pty = Pty::start(&env, &["mixer", "tui", "-d", "pulse"]);
    pty.wait_for("Master");
    // Closing the master side hangs the terminal up (SIGHUP, then EIO on the slave side).
    pty.hang_up();
    let status = wait_for_exit(&mut pty.child, Duration::from_secs(10))
        .expect("alsatool went on after its terminal was gone");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn without_a_terminal_it_says_so_in_one_line_and_exits_2() {
    let (env, _pulse) = pulse_env();
    for args in [
        &["mixer", "tui", "-d", "pulse"][..],
        &["-q", "mixer", "tui", "-d", "pulse"][..],
        &["mixer", "tui"][..],
    ] {
        let run = env.run(args);
        run.fails_with(&[
            "alsatool: mixer tui needs a terminal; use `alsatool mixer` or `mixer set` in scripts",
        ])
        .code_is(2);
        assert!(run.output.stdout.is_empty(), "{}", run.stdout());
    }
    // A bad device is an ordinary one-line error, before the screen is touched.
    let mut pty = Pty::start(&env, &["mixer", "tui", "-d", "null"]);
    let status = wait_for_exit(&mut pty.child, Duration::from_secs(10)).expect("exit");
    assert_eq!(status.code(), Some(1));
    std::thread::sleep(Duration::from_millis(200));
    let out = pty.output();
    assert!(out.contains("alsatool: 'null' has no mixer"), "{out:?}");
    assert!(!out.contains("\x1b[?1049h"), "{out:?}");
}
