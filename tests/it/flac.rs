//! FLAC recordings (#16): what flac, sox and ffmpeg decode is what was captured, bit for bit,
//! in 16 and 24 bits (and at 192 kHz, whose frame headers alsatool patches); `flac -t` verifies
//! the MD5 of a finished file; standard output streams; rollover by time and size; a full disk
//! and SIGKILL during a PulseAudio recording leave files that decode; what FLAC cannot hold is
//! refused before the device opens.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::record::play_into_the_sink;
use crate::recording_files::SmallTmpfs;
use crate::util::{assert_bytes, noise, require_tool, write_file, Pulse, TestEnv};

/// A test env whose capture PCM `cap` yields `source` (as fast as it is read).
fn capture_env(source: &[u8]) -> TestEnv {
    let mut env = TestEnv::new();
    let raw = env.path("in.raw");
    write_file(&raw, source);
    env.add_capture_pcm("cap", &raw);
    env
}

/// Audio that compresses somewhat, like real audio does: a slow wave plus a little noise, as
/// `width`-byte little-endian samples.
fn music(frames: usize, channels: usize, width: usize, seed: u64) -> Vec<u8> {
    let hiss = noise(frames * channels, seed);
    let mut out = Vec::with_capacity(frames * channels * width);
    for f in 0..frames {
        for c in 0..channels {
            let wave = ((f as f64 * (0.01 + c as f64 * 0.003)).sin() * 0.4) as f32;
            let full = (1i64 << (8 * width - 1)) as f64;
            let v = (f64::from(wave) * full) as i64 + i64::from(hiss[f * channels + c] as i8);
            out.extend_from_slice(&v.to_le_bytes()[..width]);
        }
    }
    out
}

/// The samples of `file` as flac decodes them (raw little-endian, signed), after `flac -t`
/// says the file is sound.
fn flac_decoded(env: &TestEnv, file: &Path) -> Vec<u8> {
    require_tool("flac");
    let name = file.to_string_lossy().into_owned();
    env.run_tool("flac", &["-t", "-s", &name]).success();
    let out = env.path("flac-out.raw").to_string_lossy().into_owned();
    env.run_tool(
        "flac",
        &[
            "-d",
            "-s",
            "-f",
            "--force-raw-format",
            "--endian=little",
            "--sign=signed",
            "-o",
            &out,
            &name,
        ],
    )
    .success();
    std::fs::read(&out).unwrap()
}

/// The samples of `file` as ffmpeg decodes them, in `codec` (s16le, s24le: 24 bits as 3 bytes
/// is not a format ffmpeg writes raw, so s24 is compared as s32 by the caller), with no error.
fn ffmpeg_decoded(env: &TestEnv, file: &Path, codec: &str) -> Vec<u8> {
    require_tool("ffmpeg");
    let out = env.path(&format!("ffmpeg-out.{codec}"));
    let run = env.run_tool(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-y",
            "-i",
            &file.to_string_lossy(),
            "-f",
            codec,
            &out.to_string_lossy(),
        ],
    );
    run.success().stderr_is_empty();
    std::fs::read(&out).unwrap()
}

/// The samples of `file` as sox decodes them (raw, signed, `bits` wide).
fn sox_decoded(env: &TestEnv, file: &Path, bits: &str) -> Vec<u8> {
    require_tool("sox");
    let out = env.path("sox-out.raw");
    env.run_tool(
        "sox",
        &[
            &file.to_string_lossy(),
            "-t",
            "raw",
            "-e",
            "signed",
            "-b",
            bits,
            "-L",
            &out.to_string_lossy(),
        ],
    )
    .success();
    std::fs::read(&out).unwrap()
}

/// 24-bit samples in 3 bytes from what ffmpeg writes as s32le (24 bits at the top).
fn s32_to_s24(bytes: &[u8]) -> Vec<u8> {
    bytes
        .chunks_exact(4)
        .flat_map(|b| [b[1], b[2], b[3]])
        .collect()
}

