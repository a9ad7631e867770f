//! Carries out `update`'s effects through the port (`Desk`) and turns the
//! results into actions. Used by the terminal loop and by the tests alike.
//! Nothing here knows the store: the store stamps who and when.

use crate::app::{Action, AppState, Effect, Snapshot, StatsPeriod, Tab, update};
use crate::domain::time::china_date;
use crate::domain::*;
use crate::i18n::Msg;
use crate::protocol::{Command, Desk, DeskError, Done, List};

/// What the showing tab needs, and the counts every tab shows.
pub fn snapshot(
    desk: &dyn Desk,
    now: Timestamp,
    tab: Tab,
    with_list: bool,
    period: StatsPeriod,
    dialog_drafts: bool,
) -> Result<Snapshot, DeskError> {
    let lists = match tab {
        Tab::Pending | Tab::Inspections | Tab::FollowUps | Tab::Search if !with_list => Vec::new(),
        Tab::Pending => vec![List::Open],
        // The escalations waiting for an answer come from the open cases.
        Tab::Inspections => vec![List::Inspections, List::Open],
        Tab::FollowUps => vec![List::FollowUps],
        Tab::Search => vec![List::All],
        Tab::Intake | Tab::Directory | Tab::Stats | Tab::Calls => Vec::new(),
        // The diary attaches to any case, found as 查找 finds it.
        Tab::Diary => vec![List::All],
        Tab::Box => vec![List::Openings],
    };
    let stats = (tab == Tab::Stats).then_some(period);
    desk.snapshot(china_date(now), lists, stats, dialog_drafts)
}

/// Carry out one effect; the actions it produces go back into `update`.
pub fn run(desk: &dyn Desk, state: &AppState, effect: &Effect) -> Vec<Action> {
    let lang = state.lang();
    let result = match effect {
        Effect::Load => {
            // A list already in memory is kept up to date by `Changed`.
            let with_list = state.list(state.tab).is_some_and(|l| !l.loaded);
            // At start: the action dialogs left unsubmitted.
            snapshot(desk, state.now, state.tab, with_list, state.stats_period, !state.loaded)
                .map(|s| vec![Action::Loaded(Box::new(s))])
        }
        Effect::LoadCase(no) => {
            desk.case_file(*no).map(|(case, events, related)| vec![Action::CaseLoaded(case, events, related)])
        }
        Effect::Execute(id, cmd) => match desk.execute(*id, cmd.clone()) {
            Ok(done) => {
                let mut touched = match &done {
                    Done::Registered(no) | Done::Recorded(no) => vec![*no],
                    Done::Merged { from, into } => vec![*from, *into],
                    Done::Queued(_) | Done::Stored => Vec::new(),
                };
                if let Command::RegisterLinked { earlier, .. } = cmd {
                    touched.push(*earlier);
                }
                let changed = if touched.is_empty() { Vec::new() } else { desk.cases(touched).unwrap_or_default() };
                Ok(vec![Action::Changed(changed), Action::Executed(Ok(done))])
            }
            // The disk refused: say so and what to do, in words (the form
            // stays, as a draft; the store is reopened before the next save).
            Err(e) if e.is_disk_full() => Ok(vec![Action::Executed(Err(Msg::ErrDiskFullSave.text(lang).into()))]),
            Err(e) if e.is_io() => Ok(vec![Action::Executed(Err(Msg::ErrDiskSave.text(lang).into()))]),
            Err(e) => Ok(vec![Action::Executed(Err(e.user_message(lang)))]),
        },
        Effect::LookupEarlier { name, phone } => desk.earlier(name, phone).map(|cases| vec![Action::Earlier(cases)]),
        Effect::SaveDraft(draft) => desk.put_draft(draft).map(|_| Vec::new()),
        Effect::ClearDraft(key) => desk.clear_draft(key).map(|_| Vec::new()),
        Effect::SyncDrafts => desk.sync_drafts().map(|_| Vec::new()),
        Effect::Print(job) => {
            let dir = state.docs_dir.clone().unwrap_or_else(crate::notice::default_dir);
            match crate::notice::print(desk, job, china_date(state.now), &dir, lang) {
                Ok(p) => {
                    let reload = p.case.filter(|_| p.recorded);
                    let mut out = Vec::new();
                    if let Some(Ok(Some(c))) = reload.map(|no| desk.case(no)) {
                        out.push(Action::Changed(vec![c]));
                    }
                    out.push(Action::Printed { result: Ok(crate::notice::done_message(&p, lang, true)), reload });
                    Ok(out)
                }
                Err(e) => Ok(vec![Action::Printed { result: Err(e.user_message(lang)), reload: None }]),
            }
        }
        Effect::LookupTarget(no) => desk.case(*no).map(|c| vec![Action::Target(*no, c.map(Box::new))]),
        Effect::Refresh(nos) => desk.cases(nos.clone()).map(|cases| vec![Action::Changed(cases)]),
        Effect::Quit => desk.sync_drafts().map(|_| Vec::new()),
        Effect::LookupCaller(phone) => {
            desk.caller(phone, china_date(state.now)).map(|c| vec![Action::Caller(Box::new(c))])
        }
        Effect::LoadCalls => desk.calls_on(china_date(state.now)).map(|rows| vec![Action::CallsLoaded(rows)]),
    };
    result.unwrap_or_else(|e| vec![Action::Failed(e.user_message(lang))])
}

/// Feed an action through `update` and every effect it causes, to the end.
pub fn dispatch(desk: &dyn Desk, state: &mut AppState, action: Action) {
    // First in, first out: results reach `update` in the order they arose.
    let mut queue = std::collections::VecDeque::from([action]);
    while let Some(a) = queue.pop_front() {
        for e in update(state, a) {
            queue.extend(run(desk, state, &e));
        }
    }
}
