//! The command line: every clap type lives here and nowhere else. Subcommands receive these
//! structs at their entry point and turn them into the plain values the audio core works with,
//! through the few conversions here (`StreamArgs::requested`, `FileType::input_kind`, …).

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::open::InputKind;
use crate::output::Container;
use crate::sample::format::FormatSpec;
use crate::sample::resample::Quality;
use crate::spec::PartialSpec;
use crate::stream::speaker_test::Signal;

const EXAMPLES: &str = "\
Examples:
  alsatool devices                       list cards, PCM devices and PCM names
  alsatool devices hw:0                  what hw:0 can do
  alsatool play -d hw:CARD=PCH,DEV=0 song.wav
  alsatool play --sine 440 --duration 2
  alsatool record take.wav               Ctrl-C finishes it cleanly
  alsatool mixer set Master 50% unmute
  alsatool speakers -d hw:0 -c 6        which speaker is which, from the channel map
  alsatool loop hw:1 hw:0 --latency 20ms   live monitoring, drift corrected
  alsatool latency hw:0 hw:0             the round trip through a loopback cable
";

/// Play, record, mix and list Linux audio devices over ALSA.
///
/// One tool for what aplay, arecord and amixer do. Devices are ALSA device strings passed
/// straight to ALSA: hw:0, hw:CARD=PCH,DEV=0, plughw:1, default, pulse, null, or anything an
/// asoundrc defines.
#[derive(Debug, Parser)]
#[command(name = "alsatool", version, max_term_width = 100, after_help = EXAMPLES)]
pub struct Cli {
    /// Say more: negotiated parameters, conversions, and alsa-lib's own messages.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Show no progress bars or meters; only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List sound cards, PCM devices and PCM names, or show what one device can do.
    Devices(DevicesArgs),
    /// Play audio files (WAV, FLAC, MP3, Ogg Vorbis, M4A, AIFF, AU, CAF, raw) or a sine tone.
    Play(PlayArgs),
    /// Record from a capture device to a WAV, FLAC or raw file.
    Record(RecordArgs),
    /// Show, set and watch mixer controls.
    Mixer(MixerArgs),
    /// Play a test signal on each speaker in turn, named from the device's channel map.
    Speakers(SpeakersArgs),
    /// Stream a capture device to a playback device, with drift correction and gating.
    Loop(LoopArgs),
    /// Measure the round-trip latency from a playback device back to a capture device.
    Latency(LatencyArgs),
    /// Write shell completions and man pages (for packagers and this repository).
    #[command(hide = true)]
    Generate(GenerateArgs),
}

/// Which directions to show.
#[derive(Debug, Args)]
pub struct DirectionFilter {
    /// Show playback devices only.
    #[arg(long, conflicts_with = "capture")]
    pub playback: bool,

    /// Show capture devices only.
    #[arg(long)]
    pub capture: bool,
}

/// List sound cards, PCM devices and PCM names, or show what one device can do.
///
/// Without DEVICE: every sound card with its PCM devices, subdevices and mixer controls (what
/// `aplay -l`, `arecord -l` and `amixer scontrols` show), then every PCM name ALSA's
/// configuration defines, including those in ~/.asoundrc (what `aplay -L` shows).
///
/// With DEVICE: the formats, channels, rates, buffer and period sizes it takes for playback and
/// capture (what `aplay --dump-hw-params` shows).
#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// An ALSA device string to examine, such as hw:0, plughw:1,0 or default.
    pub device: Option<String>,

    #[command(flatten)]
    pub direction: DirectionFilter,

    /// Print JSON for scripts (the shape is documented in README and stays stable).
    #[arg(long)]
    pub json: bool,
}

/// What kind of file to read or write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileType {
    /// Decide from the file: its content when reading, its name when writing.
    Auto,
    /// RIFF WAVE.
    Wav,
    /// Headerless samples; give -f, -c and -r.
    Raw,
    /// FLAC (record only: play finds FLAC by its content).
    Flac,
}

