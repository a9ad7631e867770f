//! 统计: the township's report for a period, in the seed's own sentences
//! (each labelled with the channel it counts), then the figures behind them
//! per channel, and the breakdowns. Longer than 80x24 allows: below the
//! period line it scrolls, and says how many rows are hidden.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::{style, text};
use crate::app::{AppState, StatsPeriod};
use crate::domain::stats::{ChannelStats, Stats};
use crate::i18n::Msg;

/// The rows below the period line, at `width` columns: none wider.
fn body(state: &AppState, stats: &Stats, width: usize) -> Vec<Line<'static>> {
    let lang = state.lang();
    let look = state.look;
    let mut lines: Vec<Line<'static>> = Vec::new();
    // The report's sentences: the reception day's, the opinion box's and
    // the whole township's, each with the channel it counts.
    for (channel, sentence) in stats.labelled_sentences(lang, state.today()).into_iter().take(3) {
        let label = match channel {
            Some(c) => c.label(lang).to_string(),
            None => Msg::StatsTownship.text(lang).to_string(),
        };
        let line = Line::from(vec![
            Span::styled(format!("[{label}] "), style::dim(look)),
            Span::styled(sentence, style::accent(look)),
        ]);
        lines.extend(text::wrap(&line, width));
    }
    lines.push(Line::from(""));
    lines.extend(table(state, stats, width));
    lines.push(Line::from(""));
    let (sat, fu) = stats.satisfaction();
    let minutes = |m: Option<i64>| m.map_or("-".to_string(), |m| format!("{m}{}", Msg::Minutes.text(lang)));
    let totals = [
        format!(
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
        ),
        format!(
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
        ),
    ];
    for t in totals {
        lines.extend(text::wrap(&Line::from(t), width));
    }
    lines.push(Line::from(""));
    // By category and by village, side by side.
    let half = width.saturating_sub(2) / 2;
    let item = |list: &[(String, u64)], i: usize| -> String {
        list.get(i).map_or(String::new(), |(k, n)| {
            let k = if k.is_empty() { "-" } else { k.as_str() };
            format!("{k} {n}")
        })
    };
    lines.push(Line::from(vec![
        Span::styled(text::pad(Msg::StatsByCategory.text(lang), half), style::header(look)),
        Span::raw("  "),
        Span::styled(text::fit(Msg::StatsByVillage.text(lang), half), style::header(look)),
    ]));
    for i in 0..stats.by_category.len().max(stats.by_village.len()) {
        lines.push(Line::from(format!(
            "{}  {}",
            text::pad(&item(&stats.by_category, i), half),
            text::fit(&item(&stats.by_village, i), half)
        )));
    }
    if !stats.pairing.is_empty() {
        lines.push(Line::from(""));
        lines.extend(pairing(state, stats, width));
    }
    lines
}

/// 一帮一 per cadre: households, visits, cases from visits, right-aligned.
fn pairing(state: &AppState, stats: &Stats, width: usize) -> Vec<Line<'static>> {
    let lang = state.lang();
    let heads = [Msg::StatsPairHouseholds, Msg::StatsPairVisits, Msg::StatsPairCases].map(|m| m.text(lang));
    let first =
        stats.pairing.iter().map(|p| text::width(&p.cadre)).chain([text::width(Msg::StatsPairCadre.text(lang))]);
    let first = first.max().unwrap_or(0);
    let right = |s: &str, w: usize| format!("{}{}", " ".repeat(w.saturating_sub(text::width(s))), s);
    let row = |label: &str, cells: [String; 3]| {
        let mut out = text::pad(label, first);
        for (c, h) in cells.iter().zip(heads) {
            out.push_str("  ");
            out.push_str(&right(c, text::width(h).max(4)));
        }
        text::fit(&out, width)
    };
    let mut lines = vec![
        Line::styled(Msg::StatsPairing.text(lang).to_string(), style::header(state.look)),
        Line::styled(row(Msg::StatsPairCadre.text(lang), heads.map(str::to_string)), style::header(state.look)),
    ];
    for p in &stats.pairing {
        lines.push(Line::from(row(&p.cadre, [p.households, p.visits, p.cases].map(|n| n.to_string()))));
    }
    lines
}

/// One figure of a channel's.
type Measure = fn(&ChannelStats) -> u64;

