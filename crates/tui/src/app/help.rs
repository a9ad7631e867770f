//! The help overlay: every key of the screen, scrolled.

use super::{AppState, Effect};
use crate::keys::{self, Cmd};

/// Rows of the help overlay's text: the body less its border.
pub fn help_rows(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(5)).max(1)
}

pub(super) fn on_help(state: &mut AppState, cmd: Cmd) -> Vec<Effect> {
    let page = help_rows(state.size);
    // As far as the view lets it: the last key shows under the marker.
    let rows = keys::help_lines(&state.screen_scopes()) + super::drafts::kept_help_rows(state);
    let last = crate::ui::text::max_scroll(rows, page);
    let at = usize::from(state.help.unwrap_or(0)).min(last);
    let to = match cmd {
        Cmd::Up => at.saturating_sub(1),
        Cmd::Down => at + 1,
        Cmd::PageUp => at.saturating_sub(page),
        Cmd::PageDown => at + page,
        Cmd::First => 0,
        Cmd::Last => last,
        _ => {
            state.help = None;
            return Vec::new();
        }
    };
    state.help = Some(u16::try_from(to.min(last)).unwrap_or(u16::MAX));
    Vec::new()
}
