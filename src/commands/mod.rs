//! One file per subcommand. Each takes its clap struct, turns it into plain values and wires the
//! core modules together; none holds audio logic of its own.

pub mod devices;
pub mod generate;
pub mod latency;
pub mod loop_cmd;
pub mod mixer;
pub mod play;
pub mod record;
pub mod speakers;

use anyhow::Result;

use crate::cli::Command;
use crate::exit_codes::ExitCode;
use crate::progress::Ui;

pub fn dispatch(command: Command, ui: Ui) -> Result<ExitCode> {
    match command {
        Command::Devices(args) => devices::run(args, ui),
        Command::Play(args) => play::run(args, ui),
        Command::Record(args) => record::run(args, ui),
        Command::Mixer(args) => mixer::run(args, ui),
        Command::Speakers(args) => speakers::run(args, ui),
        Command::Loop(args) => loop_cmd::run(args, ui),
        Command::Latency(args) => latency::run(args, ui),
        Command::Generate(args) => generate::run(args),
    }
}
