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
    /// The flag this one was made from ([`StopFlag::linked`]): raising that raises this too.
    parent: Option<Arc<AtomicU32>>,
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

    /// A flag that is raised with this one, and can also be raised on its own without raising
    /// this one: a part of the program (the capture thread) stops, the rest goes on.
    pub fn linked(&self) -> StopFlag {
        StopFlag {
            signals: Arc::new(AtomicU32::new(0)),
            parent: Some(self.signals.clone()),
        }
    }

    pub fn raise(&self) {
        self.signals.fetch_add(1, Ordering::SeqCst);
    }

    pub fn is_raised(&self) -> bool {
        self.count() > 0
            || self
                .parent
                .as_ref()
                .is_some_and(|p| p.load(Ordering::SeqCst) > 0)
    }

    /// How many times this flag itself was raised (signals, for the installed one).
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

    #[test]
    fn a_linked_flag_follows_its_parent_but_not_the_other_way() {
        let parent = StopFlag::new();
        let part = parent.linked();
        part.raise();
        assert!(part.is_raised() && !parent.is_raised());
        let other = parent.linked();
        parent.raise();
        assert!(other.is_raised());
    }
}
