//! Where things are on screen: the header rows, the status row, and the columns, each
//! [`COLUMN_WIDTH`] cells wide. Drawing and mouse hit-testing both ask here, so a click lands on
//! the column that was drawn there.

use ratatui::layout::Rect;

/// One column: 8 cells of content and a gap.
pub const COLUMN_WIDTH: u16 = 9;
/// Content cells of a column.
pub const CONTENT_WIDTH: u16 = 8;
/// Title, view line, focused control's summary, a rule.
pub const HEADER_ROWS: u16 = 4;
/// The smallest screen that is drawn; anything smaller shows a one-line note.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 10;

/// The rows of columns: below the header, above the status row.
pub fn columns_area(area: Rect) -> Rect {
    let top = area.y + HEADER_ROWS.min(area.height);
    let bottom = (area.y + area.height).saturating_sub(1).max(top);
    Rect::new(area.x, top, area.width, bottom - top)
}

/// How many columns fit side by side (one cell each side is kept for the scroll arrows).
pub fn visible_columns(width: u16) -> usize {
    (width.saturating_sub(2) / COLUMN_WIDTH).max(1) as usize
}

/// The first column to show so that `focus` is visible, moving `scroll` as little as possible.
pub fn scroll_for(focus: usize, scroll: usize, total: usize, width: u16) -> usize {
    let visible = visible_columns(width);
    let mut scroll = scroll.min(total.saturating_sub(visible));
    if focus < scroll {
        scroll = focus;
    } else if focus >= scroll + visible {
        scroll = focus + 1 - visible;
    }
    scroll
}

/// The left edge of the `slot`th visible column.
pub fn column_x(area: Rect, slot: usize) -> u16 {
    area.x + 1 + slot as u16 * COLUMN_WIDTH
}

/// The column (index into all columns) under a screen cell, if any.
pub fn column_at(area: Rect, scroll: usize, total: usize, x: u16, y: u16) -> Option<usize> {
    let cols = columns_area(area);
    if y < cols.y || y >= cols.y + cols.height || x <= area.x {
        return None;
    }
    let slot = ((x - area.x - 1) / COLUMN_WIDTH) as usize;
    if slot >= visible_columns(area.width) {
        return None;
    }
    let index = scroll + slot;
    (index < total).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_columns_fit_in_80_cells_and_the_focus_stays_visible() {
        assert_eq!(visible_columns(80), 8);
        assert_eq!(visible_columns(200), 22);
        assert_eq!(visible_columns(5), 1);
        assert_eq!(scroll_for(0, 0, 20, 80), 0);
        assert_eq!(scroll_for(8, 0, 20, 80), 1);
        assert_eq!(scroll_for(19, 1, 20, 80), 12);
        assert_eq!(scroll_for(3, 12, 20, 80), 3);
        // Fewer columns than fit: never scrolled.
        assert_eq!(scroll_for(2, 5, 3, 80), 0);
    }

    #[test]
    fn clicks_find_the_column_drawn_there() {
        let area = Rect::new(0, 0, 80, 24);
        assert_eq!(column_at(area, 0, 20, 1, 10), Some(0));
        assert_eq!(column_at(area, 0, 20, 9, 10), Some(0));
        assert_eq!(column_at(area, 0, 20, 10, 10), Some(1));
        assert_eq!(column_at(area, 3, 20, 10, 10), Some(4));
        assert_eq!(column_at(area, 0, 2, 30, 10), None, "past the last column");
        assert_eq!(column_at(area, 0, 20, 10, 1), None, "in the header");
        assert_eq!(column_at(area, 0, 20, 10, 23), None, "the status row");
        assert_eq!(column_x(area, 2), 19);
    }
}
