//! Tests of [`super`] on files made here by sox and ffmpeg (no fixtures), checked against the
//! same tools' own decodes: lossless formats bit for bit, lossy ones for length and pitch.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::sample::format::SampleFormat;

/// A scratch directory with the tools that make and measure files.
struct Bench {
    dir: tempfile::TempDir,
}

impl Bench {
    fn new() -> Bench {
        Bench {
            dir: tempfile::Builder::new()
                .prefix("alsatool-decode-")
                .tempdir()
                .unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs a tool, failing the test with its stderr when it fails.
    fn run(&self, program: &str, args: &[&str]) -> Vec<u8> {
        let out = Command::new(program)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{program} did not run ({e}); run scripts/setup"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// `sox -n` synthesis into `name` (`opts` before the output name, `effect` after).
    fn sox(&self, name: &str, opts: &[&str], effect: &[&str]) -> PathBuf {
        let mut args = vec!["-R", "-D", "-n"];
        args.extend_from_slice(opts);
        args.push(name);
        args.extend_from_slice(effect);
        self.run("sox", &args);
        self.path(name)
    }

    /// ffmpeg from a lavfi source into `name`.
    fn ffmpeg(&self, name: &str, lavfi: &str, opts: &[&str]) -> PathBuf {
        let mut args = vec!["-v", "error", "-y", "-f", "lavfi", "-i", lavfi];
        args.extend_from_slice(opts);
        args.push(name);
        self.run("ffmpeg", &args);
        self.path(name)
    }

    /// sox's decode of `file` to raw samples of the file's own encoding and width.
    fn sox_raw(&self, file: &Path) -> Vec<u8> {
        self.run("sox", &[file.to_str().unwrap(), "-t", "raw", "-"])
    }

    /// ffmpeg's decode of `file` to raw `format` (s16le, s24le, s32le, f32le).
    fn ffmpeg_raw(&self, file: &Path, format: &str) -> Vec<u8> {
        self.run(
            "ffmpeg",
            &[
                "-v",
                "error",
                "-i",
                file.to_str().unwrap(),
                "-f",
                format,
                "-",
            ],
        )
    }
}

/// Everything a source hands out, read in odd-sized pieces to exercise partial packets.
fn read_all(source: &mut DecodedSource) -> Vec<u8> {
    let frame = source.spec().bytes_per_frame();
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1000 * frame + 7];
    loop {
        let n = source.read_frames(&mut buf).unwrap();
        assert_eq!(n % frame, 0, "whole frames only");
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

fn open(path: &Path) -> DecodedSource {
    DecodedSource::open(path).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()))
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

/// The pitch of channel 0 of interleaved float frames, from rising zero crossings in the
/// middle half (away from encoder fade-in and padding).
fn pitch(samples: &[f32], channels: usize, rate: u32) -> f64 {
    let ch0: Vec<f32> = samples.iter().step_by(channels).copied().collect();
    let middle = &ch0[ch0.len() / 4..ch0.len() * 3 / 4];
    let crossings = middle
        .windows(2)
        .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
        .count();
    crossings as f64 * f64::from(rate) / middle.len() as f64
}

#[test]
fn lossless_files_decode_bit_for_bit_in_their_own_width() {
    let bench = Bench::new();
    // (file, sox options, expected format, channels)
    let cases: &[(&str, &[&str], SampleFormat, u32)] = &[
        (
            "s16.flac",
            &["-r", "44100", "-b", "16", "-c", "2"],
            SampleFormat::S16_LE,
            2,
        ),
        (
            "s24.flac",
            &["-r", "96000", "-b", "24", "-c", "2"],
            SampleFormat::S24_3LE,
            2,
        ),
        (
            "s8.flac",
            &["-r", "8000", "-b", "8", "-c", "1"],
            SampleFormat::S8,
            1,
        ),
        (
            "s16_51.flac",
            &["-r", "48000", "-b", "16", "-c", "6"],
            SampleFormat::S16_LE,
            6,
        ),
        (
            "s24_51.flac",
            &["-r", "48000", "-b", "24", "-c", "6"],
            SampleFormat::S24_3LE,
            6,
        ),
        (
            "mono24.flac",
            &["-r", "44100", "-b", "24", "-c", "1"],
            SampleFormat::S24_3LE,
            1,
        ),
        (
            "s16.aiff",
            &["-r", "44100", "-b", "16", "-c", "2"],
            SampleFormat::S16_LE,
            2,
        ),
        (
            "s24.aiff",
            &["-r", "48000", "-b", "24", "-c", "1"],
            SampleFormat::S24_3LE,
            1,
        ),
        (
            "s32.aiff",
            &["-r", "22050", "-b", "32", "-c", "2"],
            SampleFormat::S32_LE,
            2,
        ),
        (
            "s24_51.aiff",
            &["-r", "48000", "-b", "24", "-c", "6"],
            SampleFormat::S24_3LE,
            6,
        ),
    ];
    for (name, opts, format, channels) in cases {
        let file = bench.sox(name, opts, &["synth", "0.7", "whitenoise", "vol", "0.5"]);
        let mut source = open(&file);
        assert_eq!(source.spec().format, *format, "{name}");
        assert_eq!(source.spec().channels, *channels, "{name}");
        assert!(source.is_lossless(), "{name}");
        let expected = bench.sox_raw(&file);
        let frames = (expected.len() / source.spec().bytes_per_frame()) as u64;
        assert_eq!(source.total_frames(), Some(frames), "{name}");
        let got = read_all(&mut source);
        assert!(got == expected, "{name}: differs from sox's decode");
        assert_eq!(source.error(), None, "{name}");
        assert_eq!(source.frames_left(), Some(0), "{name}");
    }
}

#[test]
fn alac_and_caf_decode_bit_for_bit_against_ffmpeg() {
    let bench = Bench::new();
    let noise = "anoisesrc=d=0.7:r=44100:a=0.5:s=7";
    // (file, ffmpeg options, expected format, ffmpeg's raw format)
    let cases: &[(&str, &[&str], SampleFormat, &str)] = &[
        (
            "alac16.m4a",
            &["-ac", "2", "-c:a", "alac", "-sample_fmt", "s16p"],
            SampleFormat::S16_LE,
            "s16le",
        ),
        (
            "alac24.m4a",
            &["-ac", "2", "-c:a", "alac", "-sample_fmt", "s32p"],
            SampleFormat::S24_3LE,
            "s24le",
        ),
        (
            "alac24_51.m4a",
            &["-ac", "6", "-c:a", "alac", "-sample_fmt", "s32p"],
            SampleFormat::S24_3LE,
            "s24le",
        ),
        (
            "alac24.caf",
            &["-ac", "2", "-c:a", "alac", "-sample_fmt", "s32p"],
            SampleFormat::S24_3LE,
            "s24le",
        ),
        (
            "s16.caf",
            &["-ac", "2", "-c:a", "pcm_s16be"],
            SampleFormat::S16_LE,
            "s16le",
        ),
        (
            "s24.caf",
            &["-ac", "1", "-c:a", "pcm_s24le"],
            SampleFormat::S24_3LE,
            "s24le",
        ),
        (
            "f32.caf",
            &["-ac", "2", "-c:a", "pcm_f32be"],
            SampleFormat::FLOAT_LE,
            "f32le",
        ),
    ];
    for (name, opts, format, raw) in cases {
        let file = bench.ffmpeg(name, noise, opts);
        let mut source = open(&file);
        assert_eq!(source.spec().format, *format, "{name}");
        assert!(source.is_lossless(), "{name}");
        let got = read_all(&mut source);
        assert!(
            got == bench.ffmpeg_raw(&file, raw),
            "{name}: differs from ffmpeg's decode"
        );
        assert_eq!(source.error(), None, "{name}");
    }
}

#[test]
fn lossy_files_keep_their_length_and_pitch() {
    let bench = Bench::new();
    let rate = 44100;
    let seconds = 2;
    let frames = u64::from(rate) * seconds;
    let sine = format!("sine=f=1000:r={rate}:d={seconds}");
    let files = [
        bench.sox(
            "tone.ogg",
            &["-r", "44100", "-c", "2"],
            &["synth", "2", "sine", "1000", "vol", "0.5"],
        ),
        bench.ffmpeg("tone.mp3", &sine, &["-ac", "2", "-c:a", "libmp3lame"]),
        bench.ffmpeg("tone.m4a", &sine, &["-ac", "2", "-c:a", "aac"]),
        bench.ffmpeg("mono.mp3", &sine, &["-ac", "1", "-c:a", "libmp3lame"]),
        bench.sox(
            "surround.ogg",
            &["-r", "44100", "-c", "6"],
            &["synth", "2", "sine", "1000", "vol", "0.5"],
        ),
    ];
    for file in &files {
        let mut source = open(file);
        let spec = source.spec();
        assert_eq!(spec.format, SampleFormat::FLOAT_LE, "{}", file.display());
        assert_eq!(spec.rate, rate);
        assert!(!source.is_lossless());
        let samples = floats(&read_all(&mut source));
        let decoded = samples.len() as u64 / u64::from(spec.channels);
        // Gapless: encoder delay and padding are gone, so the length is the source's exactly.
        assert_eq!(decoded, frames, "{}: length", file.display());
        assert_eq!(source.total_frames(), Some(frames), "{}", file.display());
        let hz = pitch(&samples, spec.channels as usize, rate);
        assert!((hz - 1000.0).abs() < 5.0, "{}: {hz} Hz", file.display());
        assert_eq!(source.error(), None, "{}", file.display());
    }
    assert_eq!(open(&files[2]).format_name(), "AAC in MP4");
    assert_eq!(open(&files[4]).spec().channels, 6);
}

#[test]
fn title_and_artist_come_from_the_tags() {
    let bench = Bench::new();
    let tagged = [
        "--comment",
        "TITLE=Song Title",
        "--add-comment",
        "ARTIST=The Band",
    ];
    let mut flac_opts = vec!["-r", "8000", "-c", "1", "-b", "16"];
    flac_opts.extend_from_slice(&tagged);
    let flac = bench.sox("tagged.flac", &flac_opts, &["synth", "0.2", "sine", "300"]);
    let mut ogg_opts = vec!["-r", "8000", "-c", "1"];
    ogg_opts.extend_from_slice(&tagged);
    let ogg = bench.sox("tagged.ogg", &ogg_opts, &["synth", "0.2", "sine", "300"]);
    let meta = [
        "-metadata",
        "title=Song Title",
        "-metadata",
        "artist=The Band",
    ];
    let mp3 = bench.ffmpeg(
        "tagged.mp3",
        "sine=d=0.2",
        &[&meta[..], &["-c:a", "libmp3lame"]].concat(),
    );
    let m4a = bench.ffmpeg(
        "tagged.m4a",
        "sine=d=0.2",
        &[&meta[..], &["-c:a", "aac"]].concat(),
    );
    for file in [flac, ogg, mp3, m4a] {
        let tags = open(&file).tags().clone();
        assert_eq!(
            tags.title.as_deref(),
            Some("Song Title"),
            "{}",
            file.display()
        );
        assert_eq!(
            tags.artist.as_deref(),
            Some("The Band"),
            "{}",
            file.display()
        );
        assert_eq!(tags.display().as_deref(), Some("The Band – Song Title"));
    }
    let plain = bench.sox(
        "plain.flac",
        &["-r", "8000"],
        &["synth", "0.1", "sine", "300"],
    );
    assert_eq!(open(&plain).tags().display(), None);
}

#[test]
fn skipping_seeks_to_the_exact_frame() {
    let bench = Bench::new();
    let flac = bench.sox(
        "long.flac",
        &["-r", "44100", "-b", "24", "-c", "2"],
        &["synth", "3", "whitenoise", "vol", "0.5"],
    );
    let mp3 = bench.ffmpeg(
        "long.mp3",
        "sine=f=440:r=44100:d=3",
        &["-ac", "2", "-c:a", "libmp3lame"],
    );
    let ogg = bench.sox(
        "long.ogg",
        &["-r", "44100", "-c", "2"],
        &["synth", "3", "pinknoise", "vol", "0.5"],
    );
    let aiff = bench.sox(
        "long.aiff",
        &["-r", "44100", "-b", "16", "-c", "2"],
        &["synth", "3", "whitenoise"],
    );
    for file in [&flac, &mp3, &ogg, &aiff] {
        let full = read_all(&mut open(file));
        let frame = open(file).spec().bytes_per_frame();
        for skip in [1u64, 1000, 4097, 60_000, 100_000] {
            let mut source = open(file);
            assert_eq!(
                source.skip_frames(skip).unwrap(),
                skip,
                "{}",
                file.display()
            );
            assert_eq!(source.position(), skip);
            let rest = read_all(&mut source);
            let expected = &full[skip as usize * frame..];
            // MP3's decoder is primed before the target, so even it matches exactly.
            assert!(rest == expected, "{} after skipping {skip}", file.display());
            assert_eq!(source.error(), None);
        }
        // Skipping in steps, and past the end.
        let mut source = open(file);
        assert_eq!(source.skip_frames(10).unwrap(), 10);
        let mut ten = vec![0u8; 10 * frame];
        assert_eq!(source.read_frames(&mut ten).unwrap(), 10 * frame);
        assert_eq!(ten, full[10 * frame..20 * frame]);
        assert_eq!(source.skip_frames(50_000).unwrap(), 50_000);
        assert_eq!(source.position(), 50_020);
        let total = (full.len() / frame) as u64;
        assert_eq!(source.skip_frames(u64::MAX / 2).unwrap(), total - 50_020);
        assert_eq!(source.read_frames(&mut ten).unwrap(), 0);
        assert_eq!(source.error(), None);
    }
}

#[test]
fn a_length_that_is_only_an_estimate_never_breaks_skipping() {
    let bench = Bench::new();
    // Without a Xing/LAME header an MP3's length is a guess from its size.
    let mp3 = bench.ffmpeg(
        "guess.mp3",
        "sine=r=44100:d=2",
        &["-ac", "1", "-c:a", "libmp3lame", "-write_xing", "0"],
    );
    let full = read_all(&mut open(&mp3)).len() as u64 / 4;
    let mut source = open(&mp3);
    let mut buf = vec![0u8; 4 * 1000];
    while source.read_frames(&mut buf).unwrap() > 0 {}
    // At the end, past any stated length: skipping more skips nothing and does not fail.
    assert_eq!(source.skip_frames(1000).unwrap(), 0);
    let mut source = open(&mp3);
    let skipped = source.skip_frames(u64::MAX / 4).unwrap();
    let rest = read_all(&mut source).len() as u64 / 4;
    assert!(
        skipped + rest <= full + 1152,
        "{skipped} + {rest} vs {full}"
    );
}

#[test]
fn a_stream_that_cannot_seek_skips_by_decoding() {
    let bench = Bench::new();
    let flac = bench.sox(
        "pipe.flac",
        &["-r", "44100", "-b", "16", "-c", "2"],
        &["synth", "1", "whitenoise"],
    );
    let full = read_all(&mut open(&flac));
    let stream = ReadOnlySource::new(File::open(&flac).unwrap());
    let mut source = DecodedSource::new(Box::new(stream)).unwrap();
    assert_eq!(source.skip_frames(12_345).unwrap(), 12_345);
    assert!(read_all(&mut source) == full[12_345 * 4..]);
}

#[test]
fn aac_priming_is_cut_so_m4a_plays_gapless() {
    let bench = Bench::new();
    let m4a = bench.ffmpeg(
        "gapless.m4a",
        "sine=f=500:r=48000:d=1",
        &["-ac", "1", "-c:a", "aac"],
    );
    let mut source = open(&m4a);
    assert_eq!(source.total_frames(), Some(48_000));
    let samples = floats(&read_all(&mut source));
    assert_eq!(samples.len(), 48_000);
    // ffmpeg cuts the priming too: the two decodes line up sample for sample.
    let reference = floats(&bench.ffmpeg_raw(&m4a, "f32le"));
    let worst = samples
        .iter()
        .zip(&reference)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(worst < 1e-3, "differs from ffmpeg's decode by {worst}");
}

/// A copy of `file` cut to `fraction` of its length.
fn truncated(file: &Path, fraction: f64) -> PathBuf {
    let bytes = std::fs::read(file).unwrap();
    let cut = file.with_extension(format!(
        "cut.{}",
        file.extension().unwrap().to_string_lossy()
    ));
    std::fs::write(&cut, &bytes[..(bytes.len() as f64 * fraction) as usize]).unwrap();
    cut
}

#[test]
fn truncated_files_play_what_is_there_then_say_so() {
    let bench = Bench::new();
    let files = [
        bench.sox(
            "cut16.flac",
            &["-r", "44100", "-b", "16", "-c", "2"],
            &["synth", "2", "whitenoise"],
        ),
        bench.sox(
            "cut24.flac",
            &["-r", "48000", "-b", "24", "-c", "6"],
            &["synth", "1", "whitenoise"],
        ),
        bench.sox(
            "cut.aiff",
            &["-r", "44100", "-b", "24", "-c", "2"],
            &["synth", "2", "whitenoise"],
        ),
        bench.sox(
            "cut.ogg",
            &["-r", "44100", "-c", "2"],
            &["synth", "3", "pinknoise"],
        ),
        bench.ffmpeg(
            "cut.mp3",
            "anoisesrc=d=3:r=44100",
            &["-ac", "2", "-c:a", "libmp3lame"],
        ),
    ];
    for file in &files {
        let full = read_all(&mut open(file));
        let cut = truncated(file, 0.6);
        let mut source = open(&cut);
        let got = read_all(&mut source);
        let name = cut.display();
        assert!(!got.is_empty(), "{name}: nothing played");
        assert!(got.len() < full.len(), "{name}: longer than it can be");
        assert!(got.len() > full.len() / 3, "{name}: played too little");
        // What played is the start of the file as it should be.
        if source.is_lossless() {
            assert!(got == full[..got.len()], "{name}: wrong samples");
        }
        let error = source.error().unwrap_or_else(|| panic!("{name}: no error"));
        assert!(error.contains("truncated"), "{name}: {error}");
    }
}

#[test]
fn truncated_files_with_nothing_playable_fail_clearly() {
    let bench = Bench::new();
    // ffmpeg writes an M4A's index (moov) at the end: cut, it has none.
    let m4a = bench.ffmpeg("end.m4a", "sine=d=2", &["-c:a", "aac"]);
    let err = DecodedSource::open(&truncated(&m4a, 0.5))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("moov") && err.contains("cut short"), "{err}");
    // With the index first (faststart), the media data box runs past the end: symphonia
    // then finds no media at all, and says so through us.
    for codec in ["aac", "alac"] {
        let fast = bench.ffmpeg(
            &format!("fast_{codec}.m4a"),
            "anoisesrc=d=2",
            &["-c:a", codec, "-movflags", "+faststart"],
        );
        let err = DecodedSource::open(&truncated(&fast, 0.6))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("cut short"), "{err}");
    }
    // CAF's reader reads to the end of the file before the first packet.
    let caf = bench.ffmpeg("cut.caf", "anoisesrc=d=2", &["-c:a", "pcm_s16le"]);
    let err = DecodedSource::open(&truncated(&caf, 0.6))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("cut short"), "{err}");
    let flac = bench.sox("head.flac", &["-r", "8000"], &["synth", "1", "sine", "300"]);
    let bytes = std::fs::read(&flac).unwrap();
    let header_only = bench.path("header_only.flac");
    std::fs::write(&header_only, &bytes[..30]).unwrap();
    let err = DecodedSource::open(&header_only).err().unwrap().to_string();
    assert!(
        err.contains("truncated") || err.contains("no audio"),
        "{err}"
    );
}

