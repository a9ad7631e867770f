//! `--db` touches only its own database: a path that is not one (a home
//! folder, a file, /dev/null, a path whose parents do not exist, a symlinked
//! lock, a directory made read-only) gets a clear refusal, and nothing there
//! is created, chmod'ed or followed. Every command, run by the real binary.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::pty::Pty;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A path's mode, mtime and bytes (a symlink's target).
type Seen = (u32, (i64, i64), Vec<u8>);

/// Each path under `dir` (symlinks not followed).
fn fingerprint(dir: &Path) -> BTreeMap<PathBuf, Seen> {
    let mut out = BTreeMap::new();
    fn walk(p: &Path, out: &mut BTreeMap<PathBuf, Seen>) {
        let Ok(m) = std::fs::symlink_metadata(p) else { return };
        let bytes = if m.file_type().is_symlink() {
            std::fs::read_link(p).expect("link").into_os_string().into_encoded_bytes()
        } else if m.is_file() {
            std::fs::read(p).expect("read")
        } else {
            Vec::new()
        };
        out.insert(p.to_path_buf(), (m.mode(), (m.mtime(), m.mtime_nsec()), bytes));
        if m.is_dir() {
            for e in std::fs::read_dir(p).expect("list").flatten() {
                walk(&e.path(), out);
            }
        }
    }
    walk(dir, &mut out);
    out
}

/// The real binary with `--db db`, in Chinese, optionally as another user.
fn jiedai_as(db: &Path, args: &[&str], uid: Option<u32>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jiedai"));
    cmd.args(args)
        .arg("--db")
        .arg(db)
        .env_remove("JIEDAI_DB")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    if let Some(uid) = uid {
        cmd.uid(uid).gid(uid);
    }
    cmd.output().expect("run jiedai")
}

fn jiedai(db: &Path, args: &[&str]) -> Output {
    jiedai_as(db, args, None)
}

/// The desk in a pseudo-terminal: what it showed, and its exit code.
fn desk(db: &Path) -> (String, Option<i32>) {
    let path = db.to_string_lossy().into_owned();
    let mut t = Pty::spawn(&["--db", &path], &[]);
    let code = t.wait_exit(Duration::from_secs(8));
    t.settle();
    (text(&t.raw), code)
}

fn import_files(dir: &Path) -> (String, String) {
    let json = dir.join("in.json");
    // A whole, valid (empty) export: only the place can be what is refused.
    let empty = jiedai::store::Export {
        format: 1,
        rules: Default::default(),
        cases: Vec::new(),
        residents: Vec::new(),
        cadres: Vec::new(),
        villages: Vec::new(),
        roster: Vec::new(),
        directory: Vec::new(),
        diary: Vec::new(),
        box_openings: Vec::new(),
    };
    std::fs::write(&json, serde_json::to_string(&empty).expect("json")).expect("write");
    let csv = dir.join("in.csv");
    std::fs::write(&csv, "登记日期,事由\n2026-03-01,路坏了\n").expect("write");
    (json.to_string_lossy().into_owned(), csv.to_string_lossy().into_owned())
}

/// Every command: the reading ones, the writing ones, recover; then the desk.
fn every_command(db: &Path, files: &(String, String)) -> Vec<(String, Option<i32>, String)> {
    let mut out = Vec::new();
    let cmds: Vec<Vec<&str>> = vec![
        vec!["report"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "csv"],
        vec!["check"],
        vec!["demo"],
        vec!["import", "json", &files.0],
        vec!["import", "cases", &files.1],
        vec!["recover"],
    ];
    for args in cmds {
        let o = jiedai(db, &args);
        out.push((args.join(" "), o.status.code(), text(&o.stderr)));
    }
    let (screen, code) = desk(db);
    out.push(("the desk".into(), code, screen));
    out
}

/// No OS error in English, no Rust Debug text.
fn plain(s: &str) -> bool {
    !["os error", "Os {", "kind:", "File exists", "Not a directory", "Permission denied"].iter().any(|m| s.contains(m))
}

