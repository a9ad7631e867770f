//! 实地查看: inspections by date (today's and coming first, then those
//! waiting for findings), and below them the escalations waiting for an
//! answer, with the amount asked and the days waited.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::{cases, style, text};
use crate::app::{AppState, Tab};
use crate::i18n::Msg;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let today = state.today();
    let waiting: Vec<_> = state
        .data
        .open
        .iter()
        .filter_map(|c| c.escalations.iter().find(|e| e.granted_yuan.is_none()).map(|e| (c, e)))
        .collect();
    if waiting.is_empty() {
        cases::render(state, frame, area, Tab::Inspections);
        return;
    }
    let h = (waiting.len() as u16 + 3).min(area.height / 2);
    let [top, bottom] = Layout::vertical([Constraint::Fill(1), Constraint::Length(h)]).areas(area);
    cases::render(state, frame, top, Tab::Inspections);
    let block = Block::default()
        .borders(Borders::TOP)
        .border_set(style::border(state.look))
        .title(text::fit(&format!(" {} ", Msg::EscalationsWaiting.text(lang)), usize::from(bottom.width)));
    let widths = [
        Constraint::Length(9),
        Constraint::Length(12),
        Constraint::Fill(1),
        Constraint::Length(16),
        Constraint::Length(8),
        Constraint::Length(8),
    ];
    // Each cell fitted to its column, a cut marked.
    let cols = text::columns(&widths, bottom.width);
    let row = |cells: [String; 6]| {
        Row::new(cells.iter().zip(&cols).map(|(c, w)| Cell::from(text::fit(c, *w))).collect::<Vec<_>>())
    };
    let header = row([
        Msg::ColNo.text(lang).to_string(),
        Msg::ColPlace.text(lang).to_string(),
        Msg::ColSummary.text(lang).to_string(),
        Msg::ColTo.text(lang).to_string(),
        Msg::ColRequested.text(lang).to_string(),
        Msg::DaysWaiting.text(lang).to_string(),
    ])
    .style(style::header(state.look));
    let rows = waiting.iter().map(|(c, e)| {
        row([
            c.no.to_string(),
            c.place(),
            c.intake.summary.clone(),
            e.to.clone(),
            e.requested_yuan.to_string(),
            (today - e.on).num_days().to_string(),
        ])
        .style(Style::new())
    });
    let widths = cols.iter().map(|w| Constraint::Length(*w as u16));
    frame.render_widget(Table::new(rows, widths).header(header).block(block).column_spacing(1), bottom);
}
