//! The desk's terminal writer (ui::writer) beside the TestBackend: every
//! frame a test draws is also written by the writer, incrementally as on a
//! real terminal, read back through a vt100 screen, and compared with the
//! TestBackend's buffer cell by cell. So every snapshot test checks that the
//! bytes the desk sends show exactly the screen it means.
#![allow(dead_code)]

use jiedai::app::AppState;
use jiedai::ui::writer::LeanBackend;
use ratatui::Terminal;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use super::pty::nz;

pub struct Lean {
    pub term: Terminal<LeanBackend<Vec<u8>>>,
    pub vt: vt100::Parser,
    /// Bytes of the last frame.
    pub last: Vec<u8>,
}

impl Lean {
    pub fn new(w: u16, h: u16) -> Lean {
        Lean {
            term: Terminal::new(LeanBackend::new(Vec::new(), w, h)).expect("terminal"),
            vt: vt100::Parser::new(nz(h), nz(w), 0),
            last: Vec::new(),
        }
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.term.backend_mut().set_size(w, h);
        self.vt.screen_mut().set_size(nz(h), nz(w));
    }

    /// Draw the state; the bytes it took.
    pub fn draw(&mut self, state: &AppState) -> usize {
        jiedai::ui::writer::draw(&mut self.term, |f| jiedai::ui::render(state, f)).expect("draw");
        self.last = std::mem::take(self.term.backend_mut().writer_mut());
        self.vt.process(&self.last);
        self.last.len()
    }

    /// Panic, showing where, unless the vt100 screen shows `buf` (and the
    /// cursor, when shown, is at `cursor`).
    pub fn assert_shows(&self, buf: &Buffer, cursor: Position) {
        if let Err(e) = same_screen(buf, self.vt.screen()) {
            panic!(
                "the writer's bytes show another screen: {e}\n--- meant:\n{}\n--- shown:\n{}\n--- last frame's bytes:\n{:?}",
                plain(buf),
                self.vt.screen().contents(),
                String::from_utf8_lossy(&self.last)
            );
        }
        let screen = self.vt.screen();
        if !screen.hide_cursor() {
            let (row, col) = screen.cursor_position();
            assert_eq!((col, row), (cursor.x, cursor.y), "the cursor is shown away from the caret");
        }
    }
}

fn plain(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            if skip == 0 {
                out.push_str(s);
            }
            skip = skip.max(s.width()).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

fn vt_color(c: Color) -> vt100::Color {
    let idx = |i: u8| vt100::Color::Idx(i);
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Black => idx(0),
        Color::Red => idx(1),
        Color::Green => idx(2),
        Color::Yellow => idx(3),
        Color::Blue => idx(4),
        Color::Magenta => idx(5),
        Color::Cyan => idx(6),
        Color::Gray => idx(7),
        Color::DarkGray => idx(8),
        Color::LightRed => idx(9),
        Color::LightGreen => idx(10),
        Color::LightYellow => idx(11),
        Color::LightBlue => idx(12),
        Color::LightMagenta => idx(13),
        Color::LightCyan => idx(14),
        Color::White => idx(15),
        Color::Indexed(i) => idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
    }
}

/// What a cell looks like: its text, colours and the attributes vt100
/// keeps. A blank's foreground and weight cannot be seen.
#[derive(Debug, PartialEq)]
struct Look<'a> {
    text: &'a str,
    fg: vt100::Color,
    bg: vt100::Color,
    bold: bool,
    dim: bool,
    italic: bool,
    underline: bool,
    inverse: bool,
}

impl Look<'_> {
    fn seen(mut self) -> Self {
        if self.text == " " && !self.underline && !self.inverse {
            self.fg = vt100::Color::Default;
            self.bold = false;
            self.dim = false;
            self.italic = false;
        }
        self
    }
}

fn sym_width(s: &str) -> u16 {
    s.width() as u16
}

pub fn same_screen(buf: &Buffer, screen: &vt100::Screen) -> Result<(), String> {
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            // A wide glyph with no room left on the row cannot be shown by
            // any terminal (ratatui's buffer may hold one): the writer
            // draws a blank there.
            let fits = x + sym_width(cell.symbol()) <= buf.area.width;
            let sym = if fits { cell.symbol() } else { " " };
            if skip > 0 {
                skip -= 1;
                continue;
            }
            skip = sym.width().saturating_sub(1);
            let m = cell.modifier;
            let meant = Look {
                text: sym,
                fg: vt_color(cell.fg),
                bg: vt_color(cell.bg),
                bold: m.contains(Modifier::BOLD),
                dim: m.contains(Modifier::DIM),
                italic: m.contains(Modifier::ITALIC),
                underline: m.contains(Modifier::UNDERLINED),
                inverse: m.contains(Modifier::REVERSED),
            }
            .seen();
            let Some(v) = screen.cell(y, x) else { return Err(format!("no cell at {x},{y}")) };
            let shown = Look {
                text: if v.has_contents() { v.contents() } else { " " },
                fg: v.fgcolor(),
                bg: v.bgcolor(),
                bold: v.bold(),
                dim: v.dim(),
                italic: v.italic(),
                underline: v.underline(),
                inverse: v.inverse(),
            }
            .seen();
            if meant != shown {
                return Err(format!("at column {x}, row {y}: meant {meant:?}, shown {shown:?}"));
            }
        }
    }
    Ok(())
}
