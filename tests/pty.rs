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
    // Ten tabs close up to their numbers at 80 columns.
    t.wait_for("2待办 5 (超期 1)");
    t.wait_for("承办人   岑国仲");
    // PuTTY's default function keys (ESC[n~), its VT100+ mode (ESC O P..S)
    // and the Linux console's (ESC[[A..E) all switch tabs; in a list, so
    // do the plain digits.
    for (bytes, shows) in [
        (&b"\x1b[12~"[..], "坡脚组变压器"),
        (&b"\x1b[13~"[..], "李明华,杨光明"),
        (&b"\x1bOS"[..], "吴小燕"),
        (&b"\x1b[15~"[..], "接待群众(人)"),
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
    t.wait_for("2Todo 5 (overdue 1)");
    t.wait_for("a new arrival (name");
    t.wait_for("? help");
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
    t.wait_for("2待办 5");
}

#[test]
fn sighup_mid_form_keeps_the_draft_for_the_next_start() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    t.wait_for("紧急程度");
    // A first-time visitor: nothing is filled in from earlier records.
    t.send(b"\t");
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
    t.send(b"\t");
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
    t.send(b"\t");
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

// ---- bytes on the line: what the desk writes to the terminal ---------------

/// Focus in the intake form's name field, wherever the desk started: Esc
/// goes to the queue, Tab back to the form.
fn into_name_field(t: &mut Pty) {
    t.wait_for("紧急程度");
    t.send(b"\x1b");
    t.quiet(Duration::from_millis(150));
    t.send(b"\t");
    t.quiet(Duration::from_millis(150));
}

/// Type one character at a time, each once the last one shows after
/// `shown` (the field's label and what it holds).
fn type_as_a_person(t: &mut Pty, shown: &str, text: &str) {
    let mut shown = shown.to_string();
    for c in text.chars() {
        t.send(c.to_string().as_bytes());
        shown.push(c);
        t.wait_for(&shown);
    }
}

/// Bytes per character typed into a field, one key at a time as a person
/// types: (ASCII, CJK). Everything written meanwhile counts.
fn bytes_per_typed_character(t: &mut Pty) -> (f64, f64) {
    into_name_field(t);
    // The first key into an empty form may change more (the draft); what
    // counts is the typing that follows.
    type_as_a_person(t, "姓名     ", "x");
    t.quiet(Duration::from_millis(150));
    let mut per = Vec::new();
    for (shown, text) in [("姓名     x", "abcdefghij"), ("姓名     xabcdefghij", "唐科名坝达章村五组路")]
    {
        let before = t.raw.len();
        type_as_a_person(t, shown, text);
        t.quiet(Duration::from_millis(150));
        per.push((t.raw.len() - before) as f64 / text.chars().count() as f64);
    }
    t.wait_for("xabcdefghij唐科名坝达章村五组路");
    (per[0], per[1])
}

#[test]
fn a_typed_character_costs_a_few_bytes() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    let (ascii, cjk) = bytes_per_typed_character(&mut t);
    eprintln!("bytes per typed character: ASCII {ascii:.1}, CJK {cjk:.1}");
    // The floor is the character itself: 1 byte, 3 for a CJK one.
    assert!(ascii <= 8.0 && cjk <= 8.0, "ASCII {ascii:.1} B, CJK {cjk:.1} B per character");
}

/// Bytes of every switch from one tab to another (F1..F5), and the worst.
fn tab_switches(t: &mut Pty) -> Vec<(usize, usize, usize)> {
    t.wait_for("紧急程度");
    let f = |n: usize| format!("\x1b[{}~", 10 + n);
    let mut out = Vec::new();
    for from in 1..=5 {
        for to in 1..=5 {
            if from == to {
                continue;
            }
            t.send(f(from).as_bytes());
            t.wait_for_tab(from as u8);
            let n = t.bytes_for(|t| {
                t.send(f(to).as_bytes());
                t.wait_for_tab(to as u8);
            });
            out.push((from, to, n));
        }
    }
    out
}

#[test]
fn a_tab_switch_at_80x24_writes_at_most_4_kb() {
    let mut worst_of = Vec::new();
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut t = Pty::spawn_sized(&["--demo"], &[], w, h);
        let switches = tab_switches(&mut t);
        let mut sizes: Vec<usize> = switches.iter().map(|s| s.2).collect();
        sizes.sort_unstable();
        let worst = switches.iter().max_by_key(|s| s.2).copied().unwrap_or_default();
        eprintln!(
            "{w}x{h}: bytes per tab switch: median {}, worst {} (F{} -> F{}), all {:?}",
            sizes[sizes.len() / 2],
            worst.2,
            worst.0,
            worst.1,
            switches
        );
        assert_eq!(switches.len(), 20);
        // Each switch drew something: the counter is not reading nothing.
        assert!(sizes[0] > 100, "{switches:?}");
        // The screen is still the desk's.
        t.send(b"\x1b[12~");
        t.wait_for("坡脚组变压器");
        worst_of.push(worst.2);
    }
    // 4 KB at 80x24; at 200x60 (six times the cells) not even twice that.
    assert!(worst_of[0] <= 4096 && worst_of[1] <= 8192, "{worst_of:?}");
}

