//! A thin safe layer over alsa-lib's simple mixer (alsa-sys).
//!
//! The alsa crate's `Selem` hides the element pointer, so the capability details amixer prints
//! (common and joined volumes and switches, exclusive capture groups, whether a control is
//! active) and whether a control has a dB range at all (its `get_*_db_range` drops the error)
//! are out of reach through it. This module owns the `snd_mixer_t` and exposes exactly the calls
//! alsatool needs, each returning `alsa::Result` so errors read like the rest of the crate's.

// `c_long` is i64 here but i32 on 32-bit targets, so `i64::from` is needed there.
#![allow(clippy::useless_conversion)]

use std::ffi::{CStr, CString};
use std::marker::PhantomData;
use std::ptr;

use alsa::Direction;
use alsa_sys as sys;
use libc::{c_int, c_long, c_uint, pollfd};

/// The highest channel id alsa-lib's simple mixer knows (`SND_MIXER_SCHN_LAST`).
pub const LAST_CHANNEL: u32 = sys::SND_MIXER_SCHN_LAST as u32;

fn check(func: &'static str, code: c_int) -> alsa::Result<c_int> {
    if code < 0 {
        Err(alsa::Error::new(func, -code))
    } else {
        Ok(code)
    }
}

/// An open simple mixer attached to one control device. Closed on drop.
pub struct Mixer {
    handle: *mut sys::snd_mixer_t,
}

impl Mixer {
    /// Opens the mixer of `device` (`hw:0`, `default`, `pulse`) and loads its simple controls.
    pub fn open(device: &str) -> alsa::Result<Mixer> {
        let name =
            CString::new(device).map_err(|_| alsa::Error::new("snd_mixer_attach", libc::EINVAL))?;
        let mut handle = ptr::null_mut();
        check("snd_mixer_open", unsafe {
            sys::snd_mixer_open(&mut handle, 0)
        })?;
        // From here on, Drop closes the handle on every error path.
        let mixer = Mixer { handle };
        check("snd_mixer_attach", unsafe {
            sys::snd_mixer_attach(mixer.handle, name.as_ptr())
        })?;
        check("snd_mixer_selem_register", unsafe {
            sys::snd_mixer_selem_register(mixer.handle, ptr::null_mut(), ptr::null_mut())
        })?;
        check("snd_mixer_load", unsafe {
            sys::snd_mixer_load(mixer.handle)
        })?;
        Ok(mixer)
    }

    /// Every simple element, in alsa-lib's order (the order amixer lists them in).
    pub fn elems(&self) -> Vec<Elem<'_>> {
        let mut elems = Vec::new();
        let mut elem = unsafe { sys::snd_mixer_first_elem(self.handle) };
        while !elem.is_null() {
            if unsafe { sys::snd_mixer_elem_get_type(elem) } == sys::SND_MIXER_ELEM_SIMPLE {
                elems.push(Elem {
                    ptr: elem,
                    _mixer: PhantomData,
                });
            }
            elem = unsafe { sys::snd_mixer_elem_next(elem) };
        }
        elems
    }

    /// Reads pending events from the device so the cached values are current.
    pub fn handle_events(&self) -> alsa::Result<u32> {
        check("snd_mixer_handle_events", unsafe {
            sys::snd_mixer_handle_events(self.handle)
        })
        .map(|n| n as u32)
    }

    /// The descriptors to poll for changes.
    pub fn poll_descriptors(&self) -> alsa::Result<Vec<pollfd>> {
        let count = check("snd_mixer_poll_descriptors_count", unsafe {
            sys::snd_mixer_poll_descriptors_count(self.handle)
        })? as usize;
        let mut fds = vec![
            pollfd {
                fd: -1,
                events: 0,
                revents: 0
            };
            count
        ];
        let filled = check("snd_mixer_poll_descriptors", unsafe {
            sys::snd_mixer_poll_descriptors(self.handle, fds.as_mut_ptr(), count as c_uint)
        })? as usize;
        fds.truncate(filled);
        Ok(fds)
    }

    /// Whether the polled descriptors report input (a change), as alsa-lib decodes them.
    pub fn poll_revents(&self, fds: &mut [pollfd]) -> alsa::Result<bool> {
        let mut revents: libc::c_ushort = 0;
        check("snd_mixer_poll_descriptors_revents", unsafe {
            sys::snd_mixer_poll_descriptors_revents(
                self.handle,
                fds.as_mut_ptr(),
                fds.len() as c_uint,
                &mut revents,
            )
        })?;
        let revents = revents as libc::c_short;
        Ok(revents & (libc::POLLIN | libc::POLLERR | libc::POLLHUP | libc::POLLNVAL) != 0)
    }
}

impl Drop for Mixer {
    fn drop(&mut self) {
        unsafe { sys::snd_mixer_close(self.handle) };
    }
}

