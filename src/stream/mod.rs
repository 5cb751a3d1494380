//! The stream core: the per-period loops that move audio between a source or a sink and a
//! device. [`source`] is what playback reads from; [`player`] runs playback, [`capture`] the
//! capture thread and [`recorder`] the loop that writes what it captures; [`meter`] is the
//! live display both show; [`tone`] is a generated source.
//!
//! Capture to playback: [`duplex`] is the bridge `loop` runs, with [`drift`] (the fill-level
//! drift estimate and its correction), [`drift_resample`] (the resampler that applies it),
//! [`gate`] (opening the output on sound) and [`volume_link`] (mixer forwarding);
//! [`latency`] is the measurement signal and its correlation, [`roundtrip`] the measurement.

pub mod capture;
pub mod drift;
pub mod drift_resample;
pub mod duplex;
pub mod gate;
pub mod latency;
pub mod meter;
pub mod player;
pub mod recorder;
pub mod roundtrip;
pub mod source;
pub mod tone;
pub mod volume_link;
