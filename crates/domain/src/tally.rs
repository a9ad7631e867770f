//! The figures kept, not recounted: each case contributes tallies (a day,
//! a key and an amount); the store keeps their sums per day, changed in the
//! save's own transaction, so a period's figures are the sums over its days
//! and never a pass over every case. `Stats::count` stays the reference
//! recount, written independently: the tests hold the two equal.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::case::*;
use super::event::{Event, EventKind};
use super::pairing::CadrePairing;
use super::queue::QueueEntry;
use super::stats::{ChannelStats, Period, Stats};
use super::time::china_date;

/// One of a channel's figures (see `ChannelStats`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    People,
    Registered,
    Accepted,
    Concluded,
    Implemented,
    FollowUps,
    Satisfied,
    RegisteredImplemented,
    /// A resident coming back on an open case: a contact, or a repeat call.
    Contacts,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::People,
        Field::Registered,
        Field::Accepted,
        Field::Concluded,
        Field::Implemented,
        Field::FollowUps,
        Field::Satisfied,
        Field::RegisteredImplemented,
        Field::Contacts,
    ];
}

/// What a tally counts. Each is summed over the days of a period, except
/// `OpenDue` (summed over the days before the period's last: the overdue)
/// and `Opened` (its first day starts "since the start").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TallyKey {
    Channel(u8, Field),
    Category(String),
    Village(String),
    Inspections,
    Escalations,
    RequestedYuan,
    GrantedYuan,
    Concluded,
    OnTime,
    /// A case registered on a cadre's visit (一帮一), by who signed it.
    PairCase(String),
    /// An open case, on its deadline.
    OpenDue,
    /// A case opened.
    Opened,
}

/// A channel's place in `Channel::ALL`, which is how tallies name it.
pub fn channel_index(c: Channel) -> u8 {
    Channel::ALL.iter().position(|x| *x == c).and_then(|i| u8::try_from(i).ok()).unwrap_or(0)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub day: NaiveDate,
    pub key: TallyKey,
    pub n: u64,
}

/// Everything `case` (with its `events`) adds to the figures, as it is now.
/// A save replaces the case's old tallies with its new ones.
pub fn tallies(case: &Case, events: &[Event]) -> Vec<Tally> {
    let mut out = Vec::new();
    let mut put = |day: NaiveDate, key: TallyKey, n: u64| {
        if n > 0 {
            out.push(Tally { day, key, n });
        }
    };
    let home = channel_index(case.intake.channel);
    let merged = case.status == Status::Merged;
    put(china_date(case.opened_at), TallyKey::Opened, 1);
    if case.status.is_open()
        && let Some(d) = case.deadline()
    {
        put(d, TallyKey::OpenDue, 1);
    }
    for e in events {
        let day = china_date(e.at);
        let ch = |f: Field| TallyKey::Channel(home, f);
        match &e.kind {
            EventKind::Registered { intake, .. } => {
                put(day, ch(Field::People), u64::from(intake.people));
                if !merged {
                    put(day, ch(Field::Registered), 1);
                    if case.conclusion.as_ref().is_some_and(|k| k.outcome == Outcome::Implemented) {
                        put(day, ch(Field::RegisteredImplemented), 1);
                    }
                    put(day, TallyKey::Category(intake.category.clone()), 1);
                    put(day, TallyKey::Village(intake.village.clone()), 1);
                }
            }
            EventKind::Contact { channel, people, .. } => {
                put(day, TallyKey::Channel(channel_index(*channel), Field::People), u64::from(*people));
                put(day, TallyKey::Channel(channel_index(*channel), Field::Contacts), 1);
            }
            // A repeat call on a leader's card (the first is the registration).
            EventKind::Call(call) if !call.first => {
                let phone = channel_index(Channel::Phone);
                put(day, TallyKey::Channel(phone, Field::People), 1);
                put(day, TallyKey::Channel(phone, Field::Contacts), 1);
            }
            EventKind::Accepted { .. } => put(day, ch(Field::Accepted), 1),
            EventKind::Concluded { outcome, .. } => {
                put(day, ch(Field::Concluded), 1);
                if *outcome == Outcome::Implemented {
                    put(day, ch(Field::Implemented), 1);
                }
                put(day, TallyKey::Concluded, 1);
                if day <= case.due.unwrap_or(case.accept_by) {
                    put(day, TallyKey::OnTime, 1);
                }
            }
            EventKind::FollowedUp(f) => {
                put(day, ch(Field::FollowUps), 1);
                if matches!(f.satisfaction, Satisfaction::Satisfied | Satisfaction::Mostly) {
                    put(day, ch(Field::Satisfied), 1);
                }
            }
            EventKind::InspectionRecorded(_) => put(day, TallyKey::Inspections, 1),
            EventKind::Escalated { requested_yuan, .. } => {
                put(day, TallyKey::Escalations, 1);
                put(day, TallyKey::RequestedYuan, *requested_yuan);
            }
            EventKind::Granted { granted_yuan, .. } => put(day, TallyKey::GrantedYuan, *granted_yuan),
            _ => {}
        }
    }
    // 一帮一: a visit that became a case counts under who signed it.
    if case.intake.channel == Channel::Visit
        && !merged
        && let Some(e) = events.iter().find(|e| matches!(e.kind, EventKind::Registered { .. }))
    {
        put(china_date(e.at), TallyKey::PairCase(e.operator.clone()), 1);
    }
    out
}

