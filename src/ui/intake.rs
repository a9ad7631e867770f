//! 登记: who is on duty today and what the desk has registered today.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{cases, style};
use crate::app::{AppState, Tab};
use crate::i18n::Msg;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let [top, list] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
    let duty = match &state.data.duty_leader {
        Some(c) => format!("{} ({})", c.name, c.post),
        None => Msg::NobodyOnDuty.text(lang).to_string(),
    };
    let lines = vec![
        Line::from(vec![
            Span::styled(format!("{}: ", Msg::DutyLeader.text(lang)), style::dim(state.look)),
            Span::styled(duty, style::accent(state.look)),
        ]),
        Line::from(vec![Span::styled(
            format!("{}: {}", Msg::TodayIntakes.text(lang), state.data.registered_today.len()),
            style::dim(state.look),
        )]),
    ];
    frame.render_widget(Paragraph::new(lines), top);
    cases::render(state, frame, list, Tab::Intake);
}
