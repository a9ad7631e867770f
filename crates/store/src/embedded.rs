//! The store in this process, behind the port (`jiedai_protocol::Desk`).
//! Several desks may share one store (`session`): each signs as its own
//! user, keeps its own drafts, and hears of every other's saves.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};

use jiedai_protocol::desk::{self, Changed, DeskError, List, Query, Reply, StatsPeriod, Trouble};
use jiedai_protocol::{Command, CommandId, Desk, Done, Draft, Snapshot, Stamp};

use crate::domain::stats::Period;
use crate::domain::*;
use crate::i18n::Lang;
use crate::{Store, StoreError};

/// The store's clock: what it stamps each command with.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Who a desk is: a name given outright (`--operator`), or a login, which
/// signs as the directory's cadre with that login (else as the login).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identity {
    Named(String),
    Login(String),
}

impl Identity {
    fn key(&self) -> &str {
        match self {
            Identity::Named(s) | Identity::Login(s) => s,
        }
    }
}

/// What every desk on one store shares.
struct Hub {
    /// None once closed (or when a reopen after a disk error failed).
    store: RwLock<Option<Arc<Store>>>,
    /// Each desk's notices, by the desk's id: a desk hears of the others'
    /// saves (its own it knows from their answers).
    subscribers: Mutex<Vec<(u64, Sender<Changed>)>>,
    seq: AtomicU64,
    sessions: AtomicU64,
}

/// One desk's session on a store in this process.
#[derive(Clone)]
pub struct Embedded {
    hub: Arc<Hub>,
    id: u64,
    who: Identity,
    clock: Clock,
}

/// Where a user's drafts are kept: under their own prefix, so two users'
/// drafts never touch. A draft from before drafts were per user (kept
/// under its bare form) is offered to whoever opens first, and moved.
const USER_DRAFTS: &str = "user/";

impl Embedded {
    pub fn new(store: Store, who: Identity) -> Embedded {
        Embedded::shared(Arc::new(store), who)
    }

    /// A desk on a store someone else holds too (the tests read it).
    pub fn shared(store: Arc<Store>, who: Identity) -> Embedded {
        let hub = Hub {
            store: RwLock::new(Some(store)),
            subscribers: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
            sessions: AtomicU64::new(1),
        };
        Embedded { hub: Arc::new(hub), id: 0, who, clock: Arc::new(chrono::Utc::now) }
    }

    /// Another desk on the same store, signing as `who`.
    pub fn session(&self, who: Identity) -> Embedded {
        let id = self.hub.sessions.fetch_add(1, Ordering::SeqCst);
        Embedded { hub: self.hub.clone(), id, who, clock: self.clock.clone() }
    }

    pub fn with_clock(mut self, clock: Clock) -> Embedded {
        self.clock = clock;
        self
    }

    /// The store itself, for the administrative commands (import, export,
    /// check) that are not desk traffic.
    pub fn store(&self) -> Result<Arc<Store>, StoreError> {
        self.hub.store.read().ok().and_then(|s| s.clone()).ok_or_else(closed)
    }

    /// Close the store (drafts synced, flushed, the lock given up), if no
    /// one else holds it. Every session on it is done with it.
    fn close_store(&self) -> Result<(), StoreError> {
        self.reopen_if_needed()?;
        let taken = self.hub.store.write().ok().and_then(|mut s| s.take());
        match taken.map(Arc::try_unwrap) {
            Some(Ok(store)) => store.close(),
            Some(Err(shared)) => shared.flush_durable(),
            None => Ok(()),
        }
    }

    /// After a save failed on an I/O error sled keeps failing: it is opened
    /// anew once the disk has room again, so the next save goes through
    /// without restarting the desk. Left as it is while another holds it.
    fn reopen_if_needed(&self) -> Result<(), StoreError> {
        let needs = self.store().is_ok_and(|s| s.needs_reopen() && disk_has_room(s.dir()));
        if !needs {
            return Ok(());
        }
        let Ok(mut slot) = self.hub.store.write() else { return Ok(()) };
        let Some(arc) = slot.take() else { return Ok(()) };
        match Arc::try_unwrap(arc) {
            Ok(store) => {
                *slot = Some(Arc::new(store.reopen()?));
                Ok(())
            }
            Err(shared) => {
                *slot = Some(shared);
                Ok(())
            }
        }
    }

    /// Who signs this desk's saves, as the directory says now.
    fn operator_on(&self, store: &Store) -> String {
        match &self.who {
            Identity::Named(name) => name.clone(),
            Identity::Login(login) => match store.directory() {
                Ok(d) => d.by_login(login).map_or_else(|| login.clone(), |c| c.name.clone()),
                Err(_) => login.clone(),
            },
        }
    }

