//! Opening and closing a database. Nothing is written until the path is
//! known to hold a jiedai database (or to be a new one's place) and its
//! files match their seal; reading commands never write at all: sled opens
//! a private copy. Every failure becomes a message the officer can act on.

use std::collections::BTreeMap;
use std::fs::{self, DirBuilder, File};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::copy::{self, TempCopy};
use super::layout::*;
use super::seal::{self, Seal, State, Sum};
use super::verify::{self, Place, io_error, place_error};
use super::{Counter, Result, Store, StoreError, decode, encode, lock};
use crate::domain::DeadlineRules;
use crate::i18n::Msg;

/// How long sled may take to open before the database is called damaged
/// (it never returns on some damage). A sound 100,000-case database opens
/// in a few seconds.
const OPEN_WAIT: Duration = Duration::from_secs(120);

/// What keeps the database a store works on: the desk's lock on the real
/// one, or the private copy a reading command works on (removed on drop,
/// after sled: this is the store's last field). Held only to be dropped.
#[allow(dead_code)]
pub enum Hold {
    Desk(lock::DeskLock),
    Copy(TempCopy),
}

/// The default database: under the user's data directory.
pub fn default_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "jiedai")
        .map(|p| p.data_dir().join("desk"))
        .unwrap_or_else(|| PathBuf::from("jiedai-desk"))
}

/// The default database's parents are ours to make (`--db` gets only its
/// last component made).
pub fn make_default_parents(dir: &Path) -> Result<()> {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => {
            DirBuilder::new().recursive(true).mode(0o700).create(p).map_err(|e| io_error(e, p))
        }
        _ => Ok(()),
    }
}

/// sled picks a half-written `snap.*.generating` as the newest snapshot
/// after a crash during open, and then never opens again (sled#1527). The
/// crash came before its rename, so the file holds nothing needed. Only
/// ever called on a database that has passed verification.
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

fn lock_error(dir: &Path) -> impl Fn(lock::LockError) -> StoreError + '_ {
    move |e| match e {
        lock::LockError::Held(h) => StoreError::Locked(h),
        lock::LockError::Io(io) => io_error(io, &dir.join("jiedai.lock")),
    }
}

fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: access() reads a NUL-terminated path we own.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

/// After sled has recovered the files (a copy, or the real ones): every
/// save the seal counts is there, and no blob file it recorded was thrown
/// away as beyond the log's end.
fn check_recovered(db: &sled::Db, dir: &Path, seal: &Seal) -> Result<()> {
    let meta = db.open_tree(META).map_err(copy::sled_error)?;
    let commits = match meta.get(COMMITS_KEY).map_err(copy::sled_error)? {
        Some(b) => decode::<Counter>(&b)?.0,
        None => 0,
    };
    if commits < seal.commits {
        return Err(StoreError::Damaged(
            Msg::DamageMissingSaves,
            format!("{} / {}", seal.commits - commits, seal.commits),
        ));
    }
    let gone: Vec<(Msg, String)> = seal
        .files
        .keys()
        .filter(|n| n.starts_with("blobs/") && !dir.join(n).exists())
        .map(|n| (Msg::DamageMissingSaves, n.clone()))
        .collect();
    if gone.is_empty() { Ok(()) } else { Err(verify::damaged(gone)) }
}

/// A blob file's sum, if sled has finished writing it (its own CRC holds).
fn blob_sum(path: &Path) -> std::io::Result<Option<Sum>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    seal::open_nofollow(path)?.read_to_end(&mut bytes)?;
    let complete =
        bytes.len() >= 5 && bytes[..4].try_into().map(u32::from_le_bytes).ok() == Some(crc32fast::hash(&bytes[4..]));
    Ok(complete.then(|| Sum { len: bytes.len() as u64, crc: crc32fast::hash(&bytes) }))
}

