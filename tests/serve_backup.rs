//! Issue 14, test 9: `report`, `check` and `backup` while two clients
//! save; the backup restores into an empty database that passes `check`
//! and holds every save acknowledged before it was taken.

#[path = "common/site.rs"]
mod site;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiedai::domain::EventKind;
use jiedai::store::Store;
use site::{Site, pid_in};

#[test]
fn report_and_backup_while_two_clients_save_and_the_backup_restores_whole() {
    let site = Arc::new(Site::new());
    let out = site.run(&["demo"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let case = {
        let store = Store::open(&site.db()).expect("open");
        let no = store.open_cases().expect("cases").first().expect("a case").no;
        store.close().expect("close");
        no
    };
    let out = site.run(&["serve", "--start", "--lang", "en"], &[("JIEDAI_IDLE", "60")]);
    let pid = pid_in(&String::from_utf8_lossy(&out.stdout));

    // Two clients saving, each save acknowledged (or not) by the server.
    let acked: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let savers: Vec<_> = ["甲", "乙"]
        .into_iter()
        .map(|who| {
            let (site, acked) = (site.clone(), acked.clone());
            std::thread::spawn(move || {
                for i in 0..25 {
                    let text = format!("{who}记录第{i}条");
                    let out = site.run(&["note", &case.to_string(), &text], &[]);
                    if out.status.success() {
                        acked.lock().expect("lock").push((text, Instant::now()));
                    }
                }
            })
        })
        .collect();

    // Meanwhile: a report, a check, and backups (keeping the last two).
    std::thread::sleep(Duration::from_millis(300));
    let out = site.run(&["report"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!out.stdout.is_empty());
    let out = site.run(&["check"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let backups = tempfile::tempdir().expect("tempdir");
    let dir = backups.path().to_str().expect("utf-8").to_string();
    for _ in 0..2 {
        let out = site.run(&["backup", &dir, "--keep", "2"], &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let before_backup = Instant::now();
    let out = site.run(&["backup", &dir, "--keep", "2"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.starts_with("备份已写入 "), "{said}");
    for s in savers {
        s.join().expect("saver");
    }
    assert_eq!(site.servers(), vec![pid], "all through one server");
    let acked = acked.lock().expect("lock").clone();
    assert_eq!(acked.len(), 50, "every save acknowledged");

    let mut files: Vec<_> = std::fs::read_dir(backups.path()).expect("dir").flatten().map(|e| e.path()).collect();
    files.sort();
    assert_eq!(files.len(), 2, "the last two kept: {files:?}");
    let newest = files.last().expect("a backup");
    assert_eq!(said.trim(), format!("备份已写入 {}", newest.display()));

    // Restored into an empty database: it passes check and holds every
    // save acknowledged before the backup was asked for, once.
    let fresh = Site::new();
    let out = fresh.run(&["restore", newest.to_str().expect("utf-8")], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = fresh.run(&["check"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(fresh.servers().is_empty(), "reading commands start no server");
    let store = Store::open(&fresh.db()).expect("open the restored");
    let notes: Vec<String> = store
        .events(case)
        .expect("events")
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Note { text } => Some(text),
            _ => None,
        })
        .collect();
    let must: Vec<_> = acked.iter().filter(|(_, at)| *at < before_backup).map(|(t, _)| t).collect();
    assert!(must.len() >= 5, "saves went on during the backups: {}", must.len());
    for text in must {
        assert_eq!(notes.iter().filter(|n| *n == text).count(), 1, "{text} in the backup once");
    }
}

#[test]
fn restore_refuses_what_is_not_a_backup() {
    let site = Site::new();
    let bogus = site.dir.path().join("jiedai-x.json.gz");
    std::fs::write(&bogus, b"not gzip").expect("write");
    let out = site.run(&["restore", bogus.to_str().expect("utf-8"), "--lang", "en"], &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Not a backup written by jiedai backup"));
}

/// `export` while a server holds the database (desks open): every format
/// works, from the server's consistent snapshot, and the json is the same
/// document the database gives once the server has gone.
#[test]
fn export_works_while_a_server_holds_the_database() {
    let site = Site::new();
    let out = site.run(&["demo"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = site.run(&["serve", "--start", "--lang", "en"], &[("JIEDAI_IDLE", "60")]);
    let pid = pid_in(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(site.servers(), vec![pid]);
    // Its private copy goes under TMPDIR: one of ours, to see it removed.
    let tmp = tempfile::tempdir().expect("tempdir");
    let tmpdir = tmp.path().to_str().expect("utf-8");
    let live = site.run(&["export", "--format", "json"], &[("TMPDIR", tmpdir)]);
    assert!(live.status.success(), "{}", String::from_utf8_lossy(&live.stderr));
    let csv = site.run(&["export", "--format", "csv"], &[]);
    assert!(csv.status.success(), "{}", String::from_utf8_lossy(&csv.stderr));
    assert!(String::from_utf8_lossy(&csv.stdout).contains("五组通组路"));
    let xlsx = site.db().with_file_name("ledger.xlsx");
    let out = site.run(&["export", "--format", "xlsx", "--out", xlsx.to_str().expect("utf-8")], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::metadata(&xlsx).map(|m| m.len() > 1000).unwrap_or(false));
    // The server was there all along, and no private copy is left behind.
    assert_eq!(site.servers(), vec![pid]);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("tmpdir").flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "{left:?}");
    // Once it has gone, the database itself gives the same document.
    unsafe {
        // SAFETY: a signal to the server this test started.
        libc::kill(pid as i32, libc::SIGTERM);
    }
    assert!(site::eventually(Duration::from_secs(10), || site.servers().is_empty()));
    let direct = site.run(&["export", "--format", "json"], &[]);
    assert!(direct.status.success(), "{}", String::from_utf8_lossy(&direct.stderr));
    assert_eq!(String::from_utf8_lossy(&live.stdout), String::from_utf8_lossy(&direct.stdout));
}
