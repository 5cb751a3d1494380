//! `alsatool play`: bit-exact output through alsa-lib's file plugin (against the WAV data chunk
//! and against aplay), conversion through plugins that restrict formats and channels, standard
//! input, real-time playback through a private PulseAudio recorded from the sink's monitor,
//! Ctrl-C, underruns, and every kind of bad input.

use std::fs;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{
    assert_bytes, file_pcm, file_pcm_quoted, noise, require_tool, run_with_stdin, sox_tone,
    terminal_shows, wait_for_exit, wav_data, write_file, Pulse, TestEnv,
};

fn sox(env: &TestEnv, args: &[&str]) {
    require_tool("sox");
    let run = env.run_tool("sox", args);
    assert!(
        run.output.status.success(),
        "sox {args:?}: {}",
        run.stderr()
    );
}

/// Makes a WAV of noise with sox: `spec` are sox's format options (-b, -e, -c, -r), as one
/// string.
fn sox_wav(env: &TestEnv, name: &str, spec: &str, seconds: &str) -> Vec<u8> {
    let path = env.path(name);
    let mut args = vec!["-n"];
    args.extend(spec.split_whitespace());
    let path_text = path.display().to_string();
    args.extend_from_slice(&[&path_text, "synth", seconds, "whitenoise", "vol", "0.7"]);
    sox(env, &args);
    fs::read(&path).unwrap()
}

#[test]
fn wav_files_reach_the_device_bit_for_bit_like_aplay() {
    let env = TestEnv::new();
    let corpus: &[(&str, &str)] = &[
        ("u8.wav", "-r 8000 -c 1 -b 8 -e unsigned"),
        ("s16.wav", "-r 44100 -c 2 -b 16"),
        ("s24.wav", "-r 48000 -c 2 -b 24"),
        ("s32.wav", "-r 96000 -c 1 -b 32"),
        ("f32.wav", "-r 48000 -c 2 -b 32 -e float"),
        ("f64.wav", "-r 48000 -c 2 -b 64 -e float"),
        ("six.wav", "-r 48000 -c 6 -b 16"),
        ("six24.wav", "-r 48000 -c 6 -b 24"),
        ("alaw.wav", "-r 8000 -c 1 -e a-law"),
        ("ulaw.wav", "-r 8000 -c 2 -e u-law"),
    ];
    for (name, spec) in corpus {
        let wav = sox_wav(&env, name, spec, "0.37");
        let data = wav_data(&wav);
        assert!(data.len() > 1000, "{name}");
        let ours = env.path(&format!("{name}.ours.raw"));
        env.run(&["play", "-d", &file_pcm(&ours), name])
            .success()
            .stderr_is_empty();
        let sent = fs::read(&ours).unwrap();
        assert_bytes(&sent, &data, name);

        // aplay sends the same bytes, then pads its last period with silence.
        let theirs = env.path(&format!("{name}.aplay.raw"));
        let aplay = env.run_tool("aplay", &["-q", "-D", &file_pcm(&theirs), name]);
        if name.contains("law") || *name == "f64.wav" {
            // aplay's WAV reader takes neither G.711 nor 64-bit float; alsatool plays both.
            assert!(!aplay.output.status.success(), "{name}");
            continue;
        }
        assert!(
            aplay.output.status.success(),
            "aplay {name}: {}",
            aplay.stderr()
        );
        let aplay_sent = fs::read(&theirs).unwrap();
        assert_bytes(
            &aplay_sent[..data.len()],
            &data,
            &format!("{name} by aplay"),
        );
        // Its padding is the format's silence: 0x80 for unsigned 8-bit, zero otherwise.
        let silence = if *name == "u8.wav" { 0x80 } else { 0 };
        assert!(
            aplay_sent[data.len()..].iter().all(|&b| b == silence),
            "{name}"
        );
    }
}

