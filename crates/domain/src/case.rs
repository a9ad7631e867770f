//! The case (诉求/事件) and its vocabulary.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::time::Timestamp;
use crate::i18n::{Lang, Msg};

/// Human-friendly number, per year: `2026-0042`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CaseNo {
    pub year: u16,
    pub seq: u32,
}

impl fmt::Display for CaseNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}", self.year, self.seq)
    }
}

impl FromStr for CaseNo {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, n) = s.trim().split_once('-').ok_or_else(|| format!("not a case number: {s}"))?;
        let year = y.parse().map_err(|_| format!("not a case number: {s}"))?;
        let seq = n.parse().map_err(|_| format!("not a case number: {s}"))?;
        Ok(CaseNo { year, seq })
    }
}

/// 来源: how the matter reached the township.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Reception,
    Phone,
    Diary,
    OpinionBox,
    Visit,
}

impl Channel {
    pub const ALL: [Channel; 5] =
        [Channel::Reception, Channel::Phone, Channel::Diary, Channel::OpinionBox, Channel::Visit];

    pub fn msg(self) -> Msg {
        match self {
            Channel::Reception => Msg::ChannelReception,
            Channel::Phone => Msg::ChannelPhone,
            Channel::Diary => Msg::ChannelDiary,
            Channel::OpinionBox => Msg::ChannelBox,
            Channel::Visit => Msg::ChannelVisit,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        self.msg().text(lang)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Urgency {
    #[default]
    Normal,
    Urgent,
    Critical,
}

impl Urgency {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Urgency::Normal => Msg::UrgencyNormal,
            Urgency::Urgent => Msg::UrgencyUrgent,
            Urgency::Critical => Msg::UrgencyCritical,
        }
        .text(lang)
    }
}

/// How a case is concluded (信访工作条例 art. 32), or passed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// 支持/已落实 — upheld and implemented (落实).
    Implemented,
    /// 解释说明
    Explained,
    /// 不予支持
    NotUpheld,
    /// 转办
    Referred,
    /// 不予受理
    NotAccepted,
}

impl Outcome {
    pub const ALL: [Outcome; 5] =
        [Outcome::Implemented, Outcome::Explained, Outcome::NotUpheld, Outcome::Referred, Outcome::NotAccepted];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Implemented => Msg::OutcomeImplemented,
            Outcome::Explained => Msg::OutcomeExplained,
            Outcome::NotUpheld => Msg::OutcomeNotUpheld,
            Outcome::Referred => Msg::OutcomeReferred,
            Outcome::NotAccepted => Msg::OutcomeNotAccepted,
        }
        .text(lang)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Registered,
    InHand,
    InspectionPending,
    Inspected,
    Escalated,
    Concluded,
    FollowedUp,
    Merged,
}

impl Status {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Registered => Msg::StatusRegistered,
            Status::InHand => Msg::StatusInHand,
            Status::InspectionPending => Msg::StatusInspectionPending,
            Status::Inspected => Msg::StatusInspected,
            Status::Escalated => Msg::StatusEscalated,
            Status::Concluded => Msg::StatusConcluded,
            Status::FollowedUp => Msg::StatusFollowedUp,
            Status::Merged => Msg::StatusMerged,
        }
        .text(lang)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Concluded | Status::FollowedUp | Status::Merged)
    }
}

/// A group visit: at most five representatives (art. 20), speaking for
/// `speaks_for` residents in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Delegation {
    pub representatives: Vec<String>,
    pub speaks_for: u32,
}

pub const MAX_REPRESENTATIVES: usize = 5;

/// 人数: residents at the desk for one matter, at most (a whole township
/// turning out is far fewer; a larger figure is a typing slip).
pub const MAX_PEOPLE: u32 = 10_000;

/// What the desk writes down when a matter first arrives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub channel: Channel,
    /// Empty for an anonymous slip from the opinion box.
    pub name: String,
    pub phone: String,
    /// 人数: residents present at the desk (default 1).
    pub people: u32,
    pub delegation: Option<Delegation>,
    pub village: String,
    pub group: String,
    pub category: String,
    pub summary: String,
    pub details: String,
    pub urgency: Urgency,
    pub assignee: Option<String>,
}

