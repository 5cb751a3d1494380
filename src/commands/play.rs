//! `alsatool play`: plays files one after another on one open device (reopening only when the
//! format changes), or a sine tone; shows a line, a bar and a meter per file on a terminal, and
//! a warning for every underrun, terminal or not.
//!
//! Steered while it plays ([`crate::stream::control`]): keys on a terminal, SIGUSR1/SIGUSR2 and
//! `--control FIFO` pause, seek, skip, quit and retune the tone; `--loop` repeats the list.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::cli::PlayArgs;
use crate::device::pcm_io::{Transfer, XrunCount};
use crate::device::Direction;
use crate::exit_codes::{ExitCode, UsageError};
use crate::input::open::{AudioSource, InputKind};
use crate::input::{display_name, Stopped};
use crate::progress::{clock, Ui};
use crate::sample::format::SampleFormat;
use crate::signals::StopFlag;
use crate::spec::{frames_duration, frames_in, PartialSpec, PcmSpec};
use crate::stream::control::{Controls, Playlist, Status};
use crate::stream::keys::{KeyMode, Keys};
use crate::stream::meter::{Meter, REDRAW};
use crate::stream::player::{DeviceOptions, Ending, Played, Player, ResamplePolicy};
use crate::stream::source::PcmSource;
use crate::stream::tone::{Sine, Tuner};

mod steer;

