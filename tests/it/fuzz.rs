//! A deterministic mutation run over everything `play` reads (issue #12): a seed corpus of every
//! format, made here by sox and ffmpeg, then thousands of damaged copies — bit flips, cuts,
//! chunk sizes that lie, bytes spliced in from other files, bytes inserted and removed — each
//! opened and read to its end in-process through the path `play` uses
//! (`alsatool::input::open::open`, then `PcmSource`), a quarter of them through a pipe.
//!
//! Every input must end (in an error or not) within 2 s, without a panic, and without raising
//! the process's peak memory by more than 64 MiB. `ALSATOOL_FUZZ_ITERATIONS` sets how many
//! inputs (default 1500) and `ALSATOOL_FUZZ_SEED` the generator's seed, for longer runs.

use std::fs;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use alsatool::input::open::{open, InputKind};
use alsatool::sample::format::SampleFormat;
use alsatool::signals::StopFlag;
use alsatool::spec::PartialSpec;
use alsatool::stream::source::PcmSource;

use crate::util::{require_tool, TestEnv};

/// How long one input may take to open and read to its end (a debug build, a loaded machine).
const DEADLINE: Duration = Duration::from_secs(2);
/// How much one input may raise the peak resident memory.
const MAX_GROWTH_KIB: u64 = 64 * 1024;
/// The most bytes read from one input before it counts as endless.
const MAX_OUTPUT: usize = 256 << 20;

/// xorshift64: the same sequence on every run for a given seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// One seed file and how `play` is told to read it.
struct Seed {
    name: &'static str,
    bytes: Vec<u8>,
    kind: InputKind,
    raw: PartialSpec,
}

/// Runs a tool that makes a seed, failing the test if it fails.
fn make(env: &TestEnv, program: &str, args: &[&str]) {
    require_tool(program);
    let run = env.run_tool(program, args);
    assert!(
        run.output.status.success(),
        "{program} {args:?}: {}",
        run.stderr()
    );
}

/// Short seeds of every format play reads: short so that thousands decode in seconds.
fn corpus(env: &TestEnv) -> Vec<Seed> {
    let sox: &[(&str, &[&str])] = &[
        ("s16.wav", &["-r", "8000", "-c", "2", "-b", "16"]),
        ("u8.wav", &["-r", "8000", "-c", "1", "-b", "8"]),
        // More than two channels: sox writes WAVE_FORMAT_EXTENSIBLE.
        ("s24_ext.wav", &["-r", "8000", "-c", "3", "-b", "24"]),
        (
            "float.wav",
            &["-r", "8000", "-c", "1", "-e", "floating-point", "-b", "32"],
        ),
        ("alaw.wav", &["-r", "8000", "-c", "1", "-e", "a-law"]),
        ("s16.au", &["-r", "8000", "-c", "2", "-b", "16"]),
        ("mulaw.au", &["-r", "8000", "-c", "1", "-e", "mu-law"]),
        ("s16.flac", &["-r", "8000", "-c", "2", "-b", "16"]),
        ("s24.flac", &["-r", "8000", "-c", "1", "-b", "24"]),
        ("s16.aiff", &["-r", "8000", "-c", "2", "-b", "16"]),
    ];
    for (name, opts) in sox {
        let mut args = vec!["-R", "-D", "-n"];
        args.extend_from_slice(opts);
        args.extend_from_slice(&[name, "synth", "0.05", "whitenoise", "vol", "0.5"]);
        make(env, "sox", &args);
    }
    let ffmpeg: &[(&str, &[&str])] = &[
        ("vorbis.ogg", &["-ac", "1", "-c:a", "libvorbis"]),
        ("lame.mp3", &["-ac", "1", "-c:a", "libmp3lame"]),
        ("aac.m4a", &["-ac", "1", "-c:a", "aac"]),
        // The index first, as a pipe needs it.
        (
            "aac_fast.m4a",
            &["-ac", "1", "-c:a", "aac", "-movflags", "+faststart"],
        ),
        ("alac.m4a", &["-ac", "2", "-c:a", "alac"]),
        ("alac.caf", &["-ac", "1", "-c:a", "alac"]),
        ("s16.caf", &["-ac", "2", "-c:a", "pcm_s16le"]),
    ];
    for (name, opts) in ffmpeg {
        let mut args = vec![
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=r=8000:d=0.1",
        ];
        args.extend_from_slice(opts);
        args.push(name);
        make(env, "ffmpeg", &args);
    }
    let mut seeds: Vec<Seed> = sox
        .iter()
        .map(|(name, _)| *name)
        .chain(ffmpeg.iter().map(|(name, _)| *name))
        .map(|name| Seed {
            name,
            bytes: fs::read(env.path(name)).unwrap(),
            kind: InputKind::Auto,
            raw: PartialSpec::default(),
        })
        .collect();
    // Raw: played as it is with -t raw, and sniffed with a layout given (-f without -t).
    let raw = PartialSpec {
        format: Some(SampleFormat::S16_LE),
        channels: Some(2),
        rate: Some(8000),
    };
    let noise = crate::util::noise(1600, 3);
    seeds.push(Seed {
        name: "noise.raw (-t raw)",
        bytes: noise.clone(),
        kind: InputKind::Raw,
        raw,
    });
    seeds.push(Seed {
        name: "noise.raw (-f)",
        bytes: noise,
        kind: InputKind::Auto,
        raw,
    });
    seeds
}

