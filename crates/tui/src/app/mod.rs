//! AppState (what the screen shows), Action (what happened), and the pure
//! `update` that decides everything and returns Effects for the loop to
//! carry out. No I/O here.

pub mod action;
pub mod calls;
mod detail;
pub mod diary;
mod diary_case;
pub mod dir;
pub mod drafts;
mod lists;
mod live;
mod scroll;
use lists::{move_list, refilter};
pub mod form;
mod help;
pub mod intake;
pub mod list;
pub mod merge;
pub mod opinion_box;
mod parse;
mod pasted;
pub mod places;
pub mod revisit;
pub mod screen_drafts;
mod tab;
pub use help::help_rows;
use help::on_help;

use chrono::NaiveDate;

pub use jiedai_protocol::{Snapshot, StatsPeriod};
pub use list::ListView;

use form::Choices;
use intake::IntakeState;

use crate::domain::time::china_date;
use crate::domain::*;
use crate::i18n::{Lang, Msg};
use crate::keys::{self, Cmd, Key, Scope};
use jiedai_protocol::{Command, Done, Draft};

pub use tab::Tab;

/// How the screen is drawn, fixed at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    pub lang: Lang,
    /// No box-drawing or ambiguous-width characters.
    pub ascii: bool,
    /// False with NO_COLOR: marks must show without colour.
    pub color: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CaseDetail {
    pub case: Case,
    pub events: Vec<Event>,
    /// Cases merged into this one, with their timelines.
    pub related: Vec<(CaseNo, Vec<Event>)>,
    pub scroll: u16,
    /// The action menu, with its selection.
    pub menu: Option<usize>,
    pub dialog: Option<action::Dialog>,
    pub submitting: bool,
    /// The dialog to open once the case is (re)loaded: findings that
    /// recommend escalating lead straight to the escalation form.
    pub then: Option<action::ActionKind>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// Where this session's command ids come from.
    pub ids: jiedai_protocol::IdSource,
    pub look: Look,
    pub tab: Tab,
    pub now: Timestamp,
    pub size: (u16, u16),
    pub help: Option<u16>,
    pub quit: bool,
    pub message: Option<Message>,
    pub data: Snapshot,
    pub loaded: bool,
    /// View state per tab (Intake's list is today's registrations; the
    /// fifth is the search over every case).
    pub lists: [ListView; 5],
    pub detail: Option<CaseDetail>,
    /// Recorded as the operator of every change.
    pub operator: String,
    pub intake: IntakeState,
    /// The lists choice fields complete from, from the last load.
    pub choices: Choices,
    /// Dialogs left with Esc (or by a quit, a dropped line: their drafts),
    /// one per case and action, offered back when it is opened again.
    pub kept_dialogs: Vec<action::Dialog>,
    /// Asking what a new visit on a concluded case is: reopen, or link.
    pub revisit: Option<revisit::Revisit>,
    /// Opening a case from Inspections or Follow-ups goes to the form the
    /// tab is for.
    pub open_with: Option<action::ActionKind>,
    /// The statistics tab's period.
    pub stats_period: StatsPeriod,
    /// Typing a period: `2026-01-01` (since) or `2026-01-01 2026-06-30`.
    pub period_input: Option<crate::input::TextField>,
    /// Rows of the statistics scrolled off the top.
    pub stats_scroll: u16,
    /// Where papers are written; None: `notice::default_dir()`.
    pub docs_dir: Option<std::path::PathBuf>,
    /// The 名录 place: its selection and the line being edited.
    pub dir: dir::DirState,
    /// 来电: the phone card.
    pub calls: calls::CallsState,
    /// 民情日记 and 群众意见箱 (their own tabs).
    pub diary: diary::DiaryState,
    pub opinion: opinion_box::BoxState,
    /// The drafts of 来电, 日记 and 意见箱 last written.
    pub screen_drafts: screen_drafts::Written,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Key(Key),
    Paste(String),
    Resize(u16, u16),
    Tick(Timestamp),
    Loaded(Box<Snapshot>),
    CaseLoaded(Box<Case>, Vec<Event>, Vec<(CaseNo, Vec<Event>)>),
    /// The store's answer to an `Effect::Execute`: done, or why not.
    Executed(Result<Done, String>),
    /// Cases a save changed, as they are now: the lists are patched.
    Changed(Vec<Case>),
    /// A returning resident's earlier cases.
    Earlier(Vec<Case>),
    Failed(String),
    /// A paper written (what to tell the officer), or why not; the case to
    /// reload when its timeline recorded it.
    Printed {
        result: Result<String, String>,
        reload: Option<CaseNo>,
    },
    /// The case a merge would go into, as the store has it (None: no such
    /// case), for the officer to check before the merge is made.
    Target(CaseNo, Option<Box<Case>>),
    /// Another desk saved: what it changed (the port's notice).
    ChangedElsewhere(jiedai_protocol::Changed),
    /// The connection to the server was lost (and is being made again),
    /// or is back (h-client, issue 14).
    Link(jiedai_protocol::Link),
    /// Who a number typed on the phone card belongs to.
    Caller(Box<crate::domain::call::Caller>),
    /// The day's calls, by leader.
    CallsLoaded(Vec<crate::domain::call::CallRow>),
}

