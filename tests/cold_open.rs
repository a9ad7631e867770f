//! Issue 16, item 4: a desk's start (the store opened, its files checked
//! against the seal, the first tab loaded, the first frame drawn) reads
//! about as much of a large database as of a small one. Counted in bytes
//! read by read calls (/proc/self/io rchar), which neither the page cache
//! nor the machine's load changes, so the test holds on a busy machine.
//! One test in this file: rchar counts the whole process.

#[path = "../benches/bulk/mod.rs"]
mod bulk;

use bulk::{intake, today};
use std::path::Path;

use jiedai::app::{AppState, Effect, Look};
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::store::{Command, Stamp, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// `n` cases over 300 days, most concluded, one in 20 left open (and
/// overdue): then closed, opened by a desk and closed, as a desk leaves it.
fn build(dir: &Path, n: usize) {
    let store = Store::open(dir).expect("open");
    jiedai::demo::load(&store, today()).expect("demo");
    let items = (0..n).flat_map(|i| {
        let day = today() - chrono::Duration::days((i % 300) as i64);
        let stamp = |d: i64| Stamp { at: china_at(day + chrono::Duration::days(d), 9, 0), operator: "t".into() };
        let no = CaseNo { year: 2026, seq: 14 + i as u32 };
        let mut out = vec![(stamp(0), Command::Register { intake: intake(i), queue: None })];
        if !i.is_multiple_of(20) {
            out.push((stamp(1), Command::Accept { case: no }));
            out.push((
                stamp(2),
                Command::Conclude { case: no, outcome: Outcome::Implemented, reason: "已落实".into() },
            ));
        }
        out
    });
    let (_, result) = store.execute_batch(items);
    result.expect("bulk load");
    store.close().expect("close");
    Store::open(dir).expect("open").close().expect("close");
}

/// Bytes this process has read through read calls so far.
fn rchar() -> u64 {
    let text = std::fs::read_to_string("/proc/self/io").expect("/proc/self/io");
    text.lines().find_map(|l| l.strip_prefix("rchar:")).and_then(|v| v.trim().parse().ok()).expect("rchar")
}

/// What a desk's start reads, to its first frame; and the overdue count
/// its tab bar shows.
fn start_reads(dir: &Path) -> (u64, usize) {
    let before = rchar();
    let store = std::sync::Arc::new(Store::open(dir).expect("open"));
    let desk = jiedai::store::Embedded::shared(store.clone(), jiedai::store::Identity::Named("t".into()));
    let look = Look { lang: Lang::Zh, ascii: false, color: true };
    let mut state = AppState::new(look, "t", china_at(today(), 10, 0), (80, 24));
    for a in jiedai::effects::run(&desk, &state, &Effect::Load) {
        jiedai::effects::dispatch(&desk, &mut state, a);
    }
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
    let read = rchar() - before;
    let overdue = state.overdue_count();
    drop(desk);
    let Ok(store) = std::sync::Arc::try_unwrap(store) else { panic!("the store is still shared") };
    store.close().expect("close");
    (read, overdue)
}

fn data_len(dir: &Path) -> u64 {
    std::fs::metadata(dir.join("db")).map(|m| m.len()).unwrap_or(0)
}

#[test]
fn a_desk_starts_reading_about_as_much_of_20000_cases_as_of_1000() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (small, large) = (tmp.path().join("small"), tmp.path().join("large"));
    build(&small, 1_000);
    build(&large, 20_000);
    // Two starts each: the second is a desk's everyday start (the first
    // after a build may find the work of the session before).
    start_reads(&small);
    start_reads(&large);
    let (s, _) = start_reads(&small);
    let (l, overdue) = start_reads(&large);
    // One case in 20 left open, nearly all past their deadline, counted.
    assert!((900..=1020).contains(&overdue), "overdue at start: {overdue}");
    let (ds, dl) = (data_len(&small), data_len(&large));
    eprintln!("data file {ds} / {dl} bytes; start read {s} / {l} bytes");
    // 1 MiB segments make the small file mostly room: several times larger is enough.
    assert!(dl > 5 * ds, "the large database is much larger: {dl} vs {ds}");
    // The small data file is checked whole, the large one in four 1 MiB
    // chunks (store::verify): the rest (sled's snapshot, the seal, the
    // first tab's records) may differ by less than a MiB.
    let mib = 1 << 20;
    assert!(l < s + 3 * mib, "a start on 20,000 cases read {l} bytes, on 1,000 {s}");
    assert!(l < 8 * mib, "a start on 20,000 cases read {l} bytes");
}
