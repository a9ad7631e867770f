//! The seed's 2/12 road case, from the queue to the satisfied resident,
//! entirely through the key table; and an unsatisfied resident's case
//! going back to Pending.

mod common;

use common::Desk;
use insta::assert_snapshot;
use jiedai::app::Tab;
use jiedai::app::action::ActionKind;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};

fn next(desk: &mut Desk) {
    desk.cmd(Scope::Dialog, Cmd::NextField);
}

fn dialog_kind(desk: &Desk) -> Option<ActionKind> {
    desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).map(|d| d.kind)
}

#[test]
fn the_road_case_from_the_queue_to_a_satisfied_resident() {
    let mut desk = Desk::demo(Lang::Zh);
    // Market day: the desk starts at the queue; the group head takes a
    // number and is called in.
    desk.cmd(Scope::Queue, Cmd::AddArrival).type_text("韦正荣 bdz").cmd(Scope::Adding, Cmd::AddDone);
    desk.cmd(Scope::Queue, Cmd::Call);
    desk.type_text("13985941234");
    for text in ["wz", "3", "韦正荣,罗大华,黄明贵", "46", "dl", "五组通组路严重损坏,生产生活困难", "涵洞堵塞,多处塌方"]
    {
        desk.cmd(Scope::Form, Cmd::NextField).type_text(text);
    }
    desk.cmd(Scope::Form, Cmd::Save);
    let no = CaseNo { year: 2026, seq: 14 };
    assert_eq!(desk.message(), format!("已保存, 编号 {no}"));
    assert_snapshot!("road_1_intake", desk.text());

    // Pending: open it, assign, accept, schedule the inspection.
    desk.cmd(Scope::Global, Cmd::Tab(1));
    desk.cmd(Scope::List, Cmd::Filter).type_text("五组通组路").cmd(Scope::Filter, Cmd::FilterDone);
    assert_snapshot!("road_2_pending", desk.text());
    desk.cmd(Scope::List, Cmd::Open);
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Assign)).type_text("cgz");
    next(&mut desk);
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Accept));
    next(&mut desk);
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Inspect));
    desk.type_text("+1");
    next(&mut desk);
    desk.type_text("cgz,lxg");
    next(&mut desk);
    next(&mut desk); // the place is the case's own
    assert_eq!(desk.message(), "已记录");

    // Inspections: the findings, which recommend escalating.
    desk.cmd(Scope::Detail, Cmd::Back);
    desk.cmd(Scope::Global, Cmd::Tab(2));
    assert!(desk.text().contains("岑国仲,罗兴国"), "{}", desk.text());
    assert_snapshot!("road_3_inspections", desk.text());
    desk.cmd(Scope::List, Cmd::Filter).type_text("2026-0014").cmd(Scope::Filter, Cmd::FilterDone);
    desk.cmd(Scope::List, Cmd::Open);
    assert_eq!(dialog_kind(&desk), Some(ActionKind::Findings));
    for _ in 0..3 {
        next(&mut desk); // date today, the team and place as planned
    }
    desk.type_text("涵洞堵塞损坏,多处塌方,需机械清方");
    next(&mut desk);
    desk.type_text("涵洞4处 塌方10处 里程10公里");
    next(&mut desk);
    desk.type_text("20000");
    next(&mut desk);
    desk.type_text("sb");
    next(&mut desk);
    // Straight on to the escalation, the estimate filled in.
    assert_eq!(dialog_kind(&desk), Some(ActionKind::Escalate));
    desk.type_text("兴义市交通运输局");
    next(&mut desk);
    next(&mut desk);
    assert_eq!(desk.message(), "已记录");
    desk.cmd(Scope::Detail, Cmd::Back);
    assert!(desk.text().contains("待批复的上报"), "{}", desk.text());
    assert!(desk.text().contains("兴义市交通运输局"));
    assert_snapshot!("road_4_escalation_waiting", desk.text());

    // The grant, then implemented: from Pending, where it is still listed.
    desk.cmd(Scope::Global, Cmd::Tab(1));
    desk.cmd(Scope::List, Cmd::Open);
    assert_eq!(desk.state.detail.as_ref().map(|d| d.case.no), Some(no));
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Grant)).type_text("20500");
    next(&mut desk);
    desk.type_text("下拨通组路维修费用");
    next(&mut desk);
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Conclude)).type_text("zc");
    next(&mut desk);
    desk.type_text("修整涵洞4个,塌方路段10余处,总里程10公里,恢复正常通行");
    next(&mut desk);
    assert_eq!(desk.message(), "已记录");

    // Follow-ups: he is asked, and satisfied.
    desk.cmd(Scope::Detail, Cmd::Back);
    desk.cmd(Scope::Global, Cmd::Tab(3));
    assert!(desk.text().contains("2026-0014"), "{}", desk.text());
    assert_snapshot!("road_5_follow_ups", desk.text());
    desk.cmd(Scope::List, Cmd::Filter).type_text("2026-0014").cmd(Scope::Filter, Cmd::FilterDone);
    desk.cmd(Scope::List, Cmd::Open);
    assert_eq!(dialog_kind(&desk), Some(ActionKind::FollowUp));
    next(&mut desk); // by phone: he has one
    desk.type_text("my");
    next(&mut desk);
    desk.type_text("有了民情接待日,碰到的难事就有地方说");
    next(&mut desk);
    assert_eq!(desk.message(), "已记录");
    assert_snapshot!("road_6_case_done", desk.text());

    let case = desk.store.case(no).expect("read").expect("case");
    assert_eq!(case.status, Status::FollowedUp);
    assert_eq!(case.assignee.as_deref(), Some("岑国仲"));
    let f = case.inspections[0].findings.as_ref().expect("findings");
    let q: Vec<String> = f.quantities.iter().map(|q| format!("{}{}{}", q.item, q.number, q.unit)).collect();
    assert_eq!(q, ["涵洞4处", "塌方10处", "里程10公里"]);
    assert_eq!((f.cost_yuan, f.recommendation), (20_000, Recommendation::Escalate));
    assert_eq!(f.team, ["岑国仲", "罗兴国"]);
    assert_eq!(case.escalations[0].to, "兴义市交通运输局");
    assert_eq!((case.escalations[0].requested_yuan, case.escalations[0].granted_yuan), (20_000, Some(20_500)));
    assert_eq!(case.conclusion.as_ref().map(|c| c.outcome), Some(Outcome::Implemented));
    assert_eq!(case.follow_ups[0].satisfaction, Satisfaction::Satisfied);
    // Every step, in order, by the operator at the desk.
    let events = desk.store.events(no).expect("events");
    let steps = common::steps(&events);
    assert_eq!(
        steps,
        [
            "registered",
            "assigned",
            "accepted",
            "inspection scheduled",
            "findings",
            "escalated",
            "granted",
            "concluded",
            "followed up"
        ]
    );
    assert!(events.iter().all(|e| e.operator == "岑国仲"));
    desk.cmd(Scope::Detail, Cmd::Back);
    desk.cmd(Scope::Global, Cmd::Tab(4));
    assert_snapshot!("road_7_statistics", desk.text());
    assert!(desk.store.verify().expect("verify").0.is_empty());
}

