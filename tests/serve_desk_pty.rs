//! Issue 14, test 2: two desks, the real binary in two pseudo-terminals,
//! both clients of one `jiedai serve` (the default, without --embedded).
//! Desk A saves a registration; desk B's screen shows it within 200 ms.

mod common;
#[path = "common/site.rs"]
mod site;

use std::time::{Duration, Instant};

use common::pty::Pty;

/// A demo database and a private socket directory, and the desk's
/// arguments for them.
struct Shared {
    db: tempfile::TempDir,
    run: tempfile::TempDir,
}

impl Shared {
    fn new() -> Shared {
        use std::os::unix::fs::PermissionsExt;
        let run = tempfile::tempdir().expect("tempdir");
        std::fs::set_permissions(run.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
        Shared { db: common::demo_db(), run }
    }

    fn socket(&self) -> std::path::PathBuf {
        self.run.path().join("s")
    }

    fn desk(&self) -> Pty {
        let db = self.db.path().to_string_lossy().into_owned();
        let socket = self.socket().to_string_lossy().into_owned();
        Pty::spawn(&["--db", &db, "--socket", &socket], &[("JIEDAI_EMBEDDED", "false"), ("JIEDAI_IDLE", "30")])
    }
}

impl Shared {
    /// The summary of case 2026-`seq`, as a third client of the server
    /// reads it.
    fn saved_summary(&self, seq: u32) -> String {
        self.read(seq).0.intake.summary
    }

    /// Case 2026-`seq` and its timeline, as a third client reads them.
    fn read(&self, seq: u32) -> (jiedai::domain::Case, Vec<jiedai::domain::Event>) {
        use jiedai::protocol::Desk as _;
        let target = jiedai::serve::client::Target {
            db: Some(self.db.path().to_path_buf()),
            place: jiedai::serve::place::Place::new(Some(&self.socket()), self.db.path()),
            lang: jiedai::i18n::Lang::Zh,
            program: Some(env!("CARGO_BIN_EXE_jiedai").into()),
        };
        let desk = jiedai::serve::desk::SocketDesk::connect(&target).expect("connect");
        let no = jiedai::domain::CaseNo { year: 2026, seq };
        let case = desk.case(no).expect("read").expect("saved");
        let events = desk.events(no).expect("events");
        desk.close().expect("close");
        (case, events)
    }
}

impl Drop for Shared {
    /// No server is left behind.
    fn drop(&mut self) {
        for pid in site::servers_of(&self.socket()) {
            // SAFETY: a signal to the server this test's desks started.
            unsafe {
                libc::kill(pid as i32, libc::SIGKILL);
            }
        }
    }
}

#[test]
fn a_save_at_one_desk_is_on_the_others_screen_within_200_ms() {
    let shared = Shared::new();
    let mut b = Shared::desk(&shared);
    b.wait_for("2 待办 5 (超期 1)");
    // B looks at the pending list.
    b.send(b"\x1b[12~");
    b.wait_for("坡脚组变压器");
    let mut a = shared.desk();
    a.wait_for("紧急程度");
    // One server serves both desks.
    assert_eq!(site::servers_of(&shared.socket()).len(), 1);
    a.send(b"\t");
    a.send("唐某".as_bytes());
    for _ in 0..6 {
        a.send(b"\t");
    }
    a.send("路灯坏了".as_bytes());
    assert!(!b.screen().contains("路灯坏了"));
    a.send(b"\x13");
    a.wait_for("已保存, 编号 2026-0014");
    let saved = Instant::now();
    while !b.screen().contains("路灯坏了") && saved.elapsed() < Duration::from_secs(5) {
        b.pump_for(Duration::from_millis(5));
    }
    let took = saved.elapsed();
    assert!(b.screen().contains("路灯坏了"), "B never showed the case:\n{}", b.screen());
    assert!(b.screen().contains("2 待办 6"), "{}", b.screen());
    eprintln!("B showed A's save {} ms after A's screen said saved", took.as_millis());
    assert!(took < Duration::from_millis(200), "B showed it after {took:?}");
    for t in [&mut a, &mut b] {
        t.send(b"\x11");
    }
    assert!(a.wait_exit(Duration::from_secs(5)).is_some());
    assert!(b.wait_exit(Duration::from_secs(5)).is_some());
    assert_eq!(shared.saved_summary(14), "路灯坏了");
}

#[test]
fn a_killed_server_shows_reconnecting_and_the_typed_form_is_saved_after() {
    let shared = Shared::new();
    let mut a = shared.desk();
    a.wait_for("紧急程度");
    a.send(b"\t");
    a.send("罗阿婆".as_bytes());
    for _ in 0..6 {
        a.send(b"\t");
    }
    a.send("水管爆了".as_bytes());
    a.wait_for("水管爆了");
    let old = site::servers_of(&shared.socket());
    assert_eq!(old.len(), 1);
    // SAFETY: a signal to the server this test's desk started.
    unsafe {
        libc::kill(old[0] as i32, libc::SIGKILL);
    }
    // One line says so; the desk connects again (a new server) by itself.
    a.wait_for("已重新连上服务进程");
    let now = site::servers_of(&shared.socket());
    assert_eq!(now.len(), 1);
    assert_ne!(now, old);
    // Nothing typed was lost: the form saves through the new server.
    a.wait_for("水管爆了");
    a.send(b"\x13");
    a.wait_for("已保存, 编号 2026-0014");
    a.send(b"\x11");
    assert!(a.wait_exit(Duration::from_secs(5)).is_some());
    assert_eq!(shared.saved_summary(14), "水管爆了");
}
