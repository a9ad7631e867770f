//! Save latency (issue 12, "Power cuts"; issue 16, "Syncs"): a durable
//! save as the desk makes it (`execute_once`: one transaction, sled's
//! flush, one fdatasync) against the floor of the same disk, a raw 4 KiB
//! append and fdatasync, in the same run. Both in a directory under
//! target/ (the project's disk, not a tmpfs); beside them the save's twin,
//! its own writes and syncs on plain files (benches/twin), and the save's
//! write calls, bytes and CPU time. `cargo bench --bench save`; SAVES=n for
//! more saves (default 400).

mod twin;

// The binary's allocator and its process settings, so the save measured
// is the desk's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bulk;

use bulk::desk_intake;
use std::time::{Duration, Instant};

use jiedai::store::{Command, IdSource, Stamp, Store};

fn report(name: &str, mut t: Vec<Duration>) -> Duration {
    t.sort();
    let at = |q: f64| t[((t.len() as f64 - 1.0) * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<34} n={:<4} p50 {:>7.2} ms  p90 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
        t.len(),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    at(0.5)
}

fn main() {
    // SAFETY: as the binary does (src/main.rs): plain integers, no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let n: usize = std::env::var("SAVES").ok().and_then(|s| s.parse().ok()).unwrap_or(400);
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-save");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("bench dir");

    // Side by side, one of each per round, so all three meet the same disk
    // (other writers come and go): the raw floor, the save, and its twin
    // (benches/twin: the save's own calls and sizes on plain files).
    let mut floor = twin::Floor::new(&base);
    let mut twin = twin::Twin::new(&base);
    let store = Store::open(&base.join("db")).expect("open");
    let mut ids = IdSource::new();
    let (mut raw, mut saves, mut twins, mut syncs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut tally, mut twin_tally) = (twin::Tally::default(), twin::Tally::default());
    let data_len = || std::fs::metadata(base.join("db/db")).map(|m| m.len()).unwrap_or(0);
    for i in 0..n {
        raw.push(floor.once());
        let stamp = Stamp { at: chrono::Utc::now(), operator: "bench".into() };
        let cmd = Command::Register { intake: desk_intake(i), queue: None };
        let before = data_len();
        let counted = twin::counts();
        let t = Instant::now();
        store.execute_once(&stamp, ids.next_id(), cmd).expect("save");
        saves.push(t.elapsed());
        let grown = data_len().saturating_sub(before);
        tally.add(counted, twin::counts(), grown);
        let counted = twin::counts();
        twins.push(twin.once(grown));
        twin_tally.add(counted, twin::counts(), grown);
        // The "durable save (sync time)": another intake's
        // transaction, then what makes it durable timed alone, as a save
        // does it (sled's flush, the fdatasync, the seal).
        let cmd = Command::Register { intake: desk_intake(n + i), queue: None };
        store.execute_unflushed(&stamp, cmd).expect("transaction");
        let t = Instant::now();
        store.flush_durable().expect("durable");
        syncs.push(t.elapsed());
    }
    let _ = store.close();
    tally.print("durable save");
    twin_tally.print("its twin");

    // Per round, the save against the floor just before it: the disk
    // shared with other writers changes speed within a run (a floor of
    // 0.3 ms, then 4 ms), and each p50 alone then mixes the two.
    let paired = twin::median_ratio(&saves, &raw);
    let paired_sync = twin::median_ratio(&syncs, &raw);
    let floor = report("raw 4 KiB append + fdatasync", raw);
    let twin = report("twin: the save's writes and syncs", twins);
    let sync = report("a save's sync time (flush, fsync, seal)", syncs);
    let save = report("durable save (register an intake)", saves);
    println!(
        "p50 ratios: save / floor {:.1}x, save / twin {:.1}x, twin / floor {:.1}x",
        save.as_secs_f64() / floor.as_secs_f64(),
        save.as_secs_f64() / twin.as_secs_f64(),
        twin.as_secs_f64() / floor.as_secs_f64()
    );
    println!("median of each round's save / floor: {paired:.2}x");
    println!(
        "sync time / floor: p50 {:.2}x, median of each round's {paired_sync:.2}x",
        sync.as_secs_f64() / floor.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&base);
}
