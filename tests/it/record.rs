//! `alsatool record` against real ALSA: a file-backed capture PCM (alsa-lib's `file` plugin with
//! `infile`) for bit-exact checks against the source and arecord, and a private PulseAudio for
//! real-time capture, signals and a stalled consumer.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{noise, require_tool, sox_tone, wav_data, write_file, Pulse, Run, TestEnv, Wav};

/// CD-ish test stream: S16_LE stereo at 48 kHz.
const BYTES_PER_SECOND: usize = 48000 * 4;

/// Asserts the file is a finished WAV: the header's sizes match the file exactly.
fn assert_finished_wav(path: &Path) -> Wav {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let wav = Wav::parse(&bytes);
    assert_eq!(
        wav.data_len as usize,
        wav.actual_data,
        "{}: data size in header vs file",
        path.display()
    );
    assert_eq!(wav.riff_len as usize, bytes.len() - 8, "{}", path.display());
    assert_eq!(wav.actual_data % wav.block_align as usize, 0);
    wav
}

/// The data chunk of the WAV file at `path`.
fn data_of(path: &Path) -> Vec<u8> {
    wav_data(&std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())))
}

/// A test env with a capture PCM `cap` that yields `seconds` of noise; returns the noise.
fn file_capture_env(seconds: usize, seed: u64) -> (TestEnv, Vec<u8>) {
    let mut env = TestEnv::new();
    let source = noise(seconds * BYTES_PER_SECOND, seed);
    let raw = env.path("source.raw");
    write_file(&raw, &source);
    env.add_capture_pcm("cap", &raw);
    (env, source)
}

/// Runs `alsatool record -d cap ARGS` (the file-backed capture PCM of [`file_capture_env`]).
fn record(env: &TestEnv, args: &[&str]) -> Run {
    let mut all = vec!["record", "-d", "cap"];
    all.extend_from_slice(args);
    env.run(&all)
}

/// A random number from the OS-seeded hasher (no crate needed for "a random moment").
fn random_below(n: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    h.finish() % n.max(1)
}

#[test]
fn captures_bit_exact_from_a_file_backed_pcm_and_matches_arecord() {
    let (env, source) = file_capture_env(3, 7);
    let ours = env.path("ours.wav");
    env.run(&["record", "-D", "cap", "--duration", "2", "ours.wav"])
        .success()
        .stderr_is_empty();
    let wav = assert_finished_wav(&ours);
    assert_eq!(
        (wav.format_tag, wav.channels, wav.rate, wav.bits),
        (1, 2, 48000, 16)
    );
    let data = data_of(&ours);
    assert_eq!(data.len(), 2 * BYTES_PER_SECOND);
    assert!(
        data == source[..data.len()],
        "captured bytes differ from the source"
    );

    env.run_tool(
        "arecord",
        &[
            "-q",
            "-D",
            "cap",
            "-d",
            "2",
            "-f",
            "S16_LE",
            "-c",
            "2",
            "-r",
            "48000",
            "theirs.wav",
        ],
    )
    .success();
    let theirs = std::fs::read(env.path("theirs.wav")).unwrap();
    assert!(
        std::fs::read(&ours).unwrap() == theirs,
        "our WAV differs from arecord's"
    );
}

