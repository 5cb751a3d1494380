//! Converting between sample formats and channel layouts where a device does not take a file's
//! (a `hw:` device often takes one or two formats and a fixed channel count). Integer and
//! G.711 samples go through [`decode_i32`]'s left-justified 32-bit form, which holds every one
//! of them exactly; float to float goes through `f64` so that no precision is lost. The common
//! conversions (between S16_LE, S24_3LE, S24_LE, S32_LE and FLOAT_LE) have vectorized loops
//! of their own that give the same bytes (see `benches/kernels.rs` for their speed).

use crate::sample::codec::{decode_f64, decode_i32, encode_f64, encode_i32};
use crate::sample::format::{Encoding, SampleFormat};

/// One conversion from a source layout to a device layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversion {
    pub from: SampleFormat,
    pub from_channels: usize,
    pub to: SampleFormat,
    pub to_channels: usize,
}

impl Conversion {
    pub fn new(
        from: SampleFormat,
        from_channels: u32,
        to: SampleFormat,
        to_channels: u32,
    ) -> Conversion {
        Conversion {
            from,
            from_channels: from_channels as usize,
            to,
            to_channels: to_channels as usize,
        }
    }

    /// Whether the bytes pass unchanged.
    pub fn is_identity(&self) -> bool {
        self.from == self.to && self.from_channels == self.to_channels
    }

    /// What the conversion does, for `-v`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.from != self.to {
            parts.push(format!("sample format {} to {}", self.from, self.to));
        }
        if self.from_channels != self.to_channels {
            let (from, to) = (self.from_channels, self.to_channels);
            parts.push(match (from, to) {
                (1, 2) => "mono to stereo (both channels)".to_string(),
                (1, n) => format!("mono to the first 2 of {n} channels, the rest silent"),
                (n, 1) => format!("{n} channels mixed down to mono"),
                (f, t) if f < t => {
                    format!("{f} channels to the first {f} of {t}, the rest silent")
                }
                (f, t) => format!("{f} channels to {t}: channels {} to {f} dropped", t + 1),
            });
        }
        parts.join(", ")
    }

    /// Bytes of output for `input_len` bytes of input (whole frames).
    pub fn output_len(&self, input_len: usize) -> usize {
        let frames = input_len / (self.from.bytes() * self.from_channels);
        frames * self.to.bytes() * self.to_channels
    }

    /// Converts whole interleaved frames in `input`, replacing the contents of `out`.
    pub fn convert(&self, input: &[u8], out: &mut Vec<u8>) {
        let len = self.output_len(input.len());
        // Every byte is written below: only a longer buffer needs filling first.
        out.resize(len, 0);
        if !self.convert_fast(input, out) {
            self.convert_any(input, out);
        }
    }

    /// What [`Conversion::convert`] does, for every layout: sample by sample through `f64`.
    /// The fast paths give the same bytes.
    fn convert_any(&self, input: &[u8], out: &mut [u8]) {
        let in_width = self.from.bytes();
        let out_width = self.to.bytes();
        let in_frame = in_width * self.from_channels;
        let out_frame = out_width * self.to_channels;
        let floats = is_float(self.from) && is_float(self.to);
        let mut values = vec![0f64; self.to_channels];
        for (src, dst) in input
            .chunks_exact(in_frame)
            .zip(out.chunks_exact_mut(out_frame))
        {
            if floats {
                self.map_channels(src, &mut values, |b| decode_f64(self.from, b));
                for (v, d) in values.iter().zip(dst.chunks_exact_mut(out_width)) {
                    encode_f64(self.to, *v, d);
                }
            } else {
                self.map_channels(src, &mut values, |b| f64::from(decode_i32(self.from, b)));
                for (v, d) in values.iter().zip(dst.chunks_exact_mut(out_width)) {
                    // Values are integers (or an average of them): round to the nearest.
                    encode_i32(self.to, v.round() as i32, d);
                }
            }
        }
    }

    /// Maps one input frame to the output channels: same count as is; to mono the average;
    /// from mono to the first two; otherwise the first channels kept and the rest silent.
    fn map_channels(&self, src: &[u8], values: &mut [f64], decode: impl Fn(&[u8]) -> f64) {
        let width = self.from.bytes();
        let from = self.from_channels;
        let to = self.to_channels;
        if to == 1 && from > 1 {
            let sum: f64 = src.chunks_exact(width).map(&decode).sum();
            values[0] = sum / from as f64;
            return;
        }
        if from == 1 {
            let v = decode(src);
            values.fill(0.0);
            values[0] = v;
            if to >= 2 {
                values[1] = v;
            }
            return;
        }
        values.fill(0.0);
        for (v, b) in values.iter_mut().zip(src.chunks_exact(width)) {
            *v = decode(b);
        }
    }
}

