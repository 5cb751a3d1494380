//! Playback, one period at a time: read whole frames from a [`PcmSource`], convert them where
//! the device does not take the source's format or channels, write them to the device, and
//! hand each piece to the caller's display. The device is negotiated once for a source layout
//! and kept open for the next source of the same layout, so that files follow without a gap.
//!
//! Where no conversion is needed the source's bytes go to the device as they are: no
//! per-sample work at all. Only where the device does not take the source's rate (or another
//! rate is asked for) does the audio go through the resampling [`Adapter`] instead, one for
//! the whole run of files the device stays open for, so that joins stay gapless.
//!
//! With [`Controls`], the loop checks them once per period: pause and resume happen here (the
//! device pauses, or the pause is emulated by [`PcmStream`]); every other command ends the
//! loop for the caller to act on ([`Ending::Command`]).

use anyhow::{bail, Result};

use crate::device::negotiate::{Negotiated, Request};
use crate::device::pcm_io::{Gap, PauseKind, PcmStream, Transfer, XrunCount};
use crate::device::Direction;
use crate::input::Stopped;
use crate::sample::convert::Conversion;
use crate::sample::resample::Quality;
use crate::signals::StopFlag;
use crate::spec::{PartialSpec, PcmSpec};
use crate::stream::adapt::Adapter;
use crate::stream::control::{Command, Controls};
use crate::stream::source::PcmSource;

/// Which device, and how large a buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceOptions {
    pub device: String,
    pub buffer_time_us: Option<u32>,
    pub period_time_us: Option<u32>,
    pub resample: ResamplePolicy,
}

/// Whether and how to resample where the device does not take a source's rate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResamplePolicy {
    /// `--no-resample`: a rate the device does not take is an error, as without a resampler.
    pub refuse: bool,
    pub quality: Quality,
    /// `--device-rate`: run the device at this rate, resampling to it.
    pub device_rate: Option<u32>,
}

/// Bytes read from a source at a time are a period's worth (as aplay reads), kept within these
/// bounds: large enough that a pass-through costs few system calls, small enough that progress
/// moves along at low data rates. A conversion's output is held to the same upper bound.
const MIN_READ_BYTES: usize = 4 * 1024;
const MAX_READ_BYTES: usize = 128 * 1024;

/// While paused, how often the stop flag is checked and the display redrawn.
const PAUSED_POLL: std::time::Duration = std::time::Duration::from_millis(50);

/// What the caller sees after each piece is written.
pub struct Played<'a> {
    /// The source's bytes just written.
    pub bytes: &'a [u8],
    /// Frames of this source written so far.
    pub frames: u64,
    /// Gaps recovered while writing them, each with its position in this source (in frames).
    pub gaps: &'a [(Gap, u64)],
}

/// An open, configured playback device.
pub struct Player {
    stream: PcmStream,
    /// The source layout it was opened for.
    source: PcmSpec,
    /// `None` when bytes pass unchanged.
    conversion: Option<Conversion>,
    /// When the device runs at another rate than the source: in place of `conversion`.
    adapter: Option<Adapter>,
    read_buf: Vec<u8>,
    convert_buf: Vec<u8>,
    /// Paused by a command: stays paused across a seek or into the next file until resumed.
    holding: bool,
}

/// How [`Player::play_steered`] ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Ending {
    /// The source ended, the limit was reached, or the stop flag was raised.
    Transfer(Transfer),
    /// A command for the caller (seek, next, quit, …); what is queued is still queued.
    Command(Command),
}

impl Player {
    /// Opens `options.device` for a source of layout `source`: its own format and channels
    /// where the device takes them (else the nearest, converted in software), and its rate
    /// exactly or, when `any_rate` (a generated tone), the nearest the device takes. A rate the
    /// device does not take is resampled (to the nearest it takes at or above), unless the
    /// policy refuses; `--device-rate` sets the device's rate outright.
    pub fn open(
        options: &DeviceOptions,
        source: PcmSpec,
        any_rate: bool,
        stop: &StopFlag,
    ) -> Result<Player> {
        let policy = options.resample;
        let request = Request {
            exact: PartialSpec {
                rate: policy.device_rate.or((!any_rate).then_some(source.rate)),
                ..PartialSpec::default()
            },
            fallback: !policy.refuse && !any_rate && policy.device_rate.is_none(),
            preferred: PcmSpec {
                rate: policy.device_rate.unwrap_or(source.rate),
                ..source
            },
            buffer_time_us: options.buffer_time_us,
            period_time_us: options.period_time_us,
        };
        let stream = PcmStream::open(&options.device, Direction::Playback, &request, stop.clone())?;
        let device = stream.negotiated.spec;
        // A tone is generated at whatever rate the device took: that is the source's rate.
        let source = PcmSpec {
            rate: if any_rate { device.rate } else { source.rate },
            ..source
        };
        let adapter = (source.rate != device.rate)
            .then(|| Adapter::new(source, device, policy.quality))
            .transpose()?;
        let conversion = Conversion::new(
            source.format,
            source.channels,
            device.format,
            device.channels,
        );
        let conversion = (!conversion.is_identity() && adapter.is_none()).then_some(conversion);
        let mut read_len = read_len(source, &stream.negotiated)?;
        if adapter.is_some() {
            // Resampling up makes more frames than it reads: bound the output as well.
            let frame = source.bytes_per_frame();
            let up = u64::from(device.rate).div_ceil(u64::from(source.rate.max(1))) as usize;
            read_len = (read_len / frame / up.max(1)).max(1) * frame;
        }
        Ok(Player {
            stream,
            source,
            conversion,
            adapter,
            read_buf: vec![0; read_len],
            convert_buf: Vec::new(),
            holding: false,
        })
    }

