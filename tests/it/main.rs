//! Integration tests: the built `alsatool` binary against real ALSA (the null and file plugins,
//! test PCMs in a private ~/.asoundrc, a private PulseAudio). One test crate, one module per
//! subcommand, shared helpers in `util`.

mod util;

mod bench;
mod devices;
mod duplex;
mod fifo;
mod flac;
mod formats;
mod fuzz;
mod generated;
mod mixer;
mod mixer_tui;
mod play;
mod record;
mod recording_files;
mod resample;
mod speakers;
mod steer;
mod stream;
mod takes;
