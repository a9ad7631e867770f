//! The desk's own input decoder on the real binary: terminal quirks a
//! village office's PuTTY or Xshell brings.

mod common;

use std::time::{Duration, Instant};

use common::pty::Pty;

#[test]
fn putty_vt100_plus_f5_and_the_linux_console_keys() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    t.send(b"\x1bOT"); // VT100+ F5
    t.wait_for("接待群众(人次)");
    t.send(b"\x1b[[C"); // Linux console F3
    t.wait_for("李明华,杨光明");
    t.send(b"\x1b[[A"); // Linux console F1
    t.wait_for("紧急程度");
    // Backspace as ^H (Windows Terminal over OpenSSH) deletes one character.
    t.send("唐科名".as_bytes());
    t.send(b"\x08");
    t.wait_for("姓名     唐科 ");
}

#[test]
fn a_sequence_split_by_a_slow_link_is_a_key_not_text() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    t.send("王".as_bytes());
    t.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(200));
    t.send(b"[12~");
    t.wait_for("坡脚组变压器");
    t.send(b"\x1b[11~");
    t.wait_for("紧急程度");
    assert!(!t.screen().contains("[12~"), "typed into a field:\n{}", t.screen());
}

#[test]
fn a_paste_that_never_ends_does_not_freeze_the_desk() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    t.send(b"\x1b[200~abc");
    std::thread::sleep(Duration::from_millis(1800));
    t.send(b"\x1b[12~");
    t.wait_for("坡脚组变压器");
    t.send(b"\x1b[11~");
    t.wait_for("姓名     abc");
}

#[test]
fn gbk_typing_is_warned_about_legibly_and_kept() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    let (gbk, _, _) = encoding_rs::GBK.encode("唐科名");
    t.send(&gbk);
    // The ASCII half of the warning reads on any terminal.
    t.wait_for("This terminal sends GBK");
    t.wait_for("Remote character set: UTF-8");
    // The Chinese half went out in GBK.
    let (zh, _, _) = encoding_rs::GBK.encode("远程字符集 设为 UTF-8");
    assert!(t.raw.windows(zh.len()).any(|w| w == &zh[..]), "Chinese warning not in GBK");
    // Any key brings the desk back, what was typed kept. (The screen is read
    // from the raw bytes here: the GBK warning leaves a UTF-8 parser such as
    // this harness's mid-character.)
    let before = t.raw.len();
    t.send(b"x");
    let start = Instant::now();
    // What came after the key starts with a full clear: read it afresh.
    let screen = |t: &Pty| {
        let mut p = vt100::Parser::new(common::pty::nz(24), common::pty::nz(80), 0);
        p.process(&t.raw[before..]);
        p.screen().contents()
    };
    while !screen(&t).contains("紧急程度") && start.elapsed() < Duration::from_secs(5) {
        t.pump_for(Duration::from_millis(50));
    }
    assert!(screen(&t).contains("紧急程度"), "the desk did not come back:\n{}", screen(&t));
    assert!(screen(&t).contains("姓名     唐科名"), "typed text lost:\n{}", screen(&t));
}

#[test]
fn a_gbk_locale_is_warned_about_at_start() {
    let mut t = Pty::spawn(&["--demo"], &[("LANG", "zh_CN.GBK")]);
    t.wait_for("This terminal sends GBK");
}

#[test]
fn the_probe_tells_a_gbk_terminal_and_a_silent_one_still_starts() {
    // A terminal answering the probe as GBK would: 中文 took six columns.
    let mut t = Pty::spawn_silent(&["--demo"]);
    let start = Instant::now();
    while !String::from_utf8_lossy(&t.raw).contains("\x1b[6n") && start.elapsed() < Duration::from_secs(5) {
        t.pump_for(Duration::from_millis(20));
    }
    t.send(b"\x1b[1;7R");
    t.wait_for("This terminal sends GBK");
    // A UTF-8 terminal (this harness answers as one) gets no warning.
    let mut u = Pty::spawn(&["--demo"], &[]);
    u.wait_for("紧急程度");
    u.settle();
    assert!(!u.screen().contains("GBK"));
    // A terminal that never answers (a slow link) starts anyway.
    let start = Instant::now();
    let mut v = Pty::spawn_silent(&["--demo"]);
    v.wait_for("紧急程度");
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
}

/// Debian's `luit -encoding GBK` around the desk behaves like a Chinese
/// Windows terminal set to GBK. `.ci/run` installs luit; without it this
/// says so and checks nothing.
#[test]
fn under_luit_gbk_the_probe_finds_it_and_the_warning_reads_in_chinese() {
    if std::process::Command::new("luit").arg("-h").output().is_err() {
        eprintln!("luit is not installed: apt-get install luit");
        return;
    }
    let mut t = Pty::spawn_wrapped("luit", &["-encoding", "GBK"], &["--demo"]);
    t.wait_for("远程字符集 设为 UTF-8");
    t.wait_for("This terminal sends GBK");
    // Any key goes on to the desk (garbled on this terminal until the
    // setting is changed: that is what the warning is for).
    let before = t.raw.len();
    t.send(b"x");
    t.pump_for(Duration::from_millis(800));
    assert!(t.raw.len() > before + 500, "the desk did not draw again");
    assert!(t.child.try_wait().expect("status").is_none(), "still running");
}
