//! `alsatool play` with every common format: FLAC, Ogg Vorbis, MP3, AAC and ALAC (M4A), AIFF,
//! AU and CAF, made here by sox and ffmpeg. What reaches alsa-lib's file plugin is compared
//! with sox's and ffmpeg's own decodes (lossless formats bit for bit, lossy ones for length and
//! pitch) and, for AU, with aplay. Also: gapless lists, --start and --duration inside
//! compressed files, tags on the status line, standard input, and damaged files.

use std::fs;
use std::path::PathBuf;

use crate::util::{
    assert_bytes, file_pcm, require_tool, run_for_cpu_time, run_with_stdin, terminal_shows,
    write_file, Pulse, Run, TestEnv,
};

/// Runs a tool that makes or measures test files, failing the test if it fails.
fn tool(env: &TestEnv, program: &str, args: &[&str]) {
    require_tool(program);
    let run = env.run_tool(program, args);
    assert!(
        run.output.status.success(),
        "{program} {args:?}: {}",
        run.stderr()
    );
}

/// Options written as one string, for tables: `"-r 44100 -c 2"`.
fn words(options: &str) -> Vec<&str> {
    options.split_whitespace().collect()
}

/// `sox -n OPTS NAME EFFECT…`: a file synthesised by sox.
fn sox_file(env: &TestEnv, name: &str, opts: &[&str], effect: &[&str]) -> PathBuf {
    let mut args = vec!["-R", "-D", "-n"];
    args.extend_from_slice(opts);
    args.push(name);
    args.extend_from_slice(effect);
    tool(env, "sox", &args);
    env.path(name)
}

/// `ffmpeg -f lavfi -i SOURCE OPTS NAME`: a file made by ffmpeg.
fn ffmpeg_file(env: &TestEnv, name: &str, lavfi: &str, opts: &[&str]) -> PathBuf {
    let mut args = vec!["-v", "error", "-y", "-f", "lavfi", "-i", lavfi];
    args.extend_from_slice(opts);
    args.push(name);
    tool(env, "ffmpeg", &args);
    env.path(name)
}

/// sox's decode of `name`, raw in the file's own encoding and width (little-endian).
fn sox_decode(env: &TestEnv, name: &str) -> Vec<u8> {
    let out = format!("{name}.sox.raw");
    tool(env, "sox", &[name, "-t", "raw", "-L", &out]);
    fs::read(env.path(&out)).unwrap()
}

/// ffmpeg's decode of `name` to raw `format` (s16le, s24le, f32le, …).
fn ffmpeg_decode(env: &TestEnv, name: &str, format: &str) -> Vec<u8> {
    let out = format!("{name}.ffmpeg.raw");
    tool(
        env,
        "ffmpeg",
        &["-v", "error", "-y", "-i", name, "-f", format, &out],
    );
    fs::read(env.path(&out)).unwrap()
}

