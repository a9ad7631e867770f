//! The only module that knows sled and bincode. The desk sends `Command`s;
//! the store validates them against the domain rules, appends the events,
//! updates the case view and every index in one sled transaction, and
//! flushes to disk before it answers.

mod calls;
mod channel_io;
pub mod check;
mod codec;
mod copy;
pub mod demo;
mod diary;
mod directory;
mod drafts;
mod embedded;
mod error;
mod finished;
mod frames;
mod import;
mod layout;
mod lock;
mod migrate;
mod open;
mod query;
pub mod recover;
mod restore;
mod salvage;
mod scan;
mod seal;
mod settings;
mod slots;
mod staged;
mod stream;
mod tally;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests_blobs;
mod verify;
mod walk;

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use chrono::Datelike;
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

pub use channel_io::{Kept, LinkProblem, Subject, diary_key, opening_key};
pub use codec::{CodecError, Counter, Record, decode, encode};
pub use directory::{DIRECTORY, DirRefused};
pub use embedded::{Clock, Embedded, Identity, disk_has_room};
pub use error::StoreError;
pub use import::{ImportRecord, PlannedCase, Refused, UNNUMBERED};
pub use jiedai_protocol::{Command, CommandId, Done, Draft, IdSource, QueueRef, Stamp};
pub use layout::SCHEMA_VERSION;
pub use lock::{Holder, current_user};
pub use open::{default_dir, make_default_parents};
pub use query::{Export, ExportedCase};
pub use restore::{EXPORT_FORMAT, RestoreError, RestoreProblem};
pub use staged::{StagedImport, chunk_size as import_chunk_size};
pub use stream::ExportError;

// The domain and the catalog under their old paths, so `crate::domain::…`
// and `crate::i18n::…` read as before the split.
use jiedai_domain as domain;
use jiedai_domain::i18n;

use crate::domain::time::{add_days, china_date};
use crate::domain::*;
use crate::i18n::Msg;
use layout::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    db: sled::Db,
    dir: PathBuf,
    meta: sled::Tree,
    cases: sled::Tree,
    events: sled::Tree,
    open_idx: sled::Tree,
    follow_idx: sled::Tree,
    inspect_idx: sled::Tree,
    residents: sled::Tree,
    resident_names: sled::Tree,
    resident_cases: sled::Tree,
    cadres: sled::Tree,
    villages: sled::Tree,
    /// The forms being typed, in their own file (see store::drafts).
    drafts: std::sync::Arc<std::sync::Mutex<drafts::Drafts>>,
    /// A save failed on an I/O error (a full disk): sled keeps failing
    /// after one, so the desk reopens it (`reopen`) before the next save.
    broken: std::sync::atomic::AtomicBool,
    queue: sled::Tree,
    /// Command ids applied, with their results.
    applied: sled::Tree,
    rules: RwLock<DeadlineRules>,
    /// sled's files as the seal records them (see `flush_durable`).
    sealed_files: std::sync::Mutex<std::collections::BTreeMap<String, seal::Sum>>,
    /// The seal's file, kept open between saves (see `Seal::write_kept`).
    seal_kept: std::sync::Mutex<Option<slots::Kept>>,
    /// sled's count of blob files begun or removed (`sled::blob_file_changes`)
    /// when `blobs/` was last listed, so that a save without one lists
    /// nothing; `u64::MAX` before the first listing.
    blobs_listed: std::sync::atomic::AtomicU64,
    /// `<dir>/db`, kept open: sled's flush writes its log without a sync
    /// (vendor/sled), which survives a process crash but not a power cut;
    /// `sync_data` on it does.
    sync_file: File,
    /// The data file's chunk CRCs at the clean close before this open, and
    /// where the next open's rolling check starts (see store::verify).
    closed_chunks: std::sync::Mutex<(Option<Vec<u32>>, u64)>,
    /// The format this database was brought up from as it opened; 0 if none.
    migrated_from: std::sync::atomic::AtomicU64,
    _lock: open::Hold,
}