/// A WAV whose header sox does not write: 24 bits in 4-byte containers (extensible), a long
/// fmt chunk, and unknown chunks (one of odd length, padded) before the data.
fn handmade_wav(data: &[u8]) -> Vec<u8> {
    let mut fmt = Vec::new();
    fmt.extend_from_slice(&0xfffeu16.to_le_bytes());
    fmt.extend_from_slice(&2u16.to_le_bytes());
    fmt.extend_from_slice(&48000u32.to_le_bytes());
    fmt.extend_from_slice(&(48000u32 * 8).to_le_bytes());
    fmt.extend_from_slice(&8u16.to_le_bytes());
    fmt.extend_from_slice(&32u16.to_le_bytes());
    fmt.extend_from_slice(&22u16.to_le_bytes());
    fmt.extend_from_slice(&24u16.to_le_bytes());
    fmt.extend_from_slice(&3u32.to_le_bytes());
    fmt.extend_from_slice(&[
        1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71,
    ]);
    let mut body = b"WAVE".to_vec();
    for (id, bytes) in [
        (b"JUNK", &b"odd"[..]),
        (b"fmt ", &fmt[..]),
        (b"LIST", &b"INFOISFT\x04\0\0\0abc\0"[..]),
        (b"data", data),
    ] {
        body.extend_from_slice(id);
        body.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        body.extend_from_slice(bytes);
        if bytes.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut wav = b"RIFF".to_vec();
    wav.extend_from_slice(&(body.len() as u32).to_le_bytes());
    wav.extend_from_slice(&body);
    wav
}

#[test]
fn extensible_24_in_32_with_unknown_chunks_plays_bit_for_bit() {
    let env = TestEnv::new();
    // 24 significant bits, left-justified: the low byte of each sample is zero.
    let mut data = noise(8 * 5000, 7);
    for sample in data.chunks_exact_mut(4) {
        sample[0] = 0;
    }
    write_file(&env.path("x.wav"), &handmade_wav(&data));
    let out = env.path("out.raw");
    env.run(&["-v", "play", "-d", &file_pcm(&out), "x.wav"])
        .success();
    assert_bytes(&fs::read(&out).unwrap(), &data, "output");
}

#[test]
fn a_cut_off_recording_plays_what_is_there() {
    let env = TestEnv::new();
    let wav = sox_wav(&env, "full.wav", "-r 8000 -c 2 -b 16", "0.5");
    // Cut mid-frame: the header still claims the whole length.
    let cut = &wav[..wav.len() - 1001];
    write_file(&env.path("cut.wav"), cut);
    let out = env.path("out.raw");
    let run = env.run(&["-v", "play", "-d", &file_pcm(&out), "cut.wav"]);
    run.success();
    run.stderr_contains("ends before its header says");
    let data = wav_data(cut);
    let whole = data.len() / 4 * 4;
    assert_bytes(&fs::read(&out).unwrap(), &data[..whole], "output");
}

#[test]
fn raw_files_with_aplay_format_names_and_shortcuts() {
    let env = TestEnv::new();
    let bytes = noise(6 * 3001 + 5, 3); // a partial frame at the end is not played
    write_file(&env.path("x.raw"), &bytes);
    for args in [
        &["-t", "raw", "-f", "S24_3LE", "-c", "2", "-r", "44100"][..],
        &["-f", "s24_3le", "-c", "2", "-r", "44100"][..], // raw is implied by -f/-c/-r
        &["-t", "raw", "-f", "U16_BE", "-c", "3", "-r", "8000"][..],
    ] {
        let out = env.path("out.raw");
        let mut all = vec!["play", "-d"];
        let device = file_pcm(&out);
        all.push(&device);
        all.extend_from_slice(args);
        all.push("x.raw");
        env.run(&all).success();
        assert_bytes(
            &fs::read(&out).unwrap(),
            &bytes[..6 * 3001],
            &format!("{args:?}"),
        );
    }
    let out = env.path("cd.raw");
    env.run(&[
        "play",
        "-d",
        &file_pcm(&out),
        "-t",
        "raw",
        "-f",
        "cd",
        "x.raw",
    ])
    .success();
    assert_eq!(fs::read(&out).unwrap().len(), bytes.len() / 4 * 4);
}

#[test]
fn start_and_duration_cut_the_right_bytes() {
    let env = TestEnv::new();
    let bytes = noise(8000, 11);
    write_file(&env.path("x.raw"), &bytes);
    let out = env.path("out.raw");
    let device = file_pcm(&out);
    let raw = ["-t", "raw", "-f", "U8", "-c", "1", "-r", "8000"];
    let mut args = vec![
        "play",
        "-d",
        &device,
        "--start",
        "0.25",
        "--duration",
        "0.5",
    ];
    args.extend_from_slice(&raw);
    args.push("x.raw");
    env.run(&args).success();
    assert_bytes(&fs::read(&out).unwrap(), &bytes[2000..6000], "output");
    // Starting past the end plays nothing and is no error.
    let mut args = vec!["play", "-d", &device, "--start", "5"];
    args.extend_from_slice(&raw);
    args.push("x.raw");
    env.run(&args).success();
    assert_eq!(fs::read(&out).unwrap().len(), 0);
}

#[test]
fn standard_input_wav_streamed_wav_and_raw() {
    let env = TestEnv::new();
    let wav = sox_wav(&env, "x.wav", "-r 22050 -c 2 -b 16", "0.4");
    let data = wav_data(&wav);
    let out = env.path("out.raw");
    let device = file_pcm(&out);
    run_with_stdin(&env, &["play", "-d", &device, "-"], &wav).success();
    assert_bytes(&fs::read(&out).unwrap(), &data, "output");

    // A streamed WAV whose sizes say "until the end" (as `arecord -` writes them).
    let mut streamed = wav.clone();
    streamed[4..8].copy_from_slice(&0xffff_ffffu32.to_le_bytes());
    let at = streamed.len() - data.len() - 4;
    streamed[at..at + 4].copy_from_slice(&0xffff_ffffu32.to_le_bytes());
    run_with_stdin(&env, &["play", "-d", &device, "-"], &streamed).success();
    assert_bytes(&fs::read(&out).unwrap(), &data, "output");

    let raw = noise(4 * 1000, 5);
    run_with_stdin(
        &env,
        &[
            "play", "-d", &device, "-f", "S16_LE", "-c", "2", "-r", "8000", "-",
        ],
        &raw,
    )
    .success();
    assert_bytes(&fs::read(&out).unwrap(), &raw, "output");
}

#[test]
fn files_of_one_format_play_back_to_back_on_one_open_device() {
    let env = TestEnv::new();
    let spec = "-r 48000 -c 2 -b 16";
    let a = wav_data(&sox_wav(&env, "a.wav", spec, "0.31"));
    let b = wav_data(&sox_wav(&env, "b.wav", spec, "0.17"));
    let out = env.path("out.raw");
    let run = env.run(&["-v", "play", "-d", &file_pcm(&out), "a.wav", "b.wav"]);
    run.success();
    // One open: no silence, nothing repeated, between the two.
    assert_eq!(
        run.stderr().matches("period").count(),
        1,
        "{}",
        run.stderr()
    );
    assert_bytes(&fs::read(&out).unwrap(), &[a, b].concat(), "output");
}

#[test]
fn files_of_different_formats_reopen_the_device() {
    let env = TestEnv::new();
    // The file plugin names its output after the rate and format it was opened with.
    let device = file_pcm(&env.path("out_%r_%f.raw"));
    let a = wav_data(&sox_wav(&env, "a.wav", "-r 48000 -c 2 -b 16", "0.2"));
    let b = wav_data(&sox_wav(
        &env,
        "b.wav",
        "-r 8000 -c 1 -b 8 -e unsigned",
        "0.2",
    ));
    let run = env.run(&["-v", "play", "-d", &device, "a.wav", "b.wav"]);
    run.success();
    assert_eq!(
        run.stderr().matches("period").count(),
        2,
        "{}",
        run.stderr()
    );
    assert_bytes(
        &fs::read(env.path("out_48000_S16_LE.raw")).unwrap(),
        &a,
        "first",
    );
    assert_bytes(
        &fs::read(env.path("out_8000_U8.raw")).unwrap(),
        &b,
        "second",
    );
}

/// What playing through a restricting plugin gave: -v's stderr, the WAV's data chunk and the
/// bytes that reached the file behind the plugin.
struct Converted {
    stderr: String,
    data: Vec<u8>,
    sent: Vec<u8>,
}

/// Defines the PCM `restricted` as `definition`, in which `{}` stands for the file plugin (a
/// quoted slave `pcm`) that records what reaches it, makes a WAV of noise with sox's `spec`,
/// plays it with -v through `restricted`, and asserts that -v says `conversion`.
fn play_converted(definition: &str, spec: &str, conversion: &str) -> Converted {
    let mut env = TestEnv::new();
    let out = env.path("out.raw");
    env.add_asoundrc(&definition.replace("{}", &file_pcm_quoted(&out)));
    let wav = sox_wav(&env, "in.wav", spec, "0.3");
    let run = env.run(&["-v", "play", "-d", "restricted", "in.wav"]);
    run.success();
    run.stderr_contains(conversion);
    Converted {
        stderr: run.stderr(),
        data: wav_data(&wav),
        sent: fs::read(&out).unwrap(),
    }
}

#[test]
fn converts_where_the_device_takes_only_linear_formats() {
    // alsa-lib's mulaw plugin with a µ-law slave takes only linear formats from its client:
    // a µ-law file must be decoded by alsatool, and the plugin's encoding gives the bytes back.
    let got = play_converted(
        "pcm.restricted { type mulaw slave { pcm {} format MU_LAW } }",
        "-r 8000 -c 1 -e u-law",
        "converting sample format MU_LAW to S16_LE",
    );
    // µ-law has two codes for zero (0x7f and 0xff); both come back as 0xff.
    let normalise = |b: &[u8]| {
        b.iter()
            .map(|&c| if c == 0x7f { 0xff } else { c })
            .collect::<Vec<_>>()
    };
    assert_bytes(&normalise(&got.sent), &normalise(&got.data), "µ-law");
}

#[test]
fn converts_float_for_a_device_that_takes_only_integers() {
    // lfloat with a float slave takes only integer formats from its client.
    let got = play_converted(
        "pcm.restricted { type lfloat slave { pcm {} format FLOAT_LE } }",
        "-r 48000 -c 2 -b 32 -e float",
        "FLOAT_LE to S32_LE",
    );
    assert_eq!(got.sent.len(), got.data.len(), "{}", got.stderr);
    for (a, b) in got.sent.chunks_exact(4).zip(got.data.chunks_exact(4)) {
        let (a, b) = (
            f32::from_le_bytes(a.try_into().unwrap()),
            f32::from_le_bytes(b.try_into().unwrap()),
        );
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
}

#[test]
fn fills_a_device_that_takes_only_many_channels() {
    // The multi plugin takes exactly as many channels as it has bindings: six here.
    let bindings: String = (0..6)
        .map(|ch| format!(" bindings.{ch}.slave a bindings.{ch}.channel {ch}"))
        .collect();
    let got = play_converted(
        &format!("pcm.restricted {{ type multi slaves.a.pcm {{}} slaves.a.channels 6{bindings} }}"),
        "-r 48000 -c 2 -b 16",
        "first 2 of 6",
    );
    assert_eq!(got.sent.len(), got.data.len() * 3, "{}", got.stderr);
    for (frame, source) in got.sent.chunks_exact(12).zip(got.data.chunks_exact(4)) {
        assert_eq!(&frame[..4], source);
        assert!(frame[4..].iter().all(|&b| b == 0));
    }
}

#[test]
fn bad_input_gives_one_line_naming_the_file() {
    let env = TestEnv::new();
    fs::create_dir(env.path("adir")).unwrap();
    write_file(&env.path("empty.wav"), b"");
    write_file(&env.path("random.wav"), &noise(5000, 9));
    write_file(
        &env.path("header_only.wav"),
        &b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0"[..],
    );
    let mut no_data = handmade_wav(&[]);
    no_data.truncate(no_data.len() - 8);
    write_file(&env.path("no_data.wav"), &no_data);
    let mut bad_fmt = handmade_wav(&[0; 16]);
    bad_fmt[24 + 8 + 2] = 0; // 0 channels
    write_file(&env.path("zero_channels.wav"), &bad_fmt);
    let cases: &[(&str, &[&str])] = &[
        ("missing.wav", &["'missing.wav'", "No such file"]),
        ("adir", &["'adir'", "directory"]),
        ("empty.wav", &["'empty.wav'", "empty"]),
        (
            "random.wav",
            &["'random.wav'", "not a format alsatool can play", "-t raw"],
        ),
        (
            "header_only.wav",
            &["'header_only.wav'", "ends inside the fmt chunk"],
        ),
        ("no_data.wav", &["'no_data.wav'", "no data chunk"]),
        ("zero_channels.wav", &["'zero_channels.wav'", "0 channels"]),
    ];
    for (file, fragments) in cases {
        env.run(&["play", "-d", "null", file])
            .code_is(1)
            .fails_with(fragments);
    }
    // Every prefix of a valid file: an error or a (short) success, never a panic or a hang.
    let wav = handmade_wav(&noise(800, 1));
    for cut in (0..wav.len()).step_by(7) {
        write_file(&env.path("cut.wav"), &wav[..cut]);
        env.run(&["play", "-d", "null", "cut.wav"]).ends_cleanly();
    }
}

#[test]
fn hounds_fuzz_crash_samples_are_rejected_or_played_without_a_panic() {
    let env = TestEnv::new();
    // Headers of the shapes that crashed hound's fuzzer: huge sizes, zero block align,
    // bits beyond the container, a fmt chunk claiming 4 GiB, extensible with cbSize 0.
    let samples: Vec<Vec<u8>> = vec![
        b"RIFF\xff\xff\xff\xffWAVEfmt \x10\0\0\0\x01\0\x01\0\x44\xac\0\0\x88\x58\x01\0\0\0\x10\0data\xff\xff\xff\x7f".to_vec(),
        b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0\x44\xac\0\0\x10\xb1\x02\0\x04\0\x40\0data\x04\0\0\0abcd".to_vec(),
        b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\xff\x01\0\x02\0".to_vec(),
        b"RIFF\0\0\0\0WAVEfmt \x28\0\0\0\xfe\xff\x02\0\x44\xac\0\0\x10\xb1\x02\0\x04\0\x10\0\0\0".to_vec(),
        b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x03\0\x01\0\x44\xac\0\0\x10\xb1\x02\0\x04\0\x20\0data\x08\0\0\0\0\0\xc0\x7f\0\0\x80\xff".to_vec(),
    ];
    for (i, sample) in samples.iter().enumerate() {
        let name = format!("crash{i}.wav");
        write_file(&env.path(&name), sample);
        let run = env.run(&["play", "-d", "null", &name]);
        run.ends_cleanly();
        if !run.output.status.success() {
            run.fails_with(&[&name]);
        }
    }
}

#[test]
fn a_bad_file_in_a_list_is_named_and_the_rest_still_play() {
    let env = TestEnv::new();
    let spec = "-r 8000 -c 1 -b 16";
    let a = wav_data(&sox_wav(&env, "a.wav", spec, "0.1"));
    let c = wav_data(&sox_wav(&env, "c.wav", spec, "0.1"));
    let out = env.path("out.raw");
    env.run(&["play", "-d", &file_pcm(&out), "a.wav", "b.wav", "c.wav"])
        .code_is(1)
        .fails_with(&["'b.wav' (file 2 of 3)", "No such file"]);
    assert_bytes(&fs::read(&out).unwrap(), &[a, c].concat(), "output");
}

#[test]
fn unknown_devices_and_usage_errors() {
    let env = TestEnv::new();
    let wav = sox_wav(&env, "a.wav", "-r 8000 -c 1 -b 16", "0.1");
    assert!(!wav.is_empty());
    env.run(&["play", "-d", "alsatool_no_such_pcm", "a.wav"])
        .code_is(1)
        .fails_with(&["'a.wav'", "'alsatool_no_such_pcm'", "no such device"]);
    env.run(&["play", "-D", "hw:9", "a.wav"])
        .code_is(1)
        .fails_with(&["'hw:9'"]);
    env.run(&["play", "-d", "null", "--sine", "0"]).code_is(2);
    env.run(&["play", "-d", "null", "--sine", "30000"])
        .code_is(2)
        .fails_with(&["30000 Hz", "below"]);
    env.run(&["play", "-d", "null", "-f", "S17_LE", "a.wav"])
        .code_is(2);
    env.run(&["play"]).code_is(2);
}

#[test]
fn a_sine_with_a_duration_ends_by_itself() {
    let env = TestEnv::new();
    let out = env.path("out.raw");
    let run = env.run(&[
        "-v",
        "play",
        "-d",
        &file_pcm(&out),
        "--sine",
        "440",
        "--duration",
        "0.5",
    ]);
    run.success();
    // The file plugin takes FLOAT_LE mono as the sine comes: half a second at the device rate.
    let sent = fs::read(&out).unwrap();
    assert_eq!(sent.len(), 48000 / 2 * 4, "{}", run.stderr());
}

// ---- real time, through a private PulseAudio ----

/// Records the null sink's monitor (mono S16 at 48 kHz) while `play` runs.
fn record_monitor(env: &TestEnv, play: impl FnOnce()) -> Vec<i16> {
    require_tool("parecord");
    let out = env.path("monitor.raw");
    let mut rec = env
        .tool("parecord")
        .args([
            "--device=null.monitor",
            "--raw",
            "--format=s16le",
            "--rate=48000",
            "--channels=1",
            "--latency-msec=20",
        ])
        .arg(&out)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn parecord");
    std::thread::sleep(Duration::from_millis(700));
    play();
    std::thread::sleep(Duration::from_millis(700));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(rec.id() as i32, libc::SIGINT) };
    let _ = rec.wait();
    fs::read(&out)
        .unwrap()
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// The first and last sample index above a threshold, and the upward zero crossings between.
fn tone_extent(samples: &[i16]) -> (usize, usize, usize) {
    let loud = |s: &i16| s.unsigned_abs() > 2000;
    let first = samples.iter().position(loud).expect("no tone recorded");
    let last = samples.iter().rposition(loud).unwrap();
    let crossings = samples[first..=last]
        .windows(2)
        .filter(|w| w[0] < 0 && w[1] >= 0)
        .count();
    (first, last, crossings)
}

#[test]
fn real_time_sine_and_a_short_clip_through_pulseaudio() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    let samples = record_monitor(&env, || {
        env.run(&["play", "-d", "pulse", "--sine", "1000", "--duration", "1"])
            .success()
            .stderr_is_empty();
    });
    let (first, last, crossings) = tone_extent(&samples);
    let seconds = (last - first) as f64 / 48000.0;
    // The start of a stream is lost to the plugin and the monitor (tens of ms, more on a busy machine).
    assert!((0.75..1.1).contains(&seconds), "tone lasted {seconds} s");
    let frequency = crossings as f64 / seconds;
    assert!((980.0..1020.0).contains(&frequency), "{frequency} Hz");

    // A clip much shorter than the device buffer plays to its end. Its last 0.15 s are a
    // 2 kHz tone after 0.15 s of 500 Hz: all of the 2 kHz part must be heard. (The plugin and
    // the monitor lose tens of milliseconds of any stream's start, aplay's too, so the start
    // is not measured.)
    sox(
        &env,
        &[
            "-n", "-r", "44100", "-c", "2", "-b", "16", "clip.wav", "synth", "0.15", "sine", "500",
            ":", "synth", "0.15", "sine", "2000",
        ],
    );
    let samples = record_monitor(&env, || {
        env.run(&["play", "-d", "pulse", "clip.wav"]).success();
    });
    let (_, last, _) = tone_extent(&samples);
    // Upward zero crossings of the 2 kHz part are 24 samples apart at 48 kHz; 500 Hz's 96.
    let loud = samples
        .iter()
        .position(|s| s.unsigned_abs() > 2000)
        .unwrap();
    let ups: Vec<usize> = (loud..last)
        .filter(|&i| samples[i] < 0 && samples[i + 1] >= 0)
        .collect();
    let high_start = ups
        .windows(2)
        .find(|w| w[1] - w[0] < 40)
        .map(|w| w[0])
        .expect("no 2 kHz part recorded");
    let tail = (last - high_start) as f64 / 48000.0;
    assert!(
        (0.14..0.16).contains(&tail),
        "the clip's last 0.15 s lasted {tail} s"
    );
}

fn interrupt(child: &std::process::Child, signal: i32) {
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, signal) };
}

