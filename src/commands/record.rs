//! `alsatool record`: the options become a capture request and an output plan; the capture
//! ([`crate::stream::capture`]) and the recording loop ([`crate::stream::recorder`]) do the
//! rest; this file says what happened. What the device does not take of `-f`, `-c` and `-r` is
//! captured as the device has it and converted ([`crate::stream::adapt`]), unless
//! `--no-resample`.
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
use crate::output::{flac, Container, RecordingPlan, Rollover, Target};
use crate::progress::{clock, Ui};
use crate::sample::format::channels_label;
use crate::signals::StopFlag;
use crate::spec::{frames_in, PartialSpec, PcmSpec};
use crate::stream::adapt::Adapter;
use crate::stream::capture::{Capture, CaptureConfig};
use crate::stream::recorder::{self, Recorded};
use crate::stream::takes::TakeSettings;

/// What is recorded when `-f`, `-c` and `-r` are not given.
const DEFAULT_SPEC: PcmSpec = PcmSpec::DEFAULT;

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
    if container == Container::Flac {
        // What FLAC cannot hold, before the device opens (the writer checks what it took).
        flac::check_spec(&wanted).map_err(|e| UsageError(e.to_string()))?;
    }
    let takes = take_settings(&args, &target)?;
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
    let convert = !args.resample.no_resample;
    let device_rate = args.resample.device_rate;
    // The capture runs a little longer than asked when the rate changes, so that the resampler
    // has every frame it needs for the last ones of the file (which the adapter then cuts at
    // exactly the duration).
    let capture_duration = args.duration.map(|d| match (requested.rate, device_rate) {
        (Some(rate), _) if convert => d + Duration::from_secs_f64(3.0 / f64::from(rate) + 0.01),
        _ => d,
    });
    let capture = Capture::start(
        CaptureConfig {
            device: device.clone(),
            // What the user gave must come out of the file exactly: from the device as it is,
            // or converted from what it takes. The rest may be what the device prefers.
            request: Request {
                exact: PartialSpec {
                    rate: device_rate.or(requested.rate),
                    ..requested
                },
                fallback: convert,
                preferred: PcmSpec {
                    rate: device_rate.unwrap_or(DEFAULT_SPEC.rate),
                    ..DEFAULT_SPEC
                },
                buffer_time_us: args.stream.buffer_time,
                period_time_us: args.stream.period_time,
            },
            duration: capture_duration,
        },
        &stop,
    )?;
    let got = capture.negotiated;
    if let Some(rate) = device_rate.filter(|&r| r != got.spec.rate) {
        capture.halt();
        let _ = capture.finish();
        return Err(anyhow::anyhow!(
            "'{device}' does not take {rate} Hz (--device-rate); it offers {} Hz nearest",
            got.spec.rate
        ));
    }
    // What the file holds: what was asked for, the rest as the device has it.
    let file_spec = PcmSpec {
        format: requested.format.unwrap_or(got.spec.format),
        channels: requested.channels.unwrap_or(got.spec.channels),
        rate: requested.rate.unwrap_or(got.spec.rate),
    };
    // With a longer capture the adapter cuts the file at exactly the duration, converting or
    // not (bytes that need no conversion pass as they are).
    let adapter = (file_spec != got.spec || capture_duration != args.duration)
        .then(|| {
            Adapter::new(
                got.spec,
                file_spec,
                args.resample.resample_quality.quality(),
            )
        })
        .transpose()?
        .map(|a| a.with_limit(args.duration.map(|d| frames_in(d, file_spec.rate))));
    if let Some(adapter) = adapter.as_ref().filter(|_| file_spec != got.spec) {
        // Said once, terminal or not: the file is not what the device delivered.
        if !ui.quiet {
            eprintln!(
                "alsatool: '{device}' does not take {} {} {} Hz; capturing {} {} {} Hz and converting: {}",
                file_spec.format,
                channels_label(file_spec.channels),
                file_spec.rate,
                got.spec.format,
                channels_label(got.spec.channels),
                got.spec.rate,
                adapter.describe()
            );
        }
    }
    if file_spec != wanted {
        ui.note(format!(
            "'{device}' does not take {} {} {} Hz; recording {} {} {} Hz, the nearest it takes",
            wanted.format,
            channels_label(wanted.channels),
            wanted.rate,
            file_spec.format,
            channels_label(file_spec.channels),
            file_spec.rate
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
        file_spec.format,
        channels_label(file_spec.channels),
        file_spec.rate
    ));
    let recording = recorder::record(capture, adapter, plan, takes, &ui)?;
    if let (Some(settings), true) = (takes, recording.written.files.is_empty()) {
        ui.status(format!(
            "No take: the level never reached {} dB",
            settings.threshold_db
        ));
    } else {
        report(&recording, &ui);
    }
    Ok(ExitCode::Success)
}

/// What `--trigger` and its options ask for; they need files to write the takes in.
fn take_settings(args: &RecordArgs, target: &Target) -> Result<Option<TakeSettings>> {
    let t = &args.trigger;
    let Some(threshold_db) = t.trigger else {
        return Ok(None);
    };
    if *target == Target::Stdout {
        return Err(UsageError(
            "--trigger needs a FILE: each take is a numbered file, and standard output is one stream"
                .into(),
        )
        .into());
    }
    Ok(Some(TakeSettings {
        threshold_db,
        hang: t.hang,
        pre_roll: t.pre_roll,
        min_take: t.min_take,
        split: t.split_on_silence,
        takes: t.takes,
    }))
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
