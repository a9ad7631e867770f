//! The action menu and an action's dialog, drawn full-width at the bottom
//! of the body (a narrower box would cut wide characters beneath it).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{field, style};
use crate::app::AppState;
use crate::app::action::{ActionKind, Dialog, FieldKind};
use crate::app::revisit::Revisit;
use crate::i18n::Msg;
use crate::keys::{self, Cmd, Scope};

/// Label column: the focus mark and the longest label ("Satisfied?").
const LABEL: usize = 11;

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
    let look = state.look;
    let merge = d.kind == ActionKind::Merge;
    let rows: u16 =
        d.fields.iter().map(|f| if f.kind == FieldKind::Multi { 3 } else { 1 }).sum::<u16>().max(1) + u16::from(merge);
    let rect = bottom(area, rows + 2);
    let title = format!(" {} {} ", d.kind.title().text(lang), d.case);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(style::border(look))
        .border_style(style::accent(look))
        .title(Span::styled(title, style::selected()));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    if d.fields.is_empty() {
        let hint = crate::i18n::Msg::ConfirmHint.text(lang);
        frame.render_widget(Paragraph::new(Line::styled(hint, style::accent(look))), inner);
        return;
    }
    let width = usize::from(inner.width).saturating_sub(LABEL);
    let mut y = inner.y;
    let mut cursor = None;
    for (i, f) in d.fields.iter().enumerate() {
        let h: u16 = if f.kind == FieldKind::Multi { 3 } else { 1 };
        if y + h > inner.bottom() {
            break;
        }
        let focused = i == d.focus;
        let error = d.error.is_some_and(|(e, _)| e == i);
        let label = field::label(look, f.label.text(lang), LABEL, focused, error);
        frame.render_widget(Paragraph::new(label), Rect { x: inner.x, y, width: LABEL as u16, height: 1 });
        let x = inner.x + LABEL as u16;
        let row = |n: u16| Rect { x, y: y + n, width: width as u16, height: 1 };
        if focused {
            let picks = match f.kind {
                FieldKind::Choice(_) => d.completions(i, lang, &crate::app::places::cadres_for_case(state)),
                _ => Vec::new(),
            };
            // A focused multi-line field shows the caret's line on its first row.
            let (line, caret) = field::focused(look, &f.value, width, &picks, d.highlighted(&picks));
            frame.render_widget(Paragraph::new(line), row(0));
            cursor = Some((x + caret as u16, y));
            for n in 1..h {
                frame.render_widget(Paragraph::new(field::focused_row("", width)), row(n));
            }
        } else {
            let mut lines = f.value.value().lines();
            for n in 0..h {
                let text = field::clip(lines.next().unwrap_or(""), width);
                frame.render_widget(Paragraph::new(Line::from(text)), row(n));
            }
        }
        y += h;
    }
    if merge && y < inner.bottom() {
        // What the merge goes into, as the store has it, before it is made.
        let line = match d.target.as_ref().filter(|t| Some(t.no) == d.merge_into()) {
            Some(t) => {
                let text = format!("{} {} · {} · {}", t.no, t.name, t.summary, t.status.label(lang));
                let st = if t.status.is_open() { style::accent(look) } else { style::error(look) };
                Line::styled(field::clip(&text, usize::from(inner.width)), st)
            }
            None => Line::styled(Msg::MergeLookHint.text(lang), style::dim(look)),
        };
        frame.render_widget(Paragraph::new(line), Rect { x: inner.x, y, width: inner.width, height: 1 });
    }
    if let Some(pos) = cursor
        && state.help.is_none()
        && state.revisit.is_none()
    {
        frame.set_cursor_position(pos);
    }
}

/// The question about a new visit on a concluded case: one key answers.
pub fn revisit(state: &AppState, r: &Revisit, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let look = state.look;
    let c = &r.case;
    let rect = bottom(area, 5);
    let answer = c.conclusion.as_ref().map(|k| format!(" [{}]", k.outcome.label(lang))).unwrap_or_default();
    let title = format!(" {} {}{answer} ", c.no, c.status.label(lang));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(style::border(look))
        .border_style(style::error(look))
        .title(Span::styled(title, style::selected()));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let hint = |cmd: Cmd, what: Msg| {
        let key = keys::key_for(Scope::Revisit, cmd).map(|k| k.label()).unwrap_or_default();
        vec![Span::styled(format!("  {key} "), style::accent(look)), Span::raw(what.text(lang).to_string())]
    };
    let mut ask = vec![Span::raw(Msg::RevisitAsk.text(lang).to_string())];
    ask.extend(hint(Cmd::Reopen, Msg::KeyReopen));
    ask.extend(hint(Cmd::LinkNew, Msg::KeyLinkNew));
    ask.extend(hint(Cmd::Back, Msg::KeyRevisitCancel));
    let lines = vec![
        Line::from(field::clip(&c.intake.summary, width)),
        Line::from(ask),
        Line::styled(field::clip(Msg::RevisitReason.text(lang), width), style::dim(look)),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
