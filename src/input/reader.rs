//! Reading audio for playback: WAV, AU and raw files or standard input, as a [`PcmSource`]
//! that hands out whole frames of the file's own bytes. Anything else is handed back for the
//! decoder ([`super::decode`]) to identify.
//!
//! Headers are parsed by [`crate::container`]. The unit tests check the WAV parser agrees with
//! hound on every file hound reads.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::Path;

use anyhow::{anyhow, bail, Result};

use crate::container::au;
use crate::container::bytes::read_array;
use crate::container::wav::{self, WavHeader};
use crate::error_text::io_error_text;
use crate::sample::format::SampleFormat;
use crate::signals::StopFlag;
use crate::spec::PcmSpec;
use crate::stream::source::PcmSource;

/// Kind of input file, as the command line gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// WAV when it starts with RIFF; otherwise raw if a raw layout was given.
    Auto,
    Wav,
    Raw,
}

/// How to read raw input: aplay's defaults are U8, mono, 8000 Hz.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RawLayout {
    pub format: Option<SampleFormat>,
    pub channels: Option<u32>,
    pub rate: Option<u32>,
}

impl RawLayout {
    fn is_given(&self) -> bool {
        self.format.is_some() || self.channels.is_some() || self.rate.is_some()
    }

    fn spec(&self) -> PcmSpec {
        PcmSpec {
            format: self.format.unwrap_or(SampleFormat::U8),
            channels: self.channels.unwrap_or(1),
            rate: self.rate.unwrap_or(8000),
        }
    }
}

/// Where bytes come from: a file (seekable, length known) or standard input (neither).
pub enum Input {
    File { reader: BufReader<File>, len: u64 },
    Stdin(InterruptibleStdin),
}

impl Input {
    /// Opens `path`; `-` is standard input, whose reads give up once `stop` is raised.
    pub fn open(path: &Path, stop: &StopFlag) -> Result<Input> {
        if path == Path::new("-") {
            return Ok(Input::Stdin(InterruptibleStdin { stop: stop.clone() }));
        }
        let (file, meta) = super::open_for_reading(path)?;
        Ok(Input::File {
            // The buffer serves the header's small reads. It is smaller than the reads that
            // playback makes (a period, at least 4 KiB), so that once it has drained BufReader
            // passes those straight to the file instead of copying every byte through itself.
            reader: BufReader::with_capacity(4 * 1024, file),
            len: meta.len(),
        })
    }

    /// Bytes left from the current position, for a regular file.
    fn bytes_left(&mut self) -> Option<u64> {
        match self {
            Input::File { reader, len } if *len > 0 => {
                let pos = reader.stream_position().ok()?;
                Some(len.saturating_sub(pos))
            }
            _ => None,
        }
    }

    /// Skips `n` bytes; returns how many there were.
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        match self {
            Input::File { reader, len } if *len > 0 => {
                let pos = reader.stream_position()?;
                let skip = n.min(len.saturating_sub(pos));
                reader.seek_relative(skip as i64)?;
                Ok(skip)
            }
            _ => io::copy(&mut self.take(n), &mut io::sink()),
        }
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::File { reader, .. } => reader.read(buf),
            Input::Stdin(stdin) => stdin.read(buf),
        }
    }
}

/// Standard input whose reads wait in `poll` and give up once the stop flag is raised: a read
/// would otherwise block through Ctrl-C (the handler restarts interrupted reads).
pub struct InterruptibleStdin {
    stop: StopFlag,
}

/// The error a read of standard input gives when the stop flag was raised.
pub const STOPPED_READING: &str = "stopped while waiting for input";

impl Read for InterruptibleStdin {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.stop.is_raised() {
                return Err(io::Error::other(STOPPED_READING));
            }
            let mut fds = libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, for the duration of the call.
            let ready = unsafe { libc::poll(&mut fds, 1, 100) };
            if ready < 0 {
                let err = io::Error::last_os_error();
                if err.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(err);
            }
            if ready == 0 {
                continue;
            }
            // SAFETY: `buf` is valid for `buf.len()` bytes.
            let n = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), buf.len()) };
            if n < 0 {
                let err = io::Error::last_os_error();
                if err.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(err);
            }
            return Ok(n as usize);
        }
    }
}

