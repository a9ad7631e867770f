//! The intake and the case's dialogs use the township's directory: a
//! village or group it does not know is offered to be added with one key
//! (or corrected), never saved as typed letters; the cadre covering the
//! case's group, then its village, is suggested first; 交办 and the
//! inspection team follow one rule.

mod common;

use common::Desk;
use jiedai::app::action::ActionKind;
use jiedai::app::form::Field;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};

fn next(desk: &mut Desk) {
    desk.cmd(Scope::Form, Cmd::NextField);
}

#[test]
fn an_unknown_village_is_offered_to_be_added_not_stored_raw() {
    let mut desk = Desk::empty(common::look(Lang::Zh), 80, 24);
    // The first-run setup, every step skipped.
    for _ in 0..4 {
        desk.cmd(Scope::DirEdit, Cmd::Back);
    }
    assert_eq!(desk.state.tab, jiedai::app::Tab::Intake);
    desk.open_form().type_text("唐科名");
    next(&mut desk);
    next(&mut desk);
    assert_eq!(desk.state.intake.form.focus, Field::Village);
    desk.type_text("bdz");
    next(&mut desk);
    // Not taken past, and said with the key that adds it.
    assert_eq!(desk.state.intake.form.focus, Field::Village);
    assert_eq!(desk.message(), "bdz: 不在名录中: Ctrl+Y 加入名录 (或改正)");
    assert!(desk.text().contains("不在名录中"), "{}", desk.text());
    // Saving now is refused too: nothing is stored as typed letters.
    desk.cmd(Scope::Form, Cmd::Save);
    assert!(desk.store.all_cases().expect("cases").is_empty());
    assert_eq!(desk.state.intake.form.focus, Field::Village);
    // Corrected: typed again, then added with the one key.
    for _ in 0..3 {
        desk.cmd(Scope::Text, Cmd::DeleteBack);
    }
    desk.type_text("坝达章村");
    desk.cmd(Scope::Form, Cmd::AddPlace);
    assert_eq!(desk.message(), "已加入名录: 坝达章村");
    next(&mut desk);
    assert_eq!(desk.state.intake.form.focus, Field::Group);
    desk.type_text("坝汪组");
    next(&mut desk);
    assert_eq!(desk.message(), "坝达章村坝汪组: 不在名录中: Ctrl+Y 加入名录 (或改正)");
    desk.cmd(Scope::Form, Cmd::AddPlace);
    assert_eq!(desk.message(), "已加入名录: 坝达章村: 坝汪组");
    let d = desk.store.directory().expect("directory");
    assert_eq!(d.village("坝达章村").expect("added").groups, vec!["坝汪组".to_string()]);
    // Signed by the operator, as every change.
    assert!(desk.store.directory_log().expect("log").iter().all(|e| e.operator == "岑国仲"));
    // Now bdz completes to it.
    // Back on a field gone past the caret is at its end: the value is
    // deleted before typing over it.
    desk.cmd(Scope::Form, Cmd::PrevField);
    for _ in 0..4 {
        desk.cmd(Scope::Text, Cmd::DeleteBack);
    }
    desk.type_text("bdz");
    next(&mut desk);
    assert_eq!(desk.state.intake.form.value(Field::Village), "坝达章村");
}

#[test]
fn the_cadre_covering_the_group_is_suggested_first_then_the_village() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    let form = &mut desk.state.intake.form;
    form.set(Field::Village, "坝达章村");
    form.set(Field::Group, "五组");
    // An empty field lists them all, in the order suggested.
    form.set(Field::Assignee, "");
    let choices = desk.state.choices.clone();
    let found = desk.state.intake.form.completions(Field::Assignee, Lang::Zh, &choices);
    // 罗兴国 covers 坝达章村五组, 岑国仲 covers 坝达章村.
    assert_eq!(&found[..2], &["罗兴国".to_string(), "岑国仲".to_string()]);
    desk.state.intake.form.set(Field::Group, "三组");
    let found = desk.state.intake.form.completions(Field::Assignee, Lang::Zh, &choices);
    assert_eq!(found[0], "岑国仲");
}

#[test]
fn assign_and_the_inspection_team_follow_one_rule() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(5)).type_text("五组通组路").cmd(Scope::Filter, Cmd::FilterDone);
    desk.cmd(Scope::List, Cmd::Open);
    let case = desk.state.detail.as_ref().map(|d| d.case.clone()).expect("open");
    assert_eq!((case.intake.village.as_str(), case.intake.group.as_str()), ("坝达章村", "五组"));
    // The case's dialogs offer the group's cadre first, then the village's.
    let offered = jiedai::app::places::cadres_for_case(&desk.state);
    assert_eq!(&offered[..2], &["罗兴国".to_string(), "岑国仲".to_string()]);
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open);
    // A name not in the list is refused in both fields, by pinyin completed in both.
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Inspect));
    desk.type_text("+1").cmd(Scope::Dialog, Cmd::NextField);
    desk.type_text("张三").cmd(Scope::Dialog, Cmd::NextField);
    assert_eq!(desk.message(), "请从列表中选择");
    desk.cmd(Scope::Dialog, Cmd::ClearForm);
    desk.cmd(Scope::Dialog, Cmd::Back);
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Assign)).type_text("张三").cmd(Scope::Dialog, Cmd::NextField);
    assert_eq!(desk.message(), "请从列表中选择");
}