#[test]
fn ctrl_c_sigterm_and_sighup_stop_playback_at_once_with_130() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    let long = sox_wav(&env, "long.wav", "-r 48000 -c 2 -b 16", "30");
    assert!(!long.is_empty());
    // PulseAudio's drain takes well over a second after the last sample: a signal 0.9 s into
    // a 0.2 s clip lands in it, and must cut it short too.
    sox_wav(&env, "short.wav", "-r 48000 -c 2 -b 16", "0.2");
    let sine = &["play", "-d", "pulse", "--sine", "440"][..];
    for (args, signal, after_ms) in [
        (sine, libc::SIGINT, 1500),
        (
            &["play", "-d", "pulse", "long.wav", "long.wav"][..],
            libc::SIGINT,
            1500,
        ),
        (sine, libc::SIGTERM, 1500),
        // README: SIGHUP stops like Ctrl-C (signals.rs raises the same flag).
        (sine, libc::SIGHUP, 1500),
        (&["play", "-d", "pulse", "short.wav"][..], libc::SIGINT, 900),
    ] {
        let mut child = env.spawn(args, Stdio::null());
        std::thread::sleep(Duration::from_millis(after_ms));
        assert!(child.try_wait().unwrap().is_none(), "{args:?} ended early");
        interrupt(&child, signal);
        // At once: what is buffered is dropped, not played out (the device buffer is well
        // under a second, PulseAudio's drain more than one).
        let signalled = Instant::now();
        let status = wait_for_exit(&mut child, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("{args:?} did not stop within 5 s of signal {signal}"));
        let took = signalled.elapsed();
        assert!(
            took <= Duration::from_secs(1),
            "{args:?} took {took:?} to stop after signal {signal}"
        );
        assert_eq!(status.code(), Some(130), "{args:?} after signal {signal}");
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        assert!(stderr.is_empty(), "{stderr}");
    }
}

