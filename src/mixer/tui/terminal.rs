//! The terminal side of `mixer tui`, and the only part that touches the terminal or the device.
//!
//! The terminal is put back (raw mode off, the alternate screen and mouse reporting left, the
//! cursor shown) on every way out: a normal quit, SIGINT/SIGTERM/SIGHUP (the [`StopFlag`]), an
//! error (the [`FullScreen`] guard's drop runs before `main` prints it, so the message lands on the
//! normal screen), a panic (a panic hook, since a panic with `panic = "abort"` or inside the hook's
//! own printing would skip drops), and a terminal that went away (EIO, POLLHUP: it ends quietly,
//! as SIGHUP does, since there is nobody left to read a message).
//!
//! One `poll(2)` waits on the mixer's descriptors and on the terminal together, so a change
//! made by another program is drawn as soon as alsa-lib reports it, and a key as soon as it is
//! typed; the short timeout only bounds how late a signal is noticed.

use std::io::{self, IsTerminal, Write};
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::Terminal;

use super::model::{CardChoice, Effect, Model};
use super::render::render;
use crate::device::{alsa_error_text, cards};
use crate::exit_codes::UsageError;
use crate::mixer::control;
use crate::mixer::scale::Scale;
use crate::mixer::{self as mx, apply, Mixer};
use crate::signals::StopFlag;

/// The longest wait between looks at the stop flag.
const TICK: Duration = Duration::from_millis(250);

/// What `mixer tui` says without a terminal.
pub const NEEDS_A_TERMINAL: &str =
    "mixer tui needs a terminal; use `alsatool mixer` or `mixer set` in scripts";

/// Runs the mixer on `device` until the user quits or a signal arrives.
pub fn run(device: &str) -> Result<()> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(UsageError(NEEDS_A_TERMINAL.to_string()).into());
    }
    let stop = StopFlag::install()?;
    // Opened before the screen changes, so an error reads as any other command's.
    let mixer = mx::open(device)?;
    let (width, height) = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    let color = std::env::var_os("NO_COLOR").is_none();
    let model = Model::new(device, control::read_all(&mixer), width, height).with_color(color);
    let session = FullScreen::enter()?;
    let outcome = match Terminal::new(CrosstermBackend::new(io::stdout())) {
        Ok(terminal) => {
            let mut terminal = ManuallyDrop::new(terminal);
            let outcome = event_loop(&mut terminal, mixer, model, &stop);
            // ratatui's drop shows the cursor and, when that fails, says so with `eprintln!`,
            // which panics on a terminal that is gone. So the cursor is shown here, and only a
            // terminal that took it is dropped; `restore` shows the cursor in any case.
            if terminal.show_cursor().is_ok() {
                drop(ManuallyDrop::into_inner(terminal));
            }
            outcome
        }
        Err(e) => Err(e.into()),
    };
    drop(session);
    match outcome {
        Ok(()) => Ok(()),
        Err(e) if terminal_lost(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Every simple control's state, in alsa-lib's order.
/// Whether an error means the terminal is gone (hung up, closed): no error to report then.
fn terminal_lost(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|e| {
            e.kind() == io::ErrorKind::BrokenPipe
                || matches!(
                    e.raw_os_error(),
                    Some(libc::EIO | libc::ENXIO | libc::ENOTTY | libc::EBADF)
                )
        })
    })
}

/// Whether the terminal is in raw mode on the alternate screen, so [`restore`] has work to do.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was. Safe to call more than once and from the panic hook;
/// errors are ignored, since a terminal that is gone cannot be restored anyway.
fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let mut out = io::stdout();
        let _ = execute!(
            out,
            DisableMouseCapture,
            LeaveAlternateScreen,
            ratatui::crossterm::cursor::Show
        );
        let _ = out.flush();
    }
}

/// Makes every panic run `cleanup` before the panic is reported (by the hook there was), so
/// the message is printed on the normal screen of a terminal that is usable again.
fn restore_on_panic(cleanup: fn()) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        cleanup();
        previous(info);
    }));
}

/// Raw mode, the alternate screen and mouse reporting for as long as it lives.
struct FullScreen;

impl FullScreen {
    fn enter() -> Result<FullScreen> {
        static HOOK: Once = Once::new();
        HOOK.call_once(|| restore_on_panic(restore));
        enable_raw_mode().context("cannot put the terminal in raw mode")?;
        ACTIVE.store(true, Ordering::SeqCst);
        // From here on, drop restores whatever was entered.
        let session = FullScreen;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            ratatui::crossterm::cursor::Hide
        )
        .context("cannot set up the terminal")?;
        Ok(session)
    }
}

