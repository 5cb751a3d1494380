//! `alsatool generate DIR`: writes shell completions to DIR/completions and man pages to DIR/man,
//! from the clap definition itself, so they never drift from the code (a test checks).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, GenerateArgs};
use crate::exit_codes::ExitCode;

pub fn run(args: GenerateArgs) -> Result<ExitCode> {
    write_all(&args.dir)?;
    Ok(ExitCode::Success)
}

/// Writes every completion script and man page below `root`.
pub fn write_all(root: &Path) -> Result<()> {
    let completions = root.join("completions");
    let man = root.join("man");
    for dir in [&completions, &man] {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut cmd = Cli::command();
        clap_complete::generate_to(shell, &mut cmd, "alsatool", &completions)
            .with_context(|| format!("cannot write {shell} completions"))?;
    }
    let cmd = Cli::command();
    write_man_page(&cmd, &man, "alsatool")?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("alsatool-{}", sub.get_name());
        let version = cmd.get_version().unwrap_or_default().to_string();
        let sub = sub
            .clone()
            .name(name.clone())
            .display_name(name.clone())
            .version(version);
        write_man_page(&sub, &man, &name)?;
    }
    Ok(())
}

fn write_man_page(cmd: &clap::Command, dir: &Path, name: &str) -> Result<()> {
    let path = dir.join(format!("{name}.1"));
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut page)
        .with_context(|| format!("cannot render the man page {name}.1"))?;
    fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))
}
