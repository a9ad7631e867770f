//! Issue 16, item 3: a new database is made with 1 MiB log segments (the
//! size that left the least behind in `cargo bench --bench size`); sled
//! refuses another size than its `conf` holds, so a database made before
//! (512 KiB, tests/fixtures/v1) keeps its own, saves and reopens.

mod common;

use std::path::{Path, PathBuf};

use common::damaged::text;
use common::jiedai;
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::store::{Command, Stamp, Store};

fn segment(db: &Path) -> String {
    let conf = std::fs::read(db.join("conf")).expect("conf");
    text(&conf).lines().find(|l| l.starts_with("segment_size: ")).unwrap_or_default().to_string()
}

/// The version-1 database (512 KiB segments), copied into `parent/desk`.
fn v1_db(parent: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let db = parent.join("desk");
    std::fs::create_dir(&db).expect("dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1/desk");
    for e in std::fs::read_dir(fixture).expect("fixture").flatten() {
        let to = db.join(e.file_name());
        std::fs::copy(e.path(), &to).expect("copy");
        std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    db
}

fn register(store: &Store, summary: &str) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("day");
    let stamp = Stamp { at: china_at(day, 9, 0), operator: "test".into() };
    let intake = Intake {
        channel: Channel::ALL[0],
        name: "唐科名".into(),
        phone: "13900000001".into(),
        people: 1,
        delegation: None,
        village: "坝达章村".into(),
        group: "1组".into(),
        category: CATEGORIES[0].into(),
        summary: summary.into(),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: None,
    };
    store.execute(&stamp, Command::Register { intake, queue: None }).expect("save");
}

fn summaries(store: &Store) -> Vec<String> {
    store.export().expect("export").cases.iter().map(|c| c.case.intake.summary.clone()).collect()
}

#[test]
fn a_new_database_is_made_with_1_mib_segments_and_reopens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("desk");
    let out = jiedai(&db, &["demo"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(segment(&db), "segment_size: 1048576");
    let store = Store::open(&db).expect("reopens");
    register(&store, "新库第一件");
    store.close().expect("close");
    let store = Store::open(&db).expect("reopens again");
    assert!(summaries(&store).contains(&"新库第一件".to_string()));
    store.close().expect("close");
    let out = jiedai(&db, &["check"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
}

#[test]
fn a_database_with_512_kib_segments_keeps_them_saves_and_reopens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = v1_db(dir.path());
    assert_eq!(segment(&db), "segment_size: 524288");
    let store = Store::open(&db).expect("an older database opens");
    let before = summaries(&store).len();
    register(&store, "旧库新一件");
    store.close().expect("close");
    assert_eq!(segment(&db), "segment_size: 524288", "sled's conf kept as it was");
    let store = Store::open(&db).expect("reopens");
    let after = summaries(&store);
    assert_eq!(after.len(), before + 1);
    assert!(after.contains(&"旧库新一件".to_string()));
    store.close().expect("close");
    let out = jiedai(&db, &["check"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
}
