//! `jiedai serve`: run the server, or ask the running one its status, or
//! to stop when its last client has gone.

use std::time::Duration;

use super::{Cli, Failure, out};
use crate::i18n::{Msg, fill};
use crate::serve::{client, server, wire::Request};

/// Where this command's server is.
pub fn target(cli: &Cli) -> client::Target {
    client::Target {
        db: cli.db.clone(),
        place: crate::serve::place::Place::new(cli.socket.as_deref(), &cli.db_dir()),
        lang: cli.lang(),
        program: None,
    }
}

/// `--status` only asks; `--start` starts a server in the background when
/// none answers (as the desk does), then says its status.
pub fn run(cli: &Cli, idle: u64, status: bool, start: bool, stop: bool, watch: bool) -> Result<(), Failure> {
    let lang = cli.lang();
    let target = target(cli);
    if watch {
        return watch_changes(cli, &target);
    }
    if status || stop {
        // Only asks: starts no server, and so makes no database.
        let connected = if start { Some(client::connect(&target)) } else { client::running(&target) };
        let Some(connected) = connected else {
            let none = format!("{} ({})", Msg::ServeNone.text(lang), target.place.socket.display());
            // Nothing to stop is no failure; a status of no server is,
            // for a script that asks whether one runs.
            return if stop { out::line(&none, lang) } else { Err(Failure(none)) };
        };
        let mut c = connected.map_err(Failure)?;
        let line = if stop {
            c.request(Request::Stop).map_err(Failure)?;
            Msg::ServeStopping.text(lang).to_string()
        } else {
            c.status_line().map_err(Failure)?
        };
        return out::line(&line, lang);
    }
    let opts = server::Options {
        db: cli.db_dir(),
        default_db: cli.db.is_none(),
        place: target.place,
        idle: Duration::from_secs(idle),
        lang,
    };
    match server::run(opts).map_err(Failure)? {
        server::Outcome::Served => Ok(()),
        server::Outcome::AlreadyRunning => {
            // Said in the log of a server started in a race; not a failure.
            server::log(Msg::ServeAlready.text(lang));
            std::process::exit(i32::from(server::EXIT_ALREADY))
        }
    }
}

/// A store error as the user reads it; held by a running server, the way
/// out is named (`jiedai serve --stop`), not "wait until it quits".
pub fn locked(cli: &Cli, e: &crate::store::StoreError) -> String {
    let lang = cli.lang();
    let text = e.user_message(lang);
    if matches!(e, crate::store::StoreError::Locked(_)) && client::running(&target(cli)).is_some() {
        text.replace(Msg::ErrLockedHint.text(lang), Msg::ServeHoldsDb.text(lang))
    } else {
        text
    }
}

/// `jiedai note CASE TEXT`: a note in a case's timeline, through the
/// server, which signs it with the cadre the kernel says this user is
/// (`--operator` is not believed by a server).
pub fn note(cli: &Cli, case: &str, text: &str) -> Result<(), Failure> {
    let lang = cli.lang();
    let no: crate::domain::CaseNo =
        case.parse().map_err(|_| Failure(format!("{case}: {}", Msg::ErrCaseNoCli.text(lang))))?;
    let mut c = client::connect(&target(cli)).map_err(Failure)?;
    let command = Box::new(crate::store::Command::Note { case: no, text: text.to_string() });
    let id = crate::store::IdSource::new().next_id();
    match c.request(Request::Execute { id, command }).map_err(Failure)? {
        crate::serve::wire::Answer::Done(_) => {
            out::line(&fill(Msg::ServeNoted.text(lang), &[("case", &no.to_string())]), lang)
        }
        crate::serve::wire::Answer::Failed(why) => Err(Failure(why)),
        _ => Err(Failure(Msg::ServeLost.text(lang).to_string())),
    }
}

/// `jiedai serve --watch`: every change as a line, as the server announces
/// it (`changed SEQ CASE…`, or `resync` when this client fell behind), for
/// scripts and to see the server at work.
fn watch_changes(cli: &Cli, target: &client::Target) -> Result<(), Failure> {
    use crate::serve::wire::FromServer;
    let lang = cli.lang();
    let mut c = client::connect(target).map_err(Failure)?;
    // Registered once the hello is done; a status request makes sure.
    c.request(Request::Status).map_err(Failure)?;
    out::line("ready", lang)?;
    loop {
        let line = match c.next_notice().map_err(Failure)? {
            FromServer::Changed { seq, cases } => {
                let cases: Vec<String> = cases.iter().map(ToString::to_string).collect();
                format!("changed {seq} {}", cases.join(" ")).trim_end().to_string()
            }
            _ => "resync".to_string(),
        };
        out::line(&line, lang)?;
    }
}
