//! Per-sample kernels: reading any [`SampleFormat`] as numbers. Used where bytes cannot pass
//! through unchanged (format conversion) and for the peak meter.

use crate::format::{Encoding, SampleFormat};

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

/// The peak of each channel in `bytes` (whole interleaved frames), as a fraction of full scale,
/// merged into `peaks` (which holds one value per channel).
pub fn accumulate_peaks(format: SampleFormat, bytes: &[u8], peaks: &mut [f32]) {
    let width = format.bytes();
    let channels = peaks.len();
    if channels == 0 || width == 0 {
        return;
    }
    let frame = width * channels;
    let mut max = vec![0u32; channels];
    for frame_bytes in bytes.chunks_exact(frame) {
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

/// Whether the encoding's values are signed integers (what the meter and converters assume).
pub fn is_integer(format: SampleFormat) -> bool {
    matches!(format.encoding(), Encoding::Signed | Encoding::Unsigned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SampleFormat::*;

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