/// Where in `bytes` chunk and box sizes sit: the 4 bytes after a RIFF/AIFF chunk id, the 8 after
/// a CAF one, the 4 before an MP4 box type.
fn size_fields(bytes: &[u8]) -> Vec<(usize, usize)> {
    const RIFF_LIKE: [&[u8; 4]; 8] = [
        b"RIFF", b"fmt ", b"data", b"LIST", b"FORM", b"COMM", b"SSND", b"fLaC",
    ];
    const CAF: [&[u8; 4]; 4] = [b"desc", b"data", b"pakt", b"kuki"];
    const MP4: [&[u8; 4]; 10] = [
        b"ftyp", b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsz", b"stco", b"mdat", b"esds",
    ];
    let mut fields = Vec::new();
    for at in 0..bytes.len().saturating_sub(4) {
        let id = &bytes[at..at + 4];
        if RIFF_LIKE.iter().any(|c| id == *c) && at + 8 <= bytes.len() {
            fields.push((at + 4, 4));
        }
        if CAF.iter().any(|c| id == *c) && at + 12 <= bytes.len() {
            fields.push((at + 4, 8));
        }
        if MP4.iter().any(|c| id == *c) && at >= 4 {
            fields.push((at - 4, 4));
        }
    }
    fields
}

/// A damaged copy of `seeds[index]`, and what was done to it.
fn mutate(seeds: &[Seed], index: usize, rng: &mut Rng) -> (Vec<u8>, String) {
    let mut bytes = seeds[index].bytes.clone();
    let len = bytes.len();
    let how = match rng.below(6) {
        0 => {
            let flips = 1 + rng.below(8);
            for _ in 0..flips {
                // Headers matter most: half the flips land in the first 256 bytes.
                let at = if rng.below(2) == 0 {
                    rng.below(len.min(256))
                } else {
                    rng.below(len)
                };
                bytes[at] ^= 1 << rng.below(8);
            }
            format!("{flips} bit flips")
        }
        1 => {
            let keep = rng.below(len);
            bytes.truncate(keep);
            format!("cut to {keep} bytes")
        }
        2 => {
            let fields = size_fields(&bytes);
            if fields.is_empty() {
                bytes[rng.below(len)] = 0xff;
                "a byte set to 0xff".to_string()
            } else {
                let (at, width) = fields[rng.below(fields.len())];
                let lie: u64 = match rng.below(5) {
                    0 => 0,
                    1 => u64::MAX,
                    2 => 0x7fff_ffff,
                    3 => rng.next() % 64,
                    _ => rng.next(),
                };
                let lie = lie.to_be_bytes();
                // Both byte orders are in use (RIFF little, the rest big): pick either.
                let mut field = lie[8 - width..].to_vec();
                if rng.below(2) == 0 {
                    field.reverse();
                }
                bytes[at..at + width].copy_from_slice(&field);
                format!("size field at {at} set to {field:02x?}")
            }
        }
        3 => {
            let other = &seeds[rng.below(seeds.len())].bytes;
            let from = rng.below(other.len());
            let n = 1 + rng.below((other.len() - from).min(512));
            let at = rng.below(len);
            let end = (at + n).min(len);
            bytes.splice(at..end, other[from..from + n].iter().copied());
            format!("{n} bytes spliced in at {at}")
        }
        4 => {
            let at = rng.below(len);
            let n = 1 + rng.below(64);
            let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            bytes.splice(at..at, junk);
            format!("{n} random bytes inserted at {at}")
        }
        _ => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(64));
            bytes.drain(at..at + n);
            format!("{n} bytes removed at {at}")
        }
    };
    (bytes, how)
}

