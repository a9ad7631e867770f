//! Imports, all or nothing. Every case is first built in memory from its
//! commands, cleaned exactly as `execute` cleans them and checked by the
//! domain's rules event by event; only when every one is good is anything
//! written, in chunks under a mark that makes it all or nothing
//! (store/staged.rs), together with a record of the file, so that the same
//! file is recognised when it comes again.

use std::collections::HashMap;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::layout::*;
use super::{Command, Record, Result, Stamp, Store, StoreError};
use crate::domain::text::clean_line;
use crate::domain::time::{add_days, china_date};
use crate::domain::*;
use crate::i18n::Msg;

/// A file imported once: recorded with its rows, in the same transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    /// cases, residents or cadres.
    pub kind: String,
    /// The file's name as it was given.
    pub file: String,
    pub at: Timestamp,
    pub operator: String,
    pub cases: u64,
    pub people: u64,
}

impl Record for ImportRecord {
    const KIND: u8 = 20;
    const VERSION: u16 = 1;
}

/// A case built from its commands and checked, not yet numbered or written.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedCase {
    pub(super) year: u16,
    pub(super) case: Case,
    pub(super) events: Vec<Event>,
    pub(super) commands: u64,
}

impl PlannedCase {
    pub fn events(&self) -> usize {
        self.events.len()
    }

    /// The year whose counter numbers it.
    pub fn year(&self) -> u16 {
        self.year
    }
}

/// Why a case's commands were refused: which command (0 is the
/// registration), and the store's reason.
#[derive(Debug)]
pub struct Refused {
    pub step: usize,
    pub error: StoreError,
}

/// What `record` settles inside its transaction from the case as it stands:
/// an extension's new due date, and no return visit for an anonymous slip.
fn settle(case: &Case, kind: &mut EventKind) {
    match kind {
        EventKind::Extended { days, due, .. } => *due = add_days(case.due.unwrap_or(case.accept_by), *days),
        EventKind::Concluded { follow_up_due, .. } if case.is_anonymous() => *follow_up_due = None,
        _ => {}
    }
}

/// The number a planned case's commands use for it before it has its own.
pub const UNNUMBERED: CaseNo = CaseNo { year: 0, seq: 0 };

impl Store {
    /// The record of an earlier import of the same content, if any.
    pub fn imported(&self, hash: &[u8; 32]) -> Result<Option<ImportRecord>> {
        let tree = self.db.open_tree(IMPORTS)?;
        match tree.get(hash)? {
            None => Ok(None),
            Some(b) => Ok(Some(super::decode(&b)?)),
        }
    }

    /// Build one new case from its commands (a registration, then commands
    /// about `UNNUMBERED`) as `execute` would, without writing anything.
    pub fn plan_case(&self, commands: Vec<(Stamp, Command)>) -> std::result::Result<PlannedCase, Refused> {
        let refused = |step: usize, e: StoreError| Refused { step, error: e };
        let rules = self.rules();
        let mut it = commands.into_iter();
        let Some((stamp, Command::Register { intake, .. })) = it.next().map(|(s, c)| (s, c.sanitized())) else {
            return Err(refused(0, RuleError(Msg::ErrAlreadyRegistered).into()));
        };
        check_intake(&intake).map_err(|e| refused(0, e.into()))?;
        let today = china_date(stamp.at);
        let year = u16::try_from(today.year()).unwrap_or(0);
        let first = Event {
            at: stamp.at,
            operator: clean_line(&stamp.operator),
            kind: EventKind::Registered { intake, accept_by: add_days(today, rules.accept_notice_days) },
        };
        let Some(mut case) = Case::open(UNNUMBERED, &first) else {
            return Err(refused(0, RuleError(Msg::ErrAlreadyRegistered).into()));
        };
        let mut events = vec![first];
        let mut commands = 1;
        for (step, (stamp, cmd)) in it.enumerate().map(|(n, c)| (n + 1, c)) {
            let cmd = cmd.sanitized();
            commands += 1;
            for (no, mut kind) in cmd.case_events(&rules, &stamp) {
                if no != UNNUMBERED {
                    return Err(refused(step, StoreError::NoSuchCase(no)));
                }
                settle(&case, &mut kind);
                case.check(&kind).map_err(|e| refused(step, e.into()))?;
                let event = Event { at: stamp.at, operator: clean_line(&stamp.operator), kind };
                case.apply(&event);
                events.push(event);
            }
        }
        Ok(PlannedCase { year, case, events, commands })
    }

    /// A resident or cadre as `execute` would store it, or why not.
    pub fn plan_person(&self, cmd: Command) -> Result<Command> {
        let cmd = cmd.sanitized();
        let name = match &cmd {
            Command::PutResident(r) => &r.name,
            Command::PutCadre(c) => &c.name,
            _ => return Err(RuleError(Msg::ErrNameRequired).into()),
        };
        if name.is_empty() {
            return Err(RuleError(Msg::ErrNameRequired).into());
        }
        Ok(cmd)
    }

