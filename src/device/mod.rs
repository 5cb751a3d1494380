//! Device access: opening PCMs by ALSA device string, negotiating their hardware parameters,
//! probing what they can do, recovering from xruns, and listing cards and PCM names.
//!
//! Nothing here knows about the command line; the subcommands call into it.

pub mod alsa_log;
pub mod caps;
pub mod cards;
pub mod chmap;
pub mod gap;
pub mod holder;
pub mod negotiate;
pub mod pcm_io;

use std::ffi::CString;

use alsa::pcm::PCM;
use anyhow::{anyhow, Result};

use crate::error_text::errno_text;

pub use alsa::Direction;

/// "playback" or "capture".
pub fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Playback => "playback",
        Direction::Capture => "capture",
    }
}

/// Opens a PCM for blocking reads and writes. It is opened non-blocking, so a busy device
/// fails at once (a blocking open of a busy hw device waits until its holder lets go), then
/// switched to blocking mode. The error says which device failed, why, and what to try.
pub fn open_pcm(device: &str, direction: Direction) -> Result<PCM> {
    let name = CString::new(device).map_err(|_| {
        anyhow!(
            "device name '{}' contains a NUL byte",
            device.escape_debug()
        )
    })?;
    let pcm = PCM::open(&name, direction, true).map_err(|e| open_error(device, direction, &e))?;
    let Some(handle) = raw_handle(&pcm) else {
        // Not reachable with the alsa crate this was built against (a unit test checks):
        // open it again, blocking, as before.
        drop(pcm);
        return PCM::open(&name, direction, false).map_err(|e| open_error(device, direction, &e));
    };
    // SAFETY: `handle` is the open snd_pcm_t that `pcm` owns, and `pcm` is alive.
    let rc = unsafe { alsa_sys::snd_pcm_nonblock(handle, 0) };
    if rc < 0 {
        return Err(anyhow!(
            "cannot open {} device '{}': cannot switch it to blocking mode: {}; try another device",
            direction_name(direction),
            device.escape_debug(),
            errno_text(-rc)
        ));
    }
    Ok(pcm)
}

/// The `snd_pcm_t` a PCM owns. The alsa crate (0.12) neither wraps `snd_pcm_nonblock` nor
/// hands out its handle, but its derived `Debug` prints the handle first
/// (`PCM(0x55d0c3a1b2c0, Cell { value: false })`): the one way to it that assumes nothing about
/// the struct's layout. `None` if that ever changes.
pub(crate) fn raw_handle(pcm: &PCM) -> Option<*mut alsa_sys::snd_pcm_t> {
    let text = format!("{pcm:?}");
    let hex = text
        .strip_prefix("PCM(0x")?
        .split(|c: char| !c.is_ascii_hexdigit())
        .next()?;
    let address = usize::from_str_radix(hex, 16).ok()?;
    (address != 0).then(|| std::ptr::with_exposed_provenance_mut(address))
}

/// Turns a failed `snd_pcm_open` into the one-line message the user sees.
pub fn open_error(device: &str, direction: Direction, err: &alsa::Error) -> anyhow::Error {
    let what = format!(
        "cannot open {} device '{}'",
        direction_name(direction),
        device.escape_debug()
    );
    let errno = err.errno().abs();
    match errno {
        libc::EBUSY => {
            let holder = holder::describe(device, direction, std::path::Path::new("/proc"))
                .unwrap_or_else(|| "another program".to_string());
            anyhow!(
                "{what}: the device is in use by {holder}; stop it, or use a shared device such as 'default' or 'dmix'"
            )
        }
        libc::EACCES | libc::EPERM => anyhow!(
            "{what}: permission denied; add your user to the 'audio' group or check the permissions of /dev/snd"
        ),
        libc::ENOENT | libc::ENODEV | libc::ENXIO | libc::EINVAL if no_sound_card() => {
            let plugins = match direction {
                Direction::Playback => "null, pulse or file:'out.raw',raw",
                Direction::Capture => "pulse or a PCM your ~/.asoundrc defines",
            };
            anyhow!(
                "{what}: no such device, and this machine has no sound card; use a plugin device such as {plugins}, or run `alsatool devices`"
            )
        }
        libc::ENOENT | libc::ENODEV | libc::ENXIO | libc::EINVAL => anyhow!(
            "{what}: no such device; run `alsatool devices` to see the devices there are"
        ),
        libc::EAGAIN => anyhow!("{what}: the device is temporarily unavailable; try again"),
        _ => anyhow!("{what}: {}", errno_text(errno)),
    }
}

/// Whether ALSA sees no sound card at all (so `default` and `hw:` devices cannot work).
fn no_sound_card() -> bool {
    alsa::card::Iter::new().next().is_none()
}

/// A short text for an ALSA error from anything but opening: "Broken pipe (snd_pcm_writei)".
pub fn alsa_error_text(err: &alsa::Error) -> String {
    format!("{} ({})", errno_text(err.errno()), err.func())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_text_has_no_rust_suffix() {
        assert_eq!(errno_text(libc::ENOSPC), "No space left on device");
        assert_eq!(errno_text(-libc::EBUSY), "Device or resource busy");
    }

    #[test]
    fn the_raw_handle_is_the_pcms_own() {
        let name = CString::new("null").unwrap();
        let pcm = PCM::open(&name, Direction::Playback, true).expect("open null");
        let handle = raw_handle(&pcm).expect("the alsa crate's Debug still shows the handle");
        // SAFETY: the handle `pcm` owns, while it is open.
        let shown = unsafe { std::ffi::CStr::from_ptr(alsa_sys::snd_pcm_name(handle)) };
        assert_eq!(shown.to_str(), Ok("null"));
        assert_eq!(unsafe { alsa_sys::snd_pcm_nonblock(handle, 0) }, 0);
        let pcm = open_pcm("null", Direction::Capture).expect("open null");
        let handle = raw_handle(&pcm).unwrap();
        assert_eq!(
            unsafe { alsa_sys::snd_pcm_stream(handle) },
            alsa_sys::SND_PCM_STREAM_CAPTURE
        );
    }

    #[test]
    fn open_errors_say_what_to_do() {
        let busy = open_error(
            "hw:0",
            Direction::Playback,
            &alsa::Error::new("snd_pcm_open", libc::EBUSY),
        );
        assert!(busy.to_string().contains("in use"), "{busy}");
        let missing = open_error(
            "hw:9",
            Direction::Capture,
            &alsa::Error::new("snd_pcm_open", libc::ENOENT),
        );
        let text = missing.to_string();
        assert!(
            text.contains("'hw:9'") && text.contains("alsatool devices"),
            "{text}"
        );
        let denied = open_error(
            "hw:0",
            Direction::Playback,
            &alsa::Error::new("snd_pcm_open", libc::EACCES),
        );
        assert!(denied.to_string().contains("permission denied"));
    }
}
