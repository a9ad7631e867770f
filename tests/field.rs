//! Field conditions on the real binary in a pseudo-terminal: what a
//! resident's record or a paste contains never reaches the terminal, IME
//! bursts and big pastes arrive whole, resizing never breaks it, colours
//! are optional, dates are China's.

mod common;

use common::demo_db;

use std::time::{Duration, Instant};

use common::pty::Pty;

fn paste(t: &mut Pty, text: &str) {
    t.send(b"\x1b[200~");
    t.send(text.as_bytes());
    t.send(b"\x1b[201~");
}

#[test]
fn escapes_in_a_paste_are_stored_clean_and_never_reach_the_terminal() {
    let db = demo_db();
    let dbs = db.path().to_string_lossy().into_owned();
    let mut t = Pty::spawn(&["--db", &dbs], &[]);
    t.wait_for("紧急程度");
    t.send(b"\t"); // from the queue, where the desk starts, to the form
    let evil = "唐\u{1b}]0;PWNED\u{7}科\u{1b}[2J名\u{9b}31m\u{202e}\u{200b}";
    paste(&mut t, evil);
    t.wait_for("科");
    for _ in 0..6 {
        t.send(b"\t");
    }
    paste(&mut t, "摘要\u{1b}]2;TITLE\u{7}结束");
    t.wait_for("结束");
    t.send(b"\x13");
    t.wait_for("已保存, 编号 2026-0014");
    // No operating-system command (which sets the title) ever went out.
    let raw = String::from_utf8_lossy(&t.raw);
    assert!(!raw.contains("\u{1b}]"), "an OSC reached the terminal");
    assert!(!raw.contains('\u{202e}'), "bidi override reached the terminal");
    assert!(!raw.contains('\u{9b}'), "C1 CSI reached the terminal");
    t.send(b"\x11");
    assert_eq!(t.wait_exit(Duration::from_secs(5)), Some(0));
    let store = jiedai::store::Store::open(db.path()).expect("open");
    let case = store.case(jiedai::domain::CaseNo { year: 2026, seq: 14 }).expect("read").expect("saved");
    assert_eq!(case.intake.name, "唐]0;PWNED科[2J名31m");
    assert_eq!(case.intake.summary, "摘要]2;TITLE结束");
}

#[test]
fn an_ime_burst_arrives_whole_and_in_order() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    // To the form, then six fields on to the summary.
    for _ in 0..7 {
        t.send(b"\t");
    }
    // One write of forty characters, as an IME commits a phrase.
    let burst = "群众反映坝达章五组通组路严重损坏造成生产生活困难希望尽快组织修复涵洞塌方路段谢谢";
    assert_eq!(burst.chars().count(), 40);
    t.send(burst.as_bytes());
    // Its last 19 characters fill the field, scrolled to the caret.
    t.wait_for("活困难希望尽快组织修复涵洞塌方路段谢谢");
    t.send(b"\x1b[D\x1b[D"); // the caret moves by whole characters
    t.send("!".as_bytes());
    t.wait_for("塌方路段!谢");
}

#[test]
fn a_multi_line_paste_goes_into_the_field_and_never_submits() {
    let db = demo_db();
    let dbs = db.path().to_string_lossy().into_owned();
    let mut t = Pty::spawn(&["--db", &dbs], &[]);
    t.wait_for("紧急程度");
    t.send(b"\t");
    t.send("王某".as_bytes());
    t.wait_for("王某");
    for _ in 0..6 {
        t.send(b"\t");
    }
    paste(&mut t, "第一行\r\n第二行\r\n第三行\r\n");
    t.wait_for("第一行 第二行 第三行");
    t.settle();
    assert!(!t.screen().contains("已保存"));
    t.send(b"\x11");
    assert_eq!(t.wait_exit(Duration::from_secs(5)), Some(0));
    let store = jiedai::store::Store::open(db.path()).expect("open");
    assert_eq!(store.all_cases().expect("cases").len(), 13, "nothing was submitted");
}

#[test]
fn a_one_megabyte_paste_neither_hangs_nor_crashes() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    // To the form, then on to the details.
    for _ in 0..8 {
        t.send(b"\t");
    }
    let line = "这是一段很长的粘贴文字,用来检查大段粘贴不会卡死。\n";
    let big: String = line.repeat(1024 * 1024 / line.len() + 1);
    assert!(big.len() >= 1024 * 1024);
    let start = Instant::now();
    paste(&mut t, &big);
    // Still answering: the next tab comes up.
    t.send(b"\x1b[12~");
    t.wait_for("坡脚组变压器");
    assert!(start.elapsed() < Duration::from_secs(30), "took {:?}", start.elapsed());
    t.send(b"\x11");
    assert_eq!(t.wait_exit(Duration::from_secs(10)), Some(0));
}

