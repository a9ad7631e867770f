//! 来电: the phone card. A call's number, the caller and their open
//! cases, the note, who took it; below, the day's calls by leader.

use crate::domain::call::PhoneCall;
use crate::i18n::{Lang, Msg, fill};

/// A call in a case's timeline.
pub fn describe(c: &PhoneCall, lang: Lang) -> String {
    let minutes =
        c.minutes.map(|n| fill(Msg::CallMinutesSuffix.text(lang), &[("n", &n.to_string())])).unwrap_or_default();
    if c.first {
        return fill(Msg::EvCallFirst.text(lang), &[("leader", &c.leader), ("minutes", &minutes)]);
    }
    let name = if c.caller.is_empty() { c.phone.as_str() } else { c.caller.as_str() };
    let s = fill(
        Msg::EvCallSentence.text(lang),
        &[("name", name), ("leader", &c.leader), ("minutes", &minutes), ("note", &c.note)],
    );
    if c.note.is_empty() { s.trim_end_matches([':', ' ']).to_string() } else { s }
}

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{field, style, text};
use crate::app::AppState;
use crate::app::calls::{CallField, leader_name, leader_picks};
use crate::domain::time::china_minute;

/// Labels take this many columns: the longest, the focus mark and a space.
fn label_width(lang: Lang) -> usize {
    let labels = CallField::ORDER.iter().map(|f| f.label()).chain([Msg::CallOpenCases]);
    labels.map(|m| text::width(m.text(lang))).max().unwrap_or(8) + 2
}
/// Open cases of the caller shown at most; Up/Down pick among them.
const CASE_ROWS: usize = 3;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let look = state.look;
    let lang = state.lang();
    let c = &state.calls;
    let width = usize::from(area.width);
    let label = label_width(lang);
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut cursor = None;
    let focus = c.focus();
    // A field's row: label, then the value (as typed, or being typed).
    let mut field_row = |f: CallField, own: usize, after: Vec<Span<'static>>, rows: &mut Vec<Line<'static>>| {
        let focused = focus == f && state.help.is_none();
        let mut spans = vec![field::label(look, f.label().text(lang), label, focused, false)];
        if focused {
            let picks = if f == CallField::Leader { leader_picks(state) } else { Vec::new() };
            let own = if picks.is_empty() { own } else { width.saturating_sub(label) };
            let (line, caret) = field::focused(look, c.field(f), own, &picks, picks.first().map(|_| 0));
            cursor = Some(((label + caret) as u16, rows.len() as u16));
            spans.extend(line.spans);
        } else {
            spans.push(Span::raw(text::pad(&field::clip(c.field(f).value(), own), own)));
        }
        spans.extend(after);
        rows.push(text::fit_line(Line::from(spans), width));
    };
    // The number, and who it is.
    let who: Vec<Span<'static>> = match c.known() {
        Some(k) => match &k.resident {
            Some(r) => vec![
                Span::raw("  "),
                Span::styled(r.name.clone(), style::accent(look)),
                Span::raw(format!(" {}{}", r.village, r.group)),
            ],
            None if k.open.is_empty() => {
                vec![Span::raw("  "), Span::styled(Msg::CallUnknown.text(lang), style::dim(look))]
            }
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    field_row(CallField::Phone, 16, who, &mut rows);
    // Their open cases, with the calls on each: a repeat caller stands out.
    let mut case_lines = Vec::new();
    if let Some(k) = c.known() {
        let start = c.sel.saturating_sub(CASE_ROWS - 1);
        for (i, (case, rep)) in k.open.iter().enumerate().skip(start).take(CASE_ROWS) {
            let mark = if i == c.sel { field::MARK } else { " " };
            let counts =
                fill(Msg::CallWeekMonth.text(lang), &[("w", &rep.week.to_string()), ("m", &rep.month.to_string())]);
            // No call this month: nothing to count.
            let tail = match (rep.month, rep.stands_out()) {
                (0, _) => String::new(),
                (_, true) => format!("  {counts} {}", Msg::CallRepeat.text(lang)),
                _ => format!("  {counts}"),
            };
            let head = format!("{mark}{} {} ", case.no, case.intake.category);
            let room = width.saturating_sub(label + text::width(&head) + text::width(&tail));
            let body = text::pad(&field::clip(&case.intake.summary, room), room);
            let st = if i == c.sel { style::selected() } else { ratatui::style::Style::new() };
            let tail_st = if rep.stands_out() { style::error(look) } else { style::dim(look) };
            case_lines.push(vec![Span::styled(format!("{head}{body}"), st), Span::styled(tail, tail_st)]);
        }
        if k.open.is_empty() && k.resident.is_some() {
            case_lines.push(vec![Span::styled(Msg::CallNoneOpen.text(lang).to_string(), style::dim(look))]);
        }
        if k.closed > 0 {
            let closed = fill(Msg::CallClosed.text(lang), &[("n", &k.closed.to_string())]);
            if let Some(last) = case_lines.last_mut().filter(|_| k.open.is_empty()) {
                last.push(Span::styled(format!("  {closed}"), style::dim(look)));
            } else if case_lines.len() < CASE_ROWS {
                case_lines.push(vec![Span::styled(closed, style::dim(look))]);
            }
        }
    }
    for i in 0..CASE_ROWS {
        let title = if i == 0 { Msg::CallOpenCases.text(lang) } else { "" };
        let mut spans = vec![Span::styled(text::pad(&format!(" {title}"), label), style::dim(look))];
        spans.extend(case_lines.get(i).cloned().unwrap_or_default());
        rows.push(text::fit_line(Line::from(spans), width));
    }
    field_row(CallField::Note, width.saturating_sub(label), Vec::new(), &mut rows);
    field_row(CallField::Minutes, 4, Vec::new(), &mut rows);
    // Away from the field, the leader as the call will record it.
    let default = if focus != CallField::Leader {
        let name = leader_name(state).unwrap_or_else(|_| c.leader.value().to_string());
        vec![Span::styled(name, if c.leader.is_empty() { style::dim(look) } else { ratatui::style::Style::new() })]
    } else {
        Vec::new()
    };
    field_row(CallField::Leader, if default.is_empty() { 12 } else { 0 }, default, &mut rows);
    // The day's calls, by leader.
    let day = &c.day;
    let title = format!("{} {}", Msg::CallToday.text(lang), day.len());
    rows.push(Line::default());
    rows.push(Line::styled(title, style::header(look)));
    if day.is_empty() {
        rows.push(Line::styled(format!("  {}", Msg::CallNoneToday.text(lang)), style::dim(look)));
    }
    let mut last_leader: Option<&str> = None;
    for r in day {
        if last_leader != Some(r.leader.as_str()) {
            let n = day.iter().filter(|x| x.leader == r.leader).count();
            rows.push(Line::styled(format!(" {} ({n})", r.leader), style::accent(look)));
            last_leader = Some(r.leader.as_str());
        }
        let time = china_minute(r.at).get(11..).unwrap_or_default().to_string();
        let minutes = r.minutes.map(|m| format!(" {m}'")).unwrap_or_default();
        let nth =
            if r.week >= 2 { fill(Msg::CallNth.text(lang), &[("n", &r.week.to_string())]) } else { String::new() };
        let line = format!(
            "   {time}  {}  {}  {}{minutes}  ",
            text::pad(&field::clip(&r.caller, 8), 8),
            text::pad(&r.phone, 13),
            r.case
        );
        let st = if r.week >= 2 { style::error(look) } else { style::dim(look) };
        rows.push(text::fit_line(Line::from(vec![Span::raw(line), Span::styled(nth, st)]), width));
    }
    let height = usize::from(area.height);
    // The list is cut at the bottom, marked: the card itself always shows.
    if rows.len() > height && height > 0 {
        rows.truncate(height - 1);
        rows.push(Line::styled(" ...", style::dim(look)));
    }
    for (i, line) in rows.into_iter().enumerate() {
        let r = Rect { y: area.y + i as u16, height: 1, ..area };
        frame.render_widget(Paragraph::new(line), r);
    }
    if let Some((x, y)) = cursor
        && y < area.height
    {
        frame.set_cursor_position((area.x + x, area.y + y));
    }
}
