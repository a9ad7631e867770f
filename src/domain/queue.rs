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
}
