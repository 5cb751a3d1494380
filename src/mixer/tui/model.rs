//! The mixer screen's state and what each key or mouse event does to it. Nothing here touches
//! a terminal or a device: events come in, [`Effect`]s go out, and new control states come back
//! through [`Model::set_controls`]. A change to the device is an [`Effect::Change`] carrying
//! amixer value-language arguments (`frontleft playback 1%+`), which the caller hands to the
//! same `apply` that `mixer set` uses: one checked path for every change, and the mapped 1% step
//! there is alsamixer's arrow key (`change_volume_relative`).

use alsa::Direction;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use super::keys::{self, Command, View, Which};
use super::layout;
use crate::device::direction_name;
use crate::mixer::control::{Control, Side};
use crate::mixer::value::CHANNEL_WORDS;

/// One column on screen: one direction of a control, or an enumerated control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// Index into the controls.
    pub control: usize,
    /// `None` for an enumerated control.
    pub dir: Option<Direction>,
    /// A playback column that also carries the control's capture switch (alsamixer's merged
    /// capture switch, in the All view, for a control whose capture side is a switch only).
    pub merged_capture: bool,
}

/// A device the card list offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardChoice {
    /// The control device to open: `default`, `hw:0`, …
    pub device: String,
    /// What the list shows.
    pub label: String,
}

/// What is drawn over the columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help {
        scroll: usize,
    },
    Cards {
        choices: Vec<CardChoice>,
        selected: usize,
    },
}

/// What the caller is asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Apply amixer value-language `args` to the control `id` (as `mixer set ID ARGS…`).
    Change {
        id: String,
        args: Vec<String>,
    },
    /// List the cards and hand them to [`Model::show_cards`].
    ListCards,
    /// Open this control device instead and hand its controls to [`Model::set_device`].
    Open(String),
    /// Clear and redraw the whole screen.
    Redraw,
    Quit,
}

pub struct Model {
    pub(super) device: String,
    pub(super) controls: Vec<Control>,
    pub(super) view: View,
    pub(super) columns: Vec<Column>,
    pub(super) focus: usize,
    /// The first visible column.
    pub(super) scroll: usize,
    pub(super) filter: String,
    /// The filter line has the keyboard.
    pub(super) editing_filter: bool,
    pub(super) overlay: Overlay,
    /// A note or error for the status row, until the next key.
    pub(super) message: Option<String>,
    pub(super) area: Rect,
    /// Colours are allowed (a terminal, and NO_COLOR unset).
    pub(super) color: bool,
}

impl Model {
    pub fn new(device: &str, controls: Vec<Control>, width: u16, height: u16) -> Model {
        let mut model = Model {
            device: device.to_string(),
            controls: Vec::new(),
            view: View::Playback,
            columns: Vec::new(),
            focus: 0,
            scroll: 0,
            filter: String::new(),
            editing_filter: false,
            overlay: Overlay::None,
            message: None,
            area: Rect::new(0, 0, width, height),
            color: false,
        };
        model.set_controls(controls);
        model
    }