#[test]
fn a_resize_storm_never_breaks_the_desk() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    for i in 0..60u16 {
        let (w, h) = (20 + (i * 37) % 181, 5 + (i * 11) % 56);
        t.resize(w, h);
        std::thread::sleep(Duration::from_millis(5));
    }
    t.resize(40, 12);
    t.wait_for("窗口太小");
    t.resize(80, 24);
    t.wait_for("紧急程度");
    assert!(t.child.try_wait().expect("status").is_none(), "still running");
}

#[test]
fn no_colour_and_plain_terminals_keep_the_marks() {
    for env in [&[("NO_COLOR", "1")][..], &[("TERM", "xterm")][..], &[("TERM", "linux")][..]] {
        let mut t = Pty::spawn(&["--demo"], env);
        t.wait_for("紧急程度");
        t.send(b"\x1b[12~");
        t.wait_for("坡脚组变压器");
        t.settle();
        // The selected row is reversed; the overdue case keeps its '!'.
        let screen = t.parser.screen();
        let cells = (0..24u16).flat_map(|y| (0..80u16).filter_map(move |x| screen.cell(y, x)));
        assert!(cells.clone().any(|c| c.inverse() && c.contents() == "2"), "{env:?}: no reverse video");
        assert!(t.screen().contains("! 2026-0007"), "{env:?}");
        if env[0].0 == "NO_COLOR" {
            let default = vt100::Color::Default;
            assert!(cells.clone().all(|c| c.fgcolor() == default && c.bgcolor() == default), "colour despite NO_COLOR");
        }
    }
}

/// At a moment when the server's zone and China are on different days:
/// 2026-03-04 20:00 UTC is noon on the 4th in Los Angeles and 04:00 on
/// Thursday the 5th in China. (The clock is pinned by a test-only hook.)
#[test]
fn dates_are_china_time_whatever_the_server_zone() {
    let env = [("TZ", "America/Los_Angeles"), ("JIEDAI_TEST_NOW", "2026-03-04T20:00:00Z")];
    let mut t = Pty::spawn(&["--demo"], &env);
    // At 80 columns, ten tabs leave room for the short date (the weekday
    // only where the titles leave room).
    t.wait_for("03-05");
    t.settle();
    let top = t.screen().lines().next().unwrap_or_default().to_string();
    assert!(top.ends_with("03-05") || top.ends_with("03-05 周四"), "{top}");
    assert!(!t.screen().contains("03-04"), "{}", t.screen());
}

#[test]
fn ascii_mode_draws_no_box_drawing_on_the_real_terminal() {
    let mut t = Pty::spawn(&["--demo", "--ascii"], &[]);
    t.wait_for("紧急程度");
    t.send(b"?");
    t.settle();
    t.send(b"\x1b[12~\r");
    t.wait_for("办理经过");
    let raw = String::from_utf8_lossy(&t.raw);
    assert!(!raw.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)), "box drawing in --ascii");
}

#[test]
fn kill_9_during_200_saves_through_the_ui_loses_nothing_shown_saved() {
    let db = demo_db();
    let dbs = db.path().to_string_lossy().into_owned();
    let mut t = Pty::spawn(&["--db", &dbs], &[]);
    t.wait_for("紧急程度");
    t.send(b"\t"); // to the form; after each save it is ready again
    // A moment that differs from run to run.
    let kill_at = 20 + (std::process::id() as usize * 7919 + Instant::now().elapsed().subsec_nanos() as usize) % 160;
    let mut last_shown = 0;
    for i in 0..200 {
        t.send(format!("居民{i}").as_bytes());
        t.send(b"\t\t\t\t\t\t");
        t.send(format!("第{i}件").as_bytes());
        t.send(b"\x13");
        let expect = format!("已保存, 编号 2026-{:04}", 14 + i);
        t.wait_for(&expect);
        last_shown = 14 + i;
        if i == kill_at {
            // SAFETY: a signal to our own child.
            unsafe { libc::kill(t.pid(), libc::SIGKILL) };
            break;
        }
    }
    assert!(t.wait_exit(Duration::from_secs(3)).is_some());
    let store = jiedai::store::Store::open(db.path()).expect("reopen after kill -9");
    for seq in 14..=last_shown {
        let no = jiedai::domain::CaseNo { year: 2026, seq: seq as u32 };
        assert!(store.case(no).expect("read").is_some(), "{no} was shown saved but is gone");
    }
    assert!(store.verify().expect("verify").0.is_empty());
    drop(store);
    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_jiedai")).args(["check", "--db", &dbs]).output().expect("check");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
