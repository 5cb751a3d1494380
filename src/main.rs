//! The `alsatool` binary: parse, run, print one line on error, exit with a meaningful code.

use clap::Parser;

use alsatool::exit_codes::{self, ExitCode};

fn main() {
    let cli = alsatool::cli::Cli::parse();
    let code = match alsatool::run(cli) {
        Ok(code) => code,
        Err(err) if exit_codes::is_broken_pipe(&err) => ExitCode::Success,
        Err(err) => {
            eprintln!("alsatool: {err:#}");
            exit_codes::for_error(&err)
        }
    };
    std::process::exit(code.code());
}
