//! FLAC recordings, encoded on the fly: the [`FlacEncoder`] turns captured PCM into FLAC frames
//! one block at a time, and keeps what the file's STREAMINFO must say.
//!
//! Crash safety comes from the format: every FLAC frame decodes on its own, so the writer
//! (`output::writer`) appends each frame as soon as it is encoded. While frames are being
//! appended, the STREAMINFO says "total samples 0" and "MD5 0", FLAC's "unknown", which is true
//! whatever a crash leaves; at a checkpoint and at the end it is rewritten with the exact sample
//! count and the MD5 of the audio on disk. The writer goes back to "unknown" before it appends
//! the next frame, so the file never claims what it does not hold (a stale count or MD5 would
//! make `flac -t` fail a file that decodes). Blocks are at most 0.1 s long (4096 frames at
//! 48 kHz, 85 ms), and that is what a SIGKILL can lose.
//!
//! The encoder is flacenc (pure Rust, frame by frame, single-threaded here). It refuses rates
//! above 96 kHz in its own STREAMINFO, though the frames it codes do not depend on the rate:
//! above 96 kHz it codes for 96 kHz and each frame header gets the right rate code (and
//! checksums) afterwards, see [`patch_rate`]. This file writes STREAMINFO itself.

use anyhow::{anyhow, bail, Result};
use flacenc::bitsink::ByteSink;
use flacenc::component::{BitRepr, StreamInfo};
use flacenc::error::{Verified, Verify};
use flacenc::source::{Fill, FrameBuf};
use md5::{Digest, Md5};

use crate::sample::codec::decode_i32;
use crate::sample::format::{Encoding, SampleFormat};
use crate::spec::PcmSpec;

/// Bytes before the first frame: `fLaC`, one metadata block header, STREAMINFO's 34 bytes.
pub const HEADER_LEN: u64 = 42;

/// The highest rate a FLAC frame header can name (in tens of Hz, 16 bits), which is what the
/// issue and most decoders take as FLAC's limit.
pub const MAX_RATE: u32 = 655_350;

/// FLAC allows 1 to 8 channels.
pub const MAX_CHANNELS: u32 = 8;

/// Samples per channel in one frame: the most that stays within 0.1 s at the rate, at most
/// 4096 (libFLAC's default, where compression stops improving), and at least flacenc's 32.
pub fn block_size(rate: u32) -> usize {
    ((rate / 10) as usize).clamp(32, 4096)
}

/// Bits per sample FLAC records `format` in, or why it cannot (one line with a way out).
pub fn bits_for(format: SampleFormat) -> Result<u32> {
    let integer = matches!(format.encoding(), Encoding::Signed | Encoding::Unsigned);
    let bits = format.significant_bits();
    if integer && matches!(bits, 8 | 16 | 24) {
        return Ok(bits);
    }
    let why = match bits {
        32 if integer => "32-bit samples are more than this FLAC encoder takes (24 bits)",
        _ if !integer && bits >= 32 => "FLAC holds integer samples, not floats",
        _ => "FLAC here takes 8, 16 or 24-bit integer samples",
    };
    bail!("cannot record {format} as FLAC: {why}; record -f S24_3LE or S16_LE, or use WAV (-t wav)")
}

/// Refuses what no FLAC stream holds: formats, channel counts and rates.
pub fn check_spec(spec: &PcmSpec) -> Result<()> {
    bits_for(spec.format)?;
    if !(1..=MAX_CHANNELS).contains(&spec.channels) {
        bail!(
            "cannot record {} channels as FLAC: it holds 1 to {MAX_CHANNELS}; record fewer (-c) or use WAV",
            spec.channels
        );
    }
    if !(1..=MAX_RATE).contains(&spec.rate) {
        bail!(
            "cannot record {} Hz as FLAC: it holds 1 to {MAX_RATE} Hz; record another rate (-r) or use WAV",
            spec.rate
        );
    }
    Ok(())
}

