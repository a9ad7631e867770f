//! The 名录 place: the township's directory on one screen, one row per
//! village (`坝达章村: 坝汪组 五组`) and per cadre, edited a line at a time
//! with the keyboard. Every edit is a `Command::Directory`; the store
//! checks it by the directory's rules and answers here.

use chrono::{Datelike, Duration, NaiveDate};

use super::form::pick_cadre;
use super::{AppState, Effect, Message};
use crate::domain::directory::{Household, Pairing};
use crate::domain::directory::{parse_village_line, village_line};
use crate::domain::text::{is_valid_phone, normalize_phone};
use crate::domain::{DirCadre, DirChange, Directory};
use crate::i18n::Msg;
use crate::input::{TextField, pinyin};
use crate::keys::Cmd;
use jiedai_protocol::{Command, Done};

/// A row of the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Township,
    VillagesHead,
    Village(usize),
    CadresHead,
    Cadre(usize),
    /// A household the cadre above helps (index into `households`).
    Household(usize),
    RosterHead,
    Duty(usize),
}

/// What the line being edited becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Township,
    /// Villages, one a line: a pasted list adds or changes them all.
    Villages,
    /// A cadre's line; the name it had, when it is an existing one.
    Cadre(Option<String>),
    /// Duty: a date (or two, for every Wednesday between) and names.
    Duty,
    RenameVillage(String),
    RenameCadre(String),
    /// Which cadre runs the desk under this login.
    WhoAmI(String),
    /// 包户: cadre, householder, group.
    Pair,
    /// A pairing visit's note: the cadre and their household.
    Visit(String, Household),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirState {
    pub sel: usize,
    pub edit: Option<(Edit, TextField)>,
    /// A command sent, waiting for the store's answer.
    pub saving: bool,
    /// The first-run setup's step, while it runs.
    pub setup: Option<usize>,
    /// The setup is done: the intake form takes the new defaults.
    pub reset_form: bool,
    /// The login running the desk, which no cadre has: asked once.
    pub ask_login: Option<String>,
    /// A visit note opened from a case (`w`): the tab and case to go back to.
    pub back_to: Option<(super::Tab, crate::domain::CaseNo)>,
}

/// At start, a login no cadre has: which cadre is it? The answer is kept
/// as that cadre's login, so it is asked only once.
pub fn ask_who(state: &mut AppState) {
    let Some(login) = state.dir.ask_login.clone() else { return };
    if state.data.directory.active_cadres().is_empty() || state.dir.setup.is_some() {
        return;
    }
    state.tab = super::Tab::Directory;
    start(state, Edit::WhoAmI(login.clone()), "");
    let lang = state.lang();
    let text = format!("{}: {login}. {}", Msg::WhoLogin.text(lang), Msg::WhoAsk.text(lang));
    state.message = Some(Message { text, error: false });
}

/// The first run's steps, each skippable: the township's name, its
/// villages and groups, its cadres (one after another), today's duty.
const SETUP: [Edit; 4] = [Edit::Township, Edit::Villages, Edit::Cadre(None), Edit::Duty];

/// On a new database: the 名录 place, at the setup's first step.
pub fn start_setup(state: &mut AppState) {
    state.tab = super::Tab::Directory;
    setup_step(state, 0);
}

fn setup_step(state: &mut AppState, step: usize) {
    let lang = state.lang();
    let Some(edit) = SETUP.get(step).cloned() else {
        state.dir.setup = None;
        state.dir.edit = None;
        state.dir.reset_form = true;
        state.tab = super::Tab::Intake;
        state.message = Some(Message { text: Msg::SetupDone.text(lang).to_string(), error: false });
        return;
    };
    state.dir.setup = Some(step);
    // Today's duty is for this week's Wednesday: the date is filled in.
    let value = if edit == Edit::Duty { format!("{} ", this_wednesday(state.today())) } else { String::new() };
    start(state, edit, &value);
    let what = [Msg::KeyDirTownship, Msg::DirVillages, Msg::DirCadres, Msg::SetupDuty][step];
    let text = format!(
        "{} {}/{}: {}. {}",
        Msg::SetupFirstRun.text(lang),
        step + 1,
        SETUP.len(),
        what.text(lang),
        Msg::SetupKeys.text(lang)
    );
    state.message = Some(Message { text, error: false });
}