/// The PCM bytes of a WAV or raw file (or standard input), read in whole frames.
pub struct FileSource {
    input: Input,
    spec: PcmSpec,
    /// Bytes still to read; `None`: until the end of the input.
    remaining: Option<u64>,
    /// Whether the header promised more than the file holds.
    pub truncated: bool,
    /// Bytes already read from a pipe while looking for a header, to be played first.
    prefix: Vec<u8>,
}

/// What [`open`] found.
pub enum Opened {
    /// WAV, AU or raw: PCM bytes played as they are.
    Pcm(FileSource),
    /// Neither (FLAC, MP3, … or nothing known): the input, and its first bytes, already read.
    Other { input: Input, magic: [u8; 4] },
}

/// Opens `path` for playback. `kind` and `raw` come from `-t`, `-f`, `-c`, `-r`.
pub fn open(path: &Path, kind: InputKind, raw: RawLayout, stop: &StopFlag) -> Result<Opened> {
    let mut input = Input::open(path, stop)?;
    let kind = match kind {
        InputKind::Auto => {
            let magic: [u8; 4] = match read_array(&mut input, "header") {
                Ok(m) => m,
                Err(e) if raw.is_given() => {
                    // A raw stream shorter than four bytes: nothing to play anyway.
                    let _ = e;
                    return Ok(Opened::Pcm(FileSource::raw(input, raw.spec(), Some(0))));
                }
                Err(_) => bail!("the file is empty or too short to be audio"),
            };
            if &magic == b"RIFF" {
                let header = wav::read_header(&mut input, true)?;
                return Ok(Opened::Pcm(FileSource::wav(input, header)));
            }
            if magic == au::MAGIC {
                let header = au::read_header_after_magic(&mut input)?;
                return Ok(Opened::Pcm(FileSource::au(input, header)));
            }
            if !raw.is_given() {
                return Ok(Opened::Other { input, magic });
            }
            // Raw after all: those four bytes are audio. Rewind a file, or keep them for stdin.
            return match input {
                Input::File { mut reader, len } => {
                    reader
                        .rewind()
                        .map_err(|e| anyhow!("cannot read it: {}", io_error_text(&e)))?;
                    Ok(Opened::Pcm(FileSource::raw(
                        Input::File { reader, len },
                        raw.spec(),
                        None,
                    )))
                }
                Input::Stdin(_) => {
                    let mut source = FileSource::raw(input, raw.spec(), None);
                    source.prefix = magic.to_vec();
                    Ok(Opened::Pcm(source))
                }
            };
        }
        other => other,
    };
    Ok(Opened::Pcm(match kind {
        InputKind::Raw => FileSource::raw(input, raw.spec(), None),
        _ => {
            let header = wav::read_header(&mut input, false)?;
            FileSource::wav(input, header)
        }
    }))
}

impl FileSource {
    fn wav(mut input: Input, header: WavHeader) -> FileSource {
        let left = input.bytes_left();
        let (remaining, truncated) = match (header.data_len, left) {
            (Some(len), Some(left)) if len > left => (Some(left), true),
            (len, _) => (len, false),
        };
        FileSource {
            input,
            spec: header.spec,
            remaining,
            truncated,
            prefix: Vec::new(),
        }
    }

    /// The sample data after an AU header: big-endian or G.711 bytes ALSA plays as they are.
    fn au(input: Input, header: au::AuHeader) -> FileSource {
        let spec = PcmSpec {
            format: header.format,
            channels: header.channels,
            rate: header.rate,
        };
        FileSource::wav(
            input,
            WavHeader {
                spec,
                data_len: header.data_len,
            },
        )
    }

    fn raw(mut input: Input, spec: PcmSpec, remaining: Option<u64>) -> FileSource {
        let remaining = remaining.or_else(|| input.bytes_left());
        FileSource {
            input,
            spec,
            remaining,
            truncated: false,
            prefix: Vec::new(),
        }
    }
}

impl PcmSource for FileSource {
    fn spec(&self) -> PcmSpec {
        self.spec
    }

    fn frames_left(&self) -> Option<u64> {
        let frame = self.spec.bytes_per_frame() as u64;
        self.remaining
            .map(|r| (r + self.prefix.len() as u64) / frame)
    }

