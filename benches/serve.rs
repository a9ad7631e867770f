//! What the server adds to a save (issue 14): the same durable save (a
//! registration, `execute_once`) made in this process (`--embedded`) and
//! through `jiedai serve` over its socket, in one run, on the same disk
//! (under target/). `cargo bench --bench serve`; SAVES=n (default 400).

mod bulk;

use bulk::desk_intake;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use jiedai::i18n::Lang;
use jiedai::serve::client::{self, Target};
use jiedai::serve::place::Place;
use jiedai::serve::wire::{Answer, Request};
use jiedai::store::{Command, IdSource, Stamp, Store};

fn at(t: &[Duration], q: f64) -> Duration {
    t[((t.len() as f64 - 1.0) * q).round() as usize]
}

fn report(name: &str, t: &mut [Duration]) -> (Duration, Duration) {
    t.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<26} n={:<4} p50 {:>7.3} ms  p90 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
        t.len(),
        ms(at(t, 0.5)),
        ms(at(t, 0.9)),
        ms(at(t, 0.99)),
        ms(at(t, 1.0))
    );
    (at(t, 0.5), at(t, 0.99))
}

fn main() {
    let n: usize = std::env::var("SAVES").ok().and_then(|s| s.parse().ok()).unwrap_or(400);
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-serve");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("bench dir");
    // The socket's directory is checked as tmux checks it.
    std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o700)).expect("chmod");

    let store = Store::open(&base.join("embedded")).expect("open");
    let mut ids = IdSource::new();
    let mut embedded = Vec::with_capacity(n);
    for i in 0..n {
        let stamp = Stamp { at: chrono::Utc::now(), operator: "bench".into() };
        let cmd = Command::Register { intake: desk_intake(i), queue: None };
        let t = Instant::now();
        store.execute_once(&stamp, ids.next_id(), cmd).expect("save");
        embedded.push(t.elapsed());
    }
    let _ = store.close();

    let db = base.join("served");
    let target = Target {
        db: Some(db.clone()),
        place: Place::new(Some(&base.join("s")), &db),
        lang: Lang::En,
        program: Some(env!("CARGO_BIN_EXE_jiedai").into()),
    };
    let mut c = client::connect(&target).expect("server");
    let mut served = Vec::with_capacity(n);
    for i in 0..n {
        let command = Box::new(Command::Register { intake: desk_intake(i), queue: None });
        let t = Instant::now();
        let answer = c.request(Request::Execute { id: ids.next_id(), command }).expect("save");
        served.push(t.elapsed());
        assert!(matches!(answer, Answer::Done(_)), "{answer:?}");
    }
    let _ = c.request(Request::Stop);
    drop(c);

    let (e50, e99) = report("embedded save", &mut embedded);
    let (s50, s99) = report("save through the server", &mut served);
    let ms = |a: Duration, b: Duration| (a.as_secs_f64() - b.as_secs_f64()) * 1000.0;
    println!("the server adds: p50 {:+.3} ms, p99 {:+.3} ms", ms(s50, e50), ms(s99, e99));
    std::thread::sleep(Duration::from_millis(500));
    let _ = std::fs::remove_dir_all(&base);
}
