//! The stream core: the per-period loops that move audio between a source or a sink and a
//! device. [`source`] is what playback reads from; [`player`] runs playback, [`capture`] the
//! capture thread and [`recorder`] the loop that writes what it captures; [`meter`] is the
//! live display both show; [`tone`] is a generated source; [`trigger`] decides which captured
//! frames make which take of `record --trigger`, and [`takes`] records them.

pub mod capture;
pub mod meter;
pub mod player;
pub mod recorder;
pub mod source;
pub mod takes;
pub mod tone;
pub mod trigger;
