//! Gating the playback side on the input, as PyAlsaAudio's loopback.py does for a USB gadget's
//! input: the output opens when the input carries sound and closes after a stretch of digital
//! silence (every sample exactly the format's zero), with a command run at each opening and
//! closing (to power an amplifier up and down, say).

use std::process::{Command, Stdio};

use anyhow::{anyhow, Result};

use crate::sample::format::SampleFormat;

/// What the gate says to do with the output after a piece of input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateEvent {
    /// Nothing changes.
    Stay,
    /// Sound arrived while the output was closed: open it (this piece is the first to play).
    Open,
    /// The input has been silent long enough: close the output (this piece is not played).
    Close,
}

/// The gate's state.
#[derive(Clone, Debug)]
pub struct Gate {
    /// Frames of silence after which the output closes; `None`: it never does.
    close_after: Option<u64>,
    silent_frames: u64,
    open: bool,
}

impl Gate {
    /// A gate that closes after `close_after` frames of silence, or one that is always open.
    pub fn new(close_after: Option<u64>) -> Gate {
        Gate {
            close_after,
            silent_frames: 0,
            // Without gating the output is open from the start.
            open: close_after.is_none(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Takes a piece of `frames` frames, which `silent` says is silent or not: asked only when
    /// gating (a scan of the piece the loop need not pay otherwise).
    pub fn update(&mut self, silent: impl FnOnce() -> bool, frames: u64) -> GateEvent {
        let Some(close_after) = self.close_after else {
            return GateEvent::Stay;
        };
        if !silent() {
            self.silent_frames = 0;
            if !self.open {
                self.open = true;
                return GateEvent::Open;
            }
            return GateEvent::Stay;
        }
        self.silent_frames = self.silent_frames.saturating_add(frames);
        if self.open && self.silent_frames >= close_after {
            self.open = false;
            return GateEvent::Close;
        }
        GateEvent::Stay
    }
}

/// Whether every sample in `bytes` is the format's digital silence (0 for signed and float
/// samples, the midpoint for unsigned ones; -0.0 counts as silence too).
pub fn is_silent(format: SampleFormat, bytes: &[u8]) -> bool {
    let zero = format.silence();
    let width = zero.len().max(1);
    if zero.iter().all(|&b| b == 0) {
        let float_sign = match format {
            SampleFormat::FLOAT_LE | SampleFormat::FLOAT64_LE => Some(width - 1),
            SampleFormat::FLOAT_BE | SampleFormat::FLOAT64_BE => Some(0),
            _ => None,
        };
        return match float_sign {
            // Fast path: the whole buffer is zero bytes.
            None => bytes.iter().all(|&b| b == 0),
            Some(sign) => bytes.chunks_exact(width).all(|s| {
                s.iter()
                    .enumerate()
                    .all(|(i, &b)| b == 0 || (i == sign && b == 0x80))
            }),
        };
    }
    bytes.chunks_exact(width).all(|s| s == zero)
}

/// Runs a hook with `sh -c` and waits for it (the output opens only once `--on-start` has
/// done its work). The event and the devices are in its environment. A failing hook is
/// reported, never fatal: the audio matters more.
pub fn run_hook(command: &str, event: &str, input: &str, output: &str) -> Result<()> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("ALSATOOL_EVENT", event)
        .env("ALSATOOL_IN", input)
        .env("ALSATOOL_OUT", output)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| anyhow!("cannot run the --on-{event} command: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(anyhow!(
            "the --on-{event} command `{}` failed ({status})",
            command.escape_debug()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_in_every_encoding() {
        assert!(is_silent(SampleFormat::S16_LE, &[0; 8]));
        assert!(!is_silent(SampleFormat::S16_LE, &[0, 0, 1, 0]));
        assert!(is_silent(SampleFormat::U8, &[0x80, 0x80]));
        assert!(!is_silent(SampleFormat::U8, &[0, 0]));
        assert!(is_silent(
            SampleFormat::FLOAT_LE,
            &[0, 0, 0, 0x80, 0, 0, 0, 0]
        ));
        assert!(!is_silent(SampleFormat::FLOAT_LE, &[0, 0, 0x80, 0x3f]));
        assert!(is_silent(SampleFormat::S16_LE, &[]));
    }

    #[test]
    fn two_cycles_of_sound_and_silence() {
        let mut gate = Gate::new(Some(100));
        assert!(!gate.is_open());
        assert_eq!(gate.update(|| true, 50), GateEvent::Stay);
        assert_eq!(gate.update(|| false, 50), GateEvent::Open);
        assert_eq!(gate.update(|| true, 60), GateEvent::Stay);
        assert_eq!(gate.update(|| false, 10), GateEvent::Stay);
        assert_eq!(gate.update(|| true, 60), GateEvent::Stay);
        assert_eq!(gate.update(|| true, 40), GateEvent::Close);
        assert_eq!(gate.update(|| true, 400), GateEvent::Stay);
        assert_eq!(gate.update(|| false, 1), GateEvent::Open);
        assert!(gate.is_open());
    }

    #[test]
    fn without_gating_it_is_always_open() {
        let mut gate = Gate::new(None);
        assert!(gate.is_open());
        assert_eq!(gate.update(|| true, u64::MAX), GateEvent::Stay);
        assert!(gate.is_open());
    }

    #[test]
    fn hooks_run_in_a_shell_and_failures_are_errors() {
        assert!(run_hook("test \"$ALSATOOL_EVENT\" = start", "start", "a", "b").is_ok());
        let failed = run_hook("exit 3", "stop", "a", "b")
            .unwrap_err()
            .to_string();
        assert!(
            failed.contains("--on-stop") && failed.contains("exit"),
            "{failed}"
        );
    }
}
