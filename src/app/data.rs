//! What the tabs show, loaded by the loop (never by `render`) and handed
//! to `update` as one snapshot. Only the showing tab's list is read, so a
//! save on the intake tab never scans the whole database.

use chrono::NaiveDate;

use crate::domain::*;

/// Figures for one channel, counted from the records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelFigures {
    pub people: u64,
    pub cases: u64,
    pub accepted: u64,
    pub implemented: u64,
    pub follow_ups: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub today: Option<NaiveDate>,
    /// Which of the lists (Pending, Inspections, Follow-ups) this snapshot
    /// carries; the others are kept as the app has them.
    pub has_lists: [bool; 3],
    pub open: Vec<Case>,
    pub inspections: Vec<Case>,
    pub follow_ups: Vec<Case>,
    /// Open cases and how many are overdue, for the tab bar: counted from
    /// the index, whichever tab is showing.
    pub open_count: usize,
    pub overdue_count: usize,
    pub duty_leader: Option<Cadre>,
    pub villages: Vec<Village>,
    pub cadres: Vec<Cadre>,
    /// Today's queue, by number.
    pub queue: Vec<QueueEntry>,
    /// The intake form left unsaved last time (first load only).
    pub draft: Option<crate::store::Draft>,
    pub total_cases: u64,
    pub by_channel: Vec<(Channel, ChannelFigures)>,
}

impl Snapshot {
    /// Figures for the year of `today`, per channel. Kept simple here; the
    /// statistics tab refines the periods.
    pub fn count(cases: &[Case], year: i32) -> Vec<(Channel, ChannelFigures)> {
        use chrono::Datelike;
        Channel::ALL
            .iter()
            .map(|ch| {
                let mut f = ChannelFigures::default();
                for c in cases.iter().filter(|c| c.intake.channel == *ch) {
                    if crate::domain::time::china_date(c.opened_at).year() != year {
                        continue;
                    }
                    f.people += u64::from(c.intake.people);
                    f.cases += 1;
                    f.accepted += u64::from(c.accepted_on.is_some());
                    f.implemented +=
                        u64::from(c.conclusion.as_ref().is_some_and(|k| k.outcome == Outcome::Implemented));
                    f.follow_ups += c.follow_ups.len() as u64;
                }
                (*ch, f)
            })
            .collect()
    }
}