/// Work for the loop: everything that touches the store or the process.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Load,
    LoadCase(CaseNo),
    /// Validate and save, durably, in the store, once: the id lets the
    /// store recognise the same command sent again.
    Execute(jiedai_protocol::CommandId, Command),
    LookupEarlier {
        name: String,
        phone: String,
    },
    /// Written at once, not synced (the tick writes these).
    SaveDraft(Draft),
    /// The draft under this key is done with (saved, or cleared).
    ClearDraft(String),
    /// Make the drafts written so far durable: on Esc, leaving a tab, a
    /// refused save (and quitting, hanging up).
    SyncDrafts,
    /// Write a paper (and record a notice in the timeline).
    Print(jiedai_protocol::PrintJob),
    /// Read the case a merge would go into (answered by `Action::Target`).
    LookupTarget(CaseNo),
    /// Read these cases again (answered by `Action::Changed`).
    Refresh(Vec<CaseNo>),
    Quit,
    /// The resident and open cases of a number (answered by `Action::Caller`).
    LookupCaller(String),
    /// The day's calls (answered by `Action::CallsLoaded`).
    LoadCalls,
}

/// Rows of a list that fit on screen at this size (tab bar, table header,
/// message line and footer take five).
pub fn list_rows(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(7)).max(1)
}

impl AppState {
    pub fn new(look: Look, operator: &str, now: Timestamp, size: (u16, u16)) -> AppState {
        AppState {
            ids: jiedai_protocol::IdSource::new(),
            operator: operator.to_string(),
            intake: IntakeState::new(look.lang),
            choices: Choices::default(),
            kept_dialogs: Vec::new(),
            revisit: None,
            open_with: None,
            stats_period: StatsPeriod::Year,
            period_input: None,
            stats_scroll: 0,
            docs_dir: None,
            dir: dir::DirState::default(),
            calls: calls::CallsState::default(),
            diary: diary::DiaryState::default(),
            opinion: opinion_box::BoxState::default(),
            screen_drafts: screen_drafts::Written::default(),
            look,
            tab: Tab::Intake,
            now,
            size,
            help: None,
            quit: false,
            message: None,
            data: Snapshot::default(),
            loaded: false,
            lists: Default::default(),
            detail: None,
        }
    }

    pub fn lang(&self) -> Lang {
        self.look.lang
    }

    pub fn today(&self) -> NaiveDate {
        china_date(self.now)
    }

    /// The cases a list tab shows, in order.
    pub fn cases_of(&self, tab: Tab) -> &[Case] {
        match tab {
            Tab::Pending => &self.data.open,
            Tab::Inspections => &self.data.inspections,
            Tab::FollowUps => &self.data.follow_ups,
            Tab::Search => &self.data.all,
            Tab::Intake | Tab::Stats | Tab::Directory | Tab::Calls | Tab::Diary | Tab::Box => &[],
        }
    }

    pub fn list(&self, tab: Tab) -> Option<&ListView> {
        self.lists.get(tab.slot()?)
    }

    fn list_mut(&mut self) -> Option<&mut ListView> {
        self.lists.get_mut(self.tab.slot()?)
    }

    fn filtering(&self) -> bool {
        self.list(self.tab).is_some_and(|l| l.filtering)
    }

