//! What `alsatool record` leaves on disk and on standard output, whatever ends it: no limit on
//! a stream, numbered files that skip taken names and are checked up front, no empty or
//! headerless file after a failure, a header that keeps up with the audio under SIGKILL, and
//! limits no file can keep refused as usage errors.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{noise, wait_for_exit, write_file, TestEnv};

/// The test stream: S16_LE stereo at 48 kHz.
const BYTES_PER_SECOND: usize = 48000 * 4;

/// A test env with a capture PCM `cap` yielding noise (then whatever the file plugin gives at
/// the end of its file), as fast as it is read.
fn capture_env(seconds: usize, seed: u64) -> (TestEnv, Vec<u8>) {
    let mut env = TestEnv::new();
    let source = noise(seconds * BYTES_PER_SECOND, seed);
    let raw = env.path("in.raw");
    write_file(&raw, &source);
    env.add_capture_pcm("cap", &raw);
    (env, source)
}

/// (offset of the data, declared data size) of a WAV file's bytes.
fn wav_data(bytes: &[u8]) -> (usize, u32) {
    assert!(bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WAVE");
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let len = u32_at(pos + 4);
        if &bytes[pos..pos + 4] == b"data" {
            return (pos + 8, len);
        }
        pos += 8 + len as usize + (len as usize & 1);
    }
    panic!("no data chunk");
}

/// The audio of a finished WAV file, asserting its header matches the file exactly.
fn finished_data(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let (offset, len) = wav_data(&bytes);
    assert_eq!(len as usize, bytes.len() - offset, "{}", path.display());
    let riff = u32::from_le_bytes(bytes[4..8].try_into().unwrap());
    assert_eq!(riff as usize, bytes.len() - 8, "{}", path.display());
    assert_eq!((bytes.len() - offset) % 4, 0, "{}", path.display());
    bytes[offset..].to_vec()
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn spawn(env: &TestEnv, args: &[&str]) -> Child {
    env.alsatool()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn alsatool record")
}

fn stderr_of(child: &mut Child) -> String {
    let mut err = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut err);
    }
    err
}

/// A random number from the OS-seeded hasher.
fn random_below(n: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    h.finish() % n.max(1)
}

#[test]
fn standard_output_wav_is_open_ended_and_goes_past_4_gib() {
    let env = TestEnv::new();
    // Short: exactly the header and the audio, with arecord's open-ended sizes.
    let run = env.run(&[
        "record",
        "-d",
        "null",
        "-f",
        "S32_LE",
        "-c",
        "8",
        "-r",
        "192000",
        "--duration",
        "0.5",
        "-",
    ]);
    run.success();
    let out = &run.output.stdout;
    assert_eq!(out.len(), 68 + 96_000 * 32);
    assert_eq!(wav_data(out), (68, 0x8000_0000));

    // Past the 32-bit sizes: 700 s of 8 x S32_LE at 192 kHz is 4.3 GB, streamed to a reader
    // that counts it (the null device delivers it in seconds). It used to stop at 4 GiB and
    // spin, deaf to signals.
    let mut child = env
        .alsatool()
        .args([
            "record",
            "-d",
            "null",
            "-f",
            "S32_LE",
            "-c",
            "8",
            "-r",
            "192000",
            "--duration",
            "700",
            "-",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n as u64;
        }
        total
    });
    let status = wait_for_exit(&mut child, Duration::from_secs(180));
    let stderr = stderr_of(&mut child);
    assert!(status.is_some_and(|s| s.success()), "{status:?}: {stderr}");
    let total = reader.join().unwrap();
    assert_eq!(total, 68 + 700 * 192_000 * 32);
    assert!(total > 1 << 32);
}

#[test]
fn a_later_numbered_file_that_exists_is_skipped_not_the_end_of_the_take() {
    let (env, source) = capture_env(2, 21);
    write_file(&env.path("take-02.wav"), b"earlier take");
    // No --duration: the number of files is not known, so the name is met at rollover.
    let mut child = spawn(
        &env,
        &["record", "-d", "cap", "--max-file-size", "1M", "take.wav"],
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !env.path("take-05.wav").exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "record ended early with {status}: {}",
                stderr_of(&mut child)
            );
        }
        assert!(Instant::now() < deadline, "never reached take-05.wav");
        std::thread::sleep(Duration::from_millis(2));
    }
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = wait_for_exit(&mut child, Duration::from_secs(20)).expect("did not finish");
    let stderr = stderr_of(&mut child);
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "alsatool: warning: 'take-02.wav' existed, so the recording skipped that name"
    );
    assert_eq!(
        std::fs::read(env.path("take-02.wav")).unwrap(),
        b"earlier take"
    );
    assert!(!env.path("take.wav").exists());
    let mut joined = Vec::new();
    let mut n = 1;
    loop {
        let path = env.path(&format!("take-{n:02}.wav"));
        if n != 2 {
            if !path.exists() {
                break;
            }
            assert!(std::fs::metadata(&path).unwrap().len() <= 1 << 20);
            joined.extend(finished_data(&path));
        }
        n += 1;
    }
    assert!(n > 5, "{n}");
    assert!(joined.len() >= source.len());
    assert!(joined[..source.len()] == source[..], "bytes not continuous");
}

