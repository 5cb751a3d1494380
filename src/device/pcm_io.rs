//! Reading and writing whole buffers with `snd_pcm_recover` semantics: an underrun, overrun or
//! suspend is recovered and counted, never fatal; anything else is an error.

use alsa::pcm::{IO, PCM};
use anyhow::{anyhow, Result};

use super::alsa_error_text;

/// What recovery has had to do so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XrunCount {
    /// Underruns (playback) or overruns (capture).
    pub xruns: u64,
    /// Times the system suspended the device.
    pub suspends: u64,
}

/// Whether a transfer went through or was stopped by the caller's flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transfer {
    Complete,
    Stopped,
}

impl XrunCount {
    /// Recovers `pcm` from `err` if it is an xrun, a suspend or an interrupted call, counting it.
    pub fn recover(&mut self, pcm: &PCM, err: alsa::Error) -> Result<()> {
        match err.errno().abs() {
            libc::EPIPE => self.xruns += 1,
            libc::ESTRPIPE => self.suspends += 1,
            libc::EINTR => return Ok(()),
            _ => {}
        }
        pcm.try_recover(err, true)
            .map_err(|e| anyhow!("the device failed: {}", alsa_error_text(&e)))
    }

    /// Writes all of `bytes` (whole frames), retrying short writes and recovering xruns.
    /// Returns early with [`Transfer::Stopped`] once `stop()` says so.
    pub fn write_all(
        &mut self,
        pcm: &PCM,
        io: &IO<'_, u8>,
        bytes: &[u8],
        bytes_per_frame: usize,
        stop: &dyn Fn() -> bool,
    ) -> Result<Transfer> {
        let mut done = 0;
        while done < bytes.len() {
            if stop() {
                return Ok(Transfer::Stopped);
            }
            match io.writei(&bytes[done..]) {
                Ok(frames) => done += frames * bytes_per_frame,
                Err(e) => self.recover(pcm, e)?,
            }
        }
        Ok(Transfer::Complete)
    }

    /// Fills `buf` (whole frames) from a capture PCM, recovering overruns.
    /// Returns the bytes read: all of `buf`, or less once `stop()` says so.
    pub fn read_exact(
        &mut self,
        pcm: &PCM,
        io: &IO<'_, u8>,
        buf: &mut [u8],
        bytes_per_frame: usize,
        stop: &dyn Fn() -> bool,
    ) -> Result<usize> {
        let mut done = 0;
        while done < buf.len() {
            if stop() {
                break;
            }
            match io.readi(&mut buf[done..]) {
                Ok(frames) => done += frames * bytes_per_frame,
                Err(e) => self.recover(pcm, e)?,
            }
        }
        Ok(done)
    }
}