/// The device option shared by play and record; `-D` is aplay's spelling.
#[derive(Debug, Args)]
pub struct DeviceArg {
    /// ALSA device string (hw:0, plughw:1, default, pulse, null, …).
    #[arg(
        short = 'd',
        long = "device",
        short_alias = 'D',
        value_name = "DEVICE",
        default_value = "default"
    )]
    pub device: String,
}

/// Sample format, channels and rate, as aplay and arecord take them.
#[derive(Debug, Args)]
pub struct StreamArgs {
    /// Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat.
    #[arg(short = 'f', long, value_name = "FORMAT")]
    pub format: Option<FormatSpec>,

    /// Number of channels.
    #[arg(short = 'c', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub channels: Option<u32>,

    /// Sample rate in Hz.
    #[arg(short = 'r', long, value_name = "HZ", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub rate: Option<u32>,

    /// Device buffer length in microseconds (default: 500000 or the device's maximum).
    #[arg(long, value_name = "US", hide_short_help = true)]
    pub buffer_time: Option<u32>,

    /// Device period length in microseconds (default: a quarter of the buffer).
    #[arg(long, value_name = "US", hide_short_help = true)]
    pub period_time: Option<u32>,
}

/// How the resampler works, for play and record alike.
#[derive(Debug, Args)]
pub struct ResampleArgs {
    /// Never resample (nor, for record, convert): a rate (format, channel count) the device
    /// does not take is an error that names a device that converts.
    #[arg(long, conflicts_with_all = ["device_rate", "resample_quality"])]
    pub no_resample: bool,

    /// Run the device at this rate and resample to it (or, for record, from it).
    #[arg(long, value_name = "HZ", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub device_rate: Option<u32>,

    /// Resampler quality: the length of its sinc filter.
    #[arg(long, value_enum, value_name = "QUALITY", default_value_t = ResampleQuality::Good)]
    pub resample_quality: ResampleQuality,
}

/// Resampler quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResampleQuality {
    /// Shorter filter: an earlier roll-off below the Nyquist frequency; less CPU only for rate
    /// pairs without a small FFT block (44.1 and 48 kHz have one).
    Fast,
    /// Spurious tones below -140 dB, at a fraction of the CPU of sox's `rate -v`.
    Good,
    /// Long filter in double precision: as clean as sox's `rate -v`.
    Best,
}

impl ResampleQuality {
    pub fn quality(self) -> Quality {
        match self {
            ResampleQuality::Fast => Quality::Fast,
            ResampleQuality::Good => Quality::Good,
            ResampleQuality::Best => Quality::Best,
        }
    }
}

impl StreamArgs {
    /// What `-f`, `-c` and `-r` ask for. A shortcut format (`cd`, `cdr`, `dat`) also gives the
    /// rate and channel count it stands for, unless `-r` or `-c` say otherwise.
    pub fn requested(&self) -> PartialSpec {
        let preset = self.format.and_then(|f| f.preset);
        PartialSpec {
            format: self.format.map(|f| f.format),
            channels: self.channels.or(preset.map(|(_, channels)| channels)),
            rate: self.rate.or(preset.map(|(rate, _)| rate)),
        }
    }
}

impl FileType {
    /// How `play` reads its inputs.
    pub fn input_kind(self) -> InputKind {
        match self {
            FileType::Auto => InputKind::Auto,
            FileType::Wav => InputKind::Wav,
            FileType::Raw => InputKind::Raw,
            // Play reads FLAC by its content.
            FileType::Flac => InputKind::Auto,
        }
    }

