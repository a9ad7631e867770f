//! Selection and filtering of a list: view state, kept apart from the data.

use crate::domain::Case;
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

impl ListView {
    pub fn refilter(&mut self, cases: &[Case]) {
        let q = self.filter.value().to_string();
        let keep_no = self.visible.get(self.selected).and_then(|i| cases.get(*i)).map(|c| c.no);
        self.visible = cases
            .iter()
            .enumerate()
            .filter(|(_, c)| q.is_empty() || q.split_whitespace().all(|w| matches_case(w, c)))
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

fn matches_case(word: &str, c: &Case) -> bool {
    pinyin::matches(word, &haystack(c))
}
