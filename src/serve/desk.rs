//! The desk's port over the socket: every call of `jiedai_protocol::Desk`
//! is a request to `jiedai serve`, answered by its store as the user the
//! kernel names. One thread reads the connection: replies to their
//! callers, change notices to the subscribers. When the connection drops
//! it connects again (starting a server if none answers), resends every
//! request not yet answered (a command with its own id, applied once),
//! and tells the subscribers to read everything again.

use std::collections::HashMap;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::client::{self, Target};
use super::frame;
use super::wire::{self, Answer, Call, Envelope, FromServer, Request, Said};
use crate::i18n::{Lang, Msg};
use crate::protocol::desk::{self, Changed, DeskError, Link, Query, Reply, Trouble};
use crate::protocol::{Command, CommandId, Desk, Done, Draft};

/// How long a call waits for its answer (its write included),
/// reconnections included, before the desk is told the server is not
/// answering. The terminal's loop runs effects one after another
/// (term.rs), so this is how long the screen may stand still: the
/// smallest change that keeps the promise "told within 5 s" is a deadline
/// on every call, not a loop that draws while it waits. After one call
/// went unanswered the next ones wait only `STUCK_WAIT` (`stuck`) until
/// the server is heard from again, so a stopped server costs one long
/// wait, not one per call; they are still sent, so the answer to one of
/// them is what says the server is back. A save that went unanswered stays on screen, and its retry
/// reuses its `CommandId` (`in_doubt`), so the server applies it once
/// even if the first one got through.
const ANSWER_WAIT: Duration = Duration::from_secs(3);
/// A write to a stopped server whose socket buffer is full gives up
/// after this (it is counted in `ANSWER_WAIT`).
pub const WRITE_WAIT: Duration = Duration::from_secs(2);
/// How long a call waits while the server is known not to answer.
const STUCK_WAIT: Duration = Duration::from_millis(200);

/// A request's frame, and who waits for its answer.
type Unanswered = (Vec<u8>, Sender<Answer>);

pub struct SocketDesk {
    inner: Arc<Inner>,
}

struct Inner {
    target: Target,
    /// The connection requests are written to (replaced on reconnect).
    writer: Mutex<UnixStream>,
    /// Requests not yet answered: their frame, and who waits for it.
    pending: Mutex<HashMap<u64, Unanswered>>,
    next: AtomicU64,
    subscribers: Mutex<Vec<Sender<Changed>>>,
    links: Mutex<Vec<Sender<Link>>>,
    closed: AtomicBool,
    /// A call went unanswered, and nothing was heard from the server since.
    stuck: AtomicBool,
    /// Commands sent (or tried) whose answer never came, by their bytes:
    /// the same command again is a retry, and goes with the same id.
    in_doubt: Mutex<HashMap<Vec<u8>, CommandId>>,
}

/// A call's fate: answered (well or not), or no answer in time.
enum Outcome {
    Answered(desk::Result<Said>),
    NoAnswer,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn said(m: Msg, kind: Trouble) -> DeskError {
    DeskError::new(kind, m.text(Lang::Zh), m.text(Lang::En))
}

fn unexpected() -> DeskError {
    said(Msg::ErrStoreInternal, Trouble::Protocol)
}

/// Not `Trouble::Io`: the desk would say the disk failed.
fn no_answer() -> DeskError {
    said(Msg::ServeStuck, Trouble::Protocol)
}

impl SocketDesk {
    /// Connect to the server of `target`, starting one if none answers.
    pub fn connect(target: &Target) -> Result<SocketDesk, String> {
        let stream = client::connect(target)?.into_stream();
        let reader = stream.try_clone().map_err(|e| crate::i18n::io_text(&e, target.lang))?;
        let inner = Arc::new(Inner {
            target: target.clone(),
            writer: Mutex::new(stream),
            pending: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
            subscribers: Mutex::new(Vec::new()),
            links: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
            stuck: AtomicBool::new(false),
            in_doubt: Mutex::new(HashMap::new()),
        });
        let theirs = inner.clone();
        std::thread::Builder::new()
            .name("serve-reader".into())
            .spawn(move || read_loop(&theirs, reader))
            .map_err(|e| crate::i18n::io_text(&e, target.lang))?;
        Ok(SocketDesk { inner })
    }

    fn call(&self, call: Call) -> desk::Result<Said> {
        match self.ask(call) {
            Outcome::Answered(r) => r,
            Outcome::NoAnswer => Err(no_answer()),
        }
    }

    fn ask(&self, call: Call) -> Outcome {
        let inner = &self.inner;
        let wait = if inner.stuck.load(Ordering::SeqCst) { STUCK_WAIT } else { ANSWER_WAIT };
        let started = Instant::now();
        let (tx, rx) = channel();
        let n = inner.next.fetch_add(1, Ordering::SeqCst);
        let bytes = wire::encode(&Envelope { n, request: Request::Desk(call) });
        {
            // Under the writer's lock: a reconnection either sees this
            // request pending and resends it, or comes after its write.
            let mut w = lock(&inner.writer);
            lock(&inner.pending).insert(n, (bytes.clone(), tx));
            match frame::write(&mut *w, &bytes) {
                // A full buffer (a stopped server): part of the frame may
                // be out, so the connection is spoilt. Cut it: the reader
                // connects again (and is told by a stopped one it does
                // not answer, starting no second server).
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    let _ = w.shutdown(std::net::Shutdown::Both);
                    lock(&inner.pending).remove(&n);
                    inner.stuck.store(true, Ordering::SeqCst);
                    return Outcome::NoAnswer;
                }
                // Another failed write is the reader's to notice; it
                // resends this.
                _ => {}
            }
        }
        match rx.recv_timeout(wait.saturating_sub(started.elapsed())) {
            Ok(Answer::Desk(r)) => Outcome::Answered(r),
            Ok(Answer::Failed(why)) => Outcome::Answered(Err(DeskError::new(Trouble::Io, why.clone(), why))),
            Ok(_) => Outcome::Answered(Err(unexpected())),
            Err(_) => {
                lock(&inner.pending).remove(&n);
                inner.stuck.store(true, Ordering::SeqCst);
                Outcome::NoAnswer
            }
        }
    }

