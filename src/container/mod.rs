//! File formats alsatool reads and writes by hand: WAV (parsed for playback and built for
//! recordings, [`wav`]) and Sun AU ([`au`]), over small forward-only byte readers ([`bytes`]).

pub mod au;
pub mod bytes;
pub mod wav;
