//! The kept figures (see `domain::tally`), in the meta tree: per day and
//! key, the sum of every case's tallies, changed in each save's own
//! transaction by the difference between the case's old tallies and its
//! new ones. A period's figures are then one range read, not a pass over
//! every case. Databases written before, or by a path that wrote cases
//! directly (salvage), get theirs counted once, on open.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::layout::{case_key, event_key};
use super::walk::walk;
use super::{Abort, Counter, Result, Store, StoreError, Tx, decode, encode, read};
use crate::domain::stats::{Period, Stats};
use crate::domain::tally::{self, Field, TallyKey};
use crate::domain::*;

/// Per day: `DAY` + day + key, `DUE` + day, `OPENED` + day; each value a
/// big-endian u64.
const DAY: &[u8] = b"tally\x1fd";
const DUE: &[u8] = b"tally\x1fo";
const OPENED: &[u8] = b"tally\x1fn";
/// The version of the tallies kept; absent or older: counted again on open.
pub(super) const BUILT_KEY: &[u8] = b"tallies_built";
const VERSION: u64 = 2; // 2: repeat contacts and calls per channel

fn day_bytes(d: NaiveDate) -> [u8; 4] {
    u32::try_from(d.num_days_from_ce()).unwrap_or(0).to_be_bytes()
}

fn day_from(b: &[u8]) -> Option<NaiveDate> {
    let n = u32::from_be_bytes(b.get(..4)?.try_into().ok()?);
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).ok()?)
}

fn field_code(f: Field) -> u8 {
    Field::ALL.iter().position(|x| *x == f).and_then(|i| u8::try_from(i).ok()).unwrap_or(0)
}

fn key_bytes(day: NaiveDate, key: &TallyKey) -> Vec<u8> {
    let (prefix, tag, rest): (&[u8], &[u8], &[u8]) = match key {
        TallyKey::OpenDue => (DUE, &[], &[]),
        TallyKey::Opened => (OPENED, &[], &[]),
        TallyKey::Channel(..) => (DAY, &[], &[]),
        TallyKey::Category(s) => (DAY, &[2], s.as_bytes()),
        TallyKey::Village(s) => (DAY, &[3], s.as_bytes()),
        TallyKey::PairCase(s) => (DAY, &[5], s.as_bytes()),
        TallyKey::Inspections => (DAY, &[4, 0], &[]),
        TallyKey::Escalations => (DAY, &[4, 1], &[]),
        TallyKey::RequestedYuan => (DAY, &[4, 2], &[]),
        TallyKey::GrantedYuan => (DAY, &[4, 3], &[]),
        TallyKey::Concluded => (DAY, &[4, 4], &[]),
        TallyKey::OnTime => (DAY, &[4, 5], &[]),
    };
    let mut k = prefix.to_vec();
    k.extend_from_slice(&day_bytes(day));
    k.extend_from_slice(tag);
    if let TallyKey::Channel(c, f) = key {
        k.extend_from_slice(&[1, *c, field_code(*f)]);
    }
    k.extend_from_slice(rest);
    k
}

/// The key of a `DAY` entry, after its prefix and day.
fn key_from(b: &[u8]) -> Option<TallyKey> {
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).ok();
    Some(match *b.first()? {
        1 => TallyKey::Channel(*b.get(1)?, *Field::ALL.get(usize::from(*b.get(2)?))?),
        2 => TallyKey::Category(text(&b[1..])?),
        3 => TallyKey::Village(text(&b[1..])?),
        5 => TallyKey::PairCase(text(&b[1..])?),
        4 => match *b.get(1)? {
            0 => TallyKey::Inspections,
            1 => TallyKey::Escalations,
            2 => TallyKey::RequestedYuan,
            3 => TallyKey::GrantedYuan,
            4 => TallyKey::Concluded,
            5 => TallyKey::OnTime,
            _ => return None,
        },
        _ => return None,
    })
}

fn value(v: &[u8]) -> u64 {
    v.get(..8).and_then(|b| b.try_into().ok()).map_or(0, u64::from_be_bytes)
}

/// Add the differences, in the saving transaction.
pub(super) fn apply(meta: Tx, delta: &BTreeMap<(NaiveDate, TallyKey), i128>) -> std::result::Result<(), Abort> {
    for ((day, key), d) in delta {
        let k = key_bytes(*day, key);
        let now = meta.get(&k)?.map_or(0, |v| value(&v));
        let next = i128::from(now) + d;
        if next <= 0 {
            meta.remove(k)?;
        } else {
            meta.insert(k, &u64::try_from(next).unwrap_or(u64::MAX).to_be_bytes())?;
        }
    }
    Ok(())
}

