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
