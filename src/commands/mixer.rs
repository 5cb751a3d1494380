//! `alsatool mixer [get|set|watch|tui]`: list the simple controls of a control device, show one,
//! change one in amixer's value language, print changes as they happen, or open the
//! full-screen mixer (`crate::mixer::tui`). Text for people, `--json` for scripts (shapes
//! documented in README).

use std::io::Write;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use serde::Serialize;

use crate::cli::{MixerAction, MixerArgs};
use crate::device::alsa_error_text;
use crate::exit_codes::{ExitCode, UsageError};
use crate::mixer;
use crate::mixer::control::{self, Control};
use crate::mixer::scale::Scale;
use crate::mixer::{self as mx, apply, ControlName};
use crate::progress::Ui;
use crate::signals::StopFlag;

/// How often `watch` looks at the stop flag while no change arrives.
const WATCH_TICK: Duration = Duration::from_millis(200);

pub fn run(mut args: MixerArgs, ui: Ui) -> Result<ExitCode> {
    args.reclaim_trailing_options().map_err(UsageError)?;
    let device = mx::control_device(args.card.as_deref(), args.device.as_deref());
    let which = if args.linear {
        Scale::Linear
    } else {
        Scale::Mapped
    };
    if let Some(MixerAction::Tui) = args.action {
        // Before stdout is locked: the screen is drawn on it.
        mixer::tui::run(&device)?;
        return Ok(ExitCode::Success);
    }
    let mut out = std::io::stdout().lock();
    match args.action {
        None => list(&mut out, &device, args.all, args.json, which)?,
        Some(MixerAction::Get { control }) => {
            let wanted = ControlName::parse(&control).map_err(UsageError)?;
            get(&mut out, &device, &wanted, args.json, which)?
        }
        Some(MixerAction::Set { control, values }) => {
            let wanted = ControlName::parse(&control).map_err(UsageError)?;
            // The new state is printed as amixer's sset does, unless -q.
            let mut shown = Vec::new();
            set(&mut shown, &device, &wanted, &values, args.json, which)?;
            if !ui.quiet {
                out.write_all(&shown)?;
            }
        }
        // Run above, before stdout was locked.
        Some(MixerAction::Tui) => {}
        Some(MixerAction::Watch { control }) => {
            let wanted = control
                .as_deref()
                .map(ControlName::parse)
                .transpose()
                .map_err(UsageError)?;
            watch(&mut out, &device, wanted.as_ref(), args.json, which, ui)?
        }
    }
    out.flush()?;
    Ok(ExitCode::Success)
}

/// Every simple control's state, in alsa-lib's order.
#[derive(Serialize)]
struct ControlListing<'a> {
    device: &'a str,
    controls: Vec<Control>,
}

#[derive(Serialize)]
struct OneControl<'a> {
    device: &'a str,
    #[serde(flatten)]
    control: &'a Control,
}

fn list(out: &mut impl Write, device: &str, all: bool, json: bool, which: Scale) -> Result<()> {
    let mixer = mx::open(device)?;
    let controls: Vec<Control> = control::read_all(&mixer)
        .into_iter()
        .filter(|c| all || c.active)
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &ControlListing { device, controls })?;
        writeln!(out)?;
        return Ok(());
    }
    let width = controls.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for c in &controls {
        writeln!(out, "{:<width$}  {}", c.id, c.summary(which))?;
    }
    if controls.is_empty() {
        writeln!(
            out,
            "No active controls on '{device}'; --all shows inactive ones."
        )?;
    }
    Ok(())
}

fn get(
    out: &mut impl Write,
    device: &str,
    wanted: &ControlName,
    json: bool,
    which: Scale,
) -> Result<()> {
    let mixer = mx::open(device)?;
    let control = control::read(&mx::find(&mixer, device, wanted)?);
    print_control(out, device, &control, json, which, true)
}

fn print_control(
    out: &mut impl Write,
    device: &str,
    control: &Control,
    json: bool,
    which: Scale,
    details: bool,
) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, &OneControl { device, control })?;
        writeln!(out)?;
    } else if details {
        write!(out, "{}", control.details(which))?;
    } else {
        writeln!(out, "{}  {}", control.id, control.summary(which))?;
    }
    Ok(())
}

fn set(
    out: &mut impl Write,
    device: &str,
    wanted: &ControlName,
    values: &[String],
    json: bool,
    which: Scale,
) -> Result<()> {
    let mixer = mx::open(device)?;
    let elem = mx::find(&mixer, device, wanted)?;
    apply::apply(&elem, values, which)?;
    // Read back what the device made of it (it may round or refuse part of the change).
    let _ = mixer.handle_events();
    let control = control::read(&elem);
    print_control(out, device, &control, json, which, false)
}

