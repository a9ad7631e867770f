//! `recover` on a compressed database, the default since issue 16: sled's
//! pages are zstd frames, so the last resort (our records found in the raw
//! bytes) reads them decompressed. Here sled can read nothing at all (its
//! `conf` is garbled), and the cases still come back from the pages.

mod common;

use common::damaged::{exported_events, text};

#[test]
fn a_compressed_database_sled_cannot_read_comes_back_from_its_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    assert!(common::jiedai(&demo, &["demo"]).status.success());
    let conf = std::fs::read(demo.join("conf")).expect("conf");
    assert!(text(&conf).contains("use_compression: true"), "a new database is compressed: {}", text(&conf));
    let whole = exported_events(&demo);
    assert_eq!(whole.len(), 13);
    // sled checks its conf's CRC and refuses the lot.
    let mut garbled = conf.clone();
    for b in &mut garbled[..16] {
        *b ^= 0x5a;
    }
    std::fs::write(demo.join("conf"), &garbled).expect("write");
    let out_db = dir.path().join("out");
    let out = common::jiedai(&demo, &["recover", "--out", &out_db.to_string_lossy()]);
    let said = text(&out.stdout);
    assert!(out.status.success(), "{}{said}", text(&out.stderr));
    let got = exported_events(&out_db);
    for (no, events) in &whole {
        let back = got.get(no).map_or(&[][..], Vec::as_slice);
        assert_eq!(back, &events[..back.len()], "{no} came back with events not its own");
        if back.len() != events.len() {
            assert!(said.contains(no.as_str()), "{no} not back whole and not named:\n{said}");
        }
    }
    let events: usize = got.values().map(Vec::len).sum();
    let all: usize = whole.values().map(Vec::len).sum();
    eprintln!("{} of 13 cases, {events} of {all} events back\n{said}", got.len());
    assert_eq!(got.len(), 13, "{said}");
    assert_eq!(events, all, "{said}");
    let ok = common::jiedai(&out_db, &["check"]);
    assert!(ok.status.success(), "the new database checks: {}", text(&ok.stderr));
}