/// The largest one frame of `spec` can be: a verbatim block (what flacenc falls back to), with
/// the longest header and room for a side channel's extra bit.
pub fn max_frame_bytes(spec: &PcmSpec) -> u64 {
    let block = block_size(spec.rate) as u64;
    let bits = u64::from(spec.format.significant_bits()) + 1;
    16 + u64::from(spec.channels) * (2 + (block * bits).div_ceil(8)) + 2
}

/// The most samples (per channel) one file may hold: STREAMINFO counts them in 36 bits.
pub const MAX_FILE_SAMPLES: u64 = (1 << 36) - 1;

/// The header of a FLAC file or stream of `spec` whose length is unknown.
pub fn unknown_header(spec: &PcmSpec) -> Result<[u8; HEADER_LEN as usize]> {
    check_spec(spec)?;
    Ok(streaminfo(
        spec,
        bits_for(spec.format)?,
        block_size(spec.rate),
        None,
    ))
}

/// `fLaC` and STREAMINFO: with `file`, its exact count, MD5 and frame sizes; otherwise 0 for
/// each, FLAC's "unknown".
fn streaminfo(
    spec: &PcmSpec,
    bits: u32,
    block: usize,
    file: Option<&FileStats>,
) -> [u8; HEADER_LEN as usize] {
    let mut h = [0u8; HEADER_LEN as usize];
    h[..4].copy_from_slice(b"fLaC");
    // Last metadata block (0x80), type 0 (STREAMINFO), 34 bytes.
    h[4..8].copy_from_slice(&[0x80, 0, 0, 34]);
    // Fixed block size: the minimum does not count the last block (FLAC's rule).
    let block = block as u16;
    h[8..10].copy_from_slice(&block.to_be_bytes());
    h[10..12].copy_from_slice(&block.to_be_bytes());
    if let Some(f) = file {
        h[12..15].copy_from_slice(&f.min_frame.min(0xff_ffff).to_be_bytes()[1..]);
        h[15..18].copy_from_slice(&f.max_frame.min(0xff_ffff).to_be_bytes()[1..]);
    }
    // 20 bits of rate, 3 of channels - 1, 5 of bits - 1, 36 of total samples.
    let total = file.map_or(0, |f| f.samples);
    let packed: u64 = (u64::from(spec.rate) << 44)
        | (u64::from(spec.channels - 1) << 41)
        | (u64::from(bits - 1) << 36)
        | total;
    h[18..26].copy_from_slice(&packed.to_be_bytes());
    if let Some(f) = file {
        h[26..42].copy_from_slice(&f.md5.clone().finalize());
    }
    h
}

/// What one file's frames hold so far, for its STREAMINFO.
#[derive(Clone)]
struct FileStats {
    frames: usize,
    samples: u64,
    bytes: u64,
    min_frame: u32,
    max_frame: u32,
    md5: Md5,
}

impl FileStats {
    fn new() -> FileStats {
        FileStats {
            frames: 0,
            samples: 0,
            bytes: 0,
            min_frame: u32::MAX,
            max_frame: 0,
            md5: Md5::new(),
        }
    }
}

/// Encodes one recording's PCM into FLAC frames, file after file (each file is a stream of its
/// own: frame numbers, counts and MD5 start over).
pub struct FlacEncoder {
    spec: PcmSpec,
    bits: u32,
    block: usize,
    config: Verified<flacenc::config::Encoder>,
    /// What flacenc codes frames for (the real rate, or 96 kHz above that).
    info: StreamInfo,
    /// The rate code each frame header gets afterwards, when `info` holds a stand-in rate.
    rate_code: Option<u8>,
    framebuf: FrameBuf,
    /// Interleaved samples not yet in a frame; never much more than a block and one chunk.
    pending: Vec<i32>,
    /// The frame last encoded (flacenc's sink, then the bytes as written), and its samples as
    /// the MD5 takes them.
    frame: ByteSink,
    out: Vec<u8>,
    frame_samples: u64,
    frame_md5_bytes: Vec<u8>,
    file: FileStats,
}

