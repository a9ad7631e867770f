//! 统计: this year's figures per channel, as the township reports them.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::style;
use crate::app::AppState;
use crate::i18n::Msg;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let look = state.look;
    let [top, table_area] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let lines = vec![
        Line::styled(format!("{} ({})", Msg::StatsThisYear.text(lang), state.today().year()), style::header(look)),
        Line::from(format!(
            "{} {}   {} {}   {} {}",
            Msg::StatsTotal.text(lang),
            state.data.total_cases,
            Msg::StatsOpen.text(lang),
            state.data.open_count,
            Msg::StatsOverdue.text(lang),
            state.overdue_count()
        )),
    ];
    frame.render_widget(Paragraph::new(lines), top);
    let header = Row::new(vec![
        Cell::from(Msg::StatsByChannel.text(lang)),
        Cell::from(Msg::StatsPeople.text(lang)),
        Cell::from(Msg::StatsCases.text(lang)),
        Cell::from(Msg::StatsAccepted.text(lang)),
        Cell::from(Msg::StatsImplemented.text(lang)),
        Cell::from(Msg::StatsFollowUps.text(lang)),
    ])
    .style(style::header(look));
    let rows = state.data.by_channel.iter().map(|(ch, f)| {
        Row::new(vec![
            Cell::from(ch.label(lang)),
            Cell::from(f.people.to_string()),
            Cell::from(f.cases.to_string()),
            Cell::from(f.accepted.to_string()),
            Cell::from(f.implemented.to_string()),
            Cell::from(f.follow_ups.to_string()),
        ])
    });
    let widths = [
        Constraint::Length(12),
        Constraint::Length(16),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(10),
    ];
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), table_area);
}