/// A case saved: its old tallies (as it was, with the events it had)
/// replaced by its new ones. Its events are read in the transaction, which
/// sees the ones this save appended.
pub(super) fn update(meta: Tx, events: Tx, old: Option<&Case>, new: &Case) -> std::result::Result<(), Abort> {
    let mut evs = Vec::with_capacity(new.events as usize);
    for seq in 0..new.events {
        if let Some(e) = read::<Event>(events, &event_key(new.no, seq))? {
            evs.push(e);
        }
    }
    let before = old.map_or_else(Vec::new, |o| tally::tallies(o, &evs[..(o.events as usize).min(evs.len())]));
    apply(meta, &tally::delta(&before, &tally::tallies(new, &evs)))
}

/// A new case written in bulk (an import, a restore): its tallies added to
/// `delta`, which the transaction applies once at its end.
pub(super) fn add(delta: &mut BTreeMap<(NaiveDate, TallyKey), i128>, case: &Case, events: &[Event]) {
    for t in tally::tallies(case, events) {
        *delta.entry((t.day, t.key)).or_default() += i128::from(t.n);
    }
}

/// The kept tallies counted again, a case at a time (`check`'s one pass):
/// what the kept entries must equal.
#[derive(Default)]
pub(super) struct Recount(BTreeMap<Vec<u8>, u64>);

impl Recount {
    pub(super) fn add(&mut self, case: &Case, events: &[Event]) {
        for t in tally::tallies(case, events) {
            let s = self.0.entry(key_bytes(t.day, &t.key)).or_default();
            *s = s.saturating_add(t.n);
        }
    }

    /// The days whose kept entries differ from the recount (an entry kept
    /// and not counted, counted and not kept, or of another value).
    pub(super) fn differing_days(mut self, store: &Store) -> Result<std::collections::BTreeSet<NaiveDate>> {
        self.0.retain(|_, n| *n != 0);
        let mut days = std::collections::BTreeSet::new();
        let day_of = |k: &[u8]| k.get(DAY.len()..).and_then(day_from);
        for prefix in [DAY, DUE, OPENED] {
            for kv in store.meta.scan_prefix(prefix) {
                let (k, v) = kv?;
                if self.0.remove(&k[..]).unwrap_or(0) != value(&v) {
                    days.extend(day_of(&k));
                }
            }
        }
        // Counted and never kept.
        days.extend(self.0.keys().filter_map(|k| day_of(k)));
        Ok(days)
    }
}

