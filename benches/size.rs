//! Size on disk and write amplification (issue 16, item 3): the same
//! cases and events in jiedai's sled store and in SQLite, side by side, each
//! built two ways: in bulk (one flush for the lot, as an import) and one
//! save at a time (each command its own durable save, as the desk makes
//! them). `cargo bench --bench size`; SIZE_CASES=n for another count
//! (default 100,000). Everything is built under target/bench-size, which is
//! removed before and after, so nothing grows between runs (SIZE_DIR for
//! another place).
//!
//! SQLite holds the same records: one table per sled tree (key, value),
//! WITHOUT ROWID, the index tables with keys only, as an SQL index would;
//! WAL, checkpointed before it is measured. One save at a time there is one
//! transaction per event, replaying each case's timeline.

mod bulk;

use bulk::{intake, today};
use std::path::Path;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate};
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::store::{Command, Stamp, Store, decode, encode};

/// The same intake as benches/desk.rs builds its 100k database with.
/// As benches/desk.rs: one case in twenty still open, the others accepted,
/// concluded and followed up. Case i is number 1 + i (no demo here).
fn commands(i: usize) -> Vec<(Stamp, Command)> {
    let day = today() - Duration::days((i % 300) as i64);
    let stamp = |d: i64| Stamp { at: china_at(day + Duration::days(d), 9, 0), operator: "bench".into() };
    let no = CaseNo { year: 2026, seq: 1 + i as u32 };
    let mut out = vec![(stamp(0), Command::Register { intake: intake(i), queue: None })];
    if !i.is_multiple_of(20) {
        out.push((stamp(1), Command::Accept { case: no }));
        out.push((stamp(2), Command::Conclude { case: no, outcome: Outcome::Implemented, reason: "已落实".into() }));
        let follow_up =
            FollowUp { method: FollowUpMethod::Phone, satisfaction: Satisfaction::Satisfied, note: String::new() };
        out.push((stamp(3), Command::FollowUp { case: no, follow_up }));
    }
    out
}

/// Bytes in every file under `dir`.
fn size(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).expect("list").flatten() {
        let m = e.metadata().expect("stat");
        total += if m.is_dir() { size(&e.path()) } else { m.len() };
    }
    total
}

/// This process's (characters written, bytes sent to storage) so far.
fn io_written() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    let field =
        |name: &str| text.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    (field("wchar:"), field("write_bytes:"))
}

fn mib(b: u64) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

struct Built {
    bytes: u64,
    saves: u64,
    wchar: u64,
    written: u64,
    secs: f64,
}

impl Built {
    fn line(&self, name: &str) {
        let per = |b: u64| b as f64 / self.saves.max(1) as f64 / 1024.0;
        println!(
            "{name:<28} {:>8.1} MiB  {:>7} saves in {:>6.1} s  per save: {:>6.1} KiB written, {:>6.1} KiB to disk",
            mib(self.bytes),
            self.saves,
            self.secs,
            per(self.wchar),
            per(self.written)
        );
    }
}

fn measure(dir: &Path, build: impl FnOnce() -> u64) -> Built {
    let (w0, b0) = io_written();
    let t = Instant::now();
    let saves = build();
    let secs = t.elapsed().as_secs_f64();
    let (w1, b1) = io_written();
    Built { bytes: size(dir), saves, wchar: w1 - w0, written: b1 - b0, secs }
}

fn sled_bulk(dir: &Path, n: usize) -> Built {
    measure(dir, || {
        let store = Store::open(dir).expect("open");
        let items: Vec<(Stamp, Command)> = (0..n).flat_map(commands).collect();
        let saves = items.len() as u64;
        let (_, result) = store.execute_batch(items);
        result.expect("bulk load");
        store.close().expect("close");
        saves
    })
}