fn this_wednesday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday())) + Duration::days(2)
}

/// The rows in screen order: the retired are listed too, marked.
pub fn rows(d: &Directory) -> Vec<Row> {
    let mut out = vec![Row::Township, Row::VillagesHead];
    out.extend((0..d.villages.len()).map(Row::Village));
    out.push(Row::CadresHead);
    for (i, c) in d.cadres.iter().enumerate() {
        out.push(Row::Cadre(i));
        out.extend(d.households_of(&c.cadre.name).into_iter().map(Row::Household));
    }
    out.push(Row::RosterHead);
    out.extend((0..d.roster.len()).map(Row::Duty));
    out
}

/// Every place a cadre can cover: villages, and village then group.
pub fn places(d: &Directory) -> Vec<String> {
    let mut out = Vec::new();
    for v in d.villages.iter().filter(|v| !v.retired) {
        out.push(v.name.clone());
        out.extend(v.groups.iter().map(|g| format!("{}{g}", v.name)));
    }
    out
}

/// A cadre as one line: `罗兴国 党政办主任 13908591005 坝达章村五组 @luoxg`.
pub fn cadre_line(c: &DirCadre) -> String {
    let mut parts = vec![c.name.clone()];
    parts.extend([c.post.clone(), c.phone.clone()].into_iter().filter(|s| !s.is_empty()));
    parts.extend(c.covers.iter().cloned());
    if !c.login.is_empty() {
        parts.push(format!("@{}", c.login));
    }
    parts.join(" ")
}

/// Read a cadre's line: the name first; then in any order a phone, `@login`,
/// places (completed by pinyin: `bdzcwz` is 坝达章村五组) and the post
/// (the one word that is none of these). The place a word could not be
/// read as is named.
pub fn parse_cadre_line(line: &str, places: &[String]) -> Result<DirCadre, (Msg, String)> {
    let mut words = line.split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，' | ';' | '；'));
    let mut words = words.by_ref().filter(|w| !w.is_empty());
    let Some(name) = words.next() else { return Err((Msg::ErrDirNameRequired, String::new())) };
    let mut c = DirCadre {
        name: name.to_string(),
        post: String::new(),
        phone: String::new(),
        login: String::new(),
        covers: Vec::new(),
    };
    for w in words {
        let phone = normalize_phone(w);
        if let Some(login) = w.strip_prefix('@') {
            c.login = login.to_string();
        } else if phone.chars().any(|c| c.is_ascii_digit()) && is_valid_phone(&phone) {
            c.phone = phone;
        } else if let Some(p) = pinyin::rank(w, places.to_vec()).into_iter().next() {
            c.covers.push(p);
        } else if c.post.is_empty() && !w.is_ascii() {
            c.post = w.to_string();
        } else {
            return Err((Msg::ErrDirUnknownPlace, w.to_string()));
        }
    }
    Ok(c)
}

/// The groups a household can be in, written village then group.
fn groups(d: &Directory) -> Vec<String> {
    d.villages
        .iter()
        .filter(|v| !v.retired)
        .flat_map(|v| v.groups.iter().map(move |g| format!("{}{g}", v.name)))
        .collect()
}

/// A pairing line: `岑国仲 唐科名 坝达章村五组`, the cadre and the group
/// completed by pinyin (`cgz 唐科名 bdzcwz`); the householder as typed.
pub fn parse_pair_line(line: &str, d: &Directory) -> Result<DirChange, (Msg, String)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let [cadre, name, place] = words[..] else { return Err((Msg::ErrDirPairLine, String::new())) };
    let cadres: Vec<String> = d.active_cadres().into_iter().map(|c| c.name).collect();
    let cadre = pick_cadre(cadre, &cadres).ok_or((Msg::ErrDirNoCadre, cadre.to_string()))?;
    let place =
        pinyin::rank(place, groups(d)).into_iter().next().ok_or((Msg::ErrDirUnknownPlace, place.to_string()))?;
    let (village, group) = d.split_group(&place).ok_or((Msg::ErrDirUnknownPlace, place.clone()))?;
    Ok(DirChange::Pair { cadre, household: Household { name: name.to_string(), village, group } })
}

