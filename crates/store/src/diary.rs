//! The diary's entries and the opinion box's openings. They live in `meta`
//! under their own key prefixes: `meta` is in every case transaction, so a
//! case registered from an entry or a slip and the record naming it are
//! written together or not at all, and `recover` keeps them as it keeps
//! every `meta` record.

use sled::Transactional;

use super::codec::Record;
use super::*;
use crate::domain::diary::{DiaryEntry, Triage, Triaged};
use crate::domain::opinion_box::{BoxOpening, OpeningTally};
use crate::domain::stats::Period;

// Kinds 30 and 31: well apart from the ones in codec.rs, so another
// record added meanwhile cannot take the same number.
impl Record for DiaryEntry {
    const KIND: u8 = 30;
    const VERSION: u16 = 1;
}
impl Record for BoxOpening {
    const KIND: u8 = 31;
    const VERSION: u16 = 1;
}

pub(super) const DIARY_NEXT: &[u8] = b"diary_next";
pub(super) const BOX_NEXT: &[u8] = b"box_next";
pub(super) const DIARY_PREFIX: &[u8] = b"diary\x1f";
pub(super) const BOX_PREFIX: &[u8] = b"box\x1f";

pub(super) fn entry_key(id: u64) -> Vec<u8> {
    [DIARY_PREFIX, &id.to_be_bytes()].concat()
}

pub(super) fn box_key(no: u32) -> Vec<u8> {
    [BOX_PREFIX, &no.to_be_bytes()].concat()
}

/// What a newly registered case is recorded in, inside its transaction.
pub(super) enum Link {
    Diary(u64),
    Box(u32),
}

impl Link {
    pub(super) fn write(&self, meta: Tx, no: CaseNo) -> std::result::Result<(), Abort> {
        match self {
            Link::Diary(id) => set_triaged(meta, *id, Triaged::Case(no)),
            Link::Box(n) => {
                let key = box_key(*n);
                let Some(mut o) = read::<BoxOpening>(meta, &key)? else {
                    return abort(RuleError(Msg::ErrNoOpening));
                };
                o.slips.push(no);
                meta.insert(key, encode(&o))?;
                Ok(())
            }
        }
    }
}

/// Record what became of an entry; an entry is triaged once.
pub(super) fn set_triaged(meta: Tx, id: u64, t: Triaged) -> std::result::Result<(), Abort> {
    let key = entry_key(id);
    let Some(mut e) = read::<DiaryEntry>(meta, &key)? else {
        return abort(RuleError(Msg::ErrNoDiaryEntry));
    };
    if e.triaged.is_some() {
        return abort(RuleError(Msg::ErrDiaryTriaged));
    }
    e.triaged = Some(t);
    meta.insert(key, encode(&e))?;
    Ok(())
}