/// The conversions that devices commonly force, between S16_LE, S24_3LE, S24_LE, S32_LE and
/// FLOAT_LE (not float to float), get loops of their own: one source and one device format
/// each, so that the compiler can vectorize them (a meter or a converter should cost little
/// beside the copy it replaces). They give exactly the bytes of
/// [`Conversion::convert_any`]: the same left-justified 32-bit values, the same rounding of
/// averages, and float scaling by a power of two, which is exact in `f32` as in `f64`.
impl Conversion {
    /// Converts with a fast path if there is one for these formats; false if not.
    fn convert_fast(&self, input: &[u8], out: &mut [u8]) -> bool {
        if !(fast_format(self.from) && fast_format(self.to))
            || is_float(self.from) && is_float(self.to)
        {
            return false;
        }
        convert_fast_by_format(self, input, out);
        true
    }
}

fn fast_format(format: SampleFormat) -> bool {
    use SampleFormat::*;
    matches!(format, S16_LE | S24_3LE | S24_LE | S32_LE | FLOAT_LE)
}

/// Picks the loop for the source and device formats (both [`fast_format`]s).
fn convert_fast_by_format(conversion: &Conversion, input: &[u8], out: &mut [u8]) {
    use SampleFormat::*;
    // One decoder per source format, as decode_i32 decodes it (with a decoder of groups of
    // samples for the loop without channel mapping) ...
    macro_rules! from {
        ($width:literal, $decode:expr) => {{
            let decode = $decode;
            let group = |b: &[u8; $width]| [decode(b)];
            to!($width, $width, 1, decode, group)
        }};
        ($width:literal, $decode:expr, $group_width:literal, $group:expr) => {{
            let decode = $decode;
            to!($width, $group_width, 4, decode, $group)
        }};
    }
    // ... times one encoder per device format, as encode_i32 encodes.
    macro_rules! to {
        ($width:literal, $gw:literal, $gn:literal, $decode:expr, $group:expr) => {
            match conversion.to {
                S16_LE => convert_frames_best::<$width, 2, $gw, $gn>(
                    conversion,
                    input,
                    out,
                    Codec {
                        decode: $decode,
                        decode_group: $group,
                        encode: |v: i32| ((v >> 16) as i16).to_le_bytes(),
                    },
                ),
                S24_3LE => convert_frames_best::<$width, 3, $gw, $gn>(
                    conversion,
                    input,
                    out,
                    Codec {
                        decode: $decode,
                        decode_group: $group,
                        encode: |v: i32| {
                            let b = v.to_le_bytes();
                            [b[1], b[2], b[3]]
                        },
                    },
                ),
                S24_LE => convert_frames_best::<$width, 4, $gw, $gn>(
                    conversion,
                    input,
                    out,
                    Codec {
                        decode: $decode,
                        decode_group: $group,
                        encode: |v: i32| (v >> 8).to_le_bytes(),
                    },
                ),
                S32_LE => convert_frames_best::<$width, 4, $gw, $gn>(
                    conversion,
                    input,
                    out,
                    Codec {
                        decode: $decode,
                        decode_group: $group,
                        encode: |v: i32| v.to_le_bytes(),
                    },
                ),
                _ => convert_frames_best::<$width, 4, $gw, $gn>(
                    conversion,
                    input,
                    out,
                    Codec {
                        decode: $decode,
                        decode_group: $group,
                        encode: |v: i32| (v as f32 * (1.0 / 2_147_483_648.0)).to_le_bytes(),
                    },
                ),
            }
        };
    }
    match conversion.from {
        S16_LE => from!(2, |b: &[u8; 2]| i32::from(i16::from_le_bytes(*b)) << 16),
        S24_3LE => from!(
            3,
            |b: &[u8; 3]| i32::from_le_bytes([0, b[0], b[1], b[2]]),
            12,
            |b: &[u8; 12]| {
                // Four samples from three little-endian words, each moved to the top 24 bits
                // with shifts rather than byte by byte.
                let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
                let (w0, w1, w2) = (word(0), word(4), word(8));
                [
                    w0 << 8,
                    (w0 >> 24) << 8 | w1 << 16,
                    (w1 >> 16) << 8 | w2 << 24,
                    w2 & !0xff,
                ]
                .map(|v| v as i32)
            }
        ),
        S24_LE => from!(4, |b: &[u8; 4]| i32::from_le_bytes([0, b[0], b[1], b[2]])),
        S32_LE => from!(4, |b: &[u8; 4]| i32::from_le_bytes(*b)),
        _ => from!(4, |b: &[u8; 4]| f32_to_i32(f32::from_le_bytes(*b))),
    }
}

