//! 登记: the queue and what was just handed out on the left, the intake
//! form on the right, and a returning resident's earlier cases.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{bigtext, style};
use crate::app::AppState;
use crate::app::form::{Field, Kind};
use crate::app::intake::{Focus, Shown, parse_arrival, queue_rows};
use crate::domain::QueueStatus;
use crate::i18n::Msg;

const LEFT: u16 = 28;
const LABEL: usize = 9;

fn block(state: &AppState, title: String, focused: bool) -> Block<'static> {
    let b = Block::default().borders(Borders::ALL).border_set(style::border(state.look)).title(title);
    if focused { b.border_style(style::accent(state.look)) } else { b }
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let [left, right] = Layout::horizontal([Constraint::Length(LEFT), Constraint::Fill(1)]).areas(area);
    let mut rest = left;
    if let Some(shown) = &state.intake.shown {
        let h = bigtext::HEIGHT + 3;
        let [top, below] = Layout::vertical([Constraint::Length(h), Constraint::Fill(1)]).areas(rest);
        shown_number(state, shown, frame, top);
        rest = below;
    }
    if state.intake.earlier.is_empty() {
        queue(state, frame, rest);
    } else {
        let [q, e] = Layout::vertical([Constraint::Percentage(40), Constraint::Fill(1)]).areas(rest);
        queue(state, frame, q);
        earlier(state, frame, e);
    }
    form(state, frame, right);
}

fn shown_number(state: &AppState, shown: &Shown, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let (title, small, big) = match shown {
        Shown::Case { no, contact } => {
            let t = if *contact { Msg::ShownContact } else { Msg::ShownCase };
            (t.text(lang).to_string(), format!("{}-", no.year), format!("{:04}", no.seq))
        }
        Shown::Ticket { number, name } => (Msg::ShownTicket.text(lang).to_string(), name.clone(), number.to_string()),
    };
    let b = block(state, format!(" {title} "), false);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    frame.render_widget(Paragraph::new(Line::styled(small, style::accent(state.look))), inner);
    let w = bigtext::width(&big);
    let x = inner.x + inner.width.saturating_sub(w) / 2;
    let rect = Rect { x, y: inner.y + 1, width: w.min(inner.width), height: bigtext::HEIGHT };
    bigtext::draw(&big, rect, frame.buffer_mut(), Style::new().add_modifier(Modifier::REVERSED));
}

