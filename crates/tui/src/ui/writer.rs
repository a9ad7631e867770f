//! The bytes that reach the terminal. ratatui's crossterm backend moves the
//! cursor absolutely after every wide character, resets four attributes
//! after every frame and shows the cursor on every frame: 40 bytes for one
//! typed key, and a packet on every tick over a village's SSH link.
//!
//! This backend remembers what the terminal shows (every cell as it looks,
//! the cursor, the current attributes, whether the cursor is shown) and,
//! handed a whole frame by [`draw`], writes only the difference: a wide
//! character's two cells are one glyph, the cursor takes the shortest move
//! (none, CR, a relative step, reprinting a few cells, or absolute),
//! attributes change only when a glyph needs it, a blank tail of a row is
//! one erase, and `?25h`/`?25l` go out only on a change. A frame the
//! terminal already shows costs nothing.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellWidth};
use ratatui::layout::{Position, Size};

mod moves;
mod pen;

use moves::{Horizontal, Vertical, csi_n, cup_len};
use pen::{Pen, seen, sgr};

/// One position of the screen as the terminal shows it.
#[derive(Clone, Debug, PartialEq)]
struct Slot {
    sym: String,
    /// 1 or 2 for a glyph; 0 for the right half of a wide one.
    width: u16,
    pen: Pen,
}

impl Slot {
    fn blank() -> Slot {
        Slot { sym: " ".into(), width: 1, pen: Pen::PLAIN }
    }

    fn covered() -> Slot {
        Slot { sym: String::new(), width: 0, pen: Pen::PLAIN }
    }

    /// Not known (half of a wide glyph that a draw cut): equal to nothing
    /// a frame asks for, never reprinted.
    fn unknown() -> Slot {
        Slot { sym: "\0".into(), width: 1, pen: Pen::PLAIN }
    }
}

/// The glyph a cell of the frame asks for, as it will look, fitted into
/// `room` columns: (symbol, width, attributes). Control characters never
/// reach the terminal.
fn look(cell: &Cell, room: usize) -> (&str, u16, Pen) {
    let sym = cell.symbol();
    let width = sym.cell_width();
    let sym = if sym.chars().any(char::is_control) {
        "?"
    } else if width == 0 || usize::from(width) > room {
        " "
    } else {
        sym
    };
    let width = if sym.len() == 1 { 1 } else { width };
    (sym, width, seen(sym, Pen::of(cell)))
}

/// After printing this, is the cursor where we think? Not after a cluster
/// of several characters (an emoji with a selector, say): terminals
/// disagree on their width. (Characters of ambiguous width are one column,
/// as ratatui draws them; the README says how to set PuTTY and Xshell so.)
/// A wide glyph is sure only where every terminal draws it wide (see
/// `moves::width_is_sure`); a narrow one in those ranges (box drawing,
/// arrows) always is.
fn advance_is_sure(sym: &str, width: u16) -> bool {
    let mut chars = sym.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if width < 2 || moves::width_is_sure(c))
}

/// Where the terminal's size comes from.
#[derive(Clone, Copy, Debug)]
enum Sizing {
    /// Asked of the terminal (the desk).
    Tty,
    /// Set by the owner (tests).
    Fixed(Size),
}

/// A ratatui backend writing the least the terminal needs. Draw with
/// [`draw`], which hands it the whole frame: ratatui's own diff leaves out
/// the cells under a wide character, which a writer that skips what the
/// terminal already shows must know.
pub struct LeanBackend<W: Write> {
    out: W,
    /// The bytes of the frame being made, written in one go.
    pending: Vec<u8>,
    sizing: Sizing,
    /// The size `shown` is for.
    size: Size,
    /// What the terminal shows.
    shown: Vec<Slot>,
    /// Where the terminal's cursor is; None when not known (after a print
    /// into the last column or of an uncertain width, after a clear).
    cursor: Option<Position>,
    /// The attributes in force; None when not known.
    pen: Option<Pen>,
    /// Whether the cursor is shown; None when not known.
    visible: Option<bool>,
    want_cursor: Position,
    want_visible: bool,
    written: u64,
}

