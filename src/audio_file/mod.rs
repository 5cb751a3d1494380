//! Audio files: reading WAV, AU and raw input for playback (`reader`), decoding everything
//! else (`decode`), one entry point choosing between them (`source`), and writing WAV and raw
//! recordings that stay valid whatever ends them (`writer`).

pub mod au;
pub mod decode;
mod mp4_edit;
pub mod reader;
pub mod source;
pub mod writer;
