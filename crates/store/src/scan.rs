//! The last resort of `recover`: our records found in sled's raw files by
//! their own shape, for when sled cannot read a tree (a flipped bit near
//! the start of `db` stops it reading anything). Every value we store is an
//! envelope (`J`, kind, version, bincode body); sled writes a single insert
//! as `0, len(key), key, len(value), value`. A record is taken only when
//! its body decodes to the end and the key and both lengths sit right
//! before it, so a stray `J` in some text is never read as a record; a
//! flip inside a record loses that record only.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::Record;
use super::layout::*;
use super::salvage::{TREES, TreeRead};
use crate::domain::*;

/// sled's variable-length integer (sled::serialization, u64).
pub(super) fn varint(n: u64) -> Vec<u8> {
    if n <= 240 {
        vec![n as u8]
    } else if n <= 2287 {
        vec![((n - 240) / 256 + 241) as u8, ((n - 240) % 256) as u8]
    } else if n <= 67823 {
        vec![249, ((n - 2288) / 256) as u8, ((n - 2288) % 256) as u8]
    } else {
        let b = n.to_le_bytes();
        let mut v = vec![250];
        v.extend_from_slice(&b[..3]);
        v
    }
}

/// The body's length if `bytes` (from an envelope's start) holds a `T`
/// decoding cleanly, with the record.
fn envelope<T: Record>(bytes: &[u8]) -> Option<(T, usize)> {
    // Bounded: a garbled length must not ask for gigabytes.
    let config = bincode::config::standard().with_limit::<{ 4 << 20 }>();
    let body = bytes.get(4..)?;
    let (value, used) = bincode::serde::decode_from_slice::<T, _>(body, config).ok()?;
    Some((value, 4 + used))
}

/// Do `0, len(key), key, len(value)` sit right before `at`?
fn framed(bytes: &[u8], at: usize, key: &[u8], value_len: usize) -> bool {
    let vlen = varint(value_len as u64);
    let klen = varint(key.len() as u64);
    let need = 1 + klen.len() + key.len() + vlen.len();
    let Some(start) = at.checked_sub(need) else { return false };
    let frame = &bytes[start..at];
    frame[0] == 0
        && frame[1..1 + klen.len()] == klen[..]
        && frame[1 + klen.len()..1 + klen.len() + key.len()] == *key
        && frame[1 + klen.len() + key.len()..] == vlen[..]
}

/// The event key just before an event at `at`, if framed as a single insert.
fn event_key_before(bytes: &[u8], at: usize, value_len: usize) -> Option<[u8; 10]> {
    let vlen = varint(value_len as u64).len();
    let key_at = at.checked_sub(vlen + 10)?;
    let key: [u8; 10] = bytes.get(key_at..key_at + 10)?.try_into().ok()?;
    let no = case_from_key(&key)?;
    let plausible = (2000..2200).contains(&no.year) && no.seq > 0;
    (plausible && framed(bytes, at, &key, value_len)).then_some(key)
}

/// A tree's records found: key to (offset, value).
type Tree = BTreeMap<Vec<u8>, (usize, Vec<u8>)>;

/// Records found: per tree, key to (offset, value); the later offset wins
/// (sled appends). These trees are never deleted from (only the indexes
/// and drafts are), so an old insert is no record brought back from the dead.
#[derive(Default)]
pub struct Found {
    trees: BTreeMap<&'static str, Tree>,
    /// The event keys' prefixes found so far, by length: kept as keys come
    /// (issue 16: rebuilt for every page, they made a compressed
    /// database's recover quadratic, 83 s of CPU for 3,013 cases).
    prefixes: [std::collections::BTreeSet<Vec<u8>>; 10],
    /// Work done, counted (bytes scanned, prefixes kept and tried), for a
    /// test to see it grow with the file and no faster.
    work: u64,
}

