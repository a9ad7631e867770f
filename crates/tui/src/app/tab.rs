//! The desk's places: the tabs, their titles and numbers.

use crate::i18n::Msg;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Intake,
    Pending,
    Inspections,
    FollowUps,
    Stats,
    /// Every case, concluded and merged ones too: 查找.
    Search,
    /// The township's directory: 名录.
    Directory,
    /// 电话联系卡: the calls taken on the leaders' cards.
    Calls,
    /// 民情日记: a cadre's lines from the villages, then their triage.
    Diary,
    /// 群众意见箱: the box's openings and their slips.
    Box,
}

impl Tab {
    pub const ALL: [Tab; 10] = [
        Tab::Intake,
        Tab::Pending,
        Tab::Inspections,
        Tab::FollowUps,
        Tab::Stats,
        Tab::Search,
        Tab::Directory,
        Tab::Calls,
        Tab::Diary,
        Tab::Box,
    ];

    pub fn title(self) -> Msg {
        match self {
            Tab::Intake => Msg::TabIntake,
            Tab::Pending => Msg::TabPending,
            Tab::Inspections => Msg::TabInspections,
            Tab::FollowUps => Msg::TabFollowUps,
            Tab::Stats => Msg::TabStats,
            Tab::Search => Msg::TabSearch,
            Tab::Directory => Msg::TabDirectory,
            Tab::Calls => Msg::TabCalls,
            Tab::Diary => Msg::TabDiary,
            Tab::Box => Msg::TabBox,
        }
    }

    /// The number it is reached by: F1..F7, 名录 (the township's
    /// directory) 6, 查找 7.
    pub fn number(self) -> u8 {
        match self {
            Tab::Search => 7,
            Tab::Directory => 6,
            Tab::Diary => 9,
            Tab::Box => 10,
            t => t as u8 + 1,
        }
    }

    /// Its list's place in `AppState::lists` (Statistics has none).
    pub(super) fn slot(self) -> Option<usize> {
        match self {
            Tab::Intake => Some(0),
            Tab::Pending => Some(1),
            Tab::Inspections => Some(2),
            Tab::FollowUps => Some(3),
            Tab::Search => Some(4),
            Tab::Stats | Tab::Directory | Tab::Calls | Tab::Diary | Tab::Box => None,
        }
    }
}
