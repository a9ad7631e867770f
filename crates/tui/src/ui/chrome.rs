//! The frame around every tab: tab bar, message line, footer hints, the
//! help overlay and the "enlarge the window" screen.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{style, tabbar, text};
use crate::app::{AppState, Tab};
use crate::i18n::{Lang, Msg};
use crate::keys::{self, Scope};

pub fn weekday(lang: Lang, day: chrono::NaiveDate) -> &'static str {
    let i = day.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

/// A tab's title as the bar's tightest named layout shows it: shorter
/// still in English, so ten tabs keep a name at 80 columns.
fn tiny(tab: Tab) -> Msg {
    match tab {
        Tab::Intake => Msg::TabIntakeTiny,
        Tab::Pending => Msg::TabPendingTiny,
        Tab::Inspections => Msg::TabInspectionsTiny,
        t => title(t, true),
    }
}

/// A tab's title, short where English runs long.
fn title(tab: Tab, short: bool) -> Msg {
    match (tab, short) {
        (Tab::Inspections, true) => Msg::TabInspectionsShort,
        (Tab::FollowUps, true) => Msg::TabFollowUpsShort,
        (Tab::Stats, true) => Msg::TabStatsShort,
        (Tab::Directory, true) => Msg::TabDirectoryShort,
        (Tab::Search, true) => Msg::TabSearchShort,
        (t, _) => t.title(),
    }
}

/// The tabs and today's date, laid out for however many tabs there are
/// (see `tabbar`): shorter titles first, then a shorter date, then tighter
/// titles; the tab in use and Pending's count always show.
pub fn tab_bar(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let today = state.today();
    let width = usize::from(area.width);
    let long = format!("{} {}", today.format("%Y-%m-%d"), weekday(lang, today));
    let short = format!("{} {}", today.format("%m-%d"), weekday(lang, today));
    let day = today.format("%m-%d").to_string();
    // In the order of their numbers: 6 名录 before 7 查找.
    let mut bar = Tab::ALL;
    bar.sort_by_key(|t| t.number());
    let items: Vec<tabbar::Item> = bar
        .iter()
        .map(|tab| {
            let mut extra = String::new();
            if *tab == Tab::Pending && state.loaded {
                extra.push_str(&format!(" {}", state.data.open_count));
                let overdue = state.overdue_count();
                if overdue > 0 {
                    extra.push_str(&format!(" ({} {overdue})", Msg::Overdue.text(lang)));
                }
            }
            tabbar::Item {
                // 10 is reached by the key 0.
                number: tab.number() % 10,
                full: tab.title().text(lang).to_string(),
                short: title(*tab, true).text(lang).to_string(),
                tiny: tiny(*tab).text(lang).to_string(),
                extra,
                selected: *tab == state.tab,
            }
        })
        .collect();
    let dates = tabbar::Dates { long: &long, short: &short, day: &day };
    let (tabs, date) = tabbar::layout(&items, &dates, width);
    let mut spans: Vec<Span<'static>> = tabs
        .into_iter()
        .map(|(s, selected)| Span::styled(s, if selected { style::selected() } else { ratatui::style::Style::new() }))
        .collect();
    if let Some(date) = date {
        let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
        // A space before the date, and one after it while there is room.
        let need = used + 1 + text::width(&date);
        let pad = if need < width { width - need } else { 1 };
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(date, style::dim(state.look)));
    }
    frame.render_widget(Paragraph::new(text::fit_line(Line::from(spans), width)), area);
}

/// Key hints for the current screen, from the key table; the hints for
/// help and for the places (the tabs, the directory and the search, F1-F7) are always
/// kept, whatever the width.
pub fn footer(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let hints = keys::footer(&state.scopes(), lang);
    let kept = [Msg::KeyTabs.text(lang), Msg::KeyHelp.text(lang)];
    let render = |(k, t): &(String, String)| format!("{k} {t}  ");
    let reserve: usize = hints.iter().filter(|h| kept.contains(&h.1.as_str())).map(|h| text::width(&render(h))).sum();
    let mut spans = Vec::new();
    let mut used = reserve;
    let mut full = false;
    // Help goes last, where the eye ends.
    let help = Msg::KeyHelp.text(lang);
    let ordered = hints.iter().filter(|h| h.1 != help).chain(hints.iter().filter(|h| h.1 == help));
    for h in ordered {
        if !kept.contains(&h.1.as_str()) {
            let w = text::width(&render(h));
            full = full || used + w > usize::from(area.width);
            if full {
                continue;
            }
            used += w;
        }
        spans.push(Span::styled(h.0.clone(), style::accent(state.look)));
        spans.push(Span::raw(format!(" {}  ", h.1)));
    }
    // No gap after the last hint.
    if let Some(last) = spans.last_mut() {
        *last = Span::raw(last.content.trim_end().to_string());
    }
    frame.render_widget(Paragraph::new(text::fit_line(Line::from(spans), usize::from(area.width))), area);
}

/// The message line: the last message.
pub fn message_line(state: &AppState, frame: &mut Frame, area: Rect) {
    if let Some(m) = &state.message {
        let st = if m.error { style::error(state.look) } else { style::accent(state.look) };
        let line = text::fit_line(Line::styled(m.text.clone(), st), usize::from(area.width));
        frame.render_widget(Paragraph::new(line), area);
    }
}

pub fn too_small(state: &AppState, frame: &mut Frame) {
    let area = frame.area();
    let text = Msg::EnlargeWindow.text(state.lang());
    let size = format!("{}x{}", area.width, area.height);
    let y = area.height / 2;
    let para =
        Paragraph::new(vec![Line::from(text), Line::from(size)]).alignment(Alignment::Center).wrap(Wrap { trim: true });
    let rect = Rect {
        x: area.x,
        y: area.y + y.saturating_sub(1),
        width: area.width,
        height: area.height.saturating_sub(y.saturating_sub(1)),
    };
    frame.render_widget(para, rect);
}

/// Every key of the screen under the overlay, from the key table.
pub fn help(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let mut lines: Vec<Line> = Vec::new();
    // First, the dialogs kept unsubmitted (restored at start, or left with Esc).
    let kept = crate::app::drafts::kept_lines(state);
    if !kept.is_empty() {
        lines.push(Line::styled(Msg::KeptDialogs.text(lang).to_string(), style::header(state.look)));
        lines.extend(kept.into_iter().map(Line::from));
        lines.push(Line::from(""));
    }
    let mut last_scope: Option<Scope> = None;
    for b in keys::bindings(&state.screen_scopes()) {
        if last_scope != Some(b.scope) {
            if last_scope.is_some() {
                lines.push(Line::from(""));
            }
            lines.push(Line::styled(b.scope.title().text(lang).to_string(), style::header(state.look)));
            last_scope = Some(b.scope);
        }
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        let keys = keys.join(" ");
        let pad = 26usize.saturating_sub(keys.width());
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys}"), style::accent(state.look)),
            Span::raw(format!("{}{}", " ".repeat(pad), b.help.text(lang))),
        ]));
    }
    // The overlay covers the body's full width: a narrower one would cut a
    // wide character of the screen beneath in half at its edges.
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(style::border(state.look))
        .title(text::fit(&format!(" {} ", Msg::HelpTitle.text(lang)), usize::from(area.width.saturating_sub(2))));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let lines = lines.into_iter().map(|l| text::fit_line(l, usize::from(inner.width))).collect();
    text::scrolled(lines, usize::from(state.help.unwrap_or(0)), inner, frame, state.look, lang);
}
