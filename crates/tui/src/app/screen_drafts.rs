//! Drafts of the channel screens (issue 15): the call half-typed on 来电,
//! the diary line (and the settle note or attach query being typed) on
//! 日记, the opening in progress and the slip half-typed on 意见箱. Kept
//! as the intake form's are: in the same store under the same per-user
//! key, written on the tick without a sync, synced on Esc, leaving the tab
//! and quitting, written by the signal threads on a hang-up; offered back
//! at the next start on their tabs. A draft goes when its screen is empty
//! again: its record saved, or the text deliberately cleared.

use std::collections::BTreeMap;

use super::diary::Focus;
use super::{AppState, Effect, Message, Tab};
use crate::domain::{CaseNo, Timestamp};
use crate::i18n::Msg;
use crate::keys::{self, Cmd, Key};
use jiedai_protocol::{Draft, SCREEN_DRAFTS};

/// The screens kept, by the name in their draft's key (never changes,
/// whatever the screen says).
const SCREENS: [(Tab, &str); 3] = [(Tab::Calls, "calls"), (Tab::Diary, "diary"), (Tab::Box, "box")];

type Fields = Vec<(String, String)>;

/// What was last written for each screen, and when: a draft is written
/// only when its screen changed, and at most every half second on the tick.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Written {
    last: BTreeMap<&'static str, (Option<Fields>, Timestamp)>,
}

pub fn key(name: &str) -> String {
    format!("{SCREEN_DRAFTS}{name}")
}

fn pair(k: &str, v: impl ToString) -> (String, String) {
    (k.to_string(), v.to_string())
}

/// The screen's draft fields now; None when nothing on it needs keeping.
fn fields(state: &AppState, tab: Tab) -> Option<Fields> {
    let shown = pair("shown", u8::from(state.tab == tab));
    match tab {
        Tab::Calls => {
            let c = &state.calls;
            // Whose card it is stays after a save: alone it is no call.
            if c.phone.is_empty() && c.note.is_empty() && c.minutes.is_empty() {
                return None;
            }
            let focus = super::calls::CallField::ORDER.iter().position(|f| *f == c.focus()).unwrap_or(0);
            Some(vec![
                pair("phone", c.phone.value()),
                pair("note", c.note.value()),
                pair("minutes", c.minutes.value()),
                pair("leader", c.leader.value()),
                pair("focus", focus),
                shown,
            ])
        }
        Tab::Diary => {
            let d = &state.diary;
            let mut out = Vec::new();
            if !d.line.is_empty() {
                out.push(pair("line", d.line.value()));
            }
            // Pasted lines waiting their turn (h-input2).
            out.extend(d.waiting.iter().map(|l| pair("waiting", l)));
            // The settle note or attach query, with the entry it is for.
            let prompt = match d.focus {
                Focus::Note => Some(("note", &d.note)),
                Focus::Find => Some(("find", &d.find.filter)),
                Focus::Line | Focus::Entries => None,
            };
            let entry = super::diary::shown(state).get(d.selected).map(|e| e.id);
            if let (Some((name, field)), Some(entry)) = (prompt, entry)
                && !field.is_empty()
            {
                out.push(pair("entry", entry));
                out.push(pair(name, field.value()));
            }
            if out.is_empty() {
                return None;
            }
            out.push(shown);
            Some(out)
        }
        Tab::Box => {
            let b = &state.opinion;
            if b.session.is_none() && b.line.is_empty() && b.waiting.is_empty() {
                return None;
            }
            let mut out = vec![pair("line", b.line.value())];
            if let Some(no) = b.session {
                out.push(pair("session", no));
                out.push(pair("category", &b.category));
                // This opening's slips so far, as the screen lists them.
                for (case, category, text) in &b.slips {
                    out.push(pair("slip", format!("{case}\t{category}\t{text}")));
                }
            }
            out.extend(b.waiting.iter().map(|l| pair("waiting", l)));
            out.push(shown);
            Some(out)
        }
        _ => None,
    }
}

