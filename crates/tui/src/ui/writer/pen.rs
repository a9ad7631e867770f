//! Attributes (SGR): what a glyph is drawn with, how it looks, and the
//! shortest sequence from one pen to another.

use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};

/// The attributes a glyph is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Pen {
    pub fg: Color,
    pub bg: Color,
    pub underline: Color,
    pub mods: Modifier,
}

impl Pen {
    pub const PLAIN: Pen = Pen { fg: Color::Reset, bg: Color::Reset, underline: Color::Reset, mods: Modifier::empty() };

    pub fn of(cell: &Cell) -> Pen {
        Pen { fg: cell.fg, bg: cell.bg, underline: cell.underline_color, mods: cell.modifier }
    }
}

/// Attributes that show on a blank cell; the others (colour of the text,
/// bold, italic...) cannot be seen there.
pub(super) const SHOWS_ON_BLANK: Modifier = Modifier::REVERSED.union(Modifier::UNDERLINED).union(Modifier::CROSSED_OUT);

/// How a glyph looks: a blank's foreground and weight do not show.
pub(super) fn seen(sym: &str, pen: Pen) -> Pen {
    if sym == " " && !pen.mods.intersects(SHOWS_ON_BLANK) { Pen { bg: pen.bg, ..Pen::PLAIN } } else { pen }
}

fn color_params(c: Color, base: u8, out: &mut Vec<String>) {
    let named = |i: u8| if i < 8 { base + i } else { base + 60 + i - 8 };
    out.push(match c {
        Color::Reset => (base + 9).to_string(),
        Color::Black => named(0).to_string(),
        Color::Red => named(1).to_string(),
        Color::Green => named(2).to_string(),
        Color::Yellow => named(3).to_string(),
        Color::Blue => named(4).to_string(),
        Color::Magenta => named(5).to_string(),
        Color::Cyan => named(6).to_string(),
        Color::Gray => named(7).to_string(),
        Color::DarkGray => named(8).to_string(),
        Color::LightRed => named(9).to_string(),
        Color::LightGreen => named(10).to_string(),
        Color::LightYellow => named(11).to_string(),
        Color::LightBlue => named(12).to_string(),
        Color::LightMagenta => named(13).to_string(),
        Color::LightCyan => named(14).to_string(),
        Color::White => named(15).to_string(),
        Color::Indexed(i) => format!("{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
    });
}

fn underline_params(c: Color, out: &mut Vec<String>) {
    match c {
        Color::Reset => out.push("59".into()),
        Color::Indexed(i) => out.push(format!("58;5;{i}")),
        Color::Rgb(r, g, b) => out.push(format!("58;2;{r};{g};{b}")),
        other => {
            // Named colours as their palette index.
            let mut p = Vec::new();
            color_params(other, 30, &mut p);
            let code: u8 = p.first().and_then(|s| s.parse().ok()).unwrap_or(39);
            let idx = if code >= 90 { code - 90 + 8 } else { code - 30 };
            out.push(format!("58;5;{idx}"));
        }
    }
}

const MOD_CODES: [(Modifier, &str); 9] = [
    (Modifier::BOLD, "1"),
    (Modifier::DIM, "2"),
    (Modifier::ITALIC, "3"),
    (Modifier::UNDERLINED, "4"),
    (Modifier::SLOW_BLINK, "5"),
    (Modifier::RAPID_BLINK, "6"),
    (Modifier::REVERSED, "7"),
    (Modifier::HIDDEN, "8"),
    (Modifier::CROSSED_OUT, "9"),
];

/// The shortest SGR that takes the terminal from `from` (None: unknown) to `to`.
pub(super) fn sgr(from: Option<Pen>, to: Pen) -> Vec<u8> {
    let full = {
        let mut p = vec!["0".to_string()];
        for (m, code) in MOD_CODES {
            if to.mods.contains(m) {
                p.push(code.into());
            }
        }
        if to.fg != Color::Reset {
            color_params(to.fg, 30, &mut p);
        }
        if to.bg != Color::Reset {
            color_params(to.bg, 40, &mut p);
        }
        if to.underline != Color::Reset {
            underline_params(to.underline, &mut p);
        }
        p
    };
    let best = match from {
        None => full,
        Some(from) => {
            let mut p: Vec<String> = Vec::new();
            let gone = from.mods - to.mods;
            let mut add = to.mods - from.mods;
            // 22 ends both bold and dim, 25 both blinks: put back what stays.
            if gone.intersects(Modifier::BOLD | Modifier::DIM) {
                p.push("22".into());
                add |= to.mods & (Modifier::BOLD | Modifier::DIM);
            }
            if gone.contains(Modifier::ITALIC) {
                p.push("23".into());
            }
            if gone.contains(Modifier::UNDERLINED) {
                p.push("24".into());
            }
            if gone.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
                p.push("25".into());
                add |= to.mods & (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK);
            }
            if gone.contains(Modifier::REVERSED) {
                p.push("27".into());
            }
            if gone.contains(Modifier::HIDDEN) {
                p.push("28".into());
            }
            if gone.contains(Modifier::CROSSED_OUT) {
                p.push("29".into());
            }
            for (m, code) in MOD_CODES {
                if add.contains(m) {
                    p.push(code.into());
                }
            }
            if to.fg != from.fg {
                color_params(to.fg, 30, &mut p);
            }
            if to.bg != from.bg {
                color_params(to.bg, 40, &mut p);
            }
            if to.underline != from.underline {
                underline_params(to.underline, &mut p);
            }
            let len = |v: &Vec<String>| v.iter().map(|s| s.len() + 1).sum::<usize>();
            if len(&p) <= len(&full) { p } else { full }
        }
    };
    if best == ["0"] {
        return b"\x1b[m".to_vec();
    }
    format!("\x1b[{}m", best.join(";")).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_sgr() {
        let bold = Pen { mods: Modifier::BOLD, ..Pen::PLAIN };
        let bold_dim = Pen { mods: Modifier::BOLD | Modifier::DIM, ..Pen::PLAIN };
        assert_eq!(sgr(Some(bold_dim), bold), b"\x1b[0;1m");
        assert_eq!(sgr(Some(bold), Pen::PLAIN), b"\x1b[m");
        let reversed = Pen { mods: Modifier::REVERSED | Modifier::BOLD, ..Pen::PLAIN };
        assert_eq!(sgr(Some(reversed), bold), b"\x1b[27m");
        assert_eq!(sgr(None, Pen::PLAIN), b"\x1b[m");
        let red_on_blue = Pen { fg: Color::Red, bg: Color::LightBlue, ..Pen::PLAIN };
        assert_eq!(sgr(Some(Pen::PLAIN), red_on_blue), b"\x1b[31;104m");
    }
}
