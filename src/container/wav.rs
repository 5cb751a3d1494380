//! WAV, parsed and built in one place: the `fmt ` chunk's description of each sample format,
//! reading a header for playback, and writing the header of a recording.
//!
//! The header is parsed here rather than by hound: hound refuses 64-bit float, A-law and
//! µ-law (which ALSA plays natively), ignores RIFF's pad byte after odd-sized chunks, and has no
//! notion of "the header claims more than the file holds". One parser that reads only forward
//! also serves non-seekable standard input. Headers are built by hand too, because a recording
//! needs what hound cannot do: an open-ended header on standard output, a byte count past 4 GiB,
//! and rewriting the header of a live file in place.

use std::io::{self, Read};

use anyhow::{anyhow, bail, Result};

use super::bytes::{read_array, skip_exactly, u16_at, u32_at};
use crate::error_text::io_error_text;
use crate::sample::format::SampleFormat::{self, *};
use crate::spec::PcmSpec;

/// What a WAV `fmt ` chunk says about a sample format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WavDescription {
    /// `wFormatTag`: 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law.
    pub format_tag: u16,
    /// `wBitsPerSample`: the container width in bits.
    pub bits_per_sample: u16,
    /// Significant bits (the `wValidBitsPerSample` of WAVE_FORMAT_EXTENSIBLE).
    pub valid_bits: u16,
}

pub const WAVE_FORMAT_PCM: u16 = 1;
pub const WAVE_FORMAT_IEEE_FLOAT: u16 = 3;
pub const WAVE_FORMAT_ALAW: u16 = 6;
pub const WAVE_FORMAT_MULAW: u16 = 7;
pub const WAVE_FORMAT_EXTENSIBLE: u16 = 0xfffe;

/// How a WAV file stores this format, or `None` where WAV cannot hold its bytes unchanged:
/// big-endian, unsigned wider than 8 bits, S8 (WAV's 8-bit is unsigned), and S24_LE and
/// S20_3LE (WAV left-justifies fewer valid bits in their container, ALSA right-justifies).
pub fn description(format: SampleFormat) -> Option<WavDescription> {
    let pcm = |bits, valid| WavDescription {
        format_tag: WAVE_FORMAT_PCM,
        bits_per_sample: bits,
        valid_bits: valid,
    };
    Some(match format {
        U8 => pcm(8, 8),
        S16_LE => pcm(16, 16),
        S24_3LE => pcm(24, 24),
        S32_LE => pcm(32, 32),
        FLOAT_LE => WavDescription {
            format_tag: WAVE_FORMAT_IEEE_FLOAT,
            bits_per_sample: 32,
            valid_bits: 32,
        },
        FLOAT64_LE => WavDescription {
            format_tag: WAVE_FORMAT_IEEE_FLOAT,
            bits_per_sample: 64,
            valid_bits: 64,
        },
        A_LAW => WavDescription {
            format_tag: WAVE_FORMAT_ALAW,
            bits_per_sample: 8,
            valid_bits: 8,
        },
        MU_LAW => WavDescription {
            format_tag: WAVE_FORMAT_MULAW,
            bits_per_sample: 8,
            valid_bits: 8,
        },
        _ => return None,
    })
}

/// The format whose bytes a WAV `fmt ` chunk with this tag and container width holds.
/// (An extensible header's `wValidBitsPerSample` does not change the bytes: WAV
/// left-justifies the valid bits.)
pub fn format_of(format_tag: u16, bits_per_sample: u16) -> Option<SampleFormat> {
    match (format_tag, bits_per_sample) {
        (WAVE_FORMAT_PCM, 8) => Some(U8),
        (WAVE_FORMAT_PCM, 16) => Some(S16_LE),
        // WAV left-justifies fewer valid bits (20 in 24) in the container, so the bytes
        // are those of S24_3LE with the low bits zero, whatever `valid_bits` says.
        (WAVE_FORMAT_PCM, 24) => Some(S24_3LE),
        // A 24-bit sample in a 32-bit container is left-justified in WAV, so the bytes
        // are those of S32_LE with the low byte zero: S32_LE plays them bit for bit.
        (WAVE_FORMAT_PCM, 32) => Some(S32_LE),
        (WAVE_FORMAT_IEEE_FLOAT, 32) => Some(FLOAT_LE),
        (WAVE_FORMAT_IEEE_FLOAT, 64) => Some(FLOAT64_LE),
        (WAVE_FORMAT_ALAW, 8) => Some(A_LAW),
        (WAVE_FORMAT_MULAW, 8) => Some(MU_LAW),
        _ => None,
    }
}

// ---- reading

/// What a WAV header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WavHeader {
    pub spec: PcmSpec,
    /// Bytes in the data chunk; `None` when the header says "until the end" (a stream).
    pub data_len: Option<u64>,
}

