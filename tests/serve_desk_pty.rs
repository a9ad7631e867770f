//! Issue 14, test 2: two desks, the real binary in two pseudo-terminals,
//! both clients of one `jiedai serve` (the default, without --embedded).
//! Desk A saves a registration; desk B's screen shows it within 200 ms.

mod common;
#[path = "common/site.rs"]
mod site;

use std::time::{Duration, Instant};

use common::pty::Pty;

/// The desk as a client of its server (the harness runs it embedded).
const ENV: [(&str, &str); 2] = [("JIEDAI_EMBEDDED", "false"), ("JIEDAI_IDLE", "30")];

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
        let args = self.args(&[]);
        Pty::spawn(&args.iter().map(String::as_str).collect::<Vec<_>>(), &ENV)
    }

    fn args(&self, more: &[&str]) -> Vec<String> {
        let db = self.db.path().to_string_lossy().into_owned();
        let socket = self.socket().to_string_lossy().into_owned();
        let mut args = vec!["--db".to_string(), db, "--socket".into(), socket];
        args.extend(more.iter().map(|a| a.to_string()));
        args
    }

    /// The desk as another system user (`runuser`: the tests run as root).
    fn desk_as(&self, user: &str, more: &[&str]) -> Pty {
        let args = self.args(more);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Pty::spawn_wrapped_env("runuser", &["-u", user, "--"], &args, &ENV)
    }
}

impl Shared {
    /// The summary of case 2026-`seq`, as a third client of the server
    /// reads it.
    fn saved_summary(&self, seq: u32) -> String {
        self.read(seq).0.intake.summary
    }

    fn target(&self) -> jiedai::serve::client::Target {
        site::target_at(self.db.path(), &self.socket())
    }

