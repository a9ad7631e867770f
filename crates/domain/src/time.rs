//! China time (+08:00) and the deadlines of the 信访工作条例 (2022).
//! Dates are always taken in China time, whatever the server's zone.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

pub type Timestamp = DateTime<Utc>;

pub fn china() -> FixedOffset {
    // +08:00 is always a valid offset; the fallback is never taken.
    FixedOffset::east_opt(8 * 3600).unwrap_or(FixedOffset::east_opt(0).expect("zero offset"))
}

/// The calendar day of an instant in China.
pub fn china_date(at: Timestamp) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// "2026-02-12 09:30" in China time.
pub fn china_minute(at: Timestamp) -> String {
    at.with_timezone(&china()).format("%Y-%m-%d %H:%M").to_string()
}

/// Wednesday is market day and reception day.
pub fn is_reception_day(day: NaiveDate) -> bool {
    day.weekday() == Weekday::Wed
}

/// The instant at a China-time date and hour, for demo data and tests.
pub fn china_at(day: NaiveDate, hour: u32, minute: u32) -> Timestamp {
    let naive = day.and_hms_opt(hour.min(23), minute.min(59), 0).unwrap_or_default();
    (naive - Duration::hours(8)).and_utc()
}

/// Deadlines, configurable per township; defaults follow the 条例.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRules {
    /// Art. 23: tell the resident within 15 days whether it is accepted.
    pub accept_notice_days: u32,
    /// Art. 34: conclude within 60 days of acceptance.
    pub handling_days: u32,
    /// Art. 34: one extension of at most 30 days, with the reason recorded.
    pub max_extension_days: u32,
    /// The return visit is due this many days after a case is concluded.
    pub follow_up_days: u32,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        DeadlineRules { accept_notice_days: 15, handling_days: 60, max_extension_days: 30, follow_up_days: 7 }
    }
}

pub fn add_days(day: NaiveDate, days: u32) -> NaiveDate {
    day + Duration::days(i64::from(days))
}

/// The years a dated record may fall in (an imported ledger's or a restored
/// export's): bounds no real record reaches.
pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1950, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_past_midnight_china_is_still_wednesday() {
        // 2026-12-01 16:30 UTC is 2026-12-02 00:30 in China, a Wednesday.
        let at = DateTime::parse_from_rfc3339("2026-12-01T16:30:00Z").map(|d| d.with_timezone(&Utc));
        let day = china_date(at.expect("valid"));
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 12, 2).expect("valid"));
        assert!(is_reception_day(day));
    }

    #[test]
    fn china_at_round_trips() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 12).expect("valid");
        assert_eq!(china_date(china_at(day, 0, 30)), day);
        assert_eq!(china_minute(china_at(day, 9, 5)), "2026-02-12 09:05");
    }
}
