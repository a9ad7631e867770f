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
    /// Lines of a multi-line paste waiting for the line, in turn.
    pub waiting: std::collections::VecDeque<String>,
}

pub fn scopes(_state: &AppState) -> Vec<Scope> {
    vec![Scope::BoxSlips, Scope::Text, Scope::Global]
}

/// A slip's line read: the leading Latin letters are the category's
/// pinyin (`db` 低保救助); none, and the category stays. Err: the letters
/// that name no category (a typo is never filed under the last one).
pub fn read_slip(line: &str, kept: &str) -> Result<(String, String), String> {
    let line = line.trim_start();
    let letters: String = line.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if letters.is_empty() {
        return Ok((kept.to_string(), line.trim().to_string()));
    }
    let options = CATEGORIES.iter().map(|c| c.to_string()).collect();
    match pinyin::rank(&letters, options).into_iter().next() {
        Some(c) => Ok((c, line[letters.len()..].trim().to_string())),
        None => Err(letters),
    }
}

/// The opening line read: a date anywhere (today if none), then the
/// opener and the witnesses, each found by pinyin among the cadres.
/// Err: what is wrong, in words (an unknown name, no witness, the opener
/// as a witness, a date to come).
pub fn read_opening(state: &AppState, line: &str) -> Result<(NaiveDate, String, Vec<String>), String> {
    let lang = state.lang();
    let today = state.today();
    let cadres: Vec<String> = state.data.directory.active_cadres().into_iter().map(|c| c.name).collect();
    let mut date = today;
    let mut names = Vec::new();
    for w in line.split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，')).filter(|w| !w.is_empty()) {
        if let Some(d) = super::action::parse_date(w, today) {
            date = d;
        } else {
            match pinyin::rank(w, cadres.clone()).into_iter().next() {
                Some(name) => names.push(name),
                None => return Err(format!("{w}: {}", Msg::ErrOpenName.text(lang))),
            }
        }
    }
    if date > today {
        return Err(Msg::ErrOpenFuture.text(lang).to_string());
    }
    let mut names = names.into_iter();
    let opener = names.next().unwrap_or_else(|| state.operator.clone());
    let witnesses: Vec<String> = names.collect();
    if witnesses.is_empty() {
        return Err(Msg::ErrOpenWitness.text(lang).to_string());
    }
    if witnesses.contains(&opener) {
        return Err(format!("{opener}: {}", Msg::ErrOpenSelfWitness.text(lang)));
    }
    Ok((date, opener, witnesses))
}

pub fn on_char(state: &mut AppState, c: char) -> bool {
    state.opinion.line.insert(c);
    true
}

pub fn on_paste(state: &mut AppState, text: &str) -> bool {
    let lang = state.lang();
    let o = &mut state.opinion;
    if let Some(word) = super::pasted::paste(&mut o.line, &mut o.waiting, text, lang) {
        say(state, word, false);
    }
    true
}

/// The line saved or cleared: the next pasted one, if one waits.
fn next_line(state: &mut AppState, said: String) {
    let lang = state.lang();
    let o = &mut state.opinion;
    let text = match super::pasted::next(&mut o.line, &mut o.waiting, lang) {
        Some(left) => format!("{said}; {left}"),
        None => said,
    };
    say(state, text, false);
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
                    let (category, text) = match read_slip(&text, &state.opinion.category) {
                        Ok(slip) => slip,
                        Err(letters) => {
                            say(state, format!("{letters}: {}", Msg::ErrSlipCategory.text(lang)), true);
                            return Some(Vec::new());
                        }
                    };
                    if text.is_empty() {
                        say(state, Msg::ErrSummaryRequired.text(lang).into(), true);
                        return Some(Vec::new());
                    }
                    Command::BoxSlip { opening, category, text }
                }
                None => match read_opening(state, &text) {
                    Ok((date, opened_by, witnesses)) => Command::BoxOpen { date, opened_by, witnesses },
                    Err(word) => {
                        say(state, word, true);
                        return Some(Vec::new());
                    }
                },
            };
            state.opinion.saving = true;
            vec![Effect::Execute(state.ids.next_id(), cmd)]
        }
        Cmd::ClearForm => {
            let o = &mut state.opinion;
            if let Some(word) = super::pasted::next(&mut o.line, &mut o.waiting, lang) {
                say(state, word, false);
            }
            Vec::new()
        }
        // A slip half typed is never thrown away by Esc (the key
        // contract): saved with Enter or cleared with Ctrl+U first.
        Cmd::Back
            if state.opinion.session.is_some()
                && (!state.opinion.line.is_empty() || !state.opinion.waiting.is_empty()) =>
        {
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
            // Read as it was when saved (Ok then, or it was not sent).
            let kept = state.opinion.category.clone();
            let (category, text) = read_slip(state.opinion.line.value(), &kept).unwrap_or((kept, String::new()));
            state.opinion.category = category.clone();
            state.opinion.slips.push((no, category, text));
            let n = state.opinion.slips.len().to_string();
            next_line(state, crate::i18n::fill(Msg::BoxSlipSaved.text(lang), &[("n", &n)]));
            Vec::new()
        }
        Ok(_) => {
            // The store numbers openings in turn: this one is the next.
            let next = state.data.openings.iter().map(|o| o.no).max().unwrap_or(0) + 1;
            state.opinion.session = Some(next);
            state.opinion.slips.clear();
            state.opinion.category.clear();
            next_line(state, Msg::BoxOpened.text(lang).into());
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
