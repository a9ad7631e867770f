//! Attack finding (attack16): the README says a value too long for its
//! column ends in `>`. On the intake form, a field the cursor has left
//! showed as much of its value as fitted and nothing more: a summary of 30
//! characters in a 40-column field showed 20, with no sign that the rest
//! was there.

mod common;

use common::Desk;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};

const LONG: &str = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";

/// The screen's row holding `label`.
fn row(text: &str, label: &str) -> String {
    text.lines().find(|l| l.contains(label)).unwrap_or_else(|| panic!("no {label} row:\n{text}")).to_string()
}

#[test]
fn a_summary_longer_than_its_field_ends_in_the_mark_once_the_cursor_leaves() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    for _ in 0..13 {
        if desk.text().contains(">事由") {
            break;
        }
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    assert!(desk.text().contains(">事由"), "{}", desk.text());
    desk.type_text(LONG);
    desk.cmd(Scope::Form, Cmd::NextField);
    let text = desk.text();
    let summary = row(&text, "事由");
    let shown = summary.split("事由").nth(1).unwrap_or("").trim_end_matches('│').trim();
    assert!(shown.starts_with("一二三四五"), "{text}");
    assert!(shown.ends_with('>'), "the cut summary carries no mark: {summary:?}\n{text}");
    // Details typed on one line, as long: cut with the mark too.
    desk.type_text(LONG);
    desk.cmd(Scope::Form, Cmd::NextField);
    let text = desk.text();
    let details = row(&text, "详情");
    assert!(details.trim_end_matches('│').trim_end().ends_with('>'), "{details:?}\n{text}");
}
