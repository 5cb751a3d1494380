//! `alsatool record`.

use anyhow::{bail, Result};

use crate::cli::RecordArgs;
use crate::exit_codes::ExitCode;
use crate::progress::Ui;

pub fn run(_args: RecordArgs, _ui: Ui) -> Result<ExitCode> {
    bail!("'alsatool record' is not implemented yet")
}
