//! sled "recovers" a damaged log by silently dropping what follows the
//! damage, passes over a missing blob file without a word (and then loops
//! forever reading it), and writes as it opens. So the store keeps its own
//! evidence beside the data, checked before sled may open anything:
//! - after every durable save: how many commits there are, how long the data
//!   file is, and each blob file's length and CRC (blob files never change
//!   once written; sled only adds and deletes them);
//! - once sled has opened: its `conf` and snapshot files' lengths and CRCs
//!   (sled writes those only while it opens);
//! - after a clean close: the data file's CRCs too, one per 1 MiB chunk,
//!   and which chunks changed since the clean close before (see `chunks`).
//! - the database's format (store::layout::SCHEMA_VERSION), so a database
//!   from a newer jiedai is refused before anything is written.
//! - the staged imports that finished (store::finished): the numbers each
//!   gave and the commit count after it, so that `recover` can tell a
//!   finished import from one cut short when damage takes sled's view back
//!   to before its finish (the import's mark is then seen again).
//!
//! The seal carries its own checksum: a garbled seal is damage, and so is a
//! missing one beside data.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

pub const FILE: &str = "jiedai.seal";
const HEADER: &str = "jiedai seal 2";

/// Where the database was when the seal was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Just before sled opens: it may replace its snapshot, and may have
    /// crashed doing so.
    Opening,
    /// A desk has it open: every record but the data file's CRC holds.
    Open,
    /// Closed cleanly: the data file's CRC holds too.
    Closed,
}

/// A file's length and CRC-32.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sum {
    pub len: u64,
    pub crc: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seal {
    pub state: State,
    pub commits: u64,
    /// The data file's length after the last durable save.
    pub len: u64,
    /// The whole data file's CRC-32, after a clean close by a jiedai from
    /// before the chunks: checked whole, once, as before.
    pub crc: Option<u32>,
    /// The CRC-32 of each `CHUNK` of the data file, after a clean close.
    pub chunks: Option<Vec<u32>>,
    /// The chunks whose CRC changed in the session that ended with that
    /// close: where a torn write, or an older copy swapped in, would show.
    pub recent: Vec<u32>,
    /// Where the next open's rolling sample of chunks starts.
    pub cursor: u64,
    /// The database's format (store::layout::SCHEMA_VERSION); 1 when the
    /// seal does not say.
    pub format: u64,
    /// sled's other files, by name relative to the database directory:
    /// `conf`, `snap.<lsn>`, `blobs/<lsn>`.
    pub files: BTreeMap<String, Sum>,
    /// Written by a jiedai from before the marker and the file records.
    pub legacy: bool,
    /// The last staged imports that finished, oldest first (a line each,
    /// written only when there is one: a database never imported into
    /// keeps the seal it had).
    pub imports: Vec<Finished>,
}

/// A staged import that finished: per year, the first number it gave and
/// one past the last; and the commit count right after it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finished {
    pub after: u64,
    pub ranges: BTreeMap<u16, (u64, u64)>,
}

impl Finished {
    /// `after year:first-next,...`
    fn line(&self) -> String {
        let ranges: Vec<String> = self.ranges.iter().map(|(y, (f, n))| format!("{y}:{f}-{n}")).collect();
        format!("{} {}", self.after, ranges.join(","))
    }

    fn parse(v: &str) -> Option<Finished> {
        let (after, ranges) = v.split_once(' ')?;
        let mut out = Finished { after: after.parse().ok()?, ranges: BTreeMap::new() };
        for r in ranges.split(',').filter(|r| !r.is_empty()) {
            let (year, span) = r.split_once(':')?;
            let (first, next) = span.split_once('-')?;
            out.ranges.insert(year.parse().ok()?, (first.parse().ok()?, next.parse().ok()?));
        }
        Some(out)
    }
}

pub enum Found {
    Missing,
    /// Unreadable, garbled, or its checksum does not match: never replaced.
    Bad(String),
    Seal(Seal),
}

/// A name the seal may record: sled's own files, nothing that could lead
/// outside the directory.
pub fn sled_file_name(name: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let hex = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    name == "conf" || name.strip_prefix("snap.").is_some_and(hex) || name.strip_prefix("blobs/").is_some_and(digits)
}