#[test]
fn flac_sox_and_ffmpeg_decode_what_was_captured_bit_for_bit() {
    // CD-like stereo, by the name's extension.
    let source = music(48000 * 2, 2, 2, 3);
    let env = capture_env(&source);
    env.run(&["record", "-d", "cap", "--duration", "1.5", "take.flac"])
        .success()
        .stderr_is_empty();
    let file = env.path("take.flac");
    let captured = &source[..48000 * 3 / 2 * 4];
    assert_bytes(&flac_decoded(&env, &file), captured, "flac -d");
    assert_bytes(&sox_decoded(&env, &file, "16"), captured, "sox");
    assert_bytes(&ffmpeg_decoded(&env, &file, "s16le"), captured, "ffmpeg");
    // Compressed, and its STREAMINFO is complete: 72000 samples and an MD5 (flac -t checked it).
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes.len() < captured.len() * 9 / 10,
        "{} bytes",
        bytes.len()
    );
    let packed = u64::from_be_bytes(bytes[18..26].try_into().unwrap());
    assert_eq!(packed & ((1 << 36) - 1), 72000);
    assert_ne!(&bytes[26..42], &[0u8; 16]);
}

#[test]
fn eight_channels_of_24_bits_at_192_khz_decode_exactly() {
    // Above flacenc's 96 kHz: the frame headers are patched to say 192 kHz.
    let source = music(192000 / 2, 8, 3, 4);
    let env = capture_env(&source);
    env.run(&[
        "record",
        "-d",
        "cap",
        "-f",
        "S24_3LE",
        "-c",
        "8",
        "-r",
        "192000",
        "--duration",
        "0.4",
        "-t",
        "flac",
        "hi.fl",
    ])
    .success();
    let file = env.path("hi.fl");
    let captured = &source[..192000 * 2 / 5 * 24];
    assert_bytes(&flac_decoded(&env, &file), captured, "flac -d");
    assert_bytes(
        &s32_to_s24(&ffmpeg_decoded(&env, &file, "s32le")),
        captured,
        "ffmpeg",
    );
    assert_bytes(&sox_decoded(&env, &file, "24"), captured, "sox");
    let info = env.run_tool(
        "ffprobe",
        &["-v", "error", "-show_streams", &file.to_string_lossy()],
    );
    info.success()
        .stdout_contains("sample_rate=192000")
        .stdout_contains("channels=8");
}

#[test]
fn standard_output_streams_flac_with_an_unknown_length() {
    let source = music(48000, 1, 2, 5);
    let env = capture_env(&source);
    let run = env.run(&[
        "record",
        "-d",
        "cap",
        "-c",
        "1",
        "--duration",
        "0.5",
        "-t",
        "flac",
        "-",
    ]);
    run.success();
    let stream = run.output.stdout.clone();
    assert_eq!(&stream[..4], b"fLaC");
    // Total samples and MD5 0: "unknown", as a stream must say.
    let packed = u64::from_be_bytes(stream[18..26].try_into().unwrap());
    assert_eq!(packed & ((1 << 36) - 1), 0);
    assert_eq!(&stream[26..42], &[0u8; 16]);
    let file = env.path("streamed.flac");
    write_file(&file, &stream);
    assert_bytes(&flac_decoded(&env, &file), &source[..48000], "flac -d");
}

/// The files in `dir` (names sorted).
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn rollover_by_time_and_by_size_gives_files_that_each_decode_and_join_up() {
    let source = music(48000 * 3, 2, 2, 6);
    let env = capture_env(&source);
    std::fs::create_dir(env.path("t")).unwrap();
    std::fs::create_dir(env.path("s")).unwrap();
    env.run(&[
        "record",
        "-d",
        "cap",
        "--duration",
        "1.6",
        "--max-file-time",
        "0.5",
        "t/take.flac",
    ])
    .success();
    assert_eq!(
        names_in(&env.path("t")),
        [
            "take-01.flac",
            "take-02.flac",
            "take-03.flac",
            "take-04.flac"
        ]
    );
    let mut joined = Vec::new();
    for n in 1..=4 {
        let part = flac_decoded(&env, &env.path(&format!("t/take-{n:02}.flac")));
        let expected = if n < 4 { 24000 * 4 } else { 4800 * 4 };
        assert_eq!(part.len(), expected, "take-{n:02}");
        joined.extend(part);
    }
    assert_bytes(&joined, &source[..48000 * 16 / 10 * 4], "joined by time");

    env.run(&[
        "record",
        "-d",
        "cap",
        "--duration",
        "2",
        "--max-file-size",
        "64K",
        "s/take.flac",
    ])
    .success();
    let names = names_in(&env.path("s"));
    assert!(names.len() >= 3, "{names:?}");
    let mut joined = Vec::new();
    for (i, name) in names.iter().enumerate() {
        assert_eq!(name, &format!("take-{:02}.flac", i + 1));
        let path = env.path(&format!("s/{name}"));
        assert!(std::fs::metadata(&path).unwrap().len() <= 65536, "{name}");
        joined.extend(flac_decoded(&env, &path));
    }
    assert_bytes(&joined, &source[..48000 * 2 * 4], "joined by size");
    // Numbered names that exist are never overwritten.
    env.run(&["record", "-d", "cap", "--duration", "0.1", "s/take.flac"])
        .code_is(1)
        .fails_with(&["take-01.flac' exists", "--force"]);
}

