//! `alsatool record`: capture on its own thread ([`crate::capture`]), write through the
//! crash-safe writer ([`crate::output::writer`]), show progress and a meter on a terminal.
//!
//! Ctrl-C, SIGTERM and SIGHUP end a recording like reaching `--duration` does: everything
//! captured is written, the header finalized, and the exit code is 0 (the recording is what the
//! user asked for; a second signal while finishing changes nothing).

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cli::{FileType, RecordArgs};
use crate::device::negotiate::{Fit, Request};
use crate::exit_codes::{ExitCode, UsageError};
use crate::output::{Container, Recording, RecordingWriter, Rollover, Target};
use crate::progress::{clock, render_meter, Ui};
use crate::sample::format::{channels_label, SampleFormat};
use crate::sample::peaks::accumulate_peaks;
use crate::signals::StopFlag;
use crate::spec::PcmSpec;
use crate::stream::capture::{Capture, CaptureConfig, Explicit, Next};

const DEFAULT_FORMAT: SampleFormat = SampleFormat::S16_LE;
const DEFAULT_RATE: u32 = 48000;
const DEFAULT_CHANNELS: u32 = 2;

pub fn run(args: RecordArgs, ui: Ui) -> Result<ExitCode> {
    let target = Target::from_arg(&args.file);
    let container = match args.file_type {
        FileType::Wav => Container::Wav,
        FileType::Raw => Container::Raw,
        FileType::Auto => Container::from_name(&args.file),
    };
    let spec = args.stream.format;
    let preset = spec.and_then(|s| s.preset);
    let format = spec.map_or(DEFAULT_FORMAT, |s| s.format);
    let explicit = Explicit {
        format: spec.is_some(),
        channels: args.stream.channels.is_some() || preset.is_some(),
        rate: args.stream.rate.is_some() || preset.is_some(),
    };
    let channels = args
        .stream
        .channels
        .or(preset.map(|p| p.1))
        .unwrap_or(DEFAULT_CHANNELS);
    let rate = args
        .stream
        .rate
        .or(preset.map(|p| p.0))
        .unwrap_or(DEFAULT_RATE);

    if target == Target::Stdout && (args.max_file_size.is_some() || args.max_file_time.is_some()) {
        return Err(UsageError(
            "--max-file-size and --max-file-time need a FILE; standard output is one stream".into(),
        )
        .into());
    }
    if container == Container::Wav && explicit.format {
        crate::container::wav::check_format(format).map_err(|e| UsageError(e.to_string()))?;
    }
    if args.duration == Some(Duration::ZERO) {
        return Err(UsageError("--duration must be more than 0".into()).into());
    }
    // Bad limits and names it would overwrite, before the device opens (checked again with
    // what the device takes).
    let mut recording = Recording {
        target: target.clone(),
        container,
        spec: PcmSpec {
            format,
            channels,
            rate,
        },
        rollover: Rollover {
            max_file_bytes: args.max_file_size,
            max_file_time: args.max_file_time,
        },
        duration: args.duration,
        force: args.force,
    };
    recording.check()?;

    let stop = StopFlag::install()?;
    let request = Request {
        format,
        channels,
        rate,
        fit: Fit::Nearest,
        buffer_time_us: args.stream.buffer_time,
        period_time_us: args.stream.period_time,
    };
    let device = args.device.device;
    let capture = Capture::start(
        CaptureConfig {
            device: device.clone(),
            request,
            explicit,
            duration: args.duration,
        },
        stop.clone(),
    )?;
    let got = capture.negotiated;
    if (got.format, got.channels, got.rate) != (format, channels, rate) {
        ui.note(format!(
            "'{device}' does not take {format} {} {rate} Hz; recording {} {} {} Hz, the nearest it takes",
            channels_label(channels),
            got.format,
            channels_label(got.channels),
            got.rate
        ));
    }
    ui.note(format!(
        "'{device}': {} {} {} Hz, period {} frames, buffer {} frames; ring of {} chunks of {} bytes",
        got.format,
        channels_label(got.channels),
        got.rate,
        got.period_frames,
        got.buffer_frames,
        capture.ring_chunks,
        capture.chunk_bytes
    ));
    recording.spec = PcmSpec {
        format: got.format,
        channels: got.channels,
        rate: got.rate,
    };
    // The capture thread is already running: on failure here, stop it before reporting.
    let mut out = match RecordingWriter::create(recording) {
        Ok(out) => out,
        Err(e) => {
            capture.halt();
            let _ = capture.finish();
            return Err(e);
        }
    };
    ui.status(format!(
        "Recording {} {} from '{device}': {} {} {} Hz",
        container.name(),
        target.describe(),
        got.format,
        channels_label(got.channels),
        got.rate
    ));

    let started = Instant::now();
    let bar = ui.bar(None, "{spinner} {msg}");
    // The meter is the only per-sample work, so it runs only when it is shown.
    let metered = ui.live;
    let mut peaks = vec![0f32; got.channels as usize];
    let mut last_draw = Instant::now();
    let bytes_per_second = (got.bytes_per_frame() as f64 * f64::from(got.rate)).max(1.0);
    let write_error = loop {
        match capture.next(Duration::from_millis(100)) {
            Next::Chunk(chunk) => {
                if metered {
                    accumulate_peaks(got.format, &chunk, &mut peaks);
                }
                let result = out.write(&chunk);
                capture.recycle(chunk);
                if let Err(e) = result {
                    break Some(e);
                }
            }
            Next::Idle => {
                if let Err(e) = out.checkpoint() {
                    break Some(e);
                }
            }
            Next::Ended => break None,
        }
        if ui.live && last_draw.elapsed() >= Duration::from_millis(100) {
            last_draw = Instant::now();
            let seconds = out.data_bytes() as f64 / bytes_per_second;
            let overruns = match capture.overruns() {
                0 => String::new(),
                n => format!("  {n} overrun{}", if n == 1 { "" } else { "s" }),
            };
            let meter = if metered {
                render_meter(&peaks)
            } else {
                String::new()
            };
            bar.set_message(format!(
                "{}  {}  {meter}{overruns}",
                clock(Duration::from_secs_f64(seconds)),
                indicatif::HumanBytes(out.data_bytes()),
            ));
            peaks.iter_mut().for_each(|p| *p = 0.0);
        }
    };
    bar.finish_and_clear();

    if let Some(e) = write_error {
        capture.halt();
        let _ = capture.finish();
        return Err(e);
    }
    let ended = capture.finish();
    let written = out.finish()?;
    let ended = ended?;

    let seconds = written.data_bytes as f64 / bytes_per_second;
    let where_to = match written.files.len() {
        0 => "standard output".to_string(),
        1 => format!("'{}'", written.files[0].display()),
        n => format!(
            "{n} files, '{}' to '{}'",
            written.files[0].display(),
            written.files[n - 1].display()
        ),
    };
    ui.status(format!(
        "Recorded {} ({}) to {where_to} in {}{}",
        clock(Duration::from_secs_f64(seconds)),
        indicatif::HumanBytes(written.data_bytes),
        clock(started.elapsed()),
        if stop.is_raised() {
            ", stopped by signal"
        } else {
            ""
        }
    ));
    for name in &written.skipped {
        eprintln!(
            "alsatool: warning: '{}' existed, so the recording skipped that name",
            name.display()
        );
    }
    if ended.xruns.xruns > 0 || ended.xruns.suspends > 0 {
        // Lost audio is worth a line even without a terminal (arecord says "overrun!!!" too).
        eprintln!(
            "alsatool: warning: the device overran {} time(s) and was suspended {} time(s) while recording {where_to}; some audio was lost",
            ended.xruns.xruns, ended.xruns.suspends
        );
    }
    Ok(ExitCode::Success)
}
