//! A one-line (or multi-line) text field. The caret is a byte index kept on
//! grapheme boundaries and drawn at the display width of the text before it,
//! so CJK and emoji put the terminal cursor (and the IME window) in the
//! right column.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextField {
    value: String,
    caret: usize,
    multiline: bool,
    /// Just entered with a value in it: the first character typed replaces
    /// the value (as a 3270 field or a spreadsheet cell does); moving the
    /// caret keeps it.
    fresh: bool,
    /// The cursor has gone past this field (or come round to it again):
    /// entering it now puts the caret at the end, nothing selected.
    passed: bool,
}

/// Characters a field accepts as typed or pasted: no controls (line breaks
/// only in a multi-line field), no bidi or zero-width tricks.
fn accept(c: char, multiline: bool) -> Option<char> {
    match c {
        '\n' | '\r' if multiline => Some('\n'),
        '\n' | '\r' | '\t' => Some(' '),
        // A full-width space (U+3000, from an IME in full-width mode) or
        // another space is a word break: every parser splits on ' '.
        c if c.is_whitespace() => Some(' '),
        c => {
            let s = c.to_string();
            (!crate::domain::text::clean_line(&s).is_empty() || c == ' ').then_some(c)
        }
    }
}

impl TextField {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn multiline() -> Self {
        TextField { multiline: true, ..Self::default() }
    }

