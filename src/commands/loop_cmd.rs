//! `alsatool loop IN OUT`: the options become a [`LoopConfig`] and, for the mixer options, a
//! [`VolumeLink`]; the bridge ([`crate::stream::duplex`]) does the rest; this file says how it
//! went, in one line.
//!
//! Ctrl-C, SIGTERM and SIGHUP end a loop as its natural end: at once, exit code 0 (a loop
//! runs until it is stopped), with the summary: time, xruns, mean drift.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;

use crate::cli::LoopArgs;
use crate::exit_codes::{ExitCode, UsageError};
use crate::output::naming::check_no_clobber;
use crate::output::{Container, Target};
use crate::progress::{clock, Ui};
use crate::signals::StopFlag;
use crate::stream::drift::ppm;
use crate::stream::duplex::{self, LoopConfig, LoopSummary, RecordPlan};
use crate::stream::volume_link::{self, ControlRef, SourceChoice, VolumeLink};

pub fn run(args: LoopArgs, ui: Ui) -> Result<ExitCode> {
    let usage = |text: &str| -> anyhow::Error { UsageError(text.to_string()).into() };
    if args.latency < Duration::from_millis(1) {
        return Err(usage("--latency must be at least 1ms"));
    }
    if args.period.is_some_and(|p| p.is_zero() || p > args.latency) {
        return Err(usage(
            "--period must be more than 0 and at most the latency",
        ));
    }
    if args.duration == Some(Duration::ZERO) {
        return Err(usage("--duration must be more than 0"));
    }
    if args.silence_close == Some(Duration::ZERO) {
        return Err(usage("--silence-close must be more than 0"));
    }
    let parse = |text: &Option<String>| -> Result<Option<ControlRef>> {
        text.as_deref()
            .map(ControlRef::parse)
            .transpose()
            .map_err(|e| UsageError(e).into())
    };
    let volume_from = parse(&args.volume_from)?;
    let volume_to = parse(&args.volume_to)?;
    let record = match &args.record {
        Some(path) => {
            let target = Target::from_arg(path);
            if let Target::File(file) = &target {
                if !args.force {
                    check_no_clobber(file, None)?;
                }
            }
            Some(RecordPlan {
                target,
                container: Container::from_name(path),
                force: args.force,
            })
        }
        None => None,
    };

    let stop = StopFlag::install()?;
    // Unity gain until the source control says otherwise.
    let gain = Arc::new(AtomicU64::new(1f64.to_bits()));
    let (link, software_gain) = match (volume_from, volume_to) {
        (None, None) => (None, false),
        (Some(from), None) => (
            Some(VolumeLink::start(
                SourceChoice::Named(from),
                volume_link::Target::Gain(gain.clone()),
                &stop,
            )?),
            true,
        ),
        (from, Some(to)) => {
            let source = match from {
                Some(from) => SourceChoice::Named(from),
                None => SourceChoice::FirstCapture(volume_link::control_device_of(&args.input)),
            };
            (
                Some(VolumeLink::start(
                    source,
                    volume_link::Target::Control(to),
                    &stop,
                )?),
                false,
            )
        }
    };
    let config = LoopConfig {
        input: args.input.clone(),
        output: args.output.clone(),
        requested: args.spec.requested(),
        latency: args.latency,
        period: args.period,
        duration: args.duration,
        silence_close: args.silence_close,
        on_start: args.on_start.clone(),
        on_stop: args.on_stop.clone(),
        record,
        gain: software_gain.then_some(gain),
    };
    ui.status(format!(
        "Looping '{}' to '{}' with {} ms of latency; Ctrl-C ends",
        args.input.escape_debug(),
        args.output.escape_debug(),
        args.latency.as_millis()
    ));
    let summary = duplex::run(&config, &stop, &ui);
    drop(link);
    let summary = summary?;
    if !ui.quiet {
        eprintln!("{}", summary_line(&args, &summary));
    }
    if summary.record_lost > 0 {
        eprintln!(
            "alsatool: warning: the recording could not keep up and lost {} bytes",
            summary.record_lost
        );
    }
    Ok(ExitCode::Success)
}

/// "Looped 1:02 from 'IN' to 'OUT': 0 xruns, mean drift +12.3 ppm".
fn summary_line(args: &LoopArgs, summary: &LoopSummary) -> String {
    let xruns = summary.in_xruns + summary.out_xruns;
    let xruns = match xruns {
        0 => "0 xruns".to_string(),
        n => format!(
            "{n} xrun{} (IN {}, OUT {})",
            if n == 1 { "" } else { "s" },
            summary.in_xruns,
            summary.out_xruns
        ),
    };
    let drift = match summary.mean_drift {
        Some(d) => format!("mean drift {}", ppm(d)),
        None if summary.not_real_time => {
            "mean drift n/a (the devices do not run in real time)".to_string()
        }
        None if summary.openings == 0 => "mean drift n/a (OUT never opened)".to_string(),
        None => "mean drift n/a (too short to measure)".to_string(),
    };
    let openings = if args.silence_close.is_some() {
        format!(", OUT opened {} time(s)", summary.openings)
    } else {
        String::new()
    };
    let recorded = match &summary.recorded {
        Some(written) => match written.files.first() {
            Some(file) => format!(", recorded to '{}'", file.display()),
            None => ", recorded to standard output".to_string(),
        },
        None => String::new(),
    };
    format!(
        "Looped {} from '{}' to '{}': {xruns}, {drift}{openings}{recorded}",
        clock(summary.captured),
        args.input,
        args.output
    )
}