    /// What the device took.
    pub fn negotiated(&self) -> Negotiated {
        self.stream.negotiated
    }

    /// Whether a source of this layout can follow on the open device without a gap.
    pub fn accepts(&self, source: PcmSpec) -> bool {
        self.source == source
    }

    /// The software conversion in use, if any.
    pub fn conversion(&self) -> Option<&Conversion> {
        self.conversion.as_ref()
    }

    /// The resampling in use, if the device runs at another rate than the source.
    pub fn adapter(&self) -> Option<&Adapter> {
        self.adapter.as_ref()
    }

    /// Underruns and suspends so far.
    pub fn counts(&self) -> XrunCount {
        self.stream.counts()
    }

    /// The playback loop: streams `source` into the device until it ends, `limit` frames have
    /// gone, or the stop flag is raised; `on_played` sees each piece after it was written.
    /// Steered by `controls`, read once per period: pause and resume are done here, any other
    /// command ends the loop and is returned. While
    /// paused, `on_played` is called with no bytes a few times a second (to redraw).
    pub fn play_steered(
        &mut self,
        source: &mut dyn PcmSource,
        limit: Option<u64>,
        controls: &Controls,
        on_played: &mut dyn FnMut(Played),
    ) -> Result<Ending> {
        let frame = self.source.bytes_per_frame() as u64;
        let device_start = self.stream.frames();
        let mut played: u64 = 0;
        let mut buf = std::mem::take(&mut self.read_buf);
        let result = loop {
            match self.obey(controls, played, on_played) {
                Ok(None) => {}
                Ok(Some(ending)) => break Ok(ending),
                Err(e) => break Err(e),
            }
            let left = limit.map_or(u64::MAX, |limit| limit.saturating_sub(played));
            let want = (buf.len() as u64).min(left.saturating_mul(frame)) as usize;
            if want == 0 {
                break Ok(Ending::Transfer(Transfer::Complete));
            }
            let n = match source.read_frames(&mut buf[..want]) {
                Ok(0) => break Ok(Ending::Transfer(Transfer::Complete)),
                Ok(n) => n,
                // A read of a pipe or terminal gives up when stopped.
                Err(e) if e.is::<Stopped>() => break Ok(Ending::Transfer(Transfer::Stopped)),
                Err(e) => break Err(e),
            };
            let transfer = match (&mut self.adapter, &self.conversion) {
                (Some(adapter), _) => match adapter.process(&buf[..n]) {
                    Ok(out) => self.stream.write(out),
                    Err(e) => Err(e),
                },
                (None, None) => self.stream.write(&buf[..n]),
                (None, Some(conversion)) => {
                    conversion.convert(&buf[..n], &mut self.convert_buf);
                    self.stream.write(&self.convert_buf)
                }
            };
            let transfer = match transfer {
                Ok(t) => t,
                Err(e) => break Err(e),
            };
            played += n as u64 / frame;
            // A gap's position in this source: everything written before it had been heard
            // (device frames, counted at the source's rate where they differ).
            let gaps: Vec<(Gap, u64)> = self
                .stream
                .take_gaps()
                .into_iter()
                .map(|g| {
                    let at = self.to_source_frames(g.at_frame.saturating_sub(device_start));
                    (g, at)
                })
                .collect();
            on_played(Played {
                bytes: &buf[..n],
                frames: played,
                gaps: &gaps,
            });
            if transfer == Transfer::Stopped {
                break Ok(Ending::Transfer(Transfer::Stopped));
            }
        };
        self.read_buf = buf;
        result
    }

    /// Acts on the commands waiting, and waits while paused. `Some` when the loop is to end.
    fn obey(
        &mut self,
        controls: &Controls,
        played: u64,
        on_played: &mut dyn FnMut(Played),
    ) -> Result<Option<Ending>> {
        let mut next = controls.try_recv();
        loop {
            match next {
                Some(Command::Pause) => self.holding = true,
                Some(Command::Resume) => self.holding = false,
                Some(Command::Toggle) => self.holding = !self.holding,
                Some(other) => return Ok(Some(Ending::Command(other))),
                None if !self.holding => break,
                None => {}
            }
            if self.holding && !self.stream.is_paused() {
                let unheard = self.unheard();
                let kind = self.stream.pause()?;
                // Only now does the status say "paused": the pause took effect.
                controls
                    .status
                    .set_paused(Some((unheard, kind == PauseKind::Emulated)));
            } else if !self.holding && self.stream.is_paused() {
                controls.status.set_paused(None);
                if self.stream.resume()? == Transfer::Stopped {
                    return Ok(Some(Ending::Transfer(Transfer::Stopped)));
                }
            }
            if !self.holding {
                next = controls.try_recv();
                continue;
            }
            if self.stream.stopped() {
                return Ok(Some(Ending::Transfer(Transfer::Stopped)));
            }
            on_played(Played {
                bytes: &[],
                frames: played,
                gaps: &[],
            });
            next = controls.recv_timeout(PAUSED_POLL);
        }
        Ok(None)
    }

