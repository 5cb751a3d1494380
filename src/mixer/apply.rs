//! Planning `set`: the parsed values become a list of per-channel operations, checked against
//! what the control can do before anything changes, and handed to [`super::transaction`],
//! which carries them out all or nothing. Enumerated controls take item names.

use alsa::Direction;
use anyhow::Result;

use super::raw::{channel_name, Elem};
use super::scale::Scale;
use super::transaction::{commit, prepare, slot_write, Op, Setting, Slot};
use super::value::{self, Amount, EnumChoice, Step, SwitchKind, Value};
use crate::exit_codes::UsageError;

/// Applies `args` (amixer's value language, or item names for an enumerated control).
pub fn apply(elem: &Elem, args: &[String], which: Scale) -> Result<()> {
    if elem.is_enumerated() {
        return apply_enum(elem, args);
    }
    let steps = value::parse(args).map_err(|e| {
        let id = super::control::control_id(&elem.name(), elem.index());
        UsageError(e.message(&format!("'{id}'"), &forms(elem)))
    })?;
    let mut ops = Vec::new();
    for step in &steps {
        ops.extend(plan(elem, step)?);
    }
    let writes = prepare(elem, &ops, which)?;
    commit(elem, &writes)
}

/// Whether `value` can act on `dir` of this control (a common volume or switch is changed
/// through playback only, so relative steps and toggles happen once).
fn acts_on(elem: &Elem, dir: Direction, value: &Value) -> bool {
    let common_capture = |common: bool| common && dir == Direction::Capture;
    match value {
        Value::Volume(..) => elem.has_volume(dir) && !common_capture(elem.has_common_volume()),
        Value::Switch(SwitchKind::Playback, _) => {
            dir == Direction::Playback && elem.has_switch(dir)
        }
        Value::Switch(SwitchKind::Capture, _) => dir == Direction::Capture && elem.has_switch(dir),
        Value::Switch(SwitchKind::Any, _) => {
            elem.has_switch(dir) && !common_capture(elem.has_common_switch())
        }
    }
}

/// What this control takes, for error messages.
pub fn forms(elem: &Elem) -> String {
    use Direction::{Capture, Playback};
    let mut forms = Vec::new();
    let has_volume = elem.has_volume(Playback) || elem.has_volume(Capture);
    if has_volume {
        let db = [Playback, Capture]
            .into_iter()
            .any(|d| elem.has_volume(d) && elem.db_range(d).is_some());
        let dir = if elem.has_volume(Playback) {
            Playback
        } else {
            Capture
        };
        let (min, max) = elem.volume_range(dir);
        forms.push(format!(
            "a volume (50%{}, raw {min}-{max}, 5%+ or 5%- to step, 80%,40% per channel)",
            if db { ", -3dB" } else { "" }
        ));
    }
    if elem.has_switch(Playback) {
        forms.push("mute/unmute".to_string());
    }
    if elem.has_switch(Capture) {
        forms.push("cap/nocap".to_string());
    }
    if elem.has_switch(Playback) || elem.has_switch(Capture) {
        forms.push("toggle".to_string());
    }
    let both = [Playback, Capture]
        .iter()
        .all(|&d| !elem.channels(d).is_empty() && (elem.has_volume(d) || elem.has_switch(d)));
    if both {
        forms.push("playback/capture to pick a direction".to_string());
    }
    match forms.len() {
        0 => "nothing that can be set".to_string(),
        1 => forms.remove(0),
        n => {
            let last = forms.remove(n - 1);
            format!("{} or {last}", forms.join(", "))
        }
    }
}

fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::Volume(..) => "volume",
        Value::Switch(SwitchKind::Playback, _) => "playback switch (mute/unmute)",
        Value::Switch(SwitchKind::Capture, _) => "capture switch (cap/nocap)",
        Value::Switch(SwitchKind::Any, _) => "switch",
    }
}

