//! End to end: the real binary in a pseudo-terminal at 80x24, driven with
//! the bytes real terminals send (field/putty-0.78-keys.tsv).

mod common;

use common::demo_db;

use std::time::{Duration, Instant};

use common::pty::Pty;

fn db_arg(dir: &tempfile::TempDir) -> String {
    dir.path().to_string_lossy().into_owned()
}

#[test]
fn the_desk_opens_in_chinese_and_putty_keys_switch_tabs() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    // It opens on the intake form, today's duty leader as the assignee.
    t.wait_for("2 待办 5 (超期 1)");
    t.wait_for("承办人   岑国仲");
    // PuTTY's default function keys (ESC[n~), its VT100+ mode (ESC O P..S)
    // and the Linux console's (ESC[[A..E) all switch tabs; in a list, so
    // do the plain digits.
    for (bytes, shows) in [
        (&b"\x1b[12~"[..], "坡脚组变压器"),
        (&b"\x1b[13~"[..], "李明华,杨光明"),
        (&b"\x1bOS"[..], "吴小燕"),
        (&b"\x1b[15~"[..], "接待群众(人次)"),
        (&b"\x1b[[C"[..], "李明华,杨光明"),
        (&b"\x1b1"[..], "紧急程度"),
        (&b"\x1b[[B"[..], "坡脚组变压器"),
        (&b"4"[..], "吴小燕"),
    ] {
        t.send(bytes);
        t.wait_for(shows);
    }
    t.send(b"?");
    t.wait_for("按键帮助");
    t.send(b"\x1b");
    t.settle();
    assert!(!t.screen().contains("按键帮助"));
    // Ctrl+Q quits cleanly, and the terminal is given back (alternate screen left).
    t.send(b"\x11");
    assert_eq!(t.wait_exit(Duration::from_secs(5)), Some(0));
    assert!(t.raw.windows(8).any(|w| w == b"\x1b[?1049l"), "alternate screen not left");
}

#[test]
fn english_with_lang_en() {
    let mut t = Pty::spawn(&["--demo", "--lang", "en"], &[]);
    t.wait_for("2 Pending 5 (overdue 1)");
    t.wait_for("Ctrl+G help");
    t.send(b"\x03");
    assert_eq!(t.wait_exit(Duration::from_secs(5)), Some(0));
}

#[test]
fn sighup_ends_the_desk_promptly_and_releases_the_database() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    t.wait_for("待办");
    let start = Instant::now();
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(t.pid(), libc::SIGHUP) };
    assert!(t.wait_exit(Duration::from_secs(2)).is_some(), "still running 2 s after SIGHUP");
    assert!(start.elapsed() < Duration::from_secs(2));
    let store = jiedai::store::Store::open(db.path()).expect("released after SIGHUP");
    assert!(store.verify().expect("verify").0.is_empty());
}

#[test]
fn a_closed_terminal_ends_the_desk_without_spinning() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    t.wait_for("待办");
    // The SSH link is gone: the terminal's other side closes.
    t.hang_up();
    assert!(t.wait_exit(Duration::from_secs(3)).is_some(), "still running after its terminal closed");
    jiedai::store::Store::open(db.path()).expect("released");
}

#[test]
fn under_nohup_a_closed_terminal_still_ends_the_desk() {
    let db = demo_db();
    let mut t = Pty::spawn_nohup(&["--db", &db_arg(&db)]);
    t.wait_for("待办");
    t.hang_up();
    // No SIGHUP arrives: the tty watchdog sees the hang-up and leaves.
    assert_eq!(t.wait_exit(Duration::from_secs(3)), Some(129), "still running after its terminal closed");
    jiedai::store::Store::open(db.path()).expect("released");
}

#[test]
fn sigterm_gives_the_terminal_back() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    t.wait_for("待办");
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(t.pid(), libc::SIGTERM) };
    assert!(t.wait_exit(Duration::from_secs(2)).is_some());
    t.settle();
    assert!(t.raw.windows(8).any(|w| w == b"\x1b[?1049l"), "alternate screen not left after SIGTERM");
}

#[test]
fn a_second_desk_is_refused_with_the_holder_named() {
    let db = demo_db();
    let mut first = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    first.wait_for("待办");
    let mut second = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    second.wait_for("数据库正被另一个 jiedai 使用");
    second.wait_for(&format!("进程 {}", first.pid()));
    assert_eq!(second.wait_exit(Duration::from_secs(3)), Some(1));
}

#[test]
fn too_small_a_window_says_so_and_resizing_redraws() {
    let mut t = Pty::spawn_sized(&["--demo"], &[], 60, 20);
    t.wait_for("窗口太小");
    t.resize(80, 24);
    t.wait_for("2 待办 5");
}

#[test]
fn sighup_mid_form_keeps_the_draft_for_the_next_start() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    t.wait_for("紧急程度");
    // A first-time visitor: nothing is filled in from earlier records.
    t.send("李德才".as_bytes());
    t.send(b"\t13595912399");
    t.send("房屋开裂".as_bytes());
    t.wait_for("房屋开裂");
    // The link drops at once: no time for the half-second draft tick.
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(t.pid(), libc::SIGHUP) };
    assert!(t.wait_exit(Duration::from_secs(2)).is_some());
    let mut again = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    again.wait_for("已恢复上次未保存的登记");
    again.wait_for("李德才");
    again.wait_for("13595912399");
    again.wait_for("房屋开裂");
}

#[test]
fn kill_9_a_second_after_typing_loses_nothing() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    t.wait_for("紧急程度");
    t.send("罗阿婆".as_bytes());
    t.wait_for("罗阿婆");
    std::thread::sleep(Duration::from_millis(1200));
    t.pump_for(Duration::from_millis(100));
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(t.pid(), libc::SIGKILL) };
    assert!(t.wait_exit(Duration::from_secs(2)).is_some());
    let mut again = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    again.wait_for("已恢复上次未保存的登记");
    again.wait_for("罗阿婆");
}

#[test]
fn a_save_through_the_ui_survives_kill_9() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    t.wait_for("紧急程度");
    t.send("唐某".as_bytes());
    // Name, phone, village, group, 人数, category: the summary is six Tabs
    // on (the delegation fields are skipped for one person).
    for _ in 0..6 {
        t.send(b"\t");
    }
    t.send("路灯坏了".as_bytes());
    t.send(b"\x13");
    t.wait_for("已保存, 编号 2026-0014");
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(t.pid(), libc::SIGKILL) };
    assert!(t.wait_exit(Duration::from_secs(2)).is_some());
    let store = jiedai::store::Store::open(db.path()).expect("reopen");
    let case = store.case(jiedai::domain::CaseNo { year: 2026, seq: 14 }).expect("read").expect("saved case");
    assert_eq!(case.intake.summary, "路灯坏了");
}
