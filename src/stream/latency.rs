//! The measurement signal `alsatool latency` plays, and finding it again in what was captured.
//!
//! The signal is a maximum length sequence (MLS) burst: ±1 from a 12-bit shift register, 4095
//! frames (85 ms at 48 kHz). Its autocorrelation is a single sharp peak with flat sidelobes,
//! so cross-correlation finds it to the frame even through a loudspeaker and a microphone, at
//! either polarity, in noise far louder than a click could stand. The correlation runs by FFT
//! (a plain radix-2 one: a few hundred thousand points per run), and is normalized by the
//! energy of the captured stretch it is compared with, so that its score says how much of what
//! came back is the signal (1.0 for a digital loopback), whatever the level.

/// The shift register's length: 2^12 - 1 = 4095 frames.
pub const MLS_ORDER: u32 = 12;
/// The signal's level (full scale 1.0): -6 dBFS leaves headroom for any path.
pub const LEVEL: f64 = 0.5;
/// Below this normalized score, nothing came back: what is there is noise or silence.
pub const MIN_SCORE: f64 = 0.3;

/// The MLS of `order` (2 to 16) as ±1.0: one period, 2^order - 1 values.
pub fn mls(order: u32) -> Vec<f64> {
    // Taps of primitive polynomials (Xilinx XAPP 052), for a Fibonacci register.
    let taps: &[u32] = match order {
        2 => &[2, 1],
        3 => &[3, 2],
        4 => &[4, 3],
        5 => &[5, 3],
        6 => &[6, 5],
        7 => &[7, 6],
        8 => &[8, 6, 5, 4],
        9 => &[9, 5],
        10 => &[10, 7],
        11 => &[11, 9],
        12 => &[12, 6, 4, 1],
        13 => &[13, 4, 3, 1],
        14 => &[14, 5, 3, 1],
        15 => &[15, 14],
        _ => &[16, 15, 13, 4],
    };
    let order = taps[0];
    let mut state: u32 = 1;
    (0..(1u32 << order) - 1)
        .map(|_| {
            let bit = taps
                .iter()
                .fold(0, |acc, &t| acc ^ ((state >> (order - t)) & 1));
            let out = state & 1;
            state = (state >> 1) | (bit << (order - 1));
            if out == 1 {
                1.0
            } else {
                -1.0
            }
        })
        .collect()
}

/// Where the signal was found in a captured stretch, and how clearly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Found {
    /// Offset of the signal's first frame in the stretch.
    pub offset: usize,
    /// Normalized correlation, 0 to 1 (sign dropped: an inverting path still counts).
    pub score: f64,
}

/// Finds `signal` in `captured`: the offset where their normalized cross-correlation peaks.
/// `None` when the stretch is shorter than the signal, silent, or holds nothing like it.
pub fn find(signal: &[f64], captured: &[f64]) -> Option<Found> {
    let n = signal.len();
    if n == 0 || captured.len() < n {
        return None;
    }
    let lags = captured.len() - n + 1;
    let size = (captured.len() + n).next_power_of_two();
    let mut a: Vec<(f64, f64)> = captured.iter().map(|&x| (x, 0.0)).collect();
    a.resize(size, (0.0, 0.0));
    let mut b: Vec<(f64, f64)> = signal.iter().map(|&x| (x, 0.0)).collect();
    b.resize(size, (0.0, 0.0));
    fft(&mut a, false);
    fft(&mut b, false);
    // Correlation: A · conj(B), back to time.
    for (x, y) in a.iter_mut().zip(&b) {
        *x = (x.0 * y.0 + x.1 * y.1, x.1 * y.0 - x.0 * y.1);
    }
    fft(&mut a, true);
    let signal_norm = signal.iter().map(|x| x * x).sum::<f64>().sqrt();
    // Energy of each stretch of n captured frames, by prefix sums.
    let mut prefix = Vec::with_capacity(captured.len() + 1);
    prefix.push(0.0);
    let mut sum = 0.0;
    for x in captured {
        sum += x * x;
        prefix.push(sum);
    }
    let floor = 1e-12 * n as f64;
    let mut best: Option<Found> = None;
    for lag in 0..lags {
        let energy = prefix[lag + n] - prefix[lag];
        if energy <= floor {
            continue;
        }
        let score = (a[lag].0 / size as f64).abs() / (signal_norm * energy.sqrt());
        if best.is_none_or(|b| score > b.score) {
            best = Some(Found { offset: lag, score });
        }
    }
    best.filter(|f| f.score >= MIN_SCORE)
}

