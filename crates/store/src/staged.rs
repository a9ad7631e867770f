//! Imports of any size, still all or nothing (issue 16). One transaction
//! for a whole file held every row in memory and took 48 s for 100k rows;
//! here the rows go in chunks, each in a few sled batches, and one small
//! transaction at the end makes them count.
//!
//! Why a half import never shows (what tests/import_staged.rs attacks):
//! 1. `import_begin` writes a mark into meta (`STAGING_KEY`): for each year
//!    the import numbers cases in, the first number it gives (the year's
//!    counter as it stands). The mark is made durable (fdatasync) before
//!    any row is written.
//! 2. Each chunk writes one sled batch per tree (a transaction across ten
//!    trees spent most of the import's time copying): its cases, events,
//!    index entries and residents. For every resident (or name entry, or cadre)
//!    it adds or replaces, the value it had before the chunk is kept in the
//!    undo tree, flushed before the batch that replaces it; a few hundred
//!    old values to a record (one record per value was a third of an
//!    import's writes), numbered in order, so that undoing them last to
//!    first leaves each its value from before the import. The year counters, the open count, the kept figures, the
//!    commit count and the file's record stay untouched.
//! 3. `finish` is one small transaction: counters, open count, figures,
//!    commits, the file's record, and the mark removed. sled recovers a
//!    transaction whole or not at all.
//! 4. A mark found on open (a crash, kill -9, a full disk or a power cut
//!    between 1 and 3) is undone before anything reads the database: cases
//!    and events numbered from the mark's first numbers, index and
//!    resident-case entries naming them, and the undo tree's old values put
//!    back; made durable; only then does the mark go. Every step can be
//!    done twice, so a crash while undoing is undone again at the next
//!    open. The import holds the database's lock, so every case at or past
//!    the mark's numbers is the import's own.
//! 5. The mark goes in one meta batch with a record kept for good
//!    (`UNDONE_KEY`): per year, the lowest number an undone import gave.
//!    Copies of its cases stay in sled's raw bytes (blob files, old log
//!    pages), and sled itself has given its events back to `recover`'s
//!    copy; so in such a year `recover` takes no raw copy at or past that
//!    number, and no record at all at or past the year's counter (read in
//!    the same copy; committed with every case a save numbers). Numbers
//!    later saves gave are below the counter, so they are still recovered
//!    or named as lost.
//!
//! The seal counts commits, which only step 3 raises, so the seal agrees
//! with what sled recovers at every point. Step 3 also lists the import
//! among the finished ones (store::finished), which the seal then records:
//! damage that takes sled's view back to before step 3 shows the mark
//! again, and the seal tells `recover` the import finished all the same.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sled::Transactional;

use super::import::{ImportRecord, PlannedCase};
use super::layout::*;
use super::{Command, Counter, Record, Result, Store, StoreError, abort, decode, encode, index_entries};
use super::{read, unwrap_tx};
use crate::domain::tally::TallyKey;
use crate::domain::*;
use crate::i18n::Msg;

/// The mark of an import under way, in meta.
pub(super) const STAGING_KEY: &[u8] = b"import_staging";
/// Old values of the records an import under way replaced: a tag (which
/// tree) and the key; the value `[0]` (there was none) or `[1]` + bytes.
const UNDO: &str = "import_undo";
const TAG_RESIDENT: u8 = 1;
const TAG_NAME: u8 = 2;
const TAG_CADRE: u8 = 3;
/// A group of old values (`UndoGroup`): the tag, then its number (u32,
/// big-endian, so that the tree keeps them in the order written). The
/// three tags above are single old values, as imports before kept them.
const TAG_GROUP: u8 = 4;
/// Old values to a group: its record stays a few KiB, far from the size
/// at which sled puts a value in a file of its own.
const UNDO_GROUP: usize = 256;

/// Rows per chunk: enough to spread a transaction's cost, few enough to
/// keep its write set (and the memory it holds) small.
const CHUNK: usize = 2_000;

