//! What a path holds, and whether a database's files are as the seal last
//! saw them: read without writing a byte, before sled may open anything.

use std::collections::BTreeMap;
use std::fs;
use std::io::{ErrorKind, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::StoreError;
use super::seal::{self, Found, Seal, State, Sum};
use crate::i18n::Msg;

/// Written first when a database is created: a jiedai database is a
/// directory that holds this file, and nothing else is treated as one.
pub const MARKER: &str = "jiedai.marker";
const MARKER_TEXT: &str = "jiedai database\n";

/// The files of ours that sit beside sled's.
pub const OURS: [&str; 6] =
    [MARKER, seal::FILE, "jiedai.seal.tmp", "jiedai.lock", super::drafts::FILE, "jiedai.draft.tmp"];

/// What a path holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Place {
    /// Nothing there yet.
    Absent,
    /// An empty directory: a database may be created in it.
    Empty,
    /// A jiedai database; `legacy` when written before the marker existed.
    Database { legacy: bool },
}

pub fn place_error(what: Msg, path: &Path) -> StoreError {
    StoreError::Place(what, path.display().to_string())
}

/// An OS error in words that are not English: its number only, the message
/// around it says what failed.
pub fn io_words(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => format!("errno {n}"),
        None => String::new(),
    }
}

/// An I/O failure at `path` while opening, in the officer's words.
pub fn io_error(e: std::io::Error, path: &Path) -> StoreError {
    match e.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => place_error(Msg::PlaceNoAccess, path),
        _ if e.raw_os_error() == Some(libc::ELOOP) => place_error(Msg::PlaceSymlink, path),
        ErrorKind::NotFound => place_error(Msg::PlaceMissing, path),
        ErrorKind::NotADirectory => place_error(Msg::PlaceNotDirectory, path),
        // Opening writes (the lock's holder, the seal): on a full disk the
        // officer is told that, as a save tells it, not an error number.
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => place_error(Msg::IoFull, path),
        _ if matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT)) => place_error(Msg::IoFull, path),
        _ => StoreError::Place(Msg::PlaceIo, format!("{} ({})", path.display(), io_words(&e))),
    }
}

/// What `dir` holds. Follows a symlink only for `dir` itself (the officer
/// named it); reads nothing inside but names and our marker and seal.
pub fn place(dir: &Path) -> Result<Place, StoreError> {
    let meta = match fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Place::Absent),
        Err(e) => return Err(io_error(e, dir)),
    };
    if !meta.is_dir() {
        return Err(place_error(Msg::PlaceNotDirectory, dir));
    }
    let names = names(dir)?;
    if names.is_empty() {
        return Ok(Place::Empty);
    }
    if names.iter().any(|n| n == MARKER) {
        return if marker_ok(dir) {
            Ok(Place::Database { legacy: false })
        } else {
            Err(place_error(Msg::PlaceNotDatabase, dir))
        };
    }
    // Before the marker: the old seal beside sled's data file.
    let legacy = names.iter().any(|n| n == "db")
        && matches!(Seal::read(dir), Found::Seal(s) if s.legacy)
        && fs::symlink_metadata(dir.join("db")).is_ok_and(|m| m.is_file());
    if legacy { Ok(Place::Database { legacy: true }) } else { Err(place_error(Msg::PlaceNotDatabase, dir)) }
}

fn names(dir: &Path) -> Result<Vec<String>, StoreError> {
    let entries = fs::read_dir(dir).map_err(|e| io_error(e, dir))?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| io_error(e, dir))?;
        out.push(e.file_name().to_string_lossy().into_owned());
    }
    Ok(out)
}

fn marker_ok(dir: &Path) -> bool {
    let Ok(f) = fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(dir.join(MARKER)) else {
        return false;
    };
    let mut head = Vec::new();
    f.take(MARKER_TEXT.len() as u64).read_to_end(&mut head).is_ok() && head == MARKER_TEXT.as_bytes()
}

/// Write the marker into a directory this program has just made ours.
pub fn write_marker(dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(dir.join(MARKER))?;
    f.write_all(format!("{MARKER_TEXT}created={}\n", chrono::Utc::now().to_rfc3339()).as_bytes())?;
    f.sync_all()?;
    fs::File::open(dir)?.sync_all()
}

/// What the verification found true of a database's files.
#[derive(Debug)]
pub struct Evidence {
    pub seal: Seal,
    /// sled's files present (relative names), to be copied or opened.
    pub files: Vec<String>,
    /// No seal and no sled file yet: created, never opened.
    pub fresh: bool,
}

impl Evidence {
    /// The files alone do not prove that sled will find everything saved:
    /// it must first open a copy.
    pub fn needs_copy(&self) -> bool {
        !self.fresh && (self.seal.state != State::Closed || self.seal.legacy)
    }
}

/// Everything wrong with the files, each as (what, which file).
pub type Findings = Vec<(Msg, String)>;