    /// The key scopes in force now, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        if self.help.is_some() { vec![Scope::Help, Scope::Global] } else { self.screen_scopes() }
    }

    /// The scopes of the screen itself, under any help overlay: what the
    /// help lists.
    pub fn screen_scopes(&self) -> Vec<Scope> {
        if self.revisit.is_some() {
            vec![Scope::Revisit, Scope::Global]
        } else if self.tab == Tab::Intake {
            match self.intake.focus {
                intake::Focus::Queue => vec![Scope::Queue, Scope::Global],
                intake::Focus::Adding => vec![Scope::Adding, Scope::Text, Scope::Global],
                intake::Focus::Form => {
                    let mut scopes = vec![Scope::Form, Scope::Text, Scope::Global];
                    if self.intake.form.from_diary.is_some() {
                        scopes.insert(0, Scope::DiaryForm);
                    }
                    if self.intake.cleared.is_some() {
                        scopes.insert(0, Scope::Undo);
                    }
                    scopes
                }
            }
        } else if self.tab == Tab::Directory {
            dir::scopes(self)
        } else if self.tab == Tab::Calls {
            let mut scopes = vec![Scope::Calls, Scope::Text, Scope::Global];
            if self.calls.cleared.is_some() {
                scopes.insert(0, Scope::Undo);
            }
            scopes
        } else if self.tab == Tab::Diary {
            diary::scopes(self)
        } else if self.tab == Tab::Box {
            opinion_box::scopes(self)
        } else if self.tab == Tab::Stats && self.period_input.is_some() {
            vec![Scope::Prompt, Scope::Text, Scope::Global]
        } else if self.tab == Tab::Stats {
            vec![Scope::Stats, Scope::Global]
        } else if self.filtering() {
            vec![Scope::Filter, Scope::Text, Scope::Global]
        } else if let Some(d) = &self.detail {
            if d.dialog.is_some() {
                vec![Scope::Dialog, Scope::Text, Scope::Global]
            } else if d.menu.is_some() {
                vec![Scope::Menu, Scope::Global]
            } else {
                vec![Scope::Detail, Scope::Global]
            }
        } else {
            vec![Scope::List, Scope::Global]
        }
    }

    pub fn overdue_count(&self) -> usize {
        self.data.overdue_count
    }
}

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) => {
            let back = screen_drafts::is_back(state, key);
            let mut effects = on_key(state, key);
            if back {
                effects.extend(screen_drafts::flush_synced(state, &effects));
            }
            effects
        }
        Action::Paste(text) => {
            if state.detail.as_ref().is_some_and(|d| d.dialog.is_some()) {
                detail::on_paste(state, &text);
            } else if state.tab == Tab::Intake && state.help.is_none() {
                intake::on_paste(state, &text);
            } else if (state.tab == Tab::Directory && dir::on_paste(state, &text))
                || (state.tab == Tab::Diary && diary::on_paste(state, &text))
                || (state.tab == Tab::Box && opinion_box::on_paste(state, &text))
            {
            } else if state.tab == Tab::Calls && state.help.is_none() {
                return calls::on_paste(state, &text);
            } else if state.filtering() {
                let tab = state.tab;
                if let Some(l) = state.list_mut() {
                    l.filter.insert_str(&text);
                }
                refilter(state, tab);
            }
            Vec::new()
        }
        Action::Resize(w, h) => {
            state.size = (w, h);
            Vec::new()
        }
        Action::Tick(now) => {
            let day_changed = china_date(now) != state.today();
            state.now = now;
            // The form is written as a draft within a second of a change.
            let mut effects = intake::tick_draft(state);
            effects.extend(drafts::tick(state));
            effects.extend(screen_drafts::tick(state));
            if day_changed {
                // Deadlines have moved: read every list afresh.
                for l in &mut state.lists {
                    l.loaded = false;
                }
                effects.push(Effect::Load);
                if state.tab == Tab::Calls {
                    effects.push(Effect::LoadCalls);
                }
            }
            effects
        }
        Action::Loaded(snapshot) => lists::loaded(state, *snapshot),
        Action::CaseLoaded(case, events, related) => {
            detail::loaded(state, *case, events, related);
            Vec::new()
        }
        Action::Executed(result) if detail::submitting(state) => detail::on_executed(state, result),
        Action::Executed(result) if state.dir.saving => dir::on_executed(state, result),
        // 日记, 意见箱, 来电 (and their drafts).
        Action::Executed(result) if screen_drafts::saving(state) => screen_drafts::on_executed(state, result),
        Action::Executed(result) => {
            let done = result.as_ref().ok().cloned();
            let registered = match &result {
                Ok(Done::Registered(no)) => Some(*no),
                _ => None,
            };
            // The entry the form was filled from, before the save clears it.
            let from_diary = state.intake.form.from_diary;
            let from_call = state.intake.form.from_call.clone();
            let mut effects = intake::on_executed(state, result);
            effects.extend(calls::after_intake(state, registered, from_call));
            effects.extend(diary_case::after_intake(state, from_diary, done));
            effects
        }
        Action::Caller(caller) => {
            calls::on_caller(state, *caller);
            Vec::new()
        }
        Action::CallsLoaded(rows) => {
            calls::on_loaded(state, rows);
            Vec::new()
        }
        Action::Changed(cases) => lists::changed(state, &cases),
        Action::Earlier(cases) => {
            intake::on_earlier(state, cases);
            Vec::new()
        }
        Action::Failed(text) => {
            state.message = Some(Message { text, error: true });
            Vec::new()
        }
        Action::Printed { result, reload } => detail::on_printed(state, result, reload),
        Action::Target(no, case) => {
            detail::on_target(state, no, case.map(|c| *c));
            Vec::new()
        }
        Action::ChangedElsewhere(changed) => live::changed_elsewhere(state, changed),
        Action::Link(link) => {
            live::link(state, link);
            Vec::new()
        }
    }
}

