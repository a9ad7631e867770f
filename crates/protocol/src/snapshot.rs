//! What the tabs show, read through the port by the loop (never by
//! `render`) and handed to `update` as one snapshot. Only the showing tab's list is read, so a
//! save on the intake tab never scans the whole database.

use chrono::NaiveDate;

use serde::{Deserialize, Serialize};

use crate::Draft;
use crate::domain::*;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub today: Option<NaiveDate>,
    /// Which of the lists (Pending, Inspections, Follow-ups, every case)
    /// this snapshot carries; the others are kept as the app has them.
    pub has_lists: [bool; 4],
    pub open: Vec<Case>,
    pub inspections: Vec<Case>,
    pub follow_ups: Vec<Case>,
    /// Every case, concluded and merged ones too, newest first: what the
    /// search place looks through.
    pub all: Vec<Case>,
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
    pub draft: Option<Draft>,
    /// Action dialogs left unsubmitted last time (first load only).
    pub dialog_drafts: Vec<Draft>,
    /// The channel screens' drafts (first load only; none from an older
    /// server).
    #[serde(default)]
    pub screen_drafts: Vec<Draft>,
    /// The statistics tab's figures, for the period it shows.
    pub stats: Option<crate::domain::stats::Stats>,
    /// The township's directory, for the 名录 place.
    pub directory: Directory,
    /// A new database: no case, no directory. The desk opens its setup.
    pub fresh: bool,
    /// 民情日记: every entry (few: a page a day), for the diary's screen
    /// and the count of stale ones on 待办's header.
    #[serde(default)]
    pub diary: Vec<crate::domain::diary::DiaryEntry>,
    /// 群众意见箱: the openings, with slips entered and rectified.
    #[serde(default)]
    pub openings: Vec<crate::domain::opinion_box::OpeningTally>,
}
