//! Tree names and key encodings. Keys sort the way the lists want them.

use chrono::NaiveDate;

use crate::domain::CaseNo;

pub const META: &str = "meta";
pub const CASES: &str = "cases";
pub const EVENTS: &str = "events";
/// Open cases by deadline: overdue first, then the nearest deadline.
pub const OPEN: &str = "idx_open";
/// Concluded cases by return-visit due date.
pub const FOLLOW_DUE: &str = "idx_follow_due";
/// Cases with a planned inspection, by its date.
pub const INSPECT_DUE: &str = "idx_inspect_due";
pub const RESIDENTS: &str = "residents";
pub const RESIDENT_NAMES: &str = "idx_resident_names";
pub const RESIDENT_CASES: &str = "idx_resident_cases";
pub const CADRES: &str = "cadres";
pub const VILLAGES: &str = "villages";
pub const DRAFTS: &str = "drafts";
/// The market-day queue: day, then number.
pub const QUEUE: &str = "queue";
/// Files imported, by the SHA-256 of their content (see `store/import.rs`).
pub const IMPORTS: &str = "imports";
/// Command ids applied, with their results (see `CommandId`).
pub const APPLIED: &str = "applied";

pub const SCHEMA_KEY: &[u8] = b"schema";
pub const RULES_KEY: &[u8] = b"rules";
pub const ROSTER_KEY: &[u8] = b"roster";
/// How many case commands were ever committed; checked against the seal.
pub const COMMITS_KEY: &[u8] = b"commits";
/// How many cases are open: kept in step with the open index.
pub const OPEN_COUNT_KEY: &[u8] = b"open_count";
pub const SCHEMA_VERSION: u64 = 1;

pub const SEP: u8 = 0x1f;

pub fn case_key(no: CaseNo) -> [u8; 6] {
    let mut k = [0u8; 6];
    k[..2].copy_from_slice(&no.year.to_be_bytes());
    k[2..].copy_from_slice(&no.seq.to_be_bytes());
    k
}

pub fn case_from_key(k: &[u8]) -> Option<CaseNo> {
    let year = u16::from_be_bytes(k.get(..2)?.try_into().ok()?);
    let seq = u32::from_be_bytes(k.get(2..6)?.try_into().ok()?);
    Some(CaseNo { year, seq })
}

pub fn event_key(no: CaseNo, seq: u32) -> [u8; 10] {
    let mut k = [0u8; 10];
    k[..6].copy_from_slice(&case_key(no));
    k[6..].copy_from_slice(&seq.to_be_bytes());
    k
}

pub fn queue_counter_key(day: NaiveDate) -> Vec<u8> {
    format!("queue:{day}").into_bytes()
}

fn day_number(day: NaiveDate) -> u32 {
    use chrono::Datelike;
    u32::try_from(day.num_days_from_ce()).unwrap_or(0)
}

pub fn queue_day_prefix(day: NaiveDate) -> [u8; 4] {
    day_number(day).to_be_bytes()
}

pub fn queue_key(day: NaiveDate, number: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&day_number(day).to_be_bytes());
    k[4..].copy_from_slice(&number.to_be_bytes());
    k
}

pub fn year_counter_key(year: u16) -> Vec<u8> {
    format!("next_seq:{year}").into_bytes()
}

/// A date then a case: sorts by date. Days from the common era, which are
/// positive for every date the desk will see.
pub fn dated_key(day: NaiveDate, no: CaseNo) -> [u8; 10] {
    use chrono::Datelike;
    let mut k = [0u8; 10];
    let days = u32::try_from(day.num_days_from_ce()).unwrap_or(0);
    k[..4].copy_from_slice(&days.to_be_bytes());
    k[4..].copy_from_slice(&case_key(no));
    k
}

pub fn case_from_dated_key(k: &[u8]) -> Option<CaseNo> {
    case_from_key(k.get(4..)?)
}

pub fn joined(a: &str, b: &[u8]) -> Vec<u8> {
    let mut k = a.as_bytes().to_vec();
    k.push(SEP);
    k.extend_from_slice(b);
    k
}
