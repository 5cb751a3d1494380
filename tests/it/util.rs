//! The test bench every integration test uses:
//! - [`TestEnv`]: a temp directory with its own `HOME` holding an `.asoundrc` of test PCMs, and a
//!   way to run the built binary there with a scrubbed environment;
//! - [`Pulse`]: a private PulseAudio server with a null sink on its own socket, stopped on drop
//!   (also when the test panics);
//! - small helpers for WAV bytes and reference tools.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The .asoundrc every TestEnv starts with: PCMs that `devices` must find by their hints.
pub const BASE_ASOUNDRC: &str = r#"
pcm.alsatool_test_sink {
    type null
    hint {
        show on
        description "alsatool test sink"
    }
}
"#;

/// A temp directory with its own HOME and .asoundrc, in which the binary runs.
pub struct TestEnv {
    pub dir: TempDir,
    asoundrc: String,
    pulse_server: Option<String>,
}

impl TestEnv {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("alsatool-test-")
            .tempdir()
            .expect("create temp dir");
        let env = TestEnv {
            dir,
            asoundrc: BASE_ASOUNDRC.to_string(),
            pulse_server: None,
        };
        fs::create_dir_all(env.home().join(".config/pulse")).expect("create pulse config dir");
        // Never autospawn a PulseAudio of the user's: only the private one a test starts.
        fs::write(
            env.home().join(".config/pulse/client.conf"),
            "autospawn = no\n",
        )
        .expect("write client.conf");
        env.write_asoundrc();
        env
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// A path inside the test directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write_asoundrc(&self) {
        fs::write(self.home().join(".asoundrc"), &self.asoundrc).expect("write .asoundrc");
    }

    /// Appends raw configuration to the .asoundrc.
    pub fn add_asoundrc(&mut self, text: &str) {
        self.asoundrc.push_str(text);
        self.asoundrc.push('\n');
        self.write_asoundrc();
    }

    /// Defines a hinted PCM `name` that discards playback.
    pub fn add_null_pcm(&mut self, name: &str, description: &str) {
        self.add_asoundrc(&format!(
            "pcm.{name} {{\n    type null\n    hint {{\n        show on\n        description \"{description}\"\n    }}\n}}"
        ));
    }

    /// Defines a capture PCM `name` that yields the bytes of `raw_file` (alsa-lib's file plugin
    /// with `infile`), and writes playback to `/dev/null`.
    pub fn add_capture_pcm(&mut self, name: &str, raw_file: &Path) {
        self.add_asoundrc(&format!(
            "pcm.{name} {{\n    type file\n    slave.pcm null\n    file \"/dev/null\"\n    infile \"{}\"\n    format raw\n    hint {{\n        show on\n        description \"alsatool test capture from a file\"\n        device_input 0\n    }}\n}}",
            raw_file.display()
        ));
    }

    /// Routes the binary's PulseAudio clients to `pulse`.
    pub fn use_pulse(&mut self, pulse: &Pulse) {
        self.pulse_server = Some(pulse.server.clone());
    }

    /// The environment every child process gets: nothing from the caller that changes
    /// behaviour, HOME pointing at the test directory.
    fn apply_env(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("HOME", self.home())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("XDG_RUNTIME_DIR", self.home())
            .env(
                "PULSE_CLIENTCONFIG",
                self.home().join(".config/pulse/client.conf"),
            )
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path());
        match &self.pulse_server {
            Some(server) => cmd.env("PULSE_SERVER", server),
            // Nothing listens there: `default` and `pulse` fail fast instead of finding a server.
            None => cmd.env(
                "PULSE_SERVER",
                format!("unix:{}/no-pulse", self.home().display()),
            ),
        };
    }

    /// A Command for the built alsatool binary.
    pub fn alsatool(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_alsatool"));
        self.apply_env(&mut cmd);
        cmd
    }

    /// A Command for another program (aplay, amixer, pactl, sox) in the same environment.
    pub fn tool(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        self.apply_env(&mut cmd);
        cmd
    }

    /// Runs alsatool with `args` and returns its output (never panics on a non-zero exit).
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.alsatool().args(args), args)
    }

    /// Runs another program with `args`.
    pub fn run_tool(&self, program: &str, args: &[&str]) -> Run {
        Run::of(self.tool(program).args(args), args)
    }
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

/// A finished run: exit code, stdout and stderr, with assertions that print all of it on failure.
pub struct Run {
    pub description: String,
    pub output: Output,
}