/// sled's files as they are now, with their sums: `known` sums are trusted
/// for a file of the same name and length (verified when this open began;
/// sled never rewrites a file in place).
fn files_now(dir: &Path, known: &BTreeMap<String, Sum>) -> Result<BTreeMap<String, Sum>> {
    let mut out = BTreeMap::new();
    let mut names: Vec<String> = Vec::new();
    for e in fs::read_dir(dir)?.flatten() {
        names.push(e.file_name().to_string_lossy().into_owned());
    }
    if let Ok(entries) = fs::read_dir(dir.join("blobs")) {
        for e in entries.flatten() {
            names.push(format!("blobs/{}", e.file_name().to_string_lossy()));
        }
    }
    for name in names.into_iter().filter(|n| seal::sled_file_name(n)) {
        let path = dir.join(&name);
        let len = fs::symlink_metadata(&path)?.len();
        let sum = match known.get(&name) {
            Some(s) if s.len == len => Some(*s),
            _ if name.starts_with("blobs/") => blob_sum(&path)?,
            _ => Some(seal::sum_of(&path)?),
        };
        if let Some(sum) = sum {
            out.insert(name, sum);
        }
    }
    Ok(out)
}

/// sled creates its files with the process's umask: a new database's are
/// made the owner's alone (the binary's umask already does; a library
/// caller's may not). Never through a symlink.
fn make_private(dir: &Path) {
    for (name, mode) in [("db", 0o600), ("conf", 0o600), ("blobs", 0o700)] {
        if let Ok(f) = seal::open_nofollow(&dir.join(name)) {
            let _ = f.set_permissions(fs::Permissions::from_mode(mode));
        }
    }
}