/// One simple control of an open [`Mixer`]; valid while the mixer lives.
#[derive(Clone, Copy)]
pub struct Elem<'a> {
    ptr: *mut sys::snd_mixer_elem_t,
    _mixer: PhantomData<&'a Mixer>,
}

/// The alsa-lib name of a channel id: "Front Left", "Woofer", …
pub fn channel_name(channel: u32) -> String {
    let name = unsafe { sys::snd_mixer_selem_channel_name(channel as c_int) };
    if name.is_null() {
        return format!("Channel {channel}");
    }
    unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned()
}

macro_rules! by_direction {
    ($dir:expr, $playback:ident, $capture:ident ( $($arg:expr),* )) => {
        match $dir {
            Direction::Playback => unsafe { sys::$playback($($arg),*) },
            Direction::Capture => unsafe { sys::$capture($($arg),*) },
        }
    };
}

impl Elem<'_> {
    pub fn name(&self) -> String {
        let name = unsafe { sys::snd_mixer_selem_get_name(self.ptr) };
        if name.is_null() {
            return String::new();
        }
        unsafe { CStr::from_ptr(name) }
            .to_string_lossy()
            .into_owned()
    }

    pub fn index(&self) -> u32 {
        unsafe { sys::snd_mixer_selem_get_index(self.ptr) }
    }

    pub fn is_active(&self) -> bool {
        unsafe { sys::snd_mixer_selem_is_active(self.ptr) != 0 }
    }

    pub fn has_volume(&self, dir: Direction) -> bool {
        by_direction!(
            dir,
            snd_mixer_selem_has_playback_volume,
            snd_mixer_selem_has_capture_volume(self.ptr)
        ) != 0
    }

    pub fn has_switch(&self, dir: Direction) -> bool {
        by_direction!(
            dir,
            snd_mixer_selem_has_playback_switch,
            snd_mixer_selem_has_capture_switch(self.ptr)
        ) != 0
    }

    pub fn has_volume_joined(&self, dir: Direction) -> bool {
        by_direction!(
            dir,
            snd_mixer_selem_has_playback_volume_joined,
            snd_mixer_selem_has_capture_volume_joined(self.ptr)
        ) != 0
    }

    pub fn has_switch_joined(&self, dir: Direction) -> bool {
        by_direction!(
            dir,
            snd_mixer_selem_has_playback_switch_joined,
            snd_mixer_selem_has_capture_switch_joined(self.ptr)
        ) != 0
    }

    /// One volume for playback and capture together.
    pub fn has_common_volume(&self) -> bool {
        unsafe { sys::snd_mixer_selem_has_common_volume(self.ptr) != 0 }
    }

    /// One switch for playback and capture together.
    pub fn has_common_switch(&self) -> bool {
        unsafe { sys::snd_mixer_selem_has_common_switch(self.ptr) != 0 }
    }

    /// Turning this capture switch on turns the others of its group off.
    pub fn capture_exclusive_group(&self) -> Option<i32> {
        if unsafe { sys::snd_mixer_selem_has_capture_switch_exclusive(self.ptr) } != 0 {
            Some(unsafe { sys::snd_mixer_selem_get_capture_group(self.ptr) })
        } else {
            None
        }
    }

    pub fn is_mono(&self, dir: Direction) -> bool {
        by_direction!(
            dir,
            snd_mixer_selem_is_playback_mono,
            snd_mixer_selem_is_capture_mono(self.ptr)
        ) != 0
    }

    pub fn has_channel(&self, dir: Direction, channel: u32) -> bool {
        by_direction!(
            dir,
            snd_mixer_selem_has_playback_channel,
            snd_mixer_selem_has_capture_channel(self.ptr, channel as c_int)
        ) > 0
    }

    /// The channel ids this control has in `dir`, in alsa-lib's order.
    pub fn channels(&self, dir: Direction) -> Vec<u32> {
        (0..=LAST_CHANNEL)
            .filter(|&c| self.has_channel(dir, c))
            .collect()
    }

    /// The raw volume range.
    pub fn volume_range(&self, dir: Direction) -> (i64, i64) {
        let (mut min, mut max): (c_long, c_long) = (0, 0);
        by_direction!(
            dir,
            snd_mixer_selem_get_playback_volume_range,
            snd_mixer_selem_get_capture_volume_range(self.ptr, &mut min, &mut max)
        );
        (i64::from(min), i64::from(max))
    }

    /// The dB range in hundredths of a dB, or `None` when the control has no dB information.
    pub fn db_range(&self, dir: Direction) -> Option<(i64, i64)> {
        let (mut min, mut max): (c_long, c_long) = (0, 0);
        let err = by_direction!(
            dir,
            snd_mixer_selem_get_playback_dB_range,
            snd_mixer_selem_get_capture_dB_range(self.ptr, &mut min, &mut max)
        );
        (err >= 0).then_some((i64::from(min), i64::from(max)))
    }

    pub fn volume(&self, dir: Direction, channel: u32) -> alsa::Result<i64> {
        let mut value: c_long = 0;
        let err = by_direction!(
            dir,
            snd_mixer_selem_get_playback_volume,
            snd_mixer_selem_get_capture_volume(self.ptr, channel as c_int, &mut value)
        );
        check("snd_mixer_selem_get_volume", err).map(|_| i64::from(value))
    }

    /// The channel's gain in hundredths of a dB, when the control knows it.
    pub fn db(&self, dir: Direction, channel: u32) -> Option<i64> {
        let mut value: c_long = 0;
        let err = by_direction!(
            dir,
            snd_mixer_selem_get_playback_dB,
            snd_mixer_selem_get_capture_dB(self.ptr, channel as c_int, &mut value)
        );
        (err >= 0).then_some(i64::from(value))
    }

    /// The gain a raw value would have, in hundredths of a dB.
    pub fn ask_vol_db(&self, dir: Direction, raw: i64) -> Option<i64> {
        let mut value: c_long = 0;
        let err = by_direction!(
            dir,
            snd_mixer_selem_ask_playback_vol_dB,
            snd_mixer_selem_ask_capture_vol_dB(self.ptr, raw as c_long, &mut value)
        );
        (err >= 0).then_some(i64::from(value))
    }

    /// The raw value for a gain in hundredths of a dB, rounded up when `round_up`, otherwise
    /// down (alsa-lib's `dir` argument: > 0 up, otherwise down).
    pub fn ask_db_vol(&self, dir: Direction, centi_db: i64, round_up: bool) -> alsa::Result<i64> {
        let mut value: c_long = 0;
        let err = by_direction!(
            dir,
            snd_mixer_selem_ask_playback_dB_vol,
            snd_mixer_selem_ask_capture_dB_vol(
                self.ptr,
                centi_db as c_long,
                c_int::from(round_up),
                &mut value
            )
        );
        check("snd_mixer_selem_ask_dB_vol", err).map(|_| i64::from(value))
    }

    pub fn set_volume(&self, dir: Direction, channel: u32, raw: i64) -> alsa::Result<()> {
        let err = by_direction!(
            dir,
            snd_mixer_selem_set_playback_volume,
            snd_mixer_selem_set_capture_volume(self.ptr, channel as c_int, raw as c_long)
        );
        check("snd_mixer_selem_set_volume", err).map(|_| ())
    }

    pub fn switch(&self, dir: Direction, channel: u32) -> alsa::Result<bool> {
        let mut value: c_int = 0;
        let err = by_direction!(
            dir,
            snd_mixer_selem_get_playback_switch,
            snd_mixer_selem_get_capture_switch(self.ptr, channel as c_int, &mut value)
        );
        check("snd_mixer_selem_get_switch", err).map(|_| value != 0)
    }

    pub fn set_switch(&self, dir: Direction, channel: u32, on: bool) -> alsa::Result<()> {
        let err = by_direction!(
            dir,
            snd_mixer_selem_set_playback_switch,
            snd_mixer_selem_set_capture_switch(self.ptr, channel as c_int, c_int::from(on))
        );
        check("snd_mixer_selem_set_switch", err).map(|_| ())
    }

    pub fn is_enumerated(&self) -> bool {
        unsafe { sys::snd_mixer_selem_is_enumerated(self.ptr) != 0 }
    }

    pub fn is_enum_playback(&self) -> bool {
        unsafe { sys::snd_mixer_selem_is_enum_playback(self.ptr) != 0 }
    }

    pub fn is_enum_capture(&self) -> bool {
        unsafe { sys::snd_mixer_selem_is_enum_capture(self.ptr) != 0 }
    }

    /// The names of an enumerated control's items.
    pub fn enum_items(&self) -> Vec<String> {
        let count = unsafe { sys::snd_mixer_selem_get_enum_items(self.ptr) };
        (0..count.max(0) as u32)
            .map(|i| {
                // The kernel limits item names to 64 bytes (snd_ctl_elem_init_enum_names).
                let mut buf = [0 as libc::c_char; 65];
                let err = unsafe {
                    sys::snd_mixer_selem_get_enum_item_name(self.ptr, i, 64, buf.as_mut_ptr())
                };
                if err < 0 {
                    return format!("item {i}");
                }
                unsafe { CStr::from_ptr(buf.as_ptr()) }
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    /// The item index selected on `channel`, or `None` past the control's last channel.
    pub fn enum_item(&self, channel: u32) -> Option<u32> {
        let mut idx: c_uint = 0;
        let err =
            unsafe { sys::snd_mixer_selem_get_enum_item(self.ptr, channel as c_int, &mut idx) };
        (err >= 0).then_some(idx)
    }

    pub fn set_enum_item(&self, channel: u32, item: u32) -> alsa::Result<()> {
        let err = unsafe { sys::snd_mixer_selem_set_enum_item(self.ptr, channel as c_int, item) };
        check("snd_mixer_selem_set_enum_item", err).map(|_| ())
    }
}
