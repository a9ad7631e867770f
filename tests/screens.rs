//! What the screens draw: no row wider than the screen, every cut marked,
//! everything reachable at 80x24, legible in 16 colours and without.

mod common;

use common::{Desk, cell_problems, look};
use jiedai::app::Look;
use jiedai::domain::CaseNo;
use jiedai::effects;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};

const TANG: CaseNo = CaseNo { year: 2026, seq: 2 };

/// Open a case by number, as a search result would.
fn open_case(desk: &mut Desk, no: CaseNo) {
    for a in effects::run(&desk.port(), &desk.state, &jiedai::app::Effect::LoadCase(no)) {
        effects::dispatch(&desk.port(), &mut desk.state, a);
    }
    desk.draw();
}

#[test]
fn the_road_case_timeline_wraps_within_100_columns() {
    let mut desk = Desk::demo_sized(look(Lang::Zh), 100, 30);
    open_case(&mut desk, CaseNo { year: 2026, seq: 1 });
    let frame = desk.frame();
    assert_eq!(cell_problems(&frame), Vec::<String>::new());
    let text = desk.text();
    // The line after the conclusion starts with its date, whole.
    let follow = text.lines().find(|l| l.contains("罗兴国 回访")).unwrap_or_default();
    assert!(follow.starts_with("2026-03-27 10:00"), "{text}");
    // Wrapped, not cut: the whole conclusion is there.
    let flat: String = text.lines().map(str::trim_end).collect();
    assert!(flat.contains("总里程10公里,通组路恢复正常通行"), "{text}");
}

#[test]
fn the_case_view_marks_hidden_rows_and_scrolls_back_at_once() {
    let mut desk = Desk::pending(Lang::Zh);
    open_case(&mut desk, CaseNo { year: 2026, seq: 1 });
    let top = desk.text();
    assert!(top.contains("v 下面还有"), "{top}");
    assert!(!top.contains("上面还有"), "{top}");
    // Far past the end: the view stops at the last row...
    for _ in 0..60 {
        desk.cmd(Scope::Detail, Cmd::Down);
    }
    let end = desk.text();
    assert!(end.contains("^ 上面还有") && !end.contains("下面还有"), "{end}");
    assert!(end.contains("有人问了"), "the last event shows: {end}");
    // ...and one key back moves at once.
    desk.cmd(Scope::Detail, Cmd::Up);
    assert!(desk.text().contains("v 下面还有"), "{}", desk.text());
}

#[test]
fn statistics_at_80x24_scroll_to_every_row_and_mark_what_is_hidden() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(4));
    let top = desk.text();
    // The demo's nine categories do not fit: a marker says how many rows
    // are below, and the last ones are not on screen yet.
    assert!(top.contains("v 下面还有"), "{top}");
    assert!(!top.contains("退耕还林 1"), "{top}");
    desk.cmd(Scope::Stats, Cmd::Last);
    let end = desk.text();
    for row in ["农业生产 1", "干部作风 1", "征地补偿 1", "退耕还林 1"] {
        assert!(end.contains(row), "{row}: {end}");
    }
    assert!(end.contains("^ 上面还有") && !end.contains("下面还有"), "{end}");
    // Up moves back at once, and Home is the top again.
    desk.cmd(Scope::Stats, Cmd::Up);
    assert!(desk.text().contains("v 下面还有"), "{}", desk.text());
    desk.cmd(Scope::Stats, Cmd::First);
    assert_eq!(desk.text(), top);
    // The keys are in the footer and in help.
    assert!(top.lines().last().unwrap_or_default().contains("Up/Down 滚动"), "{top}");
    desk.press(Key::Char('?'));
    let help = desk.text();
    assert!(help.contains("向下滚动") && help.contains("PgDn"), "{help}");
}

/// Every case row of a list at 80x24 shows the summary whole, or cut with
/// the mark: never silently shortened.
fn summaries_whole_or_marked(desk: &Desk, cases: &[jiedai::domain::Case]) -> usize {
    let text = desk.text();
    let mut cut = 0;
    for c in cases {
        let Some(row) = text.lines().find(|l| l.contains(&c.no.to_string())) else { continue };
        let s = &c.intake.summary;
        if row.contains(s.as_str()) {
            continue;
        }
        let chars: Vec<char> = s.chars().collect();
        let marked = (1..chars.len()).any(|n| {
            let prefix: String = chars[..n].iter().collect();
            row.contains(&format!("{prefix}{}", jiedai::ui::text::CUT))
        });
        assert!(marked, "{} cut without a mark: {row}", c.no);
        cut += 1;
    }
    cut
}

