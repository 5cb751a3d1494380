//! Where recordings go: WAV and raw files or standard output, kept valid on disk whatever
//! ends the recording ([`writer`]).

pub mod writer;