/// A pairing as its line again, for editing.
pub fn pair_line(p: &Pairing) -> String {
    format!("{} {} {}{}", p.cadre, p.household.name, p.household.village, p.household.group)
}

/// Every Wednesday from `from` to `to` (both included).
fn wednesdays(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let ahead = (7 + 2 - i64::from(from.weekday().num_days_from_monday())) % 7;
    let mut d = from + Duration::days(ahead);
    let mut out = Vec::new();
    while d <= to && out.len() < 520 {
        out.push(d);
        d += Duration::days(7);
    }
    out
}

/// A duty line: `2026-02-12 岑国仲`, or `2026-02-11 2026-03-25 cgz lmh`
/// for every Wednesday between, the names in turn (completed by pinyin).
pub fn parse_duty_line(line: &str, today: NaiveDate, cadres: &[String]) -> Result<Vec<DirChange>, (Msg, String)> {
    let mut dates = Vec::new();
    let mut names = Vec::new();
    for w in line.split_whitespace() {
        match super::parse::parse_date(w, today) {
            Some(d) if names.is_empty() && dates.len() < 2 => dates.push(d),
            _ => names.push(pick_cadre(w, cadres).ok_or((Msg::ErrDirNoCadre, w.to_string()))?),
        }
    }
    let days = match dates[..] {
        [one] => vec![one],
        [from, to] => wednesdays(from, to),
        _ => return Err((Msg::ErrDirBadDate, line.to_string())),
    };
    if names.is_empty() {
        return Err((Msg::ErrDirNoCadre, String::new()));
    }
    Ok(days.iter().zip(names.iter().cycle()).map(|(d, n)| DirChange::Duty { date: *d, cadre: n.clone() }).collect())
}

/// What the edited text asks the directory to do, or why it cannot.
pub fn changes(state: &AppState, edit: &Edit, text: &str) -> Result<Vec<DirChange>, (Msg, String)> {
    let d = &state.data.directory;
    let one = text.trim().to_string();
    let named = |m: Msg| if one.is_empty() { Err((m, String::new())) } else { Ok(()) };
    Ok(match edit {
        Edit::Township => {
            named(Msg::ErrDirNameRequired)?;
            vec![DirChange::Township { name: one }]
        }
        Edit::Villages => text
            .lines()
            .filter_map(parse_village_line)
            .filter(|(name, groups)| d.village(name).is_none_or(|v| v.retired || &v.groups != groups))
            .map(|(name, groups)| DirChange::Village { name, groups })
            .collect(),
        Edit::Cadre(_) => vec![DirChange::Cadre(parse_cadre_line(text, &places(d))?)],
        Edit::Duty => {
            let cadres: Vec<String> = d.active_cadres().into_iter().map(|c| c.name).collect();
            parse_duty_line(text, state.today(), &cadres)?
        }
        Edit::RenameVillage(from) => {
            named(Msg::ErrDirNameRequired)?;
            vec![DirChange::RenameVillage { from: from.clone(), to: one }]
        }
        Edit::RenameCadre(from) => {
            named(Msg::ErrDirNameRequired)?;
            vec![DirChange::RenameCadre { from: from.clone(), to: one }]
        }
        Edit::WhoAmI(login) => {
            let cadres: Vec<String> = d.active_cadres().into_iter().map(|c| c.name).collect();
            let name = pick_cadre(&one, &cadres).ok_or((Msg::ErrDirNoCadre, one.clone()))?;
            let mut cadre = d.cadre(&name).map(|c| c.cadre.clone()).ok_or((Msg::ErrDirNoCadre, one.clone()))?;
            cadre.login = login.clone();
            vec![DirChange::Cadre(cadre)]
        }
        Edit::Pair => vec![parse_pair_line(text, d)?],
        Edit::Visit(cadre, household) => {
            vec![DirChange::Visit { cadre: cadre.clone(), household: household.clone(), note: one }]
        }
    })
}

