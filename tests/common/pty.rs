//! The real `jiedai` binary in a pseudo-terminal, read through a vt100
//! screen, as PuTTY or tmux would show it. Built on openpty directly so the
//! test holds the only master descriptor and can hang the line up for real.
#![allow(dead_code)]

use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap_or(std::num::NonZeroU16::MIN)
}

/// The desk under test; JIEDAI_MEASURE_BIN puts another build in its
/// place, to measure an older desk with the same tests (the figures they
/// print), never in CI.
pub fn desk_binary() -> String {
    std::env::var("JIEDAI_MEASURE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_jiedai").to_string())
}

pub struct Pty {
    pub parser: vt100::Parser,
    pub raw: Vec<u8>,
    master: Option<OwnedFd>,
    pub child: Child,
    /// Answer `ESC [ 6 n` with the cursor position, as a real terminal does.
    pub answers_cursor_queries: bool,
    /// The user's settings directory (XDG_CONFIG_HOME), empty at the
    /// start: the developer's own settings never reach a test.
    pub config: tempfile::TempDir,
}

fn winsize(cols: u16, rows: u16) -> libc::winsize {
    libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 }
}

impl Pty {
    pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> Pty {
        Pty::spawn_sized(args, env, 80, 24)
    }

    pub fn spawn_sized(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        Pty::spawn_with(args, env, cols, rows, false)
    }

    /// As under `nohup`: the desk starts with SIGHUP ignored.
    pub fn spawn_nohup(args: &[&str]) -> Pty {
        Pty::spawn_nohup_env(args, &[])
    }

    pub fn spawn_nohup_env(args: &[&str], env: &[(&str, &str)]) -> Pty {
        Pty::spawn_with(args, env, 80, 24, true)
    }

    /// Another program around the desk (luit, say): `program args... jiedai desk_args...`.
    pub fn spawn_wrapped(program: &str, args: &[&str], desk_args: &[&str]) -> Pty {
        Pty::spawn_wrapped_env(program, args, desk_args, &[])
    }