impl Found {
    fn put(&mut self, tree: &'static str, key: Vec<u8>, at: usize, value: &[u8]) {
        if tree == EVENTS && key.len() == 10 {
            for p in 1..10 {
                self.work += 1;
                if !self.prefixes[p].contains(&key[..p]) {
                    self.prefixes[p].insert(key[..p].to_vec());
                }
            }
        }
        let slot = self.trees.entry(tree).or_default();
        if slot.get(&key).is_none_or(|(old, _)| *old <= at) {
            slot.insert(key, (at, value.to_vec()));
        }
    }

    /// Records of `tree` found, as (key, value).
    pub fn records(&self, tree: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.trees.get(tree).map(|t| t.iter().map(|(k, (_, v))| (k.clone(), v.clone())).collect()).unwrap_or_default()
    }

    /// Add what sled could not give: keys it did not give, in every tree.
    /// A damaged page table can make sled read a tree "to the end" and find
    /// it empty, so its word is not enough; and as these trees are never
    /// deleted from, a key found only in the raw bytes is a lost record.
    pub fn fill(&self, trees: &mut [TreeRead]) {
        for (i, name) in TREES.iter().enumerate() {
            let Some(t) = trees.get_mut(i) else { continue };
            let have: std::collections::HashSet<Vec<u8>> = t.records.iter().map(|(k, _)| k.clone()).collect();
            let before = t.records.len();
            for (k, v) in self.records(name) {
                if !have.contains(&k) {
                    t.records.push((k, v));
                }
            }
            if t.records.len() > before {
                t.records.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
    }
}

/// The counters' keys worth trying: the saves, the open cases, and each
/// year's next number for the years from 2000 to 2199.
fn counter_keys() -> Vec<Vec<u8>> {
    let mut keys = vec![COMMITS_KEY.to_vec(), OPEN_COUNT_KEY.to_vec()];
    keys.extend((2000..2200).map(|y| year_counter_key(y).to_vec()));
    keys
}

/// Scan one file's bytes.
fn scan_bytes(bytes: &[u8], found: &mut Found, base: usize) {
    found.work += bytes.len() as u64;
    let counters = counter_keys();
    // Events, placed once all are found: (offset, length, a registration?).
    let mut events: Vec<(usize, usize, bool)> = Vec::new();
    for at in memchr::memchr_iter(b'J', bytes) {
        let rest = &bytes[at..];
        let (Some(&kind), Some(&[v0, v1])) = (rest.get(1), rest.get(2..4).map(|s| [s[0], s[1]]).as_ref()) else {
            continue;
        };
        if u16::from_le_bytes([v0, v1]) != 1 {
            continue;
        }
        let pos = base + at;
        let mut keyed = |tree: &'static str, key: Vec<u8>, len: usize| {
            if framed(bytes, at, &key, len) {
                found.put(tree, key, pos, &rest[..len]);
            }
        };
        match kind {
            k if k == <Event as Record>::KIND => {
                if let Some((e, len)) = envelope::<Event>(rest) {
                    events.push((at, len, matches!(e.kind, EventKind::Registered { .. })));
                }
            }
            k if k == <Resident as Record>::KIND => {
                if let Some((r, len)) = envelope::<Resident>(rest) {
                    keyed(RESIDENTS, r.key().into_bytes(), len);
                }
            }
            k if k == <Cadre as Record>::KIND => {
                if let Some((c, len)) = envelope::<Cadre>(rest) {
                    keyed(CADRES, c.name.into_bytes(), len);
                }
            }
            k if k == <Village as Record>::KIND => {
                if let Some((v, len)) = envelope::<Village>(rest) {
                    keyed(VILLAGES, v.name.into_bytes(), len);
                }
            }
            k if k == <QueueEntry as Record>::KIND => {
                if let Some((q, len)) = envelope::<QueueEntry>(rest) {
                    keyed(QUEUE, queue_key(q.day, q.number).to_vec(), len);
                }
            }
            k if k == <Roster as Record>::KIND => {
                if let Some((_, len)) = envelope::<Roster>(rest) {
                    keyed(META, ROSTER_KEY.to_vec(), len);
                }
            }
            k if k == <DeadlineRules as Record>::KIND => {
                if let Some((_, len)) = envelope::<DeadlineRules>(rest) {
                    keyed(META, RULES_KEY.to_vec(), len);
                }
            }
            k if k == <super::Counter as Record>::KIND => {
                // Its key is not in it: one of the counters' own keys.
                if let Some((_, len)) = envelope::<super::Counter>(rest) {
                    for key in &counters {
                        if framed(bytes, at, key, len) {
                            found.put(META, key.clone(), pos, &rest[..len]);
                            break;
                        }
                    }
                }
            }
            // Cases are rebuilt from their events; drafts are not worth
            // bringing back from the dead (a cleared one would return).
            _ => {}
        }
    }
    // A run of values one after another is a leaf's (its keys before them
    // all, the last key right before the first value: read as a single
    // insert it would be misplaced); a lone value is a single insert, or
    // a leaf's only one (whose key is right before it either way).
    let mut lone = Vec::new();
    for run in runs(&events) {
        let keys = leaf_keys(bytes, run).or_else(|| match run {
            [(at, len, _)] => event_key_before(bytes, *at, *len).map(|k| vec![k]),
            _ => None,
        });
        match keys {
            Some(keys) => {
                for (&(at, len, registered), key) in run.iter().zip(keys) {
                    put_event(found, bytes, base, (at, len, registered), key);
                }
            }
            None if run.len() == 1 => lone.extend_from_slice(run),
            None => {}
        }
    }
    // A single insert into a node whose keys share a prefix is written
    // without it: the prefix is one of the keys already found, if only one
    // fits. The keys are all chosen before any is put, so that one lone
    // event's key is no prefix for another's in the same page.
    let keyed: Vec<_> = lone
        .into_iter()
        .filter_map(|(at, len, registered)| {
            short_key_before(bytes, at, len, &found.prefixes, &mut found.work).map(|key| (at, len, registered, key))
        })
        .collect();
    for (at, len, registered, key) in keyed {
        put_event(found, bytes, base, (at, len, registered), key);
    }
}

/// Keep an event under `key` if it can be that key's: the registration is
/// event 0 of its case, and only it.
fn put_event(found: &mut Found, bytes: &[u8], base: usize, (at, len, registered): (usize, usize, bool), key: [u8; 10]) {
    let first = key[6..] == [0, 0, 0, 0];
    if first == registered {
        found.put(EVENTS, key.to_vec(), base + at, &bytes[at..at + len]);
    }
}

/// The key of a single insert written without its node's prefix:
/// `0, len(suffix), suffix, len(value)` before the value, the prefix one
/// of `prefixes`; None unless exactly one key fits.
fn short_key_before(
    bytes: &[u8],
    at: usize,
    len: usize,
    prefixes: &[std::collections::BTreeSet<Vec<u8>>; 10],
    work: &mut u64,
) -> Option<[u8; 10]> {
    let vl = varint(len as u64);
    let end = at.checked_sub(vl.len())?;
    if bytes.get(end..at)? != vl.as_slice() {
        return None;
    }
    let mut fits = std::collections::BTreeSet::new();
    for q in 1..10usize {
        let Some(tag) = end.checked_sub(q + 2) else { continue };
        if bytes[tag] != 0 || bytes[tag + 1] as usize != q {
            continue;
        }
        let suffix = &bytes[end - q..end];
        for p in &prefixes[10 - q] {
            *work += 1;
            let key: Option<[u8; 10]> = [p.as_slice(), suffix].concat().try_into().ok();
            if let Some(key) = key.filter(|k| case_from_key(k).is_some_and(|no| no.seq > 0)) {
                fits.insert(key);
            }
            // Two fit: none is taken, so no need to look further (this
            // loop once went through every prefix for every lone event).
            if fits.len() > 1 {
                return None;
            }
        }
    }
    let mut fits = fits.into_iter();
    match (fits.next(), fits.next()) {
        (Some(key), None) => Some(key),
        _ => None,
    }
}

/// Envelopes that follow one another as the values of one leaf do: each
/// right after the one before, behind its own length.
fn runs(found: &[(usize, usize, bool)]) -> Vec<&[(usize, usize, bool)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=found.len() {
        let joined = i < found.len() && {
            let ((a, l, _), (b, m, _)) = (found[i - 1], found[i]);
            a + l + varint(m as u64).len() == b
        };
        if !joined {
            out.push(&found[start..i]);
            start = i;
        }
    }
    out
}

/// The keys of a run of event values, if it is the start of a sled leaf:
/// `prefix_len, lo, hi, 0, count, keys (without the prefix), values`.
/// Every event key is 10 bytes, so each stored key is `10 - prefix_len`.
fn leaf_keys(bytes: &[u8], run: &[(usize, usize, bool)]) -> Option<Vec<[u8; 10]>> {
    let &(first, len0, _) = run.first()?;
    let values_at = first.checked_sub(varint(len0 as u64).len())?;
    // The leaf may hold more values than the run (one after it damaged).
    for count in run.len()..run.len() + 8 {
        for prefix in 0..=10usize {
            let q = 10 - prefix;
            let Some(keys_at) = values_at.checked_sub(count * (1 + q)) else { continue };
            let m = varint(count as u64);
            let Some(tag) = keys_at.checked_sub(m.len() + 1) else { continue };
            if bytes[tag] != 0 || bytes[tag + 1..keys_at] != m[..] {
                continue;
            }
            let suffixes: Vec<&[u8]> = (0..count).map(|i| &bytes[keys_at + i * (1 + q)..][..1 + q]).collect();
            if suffixes.iter().any(|k| k[0] as usize != q) {
                continue;
            }
            let Some(lo) = lo_before(bytes, tag, prefix) else { continue };
            let keys: Vec<[u8; 10]> =
                suffixes.iter().filter_map(|k| [&lo[..prefix], &k[1..]].concat().try_into().ok()).collect();
            let sorted = keys.windows(2).all(|w| w[0] < w[1]);
            let plausible = keys.iter().all(|k| case_from_key(k).is_some_and(|no| (2000..2200).contains(&no.year)));
            if keys.len() == count && sorted && plausible {
                return Some(keys.into_iter().take(run.len()).collect());
            }
        }
    }
    None
}

/// A node's `lo` key, read back from its data tag at `tag`: before it
/// `prefix_len, lo, hi`, each key behind its one-byte length.
fn lo_before(bytes: &[u8], tag: usize, prefix: usize) -> Option<Vec<u8>> {
    for hl in 0..=10usize {
        let Some(hi_len_at) = tag.checked_sub(hl + 1) else { continue };
        if bytes[hi_len_at] as usize != hl {
            continue;
        }
        for ll in prefix..=10 {
            let Some(lo_len_at) = hi_len_at.checked_sub(ll + 1) else { continue };
            if bytes[lo_len_at] as usize != ll || lo_len_at == 0 || bytes[lo_len_at - 1] as usize != prefix {
                continue;
            }
            return Some(bytes[lo_len_at + 1..lo_len_at + 1 + ll].to_vec());
        }
    }
    None
}

fn read_all(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut v = Vec::new();
    std::io::Read::read_to_end(&mut super::seal::open_nofollow(path)?, &mut v)?;
    Ok(v)
}

/// Our records in `dir`'s `db` and blob files, read as bytes.
pub fn scan(dir: &Path) -> Found {
    let mut found = Found::default();
    let mut files = vec![dir.join("db")];
    if let Ok(entries) = fs::read_dir(dir.join("blobs")) {
        let mut blobs: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        blobs.sort();
        files.extend(blobs);
    }
    // A compressed database's pages are zstd frames (store::frames): its
    // records are read from the frames sled's CRC vouches for, never from
    // its raw bytes, where zstd leaves short texts as they are: a flip in
    // one would be read as a record with a wrong character in it.
    let compressed = fs::read(dir.join("conf"))
        .is_ok_and(|c| memchr::memmem::find(&c, b"use_compression: true").is_some())
        || read_all(&dir.join("db")).is_ok_and(|b| super::frames::has_frames(&b));
    // Offsets across files: the data file first, then each blob after it.
    let mut base = 0usize;
    for (i, path) in files.iter().enumerate() {
        let Ok(bytes) = read_all(path) else { continue };
        if compressed {
            super::frames::each(&bytes, i > 0, |page| {
                scan_bytes(page, &mut found, base);
                base += page.len();
            });
        } else {
            scan_bytes(&bytes, &mut found, base);
            base += bytes.len();
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new database is compressed (issue 16): its frames give back every
    /// event, where its raw bytes miss some.
    #[test]
    fn a_compressed_database_is_read_through_its_frames() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = crate::Store::open(dir.path()).expect("open");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        crate::demo::load(&store, today).expect("demo");
        let events: Vec<_> = store.events.iter().map(|kv| kv.expect("event")).collect();
        store.close().expect("close");
        // Text, then sled's binary CRC.
        let conf = String::from_utf8_lossy(&fs::read(dir.path().join("conf")).expect("conf")).into_owned();
        assert!(conf.contains("use_compression: true"), "{conf}");
        let mut raw = Found::default();
        scan_bytes(&fs::read(dir.path().join("db")).expect("db"), &mut raw, 0);
        let found = scan(dir.path());
        let back = found.records(EVENTS);
        assert!(events.len() > 40);
        for (k, v) in &events {
            assert!(back.iter().any(|(bk, bv)| bk == &k[..] && bv == &v[..]), "event {k:?} not found");
        }
        // zstd leaves many short texts as they are, but not all (34 of 44
        // events here when this was written).
        assert!(raw.records(EVENTS).len() < events.len(), "{} raw", raw.records(EVENTS).len());
    }

    /// The work of reading a compressed database back grows with it, not
    /// with its square (issue 16: 3,013 cases took 83 s of CPU, the event
    /// keys' prefixes rebuilt for every page): counted, not timed.
    #[test]
    fn reading_a_compressed_database_is_work_in_proportion_to_it() {
        use crate::domain::time::china_at;
        let work = |n: u32| {
            let dir = tempfile::tempdir().expect("tempdir");
            let store = crate::Store::open(dir.path()).expect("open");
            let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
            let stamp = crate::Stamp { at: china_at(day, 9, 0), operator: "试".into() };
            let commands = (0..n).map(|i| {
                let intake = Intake {
                    channel: Channel::Reception,
                    name: format!("群众{i}"),
                    phone: format!("139{i:08}"),
                    people: 1,
                    delegation: None,
                    village: "沧江村".into(),
                    group: String::new(),
                    category: "其他".into(),
                    summary: format!("路坏了{i}"),
                    details: String::new(),
                    urgency: Urgency::Normal,
                    assignee: None,
                };
                (stamp.clone(), crate::Command::Register { intake, queue: None })
            });
            let (done, result) = store.execute_batch(commands);
            result.expect("batch");
            assert_eq!(done, n as usize);
            store.close().expect("close");
            let found = scan(dir.path());
            assert_eq!(found.records(EVENTS).len(), n as usize);
            let size = fs::metadata(dir.path().join("db")).expect("db").len();
            (found.work, size)
        };
        // Four times the cases: the work grows about as much (5.1 times
        // with 1 MiB segments, 5.5 with 512 KiB); the old rebuild of the
        // prefixes grew it 16 times. Counted per case, not per byte: the
        // file of 300 cases is mostly a segment's room.
        let ((small, small_size), (large, large_size)) = (work(300), work(1200));
        assert!(
            large < 8 * small,
            "300 cases: {small} for {small_size} bytes; 1200 cases: {large} for {large_size} bytes"
        );
    }

    #[test]
    fn sleds_varint() {
        assert_eq!(varint(10), [10]);
        assert_eq!(varint(240), [240]);
        assert_eq!(varint(341), [241, 101]);
        assert_eq!(varint(2287), [248, 255]);
        assert_eq!(varint(2288), [249, 0, 0]);
    }
}
