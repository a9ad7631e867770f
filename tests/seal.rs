//! Issue 12, "Power cuts": the seal after a cut. It is rewritten in place
//! in two checksummed slots and not synced on every save, so a power cut
//! can leave its newest slot torn or its last writes lost. Neither may be
//! reported as damage: the older slot is whole, and a seal behind the data
//! (fewer saves than the data holds) is the safe direction. A seal ahead of
//! the data (saves it counts are gone) still is damage.

mod common;

use common::damaged::*;
use common::jiedai;

#[test]
fn child_fills_then_waits() {
    child_main();
}

/// The seal's bytes, and where its newest text starts (the slot whose
/// `gen=` is highest).
fn newest_slot(bytes: &[u8]) -> usize {
    let half = bytes.len() / 2;
    let gen_of = |part: &[u8]| {
        let text = String::from_utf8_lossy(part);
        text.lines().find_map(|l| l.strip_prefix("gen=").and_then(|g| g.parse::<u64>().ok())).unwrap_or(0)
    };
    if gen_of(&bytes[..half]) >= gen_of(&bytes[half..]) { 0 } else { half }
}

#[test]
fn a_torn_newest_seal_slot_after_a_kill_opens_with_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = killed_db(dir.path());
    let before = jiedai::store::Store::open_read(&db).expect("read").all_cases_newest_first().expect("cases").len();
    assert!(before > 0);
    let path = db.join("jiedai.seal");
    let mut bytes = std::fs::read(&path).expect("seal");
    assert_eq!(bytes.len() % 2, 0, "two slots");
    let at = newest_slot(&bytes);
    // Half of the newest text written, the rest of it gone: a torn write.
    for b in &mut bytes[at + 40..at + 200] {
        *b = 0;
    }
    std::fs::write(&path, &bytes).expect("tear");
    let check = jiedai(&db, &["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let store = jiedai::store::Store::open(&db).expect("the desk opens");
    assert_eq!(store.all_cases_newest_first().expect("cases").len(), before);
}

#[test]
fn a_seal_counting_more_saves_than_the_data_holds_is_damage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = killed_db(dir.path());
    let path = db.join("jiedai.seal");
    let bytes = std::fs::read(&path).expect("seal");
    let at = newest_slot(&bytes);
    let half = bytes.len() / 2;
    let text = String::from_utf8_lossy(&bytes[at..at + half]).trim_end_matches('\0').to_string();
    let commits: u64 =
        text.lines().find_map(|l| l.strip_prefix("commits=")).and_then(|c| c.parse().ok()).expect("commits");
    // The same seal, one save ahead of the data, checksummed anew.
    let body: String = text
        .lines()
        .take_while(|l| !l.starts_with("sum="))
        .map(|l| if l.starts_with("commits=") { format!("commits={}\n", commits + 1) } else { format!("{l}\n") })
        .collect();
    let ahead = format!("{body}sum={}\n", crc32fast::hash(body.as_bytes()));
    let mut out = ahead.into_bytes();
    out.resize(half, 0);
    std::fs::write(&path, [out.clone(), out].concat()).expect("write");
    let check = jiedai(&db, &["check"]);
    assert!(!check.status.success(), "a seal ahead of the data passed check");
    assert!(jiedai::store::Store::open(&db).is_err(), "a seal ahead of the data opened");
}