/// In-place iterative radix-2 FFT of a power-of-two length (`inverse`: unscaled inverse).
fn fft(data: &mut [(f64, f64)], inverse: bool) {
    let n = data.len();
    if n < 2 {
        return;
    }
    let mut j = 0;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            data.swap(i, j);
        }
    }
    let sign = if inverse { 1.0 } else { -1.0 };
    let mut len = 2;
    while len <= n {
        let angle = sign * 2.0 * std::f64::consts::PI / len as f64;
        let step = (angle.cos(), angle.sin());
        for start in (0..n).step_by(len) {
            let mut w = (1.0, 0.0);
            for k in 0..len / 2 {
                let (ur, ui) = data[start + k];
                let (vr, vi) = data[start + k + len / 2];
                let (tr, ti) = (vr * w.0 - vi * w.1, vr * w.1 + vi * w.0);
                data[start + k] = (ur + tr, ui + ti);
                data[start + k + len / 2] = (ur - tr, ui - ti);
                w = (w.0 * step.0 - w.1 * step.1, w.0 * step.1 + w.1 * step.0);
            }
        }
        len <<= 1;
    }
}

/// The median of some values (the lower middle one for an even count).
pub fn median(values: &[i64]) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len().checked_sub(1)? / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_has_full_period_and_balance() {
        for order in [4, 10, MLS_ORDER] {
            let s = mls(order);
            assert_eq!(s.len(), (1 << order) - 1);
            let ones = s.iter().filter(|&&x| x > 0.0).count();
            assert_eq!(ones, 1 << (order - 1), "order {order}");
        }
        // A sharp autocorrelation: -1 off the peak for an MLS.
        let s = mls(10);
        let shifted: f64 = (0..s.len()).map(|i| s[i] * s[(i + 7) % s.len()]).sum();
        assert_eq!(shifted, -1.0);
    }

    #[test]
    fn finds_the_signal_to_the_frame_in_noise_and_inverted() {
        let signal: Vec<f64> = mls(MLS_ORDER).iter().map(|x| x * LEVEL).collect();
        let mut state = 99u64;
        let mut noise = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut captured: Vec<f64> = (0..30_000).map(|_| noise() * 0.5).collect();
        for (i, x) in signal.iter().enumerate() {
            captured[12_345 + i] -= x * 0.3;
        }
        let found = find(&signal, &captured).expect("found");
        assert_eq!(found.offset, 12_345);
        assert!(found.score > 0.3 && found.score < 1.0, "{}", found.score);

        let mut clean = vec![0.0; 9000];
        clean[777..777 + signal.len()].copy_from_slice(&signal);
        let found = find(&signal, &clean).expect("found");
        assert_eq!(found.offset, 777);
        assert!(found.score > 0.999);
    }

    #[test]
    fn silence_and_noise_are_not_the_signal() {
        let signal = mls(MLS_ORDER);
        assert_eq!(find(&signal, &vec![0.0; 20_000]), None);
        assert_eq!(find(&signal, &signal[..100]), None);
        let other = mls(11);
        let noise: Vec<f64> = other.iter().cycle().take(20_000).copied().collect();
        assert_eq!(find(&signal, &noise), None);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[5, 1, 3]), Some(3));
        assert_eq!(median(&[4, 1, 3, 2]), Some(2));
        assert_eq!(median(&[]), None);
    }
}
