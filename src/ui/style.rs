//! Colours and borders. Every mark that matters (selection, overdue) is
//! also carried by an attribute or a character, so NO_COLOR and 16-colour
//! terminals keep it; `--ascii` borders avoid glyphs that Chinese Windows
//! fonts draw two cells wide.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::app::Look;

pub const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

pub fn border(look: Look) -> border::Set<'static> {
    if look.ascii { ASCII_BORDER } else { border::PLAIN }
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

pub fn overdue(look: Look) -> Style {
    let s = Style::new().add_modifier(Modifier::BOLD);
    if look.color { s.fg(Color::Red) } else { s }
}

pub fn header(look: Look) -> Style {
    let s = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    if look.color { s.fg(Color::Cyan) } else { s }
}

pub fn dim(look: Look) -> Style {
    if look.color { Style::new().fg(Color::DarkGray) } else { Style::new() }
}

pub fn accent(look: Look) -> Style {
    let s = Style::new().add_modifier(Modifier::BOLD);
    if look.color { s.fg(Color::Yellow) } else { s }
}

pub fn error(look: Look) -> Style {
    let s = Style::new().add_modifier(Modifier::BOLD);
    if look.color { s.fg(Color::White).bg(Color::Red) } else { s.add_modifier(Modifier::REVERSED) }
}
