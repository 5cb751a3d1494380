//! The playback loop: open a device for a [`PcmSource`]'s format, negotiate (the file's own
//! format where the device takes it, else the best one it does and a software [`Conversion`]),
//! stream whole frames into it, recover underruns, and drain at the end or drop on a stop.
//!
//! Where no conversion is needed the file's bytes go to the device as they are: no per-sample
//! work at all. Writes go in pieces of at most one period so that a stop request is seen within
//! a period, and the final drain waits in short steps for the same reason.

use std::time::Duration;

use alsa::pcm::{HwParams, State, PCM};
use alsa::ValueOr;
use anyhow::{anyhow, bail, Result};

use crate::device::negotiate::{
    self, best_substitute, supported_formats, Fit, Negotiated, Request,
};
use crate::device::pcm_io::{Transfer, XrunCount};
use crate::device::{alsa_error_text, caps, open_pcm, Direction};
use crate::sample::convert::Conversion;
use crate::signals::StopFlag;
use crate::spec::PcmSpec;
use crate::stream::source::PcmSource;

/// Which device, and how large a buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceOptions {
    pub device: String,
    pub buffer_time_us: Option<u32>,
    pub period_time_us: Option<u32>,
}

/// Whether the source's rate must be met exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RatePolicy {
    /// A file: the device must take its rate (resampling is a `plug` device's job).
    Exact,
    /// A generated tone: any rate near the asked one will do.
    Nearest,
}

/// Bytes read from a source at a time are a period's worth (as aplay reads), kept within these
/// bounds: large enough that a pass-through costs few system calls, small enough that progress
/// moves along at low data rates.
const MIN_READ_BYTES: usize = 4 * 1024;
const MAX_READ_BYTES: usize = 128 * 1024;

/// An open, configured playback device.
pub struct Player {
    pcm: PCM,
    device: String,
    /// What the device took.
    pub negotiated: Negotiated,
    /// The source layout it was opened for.
    source: PcmSpec,
    /// `None` when bytes pass unchanged.
    conversion: Option<Conversion>,
    /// Underruns so far.
    pub xruns: XrunCount,
    read_buf: Vec<u8>,
    convert_buf: Vec<u8>,
}

/// What the device can do with a source, decided before configuring it.
struct Choice {
    format: crate::sample::format::SampleFormat,
    channels: u32,
    rate: u32,
}

impl Player {
    /// Opens `options.device` for a source of layout `source`.
    pub fn open(options: &DeviceOptions, source: PcmSpec, rate: RatePolicy) -> Result<Player> {
        let device = options.device.as_str();
        let pcm = open_pcm(device, Direction::Playback)?;
        let choice = choose(&pcm, device, source, rate)?;
        let negotiated = negotiate::configure(
            &pcm,
            device,
            &Request {
                format: choice.format,
                channels: choice.channels,
                rate: choice.rate,
                fit: Fit::Exact,
                buffer_time_us: options.buffer_time_us,
                period_time_us: options.period_time_us,
            },
        )?;
        // A tone is generated at whatever rate the device took: that is the source's rate.
        let source = match rate {
            RatePolicy::Exact => source,
            RatePolicy::Nearest => PcmSpec {
                rate: negotiated.rate,
                ..source
            },
        };
        let conversion = Conversion::new(
            source.format,
            source.channels,
            negotiated.format,
            negotiated.channels,
        );
        let conversion = (!conversion.is_identity()).then_some(conversion);
        let frame = source.bytes_per_frame();
        let read_len = (negotiated.period_frames * frame).clamp(MIN_READ_BYTES, MAX_READ_BYTES);
        let read_len = (read_len / frame).max(1) * frame;
        Ok(Player {
            pcm,
            device: device.to_string(),
            negotiated,
            source,
            conversion,
            xruns: XrunCount::default(),
            read_buf: vec![0; read_len],
            convert_buf: Vec::new(),
        })
    }

    /// Whether a source of this layout can follow on the open device without a gap.
    pub fn accepts(&self, source: PcmSpec) -> bool {
        self.source == source
    }

    /// The software conversion in use, if any.
    pub fn conversion(&self) -> Option<&Conversion> {
        self.conversion.as_ref()
    }

