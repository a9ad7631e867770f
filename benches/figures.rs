//! Issue #16's figures that are not key → frame, in one run, on a database
//! of 100,000 cases built the way a desk builds it (every command its own
//! transaction; built once under target/, then copied afresh for each run,
//! so runs never make it grow):
//!
//! - the Statistics tab: a visit per period (F5, then w, m, y, a), key to
//!   frame, with the desk's memory before and after; and the same figures
//!   counted again from every case, as every visit did before they were kept;
//! - peak memory (the child's own maximum RSS, from wait4 in a small
//!   wrapper process, see `child`), wall and CPU time of the real binary's
//!   `report`, `check`, `export` json, csv and xlsx;
//! - an import of 100,000 ledger rows, its time, peak memory and bytes
//!   written (FIGURES=import runs it alone; FIGURES=commands runs only the
//!   commands' memory and time);
//! - a durable save at 100k cases against SQLite (WAL, synchronous=FULL)
//!   holding the same records with the same indexes, and against the floor
//!   of the same disk, a raw 4 KiB append + fdatasync, and against the
//!   save's twin, its own writes and syncs on plain files (benches/twin),
//!   with its write calls, bytes and CPU time (FIGURES=saves runs it alone).
//!
//! `cargo bench --bench figures`; SAVES=n for more saves (default 200).

mod twin;

mod bulk;

