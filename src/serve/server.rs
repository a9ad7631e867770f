//! `jiedai serve`: owns the database, serves its clients, exits when idle.
//!
//! Which server runs is decided by a lock file held for the server's whole
//! life: a second server started in a race finds it taken and leaves
//! without touching the socket, so a live server is never displaced. The
//! winner binds under a temporary name and renames over whatever stale
//! socket was there, so a client never sees a half-made one.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::frame::{self, Hello};
use super::place::{Place, check_dir, login_of};
use super::wire::{self, Answer, Call, Envelope, FromServer, Request, Said};
use crate::i18n::{Lang, Msg};
use crate::protocol::{Desk as _, desk::DeskError};
use crate::store::{Embedded, Identity, Stamp, Store};

/// `jiedai serve`'s exit status when another server already runs.
pub const EXIT_ALREADY: u8 = 3;
/// Change notices a client may have waiting before it is told to resync.
pub const QUEUE_CAP: usize = 64;

pub struct Options {
    pub db: PathBuf,
    /// The database is the default one, whose parents are ours to make.
    pub default_db: bool,
    pub place: Place,
    pub idle: Duration,
    pub lang: Lang,
}

pub enum Outcome {
    Served,
    AlreadyRunning,
}

/// Run the server until it has been idle for `opts.idle`, or its socket
/// or database is taken away. Errors are in `opts.lang`.
pub fn run(opts: Options) -> Result<Outcome, String> {
    let lang = opts.lang;
    let at = |m: Msg, p: &std::path::Path| format!("{} ({})", m.text(lang), p.display());
    let activated = inherited();
    let from_systemd = activated.is_some();
    // systemd's socket: its directory and mode are the unit's; the lock
    // goes beside the database (StateDirectory), which is the server's.
    let lock_path = if activated.is_some() {
        let mut p = opts.db.clone().into_os_string();
        p.push(".serve.lock");
        PathBuf::from(p)
    } else {
        check_dir(&opts.place).map_err(|m| at(m, opts.place.dir()))?;
        opts.place.lock()
    };
    let mut lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&lock_path)
        .map_err(|e| format!("{} ({})", crate::i18n::io_text(&e, lang), lock_path.display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Ok(Outcome::AlreadyRunning),
        Err(TryLockError::Error(e)) => {
            return Err(format!("{} ({})", crate::i18n::io_text(&e, lang), lock_path.display()));
        }
    }
    let _ = lock.set_len(0).and_then(|()| writeln!(lock, "{}", std::process::id()));

    if opts.default_db {
        crate::store::make_default_parents(&opts.db).map_err(|e| e.user_message(lang))?;
    }
    let store =
        Arc::new(Store::open(&opts.db).map_err(|e| format!("{}\n({})", e.user_message(lang), opts.db.display()))?);

    let listener = match activated {
        Some(l) => l,
        None => bind(&opts.place, lang)?,
    };
    let socket_ino = ino(&opts.place.socket);
    log(&format!("serving {} on {}", opts.db.display(), opts.place.socket.display()));

    let shared = Arc::new(Shared {
        store,
        db: opts.db.clone(),
        seq: Mutex::new(0),
        clients: Mutex::new(Vec::new()),
        connected: AtomicUsize::new(0),
        last_left: Mutex::new(Instant::now()),
        stop: AtomicBool::new(false),
        stop_when_idle: AtomicBool::new(false),
    });
    watch(shared.clone(), opts.place.clone(), opts.idle);
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(s) => {
                let shared = shared.clone();
                shared.connected.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    serve_client(&shared, s);
                    *shared.last_left.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
                    shared.connected.fetch_sub(1, Ordering::SeqCst);
                });
            }
            Err(e) => log(&format!("accept: {e}")),
        }
    }
    // The socket is removed only if it is still ours (not renamed over by
    // a successor after ours was taken away).
    if !from_systemd && ino(&opts.place.socket) == socket_ino {
        let _ = std::fs::remove_file(&opts.place.socket);
    }
    log("idle: stopped");
    drop(listener);
    // If a client thread still holds it, every save was already durable.
    if let Ok(s) = Arc::try_unwrap(shared)
        && let Ok(store) = Arc::try_unwrap(s.store)
    {
        store.close().map_err(|e| e.user_message(lang))?;
    }
    drop(lock);
    Ok(Outcome::Served)
}

