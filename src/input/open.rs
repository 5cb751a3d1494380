//! Opening any file `play` takes: WAV, AU and raw are read as the bytes they hold
//! ([`reader`]); everything else goes to the decoder ([`decode`]), which finds the format from
//! the content. Either way playback gets one [`PcmSource`].

use std::io::{Cursor, Read};
use std::path::Path;

use anyhow::Result;
use symphonia::core::io::ReadOnlySource;

use super::decode::{DecodedSource, Tags};
use super::reader::{self, Input, InputKind, Opened, RawLayout};
use crate::signals::StopFlag;
use crate::spec::PcmSpec;
use crate::stream::source::PcmSource;

/// An open input: PCM bytes read as they are, or decoded ones (boxed: the decoder's state is
/// large, and one source is open at a time).
pub enum AudioSource {
    Pcm(reader::FileSource),
    Decoded(Box<DecodedSource>),
}

/// Opens `path` (`-`: standard input) for playback. `kind` and `raw` come from `-t`, `-f`,
/// `-c`, `-r`; with `-t auto` the content decides, never the name.
pub fn open(path: &Path, kind: InputKind, raw: RawLayout, stop: &StopFlag) -> Result<AudioSource> {
    match reader::open(path, kind, raw, stop)? {
        Opened::Pcm(source) => Ok(AudioSource::Pcm(source)),
        Opened::Other { input, magic } => match input {
            // Reopened by the decoder, which may read it twice (see DecodedSource::open).
            Input::File { .. } => {
                drop(input);
                DecodedSource::open(path).map(|d| AudioSource::Decoded(Box::new(d)))
            }
            // The bytes read while looking for a header go first.
            Input::Stdin(stdin) => {
                let stream = Cursor::new(magic).chain(stdin);
                DecodedSource::new(Box::new(ReadOnlySource::new(stream)))
                    .map(|d| AudioSource::Decoded(Box::new(d)))
            }
        },
    }
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
