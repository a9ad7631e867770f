//! The terminal: setup and restore, the event loop (our own decoder reads
//! the bytes: see input::decode), and leaving safely when the SSH link drops. A dropped link may never reach the loop as an error
//! (crossterm's poll can spin on a dead tty), so a signal thread and a tty
//! watchdog save the draft and exit without writing to the dead terminal.

use std::io::{Write as _, stdout};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;

use crate::app::{Action, AppState, Effect, Look};
use crate::domain::Timestamp;
use crate::effects;
use crate::input::keypad::Keypad;
use crate::protocol::{Changed, Desk, Draft};
use crate::ui::writer::{self, LeanBackend};

type Term = ratatui::Terminal<LeanBackend<std::io::Stdout>>;

/// The wall clock. In debug builds (the tests) JIEDAI_TEST_NOW (RFC 3339)
/// pins where it starts, and it runs on from there; release builds ignore
/// it, so no one can back-date a record.
pub fn now() -> Timestamp {
    #[cfg(debug_assertions)]
    {
        use std::sync::OnceLock;
        static PINNED: OnceLock<Option<(Timestamp, std::time::Instant)>> = OnceLock::new();
        let pinned = PINNED.get_or_init(|| {
            let at = std::env::var("JIEDAI_TEST_NOW").ok()?;
            let at = chrono::DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&chrono::Utc);
            Some((at, std::time::Instant::now()))
        });
        if let Some((at, since)) = pinned {
            return *at + chrono::Duration::from_std(since.elapsed()).unwrap_or_default();
        }
    }
    chrono::Utc::now()
}

/// Give the terminal back as it was: plain attributes, the cursor shown,
/// no bracketed paste, the main screen, cooked mode.
pub fn give_back() {
    let mut out = stdout();
    let _ = out.write_all(b"\x1b[m\x1b[?25h");
    let _ = execute!(out, DisableBracketedPaste);
    ratatui::restore();
}

/// Raw mode, the alternate screen, and a panic that gives the terminal back.
fn init() -> std::io::Result<Term> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        give_back();
        hook(info);
    }));
    ratatui::crossterm::terminal::enable_raw_mode()?;
    execute!(stdout(), ratatui::crossterm::terminal::EnterAlternateScreen)?;
    ratatui::Terminal::new(LeanBackend::stdout())
}

/// The start-up probe: back to column 1, one `ç`, then ask where the cursor is.
const PROBE: &[u8] = "\rç\x1b[6n".as_bytes();
/// Where a UTF-8 terminal answers the probe (1-based): after one column.
const PROBE_UTF8_COLUMN: u16 = 2;

/// Exit status whenever the line is found dropped (as for SIGHUP), however
/// it was noticed.
const HANGUP: i32 = 128 + libc::SIGHUP;

/// The intake form and the action dialogs being typed, shared with the
/// threads that may have to save them.
pub type DraftSlot = Arc<Mutex<Vec<Draft>>>;

/// The `--demo` desk's throwaway database: removed on every way out.
static THROWAWAY: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Have the desk remove `dir` however it ends: a quit, a hang-up, SIGTERM,
/// a dead terminal (the caller removes it after a normal return too).
pub fn remove_on_exit(dir: std::path::PathBuf) {
    let _ = THROWAWAY.set(dir);
}

fn remove_throwaway() {
    if let Some(dir) = THROWAWAY.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The desk, as the signal threads reach it.
type DeskSlot = Arc<dyn Desk>;

/// Save the drafts (if any), make them durable and leave at once. Nothing
/// is written to the terminal: it may be gone.
fn leave_now(desk: &dyn Desk, drafts: &DraftSlot, code: i32) -> ! {
    // The watchdog and the loop can both find the terminal dead: one leaves,
    // the other waits for the exit, or its draft write would land in the
    // throwaway folder while it is being removed and leave it behind.
    static LEAVING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if LEAVING.swap(true, std::sync::atomic::Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
    if let Ok(slot) = drafts.lock() {
        for d in slot.iter() {
            let _ = desk.put_draft(d);
        }
    }
    let _ = desk.flush();
    remove_throwaway();
    std::process::exit(code)
}

fn ignored(sig: i32) -> bool {
    // SAFETY: reading the current disposition into a zeroed sigaction.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

fn spawn_signal_thread(desk: DeskSlot, drafts: DraftSlot) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    // Started under nohup (SIGHUP ignored): keep it ignored, as such a
    // program should; the tty watchdog still notices the line dropping.
    let mut wanted = vec![SIGTERM, SIGINT, SIGQUIT];
    if !ignored(SIGHUP) {
        wanted.push(SIGHUP);
    }
    let mut signals = signal_hook::iterator::Signals::new(wanted)?;
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        if let Some(sig) = signals.forever().next() {
            if sig != SIGHUP {
                // The terminal is still there: give it back in a usable state.
                give_back();
            }
            leave_now(desk.as_ref(), &drafts, 128 + sig);
        }
    })?;
    Ok(())
}