impl Intake {
    pub fn petitioner(&self, lang: Lang) -> String {
        if self.name.is_empty() { Msg::Anonymous.text(lang).to_string() } else { self.name.clone() }
    }
}

/// A quantity found on site, such as 涵洞 4 处.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub item: String,
    pub number: f64,
    pub unit: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recommendation {
    FixLocally,
    Escalate,
    NoAction,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InspectionPlan {
    pub date: NaiveDate,
    pub team: Vec<String>,
    pub place: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Findings {
    pub date: NaiveDate,
    /// Who went, and where (as it turned out; the plan may differ).
    pub team: Vec<String>,
    pub place: String,
    pub findings: String,
    pub quantities: Vec<Quantity>,
    pub cost_yuan: u64,
    pub recommendation: Recommendation,
}

/// 实地查看: planned, then (once done) its findings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub plan: InspectionPlan,
    pub findings: Option<Findings>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub to: String,
    pub requested_yuan: u64,
    pub on: NaiveDate,
    pub granted_yuan: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowUpMethod {
    Phone,
    Visit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Satisfaction {
    Satisfied,
    Mostly,
    Unsatisfied,
}

impl Satisfaction {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Satisfaction::Satisfied => Msg::SatisfiedFull,
            Satisfaction::Mostly => Msg::SatisfiedPartly,
            Satisfaction::Unsatisfied => Msg::SatisfiedNot,
        }
        .text(lang)
    }
}

/// 回访: a return visit to ask whether the matter was settled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub method: FollowUpMethod,
    pub satisfaction: Satisfaction,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conclusion {
    pub outcome: Outcome,
    pub reason: String,
    pub on: NaiveDate,
}

/// The current state of a case: always the fold of its events
/// (`Case::replay`), kept in the store as a view for quick listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub no: CaseNo,
    pub opened_at: Timestamp,
    pub intake: Intake,
    pub assignee: Option<String>,
    pub status: Status,
    /// Art. 23: the resident is told by this day whether it is accepted.
    pub accept_by: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// Art. 34: handling deadline, set on acceptance, moved by an extension
    /// or a reopening.
    pub due: Option<NaiveDate>,
    pub extension: Option<(u32, String)>,
    pub conclusion: Option<Conclusion>,
    pub follow_up_due: Option<NaiveDate>,
    pub follow_ups: Vec<FollowUp>,
    pub inspections: Vec<Inspection>,
    pub escalations: Vec<Escalation>,
    /// Further calls or visits about the same matter.
    pub contacts: u32,
    pub reopened: u32,
    pub merged_into: Option<CaseNo>,
    pub absorbed: Vec<CaseNo>,
    pub events: u32,
    pub last_event_at: Timestamp,
}

impl Case {
    /// The day the case is next due for something: acceptance, conclusion
    /// or (once concluded) its return visit.
    pub fn deadline(&self) -> Option<NaiveDate> {
        match self.status {
            Status::Merged | Status::FollowedUp => None,
            Status::Concluded => self.follow_up_due,
            _ => Some(self.due.unwrap_or(self.accept_by)),
        }
    }

    /// Days until the deadline; negative when overdue.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        self.deadline().map(|d| (d - today).num_days())
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.days_left(today).is_some_and(|d| d < 0)
    }

    /// Listed on Pending (open), sorted by this date: overdue first, then
    /// the nearest deadline.
    pub fn pending_key(&self) -> Option<NaiveDate> {
        if self.status.is_open() { self.deadline() } else { None }
    }

    /// Listed on Follow-ups (concluded, a return visit due), by that date.
    pub fn follow_up_key(&self) -> Option<NaiveDate> {
        if self.status == Status::Concluded { self.follow_up_due } else { None }
    }

    /// Listed on Inspections (open, an inspection planned), by its date.
    pub fn inspection_key(&self) -> Option<NaiveDate> {
        if !self.status.is_open() {
            return None;
        }
        self.inspections.iter().find(|i| i.findings.is_none()).map(|i| i.plan.date)
    }

    /// An anonymous slip: nobody to tell the answer or to ask afterwards.
    pub fn is_anonymous(&self) -> bool {
        self.intake.name.is_empty() && self.intake.phone.is_empty()
    }

    pub fn place(&self) -> String {
        format!("{}{}", self.intake.village, self.intake.group)
    }
}
