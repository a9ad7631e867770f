//! `jiedai export`: json (lossless), or the ledger as csv or xlsx. A file is
//! written owner-only and atomically; what goes to the terminal carries
//! nothing a terminal would act on.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Cli, Failure};
use crate::domain::Case;
use crate::domain::time::china_date;
use crate::i18n::Msg;
use crate::protocol::{Desk, DeskError, StatsPeriod};
use crate::store::StoreError;

pub fn run(
    cli: &Cli,
    format: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: Option<&PathBuf>,
) -> Result<(), Failure> {
    let lang = cli.lang();
    if format == "xlsx" && out.is_none() {
        return Err(Failure(Msg::ErrXlsxOut.text(lang).to_string()));
    }
    // While desks are open a server holds the database: export from its
    // consistent snapshot, restored into a private copy.
    let copy = super::backup::private_copy_by_server(cli)?;
    let on_copy;
    let cli = match &copy {
        Some(c) => {
            on_copy = Cli { db: Some(c.0.clone()), ..cli.clone() };
            &on_copy
        }
        None => cli,
    };
    let desk = super::open_desk(cli)?;
    let fail = |e: DeskError| Failure(e.user_message(lang));
    let cannot = |_| Failure(Msg::ExportFailed.text(lang).to_string());
    let in_range = |c: &Case| {
        let d = china_date(c.opened_at);
        from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
    };
    // The exports read the store itself (not desk traffic), a case at a
    // time, so that memory does not grow with the database.
    let store_fail = |e: StoreError| Failure(e.user_message(lang));
    let store = desk.store().map_err(store_fail)?;
    if format != "xlsx" {
        // json and csv: written as they are read (see cli/stream.rs).
        let bom = if format == "csv" { crate::ledger::BOM } else { &b""[..] };
        let written = super::stream::write_with(out.map(|p| p.as_path()), bom, lang, |w| {
            let failed = |e: crate::store::ExportError| match e {
                crate::store::ExportError::Store(e) => store_fail(e),
                crate::store::ExportError::Write(e) => super::stream::io_failed(out.map(|p| p.as_path()), &e, lang),
            };
            if format == "csv" {
                let mut csv = crate::ledger::CsvCases::new(w).map_err(cannot)?;
                store
                    .each_case(|case| {
                        if in_range(&case) {
                            csv.push(&case).map_err(|e| crate::store::ExportError::Write(csv_io(e)))?;
                        }
                        Ok::<(), crate::store::ExportError>(())
                    })
                    .map_err(failed)?;
                csv.finish().map(drop).map_err(|e| failed(crate::store::ExportError::Write(csv_io(e))))
            } else {
                let day_in_range = |d: NaiveDate| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
                store.write_export_dated(w, in_range, day_in_range).map_err(failed)
            }
        });
        drop(store);
        desk.close().map_err(fail)?;
        written?;
        if let Some(path) = out {
            eprintln!("{}: {}", Msg::ExportDone.text(lang), path.display());
        }
        return Ok(());
    }
    // xlsx, always to a file (checked above). The ledger draws cases, not
    // their timelines: none are read, and each row leaves memory as the
    // next is written (see ledger/xlsx.rs).
    let Some(path) = out else { return Err(Failure(Msg::ErrXlsxOut.text(lang).to_string())) };
    let today = china_date(chrono::Utc::now());
    let unwritten = |_: rust_xlsxwriter::XlsxError| Failure(Msg::ExportFailed.text(lang).to_string());
    let mut book = crate::ledger::LedgerBook::new(lang).map_err(unwritten)?;
    let mut first: Option<NaiveDate> = None;
    let xlsx_failed = |e: rust_xlsxwriter::XlsxError| crate::store::ExportError::Write(std::io::Error::other(e));
    store
        .each_case(|case| {
            if in_range(&case) {
                let d = china_date(case.opened_at);
                first = Some(first.map_or(d, |f| f.min(d)));
                unpanicked(|| book.push(&case)).map_err(xlsx_failed)?;
            }
            Ok::<(), crate::store::ExportError>(())
        })
        .map_err(|e| match e {
            crate::store::ExportError::Store(e) => store_fail(e),
            crate::store::ExportError::Write(_) => Failure(Msg::ExportFailed.text(lang).to_string()),
        })?;
    let period = crate::domain::stats::Period { from: from.or(first).unwrap_or(today), to: to.unwrap_or(today) };
    let stats = desk.stats(StatsPeriod::Range(period.from, period.to), today).map_err(fail)?;
    // The township as the notices name it, so the directory that will keep
    // it changes both.
    let office = crate::notice::letterhead(&desk).map_err(fail)?.office;
    let head = crate::ledger::Heading { office, period, today };
    drop(store);
    desk.close().map_err(fail)?;
    let mut noted = None;
    super::stream::write_with(Some(path), b"", lang, |sink| {
        // The file's own failures (a full disk) named as json's and csv's are.
        let failed = |e| match e {
            rust_xlsxwriter::XlsxError::IoError(e)
            | rust_xlsxwriter::XlsxError::ZipError(zip::result::ZipError::Io(e)) => {
                super::files::io_failure(path, &e, lang)
            }
            e => unwritten(e),
        };
        noted = Some(unpanicked(|| book.finish(&stats, &head, sink)).map_err(failed)?);
        Ok(())
    })?;
    let (cuts, tall) = noted.unwrap_or_default();
    for cut in cuts {
        eprintln!("{} {} ({} {}): {}", cut.case, cut.column, cut.chars, Msg::Chars.text(lang), Msg::XlsxCut.text(lang));
    }
    for tall in tall {
        eprintln!(
            "{} {} ({} {}): {}",
            tall.case,
            tall.column,
            tall.lines,
            Msg::XlsxLines.text(lang),
            Msg::XlsxTooTall.text(lang)
        );
    }
    eprintln!("{}: {}", Msg::ExportDone.text(lang), path.display());
    Ok(())
}

/// `f`, a panic of rust_xlsxwriter's (it panics when its temporary file
/// cannot be written, a full /tmp) turned into its error: the export fails
/// with a message, the old file kept, rather than the program crashing.
fn unpanicked<T>(f: impl FnOnce() -> Result<T, rust_xlsxwriter::XlsxError>) -> Result<T, rust_xlsxwriter::XlsxError> {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(quiet);
    result.unwrap_or_else(|_| Err(rust_xlsxwriter::XlsxError::ParameterError("temporary file not written".into())))
}

/// csv's error as the writer's own, so a reader gone is still seen as one.
fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
