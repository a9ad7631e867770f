//! One flipped bit in `db`, anywhere: `recover` brings back what the flip
//! did not hit (our own records found in the raw bytes when sled cannot
//! read past the damage), and names every case it could not bring back
//! whole.

mod common;

use common::damaged::{exported_events, text};

#[test]
fn a_flipped_bit_loses_only_what_it_hit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    assert!(common::jiedai(&demo, &["demo"]).status.success());
    let whole = exported_events(&demo);
    assert_eq!(whole.len(), 13);
    let size = std::fs::metadata(demo.join("db")).expect("db").len() as usize;
    let mut table = Vec::new();
    for at in [300, 3000, 5582, 12_000, 20_000, 33_105, 50_000, size - 100] {
        let db = dir.path().join(format!("flip-{at}"));
        std::fs::create_dir(&db).expect("mkdir");
        for e in std::fs::read_dir(&demo).expect("list").flatten() {
            if e.path().is_file() {
                std::fs::copy(e.path(), db.join(e.file_name())).expect("copy");
            }
        }
        let mut bytes = std::fs::read(db.join("db")).expect("read");
        bytes[at] ^= 1;
        std::fs::write(db.join("db"), &bytes).expect("write");
        let out_db = dir.path().join(format!("out-{at}"));
        let out = common::jiedai(&db, &["recover", "--out", &out_db.to_string_lossy()]);
        let said = text(&out.stdout);
        assert!(out.status.success(), "flip at {at}: {}{said}", text(&out.stderr));
        let got = exported_events(&out_db);
        // Most cases come back; what is not back whole is named.
        assert!(got.len() >= 11, "flip at {at}: {} cases back\n{said}", got.len());
        for (no, events) in &whole {
            // Whatever came back is the case's own, from its registration on.
            let back = got.get(no).map_or(&[][..], Vec::as_slice);
            assert_eq!(back, &events[..back.len()], "flip at {at}: {no} came back with events not its own");
            // Named, unless no copy of it with more steps is left anywhere
            // (the flip hit the one page write holding its last step, and
            // the case view with it: a compressed page is written whole):
            // then the saves the seal counts and could not find are said,
            // as tests/recover.rs allows.
            let counted = said.contains("封条记下的保存中没有找到的次数");
            if back.len() != events.len() {
                assert!(
                    said.contains(no.as_str()) || counted,
                    "flip at {at}: {no} not back whole and not named:\n{said}"
                );
            }
        }
        let ok = common::jiedai(&out_db, &["check"]);
        assert!(ok.status.success(), "flip at {at}: the new database checks: {}", text(&ok.stderr));
        let events: usize = got.values().map(Vec::len).sum();
        // Each event is in the file more than once (its insert, its leaf):
        // one flip costs at most the copy it hit.
        assert!(events >= 40, "flip at {at}: only {events} events back\n{said}");
        table.push(format!(
            "{at}: {} cases, {events}/{} events",
            got.len(),
            whole.values().map(Vec::len).sum::<usize>()
        ));
    }
    eprintln!("{}", table.join("\n"));
}
