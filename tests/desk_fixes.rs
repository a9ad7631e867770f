//! The tester's attack on the desk (h-fixa): a prefilled value is never
//! replaced unseen, a refused key is always said, restored drafts are told
//! in a line that fits and listed in help. Keys in, screen and database out.

mod common;

use common::Desk;
use jiedai::app::action::ActionKind;
use jiedai::app::form::Field;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

/// Where `needle` is drawn on screen: its first cell (x, y).
fn find(desk: &Desk, needle: &str) -> Option<(u16, u16)> {
    let text = desk.text();
    text.lines()
        .enumerate()
        .find_map(|(y, l)| l.find(needle).map(|i| (UnicodeWidthStr::width(&l[..i]) as u16, y as u16)))
}

fn modifier_at(desk: &Desk, at: (u16, u16)) -> Modifier {
    desk.term.backend().buffer()[at].modifier
}

fn row_of(desk: &Desk, needle: &str) -> String {
    desk.text().lines().find(|l| l.contains(needle)).unwrap_or_default().to_string()
}

/// The tester's steps: call a returning resident, a refused Ctrl+T (请填写
/// 理由), Tab round to 姓名: the name was gone past, so a key types after it
/// and never replaces it unseen (issue 11 #1: only what is shown selected
/// is replaced).
#[test]
fn coming_round_to_a_prefilled_name_never_replaces_it() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Queue, Cmd::AddArrival).type_text("唐科名 纳省村").cmd(Scope::Adding, Cmd::AddDone);
    desk.cmd(Scope::Queue, Cmd::Call);
    assert_eq!(desk.state.intake.form.focus, Field::Phone);
    desk.cmd(Scope::Form, Cmd::AsContact).cmd(Scope::Revisit, Cmd::Reopen);
    assert_eq!(desk.message(), "请填写理由");
    for _ in 0..5 {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    assert_eq!(desk.state.intake.form.focus, Field::Name);
    let at = find(&desk, ">姓名").map(|(x, y)| (x + 10, y)).expect("name row");
    assert!(row_of(&desk, ">姓名").contains("唐科名"), "{}", desk.text());
    assert!(!modifier_at(&desk, at).contains(Modifier::REVERSED), "shown selected: {}", desk.text());
    desk.type_text("x");
    assert_eq!(desk.state.intake.form.value(Field::Name), "唐科名x");
    // A dialog the same: round to its first field, the value is kept.
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open).cmd(Scope::Detail, Cmd::Act(jiedai::app::action::ActionKind::Contact));
    let name =
        desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).map(|d| d.fields[1].value.value().to_string());
    let name = name.expect("dialog");
    desk.cmd(Scope::Dialog, Cmd::NextField);
    for _ in 0..4 {
        desk.cmd(Scope::Dialog, Cmd::PrevField);
    }
    desk.type_text("x");
    let now = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).map(|d| d.fields[1].value.value().to_string());
    assert_eq!(now, Some(format!("{name}x")));
}

/// Letters or Chinese refused at 电话 are said, typed or pasted (an IME's
/// burst, a paste): never dropped without a word. Nothing else changes.
#[test]
fn a_refused_key_at_the_phone_is_said_typed_or_pasted() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("王五").cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.focus, Field::Phone);
    for typed in ["d", "电"] {
        desk.cmd(Scope::Text, Cmd::CaretEnd);
        assert_eq!(desk.message(), "");
        desk.type_text(typed);
        assert_eq!(desk.message(), "电话只能输入数字和 -", "{typed}");
        assert!(desk.text().contains("电话只能输入数字和 -"));
    }
    desk.cmd(Scope::Text, Cmd::CaretEnd);
    desk.paste("138abc电话");
    assert_eq!(desk.message(), "电话只能输入数字和 -");
    let f = &desk.state.intake.form;
    assert_eq!((f.focus, f.value(Field::Phone), f.value(Field::Name)), (Field::Phone, "138", "王五"));
    // A number field of a dialog the same.
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open).cmd(Scope::Detail, Cmd::Act(jiedai::app::action::ActionKind::Extend));
    desk.cmd(Scope::Text, Cmd::CaretEnd);
    desk.paste("二十");
    assert_eq!(desk.message(), "此栏只能输入数字");
    let days =
        desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).map(|d| d.fields[0].value.value().to_string());
    assert_eq!(days.as_deref(), Some("30"));
}

