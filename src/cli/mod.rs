//! The command line: every clap type lives here and nowhere else. Subcommands receive these
//! structs at their entry point and turn them into the plain values the audio core works with,
//! through the few conversions here (`StreamArgs::requested`, `FileType::input_kind`, …).

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::open::InputKind;
use crate::output::Container;
use crate::sample::format::FormatSpec;
use crate::sample::resample::Quality;
use crate::spec::PartialSpec;

mod audio;
mod mixer;

pub use audio::*;
pub use mixer::*;

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
pub struct SpecArgs {
    /// Sample format: S16_LE, S24_3LE, FLOAT_LE, MU_LAW, … or cd, cdr, dat.
    #[arg(short = 'f', long, value_name = "FORMAT")]
    pub format: Option<FormatSpec>,

    /// Number of channels.
    #[arg(short = 'c', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub channels: Option<u32>,

    /// Sample rate in Hz.
    #[arg(short = 'r', long, value_name = "HZ", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub rate: Option<u32>,
}

/// The spec and the device's buffer and period, as aplay and arecord take them.
#[derive(Debug, Args)]
pub struct StreamArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

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
    /// What `-f`, `-c` and `-r` ask for (see [`SpecArgs::requested`]).
    pub fn requested(&self) -> PartialSpec {
        self.spec.requested()
    }
}

impl SpecArgs {
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

/// Where to write completions and man pages.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The repository root: writes DIR/completions/ and DIR/man/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
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
    use std::time::Duration;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn loops() {
        assert_eq!(parse_loop("3"), Ok(Passes(Some(3))));
        assert_eq!(parse_loop("inf"), Ok(Passes(None)));
        assert!(parse_loop("0").is_err());
        assert!(parse_loop("x").is_err());
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
