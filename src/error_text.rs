//! Error texts for people: the system's words for an errno or I/O error without Rust's
//! " (os error N)" tail, so that every one-line error reads the same.

use std::io;

/// An I/O error's text without Rust's " (os error N)" tail: "No space left on device".
pub fn io_error_text(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(errno) => errno_text(errno),
        None => err.to_string(),
    }
}

/// The system's text for an errno value, without Rust's " (os error N)" tail.
pub fn errno_text(errno: i32) -> String {
    let text = std::io::Error::from_raw_os_error(errno.abs()).to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}
