//! The diary's entries and the opinion box's openings beyond the desk
//! (issue 15): written into the json export, put back by restore with the
//! cases they name (all or nothing), verified by `check`, kept by
//! `recover`. A case does not name its entry or its opening: the links are
//! the entries' and the openings' own, checked against the cases named.

use std::cell::RefCell;
use std::collections::HashMap;
use std::marker::PhantomData;

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::diary::{BOX_NEXT, BOX_PREFIX, DIARY_NEXT, DIARY_PREFIX, box_key, entry_key};
use super::walk::walk_prefix;
use super::{Abort, Counter, Record, Result, Store, StoreError, Tx, decode, encode};
use crate::domain::diary::{DiaryEntry, Triaged};
use crate::domain::opinion_box::BoxOpening;
use crate::domain::text::{clean_line, clean_multiline};
use crate::domain::*;
use crate::i18n::{Lang, Msg};

/// The record a link problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Entry(u64),
    Opening(u32),
}

impl Subject {
    pub fn text(self, lang: Lang) -> String {
        match self {
            Subject::Entry(id) => format!("{} #{id}", Msg::LinkDiaryEntry.text(lang)),
            Subject::Opening(no) => format!("{} #{no}", Msg::LinkBoxOpening.text(lang)),
        }
    }
}

/// What a link needs to know of the case it names.
pub(super) struct Facts {
    channel: Channel,
    /// A further contact on channel 民情日记 (what an attachment writes).
    diary_contact: bool,
}

impl Facts {
    pub(super) fn of(case: &Case, events: &[Event]) -> Facts {
        let diary_contact = events.iter().any(|e| matches!(e.kind, EventKind::Contact { channel: Channel::Diary, .. }));
        Facts { channel: case.intake.channel, diary_contact }
    }
}

/// One thing wrong with an entry or an opening: where, why, and the case
/// it names, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkProblem {
    pub subject: Subject,
    pub why: Msg,
    pub case: Option<CaseNo>,
}

/// Entries and openings checked one at a time, in the order of their
/// numbers; what it keeps is a number per case made or slip listed.
#[derive(Default)]
pub(super) struct Links {
    made: HashMap<CaseNo, u64>,
    slips: HashMap<CaseNo, u32>,
    last_entry: u64,
    last_opening: u32,
    /// A number skipped is a record lost (in a database, where numbers are
    /// given out in order and never taken back), not in a file.
    gaps: bool,
    /// Numbers up to these came from a file (`import json`, `restore`):
    /// a ranged or edited export skips numbers, and that is no loss.
    entry_floor: u64,
    opening_floor: u64,
    pub problems: Vec<LinkProblem>,
}

/// Numbers skipped: at most this many named, one after another.
const GAP_SHOWN: u64 = 20;

impl Links {
    pub(super) fn new(gaps: bool) -> Links {
        Links { gaps, ..Links::default() }
    }

    fn push(&mut self, subject: Subject, why: Msg, case: Option<CaseNo>) {
        self.problems.push(LinkProblem { subject, why, case });
    }

    /// The numbers after `last` (or the file's numbers, `floor`) and
    /// before `at`, when gaps count.
    fn skipped(&mut self, last: u64, at: u64, floor: u64, subject: impl Fn(u64) -> Subject) {
        let last = last.max(floor);
        if self.gaps && at > last + 1 {
            for n in (last + 1..at).take(GAP_SHOWN as usize) {
                self.push(subject(n), Msg::LinkGap, None);
            }
        }
    }

    /// The entry kept at number `at`.
    pub(super) fn entry(
        &mut self,
        at: u64,
        e: &DiaryEntry,
        facts: impl Fn(CaseNo) -> Result<Option<Facts>>,
    ) -> Result<()> {
        let s = Subject::Entry(at);
        if e.id != at {
            self.push(s, Msg::LinkWrongNumber, None);
        }
        if at <= self.last_entry || at == 0 {
            self.push(s, Msg::LinkRepeated, None);
        } else {
            self.skipped(self.last_entry, at, self.entry_floor, Subject::Entry);
            self.last_entry = at;
        }
        if e.cadre.is_empty() {
            self.push(s, Msg::ErrDiaryCadre, None);
        }
        if e.line.request.is_empty() {
            self.push(s, Msg::ErrSummaryRequired, None);
        }
        match &e.triaged {
            Some(Triaged::Case(no)) => {
                match facts(*no)? {
                    None => self.push(s, Msg::LinkEntryCaseMissing, Some(*no)),
                    Some(f) if f.channel != Channel::Diary => self.push(s, Msg::LinkEntryNotDiaryCase, Some(*no)),
                    Some(_) => {}
                }
                if self.made.insert(*no, at).is_some() {
                    self.push(s, Msg::LinkEntryCaseTwice, Some(*no));
                }
            }
            Some(Triaged::Attached(no)) => match facts(*no)? {
                None => self.push(s, Msg::LinkEntryCaseMissing, Some(*no)),
                Some(f) if !f.diary_contact => self.push(s, Msg::LinkEntryNoContact, Some(*no)),
                Some(_) => {}
            },
            Some(Triaged::Settled(note)) if note.is_empty() => self.push(s, Msg::ErrTextRequired, None),
            Some(Triaged::Settled(_)) | None => {}
        }
        Ok(())
    }

