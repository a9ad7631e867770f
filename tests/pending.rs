//! The Pending tab and the case view through the key table: every action is
//! one event, refusals say why, filters combine.

mod common;

use common::Desk;
use insta::assert_snapshot;
use jiedai::app::Tab;
use jiedai::app::action::ActionKind;
use jiedai::app::form::Field;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};

/// Register a phone call from the intake form; its case number.
fn phone_intake(desk: &mut Desk, name: &str, summary: &str) -> CaseNo {
    desk.cmd(Scope::Global, Cmd::Tab(0));
    desk.open_form();
    desk.type_text(name);
    while desk.state.intake.form.focus != Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text(summary);
    while desk.state.intake.form.focus != Field::Channel {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("dh").cmd(Scope::Form, Cmd::Save);
    let msg = desk.message();
    msg.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("not saved: {msg}"))
}

/// Open a case from the Pending list by filtering for its number.
fn open(desk: &mut Desk, no: CaseNo) {
    desk.cmd(Scope::Global, Cmd::Tab(1));
    desk.cmd(Scope::List, Cmd::Filter);
    desk.type_text(&no.to_string());
    desk.cmd(Scope::Filter, Cmd::FilterDone);
    desk.cmd(Scope::List, Cmd::Open);
    assert_eq!(desk.state.detail.as_ref().map(|d| d.case.no), Some(no), "opened");
}

fn act(desk: &mut Desk, kind: ActionKind) {
    desk.cmd(Scope::Detail, Cmd::Act(kind));
}

fn submit(desk: &mut Desk) {
    desk.cmd(Scope::Dialog, Cmd::Save);
}

#[test]
fn tang_kemings_case_from_intake_to_explained() {
    let mut desk = Desk::demo(Lang::Zh);
    let no = phone_intake(&mut desk, "唐科名", "沿湖路损毁板栗树要求赔偿");
    open(&mut desk, no);
    // Through the menu, no letter needed (an IME may swallow letters).
    desk.cmd(Scope::Detail, Cmd::Open);
    for _ in 0..2 {
        desk.cmd(Scope::Menu, Cmd::Down);
    }
    desk.cmd(Scope::Menu, Cmd::Open); // 受理
    assert!(desk.text().contains("受理 2026-0014"), "{}", desk.text());
    desk.cmd(Scope::Dialog, Cmd::NextField); // no fields: Enter confirms
    assert_eq!(desk.message(), "已记录");
    // He calls again: a contact.
    act(&mut desk, ActionKind::Contact);
    while desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).is_some_and(|d| d.focus < 3) {
        desk.cmd(Scope::Dialog, Cmd::NextField);
    }
    desk.type_text("又来电话要求赔偿");
    submit(&mut desk);
    act(&mut desk, ActionKind::Note);
    desk.type_text("沿湖路为无偿建设工程");
    submit(&mut desk);
    act(&mut desk, ActionKind::Conclude);
    desk.type_text("js").cmd(Scope::Dialog, Cmd::NextField);
    desk.type_text("经多次解释,本人表示支持和理解").cmd(Scope::Dialog, Cmd::NextField);
    assert_eq!(desk.message(), "已记录");

    let case = desk.store.case(no).expect("read").expect("case");
    assert_eq!(case.status, Status::Concluded);
    assert_eq!(case.conclusion.as_ref().map(|c| c.outcome), Some(Outcome::Explained));
    assert_eq!(case.contacts, 1);
    assert_eq!(case.follow_up_due, Some(common::today() + chrono::Duration::days(7)));
    let events = desk.store.events(no).expect("events");
    let kinds = common::steps(&events);
    assert_eq!(kinds, ["registered", "accepted", "contact", "note", "concluded"]);
    assert!(events.iter().all(|e| e.operator == "岑国仲"));
    let text = desk.text();
    assert!(text.contains("办结 [解释说明] 经多次解释"), "{text}");
    assert_snapshot!("tang_concluded_zh", text);
    // Concluded: gone from Pending, waiting on Follow-ups.
    desk.cmd(Scope::Detail, Cmd::Back);
    assert!(!desk.state.data.open.iter().any(|c| c.no == no));
    desk.cmd(Scope::Global, Cmd::Tab(3));
    assert!(desk.text().contains(&no.to_string()));
}

