//! Scrolling a view that is longer than the screen: the statistics. The
//! view measures itself (`ui::stats::max_scroll`, a pure function of the
//! state), so a scroll position never runs past what is drawn and Up moves
//! at once after End.

use super::{AppState, Effect, list_rows};
use crate::keys::Cmd;

/// A scroll key on the statistics tab; None for any other command.
pub(super) fn stats(state: &mut AppState, cmd: Cmd) -> Option<Vec<Effect>> {
    let max = crate::ui::stats::max_scroll(state);
    let page = list_rows(state.size) as u16;
    state.stats_scroll = by(state.stats_scroll, cmd, page, max)?;
    Some(Vec::new())
}

/// Where a scroll key moves a view now at `at` (clamped to `max` first).
pub(super) fn by(at: u16, cmd: Cmd, page: u16, max: u16) -> Option<u16> {
    let at = at.min(max);
    let to = match cmd {
        Cmd::Up => at.saturating_sub(1),
        Cmd::Down => at.saturating_add(1),
        Cmd::PageUp => at.saturating_sub(page),
        Cmd::PageDown => at.saturating_add(page),
        Cmd::First => 0,
        Cmd::Last => max,
        _ => return None,
    };
    Some(to.min(max))
}
