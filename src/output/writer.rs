//! Writing recordings: WAV and raw output, kept valid on disk whatever ends the recording.
//!
//! WAV headers are written by hand rather than with hound, because a recording needs what hound
//! cannot do: write to a non-seekable standard output (with an open-ended header, as arecord
//! does), keep a byte count past 4 GiB, rewrite the header of a live file after every write from
//! the same descriptor another thread syncs, and know exactly how many bytes reached the disk
//! when a write fails part-way.
//!
//! Crash safety: while data flows, the header's RIFF and data sizes are rewritten in place
//! (`pwrite`) every [`HEADER_INTERVAL`], so SIGKILL or a crash leaves a valid file that lacks at
//! most that much at its end;
//! a [`Syncer`] thread calls `fdatasync` about once a second so that power loss costs at most
//! about a second, without ever making the writer wait for the disk.
//!
//! Long recordings continue in numbered files (`take.wav` becomes `take-01.wav`, then
//! `take-02.wav`, …, as arecord names them) before WAV's 32-bit size fields would overflow, or at
//! the size or length the user asked for. Every file holds whole frames and is valid on its own.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};

use crate::container::wav;
use crate::error_text::io_error_text;
use crate::spec::PcmSpec;

/// What kind of file a recording is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    Wav,
    Raw,
}

impl Container {
    /// WAV unless the name ends in `.raw` (any case).
    pub fn from_name(path: &Path) -> Container {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("raw") => Container::Raw,
            _ => Container::Wav,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Container::Wav => "WAV",
            Container::Raw => "raw",
        }
    }
}

/// How often, at most, the header of a live file is rewritten while data flows: often enough
/// that SIGKILL or a crash costs a tenth of a second at most, seldom enough to cost nothing.
pub const HEADER_INTERVAL: Duration = Duration::from_millis(100);

/// Where the recording goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    /// `-` is standard output.
    pub fn from_arg(path: &Path) -> Target {
        if path.as_os_str() == "-" {
            Target::Stdout
        } else {
            Target::File(path.to_path_buf())
        }
    }

    /// How messages name it: `'take.wav'` or `standard output`.
    pub fn describe(&self) -> String {
        match self {
            Target::Stdout => "standard output".to_string(),
            Target::File(p) => format!("'{}'", p.display()),
        }
    }
}

/// The name of the `index`th file of a recording that rolls over: `take.wav` → `take-01.wav`,
/// as arecord numbers them (`%s-%02i%s`; 100 and above simply get more digits).
pub fn numbered_path(base: &Path, index: u32) -> PathBuf {
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match base.extension() {
        Some(ext) => format!("{stem}-{index:02}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{index:02}"),
    };
    base.with_file_name(name)
}

/// Refuses to start a recording that would overwrite anything: `path` itself, or numbered files
/// from an earlier recording to the same name (a rollover would write them). Checked before the
/// device is opened; the files are still created with `O_EXCL` so a race cannot clobber either.
pub fn check_no_clobber(path: &Path) -> Result<()> {
    let exists = |p: &Path| p.symlink_metadata().is_ok();
    if exists(path) {
        bail!(
            "'{}' exists; give --force to overwrite it, or choose another name",
            path.display()
        );
    }
    let first = numbered_path(path, 1);
    if exists(&first) {
        bail!(
            "'{}' exists (long recordings continue in numbered files); give --force to overwrite, or choose another name",
            first.display()
        );
    }
    Ok(())
}

/// Limits that make a recording continue in the next file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rollover {
    /// Whole file size in bytes, header included.
    pub max_file_bytes: Option<u64>,
    /// Frames per file.
    pub max_file_frames: Option<u64>,
}

/// The most data one WAV file may hold: its RIFF size field (data + header - 8) must fit 32 bits.
fn wav_data_limit(header_len: u64) -> u64 {
    u64::from(u32::MAX) - (header_len - 8)
}

/// What a finished recording wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Every file, in order (empty for standard output).
    pub files: Vec<PathBuf>,
    /// Audio bytes over all files (headers not counted).
    pub data_bytes: u64,
}

/// Calls `fdatasync` on the current file about once a second on its own thread, so that the
/// writer never waits for the disk and power loss costs at most about a second.
struct Syncer {
    current: Arc<Mutex<Option<Arc<File>>>>,
    stop: Arc<AtomicBool>,
}