/// The process's current and peak resident memory in KiB, from /proc/self/status.
fn memory_kib() -> (u64, u64) {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak-memory mark (Linux 4.0 on); false where that is not allowed.
fn reset_peak() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Opens `path` as `play` does and reads every frame (skipping some first, as --start does).
/// Errors are fine: the input is damaged. Returns the bytes handed out.
fn play_through(path: &Path, kind: InputKind, raw: PartialSpec, skip: u64) -> usize {
    let stop = StopFlag::new();
    let Ok(mut source) = open(path, kind, raw, &stop) else {
        return 0;
    };
    let frame = source.spec().bytes_per_frame();
    assert!(frame > 0, "a zero-sized frame");
    if skip > 0 && source.skip_frames(skip).is_err() {
        return 0;
    }
    let mut buf = vec![0u8; (16 * 1024 / frame).max(1) * frame];
    let mut total = 0;
    while let Ok(n) = source.read_frames(&mut buf) {
        assert_eq!(n % frame, 0, "a partial frame");
        if n == 0 {
            break;
        }
        total += n;
        assert!(total <= MAX_OUTPUT, "more than {MAX_OUTPUT} bytes decoded");
    }
    let _ = source.decode_error();
    total
}

/// A pipe with `bytes` written into it by a thread; returns the `/dev/fd` path of its read end
/// (to open as `play <(...)` does) and that end, to be closed once opened.
fn pipe_with(bytes: Vec<u8>) -> (PathBuf, OwnedFd, std::thread::JoinHandle<()>) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe() writes.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: pipe2() just made both; each is owned once.
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let path = PathBuf::from(format!("/dev/fd/{}", read_end.as_raw_fd()));
    // Ends with EPIPE once the reader gives up early (SIGPIPE is ignored in Rust programs).
    let writer = std::thread::spawn(move || {
        let _ = fs::File::from(write_end).write_all(&bytes);
    });
    (path, read_end, writer)
}

/// What the worker reports for one input.
enum Outcome {
    Done { grew_kib: u64 },
    Panicked(String),
}