    pub fn with_color(mut self, color: bool) -> Model {
        self.color = color;
        self
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn controls(&self) -> &[Control] {
        &self.controls
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The focused column's control, if any column is shown.
    pub fn focused(&self) -> Option<(&Column, &Control)> {
        let column = self.columns.get(self.focus)?;
        Some((column, &self.controls[column.control]))
    }

    /// New states of the controls (after a change, or another program's): the focus stays on
    /// the same control and direction when it is still shown.
    pub fn set_controls(&mut self, controls: Vec<Control>) {
        let focused = self.focus_key();
        self.controls = controls;
        self.rebuild(focused);
    }

    /// Another device's controls, after [`Effect::Open`] succeeded.
    pub fn set_device(&mut self, device: &str, controls: Vec<Control>) {
        self.device = device.to_string();
        self.focus = 0;
        self.scroll = 0;
        self.controls = controls;
        self.rebuild(None);
        self.message = Some(format!("showing '{device}'"));
    }

    /// A note or error for the status row.
    pub fn set_message(&mut self, message: String) {
        self.message = Some(message);
    }

    /// The list of cards for F6, after [`Effect::ListCards`].
    pub fn show_cards(&mut self, choices: Vec<CardChoice>) {
        let selected = choices
            .iter()
            .position(|c| c.device == self.device)
            .unwrap_or(0);
        self.overlay = Overlay::Cards { choices, selected };
    }

    /// The terminal's new size.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.area = Rect::new(0, 0, width, height);
        self.scroll = layout::scroll_for(self.focus, self.scroll, self.columns.len(), width);
    }

    fn focus_key(&self) -> Option<(String, Option<Direction>)> {
        self.focused()
            .map(|(column, control)| (control.id.clone(), column.dir))
    }

    /// The columns of the view and filter, with the focus back on `focused` when it is shown.
    fn rebuild(&mut self, focused: Option<(String, Option<Direction>)>) {
        let filter = self.filter.to_lowercase();
        self.columns = self
            .controls
            .iter()
            .enumerate()
            .filter(|(_, c)| filter.is_empty() || c.id.to_lowercase().contains(&filter))
            .flat_map(|(i, c)| columns_of(i, c, self.view))
            .collect();
        let found = focused.and_then(|(id, dir)| {
            self.columns
                .iter()
                .position(|col| self.controls[col.control].id == id && col.dir == dir)
        });
        self.focus = found.unwrap_or(self.focus.min(self.columns.len().saturating_sub(1)));
        self.scroll =
            layout::scroll_for(self.focus, self.scroll, self.columns.len(), self.area.width);
    }

    /// What a terminal event does: the one entry point the terminal loop calls.
    pub fn handle(&mut self, event: Event) -> Option<Effect> {
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Mouse(mouse) => self.handle_mouse(mouse),
            Event::Resize(width, height) => {
                self.resize(width, height);
                None
            }
            _ => None,
        }
    }

