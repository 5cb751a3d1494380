//! Carrying out `set`: the parsed values become a list of per-channel operations, checked
//! against what the control can do before anything changes, then applied in order (so
//! `50% 5%+` steps from the 50%, as in amixer).

use alsa::Direction;
use anyhow::{anyhow, Result};

use super::control::ElemScale;
use super::raw::{channel_name, Elem};
use super::scale::{self, Rounding, Scale, VolumeScale};
use super::value::{self, Amount, Change, EnumChoice, Step, SwitchKind, SwitchState, Value};
use crate::device::alsa_error_text;
use crate::exit_codes::UsageError;

/// One change to one channel in one direction.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Op {
    dir: Direction,
    channel: u32,
    value: Value,
    /// The first channel the value reaches in this direction (a joined switch toggles once).
    first: bool,
}

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
    for op in ops {
        run(elem, op, which)?;
    }
    Ok(())
}

fn dir_word(dir: Direction) -> &'static str {
    match dir {
        Direction::Playback => "playback",
        Direction::Capture => "capture",
    }
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

fn run(elem: &Elem, op: Op, which: Scale) -> Result<()> {
    let failed = |e: alsa::Error| {
        anyhow!(
            "cannot set {} {} of '{}': {}",
            dir_word(op.dir),
            channel_name(op.channel),
            elem.name(),
            alsa_error_text(&e)
        )
    };
    match op.value {
        Value::Volume(amount, change) => {
            let current = elem.volume(op.dir, op.channel).map_err(failed)?;
            let view = ElemScale { elem, dir: op.dir };
            let target = volume_target(&view, which, current, amount, change);
            elem.set_volume(op.dir, op.channel, target).map_err(failed)
        }
        Value::Switch(_, state) => {
            let on = match state {
                SwitchState::On => true,
                SwitchState::Off => false,
                SwitchState::Toggle => {
                    // A joined switch is one switch: toggling it per channel would undo itself.
                    if !op.first && elem.has_switch_joined(op.dir) {
                        return Ok(());
                    }
                    !elem.switch(op.dir, op.channel).map_err(failed)?
                }
            };
            elem.set_switch(op.dir, op.channel, on).map_err(failed)
        }
    }
}

/// The raw value a volume change puts a channel at, from its current raw value, clamped to
/// the control's range (taken in order when a driver reports it reversed; never panics):
/// - raw: `N`, `N+`, `N-` (amixer);
/// - percent on the linear scale: amixer's `convert_prange1`, a step being N% of the range;
/// - percent on the mapped scale: alsamixer's `set_normalized_volume`, steps from the current
///   mapped position rounding away from it (`change_volume_relative`);
/// - dB: amixer's `set_dB`; steps from the current gain, rounding up for `+`, down otherwise.
pub fn volume_target(
    control: &impl VolumeScale,
    which: Scale,
    current: i64,
    amount: Amount,
    change: Change,
) -> i64 {
    let (min, max) = scale::ordered(control.raw_range());
    let sign = match change {
        Change::To => 0,
        Change::Up => 1,
        Change::Down => -1,
    };
    let target = match (amount, which) {
        (Amount::Raw(n), _) => match change {
            Change::To => n,
            _ => current.saturating_add(n.saturating_mul(sign)),
        },
        (Amount::Percent(p), Scale::Linear) => match change {
            Change::To => scale::linear_raw(p, min, max),
            // amixer adds convert_prange1(N) including the range's minimum, which is wrong for
            // ranges not starting at 0; the step here is N% of the range itself.
            _ => current.saturating_add(
                scale::linear_raw(p, min, max)
                    .saturating_sub(min)
                    .saturating_mul(sign),
            ),
        },
        (Amount::Percent(p), Scale::Mapped) => match change {
            Change::To => scale::raw_for_normalized(control, p / 100.0, Rounding::Nearest),
            _ => {
                let delta = sign as f64 * p / 100.0;
                let volume = scale::normalized(control, current) + delta;
                let rounding = if delta > 0.0 {
                    Rounding::Up
                } else {
                    Rounding::Down
                };
                scale::raw_for_normalized(control, volume, rounding)
            }
        },
        (Amount::CentiDb(db), _) => {
            let Some((db_min, db_max)) = control.db_range() else {
                return current;
            };
            let goal = match change {
                Change::To => db,
                _ => control
                    .raw_to_db(current)
                    .unwrap_or(db_min)
                    .saturating_add(db.saturating_mul(sign)),
            };
            // A driver may report the dB range reversed: the gain is kept between its ends.
            control
                .db_to_raw(
                    scale::clamp_between(goal, (db_min, db_max)),
                    change == Change::Up,
                )
                .unwrap_or(current)
        }
    };
    scale::clamp_between(target, (min, max))
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
    for (position, &channel) in channels.iter().enumerate() {
        let index = match indexes.len() {
            1 => indexes[0],
            _ => match indexes.get(position) {
                Some(&i) => i,
                None => break,
            },
        };
        elem.set_enum_item(channel, index).map_err(|e| {
            anyhow!(
                "cannot set '{id}' to '{}': {}",
                items[index as usize],
                alsa_error_text(&e)
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mixer::scale::tests::{dummy, RawOnly};

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

    /// raw 100..0 and 0 dB..-45 dB: ranges a buggy driver reports the wrong way round.
    struct Reversed;

    impl VolumeScale for Reversed {
        fn raw_range(&self) -> (i64, i64) {
            (100, 0)
        }
        fn db_range(&self) -> Option<(i64, i64)> {
            Some((0, -4500))
        }
        fn raw_to_db(&self, raw: i64) -> Option<i64> {
            Some(raw * 45 - 4500)
        }
        fn db_to_raw(&self, db: i64, _: bool) -> Option<i64> {
            Some((db + 4500) / 45)
        }
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
