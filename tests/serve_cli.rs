//! Issue 14 leftovers on the command line: `serve --status` and `--stop`
//! only ask (no server started, no database made), and what `backup`,
//! `restore`, `import` and `recover` say when the folder is missing, the
//! database is not empty, or a server holds it. The real binary.

#[path = "common/site.rs"]
mod site;

use std::path::Path;
use std::process::{Command, Output};

use site::Site;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `jiedai ARGS` with an empty HOME and nothing else to say where the
/// database or the socket are.
fn in_home(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .env("HOME", home)
        .env("JIEDAI_IDLE", "5")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("JIEDAI_DB")
        .env_remove("JIEDAI_SOCKET")
        .env_remove("XDG_DATA_HOME")
        .output()
        .expect("run jiedai")
}

#[test]
fn serve_status_and_stop_on_an_empty_home_say_no_server_runs_and_make_nothing() {
    let home = tempfile::tempdir().expect("tempdir");
    // Where the database and its socket would be, as the binary finds them.
    let db = home.path().join(".local/share/jiedai/desk");
    let socket = jiedai::serve::place::Place::new(None, &db).socket;
    let out = in_home(home.path(), &["serve", "--status"]);
    assert!(!out.status.success(), "no server is no success for --status");
    assert!(stderr(&out).contains("没有服务进程在运行"), "{}", stderr(&out));
    assert!(stderr(&out).contains(&socket.display().to_string()), "{}", stderr(&out));
    let out = in_home(home.path(), &["serve", "--status", "--lang", "en"]);
    assert!(stderr(&out).contains("No server is running"), "{}", stderr(&out));
    // Nothing to stop is no failure.
    let out = in_home(home.path(), &["serve", "--stop", "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No server is running"));
    // Nothing was made: no database, no server, no socket.
    let made: Vec<_> = std::fs::read_dir(home.path()).expect("home").flatten().map(|e| e.path()).collect();
    assert!(made.is_empty(), "made in HOME: {made:?}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(site::servers_of(&socket).is_empty(), "a server was started");
    assert!(!socket.exists());
}

#[test]
fn serve_start_starts_one_and_status_then_reports_it() {
    let site = Site::new();
    let out = site.run(&["serve", "--status", "--lang", "en"], &[]);
    assert!(!out.status.success());
    assert!(site.servers().is_empty());
    assert!(!site.db().exists(), "--status made the database");
    let out = site.run(&["serve", "--start", "--lang", "en"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pid = site::pid_in(&String::from_utf8_lossy(&out.stdout));
    let out = site.run(&["serve", "--status", "--lang", "en"], &[]);
    assert_eq!(site::pid_in(&String::from_utf8_lossy(&out.stdout)), pid);
    assert_eq!(site.servers(), vec![pid]);
}

#[test]
fn backup_into_a_missing_folder_says_it_does_not_exist_and_names_it() {
    let site = Site::new();
    assert!(site.run(&["demo"], &[]).status.success());
    let missing = site.dir.path().join("备份").join("每晚");
    let name = missing.to_str().expect("utf-8");
    let out = site.run(&["backup", name], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("备份文件夹不存在"), "{err}");
    assert!(err.contains(name), "{err}");
    assert!(!err.contains("路径中有一段不是文件夹"), "{err}");
    let out = site.run(&["backup", name, "--lang", "en"], &[]);
    let err = stderr(&out);
    assert!(err.contains("The backup folder does not exist") && err.contains(name), "{err}");
    // A file where the folder should be is still "not a folder".
    let file = site.dir.path().join("a-file");
    std::fs::write(&file, b"x").expect("write");
    let out = site.run(&["backup", file.to_str().expect("utf-8")], &[]);
    assert!(stderr(&out).contains("路径中有一段不是文件夹"), "{}", stderr(&out));
}

#[test]
fn restore_into_a_database_that_is_not_empty_says_so_before_reading_the_file() {
    let site = Site::new();
    assert!(site.run(&["demo"], &[]).status.success());
    // A file with errors: the database is what is said first.
    let bad = site.dir.path().join("bad.json.gz");
    std::fs::write(&bad, b"{ this is not a backup").expect("write");
    let out = site.run(&["restore", bad.to_str().expect("utf-8")], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("数据库不是空的"), "{err}");
    assert!(!err.contains("bad.json.gz"), "the file was found fault with first: {err}");
    let out = site.run(&["restore", bad.to_str().expect("utf-8"), "--lang", "en"], &[]);
    assert!(stderr(&out).contains("The database is not empty"), "{}", stderr(&out));
}

#[test]
fn restore_import_and_recover_while_a_server_runs_name_serve_stop() {
    let site = Site::new();
    assert!(site.run(&["demo"], &[]).status.success());
    // A good export, so that only the database stands in the way.
    let file = site.dir.path().join("x.json");
    let file = file.to_str().expect("utf-8");
    assert!(site.run(&["export", "--out", file], &[]).status.success());
    let out = site.run(&["serve", "--start"], &[("JIEDAI_IDLE", "60")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let commands: [&[&str]; 3] = [&["restore", file], &["import", "json", file], &["recover"]];
    for args in commands {
        let out = site.run(args, &[]);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("服务进程正占用这个数据库: 先运行 jiedai serve --stop"), "{args:?}: {err}");
        assert!(!err.contains("请等对方退出"), "{args:?}: {err}");
        // Since when, in the township's time with its offset, as the
        // server's log says its times.
        assert!(err.contains("+08:00"), "{args:?}: {err}");
        let mut en = args.to_vec();
        en.extend(["--lang", "en"]);
        let out = site.run(&en, &[]);
        let err = stderr(&out);
        assert!(err.contains("A server holds this database: run jiedai serve --stop first"), "{args:?}: {err}");
    }
    assert_eq!(site.servers().len(), 1);
    let log = std::fs::read_to_string(site.dir.path().join("s.log")).expect("the server's log");
    let first = log.lines().next().unwrap_or_default();
    assert!(first.contains(" +08:00 jiedai serve["), "{log}");
}

#[test]
fn backup_keep_0_keeps_one_as_the_help_says() {
    let site = Site::new();
    assert!(site.run(&["demo"], &[]).status.success());
    let dir = site.dir.path().join("backups");
    std::fs::create_dir(&dir).expect("mkdir");
    let name = dir.to_str().expect("utf-8");
    for _ in 0..2 {
        let out = site.run(&["backup", name, "--keep", "0"], &[]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1);
    let help = site.run(&["backup", "--help", "--lang", "en"], &[]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("0 keeps 1"), "{help:?}");
}