/// A copy of `file` with `len` bytes of noise written over it at `fraction` of its length.
fn damaged(file: &Path, fraction: f64, len: usize, seed: u64) -> PathBuf {
    let mut bytes = std::fs::read(file).unwrap();
    let at = (bytes.len() as f64 * fraction) as usize;
    let mut state = seed.max(1);
    for b in bytes.iter_mut().skip(at).take(len) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *b = (state >> 24) as u8;
    }
    let out = file.with_extension(format!(
        "damaged{seed}.{}",
        file.extension().unwrap().to_string_lossy()
    ));
    std::fs::write(&out, &bytes).unwrap();
    out
}

#[test]
fn damaged_files_never_panic_and_report_what_was_skipped() {
    let bench = Bench::new();
    let files = [
        bench.sox(
            "bad.flac",
            &["-r", "44100", "-b", "16", "-c", "2"],
            &["synth", "2", "whitenoise"],
        ),
        bench.sox(
            "bad.ogg",
            &["-r", "44100", "-c", "2"],
            &["synth", "2", "pinknoise"],
        ),
        bench.ffmpeg(
            "bad.mp3",
            "anoisesrc=d=2:r=44100",
            &["-ac", "2", "-c:a", "libmp3lame"],
        ),
        bench.ffmpeg(
            "bad.m4a",
            "anoisesrc=d=2:r=44100",
            &["-ac", "2", "-c:a", "aac", "-movflags", "+faststart"],
        ),
        bench.ffmpeg(
            "bad_alac.m4a",
            "anoisesrc=d=2:r=44100",
            &["-ac", "2", "-c:a", "alac", "-movflags", "+faststart"],
        ),
        bench.sox(
            "bad.aiff",
            &["-r", "44100", "-b", "16", "-c", "2"],
            &["synth", "2", "whitenoise"],
        ),
    ];
    for file in &files {
        let full_len = read_all(&mut open(file)).len();
        // A burst in the middle: most of the file still plays, and the damage is reported.
        let middle = damaged(file, 0.5, 2000, 1);
        let mut source = open(&middle);
        let got = read_all(&mut source);
        let name = middle.display();
        assert!(got.len() > full_len / 3, "{name}: played too little");
        assert!(got.len() <= full_len + 8192, "{name}: played too much");
        // ALAC has no checksums and PCM no structure to damage: noise plays as noise there.
        if source.codec != CODEC_ID_ALAC && source.container != "AIFF" {
            let error = source.error().unwrap_or_else(|| panic!("{name}: no error"));
            assert!(error.contains("damaged"), "{name}: {error}");
        }
        // Many smaller hits anywhere, header included: whatever happens, no panic and an end.
        for seed in 2..40u64 {
            let hit = damaged(
                file,
                (seed as f64 * 0.025) % 1.0,
                1 + seed as usize * 7,
                seed,
            );
            if let Ok(mut source) = DecodedSource::open(&hit) {
                let got = read_all(&mut source);
                assert!(got.len() <= full_len * 2, "{}: runaway", hit.display());
                if let Some(error) = source.error() {
                    assert!(!error.contains('\n'), "{error}");
                }
            }
            std::fs::remove_file(hit).unwrap();
        }
    }
}

