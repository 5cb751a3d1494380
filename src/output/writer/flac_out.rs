//! The FLAC side of the [`RecordingWriter`]: captured PCM goes through the encoder, and each
//! frame is appended whole as soon as it is encoded.
//!
//! What is on disk is always a valid FLAC file: frames are whole (a write that fails part-way
//! is cut back to the last whole frame), and the STREAMINFO either says "unknown" (0 samples,
//! MD5 0) or exactly what the frames hold. Before the first frame after a checkpoint, the
//! header goes back to "unknown" (one `pwrite` of 42 bytes): a count or MD5 that fell behind
//! the frames would make `flac -t` fail a file that decodes.
//!
//! `--max-file-size`: a file continues in the next one before a frame as large as any can be
//! could make it pass the size; what is pending then starts the next file.

use std::io;
use std::os::unix::fs::FileExt;

use anyhow::{anyhow, bail, Result};

use super::{write_counted, RecordingWriter};
use crate::error_text::io_error_text;
use crate::output::flac::{self, HEADER_LEN};
use crate::progress::clock;
use crate::spec::frames_duration;

impl RecordingWriter {
    /// Encodes `pcm` (whole frames) and appends every whole block it completes.
    pub(super) fn write_flac(&mut self, pcm: &[u8]) -> Result<()> {
        let Some(encoder) = &mut self.flac else {
            bail!("FLAC output without an encoder; this is a bug in alsatool");
        };
        encoder.push(pcm);
        self.output.data_bytes += pcm.len() as u64;
        self.data_bytes += pcm.len() as u64;
        self.write_flac_frames(false)
    }

    /// Appends what is pending as the current file's last frames (the very last may be short):
    /// before a file's final header, at a rollover by length and at the end.
    pub(super) fn flush_flac(&mut self) -> Result<()> {
        if self.flac.is_some() {
            self.write_flac_frames(true)?;
        }
        Ok(())
    }

    /// Encodes and appends frames while there is a whole block pending (with `last`, until
    /// nothing is).
    fn write_flac_frames(&mut self, last: bool) -> Result<()> {
        let max_frame = flac::max_frame_bytes(&self.rec.spec);
        loop {
            let Some(encoder) = &self.flac else {
                return Ok(());
            };
            let whole_block =
                encoder.pending_samples() >= flac::block_size(self.rec.spec.rate) as u64;
            if let Some(max) = self.limits.file_bytes {
                let size = HEADER_LEN + encoder.file_frame_bytes();
                if whole_block
                    && self.output.ours
                    && encoder.file_samples() > 0
                    && size + max_frame > max
                {
                    self.roll_over()?;
                }
            }
            let Some(encoder) = &mut self.flac else {
                return Ok(());
            };
            let Some(frame) = encoder.encode_next(last)? else {
                return Ok(());
            };
            if self.output.flac_complete {
                // The count and MD5 on disk are about to fall behind: "unknown" first.
                let header = flac::unknown_header(&self.rec.spec)?;
                if let Err(e) = self.output.file.write_all_at(&header, 0) {
                    return Err(self.flac_write_failed(&e));
                }
                self.output.flac_complete = false;
            }
            let mut done = 0;
            let result = write_counted(&self.output.file, frame, &mut done);
            if let Err(e) = result {
                return Err(self.flac_write_failed(&e));
            }
            encoder.commit();
        }
    }

    /// What a failed write leaves: the file cut back to its whole frames with a header that
    /// says exactly those (both best effort: neither needs new space on the disk), or nothing
    /// when it holds no frame. The error says which.
    fn flac_write_failed(&mut self, e: &io::Error) -> anyhow::Error {
        let Some(path) = self.output.path.clone() else {
            if e.kind() == io::ErrorKind::BrokenPipe {
                // The reader of standard output has gone: the recording simply ends.
                return anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            return anyhow!("cannot write standard output: {}", io_error_text(e));
        };
        let (samples, frame_bytes) = self
            .flac
            .as_ref()
            .map_or((0, 0), |f| (f.file_samples(), f.file_frame_bytes()));
        let kept = frames_duration(samples, self.rec.spec.rate);
        if samples == 0 && self.output.ours {
            // A file without a frame of audio is no recording: leave nothing behind.
            let _ = std::fs::remove_file(&path);
            self.files.pop();
            let rest = match self.files.last() {
                None => "; nothing was recorded, so it was removed".to_string(),
                Some(last) => format!("; the recording ends in '{}'", last.display()),
            };
            return anyhow!(
                "cannot write '{}': {}{rest}",
                path.display(),
                io_error_text(e)
            );
        }
        if self.output.seekable {
            let _ = self.output.file.set_len(HEADER_LEN + frame_bytes);
            let _ = self.update_header();
        }
        anyhow!(
            "cannot write '{}': {}; it keeps the {} recorded before",
            path.display(),
            io_error_text(e),
            clock(kept)
        )
    }
}
