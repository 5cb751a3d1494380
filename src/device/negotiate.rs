//! Hardware parameter negotiation, one function for every stream: ask for a [`PcmSpec`], each
//! of its three parts either exactly (fail, saying what the device takes and what to use
//! instead) or the nearest the device takes, with a buffer and period size; read back what the
//! device took.
//!
//! Play asks for the file's own format and channels where the device takes them, else the
//! nearest (and converts in software), and for its rate exactly; a tone takes any rate; record
//! asks exactly for what the user gave and the nearest for the rest. A request is therefore a
//! [`PcmSpec`] to come as close to as the device allows, and the [`PartialSpec`] of the parts
//! that must come out exactly, unless the caller converts what the device lacks
//! ([`Request::fallback`]: play resamples a rate, record converts any part).

use alsa::pcm::{Access, HwParams, PCM};
use alsa::{Direction, ValueOr};
use anyhow::{anyhow, bail, Context, Result};

use super::{alsa_error_text, caps};
use crate::sample::format::{Encoding, SampleFormat};
use crate::spec::{PartialSpec, PcmSpec};

/// What to ask of a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    /// The parts that must come out exactly as given: a file's rate, what the user gave to
    /// record. The device fails the request, saying what it takes, when it does not.
    pub exact: PartialSpec,
    /// When the device does not take a part of `exact`: take what it has instead, for the
    /// caller to convert in software, rather than fail. The format is the one that holds the
    /// asked-for one best, channels the nearest count, and the rate the nearest at or above
    /// (the highest it takes when none is above): resampling up loses nothing.
    pub fallback: bool,
    /// What to come as close to as the device allows, for the parts not in `exact`: for a
    /// format, the one that holds it best ([`best_substitute`]); for channels and rate, the
    /// nearest value.
    pub preferred: PcmSpec,
    /// Buffer length in microseconds; `None` leaves it to [`DEFAULT_BUFFER_US`].
    pub buffer_time_us: Option<u32>,
    /// Period length in microseconds; `None` makes it a quarter of the buffer.
    pub period_time_us: Option<u32>,
}

/// aplay's default: half a second of buffer, at most.
pub const DEFAULT_BUFFER_US: u32 = 500_000;

/// The default buffer is shorter where half a second would take more than this (hundreds of
/// channels at high rates): some plugins allocate the whole buffer in our process.
pub const DEFAULT_BUFFER_MAX_BYTES: u64 = 8 << 20;

/// The largest frame a stream takes: 8,192 channels of 64-bit samples. Larger ones are refused
/// rather than left to fill memory.
pub const MAX_FRAME_BYTES: usize = 64 << 10;

/// What the device actually took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Negotiated {
    pub spec: PcmSpec,
    /// Frames per period: the unit the device wakes us for.
    pub period_frames: usize,
    /// Frames in the whole ring buffer.
    pub buffer_frames: usize,
}

impl Negotiated {
    pub fn bytes_per_frame(&self) -> usize {
        self.spec.bytes_per_frame()
    }
}

