//! Files the command line reads and writes for the officer: read with a
//! size limit, written owner-only and atomically, every failure told in the
//! user's language.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::Failure;
use crate::i18n::{Lang, Msg, io_text};

/// `path: what went wrong`, in the user's language.
pub fn io_failure(path: &Path, e: &std::io::Error, lang: Lang) -> Failure {
    Failure(format!("{}: {}", path.display(), io_text(e, lang)))
}

/// The whole file, refused (with its size and the limit) when bigger than
/// `limit`, so a wrong or hostile file cannot exhaust memory.
pub fn read_limited(path: &Path, limit: u64, lang: Lang) -> Result<Vec<u8>, Failure> {
    let file = File::open(path).map_err(|e| io_failure(path, &e, lang))?;
    let meta = file.metadata().map_err(|e| io_failure(path, &e, lang))?;
    if meta.is_dir() {
        return Err(Failure(format!("{}: {}", path.display(), Msg::IoIsDir.text(lang))));
    }
    let too_big = |n: u64| Failure(format!("{}: {}: {n} > {limit}", path.display(), Msg::IoTooBig.text(lang)));
    if meta.len() > limit {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    // A file still growing (or a pipe) is cut at the limit and refused.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| io_failure(path, &e, lang))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Where `path`'s new content is written before it takes the name.
fn temporary(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy();
    Some(path.with_file_name(format!(".{name}.jiedai-{}.tmp", std::process::id())))
}

/// Write `bytes` to `path` so that the file under that name is always
/// either what it was or the whole new content (a temporary file beside it,
/// synced, then renamed over it), and readable by its owner only: exports
/// hold residents' phone numbers.
pub fn write_atomic(path: &Path, bytes: &[u8], lang: Lang) -> Result<(), Failure> {
    let fail = |e: std::io::Error| io_failure(path, &e, lang);
    if path.is_dir() {
        return Err(Failure(format!("{}: {}", path.display(), Msg::IoIsDir.text(lang))));
    }
    let Some(tmp) = temporary(path) else {
        return Err(Failure(format!("{}: {}", path.display(), Msg::IoIsDir.text(lang))));
    };
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        // Whatever the umask: owner only.
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(fail(e));
    }
    // The rename itself survives a power cut once the folder is synced.
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_without_reading_it_all() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("big.csv");
        fs::write(&file, vec![b'a'; 100]).expect("write");
        assert!(read_limited(&file, 99, Lang::Zh).is_err());
        assert_eq!(read_limited(&file, 100, Lang::Zh).map(|b| b.len()).ok(), Some(100));
    }

    #[test]
    fn an_atomic_write_replaces_the_file_owner_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("out.csv");
        fs::write(&file, "old").expect("write");
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&file, b"new", Lang::Zh).map_err(|f| f.0).expect("write");
        assert_eq!(fs::read(&file).expect("read"), b"new");
        assert_eq!(fs::metadata(&file).expect("meta").permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1, "no temporary file left");
    }
}