impl Store {
    /// Open the database at `dir` for the desk (and demo, imports),
    /// creating a new one if there is none: the last path component only,
    /// or in an empty directory. Anything else is refused untouched.
    pub fn open(dir: &Path) -> Result<Store> {
        match verify::place(dir)? {
            Place::Absent => {
                if !verify::parent_exists(dir) {
                    return Err(place_error(Msg::PlaceNoParent, dir));
                }
                match DirBuilder::new().mode(0o700).create(dir) {
                    Ok(()) => Store::create(dir),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        Err(place_error(Msg::PlaceNotDatabase, dir))
                    }
                    Err(e) => Err(io_error(e, dir)),
                }
            }
            Place::Empty if !writable(dir) => Err(place_error(Msg::PlaceNoAccess, dir)),
            Place::Empty => Store::create(dir),
            Place::Database { legacy } => Store::open_existing(dir, legacy),
        }
    }

    /// A reading command's store: the database verified, then copied, and
    /// sled opened on the copy. Not one byte of `dir` is written.
    pub fn open_read(dir: &Path) -> Result<Store> {
        match verify::place(dir)? {
            Place::Absent | Place::Empty => return Err(place_error(Msg::PlaceMissing, dir)),
            Place::Database { .. } => {}
        }
        let shared = lock::share(dir).map_err(lock_error(dir))?;
        let (evidence, found) = verify::files(dir, verify::Depth::Full)?;
        if !found.is_empty() {
            return Err(verify::damaged(found));
        }
        let copy = TempCopy::of(dir, &evidence.files)?;
        drop(shared);
        let path = copy.path().to_path_buf();
        let store = Store::start(&path, Hold::Copy(copy), Some(&evidence.seal), evidence.fresh, None)?;
        if evidence.needs_copy() {
            // No clean close to prove the data file: every page is read once.
            copy::read_everything(&store.db)?;
        }
        Ok(store)
    }

    fn create(dir: &Path) -> Result<Store> {
        verify::write_marker(dir).map_err(|e| io_error(e, dir))?;
        let mut lock = lock::acquire(dir, true)
            .map_err(lock_error(dir))?
            .ok_or_else(|| place_error(Msg::PlaceIo, &dir.join("jiedai.lock")))?;
        lock.record_holder().map_err(|e| io_error(e, dir))?;
        Seal::new().write(dir, true).map_err(|e| io_error(e, dir))?;
        Store::start(dir, Hold::Desk(lock), None, true, None)
    }

    fn open_existing(dir: &Path, legacy: bool) -> Result<Store> {
        if !writable(dir) {
            return Err(place_error(Msg::PlaceNoAccess, dir));
        }
        // Held without writing a byte: who holds it is written once the files pass.
        let lock = lock::acquire(dir, false).map_err(lock_error(dir))?;
        let (evidence, found) = verify::files(dir, verify::Depth::Bounded)?;
        if !found.is_empty() {
            return Err(verify::damaged(found));
        }
        if evidence.needs_copy() {
            // Last left without a clean close: let sled recover a copy first,
            // and see that it keeps everything the seal counts.
            let copy = TempCopy::of(dir, &evidence.files)?;
            let db = copy::open_sled_cached(copy.path(), OPEN_WAIT, Some(copy::PASS_CACHE))?;
            check_recovered(&db, copy.path(), &evidence.seal)?;
            copy::read_everything(&db)?;
        }
        let mut lock = match lock {
            Some(l) => l,
            None => lock::acquire(dir, true)
                .map_err(lock_error(dir))?
                .ok_or_else(|| place_error(Msg::PlaceIo, &dir.join("jiedai.lock")))?,
        };
        lock.record_holder().map_err(|e| io_error(e, dir))?;
        if legacy {
            verify::write_marker(dir).map_err(|e| io_error(e, dir))?;
        }
        // From here sled may change files: the clean-close CRC no longer
        // holds, and sled may write a snapshot (and die doing so).
        Seal { state: State::Opening, crc: None, chunks: None, legacy: false, ..evidence.seal.clone() }
            .write(dir, true)
            .map_err(|e| io_error(e, dir))?;
        remove_unfinished_snapshots(dir);
        Store::start(dir, Hold::Desk(lock), Some(&evidence.seal), evidence.fresh, None)
    }

    /// sled opened on files that passed (or a copy of them); the seal's
    /// counts checked against what it recovered; the seal rewritten.
    fn start(
        dir: &Path,
        hold: Hold,
        expect: Option<&Seal>,
        new: bool,
        drafts: Option<Arc<Mutex<super::drafts::Drafts>>>,
    ) -> Result<Store> {
        let reading = matches!(hold, Hold::Copy(_));
        let db = copy::open_sled_cached(dir, OPEN_WAIT, reading.then_some(copy::PASS_CACHE))?;
        if let Some(seal) = expect {
            check_recovered(&db, dir, seal)?;
        }
        if new {
            make_private(dir);
        }
        let known = expect.map(|s| s.files.clone()).unwrap_or_default();
        let files = files_now(dir, &known)?;
        let tree = |name: &str| db.open_tree(name).map_err(copy::sled_error);
        let sync_file = seal::open_nofollow(&dir.join("db")).map_err(|e| io_error(e, dir))?;
        let closed_chunks = match expect {
            Some(s) => (s.chunks.clone(), s.cursor + verify::SAMPLE),
            None => (None, 0),
        };
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
            drafts: drafts.unwrap_or_else(|| Arc::new(Mutex::new(super::drafts::Drafts::load(dir)))),
            broken: Default::default(),
            queue: tree(QUEUE)?,
            applied: tree(APPLIED)?,
            rules: RwLock::new(DeadlineRules::default()),
            sealed_files: Mutex::new(files),
            seal_kept: Mutex::new(None),
            blobs_listed: std::sync::atomic::AtomicU64::new(u64::MAX),
            dir: dir.to_path_buf(),
            db,
            sync_file,
            closed_chunks: Mutex::new(closed_chunks),
            migrated_from: Default::default(),
            _lock: hold,
        };
        store.prepare()?;
        if !reading {
            store.take_old_drafts()?;
            // The seal now records sled's files as it left them on opening.
            store.flush_durable()?;
        }
        Ok(store)
    }

    /// After a durable save: fsync blob files written since the last one,
    /// record every blob file's sum, and write the seal.
    pub(super) fn seal_saved(&self) -> Result<()> {
        let mut files = self.sealed_files.lock().unwrap_or_else(|p| p.into_inner());
        // Listed again only when sled has begun or removed a blob file since
        // the last listing (read before it, so one begun during it is seen
        // next time): five system calls a save otherwise.
        let blob_changes = sled::blob_file_changes();
        let changed = if self.blobs_listed.load(std::sync::atomic::Ordering::SeqCst) == blob_changes {
            false
        } else {
            let changed = sync_blobs(&self.dir, &mut files)?;
            self.blobs_listed.store(blob_changes, std::sync::atomic::Ordering::SeqCst);
            changed
        };
        let seal = Seal {
            state: State::Open,
            commits: self.commits()?,
            len: self.sync_file.metadata()?.len(),
            files: files.clone(),
            imports: self.finished_imports()?,
            ..Seal::new()
        };
        let mut kept = self.seal_kept.lock().unwrap_or_else(|p| p.into_inner());
        seal.write_kept(&self.dir, changed, &mut kept)?;
        Ok(())
    }

    /// sled again, after a save failed on an I/O error (a full disk): sled
    /// fails every write after one until it is opened anew. The desk's
    /// lock and drafts are kept; what sled recovers is checked against the
    /// seal as at any open. What the failed save left is found by its
    /// command id (`applied`).
    pub fn reopen(self) -> Result<Store> {
        let Shut { dir, drafts, sealed_files: _, lock } = self.shut_sled();
        let expect = match Seal::read(&dir) {
            seal::Found::Seal(s) => Some(s),
            _ => None,
        };
        // sled's threads may hold its files a moment after the drop.
        let mut tries = 0;
        loop {
            match copy::open_sled(&dir, OPEN_WAIT) {
                Ok(db) => {
                    drop(db);
                    break;
                }
                Err(_) if tries < 20 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(e),
            }
        }
        Store::start(&dir, lock, expect.as_ref(), false, Some(drafts))
    }

    /// Close cleanly: sled shut down and its file fixed, then the seal
    /// records the file's CRC and every file's sum, then the lock goes. The
    /// next open checks them all before sled touches anything.
    pub fn close(self) -> Result<()> {
        if matches!(self._lock, Hold::Copy(_)) {
            return Ok(());
        }
        self.sync_drafts()?;
        self.flush_durable()?;
        let commits = self.commits()?;
        let imports = self.finished_imports()?;
        let (before, cursor) = self.closed_chunks.lock().map(|c| c.clone()).unwrap_or_default();
        let Shut { dir, drafts: _, sealed_files, lock } = self.shut_sled();
        let known = sealed_files.into_inner().unwrap_or_else(|p| p.into_inner());
        // Only quicker opens hang on it: a failure (a full disk) leaves the
        // close as it was before, and no half-written snapshot behind.
        if leave_snapshot(&dir, commits, &known, &imports).is_err() {
            remove_unfinished_snapshots(&dir);
        }
        let files = files_now(&dir, &known)?;
        // What sled wrote as it shut down is made durable before the seal
        // records its sums: a power cut after a clean close must not leave
        // files that differ from the seal (a false report of damage).
        for name in files.keys().map(String::as_str).chain(["db"]) {
            seal::open_nofollow(&dir.join(name))?.sync_all()?;
        }
        File::open(&dir)?.sync_all()?;
        // Read from the page cache, mostly: sled has just written it.
        let (len, chunks) = seal::chunk_sums(&dir.join("db"))?;
        // What changed since the close before (all of it, if that is not known).
        let recent = (0..chunks.len())
            .filter(|&i| before.as_ref().and_then(|b| b.get(i)) != Some(&chunks[i]))
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        let cursor = cursor % (chunks.len().max(1) as u64);
        let seal = Seal {
            state: State::Closed,
            commits,
            len,
            chunks: Some(chunks),
            recent,
            cursor,
            files,
            imports,
            ..Seal::new()
        };
        seal.write(&dir, true)?;
        drop(lock);
        Ok(())
    }

    /// sled shut down: every tree holds the database open, so all of them,
    /// the kept data file and the database go; what outlives sled is kept.
    fn shut_sled(self) -> Shut {
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
            broken: _,
            queue,
            applied,
            rules: _,
            sealed_files,
            seal_kept: _,
            blobs_listed: _,
            sync_file,
            closed_chunks: _,
            migrated_from: _,
            _lock,
        } = self;
        drop((meta, cases, events, open_idx, follow_idx, inspect_idx, residents));
        drop((resident_names, resident_cases, cadres, villages, queue, applied, sync_file));
        drop(db);
        Shut { dir, drafts, sealed_files, lock: _lock }
    }

    /// Drafts were kept in sled before they had their own file: moved there
    /// once (the file made with its room first), then removed from sled.
    fn take_old_drafts(&self) -> Result<()> {
        let old = self.db.open_tree(DRAFTS)?;
        let mut drafts = self.drafts();
        drafts.reserve()?;
        if old.is_empty() {
            return Ok(());
        }
        for kv in old.iter() {
            let (_, v) = kv?;
            drafts.put(&decode(&v)?)?;
        }
        drafts.sync()?;
        old.clear()?;
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
                copy::sync_dir(&self.dir);
                if let Ok(c) = File::open(self.dir.join("conf")) {
                    let _ = c.sync_all();
                }
            }
            Some(bytes) => {
                let v: Counter = decode(&bytes)?;
                if v.0 > SCHEMA_VERSION {
                    return Err(StoreError::Damaged(Msg::DamageNewer, format!("{} > {SCHEMA_VERSION}", v.0)));
                }
                if v.0 < SCHEMA_VERSION {
                    self.migrate(v.0)?;
                }
            }
        }
        // An import cut short (a crash, kill -9, a full disk): undone
        // before anything reads or counts (store/staged.rs).
        self.undo_unfinished_import()?;
        // Databases written before the open count was kept: count once.
        if self.meta.get(OPEN_COUNT_KEY)?.is_none() {
            self.meta.insert(OPEN_COUNT_KEY, encode(&Counter(self.open_idx.len() as u64)))?;
        }
        // Databases written before the figures were kept: count them once.
        self.ensure_tallies()?;
        if let Some(bytes) = self.meta.get(RULES_KEY)? {
            let r: DeadlineRules = decode(&bytes)?;
            if let Ok(mut w) = self.rules.write() {
                *w = r;
            }
        }
        Ok(())
    }
}

