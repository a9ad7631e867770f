//! The desk's terminal writer sends only what changed and remembers where
//! the cursor is and which attributes are in force (ui/writer.rs). Anything
//! else writing to the same terminal (a `wall` broadcast, `write` from
//! another user, a kernel message on a Linux console) moves the cursor and
//! may leave attributes set behind the desk's back: from then on what is
//! typed lands where that text left the cursor, in its attributes. Ctrl+L
//! repaints the whole screen, as in other full-screen programs.

mod common;

use std::io::Write;
use std::time::Duration;

use common::pty::Pty;

/// Write to the desk's terminal as another program would.
fn broadcast(t: &Pty, text: &[u8]) {
    let mut tty =
        std::fs::OpenOptions::new().write(true).open(format!("/proc/{}/fd/1", t.pid())).expect("the desk's terminal");
    tty.write_all(text).expect("write to the desk's terminal");
}

/// (row, column) where `text` starts on the vt100 screen.
fn find(t: &Pty, text: &str) -> Option<(u16, u16)> {
    t.screen().lines().enumerate().find_map(|(row, line)| {
        line.find(text).map(|at| (row as u16, unicode_width::UnicodeWidthStr::width(&line[..at]) as u16))
    })
}

#[test]
fn ctrl_l_repaints_a_screen_another_program_wrote_over() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    t.send(b"\x1b");
    t.quiet(Duration::from_millis(150));
    t.send(b"\t");
    t.quiet(Duration::from_millis(150));
    t.send(b"abc");
    t.wait_for("姓名     abc");
    t.quiet(Duration::from_millis(300));
    broadcast(&t, b"\x1b[7m\r\nBroadcast message from root: going down\r\n");
    t.pump_for(Duration::from_millis(200));
    // What is typed now is drawn where the broadcast left the cursor.
    t.send(b"d");
    t.pump_for(Duration::from_millis(400));
    assert!(!t.screen().contains("姓名     abcd"), "the broadcast did not disturb the screen:\n{}", t.screen());

    t.send(b"\x0c");
    t.wait_for("姓名     abcd");
    t.quiet(Duration::from_millis(300));
    let screen = t.screen();
    assert!(!screen.contains("Broadcast"), "{screen}");
    // The field as the desk means it: in its place, not in reverse video.
    let (row, col) = find(&t, "abcd").expect("the field");
    let cell = t.parser.screen().cell(row, col).expect("cell");
    assert!(!cell.inverse(), "the field is drawn in the broadcast's attributes");
    // And typing goes on in the right place, with no move of the cursor
    // (the first key sets the field's attributes again: a few bytes).
    let n = t.bytes_for(|t| {
        t.send(b"e");
        t.wait_for("姓名     abcde");
    });
    let sent = String::from_utf8_lossy(&t.raw[t.raw.len() - n..]).into_owned();
    assert!(n <= 8 && sent.ends_with('e') && !sent.contains('H'), "{sent:?}");
}
