//! `alsatool play`: plays files one after another on one open device (reopening only when the
//! format changes), or a sine tone; shows a line, a bar and a meter per file on a terminal.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::cli::{FileType, PlayArgs};
use crate::device::pcm_io::Transfer;
use crate::exit_codes::{ExitCode, UsageError};
use crate::input::open::{InputKind, RawLayout};
use crate::input::{display_name, Stopped};
use crate::progress::{clock, render_meter, Ui};
use crate::sample::peaks::accumulate_peaks;
use crate::signals::StopFlag;
use crate::spec::PcmSpec;
use crate::stream::player::{DeviceOptions, Player, RatePolicy};
use crate::stream::source::PcmSource;
use crate::stream::tone::Sine;

pub fn run(args: PlayArgs, ui: Ui) -> Result<ExitCode> {
    let options = DeviceOptions {
        device: args.device.device.clone(),
        buffer_time_us: args.stream.buffer_time,
        period_time_us: args.stream.period_time,
    };
    if let Some(frequency) = args.sine {
        if !(frequency.is_finite() && frequency > 0.0) {
            return Err(UsageError(format!(
                "--sine needs a frequency above 0 Hz, not {frequency}"
            ))
            .into());
        }
        let stop = StopFlag::install()?;
        return play_sine(frequency, args.duration, &options, &stop, ui);
    }
    let kind = match args.file_type {
        FileType::Auto => InputKind::Auto,
        FileType::Wav => InputKind::Wav,
        FileType::Raw => InputKind::Raw,
    };
    let preset = args.stream.format.and_then(|f| f.preset);
    let raw = RawLayout {
        format: args.stream.format.map(|f| f.format),
        channels: args.stream.channels.or(preset.map(|(_, c)| c)),
        rate: args.stream.rate.or(preset.map(|(r, _)| r)),
    };
    let stop = StopFlag::install()?;
    let session = Session {
        options,
        ui,
        stop: &stop,
        start: args.start,
        duration: args.duration,
    };
    match session.play_files(&args.files, kind, raw) {
        // A read or a --start skip of a stream that Ctrl-C cut short.
        Err(e) if e.is::<Stopped>() => Ok(ExitCode::Interrupted),
        result => result,
    }
}

struct Session<'a> {
    options: DeviceOptions,
    ui: Ui,
    stop: &'a StopFlag,
    start: Option<Duration>,
    duration: Option<Duration>,
}

