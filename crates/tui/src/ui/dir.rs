//! 名录: the township's name, its villages one a line with their groups,
//! the cadres one a line, the duty roster; below, the line being edited
//! and what it will be read as.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{chrome, field, style, text};
use crate::app::AppState;
use crate::app::dir::{self, Edit, Row};
use crate::domain::directory::village_line;
use crate::domain::{DirChange, Directory};
use crate::i18n::{Lang, Msg};

fn row_text(d: &Directory, row: Row, lang: Lang) -> (String, bool) {
    let retired = |r: bool, former: &[String]| {
        let mut s = String::new();
        if r {
            s.push_str(&format!("  [{}]", Msg::DirRetired.text(lang)));
        }
        if let Some(f) = former.last() {
            s.push_str(&format!("  ({} {f})", Msg::DirFormerly.text(lang)));
        }
        s
    };
    match row {
        Row::Township => {
            let name = if d.township.is_empty() { Msg::DirNone.text(lang) } else { d.township.as_str() };
            (format!("{}  {name}", Msg::DirTownship.text(lang)), true)
        }
        Row::VillagesHead => {
            let n = d.villages.iter().filter(|v| !v.retired).count();
            (format!("{}  {n} {}", Msg::DirVillages.text(lang), Msg::Villages.text(lang)), true)
        }
        Row::Village(i) => match d.villages.get(i) {
            Some(v) => {
                let line = village_line(&crate::domain::Village { name: v.name.clone(), groups: v.groups.clone() });
                (format!("  {line}{}", retired(v.retired, &v.former)), false)
            }
            None => (String::new(), false),
        },
        Row::CadresHead => {
            let n = d.cadres.iter().filter(|c| !c.retired).count();
            (format!("{}  {n} {}", Msg::DirCadres.text(lang), Msg::People.text(lang)), true)
        }
        Row::Cadre(i) => match d.cadres.get(i) {
            Some(c) => {
                let k = &c.cadre;
                let login = if k.login.is_empty() { String::new() } else { format!("  @{}", k.login) };
                let line = format!(
                    "  {} {} {} {}{login}{}",
                    text::pad(&k.name, 6),
                    text::pad(&k.post, 10),
                    text::pad(&k.phone, 11),
                    k.covers.join(" "),
                    retired(c.retired, &c.former)
                );
                (line, false)
            }
            None => (String::new(), false),
        },
        Row::Household(i) => match d.households.get(i) {
            Some(p) => {
                let h = &p.household;
                (format!("      {} {} {}{}", Msg::DirHousehold.text(lang), h.name, h.village, h.group), false)
            }
            None => (String::new(), false),
        },
        Row::RosterHead => (Msg::DirRoster.text(lang).to_string(), true),
        Row::Duty(i) => match d.roster.get(i) {
            Some(duty) => {
                let day = chrome::weekday(lang, duty.date);
                (format!("  {} {day}  {}", duty.date.format("%Y-%m-%d"), duty.cadre), false)
            }
            None => (String::new(), false),
        },
    }
}