/// Bound under a temporary name, made the group's, renamed into place.
fn bind(place: &Place, lang: Lang) -> Result<UnixListener, String> {
    let temp = place.temporary();
    let _ = std::fs::remove_file(&temp);
    let listener =
        UnixListener::bind(&temp).map_err(|e| format!("{} ({})", crate::i18n::io_text(&e, lang), temp.display()))?;
    let _ = std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o660));
    // A stale socket is replaced; any other file there (a mistyped
    // --socket naming someone's ledger) is never renamed over.
    if let Ok(m) = std::fs::symlink_metadata(&place.socket) {
        use std::os::unix::fs::FileTypeExt;
        if !m.file_type().is_socket() {
            drop(listener);
            let _ = std::fs::remove_file(&temp);
            return Err(format!("{} ({})", Msg::ServeNotSocket.text(lang), place.socket.display()));
        }
    }
    std::fs::rename(&temp, &place.socket)
        .map_err(|e| format!("{} ({})", crate::i18n::io_text(&e, lang), place.socket.display()))?;
    Ok(listener)
}

/// The listening socket systemd passed (socket activation): fd 3, when
/// LISTEN_PID names this process and LISTEN_FDS is at least 1.
fn inherited() -> Option<UnixListener> {
    use std::os::fd::FromRawFd;
    let pid: u32 = std::env::var("LISTEN_PID").ok()?.parse().ok()?;
    let fds: u32 = std::env::var("LISTEN_FDS").ok()?.parse().ok()?;
    if pid != std::process::id() || fds < 1 {
        return None;
    }
    // SAFETY: systemd's protocol hands this process fd 3 as its listening
    // socket, owned by nobody else here.
    Some(unsafe { UnixListener::from_raw_fd(3) })
}

fn ino(p: &std::path::Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(p).ok().map(|m| m.ino())
}

/// A line in the server's log (its stderr), with the time.
pub fn log(text: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "{} jiedai serve[{}]: {text}",
        // The township's time with its offset, as the lock's "since" says it.
        chrono::Utc::now().with_timezone(&crate::domain::time::china()).format("%F %T %:z"),
        std::process::id()
    );
}

struct Shared {
    /// Shared with each client's session (its queries, its drafts).
    store: Arc<Store>,
    db: PathBuf,
    /// The sequence number of the last change; its lock also makes the
    /// commands one at a time, so notices go out in the order applied.
    seq: Mutex<u64>,
    clients: Mutex<Vec<Arc<Outbox>>>,
    connected: AtomicUsize,
    last_left: Mutex<Instant>,
    stop: AtomicBool,
    stop_when_idle: AtomicBool,
}

/// Stop when idle long enough, or at once when the socket or the database
/// was removed (a test's temporary directory, a moved deployment).
fn watch(shared: Arc<Shared>, place: Place, idle: Duration) {
    let socket_ino = ino(&place.socket);
    let db_ino = ino(&shared.db);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(200));
            let empty = shared.connected.load(Ordering::SeqCst) == 0;
            let since = shared.last_left.lock().map(|t| t.elapsed()).unwrap_or_default();
            let gone = ino(&place.socket) != socket_ino || ino(&shared.db) != db_ino;
            let asked = shared.stop_when_idle.load(Ordering::SeqCst);
            if gone || (empty && (since >= idle || asked)) {
                if gone {
                    log("socket or database removed");
                }
                shared.stop.store(true, Ordering::SeqCst);
                // Wake the accept loop.
                let _ = UnixStream::connect(&place.socket);
                // If the socket was taken away, nobody can wake it.
                if gone {
                    log("stopped");
                    std::process::exit(0);
                }
                return;
            }
        }
    });
}

/// What waits to be written to one client. Replies are never dropped;
/// change notices beyond `QUEUE_CAP` collapse into one resync, so a
/// stopped client costs the others nothing.
struct Outbox {
    q: Mutex<Queue>,
    ready: Condvar,
}

#[derive(Default)]
struct Queue {
    replies: VecDeque<Vec<u8>>,
    changes: VecDeque<Vec<u8>>,
    resync: bool,
    closed: bool,
}

