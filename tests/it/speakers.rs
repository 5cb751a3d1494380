//! `alsatool speakers`: what reaches the device, measured per channel per segment through
//! alsa-lib's file plugin (the null plugin under it reports a channel map when its config gives
//! one, so maps in orders other than ALSA's standard one can be tested), `--channel`, `--json`,
//! the terminal's layout and keys through a pseudo-terminal, and Ctrl-C through a private
//! PulseAudio (the file plugin is not paced in real time, so it ends before a signal lands).

use std::fs;
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::Stdio;
use std::time::Duration;

use crate::util::{file_pcm, open_pty, run_on_terminal, wait_for_exit, Pulse, TestEnv};

/// The segment and gap lengths the tests ask for and the command uses (FADE, GAP).
const RATE: usize = 48_000;
const GAP_FRAMES: usize = RATE / 4;
const FADE_FRAMES: usize = RATE / 100;

/// Defines `name`: the file plugin writing to `out` over a null PCM that reports `maps`
/// ("FL,FR,FC,LFE,SL,SR", …) as its channel maps.
fn add_mapped_pcm(env: &mut TestEnv, name: &str, out: &std::path::Path, maps: &[&str]) {
    let maps: Vec<String> = maps.iter().map(|m| format!("\"{m}\"")).collect();
    env.add_asoundrc(&format!(
        "pcm.{name} {{ type file file \"{}\" format raw slave.pcm {{ type null chmap [ {} ] }} }}",
        out.display(),
        maps.join(" ")
    ));
}

