//! Keeping the tabs' lists current: loaded once, then patched with each
//! save's changed cases, refiltered, scrolled.

use chrono::NaiveDate;

use super::form::Choices;
use super::{AppState, Effect, ListView, Message, Snapshot, Tab, list_rows};
use crate::domain::*;
use crate::i18n::Msg;
use jiedai_protocol::Draft;

/// A snapshot from the store: the lists it carries replace those in
/// memory (with fresh search keys); the others stay as they are.
pub(super) fn loaded(state: &mut AppState, mut snapshot: Snapshot) -> Vec<Effect> {
    let first = !state.loaded;
    let draft = snapshot.draft.take();
    let dialog_drafts = std::mem::take(&mut snapshot.dialog_drafts);
    let screen_drafts = std::mem::take(&mut snapshot.screen_drafts);
    let mut effects = Vec::new();
    // Lists the snapshot does not carry stay as they are.
    let has = snapshot.has_lists;
    if !has[0] {
        snapshot.open = std::mem::take(&mut state.data.open);
    }
    if !has[1] {
        snapshot.inspections = std::mem::take(&mut state.data.inspections);
    }
    if !has[2] {
        snapshot.follow_ups = std::mem::take(&mut state.data.follow_ups);
    }
    if !has[3] {
        snapshot.all = std::mem::take(&mut state.data.all);
    }
    state.choices = Choices {
        villages: snapshot.villages.clone(),
        cadres: snapshot.cadres.iter().map(|c| c.name.clone()).collect(),
        duty_leader: snapshot.duty_leader.as_ref().map(|c| c.name.clone()),
        cadre_records: snapshot.cadres.clone(),
    };
    state.data = snapshot;
    state.loaded = true;
    if first {
        let intake_restored = draft.is_some();
        restore_draft(state, draft);
        if state.data.fresh {
            super::dir::start_setup(state);
        }
        super::dir::ask_who(state);
        let restored = super::drafts::restore(state, &dialog_drafts);
        if !restored.is_empty() {
            let lang = state.lang();
            let before = state.message.take().map(|m| format!("{}; ", m.text)).unwrap_or_default();
            // The list when it fits the message line; else how many, and
            // where the list is (help lists every kept dialog).
            let full = format!("{before}{}: {}", Msg::DialogsRestored.text(lang), restored.join(", "));
            let text = if unicode_width::UnicodeWidthStr::width(full.as_str()) <= usize::from(state.size.0) {
                full
            } else {
                let key = crate::keys::key_for(crate::keys::Scope::Global, crate::keys::Cmd::Help);
                let key = key.map(|k| k.label()).unwrap_or_default();
                let n = restored.len().to_string();
                let short = crate::i18n::fill(Msg::DialogsRestoredCount.text(lang), &[("n", &n), ("key", &key)]);
                format!("{before}{short}")
            };
            state.message = Some(Message { text, error: false });
        }
        effects = super::screen_drafts::restore_at_start(state, &screen_drafts, intake_restored);
    }
    if std::mem::take(&mut state.dir.reset_form) {
        // The setup set today's duty leader: the empty form takes it.
        let (lang, choices) = (state.look.lang, state.choices.clone());
        if state.intake.form.is_blank(lang, &Choices::default()) {
            state.intake.form.reset(lang, &choices);
        }
    }
    let today = state.today();
    for (i, tab) in LISTED.into_iter().enumerate() {
        if has[i] {
            let cases = std::mem::take(list_of(&mut state.data, tab));
            if let Some(l) = tab.slot().and_then(|i| state.lists.get_mut(i)) {
                l.reset(&cases, today);
                l.loaded = true;
            }
            *list_of(&mut state.data, tab) = cases;
        }
    }
    super::screen_drafts::after_load(state, has[3]);
    effects
}

/// Cases a save changed: each list takes them in, or lets them go, where
/// the same rules as the store's indexes put them.
pub(super) fn changed(state: &mut AppState, cases: &[Case]) -> Vec<Effect> {
    for tab in LISTED {
        let place: fn(&Case) -> Option<NaiveDate> = match tab {
            Tab::Pending => Case::pending_key,
            Tab::Inspections => Case::inspection_key,
            _ => Case::follow_up_key,
        };
        let mut list = std::mem::take(list_of(&mut state.data, tab));
        if let Some(l) = tab.slot().and_then(|i| state.lists.get_mut(i)).filter(|l| l.loaded) {
            for c in cases {
                if tab == Tab::Search {
                    // Every case stays, newest (highest number) first.
                    l.patch(&mut list, c, |c: &Case| Some(std::cmp::Reverse(c.no)));
                } else {
                    l.patch(&mut list, c, place);
                }
            }
        }
        *list_of(&mut state.data, tab) = list;
        refilter(state, tab);
    }
    Vec::new()
}

/// At start: the defaults that need the lists (today's duty leader), and
/// the form left unsaved last time, offered back in place.
pub(super) fn restore_draft(state: &mut AppState, draft: Option<Draft>) {
    let (lang, choices) = (state.look.lang, state.choices.clone());
    let form = &mut state.intake.form;
    if !form.is_blank(lang, &Choices::default()) {
        return;
    }
    form.reset(lang, &choices);
    if let Some(d) = draft {
        form.restore(&d);
        let when = crate::domain::time::china_minute(d.saved_at);
        state.message = Some(Message { text: format!("{} ({when})", Msg::DraftRestored.text(lang)), error: false });
    }
    state.intake.mark_drafted();
}

/// The tabs whose lists come from the store, in `Snapshot::has_lists` order.
const LISTED: [Tab; 4] = [Tab::Pending, Tab::Inspections, Tab::FollowUps, Tab::Search];

/// The cases of a list tab (Intake and Statistics have none: an empty one).
pub(super) fn list_of(data: &mut Snapshot, tab: Tab) -> &mut Vec<Case> {
    match tab {
        Tab::Pending => &mut data.open,
        Tab::Inspections => &mut data.inspections,
        Tab::Search => &mut data.all,
        _ => &mut data.follow_ups,
    }
}

pub(super) fn refilter(state: &mut AppState, tab: Tab) {
    if !LISTED.contains(&tab) {
        return;
    }
    let today = state.today();
    let cases = std::mem::take(list_of(&mut state.data, tab));
    if let Some(l) = tab.slot().and_then(|i| state.lists.get_mut(i)) {
        l.refilter(&cases, today);
        if tab == Tab::Inspections {
            // Today's and coming inspections first, then those whose day
            // has passed and still wait for findings.
            let past = |i: &usize| cases.get(*i).and_then(Case::inspection_key).is_some_and(|d| d < today);
            let (mut coming, waiting): (Vec<usize>, Vec<usize>) = l.visible.iter().partition(|i| !past(i));
            coming.extend(waiting);
            l.visible = coming;
        }
    }
    *list_of(&mut state.data, tab) = cases;
}

pub(super) fn move_list(state: &mut AppState, f: impl FnOnce(&mut ListView, usize)) -> Vec<Effect> {
    let page = list_rows(state.size);
    if let Some(l) = state.list_mut() {
        f(l, page);
        l.scroll_into_view(page);
    }
    Vec::new()
}
