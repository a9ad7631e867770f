//! Issue 14: one server owns the database; clients connect, start it
//! when none answers, and every race ends on one server. The real binary,
//! in temporary directories.

#[path = "common/site.rs"]
mod site;

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use site::{Site, eventually, pid_in};

/// Racing clients, each starting a server if none answers.
fn race(n: usize) {
    let site = Site::new();
    let children: Vec<_> = (0..n)
        .map(|_| {
            site.command(&["serve", "--start", "--lang", "en"], &[])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut pids = Vec::new();
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        pids.push(pid_in(&String::from_utf8_lossy(&out.stdout)));
    }
    pids.dedup();
    assert_eq!(pids.len(), 1, "{n} racing clients reached servers {pids:?}");
    // The losers of the race have left; exactly one server remains.
    assert!(eventually(Duration::from_secs(3), || site.servers().len() == 1), "servers: {:?}", site.servers());
    assert_eq!(site.servers(), pids);
}

#[test]
fn five_clients_started_at_once_end_on_one_server() {
    race(5);
}

#[test]
fn twenty_clients_started_at_once_end_on_one_server() {
    race(20);
}

#[test]
fn the_socket_is_for_the_group_only_and_a_live_server_is_never_displaced() {
    let site = Site::new();
    let pid = site.server_pid();
    let mode = std::fs::metadata(site.socket()).expect("socket").permissions().mode();
    assert_eq!(mode & 0o777, 0o660);
    // A second server started by hand leaves the first in place.
    let out = site.run(&["serve"], &[]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(site.server_pid(), pid);
    assert_eq!(site.servers(), vec![pid]);
}

#[test]
fn a_stale_socket_gives_a_new_server_within_a_second() {
    let site = Site::new();
    // A socket file nobody listens on, as a crashed server leaves it.
    drop(std::os::unix::net::UnixListener::bind(site.socket()).expect("bind"));
    assert!(UnixStream::connect(site.socket()).is_err());
    let start = Instant::now();
    let pid = site.server_pid();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert_eq!(site.servers(), vec![pid]);
}

#[test]
fn a_stuck_server_is_reported_within_five_seconds_and_not_replaced() {
    let site = Site::new();
    // Not idle while stopped, so the same one answers after.
    let out = site.run(&["serve", "--start", "--lang", "en"], &[("JIEDAI_IDLE", "60")]);
    let pid = pid_in(&String::from_utf8_lossy(&out.stdout));
    // SAFETY: stopping the server this test started.
    unsafe { libc::kill(pid as i32, libc::SIGSTOP) };
    let start = Instant::now();
    let out = site.run(&["serve", "--status"], &[]);
    let took = start.elapsed();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("服务进程没有应答"), "{err}");
    assert!(err.contains(&pid.to_string()), "{err}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let out = site.run(&["serve", "--status", "--lang", "en"], &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("The server does not answer"));
    assert_eq!(site.servers(), vec![pid], "no second server");
    // SAFETY: as above.
    unsafe { libc::kill(pid as i32, libc::SIGCONT) };
    assert_eq!(site.server_pid(), pid);
}

#[test]
fn a_socket_directory_open_to_others_is_refused() {
    let site = Site::new();
    std::fs::set_permissions(site.dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = site.run(&["serve", "--start", "--lang", "en"], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    // Refused before anything is made there (not even the server's log).
    assert!(err.contains("open to other users"), "{err}");
    assert!(site.servers().is_empty());
}

/// A raw connection that has said hello.
fn greeted(site: &Site) -> UnixStream {
    site.server_pid();
    let mut s = UnixStream::connect(site.socket()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    let mut hello = [0u8; 16];
    hello[..4].copy_from_slice(b"JDAI");
    hello[4..8].copy_from_slice(&jiedai::serve::PROTOCOL.to_be_bytes());
    hello[8..12].copy_from_slice(&(jiedai::store::SCHEMA_VERSION as u32).to_be_bytes());
    s.write_all(&hello).expect("hello");
    let mut back = [0u8; 16];
    s.read_exact(&mut back).expect("welcome");
    assert_eq!(&back[..4], b"JDAI");
    assert_eq!(back[12], 0, "welcomed");
    s
}

/// What the server sends before it closes the connection.
fn rest(mut s: UnixStream) -> Vec<u8> {
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    got
}

#[test]
fn bad_huge_and_cut_frames_end_that_client_only() {
    let site = Site::new();
    let pid = site.server_pid();
    // A frame claiming 4 GiB: refused without reading (or allocating) it.
    let mut s = greeted(&site);
    s.write_all(&u32::MAX.to_be_bytes()).expect("write");
    let got = rest(s);
    assert!(String::from_utf8_lossy(&got).contains("收到无法识别的数据"), "{got:?}");
    // A frame of garbage.
    let mut s = greeted(&site);
    s.write_all(&[0, 0, 0, 5, 0xff, 0xfe, 0xfd, 0xfc, 0xfb]).expect("write");
    assert!(String::from_utf8_lossy(&rest(s)).contains("收到无法识别的数据"));
    // A frame cut short by a client that goes away.
    let mut s = greeted(&site);
    s.write_all(&[0, 0, 1, 0, 1, 2, 3]).expect("write");
    drop(s);
    // Not a hello at all.
    let mut s = UnixStream::connect(site.socket()).expect("connect");
    s.write_all(b"GET / HTTP/1.1\r\n\r\n").expect("write");
    assert!(rest(s).is_empty());
    // The server is still there for everyone else.
    assert_eq!(site.server_pid(), pid);
    assert_eq!(site.servers(), vec![pid]);
}

#[test]
fn an_older_client_is_told_to_restart_and_a_newer_one_that_the_server_is_old() {
    let site = Site::new();
    let pid = site.server_pid();
    let newer = (jiedai::serve::PROTOCOL + 1).to_string();
    let older = (jiedai::serve::PROTOCOL - 1).to_string();
    let out = site.run(&["serve", "--status"], &[("JIEDAI_TEST_PROTOCOL", &older)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("jiedai 已升级: 请退出本程序, 再重新启动 jiedai"));
    let out = site.run(&["serve", "--status", "--lang", "en"], &[("JIEDAI_TEST_PROTOCOL", &older)]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("jiedai was upgraded: quit this program and start jiedai again")
    );
    let out = site.run(&["serve", "--status", "--lang", "en"], &[("JIEDAI_TEST_PROTOCOL", &newer)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("The server runs an older jiedai"));
    // A schema the server does not know is a mismatch too.
    let schema = (jiedai::store::SCHEMA_VERSION + 1).to_string();
    let out = site.run(&["serve", "--status", "--lang", "en"], &[("JIEDAI_TEST_SCHEMA", &schema)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("The server runs an older jiedai"));
    // The old server was not displaced by any of them.
    assert_eq!(site.servers(), vec![pid]);
}

#[test]
fn a_socket_passed_by_systemd_is_served_and_left_in_place() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::new();
    // systemd-socket-activate listens, and at the first connection runs
    // the server with the socket as fd 3 (LISTEN_FDS, LISTEN_PID), as
    // jiedai.socket does in contrib/.
    let mut activator = std::process::Command::new("systemd-socket-activate")
        .arg("-l")
        .arg(site.socket())
        .arg(env!("CARGO_BIN_EXE_jiedai"))
        // It passes no environment: the idle time as an argument.
        .args(["serve", "--idle", "1", "--lang", "en", "--db"])
        .arg(site.db())
        .arg("--socket")
        .arg(site.socket())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("systemd-socket-activate");
    assert!(eventually(Duration::from_secs(5), || site.socket().exists()), "systemd's socket");
    let made = std::fs::metadata(site.socket()).expect("socket").ino();
    assert_eq!(site.server_pid(), activator.id(), "the activated server answers");
    assert!(site.db().with_extension("serve.lock").exists(), "its lock beside the database");
    // Idle, it exits; the socket stays systemd's, untouched.
    assert!(eventually(Duration::from_secs(5), || activator.try_wait().ok().flatten().is_some()), "idle exit");
    assert_eq!(std::fs::metadata(site.socket()).expect("socket kept").ino(), made);
}

/// A mistyped --socket never costs a file: a file that is not a socket is
/// left whole; and in a directory open to others nothing is written, not
/// even through a log planted there as a symbolic link.
#[test]
fn a_file_at_the_socket_path_is_left_alone_and_a_planted_log_is_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = |socket: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
            .args(["--db", tmp.path().join("db").to_str().expect("utf-8"), "--socket"])
            .arg(socket)
            .args(["note", "2026-0001", "x"])
            .env("JIEDAI_IDLE", "2")
            .output()
            .expect("run")
    };
    let private = tmp.path().join("sd");
    std::fs::create_dir(&private).expect("mkdir");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let ledger = private.join("台账.xlsx");
    std::fs::write(&ledger, "precious").expect("write");
    let out = run(&ledger);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是套接字"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&ledger).expect("still a file"), "precious");

    let open = tmp.path().join("ww");
    std::fs::create_dir(&open).expect("mkdir");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
    let victim = tmp.path().join("victim");
    std::fs::write(&victim, "VICTIM\n").expect("write");
    std::os::unix::fs::symlink(&victim, open.join("t.log")).expect("symlink");
    let out = run(&open.join("t"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不能信任"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "VICTIM\n");
}
