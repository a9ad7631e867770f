//! A client of `jiedai serve`: connects, starting a server when none
//! answers, says hello, and sends requests.

use std::collections::VecDeque;
use std::io::{ErrorKind, Write as _};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::frame::{self, Hello};
use super::place::Place;
use super::wire::{self, Answer, Envelope, FromServer, Request};
use crate::i18n::{Lang, Msg, fill};

/// How long a server that took the connection may take to say hello: a
/// stuck one (holding the lock, not answering) is reported within 5 s.
const HELLO_WAIT: Duration = Duration::from_secs(4);
/// How long a server we started may take to open the database and bind.
const START_WAIT: Duration = Duration::from_secs(10);

/// Where to find (or how to start) the server.
#[derive(Clone, Debug)]
pub struct Target {
    /// `--db` as given, if given (the server uses the same default).
    pub db: Option<PathBuf>,
    pub place: Place,
    pub lang: Lang,
    /// The program to start as the server; `None`: this one.
    pub program: Option<PathBuf>,
}

pub struct Client {
    stream: UnixStream,
    next: u64,
    lang: Lang,
    target: Target,
    /// Times the connection was lost and made again.
    pub reconnects: u32,
    /// Change notices that arrived while waiting for a reply.
    pub notices: VecDeque<FromServer>,
}

/// Connect to the server, starting one in the background if none answers.
pub fn connect(target: &Target) -> Result<Client, String> {
    let lang = target.lang;
    let socket = &target.place.socket;
    let at = |m: Msg| format!("{} ({})", m.text(lang), socket.display());
    let start = Instant::now();
    let mut child: Option<Child> = None;
    loop {
        match UnixStream::connect(socket) {
            Ok(stream) => match hello(stream, target) {
                Ok(c) => return Ok(c),
                // Taken into the backlog of a server that then died:
                // the next connection reaches its successor.
                Err(Hung::Up) if start.elapsed() < START_WAIT => {}
                Err(Hung::Up) => return Err(at(Msg::ServeNoAnswer)),
                Err(Hung::Said(why)) => return Err(why),
            },
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused) => {
                match &mut child {
                    None => {
                        // Nothing is made in a directory that fails the
                        // checks, not even the log (it could be planted).
                        if target.place.dir().exists() {
                            super::place::check_dir(&target.place)
                                .map_err(|m| format!("{} ({})", m.text(lang), target.place.dir().display()))?;
                        }
                        child =
                            Some(spawn(target).map_err(|e| {
                                format!("{}: {}", at(Msg::ServeNotStarted), crate::i18n::io_text(&e, lang))
                            })?)
                    }
                    Some(c) => match c.try_wait() {
                        // Another server held the lock: it is starting, or
                        // it is stopping (idle), and then ours may start
                        // once it has gone.
                        Ok(Some(s)) if s.code() == Some(i32::from(super::server::EXIT_ALREADY)) => child = None,
                        Ok(Some(s)) if s.code() != Some(0) => {
                            return Err(format!("{}\n{}", at(Msg::ServeNotStarted), log_tail(&target.place)));
                        }
                        _ => {}
                    },
                }
            }
            Err(e) if e.kind() == ErrorKind::PermissionDenied => return Err(at(Msg::ServePermission)),
            Err(e) => return Err(format!("{}: {}", at(Msg::ServeNoAnswer), crate::i18n::io_text(&e, lang))),
        }
        if start.elapsed() > START_WAIT {
            return Err(format!("{} ({})", at(Msg::ServeNotStarted), target.place.log().display()));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The server, if one runs: reading commands (report, check, backup) use
/// it, and else read a private copy as they always did, starting nothing.
pub fn running(target: &Target) -> Option<Result<Client, String>> {
    let start = Instant::now();
    loop {
        return match UnixStream::connect(&target.place.socket) {
            Ok(stream) => match hello(stream, target) {
                Ok(c) => Some(Ok(c)),
                // A server on its way out (idle, stopped) took the
                // connection and dropped it: asked again, it has gone.
                Err(Hung::Up) if start.elapsed() < START_WAIT / 5 => {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                Err(Hung::Up) => {
                    Some(Err(format!("{} ({})", Msg::ServeNoAnswer.text(target.lang), target.place.socket.display())))
                }
                Err(Hung::Said(why)) => Some(Err(why)),
            },
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused) => None,
            Err(e) if e.kind() == ErrorKind::PermissionDenied => {
                Some(Err(format!("{} ({})", Msg::ServePermission.text(target.lang), target.place.socket.display())))
            }
            Err(_) => None,
        };
    }
}

/// Why a hello failed: the connection dropped (try again), or a reason.
enum Hung {
    Up,
    Said(String),
}

fn hello(mut stream: UnixStream, target: &Target) -> Result<Client, Hung> {
    let lang = target.lang;
    let at = |m: Msg| format!("{} ({})", m.text(lang), target.place.socket.display());
    let ours = Hello { protocol: super::protocol(), schema: super::schema(), status: u8::from(lang == Lang::En) };
    let _ = stream.set_read_timeout(Some(HELLO_WAIT));
    // A stopped server's full socket buffer never holds a write forever.
    let _ = stream.set_write_timeout(Some(super::desk::WRITE_WAIT));
    let theirs = stream.write_all(&ours.to_bytes()).and_then(|()| Hello::read(&mut stream));
    let theirs = match theirs {
        Ok(h) => h,
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            let pid = std::fs::read_to_string(target.place.lock()).unwrap_or_default();
            return Err(Hung::Said(format!("{} (pid {})", at(Msg::ServeNoAnswer), pid.trim())));
        }
        Err(_) => return Err(Hung::Up),
    };
    if theirs.status != frame::WELCOME {
        let older = (theirs.protocol, theirs.schema) > (ours.protocol, ours.schema);
        return Err(Hung::Said(if older { Msg::ServeClientOld } else { Msg::ServeServerOld }.text(lang).to_string()));
    }
    let _ = stream.set_read_timeout(None);
    Ok(Client { stream, next: 1, lang, target: target.clone(), reconnects: 0, notices: VecDeque::new() })
}

/// Start `jiedai serve` in its own session, its output to its own log.
fn spawn(target: &Target) -> std::io::Result<Child> {
    // The server makes and checks its directory; the log needs it first.
    if !target.place.dir().exists() {
        use std::os::unix::fs::DirBuilderExt;
        let _ = std::fs::DirBuilder::new().mode(0o700).create(target.place.dir());
    }
    let log = super::server::open_log(&target.place);
    let program = match &target.program {
        Some(p) => p.clone(),
        None => std::env::current_exe()?,
    };
    let mut cmd = std::process::Command::new(program);
    cmd.arg("serve").arg("--socket").arg(std::path::absolute(&target.place.socket)?);
    cmd.arg("--lang").arg(if target.lang == Lang::En { "en" } else { "zh" });
    if let Some(db) = &target.db {
        cmd.arg("--db").arg(std::path::absolute(db)?);
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::null());
    match log {
        Ok(f) => cmd.stderr(f),
        Err(_) => cmd.stderr(Stdio::null()),
    };
    // SAFETY: setsid is async-signal-safe; it detaches the server from the
    // client's terminal, so a hang-up there never reaches it.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd.spawn()
}

/// The last lines of the server's log, to say why it did not start.
fn log_tail(place: &Place) -> String {
    let text = std::fs::read_to_string(place.log()).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(3)..].join("\n");
    crate::domain::text::printable(&tail)
}

