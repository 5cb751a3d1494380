//! What a percent means: alsamixer's mapped volume (the default) or amixer's linear raw scale.
//!
//! Mapped volume is alsa-utils' `alsamixer/volume_mapping.c`: a position in 0..1 proportional
//! to the loudness a listener perceives. From the control's dB range: linear in dB when the range
//! is at most 24 dB, otherwise `10^((dB - max) / 60)` (the cube root of the amplitude factor)
//! rescaled so the range's bottom is 0; controls without a dB range fall back to linear raw steps.
//! Linear percent is amixer's default, `convert_prange` / `convert_prange1` in `amixer.c`.
//!
//! Gains are in hundredths of a dB throughout, as alsa-lib takes them. The conversion between
//! a gain and a raw value depends on the control's dB table and is left to alsa-lib through
//! [`VolumeScale`], so the arithmetic here is pure and unit-tested against hand-computed numbers.

use super::value::{Amount, Change};

/// Ranges of at most this many dB map linearly in dB (alsamixer's `MAX_LINEAR_DB_SCALE`).
pub const MAX_LINEAR_DB_SCALE: i64 = 24;

/// alsa-lib's "muted" gain (`SND_CTL_TLV_DB_GAIN_MUTE`), in hundredths of a dB.
pub const DB_GAIN_MUTE: i64 = -9_999_999;

/// Which percent scale to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// alsamixer's mapped volume.
    Mapped,
    /// amixer's linear raw steps.
    Linear,
}

/// Rounding direction when a target falls between steps (alsamixer's `dir`: -1, 0, 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Down,
    Nearest,
    Up,
}

/// One direction of one control as far as volume arithmetic needs it. alsa-lib implements it
/// for real controls; tests implement it from a dB table by hand.
pub trait VolumeScale {
    /// The raw volume range (min, max).
    fn raw_range(&self) -> (i64, i64);
    /// The dB range in hundredths of a dB, when the control has one.
    fn db_range(&self) -> Option<(i64, i64)>;
    /// The gain of a raw value.
    fn raw_to_db(&self, raw: i64) -> Option<i64>;
    /// The raw value for a gain, rounded up when `round_up`, otherwise down (alsa-lib's rule).
    fn db_to_raw(&self, centi_db: i64, round_up: bool) -> Option<i64>;
}

/// C's `rint`/`lrint` in the default rounding mode: halves go to the even neighbour.
pub fn rint(x: f64) -> i64 {
    x.round_ties_even() as i64
}

/// alsamixer's `lrint_dir`.
fn round_dir(x: f64, rounding: Rounding) -> i64 {
    match rounding {
        Rounding::Up => x.ceil() as i64,
        Rounding::Down => x.floor() as i64,
        Rounding::Nearest => rint(x),
    }
}

/// A range with its ends in order: a driver may report its minimum above its maximum, and
/// `i64::clamp` panics on such a range.
pub fn ordered((a, b): (i64, i64)) -> (i64, i64) {
    (a.min(b), a.max(b))
}

/// `x` limited to the range between `a` and `b`, in whichever order they come.
pub fn clamp_between(x: i64, range: (i64, i64)) -> i64 {
    let (lo, hi) = ordered(range);
    x.clamp(lo, hi)
}

/// Whether a raw range is reversed (minimum above maximum): a driver bug; alsa-lib ignores
/// every value written to such a control.
pub fn is_reversed((min, max): (i64, i64)) -> bool {
    min > max
}

/// The dB range alsamixer maps with: only a non-empty one counts.
fn usable_db_range(scale: &impl VolumeScale) -> Option<(i64, i64)> {
    scale.db_range().filter(|(min, max)| min < max)
}

/// amixer's percent of a raw value, as it prints it (`convert_prange`): 0 for an empty range.
pub fn linear_percent(raw: i64, min: i64, max: i64) -> i64 {
    if max == min {
        return 0;
    }
    rint((raw as f64 - min as f64) / (max as f64 - min as f64) * 100.0)
}