/// The figures per channel, channels across (five narrow columns fit at
/// 80 columns in either language, where eight measures across did not),
/// with the total when there is room. Numbers are right-aligned.
fn table(state: &AppState, stats: &Stats, width: usize) -> Vec<Line<'static>> {
    let lang = state.lang();
    let measures: [(Msg, Measure); 7] = [
        (Msg::StatsPeople, |s| s.people),
        (Msg::StatsRegistered, |s| s.registered),
        (Msg::StatsAccepted, |s| s.accepted),
        (Msg::StatsConcluded, |s| s.concluded),
        (Msg::StatsImplemented, |s| s.implemented),
        (Msg::StatsFollowUps, |s| s.follow_ups),
        (Msg::StatsSatisfied, |s| s.satisfied),
    ];
    let mut columns: Vec<(String, ChannelStats)> =
        stats.by_channel.iter().map(|(c, s)| (c.label(lang).to_string(), s.clone())).collect();
    columns.push((Msg::StatsAll.text(lang).to_string(), stats.total()));
    let first = measures.iter().map(|(m, _)| text::width(m.text(lang))).max().unwrap_or(0);
    let col_width = |(title, s): &(String, ChannelStats)| {
        measures.iter().map(|(_, f)| f(s).to_string().len()).chain([text::width(title)]).max().unwrap_or(0)
    };
    let total_width = |cols: &[(String, ChannelStats)]| first + cols.iter().map(|c| col_width(c) + 2).sum::<usize>();
    if total_width(&columns) > width {
        columns.pop();
    }
    // What still does not fit is cut, and marked.
    let first = first.min(width.saturating_sub(1));
    let widths: Vec<usize> = columns.iter().map(col_width).collect();
    let right = |s: &str, w: usize| format!("{}{}", " ".repeat(w.saturating_sub(text::width(s))), s);
    let row = |label: String, cells: Vec<String>| -> String {
        let mut out = text::pad(&label, first);
        for (c, w) in cells.iter().zip(&widths) {
            out.push_str("  ");
            out.push_str(&right(c, *w));
        }
        text::fit(&out, width)
    };
    let mut lines = vec![Line::styled(
        row(Msg::StatsByChannel.text(lang).to_string(), columns.iter().map(|(t, _)| t.clone()).collect()),
        style::header(state.look),
    )];
    for (m, f) in measures {
        lines.push(Line::from(row(m.text(lang).to_string(), columns.iter().map(|(_, s)| f(s).to_string()).collect())));
    }
    lines
}

/// Rows of the body at the screen's size: (width, height).
fn body_area(state: &AppState) -> (usize, usize) {
    let (w, h) = state.size;
    // Tab bar, period line, message line, footer.
    (usize::from(w), usize::from(h.saturating_sub(4)))
}

/// How far the statistics can scroll at the screen's size.
pub fn max_scroll(state: &AppState) -> u16 {
    let Some(stats) = &state.data.stats else { return 0 };
    let (w, h) = body_area(state);
    u16::try_from(text::max_scroll(body(state, stats, w).len(), h)).unwrap_or(u16::MAX)
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let look = state.look;
    let Some(stats) = &state.data.stats else {
        frame.render_widget(Line::from(Msg::Loading.text(lang)), area);
        return;
    };
    let [head, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let mut title = Vec::new();
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
    // The tab's name leads when there is room (the tab bar names it too).
    let label = Span::styled(format!("{} ", Msg::TabStats.text(lang)), style::header(look));
    let used: usize = title.iter().map(|s| text::width(&s.content)).sum();
    if used + text::width(&label.content) <= usize::from(head.width) {
        title.insert(0, label);
    }
    frame.render_widget(text::fit_line(Line::from(title), usize::from(head.width)), head);
    if let Some(input) = &state.period_input {
        // The prompt takes the title's line while a period is typed.
        let prompt = Msg::PeriodPrompt.text(lang);
        let (typed, caret) = input.visible(usize::from(head.width).saturating_sub(text::width(prompt)));
        let line = Line::from(vec![Span::styled(prompt, style::accent(look)), Span::raw(typed)]);
        frame.render_widget(ratatui::widgets::Clear, head);
        frame.render_widget(text::fit_line(line, usize::from(head.width)), head);
        frame.set_cursor_position((head.x + (text::width(prompt) + caret) as u16, head.y));
    }
    let rows = body(state, stats, usize::from(rest.width));
    text::scrolled(rows, usize::from(state.stats_scroll), rest, frame, look, lang);
}
