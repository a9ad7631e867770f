//! `jiedai import villages|cadres`: the township's directory from its
//! spreadsheets, all or nothing like every import. Rows are read, turned
//! into directory changes and checked by the store's own rules in order;
//! every bad line is named; only when all are good (or, with --skip-bad,
//! the good ones) is anything written, in one transaction with the record
//! of the file.

use std::path::Path;

use super::files::read_limited;
use super::{Cli, Failure, open};
use crate::domain::time::china_minute;
use crate::domain::{DirChange, Directory};
use crate::i18n::{Lang, Msg};
use crate::ledger::{self, LineError, limits};
use crate::store::{ImportRecord, Stamp, StoreError};

/// The file's rows as directory changes, each with its line; the
/// villages merge the groups they already have with the file's.
fn changes(kind: &str, text: &str, now: &Directory, lang: Lang) -> (Vec<(u64, DirChange)>, Vec<LineError>, bool) {
    let mut out = Vec::new();
    if kind == "villages" {
        let p = ledger::parse_villages(text, lang);
        let mut errors = p.errors;
        let mut township: Option<String> = None;
        let mut villages: Vec<(u64, String, Vec<String>)> = Vec::new();
        for row in p.rows {
            if !row.township.is_empty() {
                match &township {
                    Some(t) if *t != row.township => {
                        errors.push(LineError::new(row.line, Some("乡镇"), format!("{t} / {}", row.township)));
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        township = Some(row.township.clone());
                        if now.township != row.township {
                            out.push((row.line, DirChange::Township { name: row.township.clone() }));
                        }
                    }
                }
            }
            match villages.iter_mut().find(|v| v.1 == row.village) {
                Some(v) => v.2.extend(row.groups),
                None => {
                    let had = now.village(&row.village).map(|v| v.groups.clone()).unwrap_or_default();
                    villages.push((row.line, row.village, had.into_iter().chain(row.groups).collect()));
                }
            }
        }
        out.extend(villages.into_iter().map(|(line, name, groups)| (line, DirChange::Village { name, groups })));
        return (out, errors, p.fatal);
    }
    let p = ledger::parse_directory_cadres(text, lang);
    for mut row in p.rows {
        // An empty 登录名 keeps the login the cadre has.
        if row.cadre.login.is_empty()
            && let Some(c) = now.cadre(&row.cadre.name)
        {
            row.cadre.login = c.cadre.login.clone();
        }
        let name = row.cadre.name.clone();
        out.push((row.line, DirChange::Cadre(row.cadre)));
        out.extend(row.duty.into_iter().map(|date| (row.line, DirChange::Duty { date, cadre: name.clone() })));
    }
    (out, p.errors, p.fatal)
}

fn listing(file: &Path, errors: &[LineError]) -> String {
    let mut errors: Vec<&LineError> = errors.iter().collect();
    errors.sort_by_key(|e| e.line);
    errors.dedup_by_key(|e| e.line);
    errors.iter().map(|e| format!("  {}:{}: {}", file.display(), e.line, e.text())).collect::<Vec<_>>().join("\n")
}

pub fn run(cli: &Cli, kind: &str, file: &Path, skip_bad: bool) -> Result<(), Failure> {
    let lang = cli.lang();
    let bytes = read_limited(file, limits::CSV_BYTES, lang)?;
    let text = ledger::decode_text(&bytes).map_err(|m| Failure(format!("{}: {}", file.display(), m.text(lang))))?;
    drop(bytes);
    let hash = ledger::content_hash(kind, &text);
    let store = open(cli)?;
    let fail = |e: StoreError| Failure(e.user_message(lang));
    let unit = if kind == "villages" { Msg::Villages } else { Msg::People };
    if let Some(before) = store.imported(&hash).map_err(fail)? {
        store.close().map_err(fail)?;
        println!(
            "{}: {} ({}, {} {}, {} {})",
            file.display(),
            Msg::ImportAlready.text(lang),
            china_minute(before.at),
            Msg::ImportAlreadyBy.text(lang),
            before.operator,
            before.people,
            unit.text(lang)
        );
        return Ok(());
    }
    let (mut planned, mut errors, fatal) = changes(kind, &text, &store.directory().map_err(fail)?, lang);
    if fatal {
        return Err(Failure(format!("{}\n{}", Msg::ImportFatal.text(lang), listing(file, &errors))));
    }
    // The directory is written in one transaction: its files stay small.
    if let Some((line, _)) = planned.get(limits::DIRECTORY_ROWS) {
        let reason = format!("{} {}", Msg::ErrTooManyRows.text(lang), limits::DIRECTORY_ROWS);
        let errors = [LineError::new(*line, None, reason)];
        return Err(Failure(format!("{}\n{}", Msg::ImportFatal.text(lang), listing(file, &errors))));
    }
    // Checked in order by the directory's rules; with --skip-bad a refused
    // line is dropped whole and the rest checked again.
    loop {
        let only: Vec<DirChange> = planned.iter().map(|(_, c)| c.clone()).collect();
        let refused = store.plan_directory(&only).map_err(fail)?;
        if refused.is_empty() {
            break;
        }
        let mut bad = Vec::new();
        for r in refused {
            if let Some((line, change)) = planned.get(r.index) {
                let column = match change {
                    DirChange::Cadre(_) if r.error.0 == Msg::ErrDirUnknownPlace => "联系",
                    DirChange::Cadre(_) if r.error.0 == Msg::ErrDirLoginTaken => "登录名",
                    DirChange::Cadre(_) if r.error.0 == Msg::ErrPhone => "电话",
                    DirChange::Duty { .. } => "值班",
                    DirChange::Township { .. } => "乡镇",
                    DirChange::Village { .. } => "村",
                    _ => "姓名",
                };
                errors.push(LineError::new(*line, Some(column), r.error.0.text(lang)));
                bad.push(*line);
            }
        }
        planned.retain(|(line, _)| !bad.contains(line));
        if !skip_bad {
            break;
        }
    }
    if !errors.is_empty() && !skip_bad {
        return Err(Failure(format!("{}\n{}", Msg::ImportNothing.text(lang), listing(file, &errors))));
    }
    let count = |c: &DirChange| matches!(c, DirChange::Village { .. } | DirChange::Cadre(_));
    let n = planned.iter().filter(|(_, c)| count(c)).count();
    if !planned.is_empty() {
        let operator = cli.operator();
        let record = ImportRecord {
            kind: kind.to_string(),
            file: file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
            at: chrono::Utc::now(),
            operator: operator.clone(),
            cases: 0,
            people: n as u64,
        };
        let stamp = Stamp { at: record.at, operator };
        let changes = planned.into_iter().map(|(_, c)| c).collect();
        store.import_directory(&hash, &record, &stamp, changes).map_err(fail)?;
    }
    store.close().map_err(fail)?;
    println!("{}: {n} {}", Msg::ImportDone.text(lang), unit.text(lang));
    if !errors.is_empty() {
        eprintln!("{} ({}):\n{}", Msg::ImportSkipped.text(lang), errors.len(), listing(file, &errors));
    }
    Ok(())
}
