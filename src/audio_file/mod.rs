//! Audio files: reading WAV and raw input for playback (`reader`), and writing WAV and raw
//! recordings that stay valid whatever ends them (`writer`).

pub mod au;
pub mod decode;
mod mp4_edit;
pub mod reader;
pub mod writer;