    fn ok(&self, call: Call) -> desk::Result<()> {
        match self.call(call)? {
            Said::Ok => Ok(()),
            _ => Err(unexpected()),
        }
    }
}

impl Inner {
    fn notify(&self, c: Changed) {
        lock(&self.subscribers).retain(|tx| tx.send(c.clone()).is_ok());
    }

    fn tell(&self, l: Link) {
        lock(&self.links).retain(|tx| tx.send(l).is_ok());
    }

    /// A new connection in the writer's place, every unanswered request
    /// sent on it again in order; the reading half is returned.
    fn reconnect(&self) -> Result<UnixStream, String> {
        let fresh = client::connect(&self.target)?.into_stream();
        let reader = fresh.try_clone().map_err(|e| e.to_string())?;
        let mut w = lock(&self.writer);
        *w = fresh;
        self.stuck.store(false, Ordering::SeqCst);
        let pending = lock(&self.pending);
        let mut unanswered: Vec<_> = pending.iter().collect();
        unanswered.sort_by_key(|(n, _)| **n);
        for (_, (bytes, _)) in unanswered {
            let _ = frame::write(&mut *w, bytes);
        }
        Ok(reader)
    }
}

fn read_loop(inner: &Inner, mut stream: UnixStream) {
    loop {
        let msg = match frame::read(&mut stream, frame::TO_CLIENT_CAP) {
            Ok(Some(bytes)) => {
                // Heard from again (a stopped server continued): calls go
                // through once more, and the screen reads what it missed.
                if inner.stuck.swap(false, Ordering::SeqCst) {
                    inner.tell(Link::Back);
                    inner.notify(Changed::resync());
                }
                wire::decode::<FromServer>(&bytes)
            }
            _ => None,
        };
        match msg {
            Some(FromServer::Reply { n, answer }) => {
                if let Some((_, tx)) = lock(&inner.pending).remove(&n) {
                    let _ = tx.send(answer);
                }
                continue;
            }
            Some(FromServer::Changed { seq, cases }) => {
                inner.notify(Changed { seq, cases });
                continue;
            }
            Some(FromServer::Resync) => {
                inner.notify(Changed::resync());
                continue;
            }
            // Lost (or refused, which closes it): connect again below.
            Some(FromServer::Refused(_)) | None => {}
        }
        if inner.closed.load(Ordering::SeqCst) {
            return;
        }
        inner.tell(Link::Lost);
        // A server that cannot start (its database gone) is tried again
        // less and less often, not started in a tight loop.
        let mut pause = Duration::from_millis(200);
        stream = loop {
            match inner.reconnect() {
                Ok(s) => break s,
                Err(_) if inner.closed.load(Ordering::SeqCst) => return,
                Err(_) => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(5));
                }
            }
        };
        inner.tell(Link::Back);
        // What changed meanwhile is unknown: everything is read again.
        inner.notify(Changed::resync());
    }
}

impl Desk for SocketDesk {
    /// A command whose answer never came is in doubt: it may have been
    /// applied. The same command again (the officer saving once more) goes
    /// with the first one's id, so the server applies it once and answers
    /// as it did the first time.
    fn execute(&self, id: CommandId, cmd: Command) -> desk::Result<Done> {
        let key = wire::encode(&cmd);
        let id = lock(&self.inner.in_doubt).get(&key).copied().unwrap_or(id);
        match self.ask(Call::Execute { id, command: Box::new(cmd) }) {
            Outcome::NoAnswer => {
                lock(&self.inner.in_doubt).insert(key, id);
                Err(no_answer())
            }
            Outcome::Answered(r) => {
                lock(&self.inner.in_doubt).remove(&key);
                match r? {
                    Said::Done(done) => Ok(done),
                    _ => Err(unexpected()),
                }
            }
        }
    }

    fn query(&self, q: Query) -> desk::Result<Reply> {
        match self.call(Call::Query(Box::new(q)))? {
            Said::Reply(r) => Ok(*r),
            _ => Err(unexpected()),
        }
    }

    fn put_draft(&self, draft: &Draft) -> desk::Result<()> {
        self.ok(Call::PutDraft(draft.clone()))
    }

    fn clear_draft(&self, form: &str) -> desk::Result<()> {
        self.ok(Call::ClearDraft(form.to_string()))
    }

    fn sync_drafts(&self) -> desk::Result<()> {
        self.ok(Call::SyncDrafts)
    }

    fn subscribe(&self) -> Receiver<Changed> {
        let (tx, rx) = channel();
        lock(&self.inner.subscribers).push(tx);
        rx
    }

    fn flush(&self) -> desk::Result<()> {
        self.ok(Call::Flush)
    }

    /// Everything made durable by the server, then the connection let go
    /// (the server stays for the other desks, and stops when idle).
    fn close(&self) -> desk::Result<()> {
        let flushed = self.flush();
        self.inner.closed.store(true, Ordering::SeqCst);
        let _ = lock(&self.inner.writer).shutdown(std::net::Shutdown::Both);
        flushed
    }

    fn link(&self) -> Option<Receiver<Link>> {
        let (tx, rx) = channel();
        lock(&self.inner.links).push(tx);
        Some(rx)
    }
}
