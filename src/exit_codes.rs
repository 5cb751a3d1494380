//! The exit codes alsatool promises, and how an outcome or error maps to one.

/// How the process ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything asked for was done.
    Success,
    /// A runtime error: a device, a file or the system failed.
    Failure,
    /// The command line was wrong (clap's own code for its errors too).
    Usage,
    /// Ctrl-C or SIGTERM stopped the work (128 + SIGINT, as shells report it).
    Interrupted,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Failure => 1,
            ExitCode::Usage => 2,
            ExitCode::Interrupted => 130,
        }
    }
}

/// An error in what the user asked for (a bad value, a missing argument) rather than in the
/// system: it exits with [`ExitCode::Usage`].
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The exit code for an error that ended the program.
pub fn for_error(err: &anyhow::Error) -> ExitCode {
    if err.chain().any(|cause| cause.is::<UsageError>()) {
        ExitCode::Usage
    } else {
        ExitCode::Failure
    }
}

/// Whether the error is a closed standard output (`alsatool devices | head`), which is no error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io_kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            // serde_json keeps the io::Error inside itself rather than as its source.
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        io_kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(ExitCode::Success.code(), 0);
        assert_eq!(ExitCode::Failure.code(), 1);
        assert_eq!(ExitCode::Usage.code(), 2);
        assert_eq!(ExitCode::Interrupted.code(), 130);
    }

    #[test]
    fn usage_errors_are_found_through_context() {
        let err = anyhow::Error::new(UsageError("bad value".into())).context("setting Master");
        assert_eq!(for_error(&err), ExitCode::Usage);
        assert_eq!(
            for_error(&anyhow::anyhow!("device failed")),
            ExitCode::Failure
        );
    }

    #[test]
    fn broken_pipe_is_recognised() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&err.context("writing the list")));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
        let json = serde_json::Error::io(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&anyhow::Error::new(json)));
    }
}