    fn user_key(&self, form: &str) -> String {
        format!("{USER_DRAFTS}{}/{form}", self.who.key())
    }

    fn announce(&self, cases: Vec<CaseNo>) {
        let seq = self.hub.seq.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(mut subs) = self.hub.subscribers.lock() {
            subs.retain(|(id, tx)| *id == self.id || tx.send(Changed { seq, cases: cases.clone() }).is_ok());
        }
    }

    /// This user's draft under `form`, or one left from before drafts were
    /// per user.
    fn draft(&self, store: &Store, form: &str) -> Result<Option<Draft>, StoreError> {
        let mine = store.draft(&self.user_key(form))?;
        let found = match mine {
            Some(d) => Some(d),
            None => store.draft(form)?,
        };
        Ok(found.map(|d| Draft { form: form.to_string(), ..d }))
    }

    fn drafts_under(&self, store: &Store, prefix: &str) -> Result<Vec<Draft>, StoreError> {
        let mine = self.user_key("");
        let mut found: Vec<Draft> = store
            .drafts_under(&self.user_key(prefix))?
            .into_iter()
            .map(|d| Draft { form: d.form[mine.len()..].to_string(), ..d })
            .collect();
        for d in store.drafts_under(prefix)? {
            if !found.iter().any(|f| f.form == d.form) {
                found.push(d);
            }
        }
        Ok(found)
    }

    fn snapshot_of(
        &self,
        store: &Store,
        today: chrono::NaiveDate,
        lists: &[List],
        stats: Option<StatsPeriod>,
        dialog_drafts: bool,
    ) -> Result<Snapshot, StoreError> {
        let cadres = store.cadres()?;
        let roster = store.roster()?;
        let (open_count, overdue_count) = store.open_counts(today)?;
        let directory = store.directory()?;
        let mut snap = Snapshot {
            today: Some(today),
            open_count,
            overdue_count,
            duty_leader: duty_leader(&roster, today).and_then(|name| cadres.iter().find(|c| c.name == name)).cloned(),
            villages: store.villages()?,
            cadres,
            queue: store.queue_at_desk(today)?,
            fresh: store.is_empty() && directory == Directory::default(),
            directory,
            draft: self.draft(store, jiedai_protocol::INTAKE_DRAFT)?,
            diary: store.diary()?,
            ..Snapshot::default()
        };
        for list in lists {
            match list {
                List::Open => {
                    snap.open = store.open_cases()?;
                    snap.has_lists[0] = true;
                }
                List::Inspections => {
                    snap.inspections = store.inspections_due()?;
                    snap.has_lists[1] = true;
                }
                List::FollowUps => {
                    snap.follow_ups = store.follow_ups_due()?;
                    snap.has_lists[2] = true;
                }
                List::All => {
                    snap.all = store.all_cases_newest_first()?;
                    snap.has_lists[3] = true;
                }
                List::Openings => snap.openings = store.box_tallies(None)?,
            }
        }
        if let Some(period) = stats {
            snap.stats = Some(store.stats(period_of(store, period, today)?)?);
        }
        if dialog_drafts {
            snap.dialog_drafts = self.drafts_under(store, jiedai_protocol::DIALOG_DRAFTS)?;
            snap.screen_drafts = self.drafts_under(store, jiedai_protocol::SCREEN_DRAFTS)?;
        }
        Ok(snap)
    }

    fn answer(&self, store: &Store, q: Query) -> Result<Reply, StoreError> {
        Ok(match q {
            Query::Snapshot { today, lists, stats, dialog_drafts } => {
                Reply::Snapshot(Box::new(self.snapshot_of(store, today, &lists, stats, dialog_drafts)?))
            }
            Query::CaseFile(no) => {
                let case = store.case(no)?.ok_or(StoreError::NoSuchCase(no))?;
                let events = store.events(no)?;
                let mut related = Vec::new();
                for from in &case.absorbed {
                    related.push((*from, store.events(*from)?));
                }
                Reply::CaseFile(Box::new(case), events, related)
            }
            Query::Cases(nos) => {
                let mut cases = Vec::new();
                for no in nos {
                    cases.extend(store.case(no)?);
                }
                Reply::Cases(cases)
            }
            Query::Case(no) => Reply::Case(store.case(no)?.map(Box::new)),
            Query::Events(no) => Reply::Events(store.events(no)?),
            Query::Earlier { name, phone } => {
                let mut cases = if name.is_empty() { Vec::new() } else { store.cases_of_name(&name)? };
                cases.extend(store.cases_of_phone(&phone)?);
                Reply::Cases(cases)
            }
            Query::Stats(period, today) => Reply::Stats(Box::new(store.stats(period_of(store, period, today)?)?)),
            Query::FirstDay => Reply::Day(store.first_day()?),
            Query::Directory => Reply::Directory(Box::new(store.directory()?)),
            Query::Cadres => Reply::Cadres(store.cadres()?),
            Query::Roster => Reply::Roster(store.roster()?),
            Query::Queue(day) => Reply::Queue(store.queue(day)?),
            Query::CasesWithEvents => Reply::CasesWithEvents(store.cases_with_events()?),
            Query::Setting(name) => Reply::Setting(store.setting(&name)?),
            Query::Operator => Reply::Operator(self.operator_on(store)),
            Query::Caller { phone, today } => Reply::Caller(Box::new(store.caller(&phone, today)?)),
            Query::Calls(day) => Reply::Calls(store.calls_on(day)?),
        })
    }
}