/// [`float_to_i32`] for an `f32`, in a form the compiler vectorizes (Rust's saturating `as`
/// is done one sample at a time): scaling by 2^31 is exact in `f32` as in `f64`, truncation is
/// the same, and NaN and values beyond full scale come out as there.
#[inline(always)]
fn f32_to_i32(x: f32) -> i32 {
    const LOW: f32 = -2_147_483_648.0;
    // The largest f32 below 2^31; 2^31 and above saturate separately.
    const HIGH: f32 = 2_147_483_520.0;
    let y = x * 2_147_483_648.0;
    // Compare-and-selects (one instruction each on x86); NaN fails both comparisons and
    // leaves HIGH, replaced by 0 below.
    let below_high = if y < HIGH { y } else { HIGH };
    let in_range = if below_high > LOW { below_high } else { LOW };
    // SAFETY: in_range is finite and within i32's range, made so just above.
    let v: i32 = unsafe { in_range.to_int_unchecked() };
    if y >= 2_147_483_648.0 {
        i32::MAX
    } else if y.is_nan() {
        0
    } else {
        v
    }
}

/// How one source format decodes (a sample, or `N` samples from a group of bytes) and how one
/// device format encodes, as left-justified 32-bit values.
struct Codec<D, G, E> {
    decode: D,
    decode_group: G,
    encode: E,
}

/// [`convert_frames`] built for the baseline CPU and, on x86-64, again for AVX2 (wider
/// registers, byte shuffles for 24-bit), picked at run time. Each pair of formats is a
/// function of its own, small enough for the compiler to vectorize every loop in it.
fn convert_frames_best<const IW: usize, const OW: usize, const GW: usize, const GN: usize>(
    conversion: &Conversion,
    input: &[u8],
    out: &mut [u8],
    codec: Codec<
        impl Fn(&[u8; IW]) -> i32,
        impl Fn(&[u8; GW]) -> [i32; GN],
        impl Fn(i32) -> [u8; OW],
    >,
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { convert_frames_avx2(conversion, input, out, codec) };
        return;
    }
    convert_frames(conversion, input, out, codec)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn convert_frames_avx2<
    const IW: usize,
    const OW: usize,
    const GW: usize,
    const GN: usize,
>(
    conversion: &Conversion,
    input: &[u8],
    out: &mut [u8],
    codec: Codec<
        impl Fn(&[u8; IW]) -> i32,
        impl Fn(&[u8; GW]) -> [i32; GN],
        impl Fn(i32) -> [u8; OW],
    >,
) {
    convert_frames(conversion, input, out, codec)
}