impl Session<'_> {
    fn play_files(&self, files: &[PathBuf], kind: InputKind, raw: RawLayout) -> Result<ExitCode> {
        let mut player: Option<Player> = None;
        let mut failed = false;
        let mut xruns = 0;
        for (index, path) in files.iter().enumerate() {
            if self.stop.is_raised() {
                break;
            }
            let name = display_name(path);
            let label = if files.len() > 1 {
                format!("'{}' (file {} of {})", name, index + 1, files.len())
            } else {
                format!("'{name}'")
            };
            let mut source = match crate::input::open::open(path, kind, raw, self.stop) {
                Ok(source) => source,
                Err(_) if self.stop.is_raised() => break,
                Err(e) => {
                    // A bad file in a list: say which, and go on with the next.
                    eprintln!("alsatool: {label}: {e:#}");
                    failed = true;
                    continue;
                }
            };
            let spec = source.spec();
            if let Some(codec) = source.codec() {
                self.ui
                    .note(format!("{label}: {codec}, decoded to {}", spec.describe()));
            }
            if let Some(start) = self.start {
                source
                    .skip_frames(frames_in(start, spec.rate))
                    .with_context(|| label.clone())?;
            }
            if player.as_ref().is_some_and(|p| !p.accepts(spec)) {
                if let Some(previous) = player.take() {
                    xruns += previous.xruns.xruns;
                    if previous.finish(self.stop)? == Transfer::Stopped {
                        return Ok(ExitCode::Interrupted);
                    }
                }
            }
            let active = match &mut player {
                Some(p) => p,
                None => player.insert(
                    self.open(spec, RatePolicy::Exact, source.is_exact())
                        .with_context(|| label.clone())?,
                ),
            };
            let about = About {
                title: source.tags().and_then(|tags| tags.display()),
                codec: source.codec(),
            };
            let transfer = self
                .play_one(active, &mut source, &name, &about)
                .with_context(|| label.clone())?;
            if source.truncated() {
                self.ui.note(format!(
                    "{label}: the file ends before its header says; played what is there"
                ));
            }
            if transfer == Transfer::Stopped {
                break;
            }
            // Damage found while decoding: reported once what did decode has been played,
            // and the next file follows on the same device.
            if let Some(error) = source.decode_error() {
                eprintln!("alsatool: {label}: {error}");
                failed = true;
            }
        }
        if self.stop.is_raised() {
            if let Some(p) = player {
                p.abort();
            }
            return Ok(ExitCode::Interrupted);
        }
        if let Some(p) = player {
            xruns += p.xruns.xruns;
            if p.finish(self.stop)? == Transfer::Stopped {
                return Ok(ExitCode::Interrupted);
            }
        }
        self.report_underruns(xruns);
        Ok(if failed {
            ExitCode::Failure
        } else {
            ExitCode::Success
        })
    }

    /// Opens the device for `spec`. `exact`: the samples are the file's own (not decoded from
    /// a lossy codec), so passing them unchanged is bit-perfect playback.
    fn open(&self, spec: PcmSpec, policy: RatePolicy, exact: bool) -> Result<Player> {
        let player = Player::open(&self.options, spec, policy)?;
        let n = player.negotiated;
        self.ui.note(format!(
            "'{}': {}, {} Hz, {} channels, period {} frames, buffer {} frames",
            self.options.device, n.format, n.rate, n.channels, n.period_frames, n.buffer_frames
        ));
        match player.conversion() {
            Some(c) => self.ui.note(format!(
                "'{}' does not take {}: converting {}",
                self.options.device,
                spec.describe(),
                c.describe()
            )),
            None if exact => self
                .ui
                .note("bit-perfect: the samples go to the device unchanged"),
            None => self
                .ui
                .note("no conversion: the samples go to the device unchanged"),
        }
        Ok(player)
    }

    /// Plays one source; what `about` says goes on the status line, the title on the progress
    /// line too.
    fn play_one(
        &self,
        player: &mut Player,
        source: &mut dyn PcmSource,
        name: &str,
        about: &About,
    ) -> Result<Transfer> {
        let spec = source.spec();
        let limit = self.duration.map(|d| frames_in(d, spec.rate));
        let total = match (source.frames_left(), limit) {
            (Some(left), Some(limit)) => Some(left.min(limit)),
            (left, None) => left,
            (None, Some(limit)) => Some(limit),
        };
        let length = total
            .map(|t| format!(", {}", clock(frames_duration(t, spec.rate))))
            .unwrap_or_default();
        let title = about.title.as_deref();
        let title_part = title.map(|t| format!(" ({t})")).unwrap_or_default();
        let codec_part = about
            .codec
            .as_deref()
            .map(|c| format!("{c}, "))
            .unwrap_or_default();
        self.ui.status(format!(
            "Playing '{name}'{title_part}: {codec_part}{}{length}",
            spec.describe()
        ));
        let buffer_frames = player.negotiated.buffer_frames;
        let mut display = Display::new(&self.ui, spec, total, buffer_frames, title);
        let transfer = player.play(source, limit, self.stop, &mut |bytes, played| {
            display.update(bytes, played)
        })?;
        display.finish();
        Ok(transfer)
    }

    fn report_underruns(&self, xruns: u64) {
        if xruns > 0 {
            let text = format!(
                "{xruns} underrun{}: the device ran out of audio and was restarted",
                if xruns == 1 { "" } else { "s" }
            );
            if self.ui.live {
                self.ui.status(text);
            } else {
                self.ui.note(text);
            }
        }
    }
}