/// The chunk size; `JIEDAI_IMPORT_CHUNK` sets it in debug builds, so that
/// tests cut an import of a few thousand rows into many chunks.
pub fn chunk_size() -> usize {
    #[cfg(debug_assertions)]
    if let Some(n) = std::env::var("JIEDAI_IMPORT_CHUNK").ok().and_then(|v| v.parse::<usize>().ok()).filter(|n| *n > 0)
    {
        return n;
    }
    CHUNK
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Staging {
    /// Per year, the first number the import gives.
    firsts: BTreeMap<u16, u64>,
}

impl Record for Staging {
    const KIND: u8 = 21;
    const VERSION: u16 = 1;
}

/// The first numbers of an import's mark (for `recover`); none if the mark
/// does not read, since then nothing can be told apart.
pub(super) fn firsts(mark: &[u8]) -> BTreeMap<u16, u64> {
    decode::<Staging>(mark).map(|s| s.firsts).unwrap_or_default()
}

/// What undone imports numbered, in meta, kept for good: the undoing
/// removes their cases from the trees, but copies stay in sled's raw bytes
/// (blob files, old log pages), where `recover` would take them for cases
/// sled lost. Written in the same meta batch that removes the mark, so a
/// crash leaves one or the other, never neither.
pub(super) const UNDONE_KEY: &[u8] = b"import_undone";

/// Per year, the lowest first number of any import undone: raw copies at or
/// past it may be an undone import's (numbers from it that later saves gave
/// are still found in the trees and counters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Undone {
    from: BTreeMap<u16, u64>,
}

impl Record for Undone {
    const KIND: u8 = 22;
    const VERSION: u16 = 1;
}

/// Old values a chunk replaced: (tag, key, the value before the chunk or
/// none). Only ever read back by the undoing of an unfinished import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct UndoGroup {
    old: Vec<(u8, Vec<u8>, Option<Vec<u8>>)>,
}

impl Record for UndoGroup {
    const KIND: u8 = 24;
    const VERSION: u16 = 1;
}

/// The undone numbers (for `recover`), from meta's records; a record that
/// does not read is named in `unread` and counts as none.
pub(super) fn undone(meta: &[(Vec<u8>, Vec<u8>)], unread: &mut Vec<String>) -> BTreeMap<u16, u64> {
    let Some((_, v)) = meta.iter().find(|(k, _)| k.as_slice() == UNDONE_KEY) else { return BTreeMap::new() };
    match decode::<Undone>(v) {
        Ok(u) => u.from,
        Err(_) => {
            unread.push(format!("{META} {}", String::from_utf8_lossy(UNDONE_KEY)));
            BTreeMap::new()
        }
    }
}

/// An import under way (see the module's comment): `write` its chunks,
/// then `finish` it, or `abandon` it.
pub struct StagedImport<'a> {
    store: &'a Store,
    undo: sled::Tree,
    firsts: BTreeMap<u16, u64>,
    /// Per year, one past the highest number written.
    next: BTreeMap<u16, u64>,
    tallies: BTreeMap<(NaiveDate, TallyKey), i128>,
    open: u64,
    commits: u64,
    /// Undo groups written so far (the next one's number).
    groups: u32,
}

/// The people records one chunk writes, by key (sorted, as a batch wants
/// them, and each key once, so its old value is read once).
#[derive(Default)]
struct People {
    residents: BTreeMap<Vec<u8>, Vec<u8>>,
    names: std::collections::BTreeSet<Vec<u8>>,
    cadres: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl People {
    fn resident(&mut self, r: &Resident) {
        let key = r.key();
        self.names.insert(joined(&r.name, key.as_bytes()));
        self.residents.insert(key.into_bytes(), encode(r));
    }
}

impl Store {
    /// Start an import that numbers cases in `years`: the mark written and
    /// made durable before anything else.
    pub fn import_begin(&self, years: &[u16]) -> Result<StagedImport<'_>> {
        self.undo_unfinished_import()?;
        self.room_to_write()?;
        let undo = self.db.open_tree(UNDO)?;
        undo.clear()?;
        let mut firsts = BTreeMap::new();
        for &year in years {
            let first = match self.meta.get(year_counter_key(year))? {
                Some(b) => decode::<Counter>(&b)?.0,
                None => 1,
            };
            firsts.insert(year, first);
        }
        self.meta.insert(STAGING_KEY, encode(&Staging { firsts: firsts.clone() }))?;
        self.flush_durable()?;
        Ok(StagedImport {
            store: self,
            undo,
            next: firsts.clone(),
            firsts,
            tallies: BTreeMap::new(),
            open: 0,
            commits: 0,
            groups: 0,
        })
    }

