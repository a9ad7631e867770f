//! `jiedai import`: all or nothing. The file is read (size bounded),
//! recognised if it was imported before, every row parsed and then built
//! into its case by the store's own rules; only when all are good (or,
//! with --skip-bad, the good ones) is anything written, in one transaction.

use std::path::Path;

use super::files::read_limited;
use super::{Cli, Failure, open};
use crate::domain::time::china_minute;
use crate::i18n::{Lang, Msg};
use crate::ledger::{self, LineError, limits};
use crate::store::{Command, ImportRecord, PlannedCase, RestoreError, Store, StoreError, UNNUMBERED};

/// The bad rows, one a line: `file:line: column: reason`.
fn listing(file: &Path, errors: &[LineError]) -> String {
    let mut errors: Vec<&LineError> = errors.iter().collect();
    errors.sort_by_key(|e| e.line);
    errors.iter().map(|e| format!("  {}:{}: {}", file.display(), e.line, e.text())).collect::<Vec<_>>().join("\n")
}

/// What the rows of a file become: cases to plan, or people to store.
enum Rows {
    Cases(Vec<ledger::CaseRow>),
    People(Vec<(u64, Command)>),
}

/// The rows of `text`, what is wrong with them, and whether that is fatal.
fn parse(kind: &str, text: &str, lang: Lang) -> (Rows, Vec<LineError>, bool) {
    match kind {
        "residents" => {
            let p = ledger::parse_residents(text, lang);
            let rows = p.rows.into_iter().map(|(line, r)| (line, Command::PutResident(r))).collect();
            (Rows::People(rows), p.errors, p.fatal)
        }
        "cadres" => {
            let p = ledger::parse_cadres(text, lang);
            let rows = p.rows.into_iter().map(|(line, c)| (line, Command::PutCadre(c))).collect();
            (Rows::People(rows), p.errors, p.fatal)
        }
        _ => {
            let p = ledger::parse_cases(text, lang);
            (Rows::Cases(p.rows), p.errors, p.fatal)
        }
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

pub fn run(cli: &Cli, kind: &str, file: &Path, skip_bad: bool) -> Result<(), Failure> {
    let lang = cli.lang();
    if kind == "json" {
        return restore(cli, file);
    }
    if kind == "villages" || kind == "cadres" {
        return super::import_dir::run(cli, kind, file, skip_bad);
    }
    let bytes = read_limited(file, limits::CSV_BYTES, lang)?;
    let text = ledger::decode_text(&bytes).map_err(|m| Failure(format!("{}: {}", file.display(), m.text(lang))))?;
    drop(bytes);
    let hash = ledger::content_hash(kind, &text);
    let store = open(cli)?;
    let fail = |e: StoreError| Failure(e.user_message(lang));
    if let Some(before) = store.imported(&hash).map_err(fail)? {
        store.close().map_err(fail)?;
        let (n, unit) = if kind == "cases" { (before.cases, Msg::Cases) } else { (before.people, Msg::People) };
        let said = format!(
            "{}: {} ({}, {} {}, {n} {})",
            file.display(),
            Msg::ImportAlready.text(lang),
            china_minute(before.at),
            Msg::ImportAlreadyBy.text(lang),
            before.operator,
            unit.text(lang)
        );
        return super::out::line(&said, lang);
    }
    let operator = cli.operator();
    let (rows, mut errors, fatal) = parse(kind, &text, lang);
    let (cases, people) = match rows {
        Rows::Cases(rows) => {
            let (cases, refused) = plan_cases(&store, rows, &operator, lang);
            errors.extend(refused);
            (cases, Vec::new())
        }
        Rows::People(rows) => {
            let mut people = Vec::new();
            for (line, cmd) in rows {
                match store.plan_person(cmd) {
                    Ok(c) => people.push(c),
                    Err(e) => errors.push(LineError::new(line, Some("姓名"), e.user_message(lang))),
                }
            }
            (Vec::new(), people)
        }
    };
    drop(text);
    let events: usize = cases.iter().map(PlannedCase::events).sum();
    if !fatal && events > limits::EVENTS {
        let reason = format!("{}: {events} > {}", Msg::ImportTooManyEvents.text(lang), limits::EVENTS);
        return Err(Failure(format!("{}\n  {}: {reason}", Msg::ImportFatal.text(lang), file.display())));
    }
    if fatal {
        return Err(Failure(format!("{}\n{}", Msg::ImportFatal.text(lang), listing(file, &errors))));
    }
    if !errors.is_empty() && !skip_bad {
        return Err(Failure(format!("{}\n{}", Msg::ImportNothing.text(lang), listing(file, &errors))));
    }
    let (n, unit) = if kind == "cases" { (cases.len(), Msg::Cases) } else { (people.len(), Msg::People) };
    if n > 0 {
        let record = ImportRecord {
            kind: kind.to_string(),
            file: file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
            at: chrono::Utc::now(),
            operator,
            cases: cases.len() as u64,
            people: people.len() as u64,
        };
        store.import_all(&hash, &record, &cases, &people).map_err(fail)?;
    }
    store.close().map_err(fail)?;
    super::out::line(&format!("{}: {n} {}", Msg::ImportDone.text(lang), unit.text(lang)), lang)?;
    if !errors.is_empty() {
        eprintln!("{} ({}):\n{}", Msg::ImportSkipped.text(lang), errors.len(), listing(file, &errors));
        if n > 0 {
            eprintln!("{}", Msg::ImportSkippedHint.text(lang));
        }
    }
    Ok(())
}

/// Each row built into its case by the store's rules, in the order they
/// are numbered (by registration day, then line); the refused rows named.
fn plan_cases(
    store: &Store,
    mut rows: Vec<ledger::CaseRow>,
    operator: &str,
    lang: Lang,
) -> (Vec<PlannedCase>, Vec<LineError>) {
    rows.sort_by_key(|r| (r.registered, r.line));
    let mut planned = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for row in rows {
        let commands = ledger::row_commands(&row, UNNUMBERED, operator);
        let steps: Vec<Command> = commands.iter().map(|(_, c)| c.clone()).collect();
        match store.plan_case(commands) {
            Ok(p) => planned.push(p),
            Err(refused) => {
                let step = step_name(steps.get(refused.step), lang).filter(|_| refused.step > 0);
                let mut reason = refused.error.user_message(lang);
                let revisited = matches!(steps.get(refused.step), Some(Command::FollowUp { .. }))
                    && row.satisfaction == crate::domain::Satisfaction::Unsatisfied
                    && row.follow_ups > 1;
                if revisited {
                    reason = format!("{reason} ({})", Msg::ImportUnsatisfiedHint.text(lang));
                }
                errors.push(LineError::new(row.line, step, reason));
            }
        }
    }
    (planned, errors)
}

/// `import json`: the export's format read first, then the whole file, then
/// every case checked before anything is written.
fn restore(cli: &Cli, file: &Path) -> Result<(), Failure> {
    let bytes = read_limited(file, limits::JSON_BYTES, cli.lang())?;
    restore_bytes(cli, file, bytes)
}

/// An export's bytes (read from `file`, or unpacked from a backup) into
/// the empty database.
pub fn restore_bytes(cli: &Cli, file: &Path, bytes: Vec<u8>) -> Result<(), Failure> {
    let lang = cli.lang();
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(Failure(format!("{}: {}", file.display(), Msg::RestoreNotUtf8.text(lang))));
    };
    let unreadable = |e: serde_json::Error| {
        let at = match lang {
            Lang::Zh => format!("第 {} 行第 {} 列", e.line(), e.column()),
            Lang::En => format!("line {}, column {}", e.line(), e.column()),
        };
        Failure(format!("{}: {} ({at})", file.display(), Msg::RestoreUnreadable.text(lang)))
    };
    #[derive(serde::Deserialize)]
    struct Version {
        format: u32,
    }
    let version: Version = serde_json::from_str(&text).map_err(unreadable)?;
    if version.format != crate::store::EXPORT_FORMAT {
        return Err(Failure(format!(
            "{}: {} ({} {}, {} {})",
            file.display(),
            Msg::RestoreFormat.text(lang),
            Msg::RestoreFormatFound.text(lang),
            version.format,
            Msg::RestoreFormatKnown.text(lang),
            crate::store::EXPORT_FORMAT
        )));
    }
    let export: crate::store::Export = serde_json::from_str(&text).map_err(unreadable)?;
    drop(text);
    let store = open(cli)?;
    match store.restore(&export) {
        Ok(n) => {
            store.close().map_err(|e| Failure(e.user_message(lang)))?;
            super::out::line(&format!("{}: {n} {}", Msg::ImportDone.text(lang), Msg::Cases.text(lang)), lang)
        }
        Err(RestoreError::Refused(problems)) => {
            let list: Vec<String> =
                problems.iter().map(|p| format!("  {}: {}", file.display(), p.text(lang))).collect();
            Err(Failure(format!("{}\n{}", Msg::RestoreRefused.text(lang), list.join("\n"))))
        }
        Err(RestoreError::Store(e)) => Err(Failure(e.user_message(lang))),
    }
}