fn sled_one_by_one(dir: &Path, n: usize) -> Built {
    measure(dir, || {
        let store = Store::open(dir).expect("open");
        let mut saves = 0;
        for (stamp, cmd) in (0..n).flat_map(commands) {
            store.execute(&stamp, cmd).expect("save");
            saves += 1;
        }
        store.close().expect("close");
        saves
    })
}

const INDEXES: [&str; 3] = ["idx_open", "idx_follow_due", "idx_inspect_due"];

fn sqlite(path: &Path) -> rusqlite::Connection {
    let db = rusqlite::Connection::open(path).expect("sqlite");
    db.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;").expect("pragmas");
    db
}

fn table(db: &rusqlite::Connection, name: &str) {
    db.execute_batch(&format!("CREATE TABLE IF NOT EXISTS \"{name}\" (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID;"))
        .expect("create");
}

fn put(db: &rusqlite::Connection, name: &str, k: &[u8], v: &[u8]) {
    db.prepare_cached(&format!("INSERT OR REPLACE INTO \"{name}\" (k, v) VALUES (?1, ?2)"))
        .and_then(|mut s| s.execute(rusqlite::params![k, v]))
        .expect("insert");
}

fn del(db: &rusqlite::Connection, name: &str, k: &[u8]) {
    db.prepare_cached(&format!("DELETE FROM \"{name}\" WHERE k = ?1"))
        .and_then(|mut s| s.execute(rusqlite::params![k]))
        .expect("delete");
}

fn checkpointed(db: rusqlite::Connection) {
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
    drop(db);
}

/// Every record of the sled database at `from` (closed), as (tree, key, value).
fn sled_records(from: &Path) -> Vec<(String, Vec<u8>, Vec<u8>)> {
    // Text, then sled's binary CRC.
    let conf = std::fs::read(from.join("conf")).unwrap_or_default();
    let compressed = String::from_utf8_lossy(&conf).contains("use_compression: true");
    // On a copy: sled writes as it opens.
    let copy = from.with_extension("copy");
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(copy.join("blobs")).expect("copy dir");
    for name in ["db", "conf"] {
        std::fs::copy(from.join(name), copy.join(name)).expect("copy");
    }
    for e in std::fs::read_dir(from).expect("list").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("snap.") {
            std::fs::copy(e.path(), copy.join(&name)).expect("copy snapshot");
        }
    }
    if let Ok(blobs) = std::fs::read_dir(from.join("blobs")) {
        for e in blobs.flatten() {
            std::fs::copy(e.path(), copy.join("blobs").join(e.file_name())).expect("copy blob");
        }
    }
    // sled refuses another segment size than the one its conf holds.
    let segment = String::from_utf8_lossy(&conf)
        .lines()
        .find_map(|l| l.strip_prefix("segment_size: ").and_then(|v| v.trim().parse::<usize>().ok()))
        .unwrap_or(512 << 10);
    let db = sled::Config::new().path(&copy).use_compression(compressed).segment_size(segment).open().expect("sled");
    let mut out = Vec::new();
    for name in db.tree_names() {
        let tree = db.open_tree(&name).expect("tree");
        let name = String::from_utf8_lossy(&name).into_owned();
        if name == "__sled__default" {
            continue;
        }
        for kv in tree.iter() {
            let (k, v) = kv.expect("record");
            // An SQL index holds keys: so do the index tables.
            let v = if INDEXES.contains(&name.as_str()) { Vec::new() } else { v.to_vec() };
            out.push((name.clone(), k.to_vec(), v));
        }
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&copy);
    out
}

fn sqlite_bulk(dir: &Path, records: &[(String, Vec<u8>, Vec<u8>)]) -> Built {
    std::fs::create_dir_all(dir).expect("dir");
    measure(dir, || {
        let mut db = sqlite(&dir.join("db.sqlite"));
        let tx = db.transaction().expect("tx");
        for (name, k, v) in records {
            table(&tx, name);
            put(&tx, name, k, v);
        }
        tx.commit().expect("commit");
        checkpointed(db);
        1
    })
}

