//! Drafts: what was typed and not yet saved, kept across Esc, a quit, a
//! dropped line and a restart. The intake form's is handled with the form
//! (app::intake); the action dialogs' are here, one per case and action;
//! and what the signal threads write if the line drops before the next tick.

use super::action::{Dialog, DraftChange};
use super::{AppState, Effect};
use jiedai_protocol::Draft;

fn effect(change: Option<DraftChange>) -> Vec<Effect> {
    match change {
        Some(DraftChange::Save(d)) => vec![Effect::SaveDraft(d)],
        Some(DraftChange::Clear(key)) => vec![Effect::ClearDraft(key)],
        None => Vec::new(),
    }
}

/// Put the open dialog away, kept for later (Esc, another tab, quitting):
/// in memory, and on disk as a draft if anything was typed.
pub fn put_away(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let Some(mut dialog) = state.detail.as_mut().and_then(|d| d.dialog.take()) else { return Vec::new() };
    let change = dialog.draft_due(now, None);
    state.kept_dialogs.retain(|k| !(k.kind == dialog.kind && k.case == dialog.case));
    state.kept_dialogs.push(dialog);
    let mut effects = effect(change);
    effects.push(Effect::SyncDrafts);
    effects
}

/// On the clock's tick: the open dialog's draft, if it changed, at most
/// every half second.
pub fn tick(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let Some(dialog) = state.detail.as_mut().and_then(|d| d.dialog.as_mut()) else { return Vec::new() };
    effect(dialog.draft_due(now, Some(chrono::Duration::milliseconds(500))))
}

/// The open dialog's draft, now (quitting).
pub fn flush(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let Some(dialog) = state.detail.as_mut().and_then(|d| d.dialog.as_mut()) else { return Vec::new() };
    effect(dialog.draft_due(now, None))
}

/// Every dialog with something typed in it, as drafts: what the signal
/// thread writes if the line drops before the next tick.
pub fn live_dialogs(state: &AppState) -> Vec<Draft> {
    let open = state.detail.as_ref().and_then(|d| d.dialog.as_ref());
    open.into_iter().chain(&state.kept_dialogs).filter(|d| d.edited()).map(|d| d.to_draft(state.now)).collect()
}

/// Dialog drafts found at start: kept, to come back when their case and
/// action are opened.
pub fn restore(state: &mut AppState, drafts: &[Draft]) -> Vec<String> {
    let lang = state.lang();
    let mut said = Vec::new();
    for d in drafts {
        if let Some(dialog) = Dialog::from_draft(d)
            && !state.kept_dialogs.iter().any(|k| k.kind == dialog.kind && k.case == dialog.case)
        {
            said.push(format!("{} {}", dialog.case, dialog.kind.title().text(lang)));
            state.kept_dialogs.push(dialog);
        }
    }
    said
}

impl AppState {
    /// What the signal threads save if the line drops now: the intake form
    /// (unless blank), every action dialog with something typed in it, and
    /// the channel screens' drafts.
    pub fn live_drafts(&self) -> Vec<Draft> {
        let form = &self.intake.form;
        let intake = (!form.is_blank(self.look.lang, &self.choices)).then(|| form.to_draft(self.now));
        intake.into_iter().chain(live_dialogs(self)).chain(super::screen_drafts::live(self)).collect()
    }

    /// Changes whenever `live_drafts` may have: the loop refreshes the
    /// signal threads' copy only then.
    pub fn drafts_mark(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.intake.form.generation.hash(&mut h);
        let open = self.detail.as_ref().and_then(|d| d.dialog.as_ref());
        for d in open.into_iter().chain(&self.kept_dialogs) {
            (d.case, d.kind, d.values()).hash(&mut h);
        }
        // The channel screens' drafts (small: a line or a call).
        super::screen_drafts::live(self).iter().for_each(|d| d.fields.hash(&mut h));
        h.finish()
    }
}

/// The kept dialogs with something typed in them, as help lists them:
/// the case, the action and the key that brings it back once the case is open.
pub fn kept_lines(state: &AppState) -> Vec<String> {
    let lang = state.lang();
    state
        .kept_dialogs
        .iter()
        .filter(|k| k.edited())
        .map(|k| {
            let key = crate::keys::key_for(crate::keys::Scope::Detail, crate::keys::Cmd::Act(k.kind));
            let key = key.map(|k| k.label()).unwrap_or_default();
            format!("  {}  {} ({key})", k.case, k.kind.title().text(lang))
        })
        .collect()
}

/// Lines of the help's kept-dialogs section: a title, the list, a blank.
pub fn kept_help_rows(state: &AppState) -> usize {
    match kept_lines(state).len() {
        0 => 0,
        n => n + 2,
    }
}
