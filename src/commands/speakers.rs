//! `alsatool speakers`: finds the device's channel map, plays the test signal on one channel at a
//! time in that order and names each; on a terminal, a layout of the speakers and keys to steer;
//! `--json` for scripts. The signals and the loop are in `stream::speaker_test`, the map in
//! `device::chmap`, the terminal in `stream::speaker_view`.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use serde::Serialize;

use crate::cli::SpeakersArgs;
use crate::device::chmap::{self, ChannelMap, MapSource, Position};
use crate::device::negotiate::Request;
use crate::device::pcm_io::{PcmStream, Transfer};
use crate::device::Direction;
use crate::exit_codes::{ExitCode, UsageError};
use crate::progress::Ui;
use crate::sample::format::SampleFormat;
use crate::signals::StopFlag;
use crate::spec::{PartialSpec, PcmSpec};
use crate::stream::speaker_test::{Control, Listener, Outcome, Plan, Segment, SpeakerTest};
use crate::stream::speaker_view::{layout, Screen};

/// On a terminal, a short buffer, so that what is heard is what the layout shows and a key is
/// heard at once (the default buffer is half a second).
const LIVE_BUFFER_US: u32 = 150_000;

pub fn run(args: SpeakersArgs, ui: Ui) -> Result<ExitCode> {
    let device = args.device.device.clone();
    let stop = StopFlag::install()?;
    let probe = chmap::probe(&device)?;
    let channels = chmap::choose_channels(args.channels, &probe);
    let keys = ui.live && keys_can_be_read();
    let request = Request {
        exact: PartialSpec {
            channels: Some(channels),
            ..PartialSpec::default()
        },
        // Any rate will do; float keeps the level exact where the device takes it.
        preferred: PcmSpec {
            format: SampleFormat::FLOAT_LE,
            channels,
            rate: 48_000,
        },
        fallback: false,
        buffer_time_us: ui.live.then_some(LIVE_BUFFER_US),
        period_time_us: None,
    };
    let mut stream = PcmStream::open(&device, Direction::Playback, &request, stop.clone())?;
    let n = stream.negotiated;
    ui.note(format!(
        "'{device}': {}, {} Hz, {} channels, period {} frames, buffer {} frames",
        n.spec.format, n.spec.rate, n.spec.channels, n.period_frames, n.buffer_frames
    ));
    let map = chmap::resolve(channels, stream.channel_map(), &probe.offered);
    let order = if args.channel.is_empty() {
        (0..channels as usize).collect()
    } else {
        map.select(&args.channel).map_err(UsageError)?
    };
    let plan = Plan {
        signal: args.signal.signal(),
        level_db: args.level,
        segment: args.duration,
        order,
        loops: args.loops,
    };

    let map_line = format!(
        "Channel map of '{device}': {} ({})",
        map.short_names(),
        source_text(&map, &probe)
    );
    // Plain lines go to stdout unless they would land on the terminal the layout is drawn on.
    let shares_terminal = ui.live && std::io::stdout().is_terminal();
    let plain = !args.json && !shares_terminal;
    if ui.live {
        ui.status(&map_line);
    }
    if plain {
        let _ = writeln!(std::io::stdout(), "{map_line}");
    }
    let mut view = View {
        positions: &map.positions,
        loops: plan.loops,
        plain,
        emphasis: std::env::var_os("NO_COLOR").is_none(),
        screen: ui.live.then(|| Screen::new(keys)),
    };

    let mut played = Vec::new();
    let outcome = SpeakerTest::new(&mut stream, &plan, &map.positions).run(&mut view, &mut played);
    // The terminal is given back before anything else is said (an error too).
    drop(view);
    let xruns = stream.counts().xruns;
    if xruns > 0 {
        ui.note(format!(
            "{xruns} underrun(s): the device ran out of audio and was restarted"
        ));
    }
    let outcome = match outcome? {
        Outcome::Finished => match stream.drain()? {
            Transfer::Complete => Outcome::Finished,
            Transfer::Stopped => Outcome::Interrupted,
        },
        other => {
            stream.abort();
            other
        }
    };
    if args.json {
        let report = Report::new(&device, &n.spec, &map, &plan, &played, outcome);
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        out.flush()?;
    }
    Ok(match outcome {
        Outcome::Finished | Outcome::Quit => ExitCode::Success,
        Outcome::Interrupted => ExitCode::Interrupted,
    })
}