/// The raw value amixer sets for a percent (`convert_prange1`): nearest step, at least one
/// step above the bottom for any positive percent, not yet clamped.
pub fn linear_raw(percent: f64, min: i64, max: i64) -> i64 {
    let mut steps = rint(percent * (max as f64 - min as f64) * 0.01);
    if steps == 0 && percent > 0.0 {
        steps = 1;
    }
    steps.saturating_add(min)
}

/// alsamixer's normalized position (0..1) of a gain in a dB range with `min < max`.
pub fn mapped_from_db(centi_db: i64, (min, max): (i64, i64)) -> f64 {
    if max.saturating_sub(min) <= MAX_LINEAR_DB_SCALE * 100 {
        return (centi_db as f64 - min as f64) / (max as f64 - min as f64);
    }
    let mut normalized = 10f64.powf((centi_db as f64 - max as f64) / 6000.0);
    if min != DB_GAIN_MUTE {
        let min_norm = 10f64.powf((min as f64 - max as f64) / 6000.0);
        normalized = (normalized - min_norm) / (1.0 - min_norm);
    }
    normalized
}

/// The gain alsamixer asks for to put a dB-range control at `volume` (0..1), before alsa-lib
/// turns it into a raw step (`set_normalized_volume`).
pub fn mapped_to_db(volume: f64, (min, max): (i64, i64), rounding: Rounding) -> i64 {
    if max.saturating_sub(min) <= MAX_LINEAR_DB_SCALE * 100 {
        return round_dir(volume * (max as f64 - min as f64), rounding).saturating_add(min);
    }
    let mut volume = volume;
    if min != DB_GAIN_MUTE {
        let min_norm = 10f64.powf((min as f64 - max as f64) / 6000.0);
        volume = volume * (1.0 - min_norm) + min_norm;
    }
    round_dir(6000.0 * volume.log10(), rounding).saturating_add(max)
}

/// alsamixer's normalized position (0..1) of a raw value (`get_normalized_volume`).
pub fn normalized(scale: &impl VolumeScale, raw: i64) -> f64 {
    if let Some(range) = usable_db_range(scale) {
        return match scale.raw_to_db(raw) {
            Some(db) => mapped_from_db(db, range),
            None => 0.0,
        };
    }
    let (min, max) = ordered(scale.raw_range());
    if min == max {
        return 0.0;
    }
    (raw as f64 - min as f64) / (max as f64 - min as f64)
}

/// The raw value alsamixer sets for `volume` (0..1) (`set_normalized_volume`), clamped (a
/// reversed raw range is taken in order; NaN is the bottom).
pub fn raw_for_normalized(scale: &impl VolumeScale, volume: f64, rounding: Rounding) -> i64 {
    let (min, max) = ordered(scale.raw_range());
    let volume = if volume.is_nan() {
        0.0
    } else {
        volume.clamp(0.0, 1.0)
    };
    let raw = match usable_db_range(scale) {
        Some(range) => {
            let db = mapped_to_db(volume, range, rounding);
            // alsa-lib rounds up for dir > 0, otherwise down.
            scale
                .db_to_raw(db, rounding == Rounding::Up)
                .unwrap_or_else(|| {
                    round_dir(volume * (max as f64 - min as f64), rounding).saturating_add(min)
                })
        }
        None => round_dir(volume * (max as f64 - min as f64), rounding).saturating_add(min),
    };
    raw.clamp(min, max)
}

