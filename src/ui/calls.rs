//! 来电: the phone card. A call's number, the caller and their open
//! cases, the note, who took it; below, the day's calls by leader.

use crate::domain::call::PhoneCall;
use crate::i18n::{Lang, Msg, fill};

/// A call in a case's timeline.
pub fn describe(c: &PhoneCall, lang: Lang) -> String {
    let minutes =
        c.minutes.map(|n| fill(Msg::CallMinutesSuffix.text(lang), &[("n", &n.to_string())])).unwrap_or_default();
    if c.first {
        return fill(Msg::EvCallFirst.text(lang), &[("leader", &c.leader), ("minutes", &minutes)]);
    }
    let name = if c.caller.is_empty() { c.phone.as_str() } else { c.caller.as_str() };
    let s = fill(
        Msg::EvCallSentence.text(lang),
        &[("name", name), ("leader", &c.leader), ("minutes", &minutes), ("note", &c.note)],
    );
    if c.note.is_empty() { s.trim_end_matches([':', ' ']).to_string() } else { s }
}
