//! What can still be read from a damaged database's files, for `recover`.
//! sled can return, fail, or (on a missing blob file) loop forever, so each
//! tree is read in a thread of its own and abandoned if it stops giving
//! records; further copies are tried for what the first could not read
//! (without sled's snapshot, so that it rebuilds its page table from the
//! log and passes over what is gone; with a fresh `conf`; with missing blob
//! files put back as files that fail their CRC, so that sled stops reading
//! the log there instead of tripping over the gap). The raw bytes are
//! searched for case records too: evidence of cases sled no longer gives.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::copy::{self, TempCopy};
use super::layout::*;
use super::verify::place_error;
use super::{Record, Result};
use crate::domain::*;
use crate::i18n::Msg;

pub const TREES: [&str; 12] =
    [META, CASES, EVENTS, OPEN, FOLLOW_DUE, INSPECT_DUE, RESIDENTS, RESIDENT_CASES, CADRES, VILLAGES, DRAFTS, QUEUE];
/// A tree that gives no record for this long is stuck on damage.
const STALL: Duration = Duration::from_secs(5);
const OPEN_WAIT: Duration = Duration::from_secs(120);

#[derive(Clone, Default)]
pub struct TreeRead {
    pub records: Vec<(Vec<u8>, Vec<u8>)>,
    pub complete: bool,
}

enum Item {
    Record(Vec<u8>, Vec<u8>),
    End(bool),
}

#[derive(Clone, Copy, PartialEq)]
enum Attempt {
    AsIs,
    /// sled rebuilds its page table from the log, passing over what is gone.
    NoSnapshot,
    /// The same with a fresh `conf`, for when sled's own is lost or garbled.
    FreshConf,
    /// Blob files the seal records but that are gone, put back as files
    /// that fail their CRC: sled then stops reading the log at the first
    /// (keeping what came before) instead of tripping over the gap.
    CutAtMissing,
}

/// sled's files in `dir`: regular files only, never through a symlink.
fn sled_files(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let regular = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
    for n in ["db", "conf"] {
        if regular(&dir.join(n)) {
            names.push(n.to_string());
        }
    }
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if super::seal::sled_file_name(&n) && n.starts_with("snap.") && regular(&e.path()) {
                names.push(n);
            }
        }
    }
    if !fs::symlink_metadata(dir.join("blobs")).is_ok_and(|m| m.is_dir()) {
        return names;
    }
    if let Ok(entries) = fs::read_dir(dir.join("blobs")) {
        for e in entries.flatten() {
            let n = format!("blobs/{}", e.file_name().to_string_lossy());
            if super::seal::sled_file_name(&n) && regular(&e.path()) {
                names.push(n);
            }
        }
    }
    names
}

/// sled's files worth copying, and the blob files that fail their own CRC:
/// sled stops reading the log at such a blob, and passes over a missing one.
pub fn readable_files(dir: &Path) -> (Vec<String>, Vec<String>) {
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for name in sled_files(dir) {
        let sound = !name.starts_with("blobs/")
            || fs::read(dir.join(&name)).is_ok_and(|b| {
                b.len() >= 5 && b[..4].try_into().map(u32::from_le_bytes).ok() == Some(crc32fast::hash(&b[4..]))
            });
        if sound { good.push(name) } else { bad.push(name) }
    }
    (good, bad)
}

pub fn read_trees(dir: &Path, names: &[String], missing: &[String]) -> Result<Vec<TreeRead>> {
    if !names.iter().any(|n| n == "db") {
        return Err(place_error(Msg::RecoverNothing, dir));
    }
    let has_snapshot = names.iter().any(|n| n.starts_with("snap."));
    let mut best: Vec<Option<TreeRead>> = vec![None; TREES.len()];
    for attempt in [Attempt::AsIs, Attempt::NoSnapshot, Attempt::FreshConf, Attempt::CutAtMissing] {
        if best.iter().all(|b| b.as_ref().is_some_and(|t| t.complete)) {
            break;
        }
        if (attempt == Attempt::NoSnapshot && !has_snapshot) || (attempt == Attempt::CutAtMissing && missing.is_empty())
        {
            continue;
        }
        let Some(read) = read_attempt(dir, names, attempt, missing) else { continue };
        for (slot, new) in best.iter_mut().zip(read) {
            let better = match slot {
                None => true,
                Some(old) => !old.complete && (new.complete || new.records.len() > old.records.len()),
            };
            if better {
                *slot = Some(new);
            }
        }
    }
    if best.iter().all(Option::is_none) {
        return Err(place_error(Msg::RecoverNothing, dir));
    }
    Ok(best.into_iter().map(Option::unwrap_or_default).collect())
}