#[test]
fn a_duplicate_is_merged_into_the_original() {
    let mut desk = Desk::demo(Lang::Zh);
    let dup = phone_intake(&mut desk, "唐科名", "板栗树赔偿");
    open(&mut desk, dup);
    // Into an open case (a concluded one is refused: never buried).
    let original = CaseNo { year: 2026, seq: 7 };
    let contacts = desk.store.case(original).expect("read").expect("case").contacts;
    act(&mut desk, ActionKind::Merge);
    desk.type_text("7").cmd(Scope::Dialog, Cmd::NextField);
    // First the survivor is shown, then a second Enter merges.
    assert_eq!(desk.message(), "核对后再按 Ctrl+S 确认合并");
    assert!(desk.text().contains("2026-0007 黄光明 · 坡脚组变压器老化"), "{}", desk.text());
    desk.cmd(Scope::Dialog, Cmd::NextField);
    assert_eq!(desk.message(), "已记录");
    // The view moves to the survivor, the duplicate's events in its timeline.
    assert_eq!(desk.state.detail.as_ref().map(|d| d.case.no), Some(original));
    // Its timeline is longer than 80x24 shows: to its end.
    desk.cmd(Scope::Detail, Cmd::PageDown);
    let text = desk.text();
    assert!(text.contains(&format!("[{dup}]")), "{text}");
    assert!(text.contains("合并了 2026-0014"), "{text}");
    let merged = desk.store.case(dup).expect("read").expect("case");
    assert_eq!(merged.status, Status::Merged);
    assert_eq!(merged.merged_into, Some(original));
    let survivor = desk.store.case(original).expect("read").expect("case");
    assert_eq!(survivor.absorbed, [dup]);
    assert_eq!(survivor.contacts, contacts + 1);
    // The merged number is not reused.
    let next = phone_intake(&mut desk, "某人", "别的事");
    assert_eq!(next, CaseNo { year: 2026, seq: 15 });
    assert!(desk.store.verify().expect("verify").0.is_empty());
}

#[test]
fn invalid_actions_are_refused_with_the_reason() {
    let mut desk = Desk::demo(Lang::Zh);
    let no = phone_intake(&mut desk, "甲", "事由");
    open(&mut desk, no);
    act(&mut desk, ActionKind::Extend);
    desk.cmd(Scope::Dialog, Cmd::NextField).type_text("等资金");
    submit(&mut desk);
    assert_eq!(desk.message(), "此事件尚未受理");
    // The dialog stays, with what was typed.
    let d = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).expect("dialog kept");
    assert_eq!(d.fields[1].value.value(), "等资金");
    desk.cmd(Scope::Dialog, Cmd::Back);
    act(&mut desk, ActionKind::Accept);
    submit(&mut desk);
    act(&mut desk, ActionKind::Extend);
    // Left with Esc before another dialog: it comes back as it was.
    let d = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).expect("dialog");
    assert_eq!((d.focus, d.fields[1].value.value()), (1, "等资金"));
    // Back on a field gone past: the caret at its end, nothing selected.
    desk.cmd(Scope::Dialog, Cmd::PrevField).cmd(Scope::Text, Cmd::DeleteBack).cmd(Scope::Text, Cmd::DeleteBack);
    desk.type_text("31").cmd(Scope::Dialog, Cmd::NextField);
    submit(&mut desk);
    assert_eq!(desk.message(), "延期最多 30 天");
    desk.cmd(Scope::Dialog, Cmd::PrevField).cmd(Scope::Text, Cmd::DeleteBack).cmd(Scope::Text, Cmd::DeleteBack);
    desk.type_text("20");
    submit(&mut desk);
    assert_eq!(desk.message(), "已记录");
    act(&mut desk, ActionKind::Extend);
    desk.cmd(Scope::Dialog, Cmd::NextField).type_text("再延");
    submit(&mut desk);
    assert_eq!(desk.message(), "办理期限只能延长一次");
    desk.cmd(Scope::Dialog, Cmd::Back);
    act(&mut desk, ActionKind::Conclude);
    desk.type_text("js").cmd(Scope::Dialog, Cmd::NextField);
    submit(&mut desk);
    assert_eq!(desk.message(), "此栏不能为空");
    let case = desk.store.case(no).expect("read").expect("case");
    assert_eq!(case.extension.as_ref().map(|e| e.0), Some(20));
    assert_eq!(case.status, Status::InHand);
}