    /// Case 2026-`seq` and its timeline, as a third client reads them.
    fn read(&self, seq: u32) -> (jiedai::domain::Case, Vec<jiedai::domain::Event>) {
        use jiedai::protocol::Desk as _;
        let desk = jiedai::serve::desk::SocketDesk::connect(&self.target()).expect("connect");
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
    b.wait_for("2待办 5 (超期 1)");
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
    assert!(b.screen().contains("2待办 6"), "{}", b.screen());
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

/// Send keys, then wait until the desk has drawn what they did (Esc alone
/// must not run into the next key, or it reads as Alt).
fn keys(t: &mut Pty, bytes: &[u8]) {
    t.send(bytes);
    t.quiet(Duration::from_millis(if bytes == b"\x1b" { 250 } else { 120 }));
}

fn field(t: &mut Pty, text: &str) {
    keys(t, text.as_bytes());
    keys(t, b"\t");
}

/// Issue 14, test 8: the seed's road case (tests/roadcase.rs) shared by
/// two desks on one server: the first registers it; the second, seeing it
/// arrive, assigns, schedules and records the inspection, escalates, and
/// records the grant, the conclusion and the follow-up.
#[test]
fn the_road_case_shared_by_two_desks() {
    let shared = Shared::new();
    second_cadre(&shared);
    // The first desk (root, which starts the server: not a cadre, so it
    // says who it is, which the server does not believe).
    let mut first = shared.desk_as("root", &["--operator", "文书"]);
    first.wait_for("紧急程度");
    // The second desk is 岑国仲's login, another system user.
    let mut second = shared.desk_as(CADRE_LOGIN, &[]);
    second.wait_for("2待办 5 (超期 1)");
    keys(&mut second, b"\x1b[12~");
    second.wait_for("坡脚组变压器");

    // The first desk registers the group head's road.
    keys(&mut first, b"\t");
    field(&mut first, "韦正荣");
    for _ in 0..5 {
        keys(&mut first, b"\t");
    }
    keys(&mut first, "五组通组路严重损坏,生产生活困难".as_bytes());
    keys(&mut first, b"\x13");
    first.wait_for("已保存, 编号 2026-0014");

    // The second desk's list shows it without a key pressed there.
    second.wait_for("五组通组路");
    second.wait_for("2待办 6");
    keys(&mut second, b"/");
    keys(&mut second, "五组通组路".as_bytes());
    keys(&mut second, b"\r");
    keys(&mut second, b"\r");
    second.wait_for("2026-0014");
    keys(&mut second, b"a");
    field(&mut second, "cgz");
    keys(&mut second, b"y");
    keys(&mut second, b"\t");
    keys(&mut second, b"i");
    field(&mut second, "+1");
    field(&mut second, "cgz,lxg");
    keys(&mut second, b"\t");
    second.wait_for("已记录");

    // The inspection's findings, then straight on to the escalation.
    keys(&mut second, b"\x1b");
    keys(&mut second, b"\x1b[13~");
    keys(&mut second, b"/");
    keys(&mut second, b"2026-0014");
    keys(&mut second, b"\r");
    keys(&mut second, b"\r");
    for _ in 0..3 {
        keys(&mut second, b"\t");
    }
    field(&mut second, "涵洞堵塞损坏,多处塌方,需机械清方");
    field(&mut second, "涵洞4处 塌方10处 里程10公里");
    field(&mut second, "20000");
    field(&mut second, "sb");
    field(&mut second, "兴义市交通运输局");
    keys(&mut second, b"\t");
    second.wait_for("已记录");
    keys(&mut second, b"\x1b");
    second.wait_for("兴义市交通运输局");

    // The grant and the conclusion, from Pending.
    keys(&mut second, b"\x1b[12~");
    keys(&mut second, b"\r");
    second.wait_for("2026-0014");
    keys(&mut second, b"g");
    field(&mut second, "20500");
    field(&mut second, "下拨通组路维修费用");
    keys(&mut second, b"z");
    field(&mut second, "zc");
    field(&mut second, "修整涵洞4个,塌方路段10余处,总里程10公里,恢复正常通行");
    second.wait_for("已记录");

    // The follow-up: he is satisfied.
    keys(&mut second, b"\x1b");
    keys(&mut second, b"\x1b[14~");
    keys(&mut second, b"/");
    keys(&mut second, b"2026-0014");
    keys(&mut second, b"\r");
    keys(&mut second, b"\r");
    keys(&mut second, b"\t");
    field(&mut second, "my");
    field(&mut second, "有了民情接待日,碰到的难事就有地方说");
    second.wait_for("已记录");

    for t in [&mut first, &mut second] {
        keys(t, b"\x11");
    }
    assert!(first.wait_exit(Duration::from_secs(5)).is_some());
    assert!(second.wait_exit(Duration::from_secs(5)).is_some());

    // Every step is in the database the server keeps, in order.
    let (case, events) = shared.read(14);
    use jiedai::domain::{Outcome, Satisfaction, Status};
    assert_eq!(case.status, Status::FollowedUp);
    assert_eq!(case.assignee.as_deref(), Some("岑国仲"));
    let f = case.inspections[0].findings.as_ref().expect("findings");
    assert_eq!((f.cost_yuan, f.team.clone()), (20_000, vec!["岑国仲".to_string(), "罗兴国".to_string()]));
    assert_eq!(case.escalations[0].to, "兴义市交通运输局");
    assert_eq!(case.escalations[0].granted_yuan, Some(20_500));
    assert_eq!(case.conclusion.as_ref().map(|c| c.outcome), Some(Outcome::Implemented));
    assert_eq!(case.follow_ups[0].satisfaction, Satisfaction::Satisfied);
    assert_eq!(
        common::steps(&events),
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
    // Signed by the users the kernel named: the first desk's registration,
    // every later step by the second cadre.
    assert_eq!(events[0].operator, "root");
    assert!(events[1..].iter().all(|e| e.operator == "岑国仲"), "{events:?}");
}

const CADRE_LOGIN: &str = "jdsrv_in";
const GROUP: &str = "jdsrv";

/// 岑国仲's login is a system user in the server's group, and the socket's
/// directory is the group's (as tests/serve_identity.rs deploys it).
fn second_cadre(shared: &Shared) {
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;
    let sh = |p: &str, a: &[&str]| Command::new(p).args(a).output().expect(p);
    assert_eq!(rustix::process::geteuid().as_raw(), 0, "test 8 runs the second desk as another user: run it as root");
    assert!(sh("groupadd", &["-f", GROUP]).status.success());
    if !sh("id", &["-u", CADRE_LOGIN]).status.success() {
        let out = sh("useradd", &["-M", "-N", "-s", "/usr/sbin/nologin", "-G", GROUP, CADRE_LOGIN]);
        assert!(out.status.success() || sh("id", &["-u", CADRE_LOGIN]).status.success(), "{out:?}");
    }
    let group = String::from_utf8_lossy(&sh("getent", &["group", GROUP]).stdout).to_string();
    let gid: u32 = group.split(':').nth(2).and_then(|g| g.trim().parse().ok()).expect("gid");
    std::os::unix::fs::chown(shared.run.path(), Some(0), Some(gid)).expect("chown");
    std::fs::set_permissions(shared.run.path(), std::fs::Permissions::from_mode(0o2750)).expect("chmod");
    let store = jiedai::store::Store::open(shared.db.path()).expect("open");
    let mut cadre = store
        .directory()
        .expect("directory")
        .cadres
        .into_iter()
        .find(|c| c.cadre.name == "岑国仲")
        .expect("the demo's 岑国仲")
        .cadre;
    cadre.login = CADRE_LOGIN.into();
    let stamp = jiedai::store::Stamp { at: chrono::Utc::now(), operator: "文书".into() };
    let change = jiedai::domain::DirChange::Cadre(cadre);
    store.execute(&stamp, jiedai::store::Command::Directory(vec![change])).expect("login");
    store.close().expect("close");
}

/// A desk that was stopped (SIGSTOP: a frozen link) misses the notices
/// its full queue could not hold; told to resync, it reads its list whole
/// again and shows a case registered while it was stopped.
#[test]
fn a_stopped_desk_resyncs_and_shows_what_it_missed() {
    use jiedai::protocol::Desk as _;
    let shared = Shared::new();
    let mut b = shared.desk();
    b.wait_for("2待办 5 (超期 1)");
    keys(&mut b, b"\x1b[12~");
    b.wait_for("坡脚组变压器");
    let mut a = shared.desk();
    a.wait_for("紧急程度");
    let port = jiedai::serve::desk::SocketDesk::connect(&shared.target()).expect("connect");
    let today = jiedai::domain::time::china_date(chrono::Utc::now());
    let open = port.snapshot(today, vec![jiedai::protocol::List::Open], None, false).expect("snapshot").open;
    let case = open.iter().find(|c| c.intake.summary.contains("坡脚组变压器")).expect("the transformer").no;

    // SAFETY: signals to the desk this test started.
    unsafe { libc::kill(b.pid(), libc::SIGSTOP) };
    // Enough saves to overflow the stopped desk's queue into a resync...
    let mut ids = jiedai::store::IdSource::new();
    for i in 0..300 {
        port.execute(ids.next_id(), jiedai::store::Command::Note { case, text: format!("第{i}条") }).expect("note");
    }
    // ...and then a registration, whose own notice is dropped for B.
    keys(&mut a, b"\t");
    field(&mut a, "唐某");
    for _ in 0..5 {
        keys(&mut a, b"\t");
    }
    keys(&mut a, "路灯坏了".as_bytes());
    keys(&mut a, b"\x13");
    a.wait_for("已保存, 编号 2026-0014");
    unsafe { libc::kill(b.pid(), libc::SIGCONT) };
    b.wait_for("路灯坏了");
    b.wait_for("2待办 6");
    port.close().expect("close");
}
