//! Damaged databases for the tests: real ones (closed cleanly, or left by
//! kill -9), each kind of damage, every command run by the real binary, and
//! a fingerprint of every file to compare before and after.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command as Proc, Output, Stdio};
use std::time::Duration;

use super::pty::Pty;
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::store::{Command, Done, Stamp, Store};

// ---- what is on disk --------------------------------------------------------

#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: &'static str,
    pub mode: u32,
    pub mtime: (i64, i64),
    pub bytes: Vec<u8>,
}

pub type Fingerprint = BTreeMap<PathBuf, Entry>;

/// Every file, directory and symlink under `dir` (and `dir` itself): bytes
/// (or link target), mode and mtime. Symlinks are not followed.
pub fn fingerprint(dir: &Path) -> Fingerprint {
    let mut out = BTreeMap::new();
    fn walk(path: &Path, out: &mut Fingerprint) {
        let Ok(m) = std::fs::symlink_metadata(path) else { return };
        let ft = m.file_type();
        let (kind, bytes) = if ft.is_symlink() {
            ("link", std::fs::read_link(path).expect("readlink").into_os_string().into_encoded_bytes())
        } else if ft.is_dir() {
            ("dir", Vec::new())
        } else {
            ("file", std::fs::read(path).expect("read"))
        };
        out.insert(
            path.to_path_buf(),
            Entry { kind, mode: m.mode() & 0o7777, mtime: (m.mtime(), m.mtime_nsec()), bytes },
        );
        if ft.is_dir() {
            for e in std::fs::read_dir(path).expect("list").flatten() {
                walk(&e.path(), out);
            }
        }
    }
    walk(dir, &mut out);
    out
}

/// What changed between two fingerprints, one line per path.
pub fn changes(before: &Fingerprint, after: &Fingerprint) -> Vec<String> {
    let mut out = Vec::new();
    for (p, a) in before {
        match after.get(p) {
            None => out.push(format!("deleted {}", p.display())),
            Some(b) if a.kind != b.kind => out.push(format!("replaced {}", p.display())),
            Some(b) => {
                if a.bytes != b.bytes {
                    let n = a.bytes.iter().zip(&b.bytes).filter(|(x, y)| x != y).count()
                        + a.bytes.len().abs_diff(b.bytes.len());
                    out.push(format!("rewrote {} ({n} bytes)", p.display()));
                }
                if a.mode != b.mode {
                    out.push(format!("chmod {} {:o} -> {:o}", p.display(), a.mode, b.mode));
                }
                if a.mtime != b.mtime && a.bytes == b.bytes {
                    out.push(format!("touched {}", p.display()));
                }
            }
        }
    }
    for p in after.keys().filter(|p| !before.contains_key(*p)) {
        out.push(format!("created {}", p.display()));
    }
    out
}

pub use super::run::text;