#[test]
fn ctrl_c_while_waiting_for_standard_input() {
    let env = TestEnv::new();
    let mut child = env.spawn(
        &["play", "-d", "null", "-t", "raw", "-f", "S16_LE", "-"],
        Stdio::piped(),
    );
    let stdin = child.stdin.take();
    std::thread::sleep(Duration::from_millis(500));
    interrupt(&child, libc::SIGINT);
    let signalled = Instant::now();
    let status = wait_for_exit(&mut child, Duration::from_secs(5)).expect("stuck in a read");
    let took = signalled.elapsed();
    drop(stdin);
    assert!(
        took <= Duration::from_secs(1),
        "took {took:?} to stop after Ctrl-C"
    );
    assert_eq!(status.code(), Some(130));
}

#[test]
fn a_stalled_producer_causes_underruns_that_are_recovered_and_counted() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    // The pulse plugin reports underruns only when asked to.
    env.add_asoundrc("pcm.pulse_xrun { type pulse handle_underrun true }");
    // Not -v: lost audio is worth a line without it (as the recorder's overruns are).
    let mut child = env.spawn(
        &[
            "play",
            "-d",
            "pulse_xrun",
            "-t",
            "raw",
            "-f",
            "S16_LE",
            "-c",
            "1",
            "-r",
            "8000",
            "--buffer-time",
            "100000",
            "-",
        ],
        Stdio::piped(),
    );
    let mut stdin = child.stdin.take().unwrap();
    // The plugin notices an underrun only some time after it happened: stall three times.
    for _ in 0..3 {
        stdin.write_all(&noise(2 * 8000 / 2, 4)).unwrap(); // half a second
        std::thread::sleep(Duration::from_millis(1500));
    }
    stdin.write_all(&noise(2 * 800, 4)).unwrap();
    drop(stdin);
    let status = wait_for_exit(&mut child, Duration::from_secs(20)).expect("did not finish");
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{stderr}");
    // Without a terminal, one warning line per underrun and nothing else about them (the
    // count goes on the terminal's summary line).
    let warnings = stderr
        .lines()
        .filter(|l| l.starts_with("alsatool: warning: ") && is_underrun_line(l))
        .count();
    assert!(warnings >= 1, "no underrun warning line:\n{stderr}");
    assert!(
        stderr
            .lines()
            .all(|l| !l.contains("underrun") || is_underrun_line(l)),
        "another line about underruns:\n{stderr}"
    );
    let counts: Vec<usize> = stderr
        .lines()
        .filter(|l| !is_underrun_line(l))
        .filter_map(underruns_counted)
        .collect();
    assert!(
        counts.is_empty(),
        "a count line without a terminal:\n{stderr}"
    );
}

