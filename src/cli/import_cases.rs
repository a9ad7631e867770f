//! `jiedai import cases` of any size (issue 16). The ledger is read twice,
//! row by row: first every row is checked and built into its case by the
//! store's rules, keeping only the order its number comes in; if any row is
//! bad (without --skip-bad), nothing is written. Then the rows are read and
//! built again and written in chunks under the store's staging mark
//! (store/staged.rs), so that a crash, kill -9 or full disk half-way
//! leaves the database as it was. The memory is the file's text (at most
//! `limits::CSV_BYTES`), a few numbers per row and one chunk.

use std::collections::{BTreeSet, HashMap};

use super::Failure;
use crate::i18n::{Lang, Msg};
use crate::ledger::{self, CaseRow, LineError};
use crate::store::{Command, ImportRecord, PlannedCase, Store, StoreError, UNNUMBERED, import_chunk_size};

/// What the first reading found.
pub(super) struct Checked {
    /// The good rows, by line: each one's rank among its year's cases (by
    /// registration day, then line), which makes its number.
    ranks: HashMap<u64, u64>,
    years: Vec<u16>,
    pub errors: Vec<LineError>,
    /// The rows cannot be known (a missing column, an unbalanced quote,
    /// too many rows): nothing is imported, even with --skip-bad.
    pub fatal: bool,
}

impl Checked {
    pub fn cases(&self) -> usize {
        self.ranks.len()
    }
}

/// The command a planning step was, as the officer calls it.
fn step_name(cmd: Option<&Command>, lang: Lang) -> Option<&'static str> {
    let m = match cmd? {
        Command::Register { .. } => Msg::EvRegistered,
        Command::Contact { .. } => Msg::EvContact,
        Command::Accept { .. } => Msg::ActAccept,
        Command::Conclude { .. } => Msg::ActConclude,
        Command::FollowUp { .. } => Msg::ActFollowUp,
        _ => return None,
    };
    Some(m.text(lang))
}

/// A row built into its case by the store's rules, or why not, in words.
fn plan(store: &Store, row: &CaseRow, operator: &str, lang: Lang) -> Result<PlannedCase, LineError> {
    let commands = ledger::row_commands(row, UNNUMBERED, operator);
    let steps: Vec<Command> = commands.iter().map(|(_, c)| c.clone()).collect();
    store.plan_case(commands).map_err(|refused| {
        let step = step_name(steps.get(refused.step), lang).filter(|_| refused.step > 0);
        let mut reason = refused.error.user_message(lang);
        let revisited = matches!(steps.get(refused.step), Some(Command::FollowUp { .. }))
            && row.satisfaction == crate::domain::Satisfaction::Unsatisfied
            && row.follow_ups > 1;
        if revisited {
            reason = format!("{reason} ({})", Msg::ImportUnsatisfiedHint.text(lang));
        }
        LineError::new(row.line, step, reason)
    })
}

/// The first reading: every row checked, nothing written.
pub(super) fn check(store: &Store, text: &str, operator: &str, lang: Lang) -> Checked {
    let mut keys = Vec::new();
    let mut errors = Vec::new();
    let scanned = ledger::each_case(text, lang, |row| match row {
        Ok(row) => match plan(store, &row, operator, lang) {
            Ok(p) => keys.push((row.registered, row.line, p.year())),
            Err(e) => errors.push(e),
        },
        Err(e) => errors.push(e),
    });
    if let Err(fatal) = scanned {
        return Checked { ranks: HashMap::new(), years: Vec::new(), errors: fatal, fatal: true };
    }
    keys.sort_unstable();
    let mut per_year: HashMap<u16, u64> = HashMap::new();
    let mut ranks = HashMap::with_capacity(keys.len());
    for (_, line, year) in &keys {
        let next = per_year.entry(*year).or_default();
        ranks.insert(*line, *next);
        *next += 1;
    }
    let years: BTreeSet<u16> = per_year.into_keys().collect();
    Checked { ranks, years: years.into_iter().collect(), errors, fatal: false }
}

/// The second reading: the good rows written, all or nothing, with the
/// record of the file.
pub(super) fn write(
    store: &Store,
    text: &str,
    checked: &Checked,
    hash: &[u8; 32],
    record: &ImportRecord,
    lang: Lang,
) -> Result<(), Failure> {
    let fail = |e: StoreError| Failure(e.user_message(lang));
    let mut staged = store.import_begin(&checked.years).map_err(fail)?;
    let chunk = import_chunk_size();
    let mut part: Vec<(crate::domain::CaseNo, PlannedCase)> = Vec::with_capacity(chunk);
    let mut chunks = 0;
    let mut failed: Option<Failure> = None;
    let mut one = |row: CaseRow| -> Result<(), Failure> {
        let Some(rank) = checked.ranks.get(&row.line) else { return Ok(()) };
        // Built as the first reading built it: the same row, rules and store.
        let p = plan(store, &row, &record.operator, lang).map_err(|e| Failure(e.text()))?;
        let no = staged.number(p.year(), *rank).ok_or(StoreError::NoSuchCase(UNNUMBERED)).map_err(fail)?;
        part.push((no, p));
        if part.len() >= chunk {
            staged.write(&part, &[]).map_err(fail)?;
            part.clear();
            chunks += 1;
            pause_point(chunks);
        }
        Ok(())
    };
    let scanned = ledger::each_case(text, lang, |row| {
        if failed.is_none()
            && let Ok(row) = row
            && let Err(e) = one(row)
        {
            failed = Some(e);
        }
    });
    let result = match (failed, scanned) {
        (Some(e), _) => Err(e),
        (None, Err(fatal)) => Err(Failure(fatal.iter().map(LineError::text).collect::<Vec<_>>().join("\n"))),
        (None, Ok(())) => staged.write(&part, &[]).map_err(fail),
    };
    match result {
        Ok(()) => staged.finish(hash, record).map_err(fail),
        Err(e) => {
            // Undone now, or else at the next open (the mark stays).
            let _ = staged.abandon();
            Err(e)
        }
    }
}

/// In debug builds `JIEDAI_IMPORT_PAUSE_AFTER=n` stops an import after its
/// n-th chunk, says so on stderr and waits: where the tests kill -9 it.
fn pause_point(chunks: usize) {
    #[cfg(debug_assertions)]
    if std::env::var("JIEDAI_IMPORT_PAUSE_AFTER").ok().and_then(|v| v.parse::<usize>().ok()) == Some(chunks) {
        eprintln!("import paused after chunk {chunks}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
    let _ = chunks;
}
