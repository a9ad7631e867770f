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
    t.wait_for("接待群众(人)");
    t.send(b"\x1b[[C"); // Linux console F3
    t.wait_for("李明华,杨光明");
    t.send(b"\x1b[[A"); // Linux console F1
    t.wait_for("紧急程度");
    // Backspace as ^H (Windows Terminal over OpenSSH) deletes one character.
    t.send(b"\t");
    t.send("唐科名".as_bytes());
    t.send(b"\x08");
    t.wait_for("姓名     唐科 ");
}

#[test]
fn a_sequence_split_by_a_slow_link_is_a_key_not_text() {
    let mut t = Pty::spawn(&["--demo"], &[]);
    t.wait_for("紧急程度");
    t.send(b"\t");
    t.send("王".as_bytes());
    t.wait_for("姓名     王");
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
    t.send(b"\t");
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
    t.send(b"\t");
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

/// Both luits a user may have: Debian's x11-utils ships 1.1.1, the luit
/// package 2.0. `.ci/test-tools` unpacks them into target/test-tools; this
/// fails (never skips) when they are missing.
fn luits() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-tools");
    let all: Vec<_> = ["luit-1.1.1", "luit-2.0"].iter().map(|v| dir.join(v).join("usr/bin/luit")).collect();
    for l in &all {
        assert!(l.is_file(), "{} is missing: run .ci/test-tools (it fetches luit 1.1.1 and 2.0)", l.display());
    }
    all
}

/// Debian's `luit -encoding GBK` around the desk behaves like a Chinese
/// Windows terminal set to GBK: the start-up probe must find it under
/// either version, before anything is typed.
#[test]
fn under_luit_gbk_the_probe_finds_it_and_the_warning_reads_in_chinese() {
    for luit in luits() {
        let luit = luit.to_string_lossy();
        let mut t = Pty::spawn_wrapped(&luit, &["-encoding", "GBK"], &["--demo"]);
        t.wait_for("远程字符集 设为 UTF-8");
        t.wait_for("This terminal sends GBK");
        // Any key goes on to the desk (garbled on this terminal until the
        // setting is changed: that is what the warning is for).
        let before = t.raw.len();
        t.send(b"x");
        t.pump_for(Duration::from_millis(800));
        assert!(t.raw.len() > before + 500, "{luit}: the desk did not draw again");
        assert!(t.child.try_wait().expect("status").is_none(), "{luit}: still running");
    }
}

/// The other side of the probe: luit in UTF-8 (nothing to translate) is a
/// UTF-8 terminal, and no warning appears.
#[test]
fn under_luit_utf8_no_gbk_warning() {
    for luit in luits() {
        let luit = luit.to_string_lossy();
        let mut t = Pty::spawn_wrapped(&luit, &["-encoding", "UTF-8"], &["--demo"]);
        t.wait_for("紧急程度");
        t.settle();
        assert!(!t.screen().contains("GBK"), "{luit}: {}", t.screen());
    }
}

// ---- PuTTY's keyboard modes and the --keypad setting -----------------------

use common::Desk;
use jiedai::app::Action;
use jiedai::app::form::Field;
use jiedai::i18n::Lang;
use jiedai::input::decode::{Decoder, Input};
use jiedai::input::keypad::Keypad;
use jiedai::keys::{self, Cmd, Key, Scope};

/// PuTTY's modes, by what their editing keys send: the four that send the
/// same, VT400, and SCO.
const FAMILIES: [&str; 3] = ["ESC[n~ (default), Linux, Xterm R6, VT100+", "VT400", "SCO"];

fn family(mode: &str) -> &'static str {
    match mode {
        "VT400" => FAMILIES[1],
        "SCO" => FAMILIES[2],
        _ => FAMILIES[0],
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// The recording of ../shared/field: (mode, key, bytes).
fn recorded() -> Vec<(String, String, Vec<u8>)> {
    include_str!("fixtures/putty-0.78-keys.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("mode\t"))
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_string(), c[1].to_string(), hex(c[2]))
        })
        .collect()
}