enum Fail {
    Lost,
    Refused(String),
}

impl Client {
    /// Send a request and wait for its reply; notices meanwhile are kept.
    /// If the server goes away, connect again (starting a new one) and
    /// send it again: a command carries its id, so the server applies it
    /// once however often it arrives.
    pub fn request(&mut self, request: Request) -> Result<Answer, String> {
        let mut tries = 0;
        loop {
            match self.try_request(&request) {
                Ok(answer) => return Ok(answer),
                Err(Fail::Refused(why)) => return Err(why),
                Err(Fail::Lost) if tries < 3 => {
                    tries += 1;
                    self.reconnect()?;
                }
                Err(Fail::Lost) => return Err(Msg::ServeLost.text(self.lang).to_string()),
            }
        }
    }

    /// A new connection in place of a lost one; what changed meanwhile is
    /// unknown, so the next notice is a resync.
    fn reconnect(&mut self) -> Result<(), String> {
        let _ = writeln!(std::io::stderr(), "jiedai: {}", Msg::ServeReconnecting.text(self.lang));
        let fresh = connect(&self.target)?;
        self.stream = fresh.stream;
        self.reconnects += 1;
        self.notices.push_back(FromServer::Resync);
        Ok(())
    }

    fn try_request(&mut self, request: &Request) -> Result<Answer, Fail> {
        let n = self.next;
        self.next += 1;
        let envelope = Envelope { n, request: request.clone() };
        frame::write(&mut self.stream, &wire::encode(&envelope)).map_err(|_| Fail::Lost)?;
        loop {
            let bytes = match frame::read(&mut self.stream, frame::TO_CLIENT_CAP) {
                Ok(Some(b)) => b,
                _ => return Err(Fail::Lost),
            };
            match wire::decode::<FromServer>(&bytes) {
                Some(FromServer::Reply { n: m, answer }) if m == n => return Ok(answer),
                Some(FromServer::Refused(why)) => return Err(Fail::Refused(why)),
                Some(notice @ (FromServer::Changed { .. } | FromServer::Resync)) => self.notices.push_back(notice),
                Some(FromServer::Reply { .. }) => {}
                None => return Err(Fail::Lost),
            }
        }
    }

    /// The connection itself, for the desk's port (serve::desk), which
    /// reads it on a thread of its own.
    pub fn into_stream(self) -> UnixStream {
        self.stream
    }

    /// The next change notice (or resync), waiting for it.
    pub fn next_notice(&mut self) -> Result<FromServer, String> {
        if let Some(n) = self.notices.pop_front() {
            return Ok(n);
        }
        loop {
            let bytes = match frame::read(&mut self.stream, frame::TO_CLIENT_CAP) {
                Ok(Some(b)) => b,
                _ => return Err(Msg::ServeLost.text(self.lang).to_string()),
            };
            match wire::decode::<FromServer>(&bytes) {
                Some(notice @ (FromServer::Changed { .. } | FromServer::Resync)) => return Ok(notice),
                Some(FromServer::Refused(why)) => return Err(why),
                Some(FromServer::Reply { .. }) => {}
                None => return Err(Msg::ServeLost.text(self.lang).to_string()),
            }
        }
    }

    /// A request whose answer is text (a report), or its failure.
    pub fn text(&mut self, request: Request) -> Result<String, String> {
        match self.request(request)? {
            Answer::Text(t) => Ok(t),
            Answer::Failed(why) => Err(why),
            _ => Err(Msg::ServeLost.text(self.lang).to_string()),
        }
    }

    pub fn status_line(&mut self) -> Result<String, String> {
        match self.request(Request::Status)? {
            Answer::Status { pid, clients, db, operator } => Ok(fill(
                Msg::ServeStatus.text(self.lang),
                &[("pid", &pid.to_string()), ("clients", &clients.to_string()), ("db", &db), ("operator", &operator)],
            )),
            Answer::Failed(why) => Err(why),
            _ => Err(Msg::ServeLost.text(self.lang).to_string()),
        }
    }
}
