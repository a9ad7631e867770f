//! The township's figures, counted from the records so that anyone can
//! recount them: per channel, for a period of China dates, from the events
//! dated in it. The reception day's figures are the 接待日 channel's alone;
//! the opinion box has its own sentence.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::case::*;
use super::event::{Event, EventKind};
use super::queue::QueueEntry;
use super::time::china_date;
use crate::i18n::{Lang, plural};

/// Inclusive, in China dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    pub fn week(today: NaiveDate) -> Period {
        let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
        Period { from: monday, to: today }
    }

    pub fn month(today: NaiveDate) -> Period {
        Period { from: today.with_day(1).unwrap_or(today), to: today }
    }

    pub fn year(today: NaiveDate) -> Period {
        Period { from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today), to: today }
    }
}

/// One channel's figures. Each is defined by the events it counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelStats {
    /// 接待群众 N 人: residents present (人数) at every intake and contact.
    pub people: u64,
    /// Cases registered (意见 N 条 for the box).
    pub registered: u64,
    /// 办理事件 N 件: cases accepted (受理).
    pub accepted: u64,
    /// Cases concluded, with any outcome.
    pub concluded: u64,
    /// 落实 N 件: cases concluded 支持/已落实.
    pub implemented: u64,
    /// 回访 N 件: follow-ups recorded (a case can have several).
    pub follow_ups: u64,
    /// Follow-ups that found the resident 满意 or 基本满意.
    pub satisfied: u64,
    /// Of the cases registered in the period, how many are now concluded
    /// 支持/已落实 (整改 M 条 for the box).
    pub registered_implemented: u64,
    /// Further calls or visits about a case already registered (a call
    /// taken on a leader's card, a contact): with `registered`, every call
    /// the phone channel took. (h-phone, issue 15)
    #[serde(default, skip_serializing_if = "is_zero")]
    pub contacts: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub period: Option<Period>,
    /// The township's name from its directory, for the report's sentence
    /// (全乡 when it has none yet).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub township: String,
    pub by_channel: Vec<(Channel, ChannelStats)>,
    pub by_category: Vec<(String, u64)>,
    pub by_village: Vec<(String, u64)>,
    pub inspections: u64,
    pub escalations: u64,
    pub requested_yuan: u64,
    pub granted_yuan: u64,
    /// Concluded in the period, and of those within their deadline.
    pub concluded: u64,
    pub on_time: u64,
    /// Open and past their deadline on the last day of the period.
    pub overdue: u64,
    /// Median minutes waited at the desk, and spent there once called.
    pub median_wait_min: Option<i64>,
    pub median_service_min: Option<i64>,
    /// 一帮一 per cadre: households paired, visits, cases from visits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairing: Vec<super::pairing::CadrePairing>,
    /// 群众意见箱 per opening dated in the period: slips, rectified.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub openings: Vec<super::opinion_box::OpeningTally>,
}

fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[v.len() / 2])
}

