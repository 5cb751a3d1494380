//! Drawing a [`Model`] into a ratatui buffer: a header (device, view, the focused control in
//! `mixer`'s list format), a column per control (a bar in alsamixer's mapped percent, the
//! percent, the dB value, `L<>R` values when the channels differ, the switch, the capture
//! state, or the selected item of an enumerated control), and a status row. Pure: tests draw
//! into a `TestBackend` and read the cells.

use alsa::Direction;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::keys::View;
use super::keys::HELP;
use super::layout::{self, CONTENT_WIDTH};
use super::model::{side, Column, Model, Overlay};
use crate::mixer::control::{format_db, Channel, Control, Side};
use crate::mixer::scale::Scale;

/// Bar cells by how many eighths of them are filled.
const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The hint the status row shows when there is no message.
const HINT: &str =
    "←→ select  ↑↓ volume  m mute  space capture  / filter  F6 card  ? help  Esc quit";

pub fn render(model: &Model, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    if area.width < layout::MIN_WIDTH || area.height < layout::MIN_HEIGHT {
        buf.set_stringn(
            area.x,
            area.y,
            "alsatool mixer: terminal too small",
            area.width as usize,
            Style::default(),
        );
        return;
    }
    header(model, area, buf);
    columns(model, area, buf);
    status(model, area, buf);
    match model.overlay() {
        Overlay::None => {}
        Overlay::Help { scroll } => help(*scroll, area, buf),
        Overlay::Cards { choices, selected } => {
            let lines: Vec<Line> = choices
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let style = if i == *selected {
                        Style::default().add_modifier(Modifier::REVERSED)
                    } else {
                        Style::default()
                    };
                    Line::styled(format!("{:<10} {}", c.device, c.label), style)
                })
                .collect();
            let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(4));
            let rect = centered(area, 60, height);
            let scroll = (*selected as u16).saturating_sub(height.saturating_sub(3));
            Clear.render(rect, buf);
            Paragraph::new(lines)
                .block(Block::bordered().title(" Sound card (Enter opens, Esc closes) "))
                .scroll((scroll, 0))
                .render(rect, buf);
        }
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn help(scroll: usize, area: Rect, buf: &mut Buffer) {
    let height = (HELP.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rect = centered(area, 64, height);
    Clear.render(rect, buf);
    let lines: Vec<Line> = HELP.iter().map(|l| Line::raw(*l)).collect();
    Paragraph::new(lines)
        .block(Block::bordered().title(" Help "))
        .scroll((scroll as u16, 0))
        .render(rect, buf);
}

fn header(model: &Model, area: Rect, buf: &mut Buffer) {
    let width = area.width as usize;
    let reversed = Style::default().add_modifier(Modifier::REVERSED);
    let title = format!(" alsatool mixer · '{}'", model.device());
    let keys = "F1 help · Esc quit ";
    let pad = width.saturating_sub(title.chars().count() + keys.chars().count());
    buf.set_stringn(
        area.x,
        area.y,
        format!("{title}{}{keys}", " ".repeat(pad)),
        width,
        reversed,
    );

    let mut x = area.x;
    let y = area.y + 1;
    x = buf.set_stringn(x, y, " View:", width, Style::default()).0;
    for view in View::ALL {
        let style = if view == model.view() {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default()
        };
        x = buf.set_stringn(x, y, " ", 1, Style::default()).0;
        x = buf
            .set_stringn(x, y, format!(" {} ", view.name()), width, style)
            .0;
    }
    x = buf
        .set_stringn(x, y, "  (F3 F4 F5 Tab)", width, Style::default())
        .0;
    if !model.filter.is_empty() || model.editing_filter {
        let cursor = if model.editing_filter { "_" } else { "" };
        let left = (area.x + area.width).saturating_sub(x) as usize;
        buf.set_stringn(
            x,
            y,
            format!("  Filter: {}{cursor}", model.filter),
            left,
            Style::default().add_modifier(Modifier::BOLD),
        );
    }

    let summary = match model.focused() {
        Some((_, control)) => format!(" {}  {}", control.id, control.summary(Scale::Mapped)),
        None => String::new(),
    };
    buf.set_stringn(area.x, area.y + 2, summary, width, Style::default());
    buf.set_stringn(
        area.x,
        area.y + 3,
        "─".repeat(width),
        width,
        Style::default(),
    );
}

fn status(model: &Model, area: Rect, buf: &mut Buffer) {
    let y = area.y + area.height - 1;
    let (text, style) = match model.message() {
        Some(m) => (m, Style::default().add_modifier(Modifier::BOLD)),
        None if model.editing_filter => (
            "type a name; Enter keeps the filter, Esc clears it",
            Style::default(),
        ),
        None => (HINT, Style::default()),
    };
    buf.set_stringn(area.x, y, text, area.width as usize, style);
}

fn columns(model: &Model, area: Rect, buf: &mut Buffer) {
    let cols = layout::columns_area(area);
    let all = model.columns();
    if all.is_empty() {
        let text = if model.filter.is_empty() {
            format!("no {} controls", model.view().name().to_lowercase())
        } else {
            format!("no control matches '{}'", model.filter)
        };
        let x = area.x + area.width.saturating_sub(text.chars().count() as u16) / 2;
        buf.set_stringn(
            x,
            cols.y + cols.height / 2,
            text,
            area.width as usize,
            Style::default(),
        );
        return;
    }
    let visible = layout::visible_columns(area.width);
    let scroll = model.scroll.min(all.len().saturating_sub(1));
    let shown: Vec<(usize, &Column, &Control)> = all
        .iter()
        .enumerate()
        .skip(scroll)
        .take(visible)
        .map(|(i, c)| (i, c, &model.controls()[c.control]))
        .collect();
    let rows = Rows::for_columns(cols, shown.iter().map(|(_, c, ctl)| (*c, *ctl)));
    for (index, column, control) in shown {
        let x = layout::column_x(area, index - scroll);
        let focused = index == model.focus;
        let rect = Rect::new(x, cols.y, CONTENT_WIDTH, cols.height);
        draw_column(model, column, control, focused, rect, &rows, buf);
    }
    let middle = cols.y + cols.height / 2;
    if scroll > 0 {
        buf.set_string(
            area.x,
            middle,
            "<",
            Style::default().add_modifier(Modifier::BOLD),
        );
    }
    if scroll + visible < all.len() {
        buf.set_string(
            area.x + area.width - 1,
            middle,
            ">",
            Style::default().add_modifier(Modifier::BOLD),
        );
    }
}

/// Writes `text` centered in the column's row `y`, cut to its width.
fn centered_text(rect: Rect, y: u16, text: &str, style: Style, buf: &mut Buffer) {
    let text: String = text.chars().take(rect.width as usize).collect();
    let x = rect.x + (rect.width - text.chars().count() as u16) / 2;
    buf.set_string(x, y, text, style);
}

/// The rows every visible column uses, so bars and values line up across the screen (as in
/// alsamixer): from the bottom, the name, then a capture row, a switch row and one or two dB rows
/// when some visible column needs them, the percent, and the bar above it all.
struct Rows {
    name: u16,
    capture: Option<u16>,
    switch: Option<u16>,
    /// The first dB row; a second one below it when some column's channels differ.
    db: Option<u16>,
    percent: u16,
    /// The bar's frame, top and bottom rows; `None` when there is no room for one.
    bar: Option<(u16, u16)>,
}

impl Rows {
    fn for_columns<'c>(
        area: Rect,
        columns: impl Iterator<Item = (&'c Column, &'c Control)>,
    ) -> Rows {
        let (mut capture, mut switch, mut db_rows) = (false, false, 0u16);
        for (column, control) in columns {
            let Some(dir) = column.dir else { continue };
            let Some(this) = side(control, dir) else {
                continue;
            };
            capture |= capture_side(column, control).is_some_and(|s| s.has_switch);
            switch |= dir == Direction::Playback && this.has_switch;
            if this.volume.is_some() {
                let (l, r) = pair(this, |c| c.db);
                db_rows = db_rows.max(match (l, r) {
                    (Some(l), Some(r)) if l != r => 2,
                    (Some(_), _) => 1,
                    _ => 0,
                });
            }
        }
        let bottom = area.y + area.height.saturating_sub(1);
        let mut next = bottom;
        let mut take = |wanted: bool| -> Option<u16> {
            (wanted && next > area.y).then(|| {
                next -= 1;
                next
            })
        };
        let capture = take(capture);
        let switch = take(switch);
        let db_low = take(db_rows > 0);
        let db = if db_rows > 1 { take(true) } else { db_low };
        let percent = take(true).unwrap_or(area.y);
        let bar = (next >= area.y + 3).then(|| (area.y, next - 1));
        Rows {
            name: bottom,
            capture,
            switch,
            db,
            percent,
            bar,
        }
    }
}

