//! Save latency (issue 12, "Power cuts"; issue 16, "Syncs"): a durable
//! save as the desk makes it (`execute_once`: one transaction, sled's
//! flush, one fdatasync) against the floor of the same disk, a raw 4 KiB
//! append and fdatasync, in the same run. Both in a directory under
//! target/ (the project's disk, not a tmpfs). `cargo bench --bench save`;
//! SAVES=n for more saves (default 400).

use std::io::Write;
use std::time::{Duration, Instant};

use jiedai::domain::*;
use jiedai::store::{Command, IdSource, Stamp, Store};

fn intake(i: usize) -> Intake {
    Intake {
        channel: Channel::Reception,
        name: format!("唐某{i}"),
        phone: "13985941234".into(),
        people: 1,
        delegation: None,
        village: "坝达章村".into(),
        group: "五组".into(),
        category: "道路交通".into(),
        summary: format!("路灯坏了 {i}"),
        details: "晚上赶集回家看不见路。".repeat(4),
        urgency: Urgency::Normal,
        assignee: None,
    }
}

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
    let n: usize = std::env::var("SAVES").ok().and_then(|s| s.parse().ok()).unwrap_or(400);
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-save");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("bench dir");

    // The floor: 4 KiB appended and fdatasynced, n times.
    let mut f = std::fs::File::create(base.join("raw")).expect("raw");
    let block = vec![7u8; 4096];
    let mut raw = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f.write_all(&block).expect("write");
        f.sync_data().expect("fdatasync");
        raw.push(t.elapsed());
    }

    let store = Store::open(&base.join("db")).expect("open");
    let mut ids = IdSource::new();
    let mut saves = Vec::with_capacity(n);
    // Saves that made sled's data file longer (a new 512 KiB segment: the
    // fdatasync then commits the file system's journal too), apart.
    let (mut grew, mut same) = (Vec::new(), Vec::new());
    let data_len = || std::fs::metadata(base.join("db/db")).map(|m| m.len()).unwrap_or(0);
    for i in 0..n {
        let stamp = Stamp { at: chrono::Utc::now(), operator: "bench".into() };
        let cmd = Command::Register { intake: intake(i), queue: None };
        let before = data_len();
        let t = Instant::now();
        store.execute_once(&stamp, ids.next_id(), cmd).expect("save");
        let took = t.elapsed();
        saves.push(took);
        if data_len() > before { grew.push(took) } else { same.push(took) }
    }
    let _ = store.close();
    let max = |v: &[Duration]| v.iter().max().map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    println!(
        "saves that grew the data file: {} (max {:.2} ms); the others: max {:.2} ms",
        grew.len(),
        max(&grew),
        max(&same)
    );

    let floor = report("raw 4 KiB append + fdatasync", raw);
    let save = report("durable save (register an intake)", saves);
    println!("p50 ratio, save / floor: {:.1}x", save.as_secs_f64() / floor.as_secs_f64());
    let _ = std::fs::remove_dir_all(&base);
}
