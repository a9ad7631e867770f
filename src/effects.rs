//! Carries out `update`'s effects against the store and turns the results
//! into actions. Used by the terminal loop and by the tests alike.

use chrono::Datelike;

use crate::app::{Action, AppState, Effect, Snapshot, update};
use crate::domain::time::china_date;
use crate::domain::*;
use crate::store::{Stamp, Store, StoreError};

pub fn snapshot(store: &Store, now: Timestamp) -> Result<Snapshot, StoreError> {
    let today = china_date(now);
    let all = store.all_cases()?;
    let mut registered_today: Vec<Case> = all.iter().filter(|c| china_date(c.opened_at) == today).cloned().collect();
    registered_today.sort_by_key(|c| c.opened_at);
    let cadres = store.cadres()?;
    let roster = store.roster()?;
    Ok(Snapshot {
        today: Some(today),
        open: store.open_cases()?,
        inspections: store.inspections_due()?,
        follow_ups: store.follow_ups_due()?,
        registered_today,
        duty_leader: duty_leader(&roster, today).and_then(|name| cadres.iter().find(|c| c.name == name)).cloned(),
        villages: store.villages()?,
        cadres,
        queue: store.queue(today)?,
        draft: store.draft(crate::app::form::DRAFT_NAME)?,
        total_cases: all.len() as u64,
        by_channel: Snapshot::count(&all, today.year()),
    })
}

/// Carry out one effect; the actions it produces go back into `update`.
pub fn run(store: &Store, state: &AppState, effect: &Effect) -> Vec<Action> {
    let lang = state.lang();
    let result = match effect {
        Effect::Load => snapshot(store, state.now).map(|s| vec![Action::Loaded(Box::new(s))]),
        Effect::LoadCase(no) => (|| {
            let case = store.case(*no)?.ok_or(StoreError::NoSuchCase(*no))?;
            let events = store.events(*no)?;
            Ok(vec![Action::CaseLoaded(Box::new(case), events)])
        })(),
        Effect::Execute(cmd) => {
            let stamp = Stamp { at: state.now, operator: state.operator.clone() };
            Ok(vec![Action::Executed(store.execute(&stamp, cmd.clone()).map_err(|e| e.user_message(lang)))])
        }
        Effect::LookupEarlier { name, phone } => (|| {
            let mut cases = if name.is_empty() { Vec::new() } else { store.cases_of_name(name)? };
            cases.extend(store.cases_of_phone(phone)?);
            Ok(vec![Action::Earlier(cases)])
        })(),
        Effect::SaveDraft(draft) => store.put_draft(draft).map(|_| Vec::new()),
        Effect::ClearDraft => store.clear_draft(crate::app::form::DRAFT_NAME).map(|_| Vec::new()),
        Effect::Quit => Ok(Vec::new()),
    };
    result.unwrap_or_else(|e: StoreError| vec![Action::Failed(e.user_message(lang))])
}

/// Feed an action through `update` and every effect it causes, to the end.
pub fn dispatch(store: &Store, state: &mut AppState, action: Action) {
    let mut queue = vec![action];
    while let Some(a) = queue.pop() {
        for e in update(state, a) {
            queue.extend(run(store, state, &e));
        }
    }
}
