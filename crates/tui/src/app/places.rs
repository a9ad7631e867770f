//! A village or group typed at the intake that the directory does not
//! know: the officer is asked to add it (one key) or correct it; it is
//! never saved as typed letters.

use super::form::{Choices, Field, IntakeForm};
use super::intake::Pending;
use super::{AppState, Effect, Message};
use crate::domain::{DirChange, Village};
use crate::i18n::Msg;
use crate::keys::{Cmd, Scope, key_for};
use jiedai_protocol::Command;

/// The first place field whose value the directory does not know.
pub fn unknown(form: &IntakeForm, choices: &Choices) -> Option<(Field, Msg)> {
    let village = form.value(Field::Village).trim();
    let group = form.value(Field::Group).trim();
    if !village.is_empty() && !choices.knows(Field::Village, village, village) {
        return Some((Field::Village, Msg::AskAddPlace));
    }
    if !group.is_empty() {
        if village.is_empty() {
            return Some((Field::Group, Msg::ErrGroupNeedsVillage));
        }
        if !choices.knows(Field::Group, village, group) {
            return Some((Field::Group, Msg::AskAddPlace));
        }
    }
    None
}

/// `坝达章村六组: not in the directory: Ctrl+Y adds it; or correct it`.
pub fn ask(state: &AppState, f: Field) -> Message {
    let lang = state.lang();
    let form = &state.intake.form;
    let place = match f {
        Field::Group => format!("{}{}", form.value(Field::Village).trim(), form.value(Field::Group).trim()),
        _ => form.value(Field::Village).trim().to_string(),
    };
    let key = key_for(Scope::Form, Cmd::AddPlace).map(|k| k.label()).unwrap_or_default();
    Message {
        text: format!("{place}: {}: {key} {}", Msg::AskAddPlace.text(lang), Msg::KeyAddPlace.text(lang)),
        error: true,
    }
}

/// The key that adds it: the village (or the group to its village) goes
/// into the directory through the store, signed by the operator.
pub fn add(state: &mut AppState) -> Vec<Effect> {
    let form = &state.intake.form;
    let Some((f, Msg::AskAddPlace)) = form.error.or_else(|| unknown(form, &state.choices)) else {
        return Vec::new();
    };
    if state.intake.pending.is_some() {
        return Vec::new();
    }
    let name = form.value(Field::Village).trim().to_string();
    let mut groups =
        state.choices.villages.iter().find(|v| v.name == name).map(|v| v.groups.clone()).unwrap_or_default();
    if f == Field::Group {
        groups.push(form.value(Field::Group).trim().to_string());
    }
    let village = Village { name: name.clone(), groups: groups.clone() };
    state.intake.pending = Some(Pending::AddPlace(village));
    vec![Effect::Execute(state.ids.next_id(), Command::Directory(vec![DirChange::Village { name, groups }]))]
}

/// Added: the lists know it at once, and the form goes on.
pub fn added(state: &mut AppState, village: Village) {
    let lang = state.lang();
    let text = format!("{}: {}", Msg::AddedPlace.text(lang), crate::domain::directory::village_line(&village));
    match state.choices.villages.iter_mut().find(|v| v.name == village.name) {
        Some(v) => *v = village,
        None => state.choices.villages.push(village),
    }
    state.intake.form.error = None;
    state.message = Some(Message { text, error: false });
}

/// The cadres a dialog of the opened case offers (交办, the team): those
/// covering the case's group first, then its village.
pub fn cadres_for_case(state: &AppState) -> Vec<String> {
    match &state.detail {
        Some(d) => state.choices.cadres_for(&d.case.intake.village, &d.case.intake.group),
        None => state.choices.cadres.clone(),
    }
}