impl Syncer {
    const INTERVAL: Duration = Duration::from_millis(1000);

    fn start() -> Syncer {
        let current: Arc<Mutex<Option<Arc<File>>>> = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let (thread_current, thread_stop) = (current.clone(), stop.clone());
        let spawned = std::thread::Builder::new()
            .name("fdatasync".into())
            .spawn(move || {
                let tick = Duration::from_millis(100);
                let mut waited = Duration::ZERO;
                while !thread_stop.load(Ordering::Relaxed) {
                    std::thread::sleep(tick);
                    waited += tick;
                    if waited < Self::INTERVAL {
                        continue;
                    }
                    waited = Duration::ZERO;
                    let file = thread_current.lock().ok().and_then(|f| f.clone());
                    if let Some(file) = file {
                        // A failed sync shows up again as a failed write; nothing to do here.
                        let _ = file.sync_data();
                    }
                }
            });
        // Without the thread the recording still works; it is only less safe on power loss.
        drop(spawned);
        Syncer { current, stop }
    }

    fn track(&self, file: Option<Arc<File>>) {
        if let Ok(mut current) = self.current.lock() {
            *current = file;
        }
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        // The thread ends within 100 ms; no need to wait for it.
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One open output file (or standard output).
struct Output {
    file: Arc<File>,
    /// `None` for standard output.
    path: Option<PathBuf>,
    /// The header as last written (empty for raw).
    header_len: u64,
    data_bytes: u64,
    /// `data_bytes` as the header on disk says, and when it was written.
    header_data_bytes: u64,
    header_at: Instant,
}

/// A recording being written: one or more files, or standard output.
pub struct RecordingWriter {
    layout: PcmSpec,
    container: Container,
    target: Target,
    force: bool,
    /// Data bytes a file may hold before the next one starts (whole frames).
    file_data_limit: u64,
    output: Output,
    /// Number of the current file: 0 for the base name, 1.. once it rolled over.
    index: u32,
    files: Vec<PathBuf>,
    data_bytes: u64,
    syncer: Option<Syncer>,
}

impl RecordingWriter {
    /// Creates the first file (refusing to overwrite one unless `force`) and writes its header.
    pub fn create(
        target: Target,
        container: Container,
        layout: PcmSpec,
        force: bool,
        rollover: Rollover,
    ) -> Result<RecordingWriter> {
        if container == Container::Wav {
            wav::check_format(layout.format)?;
        }
        let frame = layout.bytes_per_frame() as u64;
        let header_len = match container {
            Container::Wav => wav::header(&layout, 0)?.len() as u64,
            Container::Raw => 0,
        };
        let mut limit = match container {
            Container::Wav => wav_data_limit(header_len),
            Container::Raw => u64::MAX,
        };
        if let Some(max) = rollover.max_file_bytes {
            if max < header_len + frame {
                bail!(
                    "--max-file-size {max} is too small: a file needs at least {} bytes",
                    header_len + frame
                );
            }
            limit = limit.min(max - header_len);
        }
        if let Some(frames) = rollover.max_file_frames {
            limit = limit.min(frames.max(1).saturating_mul(frame));
        }
        let file_data_limit = limit / frame * frame;

        let syncer = match target {
            Target::File(_) => Some(Syncer::start()),
            Target::Stdout => None,
        };
        let output = match &target {
            Target::Stdout => Output {
                file: Arc::new(stdout_file()?),
                path: None,
                header_len: 0,
                data_bytes: 0,
                header_data_bytes: 0,
                header_at: Instant::now(),
            },
            Target::File(path) => open_output(path, force)?,
        };
        let mut writer = RecordingWriter {
            layout,
            container,
            target,
            force,
            file_data_limit,
            output,
            index: 0,
            files: Vec::new(),
            data_bytes: 0,
            syncer,
        };
        writer.start_output()?;
        Ok(writer)
    }

    /// The name messages use for where the audio goes now.
    fn current_name(&self) -> String {
        match &self.output.path {
            Some(p) => format!("'{}'", p.display()),
            None => "standard output".to_string(),
        }
    }

    /// Writes the first header of the current output and tells the syncer about it.
    fn start_output(&mut self) -> Result<()> {
        if let Some(path) = &self.output.path {
            self.files.push(path.clone());
        }
        if self.container == Container::Wav {
            let header = match self.target {
                Target::Stdout => wav::header(&self.layout, u64::from(wav::OPEN_ENDED_DATA_LEN))?,
                Target::File(_) => wav::header(&self.layout, 0)?,
            };
            let mut done = 0;
            let result = write_counted(&self.output.file, &header, &mut done);
            if let Err(e) = result {
                bail!(
                    "cannot write {}: {}",
                    self.current_name(),
                    io_error_text(&e)
                );
            }
            self.output.header_len = header.len() as u64;
        }
        if let Some(syncer) = &self.syncer {
            syncer.track(Some(self.output.file.clone()));
        }
        Ok(())
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
        while !bytes.is_empty() {
            if self.output.data_bytes >= self.file_data_limit && self.output.path.is_some() {
                self.roll_over()?;
            }
            let room = self.file_data_limit - self.output.data_bytes;
            let take = bytes.len().min(usize::try_from(room).unwrap_or(usize::MAX));
            let (now, rest) = bytes.split_at(take);
            self.write_to_current(now)?;
            bytes = rest;
        }
        Ok(())
    }

    fn write_to_current(&mut self, bytes: &[u8]) -> Result<()> {
        let mut done = 0;
        let result = write_counted(&self.output.file, bytes, &mut done);
        self.output.data_bytes += done as u64;
        self.data_bytes += done as u64;
        if let Err(e) = result {
            let frame = self.layout.bytes_per_frame() as u64;
            let partial = self.output.data_bytes % frame;
            self.output.data_bytes -= partial;
            self.data_bytes -= partial;
            if self.output.path.is_some() {
                // Keep whole frames only, with a header that says so; both are best effort
                // (neither needs new space on the disk).
                let _ = self
                    .output
                    .file
                    .set_len(self.output.header_len + self.output.data_bytes);
                let _ = self.update_header();
            }
            if self.output.path.is_none() && e.kind() == io::ErrorKind::BrokenPipe {
                // The reader of standard output has gone (`record - | head -c …`): the
                // recording simply ends, as other tools end quietly on a closed pipe.
                return Err(anyhow::Error::new(e));
            }
            let kept = match self.output.path {
                Some(_) => format!(
                    "; it keeps the {} recorded before",
                    crate::progress::clock(self.duration_of(self.output.data_bytes))
                ),
                None => String::new(),
            };
            bail!(
                "cannot write {}: {}{kept}",
                self.current_name(),
                io_error_text(&e)
            );
        }
        if self.output.header_at.elapsed() >= HEADER_INTERVAL {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Brings the header on disk up to date with the data (nothing to do when it is). The
    /// writer does this by itself at least every [`HEADER_INTERVAL`] while data flows; call it
    /// when data pauses.
    pub fn checkpoint(&mut self) -> Result<()> {
        if self.output.path.is_none() || self.output.header_data_bytes == self.output.data_bytes {
            return Ok(());
        }
        self.update_header().map_err(|e| {
            anyhow!(
                "cannot update the header of {}: {}",
                self.current_name(),
                io_error_text(&e)
            )
        })
    }

    fn duration_of(&self, data_bytes: u64) -> Duration {
        let per_second = self.layout.bytes_per_frame() as f64 * f64::from(self.layout.rate);
        Duration::from_secs_f64(data_bytes as f64 / per_second.max(1.0))
    }

    /// Rewrites the header's sizes to match the data on disk (nothing to do for raw).
    fn update_header(&mut self) -> io::Result<()> {
        self.output.header_at = Instant::now();
        if self.container != Container::Wav {
            return Ok(());
        }
        let header = wav::header(&self.layout, self.output.data_bytes)
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

    /// Finishes the current file and continues in the next numbered one. The first rollover
    /// renames `take.wav` to `take-01.wav`.
    fn roll_over(&mut self) -> Result<()> {
        let Target::File(base) = &self.target else {
            return Ok(());
        };
        let base = base.clone();
        self.update_header_naming_the_file()?;
        if self.index == 0 {
            let first = numbered_path(&base, 1);
            rename(&base, &first, self.force).map_err(|e| {
                anyhow!(
                    "cannot rename '{}' to '{}': {}",
                    base.display(),
                    first.display(),
                    io_error_text(&e)
                )
            })?;
            if let Some(last) = self.files.last_mut() {
                *last = first;
            }
            self.index = 1;
        }
        self.index += 1;
        let next = numbered_path(&base, self.index);
        self.output = open_output(&next, self.force)?;
        self.start_output()
    }

    /// Brings the header up to date for the last time and closes the output.
    pub fn finish(mut self) -> Result<Written> {
        if self.output.path.is_some() {
            self.update_header_naming_the_file()?;
        }
        if let Some(syncer) = &self.syncer {
            syncer.track(None);
        }
        Ok(Written {
            files: self.files,
            data_bytes: self.data_bytes,
        })
    }
}

/// Opens `path` for a new recording: never replaces an existing file unless `force`.
fn open_output(path: &Path, force: bool) -> Result<Output> {
    let mut options = OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let file = options.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            anyhow!(
                "'{}' exists; give --force to overwrite it, or choose another name",
                path.display()
            )
        } else {
            anyhow!("cannot create '{}': {}", path.display(), io_error_text(&e))
        }
    })?;
    Ok(Output {
        file: Arc::new(file),
        path: Some(path.to_path_buf()),
        header_len: 0,
        data_bytes: 0,
        header_data_bytes: 0,
        header_at: Instant::now(),
    })
}

/// Renames without replacing an existing file unless `force` (renameat2 RENAME_NOREPLACE,
/// falling back to link + unlink where the file system does not offer it).
fn rename(from: &Path, to: &Path, force: bool) -> io::Result<()> {
    if force {
        return std::fs::rename(from, to);
    }
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in file name"))
    };
    let (from_c, to_c) = (c(from)?, c(to)?);
    // SAFETY: both are valid NUL-terminated paths relative to the working directory.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from_c.as_ptr(),
            libc::AT_FDCWD,
            to_c.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) => {
            std::fs::hard_link(from, to)?;
            std::fs::remove_file(from)
        }
        _ => Err(err),
    }
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
    use crate::sample::format::SampleFormat::{self, *};

    fn layout(format: SampleFormat, channels: u32) -> PcmSpec {
        PcmSpec {
            format,
            channels,
            rate: 48000,
        }
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
    fn numbered_names_follow_arecord() {
        assert_eq!(
            numbered_path(Path::new("dir/take.wav"), 1),
            Path::new("dir/take-01.wav")
        );
        assert_eq!(numbered_path(Path::new("take"), 12), Path::new("take-12"));
        assert_eq!(
            numbered_path(Path::new("a.b.raw"), 100),
            Path::new("a.b-100.raw")
        );
    }

    #[test]
    fn container_from_name() {
        assert_eq!(Container::from_name(Path::new("x.RAW")), Container::Raw);
        assert_eq!(Container::from_name(Path::new("x.wav")), Container::Wav);
        assert_eq!(Container::from_name(Path::new("x")), Container::Wav);
    }

    #[test]
    fn rolls_over_in_whole_frames_and_never_clobbers() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("take.wav");
        let l = layout(S16_LE, 2);
        let rollover = Rollover {
            max_file_bytes: Some(44 + 10),
            max_file_frames: None,
        };
        let mut w = RecordingWriter::create(
            Target::File(base.clone()),
            Container::Wav,
            l,
            false,
            rollover,
        )
        .unwrap();
        let data: Vec<u8> = (0..32u8).collect();
        w.write(&data[..6]).unwrap();
        w.write(&data[6..]).unwrap();
        let written = w.finish().unwrap();
        assert_eq!(written.data_bytes, 32);
        let names: Vec<_> = written
            .files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["take-01.wav", "take-02.wav", "take-03.wav", "take-04.wav"]
        );
        let mut all = Vec::new();
        for f in &written.files {
            let bytes = std::fs::read(f).unwrap();
            let len = u32::from_le_bytes(bytes[40..44].try_into().unwrap()) as usize;
            assert_eq!(len, bytes.len() - 44);
            assert_eq!(len % 4, 0);
            all.extend_from_slice(&bytes[44..]);
        }
        assert_eq!(all, data);
        assert!(!base.exists());
        let again = RecordingWriter::create(
            Target::File(dir.path().join("take-02.wav")),
            Container::Wav,
            l,
            false,
            Rollover::default(),
        );
        assert!(again.is_err());
        assert!(check_no_clobber(&base).is_err(), "take-01.wav exists");
    }
}
