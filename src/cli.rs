//! The command line: the desk, and subcommands that need no terminal UI.
//! Exit codes: 0 success, 1 failure, 2 usage (told in the UI language by
//! cli/usage.rs; every help text is in cli/help.rs).

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::Look;
use crate::i18n::{Lang, Msg};
use crate::protocol::{Desk, DeskError, StatsPeriod};
use crate::store::{Embedded, Identity, Store, check::check_dir, default_dir};

mod backup;
mod export;
mod files;
mod help;
mod import;
mod import_cases;
mod import_dir;
mod out;
mod serve;
mod stream;
mod usage;

pub use usage::{lang_of_args, parse_or_exit};

// The words of every command and argument (both languages) are in
// cli/help.rs; this derive gives their shape.
#[derive(Clone, Debug, Parser)]
#[command(name = "jiedai", version)]
pub struct Cli {
    #[arg(long, env = "JIEDAI_DB", global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[arg(long, global = true, value_parser = ["zh", "en"], value_name = "LANG")]
    pub lang: Option<String>,
    #[arg(long, global = true)]
    pub ascii: bool,
    #[arg(long)]
    pub demo: bool,
    /// The desk holds the database itself, as one process (issue 14).
    #[arg(long, env = "JIEDAI_EMBEDDED")]
    pub embedded: bool,
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    /// The server's socket (issue 14): see serve::place for the default.
    #[arg(long, env = "JIEDAI_SOCKET", global = true, value_name = "PATH")]
    pub socket: Option<PathBuf>,
    #[arg(long, env = "JIEDAI_KEYPAD", value_parser = ["safe", "standard", "vt400", "sco"], value_name = "MODE")]
    pub keypad: Option<String>,
    #[command(subcommand)]
    pub command: Option<Sub>,
}

#[derive(Clone, Debug, Subcommand)]
pub enum Sub {
    Demo,
    Export {
        #[arg(long, value_parser = ["json", "csv", "xlsx"], default_value = "json", value_name = "FORMAT")]
        format: String,
        #[arg(long, value_name = "DATE", value_parser = usage::date)]
        from: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "DATE", value_parser = usage::date)]
        to: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    Import {
        #[arg(value_parser = ["villages", "cadres", "residents", "cases", "json"], value_name = "KIND")]
        kind: String,
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        skip_bad: bool,
    },
    Print {
        #[arg(value_name = "CASE")]
        case: Option<String>,
        #[arg(long, value_name = "KIND")]
        doc: Option<String>,
        #[arg(long, value_name = "DATE")]
        day: Option<String>,
        #[arg(long, value_name = "OFFICE")]
        instead: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    Check,
    Recover {
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    #[command(hide = true)]
    Screenshots {
        #[arg(long, value_name = "DIR", default_value = "screenshots")]
        out: PathBuf,
    },
    Backup {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        #[arg(long, default_value_t = 14, value_name = "N")]
        keep: usize,
    },
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    Note {
        #[arg(value_name = "CASE")]
        case: String,
        #[arg(value_name = "TEXT")]
        text: String,
    },
    Serve {
        #[arg(long, env = "JIEDAI_IDLE", default_value_t = 300, value_name = "SECONDS")]
        idle: u64,
        #[arg(long)]
        status: bool,
        #[arg(long)]
        start: bool,
        #[arg(long)]
        stop: bool,
        #[arg(long)]
        watch: bool,
    },
    Report {
        #[arg(long, value_name = "DATE", value_parser = usage::date)]
        from: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "DATE", value_parser = usage::date)]
        to: Option<chrono::NaiveDate>,
        #[arg(long, value_parser = ["text", "json"], default_value = "text", value_name = "FORMAT")]
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

    /// Who is recorded as making every change: cleaned like any text the
    /// store keeps (a name is never an escape sequence).
    pub fn operator(&self) -> String {
        let clean = |s: String| crate::domain::text::clean_line(&s);
        self.operator
            .clone()
            .map(clean)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| clean(crate::store::current_user()))
    }

    /// Who the store is told this desk is: the name given (`--operator`),
    /// else the login (which the store maps to the directory's cadre).
    /// Where the desk finds its server (or how it starts one).
    pub fn desk_target(&self) -> crate::serve::client::Target {
        serve::target(self)
    }

    pub fn identity(&self) -> Identity {
        if self.operator.as_deref().is_some_and(|o| !o.trim().is_empty()) {
            Identity::Named(self.operator())
        } else {
            Identity::Login(self.operator())
        }
    }

    /// Who runs the desk: `--operator`; else the cadre of the directory
    /// whose login this is; else the login, with the login to ask about
    /// once (which cadre it is) when the township gives its cadres logins.
    pub fn desk_operator(&self, desk: &dyn Desk) -> (String, Option<String>) {
        let login = self.operator();
        if self.operator.as_deref().is_some_and(|o| !o.trim().is_empty()) {
            return (login, None);
        }
        let Ok(d) = desk.directory() else { return (login, None) };
        match d.by_login(&login) {
            Some(c) => (c.name.clone(), None),
            None if !d.cadres.iter().any(|c| !c.retired && !c.cadre.login.is_empty()) => (login, None),
            None => (login.clone(), Some(login)),
        }
    }

    /// The keyboard mode: given (and remembered), else remembered, else
    /// safe. A settings file that cannot be read or written is said, in
    /// the user's language, before the desk starts.
    pub fn keypad(&self, lang: Lang) -> crate::input::keypad::Keypad {
        use crate::input::keypad::{ConfigTrouble, Keypad, choose, config_path};
        let given = self.keypad.as_deref().and_then(Keypad::parse);
        let (keypad, trouble) = choose(given, config_path().as_deref());
        let say = |m: Msg, p: &std::path::Path| eprintln!("jiedai: {} ({})", m.text(lang), p.display());
        match trouble {
            Some(ConfigTrouble::BadValue(p)) => say(Msg::KeypadBadConfig, &p),
            Some(ConfigTrouble::NotSaved(p)) => say(Msg::KeypadNotSaved, &p),
            None => {}
        }
        keypad
    }
}

