//! 群众意见箱: the openings with their figures (slips, rectified); in an
//! opening, its head and count, the slips entered so far, the line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::line_screen::{bottom, line_at, table};
use super::{field, style, text};
use crate::app::AppState;
use crate::app::opinion_box::read_slip;
use crate::i18n::Msg;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let look = state.look;
    let b = &state.opinion;
    let t = |m: Msg| m.text(lang);
    let width = usize::from(area.width);
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(3), ..area };
    match b.session {
        None => {
            line_at(frame, area, area.y, Line::styled(t(Msg::BoxTitle), style::header(look)));
            if state.data.openings.is_empty() {
                line_at(frame, area, body.y, Line::styled(t(Msg::BoxNone), style::dim(look)));
            } else {
                let height = usize::from(body.height.saturating_sub(1));
                let skip = state.data.openings.len().saturating_sub(height);
                let rows: Vec<Row> = state.data.openings[skip..]
                    .iter()
                    .map(|o| {
                        Row::new(vec![
                            Cell::from(format!("#{}", o.no)),
                            Cell::from(o.date.format("%Y-%m-%d").to_string()),
                            Cell::from(text::fit(&o.opened_by, 8)),
                            Cell::from(o.witnesses.join(" ")),
                            Cell::from(o.slips.to_string()),
                            Cell::from(o.rectified.to_string()),
                        ])
                    })
                    .collect();
                let header = [
                    Msg::BoxOpening,
                    Msg::ColDate,
                    Msg::BoxOpenedBy,
                    Msg::BoxWitnesses,
                    Msg::BoxSlips,
                    Msg::BoxRectified,
                ]
                .map(|m| Cell::from(m.text(lang)));
                let widths = [
                    Constraint::Length(5),
                    Constraint::Length(10),
                    Constraint::Length(8),
                    Constraint::Fill(1),
                    Constraint::Length(6),
                    Constraint::Length(6),
                ];
                frame.render_widget(table(rows, header, widths, look), body);
            }
        }
        Some(no) => {
            let tally = state.data.openings.iter().find(|o| o.no == no);
            let entered = tally.map_or(0, |o| o.slips as usize).max(b.slips.len());
            let rectified = tally.map_or(0, |o| o.rectified);
            let who = tally
                .map(|o| {
                    format!(
                        " · {} · {} {} · {} {}",
                        o.date.format("%Y-%m-%d"),
                        t(Msg::BoxOpenedBy),
                        o.opened_by,
                        t(Msg::BoxWitnesses),
                        o.witnesses.join(" ")
                    )
                })
                .unwrap_or_default();
            // The counts first: they are what the session is watched for.
            let head = Line::from(vec![
                Span::styled(format!("{} #{no}  ", t(Msg::BoxOpening)), style::header(look)),
                Span::styled(
                    format!("{} {entered} · {} {rectified}", t(Msg::BoxSlips), t(Msg::BoxRectified)),
                    style::accent(look),
                ),
                Span::styled(who, style::header(look)),
            ]);
            line_at(frame, area, area.y, head);
            let height = usize::from(body.height);
            let skip = b.slips.len().saturating_sub(height);
            for (i, (case, category, text)) in b.slips.iter().enumerate().skip(skip) {
                let y = body.y + (i - skip) as u16;
                let row = format!("{:>3}. {case}  {}  {text}", i + 1, text::pad(category, 8));
                line_at(frame, area, y, Line::raw(field::clip(&row, width)));
            }
        }
    }
    let hint = match b.session {
        None => t(Msg::BoxOpenHint).to_string(),
        Some(_) => {
            // Letters naming no category show `?`: Enter will refuse them.
            let category = read_slip(b.line.value(), &b.category).map_or_else(|_| "?".to_string(), |(c, _)| c);
            let shown = if category.is_empty() { "-".to_string() } else { category };
            format!("{}: {shown}   {}", t(Msg::BoxCategory), t(Msg::BoxSlipHint))
        }
    };
    let caret = bottom(frame, area, look, &hint, style::dim(look), &b.line);
    frame.set_cursor_position(caret);
}