    /// Streams `source` into the device until it ends, `limit` frames have gone, or `stop` is
    /// raised. `on_chunk` sees each piece of source bytes after it was written, with the
    /// number of frames played so far (for progress and the meter).
    pub fn play(
        &mut self,
        source: &mut dyn PcmSource,
        limit: Option<u64>,
        stop: &StopFlag,
        on_chunk: &mut dyn FnMut(&[u8], u64),
    ) -> Result<Transfer> {
        let frame = self.source.bytes_per_frame();
        let mut played: u64 = 0;
        loop {
            if stop.is_raised() {
                return Ok(Transfer::Stopped);
            }
            let mut want = self.read_buf.len();
            if let Some(limit) = limit {
                let left = limit.saturating_sub(played);
                want = want.min(left.saturating_mul(frame as u64).min(usize::MAX as u64) as usize);
            }
            if want == 0 {
                return Ok(Transfer::Complete);
            }
            let mut buf = std::mem::take(&mut self.read_buf);
            let result = source.read_frames(&mut buf[..want]).and_then(|n| match n {
                0 => Ok(None),
                n => self
                    .write_source_bytes(&buf[..n], stop)
                    .map(|t| Some((n, t))),
            });
            if let Ok(Some((n, _))) = result {
                played += (n / frame) as u64;
                on_chunk(&buf[..n], played);
            }
            self.read_buf = buf;
            match result? {
                Some((_, Transfer::Stopped)) => return Ok(Transfer::Stopped),
                Some(_) => {}
                // A read of standard input gives up with nothing when stopped.
                None if stop.is_raised() => return Ok(Transfer::Stopped),
                None => return Ok(Transfer::Complete),
            }
        }
    }

    fn write_source_bytes(&mut self, bytes: &[u8], stop: &StopFlag) -> Result<Transfer> {
        match &self.conversion {
            None => self.write_frames(bytes, stop),
            Some(conversion) => {
                let mut out = std::mem::take(&mut self.convert_buf);
                conversion.convert(bytes, &mut out);
                let result = self.write_frames(&out, stop);
                self.convert_buf = out;
                result
            }
        }
    }

    /// Writes whole device frames, at most a period per call so a stop is noticed soon.
    fn write_frames(&mut self, bytes: &[u8], stop: &StopFlag) -> Result<Transfer> {
        let frame = self.negotiated.bytes_per_frame();
        let piece = self.negotiated.period_frames.max(1) * frame;
        let mut done = 0;
        while done < bytes.len() {
            if stop.is_raised() {
                return Ok(Transfer::Stopped);
            }
            let end = (done + piece).min(bytes.len());
            let io = self.pcm.io_bytes();
            match io.writei(&bytes[done..end]) {
                Ok(frames) => done += frames * frame,
                Err(e) => self
                    .xruns
                    .recover(&self.pcm, e)
                    .map_err(|e| anyhow!("'{}': {e:#}", self.device.escape_debug()))?,
            }
        }
        Ok(Transfer::Complete)
    }

    /// Plays out what is in the buffer, then closes the device. Waits in short steps so that
    /// a stop cuts it short instead of waiting for a blocking drain. After a stop during the
    /// final drain the device is still draining on a helper thread: the process is expected to
    /// exit (which closes it).
    pub fn finish(self, stop: &StopFlag) -> Result<Transfer> {
        let pcm = &self.pcm;
        // A clip shorter than the start threshold has not started yet.
        if pcm.state() == State::Prepared && pcm.delay().unwrap_or(0) > 0 {
            let _ = pcm.start();
        }
        let rate = u64::from(self.negotiated.rate.max(1));
        let buffer = self.negotiated.buffer_frames as i64;
        let period = self.negotiated.period_frames as i64;
        loop {
            if stop.is_raised() {
                let _ = pcm.drop();
                return Ok(Transfer::Stopped);
            }
            if !matches!(pcm.state(), State::Running | State::Draining) {
                break;
            }
            let Ok(avail) = pcm.avail() else { break };
            let pending = buffer - avail;
            if pending <= period {
                break;
            }
            let ms = ((pending - period) as u64 * 1000 / rate).clamp(1, 50);
            std::thread::sleep(Duration::from_millis(ms));
        }
        if stop.is_raised() {
            let _ = pcm.drop();
            return Ok(Transfer::Stopped);
        }
        // At most a period is left, but some plugins take longer to drain (PulseAudio's waits
        // for its server, over a second). Drain on a helper thread so that a stop still ends
        // things at once: the caller then exits, and closing the process drops the stream.
        let Player { pcm, device, .. } = self;
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            crate::device::alsa_log::quiet_this_thread();
            let result = pcm.drain();
            let _ = done_tx.send(result.map_err(|e| (e.errno().abs(), alsa_error_text(&e))));
            drop(pcm);
        });
        loop {
            match done_rx.recv_timeout(Duration::from_millis(20)) {
                Ok(Ok(())) => return Ok(Transfer::Complete),
                // An underrun at the very end means everything was played.
                Ok(Err((errno, _))) if errno == libc::EPIPE => return Ok(Transfer::Complete),
                Ok(Err((_, text))) => bail!(
                    "'{}': cannot finish playback: {text}",
                    device.escape_debug()
                ),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    bail!("'{}': playback ended abnormally", device.escape_debug())
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) if stop.is_raised() => {
                    return Ok(Transfer::Stopped)
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            }
        }
    }

    /// Stops at once, dropping what is buffered (Ctrl-C).
    pub fn abort(self) {
        let _ = self.pcm.drop();
    }
}

