//! Issue 14, test 5: the socket is for the group; a user outside it is told
//! "permission"; every event carries the user the kernel names, mapped to
//! the cadre whose login it is, never a name the client claims. Clients
//! run as other uids, which needs root (as CI runs the tests).

#[path = "common/site.rs"]
mod site;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::{Command, Output};
use std::time::Duration;

use jiedai::domain::{DirCadre, DirChange, EventKind};
use jiedai::store::{Stamp, Store};
use site::{Site, eventually};

const GROUP: &str = "jdsrv";
const INSIDER: &str = "jdsrv_in";
const OUTSIDER: &str = "jdsrv_out";

fn sh(program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn id_of(flag: &str, name: &str) -> u32 {
    let out = if flag == "-g" { sh("getent", &["group", name]) } else { sh("id", &["-u", name]) };
    let text = String::from_utf8_lossy(&out.stdout);
    let field = if flag == "-g" { text.split(':').nth(2).unwrap_or("") } else { text.trim() };
    field.trim().parse().unwrap_or_else(|_| panic!("no id for {name}: {text}"))
}

/// The group and the two users, made once on this machine.
fn users() {
    assert_eq!(rustix::process::geteuid().as_raw(), 0, "test 5 runs clients as other users: run it as root");
    assert!(sh("groupadd", &["-f", GROUP]).status.success());
    for (user, groups) in [(INSIDER, Some(GROUP)), (OUTSIDER, None)] {
        if !sh("id", &["-u", user]).status.success() {
            let mut args = vec!["-M", "-N", "-s", "/usr/sbin/nologin"];
            if let Some(g) = groups {
                args.extend(["-G", g]);
            }
            args.push(user);
            let out = sh("useradd", &args);
            assert!(out.status.success() || sh("id", &["-u", user]).status.success(), "useradd {user}: {out:?}");
        }
    }
}

/// The real binary run as `user`.
fn as_user(site: &Site, user: &str, args: &[&str]) -> Output {
    let mut c = Command::new("runuser");
    c.args(["-u", user, "--", env!("CARGO_BIN_EXE_jiedai")]).args(args);
    c.arg("--db").arg(site.db()).arg("--socket").arg(site.socket());
    c.env_remove("JIEDAI_DB").env_remove("JIEDAI_SOCKET").env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL");
    c.output().expect("runuser")
}

#[test]
fn the_socket_answers_its_group_and_events_carry_the_kernels_user() {
    users();
    let site = Site::new();
    // The seed's cases, and a cadre whose login is the insider's.
    let out = site.run(&["demo"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let case = {
        let store = Store::open(&site.db()).expect("open");
        let stamp = Stamp { at: chrono::Utc::now(), operator: "文书".into() };
        let cadre = DirCadre {
            name: "岑国仲".into(),
            post: "人大主席".into(),
            phone: String::new(),
            login: INSIDER.into(),
            covers: vec![],
        };
        store.execute(&stamp, jiedai::store::Command::Directory(vec![DirChange::Cadre(cadre)])).expect("cadre");
        let no = store.open_cases().expect("cases").first().expect("a case").no;
        store.close().expect("close");
        no
    };
    // The township's deployment: the directory the group's, setgid, so
    // the socket made in it is the group's too.
    let gid = id_of("-g", GROUP);
    std::os::unix::fs::chown(site.dir.path(), Some(0), Some(gid)).expect("chown");
    std::fs::set_permissions(site.dir.path(), std::fs::Permissions::from_mode(0o2750)).expect("chmod");
    site.server_pid();
    let meta = std::fs::metadata(site.socket()).expect("socket");
    assert_eq!(meta.permissions().mode() & 0o777, 0o660);
    assert_eq!(meta.gid(), gid);

    // A cadre in the group notes, claiming to be somebody else.
    let no = case.to_string();
    let out = as_user(&site, INSIDER, &["--operator", "冒名顶替", "note", &no, "已电话联系, 明天去现场"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("已记入事件 {no} 的办理经过")));
    let out = as_user(&site, INSIDER, &["serve", "--status", "--lang", "en"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("your changes are recorded as 岑国仲"), "{out:?}");

    // A user outside the group is told, in their language.
    let out = as_user(&site, OUTSIDER, &["note", &no, "不该记上"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有权限连接服务进程"), "{out:?}");
    let out = as_user(&site, OUTSIDER, &["note", &no, "不该记上", "--lang", "en"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("No permission to reach the server"), "{out:?}");

    // The server stops when asked; the timeline says who it really was.
    let out = site.run(&["serve", "--stop"], &[]);
    assert!(out.status.success());
    assert!(eventually(Duration::from_secs(5), || site.servers().is_empty()), "the server stops");
    let store = Store::open(&site.db()).expect("open");
    let events = store.events(case).expect("events");
    let noted: Vec<_> = events.iter().filter(|e| matches!(&e.kind, EventKind::Note { .. })).collect();
    let last = noted.last().expect("the note");
    assert!(matches!(&last.kind, EventKind::Note { text } if text == "已电话联系, 明天去现场"), "{last:?}");
    assert_eq!(last.operator, "岑国仲");
    assert!(
        !events
            .iter()
            .any(|e| e.operator == "冒名顶替" || matches!(&e.kind, EventKind::Note { text } if text == "不该记上"))
    );
}
