//! Resampling, measured: what the device receives (alsa-lib's file plugin at a `--device-rate`)
//! and what a recording holds, analysed with a windowed FFT for the tone's frequency, the
//! strongest spurious component and THD+N, against plughw's linear rate converter (aplay through
//! a `plug` PCM) and sox's `rate -v` on the same input. The table goes to stderr
//! (`cargo test resample -- --nocapture` shows it; BENCHMARKS.md quotes it).

use std::fs;
use std::path::Path;

use rustfft::{num_complex::Complex, FftPlanner};

use crate::util::{file_pcm, file_pcm_quoted, require_tool, TestEnv};

/// Peak amplitude of the test tones: -6 dBFS, where no resampler clips.
const AMPLITUDE: f64 = 0.5;

/// Samples of a sine of `frequency` Hz at `rate`, `seconds` long, as `f32`.
fn sine(frequency: f64, rate: u32, seconds: f64) -> Vec<f32> {
    let frames = (seconds * f64::from(rate)).round() as usize;
    (0..frames)
        .map(|i| {
            let t = i as f64 / f64::from(rate);
            (AMPLITUDE * (2.0 * std::f64::consts::PI * frequency * t).sin()) as f32
        })
        .collect()
}

/// A mono or multichannel IEEE-float WAV (format tag 3, with the fact chunk) of interleaved
/// `samples`.
fn float_wav(path: &Path, samples: &[f32], channels: u16, rate: u32) {
    let data: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let mut w = Vec::new();
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(4 + 26 + 12 + 8 + data.len() as u32).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&18u32.to_le_bytes());
    w.extend_from_slice(&3u16.to_le_bytes());
    w.extend_from_slice(&channels.to_le_bytes());
    w.extend_from_slice(&rate.to_le_bytes());
    w.extend_from_slice(&(rate * 4 * u32::from(channels)).to_le_bytes());
    w.extend_from_slice(&(4 * channels).to_le_bytes());
    w.extend_from_slice(&32u16.to_le_bytes());
    w.extend_from_slice(&0u16.to_le_bytes());
    w.extend_from_slice(b"fact");
    w.extend_from_slice(&4u32.to_le_bytes());
    w.extend_from_slice(&((samples.len() / usize::from(channels)) as u32).to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(data.len() as u32).to_le_bytes());
    w.extend_from_slice(&data);
    fs::write(path, w).expect("write the test WAV");
}

/// The `data` chunk of a WAV file and its `fmt ` fields (format tag, channels, rate, bits).
fn wav_data(path: &Path) -> (Vec<u8>, (u16, u16, u32, u16)) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut at = 12;
    let mut fmt = None;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        let body = &bytes[at + 8..(at + 8 + len).min(bytes.len())];
        if id == b"fmt " {
            let u16_at = |i: usize| u16::from_le_bytes([body[i], body[i + 1]]);
            let mut tag = u16_at(0);
            if tag == 0xfffe {
                tag = u16_at(24);
            }
            let rate = u32::from_le_bytes(body[4..8].try_into().unwrap());
            fmt = Some((tag, u16_at(2), rate, u16_at(14)));
        }
        if id == b"data" {
            return (body.to_vec(), fmt.expect("fmt before data"));
        }
        at += 8 + len + (len & 1);
    }
    panic!("{} has no data chunk", path.display());
}

/// Samples of `bytes` (interleaved) as full-scale fractions: FLOAT_LE or S16_LE.
fn decode(bytes: &[u8], float: bool) -> Vec<f64> {
    if float {
        bytes
            .chunks_exact(4)
            .map(|b| f64::from(f32::from_le_bytes(b.try_into().unwrap())))
            .collect()
    } else {
        bytes
            .chunks_exact(2)
            .map(|b| f64::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0)
            .collect()
    }
}

/// One channel of interleaved samples.
fn channel(samples: &[f64], channels: usize, which: usize) -> Vec<f64> {
    samples
        .iter()
        .skip(which)
        .step_by(channels)
        .copied()
        .collect()
}

/// What the analysis finds in a signal that should hold one tone.
#[derive(Clone, Copy, Debug)]
struct Spectrum {
    /// The tone's frequency, interpolated between bins (Hz); 0 when there is none.
    frequency: f64,
    /// The strongest component away from the tone (and DC), relative to a full tone of
    /// [`AMPLITUDE`] (dB).
    spurious_db: f64,
    /// Everything but the tone, relative to the tone (dB); meaningless without a tone.
    thd_n_db: f64,
}

