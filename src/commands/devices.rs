//! `alsatool devices [DEVICE]`: the cards, PCM devices and PCM names ALSA knows, or what one
//! device can do. Text for people, `--json` for scripts (shape documented in README).

use std::io::Write;

use alsa::Direction;
use anyhow::{bail, Result};
use serde::Serialize;

use crate::cli::DevicesArgs;
use crate::device::caps::{self, Capabilities, Range};
use crate::device::cards::{self, Card, PcmName};
use crate::device::direction_name;
use crate::exit_codes::ExitCode;
use crate::progress::Ui;

pub fn run(args: DevicesArgs, _ui: Ui) -> Result<ExitCode> {
    let directions = wanted_directions(args.direction.playback, args.direction.capture);
    let mut out = std::io::stdout().lock();
    match args.device {
        None => list(&mut out, &directions, args.json)?,
        Some(device) => describe(&mut out, &device, &directions, args.json)?,
    }
    out.flush()?;
    Ok(ExitCode::Success)
}

fn wanted_directions(playback_only: bool, capture_only: bool) -> Vec<Direction> {
    match (playback_only, capture_only) {
        (true, false) => vec![Direction::Playback],
        (false, true) => vec![Direction::Capture],
        _ => vec![Direction::Playback, Direction::Capture],
    }
}

#[derive(Serialize)]
struct DeviceListing {
    cards: Vec<Card>,
    pcm_names: Vec<PcmName>,
}

