//! The arguments of the subcommands that move audio: play, record (with its takes), loop,
//! latency and speakers.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{parse_size, DeviceArg, FileType, ResampleArgs, SpecArgs, StreamArgs};
use crate::progress::{parse_short_time, parse_time};
use crate::stream::speaker_test::Signal;

/// Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone.
///
/// Plays each FILE in turn on one open device (no gap between files of the same format). The
/// format is found from the content, not the name: WAV, AU, FLAC, Ogg Vorbis, MP3, AAC and ALAC
/// (M4A/MP4), AIFF and CAF; headerless audio needs -t raw with -f, -c and -r. When the device
/// takes the file's format, the samples reach it unchanged, lossless files in their own bit
/// depth (bit-perfect); otherwise alsatool converts the sample format and channel count in
/// software, and resamples a rate the device does not take (to the nearest it takes above;
/// --no-resample refuses instead). `-` reads standard input.
#[derive(Debug, Args)]
#[command(
    override_usage = "alsatool play [OPTIONS] <FILE>...\n       alsatool play [OPTIONS] --sine <HZ>"
)]
pub struct PlayArgs {
    #[command(flatten)]
    pub device: DeviceArg,

    /// Files to play; `-` is standard input.
    #[arg(value_name = "FILE", required_unless_present = "sine")]
    pub files: Vec<PathBuf>,

    /// File type.
    #[arg(short = 't', long = "type", value_enum, default_value_t = FileType::Auto)]
    pub file_type: FileType,

    #[command(flatten)]
    pub stream: StreamArgs,

    #[command(flatten)]
    pub resample: ResampleArgs,

    /// Play a sine tone of this frequency in Hz instead of files (until Ctrl-C unless --duration).
    #[arg(long, value_name = "HZ", conflicts_with = "files")]
    pub sine: Option<f64>,

    /// Stop after this long: seconds (2.5) or [h:]m:s (1:30).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub duration: Option<Duration>,

    /// Start this far into each file: seconds or [h:]m:s.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub start: Option<Duration>,

    /// Read commands from this named pipe (made if missing), one a line: pause, resume,
    /// toggle, seek +10, seek -10, seek 1:30, next, previous, quit, meter, freq 1000.
    #[arg(long, value_name = "FIFO")]
    pub control: Option<PathBuf>,

    /// Play the file list N times over, or endlessly (inf).
    #[arg(long = "loop", value_name = "N|inf", value_parser = parse_loop, conflicts_with = "sine")]
    pub loop_count: Option<Passes>,
}

/// How many times `--loop` plays the list: `None` is endlessly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Passes(pub Option<u64>);

/// Parses `--loop`: a count of 1 or more, or `inf`.
pub fn parse_loop(text: &str) -> Result<Passes, String> {
    match text.trim() {
        "inf" | "infinite" => Ok(Passes(None)),
        n => match n.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Passes(Some(n))),
            _ => Err(format!(
                "'{text}' is not a count; give how many times to play the list (2) or inf"
            )),
        },
    }
}

/// Record from a capture device to a WAV, FLAC or raw file.
///
/// Ctrl-C, SIGTERM and SIGHUP finish the recording cleanly. The header is kept up to date on
/// disk as it records, so even a crash leaves a valid file (FLAC: decodable to its last whole
/// frame). Long recordings continue in numbered files (take-01.wav, take-02.wav, …) before
/// WAV's 4 GiB limit. A rate, channel count or format (-r, -c, -f) the device does not take is
/// captured as the device has it and converted (resampled, mixed down), so the file holds
/// exactly what was asked for. With --trigger, recording waits for sound and each take is its
/// own numbered file.
#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub device: DeviceArg,

    /// File to write; `-` is standard output.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// File type (default: raw for a .raw name, FLAC for .flac, WAV otherwise).
    #[arg(short = 't', long = "type", value_enum, default_value_t = FileType::Auto)]
    pub file_type: FileType,

    #[command(flatten)]
    pub stream: StreamArgs,

    #[command(flatten)]
    pub resample: ResampleArgs,

    /// Stop after this long: seconds (2.5) or [h:]m:s (1:30).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub duration: Option<Duration>,

    #[command(flatten)]
    pub trigger: TriggerArgs,

    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub force: bool,

    /// Continue in the next numbered file once a file reaches this many bytes.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    pub max_file_size: Option<u64>,

    /// Continue in the next numbered file after this long: seconds or [h:]m:s.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub max_file_time: Option<Duration>,
}