type Tx<'a> = &'a TransactionalTree;
type Abort = ConflictableTransactionError<StoreError>;

fn abort<T>(e: impl Into<StoreError>) -> std::result::Result<T, Abort> {
    Err(ConflictableTransactionError::Abort(e.into()))
}

fn read<T: Record>(tree: Tx, key: &[u8]) -> std::result::Result<Option<T>, Abort> {
    match tree.get(key)? {
        None => Ok(None),
        Some(bytes) => match decode(&bytes) {
            Ok(v) => Ok(Some(v)),
            Err(e) => abort(e),
        },
    }
}

/// The index entries a case should have: they are recomputed from the case
/// after every change, so an index can never disagree with its case.
fn index_entries(case: &Case) -> [(usize, Option<[u8; 10]>); 3] {
    let key = |d: Option<chrono::NaiveDate>| d.map(|d| dated_key(d, case.no));
    [(0, key(case.pending_key())), (1, key(case.follow_up_key())), (2, key(case.inspection_key()))]
}

/// Mark a queue entry served by this case, inside the saving transaction.
fn finish_queue(queue: Tx, r: QueueRef, stamp: &Stamp, no: CaseNo) -> std::result::Result<(), Abort> {
    let key = queue_key(r.day, r.number);
    let Some(mut entry) = read::<QueueEntry>(queue, &key)? else {
        return abort(RuleError(Msg::ErrNoQueueEntry));
    };
    entry.status = QueueStatus::Served;
    entry.finished_at = Some(stamp.at);
    entry.called_at.get_or_insert(stamp.at);
    entry.case = Some(no);
    queue.insert(&key, encode(&entry))?;
    Ok(())
}

/// Record that the command `id` was applied, with its result, inside the
/// command's own transaction.
fn mark(applied: Tx, id: Option<CommandId>, done: &Done) -> std::result::Result<(), Abort> {
    if let Some(id) = id {
        applied.insert(&id.0, encode(done))?;
    }
    Ok(())
}

/// Count one more commit, inside the command's transaction.
fn bump_commits(meta: Tx) -> std::result::Result<u64, Abort> {
    let n = read::<Counter>(meta, COMMITS_KEY)?.map_or(0, |c| c.0) + 1;
    meta.insert(COMMITS_KEY, encode(&Counter(n)))?;
    Ok(n)
}

fn write_case(
    meta: Tx,
    cases: Tx,
    events: Tx,
    idx: [Tx; 3],
    old: Option<&Case>,
    new: &Case,
) -> std::result::Result<(), Abort> {
    cases.insert(&case_key(new.no), encode(new))?;
    tally::update(meta, events, old, new)?;
    let before = old.map(index_entries);
    // The open count, kept with the index so the tab bar never counts it.
    let was_open = before.as_ref().is_some_and(|b| b[0].1.is_some());
    let is_open = index_entries(new)[0].1.is_some();
    if was_open != is_open {
        let n = read::<Counter>(meta, OPEN_COUNT_KEY)?.map_or(0, |c| c.0);
        let n = if is_open { n + 1 } else { n.saturating_sub(1) };
        meta.insert(OPEN_COUNT_KEY, encode(&Counter(n)))?;
    }
    for (i, key) in index_entries(new) {
        let old_key = before.as_ref().and_then(|b| b[i].1);
        if old_key != key
            && let Some(k) = old_key
        {
            idx[i].remove(&k)?;
        }
        if let Some(k) = key {
            idx[i].insert(&k, INDEX_VALUE)?;
        }
    }
    Ok(())
}

impl Store {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn rules(&self) -> DeadlineRules {
        self.rules.read().map(|r| *r).unwrap_or_default()
    }

