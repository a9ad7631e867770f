//! Digits large enough to read out to a resident across the desk. Each
//! "pixel" is a reversed space, so no font can draw it at the wrong width,
//! and it shows without colour too. Pixels are also bold, which draws
//! nothing on a blank but tells them from a selected row's blanks (the
//! selection is reverse without bold) in a text dump of the screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

const FONT: [(char, [&str; 5]); 11] = [
    ('0', ["###", "# #", "# #", "# #", "###"]),
    ('1', [" # ", "## ", " # ", " # ", "###"]),
    ('2', ["###", "  #", "###", "#  ", "###"]),
    ('3', ["###", "  #", "###", "  #", "###"]),
    ('4', ["# #", "# #", "###", "  #", "  #"]),
    ('5', ["###", "#  ", "###", "  #", "###"]),
    ('6', ["###", "#  ", "###", "# #", "###"]),
    ('7', ["###", "  #", "  #", "  #", "  #"]),
    ('8', ["###", "# #", "###", "# #", "###"]),
    ('9', ["###", "# #", "###", "  #", "###"]),
    ('-', ["   ", "   ", "###", "   ", "   "]),
];

pub const HEIGHT: u16 = 5;

/// Columns `text` takes: four per character (three and a gap).
pub fn width(text: &str) -> u16 {
    (text.chars().count() as u16 * 4).saturating_sub(1)
}

/// Draw `text` (digits and '-') with its top-left corner at `area`'s.
pub fn draw(text: &str, area: Rect, buf: &mut Buffer, style: Style) {
    for (i, c) in text.chars().enumerate() {
        let Some((_, rows)) = FONT.iter().find(|(d, _)| *d == c) else { continue };
        let x0 = area.x + i as u16 * 4;
        for (dy, row) in rows.iter().enumerate() {
            for (dx, px) in row.chars().enumerate() {
                let (x, y) = (x0 + dx as u16, area.y + dy as u16);
                if px == '#' && x < area.right() && y < area.bottom() {
                    buf[(x, y)].set_symbol(" ").set_style(style.add_modifier(Modifier::BOLD));
                }
            }
        }
    }
}
