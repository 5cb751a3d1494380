//! Steering playback (issue #15): keys on a pseudo-terminal, the control pipe and SIGUSR1/2,
//! against the private PulseAudio. What reaches the device is recorded by the file plugin in
//! front of `pulse` (`paced`: PulseAudio keeps real time, the file keeps every byte written),
//! so that pauses, seeks and skips are checked to the byte against the source.
//!
//! Where a check needs to know a frame the player chose (where a pause was heard, where a seek
//! landed), `-v` says it, and the bytes must agree with what it says.

use std::fs;
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{noise, open_pty, wait_for_exit, write_file, Pulse, TestEnv};

const RATE: u32 = 48000;
/// S16_LE stereo.
const FRAME: usize = 4;

/// A TestEnv using `pulse`, with the PCM `paced`: the file plugin writing to the returned path
/// in front of the pulse plugin.
fn paced_env(pulse: &Pulse) -> (TestEnv, PathBuf) {
    let mut env = TestEnv::new();
    env.use_pulse(pulse);
    let out = env.path("out.raw");
    env.add_asoundrc(&format!(
        "pcm.paced {{\n    type file\n    slave.pcm \"pulse\"\n    file \"{}\"\n    format raw\n}}",
        out.display()
    ));
    (env, out)
}

/// A WAV of `seconds` of noise (S16_LE, stereo, 48 kHz) at `name`; returns its sample bytes.
fn noise_wav(env: &TestEnv, name: &str, seconds: f64, seed: u64) -> Vec<u8> {
    let data = noise((seconds * f64::from(RATE)) as usize * FRAME, seed);
    let mut wav = Vec::new();
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&RATE.to_le_bytes());
    wav.extend_from_slice(&(RATE * 4).to_le_bytes());
    wav.extend_from_slice(&4u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(data.len() as u32).to_le_bytes());
    wav.extend_from_slice(&data);
    write_file(&env.path(name), &wav);
    data
}

