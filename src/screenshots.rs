//! Screenshots made by the desk itself: the demo data on a fixed day, the
//! screens reached through the key table, drawn at 100x30 into SVG (colours
//! kept, a wide character spanning two cells) and plain text.

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use crate::app::{Action, AppState, Effect, Look};
use crate::domain::CaseNo;
use crate::domain::time::china_at;
use crate::effects::{dispatch, run};
use crate::i18n::Lang;
use crate::keys::Key;
use crate::store::{Embedded, Identity, Store};

pub const WIDTH: u16 = 100;
pub const HEIGHT: u16 = 30;

/// The day the screenshots are taken on, so that they never go stale by
/// themselves.
pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

fn hex(c: Color, fg: bool) -> &'static str {
    match c {
        Color::Reset => {
            if fg {
                "#d4d4d4"
            } else {
                "#1e1e1e"
            }
        }
        Color::Black => "#000000",
        Color::Red => "#e05555",
        Color::Green => "#6ac46a",
        Color::Yellow => "#e5c07b",
        Color::Blue => "#61afef",
        Color::Magenta => "#c678dd",
        Color::Cyan => "#56b6c2",
        Color::Gray => "#abb2bf",
        Color::DarkGray => "#7f848e",
        Color::White => "#ffffff",
        _ => {
            if fg {
                "#d4d4d4"
            } else {
                "#1e1e1e"
            }
        }
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The buffer as SVG: 9x18 pixel cells, a wide character over two.
pub fn svg(buf: &Buffer) -> String {
    let (cw, ch) = (9, 18);
    let (w, h) = (buf.area.width as usize * cw, buf.area.height as usize * ch);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"'Sarasa Mono SC','Noto Sans Mono CJK SC',monospace\" font-size=\"15\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{}\"/>\n",
        hex(Color::Reset, false)
    );
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = cell.symbol();
            let cells = sym.width().max(1);
            skip = cells - 1;
            let (mut fg, mut bg) = (hex(cell.fg, true), hex(cell.bg, false));
            if cell.modifier.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
                if cell.fg == Color::Reset {
                    bg = hex(Color::Reset, true);
                }
                if cell.bg == Color::Reset {
                    fg = hex(Color::Reset, false);
                }
            }
            let (px, py) = (x as usize * cw, y as usize * ch);
            if bg != hex(Color::Reset, false) {
                let _ = writeln!(
                    out,
                    "<rect x=\"{px}\" y=\"{py}\" width=\"{}\" height=\"{ch}\" fill=\"{bg}\"/>",
                    cells * cw
                );
            }
            if sym.trim().is_empty() {
                continue;
            }
            let weight = if cell.modifier.contains(Modifier::BOLD) { " font-weight=\"bold\"" } else { "" };
            let under =
                if cell.modifier.contains(Modifier::UNDERLINED) { " text-decoration=\"underline\"" } else { "" };
            let _ = writeln!(
                out,
                "<text x=\"{px}\" y=\"{}\" fill=\"{fg}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"{weight}{under}>{}</text>",
                py + 14,
                cells * cw,
                xml(sym)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

/// The buffer as the text a person reads (a wide character once).
pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            if skip == 0 {
                line.push_str(cell.symbol());
            }
            skip = skip.max(cell.symbol().width()).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

struct Shot {
    desk: Embedded,
    state: AppState,
    term: Terminal<TestBackend>,
}

impl Shot {
    fn keys(&mut self, keys: &[Key]) {
        for k in keys {
            dispatch(&self.desk, &mut self.state, Action::Key(*k));
        }
    }

    fn typed(&mut self, s: &str) {
        for c in s.chars() {
            dispatch(&self.desk, &mut self.state, Action::Key(Key::Char(c)));
        }
    }

    fn take(&mut self, dir: &Path, name: &str) -> std::io::Result<()> {
        let state = &self.state;
        // TestBackend cannot fail (its error type is Infallible).
        let _ = self.term.clear();
        let _ = self.term.draw(|f| crate::ui::render(state, f));
        let buf = self.term.backend().buffer();
        std::fs::write(dir.join(format!("{name}.svg")), svg(buf))?;
        std::fs::write(dir.join(format!("{name}.txt")), text(buf))
    }
}

/// Write every screenshot, in Chinese and English, into `dir`.
pub fn write_all(dir: &Path) -> anyhow::Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    let mut names = Vec::new();
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let db = tempdir()?;
        let store = Store::open(&db)?;
        crate::demo::load(&store, day())?;
        let look = Look { lang, ascii: false, color: true };
        let state = AppState::new(look, "岑国仲", china_at(day(), 10, 0), (WIDTH, HEIGHT));
        let term = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
        // The store's clock stands still at the screenshots' hour.
        let at = china_at(day(), 10, 0);
        let desk = Embedded::new(store, Identity::Named("岑国仲".into())).with_clock(std::sync::Arc::new(move || at));
        let mut s = Shot { desk, state, term };
        for a in run(&s.desk, &s.state, &Effect::Load) {
            dispatch(&s.desk, &mut s.state, a);
        }
        let mut shot = |s: &mut Shot, name: &str| -> std::io::Result<()> {
            let n = format!("{name}-{tag}");
            s.take(dir, &n)?;
            names.push(n);
            Ok(())
        };
        // Intake: two arrivals waiting, the first called in, half typed.
        s.keys(&[Key::Char('a')]);
        s.typed("韦正荣 bdz");
        s.keys(&[Key::Enter, Key::Char('a')]);
        s.typed("唐科名 bdz");
        s.keys(&[Key::Enter, Key::Up, Key::Enter]);
        s.typed("13985941234");
        s.keys(&[Key::Tab]);
        s.typed("wz");
        s.keys(&[Key::Tab]);
        s.typed("3");
        s.keys(&[Key::Tab]);
        s.typed("韦正荣,罗大华,黄明贵");
        shot(&mut s, "1-intake")?;
        s.keys(&[Key::Ctrl('u'), Key::F(2)]);
        shot(&mut s, "2-pending")?;
        s.keys(&[Key::Enter]);
        shot(&mut s, "3-case-overdue")?;
        s.keys(&[Key::Esc]);
        // The road case's whole timeline, findings included.
        for a in run(&s.desk, &s.state, &Effect::LoadCase(CaseNo { year: 2026, seq: 1 })) {
            dispatch(&s.desk, &mut s.state, a);
        }
        shot(&mut s, "4-road-case")?;
        // Inspections: the findings form, filled in as for the road case.
        s.keys(&[Key::Esc, Key::F(3), Key::Enter, Key::Tab, Key::Tab, Key::Tab]);
        s.typed("涵洞堵塞损坏,多处塌方");
        s.keys(&[Key::Tab]);
        s.typed("涵洞4处 塌方10处 里程10公里");
        s.keys(&[Key::Tab]);
        s.typed("20000");
        s.keys(&[Key::Tab]);
        s.typed("sb");
        shot(&mut s, "5-inspections")?;
        s.keys(&[Key::Esc, Key::Esc]);
        s.keys(&[Key::F(4)]);
        shot(&mut s, "6-follow-ups")?;
        s.keys(&[Key::F(5)]);
        shot(&mut s, "7-statistics")?;
        s.keys(&[Key::F(2), Key::Char('?')]);
        shot(&mut s, "8-help")?;
        // 查找: a concluded case found by the resident's initials.
        s.keys(&[Key::Esc, Key::F(7)]);
        s.typed("tkm");
        shot(&mut s, "9-search")?;
        // 名录: the township's directory, a cadre typed in one line.
        s.keys(&[Key::Esc, Key::F(6), Key::Char('c')]);
        s.typed("陈国 团委干部 13908591016 cjcxzz @chenguo");
        shot(&mut s, "10-directory")?;
        // 来电: 黄光明 rings a third time about the transformer; the card
        // shows his open case, and that he calls again.
        s.keys(&[Key::Esc, Key::F(8)]);
        for note in ["变压器还没换", "又停电了"] {
            s.typed("13885912233");
            s.typed(note);
            s.keys(&[Key::Enter]);
        }
        s.typed("13885912233");
        s.typed("第三次来电,问何时修好");
        shot(&mut s, "11-calls")?;
        // 民情日记: a cadre's day typed in one go, the first entry made a case.
        s.keys(&[Key::Esc, Key::F(9)]);
        for line in ["bdzcwz 唐科名 要求修通五组的组路", "nscpjz 黄光明 变压器还是没修好", "ldc 村口路灯坏了三盏"]
        {
            s.typed(line);
            s.keys(&[Key::Enter]);
        }
        // `c` fills the intake form from the entry; the category, Ctrl+S,
        // and the desk is back at the diary, on the next entry.
        s.keys(&[Key::Tab, Key::Char('c')]);
        s.typed("dljt");
        s.keys(&[Key::Ctrl('s')]);
        shot(&mut s, "12-diary")?;
        // 群众意见箱: an opening before witnesses, slips one line each.
        s.keys(&[Key::F(10)]);
        s.typed("lxg lmh wzg");
        s.keys(&[Key::Enter]);
        for slip in
            ["db低保评定不公开,要求张榜公示", "低保户名单有村干部亲属", "dl三组路面塌了", "tg退耕还林补助发放不及时"]
        {
            s.typed(slip);
            s.keys(&[Key::Enter]);
        }
        s.typed("gb村干部办事拖拉");
        shot(&mut s, "13-box")?;
        drop(s);
        let _ = std::fs::remove_dir_all(&db);
    }
    Ok(names)
}

fn tempdir() -> std::io::Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!(
        "jiedai-shots-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
