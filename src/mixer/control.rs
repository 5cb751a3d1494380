//! A control's full state, read once into plain data: what `get` prints (amixer's `sget`
//! content), what the list and `watch` summarise, and what `--json` serializes.

use alsa::Direction;
use serde::Serialize;

use super::raw::{channel_name, Elem, Mixer};
use super::scale::{self, Scale, VolumeScale};

/// Everything about one simple control. Field names are the documented JSON shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Control {
    /// The name and, for a nonzero index, `,INDEX`: what `get`/`set` take.
    pub id: String,
    pub name: String,
    pub index: u32,
    /// Inactive controls are hidden from the list unless `--all`.
    pub active: bool,
    /// amixer's capability words: volume, pvolume, pswitch-joined, cswitch-exclusive, enum, …
    pub capabilities: Vec<&'static str>,
    pub playback: Option<Side>,
    pub capture: Option<Side>,
    /// The exclusive capture group (turning one on turns the others off).
    pub capture_exclusive_group: Option<i32>,
    /// Items and the selected item per channel, for an enumerated control.
    #[serde(rename = "enum")]
    pub enumeration: Option<Enumeration>,
}

/// One direction of a control.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Side {
    /// The control has a single channel in this direction.
    pub mono: bool,
    /// Raw and dB limits, when the direction has a volume.
    pub volume: Option<Limits>,
    pub has_switch: bool,
    /// One volume for all channels.
    pub volume_joined: bool,
    /// One switch for all channels.
    pub switch_joined: bool,
    pub channels: Vec<Channel>,
}

/// A volume's limits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Limits {
    pub min: i64,
    pub max: i64,
    /// In dB; absent when the control has no dB information.
    pub min_db: Option<f64>,
    pub max_db: Option<f64>,
}

/// One channel's state in one direction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Channel {
    /// alsa-lib's channel name: "Front Left", "Mono", …
    pub name: String,
    /// alsa-lib's channel id (0 front left, 1 front right, … 5 woofer).
    pub id: u32,
    pub raw: Option<i64>,
    /// alsamixer's percent (mapped volume), as alsamixer shows it.
    pub percent: Option<i64>,
    /// amixer's percent (linear in raw steps), as amixer shows it.
    pub percent_linear: Option<i64>,
    pub db: Option<f64>,
    /// `true` is on (unmuted / capturing).
    pub switch: Option<bool>,
}

/// An enumerated control's items and selection.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Enumeration {
    pub items: Vec<String>,
    /// The selected item per channel.
    pub selected: Vec<EnumSelection>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnumSelection {
    pub channel: String,
    pub index: u32,
    pub item: String,
}

/// `Name` or `Name,INDEX`, as `get` and `set` take it.
pub fn control_id(name: &str, index: u32) -> String {
    match index {
        0 => name.to_string(),
        i => format!("{name},{i}"),
    }
}

/// One direction of a live control, as [`scale`] needs it.
pub struct ElemScale<'e, 'm> {
    pub elem: &'e Elem<'m>,
    pub dir: Direction,
}

impl VolumeScale for ElemScale<'_, '_> {
    fn raw_range(&self) -> (i64, i64) {
        self.elem.volume_range(self.dir)
    }
    fn db_range(&self) -> Option<(i64, i64)> {
        self.elem.db_range(self.dir)
    }
    fn raw_to_db(&self, raw: i64) -> Option<i64> {
        self.elem.ask_vol_db(self.dir, raw)
    }
    fn db_to_raw(&self, centi_db: i64, round_up: bool) -> Option<i64> {
        self.elem.ask_db_vol(self.dir, centi_db, round_up).ok()
    }
}

fn centi_db_to_db(centi_db: i64) -> f64 {
    centi_db as f64 / 100.0
}

/// Every control of `mixer`, read now.
pub fn read_all(mixer: &Mixer) -> Vec<Control> {
    mixer.elems().iter().map(read).collect()
}

/// Reads a control's state (from alsa-lib's cache: call `handle_events` first to refresh it).
pub fn read(elem: &Elem) -> Control {
    let name = elem.name();
    let index = elem.index();
    Control {
        id: control_id(&name, index),
        name,
        index,
        active: elem.is_active(),
        capabilities: capabilities(elem),
        playback: read_side(elem, Direction::Playback),
        capture: read_side(elem, Direction::Capture),
        capture_exclusive_group: elem.capture_exclusive_group(),
        enumeration: elem.is_enumerated().then(|| read_enum(elem)),
    }
}

