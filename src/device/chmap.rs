//! Channel maps: which speaker each channel of a PCM feeds, as the device itself reports it
//! (`snd_pcm_query_chmaps` for the maps it offers, `snd_pcm_get_chmap` for the one in use once
//! its parameters are set), or ALSA's standard order when it reports none.
//!
//! The positions are read through alsa-sys rather than the alsa crate's `Chmap`, whose
//! conversion to positions panics on a driver-specific or phase-inverted position: a device
//! must not be able to crash us.

use alsa::pcm::{HwParams, PCM};
use anyhow::{anyhow, Result};

use super::{alsa_error_text, open_pcm, raw_handle, Direction};

/// alsa-lib's short names (`snd_pcm_chmap_name`), indexed by position code (`SND_CHMAP_*`).
const SHORT_NAMES: [&str; 37] = [
    "UNKNOWN", "NA", "MONO", "FL", "FR", "RL", "RR", "FC", "LFE", "SL", "SR", "RC", "FLC", "FRC",
    "RLC", "RRC", "FLW", "FRW", "FLH", "FCH", "FRH", "TC", "TFL", "TFR", "TFC", "TRL", "TRR",
    "TRC", "TFLC", "TFRC", "TSL", "TSR", "LLFE", "RLFE", "BC", "BLC", "BRC",
];

/// alsa-lib's long names (`snd_pcm_chmap_long_name`), in the same order.
const LONG_NAMES: [&str; 37] = [
    "Unknown",
    "Unused",
    "Mono",
    "Front Left",
    "Front Right",
    "Rear Left",
    "Rear Right",
    "Front Center",
    "LFE",
    "Side Left",
    "Side Right",
    "Rear Center",
    "Front Left Center",
    "Front Right Center",
    "Rear Left Center",
    "Rear Right Center",
    "Front Left Wide",
    "Front Right Wide",
    "Front Left High",
    "Front Center High",
    "Front Right High",
    "Top Center",
    "Top Front Left",
    "Top Front Right",
    "Top Front Center",
    "Top Rear Left",
    "Top Rear Right",
    "Top Rear Center",
    "Top Front Left Center",
    "Top Front Right Center",
    "Top Side Left",
    "Top Side Right",
    "Left LFE",
    "Right LFE",
    "Bottom Center",
    "Bottom Left Center",
    "Bottom Right Center",
];

const POSITION_MASK: u32 = alsa_sys::SND_CHMAP_POSITION_MASK;
const PHASE_INVERSE: u32 = alsa_sys::SND_CHMAP_PHASE_INVERSE;
const DRIVER_SPEC: u32 = alsa_sys::SND_CHMAP_DRIVER_SPEC;

/// One channel's position, as ALSA codes it (`SND_CHMAP_FL`, …, possibly with the
/// phase-inverse or driver-specific flag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position(pub u32);

impl Position {
    pub const UNKNOWN: Position = Position(0);
    pub const MONO: Position = Position(2);
    pub const FL: Position = Position(3);
    pub const FR: Position = Position(4);
    pub const RL: Position = Position(5);
    pub const RR: Position = Position(6);
    pub const FC: Position = Position(7);
    pub const LFE: Position = Position(8);
    pub const SL: Position = Position(9);
    pub const SR: Position = Position(10);

    /// The position without its flags, when it is one ALSA names.
    fn known(self) -> Option<usize> {
        let code = (self.0 & POSITION_MASK) as usize;
        (self.0 & DRIVER_SPEC == 0 && code < SHORT_NAMES.len()).then_some(code)
    }

    /// The speaker without the phase-inverse flag (where it is, not how it is wired).
    pub fn place(self) -> Position {
        Position(self.0 & !PHASE_INVERSE)
    }

    /// alsa-lib's short name: `FL`, `LFE`; `DRV5` for a driver-specific position.
    pub fn short_name(self) -> String {
        let base = match self.known() {
            Some(code) => SHORT_NAMES[code].to_string(),
            None => format!("DRV{}", self.0 & POSITION_MASK),
        };
        if self.0 & PHASE_INVERSE != 0 {
            format!("{base}[INV]")
        } else {
            base
        }
    }

    /// alsa-lib's long name: "Front Left"; "phase inverted" is added when the device says so.
    pub fn long_name(self) -> String {
        let base = match self.known() {
            Some(code) => LONG_NAMES[code].to_string(),
            None => format!("Driver-specific position {}", self.0 & POSITION_MASK),
        };
        if self.0 & PHASE_INVERSE != 0 {
            format!("{base}, phase inverted")
        } else {
            base
        }
    }

