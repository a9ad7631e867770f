//! Where a database's server is found: its socket, the lock file that
//! decides which server runs, and its log. As tmux: by default in a
//! directory of our own under /tmp, one socket per database; a shared
//! deployment names the socket (`--socket`, `JIEDAI_SOCKET`).

use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::i18n::Msg;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub socket: PathBuf,
}

impl Place {
    /// The socket given, else the default for the database `db`.
    pub fn new(socket: Option<&Path>, db: &Path) -> Place {
        Place { socket: socket.map_or_else(|| default_socket(db), Path::to_path_buf) }
    }

    pub fn lock(&self) -> PathBuf {
        with_suffix(&self.socket, ".lock")
    }

    pub fn log(&self) -> PathBuf {
        with_suffix(&self.socket, ".log")
    }

    /// Where the socket is bound before it is renamed into place.
    pub fn temporary(&self) -> PathBuf {
        with_suffix(&self.socket, &format!(".{}.new", std::process::id()))
    }

    pub fn dir(&self) -> &Path {
        self.socket.parent().unwrap_or(Path::new("."))
    }
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// `/tmp/jiedai-<uid>/db-<hash of the database's absolute path>`.
fn default_socket(db: &Path) -> PathBuf {
    let abs = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    let hash = Sha256::digest(abs.as_os_str().as_encoded_bytes());
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let base = std::env::var_os("JIEDAI_TMPDIR").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    base.join(format!("jiedai-{}", rustix::process::geteuid().as_raw())).join(format!("db-{hex}"))
}

/// The socket's directory, made if it is the default one, and checked as
/// tmux checks it: a directory, owned by this user, with no access for
/// others beyond the group. Otherwise anyone could put a socket there
/// that desks would trust.
pub fn check_dir(place: &Place) -> Result<(), Msg> {
    let dir = place.dir();
    if !dir.exists() {
        // Only the last component: a mistyped path is not made whole.
        std::fs::DirBuilder::new().mode(0o700).create(dir).map_err(|_| Msg::ServeDirMissing)?;
    }
    let meta = std::fs::symlink_metadata(dir).map_err(|_| Msg::ServeDirMissing)?;
    if !meta.is_dir() {
        return Err(Msg::ServeDirMissing);
    }
    if meta.uid() != rustix::process::geteuid().as_raw() {
        return Err(Msg::ServeDirOwner);
    }
    if meta.mode() & 0o007 != 0 {
        return Err(Msg::ServeDirOpen);
    }
    Ok(())
}

/// The login name of a uid, from the password database.
pub fn login_of(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    // SAFETY: a zeroed passwd is a valid out-parameter for getpwuid_r.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to memory we own, with its true length.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut found) };
    if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: getpwuid_r set pw_name to a NUL-terminated string inside buf.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}
