//! Forwarding a mixer control's volume while `loop` runs, as loopback.py forwards a USB
//! gadget's capture volume (set by the host) to the DAC's playback volume.
//!
//! A thread of its own watches the source control (polling the mixer's descriptors, as `mixer
//! watch` does) and on every change applies its volume, as alsamixer's mapped position, and
//! its switch to the target control; or, with no target, as a gain on the audio itself. The
//! controls are named `[DEVICE:]CONTROL`, DEVICE being a control device as `mixer -d` takes it
//! (`hw:1`, `pulse`; `default` when left out) and CONTROL a simple control as `mixer` takes it
//! (`Capture`, `Mic,1`, `'PCM Capture',0`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{anyhow, bail, Result};

use crate::device::{alsa_error_text, alsa_log, Direction};
use crate::mixer::control::ElemScale;
use crate::mixer::scale::{normalized, raw_for_normalized, Rounding};
use crate::mixer::{self as mx, ControlName, Elem};
use crate::signals::StopFlag;

/// How often the watcher looks at the stop flag while nothing changes.
const TICK: Duration = Duration::from_millis(200);

/// A control on a control device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlRef {
    pub device: String,
    pub control: ControlName,
}

impl ControlRef {
    /// Parses `[DEVICE:]CONTROL`: the control is what follows the last colon outside quotes.
    pub fn parse(text: &str) -> Result<ControlRef, String> {
        let mut quote = None;
        let mut split = None;
        for (i, c) in text.char_indices() {
            match (quote, c) {
                (None, '\'' | '"') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, ':') => split = Some(i),
                _ => {}
            }
        }
        let (device, control) = match split {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => ("", text),
        };
        let device = if device.is_empty() { "default" } else { device };
        Ok(ControlRef {
            device: device.to_string(),
            control: ControlName::parse(control)?,
        })
    }

    /// "'Capture' on 'hw:1'".
    pub fn describe(&self) -> String {
        format!(
            "'{}' on '{}'",
            self.control.id(),
            self.device.escape_debug()
        )
    }
}

/// The control device that holds a PCM's controls: `hw:1,0` and `plughw:1` → `hw:1`, anything
/// else the PCM's own name (the `pulse` and `default` plugins have control devices too).
pub fn control_device_of(pcm: &str) -> String {
    let card = pcm
        .strip_prefix("plughw:")
        .or_else(|| pcm.strip_prefix("hw:"));
    match card {
        Some(rest) => {
            let card = rest.split(',').next().unwrap_or(rest);
            let card = card.strip_prefix("CARD=").unwrap_or(card);
            format!("hw:{card}")
        }
        None => pcm.to_string(),
    }
}

/// Where forwarded changes go.
pub enum Target {
    /// Another control.
    Control(ControlRef),
    /// A gain applied to the audio (amplitude, as `f64` bits); 0 when switched off.
    Gain(Arc<AtomicU64>),
}

/// A running forwarder; stops with the loop.
pub struct VolumeLink {
    halt: StopFlag,
    thread: Option<JoinHandle<()>>,
}

impl VolumeLink {
    /// Finds both controls and applies the source's state once (errors come back from here,
    /// as one line), then forwards every change until the stop flag. A failure later (the
    /// device went away) ends the forwarding with a warning, not the loop.
    pub fn start(source: SourceChoice, target: Target, stop: &StopFlag) -> Result<VolumeLink> {
        let halt = stop.linked();
        let thread_halt = halt.clone();
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Result<()>>(1);
        let thread = std::thread::Builder::new()
            .name("volume-link".into())
            .spawn(move || {
                alsa_log::quiet_this_thread();
                if let Err(e) = forward(&source, &target, &thread_halt, &ready_tx) {
                    // Before the first state was applied this is the start's error; after it,
                    // the forwarding ends with a warning and the audio goes on.
                    if ready_tx.try_send(Err(anyhow!("{e:#}"))).is_err() {
                        eprintln!("alsatool: warning: volume forwarding stopped: {e:#}");
                    }
                }
            })
            .map_err(|e| anyhow!("cannot start the volume thread: {e}"))?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(VolumeLink {
                halt,
                thread: Some(thread),
            }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => {
                let _ = thread.join();
                bail!("the volume thread ended before it started")
            }
        }
    }
}