/// Notices a hung-up terminal even when SIGHUP is ignored: poll reports
/// POLLHUP on the tty once the other side has closed.
fn spawn_tty_watchdog(desk: DeskSlot, drafts: DraftSlot) -> std::io::Result<()> {
    // SAFETY: isatty and open only inspect or open a descriptor.
    let fd = unsafe {
        if libc::isatty(0) == 1 { 0 } else { libc::open(c"/dev/tty".as_ptr(), libc::O_RDONLY | libc::O_NOCTTY) }
    };
    if fd < 0 {
        return Ok(());
    }
    std::thread::Builder::new().name("tty-watchdog".into()).spawn(move || {
        loop {
            let mut pfd = libc::pollfd { fd, events: 0, revents: 0 };
            // SAFETY: one valid pollfd, bounded timeout.
            let n = unsafe { libc::poll(&mut pfd, 1, 1000) };
            if n > 0 && pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                leave_now(desk.as_ref(), &drafts, HANGUP);
            }
        }
    })?;
    Ok(())
}

/// What the reader and signal threads tell the loop.
enum Incoming {
    Bytes(Vec<u8>),
    Resize,
    Gone,
    /// Another desk saved (the port's notice).
    Changed(Changed),
    /// The server's connection lost or back (a desk behind a socket).
    Link(crate::protocol::Link),
}

/// Bytes from the terminal, as they come; `Gone` when it closes.
fn spawn_reader(tx: std::sync::mpsc::Sender<Incoming>) -> std::io::Result<()> {
    std::thread::Builder::new().name("tty-reader".into()).spawn(move || {
        use std::io::Read;
        let mut stdin = std::io::stdin();
        let mut buf = [0u8; 65536];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Incoming::Gone);
                    return;
                }
                Ok(n) => {
                    if tx.send(Incoming::Bytes(buf[..n].to_vec())).is_err() {
                        return;
                    }
                }
            }
        }
    })?;
    Ok(())
}

/// The port's notices, into the loop as they come (not at the next tick).
fn spawn_notices(rx: std::sync::mpsc::Receiver<Changed>, tx: std::sync::mpsc::Sender<Incoming>) -> std::io::Result<()> {
    std::thread::Builder::new().name("notices".into()).spawn(move || {
        for c in rx {
            if tx.send(Incoming::Changed(c)).is_err() {
                return;
            }
        }
    })?;
    Ok(())
}

fn spawn_resize_watch(tx: std::sync::mpsc::Sender<Incoming>) -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])?;
    std::thread::Builder::new().name("resize".into()).spawn(move || {
        for _ in signals.forever() {
            if tx.send(Incoming::Resize).is_err() {
                return;
            }
        }
    })?;
    Ok(())
}

/// The locale says GBK (zh_CN.GBK, GB18030...).
fn gbk_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"].iter().filter_map(|v| std::env::var(v).ok()).find(|v| !v.is_empty()).is_some_and(
        |v| {
            let v = v.to_ascii_uppercase();
            v.contains("GBK") || v.contains("GB2312") || v.contains("GB18030")
        },
    )
}