    /// What a key does.
    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        self.message = None;
        let ctrl_c =
            key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
        if ctrl_c {
            return Some(Effect::Quit);
        }
        if self.editing_filter {
            self.edit_filter(key);
            return None;
        }
        match &mut self.overlay {
            Overlay::None => {}
            Overlay::Help { scroll } => {
                match key.code {
                    KeyCode::Char('q' | 'Q') | KeyCode::F(10) => return Some(Effect::Quit),
                    KeyCode::Up => *scroll = scroll.saturating_sub(1),
                    KeyCode::Down => *scroll = (*scroll + 1).min(keys::HELP.len() - 1),
                    _ => self.overlay = Overlay::None,
                }
                return None;
            }
            Overlay::Cards { choices, selected } => {
                match key.code {
                    KeyCode::Char('q' | 'Q') | KeyCode::F(10) => return Some(Effect::Quit),
                    KeyCode::Up => *selected = selected.saturating_sub(1),
                    KeyCode::Down => {
                        *selected = (*selected + 1).min(choices.len().saturating_sub(1))
                    }
                    KeyCode::Enter => {
                        let device = choices.get(*selected).map(|c| c.device.clone());
                        self.overlay = Overlay::None;
                        return device.map(Effect::Open);
                    }
                    KeyCode::Esc | KeyCode::F(6) => self.overlay = Overlay::None,
                    _ => {}
                }
                return None;
            }
        }
        let command = keys::command(&key)?;
        self.run(command)
    }

    fn edit_filter(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter => self.editing_filter = false,
            KeyCode::Esc => {
                self.editing_filter = false;
                self.filter.clear();
            }
            KeyCode::Backspace => {
                self.filter.pop();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.filter.push(c)
            }
            _ => return,
        }
        let focused = self.focus_key();
        self.rebuild(focused);
    }

    /// What a mouse event does: a click focuses the column under it, the wheel focuses it and
    /// moves its volume one step (alsamixer's `mouse_wheel_focuses_control`).
    pub fn handle_mouse(&mut self, mouse: MouseEvent) -> Option<Effect> {
        if self.overlay != Overlay::None || self.editing_filter {
            return None;
        }
        let under = layout::column_at(
            self.area,
            self.scroll,
            self.columns.len(),
            mouse.column,
            mouse.row,
        );
        let step = match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(index) = under {
                    self.focus = index;
                }
                return None;
            }
            MouseEventKind::ScrollUp => 1,
            MouseEventKind::ScrollDown => -1,
            _ => return None,
        };
        if let Some(index) = under {
            self.focus = index;
        }
        self.message = None;
        self.run(Command::Step(step, Which::Both))
    }

    fn run(&mut self, command: Command) -> Option<Effect> {
        match command {
            Command::Quit => return Some(Effect::Quit),
            Command::Help => self.overlay = Overlay::Help { scroll: 0 },
            Command::SetView(view) => self.set_view(view),
            Command::NextView => self.set_view(self.view.next()),
            Command::PreviousView => self.set_view(self.view.previous()),
            Command::Cards => return Some(Effect::ListCards),
            Command::Redraw => return Some(Effect::Redraw),
            Command::Focus(by) => {
                let last = self.columns.len().saturating_sub(1) as isize;
                self.focus = (self.focus as isize + by).clamp(0, last) as usize;
                self.scroll = layout::scroll_for(
                    self.focus,
                    self.scroll,
                    self.columns.len(),
                    self.area.width,
                );
            }
            Command::Filter => {
                self.editing_filter = true;
            }
            Command::RaiseLeftOrQuit => {
                let raises = self
                    .focused()
                    .is_some_and(|(column, control)| steppable(column, control));
                if !raises {
                    return Some(Effect::Quit);
                }
                return self.step(1, Which::Left);
            }
            Command::Step(delta, which) => return self.step(delta, which),
            Command::SetPercent(percent) => return self.set_percent(percent),
            Command::ToggleMute(which) => return self.toggle(Direction::Playback, which),
            Command::ToggleCapture(which) => return self.toggle(Direction::Capture, which),
            Command::Balance => return self.balance(),
        }
        None
    }

    fn set_view(&mut self, view: View) {
        let focused = self.focus_key();
        self.view = view;
        self.rebuild(focused);
    }

    /// The focused control, when it can be changed (alsamixer ignores inactive ones).
    fn changeable(&mut self) -> Option<(Column, &Control)> {
        let (column, control) = self.focused()?;
        let column = *column;
        if !control.active {
            let note = format!("'{}' is inactive", control.id);
            self.message = Some(note);
            return None;
        }
        Some((column, &self.controls[column.control]))
    }

    fn step(&mut self, delta: i32, which: Which) -> Option<Effect> {
        let (column, control) = self.changeable()?;
        if let Some(e) = &control.enumeration {
            let current = e.selected.first()?.index as i64;
            let last = e.items.len().checked_sub(1)? as i64;
            let target = (current + delta as i64).clamp(0, last);
            return (target != current).then(|| change(control, vec![target.to_string()]));
        }
        let dir = column.dir?;
        let side = side(control, dir)?;
        side.volume.as_ref()?;
        let sign = if delta > 0 { '+' } else { '-' };
        let mut args = channel_args(side, which, side.volume_joined);
        args.push(direction_name(dir).to_string());
        args.push(format!("{}%{sign}", delta.unsigned_abs()));
        Some(change(control, args))
    }

    fn set_percent(&mut self, percent: u32) -> Option<Effect> {
        let (column, control) = self.changeable()?;
        if let Some(e) = &control.enumeration {
            // alsamixer: 0 picks the first item; other percents mean nothing to an enum.
            let current = e.selected.first()?.index;
            return (percent == 0 && current != 0).then(|| change(control, vec!["0".into()]));
        }
        let dir = column.dir?;
        side(control, dir)?.volume.as_ref()?;
        let args = vec![direction_name(dir).to_string(), format!("{percent}%")];
        Some(change(control, args))
    }

    fn toggle(&mut self, switch: Direction, which: Which) -> Option<Effect> {
        let (column, control) = self.changeable()?;
        let reaches = match switch {
            Direction::Playback => column.dir == Some(Direction::Playback),
            Direction::Capture => column.dir == Some(Direction::Capture) || column.merged_capture,
        };
        if !reaches {
            return None;
        }
        let side = side(control, switch).filter(|s| s.has_switch)?;
        let mut args = channel_args(side, which, side.switch_joined);
        args.push(direction_name(switch).to_string());
        args.push("toggle".to_string());
        Some(change(control, args))
    }

    fn balance(&mut self) -> Option<Effect> {
        let (column, control) = self.changeable()?;
        let dir = column.dir?;
        let side = side(control, dir)?;
        let (left, right) = (side.channels.first()?, side.channels.get(1)?);
        if side.volume_joined {
            return None;
        }
        let average = (left.percent? + right.percent?) as f64 / 2.0;
        let args = vec![direction_name(dir).to_string(), format!("{average}%")];
        Some(change(control, args))
    }
}