/// A failure the user reads, already in their language.
pub struct Failure(pub String);

impl Failure {
    /// Stdout's reader went away (`| head -1`): not a failure to report.
    pub fn reader_gone() -> Failure {
        Failure(String::new())
    }

    /// Ends quietly, with status 0.
    pub fn is_reader_gone(&self) -> bool {
        self.0.is_empty()
    }
}

/// The store a subcommand works on. Reading commands get a private copy and
/// never write to the database; the others open it, creating a new one at
/// the default path (with its parents) or at `--db` (its last component).
fn open(cli: &Cli) -> Result<Store, Failure> {
    let dir = cli.db_dir();
    let fail = |e: crate::store::StoreError| Failure(format!("{}\n({})", serve::locked(cli, &e), dir.display()));
    let reading =
        matches!(cli.command, Some(Sub::Report { .. } | Sub::Export { .. } | Sub::Check | Sub::Backup { .. }));
    if reading {
        return Store::open_read(&dir).map_err(fail);
    }
    if cli.db.is_none() {
        crate::store::make_default_parents(&dir).map_err(fail)?;
    }
    Store::open(&dir).map_err(fail)
}

/// The store as a desk sees it: through the port, signing as `cli.identity()`.
fn open_desk(cli: &Cli) -> Result<Embedded, Failure> {
    Ok(Embedded::new(open(cli)?, cli.identity()))
}