/// The operations of one step, or an error saying why the control cannot take it.
fn plan(elem: &Elem, step: &Step) -> Result<Vec<Op>> {
    let name = elem.name();
    let id = super::control::control_id(&name, elem.index());
    let mut ops = Vec::new();
    let mut used = vec![false; step.values.len()];
    let mut any_channel = false;
    for dir in [Direction::Playback, Direction::Capture] {
        let wanted = match dir {
            Direction::Playback => step.directions.playback,
            Direction::Capture => step.directions.capture,
        };
        if !wanted {
            continue;
        }
        let channels: Vec<u32> = elem
            .channels(dir)
            .into_iter()
            .filter(|&c| step.channels.contains(c))
            .collect();
        any_channel |= !channels.is_empty();
        for (position, &channel) in channels.iter().enumerate() {
            let which = if step.values.len() == 1 { 0 } else { position };
            let Some(value) = step.values.get(which) else {
                break;
            };
            if acts_on(elem, dir, value) {
                used[which] = true;
                ops.push(Op {
                    dir,
                    channel,
                    value: *value,
                    first: position == 0,
                });
            }
        }
    }
    if !any_channel {
        let all: Vec<String> = [Direction::Playback, Direction::Capture]
            .into_iter()
            .flat_map(|d| elem.channels(d))
            .map(channel_name)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        return Err(UsageError(format!(
            "'{id}' has no {} channel for '{}'; it has {}",
            step.picked.join(" "),
            step.text,
            all.join(", ")
        ))
        .into());
    }
    if let Some(unused) = used.iter().position(|u| !u) {
        let value = &step.values[unused];
        if step.values.len() > 1 && ops.iter().all(|op| op.value != *value) {
            let shown = step.text.split(',').nth(unused).unwrap_or(&step.text);
            let reachable = [Direction::Playback, Direction::Capture]
                .into_iter()
                .map(|d| elem.channels(d).len())
                .max()
                .unwrap_or(0);
            if unused >= reachable {
                return Err(UsageError(format!(
                    "'{}' gives {} values but '{id}' has {reachable} channel{}; give at most {reachable}",
                    step.text,
                    step.values.len(),
                    if reachable == 1 { "" } else { "s" }
                ))
                .into());
            }
            return Err(UsageError(format!(
                "'{id}' cannot take '{shown}': it has no {} there; it takes {}",
                describe_value(value),
                forms(elem)
            ))
            .into());
        }
        let only = match (step.directions.playback, step.directions.capture) {
            (true, false) => " playback",
            (false, true) => " capture",
            _ => "",
        };
        let what = match value {
            Value::Volume(..) => format!("no{only} volume"),
            other => format!("no {}", describe_value(other)),
        };
        return Err(UsageError(format!(
            "'{id}' cannot take '{}': it has {what}; it takes {}",
            step.text,
            forms(elem)
        ))
        .into());
    }
    for op in &ops {
        if let Value::Volume(Amount::CentiDb(_), _) = op.value {
            if elem.db_range(op.dir).is_none() {
                let (min, max) = elem.volume_range(op.dir);
                return Err(UsageError(format!(
                    "'{id}' has no dB range, so '{}' cannot be set; give a percent (50%) or a raw value ({min}-{max})",
                    step.text
                ))
                .into());
            }
        }
    }
    Ok(ops)
}