#[test]
fn esc_keeps_a_dialog_for_later() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(1));
    desk.cmd(Scope::List, Cmd::Open);
    act(&mut desk, ActionKind::Note);
    desk.type_text("已电话联系供电所");
    desk.cmd(Scope::Dialog, Cmd::Back);
    assert!(desk.state.detail.as_ref().is_some_and(|d| d.dialog.is_none()));
    act(&mut desk, ActionKind::Note);
    let d = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).expect("dialog");
    assert_eq!(d.fields[0].value.value(), "已电话联系供电所");
}

#[test]
fn schedule_an_inspection_escalate_and_record_the_grant() {
    let mut desk = Desk::demo(Lang::Zh);
    let no = phone_intake(&mut desk, "韦正荣", "通组路损坏");
    open(&mut desk, no);
    act(&mut desk, ActionKind::Inspect);
    desk.type_text("+2").cmd(Scope::Dialog, Cmd::NextField);
    desk.type_text("岑国仲,罗兴国").cmd(Scope::Dialog, Cmd::NextField);
    desk.type_text("坝达章五组通组路").cmd(Scope::Dialog, Cmd::NextField);
    assert_eq!(desk.message(), "已记录");
    act(&mut desk, ActionKind::Escalate);
    desk.type_text("兴义市交通运输局").cmd(Scope::Dialog, Cmd::NextField).type_text("20000");
    submit(&mut desk);
    act(&mut desk, ActionKind::Grant);
    // The amount asked for is offered; typing replaces it.
    let d = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).expect("dialog");
    assert_eq!(d.fields[0].value.value(), "20000");
    desk.type_text("20500");
    submit(&mut desk);
    let case = desk.store.case(no).expect("read").expect("case");
    assert_eq!(case.inspections[0].plan.date, common::today() + chrono::Duration::days(2));
    assert_eq!(case.inspections[0].plan.team, ["岑国仲", "罗兴国"]);
    assert_eq!(case.escalations[0].requested_yuan, 20_000);
    assert_eq!(case.escalations[0].granted_yuan, Some(20_500));
    desk.cmd(Scope::Detail, Cmd::Back);
    desk.cmd(Scope::Global, Cmd::Tab(2));
    assert!(desk.text().contains("坝达章村"), "on the Inspections tab: {}", desk.text());
}

#[test]
fn structured_filters_combine_and_clear_with_one_key() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Filter);
    desk.type_text("村:ld");
    assert!(desk.text().contains("2 / 5") || desk.text().contains("(2/5)"), "{}", desk.text());
    desk.type_text(" 状态:dck");
    let text = desk.text();
    assert!(text.contains("[村=ld] [状态=dck]"), "{text}");
    assert!(text.contains("冷洞村大寨组") && !text.contains("冷洞村小寨组"), "{text}");
    assert_snapshot!("filters_zh", text);
    desk.cmd(Scope::Filter, Cmd::FilterClear);
    assert_eq!(desk.state.lists[1].visible.len(), 5);
    // Overdue only, with one key; again for all.
    desk.press(Key::Char('o'));
    assert_eq!(desk.state.lists[1].visible.len(), 1);
    assert!(desk.text().contains("[超期]"));
    desk.press(Key::Char('o'));
    assert_eq!(desk.state.lists[1].visible.len(), 5);
    assert_eq!(desk.state.tab, Tab::Pending);
}

