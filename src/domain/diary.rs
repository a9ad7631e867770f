//! 民情日记: what a cadre heard in the villages, one line per request,
//! kept under that cadre and that day until it is triaged: made a case,
//! attached to an existing case, or settled on the spot.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::CaseNo;
use super::time::Timestamp;

/// Untriaged entries older than this many days stand out.
pub const STALE_DAYS: i64 = 3;

/// One line as typed: `坝达章村五组 唐科名 要求修通组路`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiaryLine {
    pub village: String,
    pub group: String,
    /// Empty when the cadre did not get a name.
    pub name: String,
    pub request: String,
}

/// What became of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Triaged {
    /// Registered as a new case, channel 民情日记.
    Case(CaseNo),
    /// Recorded as a further contact on an existing case.
    Attached(CaseNo),
    /// Settled on the spot: the note says how.
    Settled(String),
}

/// How the officer triages an entry (the command's half of `Triaged`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Triage {
    NewCase,
    /// A further contact (channel 民情日记) on this case: who, and what.
    Attach {
        case: CaseNo,
        name: String,
        note: String,
    },
    Settle(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiaryEntry {
    /// Its number in the store, in the order written.
    pub id: u64,
    pub cadre: String,
    pub day: NaiveDate,
    pub line: DiaryLine,
    pub written_at: Timestamp,
    pub triaged: Option<Triaged>,
}

impl DiaryEntry {
    /// Untriaged and written more than `STALE_DAYS` days before `today`.
    pub fn is_stale(&self, today: NaiveDate) -> bool {
        self.triaged.is_none() && (today - self.day).num_days() > STALE_DAYS
    }

    pub fn place(&self) -> String {
        format!("{}{}", self.line.village, self.line.group)
    }
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
