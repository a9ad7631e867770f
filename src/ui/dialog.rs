//! The action menu and an action's dialog, drawn full-width at the bottom
//! of the body (a narrower box would cut wide characters beneath it).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::style;
use crate::app::AppState;
use crate::app::action::{ActionKind, Dialog, FieldKind};
use crate::keys::{self, Cmd, Scope};

const LABEL: usize = 10;

fn bottom(area: Rect, height: u16) -> Rect {
    let h = height.min(area.height);
    Rect { x: area.x, y: area.bottom() - h, width: area.width, height: h }
}

pub fn menu(state: &AppState, selected: usize, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    // Two columns, so the timeline above stays in sight.
    let per_col = ActionKind::ALL.len().div_ceil(2);
    let rect = bottom(area, per_col as u16 + 2);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(style::border(state.look))
        .title(format!(" {} ", crate::i18n::Msg::ActMenu.text(lang)));
    let col = usize::from(rect.width.saturating_sub(2)) / 2;
    let item = |i: usize| -> Vec<Span<'static>> {
        let Some(kind) = ActionKind::ALL.get(i) else { return Vec::new() };
        let key = keys::key_for(Scope::Menu, Cmd::Act(*kind)).map(|k| k.label()).unwrap_or_default();
        let title = kind.title().text(lang).to_string();
        let pad = col.saturating_sub(key.width() + 2 + title.width());
        let st = if i == selected { style::selected() } else { Style::new() };
        vec![
            Span::styled(format!(" {key} "), style::accent(state.look)),
            Span::styled(title, st),
            Span::raw(" ".repeat(pad)),
        ]
    };
    let lines: Vec<Line> = (0..per_col)
        .map(|r| {
            let mut spans = item(r);
            spans.extend(item(r + per_col));
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

pub fn dialog(state: &AppState, d: &Dialog, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let rows: u16 = d.fields.iter().map(|f| if f.kind == FieldKind::Multi { 3 } else { 1 }).sum::<u16>().max(1);
    let rect = bottom(area, rows + 2);
    let title = format!(" {} {} ", d.kind.title().text(lang), d.case);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(style::border(state.look))
        .border_style(style::accent(state.look))
        .title(title);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    if d.fields.is_empty() {
        let hint = crate::i18n::Msg::ConfirmHint.text(lang);
        frame.render_widget(Paragraph::new(Line::styled(hint, style::accent(state.look))), inner);
        return;
    }
    let width = usize::from(inner.width).saturating_sub(LABEL);
    let mut y = inner.y;
    for (i, f) in d.fields.iter().enumerate() {
        let h: u16 = if f.kind == FieldKind::Multi { 3 } else { 1 };
        if y + h > inner.bottom() {
            break;
        }
        let focused = i == d.focus;
        let error = d.error.is_some_and(|(e, _)| e == i);
        let label = f.label.text(lang);
        let label = format!("{label}{}", " ".repeat(LABEL.saturating_sub(label.width())));
        let ls = if error {
            style::error(state.look)
        } else if focused {
            style::accent(state.look)
        } else {
            style::dim(state.look)
        };
        frame.render_widget(
            Paragraph::new(Span::styled(label, ls)),
            Rect { x: inner.x, y, width: LABEL as u16, height: 1 },
        );
        let x = inner.x + LABEL as u16;
        let (own, picks) = match (focused, f.kind) {
            (true, FieldKind::Choice(_)) => {
                ((width / 2).max(8).min(width), d.completions(i, lang, &state.choices.cadres))
            }
            _ => (width, Vec::new()),
        };
        let (text, caret) =
            if focused { f.value.visible(own) } else { (f.value.value().lines().next().unwrap_or("").to_string(), 0) };
        let mut spans = vec![Span::raw(text.clone()), Span::raw(" ".repeat(own.saturating_sub(text.width())))];
        let mut used = own;
        for (n, p) in picks.iter().enumerate() {
            if used + p.width() + 1 > width {
                break;
            }
            used += p.width() + 1;
            spans.push(Span::raw(" "));
            spans.push(Span::styled(p.clone(), if n == d.pick { style::selected() } else { style::dim(state.look) }));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), Rect { x, y, width: width as u16, height: 1 });
        if f.kind == FieldKind::Multi && !focused {
            for (row, line) in f.value.value().lines().skip(1).take(2).enumerate() {
                frame.render_widget(
                    Paragraph::new(line.to_string()),
                    Rect { x, y: y + 1 + row as u16, width: width as u16, height: 1 },
                );
            }
        }
        if focused {
            // A focused multi-line field shows the caret's line on its first row.
            frame.set_cursor_position((x + caret as u16, y));
        }
        y += h;
    }
}