/// Converts whole frames of `IW`-byte samples to `OW`-byte ones (decoding groups of `GN`
/// samples in `GW` bytes where channels map one to one), mapping channels as
/// [`Conversion::convert_any`] does.
#[inline(always)]
fn convert_frames<const IW: usize, const OW: usize, const GW: usize, const GN: usize>(
    conversion: &Conversion,
    input: &[u8],
    out: &mut [u8],
    codec: Codec<
        impl Fn(&[u8; IW]) -> i32,
        impl Fn(&[u8; GW]) -> [i32; GN],
        impl Fn(i32) -> [u8; OW],
    >,
) {
    let Codec {
        decode,
        decode_group,
        encode,
    } = codec;
    let sample = |b: &[u8]| decode(<&[u8; IW]>::try_from(b).unwrap_or(&[0; IW]));
    let (from, to) = (conversion.from_channels, conversion.to_channels);
    if from == to {
        let (blocks, rest) = blocked::<64>(input, out, IW, OW);
        for (src, dst) in blocks {
            for (g, d) in src.chunks_exact(GW).zip(dst.chunks_exact_mut(OW * GN)) {
                let values = decode_group(<&[u8; GW]>::try_from(g).unwrap_or(&[0; GW]));
                for (v, d) in values.into_iter().zip(d.chunks_exact_mut(OW)) {
                    d.copy_from_slice(&encode(v));
                }
            }
        }
        for (s, d) in rest {
            d.copy_from_slice(&encode(sample(s)));
        }
    } else if from == 1 && to == 2 {
        let (blocks, rest) = blocked::<64>(input, out, IW, 2 * OW);
        let both = |s: &[u8], d: &mut [u8]| {
            let v = encode(sample(s));
            d.copy_from_slice([v, v].as_flattened());
        };
        for (src, dst) in blocks {
            for (s, d) in src.chunks_exact(IW).zip(dst.chunks_exact_mut(2 * OW)) {
                both(s, d);
            }
        }
        for (s, d) in rest {
            both(s, d);
        }
    } else if from == 2 && to == 1 {
        let (blocks, rest) = blocked::<32>(input, out, 2 * IW, OW);
        let average = |s: &[u8], d: &mut [u8]| {
            d.copy_from_slice(&encode(half_rounded(sample(&s[..IW]), sample(&s[IW..]))));
        };
        for (src, dst) in blocks {
            for (s, d) in src.chunks_exact(2 * IW).zip(dst.chunks_exact_mut(OW)) {
                average(s, d);
            }
        }
        for (s, d) in rest {
            average(s, d);
        }
    } else if from > 2 && to == 2 {
        // The first two channels (a surround file on a stereo device).
        let frames = input
            .chunks_exact(IW * from)
            .zip(out.chunks_exact_mut(2 * OW));
        for (s, d) in frames {
            let pair = [encode(sample(&s[..IW])), encode(sample(&s[IW..2 * IW]))];
            d.copy_from_slice(pair.as_flattened());
        }
    } else {
        let frames = input
            .chunks_exact(IW * from)
            .zip(out.chunks_exact_mut(OW * to));
        if to == 1 {
            // The average, rounded as convert_any rounds it (the sum of i32s is exact in f64).
            for (src, dst) in frames {
                let sum: i64 = src.chunks_exact(IW).map(|b| i64::from(sample(b))).sum();
                let average = (sum as f64 / from as f64).round() as i32;
                dst.copy_from_slice(&encode(average));
            }
            return;
        }
        let silence = encode(0);
        for (src, dst) in frames {
            let mut dst = dst.chunks_exact_mut(OW);
            if from == 1 {
                let v = encode(sample(src));
                dst.by_ref().take(2).for_each(|d| d.copy_from_slice(&v));
            } else {
                for (b, d) in src.chunks_exact(IW).zip(dst.by_ref()) {
                    d.copy_from_slice(&encode(sample(b)));
                }
            }
            dst.for_each(|d| d.copy_from_slice(&silence));
        }
    }
}

/// Pairs of input and output blocks of `LANES` frames, which the compiler unrolls and
/// vectorizes (the best number depends on the loop), and then pairs of the frames left over.
#[allow(clippy::type_complexity)]
#[inline(always)]
fn blocked<'a, const LANES: usize>(
    input: &'a [u8],
    out: &'a mut [u8],
    in_frame: usize,
    out_frame: usize,
) -> (
    std::iter::Zip<std::slice::ChunksExact<'a, u8>, std::slice::ChunksExactMut<'a, u8>>,
    std::iter::Zip<std::slice::ChunksExact<'a, u8>, std::slice::ChunksExactMut<'a, u8>>,
) {
    let blocks = input.len() / (in_frame * LANES);
    let (head, tail) = input.split_at(blocks * in_frame * LANES);
    let (out_head, out_tail) = out.split_at_mut(blocks * out_frame * LANES);
    (
        head.chunks_exact(in_frame * LANES)
            .zip(out_head.chunks_exact_mut(out_frame * LANES)),
        tail.chunks_exact(in_frame)
            .zip(out_tail.chunks_exact_mut(out_frame)),
    )
}

