//! Turning symphonia's planar buffers into interleaved little-endian frames in the format that
//! holds the decoder's samples exactly: the kernels behind every decoded byte played.

use symphonia::core::audio::sample::{i24, u24, Sample};
use symphonia::core::audio::{Audio, AudioBuffer, GenericAudioBufferRef};

use crate::sample::format::SampleFormat;

/// The sample type of the buffers a decoder produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BufferKind {
    U8,
    U16,
    U24,
    U32,
    S8,
    S16,
    S24,
    S32,
    F32,
    F64,
}

impl BufferKind {
    pub(super) fn of(buf: &GenericAudioBufferRef<'_>) -> BufferKind {
        match buf {
            GenericAudioBufferRef::U8(_) => BufferKind::U8,
            GenericAudioBufferRef::U16(_) => BufferKind::U16,
            GenericAudioBufferRef::U24(_) => BufferKind::U24,
            GenericAudioBufferRef::U32(_) => BufferKind::U32,
            GenericAudioBufferRef::S8(_) => BufferKind::S8,
            GenericAudioBufferRef::S16(_) => BufferKind::S16,
            GenericAudioBufferRef::S24(_) => BufferKind::S24,
            GenericAudioBufferRef::S32(_) => BufferKind::S32,
            GenericAudioBufferRef::F32(_) => BufferKind::F32,
            GenericAudioBufferRef::F64(_) => BufferKind::F64,
        }
    }

    /// The ALSA format that holds this buffer type's samples exactly and in the fewest bytes.
    /// `bits` is the decoder's significant bits per sample: FLAC and ALAC decode every depth
    /// into left-justified 32-bit integers, whose low bytes are then zero and are left out.
    pub(super) fn output_format(self, bits: Option<u32>) -> SampleFormat {
        match self {
            BufferKind::U8 => SampleFormat::U8,
            BufferKind::U16 => SampleFormat::U16_LE,
            BufferKind::U24 => SampleFormat::U24_3LE,
            BufferKind::U32 => SampleFormat::U32_LE,
            BufferKind::S8 => SampleFormat::S8,
            BufferKind::S16 => SampleFormat::S16_LE,
            BufferKind::S24 => SampleFormat::S24_3LE,
            BufferKind::S32 => match bits {
                Some(1..=8) => SampleFormat::S8,
                Some(9..=16) => SampleFormat::S16_LE,
                Some(17..=24) => SampleFormat::S24_3LE,
                _ => SampleFormat::S32_LE,
            },
            BufferKind::F32 => SampleFormat::FLOAT_LE,
            BufferKind::F64 => SampleFormat::FLOAT64_LE,
        }
    }
}

/// Appends `take` frames of `buf` from frame `skip` on to `out`, interleaved, as `format` (one the
/// buffer's [`BufferKind::output_format`] chose, so every sample fits exactly).
pub(super) fn append_interleaved(
    buf: &GenericAudioBufferRef<'_>,
    format: SampleFormat,
    skip: usize,
    take: usize,
    out: &mut Vec<u8>,
) {
    use SampleFormat as F;
    match (buf, format) {
        (GenericAudioBufferRef::U8(b), _) => interleave(b, skip, take, out, |s: u8| [s]),
        (GenericAudioBufferRef::S8(b), _) => {
            interleave(b, skip, take, out, |s: i8| s.to_le_bytes())
        }
        (GenericAudioBufferRef::U16(b), _) => {
            interleave(b, skip, take, out, |s: u16| s.to_le_bytes())
        }
        (GenericAudioBufferRef::S16(b), _) => {
            interleave(b, skip, take, out, |s: i16| s.to_le_bytes())
        }
        (GenericAudioBufferRef::U24(b), _) => interleave(b, skip, take, out, |s: u24| {
            let [b0, b1, b2, _] = s.inner().to_le_bytes();
            [b0, b1, b2]
        }),
        (GenericAudioBufferRef::S24(b), _) => interleave(b, skip, take, out, |s: i24| {
            let [b0, b1, b2, _] = s.inner().to_le_bytes();
            [b0, b1, b2]
        }),
        (GenericAudioBufferRef::U32(b), _) => {
            interleave(b, skip, take, out, |s: u32| s.to_le_bytes())
        }
        // Left-justified: the significant bytes are the high ones.
        (GenericAudioBufferRef::S32(b), F::S8) => {
            interleave(b, skip, take, out, |s: i32| [s.to_le_bytes()[3]])
        }
        (GenericAudioBufferRef::S32(b), F::S16_LE) => interleave(b, skip, take, out, |s: i32| {
            let [_, _, b2, b3] = s.to_le_bytes();
            [b2, b3]
        }),
        (GenericAudioBufferRef::S32(b), F::S24_3LE) => interleave(b, skip, take, out, |s: i32| {
            let [_, b1, b2, b3] = s.to_le_bytes();
            [b1, b2, b3]
        }),
        (GenericAudioBufferRef::S32(b), _) => {
            interleave(b, skip, take, out, |s: i32| s.to_le_bytes())
        }
        (GenericAudioBufferRef::F32(b), _) => {
            interleave(b, skip, take, out, |s: f32| s.to_le_bytes())
        }
        (GenericAudioBufferRef::F64(b), _) => {
            interleave(b, skip, take, out, |s: f64| s.to_le_bytes())
        }
    }
}

/// Interleaves `take` frames of the planes of `buf` from frame `skip` on, each sample as
/// `encode` writes it.
pub(super) fn interleave<S: Sample, const N: usize>(
    buf: &AudioBuffer<S>,
    skip: usize,
    take: usize,
    out: &mut Vec<u8>,
    encode: impl Fn(S) -> [u8; N],
) {
    let skip = skip.min(buf.frames());
    let frames = take.min(buf.frames() - skip);
    let planes: Vec<&[S]> = (0..buf.num_planes())
        .filter_map(|i| buf.plane(i))
        .map(|p| &p[skip..skip + frames])
        .collect();
    let channels = planes.len();
    let start = out.len();
    out.resize(start + frames * channels * N, 0);
    let dst = &mut out[start..];
    match planes.as_slice() {
        // The common cases without an inner loop.
        [mono] => {
            for (d, &s) in dst.chunks_exact_mut(N).zip(mono.iter()) {
                d.copy_from_slice(&encode(s));
            }
        }
        [left, right] => {
            for ((d, &l), &r) in dst
                .chunks_exact_mut(2 * N)
                .zip(left.iter())
                .zip(right.iter())
            {
                d[..N].copy_from_slice(&encode(l));
                d[N..].copy_from_slice(&encode(r));
            }
        }
        _ => {
            for (f, d) in dst.chunks_exact_mut(channels * N).enumerate() {
                for (c, plane) in planes.iter().enumerate() {
                    d[c * N..(c + 1) * N].copy_from_slice(&encode(plane[f]));
                }
            }
        }
    }
}