impl Stats {
    /// Count `cases` (each with its events) and the desk's `queue` entries.
    pub fn count(period: Period, cases: &[(Case, Vec<Event>)], queue: &[QueueEntry]) -> Stats {
        let mut ch: BTreeMap<usize, ChannelStats> = BTreeMap::new();
        let mut by_category: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_village: BTreeMap<String, u64> = BTreeMap::new();
        let mut s = Stats { period: Some(period), ..Stats::default() };
        let index = |c: Channel| Channel::ALL.iter().position(|x| *x == c).unwrap_or(0);
        for (case, events) in cases {
            let home = index(case.intake.channel);
            let merged = case.status == Status::Merged;
            for e in events {
                let day = china_date(e.at);
                if !period.contains(day) {
                    continue;
                }
                let st = ch.entry(home).or_default();
                match &e.kind {
                    EventKind::Registered { intake, .. } => {
                        st.people = st.people.saturating_add(u64::from(intake.people));
                        // A duplicate merged away was one more visit, not one more case.
                        if !merged {
                            st.registered += 1;
                            if case.conclusion.as_ref().is_some_and(|k| k.outcome == Outcome::Implemented) {
                                st.registered_implemented += 1;
                            }
                            *by_category.entry(intake.category.clone()).or_default() += 1;
                            *by_village.entry(intake.village.clone()).or_default() += 1;
                        }
                    }
                    EventKind::Contact { channel, people, .. } => {
                        let c = ch.entry(index(*channel)).or_default();
                        c.people = c.people.saturating_add(u64::from(*people));
                        c.contacts += 1;
                    }
                    // A call on a leader's card: one more resident heard by
                    // phone (the first call of a case is its registration).
                    EventKind::Call(call) if !call.first => {
                        let c = ch.entry(index(Channel::Phone)).or_default();
                        c.people = c.people.saturating_add(1);
                        c.contacts += 1;
                    }
                    EventKind::Accepted { .. } => st.accepted += 1,
                    EventKind::Concluded { outcome, .. } => {
                        st.concluded += 1;
                        if *outcome == Outcome::Implemented {
                            st.implemented += 1;
                        }
                        s.concluded += 1;
                        let deadline = case.due.unwrap_or(case.accept_by);
                        if day <= deadline {
                            s.on_time += 1;
                        }
                    }
                    EventKind::FollowedUp(f) => {
                        st.follow_ups += 1;
                        if matches!(f.satisfaction, Satisfaction::Satisfied | Satisfaction::Mostly) {
                            st.satisfied += 1;
                        }
                    }
                    EventKind::InspectionRecorded(_) => s.inspections += 1,
                    EventKind::Escalated { requested_yuan, .. } => {
                        s.escalations += 1;
                        s.requested_yuan = s.requested_yuan.saturating_add(*requested_yuan);
                    }
                    EventKind::Granted { granted_yuan, .. } => {
                        s.granted_yuan = s.granted_yuan.saturating_add(*granted_yuan)
                    }
                    _ => {}
                }
            }
            if case.is_overdue(period.to) {
                s.overdue += 1;
            }
        }
        s.by_channel = Channel::ALL.iter().enumerate().map(|(i, c)| (*c, ch.remove(&i).unwrap_or_default())).collect();
        let mut cat: Vec<(String, u64)> = by_category.into_iter().collect();
        cat.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut vil: Vec<(String, u64)> = by_village.into_iter().collect();
        vil.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        s.by_category = cat;
        s.by_village = vil;
        let in_period: Vec<&QueueEntry> = queue.iter().filter(|q| period.contains(q.day)).collect();
        s.median_wait_min =
            median(in_period.iter().filter_map(|q| q.called_at.map(|c| (c - q.arrived_at).num_minutes())).collect());
        s.median_service_min =
            median(in_period.iter().filter_map(|q| Some((q.finished_at? - q.called_at?).num_minutes())).collect());
        s
    }

    pub fn channel(&self, c: Channel) -> ChannelStats {
        self.by_channel.iter().find(|(x, _)| *x == c).map(|(_, s)| s.clone()).unwrap_or_default()
    }

    /// Follow-ups that found the resident satisfied, over all follow-ups.
    pub fn satisfaction(&self) -> (u64, u64) {
        self.by_channel
            .iter()
            .fold((0u64, 0u64), |(s, n), (_, c)| (s.saturating_add(c.satisfied), n.saturating_add(c.follow_ups)))
    }

    /// All channels together.
    pub fn total(&self) -> ChannelStats {
        self.by_channel.iter().fold(ChannelStats::default(), |a, (_, c)| ChannelStats {
            people: a.people.saturating_add(c.people),
            registered: a.registered.saturating_add(c.registered),
            accepted: a.accepted.saturating_add(c.accepted),
            concluded: a.concluded.saturating_add(c.concluded),
            implemented: a.implemented.saturating_add(c.implemented),
            follow_ups: a.follow_ups.saturating_add(c.follow_ups),
            satisfied: a.satisfied.saturating_add(c.satisfied),
            registered_implemented: a.registered_implemented.saturating_add(c.registered_implemented),
            contacts: a.contacts.saturating_add(c.contacts),
        })
    }