    /// What `record` writes to `path`: by its name unless the type was given.
    pub fn container_for(self, path: &Path) -> Container {
        match self {
            FileType::Auto => Container::from_name(path),
            FileType::Wav => Container::Wav,
            FileType::Raw => Container::Raw,
            FileType::Flac => Container::Flac,
        }
    }
}

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
    #[arg(long, value_name = "TIME", value_parser = crate::stream::trigger::parse_span, default_value = "2s", requires = "trigger")]
    pub hang: Duration,

    /// A take starts this long before the sound that triggered it.
    #[arg(long, value_name = "TIME", value_parser = crate::stream::trigger::parse_span, default_value = "0.5s", requires = "trigger")]
    pub pre_roll: Duration,

    /// A take lasts at least this long (a click makes no tiny file).
    #[arg(long, value_name = "TIME", value_parser = crate::stream::trigger::parse_span, default_value = "1s", requires = "trigger")]
    pub min_take: Duration,

    /// Stop after this many takes (files, with --split-on-silence).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), requires = "trigger")]
    pub takes: Option<u32>,

    /// Record everything, but start a new file at each silence: once the level has stayed
    /// below --trigger for --hang.
    #[arg(long, requires = "trigger")]
    pub split_on_silence: bool,
}

/// Show, set and watch mixer controls.
///
/// Without an action, lists the simple controls with their volumes and switches. Percentages
/// are what alsamixer shows (mapped from the control's dB range); --linear uses amixer's
/// linear raw scale instead.
#[derive(Debug, Args)]
pub struct MixerArgs {
    /// Card index or id (1, PCH); short for -d hw:CARD.
    #[arg(
        short = 'c',
        long,
        value_name = "CARD",
        global = true,
        conflicts_with = "device"
    )]
    pub card: Option<String>,

    /// Control device string (hw:0, default, pulse).
    #[arg(
        short = 'd',
        long,
        short_alias = 'D',
        value_name = "DEVICE",
        global = true
    )]
    pub device: Option<String>,

    /// Include inactive controls in the list.
    #[arg(long, global = true)]
    pub all: bool,

    /// Print JSON for scripts (documented in README, stable).
    #[arg(long, global = true)]
    pub json: bool,

    /// Percent is linear in raw steps (amixer's default) rather than alsamixer's mapped volume.
    #[arg(long, global = true)]
    pub linear: bool,

    #[command(subcommand)]
    pub action: Option<MixerAction>,
}

#[derive(Debug, Subcommand)]
pub enum MixerAction {
    /// Show everything about one control.
    Get {
        /// Simple control name with optional index: Master, Mic,1.
        control: String,
    },
    /// Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle,
    /// cap, nocap), enum items, direction words (playback, capture), channel words (front, rear).
    Set {
        /// Simple control name with optional index: Master, Mic,1.
        control: String,
        /// One or more values, as amixer takes them.
        #[arg(required = true, allow_hyphen_values = true, num_args = 1..)]
        values: Vec<String>,
    },
    /// Print every change as it happens, until Ctrl-C.
    Watch {
        /// Only this control.
        control: Option<String>,
    },
    /// A full-screen mixer like alsamixer, with dB beside alsamixer's percent.
    ///
    /// A column per control: a bar and the percent on alsamixer's mapped scale, the dB value,
    /// the mute and capture switches, or the selected item. Keys are alsamixer's: Left/Right
    /// select, Up/Down change by 1% (PgUp/PgDn 10%), Q E / Z C raise / lower one channel, M mutes,
    /// Space toggles capture, 0-9 set 0%-90%, F3 F4 F5 or Tab pick the view, F6 or S the card,
    /// / filters by name, ? helps, Esc quits (q too where it has nothing to raise). The mouse
    /// selects and its wheel changes the volume. Needs a terminal.
    Tui,
}