/// Go to a tab: what is open is put away, and what the tab shows is read.
fn go_to(state: &mut AppState, tab: Tab) -> Vec<Effect> {
    state.help = None;
    // An open dialog is kept (and its draft written), not dropped.
    let mut effects = drafts::put_away(state);
    state.detail = None;
    if let Some(l) = state.list_mut() {
        l.filtering = false;
    }
    state.tab = tab;
    if state.tab == Tab::Search
        && let Some(l) = state.list_mut()
    {
        // The search place is for typing: the query has the keys.
        l.filtering = true;
    }
    let mut flushed = intake::flush_draft(state);
    flushed.extend(screen_drafts::flush(state));
    // A draft written on leaving the form or a screen is made durable too.
    let sync = !flushed.is_empty() && !effects.contains(&Effect::SyncDrafts);
    effects.extend(flushed);
    if sync {
        effects.push(Effect::SyncDrafts);
    }
    // A list in memory is current (saves patch it): read only what
    // is missing, and the statistics, which are counted afresh.
    let listed = matches!(state.tab, Tab::Pending | Tab::Inspections | Tab::FollowUps | Tab::Search);
    let missing = listed && state.list(state.tab).is_some_and(|l| !l.loaded);
    if missing || matches!(state.tab, Tab::Stats | Tab::Diary | Tab::Box) {
        effects.push(Effect::Load);
    }
    if state.tab == Tab::Calls {
        effects.push(Effect::LoadCalls);
    }
    effects
}