/// Applies `request` to a freshly opened `pcm` (interleaved read/write access) and sets the
/// software parameters: playback starts once the buffer is full (aplay's default), capture as
/// soon as a read asks for a frame (arecord's), so that it runs again by itself after an
/// overrun; either way the device wakes us each period.
pub fn configure(
    pcm: &PCM,
    device: &str,
    direction: Direction,
    request: &Request,
) -> Result<Negotiated> {
    let hw = HwParams::any(pcm).map_err(|e| {
        anyhow!(
            "'{device}': cannot read hardware parameters: {}",
            alsa_error_text(&e)
        )
    })?;
    hw.set_access(Access::RWInterleaved).map_err(|_| {
        anyhow!("'{device}' does not take interleaved read/write access; use plug:{device}")
    })?;
    let wanted = request.exact.or(request.preferred);
    let refuse = |what: String, takes: String, rate: bool| {
        anyhow!(
            "'{device}' does not take {what} (it takes {takes}); {}",
            advice(device, direction, rate)
        )
    };

    // Format first, then channels, then rate: a device's ranges can depend on the earlier ones.
    let format = if hw.test_format(wanted.format.to_alsa()).is_ok() {
        wanted.format
    } else if request.exact.format.is_some() && !request.fallback {
        return Err(refuse(
            format!("sample format {}", wanted.format),
            caps::formats_text(&hw),
            false,
        ));
    } else {
        best_substitute(wanted.format, &caps::supported_formats(&hw))
            .ok_or_else(|| anyhow!("'{device}' takes none of the sample formats alsatool knows"))?
    };
    hw.set_format(format.to_alsa()).map_err(|e| {
        anyhow!(
            "'{device}': cannot set format {format}: {}",
            alsa_error_text(&e)
        )
    })?;

    if hw.test_channels(wanted.channels).is_ok() {
        hw.set_channels(wanted.channels)
    } else if request.exact.channels.is_some() && !request.fallback {
        return Err(refuse(
            format!("{} channels", wanted.channels),
            caps::channels_text(&hw),
            false,
        ));
    } else {
        hw.set_channels_near(wanted.channels).map(|_| ())
    }
    .map_err(|e| anyhow!("'{device}': cannot set channels: {}", alsa_error_text(&e)))?;

    if hw.test_rate(wanted.rate).is_ok() {
        hw.set_rate(wanted.rate, ValueOr::Nearest)
    } else if request.exact.rate.is_some() && !request.fallback {
        return Err(refuse(
            format!("{} Hz", wanted.rate),
            caps::rates_text(&hw),
            true,
        ));
    } else if request.exact.rate.is_some() {
        let rate = rate_at_or_above(&hw, wanted.rate);
        hw.set_rate(rate, ValueOr::Nearest)
            .or_else(|_| hw.set_rate_near(wanted.rate, ValueOr::Nearest).map(|_| ()))
    } else {
        hw.set_rate_near(wanted.rate, ValueOr::Nearest).map(|_| ())
    }
    .map_err(|e| anyhow!("'{device}': cannot set the rate: {}", alsa_error_text(&e)))?;

    let frame_bytes =
        (format.bytes() as u64) * u64::from(hw.get_channels().unwrap_or(wanted.channels));
    if frame_bytes > MAX_FRAME_BYTES as u64 {
        bail!(
            "'{device}': a frame of {} channels of {format} is {frame_bytes} bytes; alsatool takes at most {MAX_FRAME_BYTES} bytes a frame",
            hw.get_channels().unwrap_or(wanted.channels)
        );
    }
    let rate = u64::from(hw.get_rate().unwrap_or(wanted.rate).max(1));
    let bounded_us = DEFAULT_BUFFER_MAX_BYTES * 1_000_000 / (frame_bytes.max(1) * rate);
    let buffer_max = hw.get_buffer_time_max().unwrap_or(DEFAULT_BUFFER_US);
    let buffer_us = request.buffer_time_us.unwrap_or(
        DEFAULT_BUFFER_US
            .min(buffer_max)
            .min(u32::try_from(bounded_us).unwrap_or(u32::MAX).max(1000)),
    );
    let period_us = request.period_time_us.unwrap_or(buffer_us / 4);
    // Period first, as aplay does: some drivers only take a buffer that is a multiple of it.
    hw.set_period_time_near(period_us, ValueOr::Nearest)
        .map_err(|e| {
            anyhow!(
                "'{device}': cannot set the period time: {}",
                alsa_error_text(&e)
            )
        })?;
    hw.set_buffer_time_near(buffer_us, ValueOr::Nearest)
        .map_err(|e| {
            anyhow!(
                "'{device}': cannot set the buffer time: {}",
                alsa_error_text(&e)
            )
        })?;
    pcm.hw_params(&hw).map_err(|e| {
        anyhow!(
            "'{device}' refused the hardware parameters {format}, {} channels, {} Hz: {}",
            wanted.channels,
            wanted.rate,
            alsa_error_text(&e)
        )
    })?;

    let negotiated = read_back(pcm).with_context(|| format!("'{device}'"))?;
    let sw = pcm.sw_params_current().map_err(|e| {
        anyhow!(
            "'{device}': cannot read software parameters: {}",
            alsa_error_text(&e)
        )
    })?;
    let buffer = negotiated.buffer_frames as alsa::pcm::Frames;
    let period = negotiated.period_frames as alsa::pcm::Frames;
    let start_threshold = match direction {
        Direction::Playback => (buffer / period) * period,
        Direction::Capture => 1,
    };
    // Timestamps in every status, so that a recovered xrun can say how long it lasted.
    let _ = sw.set_tstamp_mode(true);
    sw.set_start_threshold(start_threshold)
        .and_then(|_| sw.set_avail_min(period))
        .and_then(|_| pcm.sw_params(&sw))
        .map_err(|e| {
            anyhow!(
                "'{device}': cannot set software parameters: {}",
                alsa_error_text(&e)
            )
        })?;
    Ok(negotiated)
}