impl MixerArgs {
    /// `set`'s values take anything that starts with a hyphen (so `-3dB` needs no `--`), which
    /// also swallows options written after them (`set Master -3dB -c 1`). This moves those
    /// options back where they belong; `--` still ends option parsing.
    pub fn reclaim_trailing_options(&mut self) -> Result<(), String> {
        let Some(MixerAction::Set { values, .. }) = &mut self.action else {
            return Ok(());
        };
        let mut kept = Vec::new();
        let mut tokens = std::mem::take(values).into_iter();
        while let Some(token) = tokens.next() {
            if token == "--" {
                kept.extend(tokens.by_ref());
                break;
            }
            let (flag, inline) = match token.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (token.clone(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| tokens.next())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match flag.as_str() {
                "-c" | "--card" => self.card = Some(value("--card")?),
                "-d" | "-D" | "--device" => self.device = Some(value("--device")?),
                "--all" => self.all = true,
                "--json" => self.json = true,
                "--linear" => self.linear = true,
                _ => kept.push(token),
            }
        }
        if self.card.is_some() && self.device.is_some() {
            return Err("--card and --device cannot be used together".to_string());
        }
        if kept.is_empty() {
            return Err("set needs at least one value, such as 50%, -3dB, mute".to_string());
        }
        *values = kept;
        Ok(())
    }
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

    /// IN's sample format (default: S16_LE or the nearest IN takes).
    #[arg(short = 'f', long, value_name = "FORMAT")]
    pub format: Option<FormatSpec>,

    /// IN's channel count (default: 2 or the nearest).
    #[arg(short = 'c', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub channels: Option<u32>,

    /// IN's rate in Hz (default: 48000 or the nearest).
    #[arg(short = 'r', long, value_name = "HZ", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub rate: Option<u32>,

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

impl LoopArgs {
    /// What `-f`, `-c` and `-r` ask of IN (a shortcut format gives its rate and channels).
    pub fn requested(&self) -> PartialSpec {
        let preset = self.format.and_then(|f| f.preset);
        PartialSpec {
            format: self.format.map(|f| f.format),
            channels: self.channels.or(preset.map(|(_, channels)| channels)),
            rate: self.rate.or(preset.map(|(rate, _)| rate)),
        }
    }
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

/// Where to write completions and man pages.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The repository root: writes DIR/completions/ and DIR/man/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// Parses a time: plain seconds ("2", "0.25") or colon-separated "[h:]m:s" ("1:30", "1:02:03.5").
pub fn parse_time(text: &str) -> Result<Duration, String> {
    let bad = || format!("'{text}' is not a time; give seconds (2.5) or [h:]m:s (1:30)");
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() > 3 {
        return Err(bad());
    }
    let mut seconds = 0.0f64;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let value: f64 = if last {
            part.parse().map_err(|_| bad())?
        } else {
            part.parse::<u64>().map_err(|_| bad())? as f64
        };
        if !value.is_finite() || value < 0.0 {
            return Err(bad());
        }
        seconds = seconds * 60.0 + value;
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| bad())
}

/// Parses a short time: with a unit (`20ms`, `1.5s`, `500us`) or as [`parse_time`] takes it.
pub fn parse_short_time(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("'{text}' is not a time; give 20ms, 0.5s or seconds (2.5)");
    let (number, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = t.strip_suffix("us").or_else(|| t.strip_suffix("µs")) {
        (n, 1e-6)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else {
        return parse_time(t);
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    if !value.is_finite() || value < 0.0 {
        return Err(bad());
    }
    Duration::try_from_secs_f64(value * scale).map_err(|_| bad())
}

/// Parses a byte count: "1000000", or with a binary suffix "64K", "700M", "2G" (KiB, MiB, GiB).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || format!("'{text}' is not a size; give bytes (1000000) or 64K, 700M, 2G");
    let t = text.trim();
    let (digits, multiplier) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        None => (t, 1u64),
        Some((i, _)) => {
            let unit = t[i..].to_ascii_uppercase();
            let multiplier = match unit.trim_end_matches("IB").trim_end_matches('B') {
                "" => 1,
                "K" => 1 << 10,
                "M" => 1 << 20,
                "G" => 1 << 30,
                _ => return Err(bad()),
            };
            (&t[..i], multiplier)
        }
    };
    let n: u64 = digits.trim().parse().map_err(|_| bad())?;
    let bytes = n.checked_mul(multiplier).ok_or_else(bad)?;
    if bytes == 0 {
        return Err(bad());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_time("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_time("1:30"), Ok(Duration::from_secs(90)));
        assert_eq!(
            parse_time("1:02:03.5"),
            Ok(Duration::from_millis(3_723_500))
        );
        assert!(parse_time("-1").is_err());
        assert!(parse_time("abc").is_err());
        assert!(parse_time("1:2:3:4").is_err());
        assert!(parse_time("NaN").is_err());
        assert!(parse_time("inf").is_err());
    }

    #[test]
    fn loops() {
        assert_eq!(parse_loop("3"), Ok(Passes(Some(3))));
        assert_eq!(parse_loop("inf"), Ok(Passes(None)));
        assert!(parse_loop("0").is_err());
        assert!(parse_loop("x").is_err());
    }

    #[test]
    fn short_times() {
        assert_eq!(parse_short_time("20ms"), Ok(Duration::from_millis(20)));
        assert_eq!(parse_short_time("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_short_time("500us"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_short_time("0.05"), Ok(Duration::from_millis(50)));
        assert_eq!(parse_short_time("1:00"), Ok(Duration::from_secs(60)));
        assert!(parse_short_time("ms").is_err());
        assert!(parse_short_time("-1s").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("3MiB"), Ok(3 << 20));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12Q").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn speaker_levels_and_times() {
        assert_eq!(parse_level("-18dB"), Ok(-18.0));
        assert_eq!(parse_level("-6 dBFS"), Ok(-6.0));
        assert_eq!(parse_level("0"), Ok(0.0));
        assert!(parse_level("3dB").is_err());
        assert!(parse_level("loud").is_err());
        assert_eq!(parse_segment_time("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_segment_time("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_segment_time("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_segment_time("0:02"), Ok(Duration::from_secs(2)));
        assert!(parse_segment_time("0s").is_err());
        assert!(parse_segment_time("-1ms").is_err());
        let cli = Cli::try_parse_from([
            "alsatool",
            "speakers",
            "--level",
            "-24dB",
            "--channel",
            "FL,LFE",
        ])
        .unwrap();
        match cli.command {
            Command::Speakers(s) => {
                assert_eq!(s.level, -24.0);
                assert_eq!(s.channel, ["FL", "LFE"]);
                assert_eq!(s.duration, Duration::from_secs(1));
                assert_eq!(s.loops, 1);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn device_takes_aplay_spelling() {
        let cli = Cli::try_parse_from(["alsatool", "play", "-D", "hw:1", "x.wav"]).unwrap();
        match cli.command {
            Command::Play(p) => assert_eq!(p.device.device, "hw:1"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn mixer_options_go_before_or_after_the_action_and_negative_db_needs_no_dashes() {
        for argv in [
            &["alsatool", "mixer", "-c", "1", "set", "Master", "-3dB"][..],
            &["alsatool", "mixer", "set", "Master", "-3dB", "-c", "1"][..],
        ] {
            let cli = Cli::try_parse_from(argv).unwrap();
            let Command::Mixer(mut m) = cli.command else {
                panic!("not mixer")
            };
            m.reclaim_trailing_options().unwrap();
            assert_eq!(m.card.as_deref(), Some("1"), "{argv:?}");
            match m.action {
                Some(MixerAction::Set { values, .. }) => assert_eq!(values, ["-3dB"]),
                other => panic!("{other:?}"),
            }
        }
        let cli = Cli::try_parse_from([
            "alsatool", "mixer", "set", "Master", "5%", "--json", "--", "-c",
        ])
        .unwrap();
        let Command::Mixer(mut m) = cli.command else {
            panic!("not mixer")
        };
        m.reclaim_trailing_options().unwrap();
        assert!(m.json);
        match m.action {
            Some(MixerAction::Set { values, .. }) => assert_eq!(values, ["5%", "-c"]),
            other => panic!("{other:?}"),
        }
    }
}