/// The FLOAT_LE samples the device received.
fn samples(path: &std::path::Path) -> Vec<f32> {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// Per-channel measurements of one stretch of frames.
struct Stretch {
    rms_db: Vec<f64>,
    peak_db: Vec<f64>,
    /// Upward zero crossings per second, per channel.
    crossings: Vec<f64>,
}

fn measure(all: &[f32], channels: usize, from: usize, to: usize) -> Stretch {
    let db = |v: f64| 20.0 * v.max(1e-12).log10();
    let mut rms_db = Vec::new();
    let mut peak_db = Vec::new();
    let mut crossings = Vec::new();
    for ch in 0..channels {
        let x: Vec<f64> = (from..to)
            .map(|f| f64::from(all[f * channels + ch]))
            .collect();
        let power = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
        rms_db.push(db(power.sqrt()));
        peak_db.push(db(x.iter().fold(0.0, |m, v| m.max(v.abs()))));
        let ups = x.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
        crossings.push(ups as f64 * RATE as f64 / x.len() as f64);
    }
    Stretch {
        rms_db,
        peak_db,
        crossings,
    }
}

/// Checks what a run sent to the device: segment `i` of `segment_frames` (then a gap, none after
/// the last) carries the signal on `order[i]` only, every other sample is exactly zero, and the
/// active channel is at `level_db` (the peak for a sine, the RMS of that sine for noise).
/// Returns each segment's measurements.
fn check_segments(
    all: &[f32],
    channels: usize,
    order: &[usize],
    segment_frames: usize,
    level_db: f64,
    sine: bool,
) -> Vec<Stretch> {
    let step = segment_frames + GAP_FRAMES;
    let frames = order.len() * step - GAP_FRAMES;
    assert_eq!(all.len(), frames * channels, "length of the output");
    let mut found = Vec::new();
    for (i, &active) in order.iter().enumerate() {
        let start = i * step;
        for f in start..start + segment_frames {
            for ch in (0..channels).filter(|&c| c != active) {
                assert_eq!(
                    all[f * channels + ch],
                    0.0,
                    "segment {i}: channel {ch} at frame {f}"
                );
            }
        }
        if i + 1 < order.len() {
            let gap = &all[(start + segment_frames) * channels..(start + step) * channels];
            assert!(gap.iter().all(|&s| s == 0.0), "the gap after segment {i}");
        }
        // The level, away from the fades.
        let m = measure(
            all,
            channels,
            start + FADE_FRAMES + 10,
            start + segment_frames - FADE_FRAMES - 10,
        );
        if sine {
            let peak = m.peak_db[active];
            assert!(
                (peak - level_db).abs() < 0.05,
                "segment {i}: peak {peak} dBFS"
            );
        } else {
            let rms = m.rms_db[active];
            let want = level_db - 3.01;
            assert!(
                (rms - want).abs() < 0.5,
                "segment {i}: RMS {rms} dBFS, want {want}"
            );
        }
        found.push(m);
    }
    found
}

#[test]
fn stereo_without_a_map_plays_left_then_right_in_alsas_standard_order() {
    let env = TestEnv::new();
    let out = env.path("out.raw");
    let device = file_pcm(&out);
    let run = env.run(&[
        "speakers",
        "-d",
        &device,
        "-c",
        "2",
        "--signal",
        "sine",
        "--duration",
        "0.2",
        "--level",
        "-12dB",
    ]);
    run.success();
    assert_eq!(
        run.stdout(),
        format!(
            "Channel map of '{device}': FL FR (ALSA's standard order; the device reports none)\n\
             Front Left (channel 0)\nFront Right (channel 1)\n"
        )
    );
    let found = check_segments(&samples(&out), 2, &[0, 1], RATE / 5, -12.0, true);
    // A 440 Hz sine on both.
    for m in &found {
        let rate = m.crossings.iter().fold(0.0, |a: f64, &b| a.max(b));
        assert!((rate - 440.0).abs() < 10.0, "{rate} crossings a second");
    }
}

#[test]
fn six_and_eight_channels_follow_the_devices_own_map() {
    let mut env = TestEnv::new();
    let out = env.path("out.raw");
    // Orders that are not ALSA's standard one (FL FR RL RR FC LFE SL SR): 5.1 with side
    // speakers, and the HDA/HDMI order of 7.1.
    add_mapped_pcm(
        &mut env,
        "mapped",
        &out,
        &["FL,FR", "FL,FR,FC,LFE,SL,SR", "FL,FR,FC,LFE,RL,RR,SL,SR"],
    );
    let cases: [(&str, &[&str]); 2] = [
        (
            "6",
            &[
                "Front Left",
                "Front Right",
                "Front Center",
                "LFE",
                "Side Left",
                "Side Right",
            ],
        ),
        (
            "8",
            &[
                "Front Left",
                "Front Right",
                "Front Center",
                "LFE",
                "Rear Left",
                "Rear Right",
                "Side Left",
                "Side Right",
            ],
        ),
    ];
    for (channels, names) in cases {
        let run = env.run(&[
            "speakers",
            "-d",
            "mapped",
            "-c",
            channels,
            "--duration",
            "0.3",
        ]);
        run.success();
        let lines: Vec<String> = run.stdout().lines().map(str::to_string).collect();
        assert!(
            lines[0].starts_with("Channel map of 'mapped': FL FR FC LFE")
                && lines[0].ends_with("(from the device)"),
            "{lines:?}"
        );
        let expected: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{n} (channel {i})"))
            .collect();
        assert_eq!(lines[1..], expected[..]);
        let n: usize = channels.parse().unwrap();
        let order: Vec<usize> = (0..n).collect();
        let found = check_segments(&samples(&out), n, &order, RATE * 3 / 10, -18.0, false);
        // Pink noise from 500 Hz to 2 kHz crosses zero about 1400 times a second; the LFE
        // channel (3 in these maps, not 5 as in the standard order) gets 40-120 Hz noise.
        for (i, m) in found.iter().enumerate() {
            let rate = m.crossings[i];
            if i == 3 {
                assert!(
                    (40.0..150.0).contains(&rate),
                    "LFE: {rate} crossings a second"
                );
            } else {
                assert!(
                    (900.0..2000.0).contains(&rate),
                    "channel {i}: {rate} crossings a second"
                );
            }
        }
    }
    // Without -c: the largest map.
    let run = env.run(&["speakers", "-d", "mapped", "--duration", "0.05", "--json"]);
    run.success();
    assert_eq!(run.json()["channels"], 8);
}

#[test]
fn channel_plays_only_the_channels_named_in_that_order() {
    let mut env = TestEnv::new();
    let out = env.path("out.raw");
    add_mapped_pcm(&mut env, "mapped", &out, &["FL,FR,FC,LFE,SL,SR"]);
    let run = env.run(&[
        "speakers",
        "-d",
        "mapped",
        "-c",
        "6",
        "--channel",
        "FC",
        "--duration",
        "0.2",
        "--json",
    ]);
    run.success();
    let json = run.json();
    let played = json["played"].as_array().expect("played");
    assert_eq!(played.len(), 1, "{json}");
    assert_eq!(played[0]["position"], "FC");
    assert_eq!(played[0]["channel"], 2);
    check_segments(&samples(&out), 6, &[2], RATE / 5, -18.0, false);

    // Names or numbers, in the order given, and two loops of them.
    let run = env.run(&[
        "speakers",
        "-d",
        "mapped",
        "-c",
        "6",
        "--channel",
        "sr,0",
        "--loops",
        "2",
        "--signal",
        "sine",
        "--duration",
        "0.1",
        "--level",
        "-30",
    ]);
    run.success();
    assert_eq!(
        run.stdout().lines().skip(1).collect::<Vec<_>>(),
        [
            "Side Right (channel 5)",
            "Front Left (channel 0)",
            "Side Right (channel 5)",
            "Front Left (channel 0)"
        ]
    );
    check_segments(&samples(&out), 6, &[5, 0, 5, 0], RATE / 10, -30.0, true);

    // A name the map does not have: a usage error naming what it has, before anything plays.
    env.run(&["speakers", "-d", "mapped", "-c", "6", "--channel", "RL"])
        .code_is(2)
        .fails_with(&["--channel RL", "FL FR FC LFE SL SR"]);
}

#[test]
fn json_has_the_map_where_it_came_from_and_what_was_played() {
    let mut env = TestEnv::new();
    let out = env.path("out.raw");
    add_mapped_pcm(&mut env, "mapped", &out, &["FL,FR,FC,LFE,SL,SR"]);
    let run = env.run(&[
        "speakers",
        "-d",
        "mapped",
        "-c",
        "6",
        "--json",
        "--signal",
        "sweep",
        "--duration",
        "0.1",
        "--level",
        "-20dB",
    ]);
    run.success();
    let json = run.json();
    let keys: Vec<&String> = json.as_object().expect("an object").keys().collect();
    assert_eq!(
        keys,
        [
            "channels",
            "device",
            "duration_s",
            "format",
            "level_db",
            "loops",
            "map",
            "outcome",
            "played",
            "rate",
            "signal"
        ]
    );
    assert_eq!(json["device"], "mapped");
    assert_eq!(json["channels"], 6);
    assert_eq!(json["format"], "FLOAT_LE");
    assert_eq!(json["signal"], "sweep");
    assert_eq!(json["level_db"], -20.0);
    assert_eq!(json["duration_s"], 0.1);
    assert_eq!(json["outcome"], "finished");
    assert_eq!(json["map"]["source"], "device");
    assert_eq!(json["map"]["kind"], "fixed");
    assert_eq!(
        json["map"]["channels"][3],
        serde_json::json!({"channel": 3, "position": "LFE", "name": "LFE"})
    );
    assert_eq!(
        json["played"][4],
        serde_json::json!({"channel": 4, "position": "SL", "name": "Side Left", "loop": 1, "complete": true})
    );
    assert_eq!(json["played"].as_array().map(Vec::len), Some(6));
    check_segments(
        &samples(&out),
        6,
        &[0, 1, 2, 3, 4, 5],
        RATE / 10,
        -20.0,
        true,
    );

    // A device without a map: ALSA's standard order, and the JSON says so.
    let plain = env.path("plain.raw");
    let run = env.run(&[
        "speakers",
        "-d",
        &file_pcm(&plain),
        "-c",
        "6",
        "--json",
        "--duration",
        "0.05",
    ]);
    run.success();
    let json = run.json();
    assert_eq!(json["map"]["source"], "standard");
    assert_eq!(json["map"]["kind"], serde_json::Value::Null);
    let names: Vec<&str> = json["map"]["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["position"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["FL", "FR", "RL", "RR", "FC", "LFE"]);
}

#[test]
fn usage_and_device_errors_are_one_line() {
    let env = TestEnv::new();
    for (args, code, fragment) in [
        (
            &["speakers", "-d", "null", "--level", "3dB"][..],
            2,
            "out of range",
        ),
        (
            &["speakers", "-d", "null", "--level", "loud"][..],
            2,
            "not a level",
        ),
        (
            &["speakers", "-d", "null", "--duration", "0"][..],
            2,
            "no time",
        ),
        (&["speakers", "-d", "nosuchpcm"][..], 1, "'nosuchpcm'"),
    ] {
        let run = env.run(args);
        run.code_is(code);
        assert!(
            run.stderr().contains(fragment),
            "{args:?}: {}",
            run.stderr()
        );
        assert!(!run.stderr().contains("panicked"));
    }
    env.run(&["speakers", "-d", "nosuchpcm"])
        .fails_with(&["alsatool devices"]);
}

#[test]
fn ctrl_c_and_sigterm_stop_at_once_with_130() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    for (signal, json) in [(libc::SIGINT, false), (libc::SIGTERM, true)] {
        let mut args = vec!["speakers", "-d", "pulse", "--loops", "0"];
        if json {
            args.push("--json");
        }
        let mut child = env
            .alsatool()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        assert!(child.try_wait().unwrap().is_none(), "{args:?} ended early");
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = wait_for_exit(&mut child, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("{args:?} did not stop within 5 s"));
        assert_eq!(status.code(), Some(130), "{args:?}");
        let mut stdout = String::new();
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        assert!(stderr.is_empty(), "{stderr}");
        if json {
            let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
            assert_eq!(json["outcome"], "interrupted");
            assert_eq!(json["played"][0]["position"], "FL");
            // The segment that was playing is cut short, not reported as played through.
            let played = json["played"].as_array().expect("played");
            assert_eq!(
                played.last().map(|p| &p["complete"]),
                Some(&serde_json::json!(false))
            );
        } else {
            assert!(stdout.contains("Front Left (channel 0)"), "{stdout}");
        }
    }
}

#[test]
fn on_a_terminal_the_playing_speaker_is_highlighted_on_a_layout() {
    let env = TestEnv::new();
    let out = env.path("out.raw");
    let device = file_pcm(&out);
    let (status, text) = run_on_terminal(
        &env,
        &["speakers", "-d", &device, "-c", "6", "--duration", "0.05"],
    );
    assert!(status.success(), "{text}");
    assert!(
        text.contains("Channel map of '")
            && text.contains("FL FR RL RR FC LFE (ALSA's standard order;"),
        "{text:?}"
    );
    for (name, cell) in [
        ("Front Left (channel 0)", "[FL]"),
        ("Rear Right (channel 3)", "[RR]"),
        ("LFE (channel 5)", "[LFE]"),
    ] {
        let at = text
            .find(&format!("Playing: {name}"))
            .unwrap_or_else(|| panic!("no {name}: {text:?}"));
        // The highlighted cell is drawn in the same frame, just before the name.
        let frame_start = text[..at].rfind("\x1b[J").unwrap_or(0);
        assert!(
            text[frame_start..at].contains(cell),
            "{name}: {:?}",
            &text[frame_start..at]
        );
        assert!(text[frame_start..at].contains("(you)"));
    }
    // Without keys (standard input is not a terminal) there is no key help; the block is
    // cleared at the end.
    assert!(!text.contains("q: quit"), "{text:?}");
    assert!(
        text.trim_end_matches(['\r', '\n']).ends_with("\x1b[J"),
        "{text:?}"
    );

    let (status, text) = run_on_terminal(
        &env,
        &["-q", "speakers", "-d", &device, "--duration", "0.05"],
    );
    assert!(status.success());
    assert!(text.is_empty(), "-q drew {text:?}");
}

/// A pseudo-terminal for standard input and stderr (so alsatool reads keys), with standard
/// output piped; returns the child and the terminal's master side.
fn spawn_on_terminal(env: &TestEnv, args: &[&str]) -> (std::process::Child, fs::File, OwnedFd) {
    let (master, slave) = open_pty(24, 80);
    let child = env
        .alsatool()
        .env("TERM", "xterm")
        .args(args)
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::piped())
        .stderr(Stdio::from(slave.try_clone().unwrap()))
        .spawn()
        .expect("spawn on a terminal");
    (child, fs::File::from(master), slave)
}