#[test]
fn damaged_inputs_of_every_format_never_panic_hang_or_balloon() {
    let env = TestEnv::new();
    let seeds = corpus(&env);
    let iterations: usize = std::env::var("ALSATOOL_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let seed: u64 = std::env::var("ALSATOOL_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15)
        .max(1);
    // The seeds themselves must play: otherwise the run tests nothing.
    for s in &seeds {
        let path = env.path("seed.bin");
        fs::write(&path, &s.bytes).unwrap();
        assert!(
            play_through(&path, s.kind, s.raw, 0) > 0,
            "seed {} does not play",
            s.name
        );
    }
    let per_seed = format!(
        "{} seeds: {}",
        seeds.len(),
        seeds.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
    );
    let work_dir = env.path("inputs");
    fs::create_dir_all(&work_dir).unwrap();
    let peaks_resettable = reset_peak();
    let (start_rss, _) = memory_kib();

    let (task_tx, task_rx) =
        mpsc::channel::<(PathBuf, Option<OwnedFd>, InputKind, PartialSpec, u64)>();
    let (done_tx, done_rx) = mpsc::channel::<Outcome>();
    let worker = std::thread::spawn(move || {
        for (path, read_end, kind, raw, skip) in task_rx {
            let (rss_before, _) = memory_kib();
            if peaks_resettable {
                reset_peak();
            }
            let result = std::panic::catch_unwind(|| {
                let _keep_open_until_the_read = read_end;
                play_through(&path, kind, raw, skip)
            });
            let (_, peak) = memory_kib();
            let outcome = match result {
                Ok(_) => Outcome::Done {
                    grew_kib: peak.saturating_sub(rss_before),
                },
                Err(payload) => Outcome::Panicked(
                    payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default(),
                ),
            };
            if done_tx.send(outcome).is_err() {
                return;
            }
        }
    });

    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut worst_kib = 0;
    for i in 0..iterations {
        let index = rng.below(seeds.len());
        let (bytes, how) = mutate(&seeds, index, &mut rng);
        let s = &seeds[index];
        let skip = if rng.below(4) == 0 {
            rng.next() % 2000
        } else {
            0
        };
        let through_pipe = rng.below(4) == 0;
        let what = format!(
            "input {i} (seed {seed}): {} with {how}, {}{}",
            s.name,
            if through_pipe {
                "through a pipe"
            } else {
                "as a file"
            },
            if skip > 0 {
                format!(", skipping {skip} frames")
            } else {
                String::new()
            }
        );
        let keep = env.path(&format!("failing-input-{i}.bin"));
        let (path, read_end, writer) = if through_pipe {
            let (path, read_end, writer) = pipe_with(bytes.clone());
            (path, Some(read_end), Some(writer))
        } else {
            let path = work_dir.join("input.bin");
            fs::write(&path, &bytes).unwrap();
            (path, None, None)
        };
        task_tx.send((path, read_end, s.kind, s.raw, skip)).unwrap();
        match done_rx.recv_timeout(DEADLINE) {
            Ok(Outcome::Done { grew_kib }) => {
                worst_kib = worst_kib.max(grew_kib);
                if grew_kib > MAX_GROWTH_KIB {
                    fs::write(&keep, &bytes).unwrap();
                    let _ = env.dir.path();
                    panic!(
                        "{what}: peak memory grew by {grew_kib} KiB; the input is {}",
                        persist(&keep)
                    );
                }
            }
            Ok(Outcome::Panicked(message)) => {
                fs::write(&keep, &bytes).unwrap();
                panic!(
                    "{what}: panicked: {message}; the input is {}",
                    persist(&keep)
                );
            }
            Err(_) => {
                fs::write(&keep, &bytes).unwrap();
                panic!(
                    "{what}: still running after {DEADLINE:?}; the input is {}",
                    persist(&keep)
                );
            }
        }
        if let Some(writer) = writer {
            writer.join().unwrap();
        }
    }
    drop(task_tx);
    worker.join().unwrap();
    let (end_rss, _) = memory_kib();
    eprintln!(
        "fuzz: {iterations} inputs from {per_seed} in {:.1} s; worst peak growth {worst_kib} KiB \
         (peaks {}), RSS {start_rss} -> {end_rss} KiB",
        started.elapsed().as_secs_f64(),
        if peaks_resettable {
            "per input"
        } else {
            "over the run"
        }
    );
}

/// Copies a failing input out of the test's temp directory (removed on drop) and returns where.
fn persist(path: &Path) -> String {
    let target = std::env::temp_dir().join(path.file_name().unwrap());
    match fs::copy(path, &target) {
        Ok(_) => target.display().to_string(),
        Err(_) => "lost (cannot copy it out of the test directory)".to_string(),
    }
}