#[test]
fn names_a_known_length_writes_are_checked_before_the_device_opens() {
    let (env, source) = capture_env(3, 22);
    // 2 s in files of 64 KiB: take-01 to take-06.
    write_file(&env.path("take-03.wav"), b"earlier take");
    env.run(&[
        "record",
        "-d",
        "alsatool_no_such_pcm",
        "--duration",
        "2",
        "--max-file-size",
        "64K",
        "take.wav",
    ])
    .code_is(1)
    .fails_with(&["'take-03.wav' exists", "take-06.wav", "--force"]);
    assert_eq!(names_in(env.dir.path()).len(), 4, "nothing new");

    // A name past the last file is no obstacle, and stays as it is.
    std::fs::rename(env.path("take-03.wav"), env.path("take-07.wav")).unwrap();
    env.run(&[
        "record",
        "-d",
        "cap",
        "--duration",
        "2",
        "--max-file-size",
        "64K",
        "take.wav",
    ])
    .success()
    .stderr_is_empty();
    let mut joined = Vec::new();
    for n in 1..=6 {
        joined.extend(finished_data(&env.path(&format!("take-{n:02}.wav"))));
    }
    assert!(joined == source[..2 * BYTES_PER_SECOND]);
    assert_eq!(
        std::fs::read(env.path("take-07.wav")).unwrap(),
        b"earlier take"
    );
}

/// A small tmpfs mounted for the test, unmounted on drop (the FLAC tests use it too). `None` (with the reason printed) where
/// mounting is not permitted.
pub(crate) struct SmallTmpfs {
    dir: tempfile::TempDir,
}

