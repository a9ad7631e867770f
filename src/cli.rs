//! The command line: the desk, and subcommands that need no terminal UI.
//! Exit codes: 0 success, 1 failure, 2 usage (clap's own).

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::Look;
use crate::i18n::{Lang, Msg};
use crate::store::{Store, check::check_dir, default_dir};

#[derive(Debug, Parser)]
#[command(
    name = "jiedai",
    version,
    about = "群众接待日 reception desk: register residents' problems, follow them up, report.",
    long_about = "群众接待日 reception desk for a township: the Wednesday intake queue, pending cases, \
                  site inspections, return visits and the township's statistics. Keyboard only; \
                  works over SSH at 80x24."
)]
pub struct Cli {
    /// Database directory [default: under the user's data directory]
    #[arg(long, env = "JIEDAI_DB", global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Interface language (default: Chinese unless the locale is English)
    #[arg(long, global = true, value_parser = ["zh", "en"])]
    pub lang: Option<String>,
    /// Draw no box-drawing or ambiguous-width characters
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Open a fresh throwaway database filled with the demo data
    #[arg(long)]
    pub demo: bool,
    /// Name recorded as the operator of every change [default: the login name]
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    #[command(subcommand)]
    pub command: Option<Sub>,
}

#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Fill an empty database with the seed article's cases
    Demo,
    /// Write the records out: json (lossless), or the ledger as csv or xlsx (for Excel and WPS)
    Export {
        #[arg(long, value_parser = ["json", "csv", "xlsx"], default_value = "json")]
        format: String,
        /// Only cases registered from this day (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        from: Option<chrono::NaiveDate>,
        /// Only cases registered up to this day
        #[arg(long, value_name = "DATE")]
        to: Option<chrono::NaiveDate>,
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Read records in: residents, cadres or cases (CSV, UTF-8 or GBK), or a json export
    Import {
        #[arg(value_parser = ["residents", "cadres", "cases", "json"])]
        kind: String,
        file: PathBuf,
        /// Import the good lines and report the bad ones, instead of nothing
        #[arg(long)]
        skip_bad: bool,
    },
    /// Verify the database: decode every record, rebuild every case from its events, compare the indexes
    Check,
    /// Draw the README's screenshots from the demo data (SVG and text)
    #[command(hide = true)]
    Screenshots {
        #[arg(long, value_name = "DIR", default_value = "screenshots")]
        out: PathBuf,
    },
    /// The township's report for a period, in its own sentences, and the figures behind it
    Report {
        /// First day (China time), YYYY-MM-DD [default: the first case on record]
        #[arg(long, value_name = "DATE")]
        from: Option<chrono::NaiveDate>,
        /// Last day, YYYY-MM-DD [default: today]
        #[arg(long, value_name = "DATE")]
        to: Option<chrono::NaiveDate>,
        #[arg(long, value_parser = ["text", "json"], default_value = "text")]
        format: String,
    },
}

impl Cli {
    pub fn lang(&self) -> Lang {
        self.lang.as_deref().and_then(Lang::parse).unwrap_or_else(Lang::from_env)
    }

    pub fn look(&self) -> Look {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Look { lang: self.lang(), ascii: self.ascii, color: !no_color }
    }

    pub fn db_dir(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(default_dir)
    }

    pub fn operator(&self) -> String {
        self.operator.clone().unwrap_or_else(crate::store::current_user)
    }
}

/// A failure the user reads, already in their language.
pub struct Failure(pub String);

fn open(cli: &Cli) -> Result<Store, Failure> {
    let dir = cli.db_dir();
    Store::open(&dir).map_err(|e| Failure(format!("{}\n({})", e.user_message(cli.lang()), dir.display())))
}