/// Zeroth-order modified Bessel function, by its series (for the Kaiser window).
fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > sum * 1e-17 {
        term *= (x / (2.0 * k)).powi(2);
        sum += term;
        k += 1.0;
    }
    sum
}

/// Bins either side of a component that belong to it: the Kaiser window's main lobe (β = 20:
/// about 6.5 bins) and some margin.
const LOBE: usize = 12;

/// A Kaiser-windowed (β = 20, sidelobes near -190 dB: room below anything measured here) FFT of
/// up to 65536 samples from the middle of `x`, a tenth of a second away from the ends, where
/// filters start and stop.
fn analyse(x: &[f64], rate: u32, tone: Option<f64>) -> Spectrum {
    let usable = x.len().saturating_sub(rate as usize / 5);
    assert!(usable >= 1 << 14, "{} samples are too few", x.len());
    let n = (1usize << 16).min(1 << usable.ilog2());
    let start = (x.len() - n) / 2;
    let beta = 20.0;
    let window: Vec<f64> = (0..n)
        .map(|i| {
            let r = 2.0 * i as f64 / (n - 1) as f64 - 1.0;
            bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / bessel_i0(beta)
        })
        .collect();
    let mut buf: Vec<Complex<f64>> = x[start..start + n]
        .iter()
        .zip(&window)
        .map(|(&s, &w)| Complex::new(s * w, 0.0))
        .collect();
    FftPlanner::new().plan_fft_forward(n).process(&mut buf);
    let power: Vec<f64> = buf[..n / 2].iter().map(|c| c.norm_sqr()).collect();
    let bin_hz = f64::from(rate) / n as f64;
    // A full-amplitude tone's peak bin, for the spurious figure's reference.
    let reference = (AMPLITUDE * window.iter().sum::<f64>() / 2.0).powi(2);
    let dc_bins = (20.0 / bin_hz).ceil() as usize + LOBE;
    let tone_bin = tone.map(|f| (f / bin_hz).round() as usize);
    // The tone's actual peak near where it should be (a wrong pitch is found, not masked).
    let peak = tone_bin.map(|b| {
        let lo = b.saturating_sub(LOBE * 40).max(dc_bins);
        let hi = (b + LOBE * 40).min(n / 2 - 2);
        (lo..hi)
            .max_by(|&i, &j| power[i].total_cmp(&power[j]))
            .unwrap_or(b)
    });
    let near_tone = |i: usize| peak.is_some_and(|p| i + LOBE >= p && i <= p + LOBE);
    let spurious = (dc_bins..n / 2)
        .filter(|&i| !near_tone(i))
        .map(|i| power[i])
        .fold(0.0, f64::max);
    let tone_power: f64 = (dc_bins..n / 2)
        .filter(|&i| near_tone(i))
        .map(|i| power[i])
        .sum();
    let rest: f64 = (dc_bins..n / 2)
        .filter(|&i| !near_tone(i))
        .map(|i| power[i])
        .sum();
    // The tone's frequency from the centroid of its main lobe (exact for a symmetric window).
    let frequency = match peak {
        Some(p) => {
            let lobe = p.saturating_sub(LOBE)..=(p + LOBE);
            let weight: f64 = lobe.clone().map(|i| power[i]).sum();
            lobe.map(|i| i as f64 * power[i]).sum::<f64>() / weight * bin_hz
        }
        None => 0.0,
    };
    Spectrum {
        frequency,
        spurious_db: 10.0 * (spurious.max(1e-300) / reference).log10(),
        thd_n_db: 10.0 * (rest.max(1e-300) / tone_power.max(1e-300)).log10(),
    }
}

/// The resamplers compared on one input.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tool {
    Alsatool(&'static str),
    Plughw,
    SoxV,
}

impl Tool {
    fn label(self) -> String {
        match self {
            Tool::Alsatool(q) => format!("alsatool {q}"),
            Tool::Plughw => "plughw (linear)".to_string(),
            Tool::SoxV => "sox rate -v".to_string(),
        }
    }
}

