//! The papers the desk writes: the written notices the 信访工作条例 asks
//! for, and the sheets the township files. Which is which, their names in
//! both languages (and the ASCII names the command line takes), and when a
//! case has been told whether it is accepted.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::event::{Event, EventKind};
use super::time::china_date;
use crate::i18n::{Lang, Msg};

/// A notice handed to the resident, recorded in the case's timeline when
/// written. Stored (in `EventKind::NoticeIssued`): append new kinds last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Notice {
    /// 受理告知书
    Acceptance,
    /// 不予受理告知书
    NonAcceptance,
    /// 答复意见书
    Answer,
}

impl Notice {
    pub fn doc(self) -> DocKind {
        match self {
            Notice::Acceptance => DocKind::Acceptance,
            Notice::NonAcceptance => DocKind::NonAcceptance,
            Notice::Answer => DocKind::Answer,
        }
    }

    /// Does this notice tell the resident whether the matter is accepted
    /// (the 15-day clock)?
    pub fn answers_acceptance(self) -> bool {
        matches!(self, Notice::Acceptance | Notice::NonAcceptance)
    }
}

/// Every paper the desk can write. Not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocKind {
    Acceptance,
    NonAcceptance,
    Answer,
    /// 案件登记表: the case sheet for the archive.
    CaseSheet,
    /// 当日接待登记表: a reception day's list, for a date, not a case.
    DaySheet,
}

impl DocKind {
    pub const ALL: [DocKind; 5] =
        [DocKind::Acceptance, DocKind::NonAcceptance, DocKind::Answer, DocKind::CaseSheet, DocKind::DaySheet];

    /// Its Chinese name: the paper's title and the name the command line takes.
    pub fn zh(self) -> &'static str {
        self.msg().text(Lang::Zh)
    }

    /// The ASCII name the command line takes, and the English file name's.
    pub fn ascii(self) -> &'static str {
        match self {
            DocKind::Acceptance => "accept",
            DocKind::NonAcceptance => "reject",
            DocKind::Answer => "answer",
            DocKind::CaseSheet => "sheet",
            DocKind::DaySheet => "day",
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            DocKind::Acceptance => Msg::DocAcceptance,
            DocKind::NonAcceptance => Msg::DocNonAcceptance,
            DocKind::Answer => Msg::DocAnswer,
            DocKind::CaseSheet => Msg::DocCaseSheet,
            DocKind::DaySheet => Msg::DocDaySheet,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        self.msg().text(lang)
    }

    /// From the command line or a dialog: the Chinese name, the ASCII name,
    /// or the English label.
    pub fn parse(s: &str) -> Option<DocKind> {
        let s = s.trim();
        DocKind::ALL
            .into_iter()
            .find(|k| s == k.zh() || s.eq_ignore_ascii_case(k.ascii()) || s.eq_ignore_ascii_case(k.label(Lang::En)))
    }

    /// The notice recorded in the timeline when this paper is written; the
    /// sheets are the township's own papers and record nothing.
    pub fn notice(self) -> Option<Notice> {
        match self {
            DocKind::Acceptance => Some(Notice::Acceptance),
            DocKind::NonAcceptance => Some(Notice::NonAcceptance),
            DocKind::Answer => Some(Notice::Answer),
            DocKind::CaseSheet | DocKind::DaySheet => None,
        }
    }

    /// The file's name: `2026-0001-受理告知书.docx`, or in English
    /// `2026-0001-accept.docx`; the day sheet is named by its date.
    pub fn file_name(self, what: &str, lang: Lang) -> String {
        let name = match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.ascii(),
        };
        format!("{what}-{name}.docx")
    }
}

/// 2026年2月12日
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 星期三
pub fn chinese_weekday(d: NaiveDate) -> &'static str {
    ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
        [d.weekday().num_days_from_monday() as usize % 7]
}

/// When the resident was first told in writing whether the matter is
/// accepted (受理告知书 or 不予受理告知书), and which.
pub fn acceptance_notified(events: &[Event]) -> Option<(NaiveDate, Notice)> {
    events.iter().find_map(|e| match &e.kind {
        EventKind::NoticeIssued { notice, .. } if notice.answers_acceptance() => Some((china_date(e.at), *notice)),
        _ => None,
    })
}

/// A written answer on acceptance given after the 15-day limit (Art. 23)?
pub fn notified_late(day: NaiveDate, accept_by: NaiveDate) -> bool {
    day > accept_by
}

/// The last "where to go instead" given on a 不予受理告知书, to offer again.
pub fn last_instead(events: &[Event]) -> Option<&str> {
    events.iter().rev().find_map(|e| match &e.kind {
        EventKind::NoticeIssued { notice: Notice::NonAcceptance, instead, .. } if !instead.is_empty() => {
            Some(instead.as_str())
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_both_ways() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.zh()), Some(k));
            assert_eq!(DocKind::parse(k.ascii()), Some(k));
            assert_eq!(DocKind::parse(&k.ascii().to_uppercase()), Some(k));
        }
        assert_eq!(DocKind::parse("告知书"), None);
        let d = NaiveDate::from_ymd_opt(2026, 2, 12).expect("date");
        assert_eq!(chinese_date(d), "2026年2月12日");
        assert_eq!(chinese_weekday(d), "星期四");
    }
}
