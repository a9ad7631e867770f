//! `jiedai check`: decode every record, rebuild every case from its events,
//! and compare every index with what the cases say it should hold. It works
//! on a copy, so checking can never change the database it examines. Every
//! detail it prints is plain: case numbers, tree names, keys in hex.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::layout::*;
use super::walk::walk;
use super::{Counter, Draft, Result, Store, decode, index_entries};
use crate::domain::*;
use crate::i18n::{Lang, Msg};

/// One thing `check` found wrong, told as a sentence in the user's
/// language: what is wrong, where, and the figures or cause behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: Msg,
    pub place: Place,
    pub cause: Cause,
}

/// Where a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The database as a whole (a count kept beside what it counts).
    Whole,
    /// A record the database keeps once, by its name.
    Named(Msg),
    Case(CaseNo),
    Event(CaseNo, u32),
    /// A year's case-number counter.
    Year(u16),
    /// A record in a table, by its key made readable.
    Key(&'static str, String),
    /// An index entry, by its case.
    Index(&'static str, CaseNo),
    /// A diary entry or a box opening, by its number.
    Link(super::Subject),
    /// A day of the kept figures.
    Day(chrono::NaiveDate),
}

/// What was found there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    None,
    /// Why the record does not decode.
    Codec(Msg),
    /// A count that disagrees with what it counts (None: no count stored).
    Counts {
        counted: Option<u64>,
        actual: u64,
    },
    /// A year's next number, not past the highest used (None: not stored).
    Numbers {
        next: Option<u64>,
        highest: u32,
    },
    /// The case a diary entry or box opening names.
    Case(CaseNo),
}

/// The name a table goes by in a message.
fn table(name: &str) -> Msg {
    match name {
        CASES => Msg::TableCases,
        EVENTS => Msg::TableEvents,
        OPEN => Msg::TableOpen,
        FOLLOW_DUE => Msg::TableFollowDue,
        INSPECT_DUE => Msg::TableInspectDue,
        RESIDENTS => Msg::TableResidents,
        RESIDENT_CASES => Msg::TableResidentCases,
        CADRES => Msg::TableCadres,
        VILLAGES => Msg::TableVillages,
        DRAFTS => Msg::TableDrafts,
        QUEUE => Msg::TableQueue,
        IMPORTS => Msg::TableImports,
        super::DIRECTORY => Msg::TableDirectory,
        _ => Msg::TableMeta,
    }
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        let place = match &self.place {
            Place::Whole => String::new(),
            Place::Named(m) => m.text(lang).to_string(),
            Place::Case(no) => no.to_string(),
            Place::Event(no, seq) => format!("{no} {} #{}", Msg::CheckEvent.text(lang), seq + 1),
            Place::Year(y) => format!("{} {y}", Msg::CheckYear.text(lang)),
            Place::Key(t, key) => format!("{} {key}", table(t).text(lang)),
            Place::Index(t, no) => format!("{} {no}", table(t).text(lang)),
            Place::Link(s) => s.text(lang),
            Place::Day(d) => d.format("%Y-%m-%d").to_string(),
        };
        let cause = match &self.cause {
            Cause::None => String::new(),
            Cause::Codec(m) => format!(" ({})", m.text(lang)),
            Cause::Counts { counted: Some(n), actual } => {
                format!(" ({} {n}, {} {actual})", Msg::CheckCounted.text(lang), Msg::CheckActual.text(lang))
            }
            Cause::Counts { counted: None, actual } => {
                format!(" ({}, {} {actual})", Msg::CheckCountMissing.text(lang), Msg::CheckActual.text(lang))
            }
            Cause::Numbers { next: Some(n), highest } => {
                format!(" ({} {n}, {} {highest})", Msg::CheckNextNumber.text(lang), Msg::CheckHighestUsed.text(lang))
            }
            Cause::Numbers { next: None, highest } => {
                format!(" ({}, {} {highest})", Msg::CheckNextMissing.text(lang), Msg::CheckHighestUsed.text(lang))
            }
            Cause::Case(no) => format!(" ({} {no})", Msg::LinkCase.text(lang)),
        };
        if place.is_empty() {
            format!("{}{cause}", self.kind.text(lang))
        } else {
            format!("{}: {place}{cause}", self.kind.text(lang))
        }
    }
}

fn problem(kind: Msg, place: Place) -> Problem {
    Problem { kind, place, cause: Cause::None }
}

fn undecodable(place: Place, e: &super::CodecError) -> Problem {
    Problem { kind: Msg::CheckUndecodable, place, cause: Cause::Codec(e.msg()) }
}

