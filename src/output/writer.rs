//! Writing recordings: WAV, FLAC and raw output, kept valid on disk whatever ends the recording.
//! FLAC's frames and STREAMINFO are written by [`flac_out`], through the same files, rollover
//! and error paths as the others.
//!
//! WAV headers are written by hand rather than with hound, because a recording needs what hound
//! cannot do: write to a non-seekable standard output (with an open-ended header, as arecord
//! does), keep a byte count past 4 GiB, rewrite the header of a live file after every write from
//! the same descriptor another thread syncs, and know exactly how many bytes reached the disk
//! when a write fails part-way.
//!
//! Crash safety: the header's RIFF and data sizes are rewritten in place (`pwrite`) whenever the
//! data has grown by [`HEADER_STEP`](super::plan::HEADER_STEP) of audio (and at least every [`HEADER_INTERVAL`] while
//! data flows), so SIGKILL or a crash leaves a valid file lacking at most a tenth of a second at
//! its end. The [`Syncer`] thread calls `fdatasync` about once a second and on every finished
//! file; a write-back error it finds ends the recording like a full disk does.
//!
//! Long recordings continue in numbered files ([`super::naming`]) before WAV's 32-bit
//! size fields would overflow, or at the size or length the user asked for. Every file holds
//! whole frames and is valid on its own. Standard output has no such limit: its header is
//! open-ended.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};

use super::flac::{self, FlacEncoder};
use super::naming::{self, name_taken, numbered_path, CreateError, Target};
use super::plan::{Container, FileLimits, RecordingPlan};
use super::syncer::{sync_file_and_dir, SyncFailure, Syncer};
use crate::container::wav;
use crate::error_text::io_error_text;
use crate::progress::clock;
use crate::spec::frames_duration;

/// How often, at most, the header of a live file is rewritten when little data flows.
pub const HEADER_INTERVAL: Duration = Duration::from_millis(100);

/// What a finished recording wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Every file, in order (empty for standard output).
    pub files: Vec<PathBuf>,
    /// Audio bytes over all files (headers not counted).
    pub data_bytes: u64,
    /// Numbered names that existed when the recording reached them, and were skipped.
    pub skipped: Vec<PathBuf>,
}

/// One open output file (or standard output).
struct Output {
    file: Arc<File>,
    /// `None` for standard output.
    path: Option<PathBuf>,
    /// Whether the file is one this recording created, and may rename at a rollover or remove
    /// when it holds nothing: not so for what `--force` writes in place (a device, a symlink).
    ours: bool,
    /// Whether it is a regular file, whose header can be rewritten in place.
    seekable: bool,
    data_bytes: u64,
    /// `data_bytes` as the header on disk says, and when it was written.
    header_data_bytes: u64,
    header_at: Instant,
    /// FLAC: the STREAMINFO on disk has the exact count and MD5 (not "unknown").
    flac_complete: bool,
}

impl Output {
    fn new(file: File, path: Option<PathBuf>, ours: bool, seekable: bool) -> Output {
        Output {
            file: Arc::new(file),
            path,
            ours,
            seekable,
            data_bytes: 0,
            header_data_bytes: 0,
            header_at: Instant::now(),
            flac_complete: false,
        }
    }
}

/// A recording being written: one or more files, or standard output.
pub struct RecordingWriter {
    rec: RecordingPlan,
    limits: FileLimits,
    output: Output,
    /// Number of the current file: 0 for the base name, 1.. once it rolled over.
    index: u32,
    files: Vec<PathBuf>,
    skipped: Vec<PathBuf>,
    data_bytes: u64,
    syncer: Option<Syncer>,
    /// The encoder of a FLAC recording (its state goes on from file to file).
    flac: Option<FlacEncoder>,
}

impl RecordingWriter {
    /// Checks the recording again (see [`RecordingPlan::check`]) and creates its first file with
    /// its header, or writes the header to standard output.
    pub fn create(rec: RecordingPlan) -> Result<RecordingWriter> {
        Self::create_on(rec, None, None)
    }

    /// Like [`Self::create`], but the first file is the numbered one `from` or, where that name
    /// is taken, the next free one (a triggered recording's takes: `take-03.wav`, …); a rollover
    /// continues with the numbers after it. Only the names it writes are checked: earlier takes
    /// of the same recording are not in its way.
    pub fn create_numbered(rec: RecordingPlan, from: u32) -> Result<RecordingWriter> {
        Self::create_on(rec, None, Some(from.max(1)))
    }