    /// The report, in the seed's own words: the reception day's sentence,
    /// the opinion box's, the whole township's (so the reception day's
    /// figures are not read as the township's), then the other channels.
    pub fn sentences(&self, lang: Lang, today: NaiveDate) -> Vec<String> {
        self.labelled_sentences(lang, today).into_iter().map(|(_, s)| s).collect()
    }

    /// The sentences with the channel each one counts (None: every channel).
    pub fn labelled_sentences(&self, lang: Lang, today: NaiveDate) -> Vec<(Option<Channel>, String)> {
        let Some(p) = self.period else { return Vec::new() };
        let r = self.channel(Channel::Reception);
        let b = self.channel(Channel::OpinionBox);
        let all = self.total();
        let zh_date = |d: NaiveDate| format!("{}年{}月{}日", d.year(), d.month(), d.day());
        let n = |n: u64, one: &str, many: &str| plural(n, one, many);
        let mut out = Vec::new();
        match lang {
            Lang::Zh => {
                let since = if p.to == today {
                    format!("自{}以来", zh_date(p.from))
                } else {
                    format!("{}至{}", zh_date(p.from), zh_date(p.to))
                };
                out.push((
                    Some(Channel::Reception),
                    format!(
                        "{since}共接待群众{}人,办理事件{}件,回访{}件,落实{}件。",
                        r.people, r.accepted, r.follow_ups, r.implemented
                    ),
                ));
                out.push((
                    Some(Channel::OpinionBox),
                    format!("搜集到的意见{}条,进行整改{}条。", b.registered, b.registered_implemented),
                ));
                out.push((
                    None,
                    format!(
                        "{}各渠道合计接待群众{}人,登记{}件,受理{}件,办结{}件,落实{}件,回访{}件。",
                        if self.township.is_empty() { "全乡" } else { self.township.as_str() },
                        all.people,
                        all.registered,
                        all.accepted,
                        all.concluded,
                        all.implemented,
                        all.follow_ups
                    ),
                ));
            }
            Lang::En => {
                let since =
                    if p.to == today { format!("Since {}", p.from) } else { format!("From {} to {}", p.from, p.to) };
                out.push((
                    Some(Channel::Reception),
                    format!(
                        "{since}, the reception day received {}, handled {}, made {} and implemented {}.",
                        n(r.people, "resident", "residents"),
                        n(r.accepted, "case", "cases"),
                        n(r.follow_ups, "return visit", "return visits"),
                        r.implemented
                    ),
                ));
                let were = if b.registered_implemented == 1 { "was" } else { "were" };
                out.push((
                    Some(Channel::OpinionBox),
                    format!(
                        "The opinion box gave {}, of which {} {were} rectified.",
                        n(b.registered, "opinion", "opinions"),
                        b.registered_implemented
                    ),
                ));
                out.push((
                    None,
                    format!(
                        "Across all channels {} received {}, registered {}, accepted {}, concluded {}, implemented {} and made {}.",
                        if self.township.is_empty() { "the township" } else { self.township.as_str() },
                        n(all.people, "resident", "residents"),
                        n(all.registered, "case", "cases"),
                        all.accepted,
                        all.concluded,
                        all.implemented,
                        n(all.follow_ups, "return visit", "return visits")
                    ),
                ));
            }
        }
        // The other channels, one line each.
        for c in [Channel::Phone, Channel::Diary, Channel::Visit] {
            let x = self.channel(c);
            let n = [x.registered, x.accepted, x.concluded, x.implemented, x.follow_ups];
            out.push((
                Some(c),
                match lang {
                    Lang::Zh => format!(
                        "{}: 登记{}件, 受理{}件, 办结{}件, 落实{}件, 回访{}件。",
                        c.label(lang),
                        n[0],
                        n[1],
                        n[2],
                        n[3],
                        n[4]
                    ),
                    Lang::En => format!(
                        "{}: {} registered, {} accepted, {} concluded, {} implemented, {}.",
                        c.label(lang),
                        n[0],
                        n[1],
                        n[2],
                        n[3],
                        plural(n[4], "follow-up", "follow-ups")
                    ),
                },
            ));
        }
        out
    }
}
