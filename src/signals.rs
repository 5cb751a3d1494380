//! Ctrl-C, SIGTERM and SIGHUP: the handler only raises a flag that the audio loops check, so
//! every loop decides for itself how to stop cleanly (drop the PCM, finish the file). A second
//! signal while finishing is remembered but does not cut the finishing short.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};

/// Shared "stop now" flag, set by the signal handler: raised once any signal has arrived.
#[derive(Clone, Debug, Default)]
pub struct StopFlag {
    signals: Arc<AtomicU32>,
}

impl StopFlag {
    /// A flag that only [`StopFlag::raise`] sets (for tests and for internal stops).
    pub fn new() -> Self {
        Self::default()
    }

    /// A flag raised by SIGINT, SIGTERM and SIGHUP. Call once per process.
    pub fn install() -> Result<Self> {
        let flag = Self::new();
        let handler_flag = flag.clone();
        ctrlc::set_handler(move || handler_flag.raise())
            .context("cannot install the Ctrl-C handler")?;
        Ok(flag)
    }

    pub fn raise(&self) {
        self.signals.fetch_add(1, Ordering::SeqCst);
    }

    pub fn is_raised(&self) -> bool {
        self.count() > 0
    }

    /// How many signals arrived.
    pub fn count(&self) -> u32 {
        self.signals.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let flag = StopFlag::new();
        let other = flag.clone();
        assert!(!other.is_raised());
        flag.raise();
        flag.raise();
        assert!(other.is_raised());
        assert_eq!(other.count(), 2);
    }
}
