//! Amounts as officers type them, through the key table: read whole by the
//! domain's one parser, or refused at the field with nothing dropped; and a
//! report whose sums cannot wrap.

mod common;

use common::Desk;
use jiedai::app::action::ActionKind;
use jiedai::domain::*;
use jiedai::i18n::{Lang, Msg};
use jiedai::keys::{Cmd, Scope};

/// Open the first pending case, escalate to 县电力局 asking `amount`,
/// Ctrl+S. The case, and the dialog's error if it stayed open.
fn escalate(desk: &mut Desk, amount: &str) -> (CaseNo, Option<(usize, Msg)>) {
    desk.cmd(Scope::Global, Cmd::Tab(1));
    desk.cmd(Scope::List, Cmd::Open);
    let no = desk.state.detail.as_ref().expect("a case open").case.no;
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Escalate)).type_text("县电力局");
    desk.cmd(Scope::Dialog, Cmd::NextField).type_text(amount);
    desk.cmd(Scope::Dialog, Cmd::Save);
    let dialog = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref());
    if let Some(d) = dialog {
        // Whatever was typed is still there, every character of it.
        assert_eq!(d.fields[1].value.value(), amount);
    }
    (no, dialog.and_then(|d| d.error))
}

fn asked(desk: &Desk, no: CaseNo) -> Option<u64> {
    let case = desk.store.case(no).expect("read").expect("case");
    case.escalations.iter().find(|e| e.to == "县电力局").map(|e| e.requested_yuan)
}

#[test]
fn amounts_typed_the_ways_officers_write_them_are_read_whole() {
    for (typed, yuan) in [
        ("20000", 20_000),
        ("2万", 20_000),
        ("2.05万", 20_500),
        ("3万元", 30_000),
        ("２万", 20_000),
        ("20,000", 20_000),
    ] {
        let mut desk = Desk::demo(Lang::Zh);
        let (no, error) = escalate(&mut desk, typed);
        assert_eq!(error, None, "{typed}");
        assert_eq!(asked(&desk, no), Some(yuan), "{typed}");
    }
}

#[test]
fn amounts_that_cannot_be_read_are_refused_at_the_field_and_kept() {
    for (typed, why) in [
        ("12.5", Msg::ErrAmountWholeYuan),
        ("1e9", Msg::ErrAmount),
        ("约3万元", Msg::ErrAmount),
        ("99999999999999999999", Msg::ErrAmount),
        ("18446744073709551615", Msg::ErrAmount),
        ("1000000000001", Msg::ErrAmountTooLarge),
    ] {
        let mut desk = Desk::demo(Lang::Zh);
        let (no, error) = escalate(&mut desk, typed);
        assert_eq!(error, Some((1, why)), "{typed}");
        assert!(desk.text().contains(why.text(Lang::Zh)), "{typed}:\n{}", desk.text());
        assert_eq!(asked(&desk, no), None, "{typed} was stored");
    }
    // Tab out of the field says so at once, in English too.
    let mut desk = Desk::demo(Lang::En);
    desk.cmd(Scope::Global, Cmd::Tab(1));
    desk.cmd(Scope::List, Cmd::Open);
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Escalate)).type_text("县电力局");
    desk.cmd(Scope::Dialog, Cmd::NextField).type_text("1e9");
    desk.cmd(Scope::Dialog, Cmd::NextField);
    assert!(desk.text().contains("Write the amount as 20000"), "{}", desk.text());
}

#[test]
fn the_largest_amounts_sum_in_the_report_without_wrapping() {
    let mut desk = Desk::demo(Lang::Zh);
    let (first, _) = escalate(&mut desk, "1000000000000");
    desk.cmd(Scope::Dialog, Cmd::Back);
    desk.cmd(Scope::Detail, Cmd::Back);
    desk.cmd(Scope::List, Cmd::Down);
    let (second, _) = escalate(&mut desk, "100000000万");
    assert_ne!(first, second);
    assert_eq!(asked(&desk, first), Some(MAX_YUAN));
    assert_eq!(asked(&desk, second), Some(MAX_YUAN));
    let dir = desk.dir.path().to_path_buf();
    let Desk { store, dir: keep, .. } = desk;
    drop(store);
    let out = common::jiedai(&dir, &["report", "--from", "2026-01-01", "--to", "2026-12-31"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The demo's own 20000 and the two largest amounts.
    assert!(text.contains("上报: 3 (2000000020000 元"), "{text}");
    drop(keep);
}

#[test]
fn sums_saturate_rather_than_wrap_on_whatever_an_old_database_holds() {
    use jiedai::domain::stats::{Period, Stats};
    let desk = Desk::demo(Lang::Zh);
    let mut cases = desk.store.cases_with_events().expect("read");
    // What no rule lets in any more, as a database written before might hold.
    for (_, events) in cases.iter_mut() {
        for e in events.iter_mut() {
            match &mut e.kind {
                EventKind::Registered { intake, .. } => intake.people = u32::MAX,
                EventKind::Escalated { requested_yuan, .. } => *requested_yuan = u64::MAX,
                EventKind::Granted { granted_yuan, .. } => *granted_yuan = u64::MAX,
                _ => {}
            }
        }
        let copy = events.clone();
        events.extend(
            copy.into_iter().filter(|e| matches!(e.kind, EventKind::Escalated { .. } | EventKind::Granted { .. })),
        );
    }
    let period = Period { from: chrono::NaiveDate::MIN, to: chrono::NaiveDate::MAX };
    let stats = Stats::count(period, &cases, &[]);
    assert_eq!(stats.requested_yuan, u64::MAX);
    assert_eq!(stats.granted_yuan, u64::MAX);
    assert!(stats.total().people >= u64::from(u32::MAX) * 10);
}

#[test]
fn a_head_count_too_large_is_refused_not_stored_as_one() {
    for typed in ["99999999999", "10001"] {
        let mut desk = Desk::demo(Lang::Zh);
        desk.cmd(Scope::Global, Cmd::Tab(1));
        desk.cmd(Scope::List, Cmd::Open);
        let no = desk.state.detail.as_ref().expect("a case open").case.no;
        let before = desk.store.events(no).expect("events").len();
        desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Contact));
        desk.cmd(Scope::Dialog, Cmd::NextField).cmd(Scope::Dialog, Cmd::NextField);
        desk.cmd(Scope::Dialog, Cmd::ClearForm);
        let d = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).expect("dialog");
        assert_eq!(d.focus, 0, "Ctrl+U clears the whole dialog and goes back to the top");
        desk.type_text("接待日");
        desk.cmd(Scope::Dialog, Cmd::NextField).cmd(Scope::Dialog, Cmd::NextField).type_text(typed);
        desk.cmd(Scope::Dialog, Cmd::Save);
        assert!(
            desk.text().contains("人数最多 10000") || desk.message().contains("人数最多 10000"),
            "{typed}: {}\n{}",
            desk.message(),
            desk.text()
        );
        assert_eq!(desk.store.events(no).expect("events").len(), before, "{typed}: nothing stored");
    }
}
