//! Sound-triggered takes (#16): from a file-backed capture of silence, tone, silence, tone,
//! `record --trigger` writes two takes whose boundaries are the pre-roll before the first loud
//! frame and the hang after the last, to the frame, each bit-exact against the source; `--takes`
//! stops early; `--split-on-silence` loses nothing; FLAC takes decode exactly; the display says
//! armed; the options are refused where they mean nothing.

use std::path::Path;

use crate::util::{
    assert_bytes, require_tool, terminal_shows, wav_data, write_file, Pulse, TestEnv,
};

const RATE: usize = 48000;
const FRAME: usize = 4;

/// Stereo S16_LE: `(tone, seconds)` segments; tone is a 1 kHz sine at half scale, silence is
/// exact zeros.
fn pattern(segments: &[(bool, f64)]) -> Vec<u8> {
    let mut out = Vec::new();
    for &(tone, secs) in segments {
        for i in 0..(secs * RATE as f64) as usize {
            let v = if tone {
                ((i as f64 * 2.0 * std::f64::consts::PI * 1000.0 / RATE as f64).sin() * 16384.0)
                    as i16
            } else {
                0
            };
            out.extend_from_slice(&v.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

/// Whether frame `f` of `source` reaches -40 dBFS, as the trigger measures it.
fn loud(source: &[u8], f: usize) -> bool {
    let threshold = 10f64.powf(-40.0 / 20.0) as f32;
    (0..2).any(|c| {
        let at = f * FRAME + c * 2;
        let v = i16::from_le_bytes([source[at], source[at + 1]]);
        f32::from(v).abs() / 32768.0 >= threshold
    })
}

/// The takes the options below must give: (first frame, end frame) of each, worked out from
/// the source frame by frame.
fn expected_takes(
    source: &[u8],
    frames: usize,
    pre_roll: usize,
    hang: usize,
) -> Vec<(usize, usize)> {
    let mut takes = Vec::new();
    let mut f = 0;
    let mut floor = 0;
    while f < frames {
        if !loud(source, f) {
            f += 1;
            continue;
        }
        let start = f.saturating_sub(pre_roll).max(floor);
        let mut last = f;
        while f < frames && f - last <= hang {
            if loud(source, f) {
                last = f;
            }
            f += 1;
        }
        let end = (last + 1 + hang).min(frames);
        takes.push((start, end));
        f = end;
        floor = end;
    }
    takes
}

const SEGMENTS: [(bool, f64); 5] = [
    (false, 0.5),
    (true, 0.3),
    (false, 1.5),
    (true, 0.3),
    (false, 1.4),
];
/// What is recorded of the source: 3.6 s.
const FRAMES: usize = 3 * RATE + RATE * 6 / 10;

fn env_with(source: &[u8]) -> TestEnv {
    let mut env = TestEnv::new();
    let raw = env.path("in.raw");
    write_file(&raw, source);
    env.add_capture_pcm("cap", &raw);
    env
}

fn triggered(env: &TestEnv, extra: &[&str], file: &str) {
    let mut args = vec![
        "record",
        "-d",
        "cap",
        "--duration",
        "3.6",
        "--trigger",
        "-40dB",
        "--hang",
        "0.5s",
        "--pre-roll",
        "200ms",
        "--min-take",
        "0.1",
    ];
    args.extend_from_slice(extra);
    args.push(file);
    env.run(&args).success();
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("take"))
        .collect();
    names.sort();
    names
}

#[test]
fn two_takes_start_at_the_pre_roll_and_end_after_the_hang_to_the_frame() {
    let source = pattern(&SEGMENTS);
    let env = env_with(&source);
    let takes = expected_takes(&source, FRAMES, RATE / 5, RATE / 2);
    assert_eq!(takes.len(), 2, "{takes:?}");
    // The pre-roll reaches back before the tone, into the silence.
    assert!(
        takes[0].0 < RATE / 2 && takes[0].0 + RATE / 5 > RATE / 2,
        "{takes:?}"
    );
    triggered(&env, &[], "take.wav");
    assert_eq!(names_in(env.dir.path()), ["take-01.wav", "take-02.wav"]);
    for (n, (start, end)) in takes.iter().enumerate() {
        let wav = std::fs::read(env.path(&format!("take-{:02}.wav", n + 1))).unwrap();
        assert_bytes(
            &wav_data(&wav),
            &source[start * FRAME..end * FRAME],
            &format!("take {}", n + 1),
        );
    }

    // --takes 1: the first take only. Another run finds take-01 and refuses to overwrite it.
    let env = env_with(&source);
    triggered(&env, &["--takes", "1"], "take.wav");
    assert_eq!(names_in(env.dir.path()), ["take-01.wav"]);
    let mut args = vec!["record", "-d", "cap", "--duration", "1", "--trigger", "-40"];
    args.push("take.wav");
    env.run(&args)
        .code_is(1)
        .fails_with(&["take-01.wav' exists"]);
}

#[test]
fn split_on_silence_keeps_every_frame_and_splits_where_a_take_would_end() {
    let source = pattern(&SEGMENTS);
    let env = env_with(&source);
    let takes = expected_takes(&source, FRAMES, 0, RATE / 2);
    triggered(&env, &["--split-on-silence"], "take.wav");
    assert_eq!(
        names_in(env.dir.path()),
        ["take-01.wav", "take-02.wav", "take-03.wav"]
    );
    let bounds = [0, takes[0].1, takes[1].1, FRAMES];
    for n in 0..3 {
        let wav = std::fs::read(env.path(&format!("take-{:02}.wav", n + 1))).unwrap();
        assert_bytes(
            &wav_data(&wav),
            &source[bounds[n] * FRAME..bounds[n + 1] * FRAME],
            &format!("file {}", n + 1),
        );
    }
}

#[test]
fn flac_takes_decode_to_their_source_slices() {
    require_tool("flac");
    let source = pattern(&SEGMENTS);
    let env = env_with(&source);
    let takes = expected_takes(&source, FRAMES, RATE / 5, RATE / 2);
    triggered(&env, &[], "take.flac");
    assert_eq!(names_in(env.dir.path()), ["take-01.flac", "take-02.flac"]);
    for (n, (start, end)) in takes.iter().enumerate() {
        let name = format!("take-{:02}.flac", n + 1);
        env.run_tool("flac", &["-t", "-s", &name]).success();
        let out = format!("take-{}.raw", n + 1);
        env.run_tool(
            "flac",
            &[
                "-d",
                "-s",
                "--force-raw-format",
                "--endian=little",
                "--sign=signed",
                "-o",
                &out,
                &name,
            ],
        )
        .success();
        assert_bytes(
            &std::fs::read(env.path(&out)).unwrap(),
            &source[start * FRAME..end * FRAME],
            &name,
        );
    }
}

#[test]
fn the_display_says_armed_and_the_level_against_the_threshold() {
    let pulse = Pulse::start();
    pulse.pactl_text(&["set-default-source", "null.monitor"]);
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    let shown = terminal_shows(
        &env,
        &[
            "record",
            "-d",
            "pulse",
            "--duration",
            "1",
            "--trigger",
            "-40dB",
            "x.wav",
        ],
        "armed",
    );
    assert!(shown.contains("< -40 dB"), "{shown}");
    // Nothing reached the level: no file, and it says so.
    assert!(!env.path("x-01.wav").exists());
}

#[test]
fn trigger_options_are_refused_where_they_mean_nothing() {
    let env = TestEnv::new();
    // clap's usage errors (several lines) name what is missing.
    env.run(&["record", "-d", "null", "--hang", "1s", "x.wav"])
        .code_is(2)
        .stderr_contains("--trigger <DB>");
    env.run(&["record", "-d", "null", "--split-on-silence", "x.wav"])
        .code_is(2)
        .stderr_contains("--trigger <DB>");
    env.run(&["record", "-d", "null", "--trigger", "-40dB", "-"])
        .code_is(2)
        .fails_with(&["--trigger needs a FILE"]);
    env.run(&["record", "-d", "null", "--trigger", "+3dB", "x.wav"])
        .code_is(2)
        .stderr_contains("'+3dB' is not a level; give dBFS at most 0");
}
