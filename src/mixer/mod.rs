//! Mixer access: simple controls, their values, amixer's value language and alsamixer's percent.
//!
//! - [`raw`]: the alsa-lib simple mixer, safely wrapped (alsa-sys);
//! - [`control`]: a control's full state as plain, serializable data;
//! - [`scale`]: alsamixer's mapped percent, amixer's linear percent, and where a change puts a volume;
//! - [`value`]: amixer's value language, parsed into a plan;
//! - [`apply`]: a `set` planned as per-channel operations, checked against the control;
//! - [`transaction`]: the operations carried out all or nothing, and the volume arithmetic they
//!   use lives in [`scale`];
//! - [`tui`]: the full-screen mixer (`mixer tui`);
//! - here: which device, opening it with errors that help, finding a control by name.

pub mod apply;
pub mod control;
pub mod raw;
pub mod scale;
pub mod transaction;
pub mod tui;
pub mod value;

use anyhow::{anyhow, Result};

use crate::error_text::errno_text;
use crate::exit_codes::UsageError;
pub use raw::{Elem, Mixer};

/// The control device for `-c CARD` / `-d DEVICE`: `hw:CARD`, the device, or `default`.
pub fn control_device(card: Option<&str>, device: Option<&str>) -> String {
    match (card, device) {
        (Some(card), _) => format!("hw:{card}"),
        (None, Some(device)) => device.to_string(),
        (None, None) => "default".to_string(),
    }
}

/// Opens the mixer of a control device. The error says whether the device has no mixer at all,
/// cannot be reached, or failed otherwise.
pub fn open(device: &str) -> Result<Mixer> {
    let mixer = Mixer::open(device).map_err(|e| {
        let errno = e.errno().abs();
        let shown = device.escape_debug();
        match errno {
            libc::ENOENT | libc::ENODEV | libc::ENXIO | libc::EINVAL => anyhow!(
                "'{shown}' has no mixer: ALSA knows no control device by that name; give a card (-c 0, -c PCH) or a device with controls (-d hw:0, -d default, -d pulse); `alsatool devices` lists them"
            ),
            libc::EACCES | libc::EPERM => anyhow!(
                "cannot open the mixer of '{shown}': permission denied; add your user to the 'audio' group"
            ),
            libc::ECONNREFUSED => anyhow!(
                "cannot open the mixer of '{shown}': its sound server refused the connection (is PulseAudio or PipeWire running?)"
            ),
            _ => anyhow!("cannot open the mixer of '{shown}': {}", errno_text(errno)),
        }
    })?;
    if mixer.elems().is_empty() {
        return Err(anyhow!(
            "'{}' has no mixer controls; try another card (-c) or device (-d)",
            device.escape_debug()
        ));
    }
    Ok(mixer)
}

/// A control as the user names it: `Mic`, `Mic,1`, `'Mic',1`, `"Front Mic"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlName {
    pub name: String,
    pub index: u32,
}

impl ControlName {
    /// Parses amixer's simple control id (`parse_simple_id`): an optionally quoted name, then
    /// an optional `,INDEX`.
    pub fn parse(text: &str) -> Result<ControlName, String> {
        let bad = || {
            format!(
                "'{}' is not a control name; give a name with an optional index, such as Master or Mic,1",
                text.escape_debug()
            )
        };
        let trimmed = text.trim_start();
        let (name, rest) = match trimmed.chars().next() {
            Some(quote @ ('\'' | '"')) => {
                let inner = &trimmed[1..];
                match inner.find(quote) {
                    Some(end) => (&inner[..end], &inner[end + 1..]),
                    None => (inner, ""),
                }
            }
            _ => match trimmed.find(',') {
                Some(comma) => (&trimmed[..comma], &trimmed[comma..]),
                None => (trimmed, ""),
            },
        };
        if name.is_empty() {
            return Err(bad());
        }
        let index = match rest {
            "" => 0,
            _ => rest
                .strip_prefix(',')
                .and_then(|i| i.trim().parse::<u32>().ok())
                .ok_or_else(bad)?,
        };
        Ok(ControlName {
            name: name.to_string(),
            index,
        })
    }

    pub fn id(&self) -> String {
        control::control_id(&self.name, self.index)
    }
}