impl FlacEncoder {
    pub fn new(spec: PcmSpec) -> Result<FlacEncoder> {
        check_spec(&spec)?;
        let bits = bits_for(spec.format)?;
        let block = block_size(spec.rate);
        let mut config = flacenc::config::Encoder::default();
        // One core: the recording thread encodes as it goes.
        config.multithread = false;
        config.block_size = block;
        let config = config
            .into_verified()
            .map_err(|(_, e)| anyhow!("cannot set up the FLAC encoder: {e}"))?;
        let (coded_rate, rate_code) = if spec.rate > 96_000 {
            (96_000, Some(frame_rate_code(spec.rate)))
        } else {
            (spec.rate, None)
        };
        let info = StreamInfo::new(coded_rate as usize, spec.channels as usize, bits as usize)
            .map_err(|e| {
                anyhow!(
                    "cannot set up the FLAC encoder for {}: {e}",
                    spec.describe()
                )
            })?;
        let framebuf = FrameBuf::with_size(spec.channels as usize, block)
            .map_err(|e| anyhow!("cannot set up the FLAC encoder: {e}"))?;
        Ok(FlacEncoder {
            spec,
            bits,
            block,
            config,
            info,
            rate_code,
            framebuf,
            pending: Vec::with_capacity(block * spec.channels as usize * 2),
            frame: ByteSink::new(),
            out: Vec::new(),
            frame_samples: 0,
            frame_md5_bytes: Vec::new(),
            file: FileStats::new(),
        })
    }

    /// The file's first bytes: `fLaC` and STREAMINFO. `complete` says the count, MD5 and frame
    /// sizes of the frames committed so far; otherwise they are 0, FLAC's "unknown" (what a
    /// stream and a file being appended to must say).
    pub fn header(&self, complete: bool) -> [u8; HEADER_LEN as usize] {
        let known = complete && self.file.frames > 0 && self.file.samples <= MAX_FILE_SAMPLES;
        streaminfo(
            &self.spec,
            self.bits,
            self.block,
            known.then_some(&self.file),
        )
    }

    /// Takes in captured PCM (whole frames of the recording's format).
    pub fn push(&mut self, pcm: &[u8]) {
        let shift = 32 - self.bits;
        let width = self.spec.format.bytes();
        self.pending.reserve(pcm.len() / width);
        match self.spec.format {
            // The common formats without the per-sample match.
            SampleFormat::S16_LE => self.pending.extend(
                pcm.chunks_exact(2)
                    .map(|b| i32::from(i16::from_le_bytes([b[0], b[1]]))),
            ),
            SampleFormat::S24_3LE => self.pending.extend(
                pcm.chunks_exact(3)
                    .map(|b| i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8),
            ),
            format => self.pending.extend(
                pcm.chunks_exact(width)
                    .map(|b| decode_i32(format, b) >> shift),
            ),
        }
    }

    /// Samples per channel waiting for a frame.
    pub fn pending_samples(&self) -> u64 {
        (self.pending.len() / self.spec.channels as usize) as u64
    }