/// amixer's `Capabilities:` words, in its order (`show_selem`).
fn capabilities(elem: &Elem) -> Vec<&'static str> {
    use Direction::{Capture, Playback};
    let mut words = Vec::new();
    if elem.has_common_volume() {
        words.push("volume");
        if elem.has_volume_joined(Playback) {
            words.push("volume-joined");
        }
    } else {
        if elem.has_volume(Playback) {
            words.push("pvolume");
            if elem.has_volume_joined(Playback) {
                words.push("pvolume-joined");
            }
        }
        if elem.has_volume(Capture) {
            words.push("cvolume");
            if elem.has_volume_joined(Capture) {
                words.push("cvolume-joined");
            }
        }
    }
    if elem.has_common_switch() {
        words.push("switch");
        if elem.has_switch_joined(Playback) {
            words.push("switch-joined");
        }
    } else {
        if elem.has_switch(Playback) {
            words.push("pswitch");
            if elem.has_switch_joined(Playback) {
                words.push("pswitch-joined");
            }
        }
        if elem.has_switch(Capture) {
            words.push("cswitch");
            if elem.has_switch_joined(Capture) {
                words.push("cswitch-joined");
            }
            if elem.capture_exclusive_group().is_some() {
                words.push("cswitch-exclusive");
            }
        }
    }
    if elem.is_enum_playback() {
        words.push("penum");
    } else if elem.is_enum_capture() {
        words.push("cenum");
    } else if elem.is_enumerated() {
        words.push("enum");
    }
    words
}

fn read_side(elem: &Elem, dir: Direction) -> Option<Side> {
    let has_volume = elem.has_volume(dir);
    let has_switch = elem.has_switch(dir);
    if !has_volume && !has_switch {
        return None;
    }
    let view = ElemScale { elem, dir };
    let volume = has_volume.then(|| {
        let (min, max) = elem.volume_range(dir);
        let db = elem.db_range(dir);
        Limits {
            min,
            max,
            min_db: db.map(|(lo, _)| centi_db_to_db(lo)),
            max_db: db.map(|(_, hi)| centi_db_to_db(hi)),
        }
    });
    let mono = elem.is_mono(dir);
    let channels = elem
        .channels(dir)
        .into_iter()
        .map(|id| {
            let raw = if has_volume {
                elem.volume(dir, id).ok()
            } else {
                None
            };
            Channel {
                name: if mono {
                    "Mono".to_string()
                } else {
                    channel_name(id)
                },
                id,
                raw,
                percent: raw.map(|r| scale::percent(&view, Scale::Mapped, r)),
                percent_linear: raw.map(|r| scale::percent(&view, Scale::Linear, r)),
                db: raw.and_then(|_| elem.db(dir, id)).map(centi_db_to_db),
                switch: if has_switch {
                    elem.switch(dir, id).ok()
                } else {
                    None
                },
            }
        })
        .collect();
    Some(Side {
        mono,
        volume,
        has_switch,
        volume_joined: has_volume && elem.has_volume_joined(dir),
        switch_joined: has_switch && elem.has_switch_joined(dir),
        channels,
    })
}

fn read_enum(elem: &Elem) -> Enumeration {
    let items = elem.enum_items();
    let selected = (0..=super::raw::LAST_CHANNEL)
        .map_while(|channel| elem.enum_item(channel).map(|index| (channel, index)))
        .map(|(channel, index)| EnumSelection {
            channel: channel_name(channel),
            index,
            item: items
                .get(index as usize)
                .cloned()
                .unwrap_or_else(|| format!("item {index}")),
        })
        .collect();
    Enumeration { items, selected }
}

impl Control {
    /// The percent to show on `scale`.
    fn shown_percent(channel: &Channel, which: Scale) -> Option<i64> {
        match which {
            Scale::Mapped => channel.percent,
            Scale::Linear => channel.percent_linear,
        }
    }

    /// One line after the name: volumes per channel in percent, dB, switches, enum item.
    pub fn summary(&self, which: Scale) -> String {
        let mut parts = Vec::new();
        for (word, side) in [("playback", &self.playback), ("capture", &self.capture)] {
            let Some(side) = side else { continue };
            let mut part = word.to_string();
            if side.volume.is_some() {
                let percents: Vec<String> = side
                    .channels
                    .iter()
                    .filter_map(|c| Self::shown_percent(c, which))
                    .map(|p| format!("{p}%"))
                    .collect();
                part.push(' ');
                part.push_str(&percents.join(" "));
                let dbs: Vec<String> = side
                    .channels
                    .iter()
                    .filter_map(|c| c.db)
                    .map(format_db)
                    .collect();
                if !dbs.is_empty() {
                    part.push_str(&format!(" [{}]", dbs.join(" ")));
                }
            }
            if side.has_switch {
                let mut states: Vec<&str> = side
                    .channels
                    .iter()
                    .filter_map(|c| c.switch)
                    .map(on_off)
                    .collect();
                if side.switch_joined || states.windows(2).all(|w| w[0] == w[1]) {
                    states.truncate(1);
                }
                part.push_str(&format!(" [{}]", states.join(" ")));
            }
            parts.push(part);
        }
        if let Some(e) = &self.enumeration {
            let mut selected: Vec<String> =
                e.selected.iter().map(|s| format!("'{}'", s.item)).collect();
            if e.selected.windows(2).all(|w| w[0].index == w[1].index) {
                selected.truncate(1);
            }
            parts.push(selected.join(" "));
        }
        if !self.active {
            parts.push("(inactive)".to_string());
        }
        if parts.is_empty() {
            parts.push("(no volume, switch or items)".to_string());
        }
        parts.join("  ")
    }

