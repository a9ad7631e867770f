//! `jiedai serve`: run the server, or ask the running one its status, or
//! to stop when its last client has gone.

use std::time::Duration;

use super::{Cli, Failure, out};
use crate::i18n::Msg;
use crate::serve::{client, server, wire::Request};

/// Where this command's server is.
pub fn target(cli: &Cli) -> client::Target {
    client::Target {
        db: cli.db.clone(),
        place: crate::serve::place::Place::new(cli.socket.as_deref(), &cli.db_dir()),
        lang: cli.lang(),
    }
}

pub fn run(cli: &Cli, idle: u64, status: bool, stop: bool) -> Result<(), Failure> {
    let lang = cli.lang();
    let target = target(cli);
    if status || stop {
        let mut c = client::connect(&target).map_err(Failure)?;
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