    /// Encodes the next frame from what is pending: a whole block, or with `last` whatever is
    /// left (only a stream's last frame may be short). `None` when there is not enough. The
    /// frame counts once [`Self::commit`] says it reached the file.
    pub fn encode_next(&mut self, last: bool) -> Result<Option<&[u8]>> {
        let channels = self.spec.channels as usize;
        let have = self.pending.len() / channels;
        let n = if have >= self.block {
            self.block
        } else if last && have > 0 {
            have
        } else {
            return Ok(None);
        };
        let samples = &self.pending[..n * channels];
        self.framebuf
            .fill_interleaved(samples)
            .map_err(|e| anyhow!("cannot encode FLAC: {e}; this is a bug in alsatool"))?;
        let bytes = (self.bits / 8) as usize;
        self.frame_md5_bytes.clear();
        self.frame_md5_bytes.reserve(samples.len() * bytes);
        for s in samples {
            self.frame_md5_bytes
                .extend_from_slice(&s.to_le_bytes()[..bytes]);
        }
        let frame = flacenc::encode_fixed_size_frame(
            &self.config,
            &self.framebuf,
            self.file.frames,
            &self.info,
        )
        .map_err(|e| anyhow!("cannot encode FLAC: {e}; this is a bug in alsatool"))?;
        self.frame.clear();
        frame
            .write(&mut self.frame)
            .map_err(|e| anyhow!("cannot encode FLAC: {e}; this is a bug in alsatool"))?;
        self.pending.drain(..n * channels);
        self.frame_samples = n as u64;
        self.out.clear();
        self.out.extend_from_slice(self.frame.as_slice());
        if let Some(code) = self.rate_code {
            patch_rate(&mut self.out, code)?;
        }
        Ok(Some(&self.out))
    }

    /// The frame last encoded reached the file whole: it counts in the STREAMINFO.
    pub fn commit(&mut self) {
        let len = self.out.len() as u64;
        let f = &mut self.file;
        f.md5.update(&self.frame_md5_bytes);
        f.frames += 1;
        f.samples += self.frame_samples;
        f.bytes += len;
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        f.min_frame = f.min_frame.min(len);
        f.max_frame = f.max_frame.max(len);
    }

    /// A new file begins: a new stream, whose frames count from 0.
    pub fn start_file(&mut self) {
        self.file = FileStats::new();
    }

    /// Samples (per channel) in the frames committed to the current file.
    pub fn file_samples(&self) -> u64 {
        self.file.samples
    }

    /// Bytes of the frames committed to the current file (the header not counted).
    pub fn file_frame_bytes(&self) -> u64 {
        self.file.bytes
    }
}

/// The frame-header code for `rate` where flacenc cannot code it: the two it has a code for,
/// otherwise "see STREAMINFO" (0), which keeps the header the same length.
fn frame_rate_code(rate: u32) -> u8 {
    match rate {
        176_400 => 0b0010,
        192_000 => 0b0011,
        _ => 0b0000,
    }
}

/// Puts `code` in a frame header coded for 96 kHz (code 0b1011, no extra bytes), and recomputes
/// the header's CRC-8 and the frame's CRC-16.
fn patch_rate(frame: &mut [u8], code: u8) -> Result<()> {
    let bad = || anyhow!("cannot encode FLAC: unexpected frame header; this is a bug in alsatool");
    if frame.len() < 8 || frame[2] & 0x0f != 0b1011 {
        return Err(bad());
    }
    frame[2] = (frame[2] & 0xf0) | code;
    // The coded frame number (UTF-8-like: its first byte's leading ones say its length).
    let first = frame[4];
    let number_len = if first < 0x80 {
        1
    } else {
        first.leading_ones() as usize
    };
    let block_extra = match frame[2] >> 4 {
        0b0110 => 1,
        0b0111 => 2,
        _ => 0,
    };
    let crc8_at = 4 + number_len + block_extra;
    if crc8_at + 3 > frame.len() {
        return Err(bad());
    }
    frame[crc8_at] = crc8(&frame[..crc8_at]);
    let end = frame.len() - 2;
    let crc = crc16(&frame[..end]);
    frame[end..].copy_from_slice(&crc.to_be_bytes());
    Ok(())
}

/// FLAC's header CRC: polynomial 0x07, initial 0.
fn crc8(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |mut crc, &b| {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
        crc
    })
}