    /// An import that did not finish, undone (see the module's comment);
    /// true if there was one. Leftover old values of a finished one are
    /// dropped.
    pub(super) fn undo_unfinished_import(&self) -> Result<bool> {
        let undo = self.db.open_tree(UNDO)?;
        let Some(bytes) = self.meta.get(STAGING_KEY)? else {
            if !undo.is_empty() {
                undo.clear()?;
            }
            return Ok(false);
        };
        let staging: Staging = decode(&bytes)?;
        let staged = |no: Option<CaseNo>| {
            no.is_some_and(|no| staging.firsts.get(&no.year).is_some_and(|f| u64::from(no.seq) >= *f))
        };
        for (&year, &first) in &staging.firsts {
            let Ok(seq) = u32::try_from(first) else { continue };
            let (from, to) = (CaseNo { year, seq }, CaseNo { year, seq: u32::MAX });
            remove_keys(&self.cases, self.cases.range(case_key(from)..=case_key(to)))?;
            remove_keys(&self.events, self.events.range(event_key(from, 0)..=event_key(to, u32::MAX)))?;
        }
        for tree in [&self.open_idx, &self.follow_idx, &self.inspect_idx] {
            remove_keys(
                tree,
                tree.iter().filter(|kv| kv.as_ref().map_or(true, |(k, _)| staged(case_from_dated_key(k)))),
            )?;
        }
        let tail = |k: &[u8]| k.len().checked_sub(6).and_then(|p| case_from_key(&k[p..]));
        let rcases = self.resident_cases.iter();
        remove_keys(&self.resident_cases, rcases.filter(|kv| kv.as_ref().map_or(true, |(k, _)| staged(tail(k)))))?;
        // Single old values (imports before groups), then the groups last
        // to first: a key a later chunk replaced again gets the value an
        // earlier chunk kept, in the end the one from before the import.
        let mut groups = Vec::new();
        for kv in undo.iter() {
            let (k, v) = kv?;
            let Some((&tag, key)) = k.split_first() else { continue };
            match (tag, v.split_first()) {
                (TAG_GROUP, _) => groups.push(v),
                (tag, Some((1, old))) => self.put_back(tag, key, Some(old))?,
                (tag, _) => self.put_back(tag, key, None)?,
            }
        }
        for v in groups.iter().rev() {
            for (tag, key, old) in decode::<UndoGroup>(v)?.old {
                self.put_back(tag, &key, old.as_deref())?;
            }
        }
        // All of that on disk before the mark goes: else a crash could keep
        // the mark's removal and lose some of the undoing.
        self.db.flush()?;
        self.sync_file.sync_data()?;
        let mut from = match self.meta.get(UNDONE_KEY)? {
            Some(b) => decode::<Undone>(&b).map(|u| u.from).unwrap_or_default(),
            None => BTreeMap::new(),
        };
        for (&year, &first) in &staging.firsts {
            let f = from.entry(year).or_insert(first);
            *f = (*f).min(first);
        }
        let mut mark = sled::Batch::default();
        mark.remove(STAGING_KEY);
        mark.insert(UNDONE_KEY, encode(&Undone { from }));
        self.meta.apply_batch(mark)?;
        undo.clear()?;
        self.db.flush()?;
        self.sync_file.sync_data()?;
        Ok(true)
    }
}