/// A date then a case, as the store's index keys.
fn dated(day: Option<NaiveDate>, no: CaseNo) -> Option<Vec<u8>> {
    let days = u32::try_from(day?.num_days_from_ce()).ok()?;
    let mut k = days.to_be_bytes().to_vec();
    k.extend_from_slice(&no.year.to_be_bytes());
    k.extend_from_slice(&no.seq.to_be_bytes());
    Some(k)
}

fn index_keys(case: &Case) -> [Option<Vec<u8>>; 3] {
    [dated(case.pending_key(), case.no), dated(case.follow_up_key(), case.no), dated(case.inspection_key(), case.no)]
}

/// One transaction per event, each case's timeline replayed in order: the
/// case row rewritten, the event added, its index keys moved, and at
/// registration the resident's rows; the rest (meta, directory) first.
fn sqlite_one_by_one(dir: &Path, records: &[(String, Vec<u8>, Vec<u8>)]) -> Built {
    std::fs::create_dir_all(dir).expect("dir");
    let per_case = ["cases", "events", "residents", "idx_resident_names", "idx_resident_cases"];
    let mut events: std::collections::BTreeMap<Vec<u8>, Vec<Event>> = Default::default();
    let mut cases = Vec::new();
    for (name, k, v) in records {
        match name.as_str() {
            "events" => events.entry(k[..6].to_vec()).or_default().push(decode(v).expect("event")),
            "cases" => cases.push((k.clone(), decode::<Case>(v).expect("case"))),
            _ => {}
        }
    }
    measure(dir, || {
        let mut db = sqlite(&dir.join("db.sqlite"));
        let mut saves = 0;
        {
            let tx = db.transaction().expect("tx");
            for name in per_case.iter().chain(&INDEXES) {
                table(&tx, name);
            }
            for (name, k, v) in records {
                if !per_case.contains(&name.as_str()) && !INDEXES.contains(&name.as_str()) {
                    table(&tx, name);
                    put(&tx, name, k, v);
                }
            }
            tx.commit().expect("commit");
        }
        for (key, stored) in &cases {
            let evs = events.get(key).map(Vec::as_slice).unwrap_or(&[]);
            let mut case: Option<Case> = None;
            for (seq, ev) in evs.iter().enumerate() {
                let tx = db.transaction().expect("tx");
                let before = case.as_ref().map(index_keys).unwrap_or_default();
                let now = match case.take() {
                    None => Case::open(stored.no, ev).expect("opens"),
                    Some(mut c) => {
                        c.apply(ev);
                        c
                    }
                };
                put(&tx, "cases", key, &encode(&now));
                let mut ek = key.clone();
                ek.extend_from_slice(&(seq as u32).to_be_bytes());
                put(&tx, "events", &ek, &encode(ev));
                for ((name, old), new) in INDEXES.iter().zip(before).zip(index_keys(&now)) {
                    if old != new {
                        if let Some(k) = old {
                            del(&tx, name, &k);
                        }
                        if let Some(k) = new {
                            put(&tx, name, &k, &[]);
                        }
                    }
                }
                if seq == 0 && !now.intake.name.is_empty() {
                    let r = Resident {
                        name: now.intake.name.clone(),
                        phone: now.intake.phone.clone(),
                        village: now.intake.village.clone(),
                        group: now.intake.group.clone(),
                    };
                    let rk = r.key();
                    put(&tx, "residents", rk.as_bytes(), &encode(&r));
                    let mut nk = r.name.as_bytes().to_vec();
                    nk.push(0x1f);
                    nk.extend_from_slice(rk.as_bytes());
                    put(&tx, "idx_resident_names", &nk, &[]);
                    let mut ck = rk.into_bytes();
                    ck.push(0x1f);
                    ck.extend_from_slice(key);
                    put(&tx, "idx_resident_cases", &ck, &[]);
                }
                tx.commit().expect("commit");
                saves += 1;
                case = Some(now);
            }
        }
        checkpointed(db);
        saves
    })
}