    /// Whether the position names a speaker (not Unknown, Unused or driver-specific).
    pub fn is_speaker(self) -> bool {
        self.known().is_some_and(|code| code >= 2)
    }

    /// Whether it feeds a subwoofer (LFE, Left LFE, Right LFE).
    pub fn is_subwoofer(self) -> bool {
        matches!(self.place().known(), Some(8 | 32 | 33))
    }

    /// A short name as the user writes it (`fl`, `LFE`), ignoring case.
    pub fn parse(name: &str) -> Option<Position> {
        SHORT_NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name.trim()))
            .map(|code| Position(code as u32))
    }
}

/// ALSA's standard order (the kernel's `snd_pcm_std_chmaps`, speaker-test's labels, the mixer's
/// channel ids): what a channel feeds when the device does not say.
const STANDARD_ORDER: [Position; 8] = [
    Position::FL,
    Position::FR,
    Position::RL,
    Position::RR,
    Position::FC,
    Position::LFE,
    Position::SL,
    Position::SR,
];

/// The standard order for `channels` channels: mono for one, then FL FR RL RR FC LFE SL SR;
/// channels past the eighth have no standard position (Unknown).
pub fn standard(channels: u32) -> Vec<Position> {
    if channels == 1 {
        return vec![Position::MONO];
    }
    (0..channels as usize)
        .map(|i| STANDARD_ORDER.get(i).copied().unwrap_or(Position::UNKNOWN))
        .collect()
}

/// How a map the device offers can be used (`SND_CHMAP_TYPE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapKind {
    /// The channels always feed these positions.
    Fixed,
    /// Any order of these positions can be set.
    Variable,
    /// Pairs of channels can be swapped.
    Paired,
    /// alsa-lib says none.
    None,
}

impl MapKind {
    pub fn name(self) -> &'static str {
        match self {
            MapKind::Fixed => "fixed",
            MapKind::Variable => "variable",
            MapKind::Paired => "paired",
            MapKind::None => "none",
        }
    }
}

/// A map the device offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offered {
    pub kind: MapKind,
    pub positions: Vec<Position>,
}

/// What a device says before it is configured: the channel counts it takes and its maps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub min_channels: u32,
    pub max_channels: u32,
    /// Empty when the device reports no maps.
    pub offered: Vec<Offered>,
}

/// Opens `device` for playback to read its channel range and the maps it offers, and closes it.
pub fn probe(device: &str) -> Result<Probe> {
    let pcm = open_pcm(device, Direction::Playback)?;
    let hw = HwParams::any(&pcm).map_err(|e| {
        anyhow!(
            "'{}': cannot read hardware parameters: {}",
            device.escape_debug(),
            alsa_error_text(&e)
        )
    })?;
    let min_channels = hw.get_channels_min().unwrap_or(1).max(1);
    let max_channels = hw
        .get_channels_max()
        .unwrap_or(min_channels)
        .max(min_channels);
    Ok(Probe {
        min_channels,
        max_channels,
        offered: query(&pcm),
    })
}

/// The maps an open PCM offers (`snd_pcm_query_chmaps`); empty when it offers none.
pub fn query(pcm: &PCM) -> Vec<Offered> {
    let Some(handle) = raw_handle(pcm) else {
        return Vec::new();
    };
    // SAFETY: `handle` is the snd_pcm_t `pcm` owns, alive for this call.
    let list = unsafe { alsa_sys::snd_pcm_query_chmaps(handle) };
    if list.is_null() {
        return Vec::new();
    }
    let mut offered = Vec::new();
    // SAFETY: alsa-lib returns a NULL-terminated array of valid entries, each a type and a map
    // of `channels` positions, which stays valid until snd_pcm_free_chmaps below.
    unsafe {
        let mut entry = list;
        while !(*entry).is_null() {
            let query = &**entry;
            let kind = match query.type_ {
                alsa_sys::SND_CHMAP_TYPE_FIXED => MapKind::Fixed,
                alsa_sys::SND_CHMAP_TYPE_VAR => MapKind::Variable,
                alsa_sys::SND_CHMAP_TYPE_PAIRED => MapKind::Paired,
                _ => MapKind::None,
            };
            offered.push(Offered {
                kind,
                positions: positions_of(&query.map),
            });
            entry = entry.add(1);
        }
        alsa_sys::snd_pcm_free_chmaps(list);
    }
    offered
}