/// The dates a period covers, today.
fn period_of(store: &Store, period: StatsPeriod, today: chrono::NaiveDate) -> Result<Period, StoreError> {
    Ok(match period {
        StatsPeriod::Week => Period::week(today),
        StatsPeriod::Month => Period::month(today),
        StatsPeriod::Year => Period::year(today),
        StatsPeriod::All => Period { from: store.first_day()?.unwrap_or(today), to: today },
        StatsPeriod::Range(from, to) => Period { from, to },
    })
}

fn closed() -> StoreError {
    StoreError::Io(std::io::Error::other("the database is closed"))
}

/// Room for sled to write again (a segment and more), as statvfs tells.
pub fn disk_has_room(dir: &std::path::Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: statvfs fills the zeroed struct we own from a NUL-terminated path.
    unsafe {
        let mut s: libc::statvfs = std::mem::zeroed();
        libc::statvfs(c.as_ptr(), &mut s) == 0 && (s.f_bavail as u128) * (s.f_frsize as u128) >= 2 << 20
    }
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> DeskError {
        let kind = match &e {
            e if e.is_disk_full() => Trouble::DiskFull,
            e if e.is_io() => Trouble::Io,
            StoreError::NoSuchCase(no) => Trouble::NoSuchCase(*no),
            _ => Trouble::Refused,
        };
        DeskError::new(kind, e.user_message(Lang::Zh), e.user_message(Lang::En))
    }
}

impl Desk for Embedded {
    fn execute(&self, id: CommandId, cmd: Command) -> desk::Result<Done> {
        self.reopen_if_needed()?;
        let store = self.store()?;
        let stamp = Stamp { at: (self.clock)(), operator: self.operator_on(&store) };
        let linked = match &cmd {
            Command::RegisterLinked { earlier, .. } => Some(*earlier),
            _ => None,
        };
        let done = store.execute_once(&stamp, id, cmd)?;
        let mut cases = match &done {
            Done::Registered(no) | Done::Recorded(no) => vec![*no],
            Done::Merged { from, into } => vec![*from, *into],
            Done::Queued(_) | Done::Stored => Vec::new(),
        };
        cases.extend(linked);
        self.announce(cases);
        Ok(done)
    }

    fn query(&self, q: Query) -> desk::Result<Reply> {
        self.reopen_if_needed()?;
        let store = self.store()?;
        Ok(self.answer(&store, q)?)
    }

    fn put_draft(&self, draft: &Draft) -> desk::Result<()> {
        let store = self.store()?;
        Ok(store.put_draft(&Draft { form: self.user_key(&draft.form), ..draft.clone() })?)
    }

    fn clear_draft(&self, form: &str) -> desk::Result<()> {
        let store = self.store()?;
        store.clear_draft(&self.user_key(form))?;
        // One left from before drafts were per user is this user's now.
        if store.draft(form)?.is_some() {
            store.clear_draft(form)?;
        }
        Ok(())
    }

    fn sync_drafts(&self) -> desk::Result<()> {
        Ok(self.store()?.sync_drafts()?)
    }

    fn subscribe(&self) -> Receiver<Changed> {
        let (tx, rx) = channel();
        if let Ok(mut subs) = self.hub.subscribers.lock() {
            subs.push((self.id, tx));
        }
        rx
    }

    fn flush(&self) -> desk::Result<()> {
        let store = self.store()?;
        store.sync_drafts()?;
        Ok(store.flush_durable()?)
    }

    fn close(&self) -> desk::Result<()> {
        Ok(self.close_store()?)
    }
}
