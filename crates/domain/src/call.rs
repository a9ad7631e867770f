//! 电话联系卡: a call taken on a leader's card, and how calls are counted.
//! A call is never a record of its own kind apart from a case: it is a
//! `Call` event on the case it is about (the first call of a new matter is
//! the case's registration, annotated by a `Call` marked `first`), so the
//! statistics, the timeline and the export see every call.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::{Case, CaseNo, Channel};
use super::event::{Event, EventKind};
use super::people::Resident;
use super::stats::Period;
use super::time::{Timestamp, china_date};

/// Longest call worth recording, in minutes: more is a typing slip.
pub const MAX_CALL_MINUTES: u32 = 600;

/// One call, as the card records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneCall {
    /// Whose card took it (干部/领导 from the directory; the operator by default).
    pub leader: String,
    /// The caller's name when known.
    pub caller: String,
    pub phone: String,
    pub minutes: Option<u32>,
    pub note: String,
    /// The call that opened the case: its registration already counts it.
    pub first: bool,
}

/// Is this event a call on the case? The registration of a case that came
/// in by phone is its first call; a `Call` marked `first` only annotates it.
pub fn is_call(e: &Event) -> bool {
    match &e.kind {
        EventKind::Registered { intake, .. } => intake.channel == Channel::Phone,
        EventKind::Contact { channel, .. } => *channel == Channel::Phone,
        EventKind::Call(c) => !c.first,
        _ => false,
    }
}

/// Calls on a case in a period.
pub fn calls_in(events: &[Event], period: Period) -> usize {
    events.iter().filter(|e| is_call(e) && period.contains(china_date(e.at))).count()
}

/// Calls about the same case this week and this month: a caller who rings
/// again and again stands out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repeats {
    pub week: usize,
    pub month: usize,
}

impl Repeats {
    pub fn of(events: &[Event], today: NaiveDate) -> Repeats {
        Repeats { week: calls_in(events, Period::week(today)), month: calls_in(events, Period::month(today)) }
    }

    /// Two calls or more about one matter in a week: the card says so.
    pub fn stands_out(&self) -> bool {
        self.week >= 2
    }
}

/// What the card shows once a number is typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Caller {
    pub phone: String,
    /// The resident known by this number, if any.
    pub resident: Option<Resident>,
    /// Their open cases, newest first, with the calls on each.
    pub open: Vec<(Case, Repeats)>,
    /// Their concluded cases, counted (a call about one reopens or links
    /// it at the intake form).
    pub closed: usize,
}

/// A line of the day's calls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRow {
    pub at: Timestamp,
    pub leader: String,
    pub caller: String,
    pub phone: String,
    pub case: CaseNo,
    pub minutes: Option<u32>,
    /// Calls on that case this week, this one included.
    pub week: usize,
}

/// The calls of `day`, by leader (in name order), then by time. Older
/// records (a contact by phone, a case registered by phone, without a
/// card's `Call`) are listed under the operator who wrote them down.
pub fn day_calls(cases: &[(Case, Vec<Event>)], day: NaiveDate) -> Vec<CallRow> {
    let week = Period::week(day);
    let mut rows = Vec::new();
    for (case, events) in cases {
        let annotated = events.iter().any(|e| matches!(&e.kind, EventKind::Call(c) if c.first));
        for (i, e) in events.iter().enumerate() {
            if china_date(e.at) != day {
                continue;
            }
            let (leader, caller, phone, minutes) = match &e.kind {
                EventKind::Call(c) => (c.leader.clone(), c.caller.clone(), c.phone.clone(), c.minutes),
                EventKind::Registered { intake, .. } if intake.channel == Channel::Phone && !annotated => {
                    (e.operator.clone(), intake.name.clone(), intake.phone.clone(), None)
                }
                EventKind::Contact { channel: Channel::Phone, name, .. } => {
                    (e.operator.clone(), name.clone(), case.intake.phone.clone(), None)
                }
                _ => continue,
            };
            let caller = if caller.is_empty() { case.intake.name.clone() } else { caller };
            // Calls on the case this week up to this one.
            let upto = &events[..=i];
            let n = upto.iter().filter(|x| is_call(x) && week.contains(china_date(x.at))).count();
            rows.push(CallRow { at: e.at, leader, caller, phone, case: case.no, minutes, week: n.max(1) });
        }
    }
    rows.sort_by(|a, b| a.leader.cmp(&b.leader).then(a.at.cmp(&b.at)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::china_at;
    use crate::{Intake, Urgency};

    fn intake(channel: Channel) -> Intake {
        Intake {
            channel,
            name: "唐科名".into(),
            phone: "13765912345".into(),
            people: 1,
            delegation: None,
            village: "坝达章村".into(),
            group: "坝汪组".into(),
            category: "征地补偿".into(),
            summary: "板栗树".into(),
            details: String::new(),
            urgency: Urgency::Normal,
            assignee: None,
        }
    }

    fn call(first: bool, leader: &str) -> EventKind {
        EventKind::Call(PhoneCall {
            leader: leader.into(),
            caller: "唐科名".into(),
            phone: "13765912345".into(),
            minutes: Some(5),
            note: String::new(),
            first,
        })
    }

    #[test]
    fn a_first_call_is_counted_once_and_repeats_stand_out() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        let at = |d: i64, h| china_at(day - chrono::Duration::days(d), h, 0);
        let reg = EventKind::Registered { intake: intake(Channel::Phone), accept_by: day };
        let events = vec![
            Event { at: at(10, 9), operator: "罗兴国".into(), kind: reg },
            Event { at: at(10, 9), operator: "罗兴国".into(), kind: call(true, "岑国仲") },
            Event { at: at(0, 9), operator: "罗兴国".into(), kind: call(false, "岑国仲") },
            Event { at: at(0, 10), operator: "罗兴国".into(), kind: call(false, "岑国仲") },
        ];
        // 11-30 is a Monday: this week is that day alone; the month has all three.
        assert_eq!(Repeats::of(&events, day), Repeats { week: 2, month: 3 });
        assert!(Repeats::of(&events, day).stands_out());
        let case = Case::replay(CaseNo { year: 2026, seq: 1 }, &events).expect("case");
        assert_eq!(case.contacts, 2, "the first call is the registration, not a contact");
        let rows = day_calls(&[(case, events)], day);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.leader == "岑国仲" && r.caller == "唐科名"));
        assert_eq!(rows.iter().map(|r| r.week).collect::<Vec<_>>(), vec![1, 2]);
    }
}