/// alsatool running with stdin and stderr on a pseudo-terminal that is its controlling
/// terminal (it leads a session of its own, as a shell's foreground job does).
struct Terminal {
    child: Child,
    master: fs::File,
    /// Our own handle on the terminal, to read its mode after the child has gone.
    slave: OwnedFd,
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Terminal {
    fn start(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Terminal {
        use std::os::unix::process::CommandExt;
        let (master, slave) = open_pty(24, 120);
        let mut cmd = env.alsatool();
        cmd.env("TERM", "xterm")
            .args(args)
            .stdin(Stdio::from(slave.try_clone().expect("dup")))
            .stdout(Stdio::null())
            .stderr(Stdio::from(slave.try_clone().expect("dup")));
        for (name, value) in vars {
            cmd.env(name, value);
        }
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn on a terminal");
        drop(cmd);
        let master = fs::File::from(master);
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut read_side = master.try_clone().expect("dup");
        let sink = output.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends with EIO once the child has exited and we close our slave handle... or
            // never, while we hold it: the thread is left to end with the test.
            while let Ok(n) = std::io::Read::read(&mut read_side, &mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Terminal {
            child,
            master,
            slave,
            output,
            reader: Some(reader),
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits until the terminal shows `fragment` (after `after` bytes of output, when given).
    fn wait_for(&self, fragment: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let text = self.text();
            if text.contains(fragment) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "the terminal never showed {fragment:?}: {text:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, keys: &str) {
        self.master.write_all(keys.as_bytes()).expect("type");
    }

    /// The terminal's mode now (input, output and local flags).
    fn mode(&self) -> (libc::tcflag_t, libc::tcflag_t, libc::tcflag_t) {
        // SAFETY: termios is plain data; our own descriptor of the terminal.
        let mut mode: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut mode) };
        assert_eq!(rc, 0);
        (mode.c_iflag, mode.c_oflag, mode.c_lflag)
    }

    fn wait(&mut self) -> ExitStatus {
        let status = wait_for_exit(&mut self.child, Duration::from_secs(30)).expect("did not end");
        // What it drew last is in by now (the master reads what was written before the exit).
        std::thread::sleep(Duration::from_millis(100));
        status
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The reader holds a copy of the master; it ends when the process does.
        drop(self.reader.take());
    }
}

/// The number after `key` in `text`: "frame 1234" → 1234.
fn number_after(text: &str, key: &str) -> u64 {
    let at = text
        .find(key)
        .unwrap_or_else(|| panic!("no {key:?} in {text:?}"));
    text[at + key.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number after {key:?} in {text:?}"))
}

/// Every "frame A to frame B" a seek note holds, in order.
fn seeks(text: &str) -> Vec<(u64, u64)> {
    text.match_indices("seek from")
        .map(|(at, _)| {
            let note = &text[at..];
            let from = number_after(note, "(frame ");
            let to = number_after(note, " to frame ");
            (from, to)
        })
        .collect()
}

/// Asserts that `out` is runs of `src`: the first from its start, each next one from the frame
/// `jumps` gives, the last to the end of `out`. A run ends at the first frame that differs (for
/// noise, a whole frame matching by chance past a seam is a 2^-32 event).
fn assert_runs(out: &[u8], src: &[u8], jumps: &[u64]) {
    let mut at = 0;
    let mut from = 0usize;
    for (i, &jump) in jumps.iter().enumerate() {
        let run = out[at..]
            .iter()
            .zip(&src[from..])
            .take_while(|(a, b)| a == b)
            .count()
            / FRAME
            * FRAME;
        let to = jump as usize * FRAME;
        // A jump to exactly where the run would go on is no seam at all.
        if to == from + run && at + run == out.len() {
            return;
        }
        assert!(
            at + run < out.len(),
            "the output ends before jump {i} (to frame {jump})"
        );
        at += run;
        from = to;
    }
    let run = out[at..]
        .iter()
        .zip(&src[from..])
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        at + run,
        out.len(),
        "after output byte {at}, the output is not the source from frame {} ({run} bytes match)",
        from / FRAME
    );
}

fn corked(pulse: &Pulse) -> bool {
    pulse
        .pactl_text(&["list", "sink-inputs"])
        .contains("Corked: yes")
}

/// The size of `path` now (0 before it exists).
fn size(path: &Path) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Waits until `path` has grown by `bytes` from now: played on, however slow the machine.
fn wait_growth(path: &Path, bytes: u64) {
    let target = size(path) + bytes;
    let deadline = Instant::now() + Duration::from_secs(15);
    while size(path) < target {
        assert!(Instant::now() < deadline, "playback does not go on");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Pauses with space and resumes, on a terminal: "paused" is shown once the pause took effect,
/// nothing flows while paused, and playback goes on where it was heard. `vars`: the
/// environment (ALSATOOL_EMULATE_PAUSE for the device that cannot pause).
fn pause_and_resume(vars: &[(&str, &str)]) -> (Vec<u8>, Vec<u8>, String) {
    let pulse = Pulse::start();
    let (env, out) = paced_env(&pulse);
    let src = noise_wav(&env, "noise.wav", 2.5, 7);
    let mut term = Terminal::start(&env, &["-v", "play", "-d", "paced", "noise.wav"], vars);
    term.wait_for("Playing 'noise.wav'");
    std::thread::sleep(Duration::from_millis(800));
    term.send(" ");
    term.wait_for("paused at");
    term.wait_for("  paused");
    if vars.is_empty() {
        assert!(corked(&pulse), "the pulse stream is corked while paused");
    }
    let before = size(&out);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(size(&out), before, "bytes flowed while paused");
    assert!(
        term.child.try_wait().unwrap().is_none(),
        "ended while paused"
    );
    term.send(" ");
    let status = term.wait();
    let text = term.text();
    assert!(status.success(), "{status}: {text:?}");
    (fs::read(&out).unwrap(), src, text)
}

#[test]
fn space_pauses_the_device_and_resume_goes_on_with_the_next_frame() {
    let (out, src, _) = pause_and_resume(&[]);
    // The device paused: every byte written once, in order.
    assert!(out == src, "{} bytes, source {}", out.len(), src.len());
}

#[test]
fn an_emulated_pause_plays_again_from_where_it_was_heard() {
    let (out, src, text) = pause_and_resume(&[("ALSATOOL_EMULATE_PAUSE", "1")]);
    assert!(text.contains("cannot pause"), "{text:?}");
    assert!(text.contains(", emulated)"), "{text:?}");
    let at = number_after(&text[text.find("paused at").unwrap()..], "(frame ");
    // What the file plugin recorded: what was written before the pause, then from the frame
    // that was being heard when it took effect, to the end: nothing skipped.
    assert_runs(&out, &src, &[at]);
}

/// Seeks forward with → and back with ←, then quits with q: each seek is 10 s from what was
/// heard, and the bytes after it are the source's from the frame it named.
fn seek_on_terminal(file: &str, src_of: impl Fn(&TestEnv) -> Vec<u8>) {
    let pulse = Pulse::start();
    let (env, out) = paced_env(&pulse);
    let src = src_of(&env);
    let mut term = Terminal::start(&env, &["-v", "play", "-d", "paced", file], &[]);
    term.wait_for(&format!("Playing '{file}'"));
    std::thread::sleep(Duration::from_millis(1000));
    term.send("\x1b[C"); // →
    term.wait_for("seek from");
    std::thread::sleep(Duration::from_millis(700));
    term.send("\x1b[D"); // ←
    let deadline = Instant::now() + Duration::from_secs(10);
    while seeks(&term.text()).len() < 2 {
        assert!(Instant::now() < deadline, "{:?}", term.text());
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    term.send("q");
    let status = term.wait();
    let text = term.text();
    assert!(status.success(), "q exits 0: {status}: {text:?}");
    let found = seeks(&text);
    assert_eq!(found.len(), 2, "{text:?}");
    let ten = 10 * u64::from(RATE);
    // Exactly 10 s from what was being heard, each way.
    assert_eq!(found[0].1 - found[0].0, ten, "{found:?}");
    assert_eq!(found[1].0 - found[1].1, ten, "{found:?}");
    let out = fs::read(&out).unwrap();
    // Each seek lands on its frame: after it, the bytes are the source's from there on.
    assert_runs(&out, &src, &[found[0].1, found[1].1]);
}

#[test]
fn arrows_seek_exact_to_the_frame_in_a_wav() {
    seek_on_terminal("noise.wav", |env| noise_wav(env, "noise.wav", 20.0, 11));
}

#[test]
fn arrows_seek_exact_to_the_frame_through_a_flac_index() {
    crate::util::require_tool("sox");
    seek_on_terminal("noise.flac", |env| {
        let src = noise_wav(env, "noise.wav", 20.0, 12);
        env.run_tool("sox", &["noise.wav", "noise.flac"]).success();
        src
    });
}

#[test]
fn n_skips_p_goes_back_and_q_quits_the_rest() {
    let pulse = Pulse::start();
    let (env, out) = paced_env(&pulse);
    let a = noise_wav(&env, "a.wav", 6.0, 1);
    let b = noise_wav(&env, "b.wav", 6.0, 2);
    noise_wav(&env, "c.wav", 6.0, 3);
    let mut term = Terminal::start(
        &env,
        &["play", "-d", "paced", "a.wav", "b.wav", "c.wav"],
        &[],
    );
    term.wait_for("Playing 'a.wav'");
    std::thread::sleep(Duration::from_millis(500));
    term.send("n");
    term.wait_for("Playing 'b.wav'");
    std::thread::sleep(Duration::from_millis(500));
    // Within 3 s of its start: back to the file before.
    term.send("p");
    let deadline = Instant::now() + Duration::from_secs(10);
    while term.text().matches("Playing 'a.wav'").count() < 2 {
        assert!(Instant::now() < deadline, "{:?}", term.text());
        std::thread::sleep(Duration::from_millis(20));
    }
    // ? shows the keys; m hides the meter and shows it again.
    term.send("?");
    term.wait_for("keys: space pause/resume");
    term.wait_for("dBFS");
    let sent = term.text().len();
    term.send("m");
    // Keys are acted on between writes, and PulseAudio can hold a write for a second while it
    // starts again (after p): once playback has moved on a second, m was seen; then the next
    // whole redraw has no meter.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !term.text()[sent..].contains("0:01 / 0:06") {
        assert!(Instant::now() < deadline, "playback did not go on after m");
        std::thread::sleep(Duration::from_millis(20));
    }
    let hidden_from = term.text().len();
    while !term.text()[hidden_from..].contains(" / 0:06") {
        assert!(Instant::now() < deadline, "no redraw after m");
        std::thread::sleep(Duration::from_millis(20));
    }
    let since = term.text()[hidden_from..].to_string();
    assert!(!since.contains("dBFS"), "m hides the meter: {since:?}");
    term.send("m");
    let shown_from = term.text().len();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !term.text()[shown_from..].contains("dBFS") {
        assert!(Instant::now() < deadline, "m again shows the meter");
        std::thread::sleep(Duration::from_millis(20));
    }
    let quit = Instant::now();
    term.send("q");
    let status = term.wait();
    assert!(quit.elapsed() < Duration::from_secs(2), "q is at once");
    let text = term.text();
    assert!(status.success(), "{status}: {text:?}");
    assert!(
        !text.contains("Playing 'c.wav'"),
        "the rest is skipped: {text:?}"
    );
    // What was written: a's start, b's start, a's start again, each cut short.
    let out = fs::read(&out).unwrap();
    let run = |from: usize, src: &[u8]| {
        out[from..]
            .iter()
            .zip(src)
            .take_while(|(x, y)| x == y)
            .count()
            / FRAME
            * FRAME
    };
    let first = run(0, &a);
    assert!(first > 0 && first < a.len(), "a cut short: {first}");
    let second = run(first, &b);
    assert!(
        second > 0 && second < b.len(),
        "then b, cut short: {second}"
    );
    let third = run(first + second, &a);
    assert!(third > 0, "then a again");
    assert_eq!(first + second + third, out.len(), "and nothing else");
}

#[test]
fn ctrl_c_or_sigterm_while_paused_restores_the_terminal_and_exits_130() {
    let pulse = Pulse::start();
    let (env, _) = paced_env(&pulse);
    noise_wav(&env, "noise.wav", 10.0, 5);
    for how in ["ctrl-c", "sigterm"] {
        let mut term = Terminal::start(&env, &["play", "-d", "paced", "noise.wav"], &[]);
        let before = term.mode();
        term.wait_for("Playing 'noise.wav'");
        assert_ne!(term.mode(), before, "keys put the terminal in raw mode");
        term.send(" ");
        term.wait_for("  paused");
        match how {
            "ctrl-c" => term.send("\x03"),
            _ => unsafe {
                // SAFETY: signalling our own child.
                libc::kill(term.child.id() as i32, libc::SIGTERM);
            },
        }
        let status = term.wait();
        assert_eq!(status.code(), Some(130), "{how}: {:?}", term.text());
        assert_eq!(term.mode(), before, "{how}: the terminal is as it was");
    }
}

/// Writes `line` to the control pipe at `path`, as a script would: open, write, close.
fn control(path: &Path, line: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    // The pipe exists once alsatool made it.
    while !path.exists() {
        assert!(Instant::now() < deadline, "no control pipe");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut pipe = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open the control pipe");
    pipe.write_all(format!("{line}\n").as_bytes())
        .expect("write to the control pipe");
}

#[test]
fn the_control_pipe_pauses_seeks_skips_and_quits_without_a_terminal() {
    let pulse = Pulse::start();
    let (env, out) = paced_env(&pulse);
    let a = noise_wav(&env, "a.wav", 12.0, 21);
    let b = noise_wav(&env, "b.wav", 3.0, 22);
    let ctl = env.path("ctl");
    let ctl_text = ctl.display().to_string();
    let mut child = env.spawn(
        &[
            "-v",
            "play",
            "-d",
            "paced",
            "--control",
            &ctl_text,
            "a.wav",
            "b.wav",
            "b.wav",
        ],
        Stdio::null(),
    );
    std::thread::sleep(Duration::from_millis(800));
    control(&ctl, "pause");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !corked(&pulse) {
        assert!(Instant::now() < deadline, "not corked after 'pause'");
        std::thread::sleep(Duration::from_millis(20));
    }
    let held = size(&out);
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(size(&out), held, "bytes flowed while paused");
    control(&ctl, "bogus");
    control(&ctl, "resume");
    std::thread::sleep(Duration::from_millis(300));
    control(&ctl, "seek 0:08");
    wait_growth(&out, 64 * 1024);
    std::thread::sleep(Duration::from_millis(300));
    // More than 3 s in: previous starts this file again.
    control(&ctl, "previous");
    // Commands queue up and each is acted on before the next write: let a play from the
    // start again before skipping it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while fs::read(&out)
        .unwrap_or_default()
        .windows(64)
        .filter(|w| w == &&a[..64])
        .count()
        < 2
    {
        assert!(
            Instant::now() < deadline,
            "a never started again after 'previous'"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    control(&ctl, "next");
    // PulseAudio takes a while to start again after the device was dropped and prepared (the
    // seek, the skip): wait for b's first bytes rather than a fixed time.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !fs::read(&out)
        .unwrap_or_default()
        .windows(64)
        .any(|w| w == &b[..64])
    {
        assert!(Instant::now() < deadline, "b never started after 'next'");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    control(&ctl, "quit");
    let status = wait_for_exit(&mut child, Duration::from_secs(10)).expect("quit");
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        stderr.contains("control: 'bogus': not a command"),
        "{stderr}"
    );
    let found = seeks(&stderr);
    let jumps: Vec<u64> = found.iter().map(|&(_, to)| to).collect();
    assert_eq!(
        jumps,
        [8 * u64::from(RATE), 0],
        "seek 0:08 is frame 384000, previous goes to frame 0: {stderr}"
    );
    let out = fs::read(&out).unwrap();
    // a from the start, from 0:08, from the start again; then b cut short by quit (the second
    // b never starts).
    let b_at = out
        .windows(64)
        .position(|w| w == &b[..64])
        .expect("b was played");
    assert_runs(&out[..b_at], &a, &jumps);
    let rest = &out[b_at..];
    assert!(rest.len() < b.len(), "b, cut short: {stderr}");
    assert_eq!(rest, &b[..rest.len()]);
    assert!(!ctl.exists(), "the pipe it made is removed");
}

#[test]
fn sigusr1_toggles_pause_and_sigusr2_skips_to_the_next_file() {
    let pulse = Pulse::start();
    let (env, out) = paced_env(&pulse);
    let a = noise_wav(&env, "a.wav", 6.0, 31);
    let b = noise_wav(&env, "b.wav", 1.0, 32);
    let mut child = env.spawn(&["play", "-d", "paced", "a.wav", "b.wav"], Stdio::null());
    let signal = |child: &Child, signal| {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, signal) };
    };
    std::thread::sleep(Duration::from_millis(800));
    signal(&child, libc::SIGUSR1);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !corked(&pulse) {
        assert!(Instant::now() < deadline, "not corked after SIGUSR1");
        std::thread::sleep(Duration::from_millis(20));
    }
    let held = size(&out);
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(size(&out), held, "bytes flowed while paused");
    signal(&child, libc::SIGUSR1);
    std::thread::sleep(Duration::from_millis(400));
    assert!(!corked(&pulse), "SIGUSR1 again resumes");
    signal(&child, libc::SIGUSR2);
    let status = wait_for_exit(&mut child, Duration::from_secs(10)).expect("end");
    assert!(status.success(), "{status}");
    let out = fs::read(&out).unwrap();
    // a from its start, cut short, then all of b.
    let first = out.iter().zip(&a).take_while(|(x, y)| x == y).count() / FRAME * FRAME;
    assert!(first < a.len(), "a was cut short");
    assert_eq!(&out[first..], &b[..], "then b, whole");
}

/// The 32-bit float samples in `bytes`.
fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// Upward zero crossings in `samples`, per second at 48 kHz.
fn frequency(samples: &[f32]) -> f64 {
    let crossings = samples
        .windows(2)
        .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
        .count();
    crossings as f64 * f64::from(RATE) / samples.len() as f64
}

/// Checks a retuned tone as the device received it: `from` Hz, then `to` Hz, switched at a
/// zero crossing with no sample-to-sample jump larger than the faster sine's own slope allows.
fn assert_retuned(samples: &[f32], from: f64, to: f64) {
    let max_step = std::f64::consts::TAU * from.max(to) * 0.5 / f64::from(RATE) * 1.01;
    for (i, w) in samples.windows(2).enumerate() {
        let step = f64::from((w[1] - w[0]).abs());
        assert!(
            step <= max_step,
            "a jump of {step} at sample {i} (at most {max_step})"
        );
    }
    let n = samples.len();
    let head = frequency(&samples[..RATE as usize / 4]);
    let tail = frequency(&samples[n - RATE as usize / 4..]);
    assert!((head - from).abs() < 8.0, "starts at {head} Hz, not {from}");
    assert!((tail - to).abs() < 8.0, "ends at {tail} Hz, not {to}");
}

#[test]
fn a_tone_retuned_through_the_pipe_switches_without_a_click_and_refuses_too_high() {
    let pulse = Pulse::start();
    let (env, out) = paced_env(&pulse);
    let ctl = env.path("ctl");
    let ctl_text = ctl.display().to_string();
    let mut child = env.spawn(
        &[
            "play",
            "-d",
            "paced",
            "--sine",
            "440",
            "--control",
            &ctl_text,
        ],
        Stdio::null(),
    );
    std::thread::sleep(Duration::from_millis(700));
    control(&ctl, "freq 30000");
    control(&ctl, "freq 1000");
    // A second of the tone (mono float) past what was queued when it was retuned.
    wait_growth(&out, 2 * u64::from(RATE) * 4);
    assert!(child.try_wait().unwrap().is_none(), "the tone plays on");
    control(&ctl, "quit");
    let status = wait_for_exit(&mut child, Duration::from_secs(10)).expect("quit");
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stderr.trim(),
        "alsatool: 30000 Hz cannot be played at 48000 Hz: a tone must be above 0 and below \
         24000 Hz; still 440 Hz"
    );
    assert_retuned(&floats(&fs::read(&out).unwrap()), 440.0, 1000.0);
}

#[test]
fn tone_keys_retune_by_semitones_and_typed_frequencies() {
    let pulse = Pulse::start();
    let (env, out) = paced_env(&pulse);
    let mut term = Terminal::start(&env, &["play", "-d", "paced", "--sine", "440"], &[]);
    term.wait_for("440 Hz");
    std::thread::sleep(Duration::from_millis(500));
    term.send("\x1b[A"); // ↑: a semitone up
    term.wait_for("466.2 Hz");
    std::thread::sleep(Duration::from_millis(500));
    term.send("880\r");
    term.wait_for("880 Hz");
    wait_growth(&out, 2 * u64::from(RATE) * 4);
    term.send("q");
    let status = term.wait();
    assert!(status.success(), "{status}: {:?}", term.text());
    let samples = floats(&fs::read(&out).unwrap());
    // No click anywhere, and the tone ends at 880 Hz.
    assert_retuned(&samples, 440.0, 880.0);
}

#[test]
fn a_pipe_stays_the_audio_input_with_a_terminal_around() {
    // stdin is the audio: no keys are read from it (and nothing waits for a terminal).
    let env = TestEnv::new();
    let src = noise(48000, 9);
    let out = env.path("out.raw");
    let run = crate::util::run_with_stdin(
        &env,
        &[
            "play",
            "-d",
            &crate::util::file_pcm(&out),
            "-t",
            "raw",
            "-f",
            "S16_LE",
            "-c",
            "2",
            "-r",
            "48000",
            "-",
        ],
        &src,
    );
    run.success();
    assert!(fs::read(&out).unwrap() == src);
    let run = env.run(&["play", "-d", "null", "--loop", "2", "-"]);
    run.fails_with(&["--loop cannot play standard input"]);
}

#[test]
fn loop_plays_the_list_again_and_ends_a_list_that_never_plays() {
    let env = TestEnv::new();
    let a = noise_wav(&env, "a.wav", 0.1, 41);
    let b = noise_wav(&env, "b.wav", 0.1, 42);
    let out = env.path("out.raw");
    let device = crate::util::file_pcm(&out);
    env.run(&["play", "-d", &device, "--loop", "3", "a.wav", "b.wav"])
        .success();
    let once = [a.clone(), b.clone()].concat();
    assert!(
        fs::read(&out).unwrap() == once.repeat(3),
        "a b, three times"
    );
    // Files that all fail: one pass, not forever.
    write_file(&env.path("bad.wav"), b"RIFF....WAVEjunk");
    let run = env.run(&["play", "-d", "null", "--loop", "inf", "bad.wav"]);
    run.code_is(1);
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.stderr());
}

#[test]
fn standard_input_cannot_seek_back_and_says_so_in_one_line() {
    let pulse = Pulse::start();
    let (env, out) = paced_env(&pulse);
    let src = noise(4 * RATE as usize * FRAME, 51);
    let ctl = env.path("ctl");
    let ctl_text = ctl.display().to_string();
    let mut child = env.spawn(
        &[
            "-v",
            "play",
            "-d",
            "paced",
            "--control",
            &ctl_text,
            "-t",
            "raw",
            "-f",
            "S16_LE",
            "-c",
            "2",
            "-r",
            "48000",
            "-",
        ],
        Stdio::piped(),
    );
    let mut stdin = child.stdin.take().unwrap();
    let data = src.clone();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    std::thread::sleep(Duration::from_millis(1200));
    control(&ctl, "seek -10");
    control(&ctl, "seek +1");
    let status = wait_for_exit(&mut child, Duration::from_secs(20)).expect("end");
    writer.join().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stderr.matches("standard input cannot seek back").count(),
        1,
        "{stderr}"
    );
    // Forward it can: by reading past the second.
    let found = seeks(&stderr);
    assert_eq!(found.len(), 1, "{stderr}");
    assert_eq!(found[0].1 - found[0].0, u64::from(RATE));
    assert_runs(&fs::read(&out).unwrap(), &src, &[found[0].1]);
}