    /// The number of the current file (0 for the base name).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// [`Self::create`], where `stream` (if given) stands for standard output, and the first
    /// file is numbered from `numbered` where given.
    fn create_on(
        rec: RecordingPlan,
        stream: Option<File>,
        numbered: Option<u32>,
    ) -> Result<RecordingWriter> {
        if rec.container == Container::Wav {
            wav::check_format(rec.spec.format)?;
        }
        let flac = match rec.container {
            Container::Flac => Some(FlacEncoder::new(rec.spec)?),
            _ => None,
        };
        if numbered.is_none() {
            rec.check()?;
        }
        let limits = FileLimits::of(&rec)?;
        let mut index = 0;
        let mut skipped = Vec::new();
        let (output, syncer) = match &rec.target {
            Target::Stdout => {
                let file = match stream {
                    Some(file) => file,
                    None => stdout_file()?,
                };
                let header = match rec.container {
                    Container::Wav => wav::header(&rec.spec, u64::from(wav::OPEN_ENDED_DATA_LEN))?,
                    // A stream's STREAMINFO stays "unknown": it cannot be rewritten.
                    Container::Flac => flac::unknown_header(&rec.spec)?.to_vec(),
                    Container::Raw => Vec::new(),
                };
                let mut done = 0;
                write_counted(&file, &header, &mut done)
                    .map_err(|e| anyhow!("cannot write standard output: {}", io_error_text(&e)))?;
                (Output::new(file, None, false, false), None)
            }
            Target::File(path) if numbered.is_some() => {
                let mut n = numbered.unwrap_or(1);
                let output = loop {
                    let to = numbered_path(path, n);
                    let result = if !rec.force && name_taken(&to) {
                        Err(CreateError::Exists)
                    } else {
                        open_file(&rec, &to)
                    };
                    match result {
                        Ok(output) => break output,
                        Err(CreateError::Exists) => {
                            skipped.push(to);
                            n = next_index(n, path)?;
                        }
                        Err(e) => return Err(e.message(&to)),
                    }
                };
                index = n;
                (output, Some(Syncer::start()))
            }
            Target::File(path) => {
                let output = open_file(&rec, path).map_err(|e| e.message(path))?;
                (output, Some(Syncer::start()))
            }
        };
        let mut writer = RecordingWriter {
            rec,
            limits,
            output,
            index,
            files: Vec::new(),
            skipped,
            data_bytes: 0,
            syncer,
            flac,
        };
        writer.started_output();
        Ok(writer)
    }

    /// Notes a new current file.
    fn started_output(&mut self) {
        if let Some(path) = &self.output.path {
            self.files.push(path.clone());
            if let Some(syncer) = &self.syncer {
                syncer.track(self.output.file.clone(), path);
            }
        }
    }

    /// The name messages use for where the audio goes now.
    fn current_name(&self) -> String {
        match &self.output.path {
            Some(p) => format!("'{}'", p.display()),
            None => "standard output".to_string(),
        }
    }

    /// Whether the current output has a header that follows the data.
    fn tracks_header(&self) -> bool {
        matches!(self.rec.container, Container::Wav | Container::Flac) && self.output.seekable
    }

    /// Whether writes are cut so that the header follows every [`HEADER_STEP`](super::plan::HEADER_STEP) (WAV; FLAC's
    /// frames are whole on their own and its header is rewritten at checkpoints).
    fn steps_header(&self) -> bool {
        self.rec.container == Container::Wav && self.output.seekable
    }

    /// Data bytes the current output may take: a stream, or a device written in place, has no
    /// limit (and nothing to roll over).
    fn current_limit(&self) -> u64 {
        if self.output.ours {
            self.limits.file_data
        } else {
            u64::MAX
        }
    }

    /// Bytes of audio written so far, over all files.
    pub fn data_bytes(&self) -> u64 {
        self.data_bytes
    }

    /// How many files so far.
    pub fn file_count(&self) -> usize {
        self.files.len().max(1)
    }