/// How much of the data file an open reads to check it against the seal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Every byte: the reading commands (`check`, `report`, `export`), which
    /// copy the whole file anyway.
    Full,
    /// The desk's open, in a time that does not grow with the database:
    /// every chunk of a small file; of a large one the first and last, those
    /// the last session changed, and a few more in turn (see `chosen`).
    Bounded,
}

/// Below this, the desk's open checks every chunk, as before.
pub const FULL_BELOW: u64 = 8 * seal::CHUNK;
/// Chunks checked in turn at each bounded open, past the seal's cursor: in
/// n / SAMPLE opens every chunk has been read once.
pub const SAMPLE: u64 = 2;

/// The chunks a bounded check reads, of `n`.
fn chosen(seal: &Seal, n: usize) -> Vec<usize> {
    let mut which = std::collections::BTreeSet::new();
    which.insert(0);
    which.insert(n.saturating_sub(1));
    which.extend(seal.recent.iter().map(|&i| i as usize).filter(|&i| i < n));
    which.extend((0..SAMPLE).map(|k| ((seal.cursor + k) % n.max(1) as u64) as usize));
    which.into_iter().filter(|&i| i < n).collect()
}

/// Compare a database's files with its seal, reading only. Every finding
/// is damage; an empty list means sled may be let at the files (or a copy).
pub fn files(dir: &Path, depth: Depth) -> Result<(Evidence, Findings), StoreError> {
    let mut present: BTreeMap<String, fs::Metadata> = BTreeMap::new();
    let mut symlinks = Vec::new();
    for name in names(dir)? {
        let path = dir.join(&name);
        let Ok(meta) = fs::symlink_metadata(&path) else { continue };
        let ours = OURS.contains(&name.as_str()) || name == "db" || name.starts_with("snap.") || name == "conf";
        if meta.file_type().is_symlink() && (ours || name == "blobs") {
            symlinks.push(name.clone());
        } else if name == "blobs" && meta.is_dir() {
            for b in names(&path)? {
                let bpath = path.join(&b);
                match fs::symlink_metadata(&bpath) {
                    Ok(m) if m.file_type().is_symlink() => symlinks.push(format!("blobs/{b}")),
                    Ok(m) => {
                        present.insert(format!("blobs/{b}"), m);
                    }
                    Err(_) => {}
                }
            }
        } else if ours {
            present.insert(name, meta);
        }
    }
    if let Some(name) = symlinks.first() {
        return Err(place_error(Msg::PlaceSymlink, &dir.join(name)));
    }
    files_present(dir, present, depth)
}

/// Refused if any of the database's own files is a symlink.
pub fn no_symlinks(dir: &Path) -> Result<(), StoreError> {
    files(dir, Depth::Bounded).map(|_| ())
}

fn files_present(
    dir: &Path,
    present: BTreeMap<String, fs::Metadata>,
    depth: Depth,
) -> Result<(Evidence, Findings), StoreError> {
    let mut found = Findings::new();
    let sled_files: Vec<String> = present
        .keys()
        .filter(|n| n.as_str() == "db" || seal::sled_file_name(n) || n.ends_with(".generating"))
        .cloned()
        .collect();
    let seal = match Seal::read(dir) {
        Found::Seal(s) => s,
        Found::Bad(detail) => {
            found.push((Msg::DamageBadSeal, format!("{} ({detail})", seal::FILE)));
            return Ok((Evidence { seal: Seal::new(), files: sled_files, fresh: false }, found));
        }
        Found::Missing if sled_files.is_empty() => {
            return Ok((Evidence { seal: Seal::new(), files: sled_files, fresh: true }, found));
        }
        Found::Missing => {
            found.push((Msg::DamageNoSeal, seal::FILE.to_string()));
            return Ok((Evidence { seal: Seal::new(), files: sled_files, fresh: false }, found));
        }
    };
    let fresh = seal.len == 0 && seal.files.is_empty() && sled_files.is_empty();
    if seal.format > super::layout::SCHEMA_VERSION {
        // A newer jiedai's: refused before a byte is read or written.
        return Err(StoreError::Damaged(
            Msg::DamageNewer,
            format!("{} > {}", seal.format, super::layout::SCHEMA_VERSION),
        ));
    }
    check_data(dir, &seal, present.get("db"), depth, &mut found);
    for (name, sum) in &seal.files {
        // sled may replace its snapshot while opening, and may have died doing so.
        if seal.state == State::Opening && name.starts_with("snap.") {
            continue;
        }
        match present.get(name) {
            None => found.push((Msg::DamageFileMissing, name.clone())),
            Some(m) if !m.is_file() || m.len() != sum.len => found.push((Msg::DamageFileChanged, name.clone())),
            Some(_) => match seal::sum_of(&dir.join(name)) {
                Ok(now) if now == *sum => {}
                Ok(_) => found.push((Msg::DamageFileChanged, name.clone())),
                Err(e) => found.push((Msg::DamageUnreadable, format!("{name} ({})", io_words(&e)))),
            },
        }
    }
    if !seal.legacy && seal.len > 0 && !seal.files.contains_key("conf") && seal.state != State::Opening {
        found.push((Msg::DamageBadSeal, "conf".into()));
    }
    for name in sled_files.iter().filter(|n| n.as_str() != "db" && !seal.files.contains_key(*n)) {
        if unrecorded_is_damage(&seal, name) {
            found.push((Msg::DamageFileExtra, name.clone()));
        }
    }
    Ok((Evidence { seal, files: sled_files, fresh }, found))
}

