//! An opened case: scrolling its timeline, the action menu and dialogs.

use super::action::{ActionKind, Dialog};
use super::{AppState, CaseDetail, Effect, Message, list_rows};
use crate::domain::*;
use crate::i18n::Msg;
use crate::keys::Cmd;
use crate::store::Done;

fn say(state: &mut AppState, msg: Msg, error: bool) {
    state.message = Some(Message { text: msg.text(state.lang()).to_string(), error });
}

/// Open an action's dialog; one left by Esc on this case comes back as it was.
fn open(state: &mut AppState, kind: ActionKind) {
    let today = state.today();
    let lang = state.lang();
    let kept = state.kept_dialog.take();
    let Some(d) = state.detail.as_mut() else { return };
    d.menu = None;
    d.dialog = match kept {
        Some(k) if k.kind == kind && k.case == d.case.no => Some(k),
        _ => Some(Dialog::new(kind, &d.case, lang, today)),
    };
}

fn submit(state: &mut AppState) -> Vec<Effect> {
    let (lang, today, cadres) = (state.lang(), state.today(), state.choices.cadres.clone());
    let Some(d) = state.detail.as_mut() else { return Vec::new() };
    if d.submitting {
        return Vec::new();
    }
    let Some(dialog) = d.dialog.as_mut() else { return Vec::new() };
    if !dialog.accept(lang, &cadres) {
        let msg = dialog.error.map(|e| e.1);
        if let Some(m) = msg {
            say(state, m, true);
        }
        return Vec::new();
    }
    match dialog.to_command(lang, today) {
        Ok(cmd) => {
            d.submitting = true;
            vec![Effect::Execute(cmd)]
        }
        Err((i, msg)) => {
            dialog.focus = i;
            dialog.error = Some((i, msg));
            say(state, msg, true);
            Vec::new()
        }
    }
}

/// A command while a case is open; None when it is not the case view's.
pub fn on_cmd(state: &mut AppState, cmd: Cmd) -> Option<Vec<Effect>> {
    let (lang, cadres) = (state.lang(), state.choices.cadres.clone());
    let page = list_rows(state.size) as u16;
    let d = state.detail.as_mut()?;
    if let Some(dialog) = d.dialog.as_mut() {
        let effects = match cmd {
            Cmd::NextField | Cmd::PrevField => {
                let last = dialog.focus + 1 >= dialog.fields.len();
                if cmd == Cmd::NextField && last {
                    return Some(submit(state));
                }
                if dialog.accept(lang, &cadres) {
                    dialog.step(cmd == Cmd::NextField);
                } else if let Some((_, m)) = dialog.error {
                    say(state, m, true);
                }
                Vec::new()
            }
            Cmd::Save => submit(state),
            Cmd::Back => {
                // Kept, not discarded: the same action on this case brings it back.
                state.kept_dialog = d.dialog.take();
                Vec::new()
            }
            Cmd::NextPick | Cmd::PrevPick => {
                let n = dialog.completions(dialog.focus, lang, &cadres).len().max(1);
                dialog.pick = if cmd == Cmd::NextPick { (dialog.pick + 1) % n } else { (dialog.pick + n - 1) % n };
                Vec::new()
            }
            Cmd::NewLine => {
                if let Some(f) = dialog.focused().filter(|f| f.value.is_multiline()) {
                    f.value.insert('\n');
                }
                Vec::new()
            }
            Cmd::CaretLeft
            | Cmd::CaretRight
            | Cmd::CaretHome
            | Cmd::CaretEnd
            | Cmd::DeleteBack
            | Cmd::DeleteForward => {
                if let Some(f) = dialog.focused() {
                    let v = &mut f.value;
                    match cmd {
                        Cmd::CaretLeft => v.left(),
                        Cmd::CaretRight => v.right(),
                        Cmd::CaretHome => v.home(),
                        Cmd::CaretEnd => v.end(),
                        Cmd::DeleteBack => v.backspace(),
                        _ => v.delete(),
                    }
                }
                Vec::new()
            }
            _ => return None,
        };
        return Some(effects);
    }
    if let Some(sel) = d.menu {
        let n = ActionKind::ALL.len();
        let effects = match cmd {
            Cmd::Up => {
                d.menu = Some((sel + n - 1) % n);
                Vec::new()
            }
            Cmd::Down => {
                d.menu = Some((sel + 1) % n);
                Vec::new()
            }
            Cmd::Open => {
                open(state, ActionKind::ALL[sel]);
                Vec::new()
            }
            Cmd::Act(kind) => {
                open(state, kind);
                Vec::new()
            }
            Cmd::Back => {
                d.menu = None;
                Vec::new()
            }
            _ => return None,
        };
        return Some(effects);
    }
    let effects = match cmd {
        Cmd::Open => {
            d.menu = Some(0);
            Vec::new()
        }
        Cmd::Act(kind) => {
            open(state, kind);
            Vec::new()
        }
        Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::First | Cmd::Last => {
            d.scroll = match cmd {
                Cmd::Up => d.scroll.saturating_sub(1),
                Cmd::Down => d.scroll.saturating_add(1),
                Cmd::PageUp => d.scroll.saturating_sub(page),
                Cmd::PageDown => d.scroll.saturating_add(page),
                Cmd::First => 0,
                _ => u16::MAX,
            };
            Vec::new()
        }
        Cmd::Back => {
            state.detail = None;
            Vec::new()
        }
        _ => return None,
    };
    Some(effects)
}