    fn read_frames(&mut self, buf: &mut [u8]) -> Result<usize> {
        let frame = self.spec.bytes_per_frame();
        let mut want = buf.len() / frame * frame;
        if let Some(remaining) = self.remaining {
            let left = remaining + self.prefix.len() as u64;
            want = want.min((left / frame as u64 * frame as u64) as usize);
        }
        let mut got = 0;
        if !self.prefix.is_empty() && want > 0 {
            let n = self.prefix.len().min(want);
            buf[..n].copy_from_slice(&self.prefix[..n]);
            self.prefix.drain(..n);
            got = n;
        }
        // Read until at least one whole frame is there (a pipe may deliver odd pieces), then
        // stop at a frame boundary.
        while got < want && (got == 0 || got % frame != 0) {
            let ask = want - got;
            let ask = match self.remaining {
                Some(r) => ask.min(r.min(usize::MAX as u64) as usize),
                None => ask,
            };
            if ask == 0 {
                break;
            }
            match self.input.read(&mut buf[got..got + ask]) {
                Ok(0) => {
                    // The end came early: a header that promised more, or a cut pipe.
                    if self.remaining.is_some_and(|r| r > 0) {
                        self.truncated = true;
                    }
                    self.remaining = Some(0);
                    break;
                }
                Ok(n) => {
                    got += n;
                    if let Some(r) = &mut self.remaining {
                        *r -= n as u64;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.to_string() == STOPPED_READING => return Ok(0),
                Err(e) => bail!("cannot read it: {}", io_error_text(&e)),
            }
        }
        // A partial frame at the very end cannot be played: drop it.
        Ok(got / frame * frame)
    }

    fn skip_frames(&mut self, frames: u64) -> Result<u64> {
        let frame = self.spec.bytes_per_frame() as u64;
        let mut want = frames.saturating_mul(frame);
        let from_prefix = (self.prefix.len() as u64).min(want) as usize;
        self.prefix.drain(..from_prefix);
        want -= from_prefix as u64;
        if let Some(r) = self.remaining {
            want = want.min(r);
        }
        let skipped = self
            .input
            .skip(want)
            .map_err(|e| anyhow!("cannot read it: {}", io_error_text(&e)))?;
        if let Some(r) = &mut self.remaining {
            *r -= skipped;
            if skipped < want {
                *r = 0;
            }
        }
        Ok((skipped + from_prefix as u64) / frame)
    }
}

/// The display name of an input path: `-` is standard input.
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::wav::*;
    use std::io::Cursor;
    use SampleFormat::*;

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
        let header = wav::read_header(&mut cursor, false)?;
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

    fn source_from(bytes: Vec<u8>, data_len: Option<u64>, spec: PcmSpec) -> FileSource {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &bytes).unwrap();
        let input = Input::open(file.path(), &StopFlag::new()).unwrap();
        FileSource::wav(input, WavHeader { spec, data_len })
    }

    #[test]
    fn a_header_that_claims_too_much_plays_what_is_there_in_whole_frames() {
        let spec = PcmSpec {
            format: S16_LE,
            channels: 2,
            rate: 8000,
        };
        let mut source = source_from((0..11).collect(), Some(1000), spec);
        assert!(source.truncated);
        assert_eq!(source.frames_left(), Some(2));
        let mut buf = [0u8; 64];
        assert_eq!(source.read_frames(&mut buf).unwrap(), 8);
        assert_eq!(&buf[..8], &[0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(source.read_frames(&mut buf).unwrap(), 0);
    }

    #[test]
    fn data_length_limits_reads_and_skips() {
        let spec = PcmSpec {
            format: U8,
            channels: 1,
            rate: 8000,
        };
        // 20 bytes in the file, the header says 10 are audio (the rest is a trailing chunk).
        let mut source = source_from((0..20).collect(), Some(10), spec);
        assert!(!source.truncated);
        assert_eq!(source.skip_frames(3).unwrap(), 3);
        let mut buf = [0u8; 4];
        assert_eq!(source.read_frames(&mut buf).unwrap(), 4);
        assert_eq!(buf, [3, 4, 5, 6]);
        let mut buf = [0u8; 64];
        assert_eq!(source.read_frames(&mut buf).unwrap(), 3);
        assert_eq!(&buf[..3], &[7, 8, 9]);
        assert_eq!(source.skip_frames(5).unwrap(), 0);
    }
}