impl Drop for VolumeLink {
    fn drop(&mut self) {
        self.halt.raise();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The control whose volume is forwarded.
#[derive(Clone, Debug)]
pub enum SourceChoice {
    /// The one the user named.
    Named(ControlRef),
    /// The first control with a capture volume on this control device (IN's).
    FirstCapture(String),
}

/// A control's volume as alsamixer's position (0..1), its switch, and its dB (hundredths).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Level {
    position: f64,
    on: bool,
    db: Option<i64>,
}

/// Which direction of a control carries its volume: capture if it has one, else playback.
fn direction_of(elem: &Elem, prefer: Direction) -> Option<Direction> {
    let other = match prefer {
        Direction::Capture => Direction::Playback,
        Direction::Playback => Direction::Capture,
    };
    [prefer, other]
        .into_iter()
        .find(|&d| elem.has_volume(d) || elem.has_switch(d))
}

fn read_level(elem: &Elem, dir: Direction) -> Level {
    let channels = elem.channels(dir);
    let scale = ElemScale { elem, dir };
    let mut positions = Vec::new();
    let mut dbs = Vec::new();
    if elem.has_volume(dir) {
        for &c in &channels {
            if let Ok(raw) = elem.volume(dir, c) {
                positions.push(normalized(&scale, raw));
            }
            if let Some(db) = elem.db(dir, c) {
                dbs.push(db);
            }
        }
    }
    // The loudest channel speaks for the control (a balance setting is not a volume).
    let position = positions.iter().copied().fold(f64::NAN, f64::max);
    let on = !elem.has_switch(dir)
        || channels
            .iter()
            .any(|&c| elem.switch(dir, c).unwrap_or(true));
    Level {
        position: if position.is_nan() { 1.0 } else { position },
        on,
        db: dbs.iter().copied().max(),
    }
}

fn apply_level(elem: &Elem, dir: Direction, level: Level, what: &str) -> Result<()> {
    let cannot = |e: alsa::Error| anyhow!("cannot set {what}: {}", alsa_error_text(&e));
    if elem.has_volume(dir) {
        let scale = ElemScale { elem, dir };
        let raw = raw_for_normalized(&scale, level.position, Rounding::Nearest);
        for c in elem.channels(dir) {
            elem.set_volume(dir, c, raw).map_err(cannot)?;
        }
    }
    if elem.has_switch(dir) {
        for c in elem.channels(dir) {
            elem.set_switch(dir, c, level.on).map_err(cannot)?;
        }
    }
    Ok(())
}

/// The amplitude a level stands for: its dB when known, else its position; 0 when off.
fn gain_of(level: Level) -> f64 {
    if !level.on {
        return 0.0;
    }
    match level.db {
        Some(db) => 10f64.powf(db as f64 / 2000.0).min(1.0),
        None => level.position.clamp(0.0, 1.0),
    }
}

fn forward(
    source: &SourceChoice,
    target: &Target,
    halt: &StopFlag,
    ready: &mpsc::SyncSender<Result<()>>,
) -> Result<()> {
    let (device, wanted) = match source {
        SourceChoice::Named(r) => (r.device.clone(), Some(r.control.clone())),
        SourceChoice::FirstCapture(device) => (device.clone(), None),
    };
    let mixer = mx::open(&device)?;
    let elem = match &wanted {
        Some(name) => mx::find(&mixer, &device, name)?,
        None => mixer
            .elems()
            .into_iter()
            .find(|e| e.has_volume(Direction::Capture))
            .ok_or_else(|| {
                anyhow!(
                    "'{}' has no capture volume to forward; name one with --volume-from",
                    device.escape_debug()
                )
            })?,
    };
    let source_what = format!("'{}' on '{}'", elem.name(), device.escape_debug());
    let dir = direction_of(&elem, Direction::Capture)
        .ok_or_else(|| anyhow!("{source_what} has no volume or switch to forward"))?;
    let target_mixer = match target {
        Target::Control(r) => Some((mx::open(&r.device)?, r)),
        Target::Gain(_) => None,
    };
    let target_elem = match &target_mixer {
        Some((m, r)) => {
            let e = mx::find(m, &r.device, &r.control)?;
            let d = direction_of(&e, Direction::Playback)
                .ok_or_else(|| anyhow!("{} has no volume or switch to set", r.describe()))?;
            Some((e, d, r.describe()))
        }
        None => None,
    };
    let apply = |level: Level| -> Result<()> {
        match (target, &target_elem) {
            (_, Some((e, d, what))) => apply_level(e, *d, level, what),
            (Target::Gain(gain), None) => {
                gain.store(gain_of(level).to_bits(), Ordering::Relaxed);
                Ok(())
            }
            (Target::Control(_), None) => Ok(()),
        }
    };
    let mut last = read_level(&elem, dir);
    apply(last)?;
    let _ = ready.try_send(Ok(()));
    let cannot_watch =
        |e: alsa::Error| anyhow!("cannot watch {source_what}: {}", alsa_error_text(&e));
    while !halt.is_raised() {
        let mut fds = mixer.poll_descriptors().map_err(cannot_watch)?;
        // SAFETY: the descriptors live in `fds` for the whole call.
        let ready = unsafe {
            libc::poll(
                fds.as_mut_ptr(),
                fds.len() as libc::nfds_t,
                TICK.as_millis() as libc::c_int,
            )
        };
        if ready < 0 {
            let err = std::io::Error::last_os_error();
            // EINTR: a signal; anything else would only come back at once, round and round.
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(anyhow!("cannot watch {source_what}: {err}"));
            }
            continue;
        }
        if ready == 0 {
            continue;
        }
        if !mixer.poll_revents(&mut fds).map_err(cannot_watch)? {
            continue;
        }
        mixer.handle_events().map_err(cannot_watch)?;
        let level = read_level(&elem, dir);
        if level != last {
            apply(level)?;
            last = level;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(device: &str, name: &str, index: u32) -> ControlRef {
        ControlRef {
            device: device.into(),
            control: ControlName {
                name: name.into(),
                index,
            },
        }
    }

    #[test]
    fn control_references() {
        assert_eq!(ControlRef::parse("Capture"), Ok(r("default", "Capture", 0)));
        assert_eq!(
            ControlRef::parse("hw:0:Capture"),
            Ok(r("hw:0", "Capture", 0))
        );
        assert_eq!(
            ControlRef::parse("pulse:Master"),
            Ok(r("pulse", "Master", 0))
        );
        assert_eq!(
            ControlRef::parse("hw:CARD=PCH:Mic,1"),
            Ok(r("hw:CARD=PCH", "Mic", 1))
        );
        assert_eq!(
            ControlRef::parse("hw:1:'PCM Capture: A',2"),
            Ok(r("hw:1", "PCM Capture: A", 2))
        );
        assert_eq!(ControlRef::parse("hw:1:'A:B'"), Ok(r("hw:1", "A:B", 0)));
        assert!(ControlRef::parse("hw:1:").is_err());
        assert_eq!(r("hw:1", "Mic", 1).describe(), "'Mic,1' on 'hw:1'");
    }

    #[test]
    fn control_devices_of_pcms() {
        assert_eq!(control_device_of("hw:1,0"), "hw:1");
        assert_eq!(control_device_of("plughw:CARD=PCH,DEV=0"), "hw:PCH");
        assert_eq!(control_device_of("hw:Loopback,1,0"), "hw:Loopback");
        assert_eq!(control_device_of("pulse"), "pulse");
    }

    #[test]
    fn gains() {
        let level = |position, on, db| Level { position, on, db };
        assert_eq!(gain_of(level(1.0, false, Some(0))), 0.0);
        assert!((gain_of(level(0.5, true, Some(-600))) - 0.501).abs() < 1e-3);
        assert_eq!(gain_of(level(0.25, true, None)), 0.25);
        assert_eq!(gain_of(level(1.0, true, Some(1200))), 1.0);
    }
}