#[test]
fn fractional_durations_and_other_formats_are_exact() {
    let (env, source) = file_capture_env(3, 8);
    record(
        &env,
        &[
            "-f",
            "S24_3LE",
            "-c",
            "4",
            "-r",
            "44100",
            "--duration",
            "1",
            "wide.wav",
        ],
    )
    .success();
    let wav = assert_finished_wav(&env.path("wide.wav"));
    // More than two channels: WAVE_FORMAT_EXTENSIBLE, as the WAV spec asks.
    assert_eq!((wav.format_tag, wav.channels, wav.bits), (0xfffe, 4, 24));
    let data = data_of(&env.path("wide.wav"));
    assert_eq!(data.len(), 44100 * 12);
    assert!(data == source[..data.len()]);
    // aplay reads it and plays exactly its bytes (then pads its last period with silence).
    let out = env.path("played.raw");
    env.run_tool(
        "aplay",
        &[
            "-q",
            "-D",
            &format!("file:'{}',raw", out.display()),
            "wide.wav",
        ],
    )
    .success();
    let played = std::fs::read(&out).unwrap();
    assert!(
        played.len() >= data.len() && played[..data.len()] == data[..],
        "aplay played other bytes"
    );
    // A duration that is not whole seconds (arecord's -d cannot) is exact to the frame.
    record(&env, &["--duration", "0.2505", "short.wav"]).success();
    let data = data_of(&env.path("short.wav"));
    assert_eq!(data.len(), 12024 * 4);
    assert!(data == source[..data.len()]);
}

#[test]
fn raw_by_name_or_type_and_standard_output() {
    let (env, source) = file_capture_env(2, 9);
    record(&env, &["--duration", "1", "take.raw"]).success();
    assert!(std::fs::read(env.path("take.raw")).unwrap() == source[..BYTES_PER_SECOND]);
    record(&env, &["-t", "raw", "--duration", "1", "take.pcm"]).success();
    assert!(std::fs::read(env.path("take.pcm")).unwrap() == source[..BYTES_PER_SECOND]);

    let run = record(&env, &["--duration", "1", "-"]);
    run.success();
    let out = &run.output.stdout;
    let wav = Wav::parse(out);
    // Open-ended, as arecord writes to a pipe: players read to the end.
    assert_eq!(wav.data_len, 0x8000_0000);
    assert_eq!(wav.riff_len, 0x8000_0024);
    assert!(out[44..] == source[..BYTES_PER_SECOND]);
    let run = record(&env, &["-t", "raw", "--duration", "1", "-"]);
    run.success();
    assert!(run.output.stdout == source[..BYTES_PER_SECOND]);
}

#[test]
fn never_overwrites_without_force_and_says_so_before_opening_the_device() {
    let (env, source) = file_capture_env(1, 10);
    write_file(&env.path("take.wav"), b"precious");
    // The device does not exist: the file check must come first.
    env.run(&["record", "-d", "alsatool_no_such_pcm", "take.wav"])
        .code_is(1)
        .fails_with(&["'take.wav' exists", "--force"]);
    assert_eq!(std::fs::read(env.path("take.wav")).unwrap(), b"precious");
    write_file(&env.path("next-01.wav"), b"earlier take");
    record(&env, &["--duration", "0.1", "next.wav"])
        .fails_with(&["'next-01.wav' exists", "--force"]);
    assert!(!env.path("next.wav").exists());

    record(&env, &["--duration", "0.5", "--force", "take.wav"]).success();
    assert!(data_of(&env.path("take.wav")) == source[..BYTES_PER_SECOND / 2]);
}

#[test]
fn formats_wav_cannot_hold_are_refused_with_a_hint() {
    let (env, _) = file_capture_env(1, 11);
    record(&env, &["-f", "S24_LE", "x.wav"])
        .code_is(2)
        .fails_with(&["S24_LE", "-t raw"]);
    record(&env, &["--max-file-size", "1M", "-"])
        .code_is(2)
        .fails_with(&["--max-file-size", "standard output"]);
    env.run(&["record", "-d", "alsatool_no_such_pcm", "y.wav"])
        .code_is(1)
        .fails_with(&["'alsatool_no_such_pcm'", "no such device"]);
    assert!(!env.path("y.wav").exists());
}

