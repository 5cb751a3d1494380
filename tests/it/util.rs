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

    /// Starts alsatool with `args` and `stdin`, its stdout and stderr piped.
    pub fn spawn(&self, args: &[&str], stdin: Stdio) -> Child {
        self.alsatool()
            .args(args)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start alsatool {}: {e}", args.join(" ")))
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

    /// Asserts `ok`, printing `what` and the whole run when it does not hold.
    fn check(&self, ok: bool, what: impl std::fmt::Display) -> &Self {
        assert!(ok, "{what}\n{}", self.report());
        self
    }

    /// Asserts exit code 0.
    pub fn success(&self) -> &Self {
        self.check(self.output.status.success(), "expected success")
    }

    /// Asserts the exit code.
    pub fn code_is(&self, code: i32) -> &Self {
        self.check(
            self.code() == Some(code),
            format!("expected exit code {code}"),
        )
    }

    /// Asserts a failure whose stderr is exactly one line (`alsatool: …`) containing every
    /// fragment, and no panic.
    pub fn fails_with(&self, fragments: &[&str]) -> &Self {
        self.check(!self.output.status.success(), "expected failure");
        let stderr = self.stderr();
        self.check(!stderr.contains("panicked"), "panic");
        self.check(stderr.lines().count() == 1, "error is not one line");
        for fragment in fragments {
            self.check(
                stderr.contains(fragment),
                format!("stderr lacks {fragment:?}"),
            );
        }
        self
    }

    /// Asserts the run ended as the exit codes promise, whatever its input: 0 or 1, not killed
    /// by a signal (a panic that aborts, a crash), no panic message, at most one line on stderr.
    pub fn ends_cleanly(&self) -> &Self {
        use std::os::unix::process::ExitStatusExt;
        let status = self.output.status;
        self.check(
            status.signal().is_none(),
            format!("killed by signal {:?}", status.signal()),
        );
        self.check(
            matches!(status.code(), Some(0 | 1)),
            "exit code is neither 0 nor 1",
        );
        self.check(!self.stderr().contains("panicked"), "panic");
        self.check(
            self.stderr().lines().count() <= 1,
            "more than one line on stderr",
        )
    }

    pub fn stdout_contains(&self, fragment: &str) -> &Self {
        self.check(
            self.stdout().contains(fragment),
            format!("stdout lacks {fragment:?}"),
        )
    }

    pub fn stderr_contains(&self, fragment: &str) -> &Self {
        self.check(
            self.stderr().contains(fragment),
            format!("stderr lacks {fragment:?}"),
        )
    }

    pub fn stderr_is_empty(&self) -> &Self {
        self.check(self.output.stderr.is_empty(), "stderr not empty")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}", self.report()))
    }
}

/// A recording of a private PulseAudio's null sink monitor: [`Pulse::listen`].
pub struct Listener {
    parec: Child,
    sound: std::sync::mpsc::Receiver<()>,
}

impl Listener {
    /// Waits until the sink sounds (its monitor carries more than silence), up to `timeout`;
    /// whether it did. A stream the server has started may still be seconds from being
    /// played: this is when it is.
    pub fn wait_for_sound(&self, timeout: Duration) -> bool {
        self.sound.recv_timeout(timeout).is_ok()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.parec.kill();
        let _ = self.parec.wait();
    }
}

/// A private PulseAudio server with one null sink (`null`, monitor `null.monitor`), listening
/// on its own socket: `scripts/private-pulse` (which the benchmarks use too) started in a
/// process group of its own, and the group killed on drop (also when the test panics).
pub struct Pulse {
    child: Child,
    /// The PULSE_SERVER value that reaches it.
    pub server: String,
    dir: TempDir,
}

