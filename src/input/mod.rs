//! Everything `play` reads, as one [`PcmSource`]: [`open`] sniffs the content and chooses
//! between the file's own bytes ([`pcm_file`]: WAV, AU, raw) and the decoder ([`decode`]: FLAC,
//! Ogg Vorbis, MP3, AAC, ALAC, AIFF, CAF).
//!
//! Where the bytes come from is an [`Input`]: a regular file (seekable, its length known), or a
//! stream — standard input, a FIFO, a `/dev/fd/N` pipe, a character device, a socket — read
//! through [`stdin::InterruptibleStream`], whose reads and skips give up with [`Stopped`] on
//! Ctrl-C. Non-regular files are opened with `O_NONBLOCK`, so that opening a FIFO with no
//! writer does not block either.
//!
//! [`PcmSource`]: crate::stream::source::PcmSource

pub mod decode;
pub mod open;
pub mod pcm_file;
pub mod stdin;

pub use stdin::Stopped;

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, BufReader, Read, Seek};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{anyhow, bail, Result};

use crate::error_text::io_error_text;
use crate::signals::StopFlag;
use stdin::InterruptibleStream;

/// Opens an audio file to read, refusing what cannot be one (a directory, an empty file) with
/// an error that says so. The open does not block: a FIFO without a writer opens at once (a
/// blocking open would wait for one through Ctrl-C). A regular file is then made blocking
/// again; anything else stays non-blocking, to be read through [`InterruptibleStream`].
pub fn open_for_reading(path: &Path) -> Result<(File, Metadata)> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| anyhow!("cannot open it: {}", io_error_text(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| anyhow!("cannot read it: {}", io_error_text(&e)))?;
    if meta.is_dir() {
        bail!("it is a directory, not an audio file");
    }
    if meta.is_file() {
        if meta.len() == 0 {
            bail!("the file is empty");
        }
        set_blocking(&file).map_err(|e| anyhow!("cannot read it: {}", io_error_text(&e)))?;
    }
    Ok((file, meta))
}

/// Clears `O_NONBLOCK` on `file`'s descriptor.
fn set_blocking(file: &File) -> io::Result<()> {
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor `file` keeps open; no pointers.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Where bytes come from: a regular file (seekable, length known) or a stream (neither).
pub enum Input {
    File { reader: BufReader<File>, len: u64 },
    Stream(InterruptibleStream),
}

impl Input {
    /// Opens `path`; `-` is standard input. Anything but a regular file is a stream, whose
    /// reads give up with [`Stopped`] once `stop` is raised.
    pub fn open(path: &Path, stop: &StopFlag) -> Result<Input> {
        if path == Path::new("-") {
            return Ok(Input::Stream(InterruptibleStream::stdin(stop)));
        }
        let (file, meta) = open_for_reading(path)?;
        if !meta.is_file() {
            return Ok(Input::Stream(InterruptibleStream::from_fd(
                OwnedFd::from(file),
                stop,
            )));
        }
        Ok(Input::File {
            // The buffer serves the header's small reads. It is smaller than the reads that
            // playback makes (a period, at least 4 KiB), so that once it has drained BufReader
            // passes those straight to the file instead of copying every byte through itself.
            reader: BufReader::with_capacity(4 * 1024, file),
            len: meta.len(),
        })
    }

    /// Bytes left from the current position, for a regular file.
    pub fn bytes_left(&mut self) -> Option<u64> {
        match self {
            Input::File { reader, len } => {
                let pos = reader.stream_position().ok()?;
                Some(len.saturating_sub(pos))
            }
            Input::Stream(_) => None,
        }
    }

    /// Skips `n` bytes; returns how many there were.
    pub fn skip(&mut self, n: u64) -> io::Result<u64> {
        match self {
            Input::File { reader, len } => {
                let pos = reader.stream_position()?;
                let skip = n.min(len.saturating_sub(pos));
                reader.seek_relative(skip as i64)?;
                Ok(skip)
            }
            Input::Stream(_) => io::copy(&mut self.take(n), &mut io::sink()),
        }
    }

    /// `err`, unless a read of this stream gave up because of the stop flag: then [`Stopped`]
    /// (a header parser turns read errors into text; this gives the stop its type back).
    pub fn stopped_or(&self, err: anyhow::Error) -> anyhow::Error {
        if self.was_stopped() {
            anyhow::Error::new(Stopped)
        } else {
            err
        }
    }

    /// Whether a read of this stream gave up because of the stop flag.
    pub fn was_stopped(&self) -> bool {
        matches!(self, Input::Stream(stream) if stream.was_stopped())
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::File { reader, .. } => reader.read(buf),
            Input::Stream(stream) => stream.read(buf),
        }
    }
}

/// The error for a failed read of an input: [`Stopped`] as itself, anything else as one line.
pub fn read_error(err: &io::Error) -> anyhow::Error {
    if Stopped::is_in(err) {
        anyhow::Error::new(Stopped)
    } else {
        anyhow!("cannot read it: {}", io_error_text(err))
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