    /// Appends whole frames, continuing in the next file where a file is full. On a write error
    /// the file keeps every whole frame that reached it, with a header to match, and the error
    /// names the file.
    pub fn write(&mut self, mut bytes: &[u8]) -> Result<()> {
        self.check_sync()?;
        while !bytes.is_empty() {
            let limit = self.current_limit();
            if self.output.data_bytes >= limit && self.output.ours {
                // A FLAC file's last, short frame holds what is pending, before its header
                // is final.
                self.flush_flac()?;
                self.roll_over()?;
            }
            let room = self.current_limit().saturating_sub(self.output.data_bytes);
            let mut take = bytes.len().min(usize::try_from(room).unwrap_or(usize::MAX));
            if self.steps_header() {
                take = take.min(usize::try_from(self.limits.header_step).unwrap_or(usize::MAX));
            }
            if take == 0 {
                // Cannot happen (a file holds at least one frame and a stream has no limit),
                // but a state that makes no progress must end, never spin.
                bail!(
                    "cannot write {}: it can hold no more; this is a bug in alsatool",
                    self.current_name()
                );
            }
            let (now, rest) = bytes.split_at(take);
            self.write_to_current(now)?;
            bytes = rest;
            if self.steps_header()
                && self
                    .output
                    .data_bytes
                    .saturating_sub(self.output.header_data_bytes)
                    >= self.limits.header_step
            {
                self.update_header_naming_the_file()?;
            }
        }
        if self.output.header_at.elapsed() >= HEADER_INTERVAL {
            self.checkpoint()?;
        }
        Ok(())
    }

    fn write_to_current(&mut self, bytes: &[u8]) -> Result<()> {
        if self.flac.is_some() {
            return self.write_flac(bytes);
        }
        let mut done = 0;
        let result = write_counted(&self.output.file, bytes, &mut done);
        self.output.data_bytes += done as u64;
        self.data_bytes += done as u64;
        let Err(e) = result else {
            return Ok(());
        };
        let frame = self.rec.spec.bytes_per_frame() as u64;
        let partial = self.output.data_bytes % frame;
        self.output.data_bytes -= partial;
        self.data_bytes -= partial;
        let Some(path) = self.output.path.clone() else {
            if e.kind() == io::ErrorKind::BrokenPipe {
                // The reader of standard output has gone (`record - | head -c …`): the
                // recording simply ends, as other tools end quietly on a closed pipe.
                return Err(anyhow::Error::new(e));
            }
            bail!("cannot write standard output: {}", io_error_text(&e));
        };
        if self.output.data_bytes == 0 && self.output.ours {
            // A file without a frame of audio is no recording: leave nothing behind.
            let _ = std::fs::remove_file(&path);
            self.files.pop();
            let rest = match self.files.last() {
                None => "; nothing was recorded, so it was removed".to_string(),
                Some(last) => format!(
                    "; the recording ends in '{}' ({} in all)",
                    last.display(),
                    clock(self.duration_of(self.data_bytes))
                ),
            };
            bail!(
                "cannot write '{}': {}{rest}",
                path.display(),
                io_error_text(&e)
            );
        }
        // Keep whole frames only, with a header that says so; both are best effort (neither
        // needs new space on the disk).
        if self.output.seekable {
            let header_len = self.header_len();
            let _ = self
                .output
                .file
                .set_len(header_len + self.output.data_bytes);
            let _ = self.update_header();
        }
        bail!(
            "cannot write '{}': {}; it keeps the {} recorded before",
            path.display(),
            io_error_text(&e),
            clock(self.duration_of(self.output.data_bytes))
        );
    }

    /// Brings the header on disk up to date with the data (nothing to do when it is), and
    /// reports a failed sync. The writer does this by itself while data flows; call it when
    /// data pauses.
    pub fn checkpoint(&mut self) -> Result<()> {
        self.check_sync()?;
        let current = match self.rec.container {
            Container::Flac => self.output.flac_complete,
            _ => self.output.header_data_bytes == self.output.data_bytes,
        };
        if !self.tracks_header() || current {
            return Ok(());
        }
        self.update_header_naming_the_file()
    }

    /// Ends the recording with the first sync that failed, if one did.
    fn check_sync(&mut self) -> Result<()> {
        match self.syncer.as_ref().and_then(Syncer::take_failure) {
            Some(failure) => Err(self.sync_error(&failure)),
            None => Ok(()),
        }
    }

