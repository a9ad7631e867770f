//! A database and its socket in a private temporary directory, and the
//! `jiedai serve` processes found on it (issue 14's tests).
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use jiedai::i18n::Lang;
use jiedai::serve::client::Target;
use jiedai::serve::place::Place;

/// A database and its socket in a private temporary directory.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        // As the default directory is made: the user's alone.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
        Site { dir }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("s")
    }

    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_jiedai"));
        c.args(args).arg("--db").arg(self.db()).arg("--socket").arg(self.socket());
        c.env_remove("JIEDAI_DB").env_remove("JIEDAI_SOCKET").env("LANG", "zh_CN.UTF-8").env_remove("LC_ALL");
        c.env("JIEDAI_IDLE", "5");
        for (k, v) in env {
            c.env(k, v);
        }
        c
    }

    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(args, env).output().expect("run jiedai")
    }

    /// `jiedai serve --start`: the server's pid, starting one if needed.
    pub fn server_pid(&self) -> u32 {
        let out = self.run(&["serve", "--start", "--lang", "en"], &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        pid_in(&String::from_utf8_lossy(&out.stdout))
    }

    /// Where a desk in Chinese finds this site's server.
    pub fn target(&self) -> Target {
        target_at(&self.db(), &self.socket())
    }

    /// The live `jiedai serve` processes of this site.
    pub fn servers(&self) -> Vec<u32> {
        servers_of(&self.socket())
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        for pid in self.servers() {
            // SAFETY: a signal to a server this test started.
            unsafe {
                libc::kill(pid as i32, libc::SIGCONT);
                libc::kill(pid as i32, libc::SIGKILL);
            }
        }
    }
}

/// Where a desk in Chinese finds the server of `db` on `socket`: this
/// test's binary is the one started when none runs.
pub fn target_at(db: &Path, socket: &Path) -> Target {
    Target {
        db: Some(db.to_path_buf()),
        place: Place::new(Some(socket), db),
        lang: Lang::Zh,
        program: Some(env!("CARGO_BIN_EXE_jiedai").into()),
    }
}

/// Today in China, as the server dates what it saves.
pub fn today() -> chrono::NaiveDate {
    jiedai::domain::time::china_date(chrono::Utc::now())
}

pub fn pid_in(status: &str) -> u32 {
    status
        .split_whitespace()
        .nth(1)
        .and_then(|w| w.trim_end_matches(':').parse().ok())
        .unwrap_or_else(|| panic!("no pid in {status:?}"))
}

/// Processes (not zombies) running `jiedai serve` on this socket.
pub fn servers_of(socket: &Path) -> Vec<u32> {
    let want = socket.as_os_str().as_encoded_bytes();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        // Clients of `serve` (--status, --start, --stop, --watch) are not servers.
        let client = args.iter().any(|a| a.starts_with(b"--st") || *a == b"--watch");
        let is_server = args.iter().any(|a| *a == b"serve") && !client;
        if !is_server || !args.contains(&want) {
            continue;
        }
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let state = stat.rsplit(')').next().and_then(|s| s.split_whitespace().next()).unwrap_or("");
        if state != "Z" && state != "X" {
            found.push(pid);
        }
    }
    found
}

/// Wait until `f` holds, up to `within`.
pub fn eventually(within: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    f()
}