/// Finds a control: the exact name first, then the one name that matches ignoring case. The
/// error names the device, the controls it has and the closest name.
pub fn find<'m>(mixer: &'m Mixer, device: &str, wanted: &ControlName) -> Result<Elem<'m>> {
    let elems = mixer.elems();
    let named: Vec<(String, u32)> = elems.iter().map(|e| (e.name(), e.index())).collect();
    let exact = named
        .iter()
        .position(|(name, index)| *name == wanted.name && *index == wanted.index);
    let position = match exact {
        Some(p) => Some(p),
        None => {
            let folded: Vec<usize> = named
                .iter()
                .enumerate()
                .filter(|(_, (name, index))| {
                    name.eq_ignore_ascii_case(&wanted.name) && *index == wanted.index
                })
                .map(|(i, _)| i)
                .collect();
            match folded[..] {
                [only] => Some(only),
                [] => None,
                _ => {
                    let names: Vec<String> = folded
                        .iter()
                        .map(|&i| format!("'{}'", control::control_id(&named[i].0, named[i].1)))
                        .collect();
                    return Err(UsageError(format!(
                        "'{}' is ambiguous on '{}': it could be {}; give the name with its exact case",
                        wanted.id(),
                        device.escape_debug(),
                        names.join(" or ")
                    ))
                    .into());
                }
            }
        }
    };
    match position {
        Some(p) => Ok(elems[p]),
        None => {
            let ids: Vec<String> = named
                .iter()
                .map(|(name, index)| control::control_id(name, *index))
                .collect();
            let hint = match closest(&wanted.id(), &ids) {
                Some(best) => format!("did you mean '{best}'? "),
                None => String::new(),
            };
            Err(UsageError(format!(
                "'{}' has no control '{}'; {hint}it has: {}",
                device.escape_debug(),
                wanted.id(),
                ids.join(", ")
            ))
            .into())
        }
    }
}

/// The candidate nearest to `wanted` by edit distance (ignoring case), if it is near enough
/// to be a likely typo: at most a third of the longer name's length, or a prefix.
pub fn closest<'c>(wanted: &str, candidates: &'c [String]) -> Option<&'c str> {
    let wanted = wanted.to_lowercase();
    candidates
        .iter()
        .map(|c| {
            let lower = c.to_lowercase();
            let distance = if lower.starts_with(&wanted) || wanted.starts_with(&lower) {
                0
            } else {
                edit_distance(&wanted, &lower)
            };
            (
                distance,
                lower.chars().count().max(wanted.chars().count()),
                c,
            )
        })
        .filter(|(distance, len, _)| *distance * 3 <= *len)
        .min_by_key(|(distance, _, _)| *distance)
        .map(|(_, _, c)| c.as_str())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous_diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous_diagonal + usize::from(ca != *cb);
            previous_diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str, index: u32) -> ControlName {
        ControlName {
            name: n.into(),
            index,
        }
    }

    #[test]
    fn control_names_like_amixer() {
        assert_eq!(ControlName::parse("Master"), Ok(name("Master", 0)));
        assert_eq!(ControlName::parse("Mic,1"), Ok(name("Mic", 1)));
        assert_eq!(ControlName::parse("'Mic',1"), Ok(name("Mic", 1)));
        assert_eq!(
            ControlName::parse("\"Front Mic Boost\",2"),
            Ok(name("Front Mic Boost", 2))
        );
        assert_eq!(ControlName::parse("'A,B'"), Ok(name("A,B", 0)));
        assert_eq!(
            ControlName::parse("PCM Playback"),
            Ok(name("PCM Playback", 0))
        );
        assert!(ControlName::parse("").is_err());
        assert!(ControlName::parse("Mic,x").is_err());
        assert!(ControlName::parse("Mic,").is_err());
        assert!(ControlName::parse("'Mic'x").is_err());
        assert_eq!(name("Mic", 1).id(), "Mic,1");
        assert_eq!(name("Mic", 0).id(), "Mic");
    }

    #[test]
    fn devices_from_card_or_device() {
        assert_eq!(control_device(Some("1"), None), "hw:1");
        assert_eq!(control_device(Some("PCH"), None), "hw:PCH");
        assert_eq!(control_device(None, Some("pulse")), "pulse");
        assert_eq!(control_device(None, None), "default");
    }

    #[test]
    fn closest_names() {
        let ids: Vec<String> = ["Master", "Capture", "PCM", "Mic Boost", "Mic,1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(closest("Mastr", &ids), Some("Master"));
        assert_eq!(closest("captur", &ids), Some("Capture"));
        assert_eq!(closest("Mic Bost", &ids), Some("Mic Boost"));
        assert_eq!(closest("Headphone", &ids), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
