//! Carrying out the operations of a `set` as one change: every value they touch is read first
//! and the operations are worked out in order on those values (so `50% 5%+` steps from the
//! 50%, as in amixer), and only then written. If alsa-lib fails a write part-way, the values
//! read before are written back: a `set` changes all or nothing.

use alsa::Direction;
use anyhow::{anyhow, Result};

use super::raw::{channel_name, Elem};
use super::scale::{self, volume_target, Scale, VolumeScale};
use super::value::{SwitchState, Value};
use crate::device::{alsa_error_text, direction_name};

/// One change to one channel in one direction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Op {
    pub(super) dir: Direction,
    pub(super) channel: u32,
    pub(super) value: Value,
    /// The first channel the value reaches in this direction (a joined switch toggles once).
    pub(super) first: bool,
}

/// A control as carrying out a plan needs it: each channel's volume, switch and item, how
/// channels share one value, and each direction's volume arithmetic. [`Elem`] is one; tests
/// implement it by hand (also to make a write fail part-way).
pub trait Settable {
    /// `Name` or `Name,INDEX`, for messages.
    fn id(&self) -> String;
    fn raw_range(&self, dir: Direction) -> (i64, i64);
    fn db_range(&self, dir: Direction) -> Option<(i64, i64)>;
    fn raw_to_db(&self, dir: Direction, raw: i64) -> Option<i64>;
    fn db_to_raw(&self, dir: Direction, centi_db: i64, round_up: bool) -> Option<i64>;
    fn volume(&self, dir: Direction, channel: u32) -> alsa::Result<i64>;
    fn set_volume(&self, dir: Direction, channel: u32, raw: i64) -> alsa::Result<()>;
    fn switch(&self, dir: Direction, channel: u32) -> alsa::Result<bool>;
    fn set_switch(&self, dir: Direction, channel: u32, on: bool) -> alsa::Result<()>;
    fn enum_item(&self, channel: u32) -> alsa::Result<u32>;
    fn set_enum_item(&self, channel: u32, item: u32) -> alsa::Result<()>;
    /// One volume (switch) for all channels of a direction.
    fn volume_joined(&self, dir: Direction) -> bool;
    fn switch_joined(&self, dir: Direction) -> bool;
    /// One volume (switch) for playback and capture together.
    fn common_volume(&self) -> bool;
    fn common_switch(&self) -> bool;
}

impl Settable for Elem<'_> {
    fn id(&self) -> String {
        super::control::control_id(&self.name(), self.index())
    }
    fn raw_range(&self, dir: Direction) -> (i64, i64) {
        self.volume_range(dir)
    }
    fn db_range(&self, dir: Direction) -> Option<(i64, i64)> {
        Elem::db_range(self, dir)
    }
    fn raw_to_db(&self, dir: Direction, raw: i64) -> Option<i64> {
        self.ask_vol_db(dir, raw)
    }
    fn db_to_raw(&self, dir: Direction, centi_db: i64, round_up: bool) -> Option<i64> {
        self.ask_db_vol(dir, centi_db, round_up).ok()
    }
    fn volume(&self, dir: Direction, channel: u32) -> alsa::Result<i64> {
        Elem::volume(self, dir, channel)
    }
    fn set_volume(&self, dir: Direction, channel: u32, raw: i64) -> alsa::Result<()> {
        Elem::set_volume(self, dir, channel, raw)
    }
    fn switch(&self, dir: Direction, channel: u32) -> alsa::Result<bool> {
        Elem::switch(self, dir, channel)
    }
    fn set_switch(&self, dir: Direction, channel: u32, on: bool) -> alsa::Result<()> {
        Elem::set_switch(self, dir, channel, on)
    }
    fn enum_item(&self, channel: u32) -> alsa::Result<u32> {
        Elem::enum_item(self, channel)
            .ok_or_else(|| alsa::Error::new("snd_mixer_selem_get_enum_item", libc::EINVAL))
    }
    fn set_enum_item(&self, channel: u32, item: u32) -> alsa::Result<()> {
        Elem::set_enum_item(self, channel, item)
    }
    fn volume_joined(&self, dir: Direction) -> bool {
        self.has_volume_joined(dir)
    }
    fn switch_joined(&self, dir: Direction) -> bool {
        self.has_switch_joined(dir)
    }
    fn common_volume(&self) -> bool {
        self.has_common_volume()
    }
    fn common_switch(&self) -> bool {
        self.has_common_switch()
    }
}