/// The percent a raw value shows on `scale`, as alsamixer (`lrint(v * 100)`) or amixer print it.
pub fn percent(scale: &impl VolumeScale, which: Scale, raw: i64) -> i64 {
    match which {
        Scale::Mapped => rint(normalized(scale, raw) * 100.0),
        Scale::Linear => {
            let (min, max) = scale.raw_range();
            linear_percent(raw, min, max)
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
    let (min, max) = ordered(control.raw_range());
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
            Change::To => linear_raw(p, min, max),
            // amixer adds convert_prange1(N) including the range's minimum, which is wrong for
            // ranges not starting at 0; the step here is N% of the range itself.
            _ => current.saturating_add(
                linear_raw(p, min, max)
                    .saturating_sub(min)
                    .saturating_mul(sign),
            ),
        },
        (Amount::Percent(p), Scale::Mapped) => match change {
            Change::To => raw_for_normalized(control, p / 100.0, Rounding::Nearest),
            _ => {
                let delta = sign as f64 * p / 100.0;
                let volume = normalized(control, current) + delta;
                let rounding = if delta > 0.0 {
                    Rounding::Up
                } else {
                    Rounding::Down
                };
                raw_for_normalized(control, volume, rounding)
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
                .db_to_raw(clamp_between(goal, (db_min, db_max)), change == Change::Up)
                .unwrap_or(current)
        }
    };
    clamp_between(target, (min, max))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A control with a `TLV_DB_SCALE` table, converted as alsa-lib's `snd_tlv_convert_to_dB`
    /// and `snd_tlv_convert_from_dB` do.
    pub(crate) struct DbScale {
        pub raw_min: i64,
        pub raw_max: i64,
        pub db_min: i64,
        pub step: i64,
    }

    impl VolumeScale for DbScale {
        fn raw_range(&self) -> (i64, i64) {
            (self.raw_min, self.raw_max)
        }
        fn db_range(&self) -> Option<(i64, i64)> {
            Some((
                self.db_min,
                self.db_min + self.step * (self.raw_max - self.raw_min),
            ))
        }
        fn raw_to_db(&self, raw: i64) -> Option<i64> {
            Some(self.db_min + self.step * (raw - self.raw_min))
        }
        fn db_to_raw(&self, db: i64, round_up: bool) -> Option<i64> {
            let (min, max) = self.db_range()?;
            Some(if db <= min {
                self.raw_min
            } else if db >= max {
                self.raw_max
            } else {
                let mut v = (db - min) * (self.raw_max - self.raw_min);
                if round_up {
                    v += (max - min) - 1;
                }
                v / (max - min) + self.raw_min
            })
        }
    }

    /// A control without dB information (like the pulse plugin's Master: 0..65536).
    pub(crate) struct RawOnly(pub i64, pub i64);

    impl VolumeScale for RawOnly {
        fn raw_range(&self) -> (i64, i64) {
            (self.0, self.1)
        }
        fn db_range(&self) -> Option<(i64, i64)> {
            None
        }
        fn raw_to_db(&self, _: i64) -> Option<i64> {
            None
        }
        fn db_to_raw(&self, _: i64, _: bool) -> Option<i64> {
            None
        }
    }

    /// snd-dummy's volume: raw -50..100, -45 dB in 0.30 dB steps (a wide, cube-root range).
    pub(crate) fn dummy() -> DbScale {
        DbScale {
            raw_min: -50,
            raw_max: 100,
            db_min: -4500,
            step: 30,
        }
    }

    /// A typical HDA codec: raw 0..87 at 0.75 dB, -65.25 dB .. 0 dB.
    fn hda() -> DbScale {
        DbScale {
            raw_min: 0,
            raw_max: 87,
            db_min: -6525,
            step: 75,
        }
    }

    /// A small range: raw 0..31 at 0.5 dB, -15.5 .. 0 dB (≤ 24 dB: linear in dB).
    fn small() -> DbScale {
        DbScale {
            raw_min: 0,
            raw_max: 31,
            db_min: -1550,
            step: 50,
        }
    }

    #[test]
    fn rint_rounds_half_to_even_like_c() {
        assert_eq!(rint(0.5), 0);
        assert_eq!(rint(1.5), 2);
        assert_eq!(rint(2.5), 2);
        assert_eq!(rint(-0.5), 0);
        assert_eq!(rint(2.6), 3);
    }

    #[test]
    fn amixer_linear_percent() {
        // convert_prange: rint(val / range * 100).
        assert_eq!(linear_percent(65536, 0, 65536), 100);
        assert_eq!(linear_percent(32768, 0, 65536), 50);
        assert_eq!(linear_percent(44, 0, 87), 51); // 50.57
        assert_eq!(linear_percent(25, -50, 100), 50); // 75 / 150
        assert_eq!(linear_percent(3, 3, 3), 0);
        // convert_prange1: rint(perc * range * 0.01) + min, at least one step for perc > 0.
        assert_eq!(linear_raw(50.0, 0, 65536), 32768);
        assert_eq!(linear_raw(50.0, 0, 87), 44); // 43.5 -> 44 (even)
        assert_eq!(linear_raw(30.0, 0, 87), 26); // 26.1
        assert_eq!(linear_raw(1.0, 0, 31), 1); // 0.31 -> 0, bumped to 1
        assert_eq!(linear_raw(0.0, 0, 31), 0);
        assert_eq!(linear_raw(50.0, -50, 100), 25);
        assert_eq!(linear_raw(33.0, 0, 65536), 21627); // 21626.88
    }

    #[test]
    fn mapped_percent_of_a_wide_db_range() {
        let s = dummy();
        // min_norm = 10^(-4500/6000) = 0.177828; raw 54 is -13.80 dB:
        // (10^(-1380/6000) - 0.177828) / 0.822172 = (0.588844 - 0.177828) / 0.822172 = 0.49992.
        assert_eq!(s.raw_to_db(54), Some(-1380));
        assert!((normalized(&s, 54) - 0.49992).abs() < 1e-4);
        assert_eq!(percent(&s, Scale::Mapped, 54), 50);
        assert_eq!(percent(&s, Scale::Linear, 54), 69); // 104 / 150 = 69.3
        assert_eq!(percent(&s, Scale::Mapped, 100), 100);
        assert_eq!(percent(&s, Scale::Mapped, -50), 0);
        // raw 0 is -30.00 dB: (10^-0.5 - 0.177828) / 0.822172 = (0.316228 - 0.177828) / 0.822172
        // = 0.16833.
        assert_eq!(s.raw_to_db(0), Some(-3000));
        assert_eq!(percent(&s, Scale::Mapped, 0), 17);
        assert_eq!(percent(&s, Scale::Linear, 0), 33);
    }

    #[test]
    fn mapped_set_of_a_wide_db_range() {
        let s = dummy();
        // 50%: v = 0.5 * 0.822172 + 0.177828 = 0.588914; 6000 * log10(v) = -1379.69 -> -1380;
        // raw = floor((-1380 + 4500) * 150 / 4500) - 50 = 104 - 50 = 54.
        assert_eq!(mapped_to_db(0.5, (-4500, 0), Rounding::Nearest), -1380);
        assert_eq!(raw_for_normalized(&s, 0.5, Rounding::Nearest), 54);
        // 25%: v = 0.383371; 6000 * log10(v) = -2498.28 -> -2498; floor(2002 / 30) = 66 -> 16.
        assert_eq!(mapped_to_db(0.25, (-4500, 0), Rounding::Nearest), -2498);
        assert_eq!(raw_for_normalized(&s, 0.25, Rounding::Nearest), 16);
        // Rounding up (alsamixer's dir 1): ceil(-2498.28) = -2498, then the raw step rounds up.
        assert_eq!(raw_for_normalized(&s, 0.25, Rounding::Up), 17);
        assert_eq!(raw_for_normalized(&s, 1.0, Rounding::Nearest), 100);
        assert_eq!(raw_for_normalized(&s, 0.0, Rounding::Nearest), -50);
        assert_eq!(raw_for_normalized(&s, 1.7, Rounding::Nearest), 100);
    }

    #[test]
    fn mapped_on_a_typical_codec() {
        let s = hda();
        // 50%: min_norm = 10^(-6525/6000) = 0.081995; v = 0.5 * 0.918005 + 0.081995 = 0.540998;
        // 6000 * log10(v) = -1601.41 -> -1601; floor((6525 - 1601) / 75) = 65 -> -16.50 dB.
        assert_eq!(mapped_to_db(0.5, (-6525, 0), Rounding::Nearest), -1601);
        assert_eq!(raw_for_normalized(&s, 0.5, Rounding::Nearest), 65);
        // The step below the target reads back as alsamixer shows it:
        // 10^(-1650/6000) = 0.530884; (0.530884 - 0.081995) / 0.918005 = 0.48912 -> 49.
        assert_eq!(percent(&s, Scale::Mapped, 65), 49);
        assert_eq!(percent(&s, Scale::Mapped, 66), 51); // -15.75 dB: 0.50600
    }

    #[test]
    fn mapped_is_linear_in_db_for_small_ranges() {
        let s = small();
        // 1550 cB <= 2400: normalized = (db - min) / (max - min).
        assert_eq!(percent(&s, Scale::Mapped, 16), 52); // (-750 + 1550) / 1550 = 0.516
                                                        // 50%: rint(0.5 * 1550) - 1550 = -775; floor(775 / 50) = 15.
        assert_eq!(mapped_to_db(0.5, (-1550, 0), Rounding::Nearest), -775);
        assert_eq!(raw_for_normalized(&s, 0.5, Rounding::Nearest), 15);
        assert_eq!(raw_for_normalized(&s, 0.5, Rounding::Up), 16);
    }

    #[test]
    fn without_a_db_range_mapped_and_linear_agree() {
        let s = RawOnly(0, 65536);
        for raw in [0, 1, 327, 32768, 40000, 65535, 65536] {
            assert_eq!(
                percent(&s, Scale::Mapped, raw),
                percent(&s, Scale::Linear, raw)
            );
        }
        for pct in [0.0, 1.0, 33.0, 50.0, 99.0, 100.0] {
            assert_eq!(
                raw_for_normalized(&s, pct / 100.0, Rounding::Nearest),
                linear_raw(pct, 0, 65536),
                "{pct}%"
            );
        }
        assert_eq!(percent(&RawOnly(5, 5), Scale::Mapped, 5), 0);
    }

    /// raw 100..0 and 0 dB..-45 dB: a driver that reports its ranges the wrong way round.
    pub(crate) struct Reversed;

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
    fn reversed_ranges_do_not_panic() {
        assert_eq!(ordered((100, 0)), (0, 100));
        assert_eq!(ordered((-5, 5)), (-5, 5));
        assert_eq!(clamp_between(150, (100, 0)), 100);
        assert_eq!(clamp_between(-1, (100, 0)), 0);
        assert!(is_reversed((1, 0)) && !is_reversed((0, 0)) && !is_reversed((0, 1)));
        // A reversed dB range is not usable for the mapped scale: linear raw steps instead.
        assert_eq!(raw_for_normalized(&Reversed, 0.5, Rounding::Nearest), 50);
        assert_eq!(raw_for_normalized(&Reversed, 2.0, Rounding::Nearest), 100);
        assert_eq!(raw_for_normalized(&Reversed, f64::NAN, Rounding::Up), 0);
        assert_eq!(percent(&Reversed, Scale::Mapped, 25), 25);
        let _ = percent(&Reversed, Scale::Linear, 25);
        // Ranges too wide for i64 arithmetic.
        let wide = RawOnly(i64::MIN, i64::MAX);
        let _ = raw_for_normalized(&wide, 1.0, Rounding::Nearest);
        assert_eq!(linear_raw(100.0, 10, i64::MAX), i64::MAX);
        let _ = percent(&wide, Scale::Mapped, 0);
        let _ = mapped_to_db(0.0, (DB_GAIN_MUTE, -100), Rounding::Down);
        let _ = mapped_to_db(0.5, (i64::MIN, i64::MAX), Rounding::Down);
    }

    #[test]
    fn muted_bottom_is_not_rescaled() {
        // A range whose bottom is "mute": normalized is the plain cube-root curve.
        let v = mapped_from_db(-2000, (DB_GAIN_MUTE, 0));
        assert!((v - 10f64.powf(-2000.0 / 6000.0)).abs() < 1e-12);
    }
}
