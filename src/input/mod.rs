//! Everything `play` reads: WAV, AU and raw files or standard input as the bytes they hold
//! ([`reader`]), everything else through the decoder ([`decode`]), and one entry point that
//! sniffs the content and chooses ([`open`]). Each hands playback one [`PcmSource`].
//!
//! [`PcmSource`]: crate::stream::source::PcmSource

pub mod decode;
pub mod open;
pub mod reader;

use std::fs::{File, Metadata};
use std::path::Path;

use anyhow::{anyhow, bail, Result};

use crate::error_text::io_error_text;

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
