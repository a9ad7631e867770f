//! Selection and filtering of a list: view state, kept apart from the data.

use chrono::NaiveDate;

use crate::domain::Case;
use crate::i18n::{Lang, Msg};
use crate::input::search::{Query, SearchKey};
use crate::input::{TextField, pinyin};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListView {
    pub selected: usize,
    pub offset: usize,
    /// Indices into the tab's cases that pass the filter.
    pub visible: Vec<usize>,
    pub filter: TextField,
    pub filtering: bool,
    /// One search key per case, in the list's order: built when the list is
    /// loaded or a case changes, never per keystroke.
    keys: Vec<SearchKey>,
    /// The query `visible` was computed for: a longer one only narrows it.
    last_query: String,
    /// The list is in memory: switching to its tab reads nothing.
    pub loaded: bool,
    /// Results of the shorter queries typed on the way here, so Backspace
    /// goes back without searching again.
    earlier: Vec<(String, Vec<usize>)>,
}

fn key_of(c: &Case) -> SearchKey {
    let no = c.no.to_string();
    let answer = c.conclusion.as_ref().map_or("", |k| k.reason.as_str());
    SearchKey::new(
        &c.intake.name,
        &[&no, &c.intake.phone, &c.intake.village, &c.intake.group, &c.intake.category, &c.intake.summary],
    )
    .with_text(&[&c.intake.details, answer])
}

/// The text a case is found by: number, names, phone, place, summary, its
/// details and the answer given.
fn haystack(c: &Case) -> String {
    format!(
        "{} {} {} {} {} {} {} {} {}",
        c.no,
        c.intake.name,
        c.intake.phone,
        c.intake.village,
        c.intake.group,
        c.intake.category,
        c.intake.summary,
        c.intake.details,
        c.conclusion.as_ref().map_or("", |k| k.reason.as_str())
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

/// Is every case `new` matches also matched by `old`? True when `new` has
/// the same terms with the last one only lengthened, or more terms after.
fn refines(old: &[Term], new: &[Term]) -> bool {
    if old.len() > new.len() || old.is_empty() {
        return false;
    }
    let last = old.len() - 1;
    old.iter().zip(new).enumerate().all(|(i, (o, n))| {
        if i < last || o == n {
            return o == n;
        }
        let (ov, nv) = match (o, n) {
            (Term::Text(a), Term::Text(b))
            | (Term::Status(a), Term::Status(b))
            | (Term::Village(a), Term::Village(b))
            | (Term::Category(a), Term::Category(b))
            | (Term::Assignee(a), Term::Assignee(b))
            | (Term::Channel(a), Term::Channel(b)) => (a, b),
            _ => return false,
        };
        nv.starts_with(ov.as_str())
    })
}

/// A term made ready for a whole list: the text word's searcher built once,
/// structured terms remembered per distinct field value (a list has few
/// villages, categories and cadres).
struct Prepared<'a> {
    term: &'a Term,
    query: Option<Query>,
    memo: std::collections::HashMap<String, bool>,
}

impl Prepared<'_> {
    fn matches(&mut self, c: &Case, key: Option<&SearchKey>, today: NaiveDate) -> bool {
        match (self.term, &self.query, key) {
            (Term::Text(_), Some(q), Some(k)) => k.matches(q),
            (Term::Overdue, _, _) => term_matches(self.term, c, today),
            (Term::Text(_), _, _) => term_matches(self.term, c, today),
            _ => {
                let value = field_value(self.term, c);
                if let Some(hit) = self.memo.get(&value) {
                    return *hit;
                }
                let hit = term_matches(self.term, c, today);
                self.memo.insert(value, hit);
                hit
            }
        }
    }
}

