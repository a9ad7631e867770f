//! Issue 14: the desk's port over a real socket. Every call of
//! `jiedai_protocol::Desk` is carried to `jiedai serve` and answered by its
//! store as the user the kernel names; one desk's save reaches the other's
//! subscription; a desk whose server was killed reconnects (starting a new
//! one), resends with the same id, and is told to read everything again.

#[path = "common/site.rs"]
mod site;

use std::time::{Duration, Instant};

use jiedai::domain::EventKind;
use jiedai::protocol::desk::Trouble;
use jiedai::protocol::{Desk, Draft, INTAKE_DRAFT, Link};
use jiedai::serve::desk::SocketDesk;
use jiedai::store::{Command, IdSource};
use site::{Site, eventually, today};

fn notes(desk: &dyn Desk, case: jiedai::domain::CaseNo, text: &str) -> Vec<String> {
    let (_, events, _) = desk.case_file(case).expect("case file");
    events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Note { text: t } if t == text))
        .map(|e| e.operator.clone())
        .collect()
}

#[test]
fn the_port_over_the_socket_answers_queries_saves_once_and_tells_the_other_desk() {
    let site = Site::new();
    assert!(site.run(&["demo"], &[]).status.success());
    let a = SocketDesk::connect(&site.target()).expect("desk A");
    let b = SocketDesk::connect(&site.target()).expect("desk B");
    assert_eq!(site.servers().len(), 1, "both desks on one server");
    let heard = b.subscribe();

    // A query and its reply: the open cases, as the embedded store has them.
    let snap = a.snapshot(today(), vec![jiedai::protocol::List::Open], None, false).expect("snapshot");
    let case = snap.open.first().expect("the demo has open cases").no;
    // The server says who signs: the user the kernel names.
    let who = a.operator().expect("operator");
    assert!(!who.is_empty());

    // A saves; B hears of it at once, and reads it.
    let id = IdSource::new().next_id();
    let start = Instant::now();
    a.execute(id, Command::Note { case, text: "过桥看了".into() }).expect("save");
    let changed = heard.recv_timeout(Duration::from_secs(2)).expect("B is told");
    let within = start.elapsed();
    assert!(changed.cases.contains(&case) && !changed.is_resync());
    assert!(within < Duration::from_millis(200), "the notice took {within:?}");
    assert_eq!(notes(&b, case, "过桥看了"), vec![who.clone()]);
    // The same id again is applied once.
    a.execute(id, Command::Note { case, text: "过桥看了".into() }).expect("again");
    assert_eq!(notes(&b, case, "过桥看了").len(), 1);

    // An error keeps its kind across the socket.
    let missing: jiedai::domain::CaseNo = "2099-0999".parse().expect("no");
    let err = a.case_file(missing).expect_err("no such case");
    assert_eq!(err.kind, Trouble::NoSuchCase(missing));

    // Drafts are kept by the server, under this user.
    let draft = Draft {
        form: INTAKE_DRAFT.into(),
        fields: vec![("name".into(), "王建国".into())],
        saved_at: chrono::Utc::now(),
    };
    a.put_draft(&draft).expect("draft");
    a.sync_drafts().expect("sync");
    let seen = b.snapshot(today(), vec![], None, false).expect("snapshot").draft;
    assert_eq!(seen.map(|d| d.fields), Some(draft.fields.clone()));
    a.clear_draft(INTAKE_DRAFT).expect("clear");
    assert_eq!(a.snapshot(today(), vec![], None, false).expect("snapshot").draft, None);

    a.close().expect("close A");
    b.close().expect("close B");
}

#[test]
fn a_desk_whose_server_was_killed_reconnects_resends_and_resyncs() {
    let site = Site::new();
    assert!(site.run(&["demo"], &[]).status.success());
    let a = SocketDesk::connect(&site.target()).expect("desk A");
    let links = a.link().expect("a socket desk reports its link");
    let heard = a.subscribe();
    let case = a.snapshot(today(), vec![jiedai::protocol::List::Open], None, false).expect("snap").open[0].no;
    let old = site.servers();
    assert_eq!(old.len(), 1);
    // SAFETY: a signal to the server this test started.
    unsafe {
        libc::kill(old[0] as i32, libc::SIGKILL);
    }
    assert_eq!(links.recv_timeout(Duration::from_secs(5)), Ok(Link::Lost));
    // Saved through whichever server answers: a new one is started.
    let id = IdSource::new().next_id();
    a.execute(id, Command::Note { case, text: "断线后记的".into() }).expect("save after the kill");
    assert_eq!(links.recv_timeout(Duration::from_secs(5)), Ok(Link::Back));
    assert!(eventually(Duration::from_secs(5), || heard.try_iter().any(|c| c.is_resync())));
    let now = site.servers();
    assert_eq!(now.len(), 1);
    assert_ne!(now, old);
    a.execute(id, Command::Note { case, text: "断线后记的".into() }).expect("resent");
    assert_eq!(notes(&a, case, "断线后记的").len(), 1);
    a.close().expect("close");
}