    /// `get`'s text: what amixer's `sget` shows, one fact a line.
    pub fn details(&self, which: Scale) -> String {
        let mut out = String::new();
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        line(format!(
            "Simple mixer control '{}',{}",
            self.name, self.index
        ));
        line(format!("  Capabilities: {}", self.capabilities.join(" ")));
        if !self.active {
            line("  Inactive".to_string());
        }
        if let Some(group) = self.capture_exclusive_group {
            line(format!("  Capture exclusive group: {group}"));
        }
        if let Some(e) = &self.enumeration {
            let items: Vec<String> = e
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| format!("{i} '{item}'"))
                .collect();
            line(format!("  Items: {}", items.join(", ")));
            for s in &e.selected {
                line(format!("  {}: {} '{}'", s.channel, s.index, s.item));
            }
        }
        for (word, side) in [("Playback", &self.playback), ("Capture", &self.capture)] {
            let Some(side) = side else { continue };
            let names: Vec<&str> = side.channels.iter().map(|c| c.name.as_str()).collect();
            line(format!("  {word} channels: {}", names.join(" - ")));
            if let Some(limits) = &side.volume {
                let mut text = format!("  {word} limits: {} - {}", limits.min, limits.max);
                match (limits.min_db, limits.max_db) {
                    (Some(lo), Some(hi)) => {
                        text.push_str(&format!(", {} - {}", format_db(lo), format_db(hi)))
                    }
                    _ => text.push_str(", no dB range"),
                }
                line(text);
            }
            let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
            for c in &side.channels {
                let mut text = format!(
                    "  {:<width$}  {word}",
                    format!("{}:", c.name),
                    width = width + 1
                );
                if let Some(raw) = c.raw {
                    text.push_str(&format!(" {raw}"));
                }
                if let Some(p) = Self::shown_percent(c, which) {
                    text.push_str(&format!(" [{p}%]"));
                }
                if let Some(db) = c.db {
                    text.push_str(&format!(" [{}]", format_db(db)));
                }
                if let Some(on) = c.switch {
                    text.push_str(&format!(" [{}]", on_off(on)));
                }
                line(text);
            }
        }
        out
    }
}

/// amixer's dB format: two decimals and the unit, `-13.80dB`.
pub fn format_db(db: f64) -> String {
    if db <= scale::DB_GAIN_MUTE as f64 / 100.0 {
        return "mute".to_string();
    }
    format!("{db:.2}dB")
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(name: &str, id: u32, percent: i64, db: Option<f64>, switch: bool) -> Channel {
        Channel {
            name: name.into(),
            id,
            raw: Some(percent),
            percent: Some(percent),
            percent_linear: Some(percent + 1),
            db,
            switch: Some(switch),
        }
    }

    fn master(channels: Vec<Channel>, joined: bool) -> Control {
        Control {
            id: "Master".into(),
            name: "Master".into(),
            index: 0,
            active: true,
            capabilities: vec!["pvolume", "pswitch"],
            playback: Some(Side {
                mono: false,
                volume: Some(Limits {
                    min: 0,
                    max: 100,
                    min_db: Some(-45.0),
                    max_db: Some(0.0),
                }),
                has_switch: true,
                volume_joined: false,
                switch_joined: joined,
                channels,
            }),
            capture: None,
            capture_exclusive_group: None,
            enumeration: None,
        }
    }

    #[test]
    fn summary_shows_each_channel_and_collapses_equal_switches() {
        let c = master(
            vec![
                channel("Front Left", 0, 80, Some(-3.0), true),
                channel("Front Right", 1, 40, Some(-13.8), true),
            ],
            false,
        );
        assert_eq!(
            c.summary(Scale::Mapped),
            "playback 80% 40% [-3.00dB -13.80dB] [on]"
        );
        assert_eq!(
            c.summary(Scale::Linear),
            "playback 81% 41% [-3.00dB -13.80dB] [on]"
        );
        let c = master(
            vec![
                channel("Front Left", 0, 80, None, true),
                channel("Front Right", 1, 80, None, false),
            ],
            false,
        );
        assert_eq!(c.summary(Scale::Mapped), "playback 80% 80% [on off]");
    }

    #[test]
    fn details_read_like_amixer() {
        let c = master(vec![channel("Front Left", 0, 80, Some(-3.0), true)], true);
        let text = c.details(Scale::Mapped);
        assert!(text.contains("Simple mixer control 'Master',0"), "{text}");
        assert!(text.contains("Capabilities: pvolume pswitch"), "{text}");
        assert!(
            text.contains("Playback limits: 0 - 100, -45.00dB - 0.00dB"),
            "{text}"
        );
        assert!(
            text.contains("Front Left:  Playback 80 [80%] [-3.00dB] [on]"),
            "{text}"
        );
    }

    #[test]
    fn db_format() {
        assert_eq!(format_db(-13.8), "-13.80dB");
        assert_eq!(format_db(0.0), "0.00dB");
        assert_eq!(format_db(-99999.99), "mute");
    }
}
