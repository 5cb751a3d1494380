//! Sun/NeXT `.au` (`.snd`) headers: the one format aplay plays that symphonia does not read.
//!
//! The header is six big-endian words (magic `.snd`, data offset, data size, encoding, rate,
//! channels) followed by an optional annotation up to the data offset. Every encoding alsatool
//! plays is one ALSA takes as it is stored (big-endian integers and floats, G.711), so the data
//! that follows the header goes to the device unchanged: bit-perfect with no per-sample work.

use std::io::{self, Read};

use anyhow::{anyhow, bail, Result};

use super::bytes::read_array;
use crate::error_text::io_error_text;
use crate::sample::format::SampleFormat;

/// The four bytes every AU file starts with.
pub const MAGIC: [u8; 4] = *b".snd";

/// The size field's "unknown: until the end of the file" (written by streaming writers).
const SIZE_UNKNOWN: u32 = 0xffff_ffff;

/// The fixed part of the header: six 32-bit words.
pub const FIXED_HEADER_LEN: u32 = 24;

/// The largest data offset accepted (the annotation is free text; real ones are short).
const MAX_DATA_OFFSET: u32 = 1 << 20;

/// The largest channel count accepted from a header.
const MAX_CHANNELS: u32 = 1024;

/// What an AU header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuHeader {
    pub format: SampleFormat,
    pub channels: u32,
    pub rate: u32,
    /// Where the sample data starts, counted from the first byte of the file.
    pub data_offset: u32,
    /// Bytes of sample data; `None` when the header says "unknown" (until the end).
    pub data_len: Option<u64>,
}

/// The ALSA format that plays an AU encoding's bytes unchanged.
fn format_of(encoding: u32) -> Result<SampleFormat> {
    Ok(match encoding {
        1 => SampleFormat::MU_LAW,
        2 => SampleFormat::S8,
        3 => SampleFormat::S16_BE,
        4 => SampleFormat::S24_3BE,
        5 => SampleFormat::S32_BE,
        6 => SampleFormat::FLOAT_BE,
        7 => SampleFormat::FLOAT64_BE,
        27 => SampleFormat::A_LAW,
        23..=26 => bail!(
            "G.72x ADPCM AU files (encoding {encoding}) are not supported; \
             AU files with µ-law, A-law, 8 to 32-bit integer or float samples are"
        ),
        other => bail!(
            "unsupported AU encoding {other}; AU files with µ-law, A-law, 8 to 32-bit integer \
             or float samples are supported"
        ),
    })
}

/// Reads an AU header from `r` after its first four bytes (the magic, already read and checked
/// by the caller), leaving `r` at the first byte of sample data. Reads only forward and at most
/// [`MAX_DATA_OFFSET`] bytes, so it serves standard input and a hostile header alike.
pub fn read_header_after_magic(r: &mut impl Read) -> Result<AuHeader> {
    let words: [u8; 20] = read_array(r, "AU header")?;
    let word = |i: usize| u32::from_be_bytes([words[i], words[i + 1], words[i + 2], words[i + 3]]);
    let (data_offset, size, encoding, rate, channels) =
        (word(0), word(4), word(8), word(12), word(16));
    let format = format_of(encoding)?;
    if !(FIXED_HEADER_LEN..=MAX_DATA_OFFSET).contains(&data_offset) {
        bail!("bad AU header: data offset {data_offset}");
    }
    if rate == 0 {
        bail!("the AU header says 0 Hz");
    }
    if channels == 0 {
        bail!("the AU header says 0 channels");
    }
    if channels > MAX_CHANNELS {
        bail!("the AU header says {channels} channels (at most {MAX_CHANNELS} are supported)");
    }
    // The annotation: skipped, never stored.
    let annotation = u64::from(data_offset - FIXED_HEADER_LEN);
    let skipped = io::copy(&mut r.take(annotation), &mut io::sink())
        .map_err(|e| anyhow!("cannot read the AU header: {}", io_error_text(&e)))?;
    if skipped < annotation {
        bail!("the file ends inside the AU header");
    }
    Ok(AuHeader {
        format,
        channels,
        rate,
        data_offset,
        data_len: (size != SIZE_UNKNOWN).then_some(u64::from(size)),
    })
}

/// Reads an AU header from the very start of `r` (magic included).
pub fn read_header(r: &mut impl Read) -> Result<AuHeader> {
    let magic: [u8; 4] = read_array(r, "AU header")?;
    if magic != MAGIC {
        bail!("not an AU file (no .snd header)");
    }
    read_header_after_magic(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(offset: u32, size: u32, encoding: u32, rate: u32, channels: u32) -> Vec<u8> {
        let mut h = MAGIC.to_vec();
        for w in [offset, size, encoding, rate, channels] {
            h.extend_from_slice(&w.to_be_bytes());
        }
        h.resize(offset.max(24) as usize, 0);
        h
    }

    #[test]
    fn every_encoding_maps_to_the_alsa_format_of_its_bytes() {
        let cases = [
            (1, SampleFormat::MU_LAW),
            (2, SampleFormat::S8),
            (3, SampleFormat::S16_BE),
            (4, SampleFormat::S24_3BE),
            (5, SampleFormat::S32_BE),
            (6, SampleFormat::FLOAT_BE),
            (7, SampleFormat::FLOAT64_BE),
            (27, SampleFormat::A_LAW),
        ];
        for (encoding, format) in cases {
            let bytes = header(32, 100, encoding, 8000, 2);
            let h = read_header(&mut &bytes[..]).unwrap();
            assert_eq!(h.format, format);
            assert_eq!((h.channels, h.rate, h.data_offset), (2, 8000, 32));
            assert_eq!(h.data_len, Some(100));
        }
    }

    #[test]
    fn leaves_the_reader_at_the_data_and_knows_unknown_sizes() {
        let mut bytes = header(28, SIZE_UNKNOWN, 3, 44100, 1);
        bytes[24..28].copy_from_slice(b"hi\0\0");
        bytes.extend_from_slice(&[1, 2, 3, 4]);
        let mut r = &bytes[..];
        let h = read_header(&mut r).unwrap();
        assert_eq!(h.data_len, None);
        assert_eq!(r, &[1, 2, 3, 4]);
    }

    #[test]
    fn bad_headers_are_refused_with_a_reason() {
        let err = |bytes: Vec<u8>| read_header(&mut &bytes[..]).unwrap_err().to_string();
        assert!(err(header(24, 0, 23, 8000, 1)).contains("ADPCM"));
        assert!(err(header(24, 0, 99, 8000, 1)).contains("unsupported AU encoding 99"));
        assert!(err(header(24, 0, 3, 0, 1)).contains("0 Hz"));
        assert!(err(header(24, 0, 3, 8000, 0)).contains("0 channels"));
        assert!(err(header(24, 0, 3, 8000, 5000)).contains("5000 channels"));
        assert!(err(b".snd\0\0".to_vec()).contains("ends inside"));
        assert!(err(b"RIFF0000WAVE".to_vec()).contains("not an AU file"));
        let mut short = header(24, 0, 3, 8000, 1);
        short[4..8].copy_from_slice(&64u32.to_be_bytes());
        assert!(err(short).contains("ends inside"));
        let mut small_offset = header(24, 0, 3, 8000, 1);
        small_offset[4..8].copy_from_slice(&8u32.to_be_bytes());
        assert!(err(small_offset).contains("data offset 8"));
    }
}