/// The map in use on a configured PCM (`snd_pcm_get_chmap`), when the device says.
pub fn current(pcm: &PCM) -> Option<Vec<Position>> {
    let handle = raw_handle(pcm)?;
    // SAFETY: `handle` is the snd_pcm_t `pcm` owns; the map returned is ours to free.
    unsafe {
        let map = alsa_sys::snd_pcm_get_chmap(handle);
        if map.is_null() {
            return None;
        }
        let positions = positions_of(&*map);
        libc::free(map.cast());
        Some(positions)
    }
}

/// The positions of a map alsa-lib handed out.
///
/// # Safety
/// `map` must be a valid `snd_pcm_chmap_t` followed by its `channels` positions.
unsafe fn positions_of(map: &alsa_sys::snd_pcm_chmap_t) -> Vec<Position> {
    let slice = map.pos.as_slice(map.channels as usize);
    slice.iter().map(|&p| Position(p)).collect()
}

/// Where a map came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapSource {
    /// The device reported it.
    Device,
    /// ALSA's standard order, because the device reports none for this channel count.
    Standard,
}

/// The map a stream plays by, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelMap {
    pub positions: Vec<Position>,
    pub source: MapSource,
    /// The kind of map, when the device's (`None` for the standard order).
    pub kind: Option<MapKind>,
}

impl ChannelMap {
    /// "FL FR FC LFE RL RR".
    pub fn short_names(&self) -> String {
        let names: Vec<String> = self.positions.iter().map(|p| p.short_name()).collect();
        names.join(" ")
    }

    /// Channel indexes for `--channel` names (`FL`, `lfe`) or indexes (`2`), in the order given.
    /// The error names what the map has.
    pub fn select(&self, wanted: &[String]) -> std::result::Result<Vec<usize>, String> {
        let mut picked = Vec::new();
        for name in wanted {
            let name = name.trim();
            let index = match name.parse::<usize>() {
                Ok(i) if i < self.positions.len() => Some(i),
                Ok(_) => None,
                Err(_) => Position::parse(name)
                    .and_then(|p| self.positions.iter().position(|q| q.place() == p)),
            };
            match index {
                Some(i) => picked.push(i),
                None => {
                    return Err(format!(
                        "--channel {name}: this map has no such channel; it has {} (or give a channel number from 0 to {})",
                        self.short_names(),
                        self.positions.len().saturating_sub(1)
                    ))
                }
            }
        }
        Ok(picked)
    }
}

/// The channel count to play: the one asked for; else a device's only count; else the largest
/// of its maps' that it takes; else stereo, or the nearest count it takes.
pub fn choose_channels(requested: Option<u32>, probe: &Probe) -> u32 {
    if let Some(n) = requested {
        return n;
    }
    if probe.min_channels == probe.max_channels {
        return probe.min_channels;
    }
    let in_range = |n: u32| (probe.min_channels..=probe.max_channels).contains(&n);
    probe
        .offered
        .iter()
        .map(|o| o.positions.len() as u32)
        .filter(|&n| in_range(n))
        .max()
        .unwrap_or_else(|| 2.clamp(probe.min_channels, probe.max_channels))
}

