//! The arguments of `mixer`: which control device, and the action.

use clap::{Args, Subcommand};

/// Show, set and watch mixer controls.
///
/// Without an action, lists the simple controls with their volumes and switches. Percentages
/// are what alsamixer shows (mapped from the control's dB range); --linear uses amixer's
/// linear raw scale instead.
#[derive(Debug, Args)]
pub struct MixerArgs {
    /// Card index or id (1, PCH); short for -d hw:CARD.
    #[arg(
        short = 'c',
        long,
        value_name = "CARD",
        global = true,
        conflicts_with = "device"
    )]
    pub card: Option<String>,

    /// Control device string (hw:0, default, pulse).
    #[arg(
        short = 'd',
        long,
        short_alias = 'D',
        value_name = "DEVICE",
        global = true
    )]
    pub device: Option<String>,

    /// Include inactive controls in the list.
    #[arg(long, global = true)]
    pub all: bool,

    /// Print JSON for scripts (documented in README, stable).
    #[arg(long, global = true)]
    pub json: bool,

    /// Percent is linear in raw steps (amixer's default) rather than alsamixer's mapped volume.
    #[arg(long, global = true)]
    pub linear: bool,

    #[command(subcommand)]
    pub action: Option<MixerAction>,
}

#[derive(Debug, Subcommand)]
pub enum MixerAction {
    /// Show everything about one control.
    Get {
        /// Simple control name with optional index: Master, Mic,1.
        control: String,
    },
    /// Change a control: volumes (50%, -3dB, 5%+, 80%,40%), switches (mute, unmute, toggle,
    /// cap, nocap), enum items, direction words (playback, capture), channel words (front, rear).
    Set {
        /// Simple control name with optional index: Master, Mic,1.
        control: String,
        /// One or more values, as amixer takes them.
        #[arg(required = true, allow_hyphen_values = true, num_args = 1..)]
        values: Vec<String>,
    },
    /// Print every change as it happens, until Ctrl-C.
    Watch {
        /// Only this control.
        control: Option<String>,
    },
    /// A full-screen mixer like alsamixer, with dB beside alsamixer's percent.
    ///
    /// A column per control: a bar and the percent on alsamixer's mapped scale, the dB value,
    /// the mute and capture switches, or the selected item. Keys are alsamixer's: Left/Right
    /// select, Up/Down change by 1% (PgUp/PgDn 10%), Q E / Z C raise / lower one channel, M mutes,
    /// Space toggles capture, 0-9 set 0%-90%, F3 F4 F5 or Tab pick the view, F6 or S the card,
    /// / filters by name, ? helps, Esc quits (q too where it has nothing to raise). The mouse
    /// selects and its wheel changes the volume. Needs a terminal.
    Tui,
}

impl MixerArgs {
    /// `set`'s values take anything that starts with a hyphen (so `-3dB` needs no `--`), which
    /// also swallows options written after them (`set Master -3dB -c 1`). This moves those
    /// options back where they belong; `--` still ends option parsing.
    pub fn reclaim_trailing_options(&mut self) -> Result<(), String> {
        let Some(MixerAction::Set { values, .. }) = &mut self.action else {
            return Ok(());
        };
        let mut kept = Vec::new();
        let mut tokens = std::mem::take(values).into_iter();
        while let Some(token) = tokens.next() {
            if token == "--" {
                kept.extend(tokens.by_ref());
                break;
            }
            let (flag, inline) = match token.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (token.clone(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| tokens.next())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match flag.as_str() {
                "-c" | "--card" => self.card = Some(value("--card")?),
                "-d" | "-D" | "--device" => self.device = Some(value("--device")?),
                "--all" => self.all = true,
                "--json" => self.json = true,
                "--linear" => self.linear = true,
                _ => kept.push(token),
            }
        }
        if self.card.is_some() && self.device.is_some() {
            return Err("--card and --device cannot be used together".to_string());
        }
        if kept.is_empty() {
            return Err("set needs at least one value, such as 50%, -3dB, mute".to_string());
        }
        *values = kept;
        Ok(())
    }
}