impl Seal {
    /// The seal of a database being created, before sled has written a byte.
    pub fn new() -> Seal {
        Seal {
            state: State::Opening,
            commits: 0,
            len: 0,
            crc: None,
            chunks: None,
            recent: Vec::new(),
            cursor: 0,
            format: super::layout::SCHEMA_VERSION,
            files: BTreeMap::new(),
            legacy: false,
            imports: Vec::new(),
        }
    }

    pub fn read(dir: &Path) -> Found {
        let path = dir.join(FILE);
        let bytes = match super::slots::read_all(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Found::Missing,
            Err(e) => return Found::Bad(crate::verify::io_words(&e)),
        };
        // The newest whole text of the two slots (see store::slots).
        if let Some(seal) = super::slots::valid(&bytes).iter().find_map(|(_, body)| Seal::parse_body(body)) {
            return Found::Seal(seal);
        }
        let Ok(text) = String::from_utf8(bytes) else { return Found::Bad("not text".into()) };
        match Seal::parse_legacy(&text) {
            Some(seal) => Found::Seal(seal),
            None => Found::Bad(format!("{} bytes", text.len())),
        }
    }

    #[cfg(test)]
    fn parse(text: &str) -> Option<Seal> {
        super::slots::valid(text.as_bytes()).first().and_then(|(_, body)| Seal::parse_body(body))
    }

    /// A seal's text without its gen and checksum lines (checked by slots).
    fn parse_body(body: &str) -> Option<Seal> {
        let mut lines = body.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut seal = Seal { format: 1, ..Seal::new() };
        let mut state = None;
        for line in lines {
            let (k, v) = line.split_once('=')?;
            match k {
                "state" => {
                    state = Some(match v {
                        "opening" => State::Opening,
                        "open" => State::Open,
                        "closed" => State::Closed,
                        _ => return None,
                    })
                }
                "commits" => seal.commits = v.parse().ok()?,
                "len" => seal.len = v.parse().ok()?,
                "crc" => seal.crc = Some(v.parse().ok()?),
                "chunks" => seal.chunks = Some(numbers(v)?),
                "recent" => seal.recent = numbers(v)?,
                "cursor" => seal.cursor = v.parse().ok()?,
                "format" => seal.format = v.parse().ok()?,
                "file" => {
                    let mut parts = v.split(' ');
                    let (name, len, crc) = (parts.next()?, parts.next()?, parts.next()?);
                    if parts.next().is_some() || !sled_file_name(name) {
                        return None;
                    }
                    seal.files.insert(name.to_string(), Sum { len: len.parse().ok()?, crc: crc.parse().ok()? });
                }
                "import" => seal.imports.push(Finished::parse(v)?),
                // A line a newer jiedai writes: the slot's checksum holds, so
                // it is not damage, and this version does without it (an
                // older one refusing `import=` called such databases damaged).
                _ if !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {}
                _ => return None,
            }
        }
        seal.state = state?;
        // A clean close always has the CRCs, and only a clean close does.
        let sums = seal.crc.is_some() || seal.chunks.is_some();
        (sums == (seal.state == State::Closed)).then_some(seal)
    }

    /// The seal as jiedai wrote it before it kept file records.
    fn parse_legacy(text: &str) -> Option<Seal> {
        let mut seal = Seal { legacy: true, state: State::Open, format: 1, ..Seal::new() };
        let (mut commits, mut len) = (false, false);
        for line in text.lines() {
            let (k, v) = line.split_once('=')?;
            match k {
                "commits" => (seal.commits, commits) = (v.parse().ok()?, true),
                "len" => (seal.len, len) = (v.parse().ok()?, true),
                "crc" => (seal.crc, seal.state) = (Some(v.parse().ok()?), State::Closed),
                _ => return None,
            }
        }
        (commits && len).then_some(seal)
    }