/// Keys the recording lacks, from PuTTY 0.78's source (terminal.c,
/// format_small_keypad_key and format_function_key): Insert and Delete in
/// every mode, and SCO, which was not recorded.
fn from_source() -> Vec<(String, String, Vec<u8>)> {
    let rows: &[(&str, &str, &str)] = &[
        ("ESC[n~ (default)", "Insert", "1b5b327e"),
        ("ESC[n~ (default)", "Delete", "1b5b337e"),
        ("Linux", "Insert", "1b5b327e"),
        ("Linux", "Delete", "1b5b337e"),
        ("Xterm R6", "Insert", "1b5b327e"),
        ("Xterm R6", "Delete", "1b5b337e"),
        ("VT100+", "Insert", "1b5b327e"),
        ("VT100+", "Delete", "1b5b337e"),
        ("VT400", "Insert", "1b5b317e"),
        ("VT400", "Delete", "1b5b347e"),
        ("SCO", "F1", "1b5b4d"),
        ("SCO", "F2", "1b5b4e"),
        ("SCO", "F3", "1b5b4f"),
        ("SCO", "F4", "1b5b50"),
        ("SCO", "F5", "1b5b51"),
        ("SCO", "Home", "1b5b48"),
        ("SCO", "End", "1b5b46"),
        ("SCO", "Prior", "1b5b49"),
        ("SCO", "Next", "1b5b47"),
        ("SCO", "Insert", "1b5b4c"),
        ("SCO", "Delete", "7f"),
        ("SCO", "Up", "1b5b41"),
        ("SCO", "Down", "1b5b42"),
        ("SCO", "Left", "1b5b44"),
        ("SCO", "Right", "1b5b43"),
    ];
    rows.iter().map(|(m, k, h)| (m.to_string(), k.to_string(), hex(h))).collect()
}

fn decode(keypad: Keypad, bytes: &[u8]) -> Vec<Input> {
    let mut d = Decoder::with_keypad(keypad);
    let t = std::time::Instant::now();
    let mut out = d.feed(bytes, t);
    out.extend(d.timeout(t + std::time::Duration::from_secs(5)));
    out
}

/// What a key does on a screen: a command of the key table, text typed,
/// nothing, or the safe keypad's notice.
#[derive(Clone, Debug, PartialEq)]
enum Does {
    Run(Cmd),
    Types(String),
    Nothing,
    Notice,
}

fn does(inputs: &[Input], scopes: &[Scope], typing: bool) -> Does {
    let mut typed = String::new();
    let mut out = Does::Nothing;
    for i in inputs {
        match i {
            Input::Key(k) => match keys::lookup(scopes, *k) {
                Some(c) => out = Does::Run(c),
                None => {
                    if let (Key::Char(c), true) = (k, typing) {
                        typed.push(*c);
                        out = Does::Types(typed.clone());
                    }
                }
            },
            Input::Unsure => out = Does::Notice,
            other => panic!("{other:?}"),
        }
    }
    out
}

/// The key a PuTTY key name is meant to be, as the desk names keys.
fn pc_key(name: &str) -> &str {
    match name {
        "Prior" => "PgUp",
        "Next" => "PgDn",
        "Insert" => "Ins",
        "Delete" => "Del",
        other => other,
    }
}

/// What the decoded bytes act as, named as the README's table names it.
fn acts_as(inputs: &[Input]) -> String {
    match inputs {
        [] => "nothing".into(),
        [Input::Unsure] => "notice".into(),
        [Input::Key(k)] => match k {
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Delete => "Del".into(),
            k => k.label(),
        },
        other => format!("{other:?}"),
    }
}

