//! Views: functions of the state that draw a frame and change nothing.

mod bigtext;
mod cases;
mod chrome;
pub mod detail;
mod dialog;
mod inspections;
mod intake;
mod stats;
pub mod style;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};

use crate::app::{AppState, Tab};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(state: &AppState, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        chrome::too_small(state, frame);
        return;
    }
    let [bar, body, message, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1), Constraint::Length(1)])
            .areas(area);
    chrome::tab_bar(state, frame, bar);
    match (&state.detail, state.tab) {
        (Some(d), _) => detail::render(state, d, frame, body),
        (None, Tab::Intake) => intake::render(state, frame, body),
        (None, Tab::Stats) => stats::render(state, frame, body),
        (None, Tab::Inspections) => inspections::render(state, frame, body),
        (None, tab) => cases::render(state, frame, body, tab),
    }
    chrome::message_line(state, frame, message);
    chrome::footer(state, frame, footer);
    if let Some(d) = &state.detail {
        if let Some(dlg) = &d.dialog {
            dialog::dialog(state, dlg, frame, body);
        } else if let Some(sel) = d.menu {
            dialog::menu(state, sel, frame, body);
        }
    }
    if state.help.is_some() {
        chrome::help(state, frame, body);
    }
}