/// Run a subcommand; the desk itself is run by `main`.
pub fn run_sub(cli: &Cli, sub: &Sub) -> Result<(), Failure> {
    let lang = cli.lang();
    match sub {
        Sub::Demo => {
            let store = open(cli)?;
            if !store.is_empty() {
                return Err(Failure(Msg::DemoNotEmpty.text(lang).to_string()));
            }
            let today = crate::domain::time::china_date(chrono::Utc::now());
            let n = crate::demo::load(&store, today).map_err(|e| Failure(e.user_message(lang)))?;
            println!("{}: {n} {} ({})", Msg::DemoDone.text(lang), Msg::Cases.text(lang), store.dir().display());
            store.close().map_err(|e| Failure(e.user_message(lang)))
        }
        Sub::Export { format, from, to, out } => {
            let store = open(cli)?;
            let fail = |e: crate::store::StoreError| Failure(e.user_message(lang));
            let mut export = store.export().map_err(fail)?;
            let in_range = |c: &crate::domain::Case| {
                let d = crate::domain::time::china_date(c.opened_at);
                from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
            };
            export.cases.retain(|ec| in_range(&ec.case));
            let bytes = if format == "xlsx" {
                let Some(_) = out else { return Err(Failure(Msg::ErrXlsxOut.text(lang).to_string())) };
                let today = crate::domain::time::china_date(chrono::Utc::now());
                let cases: Vec<_> =
                    store.cases_with_events().map_err(fail)?.into_iter().filter(|(c, _)| in_range(c)).collect();
                let first = cases.iter().map(|(c, _)| crate::domain::time::china_date(c.opened_at)).min();
                let period =
                    crate::domain::stats::Period { from: from.or(first).unwrap_or(today), to: to.unwrap_or(today) };
                let stats = store.stats(period).map_err(fail)?;
                crate::ledger::cases_xlsx(&cases, &stats, lang, today).map_err(|e| Failure(e.to_string()))?
            } else if format == "csv" {
                let cases = store.cases_with_events().map_err(fail)?;
                let cases: Vec<_> = cases.into_iter().filter(|(c, _)| in_range(c)).collect();
                crate::ledger::cases_csv(&cases, lang).map_err(|e| Failure(e.to_string()))?
            } else {
                let mut json = serde_json::to_vec_pretty(&export).map_err(|e| Failure(e.to_string()))?;
                json.push(b'\n');
                json
            };
            store.close().map_err(fail)?;
            match out {
                Some(path) => {
                    std::fs::write(path, &bytes).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
                    eprintln!("{}: {}", Msg::ExportDone.text(lang), path.display());
                }
                None => std::io::stdout().lock().write_all(&bytes).map_err(|e| Failure(e.to_string()))?,
            }
            Ok(())
        }
        Sub::Import { kind, file, skip_bad } => import(cli, kind, file, *skip_bad),
        Sub::Screenshots { out } => {
            let names = crate::screenshots::write_all(out).map_err(|e| Failure(e.to_string()))?;
            println!("{} ({})", names.len(), out.display());
            Ok(())
        }
        Sub::Report { from, to, format } => {
            let store = open(cli)?;
            let today = crate::domain::time::china_date(chrono::Utc::now());
            let fail = |e: crate::store::StoreError| Failure(e.user_message(lang));
            let to = to.unwrap_or(today);
            let from = match from {
                Some(d) => *d,
                None => store.first_day().map_err(fail)?.unwrap_or(today),
            };
            if from > to {
                return Err(Failure(Msg::ErrPeriod.text(lang).to_string()));
            }
            let stats = store.stats(crate::domain::stats::Period { from, to }).map_err(fail)?;
            store.close().map_err(fail)?;
            let text = if format == "json" {
                #[derive(serde::Serialize)]
                struct Report<'a> {
                    sentences: Vec<String>,
                    stats: &'a crate::domain::stats::Stats,
                }
                let r = Report { sentences: stats.sentences(lang, today), stats: &stats };
                serde_json::to_string_pretty(&r).map_err(|e| Failure(e.to_string()))?
            } else {
                report_text(&stats, lang, today)
            };
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{text}").map_err(|e| Failure(e.to_string()))?;
            Ok(())
        }
        Sub::Check => {
            let dir = cli.db_dir();
            let (problems, count) = check_dir(&dir).map_err(|e| Failure(e.user_message(lang)))?;
            if problems.is_empty() {
                println!("{}: {count} {} ({})", Msg::CheckOk.text(lang), Msg::Cases.text(lang), dir.display());
                Ok(())
            } else {
                let mut text = format!("{} ({}):", Msg::CheckProblems.text(lang), dir.display());
                for p in &problems {
                    text.push_str(&format!("\n  - {}", p.text(lang)));
                }
                Err(Failure(text))
            }
        }
    }
}