/// The terminal's local modes (ICANON, ECHO, ISIG: what raw mode turns off).
fn local_modes(fd: &OwnedFd) -> libc::tcflag_t {
    // SAFETY: a zeroed termios is valid to fill; the descriptor is open.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::tcgetattr(fd.as_raw_fd(), &mut t) }, 0);
    t.c_lflag & (libc::ICANON | libc::ECHO | libc::ISIG)
}

#[test]
fn keys_move_between_channels_and_quit_and_the_terminal_is_restored() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    for (keys, code, outcome) in [
        // → twice moves on to channel 1 then 0 of the next loop; ← goes back to 1; space
        // plays it again; q quits (exit 0).
        (&["\x1b[C", "\x1b[C", "\x1b[D", " ", "q"][..], 0, "quit"),
        // Ctrl-C is a key in raw mode: 130, as the signal would give.
        (&["\x03"][..], 130, "interrupted"),
        // No key: SIGTERM (below) while in raw mode.
        (&[][..], 130, "interrupted"),
    ] {
        let (mut child, mut master, slave) = spawn_on_terminal(
            &env,
            &[
                "speakers",
                "-d",
                "pulse",
                "-c",
                "2",
                "--loops",
                "0",
                "--duration",
                "10",
                "--json",
            ],
        );
        let before = local_modes(&slave);
        assert_ne!(before, 0);
        // Read what it draws, or it blocks once the terminal's buffer is full.
        let mut reader = master.try_clone().unwrap();
        let drawn = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = std::io::Read::read_to_end(&mut reader, &mut text);
            String::from_utf8_lossy(&text).into_owned()
        });
        std::thread::sleep(Duration::from_millis(1500));
        for key in keys {
            std::io::Write::write_all(&mut master, key.as_bytes()).unwrap();
            std::thread::sleep(Duration::from_millis(700));
        }
        if keys.is_empty() {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        }
        let status = wait_for_exit(&mut child, Duration::from_secs(5)).expect("did not stop");
        assert_eq!(status.code(), Some(code), "{keys:?}");
        assert_eq!(local_modes(&slave), before, "the terminal was not restored");
        let mut stdout = String::new();
        std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
        let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        assert_eq!(json["outcome"], outcome);
        let played: Vec<(u64, u64, bool)> = json["played"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["channel"].as_u64().unwrap_or(9),
                    p["loop"].as_u64().unwrap_or(0),
                    p["complete"].as_bool().unwrap_or(true),
                )
            })
            .collect();
        if code == 0 {
            assert_eq!(
                played,
                [
                    (0, 1, false),
                    (1, 1, false),
                    (0, 2, false),
                    (1, 1, false),
                    (1, 1, false)
                ]
            );
        } else {
            assert_eq!(played, [(0, 1, false)]);
        }
        drop(slave);
        drop(master);
        let text = drawn.join().unwrap();
        assert!(text.contains("q: quit"), "{text:?}");
    }
}
