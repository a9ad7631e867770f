//! 统计: the township's report for a period, in the seed's own sentences,
//! then the figures behind them per channel, and the breakdowns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use unicode_width::UnicodeWidthStr;

use super::style;
use crate::app::{AppState, StatsPeriod};
use crate::i18n::Msg;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let look = state.look;
    let Some(stats) = &state.data.stats else {
        frame.render_widget(Paragraph::new(Msg::Loading.text(lang)), area);
        return;
    };
    let mut title = vec![Span::styled(format!("{} ", Msg::TabStats.text(lang)), style::header(look))];
    for p in [StatsPeriod::Week, StatsPeriod::Month, StatsPeriod::Year, StatsPeriod::All] {
        let st = if p == state.stats_period { style::selected() } else { style::dim(look) };
        title.push(Span::styled(format!(" {} ", p.title().text(lang)), st));
    }
    if let StatsPeriod::Range(..) = state.stats_period {
        title.push(Span::styled(
            format!(" {} ", StatsPeriod::Range(state.today(), state.today()).title().text(lang)),
            style::selected(),
        ));
    }
    if let Some(p) = stats.period {
        title.push(Span::styled(format!("  {} ~ {}", p.from, p.to), style::dim(look)));
    }
    let sentences: Vec<Line> = stats.sentences(lang, state.today()).into_iter().take(2).map(Line::from).collect();
    let [head, report, table, totals, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Length(7),
        Constraint::Length(2),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(title)), head);
    if let Some(input) = &state.period_input {
        // The prompt takes the title's line while a period is typed.
        let prompt = Msg::PeriodPrompt.text(lang);
        let (text, caret) = input.visible(usize::from(head.width).saturating_sub(prompt.width()));
        let line = Line::from(vec![Span::styled(prompt, style::accent(look)), Span::raw(text)]);
        frame.render_widget(ratatui::widgets::Clear, head);
        frame.render_widget(Paragraph::new(line), head);
        frame.set_cursor_position((head.x + (prompt.width() + caret) as u16, head.y));
    }
    frame.render_widget(Paragraph::new(sentences).wrap(Wrap { trim: true }).style(style::accent(look)), report);
    let header = Row::new(
        [
            Msg::StatsByChannel,
            Msg::StatsPeople,
            Msg::StatsRegistered,
            Msg::StatsAccepted,
            Msg::StatsConcluded,
            Msg::StatsImplemented,
            Msg::StatsFollowUps,
            Msg::StatsSatisfied,
        ]
        .map(|m| Cell::from(m.text(lang))),
    )
    .style(style::header(look));
    let rows = stats.by_channel.iter().map(|(ch, s)| {
        Row::new(vec![
            Cell::from(ch.label(lang)),
            Cell::from(s.people.to_string()),
            Cell::from(s.registered.to_string()),
            Cell::from(s.accepted.to_string()),
            Cell::from(s.concluded.to_string()),
            Cell::from(s.implemented.to_string()),
            Cell::from(s.follow_ups.to_string()),
            Cell::from(s.satisfied.to_string()),
        ])
    });
    let widths = [
        Constraint::Length(10),
        Constraint::Length(14),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Length(6),
    ];
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), table);
    let (sat, fu) = stats.satisfaction();
    let minutes = |m: Option<i64>| m.map_or("-".to_string(), |m| format!("{m}{}", Msg::Minutes.text(lang)));
    let totals_text = vec![
        Line::from(format!(
            "{} {}  {} {} ({} {} / {} {})  {} {}/{}",
            Msg::StatsInspections.text(lang),
            stats.inspections,
            Msg::StatsEscalations.text(lang),
            stats.escalations,
            stats.requested_yuan,
            Msg::Yuan.text(lang),
            Msg::StatsGranted.text(lang),
            stats.granted_yuan,
            Msg::StatsOnTime.text(lang),
            stats.on_time,
            stats.concluded,
        )),
        Line::from(format!(
            "{} {}/{}  {} {}  {} {}  {} {}",
            Msg::StatsSatisfied.text(lang),
            sat,
            fu,
            Msg::StatsOverdue.text(lang),
            stats.overdue,
            Msg::StatsWait.text(lang),
            minutes(stats.median_wait_min),
            Msg::StatsService.text(lang),
            minutes(stats.median_service_min),
        )),
    ];
    frame.render_widget(Paragraph::new(totals_text), totals);
    let [cat, vil] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(rest);
    let list = |title: Msg, items: &[(String, u64)], area: Rect, frame: &mut Frame| {
        let mut lines = vec![Line::styled(title.text(lang), style::header(look))];
        let shown = usize::from(area.height.saturating_sub(1));
        lines.extend(items.iter().take(shown).map(|(k, n)| {
            let k = if k.is_empty() { "-" } else { k.as_str() };
            Line::from(format!("{k} {n}"))
        }));
        frame.render_widget(Paragraph::new(lines), area);
    };
    list(Msg::StatsByCategory, &stats.by_category, cat, frame);
    list(Msg::StatsByVillage, &stats.by_village, vil, frame);
}