impl Run {
    pub fn of(cmd: &mut Command, args: &[&str]) -> Run {
        let description = format!("{} {}", cmd.get_program().to_string_lossy(), args.join(" "));
        let output = cmd
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {description}: {e}"));
        Run {
            description,
            output,
        }
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn report(&self) -> String {
        format!(
            "command: {}\nexit: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.description,
            self.output.status,
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts exit code 0.
    pub fn success(&self) -> &Self {
        assert!(
            self.output.status.success(),
            "expected success\n{}",
            self.report()
        );
        self
    }

    /// Asserts the exit code.
    pub fn code_is(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            Some(code),
            "wrong exit code\n{}",
            self.report()
        );
        self
    }

    /// Asserts a failure whose stderr is exactly one line (`alsatool: …`) containing every
    /// fragment, and no panic.
    pub fn fails_with(&self, fragments: &[&str]) -> &Self {
        assert!(
            !self.output.status.success(),
            "expected failure\n{}",
            self.report()
        );
        let stderr = self.stderr();
        assert!(!stderr.contains("panicked"), "panic\n{}", self.report());
        assert_eq!(
            stderr.lines().count(),
            1,
            "error is not one line\n{}",
            self.report()
        );
        for fragment in fragments {
            assert!(
                stderr.contains(fragment),
                "stderr lacks {fragment:?}\n{}",
                self.report()
            );
        }
        self
    }

    pub fn stdout_contains(&self, fragment: &str) -> &Self {
        assert!(
            self.stdout().contains(fragment),
            "stdout lacks {fragment:?}\n{}",
            self.report()
        );
        self
    }

    pub fn stderr_is_empty(&self) -> &Self {
        assert!(
            self.output.stderr.is_empty(),
            "stderr not empty\n{}",
            self.report()
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}", self.report()))
    }
}

/// A private PulseAudio server with one null sink (`null`, monitor `null.monitor`), listening
/// on its own socket. Killed on drop.
pub struct Pulse {
    child: Child,
    /// The PULSE_SERVER value that reaches it.
    pub server: String,
    dir: TempDir,
}

impl Pulse {
    pub fn start() -> Pulse {
        let dir = tempfile::Builder::new()
            .prefix("alsatool-pulse-")
            .tempdir()
            .expect("create pulse dir");
        let socket = dir.path().join("native");
        let log = fs::File::create(dir.path().join("pulse.log")).expect("create pulse log");
        let child = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=no",
                "--disable-shm=yes",
                "--log-target=stderr",
                "-L",
                "module-null-sink sink_name=null",
                "-L",
                &format!(
                    "module-native-protocol-unix socket={} auth-anonymous=1",
                    socket.display()
                ),
            ])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("XDG_RUNTIME_DIR", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start pulseaudio (is the pulseaudio package installed?)");
        let pulse = Pulse {
            child,
            server: format!("unix:{}", socket.display()),
            dir,
        };
        pulse.wait_until_ready();
        pulse
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.pactl(&["info"]).status.success() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let log = fs::read_to_string(self.dir.path().join("pulse.log")).unwrap_or_default();
        panic!("private PulseAudio did not come up in 20 s; its log:\n{log}");
    }

    /// Runs pactl against this server.
    pub fn pactl(&self, args: &[&str]) -> Output {
        Command::new("pactl")
            .args(args)
            .env("PULSE_SERVER", &self.server)
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("run pactl")
    }

    /// pactl's stdout, asserting success.
    pub fn pactl_text(&self, args: &[&str]) -> String {
        let out = self.pactl(args);
        assert!(
            out.status.success(),
            "pactl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `bytes` to `path`.
pub fn write_file(path: &Path, bytes: &[u8]) {
    let mut f = fs::File::create(path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
    f.write_all(bytes).expect("write test file");
}

/// Deterministic pseudo-random bytes (xorshift), so bit-exact tests need no fixtures.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Whether a program is on PATH (the CI script installs them; a missing one is a setup error).
pub fn require_tool(program: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "{program} is not installed; run scripts/setup (README) first"
    );
}

/// Makes `name` in the test directory with sox: a sine at `freq` Hz lasting `secs`, S16_LE
/// stereo at 48 kHz, at half scale. Returns its path.
pub fn sox_tone(env: &TestEnv, name: &str, secs: &str, freq: &str) -> PathBuf {
    require_tool("sox");
    let path = env.path(name);
    let path_text = path.display().to_string();
    env.run_tool(
        "sox",
        &[
            "-n", "-r", "48000", "-c", "2", "-b", "16", &path_text, "synth", secs, "sine", freq,
            "vol", "0.5",
        ],
    )
    .success();
    path
}

/// The device string of alsa-lib's file plugin writing what it receives to `path`.
pub fn file_pcm(path: &Path) -> String {
    format!("file:'{}',raw", path.display())
}

/// [`file_pcm`] as a quoted string for a slave `pcm` in an asoundrc definition.
pub fn file_pcm_quoted(path: &Path) -> String {
    format!("\"{}\"", file_pcm(path).replace('"', "\\\""))
}

/// Asserts two byte strings are equal, reporting lengths and the first difference (not the
/// whole contents).
pub fn assert_bytes(actual: &[u8], expected: &[u8], what: &str) {
    if actual != expected {
        let first = actual
            .iter()
            .zip(expected)
            .position(|(a, b)| a != b)
            .unwrap_or(actual.len().min(expected.len()));
        panic!(
            "{what}: {} bytes, expected {}; first difference at byte {first}",
            actual.len(),
            expected.len()
        );
    }
}

/// Waits up to `limit` for `child` to exit; kills it (and returns `None`) if it does not.
pub fn wait_for_exit(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Runs alsatool with stderr on a pseudo-terminal (80x24) and returns what it drew there.
pub fn run_on_terminal(env: &TestEnv, args: &[&str]) -> (std::process::ExitStatus, String) {
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: out-pointers to locals; a null name and termios are allowed.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty failed");
    // SAFETY: openpty returned two fresh descriptors that we now own.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut cmd = env.alsatool();
    // A real terminal has a TERM; without one, indicatif takes it for a dumb one and draws nothing.
    cmd.env("TERM", "xterm")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave));
    let mut child = cmd.spawn().expect("spawn on a terminal");
    drop(cmd); // closes our copy of the terminal's slave side
    let reader = std::thread::spawn(move || {
        let mut master = fs::File::from(master);
        let mut text = Vec::new();
        // Ends with EIO once the child (the last holder of the slave side) has exited.
        let _ = std::io::Read::read_to_end(&mut master, &mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let status = wait_for_exit(&mut child, Duration::from_secs(30)).expect("did not finish");
    (status, reader.join().unwrap())
}

/// Runs alsatool with `stdin` piped in.
pub fn run_with_stdin(env: &TestEnv, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = env
        .alsatool()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn alsatool");
    let mut pipe = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let output = child.wait_with_output().expect("wait");
    writer.join().unwrap();
    Run {
        description: format!("alsatool {} < stdin", args.join(" ")),
        output,
    }
}