fn change(control: &Control, args: Vec<String>) -> Effect {
    Effect::Change {
        id: control.id.clone(),
        args,
    }
}

/// The side of a control in one direction.
pub fn side(control: &Control, dir: Direction) -> Option<&Side> {
    match dir {
        Direction::Playback => control.playback.as_ref(),
        Direction::Capture => control.capture.as_ref(),
    }
}

/// Whether ↑ (and `q`) changes this column: a volume or an enumerated control.
fn steppable(column: &Column, control: &Control) -> bool {
    control.enumeration.is_some()
        || column
            .dir
            .and_then(|dir| side(control, dir))
            .is_some_and(|s| s.volume.is_some())
}

/// The channel word that picks one channel (amixer's `frontleft`, …), by its alsa-lib id.
fn channel_word(id: u32) -> Option<&'static str> {
    CHANNEL_WORDS
        .iter()
        .find(|(_, ids)| *ids == [id])
        .map(|(word, _)| *word)
}

/// The channel words for `which`: none for both channels; alsamixer's left is the first
/// channel and right the second. Where there is no second one of its own (mono, or joined),
/// alsamixer changes the one there is, and so does an empty list.
fn channel_args(side: &Side, which: Which, joined: bool) -> Vec<String> {
    let second = side.channels.get(1).filter(|_| !joined);
    let channel = match (which, second) {
        (Which::Both, _) | (_, None) => return Vec::new(),
        (Which::Left, Some(_)) => side.channels.first(),
        (Which::Right, Some(second)) => Some(second),
    };
    channel
        .and_then(|c| channel_word(c.id))
        .map(|w| vec![w.to_string()])
        .unwrap_or_default()
}

/// The columns one control has in a view, in alsamixer's way (`create_controls_for_elem`):
/// an enumerated control is one column (capture views show capture enums); a playback side
/// and a capture side are a column each, except that in the All view a capture side that is a
/// switch only rides on the playback column.
pub fn columns_of(index: usize, control: &Control, view: View) -> Vec<Column> {
    let is_capture_enum = control.capabilities.contains(&"cenum");
    if control.enumeration.is_some() {
        let shown = match view {
            View::Playback => !is_capture_enum,
            View::Capture => is_capture_enum,
            View::All => true,
        };
        return if shown {
            vec![Column {
                control: index,
                dir: None,
                merged_capture: false,
            }]
        } else {
            Vec::new()
        };
    }
    let merged = view == View::All
        && control.playback.is_some()
        && control
            .capture
            .as_ref()
            .is_some_and(|c| c.has_switch && c.volume.is_none());
    let mut columns = Vec::new();
    if view != View::Capture && control.playback.is_some() {
        columns.push(Column {
            control: index,
            dir: Some(Direction::Playback),
            merged_capture: merged,
        });
    }
    if view != View::Playback && control.capture.is_some() && !merged {
        columns.push(Column {
            control: index,
            dir: Some(Direction::Capture),
            merged_capture: false,
        });
    }
    columns
}

