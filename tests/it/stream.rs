//! The stream core under real faults and extremes: a stalled player underruns and says so, a
//! capture of any channel count stays bounded in memory, and a duration too long to count
//! still records and stops on Ctrl-C.

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::*;

/// A process's own peak RSS (VmHWM) in KiB, read from /proc while it runs; 0 once it is gone.
fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// `record -q -d null -t raw ARGS -`, with the audio on a pipe.
fn record_raw_from_null(env: &TestEnv, args: &[&str]) -> std::process::Child {
    env.alsatool()
        .args(["record", "-q", "-d", "null", "-t", "raw"])
        .args(args)
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn send(child: &std::process::Child, signal: libc::c_int) {
    // SAFETY: a plain kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as libc::pid_t, signal) };
}

#[test]
fn a_stalled_player_underruns_and_says_where_and_how_long() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    let file = sox_tone(&env, "tone.wav", "8", "440");
    let mut child = env
        .alsatool()
        .args(["play", "-d", "pulse"])
        .arg(&file)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The pulse plugin can take a second or two to start its stream: stall only once the server
    // plays it (an uncorked sink input), so that there is a stream to run dry.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline
        && !pulse
            .pactl_text(&["list", "sink-inputs"])
            .contains("Corked: no")
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1000));
    // A real fault: the process stops for longer than its half-second buffer.
    send(&child, libc::SIGSTOP);
    std::thread::sleep(Duration::from_millis(1500));
    send(&child, libc::SIGCONT);
    let status = wait_for_exit(&mut child, Duration::from_secs(20)).expect("did not finish");
    let mut stderr = String::new();
    child
        .stderr
        .as_mut()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("alsatool: warning: underrun at "))
        .collect();
    // One line per gap: the stall's, and on a loaded machine perhaps others.
    assert!(!warnings.is_empty(), "no line for the gap: {stderr}");
    // "underrun at 0:01: about 1.0 s of silence". The pulse plugin notices an underrun late and
    // keeps no xrun timestamp, so the length is only bounded here (at most the stall); the
    // kernel bench checks it against a real driver's own timestamp.
    let seconds = |line: &str| -> f64 {
        line.split("about ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1.0)
    };
    let longest = warnings.iter().map(|l| seconds(l)).fold(-1.0, f64::max);
    assert!((0.0..=2.5).contains(&longest), "{stderr}");
    assert!(
        warnings
            .iter()
            .all(|l| l.ends_with(" s of silence") && seconds(l) >= 0.0),
        "{stderr}"
    );
}

#[test]
fn capture_memory_is_bounded_in_bytes_at_any_channel_count() {
    // 256 channels of 64-bit float at 192 kHz: 393 MB a second. Before the bound, each 100 ms
    // step alone took 39 MB and the ring four of them.
    let env = TestEnv::new();
    let mut child = record_raw_from_null(
        &env,
        &[
            "-f",
            "FLOAT64_LE",
            "-c",
            "256",
            "-r",
            "192000",
            "--duration",
            "1",
        ],
    );
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        let mut peak = 0u64;
        loop {
            peak = peak.max(peak_rss_kib(pid));
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => return (total, peak),
                Ok(n) => total += n as u64,
            }
        }
    });
    let status = wait_for_exit(&mut child, Duration::from_secs(60)).expect("did not finish");
    let (total, peak) = reader.join().unwrap();
    assert!(status.success());
    assert_eq!(total, 192_000 * 256 * 8);
    assert!(peak > 0, "could not read the recorder's VmHWM");
    assert!(peak < 64 * 1024, "peak RSS {peak} KiB");
}

#[test]
fn a_duration_too_long_to_count_records_and_stops_on_ctrl_c() {
    // 2^46 s at 2^16 Hz: frames times bytes overflowed, asked for 0 bytes and spun.
    let env = TestEnv::new();
    let mut child = record_raw_from_null(&env, &["-r", "65536", "--duration", "70368744177664"]);
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0usize;
    let deadline = Instant::now() + Duration::from_secs(10);
    while total < 1 << 20 && Instant::now() < deadline {
        match stdout.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
    assert!(total >= 1 << 20, "only {total} bytes arrived");
    send(&child, libc::SIGINT);
    let reader = std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let status = wait_for_exit(&mut child, Duration::from_secs(2)).expect("ignored Ctrl-C");
    let _ = reader.join();
    assert!(status.success());
}