/// Where the bytes go (issue 16, item 3): per tree (the meta tree's kept
/// figures apart), records and their key and value bytes; then the files
/// sled made, against the live bytes they hold.
fn breakdown(dir: &Path, records: &[(String, Vec<u8>, Vec<u8>)]) {
    let mut per: std::collections::BTreeMap<String, (u64, u64, u64)> = Default::default();
    for (name, k, v) in records {
        let name =
            if name == "meta" && k.starts_with(b"tally\x1f") { "meta (tallies)".to_string() } else { name.clone() };
        let e = per.entry(name).or_default();
        e.0 += 1;
        e.1 += k.len() as u64;
        e.2 += v.len() as u64;
    }
    println!("{:<22} {:>9} {:>10} {:>11} {:>9}", "tree", "records", "key MiB", "value MiB", "B/record");
    let (mut n, mut kb, mut vb) = (0, 0, 0);
    for (name, (c, k, v)) in &per {
        println!("{name:<22} {c:>9} {:>10.2} {:>11.2} {:>9.1}", mib(*k), mib(*v), (k + v) as f64 / *c as f64);
        (n, kb, vb) = (n + c, kb + k, vb + v);
    }
    println!("{:<22} {n:>9} {:>10.2} {:>11.2}", "live, all trees", mib(kb), mib(vb));
    let mut files: Vec<(String, u64)> = Vec::new();
    for e in std::fs::read_dir(dir).expect("list").flatten() {
        let m = e.metadata().expect("stat");
        let bytes = if m.is_dir() { size(&e.path()) } else { m.len() };
        files.push((e.file_name().to_string_lossy().into_owned(), bytes));
    }
    files.sort();
    let all: u64 = files.iter().map(|f| f.1).sum();
    for (name, bytes) in &files {
        println!("  file {name:<30} {:>9.2} MiB", mib(*bytes));
    }
    println!(
        "  files / live bytes: {:.2}x (sled's page headers, old versions not yet cleaned, free space)",
        all as f64 / (kb + vb) as f64
    );
}

fn main() {
    let n: usize = std::env::var("SIZE_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    // SIZE_DIR: another place, for two runs at once (with and without
    // the `compression` feature).
    let base = match std::env::var_os("SIZE_DIR") {
        Some(d) => std::path::PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-size"),
    };
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("bench dir");
    println!("{n} cases, with their events (one in twenty open, the others concluded and followed up)");

    let bulk = sled_bulk(&base.join("sled-bulk"), n);
    bulk.line("sled, bulk");
    let one = sled_one_by_one(&base.join("sled-one"), n);
    one.line("sled, one save at a time");
    let records = sled_records(&base.join("sled-bulk"));
    println!("-- sled, bulk: where the bytes go");
    breakdown(&base.join("sled-bulk"), &records);
    println!("-- sled, one save at a time: files");
    breakdown(&base.join("sled-one"), &sled_records(&base.join("sled-one")));
    let lite_bulk = sqlite_bulk(&base.join("sqlite-bulk"), &records);
    lite_bulk.line("SQLite, bulk");
    let lite_one = sqlite_one_by_one(&base.join("sqlite-one"), &records);
    lite_one.line("SQLite, one save at a time");

    let ratio = |a: &Built, b: &Built| a.bytes as f64 / b.bytes as f64;
    println!("size ratio sled / SQLite, bulk: {:.2}x", ratio(&bulk, &lite_bulk));
    println!("size ratio sled / SQLite, one save at a time: {:.2}x", ratio(&one, &lite_one));
    println!(
        "bytes to disk per save, sled / SQLite, one at a time: {:.2}x",
        (one.written as f64 / one.saves as f64) / (lite_one.written as f64 / lite_one.saves as f64)
    );
    let _ = std::fs::remove_dir_all(&base);
}
