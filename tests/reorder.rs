//! Writes kept out of order (issue 16, attack25). Between two syncs the
//! kernel writes the data file's pages back in any order, so a power cut
//! can keep a later write and lose an earlier one, which LazyFS's cut
//! (everything unsynced dropped) never shows. sled reads its log back to
//! the first write that does not read, but only from the segment its
//! newest header calls stable; before that segment it skips past a message
//! that does not read (as a freed segment's leftovers). With no sync per
//! buffer "stable" meant only written, and an import's log runs over many
//! segments between two syncs: an early buffer lost, the later ones and the
//! finish kept, and the database came back with some residents still as
//! before and the rest replaced, `check` saying sound.
//!
//! Here: an import that replaces 30,000 residents runs under strace; for
//! every stretch of the data file's writes between two syncs, the database
//! is rebuilt as it was at the stretch's start with all of the stretch but
//! its first write (the seal as written so far), then opened as the desk
//! does: every resident is as before the import, or every one as after.
//! The same with its first and last writes both lost, and with its first
//! write torn (only its first 4 KiB page on disk, or only its last).
//! strace must be installed (.ci/test-tools): without it this fails.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::run::{arg, ok, text, write};

const N: usize = 30_000;
/// The page the kernel writes back whole, or not at all.
const PAGE: u64 = 4096;

/// Whether a write (by its number in the trace) reached the disk on a page.
type Kept = dyn Fn(usize, u64) -> bool;

enum Ev {
    /// A pwrite to sled's data file.
    Db(u64, Vec<u8>),
    /// fsync or fdatasync of the data file.
    Sync,
    /// A write to the seal's temporary file, then its rename over the seal.
    SealTmp(Vec<u8>),
    SealRename,
    /// A pwrite to the seal.
    Seal(u64, Vec<u8>),
}

fn unhex(s: &str) -> Vec<u8> {
    s.split("\\x").filter(|h| !h.is_empty()).map(|h| u8::from_str_radix(h, 16).expect("hex")).collect()
}

/// The first quoted argument of a call, as bytes (strace -xx).
fn quoted(args: &str) -> Vec<u8> {
    let start = args.find('"').expect("quoted") + 1;
    let end = start + args[start..].find('"').expect("closing quote");
    unhex(&args[start..end])
}

fn number(s: &str) -> u64 {
    s.trim().trim_end_matches(')').trim().parse().expect("number")
}

/// The calls on the database's files, in the order they were made.
fn events(trace: &str) -> Vec<Ev> {
    let mut fds: HashMap<u64, Vec<u8>> = HashMap::new();
    let mut pending: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for line in trace.lines() {
        let Some((pid, rest)) = line.split_once(' ') else { continue };
        let rest = rest.trim_start();
        let call = if let Some(start) = rest.strip_suffix("<unfinished ...>") {
            pending.insert(pid.to_string(), start.trim_end().to_string());
            continue;
        } else if rest.starts_with("<...") {
            let Some(start) = pending.remove(pid) else { continue };
            let Some((_, tail)) = rest.split_once("resumed>") else { continue };
            format!("{start}{tail}")
        } else {
            rest.to_string()
        };
        let Some((name, args)) = call.split_once('(') else { continue };
        let Some((args, ret)) = args.rsplit_once(" = ") else { continue };
        let ret: i64 = ret.split_whitespace().next().and_then(|r| r.parse().ok()).unwrap_or(-1);
        let fd = || number(args.split([',', ')']).next().unwrap_or(""));
        let path = |fd: u64| fds.get(&fd).cloned().unwrap_or_default();
        match name {
            "openat" if ret >= 0 => {
                // After an unclean close jiedai opens a copy first: its
                // files are not the database's.
                let p = quoted(args);
                let p = if p.windows(13).any(|w| w == b"/jiedai-copy-") { Vec::new() } else { p };
                fds.insert(ret as u64, p);
            }
            "close" => {
                fds.remove(&fd());
            }
            "pwrite64" => {
                let p = path(fd());
                let offset = number(args.rsplit(',').next().unwrap_or(""));
                if p.ends_with(b"/db") {
                    out.push(Ev::Db(offset, quoted(args)));
                } else if p.ends_with(b"jiedai.seal") {
                    out.push(Ev::Seal(offset, quoted(args)));
                }
            }
            "write" if path(fd()).ends_with(b"jiedai.seal.tmp") => out.push(Ev::SealTmp(quoted(args))),
            "rename" if quoted(args).ends_with(b"jiedai.seal.tmp") => out.push(Ev::SealRename),
            "fsync" | "fdatasync" if path(fd()).ends_with(b"/db") => out.push(Ev::Sync),
            _ => {}
        }
    }
    out
}

