//! alsatool: play, record, mix and list Linux audio devices over ALSA.
//!
//! The library holds everything; `main.rs` only parses and exits. Layout:
//! - [`cli`]: the clap definitions, and nothing else knows about clap;
//! - [`commands`]: one file per subcommand, wiring the modules below together;
//! - [`device`]: opening PCMs, parameter negotiation, capabilities, xrun recovery, card listing;
//! - [`format`] and [`samples`]: sample formats and the per-sample kernels; [`convert`]: format
//!   and channel conversion where a device does not take a file's;
//! - [`audio_file`]: reading files to play, writing recordings; [`mixer`]: mixer controls;
//! - [`playback`]: the device side of `play` (negotiate, stream, drain); [`tone`]: a sine source;
//! - [`capture`]: the capture thread and the ring between it and the writer;
//! - [`progress`]: bars, meters and notes on stderr; [`signals`]: Ctrl-C and friends;
//! - [`exit_codes`]: what the process returns.

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