/// What the edited text will do, as a line: the cadre read from it, the
/// duty days, or why it cannot be read.
fn preview(state: &AppState, edit: &Edit, value: &str) -> Option<(String, bool)> {
    let lang = state.lang();
    // Whose visit to which household, before anything is typed.
    if let Edit::Visit(cadre, h) = edit {
        return Some((format!("= {cadre} → {} {}{}", h.name, h.village, h.group), false));
    }
    if value.trim().is_empty() || !matches!(edit, Edit::Cadre(_) | Edit::Duty | Edit::Pair) {
        return None;
    }
    Some(match dir::changes(state, edit, value) {
        Ok(changes) => {
            let parts: Vec<String> = changes
                .iter()
                .map(|c| match c {
                    DirChange::Cadre(k) => {
                        let login = if k.login.is_empty() { String::new() } else { format!(" @{}", k.login) };
                        format!("= {} | {} | {} | {}{login}", k.name, k.post, k.phone, k.covers.join(" "))
                    }
                    DirChange::Duty { date, cadre } => format!("{} {cadre}", date.format("%m-%d")),
                    DirChange::Pair { cadre, household: h } => {
                        format!("= {cadre} | {} {} | {}{}", Msg::DirHousehold.text(lang), h.name, h.village, h.group)
                    }
                    _ => String::new(),
                })
                .collect();
            (parts.join("  "), false)
        }
        Err((msg, what)) if what.is_empty() => (format!("! {}", msg.text(lang)), true),
        Err((msg, what)) => (format!("! {what}: {}", msg.text(lang)), true),
    })
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let look = state.look;
    let d = &state.data.directory;
    let width = usize::from(area.width);
    // The edit box takes the bottom: a title, its lines, what it reads as.
    let edit_rows: u16 = match &state.dir.edit {
        Some((Edit::Villages, _)) => 8.min(area.height / 2),
        Some(_) => 3,
        None => 0,
    };
    let list_h = area.height.saturating_sub(edit_rows);
    let rows = dir::rows(d);
    let h = usize::from(list_h);
    let first = state.dir.sel.saturating_sub(h.saturating_sub(1));
    for (n, row) in rows.iter().enumerate().skip(first).take(h) {
        let (line, head) = row_text(d, *row, lang);
        let selected = n == state.dir.sel && state.dir.edit.is_none();
        let st = if selected {
            style::selected()
        } else if head {
            style::header(look)
        } else {
            ratatui::style::Style::new()
        };
        let shown = text::pad(&field::clip(&line, width), width);
        let y = area.y + (n - first) as u16;
        frame.render_widget(
            Paragraph::new(Line::styled(shown, st)),
            Rect { x: area.x, y, width: area.width, height: 1 },
        );
    }
    let Some((edit, value)) = &state.dir.edit else { return };
    let top = area.y + list_h;
    let hint = match edit {
        Edit::Villages => Msg::DirVillagesHint,
        Edit::Cadre(_) => Msg::DirCadreHint,
        Edit::Duty => Msg::DirDutyHint,
        Edit::Pair => Msg::DirPairHint,
        Edit::Visit(..) => Msg::DirVisitHint,
        _ if state.dir.setup.is_some() => Msg::SetupKeys,
        _ => Msg::DirEditHint,
    };
    let title = match edit {
        Edit::Township => Msg::DirTownship,
        Edit::Villages => Msg::DirVillages,
        Edit::Cadre(_) => Msg::DirCadres,
        Edit::Duty => Msg::DirRoster,
        Edit::RenameVillage(_) | Edit::RenameCadre(_) => Msg::KeyDirRenameShort,
        Edit::WhoAmI(_) => Msg::WhoLogin,
        Edit::Pair => Msg::DirHousehold,
        Edit::Visit(..) => Msg::KeyDirVisitShort,
    };
    let head = Line::from(vec![
        Span::styled(format!("{}: ", title.text(lang)), style::accent(look)),
        Span::styled(hint.text(lang), style::dim(look)),
    ]);
    frame.render_widget(
        Paragraph::new(text::fit_line(head, width)),
        Rect { x: area.x, y: top, width: area.width, height: 1 },
    );
    let lines_h = match edit {
        Edit::Villages => edit_rows.saturating_sub(1),
        _ => 1,
    };
    let all: Vec<&str> = value.value().split('\n').collect();
    let caret_line = value.caret_line();
    let first = caret_line.saturating_sub(usize::from(lines_h).saturating_sub(1));
    for n in 0..lines_h {
        let at = first + usize::from(n);
        let y = top + 1 + n;
        let line = if at == caret_line {
            let (l, caret) = field::focused(look, value, width, &[], None);
            frame.set_cursor_position((area.x + caret as u16, y));
            l
        } else {
            field::focused_row(all.get(at).copied().unwrap_or(""), width)
        };
        frame.render_widget(Paragraph::new(line), Rect { x: area.x, y, width: area.width, height: 1 });
    }
    if let Some((p, bad)) = preview(state, edit, value.value()) {
        let st = if bad { style::error(look) } else { style::dim(look) };
        let y = top + 2;
        let shown = field::clip(&p, width);
        frame.render_widget(
            Paragraph::new(Line::styled(shown, st)),
            Rect { x: area.x, y, width: area.width, height: 1 },
        );
    }
}
