//! `alsatool record`: the options become a capture request and an output plan; the capture
//! ([`crate::stream::capture`]) and the recording loop ([`crate::stream::recorder`]) do the
//! rest; this file says what happened.
//!
//! Ctrl-C, SIGTERM and SIGHUP end a recording like reaching `--duration` does: everything
//! captured is written, the header finalized, and the exit code is 0 (the recording is what the
//! user asked for; a second signal while finishing changes nothing).

use std::time::Duration;

use anyhow::Result;

use crate::cli::RecordArgs;
use crate::container::wav;
use crate::device::negotiate::Request;
use crate::exit_codes::{ExitCode, UsageError};
use crate::output::{Container, RecordingPlan, Rollover, Target};
use crate::progress::{clock, Ui};
use crate::sample::format::{channels_label, SampleFormat};
use crate::signals::StopFlag;
use crate::spec::PcmSpec;
use crate::stream::capture::{Capture, CaptureConfig};
use crate::stream::recorder::{self, Recorded};

/// What is recorded when `-f`, `-c` and `-r` are not given: arecord's CD-like default, at the
/// rate most devices run.
const DEFAULT_SPEC: PcmSpec = PcmSpec {
    format: SampleFormat::S16_LE,
    channels: 2,
    rate: 48000,
};

pub fn run(args: RecordArgs, ui: Ui) -> Result<ExitCode> {
    let target = Target::from_arg(&args.file);
    let container = args.file_type.container_for(&args.file);
    let requested = args.stream.requested();
    let wanted = requested.or(DEFAULT_SPEC);

    if target == Target::Stdout && (args.max_file_size.is_some() || args.max_file_time.is_some()) {
        return Err(UsageError(
            "--max-file-size and --max-file-time need a FILE; standard output is one stream".into(),
        )
        .into());
    }
    if container == Container::Wav && requested.format.is_some() {
        wav::check_format(wanted.format).map_err(|e| UsageError(e.to_string()))?;
    }
    if args.duration == Some(Duration::ZERO) {
        return Err(UsageError("--duration must be more than 0".into()).into());
    }
    // Bad limits and names it would overwrite, before the device opens (the writer checks
    // again with what the device took).
    let plan = RecordingPlan {
        target: target.clone(),
        container,
        spec: wanted,
        rollover: Rollover {
            max_file_bytes: args.max_file_size,
            max_file_time: args.max_file_time,
        },
        duration: args.duration,
        force: args.force,
    };
    plan.check()?;

    let stop = StopFlag::install()?;
    let device = args.device.device;
    let capture = Capture::start(
        CaptureConfig {
            device: device.clone(),
            // What the user gave must come out exactly; the rest may be what the device prefers.
            request: Request {
                exact: requested,
                preferred: DEFAULT_SPEC,
                buffer_time_us: args.stream.buffer_time,
                period_time_us: args.stream.period_time,
            },
            duration: args.duration,
        },
        &stop,
    )?;
    let got = capture.negotiated;
    if got.spec != wanted {
        ui.note(format!(
            "'{device}' does not take {} {} {} Hz; recording {} {} {} Hz, the nearest it takes",
            wanted.format,
            channels_label(wanted.channels),
            wanted.rate,
            got.spec.format,
            channels_label(got.spec.channels),
            got.spec.rate
        ));
    }
    ui.note(format!(
        "'{device}': {} {} {} Hz, period {} frames, buffer {} frames; ring of {} chunks of {} bytes",
        got.spec.format,
        channels_label(got.spec.channels),
        got.spec.rate,
        got.period_frames,
        got.buffer_frames,
        capture.ring_chunks,
        capture.chunk_bytes
    ));
    ui.status(format!(
        "Recording {} {} from '{device}': {} {} {} Hz",
        container.name(),
        target.describe(),
        got.spec.format,
        channels_label(got.spec.channels),
        got.spec.rate
    ));
    let recording = recorder::record(capture, plan, &ui)?;
    report(&recording, &ui);
    Ok(ExitCode::Success)
}

/// The summary line on a terminal, with the gaps the warnings reported one by one, and the
/// names a rollover had to skip.
fn report(recording: &Recorded, ui: &Ui) {
    let files = &recording.written.files;
    let where_to = match files.len() {
        0 => "standard output".to_string(),
        1 => format!("'{}'", files[0].display()),
        n => format!(
            "{n} files, '{}' to '{}'",
            files[0].display(),
            files[n - 1].display()
        ),
    };
    let xruns = recording.xruns;
    let gaps = match xruns.xruns + xruns.suspends {
        0 => String::new(),
        n => format!(
            "; {n} overrun{}, about {:.1} s lost",
            if n == 1 { "" } else { "s" },
            xruns.lost.as_secs_f64()
        ),
    };
    ui.status(format!(
        "Recorded {} ({}) to {where_to} in {}{}{gaps}",
        clock(recording.length()),
        indicatif::HumanBytes(recording.written.data_bytes),
        clock(recording.elapsed),
        if recording.stopped {
            ", stopped by signal"
        } else {
            ""
        }
    ));
    for name in &recording.written.skipped {
        eprintln!(
            "alsatool: warning: '{}' existed, so the recording skipped that name",
            name.display()
        );
    }
}