/// (a + b) / 2 rounded half away from zero, as `f64::round` rounds it, in `i32` arithmetic
/// (which vectorizes, and cannot overflow: the halves are summed, the odd bits apart).
#[inline(always)]
fn half_rounded(a: i32, b: i32) -> i32 {
    let halves = (a >> 1) + (b >> 1);
    let odd = (a & 1) + (b & 1);
    // The sum is 2 * halves + odd; away from zero means up when it is not negative.
    let up = i32::from(halves >= 0 || halves == -1 && odd == 2);
    halves + ((odd + up) >> 1)
}

fn is_float(format: SampleFormat) -> bool {
    format.encoding() == Encoding::Float
}

#[cfg(test)]
mod tests {
    use super::*;
    use SampleFormat::*;

    fn frames_s16(samples: &[i16]) -> Vec<u8> {
        samples.iter().flat_map(|s| s.to_le_bytes()).collect()
    }

    fn run(c: &Conversion, input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        c.convert(input, &mut out);
        out
    }

    #[test]
    fn format_only() {
        let c = Conversion::new(S16_LE, 2, S32_LE, 2);
        let out = run(&c, &frames_s16(&[1, -1, i16::MAX, i16::MIN]));
        let want: Vec<u8> = [1i32 << 16, -1 << 16, 0x7fff_0000, i32::MIN]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(out, want);
        // Back to 16 bits: exactly the input.
        let back = Conversion::new(S32_LE, 2, S16_LE, 2);
        assert_eq!(run(&back, &out), frames_s16(&[1, -1, i16::MAX, i16::MIN]));
        // U8 to S16: 0x80 is zero, 0xff is 127 << 8.
        let c = Conversion::new(U8, 1, S16_LE, 1);
        assert_eq!(
            run(&c, &[0x80, 0xff, 0x00]),
            frames_s16(&[0, 127 << 8, -32768])
        );
        // 24-bit packed to S32: shifted up one byte.
        let c = Conversion::new(S24_3LE, 1, S32_LE, 1);
        assert_eq!(run(&c, &[0x01, 0x02, 0x83]), [0x00, 0x01, 0x02, 0x83]);
        // µ-law to S16 uses the G.711 table.
        let c = Conversion::new(MU_LAW, 1, S16_LE, 1);
        assert_eq!(run(&c, &[0x80, 0xff]), frames_s16(&[32124, 0]));
    }

    #[test]
    fn float_conversions() {
        let c = Conversion::new(FLOAT_LE, 1, S16_LE, 1);
        let input: Vec<u8> = [0.5f32, -1.0, 2.0, f32::NAN]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(run(&c, &input), frames_s16(&[16384, -32768, 32767, 0]));
        // Float64 to float32 keeps what float32 can hold, without going through integers.
        let c = Conversion::new(FLOAT64_LE, 1, FLOAT_LE, 1);
        let tiny = 1e-12f64;
        let out = run(&c, &tiny.to_le_bytes());
        assert_eq!(out, (tiny as f32).to_le_bytes());
        let c = Conversion::new(S16_LE, 1, FLOAT_LE, 1);
        let out = run(&c, &frames_s16(&[-32768, 16384]));
        let want: Vec<u8> = [-1.0f32, 0.5]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(out, want);
    }