/// The map for `channels` channels: the device's current one, else the first it offers for
/// that count, else the standard order. A map that names no speaker at all (every channel
/// Unknown) tells nothing, so the standard order is used instead.
pub fn resolve(channels: u32, current: Option<Vec<Position>>, offered: &[Offered]) -> ChannelMap {
    let useful = |p: &[Position]| p.len() == channels as usize && p.iter().any(|q| q.is_speaker());
    let matching = offered.iter().find(|o| useful(&o.positions));
    if let Some(positions) = current.filter(|p| useful(p)) {
        return ChannelMap {
            // The current map is one of the offered ones; its kind says how it may change.
            kind: offered
                .iter()
                .find(|o| o.positions == positions)
                .or(matching)
                .map(|o| o.kind),
            positions,
            source: MapSource::Device,
        };
    }
    match matching {
        Some(o) => ChannelMap {
            positions: o.positions.clone(),
            source: MapSource::Device,
            kind: Some(o.kind),
        },
        None => ChannelMap {
            positions: standard(channels),
            source: MapSource::Standard,
            kind: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(names: &str) -> Vec<Position> {
        names
            .split_whitespace()
            .map(|n| Position::parse(n).expect("a position name"))
            .collect()
    }

    #[test]
    fn names_follow_alsa_lib() {
        assert_eq!(Position::FL.short_name(), "FL");
        assert_eq!(Position::FL.long_name(), "Front Left");
        assert_eq!(Position::LFE.long_name(), "LFE");
        assert_eq!(Position(36).short_name(), "BRC");
        assert_eq!(Position(36).long_name(), "Bottom Right Center");
        assert_eq!(Position(3 | PHASE_INVERSE).short_name(), "FL[INV]");
        assert_eq!(Position(3 | PHASE_INVERSE).place(), Position::FL);
        assert_eq!(Position(5 | DRIVER_SPEC).short_name(), "DRV5");
        assert_eq!(Position(99).short_name(), "DRV99");
        assert!(!Position(5 | DRIVER_SPEC).is_speaker());
        assert!(!Position::UNKNOWN.is_speaker() && Position::MONO.is_speaker());
        assert_eq!(Position::parse("lfe"), Some(Position::LFE));
        assert_eq!(Position::parse("XX"), None);
        assert!(Position::LFE.is_subwoofer() && Position(33).is_subwoofer());
        assert!(!Position::FL.is_subwoofer());
    }

    #[test]
    fn the_standard_order_is_alsas() {
        assert_eq!(standard(1), map("MONO"));
        assert_eq!(standard(2), map("FL FR"));
        assert_eq!(standard(6), map("FL FR RL RR FC LFE"));
        assert_eq!(standard(8), map("FL FR RL RR FC LFE SL SR"));
        assert_eq!(standard(10)[8..], map("UNKNOWN UNKNOWN")[..]);
    }

    #[test]
    fn the_device_map_wins_over_the_standard_order() {
        let offered = vec![
            Offered {
                kind: MapKind::Fixed,
                positions: map("FL FR"),
            },
            Offered {
                kind: MapKind::Variable,
                positions: map("FL FR FC LFE RL RR"),
            },
        ];
        let six = resolve(6, None, &offered);
        assert_eq!(six.source, MapSource::Device);
        assert_eq!(six.short_names(), "FL FR FC LFE RL RR");
        assert_eq!(six.kind, Some(MapKind::Variable));
        let current = resolve(6, Some(map("FC FL FR RL RR LFE")), &offered);
        assert_eq!(current.short_names(), "FC FL FR RL RR LFE");
        assert_eq!(current.source, MapSource::Device);
        let four = resolve(4, None, &offered);
        assert_eq!(four.source, MapSource::Standard);
        assert_eq!(four.short_names(), "FL FR RL RR");
        // A map of the wrong length or of no speakers tells nothing.
        let useless = resolve(2, Some(map("UNKNOWN UNKNOWN")), &[]);
        assert_eq!(useless.source, MapSource::Standard);
        assert_eq!(resolve(2, Some(map("FL")), &[]).source, MapSource::Standard);
    }

    #[test]
    fn channel_counts() {
        let probe = |min, max, maps: &[&str]| Probe {
            min_channels: min,
            max_channels: max,
            offered: maps
                .iter()
                .map(|m| Offered {
                    kind: MapKind::Fixed,
                    positions: map(m),
                })
                .collect(),
        };
        assert_eq!(choose_channels(Some(6), &probe(1, 8, &[])), 6);
        assert_eq!(choose_channels(None, &probe(26, 26, &[])), 26);
        assert_eq!(choose_channels(None, &probe(1, 8, &[])), 2);
        assert_eq!(choose_channels(None, &probe(4, 8, &[])), 4);
        assert_eq!(
            choose_channels(None, &probe(2, 8, &["FL FR", "FL FR FC LFE RL RR"])),
            6
        );
        assert_eq!(
            choose_channels(None, &probe(2, 2, &["FL FR", "FL FR FC LFE RL RR"])),
            2
        );
    }

    #[test]
    fn selecting_channels_by_name_or_number() {
        let six = ChannelMap {
            positions: map("FL FR FC LFE RL RR"),
            source: MapSource::Device,
            kind: None,
        };
        let pick =
            |names: &[&str]| six.select(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(pick(&["FC"]), Ok(vec![2]));
        assert_eq!(pick(&["rr", "fl"]), Ok(vec![5, 0]));
        assert_eq!(pick(&["3"]), Ok(vec![3]));
        let err = pick(&["SL"]).unwrap_err();
        assert!(err.contains("FL FR FC LFE RL RR"), "{err}");
        assert!(pick(&["6"]).is_err());
    }
}
