//! `jiedai import`: all or nothing. The file is read (size bounded),
//! recognised if it was imported before, every row parsed and then built
//! into its case by the store's own rules; only when all are good (or,
//! with --skip-bad, the good ones) is anything written, in chunks under a
//! mark that a crash leaves to be undone (import_cases.rs, store/staged.rs).

use std::path::Path;

use super::files::read_limited;
use super::{Cli, Failure, open};
use crate::domain::time::china_minute;
use crate::i18n::{Lang, Msg};
use crate::ledger::{self, LineError, limits};
use crate::store::{Command, ImportRecord, RestoreError, StoreError};

/// The bad rows, one a line: `file:line: column: reason`.
fn listing(file: &Path, errors: &[LineError]) -> String {
    let mut errors: Vec<&LineError> = errors.iter().collect();
    errors.sort_by_key(|e| e.line);
    errors.iter().map(|e| format!("  {}:{}: {}", file.display(), e.line, e.text())).collect::<Vec<_>>().join("\n")
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
    let record = |cases: usize, people: usize| ImportRecord {
        kind: kind.to_string(),
        file: file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
        at: chrono::Utc::now(),
        operator: operator.clone(),
        cases: cases as u64,
        people: people as u64,
    };
    // Refused whole when a row is bad (unless --skip-bad) or the rows
    // cannot be known at all.
    let refuse = |fatal: bool, errors: &[LineError]| -> Result<(), Failure> {
        if fatal {
            return Err(Failure(format!("{}\n{}", Msg::ImportFatal.text(lang), listing(file, errors))));
        }
        if !errors.is_empty() && !skip_bad {
            return Err(Failure(format!("{}\n{}", Msg::ImportNothing.text(lang), listing(file, errors))));
        }
        Ok(())
    };
    let (n, unit, errors) = if kind == "residents" {
        let p = ledger::parse_residents(&text, lang);
        drop(text);
        let mut errors = p.errors;
        let mut people = Vec::new();
        for (line, r) in p.rows {
            match store.plan_person(Command::PutResident(r)) {
                Ok(c) => people.push(c),
                Err(e) => errors.push(LineError::new(line, Some("姓名"), e.user_message(lang))),
            }
        }
        refuse(p.fatal, &errors)?;
        if !people.is_empty() {
            store.import_all(&hash, &record(0, people.len()), &[], &people).map_err(fail)?;
        }
        (people.len(), Msg::People, errors)
    } else {
        let checked = super::import_cases::check(&store, &text, &operator, lang);
        refuse(checked.fatal, &checked.errors)?;
        let n = checked.cases();
        if n > 0 {
            super::import_cases::write(&store, &text, &checked, &hash, &record(n, 0), lang)?;
        }
        (n, Msg::Cases, checked.errors)
    };
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