/// The warning for a GBK terminal, written as it can read it: the Chinese
/// in GBK, and the same in ASCII.
fn gbk_warning() -> Vec<u8> {
    let zh = "终端发来的是 GBK 编码的文字, 中文会乱码。\r\n\
              请把 PuTTY 的 窗口 > 转换 > 远程字符集 设为 UTF-8\r\n\
              (Xshell: 文件 > 属性 > 终端 > 编码 选 UTF-8), 然后重新连接。\r\n\
              按任意键继续。";
    let (gbk, _, _) = encoding_rs::GBK.encode(zh);
    let mut out = b"\x1b[0m\x1b[2J\x1b[H".to_vec();
    out.extend_from_slice(&gbk);
    out.extend_from_slice(
        b"\r\n\r\nThis terminal sends GBK: Chinese will be garbled.\r\n\
          PuTTY: Window > Translation > Remote character set: UTF-8\r\n\
          Xshell: File > Properties > Terminal > Encoding: UTF-8\r\n\
          Then reconnect. Press any key to go on.\r\n",
    );
    out
}

/// Clear the screen and draw every cell next time. Not `Terminal::clear`:
/// it asks the terminal for the cursor position and reads the answer from
/// the input itself, racing our reader (and stalling on a slow link).
fn full_redraw(terminal: &mut Term) {
    if let Ok(size) = terminal.size() {
        let _ = terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height));
    }
}

