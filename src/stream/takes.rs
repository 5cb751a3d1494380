//! The recording loop of `record --trigger`: chunks from the capture go through the
//! [`Trigger`], and each take it finds is written by a [`RecordingWriter`] of its own, in the
//! numbered files `FILE-01`, `FILE-02`, … (a take that rolls over continues in the next
//! number, and the next take takes the number after that). Every take is crash-safe as any
//! recording is; the display says armed or recording, the takes so far, and the live level
//! against the threshold.

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::device::Direction;
use crate::output::{RecordingPlan, RecordingWriter, Written};
use crate::progress::{clock, Ui};
use crate::stream::adapt::Adapter;
use crate::stream::capture::{Capture, Next};
use crate::stream::meter::REDRAW;
use crate::stream::trigger::{State, Step, Trigger, TriggerConfig};

/// `--trigger` and the options that go with it, as given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TakeSettings {
    pub threshold_db: f64,
    pub hang: Duration,
    pub pre_roll: Duration,
    pub min_take: Duration,
    pub split: bool,
    pub takes: Option<u32>,
}

/// The takes recorded so far, and the one being written.
struct Takes {
    plan: RecordingPlan,
    current: Option<RecordingWriter>,
    /// The number the next take's first file gets (or the next free one after it).
    next_index: u32,
    written: Written,
}

impl Takes {
    fn step(&mut self, step: Step) -> Result<()> {
        match step {
            Step::Start => {
                self.finish_current()?;
                let writer = RecordingWriter::create_numbered(self.plan.clone(), self.next_index)?;
                self.current = Some(writer);
            }
            Step::Audio(bytes) => {
                if let Some(w) = &mut self.current {
                    w.write(bytes)?;
                }
            }
            Step::End => self.finish_current()?,
        }
        Ok(())
    }

    fn finish_current(&mut self) -> Result<()> {
        if let Some(w) = self.current.take() {
            self.next_index = w.index().saturating_add(1);
            let done = w.finish()?;
            self.written.files.extend(done.files);
            self.written.skipped.extend(done.skipped);
            self.written.data_bytes += done.data_bytes;
        }
        Ok(())
    }

    fn data_bytes(&self) -> u64 {
        self.written.data_bytes + self.current.as_ref().map_or(0, |w| w.data_bytes())
    }
}

/// Writes every take the trigger finds in what the capture delivers, until the capture ends or
/// the last take asked for is complete.
pub fn write_takes(
    capture: &Capture,
    mut adapter: Option<Adapter>,
    plan: RecordingPlan,
    settings: TakeSettings,
    ui: &Ui,
) -> Result<Written> {
    // What the takes hold: what the device delivers, or what the adapter makes of it.
    let spec = adapter
        .as_ref()
        .map_or(capture.negotiated.spec, Adapter::to);
    let device = capture.negotiated.spec;
    let config = TriggerConfig::new(
        settings.threshold_db,
        settings.hang,
        settings.pre_roll,
        settings.min_take,
        settings.split,
        settings.takes,
        spec.rate,
    );
    let mut trigger = Trigger::new(config, spec);
    let mut takes = Takes {
        plan: RecordingPlan { spec, ..plan },
        current: None,
        next_index: 1,
        written: Written::default(),
    };
    let bar = ui.bar(None, "{spinner} {msg}");
    let mut last_draw: Option<Instant> = None;
    let bytes_per_second = (spec.bytes_per_frame() as f64 * f64::from(spec.rate)).max(1.0);
    loop {
        match capture.next(REDRAW) {
            Next::Chunk(chunk) => {
                let result = match &mut adapter {
                    None => trigger.feed(&chunk, |s| takes.step(s)),
                    Some(adapter) => adapter
                        .process(&chunk)
                        .and_then(|bytes| trigger.feed(bytes, |s| takes.step(s))),
                };
                capture.recycle(chunk);
                result?;
            }
            Next::Idle => {
                if let Some(w) = &mut takes.current {
                    w.checkpoint()?;
                }
            }
            Next::Ended => break,
        }
        for gap in capture.take_gaps() {
            gap.warn(ui, &bar, Direction::Capture, device.rate);
        }
        if trigger.state() == State::Done {
            break;
        }
        if ui.live && last_draw.is_none_or(|t| t.elapsed() >= REDRAW) {
            last_draw = Some(Instant::now());
            let state = if trigger.in_take() {
                format!("recording take {}", trigger.takes_done() + 1)
            } else {
                "armed".to_string()
            };
            let level = trigger.take_level();
            let against = if f64::from(level) >= trigger.threshold_db() {
                ">="
            } else {
                "<"
            };
            bar.set_message(format!(
                "{state}  {} taken  {}  level {} {against} {:.0} dB",
                trigger.takes_done(),
                clock(Duration::from_secs_f64(
                    takes.data_bytes() as f64 / bytes_per_second
                )),
                if level.is_finite() {
                    format!("{level:.1} dB")
                } else {
                    "-inf dB".to_string()
                },
                trigger.threshold_db()
            ));
        }
    }
    // The resampler's tail: the last frames captured.
    if let Some(adapter) = &mut adapter {
        if trigger.state() != State::Done {
            let tail = adapter.finish()?;
            trigger.feed(tail, |s| takes.step(s))?;
        }
    }
    for gap in capture.take_gaps() {
        gap.warn(ui, &bar, Direction::Capture, device.rate);
    }
    bar.finish_and_clear();
    // A take still open when the recording ends is complete as it is.
    takes.finish_current()?;
    Ok(takes.written)
}