#[test]
fn an_unsatisfied_resident_sends_the_case_back_to_pending() {
    let mut desk = Desk::demo(Lang::Zh);
    let lamp = CaseNo { year: 2026, seq: 11 };
    desk.cmd(Scope::Global, Cmd::Tab(3));
    desk.cmd(Scope::List, Cmd::Filter).type_text("路灯").cmd(Scope::Filter, Cmd::FilterDone);
    desk.cmd(Scope::List, Cmd::Open);
    assert_eq!(dialog_kind(&desk), Some(ActionKind::FollowUp));
    next(&mut desk);
    desk.type_text("bmy");
    next(&mut desk);
    desk.type_text("只换了两盏,其余还是坏的");
    next(&mut desk);
    assert_eq!(desk.message(), "已记录");
    let case = desk.store.case(lamp).expect("read").expect("case");
    assert_eq!(case.status, Status::InHand);
    assert_eq!(case.reopened, 1);
    assert_eq!(case.follow_ups[0].satisfaction, Satisfaction::Unsatisfied);
    let text = desk.text();
    assert!(text.contains("重办"), "{text}");
    assert!(text.contains("只换了两盏"), "{text}");
    desk.cmd(Scope::Detail, Cmd::Back);
    assert!(!desk.state.data.follow_ups.iter().any(|c| c.no == lamp), "gone from Follow-ups");
    desk.cmd(Scope::Global, Cmd::Tab(1));
    assert_eq!(desk.state.tab, Tab::Pending);
    assert!(desk.text().contains("组里路灯损坏"), "{}", desk.text());
}
