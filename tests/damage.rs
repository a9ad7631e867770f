//! A damaged database is reported and left exactly as it was, by every
//! command. Each kind of damage is made on a real database (closed cleanly,
//! or left by kill -9), every command is run by the real binary (the desk in
//! a pseudo-terminal), and every file's bytes, mode and mtime are compared
//! before and after. (`jiedai recover` is tested in tests/recover.rs.)

mod common;

use std::path::Path;
use std::time::Duration;

use common::damaged::*;
use common::pty::Pty;
use jiedai::store::Store;

#[test]
fn child_fills_then_waits() {
    child_main();
}

/// Run everything on one damaged database; what went wrong, as lines.
fn attack(db: &Path, label: &str, cmds: &[Vec<String>]) -> Vec<String> {
    let mut failures = Vec::new();
    for args in cmds {
        let before = fingerprint(db);
        let out = run(db, args);
        let after = fingerprint(db);
        let err = text(&out.stderr);
        let what = format!("{label}: jiedai {}", args.join(" "));
        if out.status.code() != Some(1) {
            failures.push(format!("{what}: exit {:?}, stderr {err:?}", out.status.code()));
        } else if !err.contains(DAMAGED) {
            failures.push(format!("{what}: does not say damaged: {err:?}"));
        }
        if let Some(u) = unreadable(&err) {
            failures.push(format!("{what}: {u}: {err:?}"));
        }
        for c in changes(&before, &after) {
            failures.push(format!("{what}: {c}"));
        }
    }
    let before = fingerprint(db);
    let (screen, code) = desk(db);
    let after = fingerprint(db);
    let what = format!("{label}: the desk");
    if code != Some(1) || !screen.contains(DAMAGED) {
        failures.push(format!("{what}: exit {code:?}, showed {:?}", screen.chars().take(300).collect::<String>()));
    }
    for c in changes(&before, &after) {
        failures.push(format!("{what}: {c}"));
    }
    failures
}

fn attack_all(left: Left) {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (json, csv) = import_files(scratch.path());
    let cmds = commands(&json, &csv);
    let mut failures = Vec::new();
    for kind in ALL {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = build(dir.path(), left);
        if !damage(&db, kind, left) {
            continue;
        }
        failures.extend(attack(&db, &format!("{left:?} {kind:?}"), &cmds));
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_command_refuses_a_damaged_database_closed_cleanly_and_changes_nothing() {
    attack_all(Left::Clean);
}

#[test]
fn every_command_refuses_a_damaged_database_left_by_kill_9_and_changes_nothing() {
    attack_all(Left::Killed);
}

#[test]
fn every_command_refuses_a_damaged_database_reopened_then_killed_and_changes_nothing() {
    attack_all(Left::KilledLater);
}

// ---- the four reports, one by one ---------------------------------------

/// Issue 12, item 1: `report` on a database last left by kill -9 with 16
/// bytes flipped in the middle rewrote 82,755 bytes of `db`.
#[test]
fn report_on_flipped_bytes_after_kill_9_rewrites_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = killed_db(dir.path());
    damage(&db, Damage::FlippedMiddle, Left::Killed);
    let before = fingerprint(&db);
    let out = jiedai_within(&db, &["report"]);
    assert_eq!(changes(&before, &fingerprint(&db)), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains(DAMAGED), "{}", text(&out.stderr));
}

/// Item 2: damaged blob files were all deleted, and db, seal and snapshot rewritten.
#[test]
fn report_on_a_damaged_blob_deletes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_db(dir.path());
    let blobs = blob_files(&db);
    assert!(blobs.len() >= 3, "the long texts are in blob files: {blobs:?}");
    for b in &blobs {
        let n = std::fs::metadata(b).expect("blob").len() as usize;
        flip(b, n / 2, 16);
    }
    let before = fingerprint(&db);
    let out = jiedai_within(&db, &["report"]);
    assert_eq!(changes(&before, &fingerprint(&db)), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(blob_files(&db), blobs);
}

/// Item 3: with `blobs/` deleted, `report` said nothing and the desk opened
/// with a case silently gone; only `check` complained, in Debug text.
#[test]
fn deleted_blobs_are_reported_by_every_command_in_plain_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_db(dir.path());
    damage(&db, Damage::BlobsDeleted, Left::Clean);
    let report = jiedai_within(&db, &["report"]);
    assert_eq!(report.status.code(), Some(1), "report passed over the loss: {}", text(&report.stdout));
    let check = jiedai_within(&db, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    let said = format!("{}{}", text(&check.stdout), text(&check.stderr));
    assert!(said.contains(DAMAGED), "{said}");
    assert!(said.contains("blobs"), "check names what is missing: {said}");
    assert_eq!(unreadable(&said), None, "{said}");
    let en = jiedai_within(&db, &["check", "--lang", "en"]);
    let said = text(&en.stderr);
    assert!(said.contains("damaged"), "{said}");
    assert_eq!(unreadable(&said), None, "{said}");
    let (screen, code) = desk(&db);
    assert_eq!(code, Some(1), "the desk opened on a database missing its blobs:\n{screen}");
}

/// Item 4: with the seal deleted and `db` truncated, `check` said the
/// database was sound (21 of 63 cases); a garbage seal was silently replaced.
#[test]
fn a_missing_or_garbage_seal_is_damage_not_a_fresh_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_db(dir.path());
    damage(&db, Damage::SealDeletedDbTruncated, Left::Clean);
    let out = jiedai_within(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(!text(&out.stdout).contains("数据库完好"));
    assert!(text(&out.stderr).contains(DAMAGED), "{}", text(&out.stderr));

    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_db(dir.path());
    damage(&db, Damage::GarbageSeal, Left::Clean);
    let seal = std::fs::read(db.join("jiedai.seal")).expect("seal");
    for args in [&["check"][..], &["report"][..], &["demo"][..]] {
        let out = jiedai_within(&db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stdout));
        assert_eq!(std::fs::read(db.join("jiedai.seal")).expect("seal"), seal, "{args:?} replaced the seal");
    }
}