    fn sync_error(&self, failure: &SyncFailure) -> anyhow::Error {
        anyhow!(
            "cannot write '{}': {} (reported by fdatasync); the recording stops at {}, and some of it may not be on the disk",
            failure.path.display(),
            io_error_text(&failure.error),
            clock(self.duration_of(self.data_bytes))
        )
    }

    fn duration_of(&self, data_bytes: u64) -> Duration {
        let frame = (self.rec.spec.bytes_per_frame() as u64).max(1);
        frames_duration(data_bytes / frame, self.rec.spec.rate)
    }

    fn header_len(&self) -> u64 {
        match self.rec.container {
            Container::Wav => wav::header(&self.rec.spec, 0).map_or(0, |h| h.len() as u64),
            Container::Raw => 0,
            Container::Flac => flac::HEADER_LEN,
        }
    }

    /// Rewrites the header's sizes to match the data on disk: one `pwrite` of the few bytes of
    /// the header (nothing to do for raw).
    fn update_header(&mut self) -> io::Result<()> {
        self.output.header_at = Instant::now();
        if let Some(encoder) = &self.flac {
            self.output.file.write_all_at(&encoder.header(true), 0)?;
            self.output.flac_complete = true;
            return Ok(());
        }
        if self.rec.container != Container::Wav {
            return Ok(());
        }
        let header = wav::header(&self.rec.spec, self.output.data_bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        self.output.file.write_all_at(&header, 0)?;
        self.output.header_data_bytes = self.output.data_bytes;
        Ok(())
    }

    /// [`Self::update_header`], with an error that names the file.
    fn update_header_naming_the_file(&mut self) -> Result<()> {
        self.update_header().map_err(|e| {
            anyhow!(
                "cannot update the header of {}: {}",
                self.current_name(),
                io_error_text(&e)
            )
        })
    }

    /// Finishes the current file (its header final, then synced off this thread) and continues
    /// in the next numbered one. The first rollover renames `take.wav` to `take-01.wav`. A name
    /// that exists by now is skipped, never overwritten and never the end of the recording.
    fn roll_over(&mut self) -> Result<()> {
        let Target::File(base) = &self.rec.target else {
            bail!("standard output does not continue in files; this is a bug in alsatool");
        };
        let (base, force) = (base.clone(), self.rec.force);
        self.update_header_naming_the_file()?;
        let mut index = self.index;
        if index == 0 {
            index = 1;
            let first = loop {
                let to = numbered_path(&base, index);
                let result = if !force && name_taken(&to) {
                    Err(io::Error::from(io::ErrorKind::AlreadyExists))
                } else {
                    naming::rename(&base, &to, force)
                };
                match result {
                    Ok(()) => break to,
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        self.skipped.push(to);
                        index = next_index(index, &base)?;
                    }
                    Err(e) => bail!(
                        "cannot rename '{}' to '{}': {}",
                        base.display(),
                        to.display(),
                        io_error_text(&e)
                    ),
                }
            };
            if let Some(last) = self.files.last_mut() {
                *last = first.clone();
            }
            self.output.path = Some(first);
            self.index = index;
        }
        let next = loop {
            index = next_index(index, &base)?;
            let to = numbered_path(&base, index);
            if !force && name_taken(&to) {
                self.skipped.push(to);
                continue;
            }
            match open_file(&self.rec, &to) {
                Ok(output) => break output,
                Err(CreateError::Exists) => self.skipped.push(to),
                Err(e) => {
                    self.retire_current();
                    return Err(anyhow!(
                        "{}; the recording ends in {} ({} in all)",
                        e.message(&to),
                        self.current_name(),
                        clock(self.duration_of(self.data_bytes))
                    ));
                }
            }
        };
        self.retire_current();
        self.index = index;
        self.output = next;
        self.started_output();
        if let Some(encoder) = &mut self.flac {
            // A new stream; what is still pending (after a rollover by size) is its start.
            encoder.start_file();
            self.output.data_bytes =
                encoder.pending_samples() * self.rec.spec.bytes_per_frame() as u64;
        }
        Ok(())
    }

    /// Hands the current file to the syncer as finished.
    fn retire_current(&self) {
        if let (Some(syncer), Some(path)) = (&self.syncer, &self.output.path) {
            syncer.retire(self.output.file.clone(), path);
        }
    }

