//! The market-day queue past midnight China time: those still waiting stay
//! listed, marked with their day, and no number in use (waiting, or the one
//! being written down in the form) is given out again.

mod common;

use chrono::Duration;
use common::Desk;
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};

#[test]
fn those_waiting_at_midnight_stay_and_no_number_is_given_twice() {
    let mut desk = Desk::demo(Lang::Zh);
    let today = common::today();
    desk.state.now = china_at(today, 23, 50);
    desk.tick();
    for who in ["甲 bdz", "乙 bdz", "丙 bdz"] {
        desk.cmd(Scope::Queue, Cmd::AddArrival).type_text(who).cmd(Scope::Adding, Cmd::AddDone);
    }
    let queue = desk.store.queue(today).expect("queue");
    let number = |name: &str| queue.iter().find(|e| e.name == name).map(|e| e.number).expect("queued");
    let jia = number("甲");
    // 甲 is called into the form; 乙 and 丙 wait.
    while desk.state.intake.queue_sel > 0 {
        desk.cmd(Scope::Queue, Cmd::Up);
    }
    desk.cmd(Scope::Queue, Cmd::Call);
    assert_eq!(desk.state.intake.form.from_queue.map(|r| r.number), Some(jia), "{}", desk.text());

    // Midnight, China time: a new day.
    desk.state.now = china_at(today + Duration::days(1), 0, 1);
    desk.tick();
    let screen = desk.text();
    for name in ["乙", "丙"] {
        let line = screen.lines().find(|l| l.contains(&format!(" {name} "))).unwrap_or_default();
        assert!(line.contains("(11-30)"), "{name} still listed with the day:\n{screen}");
        assert!(line.contains("11分"), "{name}'s wait since 23:50 still shown:\n{screen}");
    }
    // The next arrival: a number nobody before the desk holds.
    desk.cmd(Scope::Form, Cmd::Back);
    desk.cmd(Scope::Queue, Cmd::AddArrival).type_text("丁 bdz").cmd(Scope::Adding, Cmd::AddDone);
    let new_day = desk.store.queue(today + Duration::days(1)).expect("queue");
    let ding = new_day.iter().find(|e| e.name == "丁").expect("丁 queued").number;
    let held: Vec<u32> = desk
        .store
        .queue(today)
        .expect("queue")
        .iter()
        .filter(|e| matches!(e.status, QueueStatus::Waiting | QueueStatus::Called))
        .map(|e| e.number)
        .collect();
    assert!(held.contains(&jia), "甲 is still in the form: {held:?}");
    assert!(!held.contains(&ding), "丁 got {ding}, a number in use: {held:?}");
    assert!(desk.text().contains("丁"), "{}", desk.text());
}