/// The database as `base` was, with the calls in `evs` carried out, each
/// write to the data file only on the 4 KiB pages of the file that
/// `kept(call, page)` keeps: a page lost keeps what was there before (past
/// the file's end: zeros, or a shorter file).
fn rebuild(base: &Path, to: &Path, evs: &[Ev], kept: &Kept) {
    std::fs::create_dir_all(to.join("blobs")).expect("mkdir");
    for entry in std::fs::read_dir(base).expect("read base") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
    let mut db = std::fs::read(to.join("db")).expect("db");
    let mut seal = std::fs::read(to.join("jiedai.seal")).expect("seal");
    let mut tmp = Vec::new();
    let put = |file: &mut Vec<u8>, at: u64, data: &[u8]| {
        let at = at as usize;
        if file.len() < at + data.len() {
            file.resize(at + data.len(), 0);
        }
        file[at..at + data.len()].copy_from_slice(data);
    };
    for (i, ev) in evs.iter().enumerate() {
        match ev {
            Ev::Db(at, data) => {
                let end = at + data.len() as u64;
                let mut from = *at;
                while from < end {
                    let to = ((from / PAGE + 1) * PAGE).min(end);
                    if kept(i, from / PAGE) {
                        put(&mut db, from, &data[(from - at) as usize..(to - at) as usize]);
                    }
                    from = to;
                }
            }
            Ev::SealTmp(data) => tmp.extend_from_slice(data),
            Ev::SealRename => seal = std::mem::take(&mut tmp),
            Ev::Seal(at, data) => put(&mut seal, *at, data),
            _ => {}
        }
    }
    std::fs::write(to.join("db"), db).expect("write db");
    std::fs::write(to.join("jiedai.seal"), seal).expect("write seal");
}

fn residents(group: &str) -> String {
    let mut body = String::from("姓名,电话,村,组\n");
    for i in 0..N {
        body.push_str(&format!("居民{i:05},138{i:08},坝达章村,{group}\n"));
    }
    body
}

fn jiedai(db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", "zh_CN.UTF-8")
        .env("JIEDAI_EMBEDDED", "true")
        .env_remove("JIEDAI_IMPORT_PAUSE_AFTER")
        .env_remove("JIEDAI_IMPORT_CHUNK")
        .output()
        .expect("run jiedai")
}

#[test]
fn an_import_whose_earlier_write_is_lost_and_later_ones_kept_is_all_or_nothing() {
    let strace = std::process::Command::new("strace").arg("-V").output();
    assert!(strace.is_ok_and(|o| o.status.success()), "strace is needed for this test: run .ci/test-tools");
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("desk");
    let before = write(dir.path(), "a.csv", &residents("一组"));
    let after = write(dir.path(), "b.csv", &residents("二组"));
    ok(jiedai(&db, &["import", "residents", arg(&before)]));
    let base = dir.path().join("base");
    rebuild(&db, &base, &[], &|_, _| true);

    let trace = dir.path().join("trace");
    let out = std::process::Command::new("strace")
        .args(["-f", "-qq", "-s", "100000000", "-xx", "-e", "signal=none"])
        .args(["-e", "trace=openat,close,pwrite64,write,rename,fsync,fdatasync", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_jiedai"))
        .args(["import", "residents", arg(&after), "--db", arg(&db)])
        .env("LANG", "zh_CN.UTF-8")
        .env("JIEDAI_EMBEDDED", "true")
        .env_remove("JIEDAI_IMPORT_CHUNK")
        .output()
        .expect("strace");
    ok(out);
    let evs = events(&std::fs::read_to_string(&trace).expect("trace"));
    let syncs = evs.iter().filter(|e| matches!(e, Ev::Sync)).count();
    assert!(syncs >= 3, "the trace holds {syncs} syncs of the data file");

    // Each stretch of writes between two syncs, cut just before the sync
    // that ends it: its first write lost and the rest kept; its first and
    // last lost (attack26: the batch's manifest with its data, or two
    // buffers apart); its first write torn, only its first 4 KiB page kept
    // or only its last, the rest of the stretch kept.
    let mut tried = 0;
    let mut start = 0;
    for (end, _) in evs.iter().enumerate().filter(|(_, e)| matches!(e, Ev::Sync)) {
        let writes: Vec<usize> = (start..end).filter(|&i| matches!(evs[i], Ev::Db(..))).collect();
        start = end + 1;
        if writes.len() < 2 {
            continue;
        }
        let (first, last) = (writes[0], writes[writes.len() - 1]);
        let pages = match &evs[first] {
            Ev::Db(at, data) => (at / PAGE, (at + data.len() as u64 - 1) / PAGE),
            _ => unreachable!("a write"),
        };
        let mut states: Vec<(String, Box<Kept>)> = vec![
            (format!("write {first} lost"), Box::new(move |i, _| i != first)),
            (format!("writes {first} and {last} lost"), Box::new(move |i, _| i != first && i != last)),
        ];
        if pages.0 < pages.1 {
            states.push((
                format!("write {first} torn, first page kept"),
                Box::new(move |i, p| i != first || p == pages.0),
            ));
            states.push((
                format!("write {first} torn, last page kept"),
                Box::new(move |i, p| i != first || p == pages.1),
            ));
        }
        for (what, kept) in states {
            tried += 1;
            let cut = dir.path().join(format!("cut{end}"));
            rebuild(&base, &cut, &evs[..end], &*kept);
            let check = jiedai(&cut, &["check"]);
            let json = cut.with_extension("json");
            let export = jiedai(&cut, &["export", "--out", arg(&json)]);
            let exported = std::fs::read_to_string(&json).unwrap_or_default();
            let (old, new) = (exported.matches("一组").count(), exported.matches("二组").count());
            assert!(
                export.status.success() && check.status.success() && ((old, new) == (N, 0) || (old, new) == (0, N)),
                "cut before sync {end}, {what}: {old} residents as before the import, {new} as after; check: {}{}",
                text(&check.stdout),
                text(&check.stderr),
            );
            let _ = std::fs::remove_dir_all(&cut);
            let _ = std::fs::remove_file(&json);
        }
    }
    assert!(tried >= 12, "only {tried} states to try");
}