/// sled writes a long value (a message over a quarter of its 512 KiB
/// segment) to its own file under `blobs/` and never fsyncs it: do it for
/// each new one, record its sum once sled has finished writing it, and
/// forget the ones sled has deleted. True when the record changed.
fn sync_blobs(dir: &Path, files: &mut BTreeMap<String, Sum>) -> Result<bool> {
    let blobs = dir.join("blobs");
    let Ok(entries) = fs::read_dir(&blobs) else { return Ok(false) };
    let mut seen = std::collections::BTreeSet::new();
    let mut changed = false;
    for entry in entries.flatten() {
        let name = format!("blobs/{}", entry.file_name().to_string_lossy());
        if !seal::sled_file_name(&name) {
            continue;
        }
        seen.insert(name.clone());
        if files.contains_key(&name) {
            continue;
        }
        seal::open_nofollow(&entry.path())?.sync_all()?;
        if let Some(sum) = blob_sum(&entry.path())? {
            files.insert(name, sum);
            changed = true;
        }
    }
    let before = files.len();
    files.retain(|n, _| !n.starts_with("blobs/") || seen.contains(n));
    changed |= files.len() != before;
    if changed {
        File::open(&blobs)?.sync_all()?;
    }
    Ok(changed)
}

/// How long sled may take to open at a clean close, to write its snapshot:
/// our own files, just written, which it replays once (after an import of
/// 100,000 cases, minutes on a loaded machine).
const SNAPSHOT_WAIT: Duration = Duration::from_secs(30 * 60);