#[test]
fn the_underrun_line_matchers_match_the_agreed_shapes() {
    assert!(is_underrun_line(
        "alsatool: warning: underrun at 0:02: about 0.5 s of silence"
    ));
    assert!(is_underrun_line("underrun at 12:59: about 10 s of silence"));
    for not in [
        "underrun at 0:2: about 0.5 s of silence",
        "underrun at :02: about 0.5 s of silence",
        "underrun at 0:02: about s of silence",
        "underrun at 0:02 about 0.5 s of silence",
        "2 underruns: the device ran out of audio and was restarted",
    ] {
        assert!(!is_underrun_line(not), "{not}");
    }
    assert_eq!(
        underruns_counted("alsatool: warning: 12 underruns: about 1.5 s of silence"),
        Some(12)
    );
    assert_eq!(underruns_counted("1 underrun: …"), Some(1));
    assert_eq!(underruns_counted("no count here"), None);
}

/// N in a line saying `N underrun(s)`.
fn underruns_counted(line: &str) -> Option<usize> {
    let at = line.find(" underrun")?;
    let before = &line[..at];
    let start = before
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    before[start..].parse().ok()
}

/// Whether `line` holds `underrun at M:SS: about X.X s of silence` (the regex
/// `underrun at [0-9]+:[0-9]{2}: about [0-9.]+ s of silence`).
fn is_underrun_line(line: &str) -> bool {
    let digits =
        |s: &str, allowed: &dyn Fn(char) -> bool| s.find(|c: char| !allowed(c)).unwrap_or(s.len());
    line.match_indices("underrun at ").any(|(at, m)| {
        let rest = &line[at + m.len()..];
        let minutes = digits(rest, &|c| c.is_ascii_digit());
        if minutes == 0 || !rest[minutes..].starts_with(':') {
            return false;
        }
        let rest = &rest[minutes + 1..];
        if digits(rest, &|c| c.is_ascii_digit()) != 2 {
            return false;
        }
        let Some(rest) = rest[2..].strip_prefix(": about ") else {
            return false;
        };
        let amount = digits(rest, &|c| c.is_ascii_digit() || c == '.');
        amount > 0 && rest[amount..].starts_with(" s of silence")
    })
}

