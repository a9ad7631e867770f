//! Opening and closing a database: our lock first, the seal's evidence
//! checked before sled may touch a file, every failure turned into a
//! message the officer can act on.

use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use super::layout::*;
use super::seal::{Seal, crc_of};
use super::{Counter, Result, Store, StoreError, decode, encode, lock};
use crate::domain::DeadlineRules;
use crate::i18n::Msg;

/// The default database: under the user's data directory.
pub fn default_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "jiedai")
        .map(|p| p.data_dir().join("desk"))
        .unwrap_or_else(|| PathBuf::from("jiedai-desk"))
}

/// sled picks a half-written `snap.*.generating` as the newest snapshot
/// after a crash during open, and then never opens again (sled#1527). The
/// crash came before its rename, so the file holds nothing needed.
fn remove_unfinished_snapshots(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn damaged(what: Msg, detail: impl Into<String>) -> StoreError {
    StoreError::Damaged(what, detail.into())
}

fn sled_error(e: sled::Error) -> StoreError {
    match e {
        sled::Error::Corruption { at, .. } => damaged(Msg::DamageCorrupt, format!("{at:?}")),
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock => {
            StoreError::Locked(lock::Holder { user: "?".into(), tty: "?".into(), pid: "?".into(), since: "?".into() })
        }
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            damaged(Msg::DamageTruncated, io.to_string())
        }
        other => StoreError::Sled(other),
    }
}

/// What the seal says of the files, before sled opens them.
fn check_seal(dir: &Path, seal: &Seal) -> Result<()> {
    let data = dir.join("db");
    let Ok(meta) = fs::metadata(&data) else { return Err(damaged(Msg::DamageMissingFile, "db")) };
    if meta.len() < seal.len {
        return Err(damaged(Msg::DamageTruncated, format!("{} < {}", meta.len(), seal.len)));
    }
    if let Some(crc) = seal.crc {
        let now = crc_of(&data)?;
        if now != crc || meta.len() != seal.len {
            return Err(damaged(Msg::DamageChanged, format!("crc {now:08x} != {crc:08x}")));
        }
    }
    Ok(())
}

impl Store {
    pub fn open(dir: &Path) -> Result<Store> {
        fs::create_dir_all(dir)?;
        // The records are residents' personal data: owner only.
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        let desk_lock = lock::acquire(dir).map_err(|e| match e {
            lock::LockError::Held(h) => StoreError::Locked(h),
            lock::LockError::Io(io) => StoreError::Io(io),
        })?;
        let sealed = Seal::read(dir);
        if let Some(seal) = &sealed {
            check_seal(dir, seal)?;
            // From here the files may change: the clean-close CRC no longer holds.
            Seal { crc: None, ..*seal }.write(dir)?;
        }
        remove_unfinished_snapshots(dir);
        let config = sled::Config::new().path(dir).mode(sled::Mode::HighThroughput);
        // sled can panic on some damaged files instead of returning an error.
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open()));
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(e)) => return Err(sled_error(e)),
            Err(_) => return Err(damaged(Msg::DamageCorrupt, "panic")),
        };
        let tree = |name: &str| db.open_tree(name).map_err(sled_error);
        let sync_file = File::open(dir.join("db"))?;
        let store = Store {
            meta: tree(META)?,
            cases: tree(CASES)?,
            events: tree(EVENTS)?,
            open_idx: tree(OPEN)?,
            follow_idx: tree(FOLLOW_DUE)?,
            inspect_idx: tree(INSPECT_DUE)?,
            residents: tree(RESIDENTS)?,
            resident_names: tree(RESIDENT_NAMES)?,
            resident_cases: tree(RESIDENT_CASES)?,
            cadres: tree(CADRES)?,
            villages: tree(VILLAGES)?,
            drafts: tree(DRAFTS)?,
            queue: tree(QUEUE)?,
            rules: RwLock::new(DeadlineRules::default()),
            blobs_synced: std::sync::Mutex::new(std::time::SystemTime::UNIX_EPOCH),
            dir: dir.to_path_buf(),
            db,
            sync_file,
            _lock: desk_lock,
        };
        // Saves the seal counts that the log no longer holds: damage sled
        // skipped over. Leave before anything is written.
        if let Some(seal) = sealed {
            let commits = store.commits()?;
            if commits < seal.commits {
                return Err(damaged(Msg::DamageMissingSaves, format!("{} / {}", seal.commits - commits, seal.commits)));
            }
        }
        store.prepare()?;
        Ok(store)
    }

    /// Close cleanly: sled shut down and its file fixed, then the seal
    /// records the file's CRC, then the lock goes. The next open checks the
    /// CRC before sled touches anything.
    pub fn close(self) -> Result<()> {
        self.flush_durable()?;
        let commits = self.commits()?;
        let Store {
            db,
            dir,
            meta,
            cases,
            events,
            open_idx,
            follow_idx,
            inspect_idx,
            residents,
            resident_names,
            resident_cases,
            cadres,
            villages,
            drafts,
            queue,
            rules: _,
            blobs_synced: _,
            sync_file,
            _lock,
        } = self;
        // Every tree holds the database open; all go before the file is read.
        drop((meta, cases, events, open_idx, follow_idx, inspect_idx, residents));
        drop((resident_names, resident_cases, cadres, villages, drafts, queue, sync_file));
        drop(db);
        let data = dir.join("db");
        let seal = Seal { commits, len: fs::metadata(&data)?.len(), crc: Some(crc_of(&data)?) };
        seal.write(&dir)?;
        drop(_lock);
        Ok(())
    }

    /// Stamp a new database with its schema version; refuse one written by a
    /// newer program; load the township's deadline rules.
    fn prepare(&self) -> Result<()> {
        match self.meta.get(SCHEMA_KEY)? {
            None => {
                self.meta.insert(SCHEMA_KEY, encode(&Counter(SCHEMA_VERSION)))?;
                self.flush_durable()?;
                // Make the new files' directory entries durable once.
                if let Ok(d) = File::open(&self.dir) {
                    let _ = d.sync_all();
                }
                if let Ok(c) = File::open(self.dir.join("conf")) {
                    let _ = c.sync_all();
                }
            }
            Some(bytes) => {
                let v: Counter = decode(&bytes)?;
                if v.0 > SCHEMA_VERSION {
                    return Err(damaged(Msg::DamageNewer, format!("{} > {SCHEMA_VERSION}", v.0)));
                }
            }
        }
        // Databases written before the open count was kept: count once.
        if self.meta.get(OPEN_COUNT_KEY)?.is_none() {
            self.meta.insert(OPEN_COUNT_KEY, encode(&Counter(self.open_idx.len() as u64)))?;
        }
        if let Some(bytes) = self.meta.get(RULES_KEY)? {
            let r: DeadlineRules = decode(&bytes)?;
            if let Ok(mut w) = self.rules.write() {
                *w = r;
            }
        }
        for entry in fs::read_dir(&self.dir)?.flatten() {
            if entry.path().is_file() {
                let _ = fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o600));
            }
        }
        Ok(())
    }
}
