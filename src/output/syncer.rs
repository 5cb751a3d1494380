//! The `fdatasync` thread: syncs the live file about once a second and every finished file (with
//! its directory) as soon as it is handed over, so that the writer never waits for the disk and
//! power loss costs at most about a second.
//!
//! Linux reports a write-back error once, to whichever `fsync`/`fdatasync` comes next, so a
//! failed sync is never discarded: the first one is kept for the writer, which ends the recording
//! with it on its next write (as it does on a full disk).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A sync that failed, and of which file.
#[derive(Debug)]
pub struct SyncFailure {
    pub path: PathBuf,
    pub error: io::Error,
}

#[derive(Default)]
struct State {
    /// The file being written, synced every [`Syncer::INTERVAL`].
    live: Option<Arc<File>>,
    /// Finished files to sync now, with their names (for the directory and for messages).
    finished: Vec<(Arc<File>, PathBuf)>,
    /// The first failure, until the writer takes it.
    failure: Option<SyncFailure>,
    stop: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    /// The state, also after a panic elsewhere (the state stays consistent field by field).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn fail(&self, failure: SyncFailure) {
        let mut state = self.lock();
        if state.failure.is_none() {
            state.failure = Some(failure);
        }
    }
}

/// The syncing thread of one recording.
pub struct Syncer {
    shared: Arc<Shared>,
    /// `None` where the thread could not start: finished files are then synced by the caller.
    thread: Option<JoinHandle<()>>,
    /// The live file's name, for a failure found by the periodic sync.
    live_path: Arc<Mutex<PathBuf>>,
}

impl Syncer {
    /// How often the live file is synced.
    pub const INTERVAL: Duration = Duration::from_millis(1000);

    pub fn start() -> Syncer {
        let shared = Arc::new(Shared::default());
        let live_path = Arc::new(Mutex::new(PathBuf::new()));
        let (thread_shared, thread_path) = (shared.clone(), live_path.clone());
        let thread = std::thread::Builder::new()
            .name("fdatasync".into())
            .spawn(move || run(&thread_shared, &thread_path))
            .ok();
        Syncer {
            shared,
            thread,
            live_path,
        }
    }

    /// Makes `file` (named `path`) the live file.
    pub fn track(&self, file: Arc<File>, path: &Path) {
        if let Ok(mut live_path) = self.live_path.lock() {
            *live_path = path.to_path_buf();
        }
        self.shared.lock().live = Some(file);
    }

    /// Hands over a finished file: it and its directory are synced now, off the writer's thread.
    pub fn retire(&self, file: Arc<File>, path: &Path) {
        if self.thread.is_none() {
            if let Err(failure) = sync_file_and_dir(&file, path) {
                self.shared.fail(failure);
            }
            return;
        }
        let mut state = self.shared.lock();
        state.finished.push((file, path.to_path_buf()));
        self.shared.wake.notify_all();
    }

    /// The first failed sync, once.
    pub fn take_failure(&self) -> Option<SyncFailure> {
        self.shared.lock().failure.take()
    }

    /// Waits until every finished file handed over is synced, stops the thread, and returns the
    /// first failure not yet taken. The live file is the caller's to sync.
    pub fn finish(mut self) -> Result<(), SyncFailure> {
        self.stop_and_join();
        match self.take_failure() {
            Some(failure) => Err(failure),
            None => Ok(()),
        }
    }

    fn stop_and_join(&mut self) {
        {
            let mut state = self.shared.lock();
            state.stop = true;
            state.live = None;
            self.shared.wake.notify_all();
        }
        if let Some(thread) = self.thread.take() {
            // A panic there is no reason for one here; the files stay as they are.
            let _ = thread.join();
        }
    }
}

impl Drop for Syncer {
    /// Also when a recording ends on an error: the finished files handed over still get synced.
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// The thread: waits for a finished file, the next periodic sync, or the stop, whichever comes
/// first. Every pass either waits or uses up what woke it, so it never spins.
fn run(shared: &Shared, live_path: &Mutex<PathBuf>) {
    let mut next_periodic = Instant::now() + Syncer::INTERVAL;
    loop {
        let (finished, live, stop) = {
            let mut state = shared.lock();
            loop {
                let now = Instant::now();
                if state.stop || !state.finished.is_empty() || now >= next_periodic {
                    break;
                }
                state = match shared.wake.wait_timeout(state, next_periodic - now) {
                    Ok((state, _)) => state,
                    Err(poisoned) => poisoned.into_inner().0,
                };
            }
            let live = if Instant::now() >= next_periodic {
                next_periodic = Instant::now() + Syncer::INTERVAL;
                state.live.clone()
            } else {
                None
            };
            (std::mem::take(&mut state.finished), live, state.stop)
        };
        for (file, path) in finished {
            if let Err(failure) = sync_file_and_dir(&file, &path) {
                shared.fail(failure);
            }
        }
        if let Some(file) = live {
            if let Err(error) = sync_data(&file) {
                let path = live_path.lock().map(|p| p.clone()).unwrap_or_default();
                shared.fail(SyncFailure { path, error });
            }
        }
        if stop {
            return;
        }
    }
}

/// `fdatasync`, where the file can be synced at all: a device or FIFO written with `--force`
/// (`/dev/null`) cannot, and that is no failure.
pub fn sync_data(file: &File) -> io::Result<()> {
    match file.sync_data() {
        Err(e) if cannot_sync(&e) => Ok(()),
        other => other,
    }
}

fn cannot_sync(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP | libc::EROFS)
    )
}

/// Syncs a finished file's data, then its directory (which holds its new name).
pub fn sync_file_and_dir(file: &File, path: &Path) -> Result<(), SyncFailure> {
    let fail = |error| SyncFailure {
        path: path.to_path_buf(),
        error,
    };
    sync_data(file).map_err(fail)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // A directory that cannot be opened for syncing (no read permission) keeps its names in the
    // page cache like any other; the data itself is synced.
    if let Ok(dir) = File::open(dir) {
        sync_data(&dir).map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::test_support::unsyncable;

    #[test]
    fn a_failed_sync_of_a_finished_file_is_kept_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("take-01.wav");
        std::fs::write(&path, b"data").unwrap();
        let syncer = Syncer::start();
        syncer.retire(Arc::new(File::open(&path).unwrap()), &path);
        syncer.retire(Arc::new(unsyncable(&path)), &path);
        let failure = syncer.finish().unwrap_err();
        assert_eq!(failure.path, path);
        assert_eq!(failure.error.raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn the_live_file_is_synced_periodically_and_stopping_is_prompt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("take.wav");
        std::fs::write(&path, b"data").unwrap();
        let syncer = Syncer::start();
        syncer.track(Arc::new(unsyncable(&path)), &path);
        let deadline = Instant::now() + Syncer::INTERVAL * 5;
        let failure = loop {
            if let Some(failure) = syncer.take_failure() {
                break failure;
            }
            assert!(Instant::now() < deadline, "the live file was never synced");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(failure.path, path);
        let started = Instant::now();
        syncer.finish().unwrap();
        assert!(started.elapsed() < Duration::from_millis(500));
    }

    #[test]
    fn devices_that_cannot_sync_are_no_failure() {
        let null = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .unwrap();
        sync_data(&null).unwrap();
    }
}