impl Store {
    /// The diary's and the box's commands (see `apply`).
    pub(super) fn apply_channel(&self, stamp: &Stamp, cmd: &Command, id: Option<CommandId>) -> Result<Done> {
        match cmd {
            Command::DiaryWrite { cadre, day, lines } => {
                if cadre.is_empty() {
                    return Err(RuleError(Msg::ErrDiaryCadre).into());
                }
                if lines.is_empty() || lines.iter().any(|l| l.request.is_empty()) {
                    return Err(RuleError(Msg::ErrSummaryRequired).into());
                }
                let res = (&self.meta, &self.applied).transaction(|(meta, applied)| {
                    let next = read::<Counter>(meta, DIARY_NEXT)?.map_or(1, |c| c.0);
                    for (i, line) in lines.iter().enumerate() {
                        let id = next + i as u64;
                        let entry = DiaryEntry {
                            id,
                            cadre: cadre.clone(),
                            day: *day,
                            line: line.clone(),
                            written_at: stamp.at,
                            triaged: None,
                        };
                        meta.insert(entry_key(id), encode(&entry))?;
                    }
                    meta.insert(DIARY_NEXT, encode(&Counter(next + lines.len() as u64)))?;
                    mark(applied, id, &Done::Stored)?;
                    Ok(())
                });
                unwrap_tx(res)?;
                Ok(Done::Stored)
            }
            Command::DiaryTriage { entry, triage } => match triage {
                // The case as the officer completed it on the form, and the
                // entry's mark, in the registration's one transaction: an
                // entry triaged meanwhile elsewhere aborts it (nothing written).
                Triage::NewCase(intake) => self.register(stamp, intake, None, None, id, Some(&Link::Diary(*entry))),
                // The contact and the entry's mark in one transaction (`record`).
                Triage::Attach { .. } => self.record(stamp, cmd, id),
                Triage::Settle(note) => {
                    if note.is_empty() {
                        return Err(RuleError(Msg::ErrTextRequired).into());
                    }
                    let res = (&self.meta, &self.applied).transaction(|(meta, applied)| {
                        set_triaged(meta, *entry, Triaged::Settled(note.clone()))?;
                        mark(applied, id, &Done::Stored)?;
                        Ok(())
                    });
                    unwrap_tx(res)?;
                    Ok(Done::Stored)
                }
            },
            Command::BoxOpen { date, opened_by, witnesses } => {
                if opened_by.is_empty() {
                    return Err(RuleError(Msg::ErrBoxOpener).into());
                }
                let res = (&self.meta, &self.applied).transaction(|(meta, applied)| {
                    let next = read::<Counter>(meta, BOX_NEXT)?.map_or(1, |c| c.0);
                    let no = u32::try_from(next).unwrap_or(u32::MAX);
                    let o = BoxOpening {
                        no,
                        date: *date,
                        opened_by: opened_by.clone(),
                        witnesses: witnesses.clone(),
                        slips: Vec::new(),
                    };
                    meta.insert(box_key(no), encode(&o))?;
                    meta.insert(BOX_NEXT, encode(&Counter(next + 1)))?;
                    mark(applied, id, &Done::Stored)?;
                    Ok(())
                });
                unwrap_tx(res)?;
                Ok(Done::Stored)
            }
            Command::BoxSlip { opening, category, text } => {
                let intake = Intake {
                    channel: Channel::OpinionBox,
                    name: String::new(),
                    phone: String::new(),
                    people: 1,
                    delegation: None,
                    village: String::new(),
                    group: String::new(),
                    category: category.clone(),
                    summary: text.clone(),
                    details: String::new(),
                    urgency: Urgency::Normal,
                    assignee: None,
                };
                self.register(stamp, &intake, None, None, id, Some(&Link::Box(*opening)))
            }
            other => self.record(stamp, other, id),
        }
    }

    pub fn diary_entry(&self, id: u64) -> Result<Option<DiaryEntry>> {
        match self.meta.get(entry_key(id))? {
            Some(b) => Ok(Some(decode(&b)?)),
            None => Ok(None),
        }
    }

    /// Every diary entry, in the order written.
    pub fn diary(&self) -> Result<Vec<DiaryEntry>> {
        self.meta.scan_prefix(DIARY_PREFIX).map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    /// Every opening of the box, the first first.
    pub fn box_openings(&self) -> Result<Vec<BoxOpening>> {
        self.meta.scan_prefix(BOX_PREFIX).map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    /// The openings (those dated in `period`, or all) with their slips
    /// counted: entered, and rectified as the cases stand now.
    pub fn box_tallies(&self, period: Option<Period>) -> Result<Vec<OpeningTally>> {
        let mut out = Vec::new();
        for o in self.box_openings()? {
            if period.is_some_and(|p| !p.contains(o.date)) {
                continue;
            }
            let mut cases = HashMap::new();
            for no in &o.slips {
                if let Some(c) = self.case(*no)? {
                    cases.insert(*no, c);
                }
            }
            out.push(o.tally(|no| cases.get(&no)));
        }
        Ok(out)
    }
}
