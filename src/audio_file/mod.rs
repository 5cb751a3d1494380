//! Audio files: reading WAV, AU and raw input for playback (`reader`), decoding everything
//! else (`decode`), one entry point choosing between them (`source`), and writing WAV and raw
//! recordings that stay valid whatever ends them (`writer`).

pub mod au;
pub mod decode;
mod mp4_edit;
pub mod reader;
pub mod source;
pub mod writer;

use std::fs::{File, Metadata};
use std::io;
use std::path::Path;

use anyhow::{anyhow, bail, Result};

/// An I/O error's text without Rust's " (os error N)" tail: "No space left on device".
pub fn io_error_text(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(errno) => crate::device::errno_text(errno),
        None => err.to_string(),
    }
}

/// Opens an audio file to read, refusing what cannot be one (a directory, an empty file) with
/// an error that says so.
pub fn open_for_reading(path: &Path) -> Result<(File, Metadata)> {
    let file = File::open(path).map_err(|e| anyhow!("cannot open it: {}", io_error_text(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| anyhow!("cannot read it: {}", io_error_text(&e)))?;
    if meta.is_dir() {
        bail!("it is a directory, not an audio file");
    }
    if meta.is_file() && meta.len() == 0 {
        bail!("the file is empty");
    }
    Ok((file, meta))
}