    pub fn spawn_wrapped_env(program: &str, args: &[&str], desk_args: &[&str], env: &[(&str, &str)]) -> Pty {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.push(env!("CARGO_BIN_EXE_jiedai").to_string());
        all.extend(desk_args.iter().map(|a| a.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        Pty::spawn_program(program, &all, env, 80, 24, false)
    }

    fn spawn_with(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16, nohup: bool) -> Pty {
        Pty::spawn_program(&desk_binary(), args, env, cols, rows, nohup)
    }

    fn spawn_program(program: &str, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16, nohup: bool) -> Pty {
        let (mut master, mut slave) = (0, 0);
        let ws = winsize(cols, rows);
        // SAFETY: openpty fills two descriptors we then own.
        let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &ws) };
        assert_eq!(rc, 0, "openpty");
        // openpty's descriptors survive exec: without this, every child (the
        // desk itself included) would hold the master open and a hang-up
        // would never happen.
        // SAFETY: setting a flag on descriptors we own.
        unsafe {
            libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC);
            libc::fcntl(slave, libc::F_SETFD, libc::FD_CLOEXEC);
        }
        // SAFETY: both descriptors were just returned to us and are not shared.
        let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let config = tempfile::tempdir().expect("config dir");
        let mut cmd = Command::new(program);
        cmd.args(args)
            .env("XDG_CONFIG_HOME", config.path())
            .env_remove("JIEDAI_KEYPAD")
            .env_remove("JIEDAI_TEST_NOW")
            .env("TERM", "xterm-256color")
            .env("LANG", "zh_CN.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("JIEDAI_DB")
            .env_remove("NO_COLOR")
            // These tests attack the single-process desk (locks, damage,
            // full disks, power cuts); the desk as a server's client is
            // run with JIEDAI_EMBEDDED=false (tests/serve_desk_pty.rs).
            .env("JIEDAI_EMBEDDED", "true");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup slave"));
        cmd.stdin(io(&slave)).stdout(io(&slave)).stderr(io(&slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if nohup {
                    libc::signal(libc::SIGHUP, libc::SIG_IGN);
                }
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn jiedai");
        drop(slave);
        Pty {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            master: Some(master),
            child,
            answers_cursor_queries: true,
            config,
        }
    }

    fn fd(&self) -> i32 {
        use std::os::fd::AsRawFd;
        self.master.as_ref().map_or(-1, |m| m.as_raw_fd())
    }

    fn pump(&mut self, wait: Duration) {
        let fd = self.fd();
        if fd < 0 {
            std::thread::sleep(wait);
            return;
        }
        let mut timeout = wait.as_millis() as i32;
        loop {
            let mut pfd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd.
            let n = unsafe { libc::poll(&mut pfd, 1, timeout) };
            if n <= 0 || pfd.revents & libc::POLLIN == 0 {
                if n > 0 {
                    std::thread::sleep(Duration::from_millis(timeout.max(1) as u64));
                }
                return;
            }
            let mut buf = [0u8; 8192];
            // SAFETY: reading into a local buffer of the given length.
            let r = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
            if r <= 0 {
                return;
            }
            self.take(&buf[..r as usize]);
            timeout = 0;
        }
    }

    /// Output from the desk: shown, kept, and cursor queries answered.
    fn take(&mut self, bytes: &[u8]) {
        let query = b"\x1b[6n";
        let mut rest = bytes;
        while let Some(i) = rest.windows(query.len()).position(|w| w == query) {
            self.parser.process(&rest[..i + query.len()]);
            if self.answers_cursor_queries {
                let (row, col) = self.parser.screen().cursor_position();
                let answer = format!("\x1b[{};{}R", row + 1, col + 1);
                // SAFETY: writing from a live slice to our master.
                unsafe { libc::write(self.fd(), answer.as_ptr().cast(), answer.len()) };
            }
            rest = &rest[i + query.len()..];
        }
        self.parser.process(rest);
        self.raw.extend_from_slice(bytes);
    }

    /// A terminal that never answers (a slow link): the probe gets nothing.
    pub fn spawn_silent(args: &[&str]) -> Pty {
        let mut t = Pty::spawn_program(env!("CARGO_BIN_EXE_jiedai"), args, &[], 80, 24, false);
        t.answers_cursor_queries = false;
        t
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Wait until the screen shows `text`; panic with the screen if not.
    pub fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            self.pump(Duration::from_millis(50));
        }
        panic!("screen never showed {text:?}:\n{}", self.screen());
    }

    /// Wait until the (Chinese) tab bar shows tab `n` (1..5) selected:
    /// its number and title reversed (`1 登记`, or `1登记` where ten tabs
    /// close up to fit).
    pub fn wait_for_tab(&mut self, n: u8) {
        let digit = n.to_string();
        let title = ["登", "待", "实", "回", "统"][usize::from(n.clamp(1, 5) - 1)];
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let screen = self.parser.screen();
            let (_, cols) = screen.size();
            let at = (0..cols.get()).find(|&x| {
                screen.cell(0, x).is_some_and(|c| c.contents() == digit)
                    && (1..=2).any(|gap| screen.cell(0, x + gap).is_some_and(|c| c.contents() == title))
            });
            if at.and_then(|x| screen.cell(0, x)).is_some_and(|c| c.inverse()) {
                return;
            }
            self.pump(Duration::from_millis(20));
        }
        panic!("tab {n} never came up:\n{}", self.screen());
    }

    /// Read output for a while (the desk keeps drawing while we wait).
    pub fn pump_for(&mut self, d: Duration) {
        let until = Instant::now() + d;
        while Instant::now() < until {
            self.pump(Duration::from_millis(20));
        }
    }

    /// Read until the desk has written nothing for `gap`.
    pub fn quiet(&mut self, gap: Duration) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let n = self.raw.len();
            self.pump(gap);
            if self.raw.len() == n {
                return;
            }
        }
        panic!("the desk never stopped writing:\n{}", self.screen());
    }

    /// The bytes the desk writes for what `act` does, until it is quiet.
    pub fn bytes_for(&mut self, act: impl FnOnce(&mut Pty)) -> usize {
        self.quiet(Duration::from_millis(150));
        let before = self.raw.len();
        act(self);
        self.quiet(Duration::from_millis(150));
        self.raw.len() - before
    }

    /// Let output settle for a moment.
    pub fn settle(&mut self) {
        let until = Instant::now() + Duration::from_millis(300);
        while Instant::now() < until {
            self.pump(Duration::from_millis(30));
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while !rest.is_empty() {
            // SAFETY: writing from a live slice.
            let n = unsafe { libc::write(self.fd(), rest.as_ptr().cast(), rest.len()) };
            assert!(n > 0, "write to pty failed");
            rest = &rest[n as usize..];
            self.pump(Duration::from_millis(0));
        }
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        let ws = winsize(cols, rows);
        // SAFETY: TIOCSWINSZ on our master with a valid winsize.
        unsafe { libc::ioctl(self.fd(), libc::TIOCSWINSZ, &ws) };
        self.parser.screen_mut().set_size(nz(rows), nz(cols));
    }

    /// The line drops: the only master descriptor closes.
    pub fn hang_up(&mut self) {
        self.master = None;
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Wait for the process to end; its exit code (128+n for a signal), or
    /// None on timeout.
    pub fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0)));
            }
            self.pump(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
