//! Speed targets, measured with `cargo bench`.
//!
//! - store/save_durable: one intake saved, flushed and fsynced.
//! - ui/key_to_frame: a key through `update` and a whole 80x24 frame drawn,
//!   on the Pending tab with many open cases.
//! - ui/filter_keystroke: one more character typed into the filter.
//! - intake/*: on a database of 100,000 cases (built once, kept under
//!   target/bench-db-100k): a key typed into the form and the frame drawn;
//!   leaving the name field (the returning-resident lookup); a whole save.
//!   These also print p50/p99 from per-iteration timings.
//! - search/keystroke: one key typed into the search place (查找) over
//!   100,000 cases of every status, and the frame drawn; p50/p99 printed.
//!
//! `cargo bench --bench desk -- NAME` runs only the benches whose name
//! contains NAME, the hand-timed percentiles included.

mod bulk;

use bulk::{intake, today};
use std::hint::black_box;

use chrono::Duration;
use criterion::{Criterion, criterion_group, criterion_main};
use jiedai::app::{Action, AppState, Look, Snapshot, update};
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::Key;
use jiedai::store::{Command, Stamp, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Open cases as the store would list them, without building a database.
fn open_cases(n: usize) -> Vec<Case> {
    (0..n)
        .filter_map(|i| {
            let at = china_at(today() - Duration::days((i % 90) as i64), 9, 0);
            let ev = Event {
                at,
                operator: "bench".into(),
                kind: EventKind::Registered {
                    intake: intake(i),
                    accept_by: today() + Duration::days(i as i64 % 30 - 10),
                },
            };
            Case::open(CaseNo { year: 2026, seq: i as u32 + 1 }, &ev)
        })
        .collect()
}

fn desk(n: usize) -> AppState {
    let look = Look { lang: Lang::Zh, ascii: false, color: true };
    let mut state = AppState::new(look, "bench", china_at(today(), 10, 0), (80, 24));
    let snapshot =
        Snapshot { open: open_cases(n), open_count: n, has_lists: [true, false, false, false], ..Snapshot::default() };
    update(&mut state, Action::Loaded(Box::new(snapshot)));
    state
}

/// Is the bench `name` selected by the command line's filter? Criterion
/// filters its own benches; the hand-timed percentiles (and their costly
/// set-up, such as the 100k database) follow the same filter.
fn wanted(name: &str) -> bool {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

/// Every case of a township's years, newest first as the search place
/// lists them: most concluded and followed up, one in twenty open.
fn all_cases(n: usize) -> Vec<Case> {
    let mut cases = open_cases(n);
    for (i, c) in cases.iter_mut().enumerate() {
        if i % 20 != 0 {
            c.status = if i % 3 == 0 { Status::Concluded } else { Status::FollowedUp };
            c.conclusion = Some(Conclusion { outcome: Outcome::Implemented, reason: "已落实".into(), on: today() });
        }
    }
    cases.reverse();
    cases
}

fn bench_search(c: &mut Criterion) {
    let name = "search/keystroke (100k cases)";
    if !wanted(name) {
        return;
    }
    let look = Look { lang: Lang::Zh, ascii: false, color: true };
    let mut state = AppState::new(look, "bench", china_at(today(), 10, 0), (80, 24));
    let n = 100_000;
    let snapshot = Snapshot { all: all_cases(n), has_lists: [false, false, false, true], ..Snapshot::default() };
    update(&mut state, Action::Loaded(Box::new(snapshot)));
    update(&mut state, Action::Key(Key::F(7)));
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    // "tkm" (唐科名 by initials): a sixth of the cases; then back to nothing.
    let keys: Vec<Key> = "tkm".chars().map(Key::Char).chain(std::iter::repeat_n(Key::Backspace, 3)).collect();
    for k in &keys[..3] {
        update(&mut state, Action::Key(*k));
    }
    let found = state.lists[4].visible.len();
    assert!(found > n / 7 && found < n / 5, "tkm finds {found}");
    for k in &keys[3..] {
        update(&mut state, Action::Key(*k));
    }
    assert_eq!(state.lists[4].visible.len(), n);
    let mut k = 0;
    let mut stroke = |state: &mut AppState, term: &mut Terminal<TestBackend>| {
        update(state, Action::Key(keys[k % keys.len()]));
        k += 1;
        term.draw(|f| jiedai::ui::render(state, f)).expect("draw");
    };
    percentiles(name, 300, || stroke(&mut state, &mut term));
    c.bench_function(name, |b| b.iter(|| stroke(&mut state, &mut term)));
}

fn bench_store(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let mut i = 0;
    c.bench_function("store/save_durable", |b| {
        b.iter(|| {
            i += 1;
            let stamp = Stamp { at: china_at(today(), 9, 0), operator: "bench".into() };
            black_box(store.execute(&stamp, Command::Register { intake: intake(i), queue: None }).expect("save"));
        })
    });
}

fn bench_ui(c: &mut Criterion) {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut state = desk(10_000);
    let mut down = true;
    c.bench_function("ui/key_to_frame (pending, 10k open)", |b| {
        b.iter(|| {
            down = !down;
            update(&mut state, Action::Key(if down { Key::Down } else { Key::Up }));
            term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
        })
    });
    // Typing "bdzwz" (坝达章村五组, by initials) into the filter over 100,000
    // open cases, one key at a time, then clearing it: each keystroke
    // refilters and draws a frame.
    if !wanted("ui/filter_keystroke (100k open)") {
        return;
    }
    let mut state = desk(100_000);
    update(&mut state, Action::Key(Key::F(2)));
    update(&mut state, Action::Key(Key::Char('/')));
    let keys: Vec<Key> = "bdzwz".chars().map(Key::Char).chain(std::iter::repeat_n(Key::Backspace, 5)).collect();
    let mut k = 0;
    let mut stroke = |state: &mut AppState, term: &mut Terminal<TestBackend>| {
        update(state, Action::Key(keys[k % keys.len()]));
        k += 1;
        term.draw(|f| jiedai::ui::render(state, f)).expect("draw");
    };
    // It really filters: "bdz" keeps the 坝达章村 fifth of the list.
    for ch in "bdz".chars() {
        update(&mut state, Action::Key(Key::Char(ch)));
    }
    assert_eq!(state.lists[1].visible.len(), 20_000);
    for _ in 0..3 {
        update(&mut state, Action::Key(Key::Backspace));
    }
    assert_eq!(state.lists[1].visible.len(), 100_000);
    percentiles("ui/filter_keystroke (100k open)", 200, || stroke(&mut state, &mut term));
    c.bench_function("ui/filter_keystroke (100k open)", |b| b.iter(|| stroke(&mut state, &mut term)));
}

/// A database of `n` cases, built once (one flush for the lot) and reused.
fn big_db(n: usize) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-db-{}k-v3", n / 1000));
    if dir.join("ready").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir).expect("open");
    jiedai::demo::load(&store, today()).expect("demo");
    // As a township's database after years: most cases concluded and
    // followed up, one in twenty still open. All in 2026, after the demo's
    // thirteen, so case i is number 14 + i.
    let items = (0..n).flat_map(|i| {
        let day = today() - Duration::days((i % 300) as i64);
        let stamp = |d: i64| Stamp { at: china_at(day + Duration::days(d), 9, 0), operator: "bench".into() };
        let no = CaseNo { year: 2026, seq: 14 + i as u32 };
        let mut out = vec![(stamp(0), Command::Register { intake: intake(i), queue: None })];
        if i % 20 != 0 {
            out.push((stamp(1), Command::Accept { case: no }));
            out.push((
                stamp(2),
                Command::Conclude { case: no, outcome: Outcome::Implemented, reason: "已落实".into() },
            ));
            out.push((
                stamp(3),
                Command::FollowUp {
                    case: no,
                    follow_up: FollowUp {
                        method: FollowUpMethod::Phone,
                        satisfaction: Satisfaction::Satisfied,
                        note: String::new(),
                    },
                },
            ));
        }
        out
    });
    let (_, result) = store.execute_batch(items);
    result.expect("bulk load");
    store.close().expect("close");
    std::fs::write(dir.join("ready"), b"").expect("mark");
    dir
}