/// The change from `old` tallies to `new`, per day and key, zeros left out.
pub fn delta(old: &[Tally], new: &[Tally]) -> BTreeMap<(NaiveDate, TallyKey), i128> {
    let mut d: BTreeMap<(NaiveDate, TallyKey), i128> = BTreeMap::new();
    for t in old {
        *d.entry((t.day, t.key.clone())).or_default() -= i128::from(t.n);
    }
    for t in new {
        *d.entry((t.day, t.key.clone())).or_default() += i128::from(t.n);
    }
    d.retain(|_, v| *v != 0);
    d
}

/// Sums of a period's tallies, made into its figures. `overdue` is the
/// `OpenDue` sum over the days before the period's last; `pairing` the
/// directory's rows (see `pairing::count_with`).
pub fn stats_from(
    period: Period,
    sums: &BTreeMap<TallyKey, u64>,
    overdue: u64,
    queue: &[QueueEntry],
    pairing: Vec<CadrePairing>,
) -> Stats {
    let mut s = Stats::count(period, &[], queue);
    let get = |k: &TallyKey| sums.get(k).copied().unwrap_or(0);
    for (c, st) in s.by_channel.iter_mut() {
        let i = channel_index(*c);
        let f = |f: Field| get(&TallyKey::Channel(i, f));
        *st = ChannelStats {
            people: f(Field::People),
            registered: f(Field::Registered),
            accepted: f(Field::Accepted),
            concluded: f(Field::Concluded),
            implemented: f(Field::Implemented),
            follow_ups: f(Field::FollowUps),
            satisfied: f(Field::Satisfied),
            registered_implemented: f(Field::RegisteredImplemented),
            contacts: f(Field::Contacts),
        };
    }
    let mut cat = Vec::new();
    let mut vil = Vec::new();
    for (k, n) in sums {
        match k {
            TallyKey::Category(c) if *n > 0 => cat.push((c.clone(), *n)),
            TallyKey::Village(v) if *n > 0 => vil.push((v.clone(), *n)),
            _ => {}
        }
    }
    cat.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    vil.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    s.by_category = cat;
    s.by_village = vil;
    s.inspections = get(&TallyKey::Inspections);
    s.escalations = get(&TallyKey::Escalations);
    s.requested_yuan = get(&TallyKey::RequestedYuan);
    s.granted_yuan = get(&TallyKey::GrantedYuan);
    s.concluded = get(&TallyKey::Concluded);
    s.on_time = get(&TallyKey::OnTime);
    s.overdue = overdue;
    s.pairing = pairing;
    s
}

/// The visit cases per cadre in the period's sums, for `pairing::count_with`.
pub fn pair_cases(sums: &BTreeMap<TallyKey, u64>) -> BTreeMap<String, u64> {
    sums.iter()
        .filter_map(|(k, n)| match k {
            TallyKey::PairCase(who) => Some((who.clone(), *n)),
            _ => None,
        })
        .collect()
}
