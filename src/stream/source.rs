//! The one interface every kind of audio to play offers the player: files, decoders, standard
//! input and generated tones alike.

use anyhow::Result;

use crate::spec::PcmSpec;

/// A source of PCM bytes with a known format: a WAV, AU or raw file, standard input, a tone,
/// or a decoder. Playback only ever sees this.
pub trait PcmSource {
    /// What the bytes are.
    fn spec(&self) -> PcmSpec;

    /// Frames still to come, when known (a file whose length is known; not a pipe).
    fn frames_left(&self) -> Option<u64>;

    /// Fills the start of `buf` with whole frames and returns how many bytes it wrote (a
    /// multiple of the frame size, at most `buf.len()` rounded down to whole frames). Returns 0
    /// only at the end. It may return fewer bytes than asked for (a pipe that is slow).
    fn read_frames(&mut self, buf: &mut [u8]) -> Result<usize>;

    /// Skips up to `frames` frames; returns how many were skipped (fewer at the end).
    fn skip_frames(&mut self, frames: u64) -> Result<u64>;
}