    /// The seal's text, without the gen and sum lines slots add.
    fn body(&self) -> String {
        let state = match self.state {
            State::Opening => "opening",
            State::Open => "open",
            State::Closed => "closed",
        };
        let mut text = format!("{HEADER}\nstate={state}\ncommits={}\nlen={}\n", self.commits, self.len);
        if self.format != 1 {
            text.push_str(&format!("format={}\n", self.format));
        }
        if let Some(crc) = self.crc {
            text.push_str(&format!("crc={crc}\n"));
        }
        if let Some(chunks) = &self.chunks {
            text.push_str(&format!("chunks={}\n", joined(chunks)));
            text.push_str(&format!("recent={}\ncursor={}\n", joined(&self.recent), self.cursor));
        }
        for (name, s) in &self.files {
            text.push_str(&format!("file={name} {} {}\n", s.len, s.crc));
        }
        for f in &self.imports {
            text.push_str(&format!("import={}\n", f.line()));
        }
        text
    }

    #[cfg(test)]
    fn to_text(&self) -> String {
        let mut text = format!("{}gen=1\n", self.body());
        text.push_str(&super::slots::sum_line(&text));
        text
    }

    /// Written after the data is durable, in place in one of two slots
    /// (store::slots), so a torn or lost write leaves the seal before it,
    /// which is behind the data: the safe direction. Not synced on every
    /// save (that would be a second sync per save). `durable` writes it
    /// anew, both slots, fsynced: when the files it records changed (a power
    /// cut must not leave a seal naming blob files sled has since deleted),
    /// and at open and close.
    pub fn write(&self, dir: &Path, durable: bool) -> std::io::Result<()> {
        use super::slots::{MIN_SLOT, Mode, write};
        write(&dir.join(FILE), &self.body(), if durable { Mode::Anew } else { Mode::Lazy }, MIN_SLOT).map(|_| ())
    }

    /// As `write`, through the file `kept` open by the store that holds the
    /// database (nothing else writes the seal meanwhile): the next save's
    /// seal then takes one write call. Any other case (anew, the text
    /// outgrowing its slot, an error, nothing kept yet) goes through
    /// `write` and keeps the file as it then is.
    pub fn write_kept(&self, dir: &Path, durable: bool, kept: &mut Option<super::slots::Kept>) -> std::io::Result<()> {
        if !durable && let Some(k) = kept.as_mut() {
            match k.write(&self.body()) {
                Some(Ok(_)) => return Ok(()),
                Some(Err(e)) => {
                    *kept = None;
                    return Err(e);
                }
                None => {}
            }
        }
        *kept = None;
        self.write(dir, durable)?;
        *kept = super::slots::Kept::open(&dir.join(FILE));
        Ok(())
    }
}

/// Numbers as the seal writes them: comma-separated, possibly none.
fn numbers(v: &str) -> Option<Vec<u32>> {
    v.split(',').filter(|s| !s.is_empty()).map(|s| s.parse().ok()).collect()
}

