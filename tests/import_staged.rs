//! An import of any size stays all or nothing (issue 16): rows are checked
//! first, then written in chunks under a mark (store/staged.rs). A bad line
//! at the end writes nothing; a kill -9 half-way through the writing
//! leaves the database exactly as it was, `check` passing, and the same
//! import then runs. Small chunks (JIEDAI_IMPORT_CHUNK, a debug build's
//! setting) cut a few thousand rows into many.

mod common;

use common::run::{ok, text};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use jiedai::domain::stats::Period;
use jiedai::store::Store;

const HEAD: &str = "登记日期,姓名,电话,村,事由,受理日期,办结日期,办理结果,办结理由,回访次数,最近回访满意度";

/// `n` good rows over two years: open, accepted, and concluded with a
/// return visit; the first one names a resident the database already has
/// (by phone) with another name, so the import replaces that record.
fn rows(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let d = i % 28 + 1;
            match i % 3 {
                _ if i == 0 => "2025-01-01,老王,13800000000,冷洞村,路坏了,,,,,,".to_string(),
                0 => format!("2025-{:02}-{d:02},群众{i},,沧江村,路坏了{i},,,,,,", i % 12 + 1),
                1 => format!("2026-03-{d:02},群众{i},,冷洞村,灯坏了{i},2026-03-{d:02},,,,,"),
                _ => format!("2026-04-{d:02},,,坝达章村,水管{i},2026-04-{d:02},2026-05-{d:02},解释说明,已解释,1,满意"),
            }
        })
        .collect()
}

fn ledger(dir: &Path, name: &str, rows: &[String]) -> PathBuf {
    let path = dir.join(name);
    let body = std::iter::once(HEAD.to_string()).chain(rows.iter().cloned()).collect::<Vec<_>>().join("\n") + "\n";
    std::fs::write(&path, body).expect("write");
    path
}

fn import(db: &Path, file: &Path, chunk: usize) -> std::process::Output {
    common::run::import_command(db, file, chunk).output().expect("run jiedai")
}

/// `check` passes and counts `n` cases.
fn check_passes(db: &Path, n: usize) {
    let said = ok(common::jiedai(db, &["check"]));
    assert!(said.contains(&format!("数据库完好: {n} 件")), "{said}");
}

/// A database with the demo's cases and one resident, 老李, by phone.
fn database(dir: &Path) -> (PathBuf, String, usize) {
    let db = dir.join("db");
    ok(common::jiedai(&db, &["demo"]));
    let people = dir.join("people.csv");
    std::fs::write(&people, "姓名,电话,村,组\n老李,13800000000,沧江村,一组\n").expect("write");
    ok(common::jiedai(&db, &["import", "residents", people.to_str().expect("utf8")]));
    let export = ok(common::jiedai(&db, &["export"]));
    let json: serde_json::Value = serde_json::from_str(&export).expect("json");
    let n = json["cases"].as_array().map_or(0, Vec::len);
    assert!(export.contains("老李") && n > 0);
    (db, export, n)
}

#[test]
fn a_bad_line_at_the_very_end_imports_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, before, n) = database(dir.path());
    let mut all = rows(3000);
    all.push("2026-02-30,群众,,沧江村,路坏了,,,,,,".into());
    let file = ledger(dir.path(), "big.csv", &all);
    let out = import(&db, &file, 100);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("big.csv:3002: 登记日期"), "the last line named: {err}");
    assert_eq!(ok(common::jiedai(&db, &["export"])), before, "nothing written");
    check_passes(&db, n);
}

#[test]
fn a_kill_half_way_through_the_writing_leaves_nothing_and_the_import_then_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, before, n) = database(dir.path());
    let file = ledger(dir.path(), "big.csv", &rows(3000));
    // 15 chunks of 200: killed (SIGKILL) after the 6th is written.
    common::run::import_killed_after(&db, &file, 200, 6);
    // 1,200 rows were written before the kill: none of them is there.
    check_passes(&db, n);
    assert_eq!(ok(common::jiedai(&db, &["export"])), before, "the database as it was");
    // The same import again: all of it, once.
    let out = ok(import(&db, &file, 200));
    assert!(out.contains("已导入: 3000"), "{out}");
    check_passes(&db, n + 3000);
    let again = ok(import(&db, &file, 200));
    assert!(again.contains("这个文件已经导入过"), "{again}");
    // The kept figures equal the recount; the resident was replaced.
    let store = Store::open(&db).expect("open");
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    for period in [
        Period { from: day(2025, 1, 1), to: day(2026, 12, 31) },
        Period { from: day(2026, 3, 1), to: day(2026, 3, 31) },
    ] {
        assert_eq!(store.stats(period).expect("stats"), store.stats_recounted(period).expect("recount"));
    }
    let residents = store.export().expect("export").residents;
    assert!(residents.iter().any(|r| r.name == "老王" && r.phone == "13800000000"), "{residents:?}");
    assert!(!residents.iter().any(|r| r.name == "老李"));
    store.close().expect("close");
}

/// Cases numbered in a JSON export of `db`, in order.
fn numbers(db: &Path) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&ok(common::jiedai(db, &["export"]))).expect("json");
    json["cases"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    let no = &c["case"]["no"];
                    format!("{}-{:04}", no["year"], no["seq"].as_u64().unwrap_or(0))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `n` rows whose details are 100,000 characters that do not compress, so
/// that sled keeps each case and its registration in blob files.
fn long_rows(n: usize) -> Vec<String> {
    let mut x: u32 = 12345;
    (0..n)
        .map(|i| {
            let long: String = (0..100_000)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    char::from_u32(0x4e00 + (x >> 8) % 0x51a5).unwrap_or('路')
                })
                .collect();
            format!("2026-03-{:02},群众{i},,沧江村,路坏了{i},,,,,,,{long}", i % 28 + 1)
        })
        .collect()
}

/// Attack finding (attack16): an import killed half-way is undone when the
/// database next opens, and `check` then counts only the cases there; but
/// `recover` on that sound database reads every case record it finds in
/// the raw bytes (the undone import's blob files stay under `blobs/`, and
/// its old pages in the data file), so the new database it builds holds
/// the cases that were never imported and lists the gaps between them as
/// lost. The undoing now leaves a lasting record of the numbers it undid
/// (crates/store/src/staged.rs, `UNDONE_KEY`), and recover takes no raw copy
/// at or past them for a case.
#[test]
fn recover_after_an_undone_import_brings_back_none_of_its_cases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _, n) = database(dir.path());
    let head = format!("{HEAD},详情");
    let body = std::iter::once(head).chain(long_rows(15)).collect::<Vec<_>>().join("\n") + "\n";
    let file = dir.path().join("long.csv");
    std::fs::write(&file, body).expect("write");
    common::run::import_killed_after(&db, &file, 5, 2);
    // The next writer opens it: the half import is undone; a small import runs.
    let small = ledger(dir.path(), "small.csv", &rows(3)[1..]);
    ok(import(&db, &small, 100));
    check_passes(&db, n + 2);
    let live = numbers(&db);
    let out_db = dir.path().join("out");
    let said = ok(common::jiedai(&db, &["recover", "--out", &out_db.to_string_lossy()]));
    assert_eq!(numbers(&out_db), live, "recover kept cases the database does not hold:\n{said}");
    assert!(!said.contains("无任何记录"), "a sound database's recover names no lost case:\n{said}");
}
