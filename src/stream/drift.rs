//! Clock drift between a capture and a playback device, measured from the fill level between
//! them, and the correction that holds that fill at its target.
//!
//! Two devices run on two clocks. What the capture side has captured (its position: frames read
//! plus those waiting to be read) less what the playback side has played (frames written less
//! those queued), in seconds, is the fill level as it would be with no correction at all: it
//! grows by exactly the drift, so its slope over time *is* the drift. The estimate is a least
//! squares slope over block averages (a quarter second each) of that uncorrected fill, so the
//! jitter of single readings (a period, a timer tick) averages out, and the correction the
//! resampler applies never feeds back into the estimate.
//!
//! The correction cancels the estimated drift and pulls the real fill back to where it settled
//! at the start, slowly enough to be inaudible. It stays off, and audio passes bit-exact, while
//! the fill stays within 2 ms of its target: two streams on one clock never need it.

use std::collections::VecDeque;

/// Readings are averaged over blocks this long (seconds) before they are fitted.
pub const BLOCK_SECONDS: f64 = 0.25;
/// The live estimate fits the blocks of the last this many seconds.
pub const WINDOW_SECONDS: f64 = 30.0;
/// The correction stays off while the fill is within this of its target (seconds).
pub const DEADBAND_SECONDS: f64 = 0.002;
/// A fill error is pulled back over about this long (seconds): slow enough to be inaudible.
pub const PULL_SECONDS: f64 = 10.0;
/// The correction never exceeds this (relative): far beyond any crystal, short of audible pitch.
pub const MAX_CORRECTION: f64 = 0.002;
/// The fill must be outside the deadband for this many blocks in a row to engage the
/// correction: one block's average may stray on a device whose position moves in timer ticks
/// (snd-aloop's are 4 ms), two seconds of them do not.
pub const ENGAGE_BLOCKS: u32 = 8;
/// The target fill is taken once the streams have run this long (seconds): starting devices
/// (a sound server above all) take a moment to settle their buffering.
pub const SETTLE_SECONDS: f64 = 1.0;
/// A change of the uncorrected fill by more than this (seconds) from one block to the next is
/// a step, not drift: 5 ms in a quarter second would be 2% of clock error.
pub const STEP_SECONDS: f64 = 0.005;
/// The live estimate needs this much time (seconds) before it is shown or used.
pub const MIN_SPAN_SECONDS: f64 = 2.0;

/// Running least squares fit of y = a + b·t, with points that can be removed again.
#[derive(Clone, Debug, Default)]
struct Fit {
    n: f64,
    t: f64,
    y: f64,
    tt: f64,
    ty: f64,
    /// Times are taken relative to this (the first point) so the sums keep their precision.
    origin: Option<f64>,
}

impl Fit {
    fn add(&mut self, t: f64, y: f64, sign: f64) {
        let t = t - *self.origin.get_or_insert(t);
        self.n += sign;
        self.t += sign * t;
        self.y += sign * y;
        self.tt += sign * t * t;
        self.ty += sign * t * y;
    }

    fn slope(&self) -> Option<f64> {
        if self.n < 3.0 {
            return None;
        }
        let denominator = self.n * self.tt - self.t * self.t;
        (denominator > 1e-12).then(|| (self.n * self.ty - self.t * self.y) / denominator)
    }
}

/// One reading: when (seconds of captured audio), the uncorrected fill and the real fill
/// (seconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    pub time: f64,
    pub uncorrected: f64,
    pub fill: f64,
}

