//! End to end, the real binary in a pseudo-terminal (issue 15; SPEC: no
//! typed word is ever lost): a call half-typed on 来电, a diary line on
//! 日记 and a slip on 意见箱 in an opening survive a hang-up (SIGHUP, no
//! time for the half-second tick) and a quit with Ctrl+Q; the next start
//! says so and each text is there, on its tab.

mod common;

use std::time::Duration;

use common::demo_db;
use common::pty::Pty;

const F8: &[u8] = b"\x1b[19~";
const F9: &[u8] = b"\x1b[20~";
const F10: &[u8] = b"\x1b[21~";

fn db_arg(dir: &tempfile::TempDir) -> String {
    dir.path().to_string_lossy().into_owned()
}

/// A call, a diary line and a slip, each half-typed; the desk left on the box.
fn type_three_halves(t: &mut Pty) {
    t.wait_for("紧急程度");
    t.send(F8);
    t.wait_for("来电号码");
    t.send("13595912399".as_bytes());
    t.send("反映村道塌方".as_bytes());
    t.wait_for("反映村道塌方");
    t.send(F9);
    t.wait_for("一行一条");
    t.send("pzc 要求修通组路".as_bytes());
    t.wait_for("pzc 要求修通组路");
    t.send(F10);
    t.wait_for("开箱: [日期]");
    t.send("lmh wzg hdr\r".as_bytes());
    t.wait_for("已开箱, 逐条录入");
    t.send("db低保评定不公\r".as_bytes());
    t.wait_for("第 1 条已保存");
    t.send("希望修好路灯".as_bytes());
    t.wait_for("希望修好路灯");
}

/// The next start: said on the message line; back on the box, in the same
/// opening, the slip there; the call and the line on their tabs.
fn all_three_back(db: &tempfile::TempDir) {
    let mut t = Pty::spawn(&["--db", &db_arg(db)], &[]);
    t.wait_for("已恢复上次未保存的输入");
    t.wait_for("希望修好路灯");
    t.wait_for("低保评定不公");
    t.wait_for("意见 1");
    t.send(F8);
    t.wait_for("13595912399");
    t.wait_for("反映村道塌方");
    t.send(F9);
    t.wait_for("pzc 要求修通组路");
    // Finished and saved: the slip lands in the same opening.
    t.send(F10);
    t.wait_for("希望修好路灯");
    t.send("\r".as_bytes());
    t.wait_for("第 2 条已保存");
    t.send(b"\x11");
    assert!(t.wait_exit(Duration::from_secs(5)).is_some());
    let store = jiedai::store::Store::open(db.path()).expect("reopen");
    let tallies = store.box_tallies(None).expect("tallies");
    assert_eq!(tallies.last().map(|o| o.slips), Some(2), "{tallies:?}");
}

#[test]
fn sighup_keeps_a_half_call_diary_line_and_slip_for_the_next_start() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    type_three_halves(&mut t);
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(t.pid(), libc::SIGHUP) };
    assert!(t.wait_exit(Duration::from_secs(2)).is_some(), "still running 2 s after SIGHUP");
    all_three_back(&db);
}

#[test]
fn quitting_keeps_a_half_call_diary_line_and_slip_for_the_next_start() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    type_three_halves(&mut t);
    t.send(b"\x11");
    assert!(t.wait_exit(Duration::from_secs(5)).is_some(), "still running after Ctrl+Q");
    all_three_back(&db);
}