/// What each key does in a list (Pending) and in a text field (the intake
/// form's name), when it arrives as the key it is.
fn meant(key: &str) -> (Does, Does) {
    use Does::*;
    let run = Run;
    match key {
        "F1" | "F2" | "F3" | "F4" | "F5" => {
            let n = key[1..].parse::<u8>().expect("F-key") - 1;
            (run(Cmd::Tab(n)), run(Cmd::Tab(n)))
        }
        "alt+1" => (run(Cmd::Tab(0)), run(Cmd::Tab(0))),
        "alt+5" => (run(Cmd::Tab(4)), run(Cmd::Tab(4))),
        "BackSpace" | "ctrl+h" => (Nothing, run(Cmd::DeleteBack)),
        "ctrl+s" => (Nothing, run(Cmd::Save)),
        "ctrl+j" => (Nothing, run(Cmd::NewLine)),
        "ctrl+g" => (run(Cmd::Help), run(Cmd::Help)),
        "ctrl+f" => (run(Cmd::Filter), Nothing),
        "ctrl+q" => (run(Cmd::Quit), run(Cmd::Quit)),
        "Home" => (run(Cmd::First), run(Cmd::CaretHome)),
        "End" => (run(Cmd::Last), run(Cmd::CaretEnd)),
        "PgUp" | "Prior" => (run(Cmd::PageUp), run(Cmd::EarlierUp)),
        "PgDn" | "Next" => (run(Cmd::PageDown), run(Cmd::EarlierDown)),
        "Ins" | "Insert" | "nothing" => (Nothing, Nothing),
        "Del" | "Delete" => (Nothing, run(Cmd::DeleteForward)),
        "notice" => (Notice, Notice),
        "Up" => (run(Cmd::Up), run(Cmd::PrevField)),
        "Down" => (run(Cmd::Down), run(Cmd::NextField)),
        "Left" => (Nothing, run(Cmd::CaretLeft)),
        "Right" | "ctrl+Right" => (Nothing, run(Cmd::CaretRight)),
        "shift+Tab" => (Nothing, run(Cmd::PrevField)),
        "Tab" => (Nothing, run(Cmd::NextField)),
        "Return" => (run(Cmd::Open), run(Cmd::NextField)),
        "Escape" => (run(Cmd::FilterClear), run(Cmd::Back)),
        "question" => (run(Cmd::Help), Types("?".into())),
        "slash" => (run(Cmd::Filter), Types("/".into())),
        "type:中文" => (Nothing, Types("中文".into())),
        other => panic!("no meaning for {other}"),
    }
}

/// The setting made for each PuTTY mode.
fn matching(mode: &str) -> Keypad {
    match mode {
        "VT400" => Keypad::Vt400,
        "SCO" => Keypad::Sco,
        _ => Keypad::Standard,
    }
}

/// The README's table, from the decoder: per PuTTY mode (family) and
/// setting, every editing or function key that acts as another key.
fn readme_rows() -> Vec<String> {
    let rows: Vec<_> = recorded().into_iter().chain(from_source()).collect();
    let keys = ["F1", "F2", "F3", "F4", "F5", "Home", "End", "Prior", "Next", "Insert", "Delete"];
    let mut out = Vec::new();
    for fam in FAMILIES {
        let mut cells = vec![fam.to_string()];
        for setting in Keypad::ALL {
            let mut odd = Vec::new();
            for key in keys {
                // Every mode of the family sends the same: the first says it.
                let Some((_, _, bytes)) = rows.iter().find(|(m, k, _)| family(m) == fam && k == key) else {
                    panic!("no bytes for {key} in {fam}")
                };
                let got = acts_as(&decode(setting, bytes));
                let own = if key == "Insert" { "nothing" } else { pc_key(key) };
                if got != own {
                    odd.push(format!("{} → {got}", pc_key(key)));
                }
            }
            cells.push(if odd.is_empty() { "all".into() } else { odd.join(", ") });
        }
        out.push(format!("| {} |", cells.join(" | ")));
    }
    out
}

