//! An opened case: scrolling its timeline, the action menu and dialogs.

use super::action::{ActionKind, Dialog};
use super::{AppState, CaseDetail, Effect, Message, list_rows};
use crate::domain::*;
use crate::i18n::Msg;
use crate::keys::{Cmd, Scope};
use jiedai_protocol::{Command, Done};

fn say(state: &mut AppState, msg: Msg, error: bool) {
    state.message = Some(Message { text: msg.text(state.lang()).to_string(), error });
}

/// Open an action's dialog; one left by Esc (or by a quit, a dropped line)
/// on this case comes back as it was.
fn open(state: &mut AppState, kind: ActionKind) {
    let today = state.today();
    let lang = state.lang();
    let Some(d) = state.detail.as_mut() else { return };
    d.menu = None;
    let no = d.case.no;
    let kept = state.kept_dialogs.iter().position(|k| k.kind == kind && k.case == no);
    let mut dialog = match kept {
        Some(i) => state.kept_dialogs.remove(i),
        None => Dialog::new(kind, &d.case, lang, today),
    };
    // A reprinted 不予受理告知书 says where to go as the last one did.
    if kind == ActionKind::Print
        && let Some(f) = dialog.fields.get_mut(1)
        && f.value.value().is_empty()
        && let Some(instead) = crate::domain::notice::last_instead(&d.events)
    {
        f.value.set(instead);
    }
    d.dialog = Some(dialog);
}