/// The drift estimate and the correction, fed a reading per period.
#[derive(Clone, Debug)]
pub struct DriftControl {
    /// The block being averaged: sums of time, uncorrected fill, fill, and the count.
    block: (f64, f64, f64, f64),
    block_start: Option<f64>,
    /// Block averages in the live window, and their fit.
    window: VecDeque<Reading>,
    live: Fit,
    /// The fit of this segment (since the last reset) as a whole, and the segments before.
    segment: Fit,
    segment_span: (f64, f64),
    earlier: Vec<(f64, f64)>,
    /// The fill the correction holds: where it settled (the first block after
    /// [`SETTLE_SECONDS`]).
    target: Option<f64>,
    /// When the first block of this stream ended.
    first_block: Option<f64>,
    /// The latest block average of the fill.
    fill: Option<f64>,
    engaged: bool,
    /// Blocks in a row with the fill outside the deadband.
    outside: u32,
    /// A step was seen and not yet taken.
    stepped: bool,
    /// Steps are looked for once the stream first settled (for good, until a reset).
    watch_steps: bool,
    correction: f64,
    /// Whether the correction may engage at all (devices that run in real time).
    enabled: bool,
}

impl Default for DriftControl {
    fn default() -> Self {
        Self::new()
    }
}

impl DriftControl {
    pub fn new() -> DriftControl {
        DriftControl {
            block: (0.0, 0.0, 0.0, 0.0),
            block_start: None,
            window: VecDeque::new(),
            live: Fit::default(),
            segment: Fit::default(),
            segment_span: (0.0, 0.0),
            earlier: Vec::new(),
            target: None,
            first_block: None,
            fill: None,
            engaged: false,
            outside: 0,
            stepped: false,
            watch_steps: false,
            correction: 0.0,
            enabled: true,
        }
    }

    /// Takes one reading. Returns true when a block ended and the correction was updated.
    pub fn observe(&mut self, reading: Reading) -> bool {
        let start = *self.block_start.get_or_insert(reading.time);
        self.block.0 += reading.time;
        self.block.1 += reading.uncorrected;
        self.block.2 += reading.fill;
        self.block.3 += 1.0;
        if reading.time - start < BLOCK_SECONDS {
            return false;
        }
        let n = self.block.3;
        let average = Reading {
            time: self.block.0 / n,
            uncorrected: self.block.1 / n,
            fill: self.block.2 / n,
        };
        self.block = (0.0, 0.0, 0.0, 0.0);
        self.block_start = None;
        self.add_block(average);
        true
    }

    fn add_block(&mut self, block: Reading) {
        // A step in the positions (a device or the machine stalled and one side caught up
        // more than the other) is no drift: start the fit over from here, with the fill as
        // it now stands as the target, rather than correcting it for many seconds.
        // Only once settled, and only on devices that run in real time: a file plugin's
        // positions mean nothing, and nothing is dropped there.
        let settled = self.enabled && self.watch_steps;
        if let (true, Some(last)) = (settled, self.window.back()) {
            if (block.uncorrected - last.uncorrected).abs() > STEP_SECONDS {
                self.resync();
                self.stepped = true;
            }
        }
        self.fill = Some(block.fill);
        let first = *self.first_block.get_or_insert(block.time);
        self.window.push_back(block);
        self.live.add(block.time, block.uncorrected, 1.0);
        while let Some(old) = self.window.front().copied() {
            if block.time - old.time <= WINDOW_SECONDS {
                break;
            }
            self.window.pop_front();
            self.live.add(old.time, old.uncorrected, -1.0);
        }
        if self.segment.n == 0.0 {
            self.segment_span.0 = block.time;
        }
        self.segment_span.1 = block.time;
        self.segment.add(block.time, block.uncorrected, 1.0);

        if self.target.is_none() && block.time - first >= SETTLE_SECONDS {
            self.target = Some(block.fill);
            self.watch_steps = true;
        }
        let Some(target) = self.target else {
            return;
        };
        let error = block.fill - target;
        self.outside = if error.abs() > DEADBAND_SECONDS {
            self.outside + 1
        } else {
            0
        };
        if self.enabled && !self.engaged && self.outside >= ENGAGE_BLOCKS {
            self.engaged = true;
        }
        if self.engaged {
            let drift = self.drift().unwrap_or(0.0);
            self.correction =
                (-drift - error / PULL_SECONDS).clamp(-MAX_CORRECTION, MAX_CORRECTION);
        }
    }