// The binary's allocator and its process settings (main), so the desk's
// figures measured in this process (the Statistics tab, the saves) are the
// desk's: with glibc's malloc a save at 100k spent a fifth of its CPU in it.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use bulk::{NAMES, VILLAGES, intake, today};
use std::path::{Path, PathBuf};
use std::process::{Command as Proc, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use jiedai::app::{Action, AppState, Effect, Look};
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::effects::{dispatch, run};
use jiedai::i18n::Lang;
use jiedai::keys::Key;
use jiedai::store::{Command, IdSource, Stamp, Store, encode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const N: usize = 100_000;

fn target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target")
}

/// The demo, then `N` cases over 300 days: most accepted, concluded and
/// followed up, one in twenty still open; each command in its own
/// transaction, as the desk saves them, made durable at the end.
fn template() -> PathBuf {
    let dir = target().join("bench-figures-100k-v1");
    if dir.join("ready").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let t = Instant::now();
    let store = Store::open(&dir).expect("open");
    jiedai::demo::load(&store, today()).expect("demo");
    let first = store.all_cases().expect("cases").len() as u32 + 1;
    let items = (0..N).flat_map(|i| {
        let day = today() - chrono::Duration::days((i % 300) as i64);
        let stamp = |d: i64| Stamp { at: china_at(day + chrono::Duration::days(d), 9, 0), operator: "bench".into() };
        let no = CaseNo { year: 2026, seq: first + i as u32 };
        let mut out = vec![(stamp(0), Command::Register { intake: intake(i), queue: None })];
        if i % 20 != 0 {
            out.push((stamp(1), Command::Accept { case: no }));
            out.push((
                stamp(2),
                Command::Conclude { case: no, outcome: Outcome::Implemented, reason: "已落实".into() },
            ));
            let satisfaction = if i % 7 == 0 { Satisfaction::Mostly } else { Satisfaction::Satisfied };
            out.push((
                stamp(3),
                Command::FollowUp {
                    case: no,
                    follow_up: FollowUp { method: FollowUpMethod::Phone, satisfaction, note: String::new() },
                },
            ));
        }
        out
    });
    let (_, result) = store.execute_batch(items);
    result.expect("bulk load");
    store.close().expect("close");
    std::fs::write(dir.join("ready"), b"").expect("mark");
    println!("built the 100k template in {:.0?}", t.elapsed());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}

fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats_visits(db: &Path) {
    let desk =
        jiedai::store::Embedded::new(Store::open(db).expect("open"), jiedai::store::Identity::Named("bench".into()));
    let store = desk.store().expect("store");
    let look = Look { lang: Lang::Zh, ascii: false, color: true };
    let mut state = AppState::new(look, "bench", china_at(today(), 10, 0), (80, 24));
    for a in run(&desk, &state, &Effect::Load) {
        dispatch(&desk, &mut state, a);
    }
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
    let rss_before = rss_kib("VmRSS:");
    let mut worst = Duration::ZERO;
    for (name, key) in [("F5 (year)", Key::F(5)), ("w", Key::Char('w')), ("m", Key::Char('m')), ("a", Key::Char('a'))] {
        let t = Instant::now();
        dispatch(&desk, &mut state, Action::Key(key));
        term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
        let took = t.elapsed();
        worst = worst.max(took);
        let stats = state.data.stats.as_ref().expect("stats loaded");
        println!("stats/visit {name:<10} {:>8.2} ms  ({} registered)", ms(took), stats.total().registered);
    }
    // Back and forth between tabs: each visit loads the figures again.
    let mut visits = Vec::new();
    for _ in 0..20 {
        dispatch(&desk, &mut state, Action::Key(Key::F(1)));
        let t = Instant::now();
        dispatch(&desk, &mut state, Action::Key(Key::F(5)));
        term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
        visits.push(t.elapsed());
    }
    visits.sort();
    println!(
        "stats/visit F5 (all time, 20 visits)  p50 {:.2} ms  max {:.2} ms; worst period key {:.2} ms",
        ms(visits[10]),
        ms(visits[19]),
        ms(worst)
    );
    println!("stats/desk RSS {} MiB before the visits, {} MiB after", rss_before / 1024, rss_kib("VmRSS:") / 1024);
    let p = jiedai::domain::stats::Period { from: store.first_day().expect("first").unwrap_or(today()), to: today() };
    let t = Instant::now();
    let kept = store.stats(p).expect("kept");
    let kept_t = t.elapsed();
    let t = Instant::now();
    let recount = store.stats_recounted(p).expect("recount");
    println!(
        "stats/all time: kept {:.2} ms, counted again from every case (as before) {:.0} ms; equal: {}",
        ms(kept_t),
        ms(t.elapsed()),
        kept == recount
    );
    println!("stats/desk RSS after the recount {} MiB", rss_kib("VmRSS:") / 1024);
    drop(store);
    jiedai::protocol::Desk::close(&desk).expect("close");
}

/// What a run of the real binary took, from its own rusage.
struct Ran {
    wall: Duration,
    /// User + system CPU.
    cpu: Duration,
    /// Its own peak RSS, KiB.
    peak: u64,
    /// The wrapper's peak RSS, KiB: `peak` is jiedai's only when above it.
    wrapper: u64,
    written: u64,
    ok: bool,
}

/// The real binary, its output thrown away. A child's ru_maxrss counts the
/// memory of the process it was spawned from: Linux keeps the high-water
/// mark of the memory it replaces at exec (fs/exec.c,
/// `setmax_mm_hiwater_rss`), and std spawns with vfork, whose child runs in
/// the parent's memory until then. So this bench, large once it has built
/// the template or read the database, does not spawn jiedai itself: it runs
/// itself again as a small wrapper (`FIGURES_WRAP`, see `wrapper`), which
/// spawns jiedai, waits for it and prints its rusage.
fn child(args: &[&std::ffi::OsStr]) -> Ran {
    let exe = std::env::current_exe().expect("this bench's path");
    let out = Proc::new(exe)
        .args(args)
        .env("FIGURES_WRAP", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("spawn the wrapper");
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<u64> = text.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert_eq!(f.len(), 6, "the wrapper's answer: {text:?}");
    Ran {
        wall: Duration::from_micros(f[0]),
        cpu: Duration::from_micros(f[1]),
        peak: f[2],
        wrapper: f[3],
        written: f[4],
        ok: f[5] == 1,
    }
}

/// The wrapper: jiedai run with `args`, waited for with wait4; prints wall
/// and CPU microseconds, jiedai's peak RSS and its own (KiB), bytes
/// written, and 1 for success.
// Waited for with wait4, which std's wait cannot give the rusage of.
#[allow(clippy::zombie_processes)]
fn wrapper() {
    let t = Instant::now();
    let c = Proc::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(std::env::args_os().skip(1))
        .env_remove("FIGURES_WRAP")
        .env("LANG", "zh_CN.UTF-8")
        .env("JIEDAI_OPERATOR", "bench")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn jiedai");
    let pid = c.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for; the pointers are ours.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid, "wait4");
    let wall = t.elapsed();
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    println!(
        "{} {} {} {} {} {}",
        wall.as_micros(),
        micros(ru.ru_utime) + micros(ru.ru_stime),
        ru.ru_maxrss,
        rss_kib("VmHWM:"),
        ru.ru_oublock as u64 * 512,
        u8::from(ok)
    );
}

fn commands(db: &Path, scratch: &Path) {
    let os = |s: &str| std::ffi::OsString::from(s);
    let dbo = db.as_os_str().to_os_string();
    let xlsx = scratch.join("ledger.xlsx").into_os_string();
    let runs: Vec<(&str, Vec<std::ffi::OsString>)> = vec![
        ("report", vec![os("report"), os("--db"), dbo.clone()]),
        ("report --format json", vec![os("report"), os("--format"), os("json"), os("--db"), dbo.clone()]),
        ("check", vec![os("check"), os("--db"), dbo.clone()]),
        ("export (json)", vec![os("export"), os("--db"), dbo.clone()]),
        ("export --format csv", vec![os("export"), os("--format"), os("csv"), os("--db"), dbo.clone()]),
        (
            "export --format xlsx --out F",
            vec![os("export"), os("--format"), os("xlsx"), os("--out"), xlsx, os("--db"), dbo.clone()],
        ),
    ];
    for (name, args) in &runs {
        let a: Vec<&std::ffi::OsStr> = args.iter().map(|s| s.as_os_str()).collect();
        let ran = child(&a);
        println!(
            "rss/{name:<30} peak {:>5} MiB  {:>7.2} s wall  {:>6.2} s CPU{}{}",
            ran.peak / 1024,
            ran.wall.as_secs_f64(),
            ran.cpu.as_secs_f64(),
            if ran.peak > ran.wrapper { "" } else { "  (no more than the wrapper's own)" },
            if ran.ok { "" } else { "  (FAILED)" }
        );
    }
}

/// 100,000 ledger rows imported into an empty database, as an office's
/// ledger holds them: a year of days, every column a ledger fills (承办人
/// aside: it names a cadre of the directory, which an empty database lacks),
/// open, accepted and concluded cases, a third called about again, with a
/// return visit, each with its resident.
fn import(scratch: &Path) {
    let csv = scratch.join("rows.csv");
    let mut body = String::from(
        "登记日期,来源,姓名,电话,村,组,人数,类别,紧急程度,事由,详情,再次反映次数,受理日期,办结日期,办理结果,办结理由,回访次数,最近回访满意度\n",
    );
    for i in 0..N {
        let day = today() - chrono::Duration::days((i % 360) as i64);
        let later = |d: i64| (day + chrono::Duration::days(d)).to_string();
        let (accepted, concluded) = match i % 4 {
            0 => (String::new(), ",,,,".to_string()),
            1 => (later(1), ",,,,".to_string()),
            _ => (later(1), format!("{},解释说明,已解释,1,满意", later(3))),
        };
        body.push_str(&format!(
            "{day},{},{}{i},139{i:08},{},{}组,{},{},{},第{i}件: 通组路损坏，生产生活困难,\
             {}组到村委的路冲坏了约{}米，三轮车过不去，群众要求尽快修复,{},{accepted},{concluded}\n",
            ["接待日", "电话", "民情日记", "意见箱", "走访"][i % 5],
            NAMES[i % 6],
            VILLAGES[i % 5],
            i % 7 + 1,
            i % 3 + 1,
            CATEGORIES[i % CATEGORIES.len()],
            ["一般", "一般", "紧急"][i % 3],
            i % 7 + 1,
            i % 90 + 10,
            usize::from(i % 3 == 0),
        ));
    }
    std::fs::write(&csv, body).expect("write rows");
    let fresh = scratch.join("imported");
    let a: Vec<&std::ffi::OsStr> =
        vec!["import".as_ref(), "cases".as_ref(), csv.as_os_str(), "--db".as_ref(), fresh.as_os_str()];
    let ran = child(&a);
    if !ran.ok {
        let out = Proc::new(env!("CARGO_BIN_EXE_jiedai"))
            .args(&a[..2])
            .arg(&csv)
            .arg("--db")
            .arg(scratch.join("again"))
            .output();
        if let Ok(out) = out {
            println!("import failed: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    println!(
        "import/{N} ledger rows  {:.2} s wall  {:.2} s CPU  peak {} MiB  {} MiB written{}",
        ran.wall.as_secs_f64(),
        ran.cpu.as_secs_f64(),
        ran.peak / 1024,
        ran.written >> 20,
        if ran.ok { "" } else { "  (FAILED)" }
    );
}

fn percentiles(name: &str, mut t: Vec<Duration>) -> Duration {
    t.sort();
    let at = |q: f64| t[((t.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "save/{name:<40} p50 {:>6.2} ms  p90 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    at(0.5)
}

/// SQLite with the records a register writes, as the store writes them
/// (the same encoded bytes): the case with its list keys indexed, the
/// event, the resident by key and by name, the resident's case, the
/// command id and the counters. Loaded with the 100k cases first.
fn sqlite(path: &Path, cases: &[(Case, Vec<Event>)]) -> rusqlite::Connection {
    let _ = std::fs::remove_file(path);
    let c = rusqlite::Connection::open(path).expect("sqlite");
    c.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE cases(no INTEGER PRIMARY KEY, pending INTEGER, follow INTEGER, inspect INTEGER, body BLOB);
         CREATE INDEX idx_open ON cases(pending) WHERE pending IS NOT NULL;
         CREATE INDEX idx_follow ON cases(follow) WHERE follow IS NOT NULL;
         CREATE INDEX idx_inspect ON cases(inspect) WHERE inspect IS NOT NULL;
         CREATE TABLE events(no INTEGER, seq INTEGER, body BLOB, PRIMARY KEY(no, seq)) WITHOUT ROWID;
         CREATE TABLE residents(key TEXT PRIMARY KEY, name TEXT, body BLOB) WITHOUT ROWID;
         CREATE INDEX idx_names ON residents(name);
         CREATE TABLE resident_cases(key TEXT, no INTEGER, PRIMARY KEY(key, no)) WITHOUT ROWID;
         CREATE TABLE applied(id BLOB PRIMARY KEY, done BLOB) WITHOUT ROWID;
         CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;",
    )
    .expect("schema");
    let tx = c.unchecked_transaction().expect("tx");
    for (case, events) in cases {
        put_case(&tx, case, &events[..]);
    }
    tx.commit().expect("commit");
    c
}

fn day(d: Option<NaiveDate>) -> Option<i64> {
    use chrono::Datelike;
    d.map(|d| i64::from(d.num_days_from_ce()))
}

fn put_case(c: &rusqlite::Connection, case: &Case, events: &[Event]) {
    let no = i64::from(case.no.year) << 32 | i64::from(case.no.seq);
    c.prepare_cached("INSERT OR REPLACE INTO cases VALUES (?1, ?2, ?3, ?4, ?5)")
        .and_then(|mut s| {
            s.execute(rusqlite::params![
                no,
                day(case.pending_key()),
                day(case.follow_up_key()),
                day(case.inspection_key()),
                encode(case)
            ])
        })
        .expect("case");
    for (i, e) in events.iter().enumerate() {
        c.prepare_cached("INSERT OR REPLACE INTO events VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.execute(rusqlite::params![no, i as i64, encode(e)]))
            .expect("event");
    }
    let r = Resident {
        name: case.intake.name.clone(),
        phone: case.intake.phone.clone(),
        village: case.intake.village.clone(),
        group: case.intake.group.clone(),
    };
    c.prepare_cached("INSERT OR REPLACE INTO residents VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(rusqlite::params![r.key(), r.name, encode(&r)]))
        .expect("resident");
    c.prepare_cached("INSERT OR REPLACE INTO resident_cases VALUES (?1, ?2)")
        .and_then(|mut s| s.execute(rusqlite::params![r.key(), no]))
        .expect("resident case");
}

fn saves(db: &Path, scratch: &Path) {
    let n: usize = std::env::var("SAVES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    // The floor and the save's twin (benches/twin), on the same disk, a
    // sample of each taken beside each save so that all meet the same disk
    // (other writers come and go).
    let mut floor = twin::Floor::new(scratch);
    let mut twin = twin::Twin::new(scratch);
    let (mut raw, mut twins, mut tally) = (Vec::with_capacity(n), Vec::with_capacity(n), twin::Tally::default());
    let data_len = || std::fs::metadata(db.join("db")).map(|m| m.len()).unwrap_or(0);
    let store = Store::open(db).expect("open");
    let cases = store.cases_with_events().expect("cases");
    let sql = sqlite(&scratch.join("sqlite.db"), &cases);
    drop(cases);
    let mut ids = IdSource::new();
    let mut ours = Vec::with_capacity(n);
    let mut theirs = Vec::with_capacity(n);
    let mut syncs = Vec::with_capacity(n);
    for i in 0..n {
        raw.push(floor.once());
        let stamp = Stamp { at: chrono::Utc::now(), operator: "bench".into() };
        let id = ids.next_id();
        let (before, counted) = (data_len(), twin::counts());
        let t = Instant::now();
        let done = store.execute_once(&stamp, id, Command::Register { intake: intake(N + i), queue: None });
        ours.push(t.elapsed());
        let grown = data_len().saturating_sub(before);
        tally.add(counted, twin::counts(), grown);
        twins.push(twin.once(grown));
        let no = match done {
            Ok(jiedai::store::Done::Registered(no)) => no,
            other => panic!("save: {other:?}"),
        };
        let case = store.case(no).expect("case").expect("saved");
        let events = store.events(no).expect("events");
        let t = Instant::now();
        let tx = sql.unchecked_transaction().expect("tx");
        put_case(&tx, &case, &events);
        tx.execute("INSERT INTO applied VALUES (?1, ?2)", rusqlite::params![&id.0[..], &b"done"[..]]).expect("id");
        tx.execute("INSERT OR REPLACE INTO meta VALUES ('commits', ?1)", [i as i64]).expect("meta");
        tx.commit().expect("commit");
        theirs.push(t.elapsed());
        // The "durable save (sync time)", as benches/save.rs.
        let cmd = Command::Register { intake: intake(N + n + i), queue: None };
        store.execute_unflushed(&stamp, cmd).expect("transaction");
        let t = Instant::now();
        store.flush_durable().expect("durable");
        syncs.push(t.elapsed());
    }
    store.close().expect("close");
    // Each round's save against the floor just before it (as benches/save.rs).
    let paired = twin::median_ratio(&ours, &raw);
    let paired_sync = twin::median_ratio(&syncs, &raw);
    tally.print("save/jiedai durable save (100k cases)");
    let floor = percentiles("raw 4 KiB append + fdatasync", raw);
    let twin = percentiles("twin: the save's writes and syncs", twins);
    let sync = percentiles("a save's sync time (flush, fsync, seal)", syncs);
    let ours = percentiles("jiedai durable save (100k cases)", ours);
    let theirs = percentiles("SQLite WAL FULL, same records (100k)", theirs);
    println!(
        "save/p50 ratios: jiedai / floor {:.1}x, jiedai / twin {:.1}x, twin / floor {:.1}x, jiedai / SQLite {:.1}x, SQLite / floor {:.1}x",
        ours.as_secs_f64() / floor.as_secs_f64(),
        ours.as_secs_f64() / twin.as_secs_f64(),
        twin.as_secs_f64() / floor.as_secs_f64(),
        ours.as_secs_f64() / theirs.as_secs_f64(),
        theirs.as_secs_f64() / floor.as_secs_f64()
    );
    println!("save/median of each round's jiedai / floor: {paired:.2}x");
    println!(
        "save/sync time / floor: p50 {:.2}x, median of each round's {paired_sync:.2}x",
        sync.as_secs_f64() / floor.as_secs_f64()
    );
}

fn main() {
    // SAFETY: as the binary does (src/main.rs): plain integers, no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // Run again by `child` as the small process that spawns jiedai.
    if std::env::var_os("FIGURES_WRAP").is_some() {
        wrapper();
        return;
    }
    let scratch = target().join("bench-figures-run");
    let _ = std::fs::remove_dir_all(&scratch);
    // FIGURES=import: the import alone, without the 100k database.
    if std::env::var("FIGURES").as_deref() == Ok("import") {
        std::fs::create_dir_all(&scratch).expect("scratch");
        import(&scratch);
        let _ = std::fs::remove_dir_all(&scratch);
        return;
    }
    let template = template();
    let db = scratch.join("db");
    copy_dir(&template, &db);
    // FIGURES=saves: the saves alone, on the 100k database.
    if std::env::var("FIGURES").as_deref() == Ok("saves") {
        saves(&db, &scratch);
        let _ = std::fs::remove_dir_all(&scratch);
        return;
    }
    // Each child's peak is its own, however large this process is (`child`).
    commands(&db, &scratch);
    if std::env::var("FIGURES").as_deref() == Ok("commands") {
        let _ = std::fs::remove_dir_all(&scratch);
        return;
    }
    import(&scratch);
    stats_visits(&db);
    saves(&db, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
}
