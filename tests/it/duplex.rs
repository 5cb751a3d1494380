//! `alsatool loop` and `alsatool latency`: capture to playback through real ALSA. File-backed
//! capture PCMs (alsa-lib's file plugin with `infile`) into file playback PCMs for bit-exact
//! checks, gating and hooks; a private PulseAudio for real time: its null sink played into and
//! its monitor captured is a real loopback for `latency`, and its controls are real mixers for
//! the volume forwarding.

use std::fs;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::*;

/// One second of S16_LE stereo at 48 kHz.
const SECOND: usize = 48_000 * 4;

/// Where `sent` begins to hold `data`, after nothing but silence (what the loop queues
/// before the first period so that its latency is OUT's buffer).
fn after_lead(sent: &[u8], data: &[u8], what: &str) -> usize {
    let start = sent
        .windows(64)
        .position(|w| w == &data[..64])
        .unwrap_or_else(|| panic!("{what}: the input never arrives ({} bytes)", sent.len()));
    assert!(
        sent[..start].iter().all(|&b| b == 0),
        "{what}: something but silence before the input"
    );
    start
}

#[test]
fn loop_is_bit_exact_between_file_plugins_and_records_what_passes() {
    let mut env = TestEnv::new();
    let data = noise(SECOND, 14);
    write_file(&env.path("in.raw"), &data);
    env.add_capture_pcm("cap", &env.path("in.raw"));
    let out = env.path("out.raw");
    let run = env.run(&[
        "loop",
        "cap",
        &file_pcm(&out),
        "--duration",
        "1",
        "--record",
        "take.wav",
    ]);
    run.success();
    let sent = fs::read(&out).unwrap();
    let start = after_lead(&sent, &data, "played");
    assert_bytes(&sent[start..], &data, "what OUT received after the lead");
    // The recording holds exactly what passed, as captured.
    let take = fs::read(env.path("take.wav")).unwrap();
    assert_bytes(&take[44..], &data, "the --record file's data");
    let stderr = run.stderr();
    assert!(
        stderr.starts_with("Looped 0:01 from 'cap' to ") && stderr.contains("0 xruns"),
        "{stderr}"
    );
    assert!(stderr.contains("not run in real time"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn loop_converts_for_a_device_that_takes_only_six_channels() {
    let mut env = TestEnv::new();
    let data = noise(SECOND / 4, 15);
    write_file(&env.path("in.raw"), &data);
    env.add_capture_pcm("cap", &env.path("in.raw"));
    let out = env.path("out.raw");
    let mut multi = format!(
        "pcm.six_only {{ type multi slaves.a.pcm {} slaves.a.channels 6",
        file_pcm_quoted(&out)
    );
    for ch in 0..6 {
        multi.push_str(&format!(
            " bindings.{ch}.slave a bindings.{ch}.channel {ch}"
        ));
    }
    multi.push_str(" }");
    env.add_asoundrc(&multi);
    let run = env.run(&["-v", "loop", "cap", "six_only", "--duration", "0.25"]);
    run.success();
    assert!(run.stderr().contains("first 2 of 6"), "{}", run.stderr());
    let sent = fs::read(&out).unwrap();
    // The first two channels of every frame, after the lead, are the input; the rest silent.
    let firsts: Vec<u8> = sent
        .chunks_exact(12)
        .flat_map(|frame| frame[..4].to_vec())
        .collect();
    let start = after_lead(&firsts, &data, "played");
    assert_bytes(&firsts[start..], &data, "channels 1 and 2");
    assert!(sent
        .chunks_exact(12)
        .all(|frame| frame[4..].iter().all(|&b| b == 0)));
}

#[test]
fn gating_opens_and_closes_twice_and_runs_the_hooks() {
    let mut env = TestEnv::new();
    // Sound, silence, sound, silence: half a second of sound, then a second and a half of
    // silence each time, which closes OUT half a second in.
    let first = noise(SECOND / 2, 16);
    let second = noise(SECOND / 2, 17);
    let mut data = first.clone();
    data.extend(vec![0u8; SECOND * 3 / 2]);
    data.extend(&second);
    data.extend(vec![0u8; SECOND * 3 / 2]);
    write_file(&env.path("in.raw"), &data);
    env.add_capture_pcm("cap", &env.path("in.raw"));
    let out = env.path("out.raw");
    let hooks = env.path("hooks.log");
    let on_start = format!("echo \"start $ALSATOOL_EVENT\" >> '{}'", hooks.display());
    let on_stop = format!("echo stop >> '{}'", hooks.display());
    let run = env.run(&[
        "loop",
        "cap",
        &file_pcm(&out),
        "--duration",
        "4",
        "--silence-close",
        "0.5s",
        "--on-start",
        &on_start,
        "--on-stop",
        &on_stop,
    ]);
    run.success();
    let log = fs::read_to_string(&hooks).unwrap();
    assert_eq!(
        log,
        "start start\nstop\nstart start\nstop\n",
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("OUT opened 2 time(s)"),
        "{}",
        run.stderr()
    );
    // The file plugin starts its file again at each opening: the second one holds the second
    // stretch of sound, then (at most) the half second of silence that closed it.
    let sent = fs::read(&out).unwrap();
    let start = after_lead(&sent, &second, "second opening");
    assert_bytes(&sent[start..start + second.len()], &second, "second sound");
    let rest = &sent[start + second.len()..];
    assert!(rest.len() <= SECOND / 2 && rest.iter().all(|&b| b == 0));
}

#[test]
fn a_failing_hook_is_a_warning_and_the_loop_goes_on() {
    let mut env = TestEnv::new();
    write_file(&env.path("in.raw"), &noise(SECOND / 10, 18));
    env.add_capture_pcm("cap", &env.path("in.raw"));
    let run = env.run(&[
        "loop",
        "cap",
        "null",
        "--duration",
        "0.2",
        "--on-start",
        "exit 4",
    ]);
    run.success();
    let stderr = run.stderr();
    assert!(
        stderr.contains("warning: the --on-start command `exit 4` failed"),
        "{stderr}"
    );
    assert!(stderr.contains("Looped"), "{stderr}");
}

#[test]
fn bad_loop_options_are_usage_errors() {
    let env = TestEnv::new();
    env.run(&["loop", "null", "null", "--latency", "0ms"])
        .code_is(2)
        .fails_with(&["--latency must be at least 1ms"]);
    env.run(&["loop", "null", "null", "--latency", "fast"])
        .code_is(2);
    env.run(&["loop", "null", "null", "--volume-from", "hw:0:"])
        .code_is(2)
        .fails_with(&["not a control name"]);
}

#[test]
fn ctrl_c_ends_a_real_time_loop_at_once_with_exit_0_and_a_summary() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    write_file(&env.path("in.raw"), &noise(SECOND * 10, 19));
    env.add_capture_pcm("cap", &env.path("in.raw"));
    let mut child = env
        .alsatool()
        .args(["loop", "cap", "pulse", "--latency", "200ms"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn alsatool loop");
    std::thread::sleep(Duration::from_millis(2500));
    assert!(child.try_wait().unwrap().is_none(), "loop ended by itself");
    let sent = Instant::now();
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = wait_for_exit(&mut child, Duration::from_secs(5)).expect("did not stop");
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "{:?}",
        sent.elapsed()
    );
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    let summary = stderr.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("Looped 0:0") && summary.contains("xrun") && summary.contains("drift"),
        "{stderr}"
    );
}

#[test]
fn a_stalled_loop_underruns_recovers_and_counts_it() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    // The pulse plugin reports underruns only when asked to.
    env.add_asoundrc("pcm.pulse_xrun { type pulse handle_underrun true }");
    write_file(&env.path("in.raw"), &noise(SECOND * 20, 22));
    env.add_capture_pcm("cap", &env.path("in.raw"));
    let mut child = env
        .alsatool()
        .args(["loop", "cap", "pulse_xrun", "--latency", "200ms"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn alsatool loop");
    let pid = child.id() as libc::pid_t;
    std::thread::sleep(Duration::from_millis(2000));
    // The plugin notices an underrun only some time after it happened: stall three times.
    for _ in 0..3 {
        unsafe { libc::kill(pid, libc::SIGSTOP) };
        std::thread::sleep(Duration::from_millis(800));
        unsafe { libc::kill(pid, libc::SIGCONT) };
        std::thread::sleep(Duration::from_millis(1200));
    }
    unsafe { libc::kill(pid, libc::SIGINT) };
    let status = wait_for_exit(&mut child, Duration::from_secs(5)).expect("did not stop");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: OUT: underrun"), "{stderr}");
    let summary = stderr.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("Looped") && !summary.contains(" 0 xruns"),
        "{stderr}"
    );
}

/// A private PulseAudio with the null sink at `sink`% and its monitor at `source`%.
fn pulse_with_volumes(sink: &str, source: &str) -> (Pulse, TestEnv) {
    let pulse = Pulse::start();
    pulse.pactl_text(&["set-sink-volume", "null", sink]);
    pulse.pactl_text(&["set-source-volume", "null.monitor", source]);
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    (pulse, env)
}

fn volume_of(pulse: &Pulse, what: &str, name: &str) -> String {
    let text = pulse.pactl_text(&[&format!("get-{what}-volume"), name]);
    text.split_whitespace()
        .find(|w| w.ends_with('%'))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn volume_from_alone_scales_the_audio() {
    let (_pulse, mut env) = pulse_with_volumes("50%", "100%");
    let data = noise(SECOND / 10, 20);
    write_file(&env.path("in.raw"), &data);
    env.add_capture_pcm("cap", &env.path("in.raw"));
    let out = env.path("out.raw");
    env.run(&[
        "loop",
        "cap",
        &file_pcm(&out),
        "--duration",
        "0.1",
        "--volume-from",
        "pulse:Master",
    ])
    .success();
    let sent = fs::read(&out).unwrap();
    let sent: Vec<i16> = sent
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    let source: Vec<i16> = data
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    // Half of each sample, after the lead.
    let tail = &sent[sent.len() - source.len()..];
    for (i, (got, was)) in tail.iter().zip(&source).enumerate() {
        let want = f64::from(*was) * 0.5;
        assert!(
            (f64::from(*got) - want).abs() <= 1.0,
            "sample {i}: {got} for {was}"
        );
    }
}

#[test]
fn volume_from_and_to_forwards_and_to_alone_follows_ins_capture_volume() {
    let (pulse, mut env) = pulse_with_volumes("30%", "100%");
    write_file(&env.path("in.raw"), &noise(SECOND / 10, 21));
    env.add_capture_pcm("cap", &env.path("in.raw"));
    env.run(&[
        "loop",
        "cap",
        "null",
        "--duration",
        "0.1",
        "--volume-from",
        "pulse:Master",
        "--volume-to",
        "pulse:Capture",
    ])
    .success();
    assert_eq!(volume_of(&pulse, "source", "null.monitor"), "30%");

    // IN is PulseAudio: its own capture volume (the monitor's, now 40%) goes to Master.
    pulse.pactl_text(&["set-source-volume", "null.monitor", "40%"]);
    env.run(&[
        "loop",
        "pulse",
        "null",
        "--duration",
        "0.2",
        "--latency",
        "200ms",
        "--volume-to",
        "pulse:Master",
    ])
    .success();
    assert_eq!(volume_of(&pulse, "sink", "null"), "40%");
}

// ---- latency ----

#[test]
fn latency_through_pulseaudio_agrees_from_run_to_run() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    env.add_asoundrc("pcm.pulse_monitor { type pulse device \"null.monitor\" }");
    let measure = || {
        let run = env.run(&[
            "latency",
            "pulse",
            "pulse_monitor",
            "--buffer-time",
            "100000",
            "--period-time",
            "25000",
            "--runs",
            "3",
            "--json",
        ]);
        run.success();
        run.json()
    };
    let first = measure();
    let period = first["capture"]["period_frames"].as_i64().unwrap();
    assert!(period > 0, "{first}");
    let runs = first["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3, "{first}");
    for r in runs {
        let (total, alsa, outside) = (
            r["total_frames"].as_i64().unwrap(),
            r["alsa_frames"].as_i64().unwrap(),
            r["outside_frames"].as_i64().unwrap(),
        );
        assert_eq!(total, alsa + outside, "{first}");
        // ALSA's part is the playback buffer and the capture period.
        let buffer = first["playback"]["buffer_frames"].as_i64().unwrap();
        assert_eq!(alsa, buffer + period, "{first}");
        assert!(total > 0, "{first}");
        assert!(r["score"].as_f64().unwrap() > 0.9, "{first}");
    }
    let total = &first["total"];
    let spread = total["max_frames"].as_i64().unwrap() - total["min_frames"].as_i64().unwrap();
    assert!(
        spread <= 2 * period,
        "runs differ by {spread} frames\n{first}"
    );
    let ms = total["median_ms"].as_f64().unwrap();
    let frames = total["median_frames"].as_i64().unwrap();
    assert!((ms - frames as f64 / 48.0).abs() < 0.01, "{first}");
    // Measured again, from a fresh start: the same figure within two periods.
    let second = measure();
    let again = second["total"]["median_frames"].as_i64().unwrap();
    assert!(
        (again - frames).abs() <= 2 * period,
        "{frames} then {again} frames\n{first}\n{second}"
    );
}

#[test]
fn latency_without_a_signal_coming_back_fails_in_one_line() {
    let env = TestEnv::new();
    env.run(&["latency", "null", "null", "--runs", "1"])
        .code_is(1)
        .fails_with(&["no signal came back on 'null'", "connected"]);
}