#[test]
fn rolls_over_into_numbered_files_without_losing_a_frame() {
    let (env, source) = file_capture_env(3, 12);
    record(
        &env,
        &["--duration", "2", "--max-file-size", "100K", "take.wav"],
    )
    .success();
    assert!(
        !env.path("take.wav").exists(),
        "take.wav becomes take-01.wav"
    );
    let mut joined = Vec::new();
    let mut n = 1;
    loop {
        let path = env.path(&format!("take-{n:02}.wav"));
        if !path.exists() {
            break;
        }
        let wav = assert_finished_wav(&path);
        assert!(std::fs::metadata(&path).unwrap().len() <= 100 * 1024);
        assert_eq!(wav.rate, 48000);
        joined.extend(data_of(&path));
        n += 1;
    }
    assert_eq!(n - 1, (2 * BYTES_PER_SECOND).div_ceil(100 * 1024 - 44));
    assert_eq!(joined.len(), 2 * BYTES_PER_SECOND);
    assert!(joined == source[..joined.len()], "bytes not continuous");

    // By time, and raw files too.
    record(
        &env,
        &["--duration", "2", "--max-file-time", "0.5", "t.raw"],
    )
    .success();
    let mut joined = Vec::new();
    for n in 1..=4 {
        let part = std::fs::read(env.path(&format!("t-{n:02}.raw"))).unwrap();
        assert_eq!(part.len(), BYTES_PER_SECOND / 2);
        joined.extend(part);
    }
    assert!(!env.path("t-05.raw").exists());
    assert!(joined == source[..2 * BYTES_PER_SECOND]);
}

/// A small tmpfs mounted for the test, unmounted on drop. The tests run as root (CI too): a
/// tmpfs that cannot be mounted fails the test rather than skipping what it checks.
struct SmallTmpfs {
    dir: tempfile::TempDir,
}

