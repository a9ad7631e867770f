//! 登记: the queue and what was just handed out on the left, the intake
//! form on the right, and a returning resident's earlier cases.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{bigtext, field, style};
use crate::app::AppState;
use crate::app::form::{Field, Kind};
use crate::app::intake::{Focus, Shown, parse_arrival, queue_rows};
use crate::domain::QueueStatus;
use crate::i18n::Msg;
use crate::keys::{self, Cmd, Scope};

/// The queue's column at 80 columns; wider screens give it (and the
/// earlier answers in it) a third of the width.
const LEFT: u16 = 28;
const LABEL: usize = 10;

/// A pane; the one with the keyboard has its title drawn selected, which
/// shows without colour too.
fn block(state: &AppState, title: String, focused: bool) -> Block<'static> {
    let b = Block::default().borders(Borders::ALL).border_set(style::border(state.look));
    if focused {
        b.border_style(style::accent(state.look)).title(Span::styled(title, style::selected()))
    } else {
        b.title(title)
    }
}

/// "a 取号 (姓名 村)": a key of the table and what it does.
fn key_hint(state: &AppState, scope: Scope, cmd: Cmd, what: Msg) -> String {
    let key = keys::key_for(scope, cmd).map(|k| k.label()).unwrap_or_default();
    format!("{key} {}", what.text(state.lang()))
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let left_w = LEFT.max(area.width / 3);
    let [left, right] = Layout::horizontal([Constraint::Length(left_w), Constraint::Fill(1)]).areas(area);
    let mut rest = left;
    if let Some(shown) = &state.intake.shown {
        let h = bigtext::HEIGHT + 3;
        let [top, below] = Layout::vertical([Constraint::Length(h), Constraint::Fill(1)]).areas(rest);
        shown_number(state, shown, frame, top);
        rest = below;
    }
    let [q, e] = split_queue(state, rest);
    queue(state, frame, q);
    if !state.intake.earlier.is_empty() {
        earlier(state, frame, e);
    }
    form(state, frame, right);
}

/// The queue's pane and, below it, the resident's earlier cases (if any).
fn split_queue(state: &AppState, rest: Rect) -> [Rect; 2] {
    if state.intake.earlier.is_empty() {
        [rest, Rect { height: 0, ..rest }]
    } else {
        Layout::vertical([Constraint::Percentage(40), Constraint::Fill(1)]).areas(rest)
    }
}

/// Queue rows in sight at this size, for PgUp/PgDn: measured from the same
/// layout `render` draws (the body is the screen less three lines).
pub fn queue_page(state: &AppState) -> usize {
    let (w, h) = state.size;
    let body = Rect { x: 0, y: 0, width: w, height: h.saturating_sub(3) };
    let left_w = LEFT.max(body.width / 3);
    let [mut rest, _] = Layout::horizontal([Constraint::Length(left_w), Constraint::Fill(1)]).areas(body);
    if state.intake.shown.is_some() {
        let [_, below] = Layout::vertical([Constraint::Length(bigtext::HEIGHT + 3), Constraint::Fill(1)]).areas(rest);
        rest = below;
    }
    let [q, _] = split_queue(state, rest);
    usize::from(q.height.saturating_sub(2)).max(1)
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
        // Carried over from an earlier day (past midnight): say which, in
        // place of the village when both do not fit beside the wait.
        let day = if e.day == state.today() { String::new() } else { format!(" ({})", e.day.format("%m-%d")) };
        let mut text = format!("{mark}{:>3} {} {}{day}", e.number, e.name, e.village);
        if !day.is_empty() && text.width() + wait.width() + 1 > usize::from(inner.width) {
            text = format!("{mark}{:>3} {}{day}", e.number, e.name);
        }
        let pad = usize::from(inner.width).saturating_sub(text.width() + wait.width());
        let mut st = if e.status == QueueStatus::NoShow { style::dim(state.look) } else { Style::new() };
        if pos == sel && i.focus == Focus::Queue {
            st = st.patch(style::selected());
        }
        lines.push(Line::styled(format!("{text}{}{wait}", " ".repeat(pad)), st));
    }
    // The hint says where the keyboard is: the queue's own keys only while
    // the queue has it.
    if rows.is_empty() && i.focus == Focus::Queue {
        let width = usize::from(inner.width);
        for l in field::wrap(&key_hint(state, Scope::Queue, Cmd::AddArrival, Msg::KeyAddArrival), width) {
            lines.push(Line::styled(l, style::accent(state.look)));
        }
        for l in field::wrap(&key_hint(state, Scope::Queue, Cmd::ToForm, Msg::KeyToForm), width) {
            lines.push(Line::styled(l, style::dim(state.look)));
        }
    } else if rows.is_empty() && i.focus == Focus::Form {
        lines.push(Line::styled(Msg::QueueIsEmpty.text(lang), style::dim(state.look)));
        // On a diary entry's form Esc goes back to the diary, not here.
        if i.form.from_diary.is_none() {
            lines.push(Line::styled(key_hint(state, Scope::Form, Cmd::Back, Msg::KeyToQueue), style::dim(state.look)));
        }
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
        if state.help.is_none() {
            frame.set_cursor_position((inner.x + (prompt.width() + caret) as u16, y));
        }
    }
}

