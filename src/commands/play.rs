//! `alsatool play`.

use anyhow::{bail, Result};

use crate::cli::PlayArgs;
use crate::exit_codes::ExitCode;
use crate::progress::Ui;

pub fn run(_args: PlayArgs, _ui: Ui) -> Result<ExitCode> {
    bail!("'alsatool play' is not implemented yet")
}