/// Sound-triggered takes (`record --trigger`).
#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// Wait for sound: a take starts when the peak of any channel reaches this level (dBFS,
    /// -40dB or -40), and each take is its own numbered file (FILE-01, FILE-02, …).
    #[arg(long, value_name = "DB", value_parser = crate::stream::trigger::parse_db, allow_hyphen_values = true)]
    pub trigger: Option<f64>,

    /// A take ends after this long below the level (2s, 500ms, 1.5 or [h:]m:s).
    #[arg(long, value_name = "TIME", value_parser = parse_short_time, default_value = "2s", requires = "trigger")]
    pub hang: Duration,

    /// A take starts this long before the sound that triggered it.
    #[arg(long, value_name = "TIME", value_parser = parse_short_time, default_value = "0.5s", requires = "trigger")]
    pub pre_roll: Duration,

    /// A take lasts at least this long (a click makes no tiny file).
    #[arg(long, value_name = "TIME", value_parser = parse_short_time, default_value = "1s", requires = "trigger")]
    pub min_take: Duration,

    /// Stop after this many takes (files, with --split-on-silence).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), requires = "trigger")]
    pub takes: Option<u32>,

    /// Record everything, but start a new file at each silence: once the level has stayed
    /// below --trigger for --hang.
    #[arg(long, requires = "trigger")]
    pub split_on_silence: bool,
}

/// Play a test signal on each speaker in turn, named from the device's channel map.
///
/// Plays the signal on one channel at a time, the others silent, in the order of the device's
/// own channel map (what the driver says each channel feeds: FL FR FC LFE RL RR …), naming each
/// as it plays: "Front Left (channel 0)". A device that reports no map is played in ALSA's
/// standard order for its channel count (FL FR RL RR FC LFE SL SR), and alsatool says so.
/// On a terminal, a small layout of the speakers shows the one playing; space plays it again,
/// ←/→ move to the previous or next channel, q quits.
#[derive(Debug, Args)]
pub struct SpeakersArgs {
    #[command(flatten)]
    pub device: DeviceArg,

    /// Number of channels (default: the device's own count, or that of its largest map).
    #[arg(short = 'c', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub channels: Option<u32>,

    /// Only these channels, in this order: names from the map (FL,FR,LFE) or numbers (0,3).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub channel: Vec<String>,

    /// The test signal.
    #[arg(long, value_enum, default_value_t = SignalKind::Pink)]
    pub signal: SignalKind,

    /// Times through the channels; 0 goes on until q or Ctrl-C.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub loops: u32,

    /// How long each channel plays: 1s, 500ms, 2.5 (seconds) or m:s.
    #[arg(long, value_name = "TIME", default_value = "1s", value_parser = parse_segment_time)]
    pub duration: Duration,

    /// Level in dBFS (-18dB, -24, 0); a sine at -18 dBFS peaks there, noise has its RMS.
    #[arg(long, value_name = "DB", default_value = "-18dB", allow_hyphen_values = true, value_parser = parse_level)]
    pub level: f64,

    /// Print the map and what was played as JSON (documented in README, stable).
    #[arg(long)]
    pub json: bool,
}

/// The speaker test's signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignalKind {
    /// Pink noise from 500 Hz to 2 kHz (40-120 Hz on an LFE channel), as speaker-test's.
    Pink,
    /// A 440 Hz sine (60 Hz on an LFE channel).
    Sine,
    /// A logarithmic sweep from 20 Hz to 20 kHz (to 120 Hz on an LFE channel).
    Sweep,
}

impl SignalKind {
    pub fn signal(self) -> Signal {
        match self {
            SignalKind::Pink => Signal::Pink,
            SignalKind::Sine => Signal::Sine,
            SignalKind::Sweep => Signal::Sweep,
        }
    }
}

/// Parses a segment length: a time as [`parse_time`] takes it, or with a unit, "1s", "500ms";
/// it must be longer than nothing.
pub fn parse_segment_time(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let duration = if let Some(ms) = t.strip_suffix("ms") {
        let value: f64 = ms
            .trim()
            .parse()
            .map_err(|_| format!("'{text}' is not a time; give 1s, 500ms or 2.5"))?;
        Duration::try_from_secs_f64(value / 1000.0)
            .map_err(|_| format!("'{text}' is not a time; give 1s, 500ms or 2.5"))?
    } else {
        parse_time(t.strip_suffix('s').unwrap_or(t))?
    };
    if duration.is_zero() {
        return Err(format!("'{text}' is no time at all; give 1s, 500ms or 2.5"));
    }
    Ok(duration)
}

/// Parses a level in dBFS: "-18dB", "-18 dBFS", "-18"; from -96 to 0 (above full scale would
/// clip).
pub fn parse_level(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let number = lower
        .strip_suffix("dbfs")
        .or_else(|| lower.strip_suffix("db"))
        .unwrap_or(&lower)
        .trim();
    let value: f64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a level; give dBFS such as -18dB"))?;
    if !(-96.0..=0.0).contains(&value) {
        return Err(format!(
            "a level of {value} dBFS is out of range; give -96dB to 0dB (0 is full scale)"
        ));
    }
    Ok(value)
}