fn on_key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let scopes = state.scopes();
    let Some(cmd) = keys::lookup(&scopes, key) else {
        if state.revisit.is_some() {
            // One key answers the question; nothing types underneath it.
            return Vec::new();
        }
        // Unbound keys type into the focused field, if any.
        let Key::Char(c) = key else { return Vec::new() };
        if state.help.is_none() && state.detail.as_ref().is_some_and(|d| d.dialog.is_some()) {
            detail::on_char(state, c);
            return Vec::new();
        }
        if state.tab == Tab::Intake && state.help.is_none() {
            return intake::on_char(state, c);
        }
        if state.tab == Tab::Directory && state.help.is_none() && dir::on_char(state, c) {
            return Vec::new();
        }
        if state.tab == Tab::Diary && state.help.is_none() && diary::on_char(state, c) {
            return Vec::new();
        }
        if state.tab == Tab::Box && state.help.is_none() && opinion_box::on_char(state, c) {
            return Vec::new();
        }
        if state.tab == Tab::Calls && state.help.is_none() {
            return calls::on_char(state, c);
        }
        if let Some(f) = state.period_input.as_mut() {
            f.insert(c);
            return Vec::new();
        }
        if state.filtering() {
            let tab = state.tab;
            if let Some(l) = state.list_mut() {
                l.filter.insert(c);
            }
            refilter(state, tab);
        }
        return Vec::new();
    };
    state.message = None;
    if state.help.is_some() && !matches!(cmd, Cmd::Tab(_) | Cmd::Quit) {
        return on_help(state, cmd);
    }
    if let Some(effects) = revisit::on_cmd(state, cmd) {
        return effects;
    }
    if state.detail.is_some()
        && let Some(effects) = detail::on_cmd(state, cmd)
    {
        return effects;
    }
    if state.tab == Tab::Intake
        && let Some(effects) = intake::on_cmd(state, cmd)
    {
        return effects;
    }
    if state.tab == Tab::Directory
        && let Some(effects) = dir::on_cmd(state, cmd)
    {
        return effects;
    }
    if state.tab == Tab::Diary
        && let Some(effects) = diary::on_cmd(state, cmd)
    {
        return effects;
    }
    if state.tab == Tab::Box
        && let Some(effects) = opinion_box::on_cmd(state, cmd)
    {
        return effects;
    }
    if state.tab == Tab::Stats
        && let Some(effects) = scroll::stats(state, cmd)
    {
        return effects;
    }
    if state.tab == Tab::Calls
        && !matches!(cmd, Cmd::Tab(_) | Cmd::Help | Cmd::Quit)
        && let Some(effects) = calls::on_cmd(state, cmd)
    {
        return effects;
    }
    match cmd {
        Cmd::Tab(i) => {
            let tab = Tab::ALL.get(usize::from(i)).copied().unwrap_or(Tab::Pending);
            go_to(state, tab)
        }
        Cmd::Help => {
            state.help = Some(0);
            Vec::new()
        }
        Cmd::Quit => {
            // An unsaved form stays as a draft, offered back at the next start.
            state.quit = true;
            let mut effects = intake::flush_draft(state);
            effects.extend(drafts::flush(state));
            effects.extend(screen_drafts::flush(state));
            effects.push(Effect::Quit);
            effects
        }
        Cmd::Back => {
            state.detail = None;
            state.period_input = None;
            Vec::new()
        }
        Cmd::Up => move_list(state, |l, _| l.move_by(-1)),
        Cmd::Down => move_list(state, |l, _| l.move_by(1)),
        Cmd::PageUp => move_list(state, |l, page| l.move_by(-(page as isize))),
        Cmd::PageDown => move_list(state, |l, page| l.move_by(page as isize)),
        Cmd::First => move_list(state, |l, _| l.first()),
        Cmd::Last => move_list(state, |l, _| l.last()),
        Cmd::Open => {
            let tab = state.tab;
            let selected = state.list(tab).and_then(|l| l.selected_index());
            state.open_with = match tab {
                Tab::Inspections => Some(action::ActionKind::Findings),
                Tab::FollowUps => Some(action::ActionKind::FollowUp),
                _ => None,
            };
            match selected.and_then(|i| state.cases_of(tab).get(i)) {
                Some(c) => vec![Effect::LoadCase(c.no)],
                None => Vec::new(),
            }
        }
        Cmd::Filter => {
            if let Some(l) = state.list_mut() {
                l.filtering = true;
            }
            Vec::new()
        }
        Cmd::FilterDone => {
            if let Some(l) = state.list_mut() {
                l.filtering = false;
            }
            Vec::new()
        }
        Cmd::Period(p) => {
            state.stats_period = p;
            state.stats_scroll = 0;
            vec![Effect::Load]
        }
        Cmd::PeriodRange => {
            state.period_input = Some(crate::input::TextField::new());
            Vec::new()
        }
        Cmd::PromptDone => {
            let today = state.today();
            let text = state.period_input.as_ref().map(|f| f.value().to_string()).unwrap_or_default();
            let days: Vec<Option<NaiveDate>> = text
                .split_whitespace()
                .filter(|w| !matches!(*w, "至" | "到" | "~"))
                .map(|w| action::parse_date(w, today))
                .collect();
            let range = match days.as_slice() {
                [Some(from)] => Some((*from, today)),
                [Some(from), Some(to)] => Some((*from, *to)),
                _ => None,
            };
            match range {
                Some((from, to)) if from <= to => {
                    state.period_input = None;
                    state.stats_scroll = 0;
                    state.stats_period = StatsPeriod::Range(from, to);
                    vec![Effect::Load]
                }
                Some(_) => {
                    state.message = Some(Message { text: Msg::ErrPeriod.text(state.lang()).into(), error: true });
                    Vec::new()
                }
                None => {
                    state.message = Some(Message { text: Msg::ErrDate.text(state.lang()).into(), error: true });
                    Vec::new()
                }
            }
        }
        Cmd::OverdueOnly => {
            let tab = state.tab;
            if let Some(l) = state.list_mut() {
                let terms = list::parse_filter(l.filter.value());
                let rest: Vec<&str> = l
                    .filter
                    .value()
                    .split_whitespace()
                    .filter(|w| !matches!(w, &"超期" | &"!" | &"！" | &"overdue"))
                    .collect();
                let text = if terms.contains(&list::Term::Overdue) {
                    rest.join(" ")
                } else {
                    format!("{} 超期", rest.join(" ")).trim().to_string()
                };
                l.filter.set(&text);
            }
            refilter(state, tab);
            Vec::new()
        }
        Cmd::FilterClear => {
            let tab = state.tab;
            if let Some(l) = state.list_mut() {
                // 查找 is for typing: Esc empties the query and keeps the
                // keys in it (digits stay digits); Esc on an empty one leaves.
                if tab != Tab::Search || !l.filtering || l.filter.is_empty() {
                    l.filtering = false;
                }
                l.filter.clear();
            }
            refilter(state, tab);
            Vec::new()
        }
        // Ctrl+U in a filter or the search query: empty it, as in any field.
        Cmd::ClearForm if state.filtering() => {
            let tab = state.tab;
            if let Some(l) = state.list_mut() {
                l.filter.clear();
            }
            refilter(state, tab);
            Vec::new()
        }
        Cmd::CaretLeft | Cmd::CaretRight | Cmd::CaretHome | Cmd::CaretEnd | Cmd::DeleteBack | Cmd::DeleteForward => {
            let tab = state.tab;
            let field = if tab == Tab::Intake {
                intake::focused_field(state)
            } else if tab == Tab::Directory {
                state.dir.edit.as_mut().map(|(_, f)| f)
            } else if tab == Tab::Diary {
                diary::focused_field(state)
            } else if tab == Tab::Box {
                Some(&mut state.opinion.line)
            } else if state.period_input.is_some() {
                state.period_input.as_mut()
            } else {
                state.list_mut().map(|l| &mut l.filter)
            };
            if let Some(f) = field {
                match cmd {
                    Cmd::CaretLeft => f.left(),
                    Cmd::CaretRight => f.right(),
                    Cmd::CaretHome => f.home(),
                    Cmd::CaretEnd => f.end(),
                    Cmd::DeleteBack => f.backspace(),
                    _ => f.delete(),
                }
            }
            if tab == Tab::Diary && state.diary.focus == diary::Focus::Find {
                diary::refind(state);
            }
            if tab != Tab::Intake {
                refilter(state, tab);
            }
            Vec::new()
        }
        // Intake commands are handled above; on another tab they do nothing.
        Cmd::Call
        | Cmd::AddArrival
        | Cmd::AddDone
        | Cmd::NoShow
        | Cmd::Recall
        | Cmd::ToForm
        | Cmd::NextField
        | Cmd::PrevField
        | Cmd::Save
        | Cmd::Dup
        | Cmd::NextPick
        | Cmd::PrevPick
        | Cmd::AsContact
        | Cmd::AddPlace
        | Cmd::DirTownship
        | Cmd::DirVillages
        | Cmd::DirCadre
        | Cmd::DirDuty
        | Cmd::DirRename
        | Cmd::DirRetire
        | Cmd::DirPair
        | Cmd::DirVisit
        | Cmd::DirVisitCase
        | Cmd::CallNew
        | Cmd::DiaryCase
        | Cmd::DiaryAttach
        | Cmd::DiarySettle
        | Cmd::EarlierUp
        | Cmd::EarlierDown
        | Cmd::NewLine
        | Cmd::ClearForm
        | Cmd::Undo
        | Cmd::Reopen
        | Cmd::LinkNew
        | Cmd::Act(_) => Vec::new(),
    }
}