#[test]
fn the_readme_says_exactly_what_works_in_each_putty_mode() {
    let readme = include_str!("../README.md");
    let rows = readme_rows();
    for row in &rows {
        assert!(readme.contains(row.as_str()), "the README's keypad table lacks this row:\n{}", rows.join("\n"));
    }
}

/// Every recorded key (and those from PuTTY's source), in every mode,
/// decoded under every setting: what it does in a list and in a text field.
/// With the setting made for the mode, every key is itself; under `safe`,
/// whatever the mode, no navigation key deletes a character or marks a
/// no-show; and in the text field, no key but a deleting one shortens it.
#[test]
fn every_putty_key_in_every_mode_under_every_setting() {
    let list = Desk::pending(Lang::Zh);
    let mut desk = Desk::demo(Lang::Zh);
    // In the name field, with text and the caret inside it.
    if desk.state.intake.focus != jiedai::app::intake::Focus::Form {
        desk.cmd(Scope::Queue, Cmd::ToForm);
    }
    desk.type_text("唐科名").cmd(Scope::Text, Cmd::CaretLeft);
    assert_eq!(desk.state.intake.form.focus, Field::Name);
    let mut queue = Desk::demo(Lang::Zh);
    if queue.state.intake.focus != jiedai::app::intake::Focus::Queue {
        queue.cmd(Scope::Form, Cmd::Back);
    }
    let (list_scopes, field_scopes, queue_scopes) = (list.state.scopes(), desk.state.scopes(), queue.state.scopes());
    assert_eq!(queue_scopes[0], Scope::Queue);
    let navigation = ["Home", "End", "Prior", "Next", "Insert", "Up", "Down", "Left", "Right", "ctrl+Right"];
    let deleting = [Does::Run(Cmd::DeleteBack), Does::Run(Cmd::DeleteForward), Does::Run(Cmd::NoShow)];
    let mut checked = 0;
    for (mode, key, bytes) in recorded().into_iter().chain(from_source()) {
        for setting in Keypad::ALL {
            let inputs = decode(setting, &bytes);
            let in_list = does(&inputs, &list_scopes, false);
            let in_field = does(&inputs, &field_scopes, true);
            let in_queue = does(&inputs, &queue_scopes, false);
            let what = format!("{mode} {key} under {setting:?}: {inputs:?}");
            // What it does is what the key it acts as does.
            let as_key = if ["question", "slash", "type:中文", "ctrl+h", "BackSpace"].contains(&key.as_str())
                || !matches!(inputs.as_slice(), [] | [Input::Unsure] | [Input::Key(_)])
            {
                key.clone()
            } else if mode == "SCO" && key == "Delete" {
                "BackSpace".into()
            } else {
                match acts_as(&inputs).as_str() {
                    "Backspace" => "BackSpace".into(),
                    "Tab" => "Tab".into(),
                    "Shift+Tab" => "shift+Tab".into(),
                    "Enter" => "Return".into(),
                    "Esc" => "Escape".into(),
                    "Alt+1" => "alt+1".into(),
                    "Alt+5" => "alt+5".into(),
                    "Ctrl+S" | "Ctrl+J" | "Ctrl+G" | "Ctrl+F" | "Ctrl+Q" => key.clone(),
                    other => other.to_string(),
                }
            };
            assert_eq!((in_list.clone(), in_field.clone()), meant(&as_key), "{what}");
            if setting == matching(&mode) {
                // The setting made for the mode: every key is itself (SCO's
                // Delete sends Backspace's byte: it deletes backwards).
                let itself = if mode == "SCO" && key == "Delete" { "BackSpace" } else { key.as_str() };
                assert_eq!((in_list.clone(), in_field.clone()), meant(itself), "{what}");
            }
            if setting == Keypad::Safe && navigation.contains(&key.as_str()) {
                for d in [&in_list, &in_field, &in_queue] {
                    assert!(!deleting.contains(d), "a navigation key deletes: {what}: {d:?}");
                }
            }
            // On the field itself: only a deleting key shortens it, only a
            // typing one lengthens it.
            let mut state = desk.state.clone();
            for i in &inputs {
                let action = match i {
                    Input::Key(k) => Action::Key(*k),
                    _ => Action::Failed("notice".into()),
                };
                let _ = jiedai::app::update(&mut state, action);
            }
            let name = state.intake.form.value(Field::Name).to_string();
            match &in_field {
                Does::Run(Cmd::DeleteBack) => assert_eq!(name, "唐名", "{what}"),
                Does::Run(Cmd::DeleteForward) => assert_eq!(name, "唐科", "{what}"),
                Does::Types(t) => assert_eq!(name, format!("唐科{t}名"), "{what}"),
                _ => assert_eq!(name, "唐科名", "{what}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 4 * 175, "{checked}");
}

/// Focus in the intake form's name field, with 唐科名 typed and the caret
/// after 唐 (Esc to the queue, Tab back: wherever the desk started).
fn name_typed_caret_after_first(t: &mut Pty) {
    t.wait_for("紧急程度");
    t.send(b"\x1b");
    t.settle();
    t.send(b"\t");
    t.settle();
    t.send("唐科名".as_bytes());
    t.wait_for("姓名     唐科名");
    t.send(b"\x1b[D\x1b[D");
    t.settle();
}

#[test]
fn pgup_in_putty_vt400_mode_never_deletes_typed_text() {
    // The default (nothing set): PgUp's VT400 bytes, which other modes send
    // for Delete, delete nothing and say how to delete.
    let mut t = Pty::spawn(&["--demo"], &[]);
    name_typed_caret_after_first(&mut t);
    for _ in 0..3 {
        t.send(b"\x1b[3~");
    }
    t.wait_for("删除按 Ctrl+D");
    // Typed after them: the caret is where it was, nothing is gone.
    t.send(b"!");
    t.wait_for("姓名     唐!科名 ");
    // Ctrl+D deletes forward.
    t.send(b"\x04");
    t.wait_for("姓名     唐!名 ");
    // Told it is PuTTY in VT400 mode: ESC[3~ is PgUp, ESC[2~ Home, ESC[5~
    // End, ESC[4~ Delete.
    let mut t = Pty::spawn(&["--demo", "--keypad", "vt400"], &[]);
    name_typed_caret_after_first(&mut t);
    t.send(b"\x1b[3~\x1b[3~\x1b[2~\x1b[5~!");
    t.wait_for("姓名     唐科名! ");
    assert!(!t.screen().contains("Ctrl+D"), "{}", t.screen());
    t.send(b"\x1b[2~\x1b[4~"); // Home, Delete
    t.wait_for("姓名     科名! ");
}

#[test]
fn the_keypad_setting_is_remembered_privately_and_the_variable_works() {
    use std::os::unix::fs::PermissionsExt;
    let config = tempfile::tempdir().expect("tempdir");
    let home = config.path().to_string_lossy().into_owned();
    let mut t = Pty::spawn(&["--demo", "--keypad", "vt400"], &[("XDG_CONFIG_HOME", &home)]);
    t.wait_for("紧急程度");
    t.send(b"\x11");
    assert_eq!(t.wait_exit(Duration::from_secs(5)), Some(0));
    let file = config.path().join("jiedai").join("config");
    assert_eq!(std::fs::read_to_string(&file).expect("config written"), "keypad = vt400\n");
    assert_eq!(std::fs::metadata(&file).expect("file").permissions().mode() & 0o777, 0o600);
    // The next start, with nothing given, is in VT400 mode: ESC[4~ deletes.
    let mut t = Pty::spawn(&["--demo"], &[("XDG_CONFIG_HOME", &home)]);
    name_typed_caret_after_first(&mut t);
    t.send(b"\x1b[4~");
    t.wait_for("姓名     唐名 ");
    // JIEDAI_KEYPAD=standard: ESC[3~ is Delete now, and remembered too.
    let mut t = Pty::spawn(&["--demo"], &[("XDG_CONFIG_HOME", &home), ("JIEDAI_KEYPAD", "standard")]);
    name_typed_caret_after_first(&mut t);
    t.send(b"\x1b[3~");
    t.wait_for("姓名     唐名 ");
    assert_eq!(std::fs::read_to_string(&file).expect("config"), "keypad = standard\n");
}

/// Home, End, PgUp and PgDn as every PuTTY mode sends them, decoded under
/// the setting made for the mode: they move in the market-day queue and
/// scroll an opened case (the README's key table says they do).
#[test]
fn home_end_and_the_page_keys_move_the_queue_and_an_opened_case_in_every_mode() {
    let mut queue = Desk::demo(Lang::Zh);
    if queue.state.intake.focus != jiedai::app::intake::Focus::Queue {
        queue.cmd(Scope::Form, Cmd::Back);
    }
    for n in 0..30 {
        queue.cmd(Scope::Queue, Cmd::AddArrival).type_text(&format!("来人{n} 冷洞村")).cmd(Scope::Adding, Cmd::AddDone);
    }
    let rows = jiedai::app::intake::queue_rows(&queue.state).len();
    assert!(rows >= 30);
    queue.state.intake.queue_sel = 20;
    let page = jiedai::ui::intake::queue_page(&queue.state);
    assert!(page > 1 && page < 20, "{page}");
    // A case whose timeline is longer than 80x24 shows.
    let mut case = Desk::demo(Lang::Zh);
    case.cmd(Scope::Global, Cmd::Tab(5)).type_text("2026-0003").cmd(Scope::Filter, Cmd::FilterDone);
    case.cmd(Scope::List, Cmd::Open);
    for n in 0..12 {
        case.cmd(Scope::Detail, Cmd::Act(jiedai::app::action::ActionKind::Note));
        case.type_text(&format!("第{n}次补充说明")).cmd(Scope::Dialog, Cmd::Save);
    }
    assert_eq!(case.state.scopes()[0], Scope::Detail);
    let long = case.state.detail.as_ref().map(|d| jiedai::ui::detail::max_scroll(&case.state, d));
    assert!(long.is_some_and(|m| m > 0), "{}", case.text());
    let mut checked = 0;
    for (mode, key, bytes) in recorded().into_iter().chain(from_source()) {
        if !["Home", "End", "Prior", "Next"].contains(&key.as_str()) {
            continue;
        }
        let inputs = decode(matching(&mode), &bytes);
        let what = format!("{mode} {key}: {inputs:?}");
        let press = |state: &mut jiedai::app::AppState| {
            for i in &inputs {
                if let Input::Key(k) = i {
                    let _ = jiedai::app::update(state, Action::Key(*k));
                }
            }
        };
        let mut q = queue.state.clone();
        press(&mut q);
        let want = match key.as_str() {
            "Home" => 0,
            "End" => rows - 1,
            "Prior" => 20 - page,
            _ => (20 + page).min(rows - 1),
        };
        assert_eq!(q.intake.queue_sel, want, "queue: {what}");
        if matches!(key.as_str(), "Home" | "End") {
            let mut c = case.state.clone();
            press(&mut c);
            let scroll = c.detail.as_ref().map(|d| d.scroll).expect("case open");
            if key == "End" {
                assert!(scroll > 0, "End scrolls to the end: {what}");
                press(&mut c);
                let again = c.detail.as_ref().map(|d| d.scroll);
                assert_eq!(again, Some(scroll), "End twice stays at the end: {what}");
            } else {
                let mut c = case.state.clone();
                if let Some(d) = c.detail.as_mut() {
                    d.scroll = 5;
                }
                press(&mut c);
                assert_eq!(c.detail.as_ref().map(|d| d.scroll), Some(0), "Home scrolls to the top: {what}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 6 * 4, "{checked}");
}