#[test]
fn every_cut_in_the_lists_is_marked() {
    let mut desk = Desk::pending(Lang::Zh);
    let open = desk.state.data.open.clone();
    assert!(summaries_whole_or_marked(&desk, &open) >= 3, "{}", desk.text());
    let row = desk.text().lines().nth(2).unwrap_or_default().to_string();
    assert!(row.contains("坡脚组变压器>"), "{row}");
    // 回访 (whole at 80 columns) and 查找 (cut).
    desk.cmd(Scope::Global, Cmd::Tab(3));
    let cases = desk.state.cases_of(desk.state.tab).to_vec();
    summaries_whole_or_marked(&desk, &cases);
    desk.cmd(Scope::Global, Cmd::Tab(5)).cmd(Scope::Filter, Cmd::FilterDone);
    let cases = desk.state.cases_of(desk.state.tab).to_vec();
    assert!(summaries_whole_or_marked(&desk, &cases) >= 1, "{}", desk.text());
    // The escalation waiting for an answer, under Inspections, in English.
    let mut desk = Desk::pending(Lang::En);
    desk.cmd(Scope::Global, Cmd::Tab(2));
    let waiting: Vec<_> = desk.state.data.open.iter().filter(|c| !c.escalations.is_empty()).cloned().collect();
    summaries_whole_or_marked(&desk, &waiting);
}

#[test]
fn help_hides_the_forms_cursor() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Queue, Cmd::ToForm);
    assert_eq!(desk.state.screen_scopes()[0], Scope::Form);
    desk.draw();
    assert!(desk.term.backend().cursor_visible(), "the form's caret shows");
    desk.press(Key::Ctrl('g'));
    assert!(desk.state.help.is_some());
    let text = desk.text();
    assert!(text.contains("表单中"), "{text}");
    assert!(!desk.term.backend().cursor_visible(), "a cursor shows through help");
    desk.press(Key::Esc);
    assert!(desk.term.backend().cursor_visible());
}

/// How a terminal shows a cell: its 16 colours, its default colours, and
/// what bold does (brightens whatever ends up as the foreground, the
/// default background included: PuTTY's "bold background" is #555555).
struct Palette {
    name: &'static str,
    base: [u32; 8],
    bright: [u32; 8],
    fg: u32,
    bold_fg: u32,
    bg: u32,
    bold_bg: u32,
}

const PUTTY: Palette = Palette {
    name: "PuTTY",
    base: [0x000000, 0xBB0000, 0x00BB00, 0xBBBB00, 0x0000BB, 0xBB00BB, 0x00BBBB, 0xBBBBBB],
    bright: [0x555555, 0xFF5555, 0x55FF55, 0xFFFF55, 0x5555FF, 0xFF55FF, 0x55FFFF, 0xFFFFFF],
    fg: 0xBBBBBB,
    bold_fg: 0xFFFFFF,
    bg: 0x000000,
    bold_bg: 0x555555,
};

const LINUX: Palette = Palette {
    name: "Linux console",
    base: [0x000000, 0xAA0000, 0x00AA00, 0xAA5500, 0x0000AA, 0xAA00AA, 0x00AAAA, 0xAAAAAA],
    bright: [0x555555, 0xFF5555, 0x55FF55, 0xFFFF55, 0x5555FF, 0xFF55FF, 0x55FFFF, 0xFFFFFF],
    fg: 0xAAAAAA,
    bold_fg: 0xFFFFFF,
    bg: 0x000000,
    bold_bg: 0x555555,
};

/// Xshell's 16 colours follow xterm's; its schemes come dark and light.
const XSHELL_DARK: Palette = Palette {
    name: "Xshell (dark)",
    base: [0x000000, 0xCD0000, 0x00CD00, 0xCDCD00, 0x0000EE, 0xCD00CD, 0x00CDCD, 0xE5E5E5],
    bright: [0x7F7F7F, 0xFF0000, 0x00FF00, 0xFFFF00, 0x5C5CFF, 0xFF00FF, 0x00FFFF, 0xFFFFFF],
    fg: 0xE5E5E5,
    bold_fg: 0xFFFFFF,
    bg: 0x000000,
    bold_bg: 0x7F7F7F,
};

const XSHELL_LIGHT: Palette =
    Palette { name: "Xshell (light)", fg: 0x000000, bold_fg: 0x7F7F7F, bg: 0xFFFFFF, bold_bg: 0xFFFFFF, ..XSHELL_DARK };

#[derive(Clone, Copy)]
enum Slot {
    Fg,
    Bg,
    Index(usize),
}