/// The rate to resample to when a device does not take `wanted`: the lowest it takes above it
/// (so nothing of the source's band is lost), else the highest it takes.
fn rate_at_or_above(hw: &HwParams, wanted: u32) -> u32 {
    let (Ok(min), Ok(max)) = (hw.get_rate_min(), hw.get_rate_max()) else {
        return wanted;
    };
    if wanted <= min {
        return min;
    }
    if wanted >= max {
        return max;
    }
    // Inside the range but not taken: a device with a list of rates. The common ones above.
    caps::COMMON_RATES
        .iter()
        .copied()
        .filter(|&r| r > wanted && r <= max)
        .find(|&r| hw.test_rate(r).is_ok())
        .unwrap_or(max)
}

/// What to use when a device does not take a spec exactly; `rate`: it is the rate it lacks.
fn advice(device: &str, direction: Direction, rate: bool) -> String {
    let verb = if rate { "resamples" } else { "converts" };
    match direction {
        Direction::Playback => format!("play it through '{}', which {verb}", plug_device(device)),
        Direction::Capture => format!("record through '{}', which converts", plug_device(device)),
    }
}

/// The device that converts in front of `device`: `hw:X` → `plughw:X`, else `plug:NAME`.
pub fn plug_device(device: &str) -> String {
    match device.strip_prefix("hw:") {
        Some(rest) => format!("plughw:{rest}"),
        None if device.starts_with("plug") => device.to_string(),
        None if device.contains([':', ',', ' ', '\'']) => format!("plug:'{device}'"),
        None => format!("plug:{device}"),
    }
}

/// Reads the parameters a configured PCM runs with.
pub fn read_back(pcm: &PCM) -> Result<Negotiated> {
    let hw = pcm.hw_params_current().map_err(|e| {
        anyhow!(
            "cannot read back hardware parameters: {}",
            alsa_error_text(&e)
        )
    })?;
    let alsa_format = hw
        .get_format()
        .map_err(|e| anyhow!("cannot read back the format: {}", alsa_error_text(&e)))?;
    let format = SampleFormat::from_alsa(alsa_format).ok_or_else(|| {
        anyhow!("the device chose format {alsa_format}, which alsatool does not know")
    })?;
    let get = |r: alsa::Result<u32>, what: &str| {
        r.map_err(|e| anyhow!("cannot read back the {what}: {}", alsa_error_text(&e)))
    };
    let channels = get(hw.get_channels(), "channel count")?;
    let rate = get(hw.get_rate(), "rate")?;
    let period_frames = hw
        .get_period_size()
        .map_err(|e| anyhow!("cannot read back the period size: {}", alsa_error_text(&e)))?;
    let buffer_frames = hw
        .get_buffer_size()
        .map_err(|e| anyhow!("cannot read back the buffer size: {}", alsa_error_text(&e)))?;
    if period_frames <= 0 || buffer_frames <= 0 || channels == 0 || rate == 0 {
        bail!("the device reported an empty period, buffer, channel count or rate");
    }
    Ok(Negotiated {
        spec: PcmSpec {
            format,
            channels,
            rate,
        },
        period_frames: period_frames as usize,
        buffer_frames: buffer_frames as usize,
    })
}