    /// Make everything written so far durable: sled's flush, then fsync;
    /// then the seal (with the blob files, fsynced too).
    pub fn flush_durable(&self) -> Result<()> {
        self.db.flush()?;
        self.sync_file.sync_data()?;
        self.seal_saved()
    }

    /// Case commands committed so far.
    pub fn commits(&self) -> Result<u64> {
        Ok(match self.meta.get(COMMITS_KEY)? {
            Some(b) => decode::<Counter>(&b)?.0,
            None => 0,
        })
    }

    /// Validate and carry out one command, atomically and durably: when this
    /// returns Ok the records are on disk.
    pub fn execute(&self, stamp: &Stamp, cmd: Command) -> Result<Done> {
        let done = self.apply(stamp, cmd, None)?;
        self.flush_durable()?;
        Ok(done)
    }

    /// As `execute`, for a command that may be sent again: if `id` was
    /// applied before, its first result is made durable and returned, and
    /// nothing is applied twice.
    pub fn execute_once(&self, stamp: &Stamp, id: CommandId, cmd: Command) -> Result<Done> {
        let run = || -> Result<Done> {
            self.room_to_write()?;
            let done = match self.applied(id)? {
                Some(done) => done,
                None => self.apply(stamp, cmd, Some(id))?,
            };
            self.flush_durable()?;
            Ok(done)
        };
        let result = run();
        if let Err(e) = &result
            && e.is_io()
        {
            self.broken.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        result
    }

    /// Refused as a full disk before sled is asked to write: sled meets
    /// ENOSPC in its log writer by waiting for ever in every later flush
    /// (and in its drop), so it must not meet it. A segment (1 MiB, 512 KiB
    /// in an older database) and more must be free; the desk reopens when
    /// as much is (term.rs, `disk_has_room`).
    fn room_to_write(&self) -> Result<()> {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c) = std::ffi::CString::new(self.dir.as_os_str().as_bytes()) else { return Ok(()) };
        // SAFETY: statvfs fills the zeroed struct we own from a NUL-terminated path.
        let free = unsafe {
            let mut s: libc::statvfs = std::mem::zeroed();
            // A file system that tells no size at all (f_blocks 0: a FUSE
            // one without statfs, as LazyFS) says nothing about its room.
            (libc::statvfs(c.as_ptr(), &mut s) == 0 && s.f_blocks > 0)
                .then(|| (s.f_bavail as u128) * (s.f_frsize as u128))
        };
        match free {
            Some(n) if n < 2 << 20 => Err(StoreError::Io(std::io::Error::from_raw_os_error(libc::ENOSPC))),
            _ => Ok(()),
        }
    }

