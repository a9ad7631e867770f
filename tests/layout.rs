//! Issue 16, items 3 and 4: the store's layout (index entries hold their
//! key alone) and its seal (the data file checked by chunks). A database
//! written by version 1 (tests/fixtures/v1/desk, made by `jiedai demo` and
//! closed cleanly; desk.json is its `jiedai export` from then) is brought
//! up to date once and loses nothing; one from a newer jiedai is refused
//! without a byte changed.

mod common;

use std::path::{Path, PathBuf};

use common::damaged::{DAMAGED, changes, fingerprint, text};
use common::jiedai;
use jiedai::store::{Export, Store};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1")
}

/// The version-1 database, copied into `parent/desk` as the desk left it.
fn v1_db(parent: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let db = parent.join("desk");
    std::fs::create_dir(&db).expect("dir");
    for e in std::fs::read_dir(fixture().join("desk")).expect("fixture").flatten() {
        let to = db.join(e.file_name());
        std::fs::copy(e.path(), &to).expect("copy");
        std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    db
}

fn v1_export() -> Export {
    serde_json::from_slice(&std::fs::read(fixture().join("desk.json")).expect("desk.json")).expect("export")
}

#[test]
fn a_version_1_database_is_brought_up_once_and_keeps_every_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = v1_db(dir.path());
    let before = v1_export();
    assert_eq!(before.cases.len(), 13);

    let store = Store::open(&db).expect("a version-1 database opens");
    assert_eq!(store.migrated_from(), Some(1), "brought up from version 1");
    assert_eq!(store.format().expect("format"), 2);
    assert_eq!(store.export().expect("export"), before, "every case, event and record as version 1 had it");
    // The lists the desk draws read the cases through their keys.
    let open: Vec<_> = before.cases.iter().filter(|c| c.case.pending_key().is_some()).map(|c| c.case.no).collect();
    let listed: Vec<_> = store.open_cases().expect("open").iter().map(|c| c.no).collect();
    assert_eq!(listed.len(), open.len());
    assert!(listed.iter().all(|no| open.contains(no)));
    store.close().expect("close");

    // check finds every index entry cut to its key (a copy of a case left
    // in one is reported as stale).
    let out = jiedai(&db, &["check"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));

    // Once: the next open finds it up to date.
    let store = Store::open(&db).expect("reopens");
    assert_eq!(store.migrated_from(), None, "brought up again");
    assert_eq!(store.format().expect("format"), 2);
    assert_eq!(store.export().expect("export"), before);
    store.close().expect("close");
}

#[test]
fn a_reading_command_on_a_version_1_database_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = v1_db(dir.path());
    let before = fingerprint(&db);
    let out = jiedai(&db, &["check"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let out = jiedai(&db, &["export", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let read: Export = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(read, v1_export());
    assert_eq!(changes(&before, &fingerprint(&db)), Vec::<String>::new());
}

/// The seal of a closed database, rewritten to say `format=N`, its
/// checksum made anew: as a newer jiedai would leave it.
fn claim_format(db: &Path, format: u64) {
    let path = db.join("jiedai.seal");
    let bytes = std::fs::read(&path).expect("seal");
    let half = bytes.len() / 2;
    let gen_of = |part: &[u8]| {
        String::from_utf8_lossy(part)
            .lines()
            .find_map(|l| l.strip_prefix("gen=").and_then(|g| g.parse::<u64>().ok()))
            .unwrap_or(0)
    };
    let at = if gen_of(&bytes[..half]) >= gen_of(&bytes[half..]) { 0 } else { half };
    let text = String::from_utf8_lossy(&bytes[at..at + half]).trim_end_matches('\0').to_string();
    let body: String = text
        .lines()
        .take_while(|l| !l.starts_with("sum="))
        .filter(|l| !l.starts_with("format="))
        .map(|l| if l.starts_with("len=") { format!("{l}\nformat={format}\n") } else { format!("{l}\n") })
        .collect();
    let newer = format!("{body}sum={}\n", crc32fast::hash(body.as_bytes()));
    let mut out = newer.into_bytes();
    out.resize(half, 0);
    std::fs::write(&path, [out.clone(), out].concat()).expect("write");
}

#[test]
fn a_database_from_a_newer_jiedai_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("desk");
    let store = Store::open(&db).expect("open");
    jiedai::demo::load(&store, common::today()).expect("demo");
    store.close().expect("close");
    claim_format(&db, 3);
    let before = fingerprint(&db);

    let Err(e) = Store::open(&db) else { panic!("a newer database opened") };
    let said = e.user_message(jiedai::i18n::Lang::Zh);
    assert!(said.contains("更新版本"), "{said}");
    for args in [&["check"][..], &["report"], &["export", "--format", "json"], &["demo"]] {
        let out = jiedai(&db, args);
        assert!(!out.status.success(), "{args:?} ran on a newer database");
        assert!(text(&out.stderr).contains("更新版本"), "{args:?}: {}", text(&out.stderr));
    }
    assert_eq!(changes(&before, &fingerprint(&db)), Vec::<String>::new(), "a byte changed");

    // The same seal saying this version's format is sound: the refusal came
    // from the format alone.
    claim_format(&db, 2);
    Store::open(&db).expect("opens").close().expect("close");
}

#[test]
fn damage_is_still_refused_after_the_chunked_seal() {
    // A clean close now records chunks: a flipped byte anywhere in a small
    // database's data file is still found by the desk's open.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("desk");
    let store = Store::open(&db).expect("open");
    jiedai::demo::load(&store, common::today()).expect("demo");
    store.close().expect("close");
    Store::open(&db).expect("reopen").close().expect("close");
    let seal = String::from_utf8_lossy(&std::fs::read(db.join("jiedai.seal")).expect("seal")).into_owned();
    assert!(seal.contains("chunks="), "{seal}");
    let len = std::fs::metadata(db.join("db")).expect("db").len() as usize;
    common::damaged::flip(&db.join("db"), len - 10, 4);
    let before = fingerprint(&db);
    assert!(Store::open(&db).is_err(), "a flipped byte went unseen");
    let out = jiedai(&db, &["check"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains(DAMAGED) || text(&out.stdout).contains(DAMAGED), "{}", text(&out.stderr));
    assert_eq!(changes(&before, &fingerprint(&db)), Vec::<String>::new());
}