/// Picks from `supported` the format that represents `wanted` best. Pure, so it is unit-tested.
pub fn best_substitute(wanted: SampleFormat, supported: &[SampleFormat]) -> Option<SampleFormat> {
    if supported.contains(&wanted) {
        return Some(wanted);
    }
    // Rank: a format that holds every bit of `wanted` first, and among those the smallest
    // little-endian signed one (what most hardware takes natively); when none is lossless,
    // the one with the most significant bits.
    let rank = |f: &SampleFormat| {
        let float_for_float =
            wanted.encoding() == Encoding::Float && f.encoding() == Encoding::Float;
        // G.711 codes 8 bits but decodes to 13 or 14 significant bits: it needs 16.
        let wanted_bits = match wanted.encoding() {
            Encoding::ALaw | Encoding::MuLaw => 16,
            _ => wanted.significant_bits().min(32),
        };
        let lossless = float_for_float || f.significant_bits() >= wanted_bits;
        let native = f.encoding() == Encoding::Signed && !f.is_big_endian();
        let size_or_bits = if lossless {
            -(f.bytes() as i64)
        } else {
            i64::from(f.significant_bits())
        };
        (lossless, float_for_float, native, size_or_bits)
    };
    supported
        .iter()
        .copied()
        .filter(|f| !matches!(f.encoding(), Encoding::ALaw | Encoding::MuLaw))
        .max_by_key(rank)
        .or_else(|| supported.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use SampleFormat::*;

    #[test]
    fn an_offered_format_is_taken_as_is() {
        assert_eq!(best_substitute(S24_3LE, &[S16_LE, S24_3LE]), Some(S24_3LE));
    }

    #[test]
    fn substitutes_keep_every_bit() {
        assert_eq!(best_substitute(S16_LE, &[S32_LE]), Some(S32_LE));
        assert_eq!(best_substitute(S24_3LE, &[S16_LE, S32_LE]), Some(S32_LE));
        assert_eq!(best_substitute(U8, &[S16_LE, S32_LE]), Some(S16_LE));
        assert_eq!(best_substitute(S16_LE, &[U8, S16_BE]), Some(S16_BE));
        assert_eq!(
            best_substitute(FLOAT_LE, &[S16_LE, FLOAT_LE]),
            Some(FLOAT_LE)
        );
        assert_eq!(
            best_substitute(FLOAT64_LE, &[S16_LE, FLOAT_LE]),
            Some(FLOAT_LE)
        );
        assert_eq!(best_substitute(MU_LAW, &[S16_LE, U8]), Some(S16_LE));
        assert_eq!(best_substitute(A_LAW, &[S8, S16_LE, S32_LE]), Some(S16_LE));
    }

    #[test]
    fn lossy_when_nothing_is_wide_enough() {
        assert_eq!(best_substitute(S32_LE, &[U8, S16_LE]), Some(S16_LE));
        assert_eq!(best_substitute(S16_LE, &[]), None);
    }

    #[test]
    fn converting_device_names() {
        assert_eq!(plug_device("hw:0"), "plughw:0");
        assert_eq!(plug_device("hw:CARD=PCH,DEV=0"), "plughw:CARD=PCH,DEV=0");
        assert_eq!(plug_device("dmix"), "plug:dmix");
        assert_eq!(plug_device("plughw:1"), "plughw:1");
        assert_eq!(plug_device("file:x,raw"), "plug:'file:x,raw'");
    }

    #[test]
    fn advice_names_the_converting_device() {
        let play = |rate| advice("hw:1,0", Direction::Playback, rate);
        assert!(play(true).contains("'plughw:1,0', which resamples"));
        assert!(play(false).contains("'plughw:1,0', which converts"));
        let record = advice("hw:1,0", Direction::Capture, true);
        assert!(record.contains("'plughw:1,0', which converts"));
    }
}