    /// Brings the header up to date for the last time, syncs every file (and its directory) to
    /// the disk, and closes the output. A sync that failed, now or earlier, is the error.
    pub fn finish(mut self) -> Result<Written> {
        self.check_sync()?;
        self.flush_flac()?;
        if let Some(path) = self.output.path.clone() {
            if self.tracks_header() {
                self.update_header_naming_the_file()?;
            }
            sync_file_and_dir(&self.output.file, &path).map_err(|f| self.sync_error(&f))?;
        }
        if let Some(syncer) = self.syncer.take() {
            syncer.finish().map_err(|f| self.sync_error(&f))?;
        }
        Ok(Written {
            files: self.files,
            data_bytes: self.data_bytes,
            skipped: self.skipped,
        })
    }

    /// Pretends `bytes` more were written, for tests of what happens near a limit.
    #[cfg(test)]
    fn pretend_written(&mut self, bytes: u64) {
        self.output.data_bytes += bytes;
        self.output.header_data_bytes += bytes;
        self.data_bytes += bytes;
    }
}

mod flac_out;

/// The number after `index`, for `base`'s numbered files.
fn next_index(index: u32, base: &Path) -> Result<u32> {
    index.checked_add(1).ok_or_else(|| {
        anyhow!(
            "every numbered name for '{}' is taken; choose another name",
            base.display()
        )
    })
}

/// Creates `path` for `rec` with its first header.
fn open_file(rec: &RecordingPlan, path: &Path) -> Result<Output, CreateError> {
    // Only a regular file (or a new name) is ours; `--force` onto anything else writes it in
    // place (see `naming::create_with_header`), and a device or FIFO gets a stream's header.
    let in_place = rec.force
        && path
            .symlink_metadata()
            .is_ok_and(|m| !m.file_type().is_file());
    let seekable = !in_place || path.metadata().is_ok_and(|m| m.file_type().is_file());
    let header = match rec.container {
        Container::Wav => {
            let data_len = if seekable {
                0
            } else {
                u64::from(wav::OPEN_ENDED_DATA_LEN)
            };
            wav::header(&rec.spec, data_len).map_err(|e| {
                CreateError::Write(io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))
            })?
        }
        Container::Raw => Vec::new(),
        Container::Flac => flac::unknown_header(&rec.spec)
            .map_err(|e| {
                CreateError::Write(io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))
            })?
            .to_vec(),
    };
    let file = naming::create_with_header(path, &header, rec.force)?;
    Ok(Output::new(
        file,
        Some(path.to_path_buf()),
        !in_place,
        seekable,
    ))
}

/// A descriptor of our own for standard output (a dup, so closing it leaves fd 1 alone). Rust's
/// `Stdout` is line-buffered, which would cut binary audio into small writes at every 0x0a byte.
fn stdout_file() -> Result<File> {
    // SAFETY: dup of a descriptor number; the result is checked and owned by us alone.
    let fd = unsafe { libc::dup(libc::STDOUT_FILENO) };
    if fd < 0 {
        bail!(
            "cannot use standard output: {}",
            io_error_text(&io::Error::last_os_error())
        );
    }
    // SAFETY: `fd` is a fresh descriptor nothing else owns.
    Ok(File::from(unsafe { OwnedFd::from_raw_fd(fd) }))
}

