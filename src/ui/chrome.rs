//! The frame around every tab: tab bar, message line, footer hints, the
//! help overlay and the "enlarge the window" screen.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::style;
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

pub fn tab_bar(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let mut spans = Vec::new();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let mut title = format!(" {} {} ", i + 1, tab.title().text(lang));
        if *tab == Tab::Pending && state.loaded {
            let overdue = state.overdue_count();
            title = if overdue > 0 {
                format!(
                    " {} {} {} ({} {}) ",
                    i + 1,
                    tab.title().text(lang),
                    state.data.open_count,
                    Msg::Overdue.text(lang),
                    overdue
                )
            } else {
                format!(" {} {} {} ", i + 1, tab.title().text(lang), state.data.open_count)
            };
        }
        let st = if *tab == state.tab { style::selected() } else { ratatui::style::Style::new() };
        spans.push(Span::styled(title, st));
    }
    let today = state.today();
    let date = format!("{} {} ", today.format("%Y-%m-%d"), weekday(lang, today));
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if used + date.width() < usize::from(area.width) {
        let pad = usize::from(area.width) - used - date.width();
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(date, style::dim(state.look)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Key hints for the current screen, from the key table; the help hint is
/// always kept, whatever the width.
pub fn footer(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let hints = keys::footer(&state.scopes(), lang);
    let help = hints.iter().position(|(_, t)| t == Msg::KeyHelp.text(lang));
    let render = |(k, t): &(String, String)| format!("{k} {t}  ");
    let reserve = help.and_then(|i| hints.get(i)).map(|h| render(h).width()).unwrap_or(0);
    let mut spans = Vec::new();
    let mut used = reserve;
    for (i, h) in hints.iter().enumerate() {
        if Some(i) == help {
            continue;
        }
        let w = render(h).width();
        if used + w > usize::from(area.width) {
            break;
        }
        used += w;
        spans.push(Span::styled(h.0.clone(), style::accent(state.look)));
        spans.push(Span::raw(format!(" {}  ", h.1)));
    }
    if let Some(h) = help.and_then(|i| hints.get(i)) {
        spans.push(Span::styled(h.0.clone(), style::accent(state.look)));
        spans.push(Span::raw(format!(" {}", h.1)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The message line: the last message.
pub fn message_line(state: &AppState, frame: &mut Frame, area: Rect) {
    if let Some(m) = &state.message {
        let st = if m.error { style::error(state.look) } else { style::accent(state.look) };
        frame.render_widget(Paragraph::new(Span::styled(m.text.clone(), st)), area);
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
    let rect = area;
    let height = area.height;
    let inner_h = usize::from(height.saturating_sub(2));
    let max_scroll = lines.len().saturating_sub(inner_h);
    let scroll = usize::from(state.help.unwrap_or(0)).min(max_scroll);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(style::border(state.look))
        .title(format!(" {} ", Msg::HelpTitle.text(lang)));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll as u16, 0)), rect);
}