/// One direction of a [`Settable`], as the volume arithmetic needs it.
struct DirScale<'c, C: Settable> {
    control: &'c C,
    dir: Direction,
}

impl<C: Settable> VolumeScale for DirScale<'_, C> {
    fn raw_range(&self) -> (i64, i64) {
        self.control.raw_range(self.dir)
    }
    fn db_range(&self) -> Option<(i64, i64)> {
        self.control.db_range(self.dir)
    }
    fn raw_to_db(&self, raw: i64) -> Option<i64> {
        self.control.raw_to_db(self.dir, raw)
    }
    fn db_to_raw(&self, centi_db: i64, round_up: bool) -> Option<i64> {
        self.control.db_to_raw(self.dir, centi_db, round_up)
    }
}

/// Where a value lives in alsa-lib: a common volume or switch is kept as playback's, a joined
/// one as channel 0's (as alsa-lib's simple mixer does), so every channel sharing it is one slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    Volume(Direction, u32),
    Switch(Direction, u32),
    Item(u32),
}

/// A slot's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Setting {
    Volume(i64),
    Switch(bool),
    Item(u32),
}

/// One slot's value before the change and after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Write {
    pub(super) slot: Slot,
    pub(super) before: Setting,
    pub(super) after: Setting,
}

/// The direction a volume is kept in: playback's for a common volume.
fn volume_dir(c: &impl Settable, dir: Direction) -> Direction {
    if c.common_volume() {
        Direction::Playback
    } else {
        dir
    }
}

fn volume_slot(c: &impl Settable, dir: Direction, channel: u32) -> Slot {
    let dir = volume_dir(c, dir);
    Slot::Volume(dir, if c.volume_joined(dir) { 0 } else { channel })
}

fn switch_slot(c: &impl Settable, dir: Direction, channel: u32) -> Slot {
    let dir = if c.common_switch() {
        Direction::Playback
    } else {
        dir
    };
    Slot::Switch(dir, if c.switch_joined(dir) { 0 } else { channel })
}

fn describe_slot(slot: Slot) -> String {
    match slot {
        Slot::Volume(dir, channel) => {
            format!(
                "the {} volume of {}",
                direction_name(dir),
                channel_name(channel)
            )
        }
        Slot::Switch(dir, channel) => {
            format!(
                "the {} switch of {}",
                direction_name(dir),
                channel_name(channel)
            )
        }
        Slot::Item(channel) => format!("the item of {}", channel_name(channel)),
    }
}

fn read_slot(c: &impl Settable, slot: Slot) -> alsa::Result<Setting> {
    match slot {
        Slot::Volume(dir, channel) => c.volume(dir, channel).map(Setting::Volume),
        Slot::Switch(dir, channel) => c.switch(dir, channel).map(Setting::Switch),
        Slot::Item(channel) => c.enum_item(channel).map(Setting::Item),
    }
}

fn write_slot(c: &impl Settable, slot: Slot, setting: Setting) -> alsa::Result<()> {
    match (slot, setting) {
        (Slot::Volume(dir, channel), Setting::Volume(raw)) => c.set_volume(dir, channel, raw),
        (Slot::Switch(dir, channel), Setting::Switch(on)) => c.set_switch(dir, channel, on),
        (Slot::Item(channel), Setting::Item(item)) => c.set_enum_item(channel, item),
        // A slot only ever holds its own kind of setting (see `prepare`).
        _ => Err(alsa::Error::new(
            "alsatool: mismatched mixer setting",
            libc::EINVAL,
        )),
    }
}

