//! 来电, the phone card: a call in seconds. The number first (the caller
//! and their open cases appear at once), then Enter records the call on the
//! selected case, or Ctrl+N takes a new matter to the intake form with
//! what the card knows filled in. Pure: lookups and saves are effects.

use super::form::Field;
use super::{AppState, Effect, Message, Tab};
use crate::domain::call::{CallRow, Caller, MAX_CALL_MINUTES, PhoneCall};
use crate::domain::text::normalize_phone;
use crate::domain::*;
use crate::i18n::Msg;
use crate::input::{TextField, pinyin};
use crate::keys::Cmd;
use jiedai_protocol::{Command, CommandId, Done};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallField {
    Phone,
    Note,
    Minutes,
    Leader,
}

impl CallField {
    pub const ORDER: [CallField; 4] = [CallField::Phone, CallField::Note, CallField::Minutes, CallField::Leader];

    pub fn label(self) -> Msg {
        match self {
            CallField::Phone => Msg::CallPhone,
            CallField::Note => Msg::CallNote,
            CallField::Minutes => Msg::CallMinutes,
            CallField::Leader => Msg::CallLeader,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallsState {
    pub focus: Option<CallField>,
    pub phone: TextField,
    pub note: TextField,
    pub minutes: TextField,
    /// Whose card took it: empty is the operator; pinyin completes.
    pub leader: TextField,
    /// The caller as the store knows the number typed.
    pub caller: Option<Caller>,
    /// The selected open case of the caller.
    pub sel: usize,
    /// The day's calls, by leader.
    pub day: Vec<CallRow>,
    /// A call on its way to the store, and its id (kept for a retry).
    pub saving: Option<(CommandId, Command)>,
    /// The last call refused or lost on the way: sent again unchanged, it
    /// keeps its id, so the store applies it once.
    pub failed: Option<(CommandId, Command)>,
    /// What Ctrl+U last cleared off the card, for Ctrl+Z to put back.
    pub cleared: Option<Box<CallsState>>,
}

impl CallsState {
    pub fn focus(&self) -> CallField {
        self.focus.unwrap_or(CallField::Phone)
    }

    pub fn field(&self, f: CallField) -> &TextField {
        match f {
            CallField::Phone => &self.phone,
            CallField::Note => &self.note,
            CallField::Minutes => &self.minutes,
            CallField::Leader => &self.leader,
        }
    }

    fn field_mut(&mut self, f: CallField) -> &mut TextField {
        match f {
            CallField::Phone => &mut self.phone,
            CallField::Note => &mut self.note,
            CallField::Minutes => &mut self.minutes,
            CallField::Leader => &mut self.leader,
        }
    }

    /// The number as the store keys it (full-width digits made ASCII).
    pub fn number(&self) -> String {
        normalize_phone(self.phone.value())
    }

    /// The caller looked up for the number now typed, if it has come.
    pub fn known(&self) -> Option<&Caller> {
        self.caller.as_ref().filter(|c| c.phone == self.number())
    }

    /// The open case the call is about: the selected one.
    pub fn case(&self) -> Option<&(Case, crate::domain::call::Repeats)> {
        self.known().and_then(|c| c.open.get(self.sel))
    }
}

/// The cadres the leader field completes from, best match first.
pub fn leader_picks(state: &AppState) -> Vec<String> {
    let typed = state.calls.leader.value().trim();
    if typed.is_empty() {
        return Vec::new();
    }
    pinyin::rank(typed, state.choices.cadres.clone())
}

/// Whose card took the call: the operator unless a cadre is named.
pub fn leader_name(state: &AppState) -> Result<String, Msg> {
    let typed = state.calls.leader.value().trim();
    if typed.is_empty() {
        return Ok(state.operator.clone());
    }
    if state.choices.cadres.iter().any(|c| c == typed) {
        return Ok(typed.to_string());
    }
    leader_picks(state).into_iter().next().ok_or(Msg::ErrPickFromList)
}

fn minutes(state: &AppState) -> Result<Option<u32>, Msg> {
    let typed = state.calls.minutes.value().trim();
    if typed.is_empty() {
        return Ok(None);
    }
    match typed.parse::<u32>() {
        Ok(n) if n <= MAX_CALL_MINUTES => Ok(Some(n)),
        _ => Err(Msg::ErrCallMinutes),
    }
}

fn say(state: &mut AppState, msg: Msg, error: bool) {
    state.message = Some(Message { text: msg.text(state.lang()).to_string(), error });
}

/// The call as the card has it: refused with the field to fix and why.
fn the_call(state: &AppState, first: bool) -> Result<PhoneCall, (CallField, Msg)> {
    let leader = leader_name(state).map_err(|m| (CallField::Leader, m))?;
    let minutes = minutes(state).map_err(|m| (CallField::Minutes, m))?;
    let known = state.calls.known();
    let caller = match (state.calls.case(), known.and_then(|c| c.resident.as_ref())) {
        (Some((case, _)), _) => case.intake.name.clone(),
        (None, Some(r)) => r.name.clone(),
        _ => String::new(),
    };
    Ok(PhoneCall {
        leader,
        caller,
        phone: state.calls.number(),
        minutes,
        note: state.calls.note.value().trim().to_string(),
        first,
    })
}

/// Ask the store who the number belongs to, once it could be a number.
fn lookup(state: &mut AppState) -> Vec<Effect> {
    state.calls.sel = 0;
    let number = state.calls.number();
    if number.chars().filter(|c| c.is_ascii_digit()).count() < 7 {
        return Vec::new();
    }
    if state.calls.caller.as_ref().is_some_and(|c| c.phone == number) {
        return Vec::new();
    }
    vec![Effect::LookupCaller(number)]
}

/// After a key changed the number: look it up; a full mobile number moves
/// on to the note by itself (as at the intake form).
fn phone_changed(state: &mut AppState) -> Vec<Effect> {
    let effects = lookup(state);
    let n = state.calls.number();
    if n.len() == 11 && n.starts_with('1') && n.chars().all(|c| c.is_ascii_digit()) {
        state.calls.focus = Some(CallField::Note);
    }
    effects
}

/// The same matter: the call goes on the selected open case.
fn save_same(state: &mut AppState) -> Vec<Effect> {
    if state.calls.saving.is_some() {
        return Vec::new();
    }
    let Some(case) = state.calls.case().map(|(c, _)| c.no) else {
        say(state, Msg::CallNoOpenCase, true);
        return Vec::new();
    };
    match the_call(state, false) {
        Ok(call) => {
            let cmd = Command::Call { case, call };
            let id = match state.calls.failed.take() {
                Some((id, old)) if old == cmd => id,
                _ => state.ids.next_id(),
            };
            state.calls.saving = Some((id, cmd.clone()));
            vec![Effect::Execute(id, cmd)]
        }
        Err((f, msg)) => {
            state.calls.focus = Some(f);
            say(state, msg, true);
            Vec::new()
        }
    }
}

/// A new matter: the intake form, channel 电话, with the number, the
/// caller's name and village and the note already in it.
fn new_matter(state: &mut AppState) -> Vec<Effect> {
    let (lang, choices) = (state.lang(), state.choices.clone());
    if !state.intake.form.is_blank(lang, &choices) {
        say(state, Msg::CallFormBusy, true);
        return Vec::new();
    }
    let call = match the_call(state, true) {
        Ok(c) => c,
        Err((f, msg)) => {
            state.calls.focus = Some(f);
            say(state, msg, true);
            return Vec::new();
        }
    };
    let resident = state.calls.known().and_then(|c| c.resident.clone());
    let mut effects = super::go_to(state, Tab::Intake);
    let form = &mut state.intake.form;
    form.reset(lang, &choices);
    form.set(Field::Channel, Channel::Phone.label(lang));
    form.set(Field::Phone, &call.phone);
    if let Some(r) = &resident {
        form.set(Field::Name, &r.name);
        form.set(Field::Village, &r.village);
        form.set(Field::Group, &r.group);
    }
    form.set(Field::Summary, &call.note);
    let first = form.first_empty();
    form.focus_on(first);
    state.intake.focus = super::intake::Focus::Form;
    // The call goes with the form (its draft, undo) and leaves the card,
    // so Enter there cannot record it a second time.
    state.intake.form.from_call = Some(call);
    clear(state);
    effects.extend(super::intake::lookup(state));
    effects
}

/// Nothing of a call on the card (whose card it is alone is no call).
fn blank(c: &CallsState) -> bool {
    c.phone.is_empty() && c.note.is_empty() && c.minutes.is_empty()
}

/// Clear the card for the next call; whose card it is stays.
fn clear(state: &mut AppState) {
    let c = &mut state.calls;
    c.phone.clear();
    c.note.clear();
    c.minutes.clear();
    c.caller = None;
    c.sel = 0;
    c.focus = Some(CallField::Phone);
}

fn step(state: &mut AppState, forward: bool) {
    let order = CallField::ORDER;
    let i = order.iter().position(|f| *f == state.calls.focus()).unwrap_or(0);
    let n = order.len();
    let next = if forward { (i + 1) % n } else { (i + n - 1) % n };
    state.calls.focus = Some(order[next]);
}

pub fn on_cmd(state: &mut AppState, cmd: Cmd) -> Option<Vec<Effect>> {
    let focus = state.calls.focus();
    Some(match cmd {
        Cmd::Save => save_same(state),
        Cmd::CallNew => new_matter(state),
        Cmd::NextField => {
            step(state, true);
            Vec::new()
        }
        Cmd::PrevField => {
            step(state, false);
            Vec::new()
        }
        Cmd::Up | Cmd::Down => {
            let n = state.calls.known().map_or(0, |c| c.open.len());
            if n > 0 {
                let sel = state.calls.sel;
                state.calls.sel = if cmd == Cmd::Up { sel.saturating_sub(1) } else { (sel + 1).min(n - 1) };
            }
            Vec::new()
        }
        Cmd::Back => {
            // Kept, as every form's content is on Esc (it is the screen's
            // draft); said, so the officer knows how to clear it.
            state.calls.focus = Some(CallField::Phone);
            if !(state.calls.phone.is_empty() && state.calls.note.is_empty() && state.calls.minutes.is_empty()) {
                say(state, Msg::CallKept, false);
            }
            Vec::new()
        }
        Cmd::ClearForm => {
            if !blank(&state.calls) {
                let mut was = state.calls.clone();
                was.cleared = None;
                was.saving = None;
                state.calls.cleared = Some(Box::new(was));
                let lang = state.lang();
                let key =
                    crate::keys::key_for(crate::keys::Scope::Undo, Cmd::Undo).map(|k| k.label()).unwrap_or_default();
                let text = format!("{} ({key} {})", Msg::CallCleared.text(lang), Msg::KeyUndoClear.text(lang));
                state.message = Some(Message { text, error: false });
            }
            clear(state);
            Vec::new()
        }
        Cmd::Undo => {
            let Some(mut back) = state.calls.cleared.take() else { return Some(Vec::new()) };
            // Typed since the clear: kept in its turn, so nothing is lost.
            if !blank(&state.calls) {
                let mut now = state.calls.clone();
                now.saving = None;
                back.cleared = Some(Box::new(now));
            }
            back.saving = state.calls.saving.take();
            back.day = std::mem::take(&mut state.calls.day);
            state.calls = *back;
            say(state, Msg::CallRestored, false);
            Vec::new()
        }
        Cmd::CaretLeft | Cmd::CaretRight | Cmd::CaretHome | Cmd::CaretEnd | Cmd::DeleteBack | Cmd::DeleteForward => {
            let f = state.calls.field_mut(focus);
            match cmd {
                Cmd::CaretLeft => f.left(),
                Cmd::CaretRight => f.right(),
                Cmd::CaretHome => f.home(),
                Cmd::CaretEnd => f.end(),
                Cmd::DeleteBack => f.backspace(),
                _ => f.delete(),
            }
            if focus == CallField::Phone { lookup(state) } else { Vec::new() }
        }
        _ => return None,
    })
}

/// A typed character: digits only in the number and the minutes
/// (full-width ones too), anything in the note and the leader.
pub fn on_char(state: &mut AppState, c: char) -> Vec<Effect> {
    let focus = state.calls.focus();
    let digit = c.is_ascii_digit() || ('０'..='９').contains(&c);
    match focus {
        CallField::Phone if digit || matches!(c, '-' | '－' | '+' | '＋') => {
            // Kept as the store keys it: full-width digits made ASCII.
            let c = normalize_phone(&c.to_string()).chars().next().unwrap_or(c);
            state.calls.phone.insert(c);
            phone_changed(state)
        }
        CallField::Minutes if digit => {
            let c = normalize_phone(&c.to_string()).chars().next().unwrap_or(c);
            state.calls.minutes.insert(c);
            Vec::new()
        }
        CallField::Phone | CallField::Minutes => {
            say(state, Msg::CallDigitsOnly, true);
            Vec::new()
        }
        f => {
            state.calls.field_mut(f).insert(c);
            Vec::new()
        }
    }
}

pub fn on_paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    let focus = state.calls.focus();
    let line = text.lines().next().unwrap_or("").trim();
    state.calls.field_mut(focus).insert_str(line);
    if focus == CallField::Phone { phone_changed(state) } else { Vec::new() }
}

pub fn on_caller(state: &mut AppState, caller: Caller) {
    // A late answer for a number since changed is dropped.
    if caller.phone == state.calls.number() {
        // A form's call not logged: its new case is the one selected.
        let new_case = match &state.calls.failed {
            Some((_, Command::Call { case, call })) if call.first => {
                caller.open.iter().position(|(c, _)| c.no == *case)
            }
            _ => None,
        };
        state.calls.caller = Some(caller);
        state.calls.sel = new_case.unwrap_or(0);
    }
}

pub fn on_loaded(state: &mut AppState, rows: Vec<CallRow>) {
    state.calls.day = rows;
}

pub fn on_executed(state: &mut AppState, result: Result<Done, String>) -> Vec<Effect> {
    let saving = state.calls.saving.take();
    match result {
        Ok(Done::Recorded(no)) => {
            let lang = state.lang();
            let first = matches!(saving, Some((_, Command::Call { ref call, .. })) if call.first);
            let text = if first {
                format!("{} {no}, {}", Msg::Saved.text(lang), Msg::CallSaved.text(lang))
            } else {
                format!("{} {no}", Msg::CallSaved.text(lang))
            };
            // The call from the form left the card at Ctrl+N: what the card
            // holds now is another call, kept.
            if !first {
                clear(state);
            }
            state.message = Some(Message { text, error: false });
            if first {
                // Back to the card for the next call.
                let mut effects = super::go_to(state, Tab::Calls);
                effects.push(Effect::LoadCalls);
                return effects;
            }
            vec![Effect::LoadCalls]
        }
        Ok(_) => vec![Effect::LoadCalls],
        // Nothing typed is lost: the card stays as it was, and Enter
        // sends the same call again (the store applies it once).
        Err(text) => {
            let mut effects = Vec::new();
            // The form's call (Ctrl+N) is on no card and its form is saved:
            // back on an empty card, so Enter records it on the new case.
            if let Some((_, Command::Call { call, .. })) = &saving
                && call.first
                && blank(&state.calls)
            {
                let c = &mut state.calls;
                c.phone.set(&call.phone);
                c.note.set(&call.note);
                c.minutes.set(&call.minutes.map(|m| m.to_string()).unwrap_or_default());
                if call.leader != state.operator {
                    state.calls.leader.set(&call.leader);
                }
                state.calls.focus = Some(CallField::Note);
                effects = super::go_to(state, Tab::Calls);
                effects.extend(lookup(state));
            }
            state.calls.failed = saving;
            state.message = Some(Message { text, error: true });
            effects
        }
    }
}

/// The intake form saved: if it was a new matter from the card (`call`,
/// the form's handed-over call), the call is logged on the new case (who
/// took it, how long).
pub fn after_intake(state: &mut AppState, registered: Option<CaseNo>, call: Option<PhoneCall>) -> Vec<Effect> {
    let (Some(no), Some(call)) = (registered, call) else { return Vec::new() };
    let cmd = Command::Call { case: no, call };
    let id = state.ids.next_id();
    state.calls.saving = Some((id, cmd.clone()));
    vec![Effect::Execute(id, cmd)]
}
