//! A new visit about a concluded case is never buried on it: the desk asks,
//! with one key, whether to reopen the case (重办, the visit's words as the
//! reason in its timeline) or to register a new case linked to it (each
//! timeline naming the other).

use super::{AppState, Effect, Tab, intake};
use crate::domain::*;
use crate::i18n::Msg;
use crate::keys::Cmd;
use jiedai_protocol::Command;

/// Where the visit was being recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The intake form (Ctrl+T on an earlier case).
    Intake,
    /// The open case's "log a contact" dialog.
    Dialog,
}

/// The question on screen: this concluded case, visited again.
#[derive(Clone, Debug, PartialEq)]
pub struct Revisit {
    pub case: Case,
    pub origin: Origin,
}

pub fn ask(state: &mut AppState, case: Case, origin: Origin) {
    state.message = None;
    state.revisit = Some(Revisit { case, origin });
}

/// A key while the question is asked; None lets the global keys through
/// (help, quit, tabs), which put the question away but not the visit.
pub fn on_cmd(state: &mut AppState, cmd: Cmd) -> Option<Vec<Effect>> {
    let r = state.revisit.as_ref()?;
    let (case, origin) = (r.case.clone(), r.origin);
    let reopen = match cmd {
        Cmd::Reopen => true,
        Cmd::LinkNew => false,
        Cmd::Back => {
            state.revisit = None;
            return Some(Vec::new());
        }
        Cmd::Help => return None,
        _ => {
            state.revisit = None;
            return None;
        }
    };
    state.revisit = None;
    Some(match origin {
        Origin::Intake if state.tab == Tab::Intake => intake::revisit(state, case.no, reopen),
        Origin::Intake => Vec::new(),
        Origin::Dialog => super::detail::revisit(state, &case, reopen),
    })
}

/// The new case a dialog's contact becomes: the old case's resident and
/// place, the visit's words as its summary and details.
pub fn linked_intake(old: &Case, channel: Channel, name: &str, people: u32, note: &str) -> Intake {
    let first = note.lines().map(str::trim).find(|l| !l.is_empty());
    Intake {
        channel,
        name: if name.trim().is_empty() { old.intake.name.clone() } else { name.trim().to_string() },
        people: people.max(1),
        delegation: None,
        summary: first.map(str::to_string).unwrap_or_else(|| old.intake.summary.clone()),
        details: note.to_string(),
        assignee: old.assignee.clone(),
        ..old.intake.clone()
    }
}

/// The command for a dialog's contact on a concluded case.
pub fn dialog_command(
    old: &Case,
    reopen: bool,
    channel: Channel,
    name: String,
    people: u32,
    note: String,
) -> Result<Command, Msg> {
    if reopen {
        if note.trim().is_empty() {
            return Err(Msg::ErrReasonRequired);
        }
        return Ok(Command::ContactReopen { case: old.no, channel, name, people, note, queue: None });
    }
    let intake = linked_intake(old, channel, &name, people, &note);
    Ok(Command::RegisterLinked { intake, queue: None, earlier: old.no })
}