/// `w` on an opened case: when its resident is a paired household, the
/// visit note of the 名录 place for that household and its cadre (the same
/// change as from the directory); Enter or Esc comes back to the case.
pub fn visit_from_case(state: &mut AppState) -> Vec<Effect> {
    let Some(case) = state.detail.as_ref().map(|d| d.case.clone()) else { return Vec::new() };
    let resident = Household {
        name: case.intake.name.clone(),
        village: case.intake.village.clone(),
        group: case.intake.group.clone(),
    }
    .cleaned();
    let d = &state.data.directory;
    let Some(at) = d.households.iter().position(|p| p.household == resident) else {
        state.message = Some(Message { text: Msg::ErrCaseNotPaired.text(state.lang()).to_string(), error: true });
        return Vec::new();
    };
    let p = d.households[at].clone();
    state.dir.sel = rows(d).iter().position(|r| *r == Row::Household(at)).unwrap_or(0);
    state.dir.back_to = Some((state.tab, case.no));
    state.detail = None;
    state.tab = super::Tab::Directory;
    start(state, Edit::Visit(p.cadre, p.household), "");
    Vec::new()
}

/// Back to the case the visit note was opened from, if it was.
fn back_to_case(state: &mut AppState) -> Vec<Effect> {
    match state.dir.back_to.take() {
        Some((tab, no)) => {
            state.tab = tab;
            vec![Effect::LoadCase(no)]
        }
        None => Vec::new(),
    }
}

fn start(state: &mut AppState, edit: Edit, value: &str) {
    let mut f = if edit == Edit::Villages { TextField::multiline() } else { TextField::new() };
    f.set(value);
    state.dir.edit = Some((edit, f));
}

fn selected(state: &AppState) -> Option<Row> {
    rows(&state.data.directory).get(state.dir.sel).copied()
}

/// Edit what the selected row shows (Enter).
fn open(state: &mut AppState) {
    let d = state.data.directory.clone();
    match selected(state) {
        Some(Row::Township) => start(state, Edit::Township, &d.township),
        Some(Row::VillagesHead | Row::Village(_)) => {
            let lines: Vec<String> = d.active_villages().iter().map(village_line).collect();
            start(state, Edit::Villages, &lines.join("\n"));
        }
        Some(Row::Cadre(i)) => {
            if let Some(c) = d.cadres.get(i) {
                start(state, Edit::Cadre(Some(c.cadre.name.clone())), &cadre_line(&c.cadre));
            }
        }
        Some(Row::CadresHead) => start(state, Edit::Cadre(None), ""),
        Some(Row::Household(i)) => {
            if let Some(p) = d.households.get(i) {
                start(state, Edit::Pair, &pair_line(p));
            }
        }
        Some(Row::RosterHead | Row::Duty(_)) => start(state, Edit::Duty, ""),
        None => {}
    }
}

fn send(state: &mut AppState, changes: Vec<DirChange>) -> Vec<Effect> {
    if changes.is_empty() {
        state.dir.edit = None;
        return Vec::new();
    }
    state.dir.saving = true;
    vec![Effect::Execute(state.ids.next_id(), Command::Directory(changes))]
}

/// A pairing visit, or (`problem`) the case it raised, signed by the cadre.
fn send_visit(state: &mut AppState, cadre: String, household: Household, note: String, problem: bool) -> Vec<Effect> {
    if problem && note.trim().is_empty() {
        refuse(state, (Msg::ErrSummaryRequired, String::new()));
        return Vec::new();
    }
    state.dir.saving = true;
    vec![Effect::Execute(state.ids.next_id(), Command::PairVisit { cadre, household, note, problem })]
}

fn refuse(state: &mut AppState, (msg, what): (Msg, String)) {
    let text = msg.text(state.lang());
    let text = if what.is_empty() { text.to_string() } else { format!("{what}: {text}") };
    state.message = Some(Message { text, error: true });
}