fn queue(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let i = &state.intake;
    let rows = queue_rows(state);
    let waiting = rows.iter().filter(|e| e.is_waiting()).count();
    let served = state.data.queue.iter().filter(|e| e.status == QueueStatus::Served).count();
    let title = format!(" {} {waiting} / {} {served} ", Msg::QueueWaiting.text(lang), Msg::QueueServed.text(lang));
    let b = block(state, title, i.focus == Focus::Queue);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let mut lines = Vec::new();
    let adding_rows = if i.focus == Focus::Adding { 2 } else { 0 };
    let room = usize::from(inner.height).saturating_sub(adding_rows);
    let sel = i.queue_sel.min(rows.len().saturating_sub(1));
    let offset = sel.saturating_sub(room.saturating_sub(1));
    for (pos, e) in rows.iter().enumerate().skip(offset).take(room) {
        let mark = match e.status {
            QueueStatus::Called => ">",
            QueueStatus::NoShow => "x",
            _ => " ",
        };
        let wait = format!("{}{}", e.wait_minutes(state.now), Msg::Minutes.text(lang));
        let text = format!("{mark}{:>3} {} {}", e.number, e.name, e.village);
        let pad = usize::from(inner.width).saturating_sub(text.width() + wait.width());
        let mut st = if e.status == QueueStatus::NoShow { style::dim(state.look) } else { Style::new() };
        if pos == sel && i.focus == Focus::Queue {
            st = st.patch(style::selected());
        }
        lines.push(Line::styled(format!("{text}{}{wait}", " ".repeat(pad)), st));
    }
    if rows.is_empty() && i.focus != Focus::Adding {
        lines.push(Line::styled(Msg::QueueEmptyHint.text(lang), style::dim(state.look)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if i.focus == Focus::Adding {
        let y = inner.bottom().saturating_sub(2);
        let prompt = Msg::AddPrompt.text(lang);
        let room = usize::from(inner.width).saturating_sub(prompt.width() + 1);
        let (text, caret) = i.adding.visible(room);
        let line = Line::from(vec![Span::styled(prompt, style::accent(state.look)), Span::raw(text)]);
        frame.render_widget(Paragraph::new(line), Rect { y, height: 1, ..inner });
        let (_, village) = parse_arrival(i.adding.value(), &state.choices);
        if !village.is_empty() {
            let hint = Line::styled(format!("  -> {village}"), style::dim(state.look));
            frame.render_widget(Paragraph::new(hint), Rect { y: y + 1, height: 1, ..inner });
        }
        frame.set_cursor_position((inner.x + (prompt.width() + caret) as u16, y));
    }
}

fn earlier(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let i = &state.intake;
    let b = block(state, format!(" {} ", Msg::EarlierCases.text(lang)), false);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let mut lines = Vec::new();
    for (n, c) in i.earlier.iter().enumerate() {
        let st = if n == i.earlier_sel { style::selected() } else { Style::new() };
        lines.push(Line::styled(format!("{} {}", c.no, c.intake.summary), st));
        let answer = match &c.conclusion {
            Some(k) => format!("[{}] {}", k.outcome.label(lang), k.reason),
            None => format!("[{}]", c.status.label(lang)),
        };
        lines.push(Line::styled(format!("  {answer}"), style::dim(state.look)));
        lines.push(Line::styled(
            format!(
                "  {} {}  {}",
                Msg::Contacts.text(lang),
                c.contacts + 1,
                c.opened_at.with_timezone(&crate::domain::time::china()).date_naive().format("%Y-%m-%d")
            ),
            style::dim(state.look),
        ));
    }
    lines.push(Line::styled(Msg::EarlierHint.text(lang), style::accent(state.look)));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn form(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let i = &state.intake;
    let f = &i.form;
    let title = match f.from_queue {
        Some(q) => format!(" {} ({} {}) ", Msg::IntakeTitle.text(lang), Msg::QueueNumber.text(lang), q.number),
        None => format!(" {} ", Msg::IntakeTitle.text(lang)),
    };
    let b = block(state, title, i.focus == Focus::Form);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let width = usize::from(inner.width).saturating_sub(LABEL);
    let mut y = inner.y;
    for field in Field::ORDER {
        let rows: u16 = if field.kind() == Kind::Multi { 3 } else { 1 };
        if y + rows > inner.bottom() {
            break;
        }
        let focused = i.focus == Focus::Form && f.focus == field;
        let skipped = f.skipped(field);
        let error = f.error.is_some_and(|(e, _)| e == field);
        let label = field.label().text(lang);
        let label = format!("{label}{}", " ".repeat(LABEL.saturating_sub(label.width())));
        let label_style = if error {
            style::error(state.look)
        } else if focused {
            style::accent(state.look)
        } else {
            style::dim(state.look)
        };
        let value_style = if skipped { style::dim(state.look) } else { Style::new() };
        let x = inner.x + LABEL as u16;
        frame.render_widget(
            Paragraph::new(Span::styled(label, label_style)),
            Rect { x: inner.x, y, width: LABEL as u16, height: 1 },
        );
        let text = f.field(field);
        if field.kind() == Kind::Multi {
            let all: Vec<&str> = text.value().split('\n').collect();
            let caret_line = text.caret_line();
            let first = caret_line.saturating_sub(2);
            for (row, n) in (first..all.len()).take(3).enumerate() {
                let shown = if n == caret_line && focused {
                    text.visible(width).0
                } else {
                    clip(all.get(n).copied().unwrap_or(""), width)
                };
                frame.render_widget(
                    Paragraph::new(Span::styled(shown, value_style)),
                    Rect { x, y: y + row as u16, width: width as u16, height: 1 },
                );
            }
            if focused {
                let (_, caret) = text.visible(width);
                frame.set_cursor_position((x + caret as u16, y + (caret_line - first) as u16));
            }
        } else if focused && field.kind() == Kind::Choice {
            let own = (width / 2).max(8).min(width);
            let (shown, caret) = text.visible(own);
            let mut spans = vec![Span::raw(shown.clone()), Span::raw(" ".repeat(own.saturating_sub(shown.width())))];
            let picks = f.completions(field, lang, &state.choices);
            let mut used = own;
            for (n, p) in picks.iter().enumerate() {
                let w = p.width() + 1;
                if used + w > width {
                    break;
                }
                used += w;
                let st = if n == f.pick { style::selected() } else { style::dim(state.look) };
                spans.push(Span::raw(" "));
                spans.push(Span::styled(p.clone(), st));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), Rect { x, y, width: width as u16, height: 1 });
            frame.set_cursor_position((x + caret as u16, y));
        } else if focused {
            let (shown, caret) = text.visible(width);
            frame.render_widget(Paragraph::new(Span::raw(shown)), Rect { x, y, width: width as u16, height: 1 });
            frame.set_cursor_position((x + caret as u16, y));
        } else {
            let shown = clip(text.value(), width);
            frame.render_widget(
                Paragraph::new(Span::styled(shown, value_style)),
                Rect { x, y, width: width as u16, height: 1 },
            );
        }
        y += rows;
    }
}

/// The first line of `s` that fits in `width` columns, whole characters only.
fn clip(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.split('\n').next().unwrap_or("").chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}
