//! Where a recording's files go and what they are called: the [`Target`], the numbered names a
//! long recording continues in (`take-01.wav`, …, as arecord names them), the no-clobber checks,
//! and creating a file so that its name never shows without its header.
//!
//! A new file is created under a temporary name in the same directory (`O_EXCL`), given its
//! header there, and only then renamed to its name with `RENAME_NOREPLACE` (or linked, where a
//! file system lacks that flag): a failed header write leaves nothing behind, and an existing
//! file is never replaced without `--force`, even by a race.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{anyhow, bail, Result};

use crate::error_text::io_error_text;

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

/// Whether anything (a file, a dangling symlink, a directory) has this name.
pub fn name_taken(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Refuses to start a recording that would overwrite anything: `path` itself, `path-01` (which
/// any long recording writes), and every further numbered file up to `last_index` where the
/// length of the recording says how many it writes. Checked before the device is opened; files
/// are still created without replacing anything, so a race cannot clobber either.
pub fn check_no_clobber(path: &Path, last_index: Option<u32>) -> Result<()> {
    if name_taken(path) {
        bail!(
            "'{}' exists; give --force to overwrite it, or choose another name",
            path.display()
        );
    }
    let last = last_index.unwrap_or(1).max(1);
    let taken = if last == 1 {
        Some(1).filter(|&i| name_taken(&numbered_path(path, i)))
    } else {
        first_taken_number(path, last)
    };
    match taken {
        None => Ok(()),
        Some(index) if last > 1 => bail!(
            "'{}' exists (this recording continues in numbered files up to '{}'); give --force to overwrite, or choose another name",
            numbered_path(path, index).display(),
            numbered_path(path, last).display()
        ),
        Some(index) => bail!(
            "'{}' exists (long recordings continue in numbered files); give --force to overwrite, or choose another name",
            numbered_path(path, index).display()
        ),
    }
}

/// The lowest of `base`'s numbers 1..=`last` whose name is taken. One pass over the directory,
/// so that a recording of many thousand files costs no more than its directory's size.
fn first_taken_number(base: &Path, last: u32) -> Option<u32> {
    let dir = match base.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .filter_map(|entry| number_of(base, &entry.file_name()))
            .filter(|index| (1..=last).contains(index))
            .min(),
        // An unreadable directory: ask name by name (creating files there fails anyway if it
        // cannot be written).
        Err(_) => (1..=last.min(1000)).find(|&i| name_taken(&numbered_path(base, i))),
    }
}

/// The number in `name` if it is one of `base`'s numbered names (`take-07.wav` → 7).
fn number_of(base: &Path, name: &std::ffi::OsStr) -> Option<u32> {
    let name = name.to_str()?;
    let stem = base.file_stem()?.to_str()?;
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
    let digits = match base.extension() {
        Some(ext) => rest.strip_suffix(ext.to_str()?)?.strip_suffix('.')?,
        None => rest,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let index: u32 = digits.parse().ok()?;
    (numbered_path(base, index).file_name()? == name).then_some(index)
}

/// Why a file could not be created.
#[derive(Debug)]
pub enum CreateError {
    /// The name is taken (only without `--force`).
    Exists,
    /// Creating the file failed.
    Create(io::Error),
    /// Writing its header failed; nothing was left behind.
    Write(io::Error),
}

impl CreateError {
    /// The one-line message for the user.
    pub fn message(&self, path: &Path) -> anyhow::Error {
        match self {
            CreateError::Exists => anyhow!(
                "'{}' exists; give --force to overwrite it, or choose another name",
                path.display()
            ),
            CreateError::Create(e) => {
                anyhow!("cannot create '{}': {}", path.display(), io_error_text(e))
            }
            CreateError::Write(e) => {
                anyhow!("cannot write '{}': {}", path.display(), io_error_text(e))
            }
        }
    }
}

/// Creates `path` holding `header` (which may be empty, for raw files). Its name appears only
/// once the header is in it; on any failure nothing new is left behind. Without `force` an
/// existing name is [`CreateError::Exists`]; with it a regular file is replaced, and anything
/// else (a device such as `/dev/null`, a FIFO, a symlink) is opened and written as it is.
pub fn create_with_header(path: &Path, header: &[u8], force: bool) -> Result<File, CreateError> {
    if force {
        if let Ok(meta) = path.symlink_metadata() {
            if !meta.file_type().is_file() {
                return open_in_place(path, header);
            }
        }
    }
    let temp = temp_path(path);
    let file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
        Ok(file) => file,
        // A directory we may not write a temporary name into cannot take the file either; any
        // other failure to make the temporary name (a name too long for the file system) falls
        // back to creating the file directly.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return Err(CreateError::Create(e))
        }
        Err(_) => return create_directly(path, header, force),
    };
    if let Err(e) = write_all(&file, header) {
        let _ = std::fs::remove_file(&temp);
        return Err(CreateError::Write(e));
    }
    let published = if force {
        std::fs::rename(&temp, path)
    } else {
        rename_no_replace(&temp, path)
    };
    match published {
        Ok(()) => Ok(file),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            match e.kind() {
                io::ErrorKind::AlreadyExists => Err(CreateError::Exists),
                // Neither RENAME_NOREPLACE nor hard links here (some network file systems).
                _ if unsupported(&e) => create_directly(path, header, force),
                _ => Err(CreateError::Create(e)),
            }
        }
    }
}