fn list(out: &mut impl Write, directions: &[Direction], json: bool) -> Result<()> {
    let wanted: Vec<&str> = directions.iter().map(|d| direction_name(*d)).collect();
    let mut listing = DeviceListing {
        cards: cards::list_cards()?,
        pcm_names: cards::list_pcm_names()?,
    };
    for card in &mut listing.cards {
        card.pcm_devices.retain(|p| wanted.contains(&p.direction));
    }
    listing
        .pcm_names
        .retain(|p| p.directions.iter().any(|d| wanted.contains(d)));

    if json {
        serde_json::to_writer_pretty(&mut *out, &listing)?;
        writeln!(out)?;
        return Ok(());
    }

    if listing.cards.is_empty() {
        writeln!(out, "No sound cards found.")?;
    } else {
        writeln!(out, "Sound cards:")?;
    }
    for card in &listing.cards {
        writeln!(
            out,
            "card {}: {} [{}], driver {}",
            card.index, card.id, card.name, card.driver
        )?;
        if !card.long_name.is_empty() && card.long_name != card.name {
            writeln!(out, "  {}", card.long_name)?;
        }
        for pcm in &card.pcm_devices {
            writeln!(
                out,
                "  {} device {}: {} [{}], subdevices {}/{}  (hw:{},{})",
                pcm.direction,
                pcm.device,
                pcm.id,
                pcm.name,
                pcm.subdevices_available,
                pcm.subdevices.len(),
                card.index,
                pcm.device
            )?;
            if pcm.subdevices.len() > 1 {
                for sub in &pcm.subdevices {
                    writeln!(out, "    subdevice #{}: {}", sub.index, sub.name)?;
                }
            }
        }
        if card.mixer_controls.is_empty() {
            writeln!(out, "  mixer: no simple controls")?;
        } else {
            writeln!(out, "  mixer: {}", card.mixer_controls.join(", "))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "PCM names:")?;
    for pcm in &listing.pcm_names {
        let only = if pcm.directions.len() == 1 {
            format!("  ({} only)", pcm.directions[0])
        } else {
            String::new()
        };
        writeln!(out, "{}{}", pcm.name, only)?;
        for line in pcm.description.lines() {
            writeln!(out, "    {line}")?;
        }
    }
    Ok(())
}

/// One direction of one device: what it takes, or why it could not be opened.
#[derive(Serialize)]
struct DirectionReport {
    available: bool,
    error: Option<String>,
    capabilities: Option<Capabilities>,
}

#[derive(Serialize)]
struct DeviceReport {
    device: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    playback: Option<DirectionReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capture: Option<DirectionReport>,
}

fn describe(
    out: &mut impl Write,
    device: &str,
    directions: &[Direction],
    json: bool,
) -> Result<()> {
    let mut report = DeviceReport {
        device: device.to_string(),
        playback: None,
        capture: None,
    };
    let mut errors = Vec::new();
    for &direction in directions {
        let entry = match caps::probe(device, direction) {
            Ok(c) => DirectionReport {
                available: true,
                error: None,
                capabilities: Some(c),
            },
            Err(e) => {
                errors.push(e.to_string());
                DirectionReport {
                    available: false,
                    error: Some(format!("{e:#}")),
                    capabilities: None,
                }
            }
        };
        match direction {
            Direction::Playback => report.playback = Some(entry),
            Direction::Capture => report.capture = Some(entry),
        }
    }
    // Nothing could be opened at all: that is an error, said once.
    if errors.len() == directions.len() {
        let first = errors.into_iter().next().unwrap_or_default();
        bail!("{first}");
    }

    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    for (name, entry) in [("playback", &report.playback), ("capture", &report.capture)] {
        let Some(entry) = entry else { continue };
        writeln!(out, "{device} ({name}):")?;
        match (&entry.capabilities, &entry.error) {
            (Some(c), _) => write_capabilities(out, c)?,
            (None, Some(error)) => writeln!(out, "  not available: {error}")?,
            (None, None) => {}
        }
    }
    Ok(())
}

fn write_capabilities(out: &mut impl Write, c: &Capabilities) -> Result<()> {
    writeln!(out, "  formats:  {}", c.formats.join(", "))?;
    writeln!(out, "  channels: {}", range_text(c.channels, ""))?;
    let rates = if c.rate.min == c.rate.max {
        format!("{} Hz", c.rate.min)
    } else if c.common_rates.len() <= 8 && !c.common_rates.is_empty() {
        // A device with gaps in its range (most hw: devices): the common rates it takes.
        format!(
            "{} to {} Hz (common: {})",
            c.rate.min,
            c.rate.max,
            c.common_rates
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!("{} to {} Hz", c.rate.min, c.rate.max)
    };
    writeln!(out, "  rates:    {rates}")?;
    writeln!(
        out,
        "  period:   {} ({})",
        range_text(c.period_frames, " frames"),
        time_range_text(c.period_time_us)
    )?;
    writeln!(
        out,
        "  buffer:   {} ({})",
        range_text(c.buffer_frames, " frames"),
        time_range_text(c.buffer_time_us)
    )?;
    writeln!(out, "  periods:  {}", range_text(c.periods, ""))?;
    writeln!(out, "  access:   {}", c.access.join(", "))?;
    Ok(())
}

fn range_text<T: PartialEq + std::fmt::Display>(r: Range<T>, unit: &str) -> String {
    if r.min == r.max {
        format!("{}{unit}", r.min)
    } else {
        format!("{} to {}{unit}", r.min, r.max)
    }
}

fn time_range_text(r: Range<u32>) -> String {
    let ms = |us: u32| {
        if us >= 1000 {
            format!("{:.1} ms", f64::from(us) / 1000.0)
        } else {
            format!("{us} µs")
        }
    };
    if r.min == r.max {
        ms(r.min)
    } else {
        format!("{} to {}", ms(r.min), ms(r.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_naturally() {
        assert_eq!(range_text(Range { min: 2, max: 2 }, ""), "2");
        assert_eq!(
            range_text(Range { min: 1, max: 8 }, " frames"),
            "1 to 8 frames"
        );
        assert_eq!(
            time_range_text(Range {
                min: 500,
                max: 2_000_000
            }),
            "500 µs to 2000.0 ms"
        );
    }

    #[test]
    fn direction_filters() {
        assert_eq!(wanted_directions(true, false), vec![Direction::Playback]);
        assert_eq!(wanted_directions(false, true), vec![Direction::Capture]);
        assert_eq!(wanted_directions(false, false).len(), 2);
    }
}