/// The largest `fmt ` chunk accepted; real ones are 16 to 40 bytes (a little more with extras).
const MAX_FMT_CHUNK: u32 = 4096;
/// The largest channel count accepted from a header.
const MAX_CHANNELS: u16 = 1024;

/// The tail shared by the KSDATAFORMAT_SUBTYPE GUIDs: xxxxxxxx-0000-0010-8000-00aa00389b71.
pub const SUBTYPE_GUID_TAIL: [u8; 12] = [
    0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];

/// Reads a WAV header from `r` (after the 4 bytes "RIFF" when `riff_read`), leaving `r` at the
/// first byte of the data chunk. Reads only forward, in bounded pieces: a hostile header cannot
/// make it allocate or loop without end.
pub fn read_header(r: &mut impl Read, riff_read: bool) -> Result<WavHeader> {
    if !riff_read {
        let riff: [u8; 4] = read_array(r, "RIFF header")?;
        if &riff != b"RIFF" {
            bail!("not a WAV file (no RIFF header)");
        }
    }
    let head: [u8; 8] = read_array(r, "RIFF header")?;
    if &head[4..8] != b"WAVE" {
        bail!("not a WAV file (RIFF, but not WAVE)");
    }
    let mut spec = None;
    loop {
        let chunk: [u8; 8] = match read_array(r, "chunk header") {
            Ok(c) => c,
            Err(_) if spec.is_none() => bail!("no fmt chunk before the end of the file"),
            Err(_) => bail!("no data chunk before the end of the file"),
        };
        let id = &chunk[0..4];
        let len = u32_at(&chunk, 4);
        match id {
            b"fmt " => {
                if !(16..=MAX_FMT_CHUNK).contains(&len) {
                    bail!("bad fmt chunk size {len}");
                }
                let mut body = vec![0u8; len as usize];
                let mut filled = 0;
                while filled < body.len() {
                    match r.read(&mut body[filled..]) {
                        Ok(0) => bail!("the file ends inside the fmt chunk"),
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => bail!("cannot read the fmt chunk: {}", io_error_text(&e)),
                    }
                }
                if len % 2 == 1 {
                    skip_exactly(r, 1)?;
                }
                spec = Some(parse_fmt(&body)?);
            }
            b"data" => {
                let Some(spec) = spec else {
                    bail!("the data chunk comes before the fmt chunk");
                };
                // aplay's rule: sizes this large are what streaming writers put there.
                let data_len = if len >= 0x7fff_fffe {
                    None
                } else {
                    Some(u64::from(len))
                };
                return Ok(WavHeader { spec, data_len });
            }
            _ => {
                let padded = u64::from(len) + u64::from(len % 2);
                skip_exactly(r, padded)?;
            }
        }
    }
}

/// Decodes a `fmt ` chunk body.
fn parse_fmt(b: &[u8]) -> Result<PcmSpec> {
    let mut tag = u16_at(b, 0);
    let channels = u16_at(b, 2);
    let rate = u32_at(b, 4);
    let block_align = u16_at(b, 12);
    let bits = u16_at(b, 14);
    let extensible = tag == WAVE_FORMAT_EXTENSIBLE;
    if extensible {
        if b.len() < 40 || u16_at(b, 16) < 22 {
            bail!("WAVE_FORMAT_EXTENSIBLE header is too short");
        }
        if b[26..28] != [0, 0] || b[28..40] != SUBTYPE_GUID_TAIL {
            bail!("unsupported WAVE_FORMAT_EXTENSIBLE sub-format");
        }
        tag = u16_at(b, 24);
    }
    if channels == 0 {
        bail!("the header says 0 channels");
    }
    if channels > MAX_CHANNELS {
        bail!("the header says {channels} channels (at most {MAX_CHANNELS} are supported)");
    }
    if rate == 0 {
        bail!("the header says 0 Hz");
    }
    // WAVE_FORMAT_EXTENSIBLE left-justifies samples in their container (24 valid bits in 32
    // have the low byte zero), so the container alone says which ALSA format plays the bytes
    // unchanged. A plain header saying 24 bits in 4-byte blocks is what arecord writes for
    // S24_LE (and hound for 24-in-4): right-justified, as aplay and hound read it.
    let container_bytes = usize::from(block_align) / usize::from(channels);
    let plain_24_in_4 = !extensible && tag == WAVE_FORMAT_PCM && bits == 24 && container_bytes == 4;
    let format = if plain_24_in_4 {
        Some(S24_LE)
    } else {
        format_of(tag, bits)
    };
    let format = format.ok_or_else(|| {
        let kind = match tag {
            WAVE_FORMAT_PCM => "integer PCM".to_string(),
            WAVE_FORMAT_IEEE_FLOAT => "float".to_string(),
            WAVE_FORMAT_ALAW => "A-law".to_string(),
            WAVE_FORMAT_MULAW => "µ-law".to_string(),
            2 => return anyhow!("ADPCM WAV files are not supported (format tag 2)"),
            0x55 => return anyhow!("MP3 in WAV is not supported (format tag 0x55)"),
            other => return anyhow!("unsupported WAV format tag {other:#06x}"),
        };
        anyhow!("unsupported WAV sample format: {bits}-bit {kind}")
    })?;
    let frame = format.bytes() * usize::from(channels);
    if usize::from(block_align) != frame {
        bail!(
            "inconsistent header: block align {block_align} for {channels} channels of {bits}-bit samples"
        );
    }
    Ok(PcmSpec {
        format,
        channels: u32::from(channels),
        rate,
    })
}

