//! One desk per database. sled's own lock would stop a second process with a
//! bare English `WouldBlock`; ours comes first and records who holds it, so
//! the second officer is told whom to ask.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::domain::time::china_minute;

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
            since: china_minute(chrono::Utc::now()),
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
    _file: File,
}

pub enum LockError {
    Held(Holder),
    Io(std::io::Error),
}

pub fn acquire(dir: &Path) -> Result<DeskLock, LockError> {
    let path = dir.join("jiedai.lock");
    let mut file =
        OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(LockError::Io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Err(LockError::Held(Holder::parse(&text)));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
    }
    let info = Holder::current().to_text();
    let written = file
        .set_len(0)
        .and_then(|_| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(info.as_bytes()))
        .and_then(|_| file.sync_data());
    written.map_err(LockError::Io)?;
    Ok(DeskLock { _file: file })
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
