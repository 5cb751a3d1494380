//! The recording loop: chunks from the capture thread ([`super::capture`]) go to the crash-safe
//! writer ([`crate::output::writer`]) and the live display, every recovered overrun is reported
//! with where it was and how much was lost, and whatever ends the recording (its duration, a
//! signal, a write error) ends it through one path that stops the capture and finishes the file.
//! Where the device does not take what was asked for, an [`Adapter`] between the two converts
//! (and resamples) on this thread, so the capture thread only ever moves bytes.

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::device::pcm_io::XrunCount;
use crate::device::Direction;
use crate::output::{RecordingPlan, RecordingWriter, Written};
use crate::progress::{clock, Ui};
use crate::spec::{frames_duration, PcmSpec};
use crate::stream::adapt::Adapter;
use crate::stream::capture::{Capture, Next};
use crate::stream::meter::{Meter, REDRAW};
use crate::stream::takes::{self, TakeSettings};

/// What a finished recording holds.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub written: Written,
    /// What the file holds: what the device recorded in, or what the adapter made of it.
    pub spec: PcmSpec,
    /// Overruns and suspends, and how much audio they lost.
    pub xruns: XrunCount,
    /// Wall time from the start of the loop to its end.
    pub elapsed: Duration,
    /// Ended by the stop flag (a signal) before its duration.
    pub stopped: bool,
}

impl Recorded {
    /// How long the recorded audio is.
    pub fn length(&self) -> Duration {
        let frame = self.spec.bytes_per_frame().max(1) as u64;
        frames_duration(self.written.data_bytes / frame, self.spec.rate)
    }
}

/// Records from a running `capture` into `plan` (whose spec becomes what the device took) until the capture ends (its duration, or the
/// stop flag), or the output fails. Either way the capture is stopped and joined here, once.
/// `adapter`, when given, turns what the device delivers into what the file holds. With
/// `trigger`, only the takes it finds are recorded, each in its own numbered file.
pub fn record(
    capture: Capture,
    adapter: Option<Adapter>,
    plan: RecordingPlan,
    trigger: Option<TakeSettings>,
    ui: &Ui,
) -> Result<Recorded> {
    let spec = adapter
        .as_ref()
        .map_or(capture.negotiated.spec, Adapter::to);
    let started = Instant::now();
    let result = match trigger {
        None => write_all(&capture, adapter, plan, spec, ui),
        Some(settings) => takes::write_takes(&capture, adapter, plan, settings, ui),
    };
    // The one place a recording's capture ends: at once when the output failed, otherwise
    // after it delivered everything.
    let ended = capture.finish();
    let written = result?;
    let ended = ended?;
    Ok(Recorded {
        written,
        spec,
        xruns: ended.xruns,
        elapsed: started.elapsed(),
        stopped: ended.stopped,
    })
}

/// Creates the output and writes every chunk the capture delivers into it.
fn write_all(
    capture: &Capture,
    mut adapter: Option<Adapter>,
    plan: RecordingPlan,
    spec: PcmSpec,
    ui: &Ui,
) -> Result<Written> {
    let mut out = RecordingWriter::create(RecordingPlan { spec, ..plan })?;
    let bar = ui.bar(None, "{spinner} {msg}");
    let mut meter = Meter::new(spec, ui.live);
    let mut overruns = 0u64;
    let mut last_draw: Option<Instant> = None;
    let bytes_per_second = (spec.bytes_per_frame() as f64 * f64::from(spec.rate)).max(1.0);
    loop {
        match capture.next(REDRAW) {
            Next::Chunk(chunk) => {
                let result = match &mut adapter {
                    None => {
                        meter.add(&chunk);
                        out.write(&chunk)
                    }
                    Some(adapter) => adapter.process(&chunk).and_then(|bytes| {
                        meter.add(bytes);
                        out.write(bytes)
                    }),
                };
                capture.recycle(chunk);
                result?;
            }
            Next::Idle => out.checkpoint()?,
            Next::Ended => break,
        }
        for gap in capture.take_gaps() {
            overruns += 1;
            gap.warn(ui, &bar, Direction::Capture, capture.negotiated.spec.rate);
        }
        if ui.live && last_draw.is_none_or(|t| t.elapsed() >= REDRAW) {
            last_draw = Some(Instant::now());
            let seconds = out.data_bytes() as f64 / bytes_per_second;
            let overruns = match overruns {
                0 => String::new(),
                n => format!("  {n} overrun{}", if n == 1 { "" } else { "s" }),
            };
            bar.set_message(format!(
                "{}  {}  {}{overruns}",
                clock(Duration::from_secs_f64(seconds)),
                indicatif::HumanBytes(out.data_bytes()),
                meter.take().unwrap_or_default(),
            ));
        }
    }
    // The resampler's tail: the last frames captured.
    if let Some(adapter) = &mut adapter {
        out.write(adapter.finish()?)?;
    }
    // Gaps recovered after the last chunk was written.
    for gap in capture.take_gaps() {
        gap.warn(ui, &bar, Direction::Capture, capture.negotiated.spec.rate);
    }
    bar.finish_and_clear();
    out.finish()
}
