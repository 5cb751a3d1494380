//! The level trigger of `record --trigger`: which captured frames belong to which take. Pure:
//! it reads chunks of PCM and says what to do with them ([`Step`]); the recorder
//! (the recorder) opens and finishes the files.
//!
//! Definitions, all to the frame:
//! - a frame is *loud* when the peak over its channels reaches the threshold (`>=`, in dBFS,
//!   as the meter measures: a fraction of full scale);
//! - armed, a take starts at the first loud frame, with up to `pre_roll` frames before it from
//!   a bounded ring (never reaching back into the take before: the ring starts empty after it);
//! - a take ends once `hang` frames in a row have been quiet, those frames included, and not
//!   before it holds `min_take` frames (pre-roll included): a click makes a short take, never a
//!   tiny file;
//! - `split`: everything is recorded, and a new file starts where a take would end; the files,
//!   one after another, are the whole recording.
//!
//! Memory is the ring alone (`pre_roll` frames), whatever the chunks.

use std::collections::VecDeque;
use std::time::Duration;

use anyhow::Result;

use crate::sample::format::SampleFormat;
use crate::sample::peaks::accumulate_peaks;
use crate::spec::{frames_in, PcmSpec};
use crate::stream::meter::dbfs;

/// What the trigger does with the audio it was given, in order.
#[derive(Debug, PartialEq, Eq)]
pub enum Step<'a> {
    /// A take (a file) begins.
    Start,
    /// Audio of the current take.
    Audio(&'a [u8]),
    /// The current take is complete.
    End,
}

/// The trigger's settings, in frames at the recording's rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TriggerConfig {
    /// dBFS, at most 0.
    pub threshold_db: f64,
    pub hang: u64,
    pub pre_roll: u64,
    pub min_take: u64,
    pub split: bool,
    /// Stop after this many takes.
    pub takes: Option<u32>,
}

impl TriggerConfig {
    /// Settings from the command line's times, at `rate`.
    pub fn new(
        threshold_db: f64,
        hang: Duration,
        pre_roll: Duration,
        min_take: Duration,
        split: bool,
        takes: Option<u32>,
        rate: u32,
    ) -> TriggerConfig {
        TriggerConfig {
            threshold_db,
            // At least one quiet frame ends a take: "no hang" still needs silence to end.
            hang: frames_in(hang, rate).max(1),
            pre_roll: frames_in(pre_roll, rate),
            min_take: frames_in(min_take, rate),
            split,
            takes,
        }
    }
}

/// Where the trigger is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Waiting for sound, keeping the pre-roll.
    Armed,
    /// In a take.
    Recording,
    /// `split`: in a file, after a silence (or at the start), waiting for sound.
    Silent,
    /// The last take asked for is complete.
    Done,
}

/// The last `capacity` bytes given to it.
struct Ring {
    bytes: VecDeque<u8>,
    capacity: usize,
}

impl Ring {
    fn push(&mut self, mut bytes: &[u8]) {
        if self.capacity == 0 {
            return;
        }
        if bytes.len() >= self.capacity {
            bytes = &bytes[bytes.len() - self.capacity..];
            self.bytes.clear();
        }
        let excess = (self.bytes.len() + bytes.len()).saturating_sub(self.capacity);
        self.bytes.drain(..excess);
        self.bytes.extend(bytes);
    }
}

/// The state machine. Feed it every chunk in order.
pub struct Trigger {
    config: TriggerConfig,
    format: SampleFormat,
    frame_bytes: usize,
    threshold: f32,
    state: State,
    ring: Ring,
    /// Quiet frames since the last loud one, in this take.
    quiet_run: u64,
    /// Frames in this take so far.
    take_len: u64,
    takes_done: u32,
    /// `split`: the first file has not started yet.
    first_file: bool,
    peaks: Vec<f32>,
    /// The highest peak since [`Trigger::take_level`], as a fraction of full scale.
    level: f32,
}

