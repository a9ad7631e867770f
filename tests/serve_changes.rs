//! Issue 14, test 6: a stopped client (SIGSTOP) never holds the others up,
//! and resyncs after SIGCONT; a client hung up (SIGHUP) is dropped and the
//! server keeps serving. Watchers are the real binary (`serve --watch`);
//! the saver speaks the protocol through the library's client.

#[path = "common/site.rs"]
mod site;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiedai::serve::client;
use jiedai::serve::wire::{Answer, Request};
use jiedai::store::{Command, IdSource, Store};
use site::{Site, eventually, pid_in};

type Lines = Arc<Mutex<Vec<(String, Instant)>>>;

/// `jiedai serve --watch`, its lines collected as they come.
fn watcher(site: &Site) -> (Child, Lines) {
    let mut child = site.command(&["serve", "--watch"], &[]).stdout(Stdio::piped()).spawn().expect("watch");
    let lines: Lines = Arc::default();
    let out = child.stdout.take().expect("stdout");
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            sink.lock().expect("lock").push((line, Instant::now()));
        }
    });
    assert!(eventually(Duration::from_secs(5), || lines.lock().expect("lock").iter().any(|(l, _)| l == "ready")));
    (child, lines)
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: a signal to a process this test started.
    unsafe { libc::kill(child.id() as i32, sig) };
}

fn changed(lines: &Lines) -> usize {
    lines.lock().expect("lock").iter().filter(|(l, _)| l.starts_with("changed ")).count()
}

#[test]
fn a_stopped_client_holds_nobody_up_and_resyncs_and_a_hung_up_one_is_dropped() {
    let site = Site::new();
    assert!(site.run(&["demo"], &[]).status.success());
    let case = {
        let store = Store::open(&site.db()).expect("open");
        let no = store.open_cases().expect("cases").first().expect("a case").no;
        store.close().expect("close");
        no
    };
    let out = site.run(&["serve", "--start", "--lang", "en"], &[("JIEDAI_IDLE", "60")]);
    let pid = pid_in(&String::from_utf8_lossy(&out.stdout));
    let (mut stopped, stopped_lines) = watcher(&site);
    let (mut live, live_lines) = watcher(&site);

    let target = site.target();
    let mut saver = client::connect(&target).expect("connect");
    let mut ids = IdSource::new();
    let mut save = |text: String| {
        let started = Instant::now();
        let command = Box::new(Command::Note { case, text });
        let answer = saver.request(Request::Execute { id: ids.next_id(), command }).expect("save");
        assert!(matches!(answer, Answer::Done(_)), "{answer:?}");
        started.elapsed()
    };

    signal(&stopped, libc::SIGSTOP);
    let n = 300;
    let mut took: Vec<Duration> = (0..n).map(|i| save(format!("第{i}条"))).collect();
    let last_saved = Instant::now();
    took.sort();
    let (median, max) = (took[n / 2], took[n - 1]);
    eprintln!("saves with one client stopped: median {median:?}, max {max:?}");
    assert!(max < Duration::from_millis(500), "a save waited {max:?}");
    // The live watcher saw every change, at once.
    assert!(eventually(Duration::from_secs(2), || changed(&live_lines) == n), "live saw {}", changed(&live_lines));
    let seen = live_lines.lock().expect("lock").last().expect("a line").1;
    let lag = seen.saturating_duration_since(last_saved);
    eprintln!("the live watcher had the last change {lag:?} after it was saved");
    assert!(lag < Duration::from_millis(200), "{lag:?}");
    assert!(!live_lines.lock().expect("lock").iter().any(|(l, _)| l == "resync"));

    // Woken, the stopped one is told to resync, having missed some.
    signal(&stopped, libc::SIGCONT);
    assert!(
        eventually(Duration::from_secs(3), || stopped_lines.lock().expect("lock").iter().any(|(l, _)| l == "resync")),
        "resync after SIGCONT"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(changed(&stopped_lines) < n, "the backlog collapsed: {}", changed(&stopped_lines));
    let before = changed(&stopped_lines);
    save("唤醒之后".into());
    assert!(eventually(Duration::from_secs(2), || changed(&stopped_lines) == before + 1), "live again");

    // A hung-up client is dropped; the server serves on.
    signal(&live, libc::SIGHUP);
    assert!(live.wait().is_ok());
    save("挂断之后".into());
    assert!(eventually(Duration::from_secs(2), || changed(&stopped_lines) == before + 2));
    let out = site.run(&["serve", "--status", "--lang", "en"], &[]);
    let status = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(status.contains(": 3 connected"), "the stopped watcher, the saver, this: {status}");
    assert_eq!(site.servers(), vec![pid]);
    signal(&stopped, libc::SIGKILL);
    let _ = stopped.wait();
}
