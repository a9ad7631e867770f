//! One desk per database. sled's own lock would stop a second process with a
//! bare English `WouldBlock`; ours comes first and records who holds it, so
//! the second officer is told whom to ask.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::domain::time::{china, china_minute};

/// The township's offset from UTC, as `+08:00`.
fn china_offset() -> String {
    chrono::Utc::now().with_timezone(&china()).format("%:z").to_string()
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Holder {
    pub user: String,
    pub tty: String,
    pub pid: String,
    pub since: String,
}

impl Holder {
    pub fn current() -> Holder {
        Holder {
            user: current_user(),
            tty: current_tty(),
            pid: std::process::id().to_string(),
            // With its offset, as the server's log says its times.
            since: format!("{} {}", china_minute(chrono::Utc::now()), china_offset()),
        }
    }

    fn to_text(&self) -> String {
        format!("user={}\ntty={}\npid={}\nsince={}\n", self.user, self.tty, self.pid, self.since)
    }

    fn parse(text: &str) -> Holder {
        let mut h = Holder::default();
        for line in text.lines() {
            let Some((k, v)) = line.split_once('=') else { continue };
            // The file is ours, but keep whatever is read in it printable.
            let v = crate::domain::text::clean_line(v);
            match k {
                "user" => h.user = v,
                "tty" => h.tty = v,
                "pid" => h.pid = v,
                "since" => h.since = v,
                _ => {}
            }
        }
        h
    }
}

/// The held lock; dropping it (or the process dying) releases it.
pub struct DeskLock {
    file: File,
}

/// A reading command's share of the lock: desks wait, other readers do not.
pub struct ReadLock {
    _file: File,
}

pub enum LockError {
    Held(Holder),
    Io(std::io::Error),
}

const FILE: &str = "jiedai.lock";
/// How long a desk waits for reading commands to finish copying.
const READERS_WAIT: Duration = Duration::from_secs(30);
/// How long a lock this process let go may stay held by a forked child.
const OWN_WAIT: Duration = Duration::from_secs(5);
/// How long any held lock is waited for before its holder is named: a desk
/// closed a moment ago, or a copy of its descriptor in a child forked by
/// another program's thread (held until that child's exec), lets go at once.
const GRACE: Duration = Duration::from_millis(1500);

/// Open the lock file, never through a symlink (its target would be
/// overwritten). `create` only for a database that is being made or has
/// passed verification: a damaged one gets no new file.
fn open(dir: &Path, write: bool, create: bool) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(write)
        .create(create)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(dir.join(FILE))
}

fn holder(file: &mut File) -> Holder {
    let _ = file.seek(SeekFrom::Start(0));
    let mut text = String::new();
    let _ = Read::by_ref(file).take(4096).read_to_string(&mut text);
    Holder::parse(&text)
}

/// The desk's lock, without writing a byte: `None` when there is no lock
/// file and `create` is false. Who holds it is written later
/// (`record_holder`), once the database has passed verification.
pub fn acquire(dir: &Path, create: bool) -> Result<Option<DeskLock>, LockError> {
    let mut file = match open(dir, true, create) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => return Ok(None),
        Err(e) => return Err(LockError::Io(e)),
    };
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(DeskLock { file })),
            Err(TryLockError::WouldBlock) => {
                // Only readers (report, export, check) copying the files: they are quick.
                let readers_only = open(dir, false, false).is_ok_and(|f| f.try_lock_shared().is_ok());
                let ours = held_by_this_process(&mut file) && started.elapsed() < OWN_WAIT;
                let ours = ours || started.elapsed() < GRACE;
                if !(readers_only || ours) || started.elapsed() > READERS_WAIT {
                    return Err(LockError::Held(holder(&mut file)));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
    }
}

impl DeskLock {
    /// Say who holds the database, for the next desk that finds it held.
    pub fn record_holder(&mut self) -> std::io::Result<()> {
        let info = Holder::current().to_text();
        self.file.set_len(0)?;
        self.file.seek(SeekFrom::Start(0))?;
        self.file.write_all(info.as_bytes())?;
        self.file.sync_data()
    }
}

/// A shared lock for a reading command, taken without writing: `None` when
/// the database has no lock file (no desk can hold it then either).
pub fn share(dir: &Path) -> Result<Option<ReadLock>, LockError> {
    let mut file = match open(dir, false, false) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(LockError::Io(e)),
    };
    let started = Instant::now();
    loop {
        match file.try_lock_shared() {
            Ok(()) => return Ok(Some(ReadLock { _file: file })),
            Err(TryLockError::WouldBlock)
                if started.elapsed() < GRACE || (held_by_this_process(&mut file) && started.elapsed() < OWN_WAIT) =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => return Err(LockError::Held(holder(&mut file))),
            Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
    }
}

/// The lock recorded as ours though this process has closed it: a child
/// forked by another thread still holds a copy of the descriptor until its
/// exec closes it (O_CLOEXEC acts only at exec). It is let go within
/// moments, so wait for it instead of reporting ourselves as the holder.
fn held_by_this_process(file: &mut File) -> bool {
    holder(file).pid == std::process::id().to_string()
}

pub fn current_user() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(v) = std::env::var(var)
            && !v.is_empty()
        {
            return v;
        }
    }
    // SAFETY: getpwuid returns a pointer into static storage or null; we
    // copy the name out at once and this program reads it from one thread.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if !pw.is_null() && !(*pw).pw_name.is_null() {
            return std::ffi::CStr::from_ptr((*pw).pw_name).to_string_lossy().into_owned();
        }
    }
    format!("uid {}", unsafe { libc::getuid() })
}

pub fn current_tty() -> String {
    if let Ok(t) = std::env::var("SSH_TTY") {
        return t;
    }
    // SAFETY: ttyname returns a pointer to static storage or null; copied at once.
    unsafe {
        for fd in [0, 1, 2] {
            let p = libc::ttyname(fd);
            if !p.is_null() {
                return std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned();
            }
        }
    }
    "-".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another holder of the lock's file, as a second process would be.
    fn hold(dir: &Path, for_: Duration) -> std::thread::JoinHandle<()> {
        let file = open(dir, true, true).expect("open");
        file.lock().expect("lock");
        std::thread::spawn(move || {
            std::thread::sleep(for_);
            drop(file);
        })
    }

    #[test]
    fn a_lock_let_go_within_moments_is_waited_for_and_a_held_one_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let let_go = hold(dir.path(), Duration::from_millis(300));
        assert!(matches!(acquire(dir.path(), true), Ok(Some(_))), "a desk that just closed is waited for");
        let_go.join().expect("join");
        let let_go = hold(dir.path(), Duration::from_millis(300));
        assert!(matches!(share(dir.path()), Ok(Some(_))), "a reader waits too");
        let_go.join().expect("join");
        let held = hold(dir.path(), GRACE * 3);
        let started = Instant::now();
        assert!(matches!(acquire(dir.path(), true), Err(LockError::Held(_))));
        assert!(started.elapsed() < GRACE * 2, "the holder is named after the grace, not later");
        held.join().expect("join");
    }
}
