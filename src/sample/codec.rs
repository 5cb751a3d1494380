//! One sample of any [`SampleFormat`] as a number and back: integers left-justified in 32 bits,
//! floats as fractions of full scale, and both directions of G.711 (A-law and µ-law). The
//! conversion loops and the peak meter are built on these where bytes cannot pass unchanged.

use crate::sample::format::{Encoding, SampleFormat};

/// Decodes one sample to a signed value left-justified in 32 bits (full scale is i32's range),
/// so that formats of every width compare directly. Floats are scaled and clamped.
#[inline]
pub fn decode_i32(format: SampleFormat, b: &[u8]) -> i32 {
    use SampleFormat::*;
    match format {
        S8 => i32::from(b[0] as i8) << 24,
        U8 => (i32::from(b[0]) - 0x80) << 24,
        S16_LE => i32::from(i16::from_le_bytes([b[0], b[1]])) << 16,
        S16_BE => i32::from(i16::from_be_bytes([b[0], b[1]])) << 16,
        U16_LE => (i32::from(u16::from_le_bytes([b[0], b[1]])) - 0x8000) << 16,
        U16_BE => (i32::from(u16::from_be_bytes([b[0], b[1]])) - 0x8000) << 16,
        S24_LE => i32::from_le_bytes([0, b[0], b[1], b[2]]),
        S24_BE => i32::from_le_bytes([0, b[3], b[2], b[1]]),
        U24_LE => i32::from_le_bytes([0, b[0], b[1], b[2] ^ 0x80]),
        U24_BE => i32::from_le_bytes([0, b[3], b[2], b[1] ^ 0x80]),
        S32_LE => i32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        S32_BE => i32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        U32_LE => (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) ^ 0x8000_0000) as i32,
        U32_BE => (u32::from_be_bytes([b[0], b[1], b[2], b[3]]) ^ 0x8000_0000) as i32,
        S24_3LE => i32::from_le_bytes([0, b[0], b[1], b[2]]),
        S24_3BE => i32::from_le_bytes([0, b[2], b[1], b[0]]),
        U24_3LE => i32::from_le_bytes([0, b[0], b[1], b[2] ^ 0x80]),
        U24_3BE => i32::from_le_bytes([0, b[2], b[1], b[0] ^ 0x80]),
        // 20 significant bits in the low bits of three bytes.
        S20_3LE => (i32::from_le_bytes([0, b[0], b[1], b[2]]) << 4) & !0xfff,
        S20_3BE => (i32::from_le_bytes([0, b[2], b[1], b[0]]) << 4) & !0xfff,
        FLOAT_LE => float_to_i32(f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
        FLOAT_BE => float_to_i32(f64::from(f32::from_be_bytes([b[0], b[1], b[2], b[3]]))),
        FLOAT64_LE => float_to_i32(f64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ])),
        FLOAT64_BE => float_to_i32(f64::from_be_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ])),
        A_LAW => i32::from(alaw_to_i16(b[0])) << 16,
        MU_LAW => i32::from(ulaw_to_i16(b[0])) << 16,
    }
}

/// Scales a float sample (full scale ±1.0) to i32, clamping; NaN is silence.
#[inline]
pub fn float_to_i32(x: f64) -> i32 {
    if x.is_nan() {
        return 0;
    }
    (x * 2_147_483_648.0).clamp(i32::MIN as f64, i32::MAX as f64) as i32
}

/// G.711 A-law to 16-bit linear (ITU-T reference).
pub fn alaw_to_i16(a: u8) -> i16 {
    let a = a ^ 0x55;
    let exponent = (a & 0x70) >> 4;
    let mantissa = i16::from(a & 0x0f);
    let mut t = (mantissa << 4) + 8;
    if exponent != 0 {
        t = (t + 0x100) << (exponent - 1);
    }
    if a & 0x80 != 0 {
        t
    } else {
        -t
    }
}