/// Resamples the mono float WAV `input` to `to` Hz with `tool` and returns the samples.
fn resample_with(env: &mut TestEnv, tool: Tool, input: &Path, to: u32) -> Vec<f64> {
    let input_text = input.display().to_string();
    let out = env.path(&format!("out-{}.raw", tool.label().replace(' ', "_")));
    let _ = fs::remove_file(&out);
    match tool {
        Tool::Alsatool(quality) => {
            let rate = to.to_string();
            env.run(&[
                "play",
                "--device-rate",
                &rate,
                "--resample-quality",
                quality,
                "-d",
                &file_pcm(&out),
                &input_text,
            ])
            .success();
            decode(&fs::read(&out).unwrap(), true)
        }
        Tool::Plughw => {
            require_tool("aplay");
            // plug converts to the slave's fixed rate with alsa-lib's default converter,
            // named here so that no other installed plugin is measured by mistake.
            let name = format!("linear{to}");
            env.add_asoundrc(&format!(
                "pcm.{name} {{ type plug slave {{ pcm {} rate {to} format FLOAT_LE }} rate_converter \"linear\" }}",
                file_pcm_quoted(&out)
            ));
            env.run_tool("aplay", &["-q", "-D", &name, &input_text])
                .success();
            decode(&fs::read(&out).unwrap(), true)
        }
        Tool::SoxV => {
            require_tool("sox");
            let wav = env.path("sox-out.wav");
            let wav_text = wav.display().to_string();
            let rate = to.to_string();
            env.run_tool(
                "sox",
                &[
                    &input_text,
                    "-e",
                    "floating-point",
                    "-b",
                    "32",
                    &wav_text,
                    "rate",
                    "-v",
                    &rate,
                ],
            )
            .success();
            decode(&wav_data(&wav).0, true)
        }
    }
}

/// Every tool on each test tone; asserts the targets and prints the table.
#[test]
fn quality_against_plughw_and_sox_on_the_same_input() {
    let mut env = TestEnv::new();
    let tools = [
        Tool::Alsatool("fast"),
        Tool::Alsatool("good"),
        Tool::Alsatool("best"),
        Tool::Plughw,
        Tool::SoxV,
    ];
    let mut table = String::from(
        "| Input | Resampler | Tone found at (Hz) | Strongest spurious (dB rel. tone) | THD+N (dB) |\n|---|---|---|---|---|\n",
    );
    for (tone, from, to) in [
        (997.0, 44100, 48000),
        (15000.0, 44100, 48000),
        (997.0, 48000, 16000),
        (15000.0, 48000, 16000),
    ] {
        let input = env.path(&format!("sine-{tone}-{from}.wav"));
        float_wav(&input, &sine(tone, from, 2.5), 1, from);
        // A tone above the new Nyquist frequency must vanish: what is left is its alias.
        let kept = tone < f64::from(to) / 2.0;
        let mut results = Vec::new();
        for tool in tools {
            let out = resample_with(&mut env, tool, &input, to);
            let s = analyse(&out, to, kept.then_some(tone));
            // plughw's linear converter steps through its input in 16.16 fixed point: its pitch
            // is off by about 90 ppm (997 Hz comes out at 996.91 Hz), so it is not checked.
            if kept && tool != Tool::Plughw {
                assert!(
                    (s.frequency - tone).abs() < 0.05,
                    "{}: {tone} Hz came out at {} Hz",
                    tool.label(),
                    s.frequency
                );
            }
            let thd = if kept {
                format!("{:.1}", s.thd_n_db)
            } else {
                "— (tone removed)".to_string()
            };
            // Exact zeros (sox's integer internals) have no level to print.
            let spurious = if s.spurious_db < -200.0 {
                "below -200".to_string()
            } else {
                format!("{:.1}", s.spurious_db)
            };
            table.push_str(&format!(
                "| {tone} Hz, {} → {} kHz | {} | {} | {} | {thd} |\n",
                f64::from(from) / 1000.0,
                f64::from(to) / 1000.0,
                tool.label(),
                if kept {
                    format!("{:.3}", s.frequency)
                } else {
                    "—".to_string()
                },
                spurious
            ));
            results.push((tool, s));
        }
        let of = |t: Tool| {
            results
                .iter()
                .find(|(tool, _)| *tool == t)
                .map(|r| r.1)
                .unwrap()
        };
        let (good, best) = (of(Tool::Alsatool("good")), of(Tool::Alsatool("best")));
        let (plug, sox) = (of(Tool::Plughw), of(Tool::SoxV));
        let case = format!("{tone} Hz {from} → {to}");
        assert!(good.spurious_db < -100.0, "{case}: good {good:?}");
        assert!(
            good.spurious_db < plug.spurious_db - 20.0,
            "{case}: good {good:?} is not far below plughw {plug:?}"
        );
        // Below -150 dB both are at the limit of float output (sox's is exactly zero where its
        // 32-bit integer internals round the alias away): as clean as each other.
        let floor = |db: f64| db.max(-150.0);
        assert!(
            floor(best.spurious_db) <= floor(sox.spurious_db) + 1.0,
            "{case}: best {best:?} is not as clean as sox {sox:?}"
        );
        if kept {
            assert!(good.thd_n_db < -100.0, "{case}: good {good:?}");
            assert!(
                floor(best.thd_n_db) <= floor(sox.thd_n_db) + 1.0,
                "{case}: best {best:?}, sox {sox:?}"
            );
        }
    }
    eprintln!("{table}");
}