fn play_sine(
    frequency: f64,
    duration: Option<Duration>,
    options: &DeviceOptions,
    stop: &StopFlag,
    ui: Ui,
) -> Result<ExitCode> {
    // Any rate will do: ask for 48 kHz and take what the device prefers near it.
    let wanted = PcmSpec {
        format: crate::sample::format::SampleFormat::FLOAT_LE,
        channels: 1,
        rate: 48_000,
    };
    let session = Session {
        options: options.clone(),
        ui,
        stop,
        start: None,
        duration,
    };
    let mut player = session.open(wanted, RatePolicy::Nearest, false)?;
    let rate = player.negotiated.rate;
    if frequency >= f64::from(rate) / 2.0 {
        bail!(UsageError(format!(
            "a {frequency} Hz tone cannot be played at {rate} Hz; it must be below {} Hz",
            rate / 2
        )));
    }
    // The player was opened for a source at the rate the device took (RatePolicy::Nearest).
    let mut sine = Sine::new(frequency, rate, duration.map(|d| frames_in(d, rate)));
    let name = format!("{frequency} Hz sine");
    let transfer = session.play_one(&mut player, &mut sine, &name, &About::default())?;
    if transfer == Transfer::Stopped || stop.is_raised() {
        player.abort();
        return Ok(ExitCode::Interrupted);
    }
    let xruns = player.xruns.xruns;
    if player.finish(stop)? == Transfer::Stopped {
        return Ok(ExitCode::Interrupted);
    }
    session.report_underruns(xruns);
    Ok(ExitCode::Success)
}

/// What the status line says about a file besides its layout: from a decoded file's tags and
/// codec (nothing for WAV, AU, raw and tones).
#[derive(Default)]
struct About {
    /// "Artist – Title".
    title: Option<String>,
    /// "FLAC", "AAC in MP4", …
    codec: Option<String>,
}

/// The bar, times and meter for one file; does nothing (and computes nothing) when not live.
struct Display {
    live: bool,
    bar: indicatif::ProgressBar,
    spec: PcmSpec,
    total: Option<u64>,
    /// Frames written but not yet heard once the device buffer is full.
    in_flight: u64,
    peaks: Vec<f32>,
    last_draw: Option<Instant>,
    /// "Artist – Title" after the times, when the file's tags say.
    title: Option<String>,
}

impl Display {
    fn new(
        ui: &Ui,
        spec: PcmSpec,
        total: Option<u64>,
        buffer_frames: usize,
        title: Option<&str>,
    ) -> Display {
        // Times on the first line, the meter on the second (it is long with many channels).
        // A title after the times is cut to the terminal's width rather than wrapped.
        let template = match (total.is_some(), title.is_some()) {
            (true, false) => "{bar:30} {msg}\n{prefix}",
            (true, true) => "{bar:30} {wide_msg}\n{prefix}",
            (false, false) => "{spinner} {msg}\n{prefix}",
            (false, true) => "{spinner} {wide_msg}\n{prefix}",
        };
        Display {
            live: ui.live,
            bar: ui.bar(total, template),
            spec,
            total,
            in_flight: buffer_frames as u64,
            peaks: vec![0.0; spec.channels as usize],
            last_draw: None,
            title: title.map(str::to_string),
        }
    }

    fn update(&mut self, bytes: &[u8], written: u64) {
        if !self.live {
            return;
        }
        accumulate_peaks(self.spec.format, bytes, &mut self.peaks);
        if self
            .last_draw
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.last_draw = Some(Instant::now());
        // Writes block while the device buffer is full: what is heard is a buffer behind.
        let played = written.saturating_sub(self.in_flight);
        self.bar.set_position(played);
        let elapsed = clock(frames_duration(played, self.spec.rate));
        let times = match self.total {
            Some(total) => format!(
                "{elapsed} / {}  -{}",
                clock(frames_duration(total, self.spec.rate)),
                clock(frames_duration(
                    total.saturating_sub(played),
                    self.spec.rate
                ))
            ),
            None => elapsed,
        };
        match &self.title {
            Some(title) => self.bar.set_message(format!("{times}  {title}")),
            None => self.bar.set_message(times),
        }
        self.bar.set_prefix(render_meter(&self.peaks));
        self.peaks.fill(0.0);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Display {
    /// Clears the bar however playback ended (an error too), leaving the terminal clean.
    fn drop(&mut self) {
        self.finish();
    }
}

fn frames_in(duration: Duration, rate: u32) -> u64 {
    (duration.as_secs_f64() * f64::from(rate)).round() as u64
}

fn frames_duration(frames: u64, rate: u32) -> Duration {
    Duration::from_secs_f64(frames as f64 / f64::from(rate.max(1)))
}
