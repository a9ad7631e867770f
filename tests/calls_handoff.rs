//! 来电 handing a new matter to the intake form (calls2): the call goes
//! with the form, so it is logged once, survives a restart with the form's
//! draft, and Ctrl+U on the card can be taken back with Ctrl+Z. Keys go in
//! through the key table; the store is read back.

mod common;

use common::Desk;
use jiedai::app::Tab;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};

const CALLER: &str = "13885912233";

/// Every call event on the caller's cases, with the case it is on.
fn calls_of(desk: &Desk) -> Vec<(CaseNo, jiedai::domain::call::PhoneCall)> {
    let mut out = Vec::new();
    for case in desk.store.cases_of_phone(CALLER).expect("cases") {
        for e in desk.store.events(case.no).expect("events") {
            if let EventKind::Call(c) = e.kind {
                out.push((case.no, c));
            }
        }
    }
    out
}

/// The number and a note on the card, then Ctrl+N: the form has the call.
fn hand_off(desk: &mut Desk) {
    desk.cmd(Scope::Global, Cmd::Tab(7));
    desk.type_text(CALLER).type_text("新的事情");
    desk.cmd(Scope::Calls, Cmd::CallNew);
    assert_eq!(desk.state.tab, Tab::Intake, "{}", desk.message());
}

#[test]
fn a_call_handed_to_the_form_is_logged_once_even_if_enter_is_pressed_on_the_card() {
    let mut desk = Desk::demo(Lang::Zh);
    hand_off(&mut desk);
    // Back on the card: it no longer holds the call, so Enter records nothing.
    desk.cmd(Scope::Global, Cmd::Tab(7));
    assert_eq!(desk.state.calls.phone.value(), "");
    desk.cmd(Scope::Calls, Cmd::Save);
    assert!(calls_of(&desk).is_empty(), "{:?}", calls_of(&desk));
    // The form's save logs it, once, on the new case.
    desk.cmd(Scope::Global, Cmd::Tab(0));
    desk.type_text("ys");
    desk.cmd(Scope::Form, Cmd::Save);
    assert!(desk.message().contains("来电已记录"), "{}", desk.message());
    let calls = calls_of(&desk);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].1.note, "新的事情");
    // No card draft brings the saved call back after a restart.
    desk.tick();
    let desk = desk.restart();
    assert_eq!(desk.state.calls.phone.value(), "");
    assert!(!desk.message().contains("来电"), "{}", desk.message());
}

#[test]
fn a_handed_off_call_survives_a_restart_with_the_form_and_is_logged_on_save() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(7));
    desk.type_text(CALLER).type_text("新的事情");
    // Minutes and who took it (the directory's cadre by pinyin).
    desk.cmd(Scope::Calls, Cmd::NextField).type_text("12");
    desk.cmd(Scope::Calls, Cmd::CallNew);
    assert_eq!(desk.state.tab, Tab::Intake, "{}", desk.message());
    desk.type_text("ys");
    // The line drops: the form's draft is all that is left.
    desk.tick();
    let mut desk = desk.restart();
    assert!(desk.message().contains("已恢复"), "{}", desk.message());
    desk.cmd(Scope::Global, Cmd::Tab(0)).open_form();
    desk.cmd(Scope::Form, Cmd::Save);
    assert!(desk.message().contains("来电已记录"), "{}", desk.message());
    let calls = calls_of(&desk);
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0].1;
    assert_eq!((call.leader.as_str(), call.minutes, call.note.as_str()), ("岑国仲", Some(12), "新的事情"));
    // The event is the case's first call (its registration counts it).
    let events = desk.store.events(calls[0].0).expect("events");
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::Call(c) if c.first)), "{:?}", common::steps(&events));
}

#[test]
fn ctrl_z_puts_back_the_card_ctrl_u_cleared() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(7));
    desk.type_text(CALLER).type_text("还没说完");
    desk.cmd(Scope::Calls, Cmd::ClearForm);
    assert_eq!(desk.state.calls.phone.value(), "");
    assert!(desk.message().contains("Ctrl+Z"), "{}", desk.message());
    desk.cmd(Scope::Undo, Cmd::Undo);
    assert_eq!(desk.state.calls.phone.value(), CALLER);
    assert_eq!(desk.state.calls.note.value(), "还没说完");
    assert!(desk.text().contains(CALLER), "{}", desk.text());
    // Enter now records it on the caller's open case.
    desk.cmd(Scope::Calls, Cmd::Save);
    assert!(desk.message().contains("来电已记录"), "{}", desk.message());
    assert_eq!(calls_of(&desk).len(), 1);
}

#[test]
fn a_call_begun_on_the_card_while_the_form_is_open_is_kept_when_the_form_saves() {
    let mut desk = Desk::demo(Lang::Zh);
    hand_off(&mut desk);
    // The phone rings again before the form is saved.
    desk.cmd(Scope::Global, Cmd::Tab(7));
    desk.type_text("13765912345").type_text("另一个电话");
    desk.cmd(Scope::Global, Cmd::Tab(0));
    desk.type_text("ys");
    desk.cmd(Scope::Form, Cmd::Save);
    assert!(desk.message().contains("来电已记录"), "{}", desk.message());
    assert_eq!(desk.state.tab, Tab::Calls);
    assert_eq!(desk.state.calls.phone.value(), "13765912345");
    assert_eq!(desk.state.calls.note.value(), "另一个电话");
}

#[test]
fn a_form_call_the_store_refused_comes_back_on_the_card_for_its_new_case() {
    use jiedai::app::Action;
    use jiedai::protocol::Command;
    let mut desk = Desk::demo(Lang::Zh);
    hand_off(&mut desk);
    desk.type_text("ys");
    let call = desk.state.intake.form.from_call.clone().expect("the form holds the call");
    desk.cmd(Scope::Form, Cmd::Save);
    let new_case = calls_of(&desk)[0].0;
    // The store's refusal of the call's log (a full disk, say), as the
    // loop hands it back: the call comes back on the card.
    let id = desk.state.ids.next_id();
    desk.state.calls.saving = Some((id, Command::Call { case: new_case, call }));
    jiedai::effects::dispatch(&desk.port(), &mut desk.state, Action::Executed(Err("磁盘已满".into())));
    desk.draw();
    assert_eq!(desk.message(), "磁盘已满");
    assert_eq!(desk.state.tab, Tab::Calls);
    assert_eq!((desk.state.calls.phone.value(), desk.state.calls.note.value()), (CALLER, "新的事情"));
    // Enter records it on the new case, not on the caller's older one.
    desk.cmd(Scope::Calls, Cmd::Save);
    assert!(desk.message().contains(&format!("来电已记录 {new_case}")), "{}", desk.message());
    let on: Vec<CaseNo> = calls_of(&desk).into_iter().map(|(no, _)| no).collect();
    assert_eq!(on, vec![new_case, new_case]);
}