/// Draw a frame and write what the terminal lacks.
pub fn draw<W: Write>(
    terminal: &mut ratatui::Terminal<LeanBackend<W>>,
    render: impl FnOnce(&mut ratatui::Frame),
) -> io::Result<()> {
    let frame = terminal.draw(render)?.buffer.clone();
    terminal.backend_mut().present(&frame)
}

impl LeanBackend<io::Stdout> {
    /// The desk's terminal: standard output, sized by the tty.
    pub fn stdout() -> LeanBackend<io::Stdout> {
        let size = ratatui::crossterm::terminal::size().map(|(w, h)| Size::new(w, h)).unwrap_or(Size::new(80, 24));
        LeanBackend::with_sizing(io::stdout(), Sizing::Tty, size)
    }
}

impl<W: Write> LeanBackend<W> {
    /// A terminal of a fixed size writing into `out` (tests, measurements).
    pub fn new(out: W, width: u16, height: u16) -> LeanBackend<W> {
        let size = Size::new(width, height);
        LeanBackend::with_sizing(out, Sizing::Fixed(size), size)
    }

    fn with_sizing(out: W, sizing: Sizing, size: Size) -> LeanBackend<W> {
        LeanBackend {
            out,
            pending: Vec::new(),
            sizing,
            size,
            shown: vec![Slot::blank(); usize::from(size.width) * usize::from(size.height)],
            cursor: None,
            pen: None,
            visible: None,
            want_cursor: Position::ORIGIN,
            want_visible: false,
            written: 0,
        }
    }

    /// For a fixed-size terminal: the window changed (the next draw clears
    /// and repaints, as ratatui does on a resize).
    pub fn set_size(&mut self, width: u16, height: u16) {
        self.sizing = Sizing::Fixed(Size::new(width, height));
    }