    /// The opening kept at number `at`.
    pub(super) fn opening(
        &mut self,
        at: u32,
        o: &BoxOpening,
        facts: impl Fn(CaseNo) -> Result<Option<Facts>>,
    ) -> Result<()> {
        let s = Subject::Opening(at);
        if o.no != at {
            self.push(s, Msg::LinkWrongNumber, None);
        }
        if at <= self.last_opening || at == 0 {
            self.push(s, Msg::LinkRepeated, None);
        } else {
            self.skipped(u64::from(self.last_opening), u64::from(at), self.opening_floor, |n| {
                Subject::Opening(u32::try_from(n).unwrap_or(u32::MAX))
            });
            self.last_opening = at;
        }
        if o.opened_by.is_empty() {
            self.push(s, Msg::ErrBoxOpener, None);
        }
        for no in &o.slips {
            match facts(*no)? {
                None => self.push(s, Msg::LinkSlipMissing, Some(*no)),
                Some(f) if f.channel != Channel::OpinionBox => self.push(s, Msg::LinkNotSlip, Some(*no)),
                Some(_) => {}
            }
            if self.slips.insert(*no, at).is_some() {
                self.push(s, Msg::LinkSlipTwice, Some(*no));
            }
        }
        Ok(())
    }

    /// The counters (None: not stored): the next number given must be past
    /// every one used, and every one before it was given to a record.
    pub(super) fn counters(&mut self, diary_next: Option<u64>, box_next: Option<u64>) {
        let diary_next = diary_next.unwrap_or(0);
        if self.last_entry > 0 && diary_next <= self.last_entry {
            self.push(Subject::Entry(self.last_entry), Msg::LinkCounterBehind, None);
        }
        self.skipped(self.last_entry, diary_next, self.entry_floor, Subject::Entry);
        let last = u64::from(self.last_opening);
        let box_next = box_next.unwrap_or(0);
        if last > 0 && box_next <= last {
            self.push(Subject::Opening(self.last_opening), Msg::LinkCounterBehind, None);
        }
        self.skipped(last, box_next, self.opening_floor, |n| Subject::Opening(u32::try_from(n).unwrap_or(u32::MAX)));
    }
}

/// An entry's texts cleaned as `Command::sanitized` cleans what is typed.
pub(super) fn clean_entry(e: &DiaryEntry) -> DiaryEntry {
    let mut e = e.clone();
    e.cadre = clean_line(&e.cadre);
    for s in [&mut e.line.village, &mut e.line.group, &mut e.line.name, &mut e.line.request] {
        *s = clean_line(s);
    }
    if let Some(Triaged::Settled(note)) = &mut e.triaged {
        *note = clean_multiline(note);
    }
    e
}

pub(super) fn clean_opening(o: &BoxOpening) -> BoxOpening {
    let mut o = o.clone();
    o.opened_by = clean_line(&o.opened_by);
    o.witnesses = o.witnesses.iter().map(|w| clean_line(w)).filter(|w| !w.is_empty()).collect();
    o
}

/// Restore's half: the file's entries and openings checked against the
/// cases it brings (`facts`, by number).
pub(super) fn check_restored(
    entries: &[DiaryEntry],
    openings: &[BoxOpening],
    facts: &HashMap<CaseNo, Facts>,
) -> Vec<LinkProblem> {
    let mut links = Links::new(false);
    let look = |no: CaseNo| Ok(facts.get(&no).map(|f| Facts { channel: f.channel, diary_contact: f.diary_contact }));
    for e in entries {
        // Looking up in memory does not fail.
        let _ = links.entry(e.id, e, look);
    }
    for o in openings {
        let _ = links.opening(o.no, o, look);
    }
    links.problems
}

/// The highest entry and opening numbers a file brought in (see `Links`).
const DIARY_FILED: &[u8] = b"diary_filed";
const BOX_FILED: &[u8] = b"box_filed";

