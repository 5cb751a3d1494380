//! Opening anything `play` takes: the content is sniffed (never the name) and decides between
//! the file's own bytes ([`super::pcm_file`]: WAV, AU, and raw when a layout is given) and the
//! decoder ([`super::decode`]) for everything else. Either way playback gets one
//! [`PcmSource`], [`AudioSource`].

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use anyhow::{anyhow, bail, Result};
use symphonia::core::io::ReadOnlySource;

use super::decode::{DecodedSource, Tags};
use super::pcm_file::FileSource;
use super::{Input, Stopped};
use crate::container::au;
use crate::container::bytes::read_array;
use crate::container::wav;
use crate::error_text::io_error_text;
use crate::sample::format::SampleFormat;
use crate::signals::StopFlag;
use crate::spec::{PartialSpec, PcmSpec};
use crate::stream::source::PcmSource;

/// Kind of input file, as the command line gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// WAV when it starts with RIFF; otherwise raw if a raw layout was given.
    Auto,
    Wav,
    Raw,
}

/// What raw input is when `-f`, `-c` or `-r` leave a part open: aplay's defaults, U8, mono,
/// 8000 Hz.
const RAW_DEFAULTS: PcmSpec = PcmSpec {
    format: SampleFormat::U8,
    channels: 1,
    rate: 8000,
};

/// An open input: PCM bytes read as they are, or decoded ones (boxed: the decoder's state is
/// large, and one source is open at a time).
pub enum AudioSource {
    Pcm(FileSource),
    Decoded(Box<DecodedSource>),
}

/// Opens `path` (`-`: standard input) for playback. `kind` and `raw` come from `-t`, `-f`,
/// `-c`, `-r`; with `-t auto` the content decides, never the name. Fails with
/// [`Stopped`] when `stop` is raised while a stream is read.
pub fn open(
    path: &Path,
    kind: InputKind,
    raw: PartialSpec,
    stop: &StopFlag,
) -> Result<AudioSource> {
    match sniff(path, kind, raw, stop)? {
        Sniffed::Pcm(source) => Ok(AudioSource::Pcm(source)),
        Sniffed::Other { input, magic } => match input {
            // Reopened by the decoder, which may read it twice (see DecodedSource::open).
            Input::File { .. } => {
                drop(input);
                DecodedSource::open(path).map(|d| AudioSource::Decoded(Box::new(d)))
            }
            // A stream cannot be reopened: the bytes read while looking for a header go first.
            Input::Stream(stream) => {
                let chained = Cursor::new(magic).chain(stream);
                DecodedSource::new(Box::new(ReadOnlySource::new(chained)))
                    .map(|d| AudioSource::Decoded(Box::new(d)))
            }
        },
    }
}

/// What the first bytes of an input said.
enum Sniffed {
    /// WAV, AU or raw: PCM bytes played as they are.
    Pcm(FileSource),
    /// Neither (FLAC, MP3, … or nothing known): the input, and its first bytes, already read.
    Other { input: Input, magic: [u8; 4] },
}