    /// Write planned cases (numbered in order, from each year's counter)
    /// and people (from `plan_person`), and the record of the file, all or
    /// nothing (store/staged.rs), in chunks of `chunk`; then make it
    /// durable. Refused, writing nothing, if the file was imported before.
    pub fn import_all(
        &self,
        hash: &[u8; 32],
        record: &ImportRecord,
        cases: &[PlannedCase],
        people: &[Command],
    ) -> Result<Vec<CaseNo>> {
        if self.imported(hash)?.is_some() {
            return Err(RuleError(Msg::ImportAlready).into());
        }
        let years: std::collections::BTreeSet<u16> = cases.iter().map(|p| p.year).collect();
        let mut staged = self.import_begin(&years.into_iter().collect::<Vec<_>>())?;
        let mut ranks: HashMap<u16, u64> = HashMap::new();
        let mut numbers = Vec::with_capacity(cases.len());
        for p in cases {
            let rank = ranks.entry(p.year).or_default();
            numbers.push(staged.number(p.year, *rank).ok_or(StoreError::NoSuchCase(UNNUMBERED))?);
            *rank += 1;
        }
        let chunk = super::staged::chunk_size();
        let mut written = 0;
        let mut run = || -> Result<()> {
            while written < cases.len() {
                let end = (written + chunk).min(cases.len());
                let part: Vec<(CaseNo, PlannedCase)> =
                    numbers[written..end].iter().copied().zip(cases[written..end].iter().cloned()).collect();
                staged.write(&part, &[])?;
                written = end;
            }
            for part in people.chunks(chunk) {
                staged.write(&[], part)?;
            }
            Ok(())
        };
        if let Err(e) = run() {
            let _ = staged.abandon();
            return Err(e);
        }
        staged.finish(hash, record)?;
        Ok(numbers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{intake, stamp};

    fn commands(no: CaseNo, name: &str) -> Vec<(Stamp, Command)> {
        vec![
            (stamp(1), Command::Register { intake: intake(name, ""), queue: None }),
            (stamp(2), Command::Accept { case: no }),
            (stamp(3), Command::Extend { case: no, days: 10, reason: "等材料".into() }),
            (stamp(4), Command::Conclude { case: no, outcome: Outcome::Implemented, reason: "修好".into() }),
        ]
    }

    /// A planned import stores exactly what `execute`, one command at a
    /// time, stores: the same cases, events and indexes.
    #[test]
    fn an_import_stores_what_execute_stores() {
        let one = tempfile::tempdir().expect("tempdir");
        let two = tempfile::tempdir().expect("tempdir");
        let by_execute = Store::open(one.path()).expect("open");
        let by_import = Store::open(two.path()).expect("open");
        let mut planned = Vec::new();
        for name in ["甲", ""] {
            let no = match by_execute.execute(&stamp(1), commands(UNNUMBERED, name)[0].1.clone()).expect("register") {
                super::super::Done::Registered(no) => no,
                other => panic!("{other:?}"),
            };
            for (s, c) in commands(no, name).into_iter().skip(1) {
                by_execute.execute(&s, c).expect("execute");
            }
            planned.push(by_import.plan_case(commands(UNNUMBERED, name)).expect("plan"));
        }
        let record = ImportRecord {
            kind: "cases".into(),
            file: "t.csv".into(),
            at: stamp(5).at,
            operator: "试".into(),
            cases: 2,
            people: 0,
        };
        by_import.import_all(&[7; 32], &record, &planned, &[]).expect("import");
        assert_eq!(by_import.export().expect("export"), by_execute.export().expect("export"));
        assert_eq!(
            by_import.open_counts(chrono::NaiveDate::MIN).expect("counts"),
            by_execute.open_counts(chrono::NaiveDate::MIN).expect("counts")
        );
        assert_eq!(by_import.verify().expect("verify").0, vec![]);
        // The same file again: refused, nothing written.
        let again = by_import.import_all(&[7; 32], &record, &planned, &[]);
        assert!(matches!(again, Err(StoreError::Rule(RuleError(Msg::ImportAlready)))), "{again:?}");
        assert_eq!(by_import.all_cases().expect("cases").len(), 2);
        assert_eq!(by_import.imported(&[7; 32]).expect("read"), Some(record));
    }

    #[test]
    fn a_refused_step_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let mut cmds = commands(UNNUMBERED, "甲");
        cmds.push((
            stamp(5),
            Command::Conclude { case: UNNUMBERED, outcome: Outcome::Implemented, reason: "\u{1}".into() },
        ));
        let refused = store.plan_case(cmds).expect_err("refused");
        assert_eq!(refused.step, 4);
        let mut blank = intake("甲", "");
        blank.summary = "\u{200b}".into();
        let refused = store.plan_case(vec![(stamp(1), Command::Register { intake: blank, queue: None })]);
        assert!(matches!(
            refused,
            Err(Refused { step: 0, error: StoreError::Rule(RuleError(Msg::ErrSummaryRequired)) })
        ));
    }
}
