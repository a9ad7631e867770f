//! The market-day queue: each arrival gets the day's next number to be
//! called by, and the desk records when they arrived, were called and were
//! finished, so waiting and service times can be counted.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::CaseNo;
use super::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueStatus {
    Waiting,
    /// Called to the desk: the form is being filled for them.
    Called,
    /// Did not answer when called; can be recalled.
    NoShow,
    Served,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub day: NaiveDate,
    pub number: u32,
    pub name: String,
    pub village: String,
    pub arrived_at: Timestamp,
    pub called_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub status: QueueStatus,
    /// The case the visit was registered as, or added to.
    pub case: Option<CaseNo>,
}

impl QueueEntry {
    /// Minutes since arrival (while waiting) or spent waiting (once called).
    pub fn wait_minutes(&self, now: Timestamp) -> i64 {
        let until = self.called_at.unwrap_or(now);
        (until - self.arrived_at).num_minutes().max(0)
    }

    pub fn is_waiting(&self) -> bool {
        self.status == QueueStatus::Waiting
    }

    /// Still before the desk: waiting, or called and being written down.
    pub fn is_unfinished(&self) -> bool {
        matches!(self.status, QueueStatus::Waiting | QueueStatus::Called)
    }
}

/// How many days back the desk looks for people still waiting: the queue
/// is a day's, but those waiting at midnight are not sent away.
pub const CARRY_DAYS: u64 = 2;

/// The number the next arrival gets: the day's next, but never one that
/// someone carried over from an earlier day still holds (waiting, or in
/// the form), so no two people before the desk share a number.
pub fn next_number(day_next: u64, carried: &[QueueEntry]) -> u64 {
    let held = carried.iter().filter(|e| e.is_unfinished()).map(|e| u64::from(e.number) + 1).max().unwrap_or(1);
    day_next.max(held)
}