/// Plays `args` (files and options) into the file plugin; returns the run and what reached it.
fn play(env: &TestEnv, args: &[&str]) -> (Run, Vec<u8>) {
    let out = env.path("out.raw");
    let _ = fs::remove_file(&out);
    let device = file_pcm(&out);
    let mut all = vec!["-v", "play", "-d", &device];
    all.extend_from_slice(args);
    let run = env.run(&all);
    let sent = fs::read(&out).unwrap_or_default();
    (run, sent)
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

/// The pitch of the first of `channels` interleaved float channels, from rising zero
/// crossings in the middle half.
fn pitch(samples: &[f32], channels: usize, rate: f64) -> f64 {
    let first: Vec<f32> = samples.iter().step_by(channels).copied().collect();
    let middle = &first[first.len() / 4..first.len() * 3 / 4];
    let ups = middle
        .windows(2)
        .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
        .count();
    ups as f64 * rate / middle.len() as f64
}

#[test]
fn lossless_files_reach_the_device_bit_for_bit_in_their_own_width() {
    let env = TestEnv::new();
    let noise = ["synth", "0.5", "whitenoise", "vol", "0.5"];
    // (file, how it is made, the format it must reach the device in)
    let sox_made: &[(&str, &str, &str)] = &[
        ("s16.flac", "-r 44100 -b 16 -c 2", "S16_LE"),
        ("s24.flac", "-r 96000 -b 24 -c 2", "S24_3LE"),
        ("s24_51.flac", "-r 48000 -b 24 -c 6", "S24_3LE"),
        ("s16_mono.flac", "-r 22050 -b 16 -c 1", "S16_LE"),
        ("s8.flac", "-r 8000 -b 8 -c 1", "S8"),
        ("s16.aiff", "-r 44100 -b 16 -c 2", "S16_LE"),
        ("s24.aiff", "-r 48000 -b 24 -c 2", "S24_3LE"),
        ("s16_51.aiff", "-r 48000 -b 16 -c 6", "S16_LE"),
    ];
    for (name, opts, format) in sox_made {
        sox_file(&env, name, &words(opts), &noise);
        plays_bit_perfect(&env, name, format, &sox_decode(&env, name));
    }
    let lavfi = "anoisesrc=d=0.5:r=44100:a=0.5";
    let ffmpeg_made: &[(&str, &str, &str, &str)] = &[
        (
            "alac16.m4a",
            "-ac 2 -c:a alac -sample_fmt s16p",
            "S16_LE",
            "s16le",
        ),
        (
            "alac24.m4a",
            "-ac 2 -c:a alac -sample_fmt s32p",
            "S24_3LE",
            "s24le",
        ),
        (
            "alac24_51.m4a",
            "-ac 6 -c:a alac -sample_fmt s32p",
            "S24_3LE",
            "s24le",
        ),
        (
            "alac24.caf",
            "-ac 2 -c:a alac -sample_fmt s32p",
            "S24_3LE",
            "s24le",
        ),
        ("s16.caf", "-ac 2 -c:a pcm_s16be", "S16_LE", "s16le"),
        ("s24.caf", "-ac 2 -c:a pcm_s24le", "S24_3LE", "s24le"),
    ];
    for (name, opts, format, raw) in ffmpeg_made {
        ffmpeg_file(&env, name, lavfi, &words(opts));
        plays_bit_perfect(&env, name, format, &ffmpeg_decode(&env, name, raw));
    }
}

/// Plays `name` into the file plugin and asserts that -v says it is decoded to `format`
/// bit-perfect, and that exactly `reference` (another decoder's output) reached the device.
fn plays_bit_perfect(env: &TestEnv, name: &str, format: &str, reference: &[u8]) {
    let (run, sent) = play(env, &[name]);
    run.success();
    let stderr = run.stderr();
    assert!(stderr.contains(&format!("decoded to {format}")), "{stderr}");
    assert!(stderr.contains("bit-perfect"), "{stderr}");
    assert_bytes(&sent, reference, name);
}

#[test]
fn au_files_pass_through_unchanged_like_aplay() {
    let env = TestEnv::new();
    // (file, sox options, the ALSA format of its bytes)
    let cases: &[(&str, &str, &str)] = &[
        ("ulaw.au", "-r 8000 -c 1 -e mu-law", "MU_LAW"),
        ("alaw.au", "-r 8000 -c 2 -e a-law", "A_LAW"),
        ("s8.au", "-r 11025 -c 1 -b 8 -e signed", "S8"),
        ("s16.au", "-r 44100 -c 2 -b 16", "S16_BE"),
        ("s24.au", "-r 48000 -c 2 -b 24", "S24_3BE"),
        ("s32.au", "-r 48000 -c 1 -b 32", "S32_BE"),
        ("float.au", "-r 48000 -c 2 -b 32 -e float", "FLOAT_BE"),
    ];
    for (name, opts, format) in cases {
        let file = sox_file(
            &env,
            name,
            &words(opts),
            &["synth", "0.4", "whitenoise", "vol", "0.5"],
        );
        let bytes = fs::read(&file).unwrap();
        let offset = u32::from_be_bytes(bytes[4..8].try_into().unwrap()) as usize;
        let (run, sent) = play(&env, &[name]);
        run.success();
        let stderr = run.stderr();
        assert!(stderr.contains(&format!(": {format}, ")), "{stderr}");
        assert!(stderr.contains("bit-perfect"), "{stderr}");
        assert_bytes(&sent, &bytes[offset..], name);
        // aplay plays µ-law, 8 and 16-bit AU: it sends the same bytes, then pads its last
        // period with silence.
        // (µ-law has two codes for zero; alsa-lib pads with 0x7f. aplay takes 8-bit AU for
        // unsigned, against the AU definition and sox, so it pads with 0x80: the bytes it
        // sends are the same.)
        if let Some(silence) = match *name {
            "ulaw.au" => Some(0x7f),
            "s8.au" => Some(0x80),
            "s16.au" => Some(0),
            _ => None,
        } {
            let aplay_out = env.path("aplay.raw");
            let _ = fs::remove_file(&aplay_out);
            let aplay = env.run_tool("aplay", &["-q", "-D", &file_pcm(&aplay_out), name]);
            assert!(aplay.output.status.success(), "{}", aplay.stderr());
            let theirs = fs::read(&aplay_out).unwrap();
            assert!(theirs.len() >= sent.len(), "{name}: aplay sent less");
            assert_bytes(&theirs[..sent.len()], &sent, &format!("{name} by aplay"));
            assert!(theirs[sent.len()..].iter().all(|&b| b == silence), "{name}");
        }
    }
}

#[test]
fn lossy_files_play_their_exact_length_at_the_right_pitch() {
    let env = TestEnv::new();
    let sine = "sine=f=1000:r=44100:d=2";
    sox_file(
        &env,
        "tone.ogg",
        &["-r", "44100", "-c", "2"],
        &["synth", "2", "sine", "1000", "vol", "0.5"],
    );
    sox_file(
        &env,
        "tone51.ogg",
        &["-r", "44100", "-c", "6"],
        &["synth", "2", "sine", "1000", "vol", "0.5"],
    );
    ffmpeg_file(&env, "tone.mp3", sine, &["-ac", "2", "-c:a", "libmp3lame"]);
    ffmpeg_file(&env, "tone.m4a", sine, &["-ac", "2", "-c:a", "aac"]);
    ffmpeg_file(&env, "mono.mp3", sine, &["-ac", "1", "-c:a", "libmp3lame"]);
    for (name, channels, codec) in [
        ("tone.ogg", 2, "Vorbis in Ogg"),
        ("tone51.ogg", 6, "Vorbis in Ogg"),
        ("tone.mp3", 2, "MP3"),
        ("tone.m4a", 2, "AAC in MP4"),
        ("mono.mp3", 1, "MP3"),
    ] {
        let (run, sent) = play(&env, &[name]);
        run.success();
        let stderr = run.stderr();
        assert!(
            stderr.contains(&format!("{codec}, decoded to FLOAT_LE, 44100 Hz")),
            "{stderr}"
        );
        assert!(!stderr.contains("bit-perfect"), "{stderr}");
        let samples = floats(&sent);
        // Encoder delay and padding are cut: exactly the two seconds that were encoded.
        assert_eq!(samples.len(), 88_200 * channels, "{name}: length");
        let hz = pitch(&samples, channels, 44100.0);
        assert!((hz - 1000.0).abs() < 5.0, "{name}: {hz} Hz");
    }
}

#[test]
fn files_of_one_format_follow_each_other_without_a_gap() {
    let env = TestEnv::new();
    let opts = ["-r", "44100", "-b", "16", "-c", "2"];
    let noise = ["synth", "0.3", "whitenoise"];
    sox_file(&env, "a.flac", &opts, &noise);
    sox_file(&env, "b.flac", &opts, &noise);
    sox_file(&env, "c.wav", &opts, &noise);
    sox_file(&env, "d.aiff", &opts, &noise);
    // FLAC, FLAC, WAV, AIFF: all S16_LE at 44100 Hz stereo, so one open device and the bytes
    // back to back.
    let (run, sent) = play(&env, &["a.flac", "b.flac", "c.wav", "d.aiff"]);
    run.success();
    assert_eq!(
        run.stderr().matches("period").count(),
        1,
        "the device was reopened: {}",
        run.stderr()
    );
    let expected = [
        sox_decode(&env, "a.flac"),
        sox_decode(&env, "b.flac"),
        sox_decode(&env, "c.wav"),
        sox_decode(&env, "d.aiff"),
    ]
    .concat();
    assert_bytes(&sent, &expected, "four files in a row");

    // An album in MP3 and in M4A: each track's priming and padding is cut, so the tracks join
    // with no silence between them.
    for (ext, codec) in [("mp3", "libmp3lame"), ("m4a", "aac")] {
        let first = format!("one.{ext}");
        let second = format!("two.{ext}");
        for (name, from) in [(&first, "0"), (&second, "1")] {
            ffmpeg_file(
                &env,
                name,
                "sine=f=441:r=44100:d=2",
                &["-ss", from, "-t", "1", "-ac", "1", "-c:a", codec],
            );
        }
        let (run, sent) = play(&env, &[&first, &second]);
        run.success();
        let samples = floats(&sent);
        assert_eq!(samples.len(), 88_200, "{ext}: two seconds, no gap");
        // No silence at the join: every 10 ms around it carries the tone.
        for block in samples[44_100 - 2205..44_100 + 2205].chunks(441) {
            let peak = block.iter().fold(0f32, |m, s| m.max(s.abs()));
            assert!(
                peak > 0.05,
                "{ext}: a quiet block at the join (peak {peak})"
            );
        }
    }
}

#[test]
fn start_and_duration_inside_compressed_files() {
    let env = TestEnv::new();
    sox_file(
        &env,
        "long.flac",
        &["-r", "44100", "-b", "24", "-c", "2"],
        &["synth", "4", "whitenoise", "vol", "0.5"],
    );
    let full = sox_decode(&env, "long.flac");
    let frame = 6;
    let (run, sent) = play(&env, &["--start", "1.5", "--duration", "0.5", "long.flac"]);
    run.success();
    let from = 66_150 * frame;
    assert_bytes(&sent, &full[from..from + 22_050 * frame], "1.5 s to 2 s");

    // MP3: the decoder is primed before the target, so the cut matches a full decode.
    ffmpeg_file(
        &env,
        "long.mp3",
        "sine=f=300:r=44100:d=4",
        &["-ac", "1", "-c:a", "libmp3lame"],
    );
    let (run, whole) = play(&env, &["long.mp3"]);
    run.success();
    let (run, part) = play(&env, &["--start", "2:00.25", "long.mp3"]);
    run.code_is(0);
    assert!(part.is_empty(), "a start past the end plays nothing");
    let (run, part) = play(&env, &["--start", "0:02.5", "long.mp3"]);
    run.success();
    assert_bytes(&part, &whole[110_250 * 4..], "MP3 from 2.5 s");
}

#[test]
fn start_seeks_through_the_index_instead_of_decoding_what_it_skips() {
    let env = TestEnv::new();
    // Four minutes of noise (FLAC cannot shrink it): a full decode costs seconds of CPU.
    sox_file(
        &env,
        "long.flac",
        &["-r", "44100", "-b", "16", "-c", "2"],
        &["synth", "4:00", "whitenoise", "vol", "0.5"],
    );
    let cpu = |args: &[&str]| {
        let mut cmd = env.alsatool();
        cmd.args(args);
        let (status, seconds) = run_for_cpu_time(&mut cmd);
        assert!(status.success(), "{args:?}: {status}");
        seconds
    };
    let full = cpu(&["play", "-d", "null", "long.flac"]);
    // The last 5 s of 240 (2%): with a seek it costs about that share of the full decode plus
    // start-up, decoding the 235 s before it would cost nearly all of it.
    let near_end = cpu(&["play", "-d", "null", "--start", "3:55", "long.flac"]);
    assert!(
        near_end <= full / 10.0,
        "--start 3:55 took {near_end:.3} s of CPU, a full decode {full:.3} s"
    );
}

#[test]
fn the_title_and_artist_show_on_the_status_and_progress_lines() {
    let env = TestEnv::new();
    sox_file(
        &env,
        "tagged.flac",
        &[
            "-r",
            "44100",
            "-c",
            "2",
            "-b",
            "16",
            "--comment",
            "TITLE=Song Title",
            "--add-comment",
            "ARTIST=The Band",
        ],
        &["synth", "0.2", "sine", "440"],
    );
    ffmpeg_file(
        &env,
        "tagged.mp3",
        "sine=d=0.2",
        &[
            "-metadata",
            "title=Other Song",
            "-metadata",
            "artist=Someone",
            "-c:a",
            "libmp3lame",
        ],
    );
    terminal_shows(
        &env,
        &["play", "-d", "null", "tagged.flac"],
        "Playing 'tagged.flac' (The Band – Song Title): FLAC, S16_LE, 44100 Hz, stereo, 0:00",
    );
    terminal_shows(
        &env,
        &["play", "-d", "null", "tagged.mp3"],
        "Playing 'tagged.mp3' (Someone – Other Song): MP3, FLOAT_LE",
    );
    // In real time, the progress line carries the title after the times.
    let pulse = Pulse::start();
    let mut env = env;
    env.use_pulse(&pulse);
    sox_file(
        &env,
        "long_tagged.flac",
        &[
            "-r",
            "48000",
            "-c",
            "2",
            "-b",
            "16",
            "--comment",
            "TITLE=Song Title",
            "--add-comment",
            "ARTIST=The Band",
        ],
        &["synth", "1.2", "sine", "440", "vol", "0.5"],
    );
    let text = terminal_shows(
        &env,
        &["play", "-d", "pulse", "long_tagged.flac"],
        " / 0:01",
    );
    assert!(
        text.matches("The Band – Song Title").count() >= 2,
        "the title is on the status line and the progress line: {text:?}"
    );
}

#[test]
fn the_content_decides_not_the_name_and_standard_input_works() {
    let env = TestEnv::new();
    sox_file(
        &env,
        "real.flac",
        &["-r", "48000", "-b", "24", "-c", "2"],
        &["synth", "0.5", "whitenoise"],
    );
    fs::copy(env.path("real.flac"), env.path("song.wav")).unwrap();
    let expected = sox_decode(&env, "real.flac");
    let (run, sent) = play(&env, &["song.wav"]);
    run.success();
    assert_bytes(&sent, &expected, "a FLAC named .wav");

    let out = env.path("stdin.raw");
    let flac = fs::read(env.path("real.flac")).unwrap();
    run_with_stdin(&env, &["play", "-d", &file_pcm(&out), "-"], &flac).success();
    assert_bytes(
        &fs::read(&out).unwrap(),
        &expected,
        "FLAC from standard input",
    );

    // MP3 from a pipe: whole, gapless length.
    ffmpeg_file(
        &env,
        "piped.mp3",
        "sine=r=44100:d=1",
        &["-ac", "1", "-c:a", "libmp3lame"],
    );
    let mp3 = fs::read(env.path("piped.mp3")).unwrap();
    run_with_stdin(&env, &["play", "-d", &file_pcm(&out), "-"], &mp3).success();
    assert_eq!(fs::read(&out).unwrap().len(), 44_100 * 4);
    // An M4A whose index is at its end (ffmpeg's default) cannot come through a pipe.
    ffmpeg_file(&env, "piped.m4a", "sine=d=1", &["-c:a", "aac"]);
    let m4a = fs::read(env.path("piped.m4a")).unwrap();
    run_with_stdin(&env, &["play", "-d", "null", "-"], &m4a)
        .code_is(1)
        .fails_with(&["'standard input'", "moov", "give the file's name"]);
}

/// A copy of `name` cut to `fraction` of its length, named `cut_NAME`.
fn cut(env: &TestEnv, name: &str, fraction: f64) -> String {
    let bytes = fs::read(env.path(name)).unwrap();
    let cut_name = format!("cut_{name}");
    write_file(
        &env.path(&cut_name),
        &bytes[..(bytes.len() as f64 * fraction) as usize],
    );
    cut_name
}

#[test]
fn a_truncated_file_plays_what_decodes_then_says_so_and_the_list_goes_on() {
    let env = TestEnv::new();
    let opts = ["-r", "44100", "-b", "16", "-c", "2"];
    sox_file(&env, "long.flac", &opts, &["synth", "2", "whitenoise"]);
    sox_file(&env, "next.flac", &opts, &["synth", "0.3", "whitenoise"]);
    let cut_flac = cut(&env, "long.flac", 0.6);
    let (run, sent) = play(&env, &[&cut_flac, "next.flac"]);
    run.code_is(1);
    let errors: Vec<&str> = run
        .output
        .stderr
        .split(|&b| b == b'\n')
        .filter_map(|l| std::str::from_utf8(l).ok())
        .filter(|l| l.starts_with("alsatool: 'cut_long.flac'") && l.contains("truncated"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr());
    let whole = sox_decode(&env, "long.flac");
    let next = sox_decode(&env, "next.flac");
    // The start of the cut file, exactly, then the next file on the same device.
    let played_of_cut = sent.len() - next.len();
    assert!(
        played_of_cut > whole.len() / 3,
        "played {played_of_cut} bytes"
    );
    assert_bytes(
        &sent[..played_of_cut],
        &whole[..played_of_cut],
        "the cut file",
    );
    assert_bytes(&sent[played_of_cut..], &next, "the next file");

    // An AU whose header promises more than the file holds plays what is there, like a cut
    // WAV (and like aplay): no error, a -v note.
    sox_file(&env, "long.au", &opts, &["synth", "1", "whitenoise"]);
    let cut_au = cut(&env, "long.au", 0.5);
    let bytes = fs::read(env.path(&cut_au)).unwrap();
    let offset = u32::from_be_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let (run, sent) = play(&env, &[&cut_au]);
    run.success();
    run.stderr_contains("ends before its header says");
    let whole_frames = (bytes.len() - offset) / 4 * 4;
    assert_bytes(&sent, &bytes[offset..offset + whole_frames], "the cut AU");

    // Alone, the error is the one line on stderr (without -v).
    let out = env.path("alone.raw");
    let run = env.run(&["play", "-d", &file_pcm(&out), &cut_flac]);
    run.code_is(1).fails_with(&["'cut_long.flac'", "truncated"]);
}

#[test]
fn damaged_and_unplayable_files_give_one_line_and_never_a_panic() {
    let env = TestEnv::new();
    sox_file(
        &env,
        "noise.ogg",
        &["-r", "44100", "-c", "2"],
        &["synth", "10", "pinknoise"],
    );
    ffmpeg_file(
        &env,
        "noise.mp3",
        "anoisesrc=d=10:r=44100:seed=1",
        &["-ac", "2", "-c:a", "libmp3lame"],
    );
    ffmpeg_file(
        &env,
        "noise.m4a",
        "anoisesrc=d=10:r=44100:seed=1",
        &["-ac", "2", "-c:a", "aac"],
    );
    sox_file(
        &env,
        "noise.flac",
        &["-r", "44100", "-b", "16", "-c", "2"],
        &["synth", "10", "whitenoise"],
    );
    // Ten seconds, so that the burst below is a small part of each file: an Ogg page of this
    // pink noise holds about 0.4 s, and ffmpeg and sox too lose the two pages it hits.
    let mut short_of_80 = Vec::new();
    for name in ["noise.ogg", "noise.mp3", "noise.m4a", "noise.flac"] {
        // A burst of garbage in the middle: what decodes plays, then one line says so.
        let mut bytes = fs::read(env.path(name)).unwrap();
        let middle = bytes.len() / 2;
        for (i, b) in bytes[middle..middle + 1500].iter_mut().enumerate() {
            *b = (i * 7919 % 251) as u8;
        }
        let damaged = format!("damaged_{name}");
        write_file(&env.path(&damaged), &bytes);
        let whole = env.path("whole.raw");
        env.run(&["play", "-d", &file_pcm(&whole), name]).success();
        let whole = fs::read(&whole).unwrap();
        let out = env.path("damaged.raw");
        let run = env.run(&["play", "-d", &file_pcm(&out), &damaged]);
        run.code_is(1)
            .fails_with(&[&format!("'{damaged}'"), "damaged"]);
        // Only the damaged packets are skipped: at least 80% of the full decode reaches the
        // device, and what comes before the damage is the undamaged file's, exactly.
        // (Every format is tried before the test fails, so the message names all that fall
        // short.)
        let sent = fs::read(&out).unwrap();
        if sent.len() * 5 < whole.len() * 4 {
            short_of_80.push(format!(
                "{damaged}: {} of the full decode's {} bytes ({})",
                sent.len(),
                whole.len(),
                run.stderr().trim()
            ));
        }
        let before = whole.len() / 10;
        assert_bytes(
            &sent[..before],
            &whole[..before],
            &format!("{damaged} before the damage"),
        );
        // Cut anywhere: an error or a short success, one line at most, never a panic.
        for tenth in 0..10 {
            let short = cut(&env, name, f64::from(tenth) / 10.0);
            env.run(&["play", "-d", "null", &short]).ends_cleanly();
        }
    }
    assert!(
        short_of_80.is_empty(),
        "less than 80% of the full decode:\n{}",
        short_of_80.join("\n")
    );
    // An M4A cut short has lost its index: nothing plays, and the message says why.
    let short = cut(&env, "noise.m4a", 0.5);
    env.run(&["play", "-d", "null", &short])
        .code_is(1)
        .fails_with(&["cut short"]);
}

#[test]
fn unknown_and_unsupported_formats_are_named_with_the_list_of_formats() {
    let env = TestEnv::new();
    write_file(&env.path("notes.txt"), "not audio\n".repeat(200).as_bytes());
    env.run(&["play", "-d", "null", "notes.txt"])
        .code_is(1)
        .fails_with(&[
            "'notes.txt'",
            "not a format alsatool can play",
            "FLAC, Ogg Vorbis, MP3, AAC and ALAC (M4A/MP4), AIFF, AU and CAF",
            "-t raw",
        ]);
    ffmpeg_file(&env, "voice.opus", "sine=d=0.3", &["-c:a", "libopus"]);
    env.run(&["play", "-d", "null", "voice.opus"])
        .code_is(1)
        .fails_with(&["'voice.opus'", "Opus audio", "cannot decode", "FLAC"]);
    // An AU encoding alsatool does not play (G.721 ADPCM): named, with what is supported.
    let mut au = b".snd".to_vec();
    for word in [24u32, 0, 23, 8000, 1] {
        au.extend_from_slice(&word.to_be_bytes());
    }
    write_file(&env.path("adpcm.au"), &au);
    env.run(&["play", "-d", "null", "adpcm.au"])
        .code_is(1)
        .fails_with(&["'adpcm.au'", "ADPCM", "µ-law"]);
}