/// Why the desk could not run, in the user's language: most often there is
/// no terminal (run from a script, or a cron job).
pub fn desk_failure(e: &anyhow::Error, lang: Lang) -> Failure {
    let why = match e.downcast_ref::<std::io::Error>() {
        Some(io) if matches!(io.raw_os_error(), Some(libc::ENXIO | libc::ENOTTY)) => {
            Msg::ErrNoTerminal.text(lang).to_string()
        }
        Some(io) => crate::i18n::io_text(io, lang),
        None => match (e.downcast_ref::<DeskError>(), e.downcast_ref::<crate::store::StoreError>()) {
            // The port's errors (closing on a full disk...) carry both languages.
            (Some(desk), _) => desk.user_message(lang),
            (None, Some(store)) => store.user_message(lang),
            (None, None) => Msg::ErrStoreInternal.text(lang).to_string(),
        },
    };
    Failure(format!("{}: {why}", Msg::ErrDesk.text(lang)))
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
            let done =
                format!("{}: {n} {} ({})", Msg::DemoDone.text(lang), Msg::Cases.text(lang), store.dir().display());
            store.close().map_err(|e| Failure(e.user_message(lang)))?;
            out::line(&done, lang)
        }
        Sub::Export { format, from, to, out } => export::run(cli, format, *from, *to, out.as_ref()),
        Sub::Import { kind, file, skip_bad } => import::run(cli, kind, file, *skip_bad),
        Sub::Print { case, doc, day, instead, out } => {
            let job = print_job(lang, case.as_deref(), doc.as_deref(), day.as_deref(), instead.as_deref(), out)
                .unwrap_or_else(|text| usage_exit(&text, lang));
            let desk = open_desk(cli)?;
            let today = crate::domain::time::china_date(chrono::Utc::now());
            let result = crate::notice::print(&desk, &job, today, std::path::Path::new("."), lang);
            desk.close().map_err(|e| Failure(e.user_message(lang)))?;
            let printed = result.map_err(|e| Failure(e.user_message(lang)))?;
            out::line(&crate::notice::done_message(&printed, lang, false), lang)
        }
        Sub::Screenshots { out } => {
            let names = crate::screenshots::write_all(out).map_err(|e| match e.downcast_ref::<std::io::Error>() {
                Some(io) => files::io_failure(out, io, lang),
                None => Failure(format!("{}: {}", out.display(), Msg::ExportFailed.text(lang))),
            })?;
            out::line(&format!("{} ({})", names.len(), out.display()), lang)
        }
        Sub::Report { from, to, format } => {
            let request = crate::serve::wire::Request::Report { from: *from, to: *to, json: format == "json" };
            if let Some(text) = backup::by_server(cli, request)? {
                return out::line(&text, lang);
            }
            let desk = open_desk(cli)?;
            let today = crate::domain::time::china_date(chrono::Utc::now());
            let fail = |e: DeskError| Failure(e.user_message(lang));
            let to = to.unwrap_or(today);
            let from = match from {
                Some(d) => *d,
                None => desk.first_day().map_err(fail)?.unwrap_or(today),
            };
            if from > to {
                return Err(Failure(Msg::ErrPeriod.text(lang).to_string()));
            }
            let stats = desk.stats(StatsPeriod::Range(from, to), today).map_err(fail)?;
            desk.close().map_err(fail)?;
            let text = if format == "json" {
                #[derive(serde::Serialize)]
                struct Report<'a> {
                    sentences: Vec<String>,
                    stats: &'a crate::domain::stats::Stats,
                }
                let r = Report { sentences: stats.sentences(lang, today), stats: &stats };
                serde_json::to_string_pretty(&r).map_err(|_| Failure(Msg::ExportFailed.text(lang).to_string()))?
            } else {
                report_text(&stats, lang, today)
            };
            // Names of villages and categories come from the data: nothing
            // in them reaches the terminal as a control.
            let text = crate::domain::text::printable(&text);
            out::line(&text, lang)
        }
        Sub::Serve { idle, status, start, stop, watch } => {
            serve::run(cli, *idle, *status || *start, *start, *stop, *watch)
        }
        Sub::Note { case, text } => serve::note(cli, case, text),
        Sub::Backup { dir, keep } => backup::backup(cli, dir, *keep),
        Sub::Restore { file } => backup::restore(cli, file),
        Sub::Recover { out } => recover(cli, out.as_deref()),
        Sub::Check => {
            let dir = cli.db_dir();
            if let Some(result) = backup::check_by_server(cli)? {
                return result;
            }
            // This is `jiedai check`: the store's hint to run it points on
            // to `jiedai recover` instead.
            let (problems, count) = check_dir(&dir).map_err(|e| {
                Failure(
                    e.user_message(lang).replace(Msg::ErrDamagedHint.text(lang), Msg::ErrDamagedHintCheck.text(lang)),
                )
            })?;
            if problems.is_empty() {
                out::line(
                    &format!("{}: {count} {} ({})", Msg::CheckOk.text(lang), Msg::Cases.text(lang), dir.display()),
                    lang,
                )
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

/// `jiedai report`'s text (or JSON), from the desk's store or the server's.
pub fn report(
    store: &Store,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    json: bool,
    lang: Lang,
) -> Result<String, Failure> {
    let today = crate::domain::time::china_date(chrono::Utc::now());
    let fail = |e: crate::store::StoreError| Failure(e.user_message(lang));
    let to = to.unwrap_or(today);
    let from = match from {
        Some(d) => d,
        None => store.first_day().map_err(fail)?.unwrap_or(today),
    };
    if from > to {
        return Err(Failure(Msg::ErrPeriod.text(lang).to_string()));
    }
    let stats = store.stats(crate::domain::stats::Period { from, to }).map_err(fail)?;
    let text = if json {
        #[derive(serde::Serialize)]
        struct Report<'a> {
            sentences: Vec<String>,
            stats: &'a crate::domain::stats::Stats,
        }
        let r = Report { sentences: stats.sentences(lang, today), stats: &stats };
        serde_json::to_string_pretty(&r).map_err(|_| Failure(Msg::ExportFailed.text(lang).to_string()))?
    } else {
        report_text(&stats, lang, today)
    };
    // Names of villages and categories come from the data: nothing
    // in them reaches the terminal as a control.
    Ok(crate::domain::text::printable(&text))
}

/// A usage error: said in the user's language, exit code 2 (as clap's own).
fn usage_exit(text: &str, lang: Lang) -> ! {
    let _ = writeln!(std::io::stderr(), "jiedai print: {text}\n{}: jiedai print --help", Msg::UsageMoreHelp.text(lang));
    std::process::exit(2)
}

/// `jiedai print`'s arguments as a job; a usage error says what to type.
fn print_job(
    lang: Lang,
    case: Option<&str>,
    doc: Option<&str>,
    day: Option<&str>,
    instead: Option<&str>,
    out: &Option<PathBuf>,
) -> Result<crate::notice::PrintJob, String> {
    use crate::domain::DocKind;
    let t = |m: Msg| m.text(lang);
    let kinds = DocKind::ALL.iter().map(|k| format!("{} ({})", k.zh(), k.ascii())).collect::<Vec<_>>().join(", ");
    let kind = match doc {
        Some(d) => Some(
            DocKind::parse(d)
                .ok_or_else(|| format!("{}: {d}\n{}: {kinds}", t(Msg::ErrPrintKind), t(Msg::ErrPrintKinds)))?,
        ),
        None => None,
    };
    let example_day = "jiedai print --day 2026-02-12 --doc day";
    let example_case = "jiedai print 2026-0001 --doc accept";
    let today = crate::domain::time::china_date(chrono::Utc::now());
    let (doc, case, day) = match (case, day) {
        (None, None) => return Err(format!("{}:\n  {example_case}\n  {example_day}", t(Msg::ErrPrintWhat))),
        (Some(_), Some(_)) => return Err(format!("{}:\n  {example_case}\n  {example_day}", t(Msg::ErrPrintBoth))),
        (None, Some(d)) => {
            if kind.is_some_and(|k| k != DocKind::DaySheet) {
                return Err(format!("{}: {example_day}", t(Msg::ErrPrintDayOnly)));
            }
            let day =
                crate::app::action::parse_date(d, today).ok_or_else(|| format!("--day {d}: {}", t(Msg::ErrDate)))?;
            (DocKind::DaySheet, None, Some(day))
        }
        (Some(c), None) => {
            let no: crate::domain::CaseNo = c.parse().map_err(|_| format!("{c}: {}", t(Msg::ErrCaseNoCli)))?;
            match kind {
                None => return Err(format!("{}: {kinds}\n  {example_case}", t(Msg::ErrPrintNeedsDoc))),
                Some(DocKind::DaySheet) => return Err(format!("{}: {example_day}", t(Msg::ErrPrintDayNeedsDate))),
                Some(k) => (k, Some(no), None),
            }
        }
    };
    Ok(crate::notice::PrintJob { doc, case, day, instead: instead.unwrap_or("").to_string(), out: out.clone() })
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
    if !stats.pairing.is_empty() {
        out.push(String::new());
        out.push(t(Msg::StatsPairing).to_string());
        out.push(format!(
            "{}\t{}\t{}\t{}",
            t(Msg::StatsPairCadre),
            t(Msg::StatsPairHouseholds),
            t(Msg::StatsPairVisits),
            t(Msg::StatsPairCases)
        ));
        for p in &stats.pairing {
            out.push(format!("{}\t{}\t{}\t{}", p.cadre, p.households, p.visits, p.cases));
        }
    }
    if !stats.openings.is_empty() {
        out.push(String::new());
        out.push(crate::app::opinion_box::report_lines(&stats.openings, lang).join("\n"));
    }
    out.join("\n")
}
/// `jiedai recover`: what could be salvaged, where it went, and what was lost.
fn recover(cli: &Cli, out: Option<&std::path::Path>) -> Result<(), Failure> {
    let lang = cli.lang();
    let dir = cli.db_dir();
    let fail = |e: crate::store::StoreError| Failure(format!("{}\n({})", serve::locked(cli, &e), dir.display()));
    let report = crate::store::recover::recover(&dir, out).map_err(fail)?;
    out::line(&report.text(lang), lang)
}
