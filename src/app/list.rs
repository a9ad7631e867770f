//! Selection and filtering of a list: view state, kept apart from the data.

use chrono::NaiveDate;

use crate::domain::Case;
use crate::i18n::{Lang, Msg};
use crate::input::{TextField, pinyin};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListView {
    pub selected: usize,
    pub offset: usize,
    /// Indices into the tab's cases that pass the filter.
    pub visible: Vec<usize>,
    pub filter: TextField,
    pub filtering: bool,
}

/// The text a case is found by: number, names, phone, place, summary.
fn haystack(c: &Case) -> String {
    format!(
        "{} {} {} {} {} {} {}",
        c.no, c.intake.name, c.intake.phone, c.intake.village, c.intake.group, c.intake.category, c.intake.summary
    )
}

/// One part of a filter: free text, or a field and what it must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Text(String),
    Status(String),
    Village(String),
    Category(String),
    Assignee(String),
    Channel(String),
    Overdue,
}

impl Term {
    /// The structured terms show above the list; this is how.
    pub fn label(&self, lang: Lang) -> Option<String> {
        let (m, v) = match self {
            Term::Text(_) => return None,
            Term::Overdue => return Some(Msg::Overdue.text(lang).to_string()),
            Term::Status(v) => (Msg::ColStatus, v),
            Term::Village(v) => (Msg::FVillage, v),
            Term::Category(v) => (Msg::ColCategory, v),
            Term::Assignee(v) => (Msg::ColAssignee, v),
            Term::Channel(v) => (Msg::FChannel, v),
        };
        Some(format!("{}={v}", m.text(lang)))
    }
}

/// `村:bdz 状态:办理中 超期 唐` — fields by Chinese or one-letter names,
/// with either colon; `超期` or `!` for overdue only; the rest is text.
pub fn parse_filter(q: &str) -> Vec<Term> {
    q.split_whitespace()
        .map(|w| {
            if matches!(w, "超期" | "!" | "！" | "overdue") {
                return Term::Overdue;
            }
            let Some((k, v)) = w.split_once([':', '：']) else { return Term::Text(w.to_string()) };
            let v = v.to_string();
            match k.to_lowercase().as_str() {
                "状态" | "s" | "status" => Term::Status(v),
                "村" | "v" | "village" => Term::Village(v),
                "类" | "类别" | "c" | "category" => Term::Category(v),
                "人" | "承办" | "承办人" | "a" | "assignee" => Term::Assignee(v),
                "来源" | "源" | "h" | "channel" => Term::Channel(v),
                _ => Term::Text(w.to_string()),
            }
        })
        .collect()
}

fn term_matches(t: &Term, c: &Case, today: NaiveDate) -> bool {
    let m = |q: &str, text: &str| pinyin::matches(q, text);
    match t {
        Term::Text(q) => m(q, &haystack(c)),
        Term::Status(q) => m(q, c.status.label(Lang::Zh)) || m(q, c.status.label(Lang::En)),
        Term::Village(q) => m(q, &c.intake.village),
        Term::Category(q) => m(q, &c.intake.category),
        Term::Assignee(q) => m(q, c.assignee.as_deref().unwrap_or("")),
        Term::Channel(q) => m(q, c.intake.channel.label(Lang::Zh)) || m(q, c.intake.channel.label(Lang::En)),
        Term::Overdue => c.is_overdue(today) || c.days_left(today).is_some_and(|d| d < 0),
    }
}

impl ListView {
    pub fn refilter(&mut self, cases: &[Case], today: NaiveDate) {
        let terms = parse_filter(self.filter.value());
        let keep_no = self.visible.get(self.selected).and_then(|i| cases.get(*i)).map(|c| c.no);
        self.visible = cases
            .iter()
            .enumerate()
            .filter(|(_, c)| terms.iter().all(|t| term_matches(t, c, today)))
            .map(|(i, _)| i)
            .collect();
        self.selected = keep_no
            .and_then(|no| self.visible.iter().position(|i| cases.get(*i).is_some_and(|c| c.no == no)))
            .unwrap_or(0);
        self.clamp();
    }

    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    pub fn clamp(&mut self) {
        if self.visible.is_empty() {
            self.selected = 0;
        } else if self.selected >= self.visible.len() {
            self.selected = self.visible.len() - 1;
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let max = self.visible.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, max) as usize;
    }

    pub fn first(&mut self) {
        self.selected = 0;
    }

    pub fn last(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }

    /// Keep the selection inside a window of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        if height == 0 {
            return;
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }
}
