//! 群众意见箱: each opening of the box is a session (the day, who opened
//! it, the witnesses); each slip is a case on channel 意见箱 linked to its
//! opening. A slip is rectified when its case is concluded 支持/已落实.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::{Case, CaseNo, Outcome};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoxOpening {
    /// Its number, 1 for the first opening on record.
    pub no: u32,
    pub date: NaiveDate,
    pub opened_by: String,
    pub witnesses: Vec<String>,
    /// The slips entered at this opening, in order.
    pub slips: Vec<CaseNo>,
}

/// An opening's figures: slips entered, and how many are rectified now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningTally {
    pub no: u32,
    pub date: NaiveDate,
    pub opened_by: String,
    pub witnesses: Vec<String>,
    pub slips: u64,
    pub rectified: u64,
}

/// Rectified (整改): concluded 支持/已落实.
pub fn is_rectified(case: &Case) -> bool {
    case.conclusion.as_ref().is_some_and(|c| c.outcome == Outcome::Implemented)
}

impl BoxOpening {
    /// Count the opening's slips among `cases` (a slip whose case is not
    /// found still counts as entered).
    pub fn tally<'a>(&self, cases: impl Fn(CaseNo) -> Option<&'a Case>) -> OpeningTally {
        OpeningTally {
            no: self.no,
            date: self.date,
            opened_by: self.opened_by.clone(),
            witnesses: self.witnesses.clone(),
            slips: self.slips.len() as u64,
            rectified: self.slips.iter().filter(|n| cases(**n).is_some_and(is_rectified)).count() as u64,
        }
    }
}
