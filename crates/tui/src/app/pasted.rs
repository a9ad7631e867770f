//! A paste of several lines into a one-line entry (日记, 意见箱): the first
//! line goes into the field, the rest wait in turn, each loaded when the
//! line before it is saved or cleared. Nothing pasted is lost or merged.

use std::collections::VecDeque;

use crate::i18n::{Lang, Msg, fill};
use crate::input::TextField;

/// Paste `text` into `field`: its first line at the caret, the other
/// non-blank lines onto `waiting`. The word to say, if any wait.
pub fn paste(field: &mut TextField, waiting: &mut VecDeque<String>, text: &str, lang: Lang) -> Option<String> {
    let mut lines = text.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    field.insert_str(first);
    waiting.extend(lines.map(str::to_string));
    left(waiting, lang)
}

/// The line just saved or cleared: the next waiting one into the field.
pub fn next(field: &mut TextField, waiting: &mut VecDeque<String>, lang: Lang) -> Option<String> {
    field.clear();
    let line = waiting.pop_front()?;
    field.set(&line);
    left(waiting, lang)
}

/// "还有 N 行待录入", when lines wait.
pub fn left(waiting: &VecDeque<String>, lang: Lang) -> Option<String> {
    (!waiting.is_empty()).then(|| fill(Msg::PastedWaiting.text(lang), &[("n", &waiting.len().to_string())]))
}
