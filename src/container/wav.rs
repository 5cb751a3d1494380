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
    use std::io::Cursor;

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

    /// A WAV file from a fmt chunk body, extra chunks before data, and data.
    fn wav(fmt: &[u8], before_data: &[(&[u8; 4], &[u8])], data_len: u32, data: &[u8]) -> Vec<u8> {
        let mut body = b"WAVE".to_vec();
        let mut chunk = |id: &[u8; 4], bytes: &[u8], len: u32| {
            body.extend_from_slice(id);
            body.extend_from_slice(&len.to_le_bytes());
            body.extend_from_slice(bytes);
            if bytes.len() % 2 == 1 && id != b"data" {
                body.push(0);
            }
        };
        chunk(b"fmt ", fmt, fmt.len() as u32);
        for (id, bytes) in before_data {
            chunk(id, bytes, bytes.len() as u32);
        }
        chunk(b"data", data, data_len);
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_le_bytes());
        file.extend_from_slice(&body);
        file
    }

    fn fmt(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
        let align = channels * bits.div_ceil(8);
        let mut b = Vec::new();
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&channels.to_le_bytes());
        b.extend_from_slice(&rate.to_le_bytes());
        b.extend_from_slice(&(rate * u32::from(align)).to_le_bytes());
        b.extend_from_slice(&align.to_le_bytes());
        b.extend_from_slice(&bits.to_le_bytes());
        b
    }

    fn extensible(sub_tag: u16, channels: u16, rate: u32, bits: u16, valid: u16) -> Vec<u8> {
        let mut b = fmt(WAVE_FORMAT_EXTENSIBLE, channels, rate, bits);
        b.extend_from_slice(&22u16.to_le_bytes());
        b.extend_from_slice(&valid.to_le_bytes());
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&sub_tag.to_le_bytes());
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(&SUBTYPE_GUID_TAIL);
        b
    }

    fn parse(bytes: &[u8]) -> Result<(WavHeader, Vec<u8>)> {
        let mut cursor = Cursor::new(bytes.to_vec());
        let header = read_header(&mut cursor, false)?;
        let mut rest = Vec::new();
        cursor.read_to_end(&mut rest)?;
        Ok((header, rest))
    }

    #[test]
    fn agrees_with_hound_on_what_hound_reads() {
        let specs = [
            (1, 8000, 8, hound::SampleFormat::Int),
            (2, 44100, 16, hound::SampleFormat::Int),
            (6, 48000, 24, hound::SampleFormat::Int),
            (2, 96000, 32, hound::SampleFormat::Int),
            (2, 48000, 32, hound::SampleFormat::Float),
        ];
        for (channels, rate, bits, kind) in specs {
            let spec = hound::WavSpec {
                channels,
                sample_rate: rate,
                bits_per_sample: bits,
                sample_format: kind,
            };
            let mut bytes = Cursor::new(Vec::new());
            let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
            for i in 0..(channels as i32 * 10) {
                match kind {
                    hound::SampleFormat::Float => writer.write_sample(i as f32 / 100.0).unwrap(),
                    hound::SampleFormat::Int => writer.write_sample(i - 5).unwrap(),
                }
            }
            writer.finalize().unwrap();
            let bytes = bytes.into_inner();
            let hound_reader = hound::WavReader::new(Cursor::new(&bytes)).unwrap();
            let (ours, data) = parse(&bytes).unwrap();
            assert_eq!(ours.spec.channels, u32::from(hound_reader.spec().channels));
            assert_eq!(ours.spec.rate, hound_reader.spec().sample_rate);
            assert_eq!(ours.spec.format.bytes() * 8, usize::from(bits));
            let frames = u64::from(hound_reader.duration());
            assert_eq!(
                ours.data_len,
                Some(frames * ours.spec.bytes_per_frame() as u64)
            );
            assert_eq!(&bytes[bytes.len() - data.len()..], &data[..]);
        }
    }

    #[test]
    fn formats_hound_refuses() {
        let cases = [
            (fmt(WAVE_FORMAT_IEEE_FLOAT, 2, 48000, 64), FLOAT64_LE),
            (fmt(WAVE_FORMAT_ALAW, 1, 8000, 8), A_LAW),
            (fmt(WAVE_FORMAT_MULAW, 1, 8000, 8), MU_LAW),
            (extensible(WAVE_FORMAT_PCM, 2, 48000, 32, 24), S32_LE),
            (extensible(WAVE_FORMAT_PCM, 2, 48000, 24, 20), S24_3LE),
            (
                extensible(WAVE_FORMAT_IEEE_FLOAT, 8, 48000, 64, 64),
                FLOAT64_LE,
            ),
            (extensible(WAVE_FORMAT_MULAW, 1, 8000, 8, 8), MU_LAW),
            // arecord's S24_LE header: 24 bits, 4-byte blocks per channel, right-justified.
            (
                {
                    let mut f = fmt(WAVE_FORMAT_PCM, 2, 48000, 24);
                    f[12] = 8;
                    f
                },
                S24_LE,
            ),
        ];
        for (fmt_body, want) in cases {
            let (header, data) = parse(&wav(&fmt_body, &[], 4, &[1, 2, 3, 4])).unwrap();
            assert_eq!(header.spec.format, want);
            assert_eq!(data, [1, 2, 3, 4]);
        }
    }

    #[test]
    fn extra_fmt_bytes_and_unknown_chunks_with_padding() {
        let mut f = fmt(WAVE_FORMAT_PCM, 2, 44100, 16);
        f.extend_from_slice(&[0, 0, 9]); // cbSize 0 and a stray odd byte: 19-byte chunk
        let bytes = wav(
            &f,
            &[(b"LIST", b"odd"), (b"fact", &[1, 0, 0, 0])],
            4,
            &[7, 8, 9, 10],
        );
        let (header, data) = parse(&bytes).unwrap();
        assert_eq!(header.spec.format, S16_LE);
        assert_eq!(header.spec.channels, 2);
        assert_eq!(data, [7, 8, 9, 10]);
    }

    #[test]
    fn streaming_sizes_mean_until_the_end() {
        let f = fmt(WAVE_FORMAT_PCM, 1, 8000, 16);
        for len in [0x7fff_fffe, 0xffff_ffff] {
            let (header, _) = parse(&wav(&f, &[], len, &[0, 0])).unwrap();
            assert_eq!(header.data_len, None);
        }
    }

    #[test]
    fn bad_headers_fail_with_a_reason() {
        let good = fmt(WAVE_FORMAT_PCM, 2, 44100, 16);
        let bad = |bytes: Vec<u8>, fragment: &str| {
            let err = format!("{:#}", parse(&bytes).unwrap_err());
            assert!(err.contains(fragment), "{err:?} lacks {fragment:?}");
        };
        bad(b"RIFX\0\0\0\0WAVE".to_vec(), "not a WAV");
        bad(b"RIFF\0\0\0\0AVI ".to_vec(), "not WAVE");
        bad(b"RIFF\0\0".to_vec(), "ends inside");
        bad(
            wav(&good, &[], 0, &[])[..30].to_vec(),
            "ends inside the fmt",
        );
        bad(fmt(1, 2, 3, 4), "not a WAV");
        bad(
            wav(&fmt(WAVE_FORMAT_PCM, 0, 44100, 16), &[], 0, &[]),
            "0 channels",
        );
        bad(wav(&fmt(WAVE_FORMAT_PCM, 2, 0, 16), &[], 0, &[]), "0 Hz");
        bad(
            wav(&fmt(WAVE_FORMAT_PCM, 2, 8000, 12), &[], 0, &[]),
            "12-bit",
        );
        bad(wav(&fmt(2, 2, 8000, 4), &[], 0, &[]), "ADPCM");
        bad(
            wav(&fmt(WAVE_FORMAT_PCM, 2000, 8000, 16), &[], 0, &[]),
            "2000 channels",
        );
        let mut wrong_align = good.clone();
        wrong_align[12] = 3;
        bad(wav(&wrong_align, &[], 0, &[]), "block align");
        // A data chunk before any fmt, and a file with no data chunk.
        let mut no_fmt = b"RIFF\0\0\0\0WAVEdata\x04\0\0\0abcd".to_vec();
        bad(no_fmt.clone(), "before the fmt");
        no_fmt.truncate(12);
        bad(no_fmt, "no fmt chunk");
        let mut no_data = wav(&good, &[], 0, &[]);
        no_data.truncate(no_data.len() - 8);
        bad(no_data, "no data chunk");
        // An unknown chunk that claims 4 GiB: skipped to the end, no allocation.
        let mut huge = wav(&good, &[], 0, &[]);
        huge.truncate(huge.len() - 8);
        huge.extend_from_slice(b"junk\xff\xff\xff\xff");
        bad(huge, "no data chunk");
        let mut huge_fmt = b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\x7f".to_vec();
        huge_fmt.extend_from_slice(&[0; 64]);
        bad(huge_fmt, "fmt chunk size");
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for round in 0..3000 {
            let len = round % 120;
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            if round % 2 == 0 && len >= 16 {
                bytes[..4].copy_from_slice(b"RIFF");
                bytes[8..12].copy_from_slice(b"WAVE");
                if len >= 20 && round % 4 == 0 {
                    bytes[12..16].copy_from_slice(b"fmt ");
                }
            }
            let _ = parse(&bytes);
        }
    }
}