#[cfg(test)]
/// Carries out a change the way the device would, for the switches and items tests use;
/// returns the controls' new states, as a re-read after `apply` would.
pub(crate) fn carry_out(controls: &[Control], effect: &Effect) -> Vec<Control> {
    let mut controls = controls.to_vec();
    let Effect::Change { id, args } = effect else {
        return controls;
    };
    let Some(at) = controls.iter().position(|c| c.id == *id) else {
        return controls;
    };
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words[..] {
        [item] if controls[at].enumeration.is_some() => {
            let index: u32 = item.parse().expect("an item index");
            let e = controls[at].enumeration.as_mut().expect("an enum");
            let name = e.items[index as usize].clone();
            for s in &mut e.selected {
                s.index = index;
                s.item = name.clone();
            }
        }
        [.., "capture", "toggle"] => {
            let side = controls[at].capture.as_mut().expect("a capture side");
            let on = !side.channels[0].switch.unwrap_or(false);
            for c in &mut side.channels {
                c.switch = Some(on);
            }
            let group = controls[at].capture_exclusive_group;
            if on && group.is_some() {
                for (i, other) in controls.iter_mut().enumerate() {
                    if i != at && other.capture_exclusive_group == group {
                        for c in &mut other.capture.as_mut().expect("capture").channels {
                            c.switch = Some(false);
                        }
                    }
                }
            }
        }
        _ => panic!("the fake device does not do {args:?}"),
    }
    controls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mixer::tui::fake;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn model() -> Model {
        Model::new("hw:0", fake::card(), 80, 24)
    }

    fn change(id: &str, args: &[&str]) -> Option<Effect> {
        Some(Effect::Change {
            id: id.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
        })
    }

    fn ids(m: &Model) -> Vec<String> {
        m.columns()
            .iter()
            .map(|c| {
                let dir = match c.dir {
                    Some(Direction::Playback) => "p",
                    Some(Direction::Capture) => "c",
                    None => "e",
                };
                let merged = if c.merged_capture { "+c" } else { "" };
                format!("{}:{dir}{merged}", m.controls()[c.control].id)
            })
            .collect()
    }

    fn focus(m: &mut Model, id: &str) {
        m.focus = m
            .columns()
            .iter()
            .position(|c| m.controls()[c.control].id == id)
            .unwrap_or_else(|| panic!("{id} is not shown: {:?}", ids(m)));
    }

    #[test]
    fn arrows_and_pages_step_alsamixers_mapped_scale_on_the_focused_column() {
        let mut m = model();
        assert_eq!(m.focused().map(|(_, c)| c.id.as_str()), Some("Master"));
        assert_eq!(
            m.handle_key(key(KeyCode::Up)),
            change("Master", &["playback", "1%+"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Down)),
            change("Master", &["playback", "1%-"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::PageUp)),
            change("Master", &["playback", "10%+"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::PageDown)),
            change("Master", &["playback", "10%-"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('5'))),
            change("Master", &["playback", "50%"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('0'))),
            change("Master", &["playback", "0%"])
        );
        assert_eq!(m.handle_key(key(KeyCode::Right)), None);
        assert_eq!(
            m.handle_key(key(KeyCode::Up)),
            change("Headphone", &["playback", "1%+"])
        );
        // Left stops at the first column, Right at the last.
        for _ in 0..20 {
            m.handle_key(key(KeyCode::Left));
        }
        assert_eq!(m.focus, 0);
        for _ in 0..20 {
            m.handle_key(key(KeyCode::Right));
        }
        assert_eq!(m.focus, m.columns().len() - 1);
    }

    #[test]
    fn one_channel_keys_are_alsamixers() {
        let mut m = model();
        let pb = |ch: &str, v: &str| change("Master", &[ch, "playback", v]);
        assert_eq!(
            m.handle_key(key(KeyCode::Char('q'))),
            pb("frontleft", "1%+")
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('e'))),
            pb("frontright", "1%+")
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('z'))),
            pb("frontleft", "1%-")
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('y'))),
            pb("frontleft", "1%-")
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('c'))),
            pb("frontright", "1%-")
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('w'))),
            change("Master", &["playback", "1%+"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('m'))),
            change("Master", &["playback", "toggle"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char(','))),
            pb("frontleft", "toggle")
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('.'))),
            pb("frontright", "toggle")
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('>'))),
            pb("frontright", "toggle")
        );
        // Balance: both channels to their average.
        focus(&mut m, "Headphone");
        assert_eq!(
            m.handle_key(key(KeyCode::Char('b'))),
            change("Headphone", &["playback", "50%"])
        );
    }

    #[test]
    fn a_joined_or_mono_channel_is_the_one_left_and_right_reach() {
        let mut m = model();
        let mut controls = fake::card();
        controls[0].playback.as_mut().unwrap().volume_joined = true;
        m.set_controls(controls);
        assert_eq!(
            m.handle_key(key(KeyCode::Char('e'))),
            change("Master", &["playback", "1%+"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('.'))),
            change("Master", &["frontright", "playback", "toggle"])
        );
    }

    #[test]
    fn views_show_playback_capture_or_all_columns() {
        let mut m = model();
        assert_eq!(m.view(), View::Playback);
        assert_eq!(
            ids(&m),
            [
                "Master:p",
                "Headphone:p",
                "Mic:p",
                "Line:p",
                "Channel Mode:e"
            ]
        );
        m.handle_key(key(KeyCode::F(4)));
        assert_eq!(ids(&m), ["Capture:c", "Mic:c", "Line:c", "Input Source:e"]);
        m.handle_key(key(KeyCode::F(5)));
        // A capture side that is a switch only rides on the playback column (alsamixer's merge).
        assert_eq!(
            ids(&m),
            [
                "Master:p",
                "Headphone:p",
                "Capture:c",
                "Mic:p+c",
                "Line:p+c",
                "Input Source:e",
                "Channel Mode:e"
            ]
        );
        m.handle_key(key(KeyCode::Tab));
        assert_eq!(m.view(), View::Playback);
        m.handle_key(key(KeyCode::Tab));
        assert_eq!(m.view(), View::Capture);
        m.handle_key(key(KeyCode::BackTab));
        assert_eq!(m.view(), View::Playback);
        m.handle_key(key(KeyCode::F(3)));
        assert_eq!(m.view(), View::Playback);
    }

    #[test]
    fn the_focus_follows_its_control_across_views_and_refreshes() {
        let mut m = model();
        focus(&mut m, "Mic");
        m.handle_key(key(KeyCode::F(5)));
        assert_eq!(m.focused().unwrap().1.id, "Mic");
        // Another program changed something: the same control keeps the focus.
        let mut controls = fake::card();
        controls.insert(0, fake::control("Beep"));
        controls[0].playback = Some(fake::switch_only(true));
        m.set_controls(controls);
        assert_eq!(m.focused().unwrap().1.id, "Mic");
    }

    #[test]
    fn enumerated_controls_step_through_their_items() {
        let mut m = model();
        m.handle_key(key(KeyCode::F(4)));
        focus(&mut m, "Input Source");
        // Up is the next item (alsamixer's change_enum_relative), on every channel.
        let effect = m.handle_key(key(KeyCode::Up));
        assert_eq!(effect, change("Input Source", &["1"]));
        let controls = carry_out(m.controls(), effect.as_ref().unwrap());
        m.set_controls(controls);
        assert_eq!(
            m.focused()
                .unwrap()
                .1
                .enumeration
                .as_ref()
                .unwrap()
                .selected[0]
                .item,
            "Line"
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('q'))),
            change("Input Source", &["2"]),
            "q is +1 too"
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Down)),
            change("Input Source", &["0"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('0'))),
            change("Input Source", &["0"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('5'))),
            None,
            "only 0 means an item"
        );
        assert_eq!(m.handle_key(key(KeyCode::Char('m'))), None, "no switch");
        // The last item: Up changes nothing.
        let effect = Effect::Change {
            id: "Input Source".into(),
            args: vec!["2".into()],
        };
        m.set_controls(carry_out(m.controls(), &effect));
        assert_eq!(m.handle_key(key(KeyCode::Up)), None);
    }

    #[test]
    fn space_toggles_capture_and_an_exclusive_group_follows() {
        let mut m = model();
        m.handle_key(key(KeyCode::F(4)));
        focus(&mut m, "Line");
        let effect = m.handle_key(key(KeyCode::Char(' ')));
        assert_eq!(effect, change("Line", &["capture", "toggle"]));
        m.set_controls(carry_out(m.controls(), effect.as_ref().unwrap()));
        let capturing = |m: &Model, id: &str| {
            m.controls()
                .iter()
                .find(|c| c.id == id)
                .unwrap()
                .capture
                .as_ref()
                .unwrap()
                .channels[0]
                .switch
        };
        assert_eq!(capturing(&m, "Line"), Some(true));
        assert_eq!(
            capturing(&m, "Mic"),
            Some(false),
            "the group's other switch went off"
        );
        // In the All view the merged capture switch is reached from the playback column; m is
        // the playback switch there.
        m.handle_key(key(KeyCode::F(5)));
        focus(&mut m, "Mic");
        assert_eq!(m.focused().unwrap().0.dir, Some(Direction::Playback));
        assert_eq!(
            m.handle_key(key(KeyCode::Char(' '))),
            change("Mic", &["capture", "toggle"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('m'))),
            change("Mic", &["playback", "toggle"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char(';'))),
            change("Mic", &["capture", "toggle"]),
            "mono: the one channel"
        );
        // Capture keys do nothing where there is no capture switch.
        focus(&mut m, "Master");
        assert_eq!(m.handle_key(key(KeyCode::Char(' '))), None);
        focus(&mut m, "Capture");
        assert_eq!(
            m.handle_key(key(KeyCode::Char(' '))),
            change("Capture", &["capture", "toggle"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('\''))),
            change("Capture", &["frontright", "capture", "toggle"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Up)),
            change("Capture", &["capture", "1%+"])
        );
        assert_eq!(
            m.handle_key(key(KeyCode::Char('m'))),
            None,
            "no playback switch"
        );
    }

    #[test]
    fn esc_quits_and_q_quits_only_where_it_has_nothing_to_raise() {
        let mut m = model();
        assert_eq!(m.handle_key(key(KeyCode::Esc)), Some(Effect::Quit));
        assert_eq!(m.handle_key(key(KeyCode::F(10))), Some(Effect::Quit));
        assert_eq!(
            m.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Effect::Quit)
        );
        // On a volume, q raises the left channel.
        assert!(matches!(
            m.handle_key(key(KeyCode::Char('q'))),
            Some(Effect::Change { .. })
        ));
        // On a switch-only column it quits.
        let mut controls = fake::card();
        let mut beep = fake::control("Beep");
        beep.playback = Some(fake::switch_only(true));
        controls.push(beep);
        m.set_controls(controls);
        focus(&mut m, "Beep");
        assert_eq!(m.handle_key(key(KeyCode::Char('q'))), Some(Effect::Quit));
        // In the help and the card list too.
        m.handle_key(key(KeyCode::Char('?')));
        assert_eq!(m.overlay(), &Overlay::Help { scroll: 0 });
        assert_eq!(m.handle_key(key(KeyCode::Char('q'))), Some(Effect::Quit));
        m.show_cards(Vec::new());
        assert_eq!(m.handle_key(key(KeyCode::Char('q'))), Some(Effect::Quit));
        m.overlay = Overlay::None;
        m.handle_key(key(KeyCode::F(1)));
        assert_eq!(m.handle_key(key(KeyCode::Esc)), None, "Esc closes the help");
        assert_eq!(m.overlay(), &Overlay::None);
    }

    #[test]
    fn f6_and_s_list_cards_and_enter_opens_one() {
        let mut m = model();
        assert_eq!(m.handle_key(key(KeyCode::F(6))), Some(Effect::ListCards));
        assert_eq!(
            m.handle_key(key(KeyCode::Char('s'))),
            Some(Effect::ListCards)
        );
        m.show_cards(vec![
            CardChoice {
                device: "default".into(),
                label: "default".into(),
            },
            CardChoice {
                device: "hw:0".into(),
                label: "PCH".into(),
            },
            CardChoice {
                device: "hw:1".into(),
                label: "USB".into(),
            },
        ]);
        assert_eq!(
            m.overlay(),
            &Overlay::Cards {
                choices: match m.overlay() {
                    Overlay::Cards { choices, .. } => choices.clone(),
                    _ => unreachable!(),
                },
                selected: 1
            },
            "the device shown now is selected"
        );
        m.handle_key(key(KeyCode::Down));
        assert_eq!(
            m.handle_key(key(KeyCode::Enter)),
            Some(Effect::Open("hw:1".into()))
        );
        assert_eq!(m.overlay(), &Overlay::None);
        m.set_device("hw:1", vec![fake::card().remove(2)]);
        assert_eq!(m.device(), "hw:1");
        assert_eq!(
            ids(&m),
            Vec::<String>::new(),
            "a capture-only card shows nothing in Playback"
        );
        assert_eq!(m.handle_key(key(KeyCode::Up)), None);
    }

    #[test]
    fn slash_filters_controls_by_name() {
        let mut m = model();
        m.handle_key(key(KeyCode::F(5)));
        assert_eq!(m.handle_key(key(KeyCode::Char('/'))), None);
        for c in "IN".chars() {
            assert_eq!(
                m.handle_key(key(KeyCode::Char(c))),
                None,
                "typing is not a command"
            );
        }
        assert_eq!(ids(&m), ["Line:p+c", "Input Source:e"]);
        m.handle_key(key(KeyCode::Backspace));
        m.handle_key(key(KeyCode::Char('c')));
        assert_eq!(ids(&m), ["Mic:p+c"], "'ic'");
        m.handle_key(key(KeyCode::Enter));
        assert_eq!(
            m.handle_key(key(KeyCode::Up)),
            change("Mic", &["playback", "1%+"]),
            "keys act again"
        );
        m.handle_key(key(KeyCode::Char('/')));
        m.handle_key(key(KeyCode::Esc));
        assert_eq!(ids(&m).len(), 7, "Esc clears the filter");
    }

    #[test]
    fn a_click_focuses_and_the_wheel_steps_the_column_under_the_pointer() {
        let mut m = model();
        let mouse = |kind, column| MouseEvent {
            kind,
            column,
            row: 12,
            modifiers: KeyModifiers::NONE,
        };
        assert_eq!(
            m.handle_mouse(mouse(MouseEventKind::Down(MouseButton::Left), 12)),
            None
        );
        assert_eq!(m.focused().unwrap().1.id, "Headphone");
        assert_eq!(
            m.handle_mouse(mouse(MouseEventKind::ScrollUp, 2)),
            change("Master", &["playback", "1%+"])
        );
        assert_eq!(m.focused().unwrap().1.id, "Master");
        assert_eq!(
            m.handle_mouse(mouse(MouseEventKind::ScrollDown, 2)),
            change("Master", &["playback", "1%-"])
        );
        assert_eq!(
            m.handle_mouse(mouse(MouseEventKind::Down(MouseButton::Left), 79)),
            None
        );
        assert_eq!(m.focused().unwrap().1.id, "Master", "no column there");
    }

    #[test]
    fn events_reach_the_key_mouse_and_resize_handlers() {
        let mut m = model();
        assert_eq!(
            m.handle(Event::Key(key(KeyCode::Up))),
            change("Master", &["playback", "1%+"])
        );
        assert_eq!(m.handle(Event::Resize(120, 40)), None);
        assert_eq!(m.area, Rect::new(0, 0, 120, 40));
        assert_eq!(m.handle(Event::FocusGained), None);
    }

    #[test]
    fn an_inactive_control_is_not_changed() {
        let mut m = model();
        let mut controls = fake::card();
        controls[0].active = false;
        m.set_controls(controls);
        assert_eq!(m.handle_key(key(KeyCode::Up)), None);
        assert_eq!(m.message(), Some("'Master' is inactive"));
        m.handle_key(key(KeyCode::Right));
        assert_eq!(m.message(), None, "the note lasts until the next key");
    }

    #[test]
    fn every_change_is_valid_amixer_language_for_set() {
        use crate::mixer::value;
        let keys = [
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::End,
            KeyCode::Insert,
            KeyCode::Delete,
        ]
        .into_iter()
        .chain("0123456789qweyzxcbm,.<>;' +-".chars().map(KeyCode::Char));
        let keys: Vec<KeyCode> = keys.collect();
        let mut changes = 0;
        for view in [KeyCode::F(3), KeyCode::F(4), KeyCode::F(5)] {
            let mut m = model();
            m.handle_key(key(view));
            for column in 0..m.columns().len() {
                for &code in &keys {
                    m.focus = column;
                    let Some(Effect::Change { id, args }) = m.handle_key(key(code)) else {
                        continue;
                    };
                    changes += 1;
                    let control = m.controls().iter().find(|c| c.id == id).unwrap();
                    match &control.enumeration {
                        // What `set` does with an enumerated control's arguments.
                        Some(e) => {
                            let choices = value::parse_enum(&args, &e.items);
                            assert_eq!(choices.len(), 1, "{id} {args:?}");
                            assert!(value::resolve_enum(&choices[0], &e.items).is_some());
                        }
                        None => {
                            let steps = value::parse(&args)
                                .unwrap_or_else(|e| panic!("{id} {args:?}: {e:?}"));
                            assert_eq!(steps.len(), 1, "one step: {id} {args:?}");
                        }
                    }
                }
            }
        }
        assert!(changes > 100, "{changes}");
    }

    #[test]
    fn columns_scroll_to_keep_the_focus_visible() {
        let controls: Vec<Control> = (0..20)
            .map(|i| {
                let mut c = fake::control(&format!("Ctl{i}"));
                c.playback = Some(fake::stereo((i, i), None, None));
                c
            })
            .collect();
        let mut m = Model::new("hw:0", controls, 80, 24);
        for _ in 0..8 {
            m.handle_key(key(KeyCode::Right));
        }
        assert_eq!((m.focus, m.scroll), (8, 1));
        m.resize(200, 50);
        assert_eq!(m.scroll, 0, "everything fits now");
        m.resize(40, 24);
        assert_eq!(m.scroll, 5, "four columns fit: 5 to 8");
    }
}