#[test]
fn a_44100_file_on_a_48000_device_keeps_its_pitch_and_length_and_says_so() {
    let env = TestEnv::new();
    let input = env.path("cd.wav");
    // 1.5 s of a stereo 997 Hz tone at 44.1 kHz, as S16_LE (what a CD rip is).
    let mono = sine(997.0, 44100, 1.5);
    let stereo: Vec<u8> = mono
        .iter()
        .flat_map(|&x| {
            let s = ((f64::from(x) * 32767.0).round() as i16).to_le_bytes();
            [s[0], s[1], s[0], s[1]]
        })
        .collect();
    let mut wav = Vec::new();
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + stereo.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    for field in [16u32, 0x0002_0001, 44100, 44100 * 4, 0x0010_0004] {
        wav.extend_from_slice(&field.to_le_bytes());
    }
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(stereo.len() as u32).to_le_bytes());
    wav.extend_from_slice(&stereo);
    fs::write(&input, wav).unwrap();
    let out = env.path("dev.raw");
    let run = env.run(&[
        "-v",
        "play",
        "--device-rate",
        "48000",
        "-d",
        &file_pcm(&out),
        "cd.wav",
    ]);
    run.success();
    let stderr = run.stderr();
    assert!(
        stderr.contains("resampling 44100 → 48000 Hz (good)"),
        "{stderr}"
    );
    assert!(stderr.contains("TPDF dither to 16 bits"), "{stderr}");
    // Exactly the file's length at the new rate: 1.5 s is 72000 frames of S16_LE stereo.
    let sent = fs::read(&out).unwrap();
    assert_eq!(sent.len(), 72_000 * 4);
    let samples = decode(&sent, false);
    for which in 0..2 {
        let s = analyse(&channel(&samples, 2, which), 48000, Some(997.0));
        assert!((s.frequency - 997.0).abs() < 0.05, "channel {which}: {s:?}");
        // 16-bit output: the dithered noise floor, no tones above it.
        assert!(s.spurious_db < -110.0, "channel {which}: {s:?}");
    }
    // Bit-perfect as before when the device takes the rate: no resampler in the path.
    let same = env.path("same.raw");
    let run = env.run(&[
        "-v",
        "play",
        "--device-rate",
        "44100",
        "-d",
        &file_pcm(&same),
        "cd.wav",
    ]);
    run.success();
    assert!(run.stderr().contains("bit-perfect"), "{}", run.stderr());
    assert_eq!(fs::read(&same).unwrap(), stereo);
}

#[test]
fn no_resample_restores_the_error_and_conflicts_with_device_rate() {
    let env = TestEnv::new();
    let input = env.path("a.wav");
    float_wav(&input, &sine(440.0, 44100, 0.1), 1, 44100);
    // A rate the file plugin takes is no test of refusing; null takes every rate too. The
    // rate error itself is tested on a real 48 kHz-only device (tests/kernel/cases/resample-*).
    env.run(&[
        "play",
        "--no-resample",
        "--device-rate",
        "48000",
        "-d",
        "null",
        "a.wav",
    ])
    .code_is(2);
    env.run(&["play", "--no-resample", "-d", "null", "a.wav"])
        .success();
    env.run(&[
        "play",
        "--resample-quality",
        "superb",
        "-d",
        "null",
        "a.wav",
    ])
    .code_is(2);
}

