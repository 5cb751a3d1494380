//! Per-sample kernels: reading any [`SampleFormat`] as numbers. Used where bytes cannot pass
//! through unchanged (format conversion) and for the peak meter.

use crate::sample::codec::{decode_i32, float_to_i32};
use crate::sample::format::SampleFormat;

/// The peak of each channel in `bytes` (whole interleaved frames), as a fraction of full scale,
/// merged into `peaks` (which holds one value per channel).
pub fn accumulate_peaks(format: SampleFormat, bytes: &[u8], peaks: &mut [f32]) {
    let width = format.bytes();
    let channels = peaks.len();
    if channels == 0 || width == 0 {
        return;
    }
    let frame = width * channels;
    let bytes = &bytes[..bytes.len() / frame * frame];
    // The largest magnitude per channel, left-justified in 32 bits as decode_i32 gives it.
    let mut max = vec![0u32; channels];
    let done = lane_peaks_any_cpu(format, bytes, &mut max);
    // What the lanes left (or everything): whole frames, starting on channel 0.
    for frame_bytes in bytes[done..].chunks_exact(frame) {
        for (ch, sample) in frame_bytes.chunks_exact(width).enumerate() {
            let v = decode_i32(format, sample).unsigned_abs();
            if v > max[ch] {
                max[ch] = v;
            }
        }
    }
    for (peak, m) in peaks.iter_mut().zip(max) {
        let fraction = m as f32 / 2_147_483_648.0;
        if fraction > *peak {
            *peak = fraction;
        }
    }
}

/// [`lane_peaks`] for the formats that have a vectorizable loop, built for the baseline CPU and,
/// on x86-64, again for AVX2, picked at run time: AVX2's byte shuffles and wider registers make
/// the 24-bit loop four times as fast, the others about twice.
fn lane_peaks_any_cpu(format: SampleFormat, bytes: &[u8], max: &mut [u32]) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { lane_peaks_avx2(format, bytes, max) };
    }
    lane_peaks_by_format(format, bytes, max)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn lane_peaks_avx2(format: SampleFormat, bytes: &[u8], max: &mut [u32]) -> usize {
    lane_peaks_by_format(format, bytes, max)
}

/// The common formats get loops the compiler can vectorize (a fixed number of lanes, one
/// format, operations that plain SSE2 has): a meter should cost little beside the copy it
/// watches. 16-bit magnitudes fit 16-bit lanes; wider samples are compared as f32, which SSE2
/// takes the maximum of (it has no 32-bit integer maximum) and which rounds monotonically, so
/// the peak comes out as the exact f32 that decoding each sample gives. Returns the bytes
/// covered (none for other formats, which decode sample by sample).
#[inline(always)]
fn lane_peaks_by_format(format: SampleFormat, bytes: &[u8], max: &mut [u32]) -> usize {
    match format {
        SampleFormat::S16_LE => lane_peaks(
            bytes,
            max,
            |b: &[u8; 2]| [i16::from_le_bytes(*b).unsigned_abs()],
            |m| u32::from(m) << 16,
        ),
        SampleFormat::S24_3LE => lane_peaks(
            bytes,
            max,
            |b: &[u8; 12]| {
                // Four samples from three little-endian words, each moved to the top 24 bits
                // with shifts (no byte shuffles, which SSE2 lacks).
                let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
                let (w0, w1, w2) = (word(0), word(4), word(8));
                let left_justified = [
                    w0 << 8,
                    (w0 >> 24) << 8 | w1 << 16,
                    (w1 >> 16) << 8 | w2 << 24,
                    w2 & !0xff,
                ];
                left_justified.map(|v| Magnitude((v as i32 as f32).abs()))
            },
            |m| m.0 as u32,
        ),
        SampleFormat::S32_LE => lane_peaks(
            bytes,
            max,
            |b: &[u8; 4]| [Magnitude((i32::from_le_bytes(*b) as f32).abs())],
            |m| m.0 as u32,
        ),
        SampleFormat::FLOAT_LE => lane_peaks(
            bytes,
            max,
            |b: &[u8; 4]| [Magnitude(f32::from_le_bytes(*b).abs())],
            |m| float_to_i32(f64::from(m.0)).unsigned_abs(),
        ),
        _ => 0,
    }
}

/// Lanes of the vectorized peak loops: samples per step, a multiple of the channel count so
/// that each lane always holds the same channel.
const PEAK_LANES: usize = 64;

/// A running maximum in a lane of [`lane_peaks`].
trait LaneMax: Copy + Default {
    fn max_with(self, other: Self) -> Self;
}