/// Typing into the open dialog.
pub fn on_char(state: &mut AppState, c: char) {
    let Some(dialog) = state.detail.as_mut().and_then(|d| d.dialog.as_mut()) else { return };
    dialog.type_char(c);
    if let Some((_, m)) = dialog.error {
        say(state, m, true);
    }
}

pub fn on_paste(state: &mut AppState, text: &str) {
    if let Some(f) = state.detail.as_mut().and_then(|d| d.dialog.as_mut()).and_then(|d| d.focused()) {
        f.value.insert_str(text);
    }
}

/// Is a dialog waiting for the store's answer?
pub fn submitting(state: &AppState) -> bool {
    state.detail.as_ref().is_some_and(|d| d.submitting)
}

/// The store's answer to a dialog: done (reload the case), or why not
/// (the dialog stays, with everything typed).
pub fn on_executed(state: &mut AppState, result: Result<Done, String>) -> Vec<Effect> {
    let lang = state.lang();
    let Some(d) = state.detail.as_mut() else { return Vec::new() };
    d.submitting = false;
    match result {
        Ok(done) => {
            let escalate = d.dialog.as_ref().is_some_and(|dlg| {
                dlg.kind == ActionKind::Findings
                    && dlg.fields.last().is_some_and(|f| f.value.value() == Msg::RecEscalate.text(lang))
            });
            d.dialog = None;
            if escalate {
                d.then = Some(ActionKind::Escalate);
            }
            let show = match done {
                Done::Merged { into, .. } => into,
                _ => d.case.no,
            };
            say(state, Msg::Recorded, false);
            vec![Effect::LoadCase(show), Effect::Load]
        }
        Err(text) => {
            state.message = Some(Message { text, error: true });
            Vec::new()
        }
    }
}

/// A case and its timeline; cases merged into it bring theirs.
pub fn loaded(state: &mut AppState, case: Case, events: Vec<Event>, related: Vec<(CaseNo, Vec<Event>)>) {
    let same = state.detail.as_ref().is_some_and(|d| d.case.no == case.no);
    // Reloaded after an action: show the newest event (the view clamps).
    let scroll = if same { u16::MAX } else { 0 };
    let then = state.detail.as_mut().and_then(|d| d.then.take()).or(state.open_with.take());
    state.detail =
        Some(CaseDetail { case, events, related, scroll, menu: None, dialog: None, submitting: false, then: None });
    if let Some(kind) = then {
        open(state, kind);
    }
}