#[test]
fn a_full_disk_leaves_a_flac_file_that_decodes_and_verifies() {
    let source = noise(48000 * 4 * 4, 7);
    let env = capture_env(&source);
    let Some(tmpfs) = SmallTmpfs::mount("200k") else {
        return;
    };
    let target = tmpfs.path("full.flac");
    let run = env.run(&[
        "record",
        "-d",
        "cap",
        "--duration",
        "3",
        &target.to_string_lossy(),
    ]);
    run.code_is(1)
        .fails_with(&["No space left on device", "full.flac", "it keeps the"]);
    // Noise does not compress: about a second fits. What is kept is whole frames, with a
    // STREAMINFO that says exactly them (flac -t checks the MD5).
    let decoded = flac_decoded(&env, &target);
    assert!(decoded.len() > 48000 * 4 / 2, "{} bytes", decoded.len());
    assert_bytes(&decoded, &source[..decoded.len()], "kept audio");
    ffmpeg_decoded(&env, &target, "s16le");
}

#[test]
fn sigkill_during_a_pulseaudio_recording_leaves_a_file_flac_and_ffmpeg_decode() {
    let pulse = Pulse::start();
    pulse.pactl_text(&["set-default-source", "null.monitor"]);
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    // A stream playing keeps the null sink's monitor delivering steadily, not in bursts.
    let _player = play_into_the_sink(&pulse, &env, "20", "440");
    for round in 0..2 {
        let file = env.path(&format!("kill{round}.flac"));
        let started = Instant::now();
        let mut child = env
            .alsatool()
            .args(["record", "-q", "-d", "pulse", &file.to_string_lossy()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = Duration::from_millis(1200 + 300 * round);
        while started.elapsed() < at {
            assert!(child.try_wait().unwrap().is_none(), "record ended early");
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let decoded = flac_decoded(&env, &file);
        ffmpeg_decoded(&env, &file, "s16le");
        // Something of the recording, and whole frames only.
        assert!(
            !decoded.is_empty() && decoded.len() % 4 == 0,
            "{}",
            decoded.len()
        );
    }
}

#[test]
fn what_flac_cannot_hold_is_refused_before_the_device_opens() {
    let env = TestEnv::new();
    let record = |extra: &[&str]| {
        let mut args = vec!["record", "-d", "alsatool_no_such_pcm"];
        args.extend_from_slice(extra);
        args.push("x.flac");
        env.run(&args)
    };
    record(&["-f", "FLOAT_LE"]).code_is(2).fails_with(&[
        "cannot record FLOAT_LE as FLAC",
        "S24_3LE",
        "WAV",
    ]);
    record(&["-f", "S32_LE"])
        .code_is(2)
        .fails_with(&["S32_LE", "24 bits", "-t wav"]);
    record(&["-c", "9"])
        .code_is(2)
        .fails_with(&["9 channels", "1 to 8"]);
    record(&["-r", "700000"])
        .code_is(2)
        .fails_with(&["700000 Hz", "655350"]);
    record(&["--max-file-size", "1000"])
        .code_is(2)
        .fails_with(&["--max-file-size 1000 is too small for FLAC"]);
    assert!(!env.path("x.flac").exists());
}
