//! 登记: the market-day queue and the intake form. Every decision here is
//! pure; saving, calling and drafts go out as effects.

use super::form::{Choices, Field, IntakeForm};
use super::{AppState, Effect, Message};
use crate::domain::diary::Triage;
use crate::domain::*;
use crate::i18n::Msg;
use crate::input::{TextField, pinyin};
use crate::keys::Cmd;
use jiedai_protocol::{Command, Done, QueueRef};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Queue,
    /// Typing an arrival's name and village into the queue.
    Adding,
    Form,
}

/// What was just handed out, shown large enough to read to the resident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    Case { no: CaseNo, contact: bool },
    Ticket { number: u32, name: String },
}

/// A save on its way to the store, and what it was.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    Register(Intake),
    Contact(Intake),
    /// A concluded case reopened for this visit.
    Reopen(Intake),
    /// A new case linked to a concluded one.
    Linked(Intake, CaseNo),
    QueueAdd,
    /// A village, or a group of it, going into the directory.
    AddPlace(crate::domain::Village),
}

/// The form Ctrl+U cleared, with what was looked up for it: one key puts
/// it back, until the next save.
#[derive(Clone, Debug, PartialEq)]
pub struct Cleared {
    pub form: IntakeForm,
    pub earlier: Vec<Case>,
    pub earlier_sel: usize,
    looked_up: (String, String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct IntakeState {
    pub focus: Focus,
    pub form: IntakeForm,
    pub queue_sel: usize,
    pub adding: TextField,
    /// The previous intake, for "dup".
    pub last: Option<Intake>,
    pub shown: Option<Shown>,
    pub pending: Option<Pending>,
    /// The returning resident's earlier cases, newest first.
    pub earlier: Vec<Case>,
    pub earlier_sel: usize,
    looked_up: (String, String),
    pub cleared: Option<Box<Cleared>>,
    /// The form generation last written as a draft, and when.
    draft_gen: u64,
    drafted_at: Option<Timestamp>,
}

impl IntakeState {
    pub fn new(lang: crate::i18n::Lang) -> IntakeState {
        let form = IntakeForm::new(lang, &Choices::default());
        IntakeState {
            // Where the screen says the desk is: the queue, whose hint
            // names its keys (`a` there adds an arrival, never types).
            focus: Focus::Queue,
            cleared: None,
            draft_gen: form.generation,
            drafted_at: None,
            form,
            queue_sel: 0,
            adding: TextField::new(),
            last: None,
            shown: None,
            pending: None,
            earlier: Vec::new(),
            earlier_sel: 0,
            looked_up: (String::new(), String::new()),
        }
    }
}

impl IntakeState {
    /// The form as it is now counts as already written.
    pub fn mark_drafted(&mut self) {
        self.draft_gen = self.form.generation;
    }
}

/// The queue as listed: those waiting or at the desk by number, then the
/// no-shows; the served are counted, not listed.
pub fn queue_rows(state: &AppState) -> Vec<&QueueEntry> {
    let q = &state.data.queue;
    let mut rows: Vec<&QueueEntry> =
        q.iter().filter(|e| matches!(e.status, QueueStatus::Waiting | QueueStatus::Called)).collect();
    rows.extend(q.iter().filter(|e| e.status == QueueStatus::NoShow));
    rows
}

/// "韦正荣 bdz": the name, and the village completed from its list.
pub fn parse_arrival(text: &str, choices: &Choices) -> (String, String) {
    let text = text.trim();
    let (name, rest) = text.split_once([' ', '\u{3000}']).unwrap_or((text, ""));
    let rest = rest.trim();
    let village = if rest.is_empty() {
        String::new()
    } else {
        choices
            .villages
            .iter()
            .map(|v| v.name.clone())
            .find(|v| v == rest || pinyin::matches(rest, v))
            .unwrap_or_else(|| rest.to_string())
    };
    (name.to_string(), village)
}

fn say(state: &mut AppState, msg: Msg) {
    state.message = Some(Message { text: msg.text(state.lang()).to_string(), error: true });
}

/// Say why the focused field's value was refused.
fn refused(state: &mut AppState) {
    match state.intake.form.error {
        Some((f, Msg::AskAddPlace)) => state.message = Some(super::places::ask(state, f)),
        Some((_, msg)) => say(state, msg),
        None => {}
    }
}

fn selected_entry(state: &AppState) -> Option<QueueEntry> {
    let rows = queue_rows(state);
    rows.get(state.intake.queue_sel).or_else(|| rows.iter().find(|e| e.is_waiting())).map(|e| (*e).clone())
}

pub(super) fn lookup(state: &mut AppState) -> Vec<Effect> {
    let name = state.intake.form.value(Field::Name).trim().to_string();
    let phone = crate::domain::text::normalize_phone(state.intake.form.value(Field::Phone));
    if (name.clone(), phone.clone()) == state.intake.looked_up {
        return Vec::new();
    }
    state.intake.looked_up = (name.clone(), phone.clone());
    if name.is_empty() && phone.is_empty() {
        state.intake.earlier.clear();
        return Vec::new();
    }
    vec![Effect::LookupEarlier { name, phone }]
}

/// The form's save: under the form's own command id, written into its
/// draft first (no sync: a crash of the desk keeps it), so that the same
/// form saved again, now or from the draft after a restart, is recognised.
fn form_save(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let form = &mut state.intake.form;
    let id = *form.id.get_or_insert_with(|| state.ids.next_id());
    state.intake.draft_gen = form.generation;
    state.intake.drafted_at = Some(state.now);
    vec![Effect::SaveDraft(form.to_draft(state.now)), Effect::Execute(id, cmd)]
}

fn draft_effect(state: &mut AppState) -> Vec<Effect> {
    let i = &mut state.intake;
    if i.form.id.is_none() && !i.form.is_blank(state.look.lang, &state.choices) {
        i.form.id = Some(state.ids.next_id());
    }
    if i.form.generation == i.draft_gen {
        return Vec::new();
    }
    i.draft_gen = i.form.generation;
    i.drafted_at = Some(state.now);
    if i.form.is_blank(state.look.lang, &state.choices) {
        vec![Effect::ClearDraft(super::form::DRAFT_NAME.into())]
    } else {
        vec![Effect::SaveDraft(i.form.to_draft(state.now))]
    }
}

/// Write the draft now if the form moved since the last one.
pub fn flush_draft(state: &mut AppState) -> Vec<Effect> {
    draft_effect(state)
}

/// On the clock's tick: write the draft if the form moved, at most every
/// half second, so typing never waits on a disk write per key.
pub fn tick_draft(state: &mut AppState) -> Vec<Effect> {
    let recent = state.intake.drafted_at.is_some_and(|t| (state.now - t).num_milliseconds() < 500);
    if recent { Vec::new() } else { draft_effect(state) }
}

fn leave_field(state: &mut AppState, forward: bool) -> Vec<Effect> {
    let (lang, choices) = (state.look.lang, state.choices.clone());
    let was = state.intake.form.focus;
    let village = state.intake.form.value(Field::Village).to_string();
    if !state.intake.form.accept(lang, &choices) {
        refused(state);
        return Vec::new();
    }
    let form = &state.intake.form;
    if was == Field::Village && form.value(Field::Village) != village && form.group_mismatch(&choices) {
        // A changed village under a group of another: say so, at once.
        let text = format!(
            "{} {}: {} {}",
            Msg::FGroup.text(lang),
            form.value(Field::Group),
            form.value(Field::Village),
            Msg::WarnGroupVillage.text(lang)
        );
        state.message = Some(Message { text, error: true });
    }
    state.intake.form.step(forward);
    if matches!(was, Field::Name | Field::Phone) { lookup(state) } else { Vec::new() }
}

fn save(state: &mut AppState) -> Vec<Effect> {
    let (lang, choices) = (state.look.lang, state.choices.clone());
    if state.intake.pending.is_some() {
        return Vec::new();
    }
    if !state.intake.form.accept(lang, &choices) {
        refused(state);
        return Vec::new();
    }
    if let Some((field, msg)) = super::places::unknown(&state.intake.form, &choices) {
        state.intake.form.focus_on(field);
        state.intake.form.error = Some((field, msg));
        refused(state);
        return Vec::new();
    }
    match state.intake.form.to_intake(lang) {
        Ok(intake) => {
            let queue = state.intake.form.from_queue;
            state.intake.pending = Some(Pending::Register(intake.clone()));
            // A diary entry's form: the case and the entry's mark together.
            let cmd = match state.intake.form.from_diary {
                Some(entry) => Command::DiaryTriage { entry, triage: Triage::NewCase(Box::new(intake)) },
                None => Command::Register { intake, queue },
            };
            form_save(state, cmd)
        }
        Err((field, msg)) => {
            state.intake.form.focus_on(field);
            state.intake.form.error = Some((field, msg));
            say(state, msg);
            Vec::new()
        }
    }
}

/// What the form says about this visit, for logging it on an earlier case.
struct Visit {
    channel: Channel,
    name: String,
    people: u32,
    /// The summary and details: the note, or the reason to reopen.
    note: String,
    /// The form as an intake, remembered for "dup".
    intake: Intake,
}

fn visit(state: &AppState) -> Visit {
    let lang = state.look.lang;
    let f = &state.intake.form;
    let channel = Channel::ALL.iter().copied().find(|c| c.label(lang) == f.value(Field::Channel));
    let channel = channel.unwrap_or(Channel::Reception);
    let note = [f.value(Field::Summary), f.value(Field::Details)]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    let people = f.value(Field::People).parse().unwrap_or(1).max(1);
    let intake = f.to_intake(lang).ok().unwrap_or_else(|| Intake {
        channel,
        name: f.value(Field::Name).to_string(),
        phone: f.value(Field::Phone).to_string(),
        people,
        delegation: None,
        village: f.value(Field::Village).to_string(),
        group: f.value(Field::Group).to_string(),
        category: String::new(),
        summary: String::new(),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: None,
    });
    Visit { channel, name: f.value(Field::Name).trim().to_string(), people, note, intake }
}

/// The visit is about an earlier case: log it there as a contact. A
/// concluded case is never written to silently: the desk asks first.
fn as_contact(state: &mut AppState) -> Vec<Effect> {
    let Some(case) = state.intake.earlier.get(state.intake.earlier_sel).cloned() else {
        say(state, Msg::ErrNoEarlierCase);
        return Vec::new();
    };
    let from_diary = state.intake.form.from_diary;
    if matches!(case.status, Status::Concluded | Status::FollowedUp) {
        if from_diary.is_some() {
            // Reopening or linking would leave the entry untriaged.
            let text = format!("{} {}", case.no, Msg::DiaryFormConcluded.text(state.lang()));
            state.message = Some(Message { text, error: true });
            return Vec::new();
        }
        super::revisit::ask(state, case, super::revisit::Origin::Intake);
        return Vec::new();
    }
    let v = visit(state);
    if let Some(entry) = from_diary {
        // A diary entry's form: the contact and the entry's mark together.
        let triage = Triage::Attach { case: case.no, name: v.name, note: v.note };
        state.intake.pending = Some(Pending::Contact(v.intake));
        return form_save(state, Command::DiaryTriage { entry, triage });
    }
    let cmd = Command::Contact {
        case: case.no,
        channel: v.channel,
        name: v.name,
        people: v.people,
        note: v.note,
        queue: state.intake.form.from_queue,
    };
    state.intake.pending = Some(Pending::Contact(v.intake));
    form_save(state, cmd)
}

/// The answer to the question about a concluded case, from the form:
/// reopen it with the visit's words as the reason, or register the form
/// as a new case linked to it.
pub fn revisit(state: &mut AppState, case: CaseNo, reopen: bool) -> Vec<Effect> {
    if state.intake.pending.is_some() {
        return Vec::new();
    }
    let lang = state.look.lang;
    let queue = state.intake.form.from_queue;
    if reopen {
        let v = visit(state);
        if v.note.trim().is_empty() {
            state.intake.form.focus_on(Field::Summary);
            state.intake.form.error = Some((Field::Summary, Msg::ErrReasonRequired));
            say(state, Msg::ErrReasonRequired);
            return Vec::new();
        }
        let cmd =
            Command::ContactReopen { case, channel: v.channel, name: v.name, people: v.people, note: v.note, queue };
        state.intake.pending = Some(Pending::Reopen(v.intake));
        return form_save(state, cmd);
    }
    match state.intake.form.to_intake(lang) {
        Ok(intake) => {
            state.intake.pending = Some(Pending::Linked(intake.clone(), case));
            form_save(state, Command::RegisterLinked { intake, queue, earlier: case })
        }
        Err((field, msg)) => {
            state.intake.form.focus_on(field);
            state.intake.form.error = Some((field, msg));
            say(state, msg);
            Vec::new()
        }
    }
}

fn call(state: &mut AppState) -> Vec<Effect> {
    let Some(entry) = selected_entry(state) else {
        say(state, Msg::QueueEmpty);
        return Vec::new();
    };
    let r = QueueRef { day: entry.day, number: entry.number };
    let (lang, choices) = (state.look.lang, state.choices.clone());
    let form = &mut state.intake.form;
    if !form.is_blank(lang, &choices) && form.from_queue != Some(r) {
        say(state, Msg::ErrFormBusy);
        return Vec::new();
    }
    form.reset(lang, &choices);
    form.set(Field::Name, &entry.name);
    form.set(Field::Village, &entry.village);
    form.from_queue = Some(r);
    let first = form.first_empty();
    form.focus_on(first);
    state.intake.focus = Focus::Form;
    state.intake.shown = None;
    let mut effects = vec![Effect::Execute(state.ids.next_id(), Command::QueueCall(r))];
    effects.extend(lookup(state));
    effects
}

/// A command on the intake tab; None when it is not the tab's to handle.
pub fn on_cmd(state: &mut AppState, cmd: Cmd) -> Option<Vec<Effect>> {
    let (lang, choices) = (state.look.lang, state.choices.clone());
    let i = &mut state.intake;
    let effects = match cmd {
        Cmd::Call => call(state),
        Cmd::AddArrival => {
            i.focus = Focus::Adding;
            i.adding.clear();
            Vec::new()
        }
        Cmd::AddDone => {
            let (name, village) = parse_arrival(i.adding.value(), &choices);
            if name.is_empty() {
                say(state, Msg::ErrTextRequired);
                return Some(Vec::new());
            }
            i.pending = Some(Pending::QueueAdd);
            vec![Effect::Execute(state.ids.next_id(), Command::QueueAdd { name, village })]
        }
        Cmd::NoShow | Cmd::Recall => match selected_entry(state) {
            Some(e) => {
                let r = QueueRef { day: e.day, number: e.number };
                vec![Effect::Execute(
                    state.ids.next_id(),
                    if cmd == Cmd::NoShow { Command::QueueNoShow(r) } else { Command::QueueRecall(r) },
                )]
            }
            None => Vec::new(),
        },
        Cmd::ToForm => {
            i.focus = Focus::Form;
            Vec::new()
        }
        // Esc on a diary entry's form (`Scope::DiaryForm`): no case, back
        // to the entry.
        Cmd::Back if i.focus == Focus::Form && i.form.from_diary.is_some() => super::diary_case::dropped(state),
        Cmd::Back if i.focus != Focus::Queue => {
            i.focus = Focus::Queue;
            let mut effects = draft_effect(state);
            effects.push(Effect::SyncDrafts);
            effects
        }
        Cmd::Up if i.focus == Focus::Queue => {
            i.queue_sel = i.queue_sel.saturating_sub(1);
            Vec::new()
        }
        Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::First | Cmd::Last if i.focus == Focus::Queue => {
            let n = queue_rows(state).len();
            let page = crate::ui::intake::queue_page(state);
            let i = &mut state.intake;
            let last = n.saturating_sub(1);
            let at = i.queue_sel.min(last);
            i.queue_sel = match cmd {
                Cmd::Down => at + 1,
                Cmd::PageUp => at.saturating_sub(page),
                Cmd::PageDown => at + page,
                Cmd::First => 0,
                _ => last,
            }
            .min(last);
            Vec::new()
        }
        Cmd::NextField => leave_field(state, true),
        Cmd::PrevField => leave_field(state, false),
        Cmd::Save => save(state),
        Cmd::AddPlace => super::places::add(state),
        Cmd::AsContact => as_contact(state),
        Cmd::Dup => {
            if let Some(last) = i.last.clone() {
                let f = i.form.focus;
                let v = IntakeForm::dup_value(f, &last, lang);
                i.form.set(f, &v);
            }
            Vec::new()
        }
        Cmd::NextPick | Cmd::PrevPick => {
            i.form.move_pick(cmd == Cmd::NextPick, lang, &choices);
            Vec::new()
        }
        Cmd::EarlierDown => {
            i.earlier_sel = (i.earlier_sel + 1).min(i.earlier.len().saturating_sub(1));
            Vec::new()
        }
        Cmd::EarlierUp => {
            i.earlier_sel = i.earlier_sel.saturating_sub(1);
            Vec::new()
        }
        Cmd::NewLine => {
            if i.form.field(i.form.focus).is_multiline() {
                i.form.focused().insert('\n');
            }
            Vec::new()
        }
        Cmd::ClearForm => {
            if i.form.is_blank(lang, &choices) {
                return Some(Vec::new());
            }
            let form = std::mem::replace(&mut i.form, IntakeForm::new(lang, &choices));
            i.form.generation = form.generation + 1;
            i.cleared = Some(Box::new(Cleared {
                form,
                earlier: std::mem::take(&mut i.earlier),
                earlier_sel: i.earlier_sel,
                looked_up: std::mem::take(&mut i.looked_up),
            }));
            let key = crate::keys::key_for(crate::keys::Scope::Undo, Cmd::Undo).map(|k| k.label()).unwrap_or_default();
            let text = format!("{} ({key} {})", Msg::FormCleared.text(lang), Msg::KeyUndoClear.text(lang));
            state.message = Some(Message { text, error: false });
            draft_effect(state)
        }
        Cmd::Undo => {
            let Some(back) = i.cleared.take() else { return Some(Vec::new()) };
            let Cleared { mut form, earlier, earlier_sel, looked_up } = *back;
            form.generation = form.generation.max(i.form.generation) + 1;
            let now = std::mem::replace(&mut i.form, form);
            let now_earlier = std::mem::replace(&mut i.earlier, earlier);
            let now_looked = std::mem::replace(&mut i.looked_up, looked_up);
            // Typed since the clear: kept in its turn, so nothing is lost.
            if !now.is_blank(lang, &choices) {
                i.cleared = Some(Box::new(Cleared {
                    form: now,
                    earlier: now_earlier,
                    earlier_sel: i.earlier_sel,
                    looked_up: now_looked,
                }));
            }
            i.earlier_sel = earlier_sel;
            i.focus = Focus::Form;
            say(state, Msg::FormRestored);
            if let Some(m) = state.message.as_mut() {
                m.error = false;
            }
            draft_effect(state)
        }
        _ => return None,
    };
    Some(effects)
}

/// The text field that has the keyboard on this tab, if any.
pub fn focused_field(state: &mut AppState) -> Option<&mut TextField> {
    match state.intake.focus {
        Focus::Adding => Some(&mut state.intake.adding),
        Focus::Form => Some(state.intake.form.focused()),
        Focus::Queue => None,
    }
}

pub fn on_char(state: &mut AppState, c: char) -> Vec<Effect> {
    match state.intake.focus {
        Focus::Adding => state.intake.adding.insert(c),
        Focus::Form => {
            let took = state.intake.form.type_char(c);
            if let Some((_, msg)) = state.intake.form.error {
                say(state, msg);
            }
            if took && state.intake.form.autoskip_ready() {
                return leave_field(state, true);
            }
        }
        Focus::Queue => {}
    }
    Vec::new()
}

pub fn on_paste(state: &mut AppState, text: &str) {
    match state.intake.focus {
        Focus::Adding => state.intake.adding.insert_str(text),
        Focus::Form => {
            state.intake.form.paste(text);
            if let Some((_, msg)) = state.intake.form.error {
                say(state, msg);
            }
        }
        Focus::Queue => {}
    }
}

/// The store's answer to a save.
pub fn on_executed(state: &mut AppState, result: Result<Done, String>) -> Vec<Effect> {
    let pending = state.intake.pending.take();
    let (_, choices) = (state.look.lang, state.choices.clone());
    let done = match result {
        Ok(done) => done,
        Err(text) => {
            // The form is untouched, and kept as a draft on disk too:
            // nothing typed is lost.
            state.message = Some(Message { text, error: true });
            let mut effects = flush_draft(state);
            effects.extend([Effect::SyncDrafts, Effect::Load]);
            return effects;
        }
    };
    let mut effects = vec![Effect::Load];
    match (pending, done) {
        (Some(Pending::Register(intake)), Done::Registered(no)) => {
            let text = format!("{} {no}", Msg::Saved.text(state.lang()));
            effects.extend(finish(state, intake, no, false, text));
        }
        (Some(Pending::Contact(intake)), Done::Recorded(no)) => {
            let text = format!("{} {no}", Msg::SavedContact.text(state.lang()));
            effects.extend(finish(state, intake, no, true, text));
        }
        (Some(Pending::Reopen(intake)), Done::Recorded(no)) => {
            let text = format!("{} {no}", Msg::Reopened.text(state.lang()));
            effects.extend(finish(state, intake, no, true, text));
        }
        (Some(Pending::Linked(intake, earlier)), Done::Registered(no)) => {
            let lang = state.lang();
            let text = format!("{} {no} ({} {earlier})", Msg::Saved.text(lang), Msg::LinkedNew.text(lang));
            effects.extend(finish(state, intake, no, false, text));
        }
        (Some(Pending::AddPlace(village)), Done::Stored) => super::places::added(state, village),
        (Some(Pending::QueueAdd), Done::Queued(r)) => {
            let (name, _) = parse_arrival(state.intake.adding.value(), &choices);
            state.intake.shown = Some(Shown::Ticket { number: r.number, name });
            state.intake.adding.clear();
            state.intake.focus = Focus::Queue;
        }
        _ => {}
    }
    effects
}

/// Saved: show the number, remember the intake for "dup", and leave the
/// form empty with the cursor in the first field.
fn finish(state: &mut AppState, intake: Intake, no: CaseNo, contact: bool, text: String) -> Vec<Effect> {
    let (lang, choices) = (state.look.lang, state.choices.clone());
    state.intake.shown = Some(Shown::Case { no, contact });
    state.message = Some(Message { text, error: false });
    state.intake.cleared = None;
    state.intake.last = Some(intake);
    state.intake.form.reset(lang, &choices);
    state.intake.earlier.clear();
    state.intake.looked_up = Default::default();
    state.intake.focus = Focus::Form;
    state.intake.draft_gen = state.intake.form.generation;
    vec![Effect::ClearDraft(super::form::DRAFT_NAME.into())]
}

pub fn on_earlier(state: &mut AppState, mut cases: Vec<Case>) {
    cases.sort_by_key(|c| (std::cmp::Reverse(c.opened_at), c.no));
    cases.dedup_by_key(|c| c.no);
    // One person (every case has the same phone): fill what the form still
    // lacks from their latest case. Two namesakes fill nothing.
    let phones: std::collections::HashSet<&str> = cases.iter().map(|c| c.intake.phone.as_str()).collect();
    if let (Some(latest), 1) = (cases.first(), phones.len()) {
        let form = &mut state.intake.form;
        let i = &latest.intake;
        for (field, value) in [(Field::Phone, &i.phone), (Field::Village, &i.village), (Field::Group, &i.group)] {
            if form.value(field).is_empty() && !value.is_empty() {
                form.set(field, value);
                if form.focus == field {
                    // Filled under the cursor: typing still replaces it.
                    form.focus_on(field);
                }
            }
        }
    }
    state.intake.earlier = cases;
    state.intake.earlier_sel = 0;
}
