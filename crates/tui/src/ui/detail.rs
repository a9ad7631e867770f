//! A case opened from a list: its fields, deadlines and timeline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::{style, text};
use crate::app::{AppState, CaseDetail};
use crate::domain::time::china_minute;
use crate::domain::*;
use crate::i18n::{Lang, Msg, fill, plural};

fn yuan(lang: Lang, n: u64) -> String {
    format!("{n} {}", Msg::Yuan.text(lang))
}

/// One line saying what an event did.
pub fn describe(kind: &EventKind, lang: Lang) -> String {
    use EventKind::*;
    let t = |m: Msg| m.text(lang);
    match kind {
        Registered { intake, .. } => {
            format!("{} ({}) {}", t(Msg::EvRegistered), intake.channel.label(lang), intake.summary)
        }
        Contact { channel, name, people, note } => {
            let people = match lang {
                Lang::Zh => format!("{people}人"),
                Lang::En => plural(u64::from(*people), "person", "people"),
            };
            let name = if name.is_empty() { Msg::Anonymous.text(lang) } else { name.as_str() };
            let s = fill(
                t(Msg::EvContactSentence),
                &[("name", name), ("channel", channel.label(lang)), ("people", &people), ("note", note)],
            );
            // No note: the sentence ends at the bracket.
            if note.is_empty() { s.trim_end_matches([':', ' ']).to_string() } else { s }
        }
        Assigned { to } => format!("{} {to}", t(Msg::EvAssigned)),
        Accepted { due } => format!("{} {due}", t(Msg::EvAccepted)),
        Extended { days, reason, due } => {
            let days = match lang {
                Lang::Zh => format!("{days} 天"),
                Lang::En => plural(u64::from(*days), "day", "days"),
            };
            fill(t(Msg::EvExtendedSentence), &[("days", &days), ("due", &due.to_string()), ("reason", reason)])
        }
        InspectionScheduled(p) => {
            format!("{} {} {} ({})", t(Msg::EvInspectionScheduled), p.date, p.place, p.team.join(","))
        }
        InspectionRecorded(f) => {
            let q: Vec<String> = f.quantities.iter().map(|q| format!("{} {} {}", q.item, q.number, q.unit)).collect();
            format!("{} {}; {}; {}", t(Msg::EvInspectionRecorded), f.findings, q.join(", "), yuan(lang, f.cost_yuan))
        }
        Escalated { to, requested_yuan } => format!("{} {to}, {}", t(Msg::EvEscalated), yuan(lang, *requested_yuan)),
        Granted { granted_yuan, note } => format!("{} {} {note}", t(Msg::EvGranted), yuan(lang, *granted_yuan)),
        Concluded { outcome, reason, .. } => format!("{} [{}] {reason}", t(Msg::EvConcluded), outcome.label(lang)),
        FollowedUp(f) => format!("{} [{}] {}", t(Msg::EvFollowedUp), f.satisfaction.label(lang), f.note),
        Reopened { reason, due } => format!("{} {due}: {reason}", t(Msg::EvReopened)),
        MergedInto { survivor } => format!("{} {survivor}", t(Msg::EvMergedInto)),
        Absorbed { from } => format!("{} {from}", t(Msg::EvAbsorbed)),
        DeadlineKept { from, due } => {
            fill(t(Msg::EvDeadlineKept), &[("from", &from.to_string()), ("due", &due.to_string())])
        }
        Note { text } => format!("{} {text}", t(Msg::EvNote)),
        Linked { other, later: true } => format!("{} {other}", t(Msg::EvLinkedLater)),
        Linked { other, later: false } => format!("{} {other}", t(Msg::EvLinkedEarlier)),
        NoticeIssued { notice, file, .. } => {
            let sep = if lang == Lang::Zh { "" } else { " " };
            format!("{}{sep}{} ({file})", notice.doc().label(lang), t(Msg::EvNoticeIssued))
        }
    }
}

fn field(look: crate::app::Look, label: Msg, lang: Lang, value: String) -> Line<'static> {
    Line::from(vec![Span::styled(format!("{}: ", label.text(lang)), style::dim(look)), Span::raw(value)])
}