/// Restore's write, inside its transaction: the records at their own
/// numbers, the counters past the highest.
pub(super) fn write_restored(
    meta: Tx,
    entries: &[DiaryEntry],
    openings: &[BoxOpening],
) -> std::result::Result<(), Abort> {
    for e in entries {
        meta.insert(entry_key(e.id), encode(e))?;
    }
    for o in openings {
        meta.insert(box_key(o.no), encode(o))?;
    }
    if let Some(top) = entries.iter().map(|e| e.id).max() {
        meta.insert(DIARY_NEXT, encode(&Counter(top + 1)))?;
        meta.insert(DIARY_FILED, encode(&Counter(top)))?;
    }
    if let Some(top) = openings.iter().map(|o| o.no).max() {
        meta.insert(BOX_NEXT, encode(&Counter(u64::from(top) + 1)))?;
        meta.insert(BOX_FILED, encode(&Counter(u64::from(top))))?;
    }
    Ok(())
}

/// A database holding entries or openings is not empty to restore into.
pub(super) fn any_kept(meta: &sled::Tree) -> bool {
    meta.scan_prefix(DIARY_PREFIX).next().is_some() || meta.scan_prefix(BOX_PREFIX).next().is_some()
}

/// A `meta` record's number after its prefix, if the key is one of ours.
fn number(key: &[u8], prefix: &[u8]) -> Option<u64> {
    let rest = key.strip_prefix(prefix)?;
    match rest.len() {
        8 => rest.try_into().ok().map(u64::from_be_bytes),
        4 => rest.try_into().ok().map(u32::from_be_bytes).map(u64::from),
        _ => None,
    }
}

/// Every record under `prefix` that `keep` keeps, decoded one at a time
/// as the export is written.
pub(super) struct Prefixed<'a, T> {
    pub tree: &'a sled::Tree,
    pub prefix: &'static [u8],
    pub keep: &'a dyn Fn(&T) -> bool,
    pub failed: &'a RefCell<Option<StoreError>>,
    pub _t: PhantomData<T>,
}

impl<T: Record> Prefixed<'_, T> {
    /// Nothing kept: the field is left out, as an empty list is in `Export`.
    /// A record that does not decode is not nothing: writing it fails.
    pub fn is_empty(&self) -> bool {
        !walk_prefix(self.tree, self.prefix).any(|kv| match kv {
            Ok((_, v)) => decode::<T>(&v).map_or(true, |r| (self.keep)(&r)),
            Err(_) => true,
        })
    }
}

impl<T: Record> Serialize for Prefixed<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for kv in walk_prefix(self.tree, self.prefix) {
            match kv.map_err(StoreError::from).and_then(|(_, v)| Ok(decode::<T>(&v)?)) {
                Ok(r) if (self.keep)(&r) => seq.serialize_element(&r)?,
                Ok(_) => {}
                Err(e) => {
                    let text = e.to_string();
                    *self.failed.borrow_mut() = Some(e);
                    return Err(S::Error::custom(text));
                }
            }
        }
        seq.end()
    }
}

/// What `check` finds wrong with the entries and openings.
pub(super) enum Found {
    Undecodable(Subject, super::CodecError),
    BadKey(Vec<u8>),
    Link(LinkProblem),
}

impl Store {
    /// Every entry and opening decoded and its links checked against the
    /// cases, one record at a time.
    pub(super) fn verify_channels(&self) -> Result<Vec<Found>> {
        let mut found = Vec::new();
        let mut links = Links::new(true);
        let counter = |key: &[u8]| -> Result<Option<u64>> {
            Ok(self.meta.get(key)?.and_then(|b| decode::<Counter>(&b).ok()).map(|c| c.0))
        };
        links.entry_floor = counter(DIARY_FILED)?.unwrap_or(0);
        links.opening_floor = counter(BOX_FILED)?.unwrap_or(0);
        let facts = |no: CaseNo| -> Result<Option<Facts>> {
            match self.case(no)? {
                Some(c) => Ok(Some(Facts::of(&c, &self.events(no)?))),
                None => Ok(None),
            }
        };
        for kv in walk_prefix(&self.meta, DIARY_PREFIX) {
            let (k, v) = kv?;
            let Some(id) = number(&k, DIARY_PREFIX).filter(|_| k.len() == DIARY_PREFIX.len() + 8) else {
                found.push(Found::BadKey(k.to_vec()));
                continue;
            };
            match decode::<DiaryEntry>(&v) {
                Ok(e) => links.entry(id, &e, facts)?,
                Err(e) => {
                    // Counted as there: its number is not a gap.
                    links.last_entry = links.last_entry.max(id);
                    found.push(Found::Undecodable(Subject::Entry(id), e));
                }
            }
        }
        for kv in walk_prefix(&self.meta, BOX_PREFIX) {
            let (k, v) = kv?;
            let no = number(&k, BOX_PREFIX).filter(|_| k.len() == BOX_PREFIX.len() + 4);
            let Some(no) = no.and_then(|n| u32::try_from(n).ok()) else {
                found.push(Found::BadKey(k.to_vec()));
                continue;
            };
            match decode::<BoxOpening>(&v) {
                Ok(o) => links.opening(no, &o, facts)?,
                Err(e) => {
                    links.last_opening = links.last_opening.max(no);
                    found.push(Found::Undecodable(Subject::Opening(no), e));
                }
            }
        }
        links.counters(counter(DIARY_NEXT)?, counter(BOX_NEXT)?);
        found.extend(links.problems.into_iter().map(Found::Link));
        Ok(found)
    }

