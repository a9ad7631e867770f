//! Views: functions of the state that draw a frame and change nothing.

mod bigtext;
pub mod calls;
mod cases;
mod chrome;
pub mod detail;
mod dialog;
mod diary;
mod dir;
mod field;
mod inspections;
pub mod intake;
mod line_screen;
mod opinion_box;
pub mod stats;
pub mod style;
mod tabbar;
pub mod text;
pub mod writer;

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
    chrome::message_line(state, frame, message);
    chrome::footer(state, frame, footer);
    if state.help.is_some() {
        // Help covers the whole body: the screen beneath is not drawn, so
        // its text cursor (a form's caret) does not show through.
        chrome::help(state, frame, body);
        return;
    }
    match (&state.detail, state.tab) {
        (Some(d), _) => detail::render(state, d, frame, body),
        (None, Tab::Intake) => intake::render(state, frame, body),
        (None, Tab::Stats) => stats::render(state, frame, body),
        (None, Tab::Directory) => dir::render(state, frame, body),
        (None, Tab::Diary) => diary::render(state, frame, body),
        (None, Tab::Box) => opinion_box::render(state, frame, body),
        (None, Tab::Inspections) => inspections::render(state, frame, body),
        (None, Tab::Calls) => calls::render(state, frame, body),
        (None, tab) => cases::render(state, frame, body, tab),
    }
    if let Some(d) = &state.detail {
        if let Some(dlg) = &d.dialog {
            dialog::dialog(state, dlg, frame, body);
        } else if let Some(sel) = d.menu {
            dialog::menu(state, sel, frame, body);
        }
    }
    if let Some(r) = &state.revisit {
        dialog::revisit(state, r, frame, body);
    }
}
