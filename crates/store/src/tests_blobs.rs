//! The seal keeps a record of every blob file sled writes, though a save
//! lists `blobs/` only when sled says one was begun or removed since the
//! last listing (`sled::blob_file_changes`, open.rs `seal_saved`).

use crate::seal::{Found, Seal};
use crate::testing::{intake, stamp};
use crate::{Command, Done, Store};

fn blobs_on_disk(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("blobs"))
        .map(|d| d.flatten().map(|e| format!("blobs/{}", e.file_name().to_string_lossy())).collect())
        .unwrap_or_default();
    names.sort();
    names
}

fn blobs_sealed(dir: &std::path::Path) -> Vec<String> {
    let Found::Seal(seal) = Seal::read(dir) else { panic!("no seal") };
    seal.files.keys().filter(|n| n.starts_with("blobs/")).cloned().collect()
}

/// Text zstd cannot shrink much, long enough for a blob of its own.
fn long_text(seed: u64) -> String {
    let mut x = seed;
    (0..220_000)
        .map(|i| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            if i % 11 == 10 { '\n' } else { char::from_u32(0x4e00 + ((x >> 33) % 20_000) as u32).unwrap_or('中') }
        })
        .collect()
}

#[test]
fn a_blob_written_by_a_later_save_is_in_the_seal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let short = Command::Register { intake: intake("甲", ""), queue: None };
    assert!(matches!(store.execute(&stamp(1), short), Ok(Done::Registered(_))));
    assert!(blobs_on_disk(dir.path()).is_empty(), "a short intake made a blob");
    // Two saves after the first listing, each with a text for a blob.
    for seed in [1, 2] {
        let mut long = intake("乙", "");
        long.details = long_text(seed);
        let cmd = Command::Register { intake: long, queue: None };
        assert!(matches!(store.execute(&stamp(2), cmd), Ok(Done::Registered(_))));
        let on_disk = blobs_on_disk(dir.path());
        assert!(!on_disk.is_empty(), "the long text went to no blob file");
        assert_eq!(blobs_sealed(dir.path()), on_disk, "the seal's blob files after save {seed}");
    }
    // A save with no blob keeps the record as it was.
    let short = Command::Register { intake: intake("丙", ""), queue: None };
    assert!(matches!(store.execute(&stamp(3), short), Ok(Done::Registered(_))));
    assert_eq!(blobs_sealed(dir.path()), blobs_on_disk(dir.path()));
}