/// The write for `slot`, reading its current value the first time the plan reaches it.
pub(super) fn slot_write<'w>(
    c: &impl Settable,
    writes: &'w mut Vec<Write>,
    slot: Slot,
) -> Result<&'w mut Write> {
    let index = match writes.iter().position(|w| w.slot == slot) {
        Some(index) => index,
        None => {
            let now = read_slot(c, slot).map_err(|e| {
                anyhow!(
                    "cannot read {} of '{}': {}; nothing was changed",
                    describe_slot(slot),
                    c.id(),
                    alsa_error_text(&e)
                )
            })?;
            writes.push(Write {
                slot,
                before: now,
                after: now,
            });
            writes.len() - 1
        }
    };
    Ok(&mut writes[index])
}

/// Works out what the operations leave every slot they touch at, in order (so `50% 5%+` steps
/// from the 50%), from values read before anything is written. Nothing is changed here.
pub(super) fn prepare(c: &impl Settable, ops: &[Op], which: Scale) -> Result<Vec<Write>> {
    let mut writes = Vec::new();
    for op in ops {
        match op.value {
            Value::Volume(amount, change) => {
                let dir = volume_dir(c, op.dir);
                let range = c.raw_range(dir);
                if scale::is_reversed(range) {
                    return Err(anyhow!(
                        "'{}' cannot take a volume: its driver reports the {} range reversed ({} to {}), so alsa-lib ignores every value written; nothing was changed; report it to the driver's maintainers",
                        c.id(),
                        direction_name(dir),
                        range.0,
                        range.1
                    ));
                }
                let write = slot_write(c, &mut writes, volume_slot(c, op.dir, op.channel))?;
                if let Setting::Volume(current) = write.after {
                    let view = DirScale { control: c, dir };
                    let target = volume_target(&view, which, current, amount, change);
                    write.after = Setting::Volume(target);
                }
            }
            Value::Switch(_, state) => {
                // A joined switch is one switch: toggling it per channel would undo itself.
                if state == SwitchState::Toggle && !op.first && c.switch_joined(op.dir) {
                    continue;
                }
                let slot = switch_slot(c, op.dir, op.channel);
                let write = slot_write(c, &mut writes, slot)?;
                if let Setting::Switch(on) = write.after {
                    write.after = Setting::Switch(match state {
                        SwitchState::On => true,
                        SwitchState::Off => false,
                        SwitchState::Toggle => !on,
                    });
                }
            }
        }
    }
    Ok(writes)
}

/// Writes every changed slot in order. When a write fails, every slot written so far (and the
/// one that failed) is put back to its value from before, so a failed `set` changes nothing.
pub(super) fn commit(c: &impl Settable, writes: &[Write]) -> Result<()> {
    for (done, w) in writes.iter().enumerate() {
        if w.after == w.before {
            continue;
        }
        let Err(e) = write_slot(c, w.slot, w.after) else {
            continue;
        };
        let mut not_restored = Vec::new();
        for earlier in writes[..=done].iter().rev() {
            if earlier.after == earlier.before {
                continue;
            }
            if let Err(e) = write_slot(c, earlier.slot, earlier.before) {
                not_restored.push(format!(
                    "{} ({})",
                    describe_slot(earlier.slot),
                    alsa_error_text(&e)
                ));
            }
        }
        let id = c.id();
        let outcome = if not_restored.is_empty() {
            "the values from before are restored".to_string()
        } else {
            format!(
                "restoring the values from before failed too for {}, so '{id}' may be part-changed; check it with `alsatool mixer get '{id}'`",
                not_restored.join(", ")
            )
        };
        return Err(anyhow!(
            "cannot set {} of '{id}': {}; {outcome}",
            describe_slot(w.slot),
            alsa_error_text(&e)
        ));
    }
    Ok(())
}