/// Each case's number and its events, from a JSON export by the binary.
pub fn exported_events(db: &Path) -> BTreeMap<String, Vec<serde_json::Value>> {
    let out = super::jiedai(db, &["export", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut map = BTreeMap::new();
    for c in json["cases"].as_array().expect("cases") {
        let no = &c["case"]["no"];
        let key = format!("{}-{:04}", no["year"], no["seq"].as_u64().expect("seq"));
        map.insert(key, c["events"].as_array().cloned().unwrap_or_default());
    }
    map
}

/// Rust Debug text, raw English OS errors or control bytes: none may reach the officer.
pub fn unreadable(s: &str) -> Option<String> {
    for mark in ["Os {", "Some(", "None", "kind:", "os error", "Corruption", "Io(", "Error {", "\\u{"] {
        if s.contains(mark) {
            return Some(format!("shows {mark:?}"));
        }
    }
    s.chars().find(|c| c.is_control() && *c != '\n' && *c != '\t').map(|c| format!("shows control {c:?}"))
}

// ---- building databases -----------------------------------------------------

pub const CASES: usize = 64;
/// The registered cases whose long details sled keeps in files of their own (blobs/).
pub const LONG: [usize; 3] = [5, 25, 45];

/// Text zstd cannot shrink much (the database is compressed, issue 16), so
/// that sled still writes it to a blob (a page write over a quarter of a
/// segment: 256 KiB with 1 MiB segments): 200,000 characters picked at random.
pub fn long_details(i: usize) -> String {
    let mut x = i as u64 + 1;
    let random = (0..200_000).map(|_| {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        char::from_u32(0x4e00 + ((x >> 33) % 20_000) as u32).unwrap_or('中')
    });
    format!("第{i}件:").chars().chain(random).collect()
}

pub fn fill(store: &Store) {
    let n = jiedai::demo::load(store, super::today()).expect("demo");
    let day = super::today();
    for i in 0..CASES - n {
        let intake = Intake {
            channel: Channel::Reception,
            name: format!("居民{i}"),
            phone: String::new(),
            people: 1,
            delegation: None,
            village: "坝达章村".into(),
            group: "五组".into(),
            category: "道路交通".into(),
            summary: format!("第{i}件事由"),
            details: if LONG.contains(&i) { long_details(i) } else { format!("第{i}件详情") },
            urgency: Urgency::Normal,
            assignee: None,
        };
        let stamp = Stamp { at: china_at(day, 9, 0), operator: "测试员".into() };
        let done = store.execute(&stamp, Command::Register { intake, queue: None }).expect("register");
        assert!(matches!(done, Done::Registered(_)));
    }
}

/// A database closed cleanly, opened and closed once more (so sled has
/// written its snapshot), in `parent/desk`.
pub fn clean_db(parent: &Path) -> PathBuf {
    let path = parent.join("desk");
    let store = Store::open(&path).expect("open");
    fill(&store);
    store.close().expect("close");
    Store::open(&path).expect("reopen").close().expect("close again");
    path
}

/// Child side of `killed_db`: fill the database, say so, wait to be killed.
/// Each test file that kills desks runs it as its test `child_fills_then_waits`.
pub fn child_main() {
    let Some(dir) = std::env::var_os("JIEDAI_DAMAGE_CHILD") else { return };
    let store = Store::open(Path::new(&dir)).expect("open");
    if store.is_empty() {
        fill(&store);
    } else {
        // A later session: the officer types, the draft is saved.
        let draft = jiedai::store::Draft {
            form: "intake".into(),
            fields: vec![("summary".into(), "路又坏了".into())],
            saved_at: china_at(super::today(), 10, 0),
        };
        store.put_draft(&draft).expect("draft");
    }
    println!("ready");
    std::thread::sleep(Duration::from_secs(60));
}

/// A database whose desk was killed with -9 after its last save.
pub fn killed_db(parent: &Path) -> PathBuf {
    kill_a_desk_on(parent.join("desk"))
}

/// The desk on `path` (filled if new) killed with -9 after its last save.
pub fn kill_a_desk_on(path: PathBuf) -> PathBuf {
    let mut child = Proc::new(std::env::current_exe().expect("test exe"))
        .args(["--exact", "child_fills_then_waits", "--nocapture", "--test-threads=1"])
        .env("JIEDAI_DAMAGE_CHILD", &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("stdout");
    for line in BufReader::new(stdout).lines() {
        if line.expect("line").contains("ready") {
            break;
        }
    }
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let _ = child.wait();
    path
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Left {
    Clean,
    /// Killed in its first session: no snapshot yet.
    Killed,
    /// Closed cleanly, then opened again and killed: sled's snapshot is there.
    KilledLater,
}

pub fn build(parent: &Path, left: Left) -> PathBuf {
    match left {
        Left::Clean => clean_db(parent),
        Left::Killed => killed_db(parent),
        Left::KilledLater => kill_a_desk_on(clean_db(parent)),
    }
}

// ---- kinds of damage ----------------------------------------------------------

pub fn flip(path: &Path, at: usize, n: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    for b in &mut bytes[at..at + n] {
        *b ^= 0xff;
    }
    std::fs::write(path, &bytes).expect("write");
}

/// Where to hit each zstd frame in `bytes` (sled's compressed page writes)
/// whose content holds `text`: its middle, 16 bytes from its end at most.
pub fn frames_holding(bytes: &[u8], text: &[u8]) -> Vec<usize> {
    use zstd::zstd_safe;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = bytes[from..].windows(4).position(|w| w == [0x28, 0xb5, 0x2f, 0xfd]) {
        let at = from + i;
        from = at + 1;
        let Ok(len) = zstd_safe::find_frame_compressed_size(&bytes[at..]) else { continue };
        let Ok(page) = zstd::block::decompress(&bytes[at..at + len], 1 << 20) else { continue };
        if len > 32 && page.windows(text.len()).any(|w| w == text) {
            out.push(at + (len / 2).min(len - 16));
        }
    }
    out
}

pub fn blob_files(db: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(db.join("blobs")).expect("blobs").flatten().map(|e| e.path()).collect();
    v.sort();
    v
}

pub fn truncate(path: &Path, to: u64) {
    std::fs::OpenOptions::new().write(true).open(path).expect("open").set_len(to).expect("truncate");
}

#[derive(Clone, Copy, Debug)]
pub enum Damage {
    /// 16 bytes flipped in the middle of the data file.
    FlippedMiddle,
    /// 16 bytes flipped in a record sled still uses (a cadre's entry,
    /// written once by the demo), wherever it sits in the file.
    FlippedLiveRecord,
    /// The same, with a leftover `snap.*.generating` that must not be cleaned up.
    FlippedWithGenerating,
    TruncatedDb,
    BlobsDeleted,
    OneBlobDeleted,
    BlobDamaged,
    SealDeleted,
    SealDeletedDbTruncated,
    GarbageSeal,
    ConfDeleted,
    SnapshotDeleted,
}

pub const ALL: [Damage; 12] = [
    Damage::FlippedMiddle,
    Damage::FlippedLiveRecord,
    Damage::FlippedWithGenerating,
    Damage::TruncatedDb,
    Damage::BlobsDeleted,
    Damage::OneBlobDeleted,
    Damage::BlobDamaged,
    Damage::SealDeleted,
    Damage::SealDeletedDbTruncated,
    Damage::GarbageSeal,
    Damage::ConfDeleted,
    Damage::SnapshotDeleted,
];

pub fn snapshots(db: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(db).expect("dir").flatten().map(|e| e.path()).filter(|p| is_snapshot(p)).collect()
}

pub fn is_snapshot(p: &Path) -> bool {
    p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("snap."))
}

/// Damage the database; false when this kind does not apply (a database
/// left by kill -9 in its first session has no snapshot yet).
pub fn damage(db: &Path, kind: Damage, left: Left) -> bool {
    let data = db.join("db");
    let len = std::fs::metadata(&data).expect("db").len();
    match kind {
        // Reopened after a clean close, sled reads only the log since its
        // snapshot: the middle of the file then holds versions it no longer
        // uses, and changing them loses nothing (see FlippedLiveRecord).
        Damage::FlippedMiddle if left == Left::KilledLater => return false,
        Damage::FlippedMiddle => flip(&data, len as usize / 2, 16),
        Damage::FlippedLiveRecord => {
            let bytes = std::fs::read(&data).expect("db");
            let phone = b"13908591008";
            let mut at: Vec<usize> =
                bytes.windows(phone.len()).enumerate().filter(|(_, w)| w == phone).map(|(i, _)| i).collect();
            // A compressed database (the default, issue 16): the middle of
            // each page write (zstd frame) that holds the phone.
            at.extend(frames_holding(&bytes, phone));
            // The cadre's record, and the directory's log and view that
            // name the same phone: every copy damaged.
            assert!(!at.is_empty(), "the cadre's record is in the file");
            for i in at {
                flip(&data, i, 16);
            }
        }
        Damage::FlippedWithGenerating => {
            flip(&data, len as usize / 2, 16);
            std::fs::write(db.join("snap.0000000000000010.generating"), b"half a snapshot").expect("write");
        }
        Damage::TruncatedDb => truncate(&data, len / 3),
        Damage::BlobsDeleted => std::fs::remove_dir_all(db.join("blobs")).expect("rm blobs"),
        Damage::OneBlobDeleted => std::fs::remove_file(&blob_files(db)[0]).expect("rm blob"),
        Damage::BlobDamaged => {
            let b = &blob_files(db)[0];
            let n = std::fs::metadata(b).expect("blob").len() as usize;
            flip(b, n / 2, 16);
        }
        Damage::SealDeleted => std::fs::remove_file(db.join("jiedai.seal")).expect("rm seal"),
        Damage::SealDeletedDbTruncated => {
            std::fs::remove_file(db.join("jiedai.seal")).expect("rm seal");
            truncate(&data, len / 3);
        }
        Damage::GarbageSeal => {
            let garbage: Vec<u8> = (0..300u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
            std::fs::write(db.join("jiedai.seal"), garbage).expect("write");
        }
        Damage::ConfDeleted => std::fs::remove_file(db.join("conf")).expect("rm conf"),
        Damage::SnapshotDeleted => {
            let snaps = snapshots(db);
            if snaps.is_empty() {
                return false;
            }
            for s in snaps {
                std::fs::remove_file(s).expect("rm snapshot");
            }
        }
    }
    true
}

// ---- the commands -------------------------------------------------------------

pub fn import_files(dir: &Path) -> (PathBuf, PathBuf) {
    let json = dir.join("import.json");
    let other = tempfile::tempdir().expect("tempdir");
    let store = Store::open(other.path()).expect("open");
    jiedai::demo::load(&store, super::today()).expect("demo");
    std::fs::write(&json, serde_json::to_vec(&store.export().expect("export")).expect("json")).expect("write");
    let csv = dir.join("import.csv");
    std::fs::write(&csv, "登记日期,事由\n2026-03-01,路坏了\n").expect("write");
    (json, csv)
}

/// Every command that takes a database, as argument lists (the desk is run apart).
pub fn commands(json: &Path, csv: &Path) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let (json, csv) = (json.to_string_lossy().into_owned(), csv.to_string_lossy().into_owned());
    vec![
        s(&["report"]),
        s(&["report", "--format", "json"]),
        s(&["export", "--format", "json"]),
        s(&["export", "--format", "csv"]),
        s(&["check"]),
        s(&["demo"]),
        s(&["import", "json", &json]),
        s(&["import", "cases", &csv]),
    ]
}

pub fn run(db: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    jiedai_within(db, &args)
}

/// As `common::jiedai`, but a command that hangs (sled can, on damage) is
/// killed after a minute and reported as exit code None.
pub fn jiedai_within(db: &Path, args: &[&str]) -> Output {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let mut child = Proc::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("JIEDAI_DB")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jiedai");
    let (mut out, mut err) = (child.stdout.take().expect("stdout"), child.stderr.take().expect("stderr"));
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break std::process::ExitStatus::from_raw(9);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: reader.join().expect("stdout"), stderr: err_reader.join().expect("stderr") }
}

/// The desk in a pseudo-terminal: what it showed and its exit code (None:
/// it was still running after a few seconds, so it was killed).
pub fn desk(db: &Path) -> (String, Option<i32>) {
    let path = db.to_string_lossy().into_owned();
    let mut t = Pty::spawn(&["--db", &path], &[]);
    let code = t.wait_exit(Duration::from_secs(8));
    t.settle();
    (text(&t.raw), code)
}

pub const DAMAGED: &str = "数据库已损坏,未作任何改动";

pub fn case_numbers(db: &Path) -> Vec<CaseNo> {
    steps(db).into_keys().collect()
}

/// Each case in a database and how many events its timeline has.
pub fn steps(db: &Path) -> BTreeMap<CaseNo, usize> {
    let out = jiedai_within(db, &["export", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            let no = serde_json::from_value(c["case"]["no"].clone()).expect("case number");
            (no, c["events"].as_array().map_or(0, Vec::len))
        })
        .collect()
}