#[test]
fn a_folder_that_is_not_a_database_is_refused_untouched() {
    let top = tempfile::tempdir().expect("tempdir");
    let home = top.path().join("home");
    std::fs::create_dir(&home).expect("mkdir");
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::write(home.join("notes.txt"), "my notes").expect("write");
    std::fs::set_permissions(home.join("notes.txt"), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::write(home.join("run.sh"), "#!/bin/sh\necho hi\n").expect("write");
    std::fs::set_permissions(home.join("run.sh"), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::create_dir(home.join("docs")).expect("mkdir");
    let outside = top.path().join("outside.txt");
    std::fs::write(&outside, "not yours").expect("write");
    std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::os::unix::fs::symlink(&outside, home.join("link")).expect("symlink");
    // Looks like sled's file names, but no jiedai database.
    std::fs::write(home.join("db"), "a file called db").expect("write");
    let files = import_files(top.path());
    let before = (fingerprint(&home), fingerprint(&outside));
    let mut failures = Vec::new();
    for (what, code, said) in every_command(&home, &files) {
        if code != Some(1) || !said.contains("不是 jiedai 数据库") || !plain(&said) {
            failures.push(format!("{what}: exit {code:?}: {said}"));
        }
        if (fingerprint(&home), fingerprint(&outside)) != before {
            failures.push(format!("{what}: changed the folder or what its link points to"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_path_whose_parents_do_not_exist_creates_nothing() {
    let top = tempfile::tempdir().expect("tempdir");
    let db = top.path().join("a/b/c");
    let files = import_files(top.path());
    let before = fingerprint(top.path());
    let mut failures = Vec::new();
    for (what, code, said) in every_command(&db, &files) {
        let reading = ["report", "export", "check", "recover"].iter().any(|r| what.starts_with(r));
        let says = if reading { "这里没有数据库" } else { "上级目录不存在" };
        if code != Some(1) || !said.contains(says) || !plain(&said) {
            failures.push(format!("{what}: exit {code:?}: {said}"));
        }
        if fingerprint(top.path()) != before {
            failures.push(format!("{what}: created something"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // With the parent there, only the last component is made, the owner's alone.
    let db = top.path().join("new");
    let out = jiedai(&db, &["demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::metadata(&db).expect("made").permissions().mode() & 0o777, 0o700);
    assert!(db.join("jiedai.marker").is_file());
}

#[test]
fn the_default_path_makes_its_own_parents() {
    let top = tempfile::tempdir().expect("tempdir");
    let data = top.path().join("x/y/data");
    let out = Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .arg("demo")
        .env_remove("JIEDAI_DB")
        .env("XDG_DATA_HOME", &data)
        .env("HOME", top.path())
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(data.join("jiedai/desk/jiedai.marker").is_file());
    let report = Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .arg("report")
        .env_remove("JIEDAI_DB")
        .env("XDG_DATA_HOME", &data)
        .env("HOME", top.path())
        .output()
        .expect("run");
    assert_eq!(report.status.code(), Some(0), "{}", text(&report.stderr));
}

#[test]
fn a_file_or_dev_null_is_not_a_directory() {
    let top = tempfile::tempdir().expect("tempdir");
    let file = top.path().join("file");
    std::fs::write(&file, "keep").expect("write");
    let files = import_files(top.path());
    let null_mode = std::fs::metadata("/dev/null").expect("null").permissions().mode();
    let mut failures = Vec::new();
    for db in [file.clone(), PathBuf::from("/dev/null")] {
        let before = fingerprint(top.path());
        for (what, code, said) in every_command(&db, &files) {
            if code != Some(1) || !said.contains("这不是一个目录") || !plain(&said) {
                failures.push(format!("{} {what}: exit {code:?}: {said}", db.display()));
            }
        }
        if fingerprint(top.path()) != before {
            failures.push(format!("{}: changed the files beside it", db.display()));
        }
    }
    assert_eq!(std::fs::metadata("/dev/null").expect("null").permissions().mode(), null_mode);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_symlinked_lock_or_data_file_is_never_followed() {
    let top = tempfile::tempdir().expect("tempdir");
    let files = import_files(top.path());
    let mut failures = Vec::new();
    for name in ["jiedai.lock", "db", "jiedai.seal"] {
        let db = top.path().join(format!("desk-{name}"));
        assert_eq!(jiedai(&db, &["demo"]).status.code(), Some(0));
        let target = top.path().join(format!("target-{name}"));
        std::fs::write(&target, "keep me").expect("write");
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        std::fs::remove_file(db.join(name)).expect("rm");
        std::os::unix::fs::symlink(&target, db.join(name)).expect("symlink");
        let before = (fingerprint(&db), fingerprint(&target));
        for (what, code, said) in every_command(&db, &files) {
            if code != Some(1) || !said.contains("符号链接") || !plain(&said) {
                failures.push(format!("{name}: {what}: exit {code:?}: {said}"));
            }
            if (fingerprint(&db), fingerprint(&target)) != before {
                failures.push(format!("{name}: {what}: wrote through the link or changed the database"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Run as the owner of the database: as root, that is `nobody`, who owns it
/// for this test (root would write through any mode).
fn owner() -> Option<u32> {
    // SAFETY: getuid has no preconditions.
    (unsafe { libc::getuid() } == 0).then_some(65534)
}

#[test]
fn a_directory_made_read_only_stays_read_only() {
    let top = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let db = top.path().join("desk");
    assert_eq!(jiedai(&db, &["demo"]).status.code(), Some(0));
    let uid = owner();
    if let Some(uid) = uid {
        for p in fingerprint(&db).keys() {
            std::os::unix::fs::lchown(p, Some(uid), Some(uid)).expect("chown");
        }
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o500)).expect("chmod");
    let before = fingerprint(&db);
    // Writing commands are refused in plain words; nothing changes.
    for args in [&["demo"][..], &["import", "cases", "/dev/null"][..]] {
        let out = jiedai_as(&db, args, uid);
        let said = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        assert!(said.contains("没有写入这个目录的权限"), "{args:?}: {said}");
        assert!(plain(&said), "{said}");
        assert_eq!(fingerprint(&db), before, "{args:?}");
    }
    let path = db.to_string_lossy().into_owned();
    let mut t = match uid {
        Some(u) => Pty::spawn_wrapped(
            "setpriv",
            &[&format!("--reuid={u}"), &format!("--regid={u}"), "--clear-groups"],
            &["--db", &path],
        ),
        None => Pty::spawn(&["--db", &path], &[]),
    };
    assert_eq!(t.wait_exit(Duration::from_secs(8)), Some(1));
    t.settle();
    assert!(text(&t.raw).contains("没有写入这个目录的权限"), "{}", text(&t.raw));
    assert_eq!(fingerprint(&db), before, "the desk");
    // Reading still works, and writes nothing.
    for args in [&["report"][..], &["check"][..], &["export", "--format", "csv"][..]] {
        let out = jiedai_as(&db, args, uid);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert_eq!(fingerprint(&db), before, "{args:?}");
    }
    assert_eq!(std::fs::metadata(&db).expect("db").permissions().mode() & 0o777, 0o500);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o700)).expect("chmod back");
}
