//! The case lists: Pending, Inspections, Follow-ups and today's intakes.
//! Only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::list::parse_filter;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::style;
use crate::app::{AppState, Tab};
use crate::domain::time::china_minute;
use crate::domain::*;
use crate::i18n::Msg;

/// A column: its title, how wide, and what a case shows there.
struct Col {
    title: Msg,
    width: Constraint,
    cell: fn(&AppState, &Case) -> String,
}

fn days_left(state: &AppState, c: &Case) -> String {
    c.days_left(state.today()).map(|d| d.to_string()).unwrap_or_default()
}

fn place(_: &AppState, c: &Case) -> String {
    c.place()
}

fn petitioner(state: &AppState, c: &Case) -> String {
    c.intake.petitioner(state.lang())
}

fn columns(tab: Tab) -> Vec<Col> {
    let no = Col { title: Msg::ColNo, width: Constraint::Length(9), cell: |_, c| c.no.to_string() };
    let date = Col {
        title: Msg::ColDate,
        width: Constraint::Length(5),
        cell: |_, c| crate::domain::time::china_date(c.opened_at).format("%m-%d").to_string(),
    };
    let place = Col { title: Msg::ColPlace, width: Constraint::Length(12), cell: place };
    let who = Col { title: Msg::ColPetitioner, width: Constraint::Length(6), cell: petitioner };
    let summary = Col { title: Msg::ColSummary, width: Constraint::Fill(1), cell: |_, c| c.intake.summary.clone() };
    let assignee = Col {
        title: Msg::ColAssignee,
        width: Constraint::Length(6),
        cell: |_, c| c.assignee.clone().unwrap_or_default(),
    };
    match tab {
        Tab::Pending => vec![
            no,
            date,
            place,
            who,
            Col { title: Msg::ColCategory, width: Constraint::Length(8), cell: |_, c| c.intake.category.clone() },
            summary,
            assignee,
            Col {
                title: Msg::ColStatus,
                width: Constraint::Length(7),
                cell: |s, c| c.status.label(s.lang()).to_string(),
            },
            Col { title: Msg::ColDaysLeft, width: Constraint::Length(4), cell: days_left },
        ],
        Tab::Inspections => vec![
            Col {
                title: Msg::ColInspectDate,
                width: Constraint::Length(5),
                cell: |_, c| {
                    c.inspections
                        .iter()
                        .find(|i| i.findings.is_none())
                        .map(|i| i.plan.date.format("%m-%d").to_string())
                        .unwrap_or_default()
                },
            },
            no,
            place,
            summary,
            Col {
                title: Msg::ColTeam,
                width: Constraint::Length(14),
                cell: |_, c| {
                    c.inspections
                        .iter()
                        .find(|i| i.findings.is_none())
                        .map(|i| i.plan.team.join(","))
                        .unwrap_or_default()
                },
            },
        ],
        Tab::FollowUps => vec![
            Col {
                title: Msg::ColFollowDue,
                width: Constraint::Length(5),
                cell: |_, c| c.follow_up_due.map(|d| d.format("%m-%d").to_string()).unwrap_or_default(),
            },
            no,
            who,
            Col { title: Msg::ColPhone, width: Constraint::Length(12), cell: |_, c| c.intake.phone.clone() },
            summary,
            Col {
                title: Msg::ColOutcome,
                width: Constraint::Length(11),
                cell: |s, c| c.conclusion.as_ref().map(|k| k.outcome.label(s.lang()).to_string()).unwrap_or_default(),
            },
            Col { title: Msg::ColDaysLeft, width: Constraint::Length(4), cell: days_left },
        ],
        Tab::Intake | Tab::Stats => vec![
            no,
            Col {
                title: Msg::ColDate,
                width: Constraint::Length(5),
                cell: |_, c| china_minute(c.opened_at).get(11..).unwrap_or_default().to_string(),
            },
            who,
            place,
            summary,
            assignee,
        ],
    }
}

/// The filter above the list: what is typed, the structured terms it makes,
/// and how many cases pass.
fn filter_bar(state: &AppState, tab: Tab, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let Some(list) = state.list(tab) else { return };
    let prompt = Msg::FilterPrompt.text(lang);
    let chips: Vec<String> =
        parse_filter(list.filter.value()).iter().filter_map(|t| t.label(lang)).map(|l| format!("[{l}]")).collect();
    let tail = format!("  {} ({}/{})", chips.join(" "), list.visible.len(), state.cases_of(tab).len());
    let room = usize::from(area.width).saturating_sub(prompt.width() + tail.width().min(40));
    let (text, caret) = list.filter.visible(room);
    let pad = room.saturating_sub(text.width());
    let mut spans = vec![Span::styled(prompt, style::accent(state.look)), Span::raw(text), Span::raw(" ".repeat(pad))];
    spans.push(Span::styled(tail, style::accent(state.look)));
    if list.filtering && list.filter.is_empty() {
        spans.push(Span::styled(format!("  {}", Msg::FilterSyntax.text(lang)), style::dim(state.look)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if list.filtering {
        frame.set_cursor_position((area.x + (prompt.width() + caret) as u16, area.y));
    }
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, tab: Tab) {
    let lang = state.lang();
    let Some(list) = state.list(tab) else { return };
    let mut area = area;
    if list.filtering || !list.filter.is_empty() {
        let [bar, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        filter_bar(state, tab, frame, bar);
        area = rest;
    }
    let cases = state.cases_of(tab);
    if list.visible.is_empty() {
        let empty = match tab {
            Tab::Inspections => Msg::NoInspections,
            Tab::FollowUps => Msg::NoFollowUps,
            Tab::Intake => Msg::NoneToday,
            _ => Msg::NoOpenCases,
        };
        let empty = if list.filter.is_empty() { empty } else { Msg::NoMatch };
        let text = if state.loaded { empty.text(lang) } else { Msg::Loading.text(lang) };
        frame.render_widget(Paragraph::new(Line::styled(text, style::dim(state.look))), area);
        return;
    }
    let cols = columns(tab);
    let height = usize::from(area.height.saturating_sub(1));
    // The offset comes from `update`; if the window changed size since, keep
    // the selection in view without changing state.
    let mut offset = list.offset;
    if list.selected < offset || list.selected >= offset + height {
        offset = list.selected.saturating_sub(height.saturating_sub(1));
    }
    let today = state.today();
    let rows: Vec<Row> = list
        .visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .filter_map(|(pos, i)| cases.get(*i).map(|c| (pos, c)))
        .map(|(pos, c)| {
            let late = c.is_overdue(today) || (tab == Tab::FollowUps && c.days_left(today).is_some_and(|d| d < 0));
            let mark = if late { "!" } else { " " };
            let mut cells = vec![Cell::from(mark)];
            cells.extend(cols.iter().map(|col| Cell::from((col.cell)(state, c))));
            let mut st = if late { style::overdue(state.look) } else { Style::new() };
            if pos == list.selected {
                st = st.patch(style::selected());
            }
            Row::new(cells).style(st)
        })
        .collect();
    let mut widths = vec![Constraint::Length(1)];
    widths.extend(cols.iter().map(|c| c.width));
    let mut header = vec![Cell::from("")];
    header.extend(cols.iter().map(|c| Cell::from(c.title.text(lang))));
    let table = Table::new(rows, widths).header(Row::new(header).style(style::header(state.look))).column_spacing(1);
    frame.render_widget(table, area);
}