/// The last resort where a temporary name cannot be published: create `path` itself, and remove
/// it again if its header does not fit.
fn create_directly(path: &Path, header: &[u8], force: bool) -> Result<File, CreateError> {
    let mut options = OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => CreateError::Exists,
        _ => CreateError::Create(e),
    })?;
    if let Err(e) = write_all(&file, header) {
        let _ = std::fs::remove_file(path);
        return Err(CreateError::Write(e));
    }
    Ok(file)
}

/// `--force` onto something that is not a regular file: write it where it is, as before; it is
/// not ours to remove if the header fails.
fn open_in_place(path: &Path, header: &[u8]) -> Result<File, CreateError> {
    let file = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .map_err(CreateError::Create)?;
    write_all(&file, header).map_err(CreateError::Write)?;
    Ok(file)
}

/// A hidden name next to `path` that no other process (or earlier call) uses.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}-{n}.part", std::process::id()))
}

/// Whether an error says the file system does not offer the operation.
fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EPERM | libc::EOPNOTSUPP | libc::EXDEV)
    )
}

/// Renames without replacing anything (renameat2 RENAME_NOREPLACE, falling back to link +
/// unlink where the file system does not offer the flag); with `force`, a plain rename.
pub fn rename(from: &Path, to: &Path, force: bool) -> io::Result<()> {
    if force {
        std::fs::rename(from, to)
    } else {
        rename_no_replace(from, to)
    }
}

fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
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
            // The file has its name now; a second name left behind is untidy, not harmful.
            let _ = std::fs::remove_file(from);
            Ok(())
        }
        _ => Err(err),
    }
}

/// Writes all of `bytes` at the file's position.
fn write_all(mut file: &File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn every_number_a_known_length_writes_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("take.wav");
        std::fs::write(dir.path().join("take-03.wav"), b"earlier").unwrap();
        // Unknown length: base and -01 only (a later name is skipped at rollover instead).
        check_no_clobber(&base, None).unwrap();
        check_no_clobber(&base, Some(2)).unwrap();
        let err = check_no_clobber(&base, Some(3)).unwrap_err().to_string();
        assert!(
            err.contains("take-03.wav' exists") && err.contains("--force"),
            "{err}"
        );
        std::fs::write(dir.path().join("take-01.wav"), b"earlier").unwrap();
        assert!(check_no_clobber(&base, None).is_err());
    }

    #[test]
    fn a_file_appears_only_with_its_header_and_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("take.wav");
        let file = create_with_header(&path, b"HEADER", false).unwrap();
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), b"HEADER");
        assert!(matches!(
            create_with_header(&path, b"OTHER", false),
            Err(CreateError::Exists)
        ));
        assert_eq!(std::fs::read(&path).unwrap(), b"HEADER");
        drop(create_with_header(&path, b"NEW", true).unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"NEW");
        // No temporary name is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["take.wav"]);
    }

    #[test]
    fn a_header_that_does_not_fit_leaves_nothing_and_a_device_is_left_alone() {
        // /dev/full takes no bytes: with --force it is written in place, and stays.
        let err = create_with_header(Path::new("/dev/full"), b"RIFF", true).unwrap_err();
        assert!(matches!(err, CreateError::Write(_)), "{err:?}");
        assert!(Path::new("/dev/full").exists());
        let msg = err.message(Path::new("/dev/full")).to_string();
        assert_eq!(msg, "cannot write '/dev/full': No space left on device");
    }
}