    pub fn with_value(value: &str) -> Self {
        let mut f = Self::new();
        f.set(value);
        f
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    pub fn set(&mut self, value: &str) {
        self.value.clear();
        self.caret = 0;
        self.insert_str(value);
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.caret = 0;
        self.fresh = false;
    }

    /// Entering the field: caret at the end; the first time, a value in it
    /// is shown selected and the next keystroke replaces it.
    pub fn enter(&mut self) {
        self.caret = self.value.len();
        self.fresh = !self.value.is_empty() && !self.passed;
    }

    /// Shown selected, caret at the end: the next key replaces the value
    /// (a suggestion just chosen with Ctrl+N/P).
    pub fn select(&mut self) {
        self.caret = self.value.len();
        self.fresh = !self.value.is_empty();
    }

    /// The cursor went past the field: coming back never selects it.
    pub fn pass(&mut self) {
        self.passed = true;
        self.fresh = false;
    }

    /// A form started afresh (Ctrl+U): the first visit selects again.
    pub fn renew(&mut self) {
        self.passed = false;
    }

    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    fn replace_if_fresh(&mut self) {
        if self.fresh {
            self.clear();
        }
    }

    pub fn insert(&mut self, c: char) {
        self.replace_if_fresh();
        if let Some(c) = accept(c, self.multiline) {
            self.value.insert(self.caret, c);
            self.caret += c.len_utf8();
        }
    }

    /// A paste or an IME burst: cleaned, inserted at the caret in one go.
    pub fn insert_str(&mut self, s: &str) {
        self.replace_if_fresh();
        let s = s.replace("\r\n", "\n");
        let clean: String = s.chars().filter_map(|c| accept(c, self.multiline)).collect();
        self.value.insert_str(self.caret, &clean);
        self.caret += clean.len();
    }

    fn prev_boundary(&self) -> Option<usize> {
        self.value[..self.caret].grapheme_indices(true).next_back().map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.value[self.caret..].graphemes(true).next().map(|g| self.caret + g.len())
    }

    pub fn left(&mut self) {
        self.fresh = false;
        if let Some(i) = self.prev_boundary() {
            self.caret = i;
        }
    }

    pub fn right(&mut self) {
        self.fresh = false;
        if let Some(i) = self.next_boundary() {
            self.caret = i;
        }
    }

    pub fn home(&mut self) {
        self.fresh = false;
        self.caret = self.value[..self.caret].rfind('\n').map_or(0, |i| i + 1);
    }

    pub fn end(&mut self) {
        self.fresh = false;
        self.caret = self.value[self.caret..].find('\n').map_or(self.value.len(), |i| self.caret + i);
    }

    /// Removes one whole character (grapheme) before the caret.
    pub fn backspace(&mut self) {
        self.fresh = false;
        if let Some(i) = self.prev_boundary() {
            self.value.replace_range(i..self.caret, "");
            self.caret = i;
        }
    }

    pub fn delete(&mut self) {
        self.fresh = false;
        if let Some(i) = self.next_boundary() {
            self.value.replace_range(self.caret..i, "");
        }
    }

    /// Display column of the caret within its line.
    pub fn caret_column(&self) -> usize {
        let line_start = self.value[..self.caret].rfind('\n').map_or(0, |i| i + 1);
        self.value[line_start..self.caret].width()
    }

    /// Which line the caret is on (multi-line fields).
    pub fn caret_line(&self) -> usize {
        self.value[..self.caret].matches('\n').count()
    }

    /// The part of the caret's line that fits in `width` columns, scrolled so
    /// the caret is visible, and the caret's column within it. Wide
    /// characters are never cut in half.
    pub fn visible(&self, width: usize) -> (String, usize) {
        let line_start = self.value[..self.caret].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.value[self.caret..].find('\n').map_or(self.value.len(), |i| self.caret + i);
        let line = &self.value[line_start..line_end];
        let caret_in_line = self.caret - line_start;
        if width == 0 {
            return (String::new(), 0);
        }
        // Drop graphemes from the left until the caret fits (one column is
        // kept for the caret itself at the end of the text).
        let mut start = 0;
        while self.value[line_start + start..self.caret].width() + 1 > width && start < caret_in_line {
            start += line[start..].graphemes(true).next().map_or(1, str::len);
        }
        // A caret within the line's last screenful shows that screenful:
        // what follows the caret stays in sight (a word corrected near the
        // end of a long summary).
        let mut tail = start;
        while line[tail..].width() + 1 > width && tail < caret_in_line {
            tail += line[tail..].graphemes(true).next().map_or(1, str::len);
        }
        if line[tail..].width() < width {
            start = start.max(tail);
        }
        let mut out = String::new();
        let mut used = 0;
        for g in line[start..].graphemes(true) {
            let w = g.width();
            if used + w > width {
                break;
            }
            out.push_str(g);
            used += w;
        }
        (out, line[start..caret_in_line].width())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_moves_by_whole_characters_and_columns_by_width() {
        let mut f = TextField::new();
        for c in "张三abc".chars() {
            f.insert(c);
        }
        assert_eq!(f.caret_column(), 7);
        f.left();
        f.left();
        f.left();
        assert_eq!(f.caret_column(), 4);
        f.home();
        assert_eq!(f.caret_column(), 0);
        f.end();
        f.backspace();
        assert_eq!(f.value(), "张三ab");
        f.left();
        f.left();
        f.backspace();
        assert_eq!(f.value(), "张ab");
        assert_eq!(f.caret_column(), 2);
    }

    #[test]
    fn a_value_entered_fresh_is_replaced_by_typing_but_kept_by_moving() {
        let mut f = TextField::with_value("1");
        f.enter();
        f.insert('3');
        assert_eq!(f.value(), "3");
        let mut g = TextField::with_value("接待日");
        g.enter();
        g.left();
        g.insert('x');
        assert_eq!(g.value(), "接待x日");
    }

    #[test]
    fn emoji_with_modifiers_is_one_character() {
        let mut f = TextField::with_value("a👍🏽");
        f.backspace();
        assert_eq!(f.value(), "a");
    }

    #[test]
    fn pasted_escapes_are_dropped_and_lines_joined() {
        let mut f = TextField::new();
        f.insert_str("唐\u{1b}]0;x\u{7}科\n名\u{202e}");
        assert_eq!(f.value(), "唐]0;x科 名");
        let mut m = TextField::multiline();
        m.insert_str("一\r\n二");
        assert_eq!(m.value(), "一\n二");
    }

    #[test]
    fn near_the_end_of_a_long_line_what_follows_the_caret_stays_in_sight() {
        let mut f = TextField::with_value("一二三四五六七八九十");
        f.left();
        f.left();
        let (text, col) = f.visible(11);
        assert_eq!(text, "六七八九十");
        assert_eq!(col, 6);
    }

    #[test]
    fn visible_window_keeps_caret_and_never_cuts_wide_glyphs() {
        let f = TextField::with_value("坝达章村坝汪组");
        let (text, col) = f.visible(6);
        assert_eq!(text, "汪组");
        assert_eq!(col, 4);
        let mut g = f.clone();
        g.home();
        let (text, col) = g.visible(5);
        assert_eq!(text, "坝达");
        assert_eq!(col, 0);
    }
}
