//! `alsatool play` on inputs that are not regular files: named FIFOs (with no writer yet, with a
//! writer that stalls, with data) and the `/dev/fd/N` pipes of a shell's `<(...)`. Ctrl-C must
//! end every wait at once (issue #12 item 4), and what comes through must play bit for bit.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{assert_bytes, file_pcm, noise, require_tool, wait_for_exit, TestEnv};

/// Makes a FIFO named `name` in the test directory.
fn mkfifo(env: &TestEnv, name: &str) -> PathBuf {
    let path = env.path(name);
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    path
}

/// Sends SIGINT to `child` and asserts it exits 130 within a second, saying nothing.
fn interrupted_within_a_second(mut child: Child, what: &str) {
    assert!(child.try_wait().unwrap().is_none(), "{what}: ended early");
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let sent = Instant::now();
    let status = wait_for_exit(&mut child, Duration::from_secs(5))
        .unwrap_or_else(|| panic!("{what}: still running 5 s after SIGINT"));
    let took = sent.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "{what}: took {took:?} to stop"
    );
    assert_eq!(status.code(), Some(130), "{what}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.is_empty(), "{what}: {stderr}");
}

fn spawn_play(env: &TestEnv, args: &[&str]) -> Child {
    env.alsatool()
        .arg("play")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn alsatool")
}

/// Opens `fifo` for writing on a thread (the open waits for the reader) and writes `bytes`,
/// then keeps it open for `hold` before closing it.
fn writer(fifo: &Path, bytes: Vec<u8>, hold: Duration) -> std::thread::JoinHandle<()> {
    let fifo = fifo.to_path_buf();
    std::thread::spawn(move || {
        let Ok(mut w) = fs::OpenOptions::new().write(true).open(&fifo) else {
            return;
        };
        let _ = w.write_all(&bytes);
        std::thread::sleep(hold);
    })
}

/// A canonical 44-byte-header WAV of S16_LE stereo at 48 kHz holding `data`.
fn wav(data: &[u8]) -> Vec<u8> {
    let mut h = b"RIFF".to_vec();
    h.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&2u16.to_le_bytes());
    h.extend_from_slice(&48000u32.to_le_bytes());
    h.extend_from_slice(&(48000u32 * 4).to_le_bytes());
    h.extend_from_slice(&4u16.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&(data.len() as u32).to_le_bytes());
    h.extend_from_slice(data);
    h
}

#[test]
fn ctrl_c_while_a_fifo_has_no_writer() {
    let env = TestEnv::new();
    let fifo = mkfifo(&env, "fifo");
    let name = fifo.to_str().unwrap();
    for args in [
        &["-d", "null", name][..],
        &["-d", "null", "-t", "raw", "-f", "S16_LE", name][..],
    ] {
        let child = spawn_play(&env, args);
        std::thread::sleep(Duration::from_millis(500));
        interrupted_within_a_second(child, &format!("{args:?}"));
    }
}

#[test]
fn ctrl_c_while_a_fifo_writer_stalls() {
    let env = TestEnv::new();
    // Stalled inside the header, inside a decoded stream's header, and mid-data.
    let flac_head = b"fLaC\0\0\0\x22".to_vec();
    let cases: [(&str, Vec<u8>); 3] = [
        ("in a WAV header", wav(&[0; 400])[..20].to_vec()),
        ("in a FLAC header", flac_head),
        (
            "mid-data",
            wav(&noise(4 * 48000 * 10, 5))[..44 + 4 * 4800].to_vec(),
        ),
    ];
    for (what, bytes) in cases {
        let fifo = mkfifo(&env, &format!("stall-{}", what.replace(' ', "-")));
        let child = spawn_play(&env, &["-d", "null", fifo.to_str().unwrap()]);
        let feeder = writer(&fifo, bytes, Duration::from_secs(3));
        std::thread::sleep(Duration::from_millis(700));
        interrupted_within_a_second(child, what);
        feeder.join().unwrap();
    }
}

#[test]
fn ctrl_c_during_a_start_skip_of_a_stream_exits_130() {
    let env = TestEnv::new();
    let fifo = mkfifo(&env, "skip");
    let raw = ["-d", "null", "-t", "raw", "-f", "S16_LE", "--start", "60"];
    // Standard input that stalls after a little data, and a FIFO that does.
    let mut args = raw.to_vec();
    args.push("-");
    let mut child = env
        .alsatool()
        .arg("play")
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn alsatool");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&[0; 4000]).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    interrupted_within_a_second(child, "--start on standard input");
    drop(stdin);
    let mut args = raw.to_vec();
    args.push(fifo.to_str().unwrap());
    let child = spawn_play(&env, &args);
    let feeder = writer(&fifo, vec![0; 4000], Duration::from_secs(3));
    std::thread::sleep(Duration::from_millis(500));
    interrupted_within_a_second(child, "--start on a FIFO");
    feeder.join().unwrap();
}

#[test]
fn ctrl_c_while_a_process_substitution_pipe_is_silent() {
    let env = TestEnv::new();
    // `exec` so that the signal reaches alsatool itself, reading /dev/fd/63 as `<(...)` gives it.
    let child = env
        .tool("bash")
        .args([
            "-c",
            "exec \"$0\" play -d null <(exec sleep 3)",
            env!("CARGO_BIN_EXE_alsatool"),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn bash");
    std::thread::sleep(Duration::from_millis(500));
    interrupted_within_a_second(child, "<(sleep)");
}

#[test]
fn data_through_a_fifo_plays_bit_for_bit() {
    let env = TestEnv::new();
    let out = env.path("out.raw");
    let device = file_pcm(&out);
    let data = noise(4 * 48000 / 2, 9);
    // A WAV header and the data, and the same data as raw with the layout given.
    for (args, bytes) in [
        (vec![], wav(&data)),
        (
            vec!["-t", "raw", "-f", "S16_LE", "-c", "2", "-r", "48000"],
            data.clone(),
        ),
    ] {
        let _ = fs::remove_file(&out);
        let fifo = mkfifo(&env, &format!("data-{}", args.len()));
        let feeder = writer(&fifo, bytes, Duration::ZERO);
        let mut all = vec!["play", "-d", device.as_str()];
        all.extend_from_slice(&args);
        all.push(fifo.to_str().unwrap());
        env.run(&all).success();
        feeder.join().unwrap();
        assert_bytes(&fs::read(&out).unwrap(), &data, &format!("{args:?}"));
    }
}

#[test]
fn a_flac_stream_through_a_process_substitution_decodes_bit_for_bit() {
    require_tool("sox");
    let env = TestEnv::new();
    env.run_tool(
        "sox",
        &[
            "-R",
            "-D",
            "-n",
            "-r",
            "44100",
            "-b",
            "16",
            "-c",
            "2",
            "tone.flac",
            "synth",
            "0.5",
            "whitenoise",
            "vol",
            "0.5",
        ],
    )
    .success();
    let expected = env.run_tool("sox", &["tone.flac", "-t", "raw", "-L", "-"]);
    let out = env.path("out.raw");
    let script = format!(
        "exec \"$0\" play -d \"{}\" <(cat tone.flac)",
        file_pcm(&out).replace('"', "\\\"")
    );
    let run = crate::util::Run::of(
        env.tool("bash")
            .args(["-c", &script, env!("CARGO_BIN_EXE_alsatool")]),
        &["bash", "-c", &script],
    );
    run.success();
    assert_bytes(
        &fs::read(&out).unwrap(),
        &expected.output.stdout,
        "FLAC through <(cat)",
    );
}
