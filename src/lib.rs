//! alsatool: play, record, mix and list Linux audio devices over ALSA.
//!
//! The library holds everything; `main.rs` only parses and exits. Layout:
//! - [`cli`]: the clap definitions, and nothing else knows about clap;
//! - [`commands`]: one file per subcommand, wiring the modules below together;
//! - [`spec`]: what a stream of PCM bytes is ([`spec::PcmSpec`]) and frame arithmetic;
//! - [`sample`]: sample formats, one sample as a number, conversion, peaks;
//! - [`device`]: opening PCMs, the one negotiation, the one place of PCM I/O ([`device::pcm_io`]:
//!   xruns and the stop flag), capabilities, cards;
//! - [`stream`]: the per-period loops: [`stream::player`], [`stream::capture`] and
//!   [`stream::recorder`], with the [`stream::source::PcmSource`] they play and the meter;
//!   [`stream::control`] and [`stream::keys`] steer playback (pause, seek, skip, retune);
//! - [`input`]: what play reads (files, pipes, decoders); [`container`]: WAV and AU headers;
//! - [`output`]: recordings that stay valid whatever ends them; [`mixer`]: mixer controls;
//! - [`progress`]: bars, notes and warnings on stderr; [`signals`]: Ctrl-C and friends;
//! - [`error_text`] and [`exit_codes`]: what the user reads and what the process returns.
//!
//! Playback: input → source → stream → device; capture: device → capture → recorder → output.

pub mod cli;
pub mod commands;
pub mod container;
pub mod device;
pub mod error_text;
pub mod exit_codes;
pub mod input;
pub mod mixer;
pub mod output;
pub mod progress;
pub mod sample;
pub mod signals;
pub mod spec;
pub mod stream;

use exit_codes::ExitCode;

/// Runs a parsed command line. Errors carry the one-line message for the user.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    device::alsa_log::set_verbose(cli.verbose > 0);
    let ui = progress::Ui::new(cli.verbose, cli.quiet);
    commands::dispatch(cli.command, ui)
}