/// Many dialogs left unsubmitted: the next start says how many in a line
/// that fits 80 columns (never cut at the edge), and help lists each with
/// the key that brings it back.
#[test]
fn many_restored_drafts_are_counted_in_a_line_that_fits_and_listed_in_help() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open);
    let no = desk.state.detail.as_ref().map(|d| d.case.no).expect("open");
    for (kind, text) in [
        (ActionKind::Note, "已电话联系供电所"),
        (ActionKind::Escalate, "县电力公司"),
        (ActionKind::Extend, "2"),
        (ActionKind::Contact, "信访"),
        (ActionKind::Inspect, "+3"),
    ] {
        desk.cmd(Scope::Detail, Cmd::Act(kind)).type_text(text).cmd(Scope::Dialog, Cmd::Back);
    }
    desk.press(Key::Ctrl('q'));
    let mut desk = desk.restart();
    let msg = desk.message();
    assert_eq!(msg, "已恢复未提交的操作 5 项, 清单见帮助 (Ctrl+G)");
    let line = desk.text().lines().rev().nth(1).unwrap_or_default().to_string();
    assert_eq!(line.trim_end(), msg, "the message line shows all of it");
    desk.press(Key::Ctrl('g'));
    let text = desk.text();
    assert!(text.contains("未提交的操作 (打开事件后按键继续)"), "{text}");
    insta::assert_snapshot!("help_lists_kept_dialogs_zh", text);
    for (title, key) in [("备注", "n"), ("上报", "u"), ("延期", "e"), ("再次反映", "c"), ("实地查看", "i")]
    {
        let row = format!("{no}  ");
        assert!(text.lines().any(|l| l.contains(&row) && l.contains(&format!("({key})"))), "{title} ({key}): {text}");
    }
    // A single one still fits whole, as before.
    let mut one = Desk::pending(Lang::Zh);
    one.cmd(Scope::List, Cmd::Open).cmd(Scope::Detail, Cmd::Act(ActionKind::Note)).type_text("写了一半");
    one.cmd(Scope::Dialog, Cmd::Back).press(Key::Ctrl('q'));
    let one = one.restart();
    assert_eq!(one.message(), format!("已恢复未提交的操作: {no} 备注"));
}

/// The paper dialog: Ctrl+N chooses another paper and the 文书 field shows
/// it, the highlighted suggestion is the same, and that is what Ctrl+S
/// writes: what is shown is what is written.
#[test]
fn the_paper_shown_is_the_paper_written() {
    let mut desk = Desk::pending(Lang::Zh);
    let docs = desk.dir.path().join("docs");
    desk.state.docs_dir = Some(docs.clone());
    desk.cmd(Scope::List, Cmd::Open).cmd(Scope::Detail, Cmd::Act(ActionKind::Print));
    let no = desk.state.detail.as_ref().map(|d| d.case.no).expect("open");
    let shown = |desk: &Desk| {
        let d = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).expect("dialog");
        let found = d.completions(0, Lang::Zh, &desk.state.choices.cadres);
        let lit = d.highlighted(&found).and_then(|i| found.get(i)).cloned();
        (d.fields[0].value.value().to_string(), lit)
    };
    assert_eq!(shown(&desk), ("受理告知书".to_string(), Some("受理告知书".to_string())));
    let sheet = jiedai::domain::DocKind::CaseSheet.label(Lang::Zh);
    for _ in 0..8 {
        if shown(&desk).0 == sheet {
            break;
        }
        desk.cmd(Scope::Dialog, Cmd::NextPick);
        let (value, lit) = shown(&desk);
        assert_eq!(Some(value.clone()), lit, "the field and the highlighted suggestion differ");
        let row = desk.text().lines().find(|l| l.contains(">文书")).unwrap_or_default().to_string();
        assert!(row.contains(&format!("文书      {value}")), "{row}");
    }
    assert_eq!(shown(&desk).0, sheet);
    // Enter on 文书 moves on to 告知去向 (the README says so); Ctrl+S writes.
    let file = docs.join(format!("{no}-{sheet}.docx"));
    desk.press(Key::Enter);
    assert_eq!(desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).map(|d| d.focus), Some(1));
    assert!(!file.exists());
    desk.cmd(Scope::Dialog, Cmd::Save);
    assert!(file.is_file(), "{}", desk.message());
    assert!(!docs.join(format!("{no}-受理告知书.docx")).exists());
}