/// The case's lines as written, before wrapping.
fn lines(state: &AppState, d: &CaseDetail) -> Vec<Line<'static>> {
    let lang = state.lang();
    let look = state.look;
    let c = &d.case;
    let today = state.today();
    let mut lines = Vec::new();
    let mut status = c.status.label(lang).to_string();
    if c.is_overdue(today) {
        status = format!("{status} {}", Msg::OverdueMark.text(lang));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{}  ", c.no), style::accent(look)),
        Span::raw(format!("{}  {}", c.intake.summary, status)),
    ]));
    let who = if c.intake.phone.is_empty() {
        c.intake.petitioner(lang)
    } else {
        format!("{}  {}", c.intake.petitioner(lang), c.intake.phone)
    };
    lines.push(field(look, Msg::ColPetitioner, lang, who));
    lines.push(field(look, Msg::ColPlace, lang, c.place()));
    lines.push(field(
        look,
        Msg::FieldChannel,
        lang,
        format!(
            "{}  {}: {}  {}: {}",
            c.intake.channel.label(lang),
            Msg::ColCategory.text(lang),
            c.intake.category,
            Msg::FieldPeople.text(lang),
            c.intake.people
        ),
    ));
    if let Some(del) = &c.intake.delegation {
        lines.push(field(
            look,
            Msg::FieldDelegation,
            lang,
            format!("{}  ({} {})", del.representatives.join(","), Msg::FieldSpeaksFor.text(lang), del.speaks_for),
        ));
    }
    lines.push(field(look, Msg::ColAssignee, lang, c.assignee.clone().unwrap_or_default()));
    let mut deadlines = format!("{} {}", Msg::FieldAcceptBy.text(lang), c.accept_by);
    // The 15-day clock is met by the written notice: say when it was given.
    if let Some((day, _)) = crate::domain::notice::acceptance_notified(&d.events) {
        let late = crate::domain::notice::notified_late(day, c.accept_by);
        let told = if late { Msg::NotifiedLate } else { Msg::Notified };
        deadlines.push_str(&format!(" ({} {day})", told.text(lang)));
    }
    if let Some(due) = c.due {
        deadlines.push_str(&format!("  {} {due}", Msg::FieldDue.text(lang)));
    }
    if let Some((days, reason)) = &c.extension {
        deadlines.push_str(&format!("  (+{days}: {reason})"));
    }
    if let Some(due) = c.follow_up_due {
        deadlines.push_str(&format!("  {} {due}", Msg::FieldFollowUpDue.text(lang)));
    }
    lines.push(Line::from(deadlines));
    if !c.intake.details.is_empty() {
        for l in c.intake.details.lines() {
            lines.push(Line::from(format!("  {l}")));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(Msg::Timeline.text(lang).to_string(), style::header(look)));
    // The case's own events, and those of cases merged into it, in time order.
    let mut timeline: Vec<(Option<CaseNo>, &Event)> = d.events.iter().map(|e| (None, e)).collect();
    for (no, evs) in &d.related {
        timeline.extend(evs.iter().map(|e| (Some(*no), e)));
    }
    timeline.sort_by_key(|(_, e)| e.at);
    for (from, e) in timeline {
        let mut spans = vec![Span::styled(format!("{} {} ", china_minute(e.at), e.operator), style::dim(look))];
        if let Some(no) = from {
            spans.push(Span::styled(format!("[{no}] "), style::accent(look)));
        }
        spans.push(Span::raw(describe(&e.kind, lang)));
        lines.push(Line::from(spans));
    }
    if let Some(into) = c.merged_into {
        lines.push(Line::styled(format!("{} {into}", Msg::EvMergedInto.text(lang)), style::accent(look)));
    }
    lines
}

/// The rows the case takes at the screen's width (under the body's top
/// border) and the rows there are to show them in.
fn rows_and_height(state: &AppState, d: &CaseDetail) -> (Vec<Line<'static>>, usize) {
    let (w, h) = state.size;
    // Tab bar, message line, footer, and the border above the case.
    let height = usize::from(h.saturating_sub(4));
    (text::wrap_all(&lines(state, d), usize::from(w)), height)
}

/// How far the case can scroll at the screen's size: `update` keeps the
/// scroll position within it, so Up moves at once after End or an action.
pub fn max_scroll(state: &AppState, d: &CaseDetail) -> u16 {
    let (rows, height) = rows_and_height(state, d);
    u16::try_from(text::max_scroll(rows.len(), height)).unwrap_or(u16::MAX)
}

pub fn render(state: &AppState, d: &CaseDetail, frame: &mut Frame, area: Rect) {
    let block = Block::default().borders(Borders::TOP).border_set(style::border(state.look));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Wrapped here, by display width: no row is wider than the screen and
    // a wide character never straddles its edge.
    let rows = text::wrap_all(&lines(state, d), usize::from(inner.width));
    text::scrolled(rows, usize::from(d.scroll), inner, frame, state.look, state.lang());
}
