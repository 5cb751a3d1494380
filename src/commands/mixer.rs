//! `alsatool mixer`.

use anyhow::{bail, Result};

use crate::cli::MixerArgs;
use crate::exit_codes::ExitCode;
use crate::progress::Ui;

pub fn run(_args: MixerArgs, _ui: Ui) -> Result<ExitCode> {
    bail!("'alsatool mixer' is not implemented yet")
}
