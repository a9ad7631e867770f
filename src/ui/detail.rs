//! A case opened from a list: its fields, deadlines and timeline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::style;
use crate::app::{AppState, CaseDetail};
use crate::domain::time::china_minute;
use crate::domain::*;
use crate::i18n::{Lang, Msg};

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
            format!("{} ({}) {name} x{people} {note}", t(Msg::EvContact), channel.label(lang))
        }
        Assigned { to } => format!("{} {to}", t(Msg::EvAssigned)),
        Accepted { due } => format!("{} {due}", t(Msg::EvAccepted)),
        Extended { days, reason, due } => format!("{} {days} -> {due}: {reason}", t(Msg::EvExtended)),
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
        Note { text } => format!("{} {text}", t(Msg::EvNote)),
    }
}

fn field(look: crate::app::Look, label: Msg, lang: Lang, value: String) -> Line<'static> {
    Line::from(vec![Span::styled(format!("{}: ", label.text(lang)), style::dim(look)), Span::raw(value)])
}

pub fn render(state: &AppState, d: &CaseDetail, frame: &mut Frame, area: Rect) {
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
    let block = Block::default().borders(Borders::TOP).border_set(style::border(look));
    let inner_h = usize::from(area.height.saturating_sub(1));
    // Rows after wrapping, by display width (a line wraps at word breaks,
    // so allow one row more for each long line).
    let width = usize::from(area.width).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| {
            let w = l.width();
            if w <= width { 1 } else { w.div_ceil(width) + 1 }
        })
        .sum();
    let max_scroll = rows.saturating_sub(inner_h) as u16;
    let para = Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((d.scroll.min(max_scroll), 0));
    frame.render_widget(para, area);
}