// ---- building

/// How WAV holds `format`'s bytes unchanged; where it cannot, the error says what to do instead.
pub fn check_format(format: SampleFormat) -> Result<WavDescription> {
    description(format).ok_or_else(|| {
        anyhow!(
            "WAV cannot hold {format} samples unchanged; record a raw file with -t raw, or choose a WAV format such as S16_LE, S24_3LE, S32_LE or FLOAT_LE"
        )
    })
}

/// Data sizes in an open-ended header (standard output): what arecord writes, 0x80000000.
/// Players read such a file until its end.
pub const OPEN_ENDED_DATA_LEN: u32 = 0x8000_0000;

/// The WAV header for `layout` with a data chunk of `data_len` bytes. The RIFF size saturates at
/// `u32::MAX` (never reached: files roll over first).
///
/// The plain 16-byte `fmt ` chunk (what arecord writes and every reader takes) is used unless it
/// would lose information: WAVE_FORMAT_EXTENSIBLE for more than two channels (the WAV spec asks
/// for it there; the channel mask is 0, "positions unknown", because a capture device does not
/// say) and when the significant bits differ from the container.
pub fn header(layout: &PcmSpec, data_len: u64) -> Result<Vec<u8>> {
    let description = check_format(layout.format)?;
    let extensible = layout.channels > 2 || description.valid_bits != description.bits_per_sample;
    let block_align = layout.bytes_per_frame();
    let block_align_u16 = u16::try_from(block_align)
        .map_err(|_| anyhow!("{} channels are too many for a WAV file", layout.channels))?;
    let channels = u16::try_from(layout.channels)
        .map_err(|_| anyhow!("{} channels are too many for a WAV file", layout.channels))?;
    let byte_rate = u32::try_from(block_align as u64 * u64::from(layout.rate))
        .map_err(|_| anyhow!("the byte rate is too high for a WAV file"))?;
    let fmt_len: u32 = if extensible { 40 } else { 16 };
    let header_len = 12 + 8 + fmt_len + 8;
    let data_field = u32::try_from(data_len).unwrap_or(u32::MAX);
    let riff_len = u32::try_from(data_len + u64::from(header_len) - 8).unwrap_or(u32::MAX);

    let mut h = Vec::with_capacity(header_len as usize);
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&riff_len.to_le_bytes());
    h.extend_from_slice(b"WAVE");
    h.extend_from_slice(b"fmt ");
    h.extend_from_slice(&fmt_len.to_le_bytes());
    let tag = if extensible {
        WAVE_FORMAT_EXTENSIBLE
    } else {
        description.format_tag
    };
    h.extend_from_slice(&tag.to_le_bytes());
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&layout.rate.to_le_bytes());
    h.extend_from_slice(&byte_rate.to_le_bytes());
    h.extend_from_slice(&block_align_u16.to_le_bytes());
    h.extend_from_slice(&description.bits_per_sample.to_le_bytes());
    if extensible {
        h.extend_from_slice(&22u16.to_le_bytes()); // cbSize
        h.extend_from_slice(&description.valid_bits.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes()); // dwChannelMask: positions unknown
                                                  // SubFormat GUID: the format tag followed by the fixed KSDATAFORMAT tail.
        h.extend_from_slice(&u32::from(description.format_tag).to_le_bytes());
        h.extend_from_slice(&SUBTYPE_GUID_TAIL);
    }
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data_field.to_le_bytes());
    debug_assert_eq!(h.len(), header_len as usize);
    debug_assert!(description.format_tag != 0 && WAVE_FORMAT_PCM == 1);
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_descriptions_round_trip() {
        for f in SampleFormat::ALL {
            if let Some(d) = description(f) {
                let back = format_of(d.format_tag, d.bits_per_sample);
                assert_eq!(back, Some(f), "{f}");
            }
        }
        assert_eq!(description(S16_BE), None);
        assert_eq!(description(S24_LE), None);
        assert_eq!(description(S20_3LE), None);
        assert_eq!(format_of(WAVE_FORMAT_PCM, 24), Some(S24_3LE));
        assert_eq!(format_of(WAVE_FORMAT_PCM, 12), None);
    }
}