fn slot(c: ratatui::style::Color, default: Slot) -> Slot {
    use ratatui::style::Color::*;
    match c {
        Reset => default,
        Black => Slot::Index(0),
        Red => Slot::Index(1),
        Green => Slot::Index(2),
        Yellow => Slot::Index(3),
        Blue => Slot::Index(4),
        Magenta => Slot::Index(5),
        Cyan => Slot::Index(6),
        Gray => Slot::Index(7),
        DarkGray => Slot::Index(8),
        LightRed => Slot::Index(9),
        LightGreen => Slot::Index(10),
        LightYellow => Slot::Index(11),
        LightBlue => Slot::Index(12),
        LightMagenta => Slot::Index(13),
        LightCyan => Slot::Index(14),
        White => Slot::Index(15),
        other => panic!("{other:?} is not one of the 16 colours"),
    }
}

/// The colours a cell is shown in: (foreground, background).
fn shown(cell: &ratatui::buffer::Cell, p: &Palette) -> (u32, u32) {
    use ratatui::style::Modifier;
    let (mut f, mut b) = (slot(cell.fg, Slot::Fg), slot(cell.bg, Slot::Bg));
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut f, &mut b);
    }
    let bold = cell.modifier.contains(Modifier::BOLD);
    let index = |i: usize, bold: bool| if i < 8 && !bold { p.base[i] } else { p.bright[i % 8] };
    let fg = match f {
        Slot::Fg => {
            if bold {
                p.bold_fg
            } else {
                p.fg
            }
        }
        Slot::Bg => {
            if bold {
                p.bold_bg
            } else {
                p.bg
            }
        }
        Slot::Index(i) => index(i, bold),
    };
    let bg = match b {
        Slot::Fg => p.fg,
        Slot::Bg => p.bg,
        Slot::Index(i) => index(i, false),
    };
    (fg, bg)
}

/// WCAG's contrast ratio of two colours.
fn contrast(a: u32, b: u32) -> f64 {
    let lum = |c: u32| {
        let ch = |v: u32| {
            let s = f64::from(v & 0xFF) / 255.0;
            if s <= 0.03928 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * ch(c >> 16) + 0.7152 * ch(c >> 8) + 0.0722 * ch(c)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The terminals' default palettes (all dark), and a light scheme too.
const DEFAULTS: [&Palette; 3] = [&PUTTY, &LINUX, &XSHELL_DARK];
const ALL: [&Palette; 4] = [&PUTTY, &LINUX, &XSHELL_DARK, &XSHELL_LIGHT];

/// Every printed character of row `y` is legible (contrast 4.5 or more).
fn legible(buf: &ratatui::buffer::Buffer, y: u16, what: &str, palettes: &[&Palette]) {
    for p in palettes {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            if cell.symbol().trim().is_empty() {
                continue;
            }
            let (fg, bg) = shown(cell, p);
            let ratio = contrast(fg, bg);
            assert!(
                ratio >= 4.5,
                "{what} in {}: {:?} drawn #{fg:06X} on #{bg:06X} ({ratio:.1})",
                p.name,
                cell.symbol()
            );
        }
    }
}

#[test]
fn the_selected_overdue_row_is_legible_in_16_colours_and_without_colour() {
    use ratatui::style::{Color, Modifier};
    let mut desk = Desk::pending(Lang::Zh);
    let buf = desk.frame();
    // Row 2: the overdue case, selected; row 3: an ordinary one.
    assert!(buf[(0, 2)].symbol() == "!", "overdue first");
    legible(&buf, 2, "the selected overdue row", &ALL);
    legible(&buf, 3, "an unselected row", &ALL);
    // Selected red is a red background, not reversed red text.
    assert_eq!((buf[(3, 2)].fg, buf[(3, 2)].bg), (Color::White, Color::Red));
    assert!(!buf[(3, 2)].modifier.contains(Modifier::REVERSED));
    desk.cmd(Scope::List, Cmd::Down);
    let buf = desk.frame();
    // Bold red text is 4.0 on a light scheme's white: legible, not 4.5.
    legible(&buf, 2, "the overdue row, unselected", &DEFAULTS);
    legible(&buf, 3, "the selected row", &ALL);
    // Without colour: reverse video alone (never with bold), and the '!'.
    let mut desk = Desk::demo_sized(Look { lang: Lang::Zh, ascii: false, color: false }, 80, 24);
    desk.press(Key::F(2));
    let buf = desk.frame();
    for x in 2..78 {
        let cell = &buf[(x, 2)];
        // The second half of a wide character is drawn with its first.
        if unicode_width::UnicodeWidthStr::width(buf[(x - 1, 2)].symbol()) == 2 {
            continue;
        }
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "no colour at {x}");
        assert!(cell.modifier.contains(Modifier::REVERSED), "selected, reversed at {x}");
        assert!(!cell.modifier.contains(Modifier::BOLD), "bold over reverse at {x}");
    }
    assert_eq!(buf[(0, 2)].symbol(), "!");
    legible(&buf, 2, "the selected overdue row without colour", &ALL);
}

/// The screen's rows joined, so that a sentence wrapped over rows reads whole.
fn flat(text: &str) -> String {
    text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

#[test]
fn english_screens_at_80_and_120_columns() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut desk = Desk::demo_sized(look(Lang::En), w, h);
        let top = desk.text();
        // At 80 columns every one of the ten places keeps a name (as in
        // Chinese, the date gives way); at 120 the date is on the bar too.
        let bar = top.lines().next().unwrap_or_default().trim_end();
        if w == 80 {
            for name in ["1Intake", "2Todo", "3Site", "4Visits", "5Stats", "6Dir", "7Find", "8Calls", "9Diary", "0Box"]
            {
                assert!(bar.contains(name), "{name} missing at 80: {bar}");
            }
        } else {
            assert!(bar.ends_with("2026-11-30 Mon"), "{w}: {top}");
        }
        desk.cmd(Scope::Global, Cmd::Tab(4));
        let text = desk.text();
        for header in
            ["By channel", "Residents received", "Registered", "Accepted", "Concluded", "Implemented", "Follow-ups"]
        {
            assert!(text.contains(header), "{header} at {w}: {text}");
        }
        for channel in ["reception", "phone", "diary", "opinion box", "visit"] {
            assert!(text.contains(channel), "{channel} at {w}: {text}");
        }
        assert!(text.contains("Satisfied"), "{text}");
        // One of a thing is singular.
        let flat = flat(&text);
        assert!(flat.contains("made 1 return visit and implemented 3."), "{flat}");
        assert!(flat.contains("of which 1 was rectified."), "{flat}");
        assert!(!flat.contains("1 return visits") && !flat.contains("1 were"), "{flat}");
        assert_eq!(cell_problems(&desk.frame()), Vec::<String>::new());
    }
}

