//! A `recover` killed (-9) at any moment leaves either the whole new
//! database or nothing that `check` would call a database.

mod common;

use std::path::Path;
use std::time::Duration;

fn jiedai(db: &Path, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"));
    c.args(args).arg("--db").arg(db).env_remove("JIEDAI_DB").env("LANG", "zh_CN.UTF-8");
    c.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    c
}

fn check(db: &Path) -> (bool, String) {
    let out = common::jiedai(db, &["check"]);
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn a_recover_killed_at_any_moment_leaves_the_whole_database_or_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t");
    assert!(common::jiedai(&db, &["demo"]).status.success());
    let (mut whole, mut cut) = (0, 0);
    for ms in (0..60).chain([80, 120, 200, 400]) {
        let out = dir.path().join(format!("out-{ms}"));
        let mut child = jiedai(&db, &["recover", "--out", &out.to_string_lossy()]).spawn().expect("spawn");
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
        let _ = child.wait();
        // The target: whole, or not there at all.
        if out.exists() {
            let (ok, said) = check(&out);
            assert!(ok && said.contains("数据库完好: 13 件"), "killed after {ms} ms: {said}");
            whole += 1;
        } else {
            cut += 1;
        }
        // Anything else it left beside: no database.
        for e in std::fs::read_dir(dir.path()).expect("list").flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == "t" || name.starts_with("out-") {
                continue;
            }
            let (ok, said) = check(&e.path());
            assert!(!ok && !said.contains("数据库完好"), "killed after {ms} ms, {name}: {said}");
        }
    }
    // Killed before it finished at least once (at 0 ms, before it started);
    // the original is never touched.
    assert!(cut > 0, "never interrupted ({whole} whole)");
    assert!(check(&db).1.contains("数据库完好: 13 件"));
}