fn joined(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// The data file is checked in pieces of this size: a clean close records
/// each piece's CRC, and an open reads only some of them (store::verify).
pub const CHUNK: u64 = 1 << 20;

/// The CRC of every chunk of a file, and its length (at a clean close).
pub fn chunk_sums(path: &Path) -> std::io::Result<(u64, Vec<u32>)> {
    let mut file = open_nofollow(path)?;
    let mut buf = vec![0u8; CHUNK as usize];
    let (mut len, mut sums) = (0u64, Vec::new());
    loop {
        let mut got = 0;
        while got < buf.len() {
            let n = file.read(&mut buf[got..])?;
            if n == 0 {
                break;
            }
            got += n;
        }
        if got == 0 {
            return Ok((len, sums));
        }
        len += got as u64;
        sums.push(crc32fast::hash(&buf[..got]));
        if got < buf.len() {
            return Ok((len, sums));
        }
    }
}

/// The CRC of the chunks `which` of a file `len` bytes long, each read
/// where it lies; a chunk past the end, or short, is an error.
pub fn chunk_sums_at(path: &Path, len: u64, which: &[usize]) -> std::io::Result<Vec<u32>> {
    let file = open_nofollow(path)?;
    // Scattered reads: the kernel's read-ahead (8 MiB on some disks) would
    // read most of the file from disk to check a few chunks of it.
    // SAFETY: plain integers on a descriptor this function owns.
    unsafe {
        libc::posix_fadvise(std::os::fd::AsRawFd::as_raw_fd(&file), 0, 0, libc::POSIX_FADV_RANDOM);
    }
    let mut buf = vec![0u8; CHUNK as usize];
    let mut out = Vec::with_capacity(which.len());
    for &i in which {
        let at = i as u64 * CHUNK;
        let n = CHUNK.min(len.saturating_sub(at)) as usize;
        file.read_exact_at(&mut buf[..n], at)?;
        out.push(crc32fast::hash(&buf[..n]));
    }
    Ok(out)
}

pub fn open_nofollow(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(path)
}

/// A regular file's length and CRC, read without following a symlink.
pub fn sum_of(path: &Path) -> std::io::Result<Sum> {
    let mut file = open_nofollow(path)?;
    let mut hasher = crc32fast::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(Sum { len, crc: hasher.finalize() });
        }
        len += n as u64;
        hasher.update(&buf[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Seal {
        let mut s = Seal { state: State::Open, commits: 95, len: 524_287, ..Seal::new() };
        s.files.insert("conf".into(), Sum { len: 62, crc: 1 });
        s.files.insert("blobs/103398".into(), Sum { len: 172_294, crc: 2 });
        s.files.insert("snap.000000000002AA24".into(), Sum { len: 2065, crc: 3 });
        s
    }

    #[test]
    fn a_seal_reads_back_as_written() {
        let s = sample();
        assert_eq!(Seal::parse(&s.to_text()), Some(s.clone()));
        let closed = Seal { state: State::Closed, crc: Some(7), ..s.clone() };
        assert_eq!(Seal::parse(&closed.to_text()), Some(closed));
        let chunked =
            Seal { state: State::Closed, chunks: Some(vec![1, 2, 3]), recent: vec![2], cursor: 9, format: 7, ..s };
        assert_eq!(Seal::parse(&chunked.to_text()), Some(chunked.clone()));
        let one = Finished { after: 2044, ranges: BTreeMap::from([(2025, (1, 417)), (2026, (14, 1598))]) };
        let two = Finished { after: 2045, ranges: BTreeMap::from([(2026, (1598, 1599))]) };
        let imported = Seal { imports: vec![one, two], ..chunked };
        assert!(imported.to_text().contains("import=2044 2025:1-417,2026:14-1598\n"), "{}", imported.to_text());
        assert_eq!(Seal::parse(&imported.to_text()), Some(imported));
    }

    /// A seal a newer jiedai wrote, with a line this one does not know, is
    /// read for what it knows; a line that is not `key=value` still is not.
    #[test]
    fn a_line_from_a_newer_version_is_passed_over() {
        let s = sample();
        let text = s.to_text();
        let body = super::super::slots::valid(text.as_bytes()).first().map(|(_, b)| b.to_string()).expect("body");
        assert_eq!(Seal::parse_body(&format!("{body}newer_thing=4 5 6\n")), Some(s.clone()));
        assert_eq!(Seal::parse_body(&format!("{body}no equals sign\n")), None);
        assert_eq!(Seal::parse_body(&format!("{body}Bad-Key=1\n")), None);
    }

    #[test]
    fn any_changed_byte_makes_the_seal_bad() {
        let text = sample().to_text();
        for i in 0..text.len() {
            let mut bytes = text.clone().into_bytes();
            bytes[i] ^= 0x01;
            let Ok(t) = String::from_utf8(bytes) else { continue };
            assert_eq!(Seal::parse(&t).or_else(|| Seal::parse_legacy(&t)), None, "byte {i} changed: {t:?}");
        }
    }

    #[test]
    fn recorded_names_stay_inside_the_directory() {
        for bad in ["../etc/passwd", "blobs/../../x", "/etc/passwd", "snap.zz", "blobs/", "db", "jiedai.lock"] {
            assert!(!sled_file_name(bad), "{bad}");
        }
        for good in ["conf", "snap.000000000002AA24", "blobs/103398"] {
            assert!(sled_file_name(good), "{good}");
        }
    }

    #[test]
    fn the_old_seal_is_still_read() {
        let s = Seal::parse_legacy("commits=3\nlen=100\ncrc=42\n").expect("legacy");
        assert!(s.legacy);
        assert_eq!((s.state, s.commits, s.len, s.crc), (State::Closed, 3, 100, Some(42)));
        assert_eq!(Seal::parse_legacy("commits=3\nlen=100\n").map(|s| s.state), Some(State::Open));
        assert!(Seal::parse_legacy("commits=3\n").is_none());
        assert!(Seal::parse_legacy("hello").is_none());
    }
}
