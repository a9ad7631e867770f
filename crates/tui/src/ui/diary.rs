//! 民情日记: the cadre's entries (untriaged ones from any day, and
//! today's), stale ones marked; below, the line being typed and what it
//! reads as. Attaching lists the cases the query finds, as 查找 does.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::line_screen::{bottom, line_at, table};
use super::{chrome, style, text};
use crate::app::AppState;
use crate::app::diary::{self, Focus};
use crate::domain::diary::Triaged;
use crate::i18n::{Lang, Msg};

fn triaged(t: &Option<Triaged>, lang: Lang) -> String {
    match t {
        None => Msg::DiaryUntriaged.text(lang).to_string(),
        Some(Triaged::Case(no)) => format!("{} {no}", Msg::DiaryAsCase.text(lang)),
        Some(Triaged::Attached(no)) => format!("{} {no}", Msg::DiaryAttached.text(lang)),
        Some(Triaged::Settled(note)) => format!("{}: {note}", Msg::DiarySettled.text(lang)),
    }
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let look = state.look;
    let today = state.today();
    let d = &state.diary;
    let shown = diary::shown(state);
    let open = shown.iter().filter(|e| e.triaged.is_none()).count();
    let stale = shown.iter().filter(|e| e.is_stale(today)).count();
    let mut head = vec![
        Span::styled(
            format!(
                "{} · {} · {} {}",
                Msg::DiaryOf.text(lang),
                diary::cadre(state),
                today.format("%Y-%m-%d"),
                chrome::weekday(lang, today)
            ),
            style::header(look),
        ),
        Span::raw(format!("   {} {open}", Msg::DiaryUntriaged.text(lang))),
    ];
    if stale > 0 {
        head.push(Span::styled(format!("  ! {} {stale}", Msg::DiaryStale.text(lang)), style::overdue(look)));
    }
    line_at(frame, area, area.y, Line::from(head));
    let table_area = Rect { y: area.y + 1, height: area.height.saturating_sub(3), ..area };
    if d.focus == Focus::Find {
        found(state, frame, table_area);
    } else if shown.is_empty() {
        line_at(frame, area, table_area.y, Line::styled(Msg::DiaryEmpty.text(lang), style::dim(look)));
    } else {
        let height = usize::from(table_area.height.saturating_sub(1));
        let first = d.selected.saturating_sub(height.saturating_sub(1));
        // The request's column is what the fixed ones leave (and their
        // five gaps): a longer request is cut with the mark, as elsewhere.
        let request_w = usize::from(table_area.width).saturating_sub(1 + 5 + 12 + 6 + 16 + 5);
        let rows: Vec<Row> = shown
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(i, e)| {
                let late = e.is_stale(today);
                let selected = i == d.selected && d.focus != Focus::Line;
                let st = match (late, selected) {
                    (true, true) => style::selected_overdue(look),
                    (true, false) => style::overdue(look),
                    (false, true) => style::selected(),
                    (false, false) => Style::new(),
                };
                Row::new(vec![
                    Cell::from(if late { "!" } else { " " }),
                    Cell::from(e.day.format("%m-%d").to_string()),
                    Cell::from(text::fit(&e.place(), 12)),
                    Cell::from(text::fit(&e.line.name, 6)),
                    Cell::from(text::fit(&e.line.request, request_w)),
                    Cell::from(text::fit(&triaged(&e.triaged, lang), 16)),
                ])
                .style(st)
            })
            .collect();
        let header = [Msg::ColDate, Msg::ColPlace, Msg::ColPetitioner, Msg::ColSummary, Msg::KeyDiaryTriageShort]
            .map(|m| Cell::from(m.text(lang)));
        let header = [Cell::from("")].into_iter().chain(header);
        let widths = [
            Constraint::Length(1),
            Constraint::Length(5),
            Constraint::Length(12),
            Constraint::Length(6),
            Constraint::Fill(1),
            Constraint::Length(16),
        ];
        frame.render_widget(table(rows, header, widths, look), table_area);
    }
    // The bottom: what to type (or what the line reads as), then the line.
    let (hint, bad) = match d.focus {
        Focus::Line if !d.line.is_empty() => match diary::read_line(state, d.line.value()) {
            Ok(l) => (format!("= {}{} | {} | {}", l.village, l.group, l.name, l.request), false),
            Err(w) => (format!("! {w}: {}", Msg::ErrDiaryPlace.text(lang)), true),
        },
        Focus::Line | Focus::Entries => (Msg::DiaryHint.text(lang).to_string(), false),
        Focus::Find => (Msg::DiaryFind.text(lang).to_string(), false),
        Focus::Note => (Msg::DiaryNote.text(lang).to_string(), false),
    };
    let st = if bad { style::error(look) } else { style::dim(look) };
    let input = match d.focus {
        Focus::Line | Focus::Entries => &d.line,
        Focus::Find => &d.find.filter,
        Focus::Note => &d.note,
    };
    let caret = bottom(frame, area, look, &hint, st, input);
    if d.focus != Focus::Entries {
        frame.set_cursor_position(caret);
    }
}

/// The cases the attach query finds: number, name, place, summary, status.
fn found(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let f = &state.diary.find;
    let height = usize::from(area.height.saturating_sub(1));
    let first = f.selected.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = f
        .visible
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .filter_map(|(pos, i)| state.data.all.get(*i).map(|c| (pos, c)))
        .map(|(pos, c)| {
            let st = if pos == f.selected { style::selected() } else { Style::new() };
            Row::new(vec![
                Cell::from(c.no.to_string()),
                Cell::from(text::fit(&c.intake.petitioner(lang), 6)),
                Cell::from(text::fit(&c.place(), 12)),
                Cell::from(c.intake.summary.clone()),
                Cell::from(text::fit(c.status.label(lang), 8)),
            ])
            .style(st)
        })
        .collect();
    let header = [Msg::ColNo, Msg::ColPetitioner, Msg::ColPlace, Msg::ColSummary, Msg::ColStatus]
        .map(|m| Cell::from(m.text(lang)));
    let widths = [
        Constraint::Length(9),
        Constraint::Length(6),
        Constraint::Length(12),
        Constraint::Fill(1),
        Constraint::Length(8),
    ];
    frame.render_widget(table(rows, header, widths, state.look), area);
}