/// The returning resident's earlier cases, each with the answer given,
/// wrapped whole (never cut); scrolled so the selected case is in view.
fn earlier(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let i = &state.intake;
    let b = block(state, format!(" {} ", Msg::EarlierCases.text(lang)), false);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected = 0..0;
    for (n, c) in i.earlier.iter().enumerate() {
        let start = lines.len();
        let st = if n == i.earlier_sel { style::selected() } else { Style::new() };
        for l in field::wrap(&format!("{} {}", c.no, c.intake.summary), width) {
            lines.push(Line::styled(l, st));
        }
        let answer = match &c.conclusion {
            Some(k) => format!("[{}] {}", k.outcome.label(lang), k.reason),
            None => format!("[{}]", c.status.label(lang)),
        };
        for l in field::wrap(&answer, width.saturating_sub(2)) {
            lines.push(Line::styled(format!("  {l}"), style::dim(state.look)));
        }
        let when = c.opened_at.with_timezone(&crate::domain::time::china()).date_naive().format("%Y-%m-%d");
        let status = format!("{} {}  {when}  {}", Msg::Contacts.text(lang), c.contacts + 1, c.status.label(lang));
        for l in field::wrap(&status, width.saturating_sub(2)) {
            lines.push(Line::styled(format!("  {l}"), style::dim(state.look)));
        }
        if n == i.earlier_sel {
            selected = start..lines.len();
        }
    }
    let hint = key_hint(state, Scope::Form, Cmd::AsContact, Msg::KeyAsContact);
    let rows = usize::from(inner.height).saturating_sub(1);
    // The selected case in view, from its first line if it fits.
    let offset = if selected.end > rows { selected.start.min(selected.end - rows) } else { 0 };
    let more = key_hint(state, Scope::Form, Cmd::EarlierDown, Msg::KeyEarlierDown);
    let mut shown: Vec<Line> = lines.iter().skip(offset).take(rows).cloned().collect();
    if offset + rows < lines.len()
        && let Some(last) = shown.last_mut()
    {
        // Something below is out of sight: say so, and which key shows it.
        *last = Line::styled(field::clip(&format!("v {more}"), width), style::accent(state.look));
    }
    if offset > 0
        && let Some(first) = shown.first_mut()
    {
        let up = key_hint(state, Scope::Form, Cmd::EarlierUp, Msg::KeyEarlierUp);
        *first = Line::styled(field::clip(&format!("^ {up}"), width), style::accent(state.look));
    }
    shown.push(Line::styled(field::clip(&hint, width), style::accent(state.look)));
    frame.render_widget(Paragraph::new(shown), inner);
}

fn form(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let look = state.look;
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
    let mismatch = f.group_mismatch(&state.choices);
    let mut y = inner.y;
    let mut cursor = None;
    for fld in Field::ORDER {
        let rows: u16 = if fld.kind() == Kind::Multi { 3 } else { 1 };
        if y + rows > inner.bottom() {
            break;
        }
        let focused = i.focus == Focus::Form && f.focus == fld;
        let skipped = f.skipped(fld);
        let flagged = fld == Field::Group && mismatch;
        let error = f.error.is_some_and(|(e, _)| e == fld) || flagged;
        let label = field::label(look, fld.label().text(lang), LABEL, focused, error);
        frame.render_widget(Paragraph::new(label), Rect { x: inner.x, y, width: LABEL as u16, height: 1 });
        let x = inner.x + LABEL as u16;
        let row = |n: u16| Rect { x, y: y + n, width: width as u16, height: 1 };
        let text = f.field(fld);
        let value_style = if skipped { style::dim(look) } else { Style::new() };
        if fld.kind() == Kind::Multi {
            let all: Vec<&str> = text.value().split('\n').collect();
            let caret_line = text.caret_line();
            let first = caret_line.saturating_sub(2);
            for n in 0..3u16 {
                let at = first + usize::from(n);
                let line = if focused && at == caret_line {
                    let (l, caret) = field::focused(look, text, width, &[], None);
                    cursor = Some((x + caret as u16, y + n));
                    l
                } else if focused {
                    field::focused_row(all.get(at).copied().unwrap_or(""), width)
                } else {
                    Line::styled(super::text::fit(all.get(at).copied().unwrap_or(""), width), value_style)
                };
                frame.render_widget(Paragraph::new(line), row(n));
            }
        } else if focused {
            let picks = f.completions(fld, lang, &state.choices);
            let pick = f.highlighted(&picks);
            let picks = if fld.kind() == Kind::Choice { picks } else { Vec::new() };
            let (line, caret) = field::focused(look, text, width, &picks, pick);
            frame.render_widget(Paragraph::new(line), row(0));
            cursor = Some((x + caret as u16, y));
        } else {
            // Cut with the mark, as every column: never a silent cut (attack16).
            let mut spans = vec![Span::styled(super::text::fit(text.value(), width), value_style)];
            if flagged {
                // The group is not one of the village's: marked, and said.
                let note = format!(" ! {} {}", f.value(Field::Village), Msg::GroupNotInVillage.text(lang));
                let room = width.saturating_sub(text.value().width());
                spans.push(Span::styled(field::clip(&note, room), style::error(look)));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), row(0));
        }
        y += rows;
    }
    // The terminal's cursor at the caret, for the IME; not through help.
    if let Some(pos) = cursor
        && state.help.is_none()
    {
        frame.set_cursor_position(pos);
    }
}
