//! A small file rewritten in place, safe against a torn write and a power
//! cut without an fsync per write: it holds two slots of the same size, each
//! a text that ends `gen=N\nsum=CRC\n`, padded with NUL bytes. A write goes
//! to the slot that does not hold the newest text, so a write cut short (or
//! never synced) leaves the other slot, the one before it, whole. Reading
//! takes the valid text with the highest generation. The seal and the drafts
//! file use it.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

/// The smallest slot; a slot grows by doubling when a text outgrows it.
pub const MIN_SLOT: u64 = 4096;
/// No real file of ours comes near this.
const MAX_LEN: u64 = 256 << 20;

/// A text's checksum line, over everything before it.
pub fn sum_line(text: &str) -> String {
    format!("sum={}\n", crc32fast::hash(text.as_bytes()))
}

/// The text before its `sum=` line, if the checksum holds.
pub fn checked(text: &str) -> Option<&str> {
    let body_end = text.rfind("sum=")?;
    let (body, sum) = text.split_at(body_end);
    let sum: u32 = sum.strip_prefix("sum=")?.strip_suffix('\n')?.parse().ok()?;
    (crc32fast::hash(body.as_bytes()) == sum).then_some(body)
}

/// The texts of a slotted file that pass their checksum, newest first, as
/// (generation, body without its gen and sum lines). A text written before
/// slots existed (no gen line) is generation 0.
pub fn valid(bytes: &[u8]) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for piece in pieces(bytes) {
        let Ok(text) = std::str::from_utf8(piece) else { continue };
        let Some(body) = checked(text) else { continue };
        let (body, generation) = match body.rfind("gen=") {
            Some(i) if body[..i].is_empty() || body[..i].ends_with('\n') => {
                let n = body[i..].strip_prefix("gen=").and_then(|g| g.strip_suffix('\n')).and_then(|g| g.parse().ok());
                match n {
                    Some(n) => (&body[..i], n),
                    None => (body, 0),
                }
            }
            _ => (body, 0),
        };
        out.push((generation, body.to_string()));
    }
    out.sort_by_key(|v| std::cmp::Reverse(v.0));
    out
}

/// The NUL-free runs of `bytes`. A slot is mostly NUL padding and the seal
/// is rewritten on every save: a byte-at-a-time split over its 8 KiB was a
/// quarter of a save's CPU, so NUL runs are skipped a word at a time and a
/// text's end is found with memchr.
fn pieces(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut at = 0;
    std::iter::from_fn(move || {
        at += nul_run(&bytes[at..]);
        if at >= bytes.len() {
            return None;
        }
        let end = memchr::memchr(0, &bytes[at..]).map_or(bytes.len(), |n| at + n);
        let piece = &bytes[at..end];
        at = end;
        Some(piece)
    })
}

/// How many NUL bytes `bytes` starts with.
fn nul_run(bytes: &[u8]) -> usize {
    let words = bytes.chunks_exact(8).take_while(|w| zero(w)).count() * 8;
    words + bytes[words..].iter().take_while(|b| **b == 0).count()
}

/// An 8-byte word of NULs, compared as one.
fn zero(w: &[u8]) -> bool {
    <[u8; 8]>::try_from(w).is_ok_and(|w| u64::from_ne_bytes(w) == 0)
}

/// How long `bytes` is without its trailing NULs.
fn used_len(bytes: &[u8]) -> usize {
    let tail = bytes.len() % 8;
    if let Some(p) = bytes[bytes.len() - tail..].iter().rposition(|b| *b != 0) {
        return bytes.len() - tail + p + 1;
    }
    let words = bytes[..bytes.len() - tail].chunks_exact(8).rev().take_while(|w| zero(w)).count();
    let end = bytes.len() - tail - words * 8;
    bytes[..end].iter().rposition(|b| *b != 0).map_or(0, |p| p + 1)
}

/// The whole file, at most `MAX_LEN`, never through a symlink.
pub fn read_all(path: &Path) -> std::io::Result<Vec<u8>> {
    let f = OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(path)?;
    let mut bytes = Vec::new();
    f.take(MAX_LEN).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn framed(body: &str, generation: u64) -> String {
    let mut text = format!("{body}gen={generation}\n");
    text.push_str(&sum_line(&text));
    text
}

fn slot_for(len: u64) -> u64 {
    (len + 1).next_power_of_two().max(MIN_SLOT)
}

/// How a write reaches the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// In place, not synced: a power cut may keep the text before.
    Lazy,
    /// In place, then fdatasync: needs no new disk block (a full disk).
    Synced,
    /// The whole file anew, both slots the same, fsynced and renamed over.
    Anew,
}