/// The field a structured term looks at.
fn field_value(t: &Term, c: &Case) -> String {
    match t {
        Term::Status(_) => format!("{:?}", c.status),
        Term::Village(_) => c.intake.village.clone(),
        Term::Category(_) => c.intake.category.clone(),
        Term::Assignee(_) => c.assignee.clone().unwrap_or_default(),
        Term::Channel(_) => format!("{:?}", c.intake.channel),
        Term::Text(_) | Term::Overdue => String::new(),
    }
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
    /// The list was (re)loaded: build every key afresh.
    pub fn reset(&mut self, cases: &[Case], today: NaiveDate) {
        self.keys = cases.iter().map(key_of).collect();
        self.last_query.clear();
        self.earlier.clear();
        self.refilter(cases, today);
    }

    /// Put a changed case where it now belongs in `cases` (or take it out),
    /// keeping the keys in step. `place` is the list's sort key (None: not
    /// listed).
    pub fn patch<K: Ord>(&mut self, cases: &mut Vec<Case>, changed: &Case, place: impl Fn(&Case) -> Option<K>) {
        if self.keys.len() != cases.len() {
            self.keys = cases.iter().map(key_of).collect();
        }
        if let Some(i) = cases.iter().position(|c| c.no == changed.no) {
            cases.remove(i);
            self.keys.remove(i);
        }
        if let Some(key) = place(changed) {
            let key = Some(key);
            let at = cases.partition_point(|c| (place(c).as_ref(), c.no) < (key.as_ref(), changed.no));
            cases.insert(at, changed.clone());
            self.keys.insert(at, key_of(changed));
        }
        // Positions moved: the next filter starts from the whole list.
        self.last_query.clear();
        self.earlier.clear();
    }

    pub fn refilter(&mut self, cases: &[Case], today: NaiveDate) {
        let query = self.filter.value().to_string();
        let terms = parse_filter(&query);
        if self.keys.len() != cases.len() {
            self.keys = cases.iter().map(key_of).collect();
            self.last_query.clear();
        }
        let keep_no = self.visible.get(self.selected).and_then(|i| cases.get(*i)).map(|c| c.no);
        // Back to a query typed on the way here (Backspace): its result.
        if self.last_query.is_empty() {
            self.earlier.clear();
        }
        if let Some(at) = self.earlier.iter().position(|(q, _)| *q == query) {
            self.visible = self.earlier[at].1.clone();
            self.earlier.truncate(at);
            self.last_query = query;
            self.reselect(cases, keep_no);
            return;
        }
        // Typing on only narrows: search within what passed before.
        let narrowing = !self.last_query.is_empty() && refines(&parse_filter(&self.last_query), &terms);
        if narrowing && self.earlier.len() < 32 {
            self.earlier.push((self.last_query.clone(), self.visible.clone()));
        } else if !narrowing {
            self.earlier.clear();
        }
        let candidates: Vec<usize> =
            if narrowing { std::mem::take(&mut self.visible) } else { (0..cases.len()).collect() };
        let keys = &self.keys;
        let scan = |part: &[usize]| -> Vec<usize> {
            // One word typed (the usual case): only the keys are searched.
            if let [Term::Text(q)] = terms.as_slice()
                && keys.len() == cases.len()
            {
                let q = Query::new(q);
                return part.iter().copied().filter(|i| keys.get(*i).is_some_and(|k| k.matches(&q))).collect();
            }
            let mut prepared: Vec<Prepared> = terms
                .iter()
                .map(|t| Prepared {
                    term: t,
                    query: if let Term::Text(q) = t { Some(Query::new(q)) } else { None },
                    memo: Default::default(),
                })
                .collect();
            part.iter()
                .copied()
                .filter(|i| {
                    let Some(c) = cases.get(*i) else { return false };
                    prepared.iter_mut().all(|p| p.matches(c, keys.get(*i), today))
                })
                .collect()
        };
        // A long list is searched on every core at once (the desk's server
        // has a few); order is kept by joining the parts in turn.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        self.visible = if candidates.len() < 20_000 || cores < 2 {
            scan(&candidates)
        } else {
            let chunk = candidates.len().div_ceil(cores);
            std::thread::scope(|s| {
                let parts: Vec<_> = candidates.chunks(chunk).map(|part| s.spawn(|| scan(part))).collect();
                parts.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
            })
        };
        self.last_query = query;
        self.reselect(cases, keep_no);
    }

    /// Keep the selected case selected, if it is still listed.
    fn reselect(&mut self, cases: &[Case], keep: Option<crate::domain::CaseNo>) {
        self.selected = keep
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

#[cfg(test)]
mod tests {
    use super::{parse_filter, refines};

    #[test]
    fn only_true_refinements_narrow() {
        let r = |a: &str, b: &str| refines(&parse_filter(a), &parse_filter(b));
        assert!(r("bd", "bdz"));
        assert!(r("村:l", "村:ld"));
        assert!(r("村:ld", "村:ld 超期"));
        assert!(!r("村:ld 状", "村:ld 状态:dck"), "text 状 became a field");
        assert!(!r("bdz", "bd"));
        assert!(!r("", "b"));
    }
}
