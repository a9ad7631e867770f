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
        assert!(text(&out.stdout).contains("用法"), "{args:?}");
    }
}

/// Words a Chinese message may carry in ASCII: the program's own name,
/// commands, options and file formats.
const ASCII_ALLOWED: &[&str] = &[
    "jiedai", "check", "import", "export", "report", "demo", "recover", "print", "skip", "bad", "out", "db", "lang",
    "xlsx", "csv", "json", "JSON", "CSV", "UTF", "GBK", "FILE", "Excel", "WPS", "BOM", "SSH",
];

/// No Rust Debug text, no OS error in English, no ASCII-only English
/// sentence: every word in ASCII is one of `ASCII_ALLOWED` (paths aside).
fn assert_chinese(what: &str, err: &str, paths: &[&Path]) {
    for bad in ["Some(", "None", "Err(", "Ok(", "Os {", "os error", "kind:", "Error"] {
        assert!(!err.contains(bad), "{what}: `{bad}` in: {err}");
    }
    let mut rest = err.to_string();
    for p in paths {
        rest = rest.replace(&p.display().to_string(), " ");
    }
    // The login name of whoever holds the database is data, not a message.
    rest = rest.replace(&format!("使用者 {}", jiedai::store::current_user()), " ");
    // File names are the user's own words.
    let rest: Vec<&str> = rest.split_whitespace().filter(|w| !w.contains('/')).collect();
    let rest = rest.join(" ");
    for word in rest.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 2) {
        assert!(ASCII_ALLOWED.contains(&word), "{what}: English `{word}` in: {err}");
    }
    assert!(err.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{what}: no Chinese in: {err}");
}

#[test]
fn every_failure_a_chinese_user_can_meet_is_told_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let demo = root.join("demo");
    assert_eq!(jiedai(&demo, &["demo"]).status.code(), Some(0));
    let damaged = root.join("damaged");
    assert_eq!(jiedai(&damaged, &["demo"]).status.code(), Some(0));
    let db_file = damaged.join("db");
    let mut bytes = std::fs::read(&db_file).expect("db");
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&db_file, &bytes).expect("damage");
    let regular = root.join("a-file");
    std::fs::write(&regular, "not a database").expect("file");
    let binary = root.join("binary.csv");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x81, 0x30, 0xff]).expect("binary");
    let not_json = root.join("not.json");
    std::fs::write(&not_json, "{ \"format\": 1, \"cases\": [ }").expect("json");
    let wrong_shape = root.join("shape.json");
    std::fs::write(&wrong_shape, "{ \"format\": 1, \"cases\": 7 }").expect("json");
    let missing = root.join("missing.csv");
    let no_name = root.join("no-name.csv");
    std::fs::write(&no_name, "职务,电话\n主任,13800138000\n").expect("csv");
    let good = root.join("good.csv");
    std::fs::write(&good, "登记日期,事由\n2026-03-01,路坏了\n").expect("csv");
    let no_dir = root.join("no/such/dir/out.csv");
    let held = root.join("held");
    let _lock = jiedai::store::Store::open(&held).expect("hold");
    let fresh = root.join("fresh");
    let nothing = root.join("nothing");
    let cases: Vec<(&str, &Path, Vec<&str>)> = vec![
        ("import a missing file", &fresh, vec!["import", "cases", missing.to_str().expect("p")]),
        ("import a directory", &fresh, vec!["import", "cases", root.to_str().expect("p")]),
        ("import a binary file", &fresh, vec!["import", "cases", binary.to_str().expect("p")]),
        ("import broken json", &fresh, vec!["import", "json", not_json.to_str().expect("p")]),
        ("import json of the wrong shape", &fresh, vec!["import", "json", wrong_shape.to_str().expect("p")]),
        ("import json into a full database", &demo, vec!["import", "json", not_json.to_str().expect("p")]),
        ("import cadres without a name column", &fresh, vec!["import", "cadres", no_name.to_str().expect("p")]),
        ("export into a missing directory", &demo, vec!["export", "--out", no_dir.to_str().expect("p")]),
        ("export over a directory", &demo, vec!["export", "--format", "csv", "--out", root.to_str().expect("p")]),
        ("xlsx to the terminal", &demo, vec!["export", "--format", "xlsx"]),
        ("a report backwards", &demo, vec!["report", "--from", "2026-05-01", "--to", "2026-01-01"]),
        ("check a missing database", &nothing, vec!["check"]),
        ("check a damaged database", &damaged, vec!["check"]),
        ("report on a damaged database", &damaged, vec!["report"]),
        ("demo into a full database", &demo, vec!["demo"]),
        ("export from a held database", &held, vec!["export"]),
        ("import into a held database", &held, vec!["import", "cases", good.to_str().expect("p")]),
        ("report on a file", &regular, vec!["report"]),
        ("check on a file", &regular, vec!["check"]),
        ("screenshots into a file", &fresh, vec!["screenshots", "--out", regular.to_str().expect("p")]),
    ];
    for (what, db, args) in cases {
        let out = jiedai(db, &args);
        assert_eq!(out.status.code(), Some(1), "{what}: {}{}", text(&out.stdout), text(&out.stderr));
        assert_chinese(what, &text(&out.stderr), &[root, db]);
    }
    // The desk without a terminal (a script, a cron job): in a new session,
    // so that it can never take over the terminal the tests run in.
    let out = std::process::Command::new("setsid")
        .arg(env!("CARGO_BIN_EXE_jiedai"))
        .arg("--db")
        .arg(&fresh)
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("JIEDAI_DB")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("setsid jiedai");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_chinese("the desk without a terminal", &text(&out.stderr), &[root]);
}

/// The reader of stdout gone before a word is written (`jiedai report |
/// head -1`, the pipe closed): every command that prints ends quietly with
/// status 0, as cat and grep do; nothing on stderr.
#[test]
fn a_closed_stdout_pipe_ends_every_printing_command_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db-dir");
    let run = |args: &[&str]| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("JIEDAI_DB")
            .env("LANG", "zh_CN.UTF-8")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // The reading end closes at once: every write meets EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        (out.status.code(), text(&out.stderr))
    };
    let mut commands: Vec<Vec<&str>> = vec![vec!["demo"]];
    commands.extend([
        vec!["report"],
        vec!["report", "--format", "json"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "csv"],
        vec!["check"],
        vec!["help"],
        vec!["--help"],
    ]);
    for args in commands {
        let (code, err) = run(&args);
        assert_eq!((code, err.as_str()), (Some(0), ""), "{args:?}");
    }
}

/// `jiedai check` on a damaged database points on to `jiedai recover`,
/// not back to itself.
#[test]
fn check_on_a_damaged_database_points_to_recover() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(jiedai(dir.path(), &["demo"]).status.code(), Some(0));
    let db = dir.path().join("db");
    let mut bytes = std::fs::read(&db).expect("db");
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).expect("damage");
    let out = jiedai(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("请运行 `jiedai recover`"), "{err}");
    assert!(!err.contains("jiedai check"), "{err}");
    let en = jiedai(dir.path(), &["check", "--lang", "en"]);
    let err = text(&en.stderr);
    assert!(err.contains("Run `jiedai recover`") && !err.contains("jiedai check"), "{err}");
}