impl Store {
    /// One old value put back into the tree its tag names (none: removed).
    fn put_back(&self, tag: u8, key: &[u8], old: Option<&[u8]>) -> Result<()> {
        let tree = match tag {
            TAG_RESIDENT => &self.residents,
            TAG_NAME => &self.resident_names,
            TAG_CADRE => &self.cadres,
            _ => return Ok(()),
        };
        match old {
            Some(v) => tree.insert(key, v)?,
            None => tree.remove(key)?,
        };
        Ok(())
    }
}

/// Remove every key `keys` yields, in batches (the keys are read first:
/// the tree is not changed under its own iterator).
fn remove_keys(tree: &sled::Tree, keys: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>) -> Result<()> {
    let mut found = Vec::new();
    for kv in keys {
        found.push(kv?.0);
    }
    for part in found.chunks(10_000) {
        let mut batch = sled::Batch::default();
        for k in part {
            batch.remove(k.clone());
        }
        tree.apply_batch(batch)?;
    }
    Ok(())
}

impl StagedImport<'_> {
    /// The number of the case ranked `rank` (0 first) among this import's
    /// cases of `year`, or None if `year` was not staged.
    pub fn number(&self, year: u16, rank: u64) -> Option<CaseNo> {
        let first = self.firsts.get(&year)?;
        u32::try_from(first + rank).ok().map(|seq| CaseNo { year, seq })
    }

    /// Write one chunk: cases (numbered by `number`) and people (from
    /// `plan_person`). Nothing counts until `finish`. One batch per tree,
    /// not a transaction across trees: the mark makes the whole import the
    /// unit that is undone, so a chunk need not be atomic, except that the
    /// old values a chunk keeps are durable before it replaces them.
    pub fn write(&mut self, cases: &[(CaseNo, PlannedCase)], people: &[Command]) -> Result<()> {
        let s = self.store;
        s.room_to_write()?;
        for (no, p) in cases {
            // Only numbers past the mark's are undone: nothing else is written.
            if p.year != no.year || self.firsts.get(&no.year).is_none_or(|f| u64::from(no.seq) < *f) {
                return Err(StoreError::NoSuchCase(*no));
            }
        }
        if people.iter().any(|c| !matches!(c, Command::PutCadre(_) | Command::PutResident(_))) {
            return Err(RuleError(Msg::ErrNameRequired).into());
        }
        let (mut case_b, mut event_b, mut rcase_b) =
            (sled::Batch::default(), sled::Batch::default(), sled::Batch::default());
        let mut idx_b = [sled::Batch::default(), sled::Batch::default(), sled::Batch::default()];
        // Replaced records by key, the last write winning as it would in order.
        let mut people_w = People::default();
        for (no, p) in cases {
            let mut case = p.case.clone();
            case.no = *no;
            for (i, e) in p.events.iter().enumerate() {
                event_b.insert(&event_key(*no, i as u32)[..], encode(e));
            }
            case_b.insert(&case_key(*no)[..], encode(&case));
            for (i, key) in index_entries(&case) {
                if let Some(k) = key {
                    idx_b[i].insert(&k[..], INDEX_VALUE);
                }
            }
            if let Some(r) = Resident::of(&case.intake) {
                rcase_b.insert(joined(&r.key(), &case_key(*no)), INDEX_VALUE);
                people_w.resident(&r);
            }
            super::tally::add(&mut self.tallies, &case, &p.events);
            self.open += u64::from(case.pending_key().is_some());
            self.commits += p.commands;
            let next = self.next.entry(no.year).or_insert(1);
            *next = (*next).max(u64::from(no.seq) + 1);
        }
        for cmd in people {
            match cmd {
                Command::PutCadre(c) => {
                    people_w.cadres.insert(c.name.as_bytes().to_vec(), encode(c));
                }
                Command::PutResident(r) => people_w.resident(r),
                _ => {}
            }
        }
        // The old values first, durable before anything replaces them.
        let mut old = Vec::new();
        for (tag, tree, keys) in [
            (TAG_RESIDENT, &s.residents, people_w.residents.keys().collect::<Vec<_>>()),
            (TAG_NAME, &s.resident_names, people_w.names.iter().collect()),
            (TAG_CADRE, &s.cadres, people_w.cadres.keys().collect()),
        ] {
            for key in keys {
                old.push((tag, key.clone(), tree.get(key)?.map(|v| v.to_vec())));
            }
        }
        if !old.is_empty() {
            let mut undo_b = sled::Batch::default();
            for group in old.chunks(UNDO_GROUP) {
                let mut key = vec![TAG_GROUP];
                key.extend_from_slice(&self.groups.to_be_bytes());
                undo_b.insert(key, encode(&UndoGroup { old: group.to_vec() }));
                self.groups += 1;
            }
            self.undo.apply_batch(undo_b)?;
            s.db.flush()?;
        }
        // Cases, events and index entries past the mark's numbers are undone
        // by number, so they need no old values and no order.
        s.cases.apply_batch(case_b)?;
        s.events.apply_batch(event_b)?;
        for (tree, b) in [&s.open_idx, &s.follow_idx, &s.inspect_idx].into_iter().zip(idx_b) {
            tree.apply_batch(b)?;
        }
        s.resident_cases.apply_batch(rcase_b)?;
        let mut b = sled::Batch::default();
        for (k, v) in people_w.residents {
            b.insert(k, v);
        }
        s.residents.apply_batch(b)?;
        let mut b = sled::Batch::default();
        for k in people_w.names {
            b.insert(k, INDEX_VALUE);
        }
        s.resident_names.apply_batch(b)?;
        let mut b = sled::Batch::default();
        for (k, v) in people_w.cadres {
            b.insert(k, v);
        }
        s.cadres.apply_batch(b)?;
        // sled frees a segment of its log only once it is flushed.
        s.db.flush()?;
        Ok(())
    }

    /// Make the import count, in one small transaction with the record of
    /// the file, then durable. Refused, and undone, if the file was
    /// imported meanwhile.
    pub fn finish(self, hash: &[u8; 32], record: &ImportRecord) -> Result<()> {
        let s = self.store;
        let imports = s.db.open_tree(IMPORTS)?;
        let res = (&s.meta, &imports).transaction(|(meta, imports)| {
            if imports.get(hash)?.is_some() {
                return abort(RuleError(Msg::ImportAlready));
            }
            for (year, n) in &self.next {
                if self.firsts.get(year) != Some(n) {
                    meta.insert(year_counter_key(*year), encode(&Counter(*n)))?;
                }
            }
            let open = read::<Counter>(meta, OPEN_COUNT_KEY)?.map_or(0, |c| c.0);
            meta.insert(OPEN_COUNT_KEY, encode(&Counter(open + self.open)))?;
            super::tally::apply(meta, &self.tallies)?;
            let commits = read::<Counter>(meta, COMMITS_KEY)?.map_or(0, |c| c.0);
            meta.insert(COMMITS_KEY, encode(&Counter(commits + self.commits)))?;
            // The numbers it gave, for the seal (store::finished).
            let ranges = self.firsts.iter().map(|(y, f)| (*y, (*f, self.next.get(y).copied().unwrap_or(*f)))).collect();
            let list = meta.get(super::finished::FINISHED_KEY)?;
            meta.insert(
                super::finished::FINISHED_KEY,
                super::finished::with(list.as_deref(), ranges, commits + self.commits),
            )?;
            imports.insert(&hash[..], encode(record))?;
            meta.remove(STAGING_KEY)?;
            Ok(())
        });
        if let Err(e) = unwrap_tx(res) {
            let _ = s.undo_unfinished_import();
            return Err(e);
        }
        s.flush_durable()?;
        // The old values are of no use now (and cleared on open if not here).
        self.undo.clear()?;
        Ok(())
    }

    /// Give up: what was written is undone (or, if that fails too, at the
    /// next open).
    pub fn abandon(self) -> Result<()> {
        self.store.undo_unfinished_import().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{intake, stamp_on};
    use crate::{Done, UNNUMBERED};

    fn planned(store: &Store, year: i32, name: &str, phone: &str) -> PlannedCase {
        let no = UNNUMBERED;
        let commands = vec![
            (stamp_on(year, 1), Command::Register { intake: intake(name, phone), queue: None }),
            (stamp_on(year, 2), Command::Accept { case: no }),
            (stamp_on(year, 4), Command::Conclude { case: no, outcome: Outcome::Implemented, reason: "修好".into() }),
        ];
        store.plan_case(commands).expect("plan")
    }

    /// Chunks written and then the import cut short: the open store shows
    /// them (so the undoing is what removes them), and the next open puts
    /// back exactly what was there, a replaced resident included; undoing
    /// twice changes nothing more.
    #[test]
    fn a_half_import_is_undone_when_the_database_opens_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let first = Command::Register { intake: intake("老李", "13800000000"), queue: None };
        assert!(matches!(store.execute(&stamp_on(2026, 1), first), Ok(Done::Registered(_))));
        let before = store.export().expect("export");
        let mut staged = store.import_begin(&[2025, 2026]).expect("begin");
        let mut part = Vec::new();
        for i in 0..6u64 {
            let year = if i % 2 == 0 { 2025 } else { 2026 };
            let phone = if i == 1 { "13800000000".to_string() } else { format!("1390000000{i}") };
            let no = staged.number(year as u16, i / 2).expect("number");
            part.push((no, planned(&store, year, &format!("群众{i}"), &phone)));
        }
        staged.write(&part[..3], &[]).expect("chunk");
        staged.write(&part[3..], &[]).expect("chunk");
        drop(staged);
        assert_eq!(store.all_cases().expect("cases").len(), 7, "the chunks are there");
        assert!(store.export().expect("export").residents.iter().any(|r| r.name == "群众1"));
        let store = store.reopen().expect("reopen");
        assert_eq!(store.export().expect("export"), before);
        assert_eq!(store.verify().expect("verify").0, vec![]);
        assert!(!store.undo_unfinished_import().expect("undo"), "nothing left to undo");
        // And an import that finishes counts once, numbered after the case there.
        let mut staged = store.import_begin(&[2026]).expect("begin");
        let no = staged.number(2026, 0).expect("number");
        assert_eq!(no.seq, 2);
        staged.write(&[(no, planned(&store, 2026, "甲", ""))], &[]).expect("chunk");
        let record = ImportRecord {
            kind: "cases".into(),
            file: "t.csv".into(),
            at: stamp_on(2026, 5).at,
            operator: "试".into(),
            cases: 1,
            people: 0,
        };
        staged.finish(&[1; 32], &record).expect("finish");
        let store = store.reopen().expect("reopen");
        assert_eq!(store.all_cases().expect("cases").len(), 2);
        assert_eq!(store.verify().expect("verify").0, vec![]);
    }

    /// A resident replaced by two chunks (one group of old values each) is
    /// put back as it was before the import, not as the first chunk left
    /// it; and old values kept one to a record, as imports before groups
    /// kept them, are still put back.
    #[test]
    fn a_resident_replaced_twice_gets_its_value_from_before_the_import() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let first = Command::Register { intake: intake("老李", "13800000000"), queue: None };
        assert!(matches!(store.execute(&stamp_on(2026, 1), first), Ok(Done::Registered(_))));
        let before = store.export().expect("export");
        let mut staged = store.import_begin(&[2026]).expect("begin");
        for (rank, name) in ["群众甲", "群众乙"].into_iter().enumerate() {
            let no = staged.number(2026, rank as u64).expect("number");
            staged.write(&[(no, planned(&store, 2026, name, "13800000000"))], &[]).expect("chunk");
        }
        assert_eq!(staged.undo.len(), 2, "one group per chunk");
        drop(staged);
        let names: Vec<String> = store.export().expect("export").residents.into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["群众乙"], "the chunks replaced him");
        let store = store.reopen().expect("reopen");
        assert_eq!(store.export().expect("export"), before);

        // As an import before groups left it: a replaced resident, a new one.
        store.meta.insert(STAGING_KEY, encode(&Staging { firsts: BTreeMap::from([(2026, 2)]) })).expect("mark");
        let undo = store.db.open_tree(UNDO).expect("undo");
        let old = store.residents.get("p:13800000000").expect("read").expect("there");
        store.residents.insert("p:13800000000", &b"replaced"[..]).expect("replace");
        undo.insert([&[TAG_RESIDENT][..], b"p:13800000000"].concat(), [&[1u8][..], &old].concat()).expect("undo");
        store.residents.insert("p:13900000009", &b"new"[..]).expect("add");
        undo.insert([&[TAG_RESIDENT][..], b"p:13900000009"].concat(), vec![0]).expect("undo");
        drop(undo);
        let store = store.reopen().expect("reopen");
        assert_eq!(store.export().expect("export"), before);
        assert_eq!(store.verify().expect("verify").0, vec![]);
    }

    /// The undoing removes an import's events for good, blob-sized ones
    /// included: none is there after the next open, nor after another.
    #[test]
    fn an_undone_import_leaves_no_event_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let first = Command::Register { intake: intake("老李", "13800000000"), queue: None };
        assert!(matches!(store.execute(&stamp_on(2026, 1), first), Ok(Done::Registered(_))));
        let events = store.events.len();
        let mut staged = store.import_begin(&[2026]).expect("begin");
        let part: Vec<_> = (0..6u64)
            .map(|i| {
                let mut p = planned(&store, 2026, &format!("群众{i}"), "");
                let long: String = (0..100_000u32)
                    .map(|j| char::from_u32(0x4e00 + (j * 7919 + i as u32) % 0x51a5).unwrap_or('路'))
                    .collect();
                p.case.intake.details = long;
                (staged.number(2026, i).expect("number"), p)
            })
            .collect();
        staged.write(&part[..3], &[]).expect("chunk");
        staged.write(&part[3..], &[]).expect("chunk");
        drop(staged);
        assert!(store.events.len() > events);
        let store = store.reopen().expect("reopen");
        assert_eq!(store.events.len(), events, "after the undoing");
        let store = store.reopen().expect("reopen");
        assert_eq!(store.events.len(), events, "after another open");
        store.close().expect("close");
        let store = Store::open(dir.path()).expect("open");
        assert_eq!(store.events.len(), events, "after a close and an open");
    }

    /// `recover` on a database a killed import left (its mark still there)
    /// keeps the cases that were there and none of the import's.
    #[test]
    fn recover_drops_the_cases_of_a_half_import() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("db");
        let store = Store::open(&db).expect("open");
        let first = Command::Register { intake: intake("老李", "13800000000"), queue: None };
        assert!(matches!(store.execute(&stamp_on(2026, 1), first), Ok(Done::Registered(_))));
        let mut staged = store.import_begin(&[2025, 2026]).expect("begin");
        let part: Vec<_> = (0..4u64)
            .map(|i| {
                let year = if i % 2 == 0 { 2025 } else { 2026 };
                let no = staged.number(year as u16, i / 2).expect("number");
                (no, planned(&store, year, &format!("群众{i}"), &format!("1390000000{i}")))
            })
            .collect();
        staged.write(&part, &[]).expect("chunk");
        drop(staged);
        assert_eq!(store.all_cases().expect("cases").len(), 5, "the chunk is there");
        drop(store);
        let out = dir.path().join("out");
        let report = crate::recover::recover(&db, Some(&out)).expect("recover");
        assert_eq!(report.recovered, 1, "{:?}", report.lost);
        assert_eq!(report.lost, vec![]);
        let store = Store::open(&out).expect("open recovered");
        let cases = store.all_cases().expect("cases");
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].intake.name, "老李");
    }
}
