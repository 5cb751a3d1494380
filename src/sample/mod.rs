//! Samples: the formats ALSA names ([`format`]), one sample as a number and back, G.711
//! included ([`codec`]), converting whole buffers between formats and channel layouts
//! ([`convert`]), changing the sample rate ([`resample`]), and the per-channel peaks the meters
//! show ([`peaks`]).

pub mod codec;
pub mod convert;
pub mod format;
pub mod peaks;
pub mod resample;
