//! The port: all a desk (the terminal's loop, the CLI) asks of the store,
//! whether the store lives in this process (`jiedai_store::Embedded`) or
//! behind a socket. The store, never the desk, stamps who and when; drafts
//! are kept per user; every applied command is announced to every desk.

use std::sync::mpsc::Receiver;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::stats::Stats;
use crate::domain::*;
use crate::{Command, CommandId, Done, Draft, Snapshot};
use jiedai_domain::i18n::{Lang, Msg};

/// A command applied by the store: its place in the order of changes, and
/// the cases it touched (none for the queue, the directory, a setting).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changed {
    pub seq: u64,
    pub cases: Vec<CaseNo>,
}

impl Changed {
    /// Changes were missed (a slow desk, a lost connection): everything
    /// shown is to be read again. No applied command has sequence 0.
    pub fn resync() -> Changed {
        Changed { seq: 0, cases: Vec::new() }
    }

    pub fn is_resync(&self) -> bool {
        self.seq == 0
    }
}

/// A desk behind a socket: its connection lost (and being made again), or
/// back (what was not acknowledged resent, a resync on its way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Lost,
    Back,
}

/// The lists a snapshot may carry (each is a scan: only the showing tab's
/// is asked for).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum List {
    /// Open cases, by deadline.
    Open,
    Inspections,
    FollowUps,
    /// Every case, newest first (the search place).
    All,
    /// 群众意见箱: the openings, with slips entered and rectified.
    Openings,
}

/// The periods the statistics tab offers with one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatsPeriod {
    Week,
    Month,
    Year,
    /// Since the first case on record.
    All,
    /// A range typed in: since a date, or from one to another.
    Range(NaiveDate, NaiveDate),
}

impl StatsPeriod {
    pub fn title(self) -> Msg {
        match self {
            StatsPeriod::Week => Msg::PeriodWeek,
            StatsPeriod::Month => Msg::PeriodMonth,
            StatsPeriod::Year => Msg::PeriodYear,
            StatsPeriod::All => Msg::PeriodAll,
            StatsPeriod::Range(..) => Msg::PeriodRange,
        }
    }
}

/// What a desk reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Query {
    /// What every tab shows (counts, duty leader, today's queue, the
    /// directory, this user's intake draft), the lists asked for, the
    /// statistics for a period, and (at start) this user's dialog drafts.
    Snapshot {
        today: NaiveDate,
        lists: Vec<List>,
        stats: Option<StatsPeriod>,
        dialog_drafts: bool,
    },
    /// A case, its timeline, and the timelines of the cases merged into it.
    CaseFile(CaseNo),
    /// Cases as they stand now (those not found are left out).
    Cases(Vec<CaseNo>),
    /// A case as it stands (None: no such case).
    Case(CaseNo),
    /// A case's timeline.
    Events(CaseNo),
    /// A returning resident's earlier cases, by name and by phone.
    Earlier {
        name: String,
        phone: String,
    },
    /// The statistics for a period.
    Stats(StatsPeriod, NaiveDate),
    /// The first day on record.
    FirstDay,
    Directory,
    Cadres,
    Roster,
    /// A day's queue.
    Queue(NaiveDate),
    /// Every case with its timeline (the day sheet looks through them).
    CasesWithEvents,
    /// A township setting (`township`, `review_body`).
    Setting(String),
    /// Who this desk's saves are signed by.
    Operator,
    /// The phone card: the resident and open cases of a number, with the
    /// calls on each counted up to `today` (h-phone, issue 15).
    Caller {
        phone: String,
        today: NaiveDate,
    },
    /// The calls of a day, by leader.
    Calls(NaiveDate),
}

/// The store's answer to a `Query`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Snapshot(Box<Snapshot>),
    CaseFile(Box<Case>, Vec<Event>, Vec<(CaseNo, Vec<Event>)>),
    Cases(Vec<Case>),
    Case(Option<Box<Case>>),
    Events(Vec<Event>),
    Stats(Box<Stats>),
    Day(Option<NaiveDate>),
    Directory(Box<Directory>),
    Cadres(Vec<Cadre>),
    Roster(Vec<Duty>),
    Queue(Vec<QueueEntry>),
    CasesWithEvents(Vec<(Case, Vec<Event>)>),
    Setting(Option<String>),
    Operator(String),
    Caller(Box<crate::domain::call::Caller>),
    Calls(Vec<crate::domain::call::CallRow>),
}

/// What went wrong, as the user is told it in either language, and what
/// kind of trouble it is (a full disk is said differently on a save).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskError {
    pub kind: Trouble,
    pub zh: String,
    pub en: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trouble {
    DiskFull,
    Io,
    NoSuchCase(CaseNo),
    /// The rules refused the command, or the data is damaged.
    Refused,
    /// The store answered a query with a reply of another kind.
    Protocol,
}

impl DeskError {
    pub fn new(kind: Trouble, zh: impl Into<String>, en: impl Into<String>) -> DeskError {
        DeskError { kind, zh: zh.into(), en: en.into() }
    }