    /// Starts the fit over and finds the target again (after a step, or once the loop has
    /// caught up after an xrun), keeping the drift as the correction while engaged.
    pub fn resync(&mut self) {
        let drift = self.drift();
        self.restart();
        self.target = None;
        self.first_block = None;
        self.outside = 0;
        if self.engaged {
            self.correction = drift.map_or(0.0, |d| (-d).clamp(-MAX_CORRECTION, MAX_CORRECTION));
        }
    }

    /// Whether a step was seen since the last call.
    pub fn take_step(&mut self) -> bool {
        std::mem::take(&mut self.stepped)
    }

    /// Forgets the readings of this segment (an xrun moved a position, a device reopened),
    /// keeping its drift for the mean. The target and the correction stay as they are.
    pub fn restart(&mut self) {
        self.close_segment();
        self.block = (0.0, 0.0, 0.0, 0.0);
        self.block_start = None;
        self.window.clear();
        self.live = Fit::default();
    }

    /// Starts over for a new stream (the playback device reopened): the correction is off and
    /// the target is found again; the drift of earlier streams still counts in the mean.
    pub fn reset(&mut self) {
        self.restart();
        self.target = None;
        self.first_block = None;
        self.watch_steps = false;
        self.fill = None;
        self.engaged = false;
        self.outside = 0;
        self.correction = 0.0;
    }