const LOOP_EXAMPLES: &str = "\
Examples:
  alsatool loop hw:1 hw:0                           monitor hw:1's input on hw:0
  alsatool loop hw:UAC2Gadget plughw:0 --silence-close 2s \\
      --on-start 'amp on' --on-stop 'amp off' \\
      --volume-from hw:UAC2Gadget:'PCM Capture' --volume-to hw:0:Master
  alsatool loop default default --record take.wav   hear it and keep it
";

/// Stream a capture device to a playback device, with drift correction and gating.
///
/// Captures IN and plays it on OUT with the chosen latency (OUT's buffer). When OUT takes IN's
/// format, channels and rate, the samples pass bit-exact; otherwise they are converted (and
/// resampled when the rates differ). The two devices' clocks drift apart: the drift is
/// measured from the fill level between them and corrected by resampling by as many ppm, once
/// the fill has moved (two devices on one clock stay bit-exact). Xruns are recovered and
/// counted, never fatal. Ctrl-C ends it with a one-line summary and exit code 0.
///
/// CONTROL is [DEVICE:]CONTROL: a control device as `mixer -d` takes it (hw:1, pulse; default
/// when left out), then a simple control as `mixer` takes it (Capture, Mic,1, 'PCM Capture').
#[derive(Debug, Args)]
#[command(after_help = LOOP_EXAMPLES)]
pub struct LoopArgs {
    /// Capture device to read (hw:1, default, pulse, …).
    #[arg(value_name = "IN")]
    pub input: String,

    /// Playback device to play on.
    #[arg(value_name = "OUT")]
    pub output: String,

    /// Latency from IN to OUT: OUT's buffer (20ms, 0.05, 1s).
    #[arg(long, value_name = "TIME", value_parser = parse_short_time, default_value = "50ms")]
    pub latency: Duration,

    /// Period of both devices (default: a quarter of the latency).
    #[arg(long, value_name = "TIME", value_parser = parse_short_time, hide_short_help = true)]
    pub period: Option<Duration>,

    // What IN runs at (default: S16_LE, stereo, 48000 Hz or the nearest IN takes).
    #[command(flatten)]
    pub spec: SpecArgs,

    /// Stop after this much audio: seconds (2.5) or [h:]m:s (1:30).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub duration: Option<Duration>,

    /// Open OUT only while IN carries sound: close it after this much digital silence (2s).
    #[arg(long, value_name = "TIME", value_parser = parse_short_time)]
    pub silence_close: Option<Duration>,

    /// Run this command (sh -c) before OUT opens.
    #[arg(long, value_name = "CMD")]
    pub on_start: Option<String>,

    /// Run this command (sh -c) after OUT closes.
    #[arg(long, value_name = "CMD")]
    pub on_stop: Option<String>,

    /// Forward this control's volume and switch ([DEVICE:]CONTROL); without --volume-to it
    /// scales the audio in software.
    #[arg(long, value_name = "CONTROL")]
    pub volume_from: Option<String>,

    /// Set this control ([DEVICE:]CONTROL) to follow the volume; without --volume-from it
    /// follows IN's own capture volume.
    #[arg(long, value_name = "CONTROL")]
    pub volume_to: Option<String>,

    /// Also write what passes through to FILE (WAV, or raw for a .raw name), crash-safe.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// Overwrite the --record FILE if it exists.
    #[arg(long, requires = "record")]
    pub force: bool,
}

/// Measure the round-trip latency from a playback device back to a capture device.
///
/// Plays a measurement signal (an 85 ms MLS burst) on OUT while capturing IN, through whatever
/// connects them (a loopback cable, snd-aloop, a sound server's monitor, a speaker and a
/// microphone), finds it again by cross-correlation, and reports the round trip in frames and
/// ms over several runs (min, median, max): the part that is ALSA's buffering (the playback
/// buffer ahead of the signal, the wait for the capture period) and the part outside it.
/// Fails with exit code 1 when the signal does not come back.
#[derive(Debug, Args)]
pub struct LatencyArgs {
    /// Playback device to play the signal on.
    #[arg(value_name = "OUT")]
    pub output: String,

    /// Capture device to listen on.
    #[arg(value_name = "IN")]
    pub input: String,

    #[command(flatten)]
    pub stream: StreamArgs,

    /// How many times to measure.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub runs: u32,

    /// Print JSON for scripts (the shape is documented in README).
    #[arg(long)]
    pub json: bool,
}
