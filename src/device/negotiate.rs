//! Hardware parameter negotiation: ask for a format, channel count, rate and buffer size, either
//! exactly (fail when the device can't) or the nearest it takes, and read back what it took.

use alsa::pcm::{Access, HwParams, PCM};
use alsa::ValueOr;
use anyhow::{anyhow, bail, Context, Result};

use super::alsa_error_text;
use crate::sample::format::SampleFormat;

/// Whether a request may be bent to what the device takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Fail unless the device takes exactly this.
    Exact,
    /// Take the nearest value the device supports.
    Nearest,
}

/// What to ask of a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub format: SampleFormat,
    pub channels: u32,
    pub rate: u32,
    /// How format, channels and rate may be bent.
    pub fit: Fit,
    /// Buffer length in microseconds; `None` leaves it to [`DEFAULT_BUFFER_US`].
    pub buffer_time_us: Option<u32>,
    /// Period length in microseconds; `None` makes it a quarter of the buffer.
    pub period_time_us: Option<u32>,
}

/// aplay's default: half a second of buffer, at most.
pub const DEFAULT_BUFFER_US: u32 = 500_000;

/// What the device actually took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Negotiated {
    pub format: SampleFormat,
    pub channels: u32,
    pub rate: u32,
    /// Frames per period: the unit the device wakes us for.
    pub period_frames: usize,
    /// Frames in the whole ring buffer.
    pub buffer_frames: usize,
}

impl Negotiated {
    pub fn bytes_per_frame(&self) -> usize {
        self.format.bytes() * self.channels as usize
    }
}

/// Applies `request` to `pcm` (interleaved read/write access), and sets software parameters so
/// that playback starts once the buffer is full and the device wakes us each period.
pub fn configure(pcm: &PCM, device: &str, request: &Request) -> Result<Negotiated> {
    let hw = HwParams::any(pcm).map_err(|e| {
        anyhow!(
            "'{device}': cannot read hardware parameters: {}",
            alsa_error_text(&e)
        )
    })?;
    hw.set_access(Access::RWInterleaved).map_err(|_| {
        anyhow!("'{device}' does not take interleaved read/write access; use plug:{device}")
    })?;

    match request.fit {
        Fit::Exact => {
            hw.set_format(request.format.to_alsa()).map_err(|_| {
                anyhow!(
                    "'{device}' does not take sample format {}; it takes {}",
                    request.format,
                    list_or_none(&supported_formats(&hw))
                )
            })?;
            hw.set_channels(request.channels).map_err(|_| {
                anyhow!(
                    "'{device}' does not take {} channels; it takes {}",
                    request.channels,
                    channel_range_text(&hw)
                )
            })?;
            hw.set_rate(request.rate, ValueOr::Nearest).map_err(|_| {
                anyhow!(
                    "'{device}' does not take {} Hz; it takes {}; a 'plughw:' or 'plug:' device resamples",
                    request.rate,
                    rate_text(&hw)
                )
            })?;
        }
        Fit::Nearest => {
            let format = nearest_format(&hw, request.format).ok_or_else(|| {
                anyhow!("'{device}' takes none of the sample formats alsatool knows")
            })?;
            hw.set_format(format.to_alsa()).map_err(|e| {
                anyhow!(
                    "'{device}': cannot set format {format}: {}",
                    alsa_error_text(&e)
                )
            })?;
            hw.set_channels_near(request.channels)
                .map_err(|e| anyhow!("'{device}': cannot set channels: {}", alsa_error_text(&e)))?;
            hw.set_rate_near(request.rate, ValueOr::Nearest)
                .map_err(|e| anyhow!("'{device}': cannot set rate: {}", alsa_error_text(&e)))?;
        }
    }

    let buffer_max = hw.get_buffer_time_max().unwrap_or(DEFAULT_BUFFER_US);
    let buffer_us = request
        .buffer_time_us
        .unwrap_or(DEFAULT_BUFFER_US.min(buffer_max));
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
            "'{device}' refused the hardware parameters {} {} ch {} Hz: {}",
            request.format,
            request.channels,
            request.rate,
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
    // Start when the buffer is full (aplay's default); short clips are started by drain/start.
    sw.set_start_threshold((buffer / period) * period)
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
    if period_frames <= 0 || buffer_frames <= 0 {
        bail!("the device reported an empty period or buffer");
    }
    Ok(Negotiated {
        format,
        channels,
        rate,
        period_frames: period_frames as usize,
        buffer_frames: buffer_frames as usize,
    })
}

/// The formats a parameter space still allows, in [`SampleFormat::ALL`] order.
pub fn supported_formats(hw: &HwParams) -> Vec<SampleFormat> {
    SampleFormat::ALL
        .into_iter()
        .filter(|f| hw.test_format(f.to_alsa()).is_ok())
        .collect()
}

/// The format closest to `wanted` that the device takes: itself, else the best lossless
/// container for it, else the widest the device has.
pub fn nearest_format(hw: &HwParams, wanted: SampleFormat) -> Option<SampleFormat> {
    let supported = supported_formats(hw);
    best_substitute(wanted, &supported)
}

/// Picks from `supported` the format that represents `wanted` best. Pure, so it is unit-tested.
pub fn best_substitute(wanted: SampleFormat, supported: &[SampleFormat]) -> Option<SampleFormat> {
    use crate::sample::format::Encoding;
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

fn list_or_none(formats: &[SampleFormat]) -> String {
    if formats.is_empty() {
        "no format alsatool knows".to_string()
    } else {
        formats
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn channel_range_text(hw: &HwParams) -> String {
    match (hw.get_channels_min(), hw.get_channels_max()) {
        (Ok(min), Ok(max)) if min == max => format!("only {min}"),
        (Ok(min), Ok(max)) => format!("{min} to {max}"),
        _ => "an unknown number".to_string(),
    }
}

fn rate_text(hw: &HwParams) -> String {
    let rates = super::caps::discrete_rates(hw);
    match (hw.get_rate_min(), hw.get_rate_max()) {
        (Ok(min), Ok(max)) if min == max => format!("only {min} Hz"),
        _ if !rates.is_empty() && rates.len() <= 6 => format!(
            "{} Hz",
            rates
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Ok(min), Ok(max)) => format!("{min} to {max} Hz"),
        _ => "unknown rates".to_string(),
    }
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
}