/// The capture side whose switch a column shows: its own, or the one merged into it.
fn capture_side<'c>(column: &Column, control: &'c Control) -> Option<&'c Side> {
    match column.dir {
        Some(Direction::Capture) => control.capture.as_ref(),
        Some(Direction::Playback) if column.merged_capture => control.capture.as_ref(),
        _ => None,
    }
}

fn draw_column(
    model: &Model,
    column: &Column,
    control: &Control,
    focused: bool,
    rect: Rect,
    rows: &Rows,
    buf: &mut Buffer,
) {
    let base = if control.active {
        Style::default()
    } else {
        Style::default().add_modifier(Modifier::DIM)
    };
    let colored = |color: Color| {
        if model.color {
            base.fg(color)
        } else {
            base
        }
    };
    let name_style = if focused {
        base.add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        base
    };
    let name = format!("{:^width$}", control.id, width = rect.width as usize);
    centered_text(rect, rows.name, &name, name_style, buf);

    if let Some(e) = &control.enumeration {
        // The item where the bar would be, between arrows that say Up/Down change it.
        let items: Vec<&str> = e.selected.iter().map(|s| s.item.as_str()).collect();
        let differ = items.windows(2).any(|w| w[0] != w[1]);
        let shown = if differ {
            &items[..]
        } else {
            &items[..items.len().min(1)]
        };
        let middle = rect.y + rect.height / 2;
        centered_text(rect, middle.saturating_sub(1), "▲", base, buf);
        for (i, item) in shown.iter().take(2).enumerate() {
            let style = base.add_modifier(Modifier::BOLD);
            centered_text(rect, middle + i as u16, item, style, buf);
        }
        centered_text(rect, middle + shown.len().min(2) as u16, "▼", base, buf);
        return;
    }
    let Some(dir) = column.dir else { return };
    let Some(this) = side(control, dir) else {
        return;
    };

    if let (Some(row), Some(capture)) = (
        rows.capture,
        capture_side(column, control).filter(|s| s.has_switch),
    ) {
        let (left, right) = pair(capture, |c| c.switch);
        let text = match (left, right) {
            (Some(true), Some(true) | None) => "CAPTURE",
            (Some(true), Some(false)) => "L CAP",
            (Some(false), Some(true)) => "R CAP",
            _ => "-------",
        };
        let style = if left == Some(true) || right == Some(true) {
            colored(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            base
        };
        centered_text(rect, row, text, style, buf);
    }
    if let (Some(row), true) = (rows.switch, dir == Direction::Playback && this.has_switch) {
        let (left, right) = pair(this, |c| c.switch);
        let mark = |on: Option<bool>| match on {
            Some(true) => 'O',
            Some(false) => 'M',
            None => ' ',
        };
        let right = if this.switch_joined {
            left
        } else {
            right.or(left)
        };
        let text = format!("[{}{}]", mark(left), mark(right));
        let muted = left == Some(false) || right == Some(false);
        let style = if muted {
            colored(Color::Red)
        } else {
            colored(Color::Green)
        };
        centered_text(rect, row, &text, style, buf);
    }
    if this.volume.is_none() {
        return;
    }
    if let Some(row) = rows.db {
        match pair(this, |c| c.db) {
            (Some(l), Some(r)) if l != r => {
                centered_text(rect, row, &format!("L{}", short_db(l, 7)), base, buf);
                centered_text(rect, row + 1, &format!("R{}", short_db(r, 7)), base, buf);
            }
            (Some(l), _) => centered_text(rect, row, &short_db(l, 8), base, buf),
            _ => {}
        }
    }
    let (left, right) = pair(this, |c| c.percent);
    let left = left.unwrap_or(0);
    let right = right.unwrap_or(left);
    let text = if left == right {
        left.to_string()
    } else {
        format!("{left}<>{right}")
    };
    centered_text(
        rect,
        rows.percent,
        &text,
        base.add_modifier(Modifier::BOLD),
        buf,
    );

    // The bar: a frame and two halves, the left and the right channel.
    let Some((top, bottom)) = rows.bar else {
        return;
    };
    let frame_x = rect.x + 1;
    buf.set_string(frame_x, top, "┌────┐", base);
    buf.set_string(frame_x, bottom, "└────┘", base);
    let height = bottom - top - 1;
    for k in 0..height {
        let row = bottom - 1 - k;
        buf.set_string(frame_x, row, "│", base);
        buf.set_string(frame_x + 5, row, "│", base);
        let level = (k as f64 + 0.5) / height as f64;
        let color = if level > 0.9 {
            Color::Red
        } else if level > 0.7 {
            Color::Yellow
        } else {
            Color::Green
        };
        for (half, percent) in [(0u16, left), (2, right)] {
            let eighths_filled = percent.clamp(0, 100) as f64 * height as f64 * 8.0 / 100.0;
            let eighths = (eighths_filled.round() as i64 - k as i64 * 8).clamp(0, 8) as usize;
            let cell: String = std::iter::repeat_n(EIGHTHS[eighths], 2).collect();
            buf.set_string(frame_x + 1 + half, row, cell, colored(color));
        }
    }
}

/// A value of the first two channels (alsamixer's left and right).
fn pair<T>(side: &Side, value: impl Fn(&Channel) -> Option<T>) -> (Option<T>, Option<T>) {
    let mut channels = side.channels.iter();
    let left = channels.next().and_then(&value);
    let right = channels.next().and_then(&value);
    (left, right)
}

/// A gain in at most `width` cells: `-13.80dB`, or without the unit when that is too long.
fn short_db(db: f64, width: usize) -> String {
    let text = format_db(db);
    if text.chars().count() <= width {
        return text;
    }
    let bare = text.trim_end_matches("dB").to_string();
    bare.chars().take(width).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mixer::tui::fake;
    use crate::mixer::tui::model::CardChoice;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;

    /// The model drawn at `width`×`height`, one string per row.
    fn screen(model: &Model, width: u16, height: u16) -> Vec<String> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal
            .draw(|f| render(model, f.area(), f.buffer_mut()))
            .expect("draw");
        let buf = terminal.backend().buffer();
        (0..height)
            .map(|y| (0..width).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect()
    }

    fn key(m: &mut Model, code: KeyCode) {
        let _ = m.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    /// The text of the column whose name row shows `name`, top to bottom, trimmed.
    fn column(rows: &[String], name: &str) -> Vec<String> {
        let name_row = &rows[rows.len() - 2];
        let at = name_row
            .find(name)
            .unwrap_or_else(|| panic!("no column {name}: {rows:#?}"));
        let x = name_row[..at].chars().count();
        let start = x - (x - 1) % 9;
        rows[4..rows.len() - 1]
            .iter()
            .map(|r| {
                r.chars()
                    .skip(start)
                    .take(8)
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .filter(|s| !s.is_empty())
            .collect()
    }

    #[test]
    fn at_80x24_each_column_shows_bar_percent_db_switch_and_name() {
        let m = Model::new("hw:0", fake::card(), 80, 24);
        let rows = screen(&m, 80, 24);
        assert!(rows[0].starts_with(" alsatool mixer · 'hw:0'"), "{rows:#?}");
        assert!(rows[0].ends_with("F1 help · Esc quit "), "{rows:#?}");
        assert!(rows[1].contains("Playback") && rows[1].contains("F3 F4 F5 Tab"));
        // The focused control in `alsatool mixer`'s list format.
        assert_eq!(
            rows[2].trim_end(),
            " Master  playback 49% 49% [-16.50dB -16.50dB] [on]"
        );
        let master = column(&rows, "Master");
        assert_eq!(master[0], "┌────┐");
        assert_eq!(master[master.len() - 5], "└────┘");
        assert_eq!(
            &master[master.len() - 4..],
            ["49", "-16.50dB", "[OO]", "Master"]
        );
        // 49% of a 12-row bar is 5.88 rows (47 eighths): five full rows and seven eighths.
        let bar: Vec<&String> = master[1..master.len() - 5].iter().collect();
        assert_eq!(bar.len(), 12);
        let full = bar.iter().filter(|r| r.as_str() == "│████│").count();
        assert_eq!(full, 5, "{bar:?}");
        assert_eq!(bar[6].as_str(), "│▇▇▇▇│", "{bar:?}");
        assert_eq!(bar[5].as_str(), "│    │", "{bar:?}");
        // Every column's bar and values are on the same rows.
        assert!(
            rows[17].starts_with("  └────┘   └────┘   └────┘"),
            "{rows:#?}"
        );
        // Channels that differ show both values: percent, dB and the switch per channel.
        let headphone = column(&rows, "Headphon");
        assert_eq!(
            &headphone[headphone.len() - 5..],
            ["40<>60", "L-20.00", "R-10.00", "[OM]", "Headphon"]
        );
        assert_eq!(rows[23].trim_end(), HINT);
    }

    #[test]
    fn capture_states_and_enum_items_are_drawn() {
        let mut m = Model::new("hw:0", fake::card(), 80, 24);
        key(&mut m, KeyCode::F(4));
        let rows = screen(&m, 80, 24);
        let capture = column(&rows, "Capture");
        assert_eq!(
            &capture[capture.len() - 4..],
            ["75", "-6.00dB", "CAPTURE", "Capture"]
        );
        assert_eq!(column(&rows, "Mic").last().map(String::as_str), Some("Mic"));
        assert!(column(&rows, "Mic").contains(&"CAPTURE".to_string()));
        assert!(column(&rows, "Line").contains(&"-------".to_string()));
        let source = column(&rows, "Input So");
        assert_eq!(&source[..], ["▲", "Mic", "▼", "Input So"]);

        // Capture switched to Line through the keys: the screen follows the exclusive group.
        m.focus = 2;
        let effect = m.handle_key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE));
        m.set_controls(crate::mixer::tui::model::carry_out(
            m.controls(),
            effect.as_ref().expect("a change"),
        ));
        m.focus = 3;
        let effect = m.handle_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        assert_eq!(effect, None, "already the first item");
        let effect = m.handle_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
        m.set_controls(crate::mixer::tui::model::carry_out(
            m.controls(),
            effect.as_ref().expect("a change"),
        ));
        let rows = screen(&m, 80, 24);
        assert!(
            column(&rows, "Line").contains(&"CAPTURE".to_string()),
            "{rows:#?}"
        );
        assert!(
            column(&rows, "Mic").contains(&"-------".to_string()),
            "{rows:#?}"
        );
        assert_eq!(column(&rows, "Input So")[1], "Line");
        assert_eq!(rows[2].trim_end(), " Input Source  'Line'");
    }

    #[test]
    fn help_filter_and_card_list_are_drawn_over_the_columns() {
        let mut m = Model::new("hw:0", fake::card(), 80, 24);
        key(&mut m, KeyCode::Char('?'));
        let text = screen(&m, 80, 24).join("\n");
        assert!(text.contains(" Help "), "{text}");
        assert!(text.contains("Space      toggle capture"), "{text}");
        key(&mut m, KeyCode::Esc);
        key(&mut m, KeyCode::Char('/'));
        key(&mut m, KeyCode::Char('z'));
        let rows = screen(&m, 80, 24);
        assert!(rows[1].contains("Filter: z_"), "{rows:#?}");
        assert!(rows[13].contains("no control matches 'z'"), "{rows:#?}");
        key(&mut m, KeyCode::Esc);
        m.show_cards(vec![CardChoice {
            device: "hw:0".into(),
            label: "HDA Intel PCH (PCH)".into(),
        }]);
        let text = screen(&m, 80, 24).join("\n");
        assert!(
            text.contains("Sound card") && text.contains("hw:0       HDA Intel PCH (PCH)"),
            "{text}"
        );
    }

    #[test]
    fn columns_that_do_not_fit_scroll_with_arrows_and_larger_screens_show_more() {
        let controls: Vec<Control> = (0..12)
            .map(|i| {
                let mut c = fake::control(&format!("Ctl{i}"));
                c.playback = Some(fake::stereo((50, 50), None, None));
                c
            })
            .collect();
        let mut m = Model::new("hw:0", controls, 80, 24);
        let rows = screen(&m, 80, 24);
        assert!(
            rows[13].ends_with('>') && !rows[13].starts_with('<'),
            "{rows:#?}"
        );
        assert!(rows[22].contains("Ctl7") && !rows[22].contains("Ctl8"));
        for _ in 0..11 {
            key(&mut m, KeyCode::Right);
        }
        let rows = screen(&m, 80, 24);
        assert!(
            rows[13].starts_with('<') && !rows[13].ends_with('>'),
            "{rows:#?}"
        );
        assert!(rows[22].contains("Ctl11") && !rows[22].contains("Ctl3 "));
        m.resize(160, 40);
        let rows = screen(&m, 160, 40);
        assert!(
            rows[38].contains("Ctl0") && rows[38].contains("Ctl11"),
            "{rows:#?}"
        );
        // A bar of 50% on a taller screen: half its rows full.
        let bar = column(&rows, "Ctl0");
        let full = bar.iter().filter(|r| r.as_str() == "│████│").count();
        assert_eq!(full * 2, bar.len() - 4 - 1, "{bar:?}");
    }

    #[test]
    fn a_tiny_terminal_gets_a_note() {
        let m = Model::new("hw:0", fake::card(), 15, 5);
        assert_eq!(screen(&m, 15, 5)[0], "alsatool mixer:");
    }
}
