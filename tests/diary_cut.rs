//! 民情日记's entries list: a request longer than its column is cut with
//! the mark (`>`), as every other column is, so a cadre can tell the
//! request goes on (found by attack15: the column was clipped silently).

mod common;

use common::Desk;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};

const LONG: &str = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";

#[test]
fn a_long_request_is_cut_with_the_mark_in_the_entries_list() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(8));
    desk.type_text(&format!("bdzcwz 罗某 {LONG}")).cmd(Scope::Diary, Cmd::Save);
    assert_eq!(desk.message(), "已保存");
    let text = desk.text();
    let row = text.lines().find(|l| l.contains("罗某")).expect("the entry's row");
    let (before, after) = row.split_once('>').expect("the request is cut with the mark");
    assert!(before.contains("一二三四五六七"), "the request's start is shown: {row}");
    assert!(after.contains("待分流"), "its triage column follows, whole: {row}");
    assert!(!row.contains(LONG), "the request is longer than the column: {row}");
}