impl LaneMax for u16 {
    #[inline]
    fn max_with(self, other: Self) -> Self {
        self.max(other)
    }
}

/// A float magnitude whose maximum skips NaN (NaN is silence, as in [`decode_i32`]), written
/// as the compare-and-select that one SSE instruction does.
#[derive(Clone, Copy, Default)]
struct Magnitude(f32);

impl LaneMax for Magnitude {
    #[inline]
    fn max_with(self, other: Self) -> Self {
        if other.0 > self.0 {
            other
        } else {
            self
        }
    }
}

/// The per-channel maximum of `magnitude` (`N` samples from each `W` bytes) over the whole
/// blocks of [`PEAK_LANES`] samples at the start of `bytes`, merged into `max` through
/// `widen`. Returns the bytes it covered: none when the channel count does not divide
/// [`PEAK_LANES`].
#[inline(always)]
fn lane_peaks<const W: usize, const N: usize, M: LaneMax>(
    bytes: &[u8],
    max: &mut [u32],
    magnitude: impl Fn(&[u8; W]) -> [M; N],
    widen: impl Fn(M) -> u32,
) -> usize {
    let channels = max.len();
    if PEAK_LANES % channels != 0 || PEAK_LANES % N != 0 {
        return 0;
    }
    let block_bytes = W * PEAK_LANES / N;
    let mut lanes = [M::default(); PEAK_LANES];
    let mut blocks = bytes.chunks_exact(block_bytes);
    for block in &mut blocks {
        for (group, b) in lanes.chunks_exact_mut(N).zip(block.chunks_exact(W)) {
            let samples = magnitude(<&[u8; W]>::try_from(b).unwrap_or(&[0; W]));
            for (lane, m) in group.iter_mut().zip(samples) {
                *lane = lane.max_with(m);
            }
        }
    }
    for (i, m) in lanes.into_iter().enumerate() {
        let ch = i % channels;
        max[ch] = max[ch].max(widen(m));
    }
    bytes.len() - blocks.remainder().len()
}

/// Deterministic pseudo-random bytes for the kernels' unit tests (xorshift): each call of the
/// returned closure gives the next `len` bytes.
#[cfg(test)]
pub(crate) fn test_noise(seed: u64) -> impl FnMut(usize) -> Vec<u8> {
    let mut state = seed;
    move |len| {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SampleFormat::*;

    #[test]
    fn fast_peaks_agree_with_decoding_each_sample() {
        let mut noise = test_noise(0x2545_f491_4f6c_dd1d);
        let floats: Vec<u8> = [0.25f32, -1.5, f32::NAN, -0.0, f32::INFINITY, 1e-9, -0.75]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        for format in [S16_LE, S24_3LE, S32_LE, FLOAT_LE] {
            for channels in [1usize, 2, 3, 4, 6, 8] {
                for frames in [0usize, 1, 7, 64, 200, 1000] {
                    let len = frames * channels * format.bytes();
                    let mut bytes = if format == FLOAT_LE {
                        floats.iter().copied().cycle().take(len).collect()
                    } else {
                        noise(len)
                    };
                    // Full scale in the middle of the last frame.
                    if let Some(b) = bytes.len().checked_sub(format.bytes()) {
                        let min = match format {
                            S16_LE => vec![0x00, 0x80],
                            S24_3LE => vec![0x00, 0x00, 0x80],
                            S32_LE => vec![0, 0, 0, 0x80],
                            _ => (-1.0f32).to_le_bytes().to_vec(),
                        };
                        bytes[b..].copy_from_slice(&min);
                    }
                    let mut fast = vec![0.1f32; channels];
                    accumulate_peaks(format, &bytes, &mut fast);
                    let mut slow = vec![0.1f32; channels];
                    for frame in bytes.chunks_exact(channels * format.bytes()) {
                        for (ch, b) in frame.chunks_exact(format.bytes()).enumerate() {
                            let v = decode_i32(format, b).unsigned_abs() as f32 / 2_147_483_648.0;
                            slow[ch] = slow[ch].max(v);
                        }
                    }
                    assert_eq!(fast, slow, "{format} {channels} ch {frames} frames");
                }
            }
        }
    }

    #[test]
    fn peaks_per_channel() {
        let mut peaks = [0.0f32; 2];
        let frames: Vec<u8> = [0i16, -16384, 8192, 100]
            .iter()
            .flat_map(|s| s.to_le_bytes())
            .collect();
        accumulate_peaks(S16_LE, &frames, &mut peaks);
        assert!((peaks[0] - 0.25).abs() < 1e-6);
        assert!((peaks[1] - 0.5).abs() < 1e-6);
    }
}