impl SmallTmpfs {
    pub(crate) fn mount(size: &str) -> Option<SmallTmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!(
                "SKIPPED small-disk test: cannot mount a tmpfs here ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(SmallTmpfs { dir })
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
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

/// Fills `path`'s file system: writes until it is full.
fn fill(path: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let block = [0u8; 4096];
    while f.write_all(&block).is_ok() {}
}

#[test]
fn a_header_that_does_not_fit_leaves_no_file_behind() {
    let (env, source) = capture_env(2, 23);
    if let Some(tmpfs) = SmallTmpfs::mount("200k") {
        // Files of 40 KiB until the disk is full: the next header does not fit.
        let target = tmpfs.path("take.wav");
        let target_text = target.to_string_lossy().into_owned();
        let run = env.run(&[
            "record",
            "-d",
            "cap",
            "--duration",
            "2",
            "--max-file-size",
            "40960",
            &target_text,
        ]);
        run.code_is(1)
            .fails_with(&["No space left on device", "the recording ends in", "take-0"]);
        let names = names_in(tmpfs.dir.path());
        assert!(names.len() >= 3, "{names:?}");
        let mut joined = Vec::new();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(name, &format!("take-{:02}.wav", i + 1), "{names:?}");
            let data = finished_data(&tmpfs.path(name));
            assert!(!data.is_empty(), "{name} holds no audio");
            joined.extend(data);
        }
        assert!(joined == source[..joined.len()]);

        // A disk full before the first header: no file at all, so a retry needs no --force.
        for name in &names {
            std::fs::remove_file(tmpfs.path(name)).unwrap();
        }
        fill(&tmpfs.path("filler"));
        env.run(&["record", "-d", "cap", "--duration", "0.1", &target_text])
            .code_is(1)
            .fails_with(&["No space left on device", &target_text]);
        assert_eq!(names_in(tmpfs.dir.path()), ["filler"]);
        std::fs::remove_file(tmpfs.path("filler")).unwrap();
        env.run(&["record", "-d", "cap", "--duration", "0.1", &target_text])
            .success();
        assert!(finished_data(&target) == source[..BYTES_PER_SECOND / 10]);
    }
    // A device written with --force is written in place, never replaced or removed.
    env.run(&[
        "record",
        "-d",
        "cap",
        "--duration",
        "0.1",
        "--force",
        "/dev/full",
    ])
    .code_is(1)
    .fails_with(&["'/dev/full'", "No space left on device"]);
    use std::os::unix::fs::FileTypeExt;
    let meta = std::fs::metadata("/dev/full").unwrap();
    assert!(meta.file_type().is_char_device());
}

#[test]
fn sigkill_at_a_random_moment_leaves_a_header_a_tenth_of_a_second_behind_at_most() {
    let (env, _) = capture_env(1, 24);
    for round in 0..3 {
        let file = format!("kill{round}.wav");
        let path = env.path(&file);
        let started = Instant::now();
        let mut child = spawn(&env, &["record", "-d", "cap", &file]);
        let at = Duration::from_millis(50 + random_below(150));
        while started.elapsed() < at {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "record ended early with {status}: {}",
                    stderr_of(&mut child)
                );
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{file} after {at:?}: {e}"));
        let (offset, declared) = wav_data(&bytes);
        let in_file = bytes.len() - offset;
        // A tenth of a second of audio, plus one chunk of about as much being written.
        let slack = BYTES_PER_SECOND / 10 * 2;
        assert!(
            declared as usize <= in_file && in_file - (declared as usize) <= slack,
            "{file} killed after {at:?}: header says {declared}, the file holds {in_file}"
        );
        assert_eq!(declared % 4, 0);
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn limits_no_file_can_keep_are_usage_errors_before_the_device_opens() {
    let env = TestEnv::new();
    let record = |extra: &[&str]| {
        let mut args = vec!["record", "-d", "alsatool_no_such_pcm"];
        args.extend_from_slice(extra);
        args.push("x.wav");
        env.run(&args)
    };
    record(&["--max-file-time", "0"])
        .code_is(2)
        .fails_with(&["--max-file-time must be more than 0"]);
    record(&["--max-file-time", "0.00001"])
        .code_is(2)
        .fails_with(&["--max-file-time", "shorter than one frame at 48000 Hz"]);
    record(&["--max-file-size", "47"])
        .code_is(2)
        .fails_with(&["--max-file-size 47 is too small", "at least 48 bytes"]);
    record(&["-c", "8", "-f", "S32_LE", "--max-file-size", "99"])
        .code_is(2)
        .fails_with(&["at least 100 bytes"]);
    assert!(!env.path("x.wav").exists());
}

#[test]
fn force_onto_a_fifo_writes_a_stream_with_an_open_ended_header() {
    let (env, source) = capture_env(1, 25);
    let fifo = env.path("fifo");
    let c_path = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || std::fs::read(reader_path).unwrap());
    env.run(&[
        "record",
        "-d",
        "cap",
        "--duration",
        "0.5",
        "--force",
        "fifo",
    ])
    .success();
    let bytes = reader.join().unwrap();
    assert_eq!(wav_data(&bytes), (44, 0x8000_0000));
    assert!(bytes[44..] == source[..BYTES_PER_SECOND / 2]);
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn every_file_is_synced_after_its_last_header_before_the_recording_ends() {
    crate::util::require_tool("strace");
    let (env, _) = capture_env(2, 26);
    let log = env.path("strace.log");
    let log_text = log.to_string_lossy().into_owned();
    let alsatool = env!("CARGO_BIN_EXE_alsatool");
    env.run_tool(
        "strace",
        &[
            "-f",
            "-y",
            "-qq",
            "-e",
            "trace=fdatasync,pwrite64",
            "-o",
            &log_text,
            alsatool,
            "record",
            "-d",
            "cap",
            "--duration",
            "1",
            "--max-file-size",
            "64K",
            "take.wav",
        ],
    )
    .success();
    let lines: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    // 1 s in files of 64 KiB: take-01 to take-03; the syncer's calls may show "unfinished".
    for n in 1..=3 {
        let name = format!("take-{n:02}.wav>");
        // The first file gets its last header while still called take.wav.
        let header_name = if n == 1 {
            "/take.wav>".to_string()
        } else {
            name.clone()
        };
        let last_header = lines
            .iter()
            .rposition(|l| l.contains("pwrite64(") && l.contains(&header_name))
            .unwrap_or_else(|| panic!("no header written to {name}"));
        let synced = lines.iter().enumerate().skip(last_header).any(|(i, l)| {
            l.contains("fdatasync(")
                && l.contains(&name)
                && (l.ends_with("= 0")
                    || lines[i + 1..]
                        .iter()
                        .any(|r| r.contains("<... fdatasync resumed>") && r.ends_with("= 0")))
        });
        assert!(
            synced,
            "{name} never synced after its last header:\n{}",
            lines.join("\n")
        );
    }
}
