//! The acceptance notice's promises hold: counted from the reopening for a
//! reopened case, refused once a case is concluded, and a notice issued
//! after the 15-day limit shown late on the clock.

mod common;

use common::Desk;
use common::paper::{docx_text, has};
use jiedai::app::form::Field;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};
use jiedai::notice::{self, PrintJob};

const ROAD: CaseNo = CaseNo { year: 2026, seq: 1 };
const TANG: CaseNo = CaseNo { year: 2026, seq: 2 };

fn job(doc: DocKind, case: CaseNo) -> PrintJob {
    PrintJob { doc, case: Some(case), day: None, instead: String::new(), out: None }
}

/// 唐科名 comes back about his concluded case, and it is reopened (重办),
/// through the intake form's keys as the tester did.
fn reopen_tang(desk: &mut Desk) {
    desk.cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("唐科名").cmd(Scope::Form, Cmd::NextField);
    while desk.state.intake.form.focus != Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("还是想要赔偿");
    desk.cmd(Scope::Form, Cmd::AsContact);
    desk.cmd(Scope::Revisit, Cmd::Reopen);
    assert_eq!(desk.message(), "已重办 2026-0002");
}

#[test]
fn a_reopened_case_is_promised_its_new_period_from_the_reopening() {
    let mut desk = Desk::demo(Lang::Zh);
    reopen_tang(&mut desk);
    let case = desk.store.case(TANG).expect("read").expect("case");
    let rules = desk.store.rules();
    // The handling period the domain gives a reopened case, from today.
    assert_eq!(case.due, Some(common::today() + chrono::Duration::days(i64::from(rules.handling_days))));
    let dir = desk.dir.path().join("docs");
    let today = jiedai::domain::time::china_date(desk.state.now);
    let printed = notice::print(&desk.port(), &job(DocKind::Acceptance, TANG), today, &dir, Lang::Zh).expect("written");
    let text = docx_text(&std::fs::read(&printed.path).expect("file"));
    let due = jiedai::domain::notice::chinese_date(case.due.expect("due"));
    has(
        &text,
        &[
            "本机关已于2026年11月30日决定对该事项重新办理。",
            &format!("自重新办理之日起{}日内办结，即于{due}前办结", rules.handling_days),
        ],
    );
    assert!(!text.contains("自受理之日起"), "{text}");
}

#[test]
fn a_concluded_case_gets_no_acceptance_notice_from_the_desk_or_the_command_line() {
    // The desk: p on the road case (已回访), the acceptance notice chosen.
    let mut desk = Desk::demo(Lang::Zh);
    let docs = desk.dir.path().join("docs");
    desk.state.docs_dir = Some(docs.clone());
    desk.cmd(Scope::Global, Cmd::Tab(1));
    for a in jiedai::effects::run(&desk.port(), &desk.state, &jiedai::app::Effect::LoadCase(ROAD)) {
        jiedai::effects::dispatch(&desk.port(), &mut desk.state, a);
    }
    let before = desk.store.events(ROAD).expect("events");
    desk.cmd(Scope::Detail, Cmd::Act(jiedai::app::action::ActionKind::Print));
    desk.cmd(Scope::Dialog, Cmd::ClearForm).type_text("受理告知书");
    desk.cmd(Scope::Dialog, Cmd::Save);
    assert_eq!(desk.message(), "此事件已办结: 不再出具受理告知书 (可出具答复意见书或登记表)");
    assert!(!docs.exists(), "no file written");
    assert_eq!(desk.store.events(ROAD).expect("events"), before, "nothing recorded");
    let Desk { store, dir, .. } = desk;
    drop(store);

    // The command line: refused, nothing written, in either language.
    let paper = dir.path().join("x.docx");
    let out = common::jiedai(dir.path(), &["print", "2026-0001", "--doc", "accept", "--out", &paper.to_string_lossy()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("此事件已办结: 不再出具受理告知书"), "{err}");
    assert!(!paper.exists());
}

#[test]
fn a_notice_given_after_the_fifteen_days_is_shown_late() {
    let mut desk = Desk::demo(Lang::Zh);
    let today = common::today();
    // An open, accepted case whose 15 days ran out before today, not yet told.
    let case = desk
        .store
        .open_cases()
        .expect("read")
        .into_iter()
        .filter(|c| c.accepted_on.is_some() && c.accept_by < today && !c.is_anonymous())
        .find(|c| jiedai::domain::notice::acceptance_notified(&desk.store.events(c.no).expect("events")).is_none())
        .expect("the demo has an accepted case told nothing in time");
    let dir = desk.dir.path().join("docs");
    let today = jiedai::domain::time::china_date(desk.state.now);
    notice::print(&desk.port(), &job(DocKind::Acceptance, case.no), today, &dir, Lang::Zh).expect("written");
    for a in jiedai::effects::run(&desk.port(), &desk.state, &jiedai::app::Effect::LoadCase(case.no)) {
        jiedai::effects::dispatch(&desk.port(), &mut desk.state, a);
    }
    desk.draw();
    assert!(desk.text().contains(&format!("(逾期告知 {today})")), "{}", desk.text());
    assert!(!desk.text().contains("(已告知"), "{}", desk.text());
    // And the case sheet says so too.
    let printed =
        notice::print(&desk.port(), &job(DocKind::CaseSheet, case.no), today, &dir, Lang::Zh).expect("written");
    let sheet = docx_text(&std::fs::read(&printed.path).expect("file"));
    assert!(sheet.contains("（逾期告知：受理告知书于2026年11月30日）"), "{sheet}");
}
