//! Probing what a device can do: the whole hardware parameter space of a freshly opened PCM,
//! as `aplay --dump-hw-params` shows it, in a shape people and scripts can read.

use alsa::pcm::{Access, HwParams};
use alsa::Direction;
use anyhow::{anyhow, Result};
use serde::Serialize;

use super::{alsa_error_text, open_pcm};
use crate::sample::format::SampleFormat;

/// Rates worth naming when a device takes only some of the rates in its range.
pub const COMMON_RATES: [u32; 14] = [
    8000, 11025, 16000, 22050, 32000, 44100, 48000, 64000, 88200, 96000, 176400, 192000, 352800,
    384000,
];

/// A closed range of values a device takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Range<T> {
    pub min: T,
    pub max: T,
}

/// Everything a device allows in one direction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// ALSA access types: "mmap_interleaved", "rw_interleaved", …
    pub access: Vec<&'static str>,
    /// Sample formats by ALSA name.
    pub formats: Vec<String>,
    pub channels: Range<u32>,
    pub rate: Range<u32>,
    /// Which of [`COMMON_RATES`] inside `rate` the device takes.
    pub common_rates: Vec<u32>,
    pub period_time_us: Range<u32>,
    pub period_frames: Range<u64>,
    pub buffer_time_us: Range<u32>,
    pub buffer_frames: Range<u64>,
    pub periods: Range<u32>,
}

/// Opens `device` in `direction` and reads its parameter space.
pub fn probe(device: &str, direction: Direction) -> Result<Capabilities> {
    let pcm = open_pcm(device, direction)?;
    let hw = HwParams::any(&pcm).map_err(|e| {
        anyhow!(
            "'{device}': cannot read hardware parameters: {}",
            alsa_error_text(&e)
        )
    })?;
    from_params(&hw).map_err(|e| anyhow!("'{device}': {e}"))
}

/// Reads a parameter space (useful on one already narrowed down).
pub fn from_params(hw: &HwParams) -> Result<Capabilities> {
    let fail =
        |what: &str, e: alsa::Error| anyhow!("cannot read the {what}: {}", alsa_error_text(&e));
    let accesses = [
        (Access::MMapInterleaved, "mmap_interleaved"),
        (Access::MMapNonInterleaved, "mmap_noninterleaved"),
        (Access::MMapComplex, "mmap_complex"),
        (Access::RWInterleaved, "rw_interleaved"),
        (Access::RWNonInterleaved, "rw_noninterleaved"),
    ];
    let rate = Range {
        min: hw.get_rate_min().map_err(|e| fail("minimum rate", e))?,
        max: hw.get_rate_max().map_err(|e| fail("maximum rate", e))?,
    };
    Ok(Capabilities {
        access: accesses
            .iter()
            .filter(|(a, _)| hw.test_access(*a).is_ok())
            .map(|(_, name)| *name)
            .collect(),
        formats: supported_formats(hw)
            .iter()
            .map(|f| f.name().to_string())
            .collect(),
        channels: Range {
            min: hw
                .get_channels_min()
                .map_err(|e| fail("minimum channels", e))?,
            max: hw
                .get_channels_max()
                .map_err(|e| fail("maximum channels", e))?,
        },
        rate,
        common_rates: discrete_rates(hw),
        period_time_us: Range {
            min: hw
                .get_period_time_min()
                .map_err(|e| fail("minimum period time", e))?,
            max: hw
                .get_period_time_max()
                .map_err(|e| fail("maximum period time", e))?,
        },
        period_frames: Range {
            min: hw
                .get_period_size_min()
                .map_err(|e| fail("minimum period size", e))? as u64,
            max: hw
                .get_period_size_max()
                .map_err(|e| fail("maximum period size", e))? as u64,
        },
        buffer_time_us: Range {
            min: hw
                .get_buffer_time_min()
                .map_err(|e| fail("minimum buffer time", e))?,
            max: hw
                .get_buffer_time_max()
                .map_err(|e| fail("maximum buffer time", e))?,
        },
        buffer_frames: Range {
            min: hw
                .get_buffer_size_min()
                .map_err(|e| fail("minimum buffer size", e))? as u64,
            max: hw
                .get_buffer_size_max()
                .map_err(|e| fail("maximum buffer size", e))? as u64,
        },
        periods: Range {
            min: hw
                .get_periods_min()
                .map_err(|e| fail("minimum period count", e))?,
            max: hw
                .get_periods_max()
                .map_err(|e| fail("maximum period count", e))?,
        },
    })
}

/// The formats a parameter space still allows, in [`SampleFormat::ALL`] order.
pub fn supported_formats(hw: &HwParams) -> Vec<SampleFormat> {
    SampleFormat::ALL
        .into_iter()
        .filter(|f| hw.test_format(f.to_alsa()).is_ok())
        .collect()
}

/// "S16_LE, S32_LE": the formats a parameter space allows, for an error message.
pub fn formats_text(hw: &HwParams) -> String {
    let formats = supported_formats(hw);
    if formats.is_empty() {
        return "no format alsatool knows".to_string();
    }
    let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
    names.join(", ")
}

/// "only 2", "1 to 8": the channel counts a parameter space allows, for an error message.
pub fn channels_text(hw: &HwParams) -> String {
    match (hw.get_channels_min(), hw.get_channels_max()) {
        (Ok(min), Ok(max)) if min == max => format!("only {min}"),
        (Ok(min), Ok(max)) => format!("{min} to {max}"),
        _ => "an unknown number".to_string(),
    }
}

/// The most rates an error message lists before it gives the range instead.
const RATES_LISTED: usize = 8;

/// "only 48000 Hz", "44100, 48000 Hz", "8000 to 192000 Hz": the rates a parameter space
/// allows, for an error message.
pub fn rates_text(hw: &HwParams) -> String {
    let rates = discrete_rates(hw);
    match (hw.get_rate_min(), hw.get_rate_max()) {
        (Ok(min), Ok(max)) if min == max => format!("only {min} Hz"),
        _ if !rates.is_empty() && rates.len() <= RATES_LISTED => {
            let list: Vec<String> = rates.iter().map(u32::to_string).collect();
            format!("{} Hz", list.join(", "))
        }
        (Ok(min), Ok(max)) => format!("{min} to {max} Hz"),
        _ => "unknown rates".to_string(),
    }
}

/// The common rates the parameter space allows.
pub fn discrete_rates(hw: &HwParams) -> Vec<u32> {
    COMMON_RATES
        .into_iter()
        .filter(|r| hw.test_rate(*r).is_ok())
        .collect()
}