impl Outbox {
    fn new() -> Outbox {
        Outbox { q: Mutex::new(Queue::default()), ready: Condvar::new() }
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.q.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn reply(&self, msg: &FromServer) {
        self.queue().replies.push_back(wire::encode(msg));
        self.ready.notify_one();
    }

    fn change(&self, bytes: &[u8]) {
        let mut q = self.queue();
        if q.resync {
            return;
        }
        if q.changes.len() >= QUEUE_CAP {
            q.changes.clear();
            q.resync = true;
        } else {
            q.changes.push_back(bytes.to_vec());
        }
        self.ready.notify_one();
    }

    fn close(&self) {
        self.queue().closed = true;
        self.ready.notify_one();
    }

    /// The next message to write; `None` once closed.
    fn next(&self) -> Option<Vec<u8>> {
        let mut q = self.queue();
        loop {
            if q.closed {
                return None;
            }
            if let Some(r) = q.replies.pop_front() {
                return Some(r);
            }
            if q.resync {
                q.resync = false;
                return Some(wire::encode(&FromServer::Resync));
            }
            if let Some(c) = q.changes.pop_front() {
                return Some(c);
            }
            q = self.ready.wait(q).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// The kernel's buffer toward one client: small, so that a stopped
/// client fills it after a few dozen notices and its outbox then collapses
/// into one resync, instead of megabytes of notices queued for it.
const SEND_BUFFER: usize = 16 << 10;

fn serve_client(shared: &Arc<Shared>, mut stream: UnixStream) {
    let _ = rustix::net::sockopt::set_socket_send_buffer_size(&stream, SEND_BUFFER);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(hello) = Hello::read(&mut stream) else { return };
    let lang = if hello.status == 1 { Lang::En } else { Lang::Zh };
    let ours = Hello { protocol: super::protocol(), schema: super::schema(), status: frame::WELCOME };
    if hello.protocol != ours.protocol || hello.schema != ours.schema {
        let _ = stream.write_all(&Hello { status: frame::MISMATCH, ..ours }.to_bytes());
        return;
    }
    if stream.write_all(&ours.to_bytes()).is_err() || stream.set_read_timeout(None).is_err() {
        return;
    }
    let (operator, login) = operator_of(&shared.store, &stream);
    // The desk's queries and drafts are answered as this user, the one
    // the kernel names: drafts are kept under that login.
    let session = Embedded::shared(shared.store.clone(), Identity::Login(login));
    let outbox = Arc::new(Outbox::new());
    let Ok(mut out) = stream.try_clone() else { return };
    let writer = {
        let outbox = outbox.clone();
        std::thread::spawn(move || {
            while let Some(bytes) = outbox.next() {
                if frame::write(&mut out, &bytes).is_err() {
                    outbox.close();
                    let _ = out.shutdown(std::net::Shutdown::Both);
                }
            }
        })
    };
    shared.clients.lock().unwrap_or_else(|p| p.into_inner()).push(outbox.clone());
    loop {
        let envelope = match frame::read(&mut stream, frame::TO_SERVER_CAP) {
            Ok(None) => break,
            Ok(Some(bytes)) => wire::decode::<Envelope>(&bytes),
            Err(_) => None,
        };
        let Some(envelope) = envelope else {
            // A bad, cut or huge frame: this client is told and let go.
            log("a bad frame from a client: connection closed");
            outbox.reply(&FromServer::Refused(Msg::ServeBadFrame.text(lang).to_string()));
            break;
        };
        handle(shared, &outbox, &operator, lang, envelope, &session);
    }
    shared.clients.lock().unwrap_or_else(|p| p.into_inner()).retain(|o| !Arc::ptr_eq(o, &outbox));
    // Let the writer finish what is queued (a refusal), then go.
    {
        let mut q = outbox.queue();
        if q.replies.is_empty() {
            q.closed = true;
        }
    }
    outbox.ready.notify_one();
    let deadline = Instant::now() + Duration::from_secs(1);
    while !outbox.queue().replies.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    // The writer may still be sending the last reply it took (the refusal):
    // let it finish, at most a second (a stopped client's full buffer), and
    // only then cut the connection, or the client reads nothing.
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    outbox.close();
    let _ = writer.join();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Who the client is, from the kernel: its uid, then the cadre whose login
/// that is in the township directory, else the login itself. Never a
/// name the client claims.
/// Returns the operator and the login.
fn operator_of(store: &Store, stream: &UnixStream) -> (String, String) {
    let uid = match rustix::net::sockopt::socket_peercred(stream) {
        Ok(cred) => cred.uid.as_raw(),
        Err(_) => return (String::from("?"), String::from("?")),
    };
    let login = login_of(uid).unwrap_or_else(|| format!("uid {uid}"));
    let login = crate::domain::text::clean_line(&login);
    let operator = match store.directory() {
        Ok(d) => d.by_login(&login).map_or_else(|| login.clone(), |c| c.name.clone()),
        Err(_) => login.clone(),
    };
    (operator, login)
}

fn handle(
    shared: &Arc<Shared>,
    outbox: &Arc<Outbox>,
    operator: &str,
    lang: Lang,
    envelope: Envelope,
    session: &Embedded,
) {
    let n = envelope.n;
    let answer = match envelope.request {
        Request::Status => Answer::Status {
            pid: std::process::id(),
            clients: shared.connected.load(Ordering::SeqCst) as u32,
            db: shared.db.display().to_string(),
            operator: operator.to_string(),
        },
        Request::Stop => {
            shared.stop_when_idle.store(true, Ordering::SeqCst);
            Answer::Stopping
        }
        Request::Report { from, to, json } => match crate::cli::report(&shared.store, from, to, json, lang) {
            Ok(text) => Answer::Text(text),
            Err(f) => Answer::Failed(f.0),
        },
        // Both hold the command lock: no command lands half-way through.
        Request::Check => {
            let _one_at_a_time = shared.seq.lock().unwrap_or_else(|p| p.into_inner());
            match shared.store.verify() {
                Ok((problems, count)) => {
                    Answer::Check { problems: problems.iter().map(|p| p.text(lang)).collect(), count: count as u64 }
                }
                Err(e) => Answer::Failed(e.user_message(lang)),
            }
        }
        Request::Backup => {
            let _one_at_a_time = shared.seq.lock().unwrap_or_else(|p| p.into_inner());
            match super::backup::snapshot(&shared.store, lang) {
                Ok(bytes) => Answer::Bytes(bytes),
                Err(why) => Answer::Failed(why),
            }
        }
        Request::Execute { id, command } => {
            return execute(shared, outbox, operator, n, id, *command, |r| match r {
                Ok(done) => Answer::Done(done),
                Err(e) => Answer::Failed(e.user_message(lang)),
            });
        }
        Request::Desk(Call::Execute { id, command }) => {
            return execute(shared, outbox, operator, n, id, *command, |r| {
                Answer::Desk(r.map(Said::Done).map_err(DeskError::from))
            });
        }
        Request::Desk(call) => Answer::Desk(match call {
            Call::Query(q) => session.query(*q).map(|r| Said::Reply(Box::new(r))),
            Call::PutDraft(d) => session.put_draft(&d).map(|()| Said::Ok),
            Call::ClearDraft(form) => session.clear_draft(&form).map(|()| Said::Ok),
            Call::SyncDrafts => session.sync_drafts().map(|()| Said::Ok),
            Call::Flush => session.flush().map(|()| Said::Ok),
            // Answered above, under the command lock.
            Call::Execute { .. } => Ok(Said::Ok),
        }),
    };
    outbox.reply(&FromServer::Reply { n, answer });
}

/// Apply a command once, durably, signed by this client's cadre; reply,
/// then tell every client which cases it touched.
fn execute(
    shared: &Arc<Shared>,
    outbox: &Arc<Outbox>,
    operator: &str,
    n: u64,
    id: crate::store::CommandId,
    command: crate::store::Command,
    answer: impl FnOnce(Result<crate::store::Done, crate::store::StoreError>) -> Answer,
) {
    let mut seq = shared.seq.lock().unwrap_or_else(|p| p.into_inner());
    let stamp = Stamp { at: chrono::Utc::now(), operator: operator.to_string() };
    let linked = match &command {
        crate::store::Command::RegisterLinked { earlier, .. } => Some(*earlier),
        _ => None,
    };
    match shared.store.execute_once(&stamp, id, command) {
        Ok(done) => {
            *seq += 1;
            let mut cases = cases_of(&done);
            cases.extend(linked);
            outbox.reply(&FromServer::Reply { n, answer: answer(Ok(done)) });
            let notice = wire::encode(&FromServer::Changed { seq: *seq, cases });
            for c in shared.clients.lock().unwrap_or_else(|p| p.into_inner()).iter() {
                c.change(&notice);
            }
        }
        Err(e) => outbox.reply(&FromServer::Reply { n, answer: answer(Err(e)) }),
    }
}

fn cases_of(done: &crate::store::Done) -> Vec<crate::domain::CaseNo> {
    use crate::store::Done;
    match done {
        Done::Registered(c) | Done::Recorded(c) => vec![*c],
        Done::Merged { from, into } => vec![*from, *into],
        Done::Queued(_) | Done::Stored => Vec::new(),
    }
}

/// The server's own log file, opened for the client that starts it.
pub fn open_log(place: &Place) -> std::io::Result<File> {
    // Never through a symbolic link planted beside the socket.
    OpenOptions::new().create(true).append(true).mode(0o600).custom_flags(libc::O_NOFOLLOW).open(place.log())
}