#[derive(Serialize)]
struct WatchEvent<'a> {
    event: &'static str,
    device: &'a str,
    id: &'a str,
    /// The new state; absent when the control was removed.
    control: Option<&'a Control>,
}

fn watch(
    out: &mut impl Write,
    device: &str,
    wanted: Option<&ControlName>,
    json: bool,
    which: Scale,
    ui: Ui,
) -> Result<()> {
    let stop = StopFlag::install()?;
    let mixer = mx::open(device)?;
    let only = match wanted {
        Some(name) => {
            let elem = mx::find(&mixer, device, name)?;
            Some(control::control_id(&elem.name(), elem.index()))
        }
        None => None,
    };
    let watched = || -> Vec<Control> {
        control::read_all(&mixer)
            .into_iter()
            .filter(|c| only.as_ref().is_none_or(|id| *id == c.id))
            .collect()
    };
    let cannot_watch = |e: alsa::Error| anyhow!("cannot watch '{device}': {}", alsa_error_text(&e));
    let mut before = watched();
    ui.note(format!("watching '{device}' for changes; Ctrl-C ends"));
    while !stop.is_raised() {
        let mut fds = mixer.poll_descriptors().map_err(cannot_watch)?;
        let ready = unsafe {
            libc::poll(
                fds.as_mut_ptr(),
                fds.len() as libc::nfds_t,
                WATCH_TICK.as_millis() as libc::c_int,
            )
        };
        if ready < 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err).context(format!("cannot watch '{device}'"));
        }
        if ready == 0 {
            continue;
        }
        let changed = mixer.poll_revents(&mut fds).map_err(cannot_watch)?;
        if !changed {
            continue;
        }
        mixer.handle_events().map_err(|e| {
            anyhow!(
                "lost the mixer of '{device}' while watching: {}",
                alsa_error_text(&e)
            )
        })?;
        let after = watched();
        report_changes(out, device, &before, &after, json, which)?;
        before = after;
    }
    Ok(())
}

/// Prints one line per control that changed, appeared or went away, flushed at once.
fn report_changes(
    out: &mut impl Write,
    device: &str,
    before: &[Control],
    after: &[Control],
    json: bool,
    which: Scale,
) -> Result<()> {
    let mut events: Vec<(&'static str, &str, Option<&Control>)> = Vec::new();
    for new in after {
        match before.iter().find(|old| old.id == new.id) {
            Some(old) if old == new => {}
            Some(_) => events.push(("changed", &new.id, Some(new))),
            None => events.push(("added", &new.id, Some(new))),
        }
    }
    for old in before {
        if !after.iter().any(|new| new.id == old.id) {
            events.push(("removed", &old.id, None));
        }
    }
    for (event, id, control) in events {
        if json {
            serde_json::to_writer(
                &mut *out,
                &WatchEvent {
                    event,
                    device,
                    id,
                    control,
                },
            )?;
            writeln!(out)?;
        } else {
            match (event, control) {
                ("changed", Some(c)) => writeln!(out, "{id}  {}", c.summary(which))?,
                (_, Some(c)) => writeln!(out, "{id}  {event}: {}", c.summary(which))?,
                (_, None) => writeln!(out, "{id}  {event}")?,
            }
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mixer::tui::fake;

    fn lines(before: &[Control], after: &[Control], json: bool) -> Vec<String> {
        let mut out = Vec::new();
        report_changes(&mut out, "hw:0", before, after, json, Scale::Mapped)
            .unwrap_or_else(|e| panic!("{e:#}"));
        String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn watch_says_which_controls_appeared_and_went_away() {
        let card = fake::card();
        let (first, rest) = card.split_first().expect("a fake card with controls");
        let appeared = lines(rest, &card, false);
        assert_eq!(appeared.len(), 1, "{appeared:?}");
        assert!(
            appeared[0].starts_with(&format!("{}  added: ", first.id)),
            "{appeared:?}"
        );
        let gone = lines(&card, rest, false);
        assert_eq!(gone, [format!("{}  removed", first.id)]);
        let json = lines(&card, rest, true);
        let event: serde_json::Value = serde_json::from_str(&json[0]).unwrap_or_default();
        assert_eq!(event["event"], "removed", "{json:?}");
        assert_eq!(event["id"], first.id.as_str(), "{json:?}");
        assert!(lines(&card, &card, false).is_empty(), "nothing changed");
    }
}