/// A key on the 名录 place; None when it is not this place's.
pub fn on_cmd(state: &mut AppState, cmd: Cmd) -> Option<Vec<Effect>> {
    if state.dir.saving {
        return Some(Vec::new());
    }
    if let Some((edit, field)) = state.dir.edit.clone() {
        if let Edit::Visit(cadre, household) = &edit
            && matches!(cmd, Cmd::Save | Cmd::PromptDone | Cmd::DirVisitCase)
        {
            let note = field.value().trim().to_string();
            return Some(send_visit(state, cadre.clone(), household.clone(), note, cmd == Cmd::DirVisitCase));
        }
        return Some(match cmd {
            Cmd::Save | Cmd::PromptDone => match changes(state, &edit, field.value()) {
                Ok(c) => send(state, c),
                Err(e) => {
                    refuse(state, e);
                    Vec::new()
                }
            },
            Cmd::NewLine => {
                if let Some((_, f)) = state.dir.edit.as_mut() {
                    f.insert('\n');
                }
                Vec::new()
            }
            Cmd::Back => {
                match state.dir.setup {
                    // Skipped: on to the next step.
                    Some(step) => setup_step(state, step + 1),
                    None => state.dir.edit = None,
                }
                back_to_case(state)
            }
            _ => return None,
        });
    }
    let n = rows(&state.data.directory).len();
    let d = state.data.directory.clone();
    let sel = &mut state.dir.sel;
    match cmd {
        Cmd::Up => *sel = sel.saturating_sub(1),
        Cmd::Down => *sel = (*sel + 1).min(n.saturating_sub(1)),
        Cmd::PageUp => *sel = sel.saturating_sub(10),
        Cmd::PageDown => *sel = (*sel + 10).min(n.saturating_sub(1)),
        Cmd::First => *sel = 0,
        Cmd::Last => *sel = n.saturating_sub(1),
        Cmd::Open => open(state),
        Cmd::DirTownship => start(state, Edit::Township, &d.township),
        Cmd::DirVillages => {
            let lines: Vec<String> = d.active_villages().iter().map(village_line).collect();
            start(state, Edit::Villages, &lines.join("\n"));
        }
        Cmd::DirCadre => start(state, Edit::Cadre(None), ""),
        Cmd::DirDuty => start(state, Edit::Duty, ""),
        // A visit is to a household: on its row.
        Cmd::DirVisit => {
            if let Some(Row::Household(i)) = selected(state)
                && let Some(p) = d.households.get(i)
            {
                start(state, Edit::Visit(p.cadre.clone(), p.household.clone()), "");
            }
        }
        // On a cadre's row, the line starts with their name.
        Cmd::DirPair => {
            let value = match selected(state) {
                Some(Row::Cadre(i)) => d.cadres.get(i).map(|c| format!("{} ", c.cadre.name)).unwrap_or_default(),
                _ => String::new(),
            };
            start(state, Edit::Pair, &value);
        }
        Cmd::DirRename => match selected(state) {
            Some(Row::Village(i)) => {
                let name = d.villages.get(i).map(|v| v.name.clone()).unwrap_or_default();
                start(state, Edit::RenameVillage(name.clone()), &name);
            }
            Some(Row::Cadre(i)) => {
                let name = d.cadres.get(i).map(|c| c.cadre.name.clone()).unwrap_or_default();
                start(state, Edit::RenameCadre(name.clone()), &name);
            }
            _ => {}
        },
        Cmd::DirRetire => {
            let change = match selected(state) {
                Some(Row::Village(i)) => d.villages.get(i).map(|v| DirChange::RetireVillage { name: v.name.clone() }),
                Some(Row::Cadre(i)) => d.cadres.get(i).map(|c| DirChange::RetireCadre { name: c.cadre.name.clone() }),
                // On a household, x unpairs it.
                Some(Row::Household(i)) => {
                    d.households.get(i).map(|p| DirChange::Unpair { household: p.household.clone() })
                }
                _ => None,
            };
            return Some(change.map(|c| send(state, vec![c])).unwrap_or_default());
        }
        _ => return None,
    }
    Some(Vec::new())
}

