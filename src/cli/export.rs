//! `jiedai export`: json (lossless), or the ledger as csv or xlsx. A file is
//! written owner-only and atomically; what goes to the terminal carries
//! nothing a terminal would act on.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::files::write_atomic;
use super::{Cli, Failure};
use crate::domain::Case;
use crate::domain::text::printable;
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
    // The ledgers are read through the port; the JSON export (the whole
    // database, for a restore) from the store itself.
    let desk = super::open_desk(cli)?;
    let fail = |e: DeskError| Failure(e.user_message(lang));
    let cannot = |_| Failure(Msg::ExportFailed.text(lang).to_string());
    let in_range = |c: &Case| {
        let d = china_date(c.opened_at);
        from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
    };
    let bytes = match format {
        "xlsx" => {
            let today = china_date(chrono::Utc::now());
            let cases: Vec<_> =
                desk.cases_with_events().map_err(fail)?.into_iter().filter(|(c, _)| in_range(c)).collect();
            let first = cases.iter().map(|(c, _)| china_date(c.opened_at)).min();
            let period =
                crate::domain::stats::Period { from: from.or(first).unwrap_or(today), to: to.unwrap_or(today) };
            let stats = desk.stats(StatsPeriod::Range(period.from, period.to), today).map_err(fail)?;
            // The township as the notices name it, so the directory that
            // will keep it changes both.
            let office = crate::notice::letterhead(&desk).map_err(fail)?.office;
            let head = crate::ledger::Heading { office, period, today };
            let ledger = crate::ledger::cases_xlsx(&cases, &stats, &head, lang)
                .map_err(|_| Failure(Msg::ExportFailed.text(lang).to_string()))?;
            for cut in ledger.cuts {
                eprintln!(
                    "{} {} ({} {}): {}",
                    cut.case,
                    cut.column,
                    cut.chars,
                    Msg::Chars.text(lang),
                    Msg::XlsxCut.text(lang)
                );
            }
            for tall in ledger.tall {
                eprintln!(
                    "{} {} ({} {}): {}",
                    tall.case,
                    tall.column,
                    tall.lines,
                    Msg::XlsxLines.text(lang),
                    Msg::XlsxTooTall.text(lang)
                );
            }
            ledger.bytes
        }
        "csv" => {
            let cases: Vec<_> =
                desk.cases_with_events().map_err(fail)?.into_iter().filter(|(c, _)| in_range(c)).collect();
            crate::ledger::cases_csv(&cases, lang).map_err(cannot)?
        }
        _ => {
            let store_fail = |e: StoreError| Failure(e.user_message(lang));
            let mut export = desk.store().and_then(|s| s.export()).map_err(store_fail)?;
            export.cases.retain(|ec| in_range(&ec.case));
            let mut json =
                serde_json::to_vec_pretty(&export).map_err(|_| Failure(Msg::ExportFailed.text(lang).to_string()))?;
            json.push(b'\n');
            json
        }
    };
    desk.close().map_err(fail)?;
    match out {
        Some(path) => {
            write_atomic(path, &bytes, lang)?;
            eprintln!("{}: {}", Msg::ExportDone.text(lang), path.display());
        }
        None => {
            // The stored text is clean; whatever is not, a terminal never
            // sees. The CSV's BOM stays: `> file.csv` is for Excel.
            let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) => (&b"\xEF\xBB\xBF"[..], rest),
                None => (&b""[..], &bytes[..]),
            };
            let text = printable(&String::from_utf8_lossy(body));
            super::out::bytes(&[bom, text.as_bytes()].concat(), lang)?;
        }
    }
    Ok(())
}
