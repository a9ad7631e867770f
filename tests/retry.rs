//! Issue 12, "A full disk": a save whose answer never reached the screen
//! (an I/O error after the commit, a crash between the commit and the
//! frame) is not made twice when the officer saves the same form again.
//! Commands carry an id; the store records applied ids with their results
//! in the command's own transaction.

mod common;

use common::*;
use jiedai::app::{Action, Effect, update};
use jiedai::domain::CaseNo;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};
use jiedai::store::{Command, Done, IdSource, Stamp};

fn fill(desk: &mut Desk) {
    desk.open_form();
    desk.type_text("唐某");
    while desk.state.intake.form.focus != jiedai::app::form::Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("路灯坏了");
}

fn cases_with(desk: &Desk, summary: &str) -> Vec<CaseNo> {
    let all = desk.store.all_cases_newest_first().expect("cases");
    all.iter().filter(|c| c.intake.summary == summary).map(|c| c.no).collect()
}

/// Press Ctrl+S, carry out the save, and lose its answer: the desk never
/// hears that it was saved.
fn save_and_lose_the_answer(desk: &mut Desk) {
    let key = jiedai::keys::key_for(Scope::Form, Cmd::Save).expect("save key");
    let effects = update(&mut desk.state, Action::Key(key));
    assert!(effects.iter().any(|e| matches!(e, Effect::Execute(..))), "{effects:?}");
    for e in &effects {
        let _lost = jiedai::effects::run(&desk.port(), &desk.state, e);
    }
}

#[test]
fn saving_again_after_a_lost_answer_stores_the_case_once() {
    let mut desk = Desk::demo(Lang::Zh);
    fill(&mut desk);
    save_and_lose_the_answer(&mut desk);
    assert_eq!(cases_with(&desk, "路灯坏了").len(), 1, "the first save was stored");
    // The form is still there (the desk never heard): the officer saves again.
    assert_eq!(desk.state.intake.form.value(jiedai::app::form::Field::Summary), "路灯坏了");
    desk.state.intake.pending = None;
    desk.cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.message(), "已保存, 编号 2026-0014");
    assert_eq!(cases_with(&desk, "路灯坏了"), [CaseNo { year: 2026, seq: 14 }]);
    // The next form is a new command: it is stored as a case of its own.
    fill(&mut desk);
    desk.cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.message(), "已保存, 编号 2026-0015");
    assert_eq!(cases_with(&desk, "路灯坏了").len(), 2);
}

#[test]
fn a_draft_brought_back_after_a_crash_between_commit_and_screen_is_not_saved_twice() {
    let mut desk = Desk::demo(Lang::Zh);
    fill(&mut desk);
    save_and_lose_the_answer(&mut desk);
    // The desk dies before it draws "saved"; the draft (with the form's id) is back.
    let mut desk = desk.restart();
    desk.open_form();
    assert_eq!(desk.state.intake.form.value(jiedai::app::form::Field::Summary), "路灯坏了");
    desk.cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.message(), "已保存, 编号 2026-0014");
    assert_eq!(cases_with(&desk, "路灯坏了"), [CaseNo { year: 2026, seq: 14 }]);
}

#[test]
fn the_store_answers_a_repeated_id_with_its_first_result() {
    let desk = Desk::demo(Lang::Zh);
    let mut ids = IdSource::new();
    let stamp = Stamp { at: desk.state.now, operator: "岑国仲".into() };
    let (queue_id, put_id) = (ids.next_id(), ids.next_id());
    let add = || Command::QueueAdd { name: "罗阿婆".into(), village: String::new() };
    let first = desk.store.execute_once(&stamp, queue_id, add()).expect("add");
    assert_eq!(desk.store.execute_once(&stamp, queue_id, add()).expect("again"), first);
    assert_eq!(desk.store.queue(common::today()).expect("queue").len(), 1);
    assert_eq!(desk.store.applied(queue_id).expect("applied"), Some(first));
    assert_eq!(desk.store.applied(put_id).expect("applied"), None);
    // Ids from two sessions never meet.
    assert_ne!(IdSource::new().next_id(), IdSource::new().next_id());
    let done = desk.store.execute_once(&stamp, put_id, add()).expect("another arrival");
    assert!(matches!(done, Done::Queued(r) if r.number == 2), "{done:?}");
}