    /// A save failed on an I/O error: reopen before the next one.
    pub fn needs_reopen(&self) -> bool {
        self.broken.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The result of command `id`, if it was applied.
    pub fn applied(&self, id: CommandId) -> Result<Option<Done>> {
        match self.applied.get(id.0)? {
            Some(b) => Ok(Some(decode(&b)?)),
            None => Ok(None),
        }
    }

    /// Many commands (an import, a bulk load), each atomic, made durable
    /// together at the end. Stops at the first refusal, after flushing what
    /// went before; returns how many were done and the refusal, if any.
    pub fn execute_batch(&self, items: impl IntoIterator<Item = (Stamp, Command)>) -> (usize, Result<()>) {
        let mut n = 0;
        for (stamp, cmd) in items {
            if let Err(e) = self.apply(&stamp, cmd, None) {
                let _ = self.flush_durable();
                return (n, Err(e));
            }
            n += 1;
            // sled frees a segment of its log only once it is flushed: a long
            // batch never flushed keeps every version it wrote (10,000
            // cases: 78 MiB in place of 25).
            if n % 256 == 0
                && let Err(e) = self.db.flush()
            {
                return (n, Err(e.into()));
            }
        }
        (n, self.flush_durable())
    }

    /// Carry out a command without making it durable yet: for imports,
    /// which flush once at the end (`flush_durable`).
    pub fn execute_unflushed(&self, stamp: &Stamp, cmd: Command) -> Result<Done> {
        self.apply(stamp, cmd, None)
    }

    fn apply(&self, stamp: &Stamp, cmd: Command, id: Option<CommandId>) -> Result<Done> {
        let cmd = cmd.sanitized();
        let done = match &cmd {
            Command::Register { intake, queue } => self.register(stamp, intake, *queue, None, id, None)?,
            Command::RegisterLinked { intake, queue, earlier } => {
                self.register(stamp, intake, *queue, Some(*earlier), id, None)?
            }
            Command::QueueAdd { name, village } => self.queue_add(stamp, name, village, id)?,
            Command::QueueCall(r) => self.queue_set(stamp, *r, QueueStatus::Called, id)?,
            Command::QueueNoShow(r) => self.queue_set(stamp, *r, QueueStatus::NoShow, id)?,
            Command::QueueRecall(r) => self.queue_set(stamp, *r, QueueStatus::Waiting, id)?,
            // The directory's records go through its log (store/directory.rs).
            // A change repeated sets the same values again, so they carry no id.
            Command::PutCadre(c) => {
                let login = self.directory()?.cadre(&c.name).map(|e| e.cadre.login.clone()).unwrap_or_default();
                let cadre = DirCadre {
                    name: c.name.clone(),
                    post: c.post.clone(),
                    phone: c.phone.clone(),
                    login,
                    covers: c.covers.clone(),
                };
                self.change_directory(stamp, vec![DirChange::Cadre(cadre)], None)?;
                Done::Stored
            }
            Command::Directory(changes) => {
                self.change_directory(stamp, changes.clone(), None)?;
                Done::Stored
            }
            Command::PairVisit { cadre, household, note, problem } => {
                self.directory()?.check_visit(cadre, household)?;
                if *problem {
                    let intake = Intake {
                        channel: Channel::Visit,
                        name: household.name.clone(),
                        phone: String::new(),
                        people: 1,
                        delegation: None,
                        village: household.village.clone(),
                        group: household.group.clone(),
                        category: String::new(),
                        summary: note.clone(),
                        details: String::new(),
                        urgency: Urgency::Normal,
                        assignee: Some(cadre.clone()),
                    };
                    // Signed by the cadre who heard it, not the desk's operator.
                    let signed = Stamp { at: stamp.at, operator: cadre.clone() };
                    self.register(&signed, &intake, None, None, id, None)?
                } else {
                    let visit =
                        DirChange::Visit { cadre: cadre.clone(), household: household.clone(), note: note.clone() };
                    self.change_directory(stamp, vec![visit], None)?;
                    Done::Stored
                }
            }
            Command::PutResident(r) => {
                let key = r.key();
                self.store_all(
                    id,
                    &[
                        (&self.residents, key.as_bytes().to_vec(), encode(r)),
                        (&self.resident_names, joined(&r.name, key.as_bytes()), Vec::new()),
                    ],
                )?
            }
            Command::PutVillage(v) => {
                let change = DirChange::Village { name: v.name.clone(), groups: v.groups.clone() };
                self.change_directory(stamp, vec![change], None)?;
                Done::Stored
            }
            // The whole roster: days not in it are cleared.
            Command::SetRoster(r) => {
                let old = self.directory()?.roster;
                let cleared = old
                    .iter()
                    .filter(|d| !r.duties.iter().any(|n| n.date == d.date))
                    .map(|d| DirChange::Duty { date: d.date, cadre: String::new() });
                let set = r.duties.iter().map(|d| DirChange::Duty { date: d.date, cadre: d.cadre.clone() });
                self.change_directory(stamp, cleared.chain(set).collect(), None)?;
                Done::Stored
            }
            Command::SetRules(r) => {
                let done = self.store_all(id, &[(&self.meta, RULES_KEY.to_vec(), encode(r))])?;
                if let Ok(mut w) = self.rules.write() {
                    *w = *r;
                }
                done
            }
            Command::DiaryWrite { .. }
            | Command::DiaryTriage { .. }
            | Command::BoxOpen { .. }
            | Command::BoxSlip { .. } => self.apply_channel(stamp, &cmd, id)?,
            other => self.record(stamp, other, id)?,
        };
        Ok(done)
    }

    /// Plain records written, and the command id marked, in one transaction.
    fn store_all(&self, id: Option<CommandId>, writes: &[(&sled::Tree, Vec<u8>, Vec<u8>)]) -> Result<Done> {
        let mut trees: Vec<&sled::Tree> = writes.iter().map(|w| w.0).collect();
        trees.push(&self.applied);
        let res = trees.as_slice().transaction(|views| {
            for (view, (_, k, v)) in views.iter().zip(writes) {
                view.insert(k.as_slice(), v.as_slice())?;
            }
            if let Some(applied) = views.last() {
                mark(applied, id, &Done::Stored)?;
            }
            Ok(())
        });
        unwrap_tx(res)?;
        Ok(Done::Stored)
    }

    fn trees(&self) -> (&sled::Tree, &sled::Tree, &sled::Tree, &sled::Tree, &sled::Tree, &sled::Tree) {
        (&self.meta, &self.cases, &self.events, &self.open_idx, &self.follow_idx, &self.inspect_idx)
    }

    fn queue_add(&self, stamp: &Stamp, name: &str, village: &str, id: Option<CommandId>) -> Result<Done> {
        if name.is_empty() {
            return Err(RuleError(Msg::ErrTextRequired).into());
        }
        let day = china_date(stamp.at);
        // Read before: carried entries change only through this desk, which
        // holds the database alone.
        let carried = self.queue_carried(day)?;
        let res = (&self.meta, &self.queue, &self.applied).transaction(|(meta, queue, applied)| {
            let key = queue_counter_key(day);
            let number = next_number(read::<Counter>(meta, &key)?.map_or(1, |c| c.0), &carried);
            meta.insert(key, encode(&Counter(number + 1)))?;
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            let entry = QueueEntry {
                day,
                number,
                name: name.to_string(),
                village: village.to_string(),
                arrived_at: stamp.at,
                called_at: None,
                finished_at: None,
                status: QueueStatus::Waiting,
                case: None,
            };
            queue.insert(&queue_key(day, number), encode(&entry))?;
            let done = Done::Queued(QueueRef { day, number });
            mark(applied, id, &done)?;
            Ok(done)
        });
        unwrap_tx(res)
    }

    fn queue_set(&self, stamp: &Stamp, r: QueueRef, status: QueueStatus, id: Option<CommandId>) -> Result<Done> {
        let key = queue_key(r.day, r.number);
        let res = (&self.queue, &self.applied).transaction(|(queue, applied)| {
            let Some(mut entry) = read::<QueueEntry>(queue, &key)? else {
                return abort(RuleError(Msg::ErrNoQueueEntry));
            };
            if entry.status == QueueStatus::Served {
                return abort(RuleError(Msg::ErrQueueServed));
            }
            match status {
                QueueStatus::Called => entry.called_at = Some(stamp.at),
                QueueStatus::Waiting => entry.called_at = None,
                _ => {}
            }
            entry.status = status;
            queue.insert(&key, encode(&entry))?;
            mark(applied, id, &Done::Queued(r))?;
            Ok(Done::Queued(r))
        });
        unwrap_tx(res)
    }

    /// A new case; linked to an `earlier` (concluded) one in the same
    /// transaction, each timeline naming the other.
    fn register(
        &self,
        stamp: &Stamp,
        intake: &Intake,
        from_queue: Option<QueueRef>,
        earlier: Option<CaseNo>,
        id: Option<CommandId>,
        link: Option<&diary::Link>,
    ) -> Result<Done> {
        check_intake(intake)?;
        let rules = self.rules();
        let today = china_date(stamp.at);
        let year = u16::try_from(today.year()).unwrap_or(0);
        let event = Event {
            at: stamp.at,
            operator: stamp.operator.clone(),
            kind: EventKind::Registered {
                intake: intake.clone(),
                accept_by: add_days(today, rules.accept_notice_days),
            },
        };
        let (meta, cases, events, open, follow, inspect) = self.trees();
        let res = (
            meta,
            cases,
            events,
            open,
            follow,
            inspect,
            &self.residents,
            &self.resident_names,
            &self.resident_cases,
            &self.queue,
            &self.applied,
        )
            .transaction(
                |(meta, cases, events, open, follow, inspect, residents, names, rcases, queue, applied)| {
                    let counter_key = year_counter_key(year);
                    let next = read::<Counter>(meta, &counter_key)?.map_or(1, |c| c.0);
                    let seq = u32::try_from(next).unwrap_or(u32::MAX);
                    let no = CaseNo { year, seq };
                    meta.insert(counter_key, encode(&Counter(next + 1)))?;
                    bump_commits(meta)?;
                    let Some(mut case) = Case::open(no, &event) else {
                        return abort(RuleError(Msg::ErrAlreadyRegistered));
                    };
                    events.insert(&event_key(no, 0), encode(&event))?;
                    if let Some(old_no) = earlier {
                        let Some(old) = read::<Case>(cases, &case_key(old_no))? else {
                            return abort(StoreError::NoSuchCase(old_no));
                        };
                        let mut linked = old.clone();
                        for (target, other, later) in [(&mut case, old_no, false), (&mut linked, no, true)] {
                            let kind = EventKind::Linked { other, later };
                            if let Err(e) = target.check(&kind) {
                                return abort(e);
                            }
                            let ev = Event { at: stamp.at, operator: stamp.operator.clone(), kind };
                            events.insert(&event_key(target.no, target.events), encode(&ev))?;
                            target.apply(&ev);
                        }
                        write_case(meta, cases, events, [open, follow, inspect], Some(&old), &linked)?;
                    }
                    write_case(meta, cases, events, [open, follow, inspect], None, &case)?;
                    if let Some(r) = Resident::of(intake) {
                        let key = r.key();
                        residents.insert(key.as_bytes(), encode(&r))?;
                        names.insert(joined(&r.name, key.as_bytes()), &[])?;
                        rcases.insert(joined(&key, &case_key(no)), &[])?;
                    }
                    if let Some(r) = from_queue {
                        finish_queue(queue, r, stamp, no)?;
                    }
                    if let Some(l) = link {
                        l.write(meta, no)?;
                    }
                    mark(applied, id, &Done::Registered(no))?;
                    Ok(no)
                },
            );
        Ok(Done::Registered(unwrap_tx(res)?))
    }

    fn record(&self, stamp: &Stamp, cmd: &Command, id: Option<CommandId>) -> Result<Done> {
        let rules = self.rules();
        let planned = cmd.case_events(&rules, stamp);
        let done = match cmd {
            Command::Merge { from, into } => Done::Merged { from: *from, into: *into },
            _ => Done::Recorded(planned.first().map(|p| p.0).unwrap_or(CaseNo { year: 0, seq: 0 })),
        };
        let (meta, cases, events, open, follow, inspect) = self.trees();
        let res = (meta, cases, events, open, follow, inspect, &self.queue, &self.applied).transaction(
            |(meta, cases, events, open, follow, inspect, queue, applied)| {
                bump_commits(meta)?;
                if let Command::DiaryTriage { entry, triage: crate::domain::diary::Triage::Attach { case, .. } } = cmd {
                    diary::set_triaged(meta, *entry, crate::domain::diary::Triaged::Attached(*case))?;
                }
                if let Command::Contact { case, queue: Some(r), .. }
                | Command::ContactReopen { case, queue: Some(r), .. } = cmd
                {
                    finish_queue(queue, *r, stamp, *case)?;
                }
                // Cases touched by this command: (as it was, as it becomes).
                let mut touched: HashMap<CaseNo, (Case, Case)> = HashMap::new();
                let mut order = Vec::new();
                for (no, kind) in &planned {
                    if !touched.contains_key(no) {
                        let Some(case) = read::<Case>(cases, &case_key(*no))? else {
                            return abort(StoreError::NoSuchCase(*no));
                        };
                        touched.insert(*no, (case.clone(), case));
                        order.push(*no);
                    }
                    // A merged case's deadline, if earlier than the survivor's:
                    // the survivor keeps it, so an overdue complaint stays overdue.
                    let kept = match kind {
                        EventKind::Absorbed { from } => touched
                            .get(from)
                            .and_then(|(old, _)| old.deadline().filter(|_| old.status.is_open()))
                            .map(|due| (*from, due)),
                        _ => None,
                    };
                    let Some((_, case)) = touched.get_mut(no) else { return abort(StoreError::NoSuchCase(*no)) };
                    let mut kind = kind.clone();
                    match &mut kind {
                        EventKind::Extended { days, due, .. } => {
                            *due = add_days(case.due.unwrap_or(case.accept_by), *days)
                        }
                        EventKind::Concluded { follow_up_due, .. } if case.is_anonymous() => *follow_up_due = None,
                        // A deadline kept from a merged case is never
                        // loosened by accepting the survivor.
                        EventKind::Accepted { due } => {
                            if let Some(kept) = case.due {
                                *due = (*due).min(kept);
                            }
                        }
                        _ => {}
                    }
                    if let Err(e) = case.check(&kind) {
                        return abort(e);
                    }
                    let event = Event { at: stamp.at, operator: stamp.operator.clone(), kind };
                    events.insert(&event_key(*no, case.events), encode(&event))?;
                    case.apply(&event);
                    if let Some((from, due)) = kept
                        && case.deadline().is_some_and(|own| due < own)
                    {
                        let kind = EventKind::DeadlineKept { from, due };
                        if let Err(e) = case.check(&kind) {
                            return abort(e);
                        }
                        let event = Event { at: stamp.at, operator: stamp.operator.clone(), kind };
                        events.insert(&event_key(*no, case.events), encode(&event))?;
                        case.apply(&event);
                    }
                }
                for no in &order {
                    if let Some((old, new)) = touched.get(no) {
                        write_case(meta, cases, events, [open, follow, inspect], Some(old), new)?;
                    }
                }
                mark(applied, id, &done)?;
                Ok(())
            },
        );
        unwrap_tx(res)?;
        Ok(done)
    }

    fn drafts(&self) -> std::sync::MutexGuard<'_, drafts::Drafts> {
        self.drafts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keep the form being typed, so a dropped link loses nothing: written
    /// at once, synced by `sync_drafts`.
    pub fn put_draft(&self, draft: &Draft) -> Result<()> {
        Ok(self.drafts().put(draft)?)
    }

    pub fn clear_draft(&self, form: &str) -> Result<()> {
        Ok(self.drafts().remove(form)?)
    }

    /// Make the drafts written so far durable (Esc, quit, hang-up, a
    /// refused save); nothing to do if they already are.
    pub fn sync_drafts(&self) -> Result<()> {
        Ok(self.drafts().sync()?)
    }
}

fn unwrap_tx<T>(res: std::result::Result<T, TransactionError<StoreError>>) -> Result<T> {
    match res {
        Ok(v) => Ok(v),
        Err(TransactionError::Abort(e)) => Err(e),
        Err(TransactionError::Storage(e)) => Err(StoreError::Sled(e)),
    }
}