/// Whether standard input is a terminal that keys can be read from: not when this is a background
/// job of it, where raw mode and reads would stop the process (SIGTTOU, SIGTTIN). A terminal
/// that is not our controlling one (tcgetpgrp fails) sends no such signals.
fn keys_can_be_read() -> bool {
    if !std::io::stdin().is_terminal() {
        return false;
    }
    // SAFETY: plain queries of this process and of descriptor 0.
    let (terminal_group, own_group) = unsafe { (libc::tcgetpgrp(0), libc::getpgrp()) };
    terminal_group == -1 || terminal_group == own_group
}

/// Where the map came from, in words.
fn source_text(map: &ChannelMap, probe: &chmap::Probe) -> String {
    match map.source {
        MapSource::Device => "from the device".to_string(),
        MapSource::Standard if probe.offered.is_empty() => {
            "ALSA's standard order; the device reports none".to_string()
        }
        MapSource::Standard => {
            let mut counts: Vec<usize> = probe.offered.iter().map(|o| o.positions.len()).collect();
            counts.sort_unstable();
            counts.dedup();
            let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
            format!(
                "ALSA's standard order; the device has maps for {} channels only",
                counts.join(", ")
            )
        }
    }
}

/// "Front Left (channel 0)".
fn channel_name(positions: &[Position], channel: usize) -> String {
    let name = positions
        .get(channel)
        .map_or_else(|| "Unknown".to_string(), |p| p.long_name());
    format!("{name} (channel {channel})")
}

/// What the user sees while it plays: plain lines, or the layout redrawn on a terminal.
struct View<'a> {
    positions: &'a [Position],
    loops: u32,
    plain: bool,
    emphasis: bool,
    screen: Option<Screen>,
}

impl Listener for View<'_> {
    fn starting(&mut self, channel: usize, pass: u32) {
        let name = channel_name(self.positions, channel);
        if self.plain {
            let _ = writeln!(std::io::stdout(), "{name}");
        }
        if let Some(screen) = &mut self.screen {
            let mut lines = layout(self.positions, Some(channel), self.emphasis);
            let pass_text = match self.loops {
                1 => String::new(),
                0 => format!("  (loop {pass})"),
                n => format!("  (loop {pass} of {n})"),
            };
            lines.push(String::new());
            lines.push(format!("Playing: {name}{pass_text}"));
            if screen.reads_keys() {
                lines.push("space: again   \u{2190}/\u{2192}: previous/next   q: quit".to_string());
            }
            screen.draw(&lines);
        }
    }

    fn control(&mut self) -> Option<Control> {
        self.screen.as_mut().and_then(Screen::key)
    }
}

/// `--json`: the map and what was played.
#[derive(Serialize)]
struct Report {
    device: String,
    format: String,
    rate: u32,
    channels: u32,
    map: MapReport,
    signal: &'static str,
    level_db: f64,
    duration_s: f64,
    loops: u32,
    played: Vec<PlayedReport>,
    outcome: &'static str,
}

#[derive(Serialize)]
struct MapReport {
    source: &'static str,
    kind: Option<&'static str>,
    channels: Vec<ChannelReport>,
}

#[derive(Serialize)]
struct ChannelReport {
    channel: usize,
    position: String,
    name: String,
}

#[derive(Serialize)]
struct PlayedReport {
    channel: usize,
    position: String,
    name: String,
    #[serde(rename = "loop")]
    pass: u32,
    complete: bool,
}

impl Report {
    fn new(
        device: &str,
        spec: &PcmSpec,
        map: &ChannelMap,
        plan: &Plan,
        played: &[Segment],
        outcome: Outcome,
    ) -> Report {
        let describe = |channel: usize| {
            let position = map
                .positions
                .get(channel)
                .copied()
                .unwrap_or(Position::UNKNOWN);
            (position.short_name(), position.long_name())
        };
        Report {
            device: device.to_string(),
            format: spec.format.to_string(),
            rate: spec.rate,
            channels: spec.channels,
            map: MapReport {
                source: match map.source {
                    MapSource::Device => "device",
                    MapSource::Standard => "standard",
                },
                kind: map.kind.map(|k| k.name()),
                channels: (0..map.positions.len())
                    .map(|channel| {
                        let (position, name) = describe(channel);
                        ChannelReport {
                            channel,
                            position,
                            name,
                        }
                    })
                    .collect(),
            },
            signal: plan.signal.name(),
            level_db: plan.level_db,
            duration_s: plan.segment.as_secs_f64(),
            loops: plan.loops,
            played: played
                .iter()
                .map(|p| {
                    let (position, name) = describe(p.channel);
                    PlayedReport {
                        channel: p.channel,
                        position,
                        name,
                        pass: p.pass,
                        complete: p.complete,
                    }
                })
                .collect(),
            outcome: match outcome {
                Outcome::Finished => "finished",
                Outcome::Quit => "quit",
                Outcome::Interrupted => "interrupted",
            },
        }
    }
}