impl Drop for FullScreen {
    fn drop(&mut self) {
        restore();
    }
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<io::Stdout>>,
    mut mixer: Mixer,
    mut model: Model,
    stop: &StopFlag,
) -> Result<()> {
    let mut dirty = true;
    loop {
        if stop.is_raised() {
            return Ok(());
        }
        if dirty {
            terminal.draw(|frame| render(&model, frame.area(), frame.buffer_mut()))?;
            dirty = false;
        }
        let device = model.device().to_string();
        let cannot_watch =
            |e: alsa::Error| anyhow!("cannot watch '{device}': {}", alsa_error_text(&e));
        let mut fds = mixer.poll_descriptors().map_err(cannot_watch)?;
        let mixer_fds = fds.len();
        fds.push(libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        });
        // SAFETY: `fds` is a valid array of `fds.len()` pollfd structures.
        let ready = unsafe {
            libc::poll(
                fds.as_mut_ptr(),
                fds.len() as libc::nfds_t,
                TICK.as_millis() as libc::c_int,
            )
        };
        if ready < 0 {
            let err = io::Error::last_os_error();
            // EINTR: a signal, SIGWINCH among them; its resize event is read below.
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err).context("cannot wait for the terminal and the mixer");
            }
        } else if ready > 0 {
            if fds[mixer_fds].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return Err(io::Error::from_raw_os_error(libc::EIO).into());
            }
            if mixer
                .poll_revents(&mut fds[..mixer_fds])
                .map_err(cannot_watch)?
            {
                mixer.handle_events().map_err(|e| {
                    anyhow!("lost the mixer of '{device}': {}", alsa_error_text(&e))
                })?;
                model.set_controls(control::read_all(&mixer));
                dirty = true;
            }
        }
        // Also the events crossterm has already read and queued.
        while event::poll(Duration::ZERO)? {
            let read = event::read()?;
            // Mouse capture reports every movement of the pointer; only clicks and the wheel
            // change anything, so a movement costs no redraw.
            if matches!(&read, event::Event::Mouse(m) if m.kind == event::MouseEventKind::Moved) {
                continue;
            }
            let effect = model.handle(read);
            dirty = true;
            match effect {
                None => {}
                Some(Effect::Quit) => return Ok(()),
                Some(Effect::Redraw) => terminal.clear()?,
                Some(Effect::Change { id, args }) => {
                    if let Err(e) = change(&mixer, &id, &args) {
                        model.set_message(format!("{e:#}"));
                    }
                    // Read back what the device made of it (it may round or refuse).
                    let _ = mixer.handle_events();
                    model.set_controls(control::read_all(&mixer));
                }
                Some(Effect::ListCards) => model.show_cards(card_choices(model.device())),
                Some(Effect::Open(device)) => match mx::open(&device) {
                    Ok(opened) => {
                        mixer = opened;
                        model.set_device(&device, control::read_all(&mixer));
                    }
                    Err(e) => model.set_message(format!("{e:#}")),
                },
            }
        }
    }
}

/// Applies amixer value-language `args` to the control `id`, as `mixer set` does.
fn change(mixer: &Mixer, id: &str, args: &[String]) -> Result<()> {
    let elems = mixer.elems();
    let elem = elems
        .iter()
        .find(|e| control::control_id(&e.name(), e.index()) == id)
        .ok_or_else(|| anyhow!("'{id}' is no longer there"))?;
    apply::apply(elem, args, Scale::Mapped)
}

/// The devices F6 offers: `default`, every card, and the device shown now.
fn card_choices(current: &str) -> Vec<CardChoice> {
    let mut choices = vec![CardChoice {
        device: "default".to_string(),
        label: "the default device".to_string(),
    }];
    // No cards (or no way to list them) still leaves `default` and the current device.
    for card in cards::list_cards().unwrap_or_default() {
        choices.push(CardChoice {
            device: format!("hw:{}", card.index),
            label: format!("{} ({})", card.name, card.id),
        });
    }
    if !choices.iter().any(|c| c.device == current) {
        choices.push(CardChoice {
            device: current.to_string(),
            label: "the device shown now".to_string(),
        });
    }
    choices
}

#[cfg(test)]
mod tests {
    use super::*;

    static CLEANED: AtomicBool = AtomicBool::new(false);

    fn cleanup() {
        CLEANED.store(true, Ordering::SeqCst);
    }

    #[test]
    fn a_panic_restores_the_terminal_before_it_is_reported() {
        restore_on_panic(cleanup);
        let caught = std::panic::catch_unwind(|| panic!("a bug in the mixer screen"));
        assert!(caught.is_err());
        assert!(CLEANED.load(Ordering::SeqCst));
        // Nothing was entered here, so restoring writes nothing and can run any number of times.
        restore();
        restore();
    }

    #[test]
    fn a_terminal_that_is_gone_is_no_error_to_report() {
        let gone = |errno| anyhow::Error::from(io::Error::from_raw_os_error(errno));
        assert!(terminal_lost(&gone(libc::EIO)));
        assert!(terminal_lost(&gone(libc::ENXIO).context("drawing")));
        assert!(!terminal_lost(&gone(libc::ENOMEM)));
        assert!(!terminal_lost(&anyhow!("lost the mixer of 'hw:1'")));
        assert_eq!(
            NEEDS_A_TERMINAL,
            "mixer tui needs a terminal; use `alsatool mixer` or `mixer set` in scripts"
        );
    }
}