/// Sets an enumerated control: one item for every channel, or one per channel in order.
fn apply_enum(elem: &Elem, args: &[String]) -> Result<()> {
    let items = elem.enum_items();
    let id = super::control::control_id(&elem.name(), elem.index());
    let listed: Vec<String> = items.iter().map(|i| format!("'{i}'")).collect();
    let takes = format!(
        "it takes one of {} (or its index 0-{})",
        listed.join(", "),
        items.len().saturating_sub(1)
    );
    let choices = value::parse_enum(args, &items);
    if choices.is_empty() {
        return Err(UsageError(format!("nothing to set for '{id}'; {takes}")).into());
    }
    let mut indexes = Vec::new();
    for choice in &choices {
        let index = value::resolve_enum(choice, &items).ok_or_else(|| {
            let shown = match choice {
                EnumChoice::Name(n) => n.clone(),
                EnumChoice::Index(i) => i.to_string(),
            };
            UsageError(format!("'{id}' has no item '{shown}'; {takes}"))
        })?;
        indexes.push(index);
    }
    let channels: Vec<u32> = (0..=super::raw::LAST_CHANNEL)
        .take_while(|&c| elem.enum_item(c).is_some())
        .collect();
    if indexes.len() > channels.len().max(1) {
        return Err(UsageError(format!(
            "'{id}' has {} channel{}, but {} items were given",
            channels.len(),
            if channels.len() == 1 { "" } else { "s" },
            indexes.len()
        ))
        .into());
    }
    let mut writes = Vec::new();
    for (position, &channel) in channels.iter().enumerate() {
        let index = match indexes.len() {
            1 => indexes[0],
            _ => match indexes.get(position) {
                Some(&i) => i,
                None => break,
            },
        };
        slot_write(elem, &mut writes, Slot::Item(channel))?.after = Setting::Item(index);
    }
    commit(elem, &writes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::direction_name;
    use crate::mixer::scale::tests::{dummy, RawOnly, Reversed};
    use crate::mixer::scale::volume_target;
    use crate::mixer::transaction::{Settable, Write};
    use crate::mixer::value::{Change, SwitchState};
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    use Direction::{Capture, Playback};

    /// A two-channel control in memory: raw 0..100 without dB, a switch per direction, whose
    /// writes (counted from 0, restores included) fail where `failing` says.
    struct Fake {
        range: (i64, i64),
        volumes: RefCell<BTreeMap<(Direction, u32), i64>>,
        switches: RefCell<BTreeMap<(Direction, u32), bool>>,
        switch_joined: bool,
        common: bool,
        failing: Vec<usize>,
        read_fails: bool,
        writes: RefCell<Vec<String>>,
    }

    impl Fake {
        fn new() -> Fake {
            let mut volumes = BTreeMap::new();
            let mut switches = BTreeMap::new();
            for dir in [Playback, Capture] {
                for channel in [0, 1] {
                    volumes.insert((dir, channel), 70);
                    switches.insert((dir, channel), true);
                }
            }
            Fake {
                range: (0, 100),
                volumes: RefCell::new(volumes),
                switches: RefCell::new(switches),
                switch_joined: false,
                common: false,
                failing: Vec::new(),
                read_fails: false,
                writes: RefCell::new(Vec::new()),
            }
        }

        /// Records a write; whether it fails.
        fn write(&self, what: String) -> alsa::Result<()> {
            let mut writes = self.writes.borrow_mut();
            let n = writes.len();
            writes.push(what);
            if self.failing.contains(&n) {
                Err(alsa::Error::new("snd_mixer_selem_set_volume", libc::EIO))
            } else {
                Ok(())
            }
        }

        fn volumes(&self) -> Vec<i64> {
            self.volumes.borrow().values().copied().collect()
        }

        fn switches(&self) -> Vec<bool> {
            self.switches.borrow().values().copied().collect()
        }
    }

    impl Settable for Fake {
        fn id(&self) -> String {
            "Master".into()
        }
        fn raw_range(&self, _: Direction) -> (i64, i64) {
            self.range
        }
        fn db_range(&self, _: Direction) -> Option<(i64, i64)> {
            None
        }
        fn raw_to_db(&self, _: Direction, _: i64) -> Option<i64> {
            None
        }
        fn db_to_raw(&self, _: Direction, _: i64, _: bool) -> Option<i64> {
            None
        }
        fn volume(&self, dir: Direction, channel: u32) -> alsa::Result<i64> {
            if self.read_fails {
                return Err(alsa::Error::new("snd_mixer_selem_get_volume", libc::EIO));
            }
            Ok(self.volumes.borrow()[&(dir, channel)])
        }
        fn set_volume(&self, dir: Direction, channel: u32, raw: i64) -> alsa::Result<()> {
            self.write(format!("{} {channel} volume {raw}", direction_name(dir)))?;
            self.volumes.borrow_mut().insert((dir, channel), raw);
            Ok(())
        }
        fn switch(&self, dir: Direction, channel: u32) -> alsa::Result<bool> {
            Ok(self.switches.borrow()[&(dir, channel)])
        }
        fn set_switch(&self, dir: Direction, channel: u32, on: bool) -> alsa::Result<()> {
            self.write(format!("{} {channel} switch {on}", direction_name(dir)))?;
            let mut switches = self.switches.borrow_mut();
            if self.switch_joined {
                for c in [0, 1] {
                    switches.insert((dir, c), on);
                }
            } else {
                switches.insert((dir, channel), on);
            }
            Ok(())
        }
        fn enum_item(&self, _: u32) -> alsa::Result<u32> {
            Err(alsa::Error::new(
                "snd_mixer_selem_get_enum_item",
                libc::EINVAL,
            ))
        }
        fn set_enum_item(&self, _: u32, _: u32) -> alsa::Result<()> {
            Err(alsa::Error::new(
                "snd_mixer_selem_set_enum_item",
                libc::EINVAL,
            ))
        }
        fn volume_joined(&self, _: Direction) -> bool {
            false
        }
        fn switch_joined(&self, _: Direction) -> bool {
            self.switch_joined
        }
        fn common_volume(&self) -> bool {
            self.common
        }
        fn common_switch(&self) -> bool {
            false
        }
    }

    fn op(dir: Direction, channel: u32, value: Value) -> Op {
        Op {
            dir,
            channel,
            value,
            first: channel == 0,
        }
    }

    fn raw(n: i64, change: Change) -> Value {
        Value::Volume(Amount::Raw(n), change)
    }

    fn switch(state: SwitchState) -> Value {
        Value::Switch(SwitchKind::Any, state)
    }

    /// `30 5+ off` on both playback channels.
    fn three_steps() -> Vec<Op> {
        vec![
            op(Playback, 0, raw(30, Change::To)),
            op(Playback, 1, raw(30, Change::To)),
            op(Playback, 0, raw(5, Change::Up)),
            op(Playback, 1, raw(5, Change::Up)),
            op(Playback, 0, switch(SwitchState::Off)),
            op(Playback, 1, switch(SwitchState::Off)),
        ]
    }

    #[test]
    fn prepare_works_out_every_step_before_writing() {
        let c = Fake::new();
        let writes = prepare(&c, &three_steps(), Scale::Mapped).unwrap();
        assert!(c.writes.borrow().is_empty(), "prepare writes nothing");
        assert_eq!(
            writes,
            [
                Write {
                    slot: Slot::Volume(Playback, 0),
                    before: Setting::Volume(70),
                    after: Setting::Volume(35)
                },
                Write {
                    slot: Slot::Volume(Playback, 1),
                    before: Setting::Volume(70),
                    after: Setting::Volume(35)
                },
                Write {
                    slot: Slot::Switch(Playback, 0),
                    before: Setting::Switch(true),
                    after: Setting::Switch(false)
                },
                Write {
                    slot: Slot::Switch(Playback, 1),
                    before: Setting::Switch(true),
                    after: Setting::Switch(false)
                },
            ]
        );
        commit(&c, &writes).unwrap();
        assert_eq!(c.volumes(), [35, 35, 70, 70]);
        assert_eq!(c.switches(), [false, false, true, true]);
    }

    #[test]
    fn unchanged_slots_are_not_written() {
        let c = Fake::new();
        let ops = [
            op(Playback, 0, raw(10, Change::Up)),
            op(Playback, 0, raw(10, Change::Down)),
        ];
        let writes = prepare(&c, &ops, Scale::Mapped).unwrap();
        commit(&c, &writes).unwrap();
        assert!(c.writes.borrow().is_empty(), "{:?}", c.writes.borrow());
    }

    #[test]
    fn a_write_failing_part_way_restores_what_was_written() {
        let mut c = Fake::new();
        c.failing = vec![2]; // the first switch write
        let writes = prepare(&c, &three_steps(), Scale::Mapped).unwrap();
        let err = commit(&c, &writes).unwrap_err().to_string();
        assert!(
            err.contains("cannot set the playback switch of Front Left of 'Master'")
                && err.contains("the values from before are restored"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1);
        assert_eq!(c.volumes(), [70, 70, 70, 70]);
        assert_eq!(c.switches(), [true, true, true, true]);
        assert_eq!(
            *c.writes.borrow(),
            [
                "playback 0 volume 35",
                "playback 1 volume 35",
                "playback 0 switch false",
                // Restores, newest first; the failed write is restored too.
                "playback 0 switch true",
                "playback 1 volume 70",
                "playback 0 volume 70",
            ]
        );
    }

    #[test]
    fn a_failed_restore_says_the_control_may_be_part_changed() {
        let mut c = Fake::new();
        c.failing = vec![1, 3]; // Front Right's volume, then Front Left's restore
        let writes = prepare(&c, &three_steps(), Scale::Mapped).unwrap();
        let err = commit(&c, &writes).unwrap_err().to_string();
        assert!(
            err.contains("cannot set the playback volume of Front Right of 'Master'")
                && err.contains("failed too for the playback volume of Front Left")
                && err.contains("may be part-changed")
                && err.contains("alsatool mixer get 'Master'"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1);
        assert_eq!(c.volumes(), [35, 70, 70, 70]);
    }

    #[test]
    fn a_failed_read_changes_nothing() {
        let mut c = Fake::new();
        c.read_fails = true;
        let err = prepare(&c, &three_steps(), Scale::Mapped)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("cannot read the playback volume of Front Left of 'Master'")
                && err.contains("nothing was changed"),
            "{err}"
        );
        assert!(c.writes.borrow().is_empty());
    }

    #[test]
    fn a_reversed_raw_range_refuses_volumes_before_anything_changes() {
        let mut c = Fake::new();
        c.range = (100, 0);
        let ops = [
            op(Playback, 0, switch(SwitchState::Off)),
            op(Playback, 0, raw(30, Change::To)),
        ];
        let err = prepare(&c, &ops, Scale::Mapped).unwrap_err().to_string();
        assert!(
            err.contains("reports the playback range reversed (100 to 0)")
                && err.contains("nothing was changed"),
            "{err}"
        );
        assert!(c.writes.borrow().is_empty());
        // Switches alone still work.
        let writes = prepare(&c, &ops[..1], Scale::Mapped).unwrap();
        commit(&c, &writes).unwrap();
        assert_eq!(c.switches(), [false, true, true, true]);
    }

    #[test]
    fn a_joined_switch_toggles_once_and_a_common_volume_is_playbacks() {
        let mut c = Fake::new();
        c.switch_joined = true;
        let ops = [
            op(Playback, 0, switch(SwitchState::Toggle)),
            op(Playback, 1, switch(SwitchState::Toggle)),
        ];
        let writes = prepare(&c, &ops, Scale::Mapped).unwrap();
        assert_eq!(writes.len(), 1);
        commit(&c, &writes).unwrap();
        assert_eq!(c.switches(), [false, false, true, true]);

        let mut c = Fake::new();
        c.common = true;
        let writes = prepare(&c, &[op(Capture, 1, raw(5, Change::Down))], Scale::Mapped).unwrap();
        assert_eq!(writes[0].slot, Slot::Volume(Playback, 1));
        assert_eq!(writes[0].after, Setting::Volume(65));
    }

    #[test]
    fn raw_values_and_steps_clamp() {
        let s = RawOnly(0, 65536);
        let t = |cur, amount, change| volume_target(&s, Scale::Mapped, cur, amount, change);
        assert_eq!(t(100, Amount::Raw(40000), Change::To), 40000);
        assert_eq!(t(100, Amount::Raw(99999), Change::To), 65536);
        assert_eq!(t(100, Amount::Raw(-5), Change::To), 0);
        assert_eq!(t(100, Amount::Raw(50), Change::Up), 150);
        assert_eq!(t(100, Amount::Raw(500), Change::Down), 0);
    }

    #[test]
    fn reversed_ranges_clamp_instead_of_panicking() {
        let s = Reversed;
        for which in [Scale::Mapped, Scale::Linear] {
            let t = |cur, amount, change| volume_target(&s, which, cur, amount, change);
            assert_eq!(t(50, Amount::Raw(500), Change::To), 100);
            assert_eq!(t(50, Amount::Raw(-500), Change::To), 0);
            assert_eq!(t(50, Amount::Raw(i64::MIN), Change::Down), 100);
            assert_eq!(t(50, Amount::Percent(150.0), Change::To), 100);
            assert_eq!(t(50, Amount::Percent(1e300), Change::Up), 100);
            assert_eq!(t(50, Amount::Percent(1e300), Change::Down), 0);
            // The gain is kept between the dB range's ends: 0 dB is raw 100.
            assert_eq!(t(0, Amount::CentiDb(600), Change::To), 100);
            assert_eq!(t(0, Amount::CentiDb(-9000), Change::To), 0);
            assert_eq!(t(50, Amount::CentiDb(i64::MAX), Change::Up), 100);
        }
    }

    #[test]
    fn percent_without_db_range_is_the_same_on_both_scales() {
        let s = RawOnly(0, 65536);
        for which in [Scale::Mapped, Scale::Linear] {
            let t = |cur, amount, change| volume_target(&s, which, cur, amount, change);
            assert_eq!(t(0, Amount::Percent(50.0), Change::To), 32768);
            assert_eq!(t(0, Amount::Percent(33.0), Change::To), 21627);
            assert_eq!(t(0, Amount::Percent(150.0), Change::To), 65536);
            assert_eq!(t(32768, Amount::Percent(10.0), Change::Up), 39322); // + 6553.6 -> 6554
            assert_eq!(t(32768, Amount::Percent(10.0), Change::Down), 26214);
        }
    }

    #[test]
    fn percent_on_a_db_range() {
        let s = dummy();
        // Mapped 50%: -13.80 dB, raw 54 (see scale's tests); linear 50%: raw 25.
        assert_eq!(
            volume_target(&s, Scale::Mapped, 0, Amount::Percent(50.0), Change::To),
            54
        );
        assert_eq!(
            volume_target(&s, Scale::Linear, 0, Amount::Percent(50.0), Change::To),
            25
        );
        // Mapped step up 5% from raw 54 (0.49991): 0.54991 -> v = 0.54991 * 0.822172 + 0.177828
        // = 0.629958; 6000 * log10 = -1204.05, ceil -1204; ceil((3296 * 150 + 4499) / 4500)
        // = 110 -> raw 60.
        assert_eq!(
            volume_target(&s, Scale::Mapped, 54, Amount::Percent(5.0), Change::Up),
            60
        );
        // Linear steps are N% of the range (150): 5% = 7.5 -> 8 steps.
        assert_eq!(
            volume_target(&s, Scale::Linear, 54, Amount::Percent(5.0), Change::Up),
            62
        );
        assert_eq!(
            volume_target(&s, Scale::Linear, -50, Amount::Percent(5.0), Change::Down),
            -50
        );
    }

    #[test]
    fn db_values() {
        let s = dummy();
        let t =
            |cur, db, change| volume_target(&s, Scale::Mapped, cur, Amount::CentiDb(db), change);
        // -3 dB: floor((4500 - 300) * 150 / 4500) = 140 -> raw 90 (-3.00 dB exactly).
        assert_eq!(t(0, -300, Change::To), 90);
        // -3.1 dB: (1400 * 150) / 4500 = 139.67 -> down to 139 -> raw 89 (-3.30 dB).
        assert_eq!(t(0, -310, Change::To), 89);
        assert_eq!(t(0, 600, Change::To), 100);
        assert_eq!(t(0, -9000, Change::To), -50);
        // Raw 0 is -30.00 dB; +1 dB -> -29.00 dB, rounded up: 1600 * 150 / 4500 = 53.33 -> 54
        // -> raw 4 (-28.80 dB).
        assert_eq!(t(0, 100, Change::Up), 4);
        // -1 dB -> -31.00 dB, rounded down: 1400 * 150 / 4500 = 46.67 -> 46 -> raw -4 (-31.20).
        assert_eq!(t(0, 100, Change::Down), -4);
        // No dB range: unchanged (plan() refuses such values before this).
        assert_eq!(
            volume_target(
                &RawOnly(0, 10),
                Scale::Mapped,
                3,
                Amount::CentiDb(-300),
                Change::To
            ),
            3
        );
    }
}
