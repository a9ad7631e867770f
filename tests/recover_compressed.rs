//! `recover` on a compressed database, the default since issue 16: sled's
//! pages are zstd frames, so the last resort (our records found in the raw
//! bytes) reads them decompressed. Here sled can read nothing at all (its
//! `conf` is garbled), and the cases still come back from the pages.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Each case's number and its events, from a JSON export.
fn steps(db: &Path) -> BTreeMap<String, Vec<serde_json::Value>> {
    let out = common::jiedai(db, &["export", "--format", "json"]);
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

#[test]
fn a_compressed_database_sled_cannot_read_comes_back_from_its_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    assert!(common::jiedai(&demo, &["demo"]).status.success());
    let conf = std::fs::read(demo.join("conf")).expect("conf");
    assert!(text(&conf).contains("use_compression: true"), "a new database is compressed: {}", text(&conf));
    let whole = steps(&demo);
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
    let got = steps(&out_db);
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