/// The report as text: the sentences, then the figures behind them.
pub fn report_text(stats: &crate::domain::stats::Stats, lang: Lang, today: chrono::NaiveDate) -> String {
    let t = |m: Msg| m.text(lang);
    let mut out: Vec<String> = stats.sentences(lang, today);
    out.push(String::new());
    out.push(format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        t(Msg::StatsByChannel),
        t(Msg::StatsPeople),
        t(Msg::StatsRegistered),
        t(Msg::StatsAccepted),
        t(Msg::StatsConcluded),
        t(Msg::StatsImplemented),
        t(Msg::StatsFollowUps),
        t(Msg::StatsSatisfied)
    ));
    for (c, s) in &stats.by_channel {
        out.push(format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            c.label(lang),
            s.people,
            s.registered,
            s.accepted,
            s.concluded,
            s.implemented,
            s.follow_ups,
            s.satisfied
        ));
    }
    let (sat, fu) = stats.satisfaction();
    out.push(String::new());
    out.push(format!("{}: {}", t(Msg::StatsInspections), stats.inspections));
    out.push(format!(
        "{}: {} ({} {} / {} {})",
        t(Msg::StatsEscalations),
        stats.escalations,
        stats.requested_yuan,
        t(Msg::Yuan),
        t(Msg::StatsGranted),
        stats.granted_yuan
    ));
    out.push(format!("{}: {sat}/{fu}", t(Msg::StatsSatisfied)));
    out.push(format!("{}: {}/{}", t(Msg::StatsOnTime), stats.on_time, stats.concluded));
    out.push(format!("{}: {}", t(Msg::StatsOverdue), stats.overdue));
    let minutes = |m: Option<i64>| m.map_or("-".to_string(), |m| m.to_string());
    out.push(format!(
        "{}: {}  {}: {}",
        t(Msg::StatsWait),
        minutes(stats.median_wait_min),
        t(Msg::StatsService),
        minutes(stats.median_service_min)
    ));
    let join = |items: &[(String, u64)]| {
        items.iter().map(|(k, n)| format!("{} {n}", if k.is_empty() { "-" } else { k })).collect::<Vec<_>>().join(", ")
    };
    out.push(format!("{}: {}", t(Msg::StatsByCategory), join(&stats.by_category)));
    out.push(format!("{}: {}", t(Msg::StatsByVillage), join(&stats.by_village)));
    out.join("\n")
}

fn import(cli: &Cli, kind: &str, file: &std::path::Path, skip_bad: bool) -> Result<(), Failure> {
    use crate::ledger::{LineError, decode_text, parse_cadres, parse_cases, parse_residents, row_commands};
    use crate::store::{Command, Stamp};
    let lang = cli.lang();
    let bytes = std::fs::read(file).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    let text = decode_text(&bytes).map_err(|m| Failure(format!("{}: {}", file.display(), m.text(lang))))?;
    let store = open(cli)?;
    let fail = |e: crate::store::StoreError| Failure(e.user_message(lang));
    if kind == "json" {
        let export: crate::store::Export =
            serde_json::from_str(&text).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
        let n = store.restore(&export).map_err(fail)?;
        store.close().map_err(fail)?;
        println!("{}: {n} {}", Msg::ImportDone.text(lang), Msg::Cases.text(lang));
        return Ok(());
    }
    let report = |errors: &[LineError]| -> String {
        errors.iter().map(|e| format!("  {}:{}: {}", file.display(), e.line, e.reason)).collect::<Vec<_>>().join("\n")
    };
    let stamp = Stamp { at: chrono::Utc::now(), operator: cli.operator() };
    let (commands, errors, cases): (Vec<Command>, Vec<LineError>, Option<Vec<crate::ledger::CaseRow>>) = match kind {
        "residents" => {
            let (rows, errors) = parse_residents(&text, lang);
            (rows.into_iter().map(Command::PutResident).collect(), errors, None)
        }
        "cadres" => {
            let (rows, errors) = parse_cadres(&text, lang);
            (rows.into_iter().map(Command::PutCadre).collect(), errors, None)
        }
        _ => {
            let (mut rows, errors) = parse_cases(&text, lang);
            rows.sort_by_key(|r| (r.registered, r.line));
            (Vec::new(), errors, Some(rows))
        }
    };
    if !errors.is_empty() && !skip_bad {
        return Err(Failure(format!("{}\n{}", Msg::ImportNothing.text(lang), report(&errors))));
    }
    let mut n = 0;
    for cmd in commands {
        store.execute_unflushed(&stamp, cmd).map_err(fail)?;
        n += 1;
    }
    for row in cases.unwrap_or_default() {
        // The registration first: its number is what the rest refer to.
        let first = row_commands(&row, crate::domain::CaseNo { year: 0, seq: 0 }, &stamp.operator).into_iter().next();
        let Some((at, register)) = first else { continue };
        let no = match store.execute_unflushed(&at, register).map_err(fail)? {
            crate::store::Done::Registered(no) => no,
            _ => continue,
        };
        for (at, cmd) in row_commands(&row, no, &stamp.operator).into_iter().skip(1) {
            store
                .execute_unflushed(&at, cmd)
                .map_err(|e| Failure(format!("{}:{}: {}", file.display(), row.line, e.user_message(lang))))?;
        }
        n += 1;
    }
    store.flush_durable().map_err(fail)?;
    store.close().map_err(fail)?;
    println!("{}: {n}", Msg::ImportDone.text(lang));
    if !errors.is_empty() {
        eprintln!("{} ({}):\n{}", Msg::ImportSkipped.text(lang), errors.len(), report(&errors));
    }
    Ok(())
}