/// The drafts whose screens changed since last written (with `every`, only
/// those last written longer ago than that; an emptied screen's draft goes
/// at once, so a saved record is never offered back).
fn due(state: &mut AppState, every: Option<chrono::Duration>) -> Vec<Effect> {
    let now = state.now;
    let mut effects = Vec::new();
    for (tab, name) in SCREENS {
        let now_fields = fields(state, tab);
        let last = state.screen_drafts.last.get(name);
        if last.map(|(f, _)| f) == Some(&now_fields) || (last.is_none() && now_fields.is_none()) {
            continue;
        }
        if let (Some(every), Some((_, at)), Some(_)) = (every, last, &now_fields)
            && now - *at < every
        {
            continue;
        }
        effects.push(match &now_fields {
            Some(f) => Effect::SaveDraft(Draft { form: key(name), fields: f.clone(), saved_at: now }),
            None => Effect::ClearDraft(key(name)),
        });
        state.screen_drafts.last.insert(name, (now_fields, now));
    }
    effects
}

/// On the clock's tick: each changed screen's draft, at most every half second.
pub fn tick(state: &mut AppState) -> Vec<Effect> {
    due(state, Some(chrono::Duration::milliseconds(500)))
}

/// Each changed screen's draft, now (a save answered, quitting).
pub fn flush(state: &mut AppState) -> Vec<Effect> {
    due(state, None)
}

/// Each changed screen's draft, now, and synced (Esc, leaving a tab),
/// unless `effects` already sync.
pub fn flush_synced(state: &mut AppState, effects: &[Effect]) -> Vec<Effect> {
    let mut out = flush(state);
    if !out.is_empty() && !effects.contains(&Effect::SyncDrafts) {
        out.push(Effect::SyncDrafts);
    }
    out
}

/// A save from one of these screens is on its way.
pub fn saving(state: &AppState) -> bool {
    state.diary.saving.is_some() || state.opinion.saving || state.calls.saving.is_some()
}

/// The store's answer to a save from one of these screens: a saved line,
/// slip or call takes its draft with it at once; a refused one's draft is
/// made durable (the text stays on screen, to be saved again).
pub fn on_executed(state: &mut AppState, result: Result<jiedai_protocol::Done, String>) -> Vec<Effect> {
    let refused = result.is_err();
    let mut effects = if state.diary.saving.is_some() {
        super::diary::on_executed(state, result)
    } else if state.opinion.saving {
        super::opinion_box::on_executed(state, result)
    } else {
        super::calls::on_executed(state, result)
    };
    effects.extend(flush(state));
    if refused && !effects.contains(&Effect::SyncDrafts) {
        effects.push(Effect::SyncDrafts);
    }
    effects
}

/// Esc (back) on one of these screens: its draft is synced after it.
pub fn is_back(state: &AppState, key: Key) -> bool {
    SCREENS.iter().any(|(t, _)| *t == state.tab) && keys::lookup(&state.scopes(), key) == Some(Cmd::Back)
}

/// What the signal threads write if the line drops now.
pub fn live(state: &AppState) -> Vec<Draft> {
    SCREENS
        .iter()
        .filter_map(|(tab, name)| {
            fields(state, *tab).map(|f| Draft { form: key(name), fields: f, saved_at: state.now })
        })
        .collect()
}

fn get<'a>(fields: &'a Fields, k: &str) -> Option<&'a str> {
    fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// The pasted lines that were waiting their turn, in order.
fn waiting(fields: &Fields) -> std::collections::VecDeque<String> {
    fields.iter().filter(|(n, _)| n == "waiting").map(|(_, v)| v.clone()).collect()
}

/// The drafts found at start, back on their screens. Returns what to say
/// (each screen and its key), the tab that was showing when the desk was
/// left, and the effects (the caller of a restored number looked up).
pub fn restore(state: &mut AppState, drafts: &[Draft]) -> (Vec<String>, Option<Tab>, Vec<Effect>) {
    let lang = state.lang();
    let (mut said, mut showing, mut effects) = (Vec::new(), None, Vec::new());
    // In the tabs' order; a screen this version does not know (a newer
    // one's) is left as it is.
    for (tab, name) in SCREENS {
        let Some(d) = drafts.iter().find(|d| d.form == key(name)) else { continue };
        let f = &d.fields;
        if !put_back(state, tab, f, &mut effects) {
            continue;
        }
        // Written as it is now: no need to write it again.
        let back = fields(state, tab);
        state.screen_drafts.last.insert(name, (back, state.now));
        if get(f, "shown") == Some("1") {
            showing = Some(tab);
        }
        let index = Tab::ALL.iter().position(|t| *t == tab).and_then(|i| u8::try_from(i).ok());
        let key = index.and_then(|i| keys::key_for(keys::Scope::Global, Cmd::Tab(i)));
        let key = key.map(|k| format!(" ({})", k.label())).unwrap_or_default();
        said.push(format!("{}{key}", tab.title().text(lang)));
    }
    (said, showing, effects)
}

