//! `jiedai check`: decode every record, rebuild every case from its events,
//! and compare every index with what the cases say it should hold. It works
//! on a copy, so checking can never change the database it examines.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use super::layout::*;
use super::{Counter, Draft, Result, Store, StoreError, decode, index_entries};
use crate::domain::*;
use crate::i18n::{Lang, Msg};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: Msg,
    pub detail: String,
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        format!("{}: {}", self.kind.text(lang), self.detail)
    }
}

fn problem(kind: Msg, detail: impl Into<String>) -> Problem {
    Problem { kind, detail: detail.into() }
}

/// Copy the database files to a fresh directory (never touching the
/// original, whether or not a desk holds it), open the copy and verify it.
pub fn check_dir(dir: &Path) -> Result<(Vec<Problem>, usize)> {
    if !dir.join("db").exists() {
        return Err(StoreError::Damaged(Msg::DamageMissingFile, dir.join("db").display().to_string()));
    }
    let copy = tempdir_for_check()?;
    copy_tree(dir, &copy)?;
    let _ = fs::remove_file(copy.join("jiedai.lock"));
    let result = Store::open(&copy).and_then(|s| {
        let r = s.verify();
        drop(s);
        r
    });
    let _ = fs::remove_dir_all(&copy);
    result
}

fn tempdir_for_check() -> Result<PathBuf> {
    let base = std::env::temp_dir().join(format!(
        "jiedai-check-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    fs::create_dir_all(&base)?;
    Ok(base)
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&target)?;
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

impl Store {
    /// Every problem found, and how many cases were verified.
    pub fn verify(&self) -> Result<(Vec<Problem>, usize)> {
        let mut problems = Vec::new();
        let mut events_by_case: HashMap<CaseNo, Vec<(u32, Event)>> = HashMap::new();
        for kv in self.events.iter() {
            let (k, v) = kv?;
            let (Some(no), Some(seq)) =
                (case_from_key(&k), k.get(6..10).and_then(|s| s.try_into().ok()).map(u32::from_be_bytes))
            else {
                problems.push(problem(Msg::CheckBadKey, format!("events {k:?}")));
                continue;
            };
            match decode::<Event>(&v) {
                Ok(e) => events_by_case.entry(no).or_default().push((seq, e)),
                Err(e) => problems.push(problem(Msg::CheckUndecodable, format!("{no} #{seq}: {e}"))),
            }
        }
        let mut expected: [BTreeSet<Vec<u8>>; 3] = Default::default();
        let mut stored_cases: HashMap<CaseNo, Case> = HashMap::new();
        let mut max_seq: HashMap<u16, u32> = HashMap::new();
        let mut count = 0;
        for kv in self.cases.iter() {
            let (k, v) = kv?;
            let Some(no) = case_from_key(&k) else {
                problems.push(problem(Msg::CheckBadKey, format!("cases {k:?}")));
                continue;
            };
            count += 1;
            let stored: Case = match decode(&v) {
                Ok(c) => c,
                Err(e) => {
                    problems.push(problem(Msg::CheckUndecodable, format!("{no}: {e}")));
                    continue;
                }
            };
            let m = max_seq.entry(no.year).or_default();
            *m = (*m).max(no.seq);
            let mut evs = events_by_case.remove(&no).unwrap_or_default();
            evs.sort_by_key(|(s, _)| *s);
            if evs.iter().enumerate().any(|(i, (s, _))| *s as usize != i) {
                problems.push(problem(Msg::CheckEventGap, no.to_string()));
            }
            let evs: Vec<Event> = evs.into_iter().map(|(_, e)| e).collect();
            match Case::replay(no, &evs) {
                Some(rebuilt) if rebuilt == stored => {}
                _ => problems.push(problem(Msg::CheckReplayMismatch, no.to_string())),
            }
            for (i, key) in index_entries(&stored) {
                if let Some(k) = key {
                    expected[i].insert(k.to_vec());
                }
            }
            stored_cases.insert(no, stored);
        }
        let counted = self.meta.get(OPEN_COUNT_KEY)?.map(|b| decode::<Counter>(&b).map(|c| c.0));
        let indexed = self.open_idx.len() as u64;
        if !matches!(counted, Some(Ok(n)) if n == indexed) {
            problems.push(problem(Msg::CheckCounter, format!("open_count {counted:?} != {indexed}")));
        }
        for no in events_by_case.keys() {
            problems.push(problem(Msg::CheckOrphanEvents, no.to_string()));
        }
        for (i, (tree, name)) in
            [(&self.open_idx, OPEN), (&self.follow_idx, FOLLOW_DUE), (&self.inspect_idx, INSPECT_DUE)]
                .iter()
                .enumerate()
        {
            let mut actual = BTreeSet::new();
            for kv in tree.iter() {
                let (k, v) = kv?;
                // The copy of the case an entry carries must be the case.
                let copy = decode::<Case>(&v).ok();
                let stored = case_from_dated_key(&k).and_then(|no| stored_cases.get(&no));
                if copy.as_ref() != stored {
                    problems.push(problem(Msg::CheckIndexStale, format!("{name} {}", show_dated(&k))));
                }
                actual.insert(k.to_vec());
            }
            for k in expected[i].difference(&actual) {
                problems.push(problem(Msg::CheckIndexMissing, format!("{name} {}", show_dated(k))));
            }
            for k in actual.difference(&expected[i]) {
                problems.push(problem(Msg::CheckIndexStale, format!("{name} {}", show_dated(k))));
            }
        }
        for (year, seq) in max_seq {
            let next = self.meta.get(year_counter_key(year))?.map(|b| decode::<Counter>(&b));
            match next {
                Some(Ok(c)) if c.0 > u64::from(seq) => {}
                _ => problems.push(problem(Msg::CheckCounter, format!("{year}: {seq}"))),
            }
        }
        self.verify_records(&mut problems)?;
        Ok((problems, count))
    }

    fn verify_records(&self, problems: &mut Vec<Problem>) -> Result<()> {
        fn each<T: super::Record>(tree: &sled::Tree, name: &str, problems: &mut Vec<Problem>) -> Result<()> {
            for kv in tree.iter() {
                let (k, v) = kv?;
                if let Err(e) = decode::<T>(&v) {
                    problems
                        .push(problem(Msg::CheckUndecodable, format!("{name} {}: {e}", String::from_utf8_lossy(&k))));
                }
            }
            Ok(())
        }
        each::<Resident>(&self.residents, RESIDENTS, problems)?;
        each::<Cadre>(&self.cadres, CADRES, problems)?;
        each::<Village>(&self.villages, VILLAGES, problems)?;
        each::<Draft>(&self.drafts, DRAFTS, problems)?;
        each::<QueueEntry>(&self.queue, QUEUE, problems)?;
        if let Some(b) = self.meta.get(ROSTER_KEY)?
            && let Err(e) = decode::<Roster>(&b)
        {
            problems.push(problem(Msg::CheckUndecodable, format!("{META} roster: {e}")));
        }
        for kv in self.resident_cases.iter() {
            let (k, _) = kv?;
            // The case key is the fixed-width tail: its bytes may include SEP.
            let no = k.len().checked_sub(6).and_then(|p| case_from_key(&k[p..]));
            match no {
                Some(no) if self.cases.contains_key(case_key(no))? => {}
                _ => problems
                    .push(problem(Msg::CheckIndexStale, format!("{RESIDENT_CASES} {}", String::from_utf8_lossy(&k)))),
            }
        }
        Ok(())
    }
}

fn show_dated(k: &[u8]) -> String {
    case_from_dated_key(k).map(|n| n.to_string()).unwrap_or_else(|| format!("{k:?}"))
}
