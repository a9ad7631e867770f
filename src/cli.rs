//! The command line: the desk, and subcommands that need no terminal UI.
//! Exit codes: 0 success, 1 failure, 2 usage (clap's own).

use std::io::Write;
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
    /// Write every record out (json: lossless)
    Export {
        #[arg(long, value_parser = ["json"], default_value = "json")]
        format: String,
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Verify the database: decode every record, rebuild every case from its events, compare the indexes
    Check,
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
        Sub::Export { format: _, out } => {
            let store = open(cli)?;
            let export = store.export().map_err(|e| Failure(e.user_message(lang)))?;
            store.close().map_err(|e| Failure(e.user_message(lang)))?;
            let json = serde_json::to_string_pretty(&export).map_err(|e| Failure(e.to_string()))?;
            match out {
                Some(path) => {
                    std::fs::write(path, json + "\n").map_err(|e| Failure(format!("{}: {e}", path.display())))?;
                    eprintln!("{}: {}", Msg::ExportDone.text(lang), path.display());
                }
                None => {
                    let mut stdout = std::io::stdout().lock();
                    writeln!(stdout, "{json}").map_err(|e| Failure(e.to_string()))?;
                }
            }
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
