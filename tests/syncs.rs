//! Issue 16 item 2: the sync calls a saved intake costs, counted with
//! strace around the real desk in a pty. One fdatasync per durable save and
//! no other sync (vendor/sled no longer runs sync_file_range on each log
//! buffer it writes); none while the form is typed (drafts are written without a sync on the tick), none while
//! idle (sled's own 500 ms flush is off). strace must be installed
//! (.ci/test-tools does it): without it this test fails, never skips.

mod common;

use std::time::Duration;

use common::pty::Pty;
use common::*;

/// (fdatasync + fsync, sync_file_range) calls in the trace so far.
fn syncs(trace: &std::path::Path) -> (usize, usize) {
    let text = std::fs::read_to_string(trace).unwrap_or_default();
    let calls = |name: &str| {
        text.lines()
            .filter(|l| {
                !l.contains("resumed>")
                    && l.split_whitespace().nth(1).is_some_and(|c| c.starts_with(&format!("{name}(")))
            })
            .count()
    };
    (calls("fdatasync") + calls("fsync") + calls("syncfs") + calls("msync"), calls("sync_file_range"))
}

#[test]
fn one_fdatasync_per_saved_intake_and_none_while_typing_or_idle() {
    let strace = std::process::Command::new("strace").arg("-V").output();
    assert!(strace.is_ok_and(|o| o.status.success()), "strace is needed for this test: run .ci/test-tools");
    let db = demo_db();
    let dir = tempfile::tempdir().expect("tmp");
    let trace = dir.path().join("trace");
    let trace_arg = trace.to_string_lossy().into_owned();
    let db_arg = db.path().to_string_lossy().into_owned();
    let mut t = Pty::spawn_wrapped(
        "strace",
        &[
            "-f",
            "-qq",
            "-e",
            "signal=none",
            "-e",
            "trace=fsync,fdatasync,sync_file_range,syncfs,msync",
            "-o",
            &trace_arg,
        ],
        &["--db", &db_arg],
    );
    t.wait_for("紧急程度");
    t.quiet(Duration::from_millis(1500));
    let start = syncs(&trace);

    // Idle for longer than sled's old flush period: no sync at all.
    t.pump_for(Duration::from_millis(1200));
    assert_eq!(syncs(&trace), start, "syncs while idle");

    // Typing, with ticks writing the draft: no sync.
    t.send(b"\t");
    t.send("唐某".as_bytes());
    t.pump_for(Duration::from_millis(700));
    for _ in 0..6 {
        t.send(b"\t");
    }
    t.send("路灯坏了".as_bytes());
    t.pump_for(Duration::from_millis(1200));
    assert_eq!(syncs(&trace), start, "syncs while typing");

    t.send(b"\x13");
    t.wait_for("已保存, 编号 2026-0014");
    t.quiet(Duration::from_millis(1200));
    let after = syncs(&trace);
    let (data, ranges) = (after.0 - start.0, after.1 - start.1);
    eprintln!("one saved intake: {data} fdatasync/fsync, {ranges} sync_file_range");
    assert_eq!(data, 1, "fdatasync/fsync calls for one saved intake");
    assert_eq!(ranges, 0, "sync_file_range calls for one saved intake");

    // Esc puts the form away and syncs its draft: one more sync, no more.
    t.send("新的".as_bytes());
    t.pump_for(Duration::from_millis(700));
    t.send(b"\x1b");
    t.quiet(Duration::from_millis(600));
    assert_eq!(syncs(&trace).0 - after.0, 1, "Esc syncs the draft once");
}