#[test]
fn the_timeline_says_contacts_and_extensions_in_sentences() {
    use jiedai::store::{Command, Stamp};
    let no = CaseNo { year: 2026, seq: 7 };
    for (lang, contact, extended) in [
        (
            Lang::Zh,
            "唐科名再次反映 (电话, 1人): 再次来电要求赔偿",
            "办理期限延长 30 天, 至 2026-12-16。理由: 等供电所更换变压器",
        ),
        (
            Lang::En,
            "唐科名 got in touch again (phone, 1 person): 再次来电要求赔偿",
            "Deadline extended by 30 days, to 2026-12-16. Reason: 等供电所更换变压器",
        ),
    ] {
        let mut desk = Desk::demo_sized(look(lang), 120, 40);
        desk.cmd(Scope::Global, Cmd::Tab(1));
        let stamp = Stamp { at: jiedai::domain::time::china_at(common::today(), 9, 0), operator: "岑国仲".into() };
        desk.store
            .execute(&stamp, Command::Extend { case: no, days: 30, reason: "等供电所更换变压器".into() })
            .expect("extend");
        open_case(&mut desk, no);
        let text = flat(&desk.text());
        assert!(text.contains(extended), "{text}");
        assert!(!text.contains(" -> "), "{text}");
        open_case(&mut desk, TANG);
        let text = flat(&desk.text());
        assert!(text.contains(contact), "{text}");
        assert!(!text.contains(" x1"), "{text}");
    }
}

#[test]
fn the_reports_headline_says_whose_figures_it_gives() {
    // On the tab: each sentence names the channel it counts, and the
    // township's own total follows the reception day's.
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(4));
    let text = flat(&desk.text());
    assert!(text.contains("[接待日] 自2026年1月1日以来共接待群众7人,办理事件4件,回访1件,落实3件。"), "{text}");
    assert!(text.contains("[意见箱] 搜集到的意见4条,进行整改1条。"), "{text}");
    let stats = desk.state.data.stats.clone().expect("stats");
    let all: u64 = stats.by_channel.iter().map(|(_, c)| c.follow_ups).sum();
    assert_eq!(all, 4);
    assert!(text.contains("[全乡] 全乡各渠道合计接待群众18人,登记13件,受理10件,办结8件,落实5件,回访4件。"), "{text}");
    // In the command line's report too, after the seed's own two sentences.
    let dir = common::demo_db();
    let out = common::jiedai(dir.path(), &["report"]);
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = report.lines().collect();
    assert!(lines[0].ends_with("共接待群众7人,办理事件4件,回访1件,落实3件。"), "{report}");
    assert_eq!(lines[1], "搜集到的意见4条,进行整改1条。", "{report}");
    assert!(lines[2].starts_with("全乡各渠道合计") && lines[2].contains("回访4件"), "{report}");
}