/// Write `body` as the newest text. In place when the file is a slotted one
/// with room and `mode` allows; otherwise the whole file anew, both slots,
/// at least `min_slot` each, through a temporary file, fsynced, renamed
/// over, and the directory fsynced. Returns the generation written.
pub fn write(path: &Path, body: &str, mode: Mode, min_slot: u64) -> std::io::Result<u64> {
    let (slot, newest, used) = layout(path);
    let generation = newest.map_or(1, |(g, _)| g + 1);
    let text = framed(body, generation);
    let sync = mode == Mode::Synced;
    if let (Some(slot), Some((_, at)), false) = (slot, newest, mode == Mode::Anew)
        && (text.len() as u64) < slot
    {
        let f = OpenOptions::new().write(true).custom_flags(libc::O_NOFOLLOW).open(path)?;
        // The slot that does not hold the newest text.
        let (to, used) = if at == 0 { (slot, used[1]) } else { (0, used[0]) };
        // NULs only as far as the text this one replaces: the slot beyond
        // it is NUL already, so the slot ends as if written whole, with
        // fewer bytes written and pages dirtied (a seal on every save, a
        // draft on every tick).
        let mut buf = text.into_bytes();
        buf.resize(buf.len().max(used as usize), 0);
        f.write_all_at(&buf, to)?;
        if sync {
            f.sync_data()?;
        }
        return Ok(generation);
    }
    write_anew(path, &text, min_slot)?;
    Ok(generation)
}

/// A slotted file kept open by its one writer (the seal, by the store that
/// holds the database's lock), with where its newest text is: a save's
/// seal then goes to the other slot in one write, without opening and
/// reading the file again (seven calls and most of the seal's CPU before).
pub struct Kept {
    file: File,
    slot: u64,
    generation: u64,
    /// The slot offset of the newest text.
    at: u64,
    used: [u64; 2],
}

impl Kept {
    /// The file as it is now, if it is a slotted one with a valid text
    /// (read through the handle kept, so both are the same file).
    pub fn open(path: &Path) -> Option<Kept> {
        let file = OpenOptions::new().read(true).write(true).custom_flags(libc::O_NOFOLLOW).open(path).ok()?;
        let mut bytes = Vec::new();
        (&file).take(MAX_LEN).read_to_end(&mut bytes).ok()?;
        let (Some(slot), Some((generation, at)), used) = layout_of(&bytes) else { return None };
        Some(Kept { file, slot, generation, at, used })
    }

    /// `body` as the newest text, in place, not synced, as `write` in
    /// `Mode::Lazy` does; `None` if it outgrows its slot (`write` then makes
    /// the file anew, and the caller keeps nothing).
    pub fn write(&mut self, body: &str) -> Option<std::io::Result<u64>> {
        let generation = self.generation + 1;
        let text = framed(body, generation);
        if text.len() as u64 >= self.slot {
            return None;
        }
        let (to, i) = if self.at == 0 { (self.slot, 1) } else { (0, 0) };
        let len = text.len() as u64;
        let mut buf = text.into_bytes();
        buf.resize(buf.len().max(self.used[i] as usize), 0);
        if let Err(e) = self.file.write_all_at(&buf, to) {
            return Some(Err(e));
        }
        (self.generation, self.at, self.used[i]) = (generation, to, len);
        Some(Ok(generation))
    }
}

/// Both slots written with `text`, durably, replacing whatever was there.
fn write_anew(path: &Path, text: &str, min_slot: u64) -> std::io::Result<()> {
    let slot = slot_for(text.len() as u64).max(min_slot);
    let mut buf = text.as_bytes().to_vec();
    buf.resize(slot as usize, 0);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!("{name}.tmp"));
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&tmp)?;
    f.write_all(&buf)?;
    f.write_all(&buf)?;
    f.sync_all()?;
    drop(f);
    fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// The slot size of a slotted file, and the newest valid text's generation
/// and slot offset (0 or the slot size). `None` for anything else: missing,
/// written before slots, or with no valid text at all.
fn layout(path: &Path) -> (Option<u64>, Option<(u64, u64)>, [u64; 2]) {
    match read_all(path) {
        Ok(bytes) => layout_of(&bytes),
        Err(_) => (None, None, [0; 2]),
    }
}