/// One screen's draft put back; false if it held nothing to put back.
fn put_back(state: &mut AppState, tab: Tab, f: &Fields, effects: &mut Vec<Effect>) -> bool {
    match tab {
        Tab::Calls => {
            let c = &mut state.calls;
            c.phone.set(get(f, "phone").unwrap_or(""));
            c.note.set(get(f, "note").unwrap_or(""));
            c.minutes.set(get(f, "minutes").unwrap_or(""));
            c.leader.set(get(f, "leader").unwrap_or(""));
            let order = super::calls::CallField::ORDER;
            let focus = get(f, "focus").and_then(|v| v.parse::<usize>().ok()).and_then(|i| order.get(i));
            c.focus = Some(focus.copied().unwrap_or(order[0]));
            // The caller and their open cases, as typing the number shows them.
            let number = c.number();
            if number.chars().filter(|c| c.is_ascii_digit()).count() >= 7 {
                effects.push(Effect::LookupCaller(number));
            }
            !(c.phone.is_empty() && c.note.is_empty() && c.minutes.is_empty())
        }
        Tab::Diary => {
            state.diary.line.set(get(f, "line").unwrap_or(""));
            state.diary.waiting = waiting(f);
            let entry = get(f, "entry").and_then(|v| v.parse::<u64>().ok());
            // The prompt comes back only for an entry still waiting for it.
            let at =
                entry.and_then(|id| super::diary::shown(state).iter().position(|e| e.id == id && e.triaged.is_none()));
            let (note, find) = (get(f, "note"), get(f, "find"));
            if let Some(i) = at.filter(|_| note.is_some() || find.is_some()) {
                let d = &mut state.diary;
                d.selected = i;
                if let Some(n) = note {
                    d.focus = Focus::Note;
                    d.note.set(n);
                } else if let Some(q) = find {
                    // The cases it searches come with the diary's tab.
                    d.focus = Focus::Find;
                    d.find.filter.set(q);
                }
            }
            !state.diary.line.is_empty() || !state.diary.waiting.is_empty() || state.diary.focus != Focus::Line
        }
        Tab::Box => {
            let b = &mut state.opinion;
            b.line.set(get(f, "line").unwrap_or(""));
            b.waiting = waiting(f);
            b.session = get(f, "session").and_then(|v| v.parse().ok());
            if b.session.is_some() {
                b.category = get(f, "category").unwrap_or("").to_string();
                b.slips = f
                    .iter()
                    .filter(|(k, _)| k == "slip")
                    .filter_map(|(_, v)| {
                        let mut parts = v.splitn(3, '\t');
                        let case: CaseNo = parts.next()?.parse().ok()?;
                        Some((case, parts.next()?.to_string(), parts.next()?.to_string()))
                    })
                    .collect();
            }
            b.session.is_some() || !b.line.is_empty() || !b.waiting.is_empty()
        }
        _ => false,
    }
}

/// At the first load: the screens' drafts back, said on the message line
/// after anything said before; the desk goes back to the screen it was
/// left on when it would otherwise open on the intake form with nothing
/// of its own restored.
pub fn restore_at_start(state: &mut AppState, drafts: &[Draft], intake_restored: bool) -> Vec<Effect> {
    let (said, showing, mut effects) = restore(state, drafts);
    if said.is_empty() {
        return effects;
    }
    let lang = state.lang();
    let before = state.message.take().map(|m| format!("{}; ", m.text)).unwrap_or_default();
    let text = format!("{before}{}: {}", Msg::ScreensRestored.text(lang), said.join(", "));
    if let Some(tab) = showing.filter(|_| !intake_restored && state.tab == Tab::Intake) {
        effects.extend(super::go_to(state, tab));
    }
    state.message = Some(Message { text, error: false });
    effects
}

/// After a load: an attach query put back before the cases came, or
/// searching cases since reloaded, is run over the cases as they are now.
pub fn after_load(state: &mut AppState, all_loaded: bool) {
    if all_loaded && state.tab == Tab::Diary && state.diary.focus == Focus::Find {
        let today = state.today();
        let d = &mut state.diary;
        let selected = d.find.selected;
        d.find.reset(&state.data.all, today);
        d.find.selected = selected.min(d.find.visible.len().saturating_sub(1));
    }
}