/// Issue 11 #4: a complaint is never silently buried. An open, overdue case
/// merged into a concluded one would leave 待办 with nobody to answer it.
#[test]
fn a_merge_into_a_concluded_case_is_refused_and_the_target_is_shown() {
    let mut desk = Desk::pending(Lang::Zh);
    let overdue = desk.state.overdue_count();
    let open_no = CaseNo { year: 2026, seq: 7 };
    let done_no = CaseNo { year: 2026, seq: 1 };
    assert!(desk.store.case(open_no).expect("read").expect("case").is_overdue(common::today()));
    let done_events = desk.store.events(done_no).expect("events").len();
    open(&mut desk, open_no);
    act(&mut desk, ActionKind::Merge);
    desk.type_text("2026-0001");
    submit(&mut desk);
    assert_eq!(desk.message(), "目标事件已办结, 不能并入: 请登记新事件, 或先将其重办");
    // The target's name, matter and status are on screen.
    let text = desk.text();
    assert!(text.contains("2026-0001 韦正荣 · 五组通组路严重损坏"), "{text}");
    assert!(text.contains("已回访"), "{text}");
    assert_snapshot!("merge_into_concluded_refused_zh", text);
    // Saving again changes nothing either.
    submit(&mut desk);
    assert!(desk.state.detail.as_ref().is_some_and(|d| d.dialog.is_some()));
    let case = desk.store.case(open_no).expect("read").expect("case");
    assert!(case.status.is_open() && case.is_overdue(common::today()));
    assert_eq!(desk.store.events(done_no).expect("events").len(), done_events);
    desk.cmd(Scope::Dialog, Cmd::Back).cmd(Scope::Detail, Cmd::Back);
    assert_eq!(desk.state.overdue_count(), overdue);
    // The store holds the rule itself, for the command line and imports.
    let stamp = jiedai::store::Stamp { at: desk.state.now, operator: "岑国仲".into() };
    let refused = desk.store.execute(&stamp, jiedai::store::Command::Merge { from: open_no, into: done_no });
    let err = refused.expect_err("refused").user_message(Lang::Zh);
    assert!(err.contains("不能并入"), "{err}");
}

/// An overdue case merged into an open one with a later deadline: the
/// survivor takes the earlier deadline, so it stays overdue.
#[test]
fn an_open_merge_keeps_the_stricter_deadline() {
    let mut desk = Desk::pending(Lang::Zh);
    let today = common::today();
    let from = CaseNo { year: 2026, seq: 7 };
    let old = desk.store.case(from).expect("read").expect("case");
    let due = old.deadline().expect("deadline");
    let into = desk
        .state
        .data
        .open
        .iter()
        .find(|c| c.no != from && c.deadline().is_some_and(|d| d > today))
        .map(|c| c.no)
        .expect("a case not yet due");
    let overdue = desk.state.overdue_count();
    open(&mut desk, from);
    act(&mut desk, ActionKind::Merge);
    desk.type_text(&into.to_string());
    submit(&mut desk);
    submit(&mut desk);
    assert_eq!(desk.message(), "已记录");
    let survivor = desk.store.case(into).expect("read").expect("case");
    assert_eq!(survivor.deadline(), Some(due));
    assert!(survivor.is_overdue(today));
    let text = desk.text();
    assert!(text.contains(&format!("期限沿用 {from} 的 {due}")), "{text}");
    desk.cmd(Scope::Detail, Cmd::Back);
    assert_eq!(desk.state.overdue_count(), overdue, "the overdue complaint is still counted");
    assert!(desk.store.verify().expect("verify").0.is_empty());
}

/// Merged into a case not yet accepted, the overdue deadline holds when the
/// survivor is accepted afterwards: acceptance never loosens it.
#[test]
fn accepting_the_survivor_keeps_the_deadline_it_took() {
    let mut desk = Desk::pending(Lang::Zh);
    let today = common::today();
    let from = CaseNo { year: 2026, seq: 7 };
    let due = desk.store.case(from).expect("read").expect("case").deadline().expect("deadline");
    let into = desk
        .state
        .data
        .open
        .iter()
        .find(|c| c.no != from && c.accepted_on.is_none())
        .map(|c| c.no)
        .expect("a case not yet accepted");
    open(&mut desk, from);
    act(&mut desk, ActionKind::Merge);
    desk.type_text(&into.to_string());
    submit(&mut desk);
    submit(&mut desk);
    assert_eq!(desk.message(), "已记录");
    act(&mut desk, ActionKind::Accept);
    submit(&mut desk);
    assert_eq!(desk.message(), "已记录");
    let survivor = desk.store.case(into).expect("read").expect("case");
    assert!(survivor.accepted_on.is_some());
    assert_eq!(survivor.deadline(), Some(due));
    assert!(survivor.is_overdue(today));
}
