//! Carries out `update`'s effects against the store and turns the results
//! into actions. Used by the terminal loop and by the tests alike.

use crate::app::{Action, AppState, Effect, Snapshot, StatsPeriod, Tab, update};
use crate::domain::stats::Period;
use crate::domain::time::china_date;
use crate::domain::*;
use crate::i18n::Msg;
use crate::store::{Done, Stamp, Store, StoreError};

/// What the showing tab needs, and the counts every tab shows.
pub fn snapshot(
    store: &Store,
    now: Timestamp,
    tab: Tab,
    with_list: bool,
    period: StatsPeriod,
) -> Result<Snapshot, StoreError> {
    let today = china_date(now);
    let cadres = store.cadres()?;
    let roster = store.roster()?;
    let (open_count, overdue_count) = store.open_counts(today)?;
    let mut snap = Snapshot {
        today: Some(today),
        open_count,
        overdue_count,
        duty_leader: duty_leader(&roster, today).and_then(|name| cadres.iter().find(|c| c.name == name)).cloned(),
        villages: store.villages()?,
        cadres,
        queue: store.queue_at_desk(today)?,
        directory: store.directory()?,
        fresh: store.is_empty() && store.directory()? == Directory::default(),
        draft: store.draft(crate::app::form::DRAFT_NAME)?,
        diary: store.diary()?,
        ..Snapshot::default()
    };
    match tab {
        Tab::Intake | Tab::Directory => {}
        // The diary attaches to any case, found as 查找 finds it.
        Tab::Diary => {
            snap.all = store.all_cases_newest_first()?;
            snap.has_lists[3] = true;
        }
        Tab::Box => snap.openings = store.box_tallies(None)?,
        Tab::Pending | Tab::Inspections | Tab::FollowUps | Tab::Search if !with_list => {}
        Tab::Pending => {
            snap.open = store.open_cases()?;
            snap.has_lists[0] = true;
        }
        Tab::Inspections => {
            snap.inspections = store.inspections_due()?;
            snap.has_lists[1] = true;
            // The escalations waiting for an answer come from the open cases.
            snap.open = store.open_cases()?;
            snap.has_lists[0] = true;
        }
        Tab::FollowUps => {
            snap.follow_ups = store.follow_ups_due()?;
            snap.has_lists[2] = true;
        }
        Tab::Search => {
            snap.all = store.all_cases_newest_first()?;
            snap.has_lists[3] = true;
        }
        Tab::Stats => {
            let period = match period {
                StatsPeriod::Week => Period::week(today),
                StatsPeriod::Month => Period::month(today),
                StatsPeriod::Year => Period::year(today),
                StatsPeriod::All => Period { from: store.first_day()?.unwrap_or(today), to: today },
                StatsPeriod::Range(from, to) => Period { from, to },
            };
            snap.stats = Some(store.stats(period)?);
        }
    }
    Ok(snap)
}

/// Carry out one effect; the actions it produces go back into `update`.
pub fn run(store: &Store, state: &AppState, effect: &Effect) -> Vec<Action> {
    let lang = state.lang();
    let result = match effect {
        Effect::Load => {
            // A list already in memory is kept up to date by `Changed`.
            let with_list = state.list(state.tab).is_some_and(|l| !l.loaded);
            snapshot(store, state.now, state.tab, with_list, state.stats_period).and_then(|mut s| {
                if !state.loaded {
                    // At start: the action dialogs left unsubmitted.
                    s.dialog_drafts = store.drafts_under(crate::app::action::DIALOG_DRAFTS)?;
                }
                Ok(vec![Action::Loaded(Box::new(s))])
            })
        }
        Effect::LoadCase(no) => (|| {
            let case = store.case(*no)?.ok_or(StoreError::NoSuchCase(*no))?;
            let events = store.events(*no)?;
            let mut related = Vec::new();
            for from in &case.absorbed {
                related.push((*from, store.events(*from)?));
            }
            Ok(vec![Action::CaseLoaded(Box::new(case), events, related)])
        })(),
        Effect::Execute(id, cmd) => {
            let stamp = Stamp { at: state.now, operator: state.operator.clone() };
            match store.execute_once(&stamp, *id, cmd.clone()) {
                Ok(done) => {
                    let mut touched = match &done {
                        Done::Registered(no) | Done::Recorded(no) => vec![*no],
                        Done::Merged { from, into } => vec![*from, *into],
                        Done::Queued(_) | Done::Stored => Vec::new(),
                    };
                    if let crate::store::Command::RegisterLinked { earlier, .. } = cmd {
                        touched.push(*earlier);
                    }
                    let mut changed = Vec::new();
                    for no in touched {
                        if let Ok(Some(c)) = store.case(no) {
                            changed.push(c);
                        }
                    }
                    Ok(vec![Action::Changed(changed), Action::Executed(Ok(done))])
                }
                // The disk refused: say so and what to do, in words (the
                // form stays, as a draft; the desk reopens the store before
                // the next save).
                Err(e) if e.is_disk_full() => Ok(vec![Action::Executed(Err(Msg::ErrDiskFullSave.text(lang).into()))]),
                Err(e) if e.is_io() => Ok(vec![Action::Executed(Err(Msg::ErrDiskSave.text(lang).into()))]),
                Err(e) => Ok(vec![Action::Executed(Err(e.user_message(lang)))]),
            }
        }
        Effect::LookupEarlier { name, phone } => (|| {
            let mut cases = if name.is_empty() { Vec::new() } else { store.cases_of_name(name)? };
            cases.extend(store.cases_of_phone(phone)?);
            Ok(vec![Action::Earlier(cases)])
        })(),
        Effect::SaveDraft(draft) => store.put_draft(draft).map(|_| Vec::new()),
        Effect::ClearDraft(key) => store.clear_draft(key).map(|_| Vec::new()),
        Effect::SyncDrafts => store.sync_drafts().map(|_| Vec::new()),
        Effect::Print(job) => {
            let stamp = Stamp { at: state.now, operator: state.operator.clone() };
            let dir = state.docs_dir.clone().unwrap_or_else(crate::notice::default_dir);
            match crate::notice::print(store, job, &stamp, &dir, lang) {
                Ok(p) => {
                    let reload = p.case.filter(|_| p.recorded);
                    let mut out = Vec::new();
                    if let Some(Ok(Some(c))) = reload.map(|no| store.case(no)) {
                        out.push(Action::Changed(vec![c]));
                    }
                    out.push(Action::Printed { result: Ok(crate::notice::done_message(&p, lang, true)), reload });
                    Ok(out)
                }
                Err(e) => Ok(vec![Action::Printed { result: Err(e.user_message(lang)), reload: None }]),
            }
        }
        Effect::LookupTarget(no) => store.case(*no).map(|c| vec![Action::Target(*no, c.map(Box::new))]),
        Effect::Quit => store.sync_drafts().map(|_| Vec::new()),
    };
    result.unwrap_or_else(|e: StoreError| vec![Action::Failed(e.user_message(lang))])
}

/// Feed an action through `update` and every effect it causes, to the end.
pub fn dispatch(store: &Store, state: &mut AppState, action: Action) {
    // First in, first out: results reach `update` in the order they arose.
    let mut queue = std::collections::VecDeque::from([action]);
    while let Some(a) = queue.pop_front() {
        for e in update(state, a) {
            queue.extend(run(store, state, &e));
        }
    }
}