/// G.711 µ-law to 16-bit linear (ITU-T reference).
pub fn ulaw_to_i16(u: u8) -> i16 {
    let u = !u;
    let exponent = (u & 0x70) >> 4;
    let mantissa = i32::from(u & 0x0f);
    let t = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    let t = t as i16;
    if u & 0x80 != 0 {
        -t
    } else {
        t
    }
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

/// Encodes a sample (full scale ±1.0) rounded to the nearest step of `format` rather than
/// truncated: resampled values fall between steps, and truncation would add a bias.
pub fn encode_rounded(format: SampleFormat, x: f64, out: &mut [u8]) {
    match format.encoding() {
        Encoding::Float => encode_f64(format, x, out),
        _ => {
            let bits = match format.encoding() {
                Encoding::ALaw | Encoding::MuLaw => 16,
                _ => format.significant_bits().clamp(1, 32),
            };
            let scale = 2f64.powi(bits as i32 - 1);
            let top = scale - 1.0;
            let x = if x.is_nan() { 0.0 } else { x };
            let step = (x * scale).round().clamp(-scale, top) as i64;
            encode_i32(format, (step << (32 - bits)) as i32, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SampleFormat::*;

    fn encode(format: SampleFormat, v: i32) -> Vec<u8> {
        let mut b = vec![0u8; format.bytes()];
        encode_i32(format, v, &mut b);
        b
    }

    #[test]
    fn full_scale_and_silence_agree_across_formats() {
        for f in SampleFormat::ALL {
            // A-law has no zero code: its silence is the smallest step, ±8 in 16 bits.
            let tolerance = if f == A_LAW { 8 << 16 } else { 0 };
            assert!(decode_i32(f, f.silence()).abs() <= tolerance, "{f} silence");
        }
        assert_eq!(decode_i32(S16_LE, &[0xff, 0x7f]), 0x7fff_0000);
        assert_eq!(decode_i32(S16_BE, &[0x80, 0x00]), i32::MIN);
        assert_eq!(decode_i32(U8, &[0xff]), 0x7f00_0000);
        assert_eq!(decode_i32(S24_3LE, &[0xff, 0xff, 0x7f]), 0x7fff_ff00);
        assert_eq!(decode_i32(S24_LE, &[0x00, 0x00, 0x80, 0x00]), i32::MIN);
        assert_eq!(decode_i32(S20_3LE, &[0xff, 0xff, 0x07]), 0x7fff_f000);
        assert_eq!(decode_i32(FLOAT_LE, &1.0f32.to_le_bytes()), i32::MAX);
        assert_eq!(decode_i32(FLOAT_LE, &(-1.0f32).to_le_bytes()), i32::MIN);
        assert_eq!(decode_i32(FLOAT64_LE, &0.5f64.to_le_bytes()), 0x4000_0000);
        assert_eq!(decode_i32(FLOAT_LE, &f32::NAN.to_le_bytes()), 0);
    }

    #[test]
    fn g711_reference_values() {
        // Values from the ITU-T G.711 tables (as sox and alsa-lib decode them).
        assert_eq!(ulaw_to_i16(0xff), 0);
        assert_eq!(ulaw_to_i16(0x80), 32124);
        assert_eq!(ulaw_to_i16(0x00), -32124);
        assert_eq!(alaw_to_i16(0xd5), 8);
        assert_eq!(alaw_to_i16(0xaa), 32256);
        assert_eq!(alaw_to_i16(0x2a), -32256);
    }

    /// The vectorized loops agree with decoding each sample, for every channel count, length
    /// (blocks and remainders) and the extremes.
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

    #[test]
    fn rounded_encoding_hits_the_nearest_step() {
        let mut out = [0u8; 2];
        encode_rounded(SampleFormat::S16_LE, 0.5, &mut out);
        assert_eq!(i16::from_le_bytes(out), 16384);
        encode_rounded(SampleFormat::S16_LE, 1.0, &mut out);
        assert_eq!(i16::from_le_bytes(out), i16::MAX);
        encode_rounded(SampleFormat::S16_LE, -1.0, &mut out);
        assert_eq!(i16::from_le_bytes(out), i16::MIN);
        // Just under a step rounds up rather than truncating to the one below.
        encode_rounded(SampleFormat::S16_LE, 100.0 / 32768.0 - 1e-9, &mut out);
        assert_eq!(i16::from_le_bytes(out), 100);
        let mut wide = [0u8; 4];
        encode_rounded(SampleFormat::S32_LE, -0.25, &mut wide);
        assert_eq!(i32::from_le_bytes(wide), -(1 << 29));
        let mut u8_out = [0u8; 1];
        encode_rounded(SampleFormat::U8, 0.0, &mut u8_out);
        assert_eq!(u8_out[0], 0x80);
        let mut s24 = [0u8; 3];
        encode_rounded(SampleFormat::S24_3LE, 0.5, &mut s24);
        assert_eq!(decode_i32(SampleFormat::S24_3LE, &s24), 1 << 30);
    }
}