impl SmallTmpfs {
    fn mount(size: &str) -> SmallTmpfs {
        let dir = tempfile::tempdir().expect("create a mount point");
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "cannot mount a {size} tmpfs for the full-disk test (the tests run as root): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        SmallTmpfs { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for SmallTmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_keeps_a_valid_file_and_says_why() {
    let (env, source) = file_capture_env(2, 13);
    let tmpfs = SmallTmpfs::mount("256k");
    let target = tmpfs.path("take.wav");
    let target_text = target.to_string_lossy().into_owned();
    record(&env, &[&target_text])
        .code_is(1)
        .fails_with(&["No space left on device", &target_text]);
    let wav = assert_finished_wav(&target);
    assert!(
        wav.actual_data > 200 * 1024,
        "kept {} bytes",
        wav.actual_data
    );
    assert!(data_of(&target) == source[..wav.actual_data]);
    // Standard output on a full device.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("open /dev/full");
    let out = env
        .alsatool()
        .args(["record", "-d", "cap", "--duration", "1", "-"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("standard output") && stderr.contains("No space left on device"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// A private PulseAudio whose default source is the null sink's monitor.
fn pulse_env() -> (Pulse, TestEnv) {
    let pulse = Pulse::start();
    pulse.pactl_text(&["set-default-source", "null.monitor"]);
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    (pulse, env)
}

/// aplay playing a sine into the private server's null sink, stopped on drop.
pub(crate) struct Player(Child);

impl Drop for Player {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Plays a sine of `freq` Hz lasting `secs` into the null sink with aplay (which also keeps the
/// sink, and so its monitor, at aplay's low latency: with no stream playing, the null sink's
/// monitor delivers in bursts of up to two seconds, to arecord too).
pub(crate) fn play_into_the_sink(pulse: &Pulse, env: &TestEnv, secs: &str, freq: &str) -> Player {
    require_tool("sox");
    let tone = sox_tone(env, &format!("tone-{freq}.wav"), secs, freq);
    let player = env
        .tool("aplay")
        .args(["-q", "-D", "pulse", tone.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("aplay");
    let player = Player(player);
    // Until the sink runs, and longer: a recording that starts within about a second of the
    // stream's start loses up to half a second (the sink is still settling its latency).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !pulse
        .pactl_text(&["list", "short", "sinks"])
        .contains("RUNNING")
    {
        assert!(Instant::now() < deadline, "aplay's stream never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(1500));
    player
}

/// Waits until `path` holds at least a WAV header.
fn wait_for_header(path: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if std::fs::metadata(path)
            .map(|m| m.len() >= 44)
            .unwrap_or(false)
        {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("record ended early with {status}: {err}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never got a header", path.display());
}

#[test]
fn signals_at_random_moments_always_leave_a_valid_file() {
    let (pulse, env) = pulse_env();
    let _player = play_into_the_sink(&pulse, &env, "60", "440");
    let cases = [
        ("int", libc::SIGINT),
        ("term", libc::SIGTERM),
        ("hup", libc::SIGHUP),
        ("twice", libc::SIGINT),
        ("kill", libc::SIGKILL),
        ("kill2", libc::SIGKILL),
    ];
    for (name, signal) in cases {
        let file = format!("{name}.wav");
        let path = env.path(&file);
        let started = Instant::now();
        let mut child = env.spawn(&["record", "-d", "pulse", &file], Stdio::null());
        wait_for_header(&path, &mut child);
        // SIGKILL at least a second in, so that a header rewritten once a second (or only at
        // the start) cannot pass for one rewritten every 0.1 s.
        let delay = if signal == libc::SIGKILL {
            1000 + random_below(1000)
        } else {
            100 + random_below(1500)
        };
        std::thread::sleep(Duration::from_millis(delay));
        let pid = child.id() as libc::pid_t;
        // SAFETY: signalling our own child.
        unsafe { libc::kill(pid, signal) };
        let ran = started.elapsed().as_secs_f64();
        if name == "twice" {
            std::thread::sleep(Duration::from_millis(5));
            unsafe { libc::kill(pid, libc::SIGINT) };
        }
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let bytes = std::fs::read(&path).unwrap();
        let wav = Wav::parse(&bytes);
        assert_eq!((wav.channels, wav.rate), (2, 48000));
        if signal == libc::SIGKILL {
            // The header is rewritten every 0.1 s: beyond it are at most that tenth of a second
            // and the chunk being written (about another 0.1 s), never more.
            assert!(wav.data_len as usize <= wav.actual_data, "{name}: {wav:?}");
            assert!(
                wav.actual_data - (wav.data_len as usize) <= BYTES_PER_SECOND / 5,
                "{name} after {delay} ms: the header lags the data by {:.3} s: {wav:?}",
                (wav.actual_data - wav.data_len as usize) as f64 / BYTES_PER_SECOND as f64
            );
            assert_eq!(wav.data_len % 4, 0);
        } else {
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name} after {delay} ms: {stderr}"
            );
            assert!(stderr.is_empty(), "{name}: {stderr}");
            assert_finished_wav(&path);
            // Real time: about as long as the recorder ran before the signal (its start-up
            // and the stream's latency are well under 0.3 s on the private server).
            let recorded = wav.actual_data as f64 / BYTES_PER_SECOND as f64;
            assert!(
                (recorded - ran).abs() <= 0.3,
                "{name}: {recorded:.3} s recorded in {ran:.3} s from start to signal"
            );
        }
    }
}

#[test]
fn records_a_tone_played_into_pulseaudio_in_real_time() {
    require_tool("sox");
    let (pulse, env) = pulse_env();
    let player = play_into_the_sink(&pulse, &env, "6", "1000");
    let started = Instant::now();
    env.run(&["record", "-d", "pulse", "--duration", "1.5", "tone-in.wav"])
        .success();
    let took = started.elapsed();
    drop(player);
    assert!(
        took >= Duration::from_millis(1400),
        "real time, not {took:?}"
    );
    let wav = assert_finished_wav(&env.path("tone-in.wav"));
    assert_eq!(wav.actual_data, 72000 * 4);
    let stat = env.run_tool("sox", &["tone-in.wav", "-n", "remix", "1", "stat"]);
    let text = stat.stderr();
    let field = |name: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split(':').nth(1))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in sox stat:\n{text}"))
    };
    let freq = field("Rough   frequency");
    assert!((freq - 1000.0).abs() < 30.0, "frequency {freq}\n{text}");
    assert!(field("Maximum amplitude") > 0.3, "{text}");
}

#[test]
fn a_stalled_standard_output_consumer_costs_no_audio() {
    let (_pulse, env) = pulse_env();
    let mut child = env.spawn(
        &["record", "-d", "pulse", "-t", "raw", "--duration", "3", "-"],
        Stdio::null(),
    );
    let mut stdout = child.stdout.take().unwrap();
    // Read nothing for two seconds: a pipe holds 64 KiB, a third of a second of this audio.
    std::thread::sleep(Duration::from_secs(2));
    let mut all = Vec::new();
    stdout.read_to_end(&mut all).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("overran"), "{stderr}");
    assert_eq!(all.len(), 3 * BYTES_PER_SECOND);
}

#[test]
fn memory_stays_flat_however_long_the_recording() {
    // Ten minutes of CD-quality stereo (100 MiB) as fast as the file-backed PCM gives it, against
    // one second: the long one may not take more memory. (The absolute figure includes the
    // binary's code, which a debug build makes larger: the release binary peaks near 10 MiB.)
    let (env, _) = file_capture_env(1, 14);
    let short = recorder_peak_rss_kib(&env, "1", "short.wav");
    let long = recorder_peak_rss_kib(&env, "600", "long.wav");
    let wav = assert_finished_wav(&env.path("long.wav"));
    assert_eq!(wav.actual_data, 600 * 44100 * 4);
    assert!(short > 0 && long > 0, "could not read the recorder's VmHWM");
    assert!(
        long < short + 2 * 1024,
        "peak RSS {long} KiB for 10 minutes, {short} KiB for 1 s"
    );
    assert!(long < 32 * 1024, "peak RSS {long} KiB");
}

/// The recorder's own peak RSS (VmHWM of its address space since exec) for a take of
/// `duration` from the test's capture PCM, read while it runs. Not wait4's ru_maxrss: a spawned
/// child inherits this (large, multi-threaded) test process's high-water mark, which would
/// measure the tests rather than alsatool.
fn recorder_peak_rss_kib(env: &TestEnv, duration: &str, file: &str) -> u64 {
    let mut child = env.spawn(
        &[
            "record",
            "-d",
            "cap",
            "-f",
            "cd",
            "--duration",
            duration,
            file,
        ],
        Stdio::null(),
    );
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(hwm) = std::fs::read_to_string(&status_path).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        }) {
            peak_kib = peak_kib.max(hwm);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(status.success());
    peak_kib
}

#[test]
fn a_closed_standard_output_ends_the_recording_quietly() {
    let (env, _) = file_capture_env(1, 15);
    let mut child = env.spawn(&["record", "-d", "cap", "-"], Stdio::null());
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 1000];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(&head[..4], b"RIFF");
}

#[test]
fn verbose_says_what_the_device_took() {
    let (env, _) = file_capture_env(1, 16);
    let run = env.run(&["-v", "record", "-d", "cap", "--duration", "0.1", "v.wav"]);
    run.success();
    let stderr = run.stderr();
    assert!(
        stderr.contains("'cap': S16_LE stereo 48000 Hz, period"),
        "{stderr}"
    );
}

/// One traced system call from `strace -f -tt`: the thread, the time of day in seconds, and
/// the line from the call's name on.
struct Traced<'a> {
    tid: u32,
    at: f64,
    call: &'a str,
}

fn parse_strace(log: &str) -> Vec<Traced<'_>> {
    log.lines()
        .filter_map(|line| {
            // strace pads the thread id: `123   12:00:00.000001 call(…`.
            let (tid, rest) = line.split_once(' ')?;
            let (time, call) = rest.trim_start().split_once(' ')?;
            let mut hms = time.split(':').map(|f| f.parse::<f64>().ok());
            let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
            Some(Traced {
                tid: tid.parse().ok()?,
                at: h * 3600.0 + m * 60.0 + s,
                call,
            })
        })
        .collect()
}

#[test]
fn strace_lines_parse_with_padded_and_unpadded_thread_ids() {
    let log = "42    03:14:42.500000 fdatasync(6 <unfinished ...>\n\
               123456 23:59:59.250000 prctl(PR_SET_NAME, \"fdatasync\") = 0\n\
               42    03:14:42.600000 <... fdatasync resumed>) = 0\n\
               42 +++ exited with 0 +++\n";
    let calls = parse_strace(log);
    assert_eq!(calls.len(), 3);
    assert_eq!(
        (calls[0].tid, calls[0].call),
        (42, "fdatasync(6 <unfinished ...>")
    );
    assert!((calls[0].at - (3.0 * 3600.0 + 14.0 * 60.0 + 42.5)).abs() < 1e-9);
    assert_eq!(calls[1].tid, 123456);
    assert!(calls[1]
        .call
        .starts_with("prctl(PR_SET_NAME, \"fdatasync\")"));
}

#[test]
fn fdatasync_runs_about_once_a_second_on_a_thread_of_its_own() {
    require_tool("strace");
    let (_pulse, env) = pulse_env();
    let log = env.path("strace.log");
    let log_text = log.display().to_string();
    env.run_tool(
        "strace",
        &[
            "-f",
            "-tt",
            "-e",
            "trace=fdatasync,prctl,write,pwrite64",
            "-o",
            &log_text,
            env!("CARGO_BIN_EXE_alsatool"),
            "record",
            "-d",
            "pulse",
            "--duration",
            "4.5",
            "take.wav",
        ],
    )
    .success();
    let wav = assert_finished_wav(&env.path("take.wav"));
    assert_eq!(wav.actual_data, 9 * BYTES_PER_SECOND / 2);
    let text = std::fs::read_to_string(&log).unwrap();
    let calls = parse_strace(&text);
    let name_of = |tid: u32| {
        calls
            .iter()
            .filter(|c| c.tid == tid)
            .find_map(|c| c.call.strip_prefix("prctl(PR_SET_NAME, \""))
            .and_then(|rest| rest.split('"').next())
    };
    // The finished file (and its directory) is synced once more by the writer before it
    // reports the recording done: those come after every write of audio.
    let all_syncs: Vec<&Traced> = calls
        .iter()
        .filter(|c| c.call.starts_with("fdatasync("))
        .collect();
    let syncer = all_syncs
        .iter()
        .map(|c| c.tid)
        .find(|tid| name_of(*tid) == Some("fdatasync"))
        .unwrap_or_else(|| panic!("no fdatasync from a thread named for it:\n{text}"));
    // The last header rewrite: the one that finalizes the file after its last audio.
    let last_audio_write = calls
        .iter()
        .filter(|c| c.call.starts_with("pwrite64("))
        .map(|c| c.at)
        .fold(0.0, f64::max);
    assert!(
        all_syncs
            .iter()
            .filter(|c| c.tid != syncer)
            .all(|c| c.at >= last_audio_write),
        "a sync off the fdatasync thread before the recording finished:\n{text}"
    );
    let syncs: Vec<&Traced> = all_syncs
        .iter()
        .copied()
        .filter(|c| c.tid == syncer)
        .collect();
    // Once a second over 4.5 s of recording: at 1, 2, 3 and 4 s (give or take one).
    assert!(
        (3..=6).contains(&syncs.len()),
        "{} fdatasync calls in 4.5 s:\n{text}",
        syncs.len()
    );
    for pair in syncs.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(
            (0.8..=1.5).contains(&gap),
            "{gap:.3} s between two fdatasync calls:\n{text}"
        );
    }
    // The periodic ones on a thread of their own that writes nothing: not the writer, which
    // rewrites the header with pwrite64.
    let writers: Vec<u32> = calls
        .iter()
        .filter(|c| c.call.starts_with("pwrite64(") || c.call.starts_with("write("))
        .map(|c| c.tid)
        .collect();
    assert!(
        calls.iter().any(|c| c.call.starts_with("pwrite64(")),
        "no header rewrite traced:\n{text}"
    );
    assert!(
        !writers.contains(&syncer),
        "the fdatasync thread also writes:\n{text}"
    );
}