/// Decides the format, channels and rate to ask of the device for `source`.
fn choose(pcm: &PCM, device: &str, source: PcmSpec, policy: RatePolicy) -> Result<Choice> {
    let name = device.escape_debug().to_string();
    let hw = HwParams::any(pcm).map_err(|e| {
        anyhow!(
            "'{name}': cannot read hardware parameters: {}",
            alsa_error_text(&e)
        )
    })?;
    // Access and format first: a device's channel and rate ranges can depend on them.
    let _ = hw.set_access(alsa::pcm::Access::RWInterleaved);
    let format = if hw.test_format(source.format.to_alsa()).is_ok() {
        source.format
    } else {
        best_substitute(source.format, &supported_formats(&hw))
            .ok_or_else(|| anyhow!("'{name}' takes none of the sample formats alsatool knows"))?
    };
    hw.set_format(format.to_alsa()).map_err(|e| {
        anyhow!(
            "'{name}': cannot set format {format}: {}",
            alsa_error_text(&e)
        )
    })?;
    let channels = if hw.test_channels(source.channels).is_ok() {
        source.channels
    } else {
        let min = hw.get_channels_min().unwrap_or(1);
        let max = hw.get_channels_max().unwrap_or(min);
        let near = source.channels.clamp(min, max);
        if hw.test_channels(near).is_err() {
            bail!(
                "'{name}' does not take {} channels, nor {near}",
                source.channels
            );
        }
        near
    };
    hw.set_channels(channels).map_err(|e| {
        anyhow!(
            "'{name}': cannot set {channels} channels: {}",
            alsa_error_text(&e)
        )
    })?;
    let rate = match policy {
        RatePolicy::Exact => {
            if hw.test_rate(source.rate).is_err() {
                bail!(
                    "'{name}' does not take the file's rate of {} Hz (it takes {}); play it through '{}', which resamples",
                    source.rate,
                    rates_text(&hw),
                    plug_device(device)
                );
            }
            source.rate
        }
        RatePolicy::Nearest => hw
            .set_rate_near(source.rate, ValueOr::Nearest)
            .map_err(|e| anyhow!("'{name}': cannot set a rate: {}", alsa_error_text(&e)))?,
    };
    Ok(Choice {
        format,
        channels,
        rate,
    })
}

fn rates_text(hw: &HwParams) -> String {
    let (min, max) = (
        hw.get_rate_min().unwrap_or(0),
        hw.get_rate_max().unwrap_or(0),
    );
    let common = caps::discrete_rates(hw);
    if min == max {
        format!("only {min} Hz")
    } else if !common.is_empty() && common.len() <= 8 {
        let list: Vec<String> = common.iter().map(u32::to_string).collect();
        format!("{} Hz", list.join(", "))
    } else {
        format!("{min} to {max} Hz")
    }
}

/// The device that resamples in front of `device`: `hw:X` → `plughw:X`, else `plug:NAME`.
pub fn plug_device(device: &str) -> String {
    match device.strip_prefix("hw:") {
        Some(rest) => format!("plughw:{rest}"),
        None if device.starts_with("plug") => device.to_string(),
        None if device.contains([':', ',', ' ', '\'']) => format!("plug:'{device}'"),
        None => format!("plug:{device}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resampling_device_names() {
        assert_eq!(plug_device("hw:0"), "plughw:0");
        assert_eq!(plug_device("hw:CARD=PCH,DEV=0"), "plughw:CARD=PCH,DEV=0");
        assert_eq!(plug_device("dmix"), "plug:dmix");
        assert_eq!(plug_device("plughw:1"), "plughw:1");
        assert_eq!(plug_device("file:x,raw"), "plug:'file:x,raw'");
    }
}
