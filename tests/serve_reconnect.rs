//! Issue 14, test 3: kill -9 the server during 1,000 requests from three
//! clients. Each client reconnects (starting a new server) and sends its
//! unacknowledged request again with the same id; every request ends in
//! the database exactly once.

#[path = "common/site.rs"]
mod site;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use jiedai::domain::EventKind;
use jiedai::serve::client;
use jiedai::serve::wire::{Answer, Request};
use jiedai::store::{Command, IdSource, Store};
use site::{Site, eventually};

#[test]
fn kill_9_during_a_thousand_requests_loses_none_and_doubles_none() {
    let site = Site::new();
    assert!(site.run(&["demo"], &[]).status.success());
    let case = {
        let store = Store::open(&site.db()).expect("open");
        let no = store.open_cases().expect("cases").first().expect("a case").no;
        store.close().expect("close");
        no
    };
    assert!(site.run(&["serve", "--start"], &[("JIEDAI_IDLE", "60")]).status.success());
    let target = site.target();
    let done = Arc::new(AtomicUsize::new(0));
    let per_client = [334, 333, 333];
    let clients: Vec<_> = per_client
        .iter()
        .enumerate()
        .map(|(who, &n)| {
            let (target, done) = (target.clone(), done.clone());
            std::thread::spawn(move || {
                let mut c = client::connect(&target).expect("connect");
                let mut ids = IdSource::new();
                for i in 0..n {
                    let command = Box::new(Command::Note { case, text: format!("客户{who}-{i}") });
                    let answer = c.request(Request::Execute { id: ids.next_id(), command }).expect("saved");
                    assert!(matches!(answer, Answer::Done(_)), "{answer:?}");
                    done.fetch_add(1, Ordering::SeqCst);
                }
                c.reconnects
            })
        })
        .collect();
    // Two kills, a third and two thirds of the way through.
    let mut killed = Vec::new();
    for at in [333, 666] {
        assert!(eventually(Duration::from_secs(60), || done.load(Ordering::SeqCst) >= at), "progress");
        let servers = site.servers();
        assert_eq!(servers.len(), 1, "{servers:?}");
        // SAFETY: killing the server this test's clients started.
        unsafe { libc::kill(servers[0] as i32, libc::SIGKILL) };
        killed.push(servers[0]);
    }
    let reconnects: u32 = clients.into_iter().map(|c| c.join().expect("client")).sum();
    assert_eq!(done.load(Ordering::SeqCst), 1000);
    assert!(reconnects >= 2, "the kills were felt: {reconnects} reconnects");
    let now = site.servers();
    assert_eq!(now.len(), 1, "one server again: {now:?}");
    assert!(!killed.contains(&now[0]));

    // Every request in the database exactly once.
    assert!(site.run(&["serve", "--stop"], &[]).status.success());
    assert!(eventually(Duration::from_secs(5), || site.servers().is_empty()));
    let store = Store::open(&site.db()).expect("open");
    let notes: Vec<String> = store
        .events(case)
        .expect("events")
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Note { text } if text.starts_with("客户") => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 1000, "no request lost, none applied twice");
    let mut unique = notes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 1000);
    eprintln!("1,000 requests, 2 kills, {reconnects} reconnects");
}