    #[test]
    fn channel_layouts() {
        // Mono to stereo: both channels.
        let c = Conversion::new(S16_LE, 1, S16_LE, 2);
        assert_eq!(run(&c, &frames_s16(&[5, -7])), frames_s16(&[5, 5, -7, -7]));
        // Stereo to mono: the average (truncated at the target width, like any narrowing).
        let c = Conversion::new(S16_LE, 2, S16_LE, 1);
        assert_eq!(
            run(&c, &frames_s16(&[100, 300, -32768, -32768, 1, 2])),
            frames_s16(&[200, -32768, 1])
        );
        // Stereo into a 6-channel device: the first two, then silence.
        let c = Conversion::new(S16_LE, 2, S32_LE, 6);
        let out = run(&c, &frames_s16(&[1, 2]));
        let want: Vec<u8> = [1i32 << 16, 2 << 16, 0, 0, 0, 0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(out, want);
        // Mono into 26 channels: the first two carry it.
        let c = Conversion::new(S16_LE, 1, S16_LE, 26);
        let out = run(&c, &frames_s16(&[9]));
        let mut want = vec![0i16; 26];
        want[0] = 9;
        want[1] = 9;
        assert_eq!(out, frames_s16(&want));
        // Six channels into stereo: the first two.
        let c = Conversion::new(S16_LE, 6, S16_LE, 2);
        assert_eq!(
            run(&c, &frames_s16(&[1, 2, 3, 4, 5, 6])),
            frames_s16(&[1, 2])
        );
        // Silence in an unsigned format is its midpoint.
        let c = Conversion::new(S16_LE, 1, U8, 3);
        assert_eq!(run(&c, &frames_s16(&[0])), [0x80, 0x80, 0x80]);
        // A trailing partial frame is ignored.
        let c = Conversion::new(S16_LE, 2, S16_LE, 1);
        assert_eq!(run(&c, &[1, 0, 1, 0, 9]), frames_s16(&[1]));
    }

    /// The fast paths give exactly the bytes of the general one, for every pair of their
    /// formats, the channel layouts they map, and float inputs beyond full scale, NaN and
    /// infinity.
    #[test]
    fn fast_paths_agree_with_the_general_one() {
        let formats = [S16_LE, S24_3LE, S24_LE, S32_LE, FLOAT_LE];
        let layouts = [
            (1, 1),
            (2, 2),
            (1, 2),
            (1, 6),
            (2, 1),
            (6, 1),
            (3, 1),
            (6, 2),
            (2, 6),
        ];
        let specials: Vec<u8> = [
            0.5f32,
            -1.0,
            1.0,
            2.0,
            -3.5,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            -0.0,
            1e-10,
            0.999_999_9,
            -0.333_333_34,
        ]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
        let mut noise = crate::sample::peaks::test_noise(0x9e37_79b9_7f4a_7c15);
        for from in formats {
            for to in formats {
                for (from_channels, to_channels) in layouts {
                    let c = Conversion::new(from, from_channels, to, to_channels);
                    if c.is_identity() {
                        continue;
                    }
                    let frames = 301;
                    // A partial frame at the end: one whole sample and a byte.
                    let len = frames * from_channels as usize * from.bytes() + from.bytes() + 1;
                    let mut input = noise(len);
                    if from == FLOAT_LE {
                        // Mostly within full scale, as real audio, and the specials.
                        for (i, x) in input.chunks_exact_mut(4).enumerate() {
                            let v = f32::from(i16::from_le_bytes([x[0], x[1]])) / 30000.0;
                            x.copy_from_slice(&v.to_le_bytes());
                            if let Some(s) = specials.chunks_exact(4).nth(i % 40) {
                                x.copy_from_slice(s);
                            }
                        }
                    }
                    let mut fast = vec![0xaa; 7];
                    assert!(
                        c.convert_fast(&input, {
                            fast.resize(c.output_len(len), 0);
                            &mut fast
                        }) || is_float(from) && is_float(to),
                        "{c:?} has no fast path"
                    );
                    let mut general = vec![0u8; c.output_len(len)];
                    c.convert_any(&input, &mut general);
                    if !(is_float(from) && is_float(to)) {
                        assert_eq!(fast, general, "{c:?}");
                    }
                    assert_eq!(run(&c, &input), general, "{c:?} through convert");
                }
            }
        }
    }

    #[test]
    fn half_rounded_rounds_half_away_from_zero() {
        let edges = [
            i32::MIN,
            i32::MIN + 1,
            -3,
            -2,
            -1,
            0,
            1,
            2,
            3,
            i32::MAX - 1,
            i32::MAX,
        ];
        for a in edges {
            for b in edges {
                let want = ((f64::from(a) + f64::from(b)) / 2.0).round() as i32;
                assert_eq!(half_rounded(a, b), want, "{a} {b}");
            }
        }
    }

    #[test]
    fn descriptions() {
        assert!(Conversion::new(S16_LE, 2, S16_LE, 2).is_identity());
        let d = Conversion::new(S24_3LE, 1, S32_LE, 2).describe();
        assert!(
            d.contains("S24_3LE to S32_LE") && d.contains("mono to stereo"),
            "{d}"
        );
        let d = Conversion::new(S16_LE, 2, S16_LE, 26).describe();
        assert!(d.contains("first 2 of 26"), "{d}");
    }
}