/// Opens `path` and reads a WAV or AU header if there is one (or takes the input as raw).
fn sniff(path: &Path, kind: InputKind, raw: PartialSpec, stop: &StopFlag) -> Result<Sniffed> {
    let mut input = Input::open(path, stop)?;
    let kind = match kind {
        InputKind::Auto => {
            let magic: [u8; 4] = match read_array(&mut input, "header") {
                Ok(m) => m,
                Err(_) if input.was_stopped() => return Err(Stopped.into()),
                // A raw stream shorter than four bytes: nothing to play anyway.
                Err(_) if raw.is_given() => {
                    return Ok(Sniffed::Pcm(FileSource::raw(
                        input,
                        raw.or(RAW_DEFAULTS),
                        Some(0),
                    )));
                }
                Err(_) => bail!("the file is empty or too short to be audio"),
            };
            if &magic == b"RIFF" {
                let header = wav::read_header(&mut input, true).map_err(|e| input.stopped_or(e))?;
                return Ok(Sniffed::Pcm(FileSource::wav(input, header)));
            }
            if magic == au::MAGIC {
                let header =
                    au::read_header_after_magic(&mut input).map_err(|e| input.stopped_or(e))?;
                return Ok(Sniffed::Pcm(FileSource::au(input, header)));
            }
            if !raw.is_given() {
                return Ok(Sniffed::Other { input, magic });
            }
            // Raw after all: those four bytes are audio. Rewind a file, or keep them for a
            // stream.
            return match input {
                Input::File { mut reader, len } => {
                    reader
                        .rewind()
                        .map_err(|e| anyhow!("cannot read it: {}", io_error_text(&e)))?;
                    Ok(Sniffed::Pcm(FileSource::raw(
                        Input::File { reader, len },
                        raw.or(RAW_DEFAULTS),
                        None,
                    )))
                }
                Input::Stream(_) => {
                    let mut source = FileSource::raw(input, raw.or(RAW_DEFAULTS), None);
                    source.prefix = magic.to_vec();
                    Ok(Sniffed::Pcm(source))
                }
            };
        }
        other => other,
    };
    Ok(Sniffed::Pcm(match kind {
        InputKind::Raw => FileSource::raw(input, raw.or(RAW_DEFAULTS), None),
        _ => {
            let header = wav::read_header(&mut input, false).map_err(|e| input.stopped_or(e))?;
            FileSource::wav(input, header)
        }
    }))
}

impl AudioSource {
    /// Whether a WAV or AU header promised more than the file holds (played anyway, like aplay).
    pub fn truncated(&self) -> bool {
        match self {
            AudioSource::Pcm(source) => source.truncated,
            AudioSource::Decoded(_) => false,
        }
    }

    /// What went wrong while decoding (damage, truncation), to report once what decoded has
    /// played.
    pub fn decode_error(&self) -> Option<String> {
        match self {
            AudioSource::Pcm(_) => None,
            AudioSource::Decoded(source) => source.error(),
        }
    }

    /// Title and artist from the file's tags; none for WAV, AU and raw.
    pub fn tags(&self) -> Option<&Tags> {
        match self {
            AudioSource::Pcm(_) => None,
            AudioSource::Decoded(source) => Some(source.tags()),
        }
    }

    /// Whether the samples are exactly the file's (WAV, AU, raw, and lossless codecs), so that
    /// passing them unchanged is bit-perfect playback.
    pub fn is_exact(&self) -> bool {
        match self {
            AudioSource::Pcm(_) => true,
            AudioSource::Decoded(source) => source.is_lossless(),
        }
    }

    /// "FLAC", "AAC in MP4", … for a decoded file.
    pub fn codec(&self) -> Option<String> {
        match self {
            AudioSource::Pcm(_) => None,
            AudioSource::Decoded(source) => Some(source.format_name()),
        }
    }

    fn inner(&mut self) -> &mut dyn PcmSource {
        match self {
            AudioSource::Pcm(source) => source,
            AudioSource::Decoded(source) => source.as_mut(),
        }
    }
}

impl PcmSource for AudioSource {
    fn spec(&self) -> PcmSpec {
        match self {
            AudioSource::Pcm(source) => source.spec(),
            AudioSource::Decoded(source) => source.spec(),
        }
    }

    fn frames_left(&self) -> Option<u64> {
        match self {
            AudioSource::Pcm(source) => source.frames_left(),
            AudioSource::Decoded(source) => source.frames_left(),
        }
    }

    fn read_frames(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.inner().read_frames(buf)
    }

    fn skip_frames(&mut self, frames: u64) -> Result<u64> {
        self.inner().skip_frames(frames)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_without_a_writer_opens_at_once_and_a_stop_ends_the_wait() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string for the duration of the call.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let stop = StopFlag::new();
        let raiser = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(200));
                stop.raise();
            })
        };
        let started = std::time::Instant::now();
        let raw = PartialSpec::default();
        for kind in [InputKind::Auto, InputKind::Wav] {
            let err = open(&fifo, kind, raw, &stop).err().expect("opened");
            assert!(err.is::<Stopped>(), "{err:#}");
        }
        raiser.join().unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
