//! What the screens typed into a line at a time (日记, 意见箱) draw alike:
//! a line to a row, a list as a table under its header, and at the bottom
//! the hint over the line being typed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{field, style, text};
use crate::app::Look;
use crate::input::TextField;

/// `line` on row `y` of `area`, cut to its width.
pub fn line_at(frame: &mut Frame, area: Rect, y: u16, line: Line<'static>) {
    let line = text::fit_line(line, usize::from(area.width));
    frame.render_widget(Paragraph::new(line), Rect { x: area.x, y, width: area.width, height: 1 });
}

/// A list: `rows` under `header`, one column between columns.
pub fn table<'a>(
    rows: Vec<Row<'a>>,
    header: impl IntoIterator<Item = Cell<'a>>,
    widths: impl IntoIterator<Item = Constraint>,
    look: Look,
) -> Table<'a> {
    Table::new(rows, widths).header(Row::new(header).style(style::header(look))).column_spacing(1)
}

/// The last two rows of `area`: `hint`, then `input` after the mark.
/// Returns where the caret stands, for the screen to put the cursor there
/// when the line has the focus.
pub fn bottom(
    frame: &mut Frame,
    area: Rect,
    look: Look,
    hint: &str,
    hint_style: Style,
    input: &TextField,
) -> (u16, u16) {
    let width = usize::from(area.width);
    let hint_y = area.y + area.height.saturating_sub(2);
    let input_y = hint_y + 1;
    line_at(frame, area, hint_y, Line::styled(field::clip(hint, width), hint_style));
    let (line, caret) = field::focused(look, input, width.saturating_sub(2), &[], None);
    let mut spans = vec![Span::styled(format!("{} ", field::MARK), style::accent(look))];
    spans.extend(line.spans);
    line_at(frame, area, input_y, Line::from(spans));
    (area.x + 2 + caret as u16, input_y)
}
