//! Converting between sample formats and channel layouts where a device does not take a file's
//! (a `hw:` device often takes one or two formats and a fixed channel count). Integer and
//! G.711 samples go through [`decode_i32`]'s left-justified 32-bit form, which holds every one
//! of them exactly; float to float goes through `f64` so that no precision is lost.

use crate::format::{Encoding, SampleFormat};
use crate::samples::{decode_i32, float_to_i32};

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
        out.clear();
        out.resize(self.output_len(input.len()), 0);
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

fn is_float(format: SampleFormat) -> bool {
    format.encoding() == Encoding::Float
}

/// Decodes a sample as a fraction of full scale (±1.0); exact for every format.
pub fn decode_f64(format: SampleFormat, b: &[u8]) -> f64 {
    use SampleFormat::*;
    match format {
        FLOAT_LE => f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        FLOAT_BE => f64::from(f32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        FLOAT64_LE => f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        FLOAT64_BE => f64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        other => f64::from(decode_i32(other, b)) / 2_147_483_648.0,
    }
}

/// Encodes a fraction of full scale (±1.0, clamped; NaN is silence) into `out`.
pub fn encode_f64(format: SampleFormat, x: f64, out: &mut [u8]) {
    use SampleFormat::*;
    let x = if x.is_nan() { 0.0 } else { x };
    match format {
        FLOAT_LE => out.copy_from_slice(&(x as f32).to_le_bytes()),
        FLOAT_BE => out.copy_from_slice(&(x as f32).to_be_bytes()),
        FLOAT64_LE => out.copy_from_slice(&x.to_le_bytes()),
        FLOAT64_BE => out.copy_from_slice(&x.to_be_bytes()),
        other => encode_i32(other, float_to_i32(x), out),
    }
}

/// Encodes a left-justified 32-bit value (as [`decode_i32`] gives) in `format` into `out`
/// (`format.bytes()` long). Narrower formats keep the top bits (truncation, as alsa-lib's
/// plug plugin does), so a value that came from that format comes back unchanged.
pub fn encode_i32(format: SampleFormat, v: i32, out: &mut [u8]) {
    use SampleFormat::*;
    let u = (v as u32) ^ 0x8000_0000;
    let le = v.to_le_bytes();
    let be = v.to_be_bytes();
    match format {
        S8 => out[0] = be[0],
        U8 => out[0] = be[0] ^ 0x80,
        S16_LE => out.copy_from_slice(&[le[2], le[3]]),
        S16_BE => out.copy_from_slice(&[be[0], be[1]]),
        U16_LE => out.copy_from_slice(&[le[2], le[3] ^ 0x80]),
        U16_BE => out.copy_from_slice(&[be[0] ^ 0x80, be[1]]),
        // 24 bits right-justified in four bytes, sign-extended.
        S24_LE => out.copy_from_slice(&(v >> 8).to_le_bytes()),
        S24_BE => out.copy_from_slice(&(v >> 8).to_be_bytes()),
        U24_LE => out.copy_from_slice(&(u >> 8).to_le_bytes()),
        U24_BE => out.copy_from_slice(&(u >> 8).to_be_bytes()),
        S32_LE => out.copy_from_slice(&le),
        S32_BE => out.copy_from_slice(&be),
        U32_LE => out.copy_from_slice(&u.to_le_bytes()),
        U32_BE => out.copy_from_slice(&u.to_be_bytes()),
        S24_3LE => out.copy_from_slice(&le[1..4]),
        S24_3BE => out.copy_from_slice(&be[0..3]),
        U24_3LE => out.copy_from_slice(&[le[1], le[2], le[3] ^ 0x80]),
        U24_3BE => out.copy_from_slice(&[be[0] ^ 0x80, be[1], be[2]]),
        S20_3LE => out.copy_from_slice(&(v >> 12).to_le_bytes()[0..3]),
        S20_3BE => out.copy_from_slice(&(v >> 12).to_be_bytes()[1..4]),
        FLOAT_LE | FLOAT_BE | FLOAT64_LE | FLOAT64_BE => {
            encode_f64(format, f64::from(v) / 2_147_483_648.0, out)
        }
        A_LAW => out[0] = i16_to_alaw((v >> 16) as i16),
        MU_LAW => out[0] = i16_to_ulaw((v >> 16) as i16),
    }
}

/// 16-bit linear to G.711 A-law (ITU-T reference, the inverse of `samples::alaw_to_i16`).
pub fn i16_to_alaw(pcm: i16) -> u8 {
    const SEG_END: [i32; 8] = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
    let mut value = i32::from(pcm) >> 3;
    let mask: u8 = if value >= 0 {
        0xd5
    } else {
        value = -value - 1;
        0x55
    };
    let segment = SEG_END.iter().position(|&end| value <= end);
    let code = match segment {
        None => 0x7f,
        Some(seg) => {
            let shift = if seg < 2 { 1 } else { seg as i32 };
            ((seg as i32) << 4 | ((value >> shift) & 0x0f)) as u8
        }
    };
    code ^ mask
}

/// 16-bit linear to G.711 µ-law (ITU-T reference, the inverse of `samples::ulaw_to_i16`).
pub fn i16_to_ulaw(pcm: i16) -> u8 {
    const BIAS: i32 = 0x84;
    const CLIP: i32 = 8159;
    const SEG_END: [i32; 8] = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
    let mut value = i32::from(pcm) >> 2;
    let mask: u8 = if value < 0 {
        value = -value;
        0x7f
    } else {
        0xff
    };
    let value = value.min(CLIP) + (BIAS >> 2);
    let code = match SEG_END.iter().position(|&end| value <= end) {
        None => 0x7f,
        Some(seg) => ((seg as i32) << 4 | ((value >> (seg + 1)) & 0x0f)) as u8,
    };
    code ^ mask
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::{alaw_to_i16, ulaw_to_i16};
    use SampleFormat::*;

    fn encode(format: SampleFormat, v: i32) -> Vec<u8> {
        let mut b = vec![0u8; format.bytes()];
        encode_i32(format, v, &mut b);
        b
    }

    #[test]
    fn every_format_round_trips_its_own_values() {
        // A value each format holds exactly survives decode -> encode -> decode, and the bytes
        // of any sample survive decode -> encode unchanged (for integer formats).
        for format in SampleFormat::ALL {
            let width = format.bytes();
            for seed in 0..2000u32 {
                let mut bytes = vec![0u8; width];
                for (i, b) in bytes.iter_mut().enumerate() {
                    *b = (seed.wrapping_mul(2_654_435_761).rotate_left(i as u32 * 7) >> 5) as u8;
                }
                match format.encoding() {
                    Encoding::Signed | Encoding::Unsigned => {
                        // Padding bits of 24-in-4 and 20-in-3 formats are not kept: compare
                        // what they decode to.
                        let v = decode_i32(format, &bytes);
                        let again = encode(format, v);
                        assert_eq!(decode_i32(format, &again), v, "{format} {bytes:?}");
                        if !matches!(
                            format,
                            S24_LE | S24_BE | U24_LE | U24_BE | S20_3LE | S20_3BE
                        ) {
                            assert_eq!(again, bytes, "{format}");
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn extremes_and_silence_in_every_format() {
        for format in SampleFormat::ALL {
            assert!(
                decode_i32(format, &encode(format, 0)).abs() <= 8 << 16,
                "{format}"
            );
            // µ-law's loudest code is 32124 of 32767.
            let top = decode_i32(format, &encode(format, i32::MAX));
            let bottom = decode_i32(format, &encode(format, i32::MIN));
            assert!(top >= 0x7d00_0000, "{format} max {top:#x}");
            assert!(bottom <= -0x7d00_0000, "{format} min {bottom:#x}");
        }
        assert_eq!(encode(S16_LE, i32::MIN), [0x00, 0x80]);
        assert_eq!(encode(U8, 0), [0x80]);
        assert_eq!(encode(S24_LE, -256), [0xff, 0xff, 0xff, 0xff]);
        assert_eq!(encode(S24_3BE, 0x1234_5600), [0x12, 0x34, 0x56]);
        assert_eq!(encode(U16_BE, 0), [0x80, 0x00]);
        assert_eq!(encode(S20_3LE, 0x7fff_f000), [0xff, 0xff, 0x07]);
        assert_eq!(encode(FLOAT_LE, i32::MIN), (-1.0f32).to_le_bytes());
    }

    #[test]
    fn g711_codes_round_trip() {
        for code in 0..=255u8 {
            assert_eq!(i16_to_alaw(alaw_to_i16(code)), code, "A-law {code:#x}");
            // µ-law has two zeros (0x7f and 0xff); zero encodes as 0xff.
            if code != 0x7f {
                assert_eq!(i16_to_ulaw(ulaw_to_i16(code)), code, "µ-law {code:#x}");
            }
        }
        assert_eq!(i16_to_ulaw(i16::MAX), 0x80);
        assert_eq!(i16_to_ulaw(i16::MIN), 0x00);
        assert_eq!(i16_to_alaw(i16::MAX), 0xaa);
        assert_eq!(i16_to_alaw(i16::MIN), 0x2a);
    }

    #[test]
    fn g711_encoding_is_monotonic_and_close() {
        let mut last_a = i32::MIN;
        let mut last_u = i32::MIN;
        for v in (i16::MIN as i32..=i16::MAX as i32).step_by(7) {
            let a = i32::from(alaw_to_i16(i16_to_alaw(v as i16)));
            let u = i32::from(ulaw_to_i16(i16_to_ulaw(v as i16)));
            assert!(a >= last_a && u >= last_u, "not monotonic at {v}");
            // Quantisation error stays within a step (at most 1/16 of the value, plus a bit).
            assert!((a - v).abs() <= v.abs() / 16 + 16, "A-law {v} -> {a}");
            assert!((u - v).abs() <= v.abs() / 16 + 128, "µ-law {v} -> {u}");
            last_a = a;
            last_u = u;
        }
    }

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