#[test]
fn progress_is_silent_when_stderr_is_not_a_terminal() {
    let env = TestEnv::new();
    let wav = sox_wav(&env, "a.wav", "-r 8000 -c 1 -b 16", "0.1");
    assert!(!wav.is_empty());
    env.run(&["play", "-d", "null", "a.wav"])
        .success()
        .stderr_is_empty();
}

#[test]
fn plays_what_arecord_records_as_s24_le_bit_for_bit() {
    let mut env = TestEnv::new();
    // arecord's S24_LE WAV says 24 bits in 4-byte blocks: right-justified, played as S24_LE.
    let raw = env.path("in.raw");
    let mut samples = noise(8 * 4800, 21);
    for sample in samples.chunks_exact_mut(4) {
        sample[3] = if sample[2] & 0x80 != 0 { 0xff } else { 0 };
    }
    write_file(&raw, &samples);
    env.add_capture_pcm("alsatool_capture", &raw);
    let wav = env.path("rec.wav");
    let arecord = env.run_tool(
        "arecord",
        &[
            "-q",
            "-D",
            "alsatool_capture",
            "-f",
            "S24_LE",
            "-c",
            "2",
            "-r",
            "48000",
            "-s",
            "4800",
            wav.to_str().unwrap(),
        ],
    );
    assert!(arecord.output.status.success(), "{}", arecord.stderr());
    let data = wav_data(&fs::read(&wav).unwrap());
    let out = env.path("out.raw");
    let run = env.run(&["-v", "play", "-d", &file_pcm(&out), "rec.wav"]);
    run.success();
    run.stderr_contains("S24_LE, 48000 Hz, 2 channels");
    assert_bytes(&fs::read(&out).unwrap(), &data, "arecord's S24_LE");
}

