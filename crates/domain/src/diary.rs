//! 民情日记: what a cadre heard in the villages, one line per request,
//! kept under that cadre and that day until it is triaged: made a case,
//! attached to an existing case, or settled on the spot.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::{CaseNo, Intake};
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
    /// A new case, as the officer completed it on the intake form the
    /// entry prefilled (channel 民情日记): registered and the entry marked
    /// in one transaction.
    NewCase(Box<Intake>),
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
