//! Drives the desk as the officer does: keys in, through the key table and
//! `update`, effects carried out against a real store; the screen drawn
//! into a TestBackend.
#![allow(dead_code)]

pub mod damaged;
pub mod lean;
pub mod paper;
pub mod pty;
pub mod run;

use chrono::NaiveDate;
use jiedai::app::{Action, AppState, Effect, Look};
use jiedai::domain::time::china_at;
use jiedai::effects;
use jiedai::i18n::Lang;
use jiedai::keys::{self, Cmd, Key, Scope};
use jiedai::protocol::{Changed, Desk as _};
use jiedai::store::{Embedded, Identity, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

/// The real binary with a database, in Chinese: its output and exit code.
pub fn jiedai(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("JIEDAI_DB")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run jiedai")
}

/// A temporary database filled by `jiedai demo`.
pub fn demo_db() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = jiedai(dir.path(), &["demo"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// A timeline as the names of its steps, for asserting their order.
pub fn steps(events: &[jiedai::domain::Event]) -> Vec<&'static str> {
    use jiedai::domain::EventKind::*;
    events
        .iter()
        .map(|e| match e.kind {
            Registered { .. } => "registered",
            Contact { .. } => "contact",
            Assigned { .. } => "assigned",
            Accepted { .. } => "accepted",
            Extended { .. } => "extended",
            InspectionScheduled(_) => "inspection scheduled",
            InspectionRecorded(_) => "findings",
            Escalated { .. } => "escalated",
            Granted { .. } => "granted",
            Concluded { .. } => "concluded",
            FollowedUp(_) => "followed up",
            Reopened { .. } => "reopened",
            MergedInto { .. } => "merged into",
            Absorbed { .. } => "absorbed",
            DeadlineKept { .. } => "deadline kept",
            Note { .. } => "note",
            Linked { later: true, .. } => "linked to a later case",
            Linked { later: false, .. } => "linked to an earlier case",
            NoticeIssued { .. } => "notice issued",
            Call(_) => "call",
        })
        .collect()
}

/// The demo's "today": a Monday, so the roster and deadlines are fixed.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid date")
}

/// Who the test desk signs as (a cadre of the demo's directory).
pub const OPERATOR: &str = "岑国仲";

pub struct Desk {
    /// The store, for the tests to read (the desk itself goes through the port).
    pub store: Arc<Store>,
    pub state: AppState,
    pub term: Terminal<TestBackend>,
    pub dir: tempfile::TempDir,
    /// The same frames through the desk's own terminal writer, checked
    /// against `term` at every draw.
    pub lean: lean::Lean,
    /// A desk sharing its store with others (`beside`): its session, and
    /// the notices of the others' saves.
    pub shared: Option<(Embedded, Receiver<Changed>)>,
}

pub fn look(lang: Lang) -> Look {
    Look { lang, ascii: false, color: true }
}

impl Desk {
    /// The desk on the demo data, as it opens: on the intake tab.
    pub fn demo(lang: Lang) -> Desk {
        Desk::demo_sized(look(lang), 80, 24)
    }

    /// The desk on the Pending tab.
    pub fn pending(lang: Lang) -> Desk {
        let mut desk = Desk::demo(lang);
        desk.cmd(Scope::Global, Cmd::Tab(1));
        desk
    }

    /// The desk on an empty database, as a township first opens it.
    pub fn empty(look: Look, w: u16, h: u16) -> Desk {
        Desk::on(look, w, h, false)
    }

    pub fn demo_sized(look: Look, w: u16, h: u16) -> Desk {
        Desk::on(look, w, h, true)
    }

    fn on(look: Look, w: u16, h: u16, demo: bool) -> Desk {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open store");
        if demo {
            jiedai::demo::load(&store, today()).expect("demo data");
        }
        let state = AppState::new(look, OPERATOR, china_at(today(), 10, 0), (w, h));
        let term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let mut desk = Desk { store: Arc::new(store), state, term, dir, lean: lean::Lean::new(w, h), shared: None };
        desk.load();
        desk
    }

    fn load(&mut self) {
        let port = self.port();
        for a in effects::run(&port, &self.state, &Effect::Load) {
            effects::dispatch(&port, &mut self.state, a);
        }
        self.draw();
    }

    /// The port this desk talks to: the store's clock is the desk's `now`
    /// (so the tests' times are fixed), and it signs as the desk's operator
    /// (`OPERATOR`, or the cadre the desk was told it is). Made
    /// afresh each time (the store is let go between), unless the desk
    /// shares its store with others.
    pub fn port(&self) -> Embedded {
        let now = self.state.now;
        let desk = match &self.shared {
            Some((port, _)) => port.clone(),
            None => Embedded::shared(self.store.clone(), Identity::Named(self.state.operator.clone())),
        };
        desk.with_clock(Arc::new(move || now))
    }

    /// Another desk on the same store, in this process, signing as `who`:
    /// each hears of the other's saves (see `notices`).
    pub fn beside(&mut self, who: &str) -> Desk {
        if self.shared.is_none() {
            let port = Embedded::shared(self.store.clone(), Identity::Named(OPERATOR.into()));
            let rx = port.subscribe();
            self.shared = Some((port, rx));
        }
        let Some((mine, _)) = &self.shared else { unreachable!("set above") };
        let port = mine.session(Identity::Named(who.into()));
        let rx = port.subscribe();
        let (w, h) = self.state.size;
        let state = AppState::new(self.state.look, who, self.state.now, (w, h));
        let term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut desk =
            Desk { store: self.store.clone(), state, term, dir, lean: lean::Lean::new(w, h), shared: Some((port, rx)) };
        desk.load();
        desk
    }

    /// This desk's user's intake draft, as the store keeps it (read through
    /// the port: drafts are kept per user).
    pub fn draft(&self) -> Option<jiedai::protocol::Draft> {
        let today = jiedai::domain::time::china_date(self.state.now);
        self.port().snapshot(today, Vec::new(), None, false).expect("snapshot").draft
    }

    /// This desk's user's unsubmitted action dialogs, as the store keeps them.
    pub fn dialog_drafts(&self) -> Vec<jiedai::protocol::Draft> {
        let today = jiedai::domain::time::china_date(self.state.now);
        self.port().snapshot(today, Vec::new(), None, true).expect("snapshot").dialog_drafts
    }

    /// Handle the notices of the other desks' saves, as the loop does; how many.
    pub fn notices(&mut self) -> usize {
        let pending: Vec<Changed> = match &self.shared {
            Some((_, rx)) => rx.try_iter().collect(),
            None => Vec::new(),
        };
        for c in &pending {
            effects::dispatch(&self.port(), &mut self.state, Action::ChangedElsewhere(c.clone()));
        }
        self.draw();
        pending.len()
    }

    pub fn press(&mut self, key: Key) -> &mut Self {
        effects::dispatch(&self.port(), &mut self.state, Action::Key(key));
        self.draw();
        self
    }

    /// Press whatever key the table binds to `cmd` in `scope`.
    pub fn cmd(&mut self, scope: Scope, cmd: Cmd) -> &mut Self {
        let key = keys::key_for(scope, cmd).unwrap_or_else(|| panic!("no key for {cmd:?} in {scope:?}"));
        self.press(key)
    }

    /// From the queue (where the desk starts) to the intake form.
    pub fn open_form(&mut self) -> &mut Self {
        if self.state.intake.focus == jiedai::app::intake::Focus::Queue {
            self.cmd(Scope::Queue, Cmd::ToForm);
        }
        assert_eq!(self.state.intake.focus, jiedai::app::intake::Focus::Form);
        self
    }

    pub fn type_text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.press(Key::Char(c));
        }
        self
    }

    /// Quit and start again on the same database, as after a dropped link.
    pub fn restart(self) -> Desk {
        let Desk { store, state, term: _, dir, lean: _, shared } = self;
        let look = state.look;
        let size = state.size;
        drop(shared);
        drop(store);
        let store = Store::open(dir.path()).expect("reopen");
        let state = AppState::new(look, OPERATOR, china_at(today(), 10, 5), size);
        let term = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
        let mut desk =
            Desk { store: Arc::new(store), state, term, dir, lean: lean::Lean::new(size.0, size.1), shared: None };
        desk.load();
        desk
    }

    pub fn tick(&mut self) -> &mut Self {
        let now = self.state.now;
        effects::dispatch(&self.port(), &mut self.state, Action::Tick(now));
        self.draw();
        self
    }

    pub fn paste(&mut self, text: &str) -> &mut Self {
        effects::dispatch(&self.port(), &mut self.state, Action::Paste(text.to_string()));
        self.draw();
        self
    }

    /// The message line.
    pub fn message(&self) -> String {
        self.state.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
    }

    pub fn resize(&mut self, w: u16, h: u16) -> &mut Self {
        self.term.backend_mut().resize(w, h);
        self.lean.resize(w, h);
        effects::dispatch(&self.port(), &mut self.state, Action::Resize(w, h));
        self.draw();
        self
    }

    /// Draw afresh: TestBackend applies only the diff, so a cell hidden under
    /// a wide glyph would keep a stale symbol that a real terminal clears.
    pub fn draw(&mut self) {
        self.term.clear().expect("clear");
        let state = &self.state;
        self.term.draw(|f| jiedai::ui::render(state, f)).expect("draw");
        self.lean.draw(state);
        let cursor = ratatui::backend::Backend::get_cursor_position(self.term.backend_mut()).expect("cursor");
        self.lean.assert_shows(self.term.backend().buffer(), cursor);
    }

    /// Draw afresh and return the frame as drawn, before the terminal's
    /// diff (which skips the cell after a wide character, so a character
    /// written there would not show in the backend).
    pub fn frame(&mut self) -> ratatui::buffer::Buffer {
        self.term.clear().expect("clear");
        let state = &self.state;
        self.term.draw(|f| jiedai::ui::render(state, f)).expect("draw").buffer.clone()
    }

    pub fn screen(&self) -> String {
        self.term.backend().to_string()
    }

    /// The screen as plain text, one line per row, trailing spaces kept.
    pub fn text(&self) -> String {
        let buf = self.term.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0;
            for x in 0..buf.area.width {
                let cell = &buf[(x, y)];
                if skip == 0 {
                    // The big digits are reversed bold blanks: show them as '#'.
                    use ratatui::style::Modifier;
                    let big = cell.symbol() == " " && cell.modifier == Modifier::REVERSED | Modifier::BOLD;
                    out.push_str(if big { "#" } else { cell.symbol() });
                }
                skip = (skip.max(unicode_width::UnicodeWidthStr::width(cell.symbol()))).saturating_sub(1);
            }
            out.push('\n');
        }
        out
    }
}

/// What is wrong with a drawn frame, row by row: a wide character in the
/// last column (the row is wider than the screen, and the terminal wraps
/// its second half onto the next row), or something written into the
/// second cell of a wide character (the terminal erases one or the other).
pub fn cell_problems(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut out = Vec::new();
    let (w, h) = (buf.area.width, buf.area.height);
    for y in 0..h {
        let row = || (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>();
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            let cw = sym.width() as u16;
            if cw >= 2 {
                if x + cw > w {
                    out.push(format!("row {y}: {sym:?} at column {x} of {w} runs past the edge: {}", row()));
                }
                for k in 1..cw {
                    if x + k < w && buf[(x + k, y)].symbol() != " " {
                        out.push(format!(
                            "row {y}: {:?} written over the second half of {sym:?} at column {}: {}",
                            buf[(x + k, y)].symbol(),
                            x + k,
                            row()
                        ));
                    }
                }
            }
            x += cw.max(1);
        }
    }
    out
}