#[test]
fn a_whole_intake_and_then_idle_writes_nothing_more() {
    let db = demo_db();
    let mut t = Pty::spawn(&["--db", &db_arg(&db)], &[]);
    into_name_field(&mut t);
    // The seed's road-lamp case: name, six Tabs (the delegation fields are
    // skipped for one person), summary, Ctrl+S; typed as a person types.
    let before = t.raw.len();
    type_as_a_person(&mut t, "姓名     ", "唐某");
    for _ in 0..6 {
        t.send(b"\t");
        t.quiet(Duration::from_millis(100));
    }
    type_as_a_person(&mut t, "事由     ", "路灯坏了");
    t.send(b"\x13");
    t.wait_for("已保存, 编号 2026-0014");
    t.quiet(Duration::from_millis(150));
    let n = t.raw.len() - before;
    eprintln!("bytes for a whole intake (name, six Tabs, summary, Ctrl+S): {n}");
    assert!(n < 8000, "{n}");
    // Idle with nothing changing on screen: ticks (every half second)
    // write nothing at all. (Quiet first for longer than a tick: a slow
    // machine's last frame is not counted as idle.)
    t.quiet(Duration::from_millis(700));
    let before = t.raw.len();
    t.pump_for(Duration::from_millis(1600));
    assert_eq!(t.raw.len() - before, 0, "{:?}", String::from_utf8_lossy(&t.raw[before..]));
}

/// An idle desk across midnight, its clock pinned to start at 23:59:52
/// China time: nothing is written until the date on screen changes, then
/// only that change, then nothing again.
#[test]
fn idle_across_midnight_writes_only_when_the_date_changes() {
    let start = std::time::Instant::now();
    let mut t = Pty::spawn(&["--demo"], &[("JIEDAI_TEST_NOW", "2026-12-01T15:59:52Z")]);
    t.wait_for("12-01");
    t.quiet(Duration::from_millis(600));
    let settled = start.elapsed();
    // Midnight comes eight seconds after the desk started, or later.
    let until = Duration::from_secs(8).checked_sub(settled + Duration::from_millis(300));
    let Some(until) = until.filter(|d| *d >= Duration::from_secs(2)) else {
        panic!("started too slowly to watch the last seconds before midnight: {settled:?}")
    };
    let before = t.raw.len();
    t.pump_for(until);
    let before_midnight = t.raw.len() - before;
    let at_midnight = t.raw.len();
    t.wait_for("12-02");
    t.quiet(Duration::from_millis(300));
    let change = t.raw.len() - at_midnight;
    let after = t.raw.len();
    t.pump_for(Duration::from_millis(1600));
    let after_midnight = t.raw.len() - after;
    eprintln!("idle: {before_midnight} B before midnight, {change} B for the new date, {after_midnight} B after");
    assert_eq!(before_midnight, 0);
    assert!(change > 0 && change < 4096, "{change}");
    assert_eq!(after_midnight, 0);
}

/// `--demo`'s throwaway database (TMPDIR/jiedai-demo-<pid>) is removed on
/// every way out the desk handles: Ctrl+Q, a hang-up (tmux kill-session),
/// SIGTERM, and a dead terminal noticed with SIGHUP ignored (nohup).
#[test]
fn the_demo_database_is_removed_however_the_desk_ends() {
    type End = fn(&mut Pty);
    let ways: [(&str, bool, End); 4] = [
        ("Ctrl+Q", false, |t| t.send(b"\x11")),
        ("SIGHUP", false, |t| unsafe {
            // SAFETY: a signal to our own child.
            libc::kill(t.pid(), libc::SIGHUP);
        }),
        ("SIGTERM", false, |t| unsafe {
            // SAFETY: a signal to our own child.
            libc::kill(t.pid(), libc::SIGTERM);
        }),
        ("dead tty under nohup", true, |t| t.hang_up()),
    ];
    for (how, nohup, end) in ways {
        let tmp = tempfile::tempdir().expect("tempdir");
        let tmpdir = tmp.path().to_str().expect("utf-8 path");
        let env = [("TMPDIR", tmpdir)];
        let mut t = if nohup { Pty::spawn_nohup_env(&["--demo"], &env) } else { Pty::spawn(&["--demo"], &env) };
        t.wait_for("紧急程度");
        let db = tmp.path().join(format!("jiedai-demo-{}", t.pid()));
        assert!(db.is_dir(), "{how}: no demo database at {}", db.display());
        end(&mut t);
        assert!(t.wait_exit(Duration::from_secs(10)).is_some(), "{how}: still running");
        assert!(!db.exists(), "{how}: {} left behind", db.display());
    }
}
