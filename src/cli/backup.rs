//! The reading commands through a running server (`report`, `check`,
//! `backup`), so they work while desks are open; and `jiedai backup` and
//! `jiedai restore` themselves.

use std::path::{Path, PathBuf};

use super::{Cli, Failure, open, out};
use crate::i18n::{Msg, fill};
use crate::serve::wire::{Answer, Request};
use crate::serve::{backup, client};

/// The answer of a running server, or `None` when none runs (the command
/// then reads a private copy itself, as it always did).
fn ask(cli: &Cli, request: Request) -> Result<Option<Answer>, Failure> {
    let Some(connected) = client::running(&super::serve::target(cli)) else { return Ok(None) };
    let mut c = connected.map_err(Failure)?;
    match c.request(request).map_err(Failure)? {
        Answer::Failed(why) => Err(Failure(why)),
        answer => Ok(Some(answer)),
    }
}

/// A report's text from the running server.
pub fn by_server(cli: &Cli, request: Request) -> Result<Option<String>, Failure> {
    match ask(cli, request)? {
        Some(Answer::Text(t)) => Ok(Some(t)),
        Some(_) => Err(Failure(Msg::ServeLost.text(cli.lang()).to_string())),
        None => Ok(None),
    }
}

/// `jiedai check` by the running server, on the live database.
pub fn check_by_server(cli: &Cli) -> Result<Option<Result<(), Failure>>, Failure> {
    let lang = cli.lang();
    let dir = cli.db_dir();
    match ask(cli, Request::Check)? {
        Some(Answer::Check { problems, count }) if problems.is_empty() => Ok(Some(out::line(
            &format!("{}: {count} {} ({})", Msg::CheckOk.text(lang), Msg::Cases.text(lang), dir.display()),
            lang,
        ))),
        Some(Answer::Check { problems, .. }) => {
            let mut text = format!("{} ({}):", Msg::CheckProblems.text(lang), dir.display());
            for p in &problems {
                text.push_str(&format!("\n  - {p}"));
            }
            Ok(Some(Err(Failure(text))))
        }
        Some(_) => Err(Failure(Msg::ServeLost.text(lang).to_string())),
        None => Ok(None),
    }
}

/// A private copy of the database a running server holds: its consistent
/// snapshot (as `backup` takes it, between two commands) restored into a
/// folder of ours, for `export`; removed when dropped. `None` when no
/// server runs (the command then reads the database as it always did).
pub fn private_copy_by_server(cli: &Cli) -> Result<Option<PrivateCopy>, Failure> {
    let lang = cli.lang();
    let packed = match ask(cli, Request::Backup)? {
        Some(Answer::Bytes(b)) => b,
        Some(_) => return Err(Failure(Msg::ServeLost.text(lang).to_string())),
        None => return Ok(None),
    };
    let failed = || Failure(Msg::ExportFailed.text(lang).to_string());
    let json = backup::unpack(&packed, crate::ledger::limits::JSON_BYTES).ok_or_else(failed)?;
    let export: crate::store::Export = serde_json::from_slice(&json).map_err(|_| failed())?;
    drop(json);
    let copy = PrivateCopy(std::env::temp_dir().join(format!(".jiedai-export-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&copy.0);
    let store = crate::store::Store::open(&copy.0).map_err(|e| Failure(e.user_message(lang)))?;
    store.restore(&export).map_err(|_| failed())?;
    store.close().map_err(|e| Failure(e.user_message(lang)))?;
    Ok(Some(copy))
}

/// A folder removed when this is dropped.
pub struct PrivateCopy(pub PathBuf);

impl Drop for PrivateCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `jiedai backup DIR [--keep N]`: a dated, compressed, consistent
/// snapshot in DIR; the oldest beyond the last N are removed.
pub fn backup(cli: &Cli, dir: &Path, keep: usize) -> Result<(), Failure> {
    let lang = cli.lang();
    // Before the snapshot is taken: a missing folder is said as such, by
    // name (not "part of the path is not a folder").
    if !dir.exists() {
        return Err(Failure(format!("{}: {}", dir.display(), Msg::BackupDirMissing.text(lang))));
    }
    if !dir.is_dir() {
        return Err(Failure(format!("{}: {}", dir.display(), Msg::IoNotDir.text(lang))));
    }
    let bytes = match ask(cli, Request::Backup)? {
        Some(Answer::Bytes(b)) => b,
        Some(_) => return Err(Failure(Msg::ServeLost.text(lang).to_string())),
        None => {
            let store = open(cli)?;
            let bytes = backup::snapshot(&store, lang).map_err(Failure)?;
            store.close().map_err(|e| Failure(e.user_message(lang)))?;
            bytes
        }
    };
    let path = dir.join(backup::file_name(chrono::Utc::now()));
    super::files::write_atomic(&path, &bytes, lang)?;
    let mut old: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_name().to_str().is_some_and(backup::is_backup))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    old.sort();
    let keep = keep.max(1);
    for p in &old[..old.len().saturating_sub(keep)] {
        let _ = std::fs::remove_file(p);
    }
    out::line(&fill(Msg::BackupDone.text(lang), &[("file", &path.display().to_string())]), lang)
}

/// `jiedai restore FILE`: a backup back into an empty database.
pub fn restore(cli: &Cli, file: &Path) -> Result<(), Failure> {
    let lang = cli.lang();
    // The database first (held by a server, or not empty): no use reading
    // the file, or finding fault with it, for a database it cannot go into.
    let store = open(cli)?;
    let full = store.has_cases();
    store.close().map_err(|e| Failure(e.user_message(lang)))?;
    if full {
        return Err(Failure(format!("{} ({})", Msg::RestoreNotEmpty.text(lang), cli.db_dir().display())));
    }
    let limit = crate::ledger::limits::JSON_BYTES;
    let packed = super::files::read_limited(file, limit, lang)?;
    let Some(json) = backup::unpack(&packed, limit) else {
        return Err(Failure(format!("{}: {}", file.display(), Msg::BackupUnreadable.text(lang))));
    };
    super::import::restore_bytes(cli, file, json)
}
