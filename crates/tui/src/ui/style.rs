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

/// The selection: reverse video over the terminal's own colours. Never
/// with bold, and never over a colour: PuTTY draws bold reversed text in
/// its "bold background" (#555555), so reversed bold red text came out dark
/// grey on red. Patched over any style, it clears that style's colour and
/// bold.
pub fn selected() -> Style {
    Style::new().fg(Color::Reset).bg(Color::Reset).add_modifier(Modifier::REVERSED).remove_modifier(Modifier::BOLD)
}

pub fn overdue(look: Look) -> Style {
    let s = Style::new().add_modifier(Modifier::BOLD);
    if look.color { s.fg(Color::Red) } else { s }
}

/// The selected row of an overdue case: bright white on red, named
/// colours only (every 16-colour palette has them, and bold only
/// brightens what is already bright). Without colour it is the plain
/// selection; the row's `!` says it is overdue.
pub fn selected_overdue(look: Look) -> Style {
    if look.color {
        Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD).remove_modifier(Modifier::REVERSED)
    } else {
        selected()
    }
}

/// The line that says rows are hidden above or below.
pub fn marker(look: Look) -> Style {
    let s = Style::new().add_modifier(Modifier::BOLD);
    if look.color { s.fg(Color::Yellow) } else { s }
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
    // Without colour: reverse alone (bold reversed text is grey on grey in PuTTY).
    if look.color { s.fg(Color::White).bg(Color::Red) } else { Style::new().add_modifier(Modifier::REVERSED) }
}