    pub fn writer(&self) -> &W {
        &self.out
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Bytes written to the terminal so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    fn current_size(&self) -> Size {
        match self.sizing {
            Sizing::Fixed(s) => s,
            Sizing::Tty => ratatui::crossterm::terminal::size().map(|(w, h)| Size::new(w, h)).unwrap_or(self.size),
        }
    }

    fn width(&self) -> usize {
        usize::from(self.size.width)
    }

    /// Clear the terminal: everything blank, in plain attributes. What was
    /// written behind our back (the probe, a warning) is forgotten.
    fn erase_all(&mut self, size: Size) {
        // An erase paints with the current background: plain first.
        self.pen = None;
        self.set_pen(Pen::PLAIN);
        self.pending.extend_from_slice(b"\x1b[2J");
        self.size = size;
        self.shown = vec![Slot::blank(); usize::from(size.width) * usize::from(size.height)];
        self.cursor = None;
    }

    fn set_pen(&mut self, pen: Pen) {
        if self.pen != Some(pen) {
            let bytes = sgr(self.pen, pen);
            self.pending.extend_from_slice(&bytes);
            self.pen = Some(pen);
        }
    }

    /// Would printing this glyph with the current pen make it look right?
    fn pen_fits(&self, g: &Slot) -> bool {
        self.pen.is_some_and(|p| seen(&g.sym, p) == g.pen)
    }
    /// Cells from `from` to `to` on row `y`, reprinted as they are: how many
    /// bytes that takes, if it can be done with the current pen.
    fn reprint_len(&self, y: usize, from: usize, to: usize) -> Option<usize> {
        let row = y * self.width();
        let (mut x, mut len) = (from, 0);
        while x < to {
            let s = &self.shown[row + x];
            if s.width == 0
                || x + usize::from(s.width) > to
                || s.sym.chars().any(char::is_control)
                || !advance_is_sure(&s.sym, s.width)
                || !self.pen_fits(s)
            {
                return None;
            }
            len += s.sym.len();
            x += usize::from(s.width);
        }
        Some(len)
    }

    /// The shortest way from the cursor to (x, y): absolute, or a vertical
    /// step and a horizontal one, from where the cursor is or after a CR.
    fn route(&self, x: usize, y: usize) -> (Vertical, Horizontal) {
        let absolute = (Vertical::Absolute, Horizontal::Stay);
        let Some(c) = self.cursor else { return absolute };
        let (cx, cy) = (usize::from(c.x), usize::from(c.y));
        let mut best = (absolute, cup_len(x, y));
        // From where the cursor is (unless it waits to wrap after the last
        // column, where relative moves differ between terminals), or from
        // the row's start after a CR (which always works).
        for (cr, from) in [(true, 0), (false, cx)] {
            if !cr && cx >= self.width() {
                continue;
            }
            let vertical = if y == cy + 1 && from == 0 {
                // CR LF: LF alone would be CR LF too where the tty adds it.
                Vertical::CrLf
            } else if y == cy {
                if cr { Vertical::Cr } else { Vertical::Stay }
            } else {
                Vertical::Rows { cr, up: y < cy, n: cy.abs_diff(y) }
            };
            let mut options = vec![Horizontal::Column];
            if from == x {
                options.push(Horizontal::Stay);
            } else if x > from {
                options.push(Horizontal::Right(x - from));
                if x - from <= 6 {
                    options.push(Horizontal::Reprint(from));
                }
            } else {
                options.push(Horizontal::Left(from - x));
            }
            for h in options {
                let len = match h {
                    Horizontal::Reprint(from) => self.reprint_len(y, from, x),
                    other => Some(other.len(x)),
                };
                if let Some(len) = len
                    && vertical.len() + len < best.1
                {
                    best = ((vertical, h), vertical.len() + len);
                }
            }
        }
        best.0
    }

    fn move_to(&mut self, x: usize, y: usize) {
        if self.cursor == Some(Position::new(x as u16, y as u16)) {
            return;
        }
        let (vertical, horizontal) = self.route(x, y);
        let out = &mut self.pending;
        match vertical {
            Vertical::Absolute => match (x, y) {
                (0, 0) => out.extend_from_slice(b"\x1b[H"),
                (0, y) => out.extend_from_slice(format!("\x1b[{}H", y + 1).as_bytes()),
                (x, y) => out.extend_from_slice(format!("\x1b[{};{}H", y + 1, x + 1).as_bytes()),
            },
            Vertical::Stay => {}
            Vertical::Cr => out.push(b'\r'),
            Vertical::CrLf => out.extend_from_slice(b"\r\n"),
            Vertical::Rows { cr, up, n } => {
                if cr {
                    out.push(b'\r');
                }
                csi_n(out, n, if up { b'A' } else { b'B' });
            }
        }
        match horizontal {
            Horizontal::Stay => {}
            Horizontal::Column => out.extend_from_slice(format!("\x1b[{}G", x + 1).as_bytes()),
            Horizontal::Right(n) => csi_n(out, n, b'C'),
            Horizontal::Left(n) if n <= 3 => out.extend(std::iter::repeat_n(8u8, n)),
            Horizontal::Left(n) => csi_n(out, n, b'D'),
            Horizontal::Reprint(from) => {
                let row = y * usize::from(self.size.width);
                let mut c = from;
                while c < x {
                    let s = &self.shown[row + c];
                    self.pending.extend_from_slice(s.sym.as_bytes());
                    c += usize::from(s.width.max(1));
                }
            }
        }
        self.cursor = Some(Position::new(x as u16, y as u16));
    }

    /// The terminal now shows `g` at (x, row): a half of a wide glyph it
    /// cut is no longer known (and is never reprinted as it was).
    fn put(&mut self, row: usize, x: usize, g: Slot) {
        let w = self.width();
        let end = x + usize::from(g.width);
        if self.shown[row + x].width == 0 && x > 0 {
            self.shown[row + x - 1] = Slot::unknown();
        }
        if end < w && self.shown[row + end].width == 0 {
            self.shown[row + end] = Slot::unknown();
        }
        for c in x + 1..end {
            self.shown[row + c] = Slot::covered();
        }
        self.shown[row + x] = g;
    }

    /// Write what the terminal lacks of `frame`, and put the cursor as
    /// ratatui asked while drawing it.
    pub fn present(&mut self, frame: &Buffer) -> io::Result<()> {
        let size = Size::new(frame.area.width, frame.area.height);
        if size != self.size {
            // A size ratatui has not cleared for (it changed meanwhile).
            self.erase_all(size);
        }
        let (w, h) = (self.width(), usize::from(self.size.height));
        if !self.want_visible && self.visible != Some(false) {
            // Hidden before drawing, so it does not wander over the screen.
            self.pending.extend_from_slice(b"\x1b[?25l");
            self.visible = Some(false);
        }
        for y in 0..h {
            let row = y * w;
            // The row's glyphs: (column, changed).
            let mut goal: Vec<(usize, bool)> = Vec::new();
            let mut x = 0;
            while x < w {
                let (sym, width, pen) = look(&frame.content[row + x], w - x);
                let s = &self.shown[row + x];
                goal.push((x, !(s.width == width && s.pen == pen && s.sym == sym)));
                x += usize::from(width);
            }
            let todo: Vec<usize> = (0..goal.len()).filter(|&i| goal[i].1).collect();
            if todo.is_empty() {
                continue;
            }
            let slot = |x: usize| {
                let (sym, width, pen) = look(&frame.content[row + x], w - x);
                Slot { sym: sym.to_string(), width, pen }
            };
            // From which glyph on the rest of the row is blank.
            let erasable = |x: usize| {
                let (sym, _, pen) = look(&frame.content[row + x], w - x);
                sym == " " && pen == Pen::PLAIN
            };
            let tail = goal.iter().rposition(|&(x, _)| !erasable(x)).map_or(0, |i| i + 1);
            let mut k = 0;
            while k < todo.len() {
                let i = todo[k];
                let x = goal[i].0;
                if i >= tail {
                    // Erase the rest if cheaper than drawing it.
                    let rest = &todo[k..];
                    let drawn = rest.len() + rest.windows(2).filter(|p| p[1] != p[0] + 1).count() * 4;
                    let erase = 3 + if self.pen == Some(Pen::PLAIN) { 0 } else { 3 };
                    if erase < drawn {
                        self.move_to(x, y);
                        self.set_pen(Pen::PLAIN);
                        self.pending.extend_from_slice(b"\x1b[K");
                        // (Erasing from the right half of a wide glyph cuts
                        // its left half, which the frame redrew already: it
                        // differed.)
                        for c in x..w {
                            self.shown[row + c] = Slot::blank();
                        }
                        break;
                    }
                }
                // A long run of blanks to draw: erase it instead (the cursor
                // stays), if the pen erases to plain blanks.
                let run = todo[k..]
                    .iter()
                    .enumerate()
                    .take_while(|&(n, &j)| j == i + n && goal[j].0 == x + n && erasable(goal[j].0))
                    .count();
                if run >= 10 && self.pen.is_some_and(|p| seen(" ", p) == Pen::PLAIN) {
                    self.move_to(x, y);
                    self.pending.extend_from_slice(format!("\x1b[{run}X").as_bytes());
                    for n in 0..run {
                        self.put(row, x + n, Slot::blank());
                    }
                    k += run;
                    continue;
                }
                let g = slot(x);
                self.move_to(x, y);
                if !self.pen_fits(&g) {
                    self.set_pen(g.pen);
                }
                if g.width == 2 && !advance_is_sure(&g.sym, g.width) {
                    // A terminal that does not know this glyph (an emoji
                    // newer than its tables) draws it narrower or not at
                    // all: blank both cells first, so none keeps what was
                    // there; the next glyph is then placed absolutely.
                    self.pending.extend_from_slice(b"  ");
                    self.cursor = (x + 2 < w).then(|| Position::new((x + 2) as u16, y as u16));
                    self.move_to(x, y);
                }
                self.pending.extend_from_slice(g.sym.as_bytes());
                let end = x + usize::from(g.width);
                // At the row's end the cursor waits to wrap: column w.
                self.cursor = advance_is_sure(&g.sym, g.width).then(|| Position::new(end as u16, y as u16));
                self.put(row, x, g);
                k += 1;
            }
            // The row now shows the frame: every glyph that differed was
            // drawn or erased, and what a draw cut was drawn after it.
            debug_assert!(
                goal.iter().all(|&(x, _)| {
                    let (sym, width, pen) = look(&frame.content[row + x], w - x);
                    let s = &self.shown[row + x];
                    s.width == width && s.pen == pen && s.sym == sym
                }),
                "row {y} not as meant"
            );
        }
        if self.want_visible {
            let Position { x, y } = self.want_cursor;
            if x < self.size.width && y < self.size.height {
                self.move_to(usize::from(x), usize::from(y));
            }
            if self.visible != Some(true) {
                self.pending.extend_from_slice(b"\x1b[?25h");
                self.visible = Some(true);
            }
        }
        self.write_pending()
    }

    fn write_pending(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.out.write_all(&self.pending)?;
            self.written += self.pending.len() as u64;
            self.pending.clear();
        }
        self.out.flush()
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    /// ratatui's diff: not used, [`present`](LeanBackend::present) takes
    /// the whole frame.
    fn draw<'a, I>(&mut self, _content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.want_visible = false;
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.want_visible = true;
        Ok(())
    }