    /// The correction stays off for good: the devices do not run in real time (plugins that
    /// read and write files), so their fill level says nothing about clocks.
    pub fn disable(&mut self) {
        self.enabled = false;
        self.engaged = false;
        self.correction = 0.0;
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    fn close_segment(&mut self) {
        let span = self.segment_span.1 - self.segment_span.0;
        if let Some(slope) = self.segment.slope() {
            // A stretch of a second or so between two xruns is mostly their transients.
            if span >= MIN_SPAN_SECONDS {
                self.earlier.push((slope, span));
            }
        }
        self.segment = Fit::default();
        self.segment_span = (0.0, 0.0);
    }

    /// The live drift estimate (relative; positive: the capture clock runs fast), once the
    /// window spans long enough.
    pub fn drift(&self) -> Option<f64> {
        let span = match (self.window.front(), self.window.back()) {
            (Some(first), Some(last)) => last.time - first.time,
            _ => 0.0,
        };
        if span < MIN_SPAN_SECONDS {
            return None;
        }
        self.live.slope()
    }

    /// The mean drift over everything observed, each stretch (between xruns and steps) of at
    /// least [`MIN_SPAN_SECONDS`] weighted by its length.
    pub fn mean_drift(&self) -> Option<f64> {
        let mut parts = self.earlier.clone();
        let span = self.segment_span.1 - self.segment_span.0;
        if let Some(slope) = self.segment.slope() {
            if span >= MIN_SPAN_SECONDS {
                parts.push((slope, span));
            }
        }
        let total: f64 = parts.iter().map(|(_, span)| span).sum();
        (total >= MIN_SPAN_SECONDS)
            .then(|| parts.iter().map(|(slope, span)| slope * span).sum::<f64>() / total)
    }

    /// The relative change to the resampling ratio: 0 while off.
    pub fn correction(&self) -> f64 {
        self.correction
    }

    /// Whether audio must go through the resampler.
    pub fn engaged(&self) -> bool {
        self.engaged
    }

    /// The latest block average of the fill (seconds), and the target it is held at.
    pub fn fill(&self) -> Option<(f64, f64)> {
        Some((self.fill?, self.target?))
    }
}

/// "+12.3 ppm" for a relative value.
pub fn ppm(relative: f64) -> String {
    let value = relative * 1e6;
    // No "-0.0": a figure that rounds to zero has no sign.
    let value = if value.abs() < 0.05 { 0.0 } else { value };
    format!("{value:+.1} ppm")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `seconds` of readings a period apart with a clock drift of `drift`, a constant
    /// offset and a reading jitter of ± `jitter` seconds; the fill follows the correction.
    fn simulate(control: &mut DriftControl, drift: f64, jitter: f64, seconds: f64) -> f64 {
        let period = 0.01;
        let mut corrected = 0.0;
        let mut t = 0.0;
        let mut state = 12345u64;
        while t < seconds {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 2.0 * jitter;
            let uncorrected = 0.05 + drift * t;
            control.observe(Reading {
                time: t,
                uncorrected: uncorrected + noise,
                fill: uncorrected + corrected + noise,
            });
            corrected += control.correction() * period;
            t += period;
        }
        uncorrected_error(control)
    }

    fn uncorrected_error(control: &DriftControl) -> f64 {
        control
            .fill()
            .map_or(f64::NAN, |(fill, target)| fill - target)
    }

    #[test]
    fn one_clock_needs_no_correction() {
        let mut control = DriftControl::new();
        simulate(&mut control, 0.0, 0.003, 60.0);
        assert!(!control.engaged());
        assert_eq!(control.correction(), 0.0);
        let mean = control.mean_drift().expect("a mean");
        assert!(mean.abs() < 2e-6, "{}", ppm(mean));
    }

    #[test]
    fn a_drift_is_measured_and_corrected() {
        let mut control = DriftControl::new();
        let error = simulate(&mut control, 100e-6, 0.003, 60.0);
        assert!(control.engaged());
        let drift = control.drift().expect("an estimate");
        assert!((drift - 100e-6).abs() < 5e-6, "{}", ppm(drift));
        assert!((control.correction() + 100e-6).abs() < 20e-6);
        // Held near the target instead of drifting away by 6 ms.
        assert!(error.abs() < 0.002, "{error}");
        let mean = control.mean_drift().expect("a mean");
        assert!((mean - 100e-6).abs() < 5e-6, "{}", ppm(mean));
    }

    #[test]
    fn a_slow_clock_is_corrected_the_other_way() {
        let mut control = DriftControl::new();
        simulate(&mut control, -50e-6, 0.0, 60.0);
        assert!(control.correction() > 0.0);
    }

    #[test]
    fn a_step_in_the_fill_is_not_drift() {
        let mut control = DriftControl::new();
        let period = 0.01;
        let mut t = 0.0;
        while t < 40.0 {
            // -100 ppm, and a stall at 10 s that leaves 50 ms more in the fill.
            let step = if t >= 10.0 { 0.05 } else { 0.0 };
            let fill = 0.06 - 100e-6 * t + step;
            control.observe(Reading {
                time: t,
                uncorrected: fill,
                fill,
            });
            t += period;
        }
        let drift = control.drift().expect("an estimate");
        assert!((drift + 100e-6).abs() < 2e-6, "{}", ppm(drift));
        let mean = control.mean_drift().expect("a mean");
        assert!((mean + 100e-6).abs() < 5e-6, "{}", ppm(mean));
        assert!(control.take_step() && !control.take_step());
        // Held at the fill as it stood after the step, not pulled back 50 ms.
        let (fill, target) = control.fill().unwrap();
        assert!(
            target > 0.09 && (fill - target).abs() < 0.004,
            "{fill} {target}"
        );
    }

    #[test]
    fn disabled_never_corrects_and_restarts_keep_the_mean() {
        let mut control = DriftControl::new();
        control.disable();
        simulate(&mut control, 300e-6, 0.0, 20.0);
        assert!(!control.engaged() && control.correction() == 0.0);
        control.restart();
        assert!(control.drift().is_none());
        let mean = control.mean_drift().expect("the first segment counts");
        assert!((mean - 300e-6).abs() < 1e-6, "{}", ppm(mean));
        assert_eq!(ppm(12.34e-6), "+12.3 ppm");
        assert_eq!(ppm(-0.01e-6), "+0.0 ppm");
    }
}