/// `ask_login`: a login no cadre has, to be asked once which cadre it is.
pub fn run_desk(
    desk: Arc<dyn Desk>,
    look: Look,
    operator: &str,
    ask_login: Option<String>,
    keypad: Keypad,
) -> anyhow::Result<()> {
    use std::io::Write;
    use std::sync::mpsc::{RecvTimeoutError, channel};

    use crate::input::decode::{Decoder, Input, looks_like_gbk};

    let drafts: DraftSlot = Arc::new(Mutex::new(Vec::new()));
    spawn_signal_thread(desk.clone(), drafts.clone())?;
    spawn_tty_watchdog(desk.clone(), drafts.clone())?;
    let mut terminal = init()?;
    let _ = execute!(stdout(), EnableBracketedPaste);
    let (tx, rx) = channel();
    spawn_reader(tx.clone())?;
    spawn_notices(desk.subscribe(), tx.clone())?;
    if let Some(links) = desk.link() {
        let tx = tx.clone();
        std::thread::Builder::new().name("link".into()).spawn(move || {
            for l in links {
                if tx.send(Incoming::Link(l)).is_err() {
                    return;
                }
            }
        })?;
    }
    spawn_resize_watch(tx)?;
    // Probe: `ç` (C3 A7) is one column on a UTF-8 terminal; read as GBK the
    // same two bytes are one ordinary GB2312 hanzi (莽), two columns. It is
    // not East Asian Ambiguous, so "ambiguous as wide" cannot widen it, and
    // its GBK reading is no user-defined code that terminals draw each their
    // own way (中文's bytes were: luit 1.1.1 drew them four columns wide).
    let probe_sent = std::time::Instant::now();
    {
        let mut out = stdout().lock();
        let _ = out.write_all(PROBE);
        let _ = out.flush();
    }
    // ratatui only writes what differs from a blank screen: clear the probe.
    full_redraw(&mut terminal);
    let mut warn_gbk = gbk_locale();
    let mut probe_answered = false;
    let mut warning_shown = false;
    let size = terminal.size()?;
    let mut state = AppState::new(look, operator, now(), (size.width, size.height));
    state.dir.ask_login = ask_login;
    let desk: &dyn Desk = desk.as_ref();
    for a in effects::run(desk, &state, &Effect::Load) {
        effects::dispatch(desk, &mut state, a);
    }
    let mut decoder = Decoder::with_keypad(keypad);
    let mut last_tick = std::time::Instant::now();
    let mut drafts_mark = None;
    let mut redraw = true;
    // The loop. (After a disk error the store reopens itself before the
    // next save, once the disk has room.)
    let mut run = || -> anyhow::Result<()> {
        loop {
            if warn_gbk && !warning_shown {
                let mut out = stdout().lock();
                let _ = out.write_all(&gbk_warning());
                let _ = out.flush();
                warning_shown = true;
            }
            if redraw && !warning_shown {
                // A terminal that can no longer be written to is a dropped
                // line: leave as on SIGHUP, without another write to it.
                // Only what changed is written: nothing when a tick
                // changed nothing on screen (the clock shows minutes).
                if writer::draw(&mut terminal, |f| crate::ui::render(&state, f)).is_err() {
                    leave_now(desk, &drafts, HANGUP);
                }
            }
            redraw = false;
            if state.quit {
                return Ok(());
            }
            let wait = decoder.wants_timeout().unwrap_or(Duration::from_millis(500)).min(Duration::from_millis(500));
            let inputs = {
                match rx.recv_timeout(wait) {
                    Ok(Incoming::Bytes(b)) => decoder.feed(&b, std::time::Instant::now()),
                    Ok(Incoming::Resize) => {
                        if let Ok((w, h)) = ratatui::crossterm::terminal::size() {
                            let _ = terminal.autoresize();
                            effects::dispatch(desk, &mut state, Action::Resize(w, h));
                        }
                        redraw = true;
                        Vec::new()
                    }
                    Ok(Incoming::Gone) | Err(RecvTimeoutError::Disconnected) => leave_now(desk, &drafts, HANGUP),
                    Ok(Incoming::Link(l)) => {
                        effects::dispatch(desk, &mut state, Action::Link(l));
                        redraw = true;
                        Vec::new()
                    }
                    Ok(Incoming::Changed(c)) => {
                        // Another desk saved: its changes on this screen now.
                        effects::dispatch(desk, &mut state, Action::ChangedElsewhere(c));
                        redraw = true;
                        Vec::new()
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        let inputs = decoder.timeout(std::time::Instant::now());
                        if inputs.is_empty() {
                            effects::dispatch(desk, &mut state, Action::Tick(now()));
                            last_tick = std::time::Instant::now();
                            redraw = true;
                        }
                        inputs
                    }
                }
            };
            for input in inputs {
                let action = match input {
                    Input::Key(_) | Input::Unsure if warning_shown => {
                        // Any key puts the desk back.
                        warning_shown = false;
                        warn_gbk = false;
                        full_redraw(&mut terminal);
                        redraw = true;
                        None
                    }
                    // Ctrl+L: the whole screen again. The writer sends only
                    // what changed, from where it left the cursor and with
                    // the attributes it set: another program writing to the
                    // terminal (a `wall` broadcast, a console message) leaves
                    // the screen wrong until every cell is sent anew.
                    Input::Key(crate::keys::Key::Ctrl('l')) => {
                        full_redraw(&mut terminal);
                        redraw = true;
                        None
                    }
                    Input::Key(k) => Some(Action::Key(k)),
                    // Delete, or PgUp in PuTTY's VT400 mode: neither, but say so.
                    Input::Unsure => {
                        Some(Action::Failed(crate::i18n::Msg::KeypadUnsure.text(state.look.lang).to_string()))
                    }
                    Input::Paste(text) => Some(Action::Paste(text)),
                    Input::CursorReport(_, col) => {
                        // Only the probe's answer counts, and only early: any
                        // column but UTF-8's is a terminal that is not UTF-8.
                        if !probe_answered && probe_sent.elapsed() < Duration::from_secs(10) {
                            probe_answered = true;
                            if col != PROBE_UTF8_COLUMN {
                                warn_gbk = true;
                            }
                        }
                        None
                    }
                    Input::Invalid(bytes) => {
                        if looks_like_gbk(&bytes) {
                            warn_gbk = true;
                            // Nothing typed is lost: it goes in as what it says.
                            let (text, _, _) = encoding_rs::GBK.decode(&bytes);
                            Some(Action::Paste(text.into_owned()))
                        } else {
                            None
                        }
                    }
                };
                let Some(a) = action else { continue };
                // Keep the clock current for what the key will stamp, and let
                // the draft be written at least every half second while typing.
                if last_tick.elapsed() >= Duration::from_millis(500) || matches!(a, Action::Key(_)) {
                    effects::dispatch(desk, &mut state, Action::Tick(now()));
                    last_tick = std::time::Instant::now();
                }
                effects::dispatch(desk, &mut state, a);
                redraw = true;
            }
            // What the signal threads save if the line drops now.
            let mark = state.drafts_mark();
            if drafts_mark != Some(mark) {
                drafts_mark = Some(mark);
                let live = state.live_drafts();
                if let Ok(mut slot) = drafts.lock() {
                    *slot = live;
                }
            }
        }
    };
    let result = run();
    drop(terminal);
    give_back();
    desk.close()?;
    result
}
