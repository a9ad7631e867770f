//! The case lists: Pending, Inspections, Follow-ups, today's intakes and
//! the search over every case. Only the rows on screen are built; a cell
//! too long for its column is cut with a mark, never silently.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::app::list::parse_filter;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{style, text};
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
        Tab::Search => vec![
            no,
            date,
            who,
            place,
            summary,
            Col {
                title: Msg::ColStatus,
                width: Constraint::Length(7),
                cell: |s, c| c.status.label(s.lang()).to_string(),
            },
            Col {
                title: Msg::ColOutcome,
                width: Constraint::Length(11),
                cell: |s, c| c.conclusion.as_ref().map(|k| k.outcome.label(s.lang()).to_string()).unwrap_or_default(),
            },
        ],
        Tab::Intake | Tab::Stats | Tab::Directory | Tab::Calls | Tab::Diary | Tab::Box => vec![
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
    let prompt = if tab == Tab::Search { Msg::SearchPrompt } else { Msg::FilterPrompt }.text(lang);
    let chips: Vec<String> =
        parse_filter(list.filter.value()).iter().filter_map(|t| t.label(lang)).map(|l| format!("[{l}]")).collect();
    let tail = format!("  {} ({}/{})", chips.join(" "), list.visible.len(), state.cases_of(tab).len());
    let tail = text::fit(&tail, 40);
    let room = usize::from(area.width).saturating_sub(text::width(prompt) + text::width(&tail));
    let (typed, caret) = list.filter.visible(room);
    let pad = room.saturating_sub(text::width(&typed));
    let mut spans = vec![Span::styled(prompt, style::accent(state.look)), Span::raw(typed), Span::raw(" ".repeat(pad))];
    spans.push(Span::styled(tail, style::accent(state.look)));
    if list.filtering && list.filter.is_empty() {
        let hint = if tab == Tab::Search { Msg::SearchHint } else { Msg::FilterSyntax };
        spans.push(Span::styled(format!("  {}", hint.text(lang)), style::dim(state.look)));
    }
    frame.render_widget(text::fit_line(Line::from(spans), usize::from(area.width)), area);
    if list.filtering {
        frame.set_cursor_position((area.x + (text::width(prompt) + caret) as u16, area.y));
    }
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, tab: Tab) {
    let lang = state.lang();
    let Some(list) = state.list(tab) else { return };
    let mut area = area;
    if list.filtering || !list.filter.is_empty() || tab == Tab::Search {
        let [bar, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        filter_bar(state, tab, frame, bar);
        area = rest;
    }
    // 待办's header: diary entries left untriaged too long.
    let stale = crate::app::diary::stale_count(state);
    if tab == Tab::Pending && stale > 0 {
        let [head, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let n = stale.to_string();
        let say = format!("! {}", crate::i18n::fill(Msg::DiaryStaleHeader.text(lang), &[("n", &n)]));
        frame.render_widget(
            text::fit_line(Line::styled(say, style::overdue(state.look)), usize::from(head.width)),
            head,
        );
        area = rest;
    }
    let cases = state.cases_of(tab);
    if list.visible.is_empty() {
        let empty = match tab {
            Tab::Inspections => Msg::NoInspections,
            Tab::FollowUps => Msg::NoFollowUps,
            Tab::Intake => Msg::NoneToday,
            Tab::Search => Msg::NoCases,
            _ => Msg::NoOpenCases,
        };
        let empty = if list.filter.is_empty() { empty } else { Msg::NoMatch };
        let loaded = state.loaded && (tab != Tab::Search || list.loaded);
        let say = if loaded { empty.text(lang) } else { Msg::Loading.text(lang) };
        let line = text::fit_line(Line::styled(say, style::dim(state.look)), usize::from(area.width));
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let cols = columns(tab);
    // The columns' widths, as the table will lay them out: each cell is
    // fitted to its own, with a mark where it is cut.
    let mut constraints = vec![Constraint::Length(1)];
    constraints.extend(cols.iter().map(|c| c.width));
    let widths = text::columns(&constraints, area.width);
    let width_of = |i: usize| widths.get(i + 1).copied().unwrap_or(0);
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
            // Overdue as the `超期` filter counts it: open past the deadline,
            // or (where concluded cases are listed) the return visit late.
            let visits = matches!(tab, Tab::FollowUps | Tab::Search);
            let late = c.is_overdue(today) || (visits && c.days_left(today).is_some_and(|d| d < 0));
            let mark = if late { "!" } else { " " };
            let mut cells = vec![Cell::from(mark)];
            cells.extend(
                cols.iter().enumerate().map(|(i, col)| Cell::from(text::fit(&(col.cell)(state, c), width_of(i)))),
            );
            let st = match (late, pos == list.selected) {
                (true, true) => style::selected_overdue(state.look),
                (true, false) => style::overdue(state.look),
                (false, true) => style::selected(),
                (false, false) => Style::new(),
            };
            Row::new(cells).style(st)
        })
        .collect();
    let mut header = vec![Cell::from("")];
    header.extend(cols.iter().enumerate().map(|(i, c)| Cell::from(text::fit(c.title.text(lang), width_of(i)))));
    let widths = widths.into_iter().map(|w| Constraint::Length(w as u16));
    let table = Table::new(rows, widths).header(Row::new(header).style(style::header(state.look))).column_spacing(1);
    frame.render_widget(table, area);
}
