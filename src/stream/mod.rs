//! The stream core: the per-period loops that move audio between a source or a sink and a
//! device. [`source`] is what playback reads from; [`player`] runs playback, [`capture`] the
//! capture thread and [`recorder`] the loop that writes what it captures; [`meter`] is the
//! live display both show; [`tone`] is a generated source; [`adapt`] converts and resamples
//! where a device does not take the layout asked for. [`control`] carries the commands that
//! steer playback (keys from [`keys`], signals, a control pipe); [`speaker_test`] plays a test
//! signal on one channel at a time and [`speaker_view`] shows it on a terminal; [`trigger`]
//! decides which captured frames make which take of `record --trigger`, and [`takes`] records
//! them.
//!
//! Capture to playback: [`duplex`] is the bridge `loop` runs, with [`drift`] (the fill-level
//! drift estimate and its correction), [`drift_resample`] (the resampler that applies it),
//! [`gate`] (opening the output on sound) and [`volume_link`] (mixer forwarding);
//! [`latency`] is the measurement signal and its correlation, [`roundtrip`] the measurement.

pub mod adapt;
pub mod capture;
pub mod control;
pub mod drift;
pub mod drift_resample;
pub mod duplex;
pub mod gate;
pub mod keys;
pub mod latency;
pub mod meter;
pub mod player;
pub mod recorder;
pub mod roundtrip;
pub mod source;
pub mod speaker_test;
pub mod speaker_view;
pub mod takes;
pub mod tone;
pub mod trigger;
pub mod volume_link;
