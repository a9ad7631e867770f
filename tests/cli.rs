//! The command line, run as a user would: the real binary, its output and
//! exit codes.

mod common;

use common::jiedai;
use std::path::Path;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn demo_then_export_lists_the_seed_cases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = jiedai(dir.path(), &["demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("已写入演示数据: 13 件"));
    let out = jiedai(dir.path(), &["export", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let cases = json["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 13);
    let names: Vec<&str> = cases.iter().filter_map(|c| c["case"]["intake"]["name"].as_str()).collect();
    assert!(names.contains(&"唐科名"));
    assert!(
        cases.iter().any(|c| c["case"]["intake"]["village"] == "坝达章村" && c["case"]["intake"]["group"] == "五组")
    );
    // Every event is there: the road case's eight steps.
    let road = cases.iter().find(|c| c["case"]["intake"]["group"] == "五组").expect("road case");
    assert_eq!(road["events"].as_array().map(Vec::len), Some(8));
    assert!(json["cadres"].as_array().expect("cadres").iter().any(|c| c["name"] == "岑国仲"));
    // A second demo into the same database is refused, not doubled.
    let again = jiedai(dir.path(), &["demo"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("数据库不是空的"));
}

#[test]
fn export_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(jiedai(dir.path(), &["demo"]).status.code(), Some(0));
    let file = dir.path().join("out.json");
    let out = jiedai(dir.path(), &["export", "--format", "json", "--out", file.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(0));
    let body = std::fs::read_to_string(&file).expect("written");
    assert!(body.contains("唐科名"));
}

#[test]
fn check_passes_on_a_fresh_demo_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(jiedai(dir.path(), &["demo"]).status.code(), Some(0));
    let out = jiedai(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("数据库完好: 13 件"));
    let en = jiedai(dir.path(), &["check", "--lang", "en"]);
    assert!(text(&en.stdout).contains("Database is sound: 13 cases"));
}

fn snapshot_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        if e.path().is_file() {
            out.push((e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")));
        }
    }
    out.sort();
    out
}

#[test]
fn check_fails_on_a_damaged_database_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(jiedai(dir.path(), &["demo"]).status.code(), Some(0));
    // Flip bytes in the middle of the data file.
    let db = dir.path().join("db");
    let mut bytes = std::fs::read(&db).expect("db");
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).expect("damage");
    let before = snapshot_files(dir.path());
    let out = jiedai(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}{}", text(&out.stdout), text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("数据库"), "{err}");
    assert_eq!(snapshot_files(dir.path()), before, "check changed the database");
}

#[test]
fn check_fails_on_a_truncated_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(jiedai(dir.path(), &["demo"]).status.code(), Some(0));
    let db = dir.path().join("db");
    let len = std::fs::metadata(&db).expect("db").len();
    let f = std::fs::OpenOptions::new().write(true).open(&db).expect("open");
    f.set_len(len / 3).expect("truncate");
    let out = jiedai(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}{}", text(&out.stdout), text(&out.stderr));
}

#[test]
fn check_on_a_missing_database_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = jiedai(&dir.path().join("nothing-here"), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("数据库"));
}

#[test]
fn a_second_jiedai_names_the_holder_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _held = jiedai::store::Store::open(dir.path()).expect("hold the database");
    for args in [&[][..], &["export"][..], &["demo"][..]] {
        let out = jiedai(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("数据库正被另一个 jiedai 使用"), "{err}");
        assert!(err.contains(&format!("进程 {}", std::process::id())), "{err}");
        assert!(!err.contains("WouldBlock"), "{err}");
    }
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(jiedai(dir.path(), &["--lang", "fr"]).status.code(), Some(2));
    assert_eq!(jiedai(dir.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(jiedai(dir.path(), &["export", "--format", "xml"]).status.code(), Some(2));
    for args in [&["--help"][..], &["demo", "--help"][..], &["export", "--help"][..], &["check", "--help"][..]] {
        let out = jiedai(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(text(&out.stdout).contains("Usage"), "{args:?}");
    }
}
