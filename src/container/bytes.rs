//! Reading fixed-size pieces of a header from any reader, forward only.

use std::io::{self, Read};

use anyhow::{anyhow, bail, Result};

use crate::error_text::io_error_text;

pub fn read_array<const N: usize>(r: &mut impl Read, what: &str) -> Result<[u8; N]> {
    let mut b = [0u8; N];
    let mut done = 0;
    while done < N {
        match r.read(&mut b[done..]) {
            Ok(0) => bail!("the file ends inside the {what}"),
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(anyhow!("cannot read the {what}: {}", io_error_text(&e))),
        }
    }
    Ok(b)
}

pub fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub fn skip_exactly(r: &mut impl Read, n: u64) -> Result<()> {
    let skipped = io::copy(&mut r.take(n), &mut io::sink())
        .map_err(|e| anyhow!("cannot read the file: {}", io_error_text(&e)))?;
    if skipped < n {
        bail!("no data chunk before the end of the file");
    }
    Ok(())
}