impl Pulse {
    pub fn start() -> Pulse {
        use std::io::BufRead;
        use std::os::unix::process::CommandExt;
        let dir = tempfile::Builder::new()
            .prefix("alsatool-pulse-")
            .tempdir()
            .expect("create pulse dir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/private-pulse");
        let mut child = Command::new(&script)
            .arg(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run scripts/private-pulse (is the pulseaudio package installed?)");
        // The script prints the server's address once it answers, or exits with its log.
        let mut server = String::new();
        let _ = std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut server);
        let server = server.trim().to_string();
        if server.is_empty() {
            let mut log = String::new();
            let _ = std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut log);
            let status = child.wait();
            panic!("scripts/private-pulse failed ({status:?}):\n{log}");
        }
        Pulse { child, server, dir }
    }

    /// Starts recording the null sink's monitor in 20 ms steps, until the listener is dropped.
    /// Besides telling when the sink sounds, a low-latency stream on the monitor keeps the
    /// sink rendering in small steps: alone with a player, the null sink can render two
    /// seconds at a time (and take a player's whole buffer at once, then nothing for as long).
    pub fn listen(&self) -> Listener {
        use std::io::Read;
        let mut parec = Command::new("parec")
            .args([
                "--device=null.monitor",
                "--raw",
                "--format=s16le",
                "--channels=1",
            ])
            .args(["--rate=8000", "--latency-msec=20"])
            .env("PULSE_SERVER", &self.server)
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run parec (is the pulseaudio-utils package installed?)");
        let mut stdout = parec.stdout.take().unwrap();
        let (sounded, sound) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut block = [0u8; 320];
            let mut told = false;
            // Read to the end, so that the recording never waits on a full pipe.
            while let Ok(n @ 1..) = stdout.read(&mut block) {
                let loud = block[..n & !1]
                    .chunks_exact(2)
                    .any(|s| i16::from_le_bytes([s[0], s[1]]).unsigned_abs() > 100);
                if loud && !told {
                    told = sounded.send(()).is_ok();
                }
            }
        });
        // parec connects within a few milliseconds; give the sink time to take its latency.
        std::thread::sleep(Duration::from_millis(300));
        Listener { parec, sound }
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
        // The script leads its process group: this ends it and the server together.
        // SAFETY: signalling a process group we started.
        unsafe { libc::kill(-(self.child.id() as libc::pid_t), libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// Writes `bytes` to `path`.
pub fn write_file(path: &Path, bytes: &[u8]) {
    let mut f = fs::File::create(path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
    f.write_all(bytes).expect("write test file");
}

/// What a WAV file says about itself, read chunk by chunk from its bytes (the tests' one WAV
/// reader: unlike hound it shows the raw header fields and the bytes the file really holds, which
/// is what the crash-safety checks compare).
#[derive(Debug)]
pub struct Wav {
    pub riff_len: u32,
    pub format_tag: u16,
    pub channels: u16,
    pub rate: u32,
    pub block_align: u16,
    pub bits: u16,
    /// Where the data chunk's bytes start.
    pub data_offset: usize,
    /// The data chunk's declared size.
    pub data_len: u32,
    /// Bytes after the data chunk header, to the end of the file.
    pub actual_data: usize,
}

impl Wav {
    /// Parses a WAV file's chunks, panicking with the reason when it is not one.
    pub fn parse(bytes: &[u8]) -> Wav {
        assert!(
            bytes.len() >= 12,
            "too short for RIFF: {} bytes",
            bytes.len()
        );
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WAVE");
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        let u16_at = |i: usize| u16::from_le_bytes(bytes[i..i + 2].try_into().unwrap());
        let mut pos = 12;
        let mut fmt = None;
        while pos + 8 <= bytes.len() {
            let id = &bytes[pos..pos + 4];
            let len = u32_at(pos + 4);
            if id == b"fmt " {
                fmt = Some(pos + 8);
            } else if id == b"data" {
                let f = fmt.expect("fmt before data");
                return Wav {
                    riff_len: u32_at(4),
                    format_tag: u16_at(f),
                    channels: u16_at(f + 2),
                    rate: u32_at(f + 4),
                    block_align: u16_at(f + 12),
                    bits: u16_at(f + 14),
                    data_offset: pos + 8,
                    data_len: len,
                    actual_data: bytes.len() - (pos + 8),
                };
            }
            pos += 8 + len as usize + (len as usize & 1);
        }
        panic!("no data chunk");
    }

    /// The data chunk of `bytes` (the file this was parsed from): as much as the header
    /// declares, or up to the end of a file that holds less.
    pub fn data<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        let end = (self.data_offset + self.data_len as usize).min(bytes.len());
        &bytes[self.data_offset..end]
    }
}

/// The bytes of a WAV file's data chunk (what must reach the device).
pub fn wav_data(wav: &[u8]) -> Vec<u8> {
    Wav::parse(wav).data(wav).to_vec()
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

/// A pseudo-terminal of `rows` x `cols`: its master and slave sides. Neither is inherited by
/// what is spawned meanwhile (each child gets the copies it is given): a stray copy of the
/// slave side in another test's child would keep the terminal from ever hanging up.
pub fn open_pty(rows: u16, cols: u16) -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
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
    for fd in [master, slave] {
        // SAFETY: fcntl on descriptors openpty just gave us.
        assert_eq!(
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) },
            0
        );
    }
    // SAFETY: openpty returned two fresh descriptors that we now own.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// Runs alsatool with stderr on a pseudo-terminal (80x24) and returns what it drew there.
pub fn run_on_terminal(env: &TestEnv, args: &[&str]) -> (std::process::ExitStatus, String) {
    let (master, slave) = open_pty(24, 80);
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

/// Runs alsatool on a terminal ([`run_on_terminal`]), asserts success and that it drew
/// `fragment`; returns what it drew.
pub fn terminal_shows(env: &TestEnv, args: &[&str], fragment: &str) -> String {
    let (status, text) = run_on_terminal(env, args);
    assert!(status.success(), "{status}: {text:?}");
    assert!(text.contains(fragment), "no {fragment:?} in {text:?}");
    text
}

/// Runs `cmd` to its end (no input, output discarded) and returns its exit status and the CPU
/// time, user plus system, that it used (from wait4(2): the child's own, not inherited).
// The child is reaped by wait4 (for its rusage), not by Child::wait.
#[allow(clippy::zombie_processes)]
pub fn run_for_cpu_time(cmd: &mut Command) -> (std::process::ExitStatus, f64) {
    use std::os::unix::process::ExitStatusExt;
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", cmd.get_program()));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child with valid out-pointers; `child` is not waited on again.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (
        std::process::ExitStatus::from_raw(status),
        seconds(usage.ru_utime) + seconds(usage.ru_stime),
    )
}

/// Runs alsatool with `stdin` piped in.
pub fn run_with_stdin(env: &TestEnv, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = env.spawn(args, Stdio::piped());
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
