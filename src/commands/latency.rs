//! `alsatool latency OUT IN`: the options become a [`LatencyConfig`]; the measurement
//! ([`crate::stream::roundtrip`]) runs; this file prints the figures as text or JSON.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::cli::LatencyArgs;
use crate::device::negotiate::Negotiated;
use crate::exit_codes::ExitCode;
use crate::progress::Ui;
use crate::sample::format::channels_label;
use crate::signals::StopFlag;
use crate::stream::roundtrip::{self, LatencyConfig, Measurement};

pub fn run(args: LatencyArgs, ui: Ui) -> Result<ExitCode> {
    let config = LatencyConfig {
        output: args.output.clone(),
        input: args.input.clone(),
        requested: args.stream.requested(),
        buffer_time_us: args.stream.buffer_time,
        period_time_us: args.stream.period_time,
        runs: args.runs as usize,
    };
    let stop = StopFlag::install()?;
    ui.status(format!(
        "Measuring the round trip from '{}' to '{}' ({} runs)",
        args.output.escape_debug(),
        args.input.escape_debug(),
        args.runs
    ));
    let measurement = roundtrip::measure(&config, &stop)?;
    if measurement.stopped {
        return Ok(ExitCode::Interrupted);
    }
    let report = LatencyReport::of(&args, &measurement);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report.text())?;
    }
    out.flush()?;
    if measurement.missing > 0 {
        eprintln!(
            "alsatool: warning: {} of {} runs did not come back",
            measurement.missing, args.runs
        );
    }
    Ok(ExitCode::Success)
}

/// The JSON shape (documented in README).
#[derive(Serialize)]
struct LatencyReport<'a> {
    output: &'a str,
    input: &'a str,
    rate: u32,
    playback: DeviceSetup,
    capture: DeviceSetup,
    runs: Vec<RunReport>,
    missing_runs: usize,
    total: Spread,
    alsa: Spread,
    outside: Spread,
}

#[derive(Serialize)]
struct DeviceSetup {
    format: String,
    channels: u32,
    period_frames: usize,
    buffer_frames: usize,
}

#[derive(Serialize)]
struct RunReport {
    total_frames: i64,
    alsa_frames: i64,
    outside_frames: i64,
    score: f64,
}

#[derive(Serialize)]
struct Spread {
    min_frames: i64,
    median_frames: i64,
    max_frames: i64,
    min_ms: f64,
    median_ms: f64,
    max_ms: f64,
}

impl Spread {
    fn of(values: &[i64], rate: u32) -> Spread {
        let (min, median, max) = roundtrip::spread(values).unwrap_or((0, 0, 0));
        let ms = |frames: i64| (frames as f64 * 1e5 / f64::from(rate.max(1))).round() / 100.0;
        Spread {
            min_frames: min,
            median_frames: median,
            max_frames: max,
            min_ms: ms(min),
            median_ms: ms(median),
            max_ms: ms(max),
        }
    }
}

impl DeviceSetup {
    fn of(n: &Negotiated) -> DeviceSetup {
        DeviceSetup {
            format: n.spec.format.to_string(),
            channels: n.spec.channels,
            period_frames: n.period_frames,
            buffer_frames: n.buffer_frames,
        }
    }
}

impl<'a> LatencyReport<'a> {
    fn of(args: &'a LatencyArgs, m: &Measurement) -> LatencyReport<'a> {
        let rate = m.capture.spec.rate;
        let pick = |f: fn(&roundtrip::Run) -> i64| m.runs.iter().map(f).collect::<Vec<_>>();
        LatencyReport {
            output: &args.output,
            input: &args.input,
            rate,
            playback: DeviceSetup::of(&m.playback),
            capture: DeviceSetup::of(&m.capture),
            runs: m
                .runs
                .iter()
                .map(|r| RunReport {
                    total_frames: r.total,
                    alsa_frames: r.alsa,
                    outside_frames: r.outside,
                    score: (r.score * 1000.0).round() / 1000.0,
                })
                .collect(),
            missing_runs: m.missing,
            total: Spread::of(&pick(|r| r.total), rate),
            alsa: Spread::of(&pick(|r| r.alsa), rate),
            outside: Spread::of(&pick(|r| r.outside), rate),
        }
    }

    fn text(&self) -> String {
        let t = &self.total;
        let mut text = format!(
            "Round trip '{}' -> '{}': {} frames, {:.2} ms (median of {} runs; min {}, max {})\n",
            self.output.escape_debug(),
            self.input.escape_debug(),
            t.median_frames,
            t.median_ms,
            self.runs.len(),
            t.min_frames,
            t.max_frames
        );
        text.push_str(&format!(
            "  ALSA's buffering: {} frames, {:.2} ms (playback buffer {} frames, capture period {} frames)\n",
            self.alsa.median_frames,
            self.alsa.median_ms,
            self.playback.buffer_frames,
            self.capture.period_frames
        ));
        text.push_str(&format!(
            "  outside ALSA:     {} frames, {:.2} ms (min {}, max {})\n",
            self.outside.median_frames,
            self.outside.median_ms,
            self.outside.min_frames,
            self.outside.max_frames
        ));
        text.push_str(&format!(
            "  {} Hz; playback {} {}, period {}, buffer {}; capture {} {}, period {}, buffer {}\n",
            self.rate,
            self.playback.format,
            channels_label(self.playback.channels),
            self.playback.period_frames,
            self.playback.buffer_frames,
            self.capture.format,
            channels_label(self.capture.channels),
            self.capture.period_frames,
            self.capture.buffer_frames
        ));
        for (i, r) in self.runs.iter().enumerate() {
            text.push_str(&format!(
                "  run {}: {} frames = {} ALSA + {} outside (score {:.2})\n",
                i + 1,
                r.total_frames,
                r.alsa_frames,
                r.outside_frames,
                r.score
            ));
        }
        text
    }
}