/// Writes all of `bytes`, counting in `done` what reached the file even when a write fails.
/// Every pass writes something or ends: a write of nothing is an error, not a retry.
fn write_counted(mut file: &File, bytes: &[u8], done: &mut usize) -> io::Result<()> {
    while *done < bytes.len() {
        match file.write(&bytes[*done..]) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => *done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::wav::WAVE_FORMAT_EXTENSIBLE;
    use crate::output::plan::{wav_data_limit, Rollover};
    use crate::sample::format::SampleFormat::*;

    use crate::output::test_support::{by_size, layout, recording, unsyncable};

    fn names(files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    /// The data of each finished WAV file, asserting its header matches it exactly.
    fn data_of_finished(files: &[PathBuf]) -> Vec<u8> {
        let mut all = Vec::new();
        for f in files {
            let bytes = std::fs::read(f).unwrap();
            let len = u32::from_le_bytes(bytes[40..44].try_into().unwrap()) as usize;
            assert_eq!(len, bytes.len() - 44, "{}", f.display());
            assert_eq!(len % 4, 0);
            all.extend_from_slice(&bytes[44..]);
        }
        all
    }

    #[test]
    fn plain_header_matches_arecords() {
        // arecord -f S16_LE -c 2 -r 48000 -d 1 writes exactly these 44 bytes.
        let h = wav::header(&layout(S16_LE, 2), 192_000).unwrap();
        let expected = [
            0x52, 0x49, 0x46, 0x46, 0x24, 0xee, 0x02, 0x00, 0x57, 0x41, 0x56, 0x45, 0x66, 0x6d,
            0x74, 0x20, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x80, 0xbb, 0x00, 0x00,
            0x00, 0xee, 0x02, 0x00, 0x04, 0x00, 0x10, 0x00, 0x64, 0x61, 0x74, 0x61, 0x00, 0xee,
            0x02, 0x00,
        ];
        assert_eq!(h, expected);
        // And the open-ended one it writes to standard output.
        let open = wav::header(&layout(S16_LE, 2), u64::from(wav::OPEN_ENDED_DATA_LEN)).unwrap();
        assert_eq!(&open[4..8], &[0x24, 0x00, 0x00, 0x80]);
        assert_eq!(&open[40..44], &[0x00, 0x00, 0x00, 0x80]);
    }

    #[test]
    fn extensible_for_many_channels_and_padded_bits() {
        let h = wav::header(&layout(S24_3LE, 4), 0).unwrap();
        assert_eq!(h.len(), 68);
        assert_eq!(u16::from_le_bytes([h[20], h[21]]), WAVE_FORMAT_EXTENSIBLE);
        assert_eq!(u16::from_le_bytes([h[38], h[39]]), 24);
        assert_eq!(&h[44..46], &[1, 0]);
        assert!(wav::check_format(S20_3LE).is_err());
        let f = wav::header(&layout(FLOAT_LE, 6), 0).unwrap();
        assert_eq!(&f[44..46], &[3, 0]);
        assert_eq!(wav::header(&layout(FLOAT_LE, 2), 0).unwrap().len(), 44);
    }

    #[test]
    fn formats_wav_cannot_hold_are_refused_with_a_way_out() {
        let err = wav::header(&layout(S24_LE, 2), 0).unwrap_err().to_string();
        assert!(err.contains("S24_LE") && err.contains("-t raw"), "{err}");
    }

    #[test]
    fn sizes_never_wrap() {
        let h = wav::header(&layout(S16_LE, 2), 5 << 30).unwrap();
        assert_eq!(&h[4..8], &[0xff; 4]);
        assert_eq!(&h[40..44], &[0xff; 4]);
        assert_eq!(wav_data_limit(44), 0xffff_ffff - 36);
    }

    #[test]
    fn standard_output_goes_on_past_4_gib() {
        // A stream writer on /dev/null that has "written" just short of 4 GiB: the next write
        // goes through whole, in bounded time (it used to spin at the 32-bit limit).
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let null = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap();
            let rec = recording(Target::Stdout, layout(S32_LE, 8), Rollover::default());
            let mut w = RecordingWriter::create_on(rec, Some(null), None).unwrap();
            let near = u64::from(u32::MAX) - 64;
            w.pretend_written(near);
            let result = w.write(&vec![0u8; 1 << 20]).map(|()| w.data_bytes());
            let _ = tx.send(result.map_err(|e| e.to_string()));
        });
        let result = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("write hung");
        assert_eq!(result, Ok(u64::from(u32::MAX) - 64 + (1 << 20)));
    }

    #[test]
    fn a_file_near_4_gib_continues_in_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("take.wav");
        let rec = recording(Target::File(base), layout(S16_LE, 2), Rollover::default());
        let mut w = RecordingWriter::create(rec).unwrap();
        w.pretend_written(wav_data_limit(44) / 4 * 4 - 8);
        w.write(&[1u8; 16]).unwrap();
        let written = w.finish().unwrap();
        assert_eq!(names(&written.files), ["take-01.wav", "take-02.wav"]);
        assert_eq!(std::fs::read(&written.files[1]).unwrap()[44..], [1u8; 8]);
    }

    #[test]
    fn rolls_over_in_whole_frames_and_never_clobbers() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("take.wav");
        let l = layout(S16_LE, 2);
        let mut w =
            RecordingWriter::create(recording(Target::File(base.clone()), l, by_size(44 + 10)))
                .unwrap();
        let data: Vec<u8> = (0..32u8).collect();
        w.write(&data[..6]).unwrap();
        w.write(&data[6..]).unwrap();
        let written = w.finish().unwrap();
        assert_eq!(written.data_bytes, 32);
        assert_eq!(
            names(&written.files),
            ["take-01.wav", "take-02.wav", "take-03.wav", "take-04.wav"]
        );
        assert_eq!(data_of_finished(&written.files), data);
        assert!(!base.exists());
        let again = RecordingWriter::create(recording(
            Target::File(dir.path().join("take-02.wav")),
            l,
            Rollover::default(),
        ));
        assert!(again.is_err());
        assert!(
            naming::check_no_clobber(&base, None).is_err(),
            "take-01.wav exists"
        );
    }

    #[test]
    fn rollover_skips_names_that_exist_and_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("take.wav");
        for n in [1, 3] {
            std::fs::write(numbered_path(&base, n), b"earlier").unwrap();
        }
        // What the check before the recording allows: take-01 would be refused; past it, the
        // writer skips.
        std::fs::remove_file(numbered_path(&base, 1)).unwrap();
        let mut w = RecordingWriter::create(recording(
            Target::File(base.clone()),
            layout(S16_LE, 2),
            by_size(44 + 8),
        ))
        .unwrap();
        // Appears while recording, where the first file is about to be renamed.
        std::fs::write(numbered_path(&base, 1), b"raced").unwrap();
        let data: Vec<u8> = (0..32u8).collect();
        w.write(&data).unwrap();
        let written = w.finish().unwrap();
        assert_eq!(
            names(&written.files),
            ["take-02.wav", "take-04.wav", "take-05.wav", "take-06.wav"]
        );
        assert_eq!(names(&written.skipped), ["take-01.wav", "take-03.wav"]);
        assert_eq!(data_of_finished(&written.files), data);
        assert_eq!(std::fs::read(numbered_path(&base, 1)).unwrap(), b"raced");
        assert_eq!(std::fs::read(numbered_path(&base, 3)).unwrap(), b"earlier");
    }

    #[test]
    fn the_header_follows_the_audio_not_the_clock() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("take.wav");
        let rec = recording(
            Target::File(base.clone()),
            layout(S16_LE, 2),
            Rollover::default(),
        );
        let mut w = RecordingWriter::create(rec).unwrap();
        // One second of audio written at once, far faster than real time.
        w.write(&vec![0u8; 192_000]).unwrap();
        let bytes = std::fs::read(&base).unwrap();
        let in_header = u32::from_le_bytes(bytes[40..44].try_into().unwrap()) as usize;
        let behind = bytes.len() - 44 - in_header;
        assert!(behind < 19_200, "the header lags {behind} bytes");
        drop(w);
    }

    #[test]
    fn a_write_back_error_ends_the_recording_at_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("take.wav");
        let rec = recording(
            Target::File(base.clone()),
            layout(S16_LE, 2),
            Rollover::default(),
        );
        let mut w = RecordingWriter::create(rec).unwrap();
        w.write(&[0u8; 400]).unwrap();
        // The syncer meets a failing sync, as it would on a write-back error.
        if let Some(syncer) = &w.syncer {
            syncer.retire(Arc::new(unsyncable(&base)), &base);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        let err = loop {
            match w.write(&[0u8; 4]) {
                Err(e) => break e.to_string(),
                Ok(()) => assert!(Instant::now() < deadline, "never reported"),
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        assert!(
            err.starts_with("cannot write '")
                && err.contains("take.wav': Bad file descriptor (reported by fdatasync)")
                && !err.contains('\n'),
            "{err}"
        );
    }

    #[test]
    fn what_force_writes_in_place_is_never_renamed_or_removed() {
        // A symlink (like a device) given with --force is written where it points, and a
        // rollover limit does not rename it.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.wav");
        std::fs::write(&target, b"old").unwrap();
        let link = dir.path().join("link.wav");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut rec = recording(
            Target::File(link.clone()),
            layout(S16_LE, 2),
            by_size(44 + 8),
        );
        rec.force = true;
        let mut w = RecordingWriter::create(rec).unwrap();
        let data: Vec<u8> = (0..32u8).collect();
        w.write(&data).unwrap();
        let written = w.finish().unwrap();
        assert_eq!(written.files.as_slice(), std::slice::from_ref(&link));
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(data_of_finished(&[target]), data);
    }
}