#[test]
fn unknown_and_unsupported_input_is_refused_with_the_list_of_formats() {
    let bench = Bench::new();
    let text = bench.path("notes.txt");
    std::fs::write(&text, "just some text\n".repeat(100)).unwrap();
    let random = bench.path("random.bin");
    std::fs::write(
        &random,
        (0..200_000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    for file in [&text, &random] {
        let err = DecodedSource::open(file).err().unwrap().to_string();
        assert!(
            err.contains("not a format alsatool can play") && err.contains("FLAC, Ogg Vorbis"),
            "{err}"
        );
    }
    let opus = bench.ffmpeg("voice.opus", "sine=d=0.5", &["-c:a", "libopus"]);
    let err = DecodedSource::open(&opus).err().unwrap().to_string();
    assert!(err.contains("Opus") && err.contains("FLAC"), "{err}");
    let empty = bench.path("empty.flac");
    std::fs::write(&empty, b"").unwrap();
    let err = DecodedSource::open(&empty).err().unwrap().to_string();
    assert!(err.contains("empty"), "{err}");
    let err = DecodedSource::open(bench.dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("directory"), "{err}");
    let err = DecodedSource::open(&bench.path("missing.flac"))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("No such file"), "{err}");
}

#[test]
fn the_name_of_the_file_does_not_matter() {
    let bench = Bench::new();
    let flac = bench.sox(
        "real.flac",
        &["-r", "8000", "-b", "16"],
        &["synth", "0.3", "sine", "300"],
    );
    let disguised = bench.path("song.mp3");
    std::fs::copy(&flac, &disguised).unwrap();
    let mut source = open(&disguised);
    assert_eq!(source.format_name(), "FLAC");
    assert!(read_all(&mut source) == bench.sox_raw(&flac));
}

#[test]
fn output_formats_keep_every_bit_in_the_fewest_bytes() {
    use BufferKind as K;
    assert_eq!(K::S32.output_format(Some(16)), SampleFormat::S16_LE);
    assert_eq!(K::S32.output_format(Some(20)), SampleFormat::S24_3LE);
    assert_eq!(K::S32.output_format(Some(24)), SampleFormat::S24_3LE);
    assert_eq!(K::S32.output_format(Some(8)), SampleFormat::S8);
    assert_eq!(K::S32.output_format(Some(32)), SampleFormat::S32_LE);
    assert_eq!(K::S32.output_format(None), SampleFormat::S32_LE);
    assert_eq!(K::S24.output_format(None), SampleFormat::S24_3LE);
    assert_eq!(K::F32.output_format(None), SampleFormat::FLOAT_LE);
    assert_eq!(K::F64.output_format(None), SampleFormat::FLOAT64_LE);
    assert_eq!(K::U8.output_format(None), SampleFormat::U8);
}

#[test]
fn tags_display_and_clock() {
    let both = Tags {
        title: Some("T".into()),
        artist: Some("A".into()),
    };
    assert_eq!(both.display().as_deref(), Some("A – T"));
    let title = Tags {
        title: Some("T".into()),
        artist: None,
    };
    assert_eq!(title.display().as_deref(), Some("T"));
}
