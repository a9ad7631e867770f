//! A text field as the intake form and the action dialogs draw it. The
//! focused one is unmistakable with colour or without: its label carries a
//! mark, its input area is underlined, a prefilled value that the next key
//! would replace is drawn selected, and a choice field's suggestions scroll
//! so that the highlighted one (the one Tab and Enter take) stays in view.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::style;
use crate::app::Look;
use crate::input::TextField;

/// Before the focused field's label; ASCII, one column in every font.
pub const MARK: &str = ">";

/// A field's label in `width` columns: the focus mark (or a blank) first.
pub fn label(look: Look, text: &str, width: usize, focused: bool, error: bool) -> Span<'static> {
    let mark = if focused { MARK } else { " " };
    let text = clip(&format!("{mark}{text}"), width);
    let pad = width.saturating_sub(text.width());
    let st = if error {
        style::error(look)
    } else if focused {
        style::accent(look)
    } else {
        style::dim(look)
    };
    Span::styled(format!("{text}{}", " ".repeat(pad)), st)
}

fn input() -> Style {
    Style::new().add_modifier(Modifier::UNDERLINED)
}

/// The focused field's line: its value in an underlined input area
/// (selected while the next key replaces it), then a choice field's
/// suggestions. Returns the line and the caret's column in it.
pub fn focused(
    look: Look,
    text: &TextField,
    width: usize,
    picks: &[String],
    pick: Option<usize>,
) -> (Line<'static>, usize) {
    let own = if picks.is_empty() { width } else { (width / 2).max(8).min(width) };
    let (shown, caret) = text.visible(own);
    let value = if text.is_fresh() { style::selected() } else { input() };
    let pad = own.saturating_sub(shown.width());
    let mut spans = vec![Span::styled(shown, value), Span::styled(" ".repeat(pad), input())];
    spans.extend(suggestions(look, picks, pick, width.saturating_sub(own)));
    (Line::from(spans), caret)
}

/// One more row of a focused multi-line field: underlined to its width.
pub fn focused_row(text: &str, width: usize) -> Line<'static> {
    let text = clip(text, width);
    let pad = width.saturating_sub(text.width());
    Line::from(vec![Span::styled(text, input()), Span::styled(" ".repeat(pad), input())])
}

/// The suggestions that fit in `room` columns, scrolled so that the
/// highlighted one is in view; `<` and `>` mark those out of view.
pub fn suggestions(look: Look, picks: &[String], pick: Option<usize>, room: usize) -> Vec<Span<'static>> {
    let n = picks.len();
    if n == 0 {
        return Vec::new();
    }
    let w = |i: usize| picks[i].width() + 1;
    // How far a run from `start` reaches, leaving room for its marks.
    let reach = |start: usize| {
        let mut used = if start > 0 { 2 } else { 0 };
        let mut end = start;
        while end < n {
            let mark_after = if end + 1 < n { 2 } else { 0 };
            if used + w(end) + mark_after > room {
                break;
            }
            used += w(end);
            end += 1;
        }
        end
    };
    let mut start = 0;
    if let Some(p) = pick.filter(|p| *p < n) {
        while start < p && reach(start) <= p {
            start += 1;
        }
    }
    let end = reach(start);
    let mut spans = Vec::new();
    if start > 0 {
        spans.push(Span::styled(" <", style::dim(look)));
    }
    for (i, p) in picks.iter().enumerate().take(end).skip(start) {
        let st = if Some(i) == pick { style::selected() } else { style::dim(look) };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(p.clone(), st));
    }
    if end < n {
        spans.push(Span::styled(" >", style::dim(look)));
    }
    spans
}

/// The first line of `s` that fits in `width` columns, whole characters only.
pub fn clip(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for g in s.split('\n').next().unwrap_or("").graphemes(true) {
        let w = g.width();
        if used + w > width {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out
}

/// `s` in lines of at most `width` columns: Chinese breaks anywhere, an
/// ASCII word is kept whole where the line has a space to break at.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let start = out.len();
        for g in para.graphemes(true) {
            let w = g.width();
            // A blank where a line was broken is the break itself.
            if line.is_empty() && out.len() > start && g.trim().is_empty() {
                continue;
            }
            if line.width() + w > width && !line.is_empty() {
                let in_word =
                    g.chars().all(|c| c.is_ascii_alphanumeric()) && line.ends_with(|c: char| c.is_ascii_alphanumeric());
                match line.rfind(' ').filter(|_| in_word) {
                    Some(sp) => {
                        let rest = line.split_off(sp + 1);
                        out.push(line.trim_end().to_string());
                        line = rest;
                        if line.width() + w > width {
                            out.push(std::mem::take(&mut line));
                        }
                    }
                    None => out.push(std::mem::take(&mut line).trim_end().to_string()),
                }
            }
            line.push_str(g);
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_character_and_the_width() {
        let s = "修整涵洞4个,塌方路段10余处,总里程10公里,恢复正常通行";
        let lines = wrap(s, 10);
        assert!(lines.iter().all(|l| l.width() <= 10), "{lines:?}");
        assert_eq!(lines.concat(), s);
        assert_eq!(wrap("the road is mended now", 10), ["the road", "is mended", "now"]);
    }

    #[test]
    fn the_highlighted_suggestion_is_always_in_view() {
        let look = Look { lang: crate::i18n::Lang::Zh, ascii: true, color: false };
        let picks: Vec<String> = ["坝达章村", "沧江村", "冷洞村", "纳省村", "坪寨村"].map(String::from).to_vec();
        for pick in 0..picks.len() {
            let spans = suggestions(look, &picks, Some(pick), 17);
            let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
            assert!(text.width() <= 17, "{text}");
            let shown = spans.iter().find(|s| s.style == style::selected()).map(|s| s.content.to_string());
            assert_eq!(shown.as_deref(), Some(picks[pick].as_str()), "{text}");
        }
    }
}