impl Store {
    /// Every case with its timeline, one at a time, in key order: a pass
    /// over the database in the memory of one case.
    pub fn each_case_with_events<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Case, Vec<Event>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut events = walk(&self.events).peekable();
        for kv in walk(&self.cases) {
            let (k, v) = kv.map_err(StoreError::from)?;
            let case: Case = decode(&v).map_err(StoreError::from)?;
            let mut evs = Vec::new();
            while let Some(Ok((ek, _))) = events.peek() {
                if ek.get(..6) < Some(&k[..]) {
                    events.next();
                    continue;
                }
                if ek.get(..6) != Some(&case_key(case.no)[..]) {
                    break;
                }
                if let Some(Ok((_, ev))) = events.next() {
                    evs.push(decode(&ev).map_err(StoreError::from)?);
                }
            }
            f(case, evs)?;
        }
        Ok(())
    }

    /// Count the tallies again from every case, in place of those kept.
    pub(super) fn rebuild_tallies(&self) -> Result<()> {
        let mut sums: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
        self.each_case_with_events(|case, evs| {
            for t in tally::tallies(&case, &evs) {
                let s = sums.entry(key_bytes(t.day, &t.key)).or_default();
                *s = s.saturating_add(t.n);
            }
            Ok::<(), StoreError>(())
        })?;
        let mut batch = sled::Batch::default();
        for prefix in [DAY, DUE, OPENED] {
            for kv in self.meta.scan_prefix(prefix) {
                batch.remove(kv?.0);
            }
        }
        for (k, n) in sums {
            batch.insert(k, &n.to_be_bytes());
        }
        batch.insert(BUILT_KEY, encode(&Counter(VERSION)));
        self.meta.apply_batch(batch)?;
        Ok(())
    }

    /// On open: the tallies counted if this database has none yet.
    pub(super) fn ensure_tallies(&self) -> Result<()> {
        let built = match self.meta.get(BUILT_KEY)? {
            Some(b) => decode::<Counter>(&b).map_or(0, |c| c.0),
            None => 0,
        };
        if built != VERSION { self.rebuild_tallies() } else { Ok(()) }
    }

    /// The figures for a period, from the kept tallies.
    pub fn stats(&self, period: Period) -> Result<Stats> {
        let mut sums: BTreeMap<TallyKey, u64> = BTreeMap::new();
        let mut start = DAY.to_vec();
        start.extend_from_slice(&day_bytes(period.from));
        let mut end = DAY.to_vec();
        end.extend_from_slice(&day_bytes(period.to + chrono::Duration::days(1)));
        for kv in self.meta.range(start..end) {
            let (k, v) = kv?;
            if let Some(key) = k.get(DAY.len() + 4..).and_then(key_from) {
                let s = sums.entry(key).or_default();
                *s = s.saturating_add(value(&v));
            }
        }
        let overdue = self.overdue_on(period.to)?;
        let queue = self.queue_between(period.from, period.to)?;
        let pairing = crate::domain::pairing::count_with(period, &self.directory_log()?, &tally::pair_cases(&sums));
        let mut stats = tally::stats_from(period, &sums, overdue, &queue, pairing);
        stats.township = self.directory()?.township;
        // Per opening of the box: read from the openings, a handful a year.
        stats.openings = self.box_tallies(Some(period))?;
        Ok(stats)
    }

    /// Cases open on `day` and past their deadline: one tally per deadline
    /// day, not one index entry per case (the tab bar's count at start).
    pub(super) fn overdue_on(&self, day: NaiveDate) -> Result<u64> {
        let mut cut = DUE.to_vec();
        cut.extend_from_slice(&day_bytes(day));
        let mut overdue = 0u64;
        for kv in self.meta.range(DUE.to_vec()..cut) {
            overdue = overdue.saturating_add(value(&kv?.1));
        }
        Ok(overdue)
    }

    /// The figures for a period counted from every case, as `check` and
    /// the tests count them: what the kept ones must always equal.
    pub fn stats_recounted(&self, period: Period) -> Result<Stats> {
        let cases = self.cases_with_events()?;
        let queue = self.queue_between(period.from, period.to)?;
        let mut stats = Stats::count(period, &cases, &queue);
        stats.township = self.directory()?.township;
        stats.pairing = crate::domain::pairing::count(period, &self.directory_log()?, &cases);
        stats.openings = self.box_tallies(Some(period))?;
        Ok(stats)
    }

    /// The day of the first case, for "since the start".
    pub fn first_day(&self) -> Result<Option<NaiveDate>> {
        match self.meta.scan_prefix(OPENED).next() {
            Some(kv) => Ok(kv?.0.get(OPENED.len()..).and_then(day_from)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::china_at;
    use crate::{Command, Stamp};

    fn intake(channel: Channel, village: &str) -> Intake {
        Intake {
            channel,
            name: "张三".into(),
            phone: String::new(),
            people: 2,
            delegation: None,
            village: village.into(),
            group: String::new(),
            category: "道路交通".into(),
            summary: "路坏了".into(),
            details: String::new(),
            urgency: Urgency::Normal,
            assignee: None,
        }
    }

    /// A database from before the figures were kept (no tallies, no
    /// marker) gets them counted once on open, equal to the recount.
    #[test]
    fn an_older_database_gets_its_figures_counted_on_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        for (i, (c, v)) in [(Channel::Reception, "沧江村"), (Channel::Phone, "麻栗村"), (Channel::OpinionBox, "")]
            .into_iter()
            .enumerate()
        {
            let at = china_at(day + chrono::Duration::days(i as i64), 9, 0);
            let stamp = Stamp { at, operator: "试".into() };
            store.execute(&stamp, Command::Register { intake: intake(c, v), queue: None }).expect("register");
        }
        let year =
            Period { from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"), to: day + chrono::Duration::days(60) };
        let recount = store.stats_recounted(year).expect("recount");
        assert_eq!(recount.total().registered, 3);
        // As an older version left it.
        for prefix in [DAY, DUE, OPENED] {
            for kv in store.meta.scan_prefix(prefix) {
                store.meta.remove(kv.expect("key").0).expect("remove");
            }
        }
        store.meta.remove(BUILT_KEY).expect("remove");
        assert_eq!(store.stats(year).expect("stats").total().registered, 0);
        let store = store.reopen().expect("reopen");
        assert!(store.meta.get(BUILT_KEY).expect("get").is_some());
        assert_eq!(store.stats(year).expect("stats"), recount);
        assert_eq!(store.first_day().expect("first"), Some(day));
    }
}