/// Time each call separately and print the median and the 99th percentile.
fn percentiles(name: &str, runs: usize, mut f: impl FnMut()) {
    let mut times: Vec<std::time::Duration> = (0..runs)
        .map(|_| {
            let t = std::time::Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((runs as f64 * q) as usize).min(runs - 1)];
    println!("{name}: p50 {:?}  p99 {:?}  max {:?}  ({runs} runs)", at(0.5), at(0.99), times[runs - 1]);
}

fn bench_intake(c: &mut Criterion) {
    use jiedai::effects::{dispatch, run};
    let names = [
        "intake/key_to_frame (100k cases)",
        "intake/leave_name_lookup (100k cases)",
        "intake/save_to_frame (100k cases)",
        "pending/first_open (100k cases)",
        "pending/switch_tab_to_frame (100k cases)",
    ];
    if !names.iter().any(|n| wanted(n)) {
        return;
    }
    let dir = big_db(100_000);
    // The desk goes through the port, as the real one does.
    let store =
        jiedai::store::Embedded::new(Store::open(&dir).expect("open"), jiedai::store::Identity::Named("bench".into()));
    let look = Look { lang: Lang::Zh, ascii: false, color: true };
    let mut state = AppState::new(look, "bench", china_at(today(), 10, 0), (80, 24));
    for a in run(&store, &state, &jiedai::app::Effect::Load) {
        dispatch(&store, &mut state, a);
    }
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    // The desk starts at the queue: Tab to the form.
    dispatch(&store, &mut state, Action::Key(Key::Tab));
    let mut flip = false;
    let mut key = |state: &mut AppState, term: &mut Terminal<TestBackend>| {
        flip = !flip;
        let k = if flip { Key::Char('唐') } else { Key::Backspace };
        dispatch(&store, state, Action::Key(k));
        term.draw(|f| jiedai::ui::render(state, f)).expect("draw");
    };
    percentiles("intake/key_to_frame (100k cases)", 5_000, || key(&mut state, &mut term));
    c.bench_function("intake/key_to_frame (100k cases)", |b| b.iter(|| key(&mut state, &mut term)));

    // Leaving the name field looks the resident up among 100k cases.
    for ch in "唐科名".chars() {
        dispatch(&store, &mut state, Action::Key(Key::Char(ch)));
    }
    let leave = |state: &mut AppState, term: &mut Terminal<TestBackend>| {
        dispatch(&store, state, Action::Key(Key::Tab));
        dispatch(&store, state, Action::Key(Key::BackTab));
        // A changed name forces a fresh lookup each time.
        dispatch(&store, state, Action::Key(Key::Backspace));
        dispatch(&store, state, Action::Key(Key::Char('名')));
        term.draw(|f| jiedai::ui::render(state, f)).expect("draw");
    };
    percentiles("intake/leave_name_lookup (100k cases)", 500, || leave(&mut state, &mut term));

    // A whole save: validate, transaction, flush + fsync, reload the tab.
    let mut i = 0;
    let mut save = |state: &mut AppState| {
        i += 1;
        for ch in format!("居民{i}").chars() {
            dispatch(&store, state, Action::Key(Key::Char(ch)));
        }
        state.intake.form.set(jiedai::app::form::Field::Summary, "通组路损坏");
        dispatch(&store, state, Action::Key(Key::Ctrl('s')));
        assert!(state.message.as_ref().is_some_and(|m| !m.error), "saved");
    };
    dispatch(&store, &mut state, Action::Key(Key::Ctrl('u')));
    percentiles("intake/save_to_frame (100k cases)", 200, || save(&mut state));

    // Opening the Pending tab: the first time reads the open cases; after
    // that the list is in memory and kept up to date by each save.
    let t = std::time::Instant::now();
    dispatch(&store, &mut state, Action::Key(Key::F(2)));
    term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
    println!("pending/first_open (100k cases, {} open): {:?}", state.data.open.len(), t.elapsed());
    let mut flip = false;
    let mut switch = |state: &mut AppState, term: &mut Terminal<TestBackend>| {
        flip = !flip;
        dispatch(&store, state, Action::Key(if flip { Key::F(1) } else { Key::F(2) }));
        term.draw(|f| jiedai::ui::render(state, f)).expect("draw");
    };
    percentiles("pending/switch_tab_to_frame (100k cases)", 500, || switch(&mut state, &mut term));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench_store, bench_ui, bench_intake, bench_search
}
criterion_main!(benches);