use steer::{FileEnd, Steer};

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
    let stdin_is_audio = args.files.iter().any(|f| f == Path::new("-"));
    if stdin_is_audio && args.loop_count.is_some() {
        return Err(UsageError(
            "--loop cannot play standard input ('-') again; give files".to_string(),
        )
        .into());
    }
    let stop = StopFlag::install()?;
    // Dropped when this returns, however playing ended (before main prints an error): the
    // keys' raw mode is undone then.
    let mut controls = Controls::new();
    controls.watch_signals()?;
    if let Some(path) = &args.control {
        controls.watch_fifo(path)?;
    }
    // Standard input is either the audio or the keys, never both.
    if !stdin_is_audio {
        let mode = match args.sine {
            Some(_) => KeyMode::Tone,
            None => KeyMode::Files,
        };
        if let Some(keys) = Keys::start(
            mode,
            controls.sender(),
            controls.status.clone(),
            stop.clone(),
        )? {
            controls.keep_keys(Box::new(keys));
        }
    }
    let mut session = Session {
        options,
        ui,
        stop: &stop,
        start: args.start,
        duration: args.duration,
        underruns: XrunCount::default(),
        controls: &controls,
        passes: args.loop_count.map_or(Some(1), |l| l.0),
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
    /// Underruns and suspends on devices already closed.
    underruns: XrunCount,
    /// What steers playback.
    controls: &'a Controls,
    /// Times through the file list (`None`: until stopped).
    passes: Option<u64>,
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
        let mut playlist = Playlist::new(files.len(), self.passes);
        // A pass in which nothing played ends a loop (a list of files that all fail).
        let (mut pass, mut played_in_pass) = (0, false);
        while let Some(index) = playlist.current() {
            if playlist.pass() != pass {
                if !played_in_pass {
                    break;
                }
                (pass, played_in_pass) = (playlist.pass(), false);
            }
            let path = &files[index];
            let name = display_name(path);
            let label = if files.len() > 1 {
                format!("'{}' (file {} of {})", name, index + 1, files.len())
            } else {
                format!("'{name}'")
            };
            let stop = self.stop;
            let open = || crate::input::open::open(path, kind, raw, stop);
            let mut source = match open() {
                Ok(source) => source,
                Err(e) if e.is::<Stopped>() => return self.interrupted(player),
                Err(e) => {
                    // A bad file in a list: say which, and go on with the next.
                    eprintln!("alsatool: {label}: {e:#}");
                    failed = true;
                    playlist.next();
                    continue;
                }
            };
            let spec = source.spec();
            if let Some(codec) = source.codec() {
                self.ui
                    .note(format!("{label}: {codec}, decoded to {}", spec.describe()));
            }
            let mut start_at = 0;
            if let Some(start) = self.start {
                match source.skip_frames(frames_in(start, spec.rate)) {
                    Ok(skipped) => start_at = skipped,
                    // Ctrl-C while skipping through a pipe.
                    Err(e) if e.is::<Stopped>() => return self.interrupted(player),
                    Err(e) => return Err(e.context(label)),
                }
            }
            // Paused stays paused into the next file, on a device opened again too.
            let mut holding = false;
            if player.as_ref().is_some_and(|p| !p.accepts(spec)) {
                if let Some(previous) = player.take() {
                    holding = previous.is_holding();
                    if self.close(previous)? == Transfer::Stopped {
                        return Ok(ExitCode::Interrupted);
                    }
                }
            }
            let active = match &mut player {
                Some(p) => p,
                None => {
                    let mut opened = self
                        .open(spec, false, source.is_exact())
                        .with_context(|| label.clone())?;
                    opened.hold(holding);
                    player.insert(opened)
                }
            };
            let about = About {
                title: source.tags().and_then(|tags| tags.display()),
                codec: source.codec(),
            };
            // Standard input cannot be opened again to seek back.
            let reopen: Option<&dyn Fn() -> Result<AudioSource>> =
                (path != Path::new("-")).then_some(&open);
            let steer = Steer {
                reopen,
                tuner: None,
                start_at,
            };
            let end = self
                .play_one(active, &mut source, steer, &name, &about)
                .with_context(|| label.clone())?;
            if source.truncated() {
                self.ui.note(format!(
                    "{label}: the file ends before its header says; played what is there"
                ));
            }
            played_in_pass = true;
            match end {
                FileEnd::Done(Transfer::Stopped) => return self.interrupted(player),
                FileEnd::Done(Transfer::Complete) | FileEnd::Next => playlist.next(),
                FileEnd::Previous => playlist.previous(),
                FileEnd::Quit => {
                    // At once, and the rest skipped: what is queued is dropped.
                    if let Some(p) = player.take() {
                        self.count_underruns(&p);
                        p.abort();
                    }
                    break;
                }
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
        let tuner = sine.tuner();
        let name = format!("{frequency} Hz sine");
        let steer = Steer {
            reopen: None,
            tuner: Some(&tuner),
            start_at: 0,
        };
        match self.play_one(&mut player, &mut sine, steer, &name, &About::default())? {
            FileEnd::Done(Transfer::Stopped) => return self.interrupted(Some(player)),
            FileEnd::Quit => {
                self.count_underruns(&player);
                player.abort();
                self.report_underruns();
                return Ok(ExitCode::Success);
            }
            FileEnd::Done(Transfer::Complete) | FileEnd::Next | FileEnd::Previous => {}
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
        let mut player = Player::open(&self.options, spec, any_rate, self.stop)?;
        if !player.can_pause() {
            player.enable_pause();
            self.ui.note(format!(
                "'{}' cannot pause: a pause drops what is queued and plays it again on resume",
                self.options.device
            ));
        }
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
        self.count_underruns(&player);
        player.finish()
    }

    fn count_underruns(&mut self, player: &Player) {
        let counts = player.counts();
        self.underruns.xruns += counts.xruns;
        self.underruns.suspends += counts.suspends;
        self.underruns.lost += counts.lost;
    }

    /// Ctrl-C: drops what is buffered and says so in the exit code.
    fn interrupted(&self, player: Option<Player>) -> Result<ExitCode> {
        if let Some(p) = player {
            p.abort();
        }
        Ok(ExitCode::Interrupted)
    }

    /// Plays one source; what `about` says goes on the status line, the title on the progress
    /// line too. Commands from the controls are acted on here: seeks (through `steer.reopen`
    /// for a seek back), the meter, the keys' help, a tone's frequency (`steer.tuner`).
    fn play_one<S: PcmSource>(
        &self,
        player: &mut Player,
        source: &mut S,
        steer: Steer<S>,
        name: &str,
        about: &About,
    ) -> Result<FileEnd> {
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
        let keys_part = if self.controls.has_keys() {
            "  (? for keys)"
        } else {
            ""
        };
        let resampling = player
            .adapter()
            .map(|a| format!("; resampling {} → {} Hz", a.from().rate, a.to().rate))
            .unwrap_or_default();
        self.ui.status(format!(
            "Playing '{name}'{title_part}: {codec_part}{}{length}{resampling}{keys_part}",
            spec.describe()
        ));
        // Frames in the device buffer, counted at the source's rate.
        let n = player.negotiated();
        let buffer_frames = (n.buffer_frames as u64 * u64::from(spec.rate)
            / u64::from(n.spec.rate.max(1))) as usize;
        // The bar runs over the whole file: a seek moves along it.
        let whole = total.map(|t| t + steer.start_at);
        let mut display = Display::new(&self.ui, spec, whole, buffer_frames, title);
        display.status = Some(self.controls.status.clone());
        display.tuner = steer.tuner.cloned();
        display.seeked(steer.start_at);
        // The next frame to read, counted from the start of the file; and frames played.
        let mut position = steer.start_at;
        let mut played_all = 0;
        loop {
            let left = limit.map(|limit| limit.saturating_sub(played_all));
            let mut played = 0;
            let base = position;
            let ending = player.play_steered(source, left, self.controls, &mut |p| {
                played = p.frames;
                display.update(base, p);
            })?;
            position += played;
            played_all += played;
            let command = match ending {
                Ending::Transfer(transfer) => {
                    display.finish();
                    return Ok(FileEnd::Done(transfer));
                }
                Ending::Command(command) => command,
            };
            if let Some(end) =
                self.act(command, player, source, &steer, &mut position, &mut display)?
            {
                return Ok(end);
            }
        }
    }

    /// On a terminal, the count of the gaps after the one warning line each had.
    fn report_underruns(&self) {
        let XrunCount {
            xruns,
            suspends,
            lost,
        } = self.underruns;
        if xruns == 0 && suspends == 0 {
            return;
        }
        let suspended = match suspends {
            0 => String::new(),
            n => format!(" and {n} suspend{}", if n == 1 { "" } else { "s" }),
        };
        self.ui.status(format!(
            "{xruns} underrun{}{suspended}: about {:.1} s of silence in all",
            if xruns == 1 { "" } else { "s" },
            lost.as_secs_f64()
        ));
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
    /// What the controls say (paused, digits typed); a tone's frequency.
    status: Option<Arc<Status>>,
    tuner: Option<Arc<Tuner>>,
    /// The meter is shown (`m` toggles it).
    meter_shown: bool,
    /// The first frame after the last seek: what is heard is never shown before it.
    floor: u64,
    /// A note for the status line, until it expires.
    notice: Option<(String, Instant)>,
    /// Whether the current pause has been noted (-v).
    pause_noted: bool,
    /// The frame last shown as heard.
    heard: u64,
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
            status: None,
            tuner: None,
            meter_shown: true,
            floor: 0,
            notice: None,
            pause_noted: false,
            heard: 0,
        }
    }

    /// `played` counts from `base`, a frame of the file.
    fn update(&mut self, base: u64, played: Played) {
        for (gap, at) in played.gaps {
            let position = frames_duration(base + *at, self.spec.rate);
            self.ui
                .warn(&self.bar, gap.describe(Direction::Playback, position));
        }
        let paused = self.status.as_ref().and_then(|s| s.paused());
        match paused {
            Some((unheard, emulated)) if !self.pause_noted => {
                self.pause_noted = true;
                let at = (base + played.frames).saturating_sub(unheard);
                let how = if emulated { ", emulated" } else { "" };
                self.note(&format!(
                    "paused at {} (frame {at}{how})",
                    clock(frames_duration(at, self.spec.rate))
                ));
            }
            Some(_) => {}
            None => self.pause_noted = false,
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
        let heard = (base + played.frames)
            .saturating_sub(self.in_flight)
            .max(self.floor);
        let meter = self.meter.take().unwrap_or_default();
        self.draw(heard, Some(meter));
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