fn read_attempt(dir: &Path, names: &[String], attempt: Attempt, missing: &[String]) -> Option<Vec<TreeRead>> {
    let names: Vec<String> = names
        .iter()
        .filter(|n| attempt == Attempt::AsIs || !n.starts_with("snap."))
        .filter(|n| attempt != Attempt::FreshConf || n.as_str() != "conf")
        .cloned()
        .collect();
    let copy = TempCopy::of(dir, &names).ok()?;
    if attempt == Attempt::CutAtMissing {
        for name in missing {
            fs::write(copy.path().join(name), [0u8; 5]).ok()?;
        }
    }
    if attempt == Attempt::FreshConf {
        // A conf as sled writes it for a new database with our settings.
        let scratch = TempCopy::empty().ok()?;
        drop(copy::open_sled(scratch.path(), OPEN_WAIT).ok()?);
        fs::copy(scratch.path().join("conf"), copy.path().join("conf")).ok()?;
    }
    let db = copy::open_sled(copy.path(), OPEN_WAIT).ok()?;
    let (tx, rx) = mpsc::channel::<(usize, Item)>();
    for (i, name) in TREES.iter().enumerate() {
        let (db, to_main) = (db.clone(), tx.clone());
        let spawned = std::thread::Builder::new().name(format!("jiedai-salvage-{name}")).spawn(move || {
            let Ok(tree) = db.open_tree(name) else {
                let _ = to_main.send((i, Item::End(false)));
                return;
            };
            for kv in tree.iter() {
                let item = match kv {
                    Ok((k, v)) => Item::Record(k.to_vec(), v.to_vec()),
                    Err(_) => Item::End(false),
                };
                let end = matches!(item, Item::End(_));
                if to_main.send((i, item)).is_err() || end {
                    return;
                }
            }
            let _ = to_main.send((i, Item::End(true)));
        });
        if spawned.is_err() {
            let _ = tx.send((i, Item::End(false)));
        }
    }
    drop(tx);
    let mut out = vec![TreeRead::default(); TREES.len()];
    let mut last = vec![Instant::now(); TREES.len()];
    let mut done = vec![false; TREES.len()];
    while !done.iter().all(|d| *d) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok((i, Item::Record(k, v))) => {
                out[i].records.push((k, v));
                last[i] = Instant::now();
            }
            Ok((i, Item::End(ok))) => {
                out[i].complete = ok;
                done[i] = true;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        for i in 0..TREES.len() {
            if !done[i] && last[i].elapsed() > STALL {
                // Stuck: its thread is left to spin until the process ends.
                done[i] = true;
            }
        }
    }
    Some(out)
}

/// Every case record found anywhere in the files' raw bytes (stale copies
/// included), by number, the one with the most events kept: evidence of
/// cases sled no longer gives, so that they are named as lost.
pub fn raw_cases(dir: &Path) -> BTreeMap<CaseNo, Case> {
    let mut out: BTreeMap<CaseNo, Case> = BTreeMap::new();
    let mut files = vec![dir.join("db")];
    if let Ok(entries) = fs::read_dir(dir.join("blobs")) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    let head = [b'J', <Case as Record>::KIND, 1, 0];
    // Bounded: a garbled length must not ask for gigabytes.
    let config = bincode::config::standard().with_limit::<{ 4 << 20 }>();
    for path in files {
        let Ok(bytes) = super::seal::open_nofollow(&path).and_then(|mut f| {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut v).map(|_| v)
        }) else {
            continue;
        };
        for at in memchr::memmem::find_iter(&bytes, &head) {
            let body = &bytes[at + head.len()..];
            let Ok((case, _)) = bincode::serde::decode_from_slice::<Case, _>(body, config) else { continue };
            let plausible = (2000..2200).contains(&case.no.year) && case.no.seq > 0 && case.events > 0;
            if plausible && out.get(&case.no).is_none_or(|old| case.events > old.events) {
                out.insert(case.no, case);
            }
        }
    }
    out
}
