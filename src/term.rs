//! The terminal: setup and restore, the event loop, and leaving safely when
//! the SSH link drops. A dropped link may never reach the loop as an error
//! (crossterm's poll can spin on a dead tty), so a signal thread and a tty
//! watchdog save the draft and exit without writing to the dead terminal.

use std::io::stdout;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;

use crate::app::{Action, AppState, Effect, Look};
use crate::effects;
use crate::keys::Key;
use crate::store::{Draft, Store};

/// Exit status whenever the line is found dropped (as for SIGHUP), however
/// it was noticed.
const HANGUP: i32 = 128 + libc::SIGHUP;

/// The form being typed, shared with the threads that may have to save it.
pub type DraftSlot = Arc<Mutex<Option<Draft>>>;

/// Save the draft (if any), make it durable and leave at once. Nothing is
/// written to the terminal: it may be gone.
fn leave_now(store: Option<&Store>, drafts: &DraftSlot, code: i32) -> ! {
    let Some(store) = store else { std::process::exit(code) };
    if let Ok(slot) = drafts.lock()
        && let Some(d) = slot.as_ref()
    {
        let _ = store.put_draft(d);
    }
    let _ = store.flush_durable();
    std::process::exit(code)
}

fn ignored(sig: i32) -> bool {
    // SAFETY: reading the current disposition into a zeroed sigaction.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

fn spawn_signal_thread(store: Weak<Store>, drafts: DraftSlot) -> std::io::Result<()> {
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
                let _ = execute!(stdout(), DisableBracketedPaste);
                ratatui::restore();
            }
            leave_now(store.upgrade().as_deref(), &drafts, 128 + sig);
        }
    })?;
    Ok(())
}

/// Notices a hung-up terminal even when SIGHUP is ignored: poll reports
/// POLLHUP on the tty once the other side has closed.
fn spawn_tty_watchdog(store: Weak<Store>, drafts: DraftSlot) -> std::io::Result<()> {
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
                leave_now(store.upgrade().as_deref(), &drafts, HANGUP);
            }
        }
    })?;
    Ok(())
}

pub fn run_desk(store: Store, look: Look, operator: &str) -> anyhow::Result<()> {
    let store = Arc::new(store);
    let drafts: DraftSlot = Arc::new(Mutex::new(None));
    // The threads hold the store weakly, so a normal quit can close it cleanly.
    spawn_signal_thread(Arc::downgrade(&store), drafts.clone())?;
    spawn_tty_watchdog(Arc::downgrade(&store), drafts.clone())?;
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(stdout(), EnableBracketedPaste);
    let size = terminal.size()?;
    let mut state = AppState::new(look, operator, chrono::Utc::now(), (size.width, size.height));
    let mut last_tick = std::time::Instant::now();
    let mut draft_gen = u64::MAX;
    for a in effects::run(&store, &state, &Effect::Load) {
        effects::dispatch(&store, &mut state, a);
    }
    let result = (|| -> anyhow::Result<()> {
        loop {
            // A terminal that can no longer be written to is a dropped line:
            // leave as on SIGHUP, without another write to it.
            if terminal.draw(|f| crate::ui::render(&state, f)).is_err() {
                leave_now(Some(&store), &drafts, HANGUP);
            }
            if state.quit {
                return Ok(());
            }
            let action = match event::poll(Duration::from_millis(500)) {
                Ok(true) => match event::read() {
                    Ok(Event::Key(k)) => Key::from_event(k).map(Action::Key),
                    Ok(Event::Paste(text)) => Some(Action::Paste(text)),
                    Ok(Event::Resize(w, h)) => Some(Action::Resize(w, h)),
                    Ok(_) => None,
                    Err(_) => leave_now(Some(&store), &drafts, HANGUP),
                },
                Ok(false) => Some(Action::Tick(chrono::Utc::now())),
                Err(_) => leave_now(Some(&store), &drafts, HANGUP),
            };
            if let Some(a) = action {
                // Keep the clock current for what the key will stamp, and let
                // the draft be written at least every half second while typing.
                if last_tick.elapsed() >= Duration::from_millis(500) || matches!(a, Action::Key(_)) {
                    effects::dispatch(&store, &mut state, Action::Tick(chrono::Utc::now()));
                    last_tick = std::time::Instant::now();
                }
                effects::dispatch(&store, &mut state, a);
            }
            // What the signal threads save if the line drops now.
            if state.intake.form.generation != draft_gen {
                draft_gen = state.intake.form.generation;
                let blank = state.intake.form.is_blank(state.look.lang, &state.choices);
                let draft = (!blank).then(|| state.intake.form.to_draft(state.now));
                if let Ok(mut slot) = drafts.lock() {
                    *slot = draft;
                }
            }
        }
    })();
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    if let Ok(store) = Arc::try_unwrap(store) {
        store.close()?;
    }
    result
}