// ---- healthy databases are read without a byte written ----------------------------

#[test]
fn reading_commands_never_write_to_a_sound_database() {
    for left in [Left::Clean, Left::Killed, Left::KilledLater] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = build(dir.path(), left);
        for args in
            [&["report"][..], &["export", "--format", "json"][..], &["export", "--format", "csv"][..], &["check"]]
        {
            let before = fingerprint(&db);
            let out = jiedai_within(&db, args);
            assert_eq!(out.status.code(), Some(0), "{left:?} {args:?}: {}", text(&out.stderr));
            assert_eq!(changes(&before, &fingerprint(&db)), Vec::<String>::new(), "{left:?} {args:?}");
        }
        let out = jiedai_within(&db, &["export", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(json["cases"].as_array().map(Vec::len), Some(CASES), "{left:?}");
        let check = jiedai_within(&db, &["check"]);
        assert!(text(&check.stdout).contains(&format!("数据库完好: {CASES} 件")), "{}", text(&check.stdout));
    }
}

#[test]
fn the_desk_opens_a_sound_database_left_by_kill_9_with_every_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = killed_db(dir.path());
    let path = db.to_string_lossy().into_owned();
    let mut t = Pty::spawn(&["--db", &path], &[]);
    t.wait_for("登记");
    t.send(b"\x11"); // Ctrl+Q: quit
    assert_eq!(t.wait_exit(Duration::from_secs(10)), Some(0), "{}", t.screen());
    let store = Store::open(&db).expect("open");
    assert_eq!(store.all_cases().expect("cases").len(), CASES);
    assert!(store.verify().expect("verify").0.is_empty());
}

/// A database written before the marker and the file records (its seal
/// holds only the commit count, length and CRC) still opens: reading
/// commands read it without a byte written, the desk adopts it.
#[test]
fn a_database_from_before_the_marker_still_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_db(dir.path());
    let seal = std::fs::read_to_string(db.join("jiedai.seal")).expect("seal");
    let commits = seal.lines().find_map(|l| l.strip_prefix("commits=")).expect("commits").to_string();
    let data = std::fs::read(db.join("db")).expect("db");
    let old = format!("commits={commits}\nlen={}\ncrc={}\n", data.len(), crc32fast::hash(&data));
    std::fs::write(db.join("jiedai.seal"), old).expect("write");
    std::fs::remove_file(db.join("jiedai.marker")).expect("rm marker");
    let before = fingerprint(&db);
    let out = jiedai_within(&db, &["report"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(changes(&before, &fingerprint(&db)), Vec::<String>::new());
    let store = Store::open(&db).expect("adopted");
    assert_eq!(store.all_cases().expect("cases").len(), CASES);
    store.close().expect("close");
    assert!(db.join("jiedai.marker").is_file());
    assert!(std::fs::read_to_string(db.join("jiedai.seal")).expect("seal").starts_with("jiedai seal 2"));
    assert_eq!(case_numbers(&db).len(), CASES);
}

/// Problems inside records are named by case number, tree and key in hex:
/// no Rust Debug text, no control bytes from the data, no English.
#[test]
fn check_names_problems_in_plain_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("desk");
    let store = Store::open(&db).expect("open");
    jiedai::demo::load(&store, common::today()).expect("demo");
    store.close().expect("close");
    {
        // What a bug or a bad disk could leave: a key with control bytes, a
        // case that does not decode, a resident key with an escape sequence.
        // As the store made it: compressed (issue 16).
        let raw = sled::Config::new().path(&db).use_compression(true).segment_size(1 << 20).open().expect("sled");
        raw.open_tree("cases").expect("tree").insert(b"\x1b\x07x", b"J\x01\x01\x00garbage".to_vec()).expect("insert");
        let first = raw.open_tree("cases").expect("tree").iter().next().expect("a case").expect("read").0;
        raw.open_tree("cases").expect("tree").insert(first, b"J\x01\x01\x00\xff\xff".to_vec()).expect("insert");
        raw.open_tree("residents").expect("tree").insert("\u{1b}[2J人".as_bytes(), b"junk".to_vec()).expect("insert");
        raw.flush().expect("flush");
    }
    // The seal rightly no longer matches: make it an old-style one (commit
    // count only), then close cleanly, so that `check` gets to the records.
    let seal = std::fs::read_to_string(db.join("jiedai.seal")).expect("seal");
    let commits = seal.lines().find_map(|l| l.strip_prefix("commits=")).expect("commits").to_string();
    std::fs::write(db.join("jiedai.seal"), format!("commits={commits}\nlen=0\n")).expect("write");
    std::fs::remove_file(db.join("jiedai.marker")).expect("rm marker");
    Store::open(&db).expect("reopen").close().expect("close");
    for (lang, heading) in [("zh", "数据库有问题"), ("en", "Database has problems")] {
        let out = jiedai_within(&db, &["check", "--lang", lang]);
        let said = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{said}");
        assert!(said.contains(heading), "{said}");
        assert!(said.contains("2026-0001"), "the case is named by its number: {said}");
        assert!(said.contains(" 1b0778"), "a key shown in hex: {said}");
        assert!(said.contains(" 1b5b324ae4baba"), "{said}");
        assert_eq!(unreadable(&said), None, "{said}");
        for english in ["record body", "does not decode:", "unexpected"] {
            assert!(lang == "en" || !said.contains(english), "{said}");
        }
    }
}