/// A file the seal does not know. After a clean close there is none; while
/// open, a blob written by a save that never finished is expected; sled
/// writes snapshots only while it opens (the seal then says so), and may
/// have died doing so.
fn unrecorded_is_damage(seal: &Seal, name: &str) -> bool {
    if seal.legacy {
        return false;
    }
    match seal.state {
        State::Closed => true,
        State::Open => !name.starts_with("blobs/"),
        State::Opening => !(name.starts_with("blobs/") || name.starts_with("snap.")),
    }
}

fn check_data(dir: &Path, seal: &Seal, meta: Option<&fs::Metadata>, depth: Depth, found: &mut Findings) {
    let Some(meta) = meta else {
        if seal.len > 0 || !seal.files.is_empty() {
            found.push((Msg::DamageMissingFile, "db".into()));
        }
        return;
    };
    if !meta.is_file() {
        found.push((Msg::DamageChanged, "db".into()));
    } else if meta.len() < seal.len {
        found.push((Msg::DamageTruncated, format!("db: {} < {}", meta.len(), seal.len)));
    } else if let Some(crc) = seal.crc {
        match seal::sum_of(&dir.join("db")) {
            Ok(Sum { len, crc: now }) if len == seal.len && now == crc => {}
            Ok(_) => found.push((Msg::DamageChanged, "db".into())),
            Err(e) => found.push((Msg::DamageUnreadable, format!("db ({})", io_words(&e)))),
        }
    } else if let Some(chunks) = &seal.chunks {
        let n = chunks.len();
        if meta.len() != seal.len || n as u64 != seal.len.div_ceil(seal::CHUNK) {
            found.push((Msg::DamageChanged, "db".into()));
            return;
        }
        let which: Vec<usize> =
            if depth == Depth::Full || seal.len <= FULL_BELOW { (0..n).collect() } else { chosen(seal, n) };
        match seal::chunk_sums_at(&dir.join("db"), seal.len, &which) {
            Ok(now) if which.iter().zip(&now).all(|(&i, crc)| chunks[i] == *crc) => {}
            Ok(_) => found.push((Msg::DamageChanged, "db".into())),
            Err(e) => found.push((Msg::DamageUnreadable, format!("db ({})", io_words(&e)))),
        }
    }
}

/// The damage as one error, every finding kept.
pub fn damaged(found: Findings) -> StoreError {
    StoreError::DamagedFiles(found)
}

/// The directory a new database would be made in must already exist: only
/// the last component is ever created.
pub fn parent_exists(dir: &Path) -> bool {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::metadata(parent).is_ok_and(|m| m.is_dir())
}

/// The findings for the officer: each kind once, with the files it concerns.
pub fn describe(found: &[(Msg, String)], lang: crate::i18n::Lang) -> String {
    let mut kinds: Vec<(Msg, Vec<&str>)> = Vec::new();
    for (what, name) in found {
        match kinds.iter_mut().find(|(k, _)| k == what) {
            Some((_, names)) => names.push(name),
            None => kinds.push((*what, vec![name])),
        }
    }
    let mut text = format!("{}:", Msg::ErrDamaged.text(lang));
    for (what, names) in kinds {
        let shown: Vec<&str> = names.iter().take(6).copied().collect();
        let more = if names.len() > shown.len() {
            format!(" … ({} {})", names.len(), Msg::DamageFilesCount.text(lang))
        } else {
            String::new()
        };
        text.push_str(&format!("\n  - {}: {}{more}", what.text(lang), shown.join(", ")));
    }
    text.push('\n');
    text.push_str(Msg::ErrDamagedHint.text(lang));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_check_reads_the_ends_the_last_session_and_a_turn_of_the_rest() {
        let seal = Seal { recent: vec![7, 8, 400], cursor: 98, ..Seal::new() };
        assert_eq!(chosen(&seal, 100), vec![0, 7, 8, 98, 99]);
        // The cursor wraps; every chunk comes round in n / SAMPLE opens.
        let mut seen = std::collections::BTreeSet::new();
        for open in 0..50 {
            let s = Seal { cursor: open * SAMPLE, ..Seal::new() };
            seen.extend(chosen(&s, 100));
        }
        assert_eq!(seen.len(), 100);
        assert_eq!(chosen(&Seal::new(), 1), vec![0]);
    }
}
