//! The real binary's output read as text, and the files and paths handed
//! to it: what the command-line tests share.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The output of a run that must succeed; what it printed if it did not.
pub fn ok(out: Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

pub fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write");
    path
}

pub fn arg(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// `jiedai import cases FILE --db DB` in Chinese, written in chunks of
/// `chunk` rows (debug builds read `JIEDAI_IMPORT_CHUNK`), never pausing.
pub fn import_command(db: &Path, file: &Path, chunk: usize) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"));
    c.args(["import", "cases"])
        .arg(file)
        .arg("--db")
        .arg(db)
        .env("LANG", "zh_CN.UTF-8")
        .env("JIEDAI_IMPORT_CHUNK", chunk.to_string())
        .env_remove("JIEDAI_IMPORT_PAUSE_AFTER");
    c
}

/// `jiedai import cases FILE` in chunks of `chunk` rows, killed (SIGKILL)
/// as it pauses after chunk `after` (debug builds pause on
/// `JIEDAI_IMPORT_PAUSE_AFTER`).
pub fn import_killed_after(db: &Path, file: &Path, chunk: usize, after: usize) {
    use std::io::BufRead;
    let mut child = import_command(db, file, chunk)
        .env("JIEDAI_IMPORT_PAUSE_AFTER", after.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let mark = format!("import paused after chunk {after}");
    let mut said = Vec::new();
    for line in std::io::BufReader::new(stderr).lines() {
        let line = line.expect("line");
        let paused = line.contains(&mark);
        said.push(line);
        if paused {
            break;
        }
    }
    assert!(said.last().is_some_and(|l| l.contains(&mark)), "never reached chunk {after}: {said:?}");
    child.kill().expect("kill -9");
    let status = child.wait().expect("wait");
    assert!(!status.success());
}