/// `layout` of a file's bytes.
fn layout_of(bytes: &[u8]) -> (Option<u64>, Option<(u64, u64)>, [u64; 2]) {
    let len = bytes.len() as u64;
    if len < 2 * MIN_SLOT || !len.is_multiple_of(2) || !(len / 2).is_power_of_two() {
        return (None, None, [0; 2]);
    }
    let slot = len / 2;
    let mut newest: Option<(u64, u64)> = None;
    let mut used = [0; 2];
    for (i, at) in [0, slot].into_iter().enumerate() {
        let part = &bytes[at as usize..(at + slot) as usize];
        used[i] = used_len(part) as u64;
        if let Some((g, _)) = valid(part).first()
            && newest.is_none_or(|(n, _)| *g > n)
        {
            newest = Some((*g, at));
        }
    }
    (Some(slot), newest, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_whole_text_wins_and_a_torn_one_leaves_the_older() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("f");
        assert_eq!(write(&path, "one\n", Mode::Lazy, MIN_SLOT).expect("w"), 1);
        assert_eq!(write(&path, "two\n", Mode::Lazy, MIN_SLOT).expect("w"), 2);
        assert_eq!(write(&path, "three\n", Mode::Synced, MIN_SLOT).expect("w"), 3);
        let bytes = read_all(&path).expect("r");
        assert_eq!(bytes.len() as u64, 2 * MIN_SLOT);
        assert_eq!(valid(&bytes)[0], (3, "three\n".to_string()));
        // Tear the newest text (slot 0 holds gen 3): the one before it stays.
        let mut torn = bytes.clone();
        torn[3] ^= 1;
        assert_eq!(valid(&torn)[0], (2, "two\n".to_string()));
        // A text longer than a slot: the file is made anew, bigger.
        let long = "x".repeat(5000) + "\n";
        assert_eq!(write(&path, &long, Mode::Lazy, MIN_SLOT).expect("w"), 4);
        let bytes = read_all(&path).expect("r");
        assert_eq!(bytes.len() as u64, 2 * 8192);
        assert_eq!(valid(&bytes).iter().map(|v| v.0).collect::<Vec<_>>(), [4, 4]);
    }

    #[test]
    fn pieces_and_used_lengths_match_a_byte_at_a_time_reading() {
        let mut cases: Vec<Vec<u8>> = vec![vec![], vec![0; 17], b"a".to_vec(), vec![1; 9]];
        for len in [1usize, 7, 8, 9, 15, 16, 17, 40] {
            for hole in [0usize, 3, 8, 12] {
                let mut v: Vec<u8> = (0..len).map(|i| u8::try_from(i % 5).unwrap_or(1)).collect();
                v.extend(std::iter::repeat_n(0, hole));
                v.extend_from_slice(b"xyz");
                v.extend(std::iter::repeat_n(0, len));
                cases.push(v);
            }
        }
        for v in cases {
            let slow: Vec<&[u8]> = v.split(|b| *b == 0).filter(|p| !p.is_empty()).collect();
            assert_eq!(pieces(&v).collect::<Vec<_>>(), slow, "{v:?}");
            assert_eq!(used_len(&v), v.iter().rposition(|b| *b != 0).map_or(0, |p| p + 1), "{v:?}");
        }
    }

    #[test]
    fn a_kept_writer_writes_what_write_writes() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let long = "z".repeat(700) + "\n";
        for p in [&a, &b] {
            write(p, &long, Mode::Anew, MIN_SLOT).expect("w");
        }
        let mut kept = Kept::open(&b).expect("slotted");
        for (n, body) in [(2, "short\n"), (3, long.as_str()), (4, "tiny\n"), (5, "mid mid mid\n")] {
            assert_eq!(write(&a, body, Mode::Lazy, MIN_SLOT).expect("w"), n);
            assert_eq!(kept.write(body).expect("room").expect("w"), n);
            assert_eq!(read_all(&a).expect("r"), read_all(&b).expect("r"), "after {n}");
        }
        // A text beyond its slot is left to `write`, which makes the file anew.
        assert!(kept.write(&"x".repeat(5000)).is_none());
        assert!(Kept::open(&dir.path().join("missing")).is_none());
    }

    #[test]
    fn a_shorter_text_in_place_leaves_the_slot_as_if_written_whole() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("f");
        let long = "y".repeat(900) + "\n";
        write(&path, &long, Mode::Anew, MIN_SLOT).expect("w");
        write(&path, &long, Mode::Lazy, MIN_SLOT).expect("w");
        // Each slot held the long text; each now gets a short one.
        for (n, body) in [(3, "short\n"), (4, "tiny\n")] {
            assert_eq!(write(&path, body, Mode::Lazy, MIN_SLOT).expect("w"), n);
        }
        let bytes = read_all(&path).expect("r");
        assert_eq!(bytes.len() as u64, 2 * MIN_SLOT);
        let whole = |body: &str, generation| {
            let mut v = framed(body, generation).into_bytes();
            v.resize(MIN_SLOT as usize, 0);
            v
        };
        let (short, tiny) = (whole("short\n", 3), whole("tiny\n", 4));
        let (a, b) = bytes.split_at(MIN_SLOT as usize);
        assert!((a == short && b == tiny) || (a == tiny && b == short), "each slot its text, then NULs only");
        assert_eq!(valid(&bytes).iter().map(|v| v.0).collect::<Vec<_>>(), [4, 3]);
    }
}
