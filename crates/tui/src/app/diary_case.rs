//! 民情日记's `c`: an entry made a case through the intake form, as the
//! phone card's new matter is. The form comes prefilled (来源 民情日记, the
//! place, the name, the request) with the cursor on what the entry cannot
//! know (类别); its save registers the case and marks the entry in one
//! store transaction (`Triage::NewCase`), then the desk is back at the
//! diary for the next entry. Pure: the save and lookups are effects.

use super::form::Field;
use super::{AppState, Effect, Message, Tab};
use crate::domain::Channel;
use crate::domain::diary::DiaryEntry;
use crate::i18n::Msg;
use crate::keys::{Cmd, Scope};
use jiedai_protocol::Done;

fn say(state: &mut AppState, text: String, error: bool) {
    state.message = Some(Message { text, error });
}

/// The intake form, filled from the entry. A form holding other unsaved
/// work is never overwritten: the desk says so and stays on the diary.
pub fn to_form(state: &mut AppState, e: &DiaryEntry) -> Vec<Effect> {
    let (lang, choices) = (state.lang(), state.choices.clone());
    if state.intake.form.from_diary == Some(e.id) {
        // This entry's form, left on 登记 unsaved: back to it as it is.
        let effects = super::go_to(state, Tab::Intake);
        state.intake.focus = super::intake::Focus::Form;
        return effects;
    }
    if !state.intake.form.is_blank(lang, &choices) {
        say(state, Msg::CallFormBusy.text(lang).into(), true);
        return Vec::new();
    }
    let mut effects = super::go_to(state, Tab::Intake);
    let form = &mut state.intake.form;
    form.reset(lang, &choices);
    form.set(Field::Channel, Channel::Diary.label(lang));
    form.set(Field::Name, &e.line.name);
    form.set(Field::Village, &e.line.village);
    form.set(Field::Group, &e.line.group);
    form.set(Field::Summary, &e.line.request);
    // The cadre who heard it follows it up, as a 包户 visit's case.
    if choices.cadres.contains(&e.cadre) {
        form.set(Field::Assignee, &e.cadre);
    }
    form.from_diary = Some(e.id);
    // The name is needed (a line may lack it); the phone is optional and
    // filled by the lookup below when the resident is known; the category
    // is what no diary line gives.
    let first = if e.line.name.is_empty() { Field::Name } else { Field::Category };
    form.focus_on(first);
    state.intake.focus = super::intake::Focus::Form;
    state.intake.shown = None;
    effects.extend(super::intake::lookup(state));
    effects
}

/// Esc on the form `c` filled: no case, the entry stays untriaged, and the
/// desk is back at it. The form is cleared as Ctrl+U clears it, so its
/// undo on 登记 brings it back (with its entry): nothing typed is lost.
pub fn dropped(state: &mut AppState) -> Vec<Effect> {
    let lang = state.lang();
    let mut effects = super::intake::on_cmd(state, Cmd::ClearForm).unwrap_or_default();
    effects.extend(super::go_to(state, Tab::Diary));
    state.diary.focus = super::diary::Focus::Entries;
    let key = crate::keys::key_for(Scope::Undo, Cmd::Undo).map(|k| k.label()).unwrap_or_default();
    let text = format!("{} ({} {key})", Msg::DiaryCaseDropped.text(lang), Msg::DiaryFormUndo.text(lang));
    say(state, text, false);
    effects
}

/// The form's save answered: when it was an entry's form and the store
/// took it (a case registered, or the entry attached to an earlier case
/// with Ctrl+T; the entry marked either way), back to the diary for the
/// next entry, where the entry now shows what became of it.
pub fn after_intake(state: &mut AppState, entry: Option<u64>, done: Option<Done>) -> Vec<Effect> {
    let lang = state.lang();
    let text = match (entry, done) {
        (Some(_), Some(Done::Registered(no))) => format!("{} {no}", Msg::DiaryMadeCase.text(lang)),
        (Some(_), Some(Done::Recorded(no))) => format!("{} {no}", Msg::DiaryDoneAttach.text(lang)),
        _ => return Vec::new(),
    };
    let effects = super::go_to(state, Tab::Diary);
    state.diary.focus = super::diary::Focus::Entries;
    // On to the next entry still to triage (the list is as before the
    // save until it is read again: today's entries stay where they are).
    let shown = super::diary::shown(state);
    let at = state.diary.selected;
    if let Some(next) = (at + 1..shown.len()).find(|i| shown[*i].triaged.is_none() && Some(shown[*i].id) != entry) {
        state.diary.selected = next;
    }
    say(state, text, false);
    effects
}
