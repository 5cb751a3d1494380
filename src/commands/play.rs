//! `alsatool play`: plays files one after another on one open device (reopening only when the
//! format changes), or a sine tone; shows a line, a bar and a meter per file on a terminal, and
//! a warning for every underrun, terminal or not.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::cli::PlayArgs;
use crate::device::pcm_io::Transfer;
use crate::device::Direction;
use crate::exit_codes::{ExitCode, UsageError};
use crate::input::reader::{self, InputKind};
use crate::progress::{clock, Ui};
use crate::sample::format::SampleFormat;
use crate::signals::StopFlag;
use crate::spec::{frames_duration, frames_in, PartialSpec, PcmSpec};
use crate::stream::meter::{Meter, REDRAW};
use crate::stream::player::{DeviceOptions, Played, Player, ResamplePolicy};
use crate::stream::source::PcmSource;
use crate::stream::tone::Sine;

pub fn run(args: PlayArgs, ui: Ui) -> Result<ExitCode> {
    let options = DeviceOptions {
        device: args.device.device.clone(),
        buffer_time_us: args.stream.buffer_time,
        period_time_us: args.stream.period_time,
        resample: ResamplePolicy {
            refuse: args.resample.no_resample,
            quality: args.resample.resample_quality.quality(),
            device_rate: args.resample.device_rate,
        },
    };
    if let Some(frequency) = args.sine {
        if !(frequency.is_finite() && frequency > 0.0) {
            return Err(UsageError(format!(
                "--sine needs a frequency above 0 Hz, not {frequency}"
            ))
            .into());
        }
    }
    let stop = StopFlag::install()?;
    let mut session = Session {
        options,
        ui,
        stop: &stop,
        start: args.start,
        duration: args.duration,
        underruns: 0,
    };
    match args.sine {
        Some(frequency) => session.play_sine(frequency),
        None => session.play_files(
            &args.files,
            args.file_type.input_kind(),
            args.stream.requested(),
        ),
    }
}

struct Session<'a> {
    options: DeviceOptions,
    ui: Ui,
    stop: &'a StopFlag,
    start: Option<Duration>,
    duration: Option<Duration>,
    /// Underruns on devices already closed.
    underruns: u64,
}