    /// Where the cursor is as far as we know: never asked of the terminal,
    /// whose answer would race the desk's own reader.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        let at = self.cursor.unwrap_or(self.want_cursor);
        Ok(Position::new(at.x.min(self.size.width.saturating_sub(1)), at.y))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.want_cursor = position.into();
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Only whole-screen clears come from a full-screen terminal; any
        // other is done the same way, which is never wrong.
        let _ = clear_type;
        let size = self.current_size();
        self.erase_all(size);
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.current_size())
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize { columns_rows: self.current_size(), pixels: Size::new(0, 0) })
    }

    /// Sends what is pending (a clear); frames go out with `present`.
    fn flush(&mut self) -> io::Result<()> {
        self.write_pending()
    }
}

impl<W: Write> Drop for LeanBackend<W> {
    /// The terminal is given back with its cursor shown and plain attributes.
    fn drop(&mut self) {
        if self.visible != Some(true) || self.pen != Some(Pen::PLAIN) {
            self.pending.extend_from_slice(b"\x1b[m\x1b[?25h");
            let _ = self.write_pending();
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::style::{Style, Stylize};
    use ratatui::text::Line;
    use ratatui::widgets::Paragraph;

    use super::*;

    fn frame(
        term: &mut Terminal<LeanBackend<Vec<u8>>>,
        lines: &[Line<'static>],
        cursor: Option<(u16, u16)>,
    ) -> Vec<u8> {
        draw(term, |f| {
            f.render_widget(Paragraph::new(lines.to_vec()), f.area());
            if let Some(c) = cursor {
                f.set_cursor_position(c);
            }
        })
        .expect("draw");
        std::mem::take(term.backend_mut().writer_mut())
    }

    #[test]
    fn a_typed_character_is_one_byte_and_the_cursor_is_not_moved() {
        let mut term = Terminal::new(LeanBackend::new(Vec::new(), 20, 3)).expect("terminal");
        frame(&mut term, &[Line::from("姓名 唐")], Some((7, 0)));
        assert_eq!(frame(&mut term, &[Line::from("姓名 唐a")], Some((8, 0))), b"a");
        assert_eq!(frame(&mut term, &[Line::from("姓名 唐a科")], Some((10, 0))), "科".as_bytes());
        // Nothing changed: nothing written.
        assert_eq!(frame(&mut term, &[Line::from("姓名 唐a科")], Some((10, 0))), b"");
    }

    #[test]
    fn after_a_wide_character_no_move_is_needed() {
        let mut term = Terminal::new(LeanBackend::new(Vec::new(), 20, 2)).expect("terminal");
        frame(&mut term, &[Line::from("x")], None);
        let out = frame(&mut term, &[Line::from("坝达章村 五组")], None);
        assert_eq!(out, "\r坝达章村 五组".as_bytes(), "{}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn attributes_change_only_when_needed_and_are_not_reset_after_a_frame() {
        let mut term = Terminal::new(LeanBackend::new(Vec::new(), 20, 2)).expect("terminal");
        frame(&mut term, &[Line::from("x")], None);
        let out = frame(&mut term, &[Line::from(vec!["ab".reversed(), "c".into()])], None);
        assert_eq!(out, b"\r\x1b[7mab\x1b[mc", "{}", String::from_utf8_lossy(&out));
        let out = frame(&mut term, &[Line::from(vec!["ab".reversed(), "cd".into()])], None);
        assert_eq!(out, b"d");
        // A blank's colour does not show: no change of pen for it.
        let out = frame(&mut term, &[Line::from(vec!["ab".reversed(), "cd".into(), " ".yellow(), "e".into()])], None);
        assert_eq!(out, b" e");
        let _ = Style::new();
    }

    #[test]
    fn the_cursor_is_shown_only_on_a_change() {
        let mut term = Terminal::new(LeanBackend::new(Vec::new(), 10, 2)).expect("terminal");
        let first = frame(&mut term, &[Line::from("x")], Some((1, 0)));
        assert!(first.ends_with(b"\x1b[?25h"));
        assert_eq!(frame(&mut term, &[Line::from("xy")], Some((2, 0))), b"y");
        assert_eq!(frame(&mut term, &[Line::from("xy")], None), b"\x1b[?25l");
        assert_eq!(frame(&mut term, &[Line::from("xy")], None), b"");
    }

    #[test]
    fn after_an_emoji_a_terminal_may_not_know_the_next_glyph_is_placed_absolutely() {
        let mut term = Terminal::new(LeanBackend::new(Vec::new(), 20, 2)).expect("terminal");
        frame(&mut term, &[Line::from("xxxxxxxx")], None);
        // 🫨 (Unicode 15): tmux 3.3a on Debian 12 drops it, drawing nothing.
        let out = frame(&mut term, &[Line::from("a🫨b坝")], None);
        let text = String::from_utf8_lossy(&out).into_owned();
        // Its cells blanked, then it, then `b` at column 4 whatever it took.
        assert!(text.starts_with("\ra  ") && text.contains("🫨\x1b[1;4Hb坝"), "{text:?}");
        // A hanzi's width is known to every terminal: no move after it.
        let out = frame(&mut term, &[Line::from("a🫨b坝c")], None);
        assert!(out.ends_with(b"c") && !out.contains(&0x1b), "{:?}", String::from_utf8_lossy(&out));
        // Narrow symbols from the same blocks (box drawing) need no move.
        let out = frame(&mut term, &[Line::from("a🫨b坝c"), Line::from("┌─┐│★")], None);
        assert_eq!(out, "\r\n┌─┐│★".as_bytes(), "{:?}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn a_blank_tail_is_one_erase() {
        let mut term = Terminal::new(LeanBackend::new(Vec::new(), 40, 2)).expect("terminal");
        frame(&mut term, &[Line::from("the quick brown fox jumps over")], None);
        let out = frame(&mut term, &[Line::from("the")], None);
        // (Column 4 is a blank already.)
        assert_eq!(out, b"\x1b[5G\x1b[K", "{}", String::from_utf8_lossy(&out));
    }
}