    pub fn user_message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh.clone(),
            Lang::En => self.en.clone(),
        }
    }

    pub fn is_disk_full(&self) -> bool {
        self.kind == Trouble::DiskFull
    }

    pub fn is_io(&self) -> bool {
        matches!(self.kind, Trouble::Io | Trouble::DiskFull)
    }

    /// Refused for the reason `msg` says (the rules, a request that names
    /// nothing).
    pub fn refused(msg: Msg) -> DeskError {
        DeskError::new(Trouble::Refused, msg.text(Lang::Zh), msg.text(Lang::En))
    }

    pub fn no_such_case(no: CaseNo) -> DeskError {
        let m = Msg::ErrNoSuchCase;
        DeskError::new(
            Trouble::NoSuchCase(no),
            format!("{}: {no}", m.text(Lang::Zh)),
            format!("{}: {no}", m.text(Lang::En)),
        )
    }

    fn unexpected() -> DeskError {
        let m = Msg::ErrStoreInternal;
        DeskError::new(Trouble::Protocol, m.text(Lang::Zh), m.text(Lang::En))
    }
}

impl std::fmt::Display for DeskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for DeskError {}

pub type Result<T, E = DeskError> = std::result::Result<T, E>;

/// The port. Required: execute, query, the drafts, subscribe, flush, close;
/// the typed reads below are `query` with its reply unwrapped.
pub trait Desk: Send + Sync {
    /// Validate, apply (once per id), make durable, then announce. The
    /// store stamps it with this desk's operator and its own clock.
    fn execute(&self, id: CommandId, cmd: Command) -> Result<Done>;
    fn query(&self, q: Query) -> Result<Reply>;
    /// This user's draft under `draft.form` (another user's never touched).
    fn put_draft(&self, draft: &Draft) -> Result<()>;
    fn clear_draft(&self, form: &str) -> Result<()>;
    /// Make this desk's drafts written so far durable.
    fn sync_drafts(&self) -> Result<()>;
    /// The changes applied from now on, by any desk on this store.
    fn subscribe(&self) -> Receiver<Changed>;
    /// Everything said so far durable: before leaving on a hang-up.
    fn flush(&self) -> Result<()>;
    /// Done with the store: drafts synced, everything durable, and the
    /// store let go (closed, when this was the last desk on it).
    fn close(&self) -> Result<()>;
    /// News of the connection, for a desk behind a socket (None in-process).
    fn link(&self) -> Option<Receiver<Link>> {
        None
    }

    fn snapshot(
        &self,
        today: NaiveDate,
        lists: Vec<List>,
        stats: Option<StatsPeriod>,
        dialog_drafts: bool,
    ) -> Result<Snapshot> {
        match self.query(Query::Snapshot { today, lists, stats, dialog_drafts })? {
            Reply::Snapshot(s) => Ok(*s),
            _ => Err(DeskError::unexpected()),
        }
    }

    #[allow(clippy::type_complexity)]
    fn case_file(&self, no: CaseNo) -> Result<(Box<Case>, Vec<Event>, Vec<(CaseNo, Vec<Event>)>)> {
        match self.query(Query::CaseFile(no))? {
            Reply::CaseFile(c, e, r) => Ok((c, e, r)),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn cases(&self, nos: Vec<CaseNo>) -> Result<Vec<Case>> {
        match self.query(Query::Cases(nos))? {
            Reply::Cases(c) => Ok(c),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn case(&self, no: CaseNo) -> Result<Option<Case>> {
        match self.query(Query::Case(no))? {
            Reply::Case(c) => Ok(c.map(|c| *c)),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn events(&self, no: CaseNo) -> Result<Vec<Event>> {
        match self.query(Query::Events(no))? {
            Reply::Events(e) => Ok(e),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn earlier(&self, name: &str, phone: &str) -> Result<Vec<Case>> {
        match self.query(Query::Earlier { name: name.into(), phone: phone.into() })? {
            Reply::Cases(c) => Ok(c),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn stats(&self, period: StatsPeriod, today: NaiveDate) -> Result<Stats> {
        match self.query(Query::Stats(period, today))? {
            Reply::Stats(s) => Ok(*s),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn first_day(&self) -> Result<Option<NaiveDate>> {
        match self.query(Query::FirstDay)? {
            Reply::Day(d) => Ok(d),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn directory(&self) -> Result<Directory> {
        match self.query(Query::Directory)? {
            Reply::Directory(d) => Ok(*d),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn cadres(&self) -> Result<Vec<Cadre>> {
        match self.query(Query::Cadres)? {
            Reply::Cadres(c) => Ok(c),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn roster(&self) -> Result<Vec<Duty>> {
        match self.query(Query::Roster)? {
            Reply::Roster(r) => Ok(r),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn queue(&self, day: NaiveDate) -> Result<Vec<QueueEntry>> {
        match self.query(Query::Queue(day))? {
            Reply::Queue(q) => Ok(q),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn cases_with_events(&self) -> Result<Vec<(Case, Vec<Event>)>> {
        match self.query(Query::CasesWithEvents)? {
            Reply::CasesWithEvents(c) => Ok(c),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn setting(&self, name: &str) -> Result<Option<String>> {
        match self.query(Query::Setting(name.into()))? {
            Reply::Setting(s) => Ok(s),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn operator(&self) -> Result<String> {
        match self.query(Query::Operator)? {
            Reply::Operator(o) => Ok(o),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn caller(&self, phone: &str, today: NaiveDate) -> Result<crate::domain::call::Caller> {
        match self.query(Query::Caller { phone: phone.into(), today })? {
            Reply::Caller(c) => Ok(*c),
            _ => Err(DeskError::unexpected()),
        }
    }

    fn calls_on(&self, day: NaiveDate) -> Result<Vec<crate::domain::call::CallRow>> {
        match self.query(Query::Calls(day))? {
            Reply::Calls(rows) => Ok(rows),
            _ => Err(DeskError::unexpected()),
        }
    }
}