/// CRC-16 (polynomial 0x8005, initial 0) by table: it runs over every byte of every frame.
fn crc16(bytes: &[u8]) -> u16 {
    const TABLE: [u16; 256] = {
        let mut table = [0u16; 256];
        let mut i = 0;
        while i < 256 {
            let mut crc = (i as u16) << 8;
            let mut bit = 0;
            while bit < 8 {
                crc = if crc & 0x8000 != 0 {
                    (crc << 1) ^ 0x8005
                } else {
                    crc << 1
                };
                bit += 1;
            }
            table[i] = crc;
            i += 1;
        }
        table
    };
    bytes.iter().fold(0u16, |crc, &b| {
        (crc << 8) ^ TABLE[usize::from((crc >> 8) as u8 ^ b)]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::format::SampleFormat::*;

    #[test]
    fn checksums_are_flacs() {
        // The catalogued check values of CRC-8/SMBUS and CRC-16/UMTS, FLAC's two CRCs.
        assert_eq!(crc8(b"123456789"), 0xf4);
        assert_eq!(crc16(b"123456789"), 0xfee8);
    }

    #[test]
    fn blocks_stay_within_a_tenth_of_a_second() {
        assert_eq!(block_size(48000), 4096);
        assert_eq!(block_size(8000), 800);
        assert_eq!(block_size(1), 32);
        assert!(bits_for(S16_LE).is_ok() && bits_for(U8).is_ok() && bits_for(S24_LE).is_ok());
        let err = bits_for(FLOAT_LE).unwrap_err().to_string();
        assert!(err.contains("S24_3LE") && err.contains("WAV"), "{err}");
        assert!(check_spec(&PcmSpec::new(S16_LE, 9, 48000)).is_err());
        assert!(check_spec(&PcmSpec::new(S16_LE, 2, MAX_RATE + 1)).is_err());
        assert!(check_spec(&PcmSpec::new(S16_LE, 2, MAX_RATE)).is_ok());
    }

    #[test]
    fn streaminfo_is_unknown_until_frames_are_committed_then_exact() {
        let mut e = FlacEncoder::new(PcmSpec::new(S16_LE, 2, 44100)).unwrap();
        let unknown = e.header(true);
        assert_eq!(&unknown[..8], b"fLaC\x80\x00\x00\x22");
        assert_eq!(
            unknown,
            unknown_header(&PcmSpec::new(S16_LE, 2, 44100)).unwrap()
        );
        let pcm: Vec<u8> = (0..5000u32 * 4).map(|i| (i * 7 % 251) as u8).collect();
        e.push(&pcm);
        assert!(e.encode_next(false).unwrap().is_some());
        e.commit();
        assert!(e.encode_next(false).unwrap().is_none(), "904 frames wait");
        assert!(e.encode_next(true).unwrap().is_some());
        e.commit();
        let h = e.header(true);
        let packed = u64::from_be_bytes(h[18..26].try_into().unwrap());
        assert_eq!(packed >> 44, 44100);
        assert_eq!((packed >> 41) & 7, 1);
        assert_eq!((packed >> 36) & 31, 15);
        assert_eq!(packed & ((1 << 36) - 1), 5000);
        let mut md5 = Md5::new();
        md5.update(&pcm);
        assert_eq!(&h[26..42], &md5.finalize()[..]);
        assert_eq!(e.header(false)[26..42], [0u8; 16]);
    }

    #[test]
    fn rates_above_96_khz_get_their_own_code_in_every_frame() {
        for (rate, code) in [(192_000, 0b0011), (176_400, 0b0010), (384_000, 0b0000)] {
            let mut e = FlacEncoder::new(PcmSpec::new(S24_3LE, 8, rate)).unwrap();
            e.push(&vec![1u8; block_size(rate) * 24]);
            let frame = e.encode_next(false).unwrap().unwrap().to_vec();
            assert_eq!(frame[2] & 0x0f, code, "{rate}");
            let end = frame.len() - 2;
            assert_eq!(crc16(&frame[..end]).to_be_bytes(), frame[end..]);
        }
    }
}
