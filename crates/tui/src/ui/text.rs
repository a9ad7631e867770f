//! Text measured and laid out by display width, the way the buffer will
//! draw it (one grapheme at a time, CJK and emoji two cells): lines wrapped
//! so that none is wider than its area, text cut with a visible mark, and a
//! scrolled view that says how much is hidden above and below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::style;
use crate::app::Look;
use crate::i18n::{Lang, Msg};

/// Where text was cut. One column in every font: `…` is East Asian
/// Ambiguous and Chinese Windows fonts draw it two cells wide. `>` is what
/// nano shows at the edge of a line that goes on.
pub const CUT: &str = ">";

/// Columns a grapheme takes, as the buffer counts them.
fn cells(g: &str) -> usize {
    g.width()
}

/// Columns `s` takes.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(cells).sum()
}

/// `s` in at most `w` columns: whole, or cut with the mark at the end.
pub fn fit(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let c = cells(g);
        if used + c > w - 1 {
            break;
        }
        used += c;
        out.push_str(g);
    }
    out.push_str(CUT);
    out
}

/// `s` fitted to exactly `w` columns: cut with the mark, or padded.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = fit(s, w);
    let used = width(&out);
    out.push_str(&" ".repeat(w.saturating_sub(used)));
    out
}

/// A line in at most `w` columns, its spans' styles kept; a cut is marked
/// in the style of the span it falls in.
pub fn fit_line(line: Line<'static>, w: usize) -> Line<'static> {
    if line.width() <= w {
        return line;
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let room = w.saturating_sub(1);
    let mut mark_style = line.style;
    'outer: for span in line.spans {
        let mut text = String::new();
        for g in span.content.graphemes(true) {
            let c = cells(g);
            if used + c > room {
                mark_style = line.style.patch(span.style);
                if !text.is_empty() {
                    spans.push(Span::styled(text, span.style));
                }
                break 'outer;
            }
            used += c;
            text.push_str(g);
        }
        spans.push(Span::styled(text, span.style));
    }
    if w > 0 {
        spans.push(Span::styled(CUT, mark_style));
    }
    Line::from(spans).style(line.style)
}

/// The widths a table with one column of space between its columns gives
/// them in `width` (as `Table` lays them out), so that each cell can be
/// fitted, and its cut marked, before the table draws it.
pub fn columns(constraints: &[Constraint], width: u16) -> Vec<usize> {
    Layout::horizontal(constraints.to_vec())
        .flex(Flex::Start)
        .spacing(1)
        .split(Rect { x: 0, y: 0, width, height: 1 })
        .iter()
        .map(|r| usize::from(r.width))
        .collect()
}

/// Wrap a line into rows of at most `w` columns, spans' styles kept. A row
/// breaks after a space where one is near the end (English), otherwise at
/// the last whole character that fits (Chinese has no spaces); a wide
/// character never straddles the edge.
pub fn wrap(line: &Line<'_>, w: usize) -> Vec<Line<'static>> {
    let w = w.max(2);
    // Graphemes with their span's style.
    let mut items: Vec<(String, Style, usize)> = Vec::new();
    for span in &line.spans {
        for g in span.content.graphemes(true) {
            let c = cells(g);
            if c == 0 {
                continue;
            }
            items.push((g.to_string(), span.style, c));
        }
    }
    let mut rows: Vec<Vec<(String, Style, usize)>> = Vec::new();
    let mut row: Vec<(String, Style, usize)> = Vec::new();
    let mut used = 0;
    for item in items {
        if used + item.2 > w {
            // Break after the last space, if it leaves the row at least
            // two thirds full; the rest starts the next row.
            let space = row.iter().rposition(|(g, _, _)| g == " ");
            let keep_to = match space {
                Some(i) if row[..=i].iter().map(|x| x.2).sum::<usize>() * 3 >= w * 2 => i + 1,
                _ => row.len(),
            };
            let rest = row.split_off(keep_to);
            rows.push(std::mem::take(&mut row));
            row = rest;
            used = row.iter().map(|x| x.2).sum();
            // A space at the start of a row is dropped.
            if row.is_empty() && item.0 == " " {
                continue;
            }
        }
        used += item.2;
        row.push(item);
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows.into_iter()
        .map(|r| {
            // Join neighbouring graphemes of one style into one span.
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (g, st, _) in r {
                match spans.last_mut() {
                    Some(last) if last.style == st => last.content.to_mut().push_str(&g),
                    _ => spans.push(Span::styled(g, st)),
                }
            }
            Line::from(spans).style(line.style)
        })
        .collect()
}

/// Wrap every line.
pub fn wrap_all(lines: &[Line<'_>], w: usize) -> Vec<Line<'static>> {
    lines.iter().flat_map(|l| wrap(l, w)).collect()
}

/// Which of `total` rows show in `height` rows when scrolled to `scroll`,
/// with a marker row above (when some are hidden there) and below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub first: usize,
    pub shown: usize,
    pub above: usize,
    pub below: usize,
}

/// The furthest a view of `total` rows in `height` can scroll: far enough
/// that the last row shows under the "more above" marker.
pub fn max_scroll(total: usize, height: usize) -> usize {
    if total <= height { 0 } else { total - height.saturating_sub(1).max(1) }
}

pub fn window(total: usize, height: usize, scroll: usize) -> Window {
    if total <= height || height < 2 {
        return Window { first: 0, shown: total.min(height), above: 0, below: total.saturating_sub(height) };
    }
    let first = scroll.min(max_scroll(total, height));
    let top = usize::from(first > 0);
    let room = height - top;
    // The last row of the window is the "more below" marker, unless the
    // end is in sight.
    let shown = if first + room >= total { total - first } else { room - 1 };
    Window { first, shown, above: first, below: total - first - shown }
}

/// Draw `rows` (already no wider than `area`) scrolled to `scroll`, with a
/// marker where rows are hidden, naming how many and the keys that show
/// them.
pub fn scrolled(rows: Vec<Line<'static>>, scroll: usize, area: Rect, frame: &mut Frame, look: Look, lang: Lang) {
    let height = usize::from(area.height);
    let win = window(rows.len(), height, scroll);
    let mut out: Vec<Line<'static>> = Vec::new();
    if win.above > 0 {
        out.push(marker(Msg::MoreAbove, win.above, look, lang, area.width));
    }
    out.extend(rows.into_iter().skip(win.first).take(win.shown));
    if win.below > 0 {
        out.push(marker(Msg::MoreBelow, win.below, look, lang, area.width));
    }
    frame.render_widget(Paragraph::new(out), area);
}

fn marker(msg: Msg, n: usize, look: Look, lang: Lang, w: u16) -> Line<'static> {
    let text = msg.text(lang).replace("{}", &n.to_string());
    fit_line(Line::styled(text, style::marker(look)), usize::from(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_marks_the_cut_and_never_splits_a_wide_char() {
        assert_eq!(fit("坝达章村", 8), "坝达章村");
        assert_eq!(fit("坝达章村五组", 8), "坝达章>");
        assert_eq!(width(&fit("坝达章村五组", 8)), 7);
        assert_eq!(fit("坝达章村五组", 6), "坝达>");
        assert_eq!(fit("abc", 2), "a>");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(pad("坝达章村五组", 8), "坝达章> ");
    }

    #[test]
    fn wrap_keeps_rows_within_the_width() {
        let l = Line::from(
            "2026-03-20 16:00 岑国仲 办结 [支持/已落实] 修整涵洞4个,塌方路段10余处,总里程10公里,通组路恢复正常通行",
        );
        for w in 10..60 {
            let rows = wrap(&l, w);
            assert!(rows.iter().all(|r| r.width() <= w), "{w}: {rows:?}");
            let joined: String = rows.iter().flat_map(|r| r.spans.iter().map(|s| s.content.to_string())).collect();
            assert_eq!(joined.replace(' ', ""), l.to_string().replace(' ', ""), "nothing lost at {w}");
        }
        // English breaks between words.
        let rows = wrap(&Line::from("made one return visit and implemented three"), 20);
        assert_eq!(rows[0].to_string(), "made one return ");
    }

    #[test]
    fn window_marks_what_is_hidden() {
        assert_eq!(window(5, 10, 3), Window { first: 0, shown: 5, above: 0, below: 0 });
        let w = window(30, 10, 0);
        assert_eq!((w.first, w.shown, w.above, w.below), (0, 9, 0, 21));
        let m = max_scroll(30, 10);
        let w = window(30, 10, m);
        assert_eq!((w.shown, w.above, w.below), (9, 21, 0));
        let w = window(30, 10, 5);
        assert_eq!((w.first, w.shown, w.above, w.below), (5, 8, 5, 17));
    }
}