/// The key scopes of the place: editing a line, or moving among the rows.
pub fn scopes(state: &AppState) -> Vec<crate::keys::Scope> {
    use crate::keys::Scope;
    if state.dir.edit.is_some() {
        vec![Scope::DirEdit, Scope::Text, Scope::Global]
    } else {
        vec![Scope::Directory, Scope::Global]
    }
}

/// A character typed while a line is being edited.
pub fn on_char(state: &mut AppState, c: char) -> bool {
    match state.dir.edit.as_mut() {
        Some((_, f)) => {
            f.insert(c);
            true
        }
        None => false,
    }
}

pub fn on_paste(state: &mut AppState, text: &str) -> bool {
    match state.dir.edit.as_mut() {
        Some((_, f)) => {
            f.insert_str(text);
            true
        }
        None => false,
    }
}

/// The store's answer: saved (the lists reload), or why not (the line
/// stays as typed, to correct).
pub fn on_executed(state: &mut AppState, result: Result<Done, String>) -> Vec<Effect> {
    state.dir.saving = false;
    match &result {
        Ok(_) => {
            // The cadre named is who the desk now signs as.
            if let Some((edit @ Edit::WhoAmI(_), text)) = state.dir.edit.clone()
                && let Ok(changes) = changes(state, &edit, text.value())
                && let Some(DirChange::Cadre(c)) = changes.first()
            {
                state.operator = c.name.clone();
            }
            let lang = state.lang();
            let text = match (&state.dir.edit, &result) {
                (_, Ok(Done::Registered(no))) => format!("{} {no}", Msg::DirVisitCase.text(lang)),
                (Some((Edit::Visit(..), _)), _) => Msg::DirVisitSaved.text(lang).to_string(),
                _ => Msg::DirSaved.text(lang).to_string(),
            };
            state.dir.edit = None;
            state.message = Some(Message { text, error: false });
            match state.dir.setup {
                // Cadres one after another, until Esc moves on.
                Some(step) if SETUP.get(step) == Some(&Edit::Cadre(None)) => {
                    setup_step(state, step);
                    let lang = state.lang();
                    if let Some(m) = state.message.as_mut() {
                        m.text = format!("{}; {}", Msg::DirSaved.text(lang), Msg::SetupNextCadre.text(lang));
                    }
                }
                Some(step) => setup_step(state, step + 1),
                None => {}
            }
            let mut effects = back_to_case(state);
            effects.push(Effect::Load);
            return effects;
        }
        Err(text) => state.message = Some(Message { text: text.clone(), error: true }),
    }
    vec![Effect::Load]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cadre_line_completes_places_by_pinyin() {
        let places = vec!["坝达章村".to_string(), "坝达章村坝汪组".to_string(), "坝达章村五组".to_string()];
        let c = parse_cadre_line("罗兴国 党政办主任 13908591005 bdzcwz 坝达章村坝汪组 @lxg", &places).expect("line");
        assert_eq!(c.post, "党政办主任");
        assert_eq!(c.phone, "13908591005");
        assert_eq!(c.covers, vec!["坝达章村五组".to_string(), "坝达章村坝汪组".to_string()]);
        assert_eq!(c.login, "lxg");
        assert_eq!(parse_cadre_line(&cadre_line(&c), &places), Ok(c));
        assert_eq!(parse_cadre_line("罗兴国 xyz", &places), Err((Msg::ErrDirUnknownPlace, "xyz".into())));
    }

    #[test]
    fn a_duty_range_is_every_wednesday_with_names_in_turn() {
        let today = NaiveDate::from_ymd_opt(2026, 2, 9).expect("d");
        let cadres = vec!["岑国仲".to_string(), "李明华".to_string()];
        let got = parse_duty_line("2026-02-09 2026-03-01 cgz lmh", today, &cadres).expect("range");
        let days: Vec<String> = got
            .iter()
            .map(|c| match c {
                DirChange::Duty { date, cadre } => format!("{date} {cadre}"),
                _ => String::new(),
            })
            .collect();
        assert_eq!(days, vec!["2026-02-11 岑国仲", "2026-02-18 李明华", "2026-02-25 岑国仲"]);
        assert!(parse_duty_line("2026-02-12 张三", today, &cadres).is_err());
    }
}