#[test]
fn on_a_terminal_a_line_a_bar_and_a_meter_then_a_clean_line() {
    let pulse = Pulse::start();
    let mut env = TestEnv::new();
    env.use_pulse(&pulse);
    sox_tone(&env, "tone.wav", "1.2", "440");
    let text = terminal_shows(
        &env,
        &["play", "-d", "pulse", "tone.wav"],
        "Playing 'tone.wav': S16_LE, 48000 Hz, stereo, 0:01",
    );
    // The meter: a 0.5 sine peaks at -6 dBFS on both channels, no clipping.
    assert!(
        text.contains("L  -6.0 dBFS") && text.contains("R  -6.0 dBFS"),
        "{text:?}"
    );
    assert!(!text.contains("CLIP"), "{text:?}");
    assert!(text.contains(" / 0:01"), "{text:?}");
    // The bar is cleared at the end: the last thing drawn is an erase, not the bar.
    let tail = text.trim_end_matches(['\r', '\n']);
    assert!(
        tail.ends_with("\x1b[2K") || tail.ends_with("\x1b[1A"),
        "{text:?}"
    );

    let (status, text) =
        crate::util::run_on_terminal(&env, &["-q", "play", "-d", "pulse", "tone.wav"]);
    assert!(status.success());
    assert!(text.is_empty(), "-q drew {text:?}");
}
