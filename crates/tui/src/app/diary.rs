//! 民情日记: the cadre types the day's lines in one go (Enter saves each,
//! flushed before it says so), then triages the entries one key each:
//! a case, an attachment to a case found as 查找 finds it, or settled.

use super::list::ListView;
use super::{AppState, Effect, Message, Tab};
use crate::domain::diary::{DiaryEntry, DiaryLine, Triage};
use crate::i18n::Msg;
use crate::input::TextField;
use crate::keys::{Cmd, Scope};
use jiedai_protocol::{Command, Done};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    /// Typing the next line.
    #[default]
    Line,
    /// Moving among the entries to triage them.
    Entries,
    /// Finding the case to attach the selected entry to.
    Find,
    /// The note of an entry settled on the spot.
    Note,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiaryState {
    pub focus: Focus,
    pub line: TextField,
    /// The selected entry, among those shown.
    pub selected: usize,
    /// The attach search, over every case (`data.all`), as 查找's.
    pub find: ListView,
    pub note: TextField,
    /// A save is on its way; its answer goes here.
    pub saving: Option<Saving>,
    /// Lines of a multi-line paste waiting for the line field, in turn.
    pub waiting: std::collections::VecDeque<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saving {
    Line,
    Attach,
    Settle,
}

/// The cadre the diary is kept under: the desk's operator.
pub fn cadre(state: &AppState) -> &str {
    &state.operator
}

/// The entries the cadre's screen shows, in the order written: those not
/// yet triaged (whatever their day) and today's.
pub fn shown(state: &AppState) -> Vec<&DiaryEntry> {
    let today = state.today();
    state.data.diary.iter().filter(|e| e.cadre == cadre(state) && (e.triaged.is_none() || e.day == today)).collect()
}

/// Every place a line can name: villages, and village then group.
fn places(state: &AppState) -> Vec<String> {
    super::dir::places(&state.data.directory)
}

/// The line as it will be saved, or the word that is no known place.
pub fn read_line(state: &AppState, text: &str) -> Result<DiaryLine, String> {
    let d = &state.data.directory;
    parse_line(text, &places(state), |p| d.split_group(p).unwrap_or_else(|| (p.to_string(), String::new())))
}

pub fn scopes(state: &AppState) -> Vec<Scope> {
    match state.diary.focus {
        Focus::Line => vec![Scope::Diary, Scope::Text, Scope::Global],
        Focus::Entries => vec![Scope::DiaryTriage, Scope::Global],
        Focus::Find | Focus::Note => vec![Scope::DiaryPrompt, Scope::Text, Scope::Global],
    }
}

fn field(state: &mut AppState) -> Option<&mut TextField> {
    match state.diary.focus {
        Focus::Line => Some(&mut state.diary.line),
        Focus::Find => Some(&mut state.diary.find.filter),
        Focus::Note => Some(&mut state.diary.note),
        Focus::Entries => None,
    }
}

pub fn focused_field(state: &mut AppState) -> Option<&mut TextField> {
    field(state)
}

pub fn on_char(state: &mut AppState, c: char) -> bool {
    let finding = state.diary.focus == Focus::Find;
    let Some(f) = field(state) else { return false };
    f.insert(c);
    if finding {
        refind(state);
    }
    true
}

pub fn on_paste(state: &mut AppState, text: &str) -> bool {
    if state.diary.focus == Focus::Line {
        let lang = state.lang();
        let d = &mut state.diary;
        if let Some(word) = super::pasted::paste(&mut d.line, &mut d.waiting, text, lang) {
            say(state, word, false);
        }
        return true;
    }
    let finding = state.diary.focus == Focus::Find;
    let Some(f) = field(state) else { return false };
    f.insert_str(&text.replace(['\n', '\r'], " "));
    if finding {
        refind(state);
    }
    true
}

/// After an edit of the search query.
pub fn refind(state: &mut AppState) {
    let today = state.today();
    state.diary.find.refilter(&state.data.all, today);
}

fn say(state: &mut AppState, text: String, error: bool) {
    state.message = Some(Message { text, error });
}

fn selected_entry(state: &AppState) -> Option<DiaryEntry> {
    shown(state).get(state.diary.selected).map(|e| (*e).clone())
}

fn execute(state: &mut AppState, saving: Saving, cmd: Command) -> Vec<Effect> {
    state.diary.saving = Some(saving);
    vec![Effect::Execute(state.ids.next_id(), cmd)]
}

pub fn on_cmd(state: &mut AppState, cmd: Cmd) -> Option<Vec<Effect>> {
    if state.diary.saving.is_some() && !matches!(cmd, Cmd::Tab(_) | Cmd::Quit | Cmd::Help) {
        return Some(Vec::new());
    }
    let lang = state.lang();
    let n = shown(state).len();
    let d = &mut state.diary;
    Some(match (d.focus, cmd) {
        (Focus::Line, Cmd::Save) => {
            let text = d.line.value().trim().to_string();
            if text.is_empty() {
                return Some(Vec::new());
            }
            match read_line(state, &text) {
                Ok(line) if line.request.is_empty() => {
                    say(state, Msg::ErrSummaryRequired.text(lang).into(), true);
                    Vec::new()
                }
                Ok(line) => {
                    let cmd =
                        Command::DiaryWrite { cadre: cadre(state).to_string(), day: state.today(), lines: vec![line] };
                    execute(state, Saving::Line, cmd)
                }
                Err(word) => {
                    say(state, format!("{word}: {}", Msg::ErrDiaryPlace.text(lang)), true);
                    Vec::new()
                }
            }
        }
        // The line dropped on purpose: the next pasted line, if one waits.
        (Focus::Line, Cmd::ClearForm) => {
            if let Some(word) = super::pasted::next(&mut d.line, &mut d.waiting, lang) {
                say(state, word, false);
            }
            Vec::new()
        }
        (Focus::Find | Focus::Note, Cmd::ClearForm) => {
            if let Some(f) = field(state) {
                f.clear();
            }
            if state.diary.focus == Focus::Find {
                refind(state);
            }
            Vec::new()
        }
        (Focus::Line, Cmd::ToForm) if n > 0 => {
            d.focus = Focus::Entries;
            d.selected = d.selected.min(n - 1);
            Vec::new()
        }
        (Focus::Entries, Cmd::Back) => {
            d.focus = Focus::Line;
            Vec::new()
        }
        (Focus::Entries, Cmd::Up) => {
            d.selected = d.selected.saturating_sub(1);
            Vec::new()
        }
        (Focus::Entries, Cmd::Down) => {
            d.selected = (d.selected + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        (Focus::Entries, Cmd::DiaryCase | Cmd::DiaryAttach | Cmd::DiarySettle) => {
            let Some(e) = selected_entry(state) else { return Some(Vec::new()) };
            if e.triaged.is_some() {
                say(state, Msg::ErrDiaryTriaged.text(lang).into(), true);
                return Some(Vec::new());
            }
            match cmd {
                Cmd::DiaryCase => super::diary_case::to_form(state, &e),
                Cmd::DiaryAttach => {
                    let today = state.today();
                    let d = &mut state.diary;
                    d.focus = Focus::Find;
                    // The entry's name, to start with: most attach to the
                    // same resident's case.
                    d.find.filter.set(&e.line.name);
                    d.find.reset(&state.data.all, today);
                    d.find.selected = 0;
                    Vec::new()
                }
                _ => {
                    state.diary.focus = Focus::Note;
                    state.diary.note.clear();
                    Vec::new()
                }
            }
        }
        (Focus::Find | Focus::Note, Cmd::Back) => {
            d.focus = Focus::Entries;
            Vec::new()
        }
        (Focus::Find, Cmd::Up) => {
            d.find.selected = d.find.selected.saturating_sub(1);
            Vec::new()
        }
        (Focus::Find, Cmd::Down) => {
            d.find.selected = (d.find.selected + 1).min(d.find.visible.len().saturating_sub(1));
            Vec::new()
        }
        (Focus::Find, Cmd::PromptDone) => {
            let case = d.find.visible.get(d.find.selected).and_then(|i| state.data.all.get(*i));
            let Some(case) = case else { return Some(Vec::new()) };
            // A further contact is taken on an open case only (as at the desk).
            if !case.status.is_open() {
                let text = format!("{} {}", case.no, Msg::ErrDiaryAttachClosed.text(lang));
                say(state, text, true);
                return Some(Vec::new());
            }
            let case = case.no;
            let Some(e) = selected_entry(state) else { return Some(Vec::new()) };
            let triage = Triage::Attach { case, name: e.line.name.clone(), note: e.line.request.clone() };
            execute(state, Saving::Attach, Command::DiaryTriage { entry: e.id, triage })
        }
        (Focus::Note, Cmd::PromptDone) => {
            let note = d.note.value().trim().to_string();
            let Some(e) = selected_entry(state) else { return Some(Vec::new()) };
            if note.is_empty() {
                say(state, Msg::ErrTextRequired.text(lang).into(), true);
                return Some(Vec::new());
            }
            execute(state, Saving::Settle, Command::DiaryTriage { entry: e.id, triage: Triage::Settle(note) })
        }
        _ => return None,
    })
}

/// The store's answer to a save from the diary.
pub fn on_executed(state: &mut AppState, result: Result<Done, String>) -> Vec<Effect> {
    let lang = state.lang();
    let saving = state.diary.saving.take();
    match result {
        Err(e) => {
            // The line or the note stays, to be saved again.
            say(state, e, true);
            Vec::new()
        }
        Ok(done) => {
            let text = match (saving, &done) {
                (Some(Saving::Line), _) => {
                    let d = &mut state.diary;
                    let saved = Msg::DiarySaved.text(lang).to_string();
                    match super::pasted::next(&mut d.line, &mut d.waiting, lang) {
                        Some(left) => format!("{saved}; {left}"),
                        None => saved,
                    }
                }
                (Some(Saving::Attach), Done::Recorded(no)) => format!("{} {no}", Msg::DiaryDoneAttach.text(lang)),
                _ => Msg::DiaryDoneSettle.text(lang).to_string(),
            };
            if saving != Some(Saving::Line) {
                state.diary.focus = Focus::Entries;
                state.diary.note.clear();
            }
            say(state, text, false);
            // The entries as the store has them now.
            vec![Effect::Load]
        }
    }
}

/// Entries not triaged for more than three days, every cadre's: 待办's header.
pub fn stale_count(state: &AppState) -> usize {
    let today = state.today();
    state.data.diary.iter().filter(|e| e.is_stale(today)).count()
}

pub fn is_diary(state: &AppState) -> bool {
    state.tab == Tab::Diary
}

/// A diary line read from its text: the place first, completed by pinyin
/// among `groups` (village then group, or a village alone); then, when two
/// or more words follow, the first is the name; the rest is the request.
/// Err names the word that is no known place.
pub fn parse_line(
    text: &str,
    places: &[String],
    split: impl Fn(&str) -> (String, String),
) -> Result<DiaryLine, String> {
    let text = text.trim();
    let (place, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let Some(found) = crate::input::pinyin::rank(place, places.to_vec()).into_iter().next() else {
        return Err(place.to_string());
    };
    let (village, group) = split(&found);
    let rest = rest.trim();
    let words: Vec<&str> = rest.split_whitespace().collect();
    let (name, request) = if words.len() >= 2 && looks_like_name(words[0]) {
        (words[0].to_string(), rest[words[0].len()..].trim().to_string())
    } else {
        (String::new(), rest.to_string())
    };
    Ok(DiaryLine { village, group, name, request })
}

/// A Chinese name is two to four characters, none of them ASCII.
fn looks_like_name(w: &str) -> bool {
    let n = w.chars().count();
    (2..=4).contains(&n) && !w.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Vec<String> {
        vec!["坝达章村".into(), "坝达章村五组".into(), "岜沙村".into(), "岜沙村一组".into()]
    }

    fn split(p: &str) -> (String, String) {
        for v in ["坝达章村", "岜沙村"] {
            if let Some(g) = p.strip_prefix(v) {
                return (v.to_string(), g.to_string());
            }
        }
        (p.to_string(), String::new())
    }

    #[test]
    fn a_line_is_place_name_and_request() {
        let l = parse_line("bdzcwz 唐科名 要求 修通组路", &places(), split).expect("line");
        assert_eq!((l.village.as_str(), l.group.as_str()), ("坝达章村", "五组"));
        assert_eq!(l.name, "唐科名");
        assert_eq!(l.request, "要求 修通组路");
        let l = parse_line("bsc 路灯坏了", &places(), split).expect("line");
        assert_eq!((l.village.as_str(), l.group.as_str(), l.name.as_str()), ("岜沙村", "", ""));
        assert_eq!(l.request, "路灯坏了");
        assert_eq!(parse_line("xyz 路灯", &places(), split), Err("xyz".to_string()));
    }
}