    /// For tests that damage a database: write (or, with None, remove) a
    /// raw `meta` record, as damage or an older program would leave it.
    #[doc(hidden)]
    pub fn raw_meta(&self, key: &[u8], value: Option<&[u8]>) -> Result<()> {
        match value {
            Some(v) => self.meta.insert(key, v)?,
            None => self.meta.remove(key)?,
        };
        self.flush_durable()
    }
}

/// The keys entries and openings are kept under (for tests that damage them).
#[doc(hidden)]
pub fn diary_key(id: u64) -> Vec<u8> {
    entry_key(id)
}

#[doc(hidden)]
pub fn opening_key(no: u32) -> Vec<u8> {
    box_key(no)
}

/// What `recover` kept of the entries and openings.
#[derive(Clone, Debug, Default)]
pub struct Kept {
    pub entries: usize,
    pub openings: usize,
    /// Links to cases not recovered: the record, and the case it names.
    pub dangling: Vec<(Subject, CaseNo)>,
}

impl Kept {
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        if self.entries == 0 && self.openings == 0 {
            return Vec::new();
        }
        let t = |m: Msg| m.text(lang);
        let mut out = vec![format!(
            "{}: {} {}, {} {}",
            t(Msg::RecoverChannelsKept),
            self.entries,
            t(Msg::LinkEntries),
            self.openings,
            t(Msg::LinkOpenings)
        )];
        if !self.dangling.is_empty() {
            out.push(format!("{} ({}):", t(Msg::RecoverLinksLost), self.dangling.len()));
            for (s, no) in self.dangling.iter().take(50) {
                out.push(format!("  {} → {no}", s.text(lang)));
            }
        }
        out
    }
}

/// Recover's half, over `meta`'s records as read: is this one of ours, and
/// if so is it sound (decodes).
pub(super) fn salvaged(k: &[u8], v: &[u8]) -> Option<bool> {
    if k.starts_with(DIARY_PREFIX) {
        Some(decode::<DiaryEntry>(v).is_ok())
    } else if k.starts_with(BOX_PREFIX) {
        Some(decode::<BoxOpening>(v).is_ok())
    } else if k == DIARY_NEXT || k == BOX_NEXT || k == DIARY_FILED || k == BOX_FILED {
        Some(decode::<Counter>(v).is_ok())
    } else {
        None
    }
}

/// What the kept `meta` records hold of entries and openings, and which of
/// their links name a case not among `recovered`.
pub(super) fn kept(meta: &[(Vec<u8>, Vec<u8>)], recovered: &dyn Fn(CaseNo) -> bool) -> Kept {
    let mut out = Kept::default();
    for (k, v) in meta {
        if k.starts_with(DIARY_PREFIX)
            && let Ok(e) = decode::<DiaryEntry>(v)
        {
            out.entries += 1;
            if let Some(Triaged::Case(no) | Triaged::Attached(no)) = e.triaged
                && !recovered(no)
            {
                out.dangling.push((Subject::Entry(e.id), no));
            }
        } else if k.starts_with(BOX_PREFIX)
            && let Ok(o) = decode::<BoxOpening>(v)
        {
            out.openings += 1;
            for no in o.slips.iter().filter(|n| !recovered(**n)) {
                out.dangling.push((Subject::Opening(o.no), *no));
            }
        }
    }
    out
}

/// After recover wrote the kept records: counters past every number kept,
/// should a counter have been lost.
pub(super) fn counters_past_kept(meta: &sled::Tree) -> Result<()> {
    for (prefix, key) in [(DIARY_PREFIX, DIARY_NEXT), (BOX_PREFIX, BOX_NEXT)] {
        let Some(top) = meta.scan_prefix(prefix).keys().filter_map(|k| k.ok()).filter_map(|k| number(&k, prefix)).max()
        else {
            continue;
        };
        let now = meta.get(key)?.and_then(|b| decode::<Counter>(&b).ok()).map_or(0, |c| c.0);
        if now <= top {
            meta.insert(key, encode(&Counter(top + 1)))?;
        }
    }
    Ok(())
}