/// sled writes its snapshot (where each page lies) only while it opens,
/// and an open replays the log from the last snapshot: an open after a
/// session, or an import, without one would read everything written since
/// (issue 16, item 4: minutes after a 100,000-case import). So a clean
/// close opens sled once more, to leave a snapshot at the log's end; the
/// desk's next open then reads the snapshot and little else. Said in the
/// seal as an open is: a crash meanwhile leaves the seal `Opening`, and the
/// next open lets sled recover a copy first.
fn leave_snapshot(dir: &Path, commits: u64, known: &BTreeMap<String, Sum>, imports: &[seal::Finished]) -> Result<()> {
    let len = fs::symlink_metadata(dir.join("db")).map(|m| m.len()).map_err(|e| io_error(e, dir))?;
    Seal { state: State::Opening, commits, len, files: known.clone(), imports: imports.to_vec(), ..Seal::new() }
        .write(dir, true)
        .map_err(|e| io_error(e, dir))?;
    remove_unfinished_snapshots(dir);
    // sled's threads may hold its files a moment after the drop.
    let mut tries = 0;
    loop {
        match copy::open_sled(dir, SNAPSHOT_WAIT) {
            Ok(db) => {
                drop(db);
                return Ok(());
            }
            Err(_) if tries < 20 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(e),
        }
    }
}

/// What is left of a store once sled is shut (`Store::shut_sled`).
struct Shut {
    dir: PathBuf,
    drafts: std::sync::Arc<std::sync::Mutex<super::drafts::Drafts>>,
    sealed_files: std::sync::Mutex<std::collections::BTreeMap<String, seal::Sum>>,
    lock: Hold,
}
