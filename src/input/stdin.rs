//! Reading standard input, or any input that is not a regular file (a FIFO, a pipe given as
//! `/dev/fd/N`, a character device, a socket), so that Ctrl-C ends a read that waits: each read
//! waits in `poll` with a timeout and gives up with [`Stopped`] once the stop flag is raised.
//! A plain `read` would block through Ctrl-C, because the handler restarts interrupted reads.

use std::fmt;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use crate::signals::StopFlag;

/// The error a read or skip of a stream gives once the stop flag was raised (Ctrl-C, SIGTERM):
/// not a failure of the input. Callers test for it with `err.is::<Stopped>()` on an
/// `anyhow::Error` (contexts included) or [`Stopped::is_in`] on an `io::Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped;

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stopped while waiting for input")
    }
}

impl std::error::Error for Stopped {}

impl Stopped {
    /// Whether an I/O error is a [`Stopped`] (as [`InterruptibleStream`]'s reads return it).
    pub fn is_in(err: &io::Error) -> bool {
        err.get_ref().is_some_and(|inner| inner.is::<Stopped>())
    }
}

impl From<Stopped> for io::Error {
    fn from(stopped: Stopped) -> io::Error {
        io::Error::other(stopped)
    }
}

/// How long one `poll` waits before the stop flag is looked at again.
const POLL_MS: i32 = 100;

/// A stream whose reads wait in `poll` and give up with [`Stopped`] once the stop flag is
/// raised. Standard input is read through its descriptor and left open; any other stream is
/// owned (and opened with `O_NONBLOCK`, so reads that find nothing return `EAGAIN` and wait in
/// `poll` again).
pub struct InterruptibleStream {
    /// `None`: standard input, which is not ours to close.
    owned: Option<OwnedFd>,
    stop: StopFlag,
    /// Whether a read gave up because of the stop flag.
    stopped: bool,
}

impl InterruptibleStream {
    /// Standard input.
    pub fn stdin(stop: &StopFlag) -> InterruptibleStream {
        InterruptibleStream {
            owned: None,
            stop: stop.clone(),
            stopped: false,
        }
    }

    /// A stream opened by its path (see [`super::open_for_reading`]).
    pub fn from_fd(fd: OwnedFd, stop: &StopFlag) -> InterruptibleStream {
        InterruptibleStream {
            owned: Some(fd),
            stop: stop.clone(),
            stopped: false,
        }
    }

    /// Whether a read has given up with [`Stopped`]: an error met while reading a header then
    /// means "stopped", whatever the parser made of it.
    pub fn was_stopped(&self) -> bool {
        self.stopped
    }

    fn fd(&self) -> RawFd {
        match &self.owned {
            Some(fd) => fd.as_raw_fd(),
            None => libc::STDIN_FILENO,
        }
    }
}

impl Read for InterruptibleStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let fd = self.fd();
        loop {
            if self.stop.is_raised() {
                self.stopped = true;
                return Err(Stopped.into());
            }
            let mut fds = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, for the duration of the call.
            let ready = unsafe { libc::poll(&mut fds, 1, POLL_MS) };
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
            // SAFETY: `buf` is valid for `buf.len()` bytes, `fd` open while `self` lives.
            let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n < 0 {
                let err = io::Error::last_os_error();
                // EAGAIN: a non-blocking stream with nothing after all; wait again.
                if matches!(
                    err.kind(),
                    io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
                ) {
                    continue;
                }
                return Err(err);
            }
            return Ok(n as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::FromRawFd;
    use std::time::{Duration, Instant};

    /// A pipe: (read end, write end).
    fn pipe() -> (OwnedFd, std::fs::File) {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors pipe() writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: pipe() just made both; each is owned once.
        unsafe {
            (
                OwnedFd::from_raw_fd(fds[0]),
                std::fs::File::from_raw_fd(fds[1]),
            )
        }
    }

    #[test]
    fn a_raised_flag_ends_a_waiting_read_with_stopped() {
        let (read_end, _writer) = pipe();
        let stop = StopFlag::new();
        let mut stream = InterruptibleStream::from_fd(read_end, &stop);
        let raiser = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(150));
                stop.raise();
            })
        };
        let started = Instant::now();
        let err = stream.read(&mut [0u8; 16]).unwrap_err();
        raiser.join().unwrap();
        assert!(Stopped::is_in(&err), "{err}");
        assert!(stream.was_stopped());
        assert!(started.elapsed() < Duration::from_secs(1));
        let typed = anyhow::Error::new(Stopped).context("playing 'x'");
        assert!(typed.is::<Stopped>());
    }

    #[test]
    fn data_then_end_of_stream() {
        let (read_end, mut writer) = pipe();
        let mut stream = InterruptibleStream::from_fd(read_end, &StopFlag::new());
        writer.write_all(b"abc").unwrap();
        drop(writer);
        let mut all = Vec::new();
        stream.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"abc");
        assert!(!stream.was_stopped());
    }
}