fn submit(state: &mut AppState) -> Vec<Effect> {
    let (lang, today, cadres) = (state.lang(), state.today(), super::places::cadres_for_case(state));
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
    if dialog.kind == ActionKind::Print {
        return match dialog.to_print(lang) {
            Ok(job) => {
                d.submitting = true;
                vec![Effect::Print(job)]
            }
            Err((i, msg)) => {
                dialog.focus = i;
                dialog.error = Some((i, msg));
                say(state, msg, true);
                Vec::new()
            }
        };
    }
    // A merge goes ahead only once the officer has seen what it goes into.
    if let Some(into) = dialog.merge_into() {
        let refuse = match &dialog.target {
            _ if into == dialog.case => Some(Msg::ErrMergeSelf),
            Some(t) if t.no == into && t.status.is_open() => None,
            Some(t) if t.no == into => Some(Msg::ErrMergeIntoClosed),
            _ => return vec![Effect::LookupTarget(into)],
        };
        if let Some(msg) = refuse {
            dialog.focus = 0;
            dialog.error = Some((0, msg));
            say(state, msg, true);
            return Vec::new();
        }
    }
    match dialog.to_command(lang, today) {
        // Another contact on a concluded case: ask first, never bury it.
        Ok(Command::Contact { .. }) if matches!(d.case.status, Status::Concluded | Status::FollowedUp) => {
            let case = d.case.clone();
            super::revisit::ask(state, case, super::revisit::Origin::Dialog);
            Vec::new()
        }
        Ok(cmd) => {
            d.submitting = true;
            vec![Effect::Execute(state.ids.next_id(), cmd)]
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
    let (lang, cadres) = (state.lang(), super::places::cadres_for_case(state));
    let page = list_rows(state.size) as u16;
    // Scrolling starts from where the view shows the case (it clamps).
    let scrolls = matches!(cmd, Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::First | Cmd::Last);
    let max = state.detail.as_ref().filter(|_| scrolls).map_or(0, |d| crate::ui::detail::max_scroll(state, d));
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
            // Kept, not discarded: the same action on this case brings it back.
            Cmd::Back => super::drafts::put_away(state),
            Cmd::NextPick | Cmd::PrevPick => {
                dialog.move_pick(cmd == Cmd::NextPick, lang, &cadres);
                Vec::new()
            }
            Cmd::NewLine => {
                if let Some(f) = dialog.focused().filter(|f| f.value.is_multiline()) {
                    f.value.insert('\n');
                }
                Vec::new()
            }
            Cmd::ClearForm => {
                dialog.clear();
                let key = crate::keys::key_for(Scope::Dialog, Cmd::Undo).map(|k| k.label()).unwrap_or_default();
                let text = format!("{} ({key} {})", Msg::FormCleared.text(lang), Msg::KeyUndoClear.text(lang));
                state.message = Some(Message { text, error: false });
                Vec::new()
            }
            Cmd::Undo => {
                if dialog.undo_clear() {
                    say(state, Msg::FormRestored, false);
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
        Cmd::DirVisit => super::dir::visit_from_case(state),
        Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::First | Cmd::Last => {
            d.scroll = super::scroll::by(d.scroll, cmd, page, max).unwrap_or(d.scroll);
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
    let Some(dialog) = state.detail.as_mut().and_then(|d| d.dialog.as_mut()) else { return };
    if dialog.focused().is_some_and(|f| f.kind == super::action::FieldKind::Digits) {
        // Key by key, so what a number field refuses is said.
        let mut refused = None;
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            dialog.type_char(c);
            refused = refused.or(dialog.error);
        }
        dialog.error = refused;
        if let Some((_, m)) = refused {
            say(state, m, true);
        }
    } else if let Some(f) = dialog.focused() {
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
            let done_with = d.dialog.take().map(|dlg| dlg.draft_key());
            if escalate {
                d.then = Some(ActionKind::Escalate);
            }
            let old = d.case.no;
            let (show, text) = match done {
                Done::Merged { into, .. } => (into, Msg::Recorded.text(lang).to_string()),
                // A concluded case's new visit became a case of its own.
                Done::Registered(no) => {
                    (no, format!("{} {no} ({} {old})", Msg::Saved.text(lang), Msg::LinkedNew.text(lang)))
                }
                _ => (old, Msg::Recorded.text(lang).to_string()),
            };
            state.message = Some(Message { text, error: false });
            let mut effects: Vec<Effect> = done_with.map(Effect::ClearDraft).into_iter().collect();
            effects.extend([Effect::LoadCase(show), Effect::Load]);
            effects
        }
        Err(text) => {
            state.message = Some(Message { text, error: true });
            let mut effects = super::drafts::flush(state);
            effects.push(Effect::SyncDrafts);
            effects
        }
    }
}

/// A case and its timeline; cases merged into it bring theirs.
pub fn loaded(state: &mut AppState, case: Case, events: Vec<Event>, related: Vec<(CaseNo, Vec<Event>)>) {
    let same = state.detail.as_ref().is_some_and(|d| d.case.no == case.no);
    // Reloaded after an action: show the newest event (the view clamps).
    let scroll = if same { u16::MAX } else { 0 };
    let then = state.detail.as_mut().and_then(|d| d.then.take()).or(state.open_with.take());
    let no = case.no;
    state.detail =
        Some(CaseDetail { case, events, related, scroll, menu: None, dialog: None, submitting: false, then: None });
    if let Some(kind) = then {
        open(state, kind);
    } else if !same {
        // Unsubmitted dialogs of this case (kept by Esc, a quit, a dropped
        // line): say which, and the key that brings each back.
        let lang = state.lang();
        let kept: Vec<String> = state
            .kept_dialogs
            .iter()
            .filter(|k| k.case == no && k.edited())
            .map(|k| {
                let key = crate::keys::key_for(Scope::Detail, Cmd::Act(k.kind)).map(|k| k.label()).unwrap_or_default();
                format!("{} ({key})", k.kind.title().text(lang))
            })
            .collect();
        if !kept.is_empty() {
            let text = format!("{}: {}", Msg::DialogKept.text(lang), kept.join(", "));
            state.message = Some(Message { text, error: false });
        }
    }
}

/// The answer to the question about a concluded case, from the open
/// contact dialog: reopen the case, or a new case linked to it.
pub fn revisit(state: &mut AppState, case: &Case, reopen: bool) -> Vec<Effect> {
    let (lang, today) = (state.lang(), state.today());
    let Some(d) = state.detail.as_mut() else { return Vec::new() };
    if d.submitting {
        return Vec::new();
    }
    let Some(dialog) = d.dialog.as_mut() else { return Vec::new() };
    let Ok(Command::Contact { channel, name, people, note, .. }) = dialog.to_command(lang, today) else {
        return Vec::new();
    };
    match super::revisit::dialog_command(case, reopen, channel, name, people, note) {
        Ok(cmd) => {
            d.submitting = true;
            vec![Effect::Execute(state.ids.next_id(), cmd)]
        }
        Err(msg) => {
            let at = dialog.fields.iter().position(|f| f.label == Msg::FNote).unwrap_or(0);
            dialog.focus = at;
            dialog.error = Some((at, msg));
            say(state, msg, true);
            Vec::new()
        }
    }
}

/// A paper written from the open case (the dialog closes, the case is
/// reloaded to show the new event), or why not (the dialog stays).
pub fn on_printed(state: &mut AppState, result: Result<String, String>, reload: Option<CaseNo>) -> Vec<Effect> {
    let ok = result.is_ok();
    let (Ok(text) | Err(text)) = result;
    state.message = Some(Message { text, error: !ok });
    let Some(d) = state.detail.as_mut() else { return Vec::new() };
    d.submitting = false;
    if !ok {
        return Vec::new();
    }
    let mut effects: Vec<Effect> = d.dialog.take().map(|dlg| Effect::ClearDraft(dlg.draft_key())).into_iter().collect();
    effects.extend(reload.map(Effect::LoadCase));
    effects
}

/// The case a merge would go into: shown in the dialog; refused at once
/// when it is concluded (or missing), else a second Ctrl+S merges.
pub fn on_target(state: &mut AppState, no: CaseNo, case: Option<Case>) {
    let lang = state.lang();
    let Some(dialog) = state.detail.as_mut().and_then(|d| d.dialog.as_mut()) else { return };
    if dialog.merge_into() != Some(no) {
        return;
    }
    dialog.target = case.as_ref().map(|c| super::merge::Target::of(c, lang));
    let (msg, error) = match case {
        None => (Msg::ErrNoSuchTarget, true),
        Some(c) if !c.status.is_open() => (Msg::ErrMergeIntoClosed, true),
        Some(_) => (Msg::MergeConfirm, false),
    };
    dialog.error = error.then_some((0, msg));
    say(state, msg, error);
}