impl Trigger {
    pub fn new(config: TriggerConfig, spec: PcmSpec) -> Trigger {
        let frame_bytes = spec.bytes_per_frame().max(1);
        let capacity = usize::try_from(config.pre_roll)
            .unwrap_or(usize::MAX)
            .saturating_mul(frame_bytes);
        Trigger {
            config,
            format: spec.format,
            frame_bytes,
            threshold: 10f64.powf(config.threshold_db / 20.0) as f32,
            state: if config.split {
                State::Silent
            } else {
                State::Armed
            },
            ring: Ring {
                bytes: VecDeque::new(),
                capacity,
            },
            quiet_run: 0,
            take_len: 0,
            takes_done: 0,
            first_file: config.split,
            peaks: vec![0.0; spec.channels.max(1) as usize],
            level: 0.0,
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// Takes that are complete.
    pub fn takes_done(&self) -> u32 {
        self.takes_done
    }

    /// Whether a take (a file) is open.
    pub fn in_take(&self) -> bool {
        matches!(self.state, State::Recording | State::Silent) && !self.first_file
    }

    /// The peak level since the last call, in dBFS (for the display), starting it over.
    pub fn take_level(&mut self) -> f32 {
        let level = dbfs(self.level);
        self.level = 0.0;
        level
    }

    pub fn threshold_db(&self) -> f64 {
        self.config.threshold_db
    }

    /// The peak over all channels of `bytes` (whole frames).
    fn peak(&mut self, bytes: &[u8]) -> f32 {
        self.peaks.fill(0.0);
        accumulate_peaks(self.format, bytes, &mut self.peaks);
        self.peaks.iter().copied().fold(0.0, f32::max)
    }

    /// The first loud frame in `bytes`, by halving: each pass reads half of what the last one
    /// did, so finding it costs about one pass over `bytes`, with the vectorized peak loop.
    fn first_loud(&mut self, bytes: &[u8]) -> Option<usize> {
        let fb = self.frame_bytes;
        let (mut lo, mut hi) = (0, bytes.len() / fb);
        if hi == 0 || self.peak(bytes) < self.threshold {
            return None;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.peak(&bytes[lo * fb..mid * fb]) >= self.threshold {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(lo)
    }

    /// The last loud frame in `bytes`, by halving from the right.
    fn last_loud(&mut self, bytes: &[u8]) -> Option<usize> {
        let fb = self.frame_bytes;
        let (mut lo, mut hi) = (0, bytes.len() / fb);
        if hi == 0 || self.peak(bytes) < self.threshold {
            return None;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.peak(&bytes[mid * fb..hi * fb]) >= self.threshold {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(lo)
    }

    /// Takes in the next chunk (whole frames) and calls `step` with what to do, in order. An
    /// error from `step` ends the feed with it.
    pub fn feed(&mut self, chunk: &[u8], mut step: impl FnMut(Step) -> Result<()>) -> Result<()> {
        let fb = self.frame_bytes;
        let chunk = &chunk[..chunk.len() / fb * fb];
        let peak = self.peak(chunk);
        self.level = self.level.max(peak);
        let n = chunk.len() / fb;
        let mut p = 0;
        if self.first_file && self.state != State::Done {
            self.first_file = false;
            step(Step::Start)?;
        }
        while p < n {
            match self.state {
                State::Done => return Ok(()),
                State::Armed => match self.first_loud(&chunk[p * fb..]) {
                    None => {
                        self.ring.push(&chunk[p * fb..]);
                        p = n;
                    }
                    Some(i) => {
                        self.ring.push(&chunk[p * fb..(p + i) * fb]);
                        step(Step::Start)?;
                        let (a, b) = self.ring.bytes.as_slices();
                        for part in [a, b] {
                            if !part.is_empty() {
                                step(Step::Audio(part))?;
                            }
                        }
                        self.take_len = (self.ring.bytes.len() / fb) as u64;
                        self.ring.bytes.clear();
                        self.quiet_run = 0;
                        self.state = State::Recording;
                        p += i;
                    }
                },
                State::Silent => match self.first_loud(&chunk[p * fb..]) {
                    None => {
                        step(Step::Audio(&chunk[p * fb..]))?;
                        self.take_len += (n - p) as u64;
                        p = n;
                    }
                    Some(i) => {
                        if i > 0 {
                            step(Step::Audio(&chunk[p * fb..(p + i) * fb]))?;
                        }
                        self.take_len += i as u64;
                        self.quiet_run = 0;
                        self.state = State::Recording;
                        p += i;
                    }
                },
                State::Recording => {
                    let need = self
                        .config
                        .hang
                        .saturating_sub(self.quiet_run)
                        .max(self.config.min_take.saturating_sub(self.take_len));
                    if need == 0 {
                        self.end_take(&mut step)?;
                        continue;
                    }
                    // No take can end inside the next `need` frames (before them it is too
                    // short, or a loud frame among them starts the quiet over and what is left
                    // is shorter than the hang), so they go whole, and only the last loud frame
                    // among them matters: one pass over them, however loud.
                    let end = n.min(p.saturating_add(usize::try_from(need).unwrap_or(usize::MAX)));
                    let window = &chunk[p * fb..end * fb];
                    let k = (end - p) as u64;
                    self.quiet_run = match self.last_loud(window) {
                        Some(j) => (end - p - j - 1) as u64,
                        None => self.quiet_run + k,
                    };
                    step(Step::Audio(window))?;
                    self.take_len += k;
                    p = end;
                    if self.quiet_run >= self.config.hang && self.take_len >= self.config.min_take {
                        self.end_take(&mut step)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Ends the take; with `split`, the next file starts at once.
    fn end_take(&mut self, step: &mut impl FnMut(Step) -> Result<()>) -> Result<()> {
        step(Step::End)?;
        self.takes_done += 1;
        self.take_len = 0;
        self.quiet_run = 0;
        self.ring.bytes.clear();
        self.state = if self.config.takes.is_some_and(|t| self.takes_done >= t) {
            State::Done
        } else if self.config.split {
            step(Step::Start)?;
            State::Silent
        } else {
            State::Armed
        };
        Ok(())
    }
}

/// Parses a level in dBFS: "-40dB", "-40 dB", "-40". At most 0 (full scale).
pub fn parse_db(text: &str) -> Result<f64, String> {
    let bad = || format!("'{text}' is not a level; give dBFS at most 0, like -40dB");
    let t = text.trim();
    let number = t
        .strip_suffix("dB")
        .or_else(|| t.strip_suffix("db"))
        .or_else(|| t.strip_suffix("DB"))
        .unwrap_or(t)
        .trim();
    let db: f64 = number.parse().map_err(|_| bad())?;
    if !db.is_finite() || db > 0.0 {
        return Err(bad());
    }
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::format::SampleFormat::S16_LE;

    const SPEC: PcmSpec = PcmSpec {
        format: S16_LE,
        channels: 2,
        rate: 1000,
    };

    /// Frames of stereo S16: `loud` ones at half scale on the right channel only.
    fn frames(pattern: &[(bool, usize)]) -> Vec<u8> {
        let mut out = Vec::new();
        for &(loud, n) in pattern {
            for i in 0..n {
                let v: i16 = if loud { 16384 } else { (i % 7) as i16 }; // quiet: -73 dBFS noise
                out.extend_from_slice(&0i16.to_le_bytes());
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    fn config(hang: u64, pre_roll: u64, min_take: u64) -> TriggerConfig {
        TriggerConfig {
            threshold_db: -40.0,
            hang,
            pre_roll,
            min_take,
            split: false,
            takes: None,
        }
    }

    /// Runs `input` through a trigger in chunks of `chunk` frames; the takes as (start, end)
    /// frame offsets in the input, checking every take is a contiguous slice of it.
    fn takes(config: TriggerConfig, input: &[u8], chunk: usize) -> Vec<(usize, usize)> {
        let mut t = Trigger::new(config, SPEC);
        let mut out: Vec<Vec<u8>> = Vec::new();
        let mut open = false;
        for piece in input.chunks(chunk * 4) {
            t.feed(piece, |s| {
                match s {
                    Step::Start => {
                        assert!(!open);
                        open = true;
                        out.push(Vec::new());
                    }
                    Step::Audio(a) => {
                        assert!(open);
                        out.last_mut().unwrap().extend_from_slice(a);
                    }
                    Step::End => {
                        assert!(open);
                        open = false;
                    }
                }
                Ok(())
            })
            .unwrap();
        }
        let mut found = Vec::new();
        let mut from = 0;
        for take in out {
            let at = (from..=input.len() - take.len())
                .step_by(4)
                .find(|&i| input[i..i + take.len()] == take[..])
                .expect("a take is a slice of the input");
            found.push((at / 4, (at + take.len()) / 4));
            from = at + take.len();
        }
        found
    }

    #[test]
    fn two_takes_with_pre_roll_and_hang_to_the_frame() {
        let input = frames(&[
            (false, 500),
            (true, 100),
            (false, 700),
            (true, 50),
            (false, 600),
        ]);
        for chunk in [1, 7, 64, 1000, 5000] {
            assert_eq!(
                takes(config(200, 100, 0), &input, chunk),
                [(400, 800), (1200, 1550)],
                "chunks of {chunk}"
            );
        }
    }

    #[test]
    fn pre_roll_is_what_there_is_and_min_take_lengthens() {
        // Sound at once: no pre-roll to give. A 10-frame click lasts the minimum take.
        let input = frames(&[(true, 10), (false, 1000)]);
        assert_eq!(takes(config(50, 100, 300), &input, 33), [(0, 300)]);
        // A take never reaches back into the one before.
        let input = frames(&[(true, 10), (false, 60), (true, 10), (false, 100)]);
        assert_eq!(takes(config(50, 100, 0), &input, 16), [(0, 60), (60, 130)]);
    }

    #[test]
    fn loud_again_within_the_hang_keeps_one_take() {
        let input = frames(&[
            (false, 50),
            (true, 10),
            (false, 199),
            (true, 10),
            (false, 300),
        ]);
        assert_eq!(takes(config(200, 0, 0), &input, 25), [(50, 469)]);
    }

    #[test]
    fn split_keeps_everything_and_takes_stops() {
        let input = frames(&[
            (false, 100),
            (true, 10),
            (false, 300),
            (true, 10),
            (false, 300),
        ]);
        let split = TriggerConfig {
            split: true,
            ..config(100, 50, 0)
        };
        assert_eq!(takes(split, &input, 40), [(0, 210), (210, 520), (520, 720)]);
        let two = TriggerConfig {
            takes: Some(1),
            ..config(100, 50, 0)
        };
        let mut t = Trigger::new(two, SPEC);
        let mut ends = 0;
        t.feed(&input, |s| {
            ends += usize::from(s == Step::End);
            Ok(())
        })
        .unwrap();
        assert_eq!((ends, t.state()), (1, State::Done));
    }

    #[test]
    fn the_ring_stays_bounded() {
        let mut t = Trigger::new(config(10, 100, 0), SPEC);
        for _ in 0..100 {
            t.feed(&frames(&[(false, 1000)]), |_| Ok(())).unwrap();
        }
        assert_eq!(t.ring.bytes.len(), 400);
        assert_eq!(t.state(), State::Armed);
    }

    #[test]
    fn levels_and_spans_parse() {
        assert_eq!(parse_db("-40dB"), Ok(-40.0));
        assert_eq!(parse_db("-12.5"), Ok(-12.5));
        assert!(parse_db("3dB").is_err());
        assert_eq!(
            crate::progress::parse_short_time("2s"),
            Ok(Duration::from_secs(2))
        );
        assert_eq!(
            crate::progress::parse_short_time("500ms"),
            Ok(Duration::from_millis(500))
        );
        assert_eq!(
            crate::progress::parse_short_time("0:01.5"),
            Ok(Duration::from_millis(1500))
        );
        assert!(crate::progress::parse_short_time("-1s").is_err());
    }
}
