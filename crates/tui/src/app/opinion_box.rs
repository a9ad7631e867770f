//! 群众意见箱: open the box (the day, who opened it, the witnesses), then
//! the slips one after another, one line each: `db低保评定不公`, the
//! category by its pinyin (kept for the next slip when not typed) and the
//! text; Enter saves it and clears the line for the next. Channel 意见箱
//! throughout, anonymous.

use chrono::NaiveDate;

use super::{AppState, Effect, Message};
use crate::domain::CATEGORIES;
use crate::i18n::Msg;
use crate::input::{TextField, pinyin};
use crate::keys::{Cmd, Scope};
use jiedai_protocol::{Command, Done};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoxState {
    pub line: TextField,
    /// The opening whose slips are being entered.
    pub session: Option<u32>,
    /// This session's slips as saved: case, category, text.
    pub slips: Vec<(crate::domain::CaseNo, String, String)>,
    /// The category of the last slip, kept for the next.
    pub category: String,
    pub saving: bool,
}

pub fn scopes(_state: &AppState) -> Vec<Scope> {
    vec![Scope::BoxSlips, Scope::Text, Scope::Global]
}

/// A slip's line read: the leading Latin letters are the category's
/// pinyin when they name one (`db` 低保救助); else the category stays.
pub fn read_slip(line: &str, kept: &str) -> (String, String) {
    let line = line.trim_start();
    let letters: String = line.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if !letters.is_empty() {
        let options = CATEGORIES.iter().map(|c| c.to_string()).collect();
        if let Some(c) = pinyin::rank(&letters, options).into_iter().next() {
            return (c, line[letters.len()..].trim().to_string());
        }
    }
    (kept.to_string(), line.trim().to_string())
}

/// The opening line read: a date anywhere (today if none), then the
/// opener and the witnesses, each completed by pinyin among the cadres.
pub fn read_opening(state: &AppState, line: &str) -> (NaiveDate, String, Vec<String>) {
    let today = state.today();
    let cadres: Vec<String> = state.data.directory.active_cadres().into_iter().map(|c| c.name).collect();
    let mut date = today;
    let mut names = Vec::new();
    for w in line.split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，')).filter(|w| !w.is_empty()) {
        if let Some(d) = super::action::parse_date(w, today) {
            date = d;
        } else {
            names.push(pinyin::rank(w, cadres.clone()).into_iter().next().unwrap_or_else(|| w.to_string()));
        }
    }
    let mut names = names.into_iter();
    let opener = names.next().unwrap_or_else(|| state.operator.clone());
    (date, opener, names.collect())
}

pub fn on_char(state: &mut AppState, c: char) -> bool {
    state.opinion.line.insert(c);
    true
}

pub fn on_paste(state: &mut AppState, text: &str) -> bool {
    state.opinion.line.insert_str(&text.replace(['\n', '\r'], " "));
    true
}

fn say(state: &mut AppState, text: String, error: bool) {
    state.message = Some(Message { text, error });
}

pub fn on_cmd(state: &mut AppState, cmd: Cmd) -> Option<Vec<Effect>> {
    if state.opinion.saving && !matches!(cmd, Cmd::Tab(_) | Cmd::Quit | Cmd::Help) {
        return Some(Vec::new());
    }
    let lang = state.lang();
    Some(match cmd {
        Cmd::Save => {
            let text = state.opinion.line.value().to_string();
            let cmd = match state.opinion.session {
                Some(opening) => {
                    let (category, text) = read_slip(&text, &state.opinion.category);
                    if text.is_empty() {
                        say(state, Msg::ErrSummaryRequired.text(lang).into(), true);
                        return Some(Vec::new());
                    }
                    Command::BoxSlip { opening, category, text }
                }
                None => {
                    let (date, opened_by, witnesses) = read_opening(state, &text);
                    Command::BoxOpen { date, opened_by, witnesses }
                }
            };
            state.opinion.saving = true;
            vec![Effect::Execute(state.ids.next_id(), cmd)]
        }
        Cmd::ClearForm => {
            state.opinion.line.clear();
            Vec::new()
        }
        // A slip half typed is never thrown away by Esc (the key
        // contract): saved with Enter or cleared with Ctrl+U first.
        Cmd::Back if state.opinion.session.is_some() && !state.opinion.line.is_empty() => {
            say(state, Msg::BoxSlipUnsaved.text(state.lang()).to_string(), true);
            Vec::new()
        }
        Cmd::Back if state.opinion.session.is_some() => {
            state.opinion.session = None;
            state.opinion.slips.clear();
            state.opinion.line.clear();
            vec![Effect::Load]
        }
        _ => return None,
    })
}

pub fn on_executed(state: &mut AppState, result: Result<Done, String>) -> Vec<Effect> {
    let lang = state.lang();
    state.opinion.saving = false;
    match result {
        // The line stays, to be saved again.
        Err(e) => {
            say(state, e, true);
            Vec::new()
        }
        Ok(Done::Registered(no)) => {
            let (category, text) = read_slip(state.opinion.line.value(), &state.opinion.category);
            state.opinion.category = category.clone();
            state.opinion.slips.push((no, category, text));
            state.opinion.line.clear();
            let n = state.opinion.slips.len().to_string();
            say(state, crate::i18n::fill(Msg::BoxSlipSaved.text(lang), &[("n", &n)]), false);
            Vec::new()
        }
        Ok(_) => {
            // The store numbers openings in turn: this one is the next.
            let next = state.data.openings.iter().map(|o| o.no).max().unwrap_or(0) + 1;
            state.opinion.session = Some(next);
            state.opinion.slips.clear();
            state.opinion.category.clear();
            state.opinion.line.clear();
            say(state, Msg::BoxOpened.text(lang).into(), false);
            vec![Effect::Load]
        }
    }
}

/// The report's lines per opening: a title, a header, one row each.
pub fn report_lines(openings: &[crate::domain::opinion_box::OpeningTally], lang: crate::i18n::Lang) -> Vec<String> {
    let t = |m: Msg| m.text(lang);
    let mut out = vec![t(Msg::StatsOpenings).to_string()];
    out.push(format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        t(Msg::BoxOpening),
        t(Msg::ColDate),
        t(Msg::BoxOpenedBy),
        t(Msg::BoxWitnesses),
        t(Msg::BoxSlips),
        t(Msg::BoxRectified)
    ));
    for o in openings {
        out.push(format!(
            "#{}\t{}\t{}\t{}\t{}\t{}",
            o.no,
            o.date.format("%Y-%m-%d"),
            o.opened_by,
            o.witnesses.join(" "),
            o.slips,
            o.rectified
        ));
    }
    out
}
