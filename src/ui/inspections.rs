//! 实地查看: inspections by date (today's and coming first, then those
//! waiting for findings), and below them the escalations waiting for an
//! answer, with the amount asked and the days waited.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::{cases, style};
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
        .title(format!(" {} ", Msg::EscalationsWaiting.text(lang)));
    let header = Row::new(vec![
        Cell::from(Msg::ColNo.text(lang)),
        Cell::from(Msg::ColPlace.text(lang)),
        Cell::from(Msg::ColSummary.text(lang)),
        Cell::from(Msg::ColTo.text(lang)),
        Cell::from(Msg::ColRequested.text(lang)),
        Cell::from(Msg::DaysWaiting.text(lang)),
    ])
    .style(style::header(state.look));
    let rows = waiting.iter().map(|(c, e)| {
        Row::new(vec![
            Cell::from(c.no.to_string()),
            Cell::from(c.place()),
            Cell::from(c.intake.summary.clone()),
            Cell::from(e.to.clone()),
            Cell::from(e.requested_yuan.to_string()),
            Cell::from((today - e.on).num_days().to_string()),
        ])
        .style(Style::new())
    });
    let widths = [
        Constraint::Length(9),
        Constraint::Length(12),
        Constraint::Fill(1),
        Constraint::Length(16),
        Constraint::Length(8),
        Constraint::Length(8),
    ];
    frame.render_widget(Table::new(rows, widths).header(header).block(block).column_spacing(1), bottom);
}
