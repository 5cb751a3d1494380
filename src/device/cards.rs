//! What is there: sound cards with their PCM devices, subdevices and mixer controls (what
//! `aplay -l`, `arecord -l` and `amixer scontrols` show) and the PCM names from ALSA's hints,
//! including those a user's `~/.asoundrc` defines (what `aplay -L` shows).

use std::ffi::CString;

use alsa::ctl::{Ctl, DeviceIter};
use alsa::device_name::HintIter;
use alsa::mixer::{Mixer, Selem};
use alsa::Direction;
use anyhow::{anyhow, Result};
use serde::Serialize;

use super::{alsa_error_text, direction_name};

/// One sound card.
#[derive(Clone, Debug, Serialize)]
pub struct Card {
    pub index: i32,
    /// Short id, as in `hw:CARD=ID`.
    pub id: String,
    pub name: String,
    pub long_name: String,
    pub driver: String,
    pub pcm_devices: Vec<PcmDevice>,
    /// Simple mixer control names, `Name` or `Name,INDEX` for a nonzero index.
    pub mixer_controls: Vec<String>,
}

/// One PCM device of a card in one direction.
#[derive(Clone, Debug, Serialize)]
pub struct PcmDevice {
    pub device: u32,
    /// "playback" or "capture".
    pub direction: &'static str,
    pub id: String,
    pub name: String,
    pub subdevices_available: u32,
    pub subdevices: Vec<Subdevice>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Subdevice {
    pub index: u32,
    pub name: String,
}

/// A PCM name ALSA's configuration defines.
#[derive(Clone, Debug, Serialize)]
pub struct PcmName {
    pub name: String,
    /// The description, lines joined with a newline; empty when there is none.
    pub description: String,
    /// "playback", "capture", or both when the hint does not restrict it.
    pub directions: Vec<&'static str>,
}

/// Every card ALSA sees, in index order. An empty list means no sound card.
pub fn list_cards() -> Result<Vec<Card>> {
    let mut cards = Vec::new();
    for card in alsa::card::Iter::new() {
        let card = card.map_err(|e| anyhow!("cannot list sound cards: {}", alsa_error_text(&e)))?;
        cards.push(describe_card(card.get_index())?);
    }
    Ok(cards)
}

fn describe_card(index: i32) -> Result<Card> {
    let ctl_name = format!("hw:{index}");
    let ctl = Ctl::new(&ctl_name, false).map_err(|e| {
        anyhow!(
            "cannot open the control of card {index}: {}",
            alsa_error_text(&e)
        )
    })?;
    let info = ctl
        .card_info()
        .map_err(|e| anyhow!("cannot read card {index}: {}", alsa_error_text(&e)))?;
    let text = |r: alsa::Result<&str>| r.unwrap_or_default().to_string();
    let mut pcm_devices = Vec::new();
    for device in DeviceIter::new(&ctl) {
        for direction in [Direction::Playback, Direction::Capture] {
            if let Some(pcm) = describe_pcm_device(&ctl, device as u32, direction) {
                pcm_devices.push(pcm);
            }
        }
    }
    Ok(Card {
        index,
        id: text(info.get_id()),
        name: text(info.get_name()),
        long_name: text(info.get_longname()),
        driver: text(info.get_driver()),
        pcm_devices,
        // A card without a usable mixer still lists its PCMs.
        mixer_controls: mixer_control_names(&ctl_name).unwrap_or_default(),
    })
}

/// `None` when the device has no stream in that direction.
fn describe_pcm_device(ctl: &Ctl, device: u32, direction: Direction) -> Option<PcmDevice> {
    let info = ctl.pcm_info(device, 0, direction).ok()?;
    let count = info.get_subdevices_count();
    let subdevices = (0..count)
        .map(|index| Subdevice {
            index,
            name: ctl
                .pcm_info(device, index, direction)
                .ok()
                .and_then(|i| i.get_subdevice_name().ok().map(str::to_string))
                .unwrap_or_default(),
        })
        .collect();
    Some(PcmDevice {
        device,
        direction: direction_name(direction),
        id: info.get_id().unwrap_or_default().to_string(),
        name: info.get_name().unwrap_or_default().to_string(),
        subdevices_available: info.get_subdevices_avail(),
        subdevices,
    })
}

/// The simple mixer controls of a control device, as `amixer scontrols` names them.
pub fn mixer_control_names(ctl_device: &str) -> Result<Vec<String>> {
    let mixer = Mixer::new(ctl_device, false)
        .map_err(|e| anyhow!("cannot open mixer '{ctl_device}': {}", alsa_error_text(&e)))?;
    let names = mixer
        .iter()
        .filter_map(Selem::new)
        .filter_map(|selem| {
            let id = selem.get_id();
            let name = id.get_name().ok()?.to_string();
            Some(match id.get_index() {
                0 => name,
                i => format!("{name},{i}"),
            })
        })
        .collect();
    Ok(names)
}

/// The PCM names from ALSA's hints, in ALSA's order.
pub fn list_pcm_names() -> Result<Vec<PcmName>> {
    let iface = CString::new("pcm").map_err(|_| anyhow!("bad interface name"))?;
    let hints = HintIter::new(None, &iface)
        .map_err(|e| anyhow!("cannot read ALSA's device hints: {}", alsa_error_text(&e)))?;
    Ok(hints
        .filter_map(|hint| {
            let name = hint.name?;
            let directions = match hint.direction {
                Some(d) => vec![direction_name(d)],
                None => vec!["playback", "capture"],
            };
            Some(PcmName {
                name,
                description: hint.desc.unwrap_or_default(),
                directions,
            })
        })
        .collect())
}