#[test]
fn files_of_one_rate_join_gaplessly_through_one_resampler() {
    let env = TestEnv::new();
    // One sine cut in two files at an arbitrary frame: played back to back at another rate,
    // the join must be as clean as the middle of either (one resampler, no restart).
    let whole = sine(997.0, 44100, 3.0);
    let cut = 50_001;
    float_wav(&env.path("a.wav"), &whole[..cut], 1, 44100);
    float_wav(&env.path("b.wav"), &whole[cut..], 1, 44100);
    let out = env.path("joined.raw");
    env.run(&[
        "play",
        "--device-rate",
        "48000",
        "-d",
        &file_pcm(&out),
        "a.wav",
        "b.wav",
    ])
    .success();
    let joined = decode(&fs::read(&out).unwrap(), true);
    assert_eq!(joined.len() as u64, whole.len() as u64 * 48000 / 44100);
    // The analysis window is centred on the join.
    let join = cut * 48000 / 44100;
    let around = &joined[join - 40_000..join + 40_000];
    let s = analyse(around, 48000, Some(997.0));
    assert!(s.spurious_db < -100.0, "the join shows: {s:?}");
}

#[test]
fn record_16k_mono_from_a_48k_device_holds_the_tone_and_the_duration() {
    let mut env = TestEnv::new();
    // The capture PCM reads this raw file: 3 s of S16_LE mono at 48 kHz, a 997 Hz tone.
    // (alsa-lib's plugins in front of a file-backed capture lose data after the first period,
    // so the mixing down from a stereo-only device is tested on a real one, in
    // tests/kernel/cases/resample-record-loopback.sh.)
    let raw: Vec<u8> = sine(997.0, 48000, 3.0)
        .iter()
        .flat_map(|&x| ((f64::from(x) * 32767.0).round() as i16).to_le_bytes())
        .collect();
    let raw_path = env.path("mic.raw");
    fs::write(&raw_path, &raw).unwrap();
    env.add_capture_pcm("mic", &raw_path);
    let record = |extra: &[&str], file: &str| {
        let mut args = vec![
            "record",
            "-d",
            "mic",
            "--device-rate",
            "48000",
            "-r",
            "16000",
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-c", "1", "--duration", "2.3", file]);
        env.run(&args)
    };
    let run = record(&[], "speech.wav");
    run.success();
    // Said once on stderr, without -v.
    let stderr = run.stderr();
    assert_eq!(
        stderr.matches("resampling 48000 → 16000 Hz (good)").count(),
        1,
        "{stderr}"
    );
    let (data, (tag, channels, rate, bits)) = wav_data(&env.path("speech.wav"));
    assert_eq!((tag, channels, rate, bits), (1, 1, 16000, 16));
    // The duration to the frame: 2.3 s at 16 kHz.
    assert_eq!(data.len(), 36_800 * 2);
    let s = analyse(&decode(&data, false), 16000, Some(997.0));
    assert!((s.frequency - 997.0).abs() < 0.05, "{s:?}");
    assert!(s.spurious_db < -100.0, "{s:?}");

    // Float output (from a float capture): the resampler's own error only; -q says nothing.
    let floats: Vec<u8> = sine(997.0, 48000, 3.0)
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    fs::write(&raw_path, floats).unwrap();
    let run = record(&["-q", "-f", "FLOAT_LE"], "float.wav");
    run.success().stderr_is_empty();
    let (data, (tag, _, _, _)) = wav_data(&env.path("float.wav"));
    assert_eq!((tag, data.len()), (3, 36_800 * 4));
    let s = analyse(&decode(&data, true), 16000, Some(997.0));
    assert!(s.spurious_db < -120.0 && s.thd_n_db < -110.0, "{s:?}");

    // No conversion when the device takes what is asked: the bytes are the device's, and the
    // duration is still exact.
    fs::write(&raw_path, &raw).unwrap();
    let run = env.run(&[
        "record",
        "-d",
        "mic",
        "-r",
        "48000",
        "-c",
        "1",
        "--duration",
        "0.7",
        "same.wav",
    ]);
    run.success();
    assert!(!run.stderr().contains("resampling"), "{}", run.stderr());
    let (data, _) = wav_data(&env.path("same.wav"));
    assert_eq!(data[..], fs::read(&raw_path).unwrap()[..33_600 * 2]);
}
