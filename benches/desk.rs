//! Speed targets, measured with `cargo bench`.
//!
//! - store/save_durable: one intake saved, flushed and fsynced.
//! - ui/key_to_frame: a key through `update` and a whole 80x24 frame drawn,
//!   on the Pending tab with many open cases.
//! - ui/filter_keystroke: one more character typed into the filter.

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use jiedai::app::{Action, AppState, Look, Snapshot, update};
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::Key;
use jiedai::store::{Command, Stamp, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const VILLAGES: [&str; 5] = ["坝达章村", "沧江村", "冷洞村", "纳省村", "坪寨村"];
const NAMES: [&str; 6] = ["唐科名", "韦正荣", "王秀兰", "黄光明", "罗永华", "杨国富"];

fn intake(i: usize) -> Intake {
    Intake {
        channel: Channel::ALL[i % 5],
        name: format!("{}{}", NAMES[i % 6], i),
        phone: format!("139{:08}", i),
        people: 1,
        delegation: None,
        village: VILLAGES[i % 5].into(),
        group: format!("{}组", i % 7 + 1),
        category: CATEGORIES[i % CATEGORIES.len()].into(),
        summary: format!("第{i}件: 通组路损坏,生产生活困难"),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: Some("岑国仲".into()),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

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
    let snapshot = Snapshot { open: open_cases(n), ..Snapshot::default() };
    update(&mut state, Action::Loaded(Box::new(snapshot)));
    state
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
    let mut state = desk(10_000);
    update(&mut state, Action::Key(Key::Char('/')));
    let mut flip = false;
    c.bench_function("ui/filter_keystroke (10k open)", |b| {
        b.iter(|| {
            flip = !flip;
            let key = if flip { Key::Char('b') } else { Key::Backspace };
            update(&mut state, Action::Key(key));
            term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench_store, bench_ui
}
criterion_main!(benches);