impl Session<'_> {
    fn play_files(
        &mut self,
        files: &[PathBuf],
        kind: InputKind,
        raw: PartialSpec,
    ) -> Result<ExitCode> {
        let mut player: Option<Player> = None;
        let mut failed = false;
        for (index, path) in files.iter().enumerate() {
            let name = reader::display_name(path);
            let label = if files.len() > 1 {
                format!("'{}' (file {} of {})", name, index + 1, files.len())
            } else {
                format!("'{name}'")
            };
            let mut source = match crate::input::open::open(path, kind, raw_layout(raw), self.stop)
            {
                Ok(source) => source,
                Err(_) if self.stop.is_raised() => return self.interrupted(player),
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
                match source.skip_frames(frames_in(start, spec.rate)) {
                    Ok(_) => {}
                    // Ctrl-C while skipping through a pipe.
                    Err(_) if self.stop.is_raised() => return self.interrupted(player),
                    Err(e) => return Err(e.context(label)),
                }
            }
            if player.as_ref().is_some_and(|p| !p.accepts(spec)) {
                if let Some(previous) = player.take() {
                    if self.close(previous)? == Transfer::Stopped {
                        return Ok(ExitCode::Interrupted);
                    }
                }
            }
            let active = match &mut player {
                Some(p) => p,
                None => player.insert(
                    self.open(spec, false, source.is_exact())
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
                return self.interrupted(player);
            }
            // Damage found while decoding: reported once what did decode has been played,
            // and the next file follows on the same device.
            if let Some(error) = source.decode_error() {
                eprintln!("alsatool: {label}: {error}");
                failed = true;
            }
        }
        if let Some(p) = player {
            if self.close(p)? == Transfer::Stopped {
                return Ok(ExitCode::Interrupted);
            }
        }
        self.report_underruns();
        Ok(if failed {
            ExitCode::Failure
        } else {
            ExitCode::Success
        })
    }

    fn play_sine(&mut self, frequency: f64) -> Result<ExitCode> {
        // Any rate will do: ask for 48 kHz and take what the device prefers near it.
        let wanted = PcmSpec {
            format: SampleFormat::FLOAT_LE,
            channels: 1,
            rate: 48_000,
        };
        let mut player = self.open(wanted, true, false)?;
        let rate = player.negotiated().spec.rate;
        if frequency >= f64::from(rate) / 2.0 {
            bail!(UsageError(format!(
                "a {frequency} Hz tone cannot be played at {rate} Hz; it must be below {} Hz",
                rate / 2
            )));
        }
        // The player was opened for a source at the rate the device took.
        let mut sine = Sine::new(frequency, rate, self.duration.map(|d| frames_in(d, rate)));
        let name = format!("{frequency} Hz sine");
        let transfer = self.play_one(&mut player, &mut sine, &name, &About::default())?;
        if transfer == Transfer::Stopped {
            return self.interrupted(Some(player));
        }
        if self.close(player)? == Transfer::Stopped {
            return Ok(ExitCode::Interrupted);
        }
        self.report_underruns();
        Ok(ExitCode::Success)
    }

    /// Opens the device for `spec` (at any rate near it, for a tone). `exact`: the samples are
    /// the file's own (not decoded from a lossy codec), so passing them unchanged is
    /// bit-perfect playback.
    fn open(&self, spec: PcmSpec, any_rate: bool, exact: bool) -> Result<Player> {
        let player = Player::open(&self.options, spec, any_rate, self.stop)?;
        let n = player.negotiated();
        self.ui.note(format!(
            "'{}': {}, {} Hz, {} channels, period {} frames, buffer {} frames",
            self.options.device,
            n.spec.format,
            n.spec.rate,
            n.spec.channels,
            n.period_frames,
            n.buffer_frames
        ));
        match (player.adapter(), player.conversion()) {
            (Some(a), _) if self.options.resample.device_rate.is_some() => self.ui.note(format!(
                "'{}' runs at {} Hz (--device-rate): {}",
                self.options.device,
                n.spec.rate,
                a.describe()
            )),
            (Some(a), _) => self.ui.note(format!(
                "'{}' does not take {} Hz: {}",
                self.options.device,
                spec.rate,
                a.describe()
            )),
            (None, Some(c)) => self.ui.note(format!(
                "'{}' does not take {}: converting {}",
                self.options.device,
                spec.describe(),
                c.describe()
            )),
            (None, None) if exact => self
                .ui
                .note("bit-perfect: the samples go to the device unchanged"),
            (None, None) => self
                .ui
                .note("no conversion: the samples go to the device unchanged"),
        }
        Ok(player)
    }

    /// Plays out what `player` holds and closes it, counting its underruns.
    fn close(&mut self, player: Player) -> Result<Transfer> {
        self.underruns += player.counts().xruns;
        player.finish()
    }

    /// Ctrl-C: drops what is buffered and says so in the exit code.
    fn interrupted(&self, player: Option<Player>) -> Result<ExitCode> {
        if let Some(p) = player {
            p.abort();
        }
        Ok(ExitCode::Interrupted)
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
        let resampling = player
            .adapter()
            .map(|a| format!("; resampling {} → {} Hz", a.from().rate, a.to().rate))
            .unwrap_or_default();
        self.ui.status(format!(
            "Playing '{name}'{title_part}: {codec_part}{}{length}{resampling}",
            spec.describe()
        ));
        // Frames in the device buffer, counted at the source's rate.
        let n = player.negotiated();
        let buffer_frames = (n.buffer_frames as u64 * u64::from(spec.rate)
            / u64::from(n.spec.rate.max(1))) as usize;
        let mut display = Display::new(&self.ui, spec, total, buffer_frames, title);
        let transfer = player.play(source, limit, &mut |played| display.update(played))?;
        display.finish();
        Ok(transfer)
    }

    fn report_underruns(&self) {
        let xruns = self.underruns;
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

/// What the status line says about a file besides its layout: from a decoded file's tags and
/// codec (nothing for WAV, AU, raw and tones).
#[derive(Default)]
struct About {
    /// "Artist – Title".
    title: Option<String>,
    /// "FLAC", "AAC in MP4", …
    codec: Option<String>,
}

/// The bar, times and meter for one file, and the warnings for its underruns. Computes nothing
/// for the bar and meter when not live.
struct Display {
    ui: Ui,
    bar: indicatif::ProgressBar,
    meter: Meter,
    spec: PcmSpec,
    total: Option<u64>,
    /// Frames written but not yet heard once the device buffer is full.
    in_flight: u64,
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
            ui: *ui,
            bar: ui.bar(total, template),
            meter: Meter::new(spec, ui.live),
            spec,
            total,
            in_flight: buffer_frames as u64,
            last_draw: None,
            title: title.map(str::to_string),
        }
    }

    fn update(&mut self, played: Played) {
        for (gap, at) in played.gaps {
            let position = frames_duration(*at, self.spec.rate);
            self.ui
                .warn(&self.bar, gap.describe(Direction::Playback, position));
        }
        if !self.ui.live {
            return;
        }
        self.meter.add(played.bytes);
        if self.last_draw.is_some_and(|t| t.elapsed() < REDRAW) {
            return;
        }
        self.last_draw = Some(Instant::now());
        // Writes block while the device buffer is full: what is heard is a buffer behind.
        let heard = played.frames.saturating_sub(self.in_flight);
        self.bar.set_position(heard);
        let elapsed = clock(frames_duration(heard, self.spec.rate));
        let times = match self.total {
            Some(total) => format!(
                "{elapsed} / {}  -{}",
                clock(frames_duration(total, self.spec.rate)),
                clock(frames_duration(total.saturating_sub(heard), self.spec.rate))
            ),
            None => elapsed,
        };
        match &self.title {
            Some(title) => self.bar.set_message(format!("{times}  {title}")),
            None => self.bar.set_message(times),
        }
        self.bar.set_prefix(self.meter.take().unwrap_or_default());
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

fn raw_layout(raw: PartialSpec) -> crate::input::reader::RawLayout {
    crate::input::reader::RawLayout {
        format: raw.format,
        channels: raw.channels,
        rate: raw.rate,
    }
}