    /// Whether playback is paused by a command (and stays so across seeks and files).
    pub fn is_holding(&self) -> bool {
        self.holding
    }

    /// Starts paused (`true`): a player opened while playback was paused.
    pub fn hold(&mut self, holding: bool) {
        self.holding = holding;
    }

    /// Whether the device pauses itself (else pausing drops what is queued and writes it again).
    pub fn can_pause(&self) -> bool {
        self.stream.can_pause()
    }

    /// Readies pausing for a device that cannot pause: keeps a copy of what is queued.
    pub fn enable_pause(&mut self) {
        self.stream.keep_queued();
    }

    /// Frames written and not yet heard.
    pub fn unheard(&self) -> u64 {
        self.to_source_frames(self.stream.unheard())
    }

    /// Device frames counted at the source's rate (the device's own differs when resampling).
    fn to_source_frames(&self, device_frames: u64) -> u64 {
        let device_rate = u128::from(self.stream.negotiated.spec.rate.max(1));
        (u128::from(device_frames) * u128::from(self.source.rate) / device_rate) as u64
    }

    /// Drops what is queued and not yet heard (a seek, the next file), so that what is written
    /// next is heard at once; returns how many frames were dropped.
    pub fn discard(&mut self) -> Result<u64> {
        self.stream.discard()
    }

    /// Plays out what is buffered (the resampler's tail too) and closes the device (a stop
    /// cuts it short).
    pub fn finish(mut self) -> Result<Transfer> {
        if let Some(adapter) = &mut self.adapter {
            let written = adapter.finish().and_then(|tail| self.stream.write(tail));
            match written {
                Ok(Transfer::Complete) => {}
                Ok(Transfer::Stopped) => {
                    self.stream.abort();
                    return Ok(Transfer::Stopped);
                }
                Err(e) => {
                    self.stream.abort();
                    return Err(e);
                }
            }
        }
        self.stream.drain()
    }

    /// Stops at once, dropping what is buffered (Ctrl-C).
    pub fn abort(self) {
        self.stream.abort();
    }
}

/// Bytes to read from a source at a time: about a period, within [`MIN_READ_BYTES`] and
/// [`MAX_READ_BYTES`], whole frames, and small enough that a conversion's output (more channels
/// or wider samples) stays within [`MAX_READ_BYTES`] too.
fn read_len(source: PcmSpec, device: &Negotiated) -> Result<usize> {
    let frame = source.bytes_per_frame();
    let device_frame = device.bytes_per_frame();
    if frame == 0 || device_frame == 0 {
        bail!("an empty frame cannot be played");
    }
    let frames = (device.period_frames * frame).clamp(MIN_READ_BYTES, MAX_READ_BYTES) / frame;
    let frames = frames.min(MAX_READ_BYTES / device_frame).max(1);
    Ok(frames * frame)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::format::SampleFormat;

    fn spec(format: SampleFormat, channels: u32) -> PcmSpec {
        PcmSpec {
            format,
            channels,
            rate: 48000,
        }
    }

    fn device(format: SampleFormat, channels: u32, period_frames: usize) -> Negotiated {
        Negotiated {
            spec: spec(format, channels),
            period_frames,
            buffer_frames: period_frames * 4,
        }
    }

    #[test]
    fn reads_are_about_a_period_of_whole_frames() {
        let stereo = spec(SampleFormat::S16_LE, 2);
        let len = read_len(stereo, &device(SampleFormat::S16_LE, 2, 6000));
        assert_eq!(len.ok(), Some(24_000));
        let len = read_len(stereo, &device(SampleFormat::S16_LE, 2, 16));
        assert_eq!(len.ok(), Some(MIN_READ_BYTES));
        let odd = spec(SampleFormat::S24_3LE, 3);
        let len = read_len(odd, &device(SampleFormat::S24_3LE, 3, 1 << 20)).unwrap_or(0);
        assert!(len <= MAX_READ_BYTES && len % 9 == 0 && len > 0, "{len}");
    }

    #[test]
    fn a_widening_conversion_keeps_its_output_bounded() {
        let mono = spec(SampleFormat::S16_LE, 1);
        let wide = device(SampleFormat::FLOAT64_LE, 1024, 1 << 16);
        let len = read_len(mono, &wide).unwrap_or(0);
        let out_frames = len / mono.bytes_per_frame();
        assert!(out_frames * wide.bytes_per_frame() <= MAX_READ_BYTES.max(8192));
        assert!(len > 0);
    }
}
