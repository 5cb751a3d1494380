//! The source of a WAV, AU or raw file's own bytes (or a stream's: standard input, a FIFO), as
//! a [`PcmSource`] that hands out whole frames of them unchanged. The header in front, if any,
//! was parsed by [`crate::container`] and has been read past already.

use std::io::{self, Read};

use anyhow::Result;

use super::{read_error, Input};
use crate::container::au;
use crate::container::wav::WavHeader;
use crate::spec::PcmSpec;
use crate::stream::source::PcmSource;

/// The PCM bytes of a WAV, AU or raw file (or stream), read in whole frames.
pub struct FileSource {
    input: Input,
    spec: PcmSpec,
    /// Bytes still to read; `None`: until the end of the input.
    remaining: Option<u64>,
    /// Whether the header promised more than the file holds.
    pub truncated: bool,
    /// Bytes already read from a pipe while looking for a header, to be played first.
    pub(super) prefix: Vec<u8>,
}

impl FileSource {
    pub(super) fn wav(mut input: Input, header: WavHeader) -> FileSource {
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
    pub(super) fn au(input: Input, header: au::AuHeader) -> FileSource {
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

    pub(super) fn raw(mut input: Input, spec: PcmSpec, remaining: Option<u64>) -> FileSource {
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
                Err(e) => return Err(read_error(&e)),
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
        let skipped = self.input.skip(want).map_err(|e| read_error(&e))?;
        if let Some(r) = &mut self.remaining {
            *r -= skipped;
            if skipped < want {
                *r = 0;
            }
        }
        Ok((skipped + from_prefix as u64) / frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Stopped;
    use crate::sample::format::SampleFormat::*;
    use crate::signals::StopFlag;

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

    #[test]
    fn reads_and_skips_of_a_stopped_stream_fail_with_stopped() {
        use std::os::fd::{FromRawFd, OwnedFd};
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors pipe() writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: pipe() just made both; each is owned once.
        let (read_end, _write_end) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        let stop = StopFlag::new();
        let stream = crate::input::stdin::InterruptibleStream::from_fd(read_end, &stop);
        let spec = PcmSpec {
            format: S16_LE,
            channels: 2,
            rate: 8000,
        };
        let mut source = FileSource::raw(Input::Stream(stream), spec, None);
        stop.raise();
        let err = source.skip_frames(8000).unwrap_err();
        assert!(err.is::<Stopped>(), "{err:#}");
        let err = source.read_frames(&mut [0u8; 64]).unwrap_err();
        assert!(err.context("playing 'x'").is::<Stopped>());
    }
}