/// A key as a person can read it: its text when it is text (cleaned), else
/// its bytes in hex; never long.
pub(super) fn readable_key(k: &[u8]) -> String {
    // A key with control bytes is shown in hex: cleaning it would hide
    // what is wrong with it.
    match std::str::from_utf8(k) {
        Ok(s) if !s.chars().any(|c| c.is_control() && c != SEP as char) => {
            crate::domain::text::quoted(&s.replace(SEP as char, " "), 40)
        }
        _ => k.iter().take(24).map(|b| format!("{b:02x}")).collect(),
    }
}

/// Verify the database at `dir` without writing a byte to it: its files
/// against the seal, then sled opened on a private copy, then every record.
/// A case's stored bytes, hashed: enough to tell a stale copy from the case.
fn bytes_hash(v: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

pub fn check_dir(dir: &Path) -> Result<(Vec<Problem>, usize)> {
    let store = Store::open_read(dir)?;
    store.verify()
}

impl Store {
    /// Every problem found, and how many cases were verified.
    pub fn verify(&self) -> Result<(Vec<Problem>, usize)> {
        // One pass over cases and events together, in key order: the memory
        // of one case and its timeline, whatever the database's size.
        let mut problems = Vec::new();
        let mut event_problems = Vec::new();
        let mut orphans: BTreeSet<CaseNo> = BTreeSet::new();
        let mut expected: [BTreeSet<[u8; 10]>; 3] = Default::default();
        // Each case's stored bytes, by number, for the copies its index
        // entries carry: a hash, not the case.
        let mut stored_cases: HashMap<CaseNo, u64> = HashMap::new();
        let mut max_seq: HashMap<u16, u32> = HashMap::new();
        let mut count = 0;
        let mut recount = super::tally::Recount::default();
        let mut events = walk(&self.events).peekable();
        // The events before `until` (all when None): each decoded, and
        // those of the case `owner` returned in order of their keys.
        let mut take_events = |until: Option<&[u8]>,
                               owner: Option<CaseNo>,
                               event_problems: &mut Vec<Problem>,
                               orphans: &mut BTreeSet<CaseNo>|
         -> Result<Vec<(u32, Event)>> {
            let mut evs = Vec::new();
            while let Some(kv) = events.peek() {
                let k = match kv {
                    Ok((k, _)) => k.clone(),
                    Err(_) => {
                        events.next().transpose()?;
                        continue;
                    }
                };
                let prefix = k.get(..6).unwrap_or(&k[..]);
                if until.is_some_and(|u| prefix > u) {
                    break;
                }
                let Some((k, v)) = events.next().transpose()? else { break };
                let (Some(no), Some(seq)) =
                    (case_from_key(&k), k.get(6..10).and_then(|s| s.try_into().ok()).map(u32::from_be_bytes))
                else {
                    event_problems.push(problem(Msg::CheckBadKey, Place::Key(EVENTS, readable_key(&k))));
                    continue;
                };
                match decode::<Event>(&v) {
                    Ok(e) if owner == Some(no) && until == Some(&k[..6]) => evs.push((seq, e)),
                    Ok(_) => {
                        orphans.insert(no);
                    }
                    Err(e) => event_problems.push(undecodable(Place::Event(no, seq), &e)),
                }
            }
            Ok(evs)
        };
        for kv in walk(&self.cases) {
            let (k, v) = kv?;
            let Some(no) = case_from_key(&k) else {
                problems.push(problem(Msg::CheckBadKey, Place::Key(CASES, readable_key(&k))));
                continue;
            };
            count += 1;
            let mut evs = take_events(Some(&case_key(no)[..]), Some(no), &mut event_problems, &mut orphans)?;
            let stored: Case = match decode(&v) {
                Ok(c) => c,
                Err(e) => {
                    problems.push(undecodable(Place::Case(no), &e));
                    continue;
                }
            };
            let m = max_seq.entry(no.year).or_default();
            *m = (*m).max(no.seq);
            evs.sort_by_key(|(s, _)| *s);
            if evs.iter().enumerate().any(|(i, (s, _))| *s as usize != i) {
                problems.push(problem(Msg::CheckEventGap, Place::Case(no)));
            }
            let evs: Vec<Event> = evs.into_iter().map(|(_, e)| e).collect();
            match Case::replay(no, &evs) {
                Some(rebuilt) if rebuilt == stored => {}
                _ => problems.push(problem(Msg::CheckReplayMismatch, Place::Case(no))),
            }
            recount.add(&stored, &evs);
            for (i, key) in index_entries(&stored) {
                if let Some(k) = key {
                    expected[i].insert(k);
                }
            }
            stored_cases.insert(no, bytes_hash(&v));
        }
        take_events(None, None, &mut event_problems, &mut orphans)?;
        event_problems.append(&mut problems);
        let mut problems = event_problems;
        let indexed = self.open_idx.len() as u64;
        match self.meta.get(OPEN_COUNT_KEY)?.map(|b| decode::<Counter>(&b)) {
            Some(Ok(n)) if n.0 == indexed => {}
            Some(Err(e)) => problems.push(undecodable(Place::Named(Msg::CheckOpenCountName), &e)),
            counted => problems.push(Problem {
                kind: Msg::CheckOpenCount,
                place: Place::Whole,
                cause: Cause::Counts { counted: counted.and_then(|c| c.ok()).map(|c| c.0), actual: indexed },
            }),
        }
        for no in &orphans {
            problems.push(problem(Msg::CheckOrphanEvents, Place::Case(*no)));
        }
        // The figures the Statistics tab and the report read, kept in each
        // save: the days where they are not what the cases say.
        for day in recount.differing_days(self)? {
            problems.push(problem(Msg::CheckTallies, Place::Day(day)));
        }
        for (i, (tree, name)) in
            [(&self.open_idx, OPEN), (&self.follow_idx, FOLLOW_DUE), (&self.inspect_idx, INSPECT_DUE)]
                .iter()
                .enumerate()
        {
            let mut actual = BTreeSet::new();
            for kv in walk(tree) {
                let (k, v) = kv?;
                // An entry is its key alone, naming a case that is there.
                let stored = case_from_dated_key(&k).and_then(|no| stored_cases.get(&no));
                if !v.is_empty() || stored.is_none() {
                    problems.push(problem(Msg::CheckIndexStale, show_dated(name, &k)));
                }
                match <[u8; 10]>::try_from(&k[..]) {
                    Ok(key) => {
                        actual.insert(key);
                    }
                    Err(_) => problems.push(problem(Msg::CheckIndexStale, show_dated(name, &k))),
                }
            }
            for k in expected[i].difference(&actual) {
                problems.push(problem(Msg::CheckIndexMissing, show_dated(name, k)));
            }
            for k in actual.difference(&expected[i]) {
                problems.push(problem(Msg::CheckIndexStale, show_dated(name, k)));
            }
        }
        for (year, seq) in max_seq {
            let next = self.meta.get(year_counter_key(year))?.map(|b| decode::<Counter>(&b));
            match next {
                Some(Ok(c)) if c.0 > u64::from(seq) => {}
                Some(Err(e)) => problems.push(undecodable(Place::Year(year), &e)),
                next => problems.push(Problem {
                    kind: Msg::CheckCounter,
                    place: Place::Year(year),
                    cause: Cause::Numbers { next: next.and_then(|n| n.ok()).map(|c| c.0), highest: seq },
                }),
            }
        }
        self.verify_records(&mut problems)?;
        // The diary's entries and the box's openings, and their links.
        for f in self.verify_channels()? {
            problems.push(match f {
                super::channel_io::Found::Undecodable(s, e) => undecodable(Place::Link(s), &e),
                super::channel_io::Found::BadKey(k) => problem(Msg::CheckBadKey, Place::Key(META, readable_key(&k))),
                super::channel_io::Found::Link(p) => Problem {
                    kind: p.why,
                    place: Place::Link(p.subject),
                    cause: p.case.map_or(Cause::None, Cause::Case),
                },
            });
        }
        Ok((problems, count))
    }

    fn verify_records(&self, problems: &mut Vec<Problem>) -> Result<()> {
        fn each<T: super::Record>(tree: &sled::Tree, name: &'static str, problems: &mut Vec<Problem>) -> Result<()> {
            for kv in walk(tree) {
                let (k, v) = kv?;
                if let Err(e) = decode::<T>(&v) {
                    problems.push(undecodable(Place::Key(name, readable_key(&k)), &e));
                }
            }
            Ok(())
        }
        each::<Resident>(&self.residents, RESIDENTS, problems)?;
        each::<Cadre>(&self.cadres, CADRES, problems)?;
        each::<Village>(&self.villages, VILLAGES, problems)?;
        each::<Draft>(&self.db.open_tree(DRAFTS)?, DRAFTS, problems)?;
        each::<QueueEntry>(&self.queue, QUEUE, problems)?;
        each::<super::ImportRecord>(&self.db.open_tree(IMPORTS)?, IMPORTS, problems)?;
        each::<DirEvent>(&self.db.open_tree(super::DIRECTORY)?, super::DIRECTORY, problems)?;
        if let Some(b) = self.meta.get(super::directory::DIRECTORY_KEY)?
            && let Err(e) = decode::<Directory>(&b)
        {
            problems.push(undecodable(Place::Named(Msg::TableDirectory), &e));
        }
        each::<super::Done>(&self.applied, APPLIED, problems)?;
        if let Some(b) = self.meta.get(ROSTER_KEY)?
            && let Err(e) = decode::<Roster>(&b)
        {
            problems.push(undecodable(Place::Named(Msg::TableRoster), &e));
        }
        for kv in walk(&self.resident_cases) {
            let (k, _) = kv?;
            // The case key is the fixed-width tail: its bytes may include SEP.
            let no = k.len().checked_sub(6).and_then(|p| case_from_key(&k[p..]));
            match no {
                Some(no) if self.cases.contains_key(case_key(no))? => {}
                _ => problems.push(problem(Msg::CheckIndexStale, Place::Key(RESIDENT_CASES, readable_key(&k)))),
            }
        }
        Ok(())
    }
}

fn show_dated(name: &'static str, k: &[u8]) -> Place {
    match case_from_dated_key(k) {
        Some(no) => Place::Index(name, no),
        None => Place::Key(name, readable_key(k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kept figures drift from the cases (one day's entry one too
    /// many, another day's gone): `check` names those two days, and a
    /// sound database none.
    #[test]
    fn kept_figures_that_differ_from_the_cases_are_named_by_day() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        crate::demo::load(&store, chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("day")).expect("demo");
        let tallies = |store: &Store| {
            store.verify().expect("verify").0.into_iter().filter(|p| p.kind == Msg::CheckTallies).collect::<Vec<_>>()
        };
        assert_eq!(tallies(&store), vec![], "the demo as saved");
        let kept: Vec<(sled::IVec, sled::IVec)> =
            store.meta.scan_prefix(b"tally\x1fd").map(|kv| kv.expect("tally")).collect();
        let day = |k: &[u8]| {
            let n = u32::from_be_bytes(k[7..11].try_into().expect("day"));
            chrono::NaiveDate::from_num_days_from_ce_opt(n as i32).expect("day")
        };
        let (first, last) = (kept.first().expect("a tally"), kept.last().expect("a tally"));
        assert_ne!(day(&first.0), day(&last.0), "two days");
        let n = u64::from_be_bytes(first.1[..8].try_into().expect("u64"));
        store.meta.insert(&first.0, &(n + 1).to_be_bytes()).expect("insert");
        store.meta.remove(&last.0).expect("remove");
        let found = tallies(&store);
        assert_eq!(
            found.iter().map(|p| p.place.clone()).collect::<Vec<_>>(),
            vec![Place::Day(day(&first.0)), Place::Day(day(&last.0))]
        );
        let zh = found[0].text(Lang::Zh);
        assert_eq!(zh, format!("统计页的保存数与案件重算不符: {}", day(&first.0).format("%Y-%m-%d")));
    }

    /// Damage of every kind `verify` finds, told in Chinese: sentences, no
    /// Rust Debug text, no control character from a key or a record.
    #[test]
    fn problems_read_as_sentences_in_the_users_language() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        crate::demo::load(&store, chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("day")).expect("demo");
        let evil_key = "n:\u{1b}]0;pwned\u{7}\u{1f}沧江村";
        store.residents.insert(evil_key.as_bytes(), b"\x1b[2J garbage".to_vec()).expect("insert");
        store.events.insert(b"\x1b[2Jx", b"junk".to_vec()).expect("insert");
        store.cases.insert(b"\x07\xea\x00\x00\x00\x63", b"J\x01\x01\x00junk".to_vec()).expect("insert");
        store.meta.insert(OPEN_COUNT_KEY, super::super::encode(&Counter(56))).expect("insert");
        store.meta.remove(year_counter_key(2026)).expect("remove");
        store
            .open_idx
            .insert(dated_key(chrono::NaiveDate::MIN, CaseNo { year: 2026, seq: 77 }), b"x".to_vec())
            .expect("insert");
        let (problems, _) = store.verify().expect("verify");
        assert!(problems.len() >= 6, "{problems:?}");
        let kinds: Vec<Msg> = problems.iter().map(|p| p.kind).collect();
        for kind in
            [Msg::CheckUndecodable, Msg::CheckBadKey, Msg::CheckOpenCount, Msg::CheckCounter, Msg::CheckIndexStale]
        {
            assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
        }
        for p in &problems {
            for lang in [Lang::Zh, Lang::En] {
                let text = p.text(lang);
                assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
                for debug in ["Some(", "None", "Ok(", "Err(", "b\"", "\\u{", "\\x", "[1", "[2, "] {
                    assert!(!text.contains(debug), "{text}");
                }
            }
            let zh = p.text(Lang::Zh);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
        }
        let count = problems.iter().find(|p| p.kind == Msg::CheckOpenCount).expect("open count");
        assert!(count.text(Lang::Zh).starts_with("待办计数与待办索引不符 (计数 56, 实有"), "{}", count.text(Lang::Zh));
    }
}
