//! File formats alsatool reads and writes by hand: WAV (parsed for playback and built for
//! recordings, [`wav`]) and Sun AU ([`au`]), over small forward-only byte readers ([`bytes`]).
//!
//! The parsers read any `std::io::Read` forward only, in bounded pieces (at most 1024 channels,
//! a few KiB of header), so they serve pipes and hostile headers alike. They know nothing of
//! where the bytes come from: [`crate::input`] opens files and streams, makes reads of streams
//! give up on Ctrl-C, and turns a header error caused by that back into its typed
//! [`crate::input::Stopped`].

pub mod au;
pub mod bytes;
pub mod wav;
