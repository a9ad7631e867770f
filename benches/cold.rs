//! Cold start (issue 16, item 4): from nothing to the desk's first frame
//! on a database of 100,000 cases: the store opened (its files checked
//! against the seal, sled started), the first tab's snapshot loaded and an
//! 80x24 frame drawn; then the clean close, timed apart. With the files in
//! the page cache, and out of it (`echo 3 > /proc/sys/vm/drop_caches`
//! before each open: needs root; said when it cannot). The database is
//! built once (bulk, then one desk session opened and closed) and kept
//! under target/bench-cold-100k; delete it to build it anew.
//! `cargo bench --bench cold`; COLD_RUNS=n (default 7); COLD_CASES=n (default
//! 100000; kept under target/bench-cold-<n/1000>k); COLD_ONE=1 for one
//! start alone (to trace). Each phase's bytes read are printed: rchar
//! (every read call, whatever the cache) and read_bytes (from the disk). COLD_BEFORE=1
//! measures the check as it was before issue 16: after each close the seal
//! is rewritten to hold one CRC of the whole data file (the old clean-close
//! seal, which this jiedai still reads and checks whole).

mod bulk;

/// The binary's allocator (src/main.rs), so the open costs what the
/// desk's does: glibc's malloc maps and unmaps each of sled's 100+ KiB
/// zstd contexts anew.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use bulk::{intake, today};
use std::path::Path;
use std::time::{Duration, Instant};

use jiedai::app::{AppState, Effect, Look};
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::store::{Command, Stamp, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn build(dir: &Path, n: usize) {
    let _ = std::fs::remove_dir_all(dir);
    let store = Store::open(dir).expect("open");
    jiedai::demo::load(&store, today()).expect("demo");
    let items = (0..n).flat_map(|i| {
        let day = today() - chrono::Duration::days((i % 300) as i64);
        let stamp = |d: i64| Stamp { at: china_at(day + chrono::Duration::days(d), 9, 0), operator: "bench".into() };
        let no = CaseNo { year: 2026, seq: 14 + i as u32 };
        let mut out = vec![(stamp(0), Command::Register { intake: intake(i), queue: None })];
        if !i.is_multiple_of(20) {
            out.push((stamp(1), Command::Accept { case: no }));
            out.push((
                stamp(2),
                Command::Conclude { case: no, outcome: Outcome::Implemented, reason: "已落实".into() },
            ));
        }
        out
    });
    let (_, result) = store.execute_batch(items);
    result.expect("bulk load");
    store.close().expect("close");
    // A desk session: opened, closed.
    Store::open(dir).expect("open").close().expect("close");
    std::fs::write(dir.join("ready"), b"").expect("mark");
}

fn drop_caches() -> bool {
    // SAFETY: sync() has no preconditions.
    unsafe { libc::sync() };
    std::fs::write("/proc/sys/vm/drop_caches", b"3\n").is_ok()
}

/// This process's (characters read by read calls, bytes fetched from
/// storage) so far: rchar does not depend on the page cache or the load.
fn io_read() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    let field =
        |name: &str| text.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    (field("rchar:"), field("read_bytes:"))
}

/// Bytes read in each phase of a start: (open, first tab's load, frame),
/// each as (rchar, read_bytes).
type Phases = [(u64, u64); 3];

/// CPU time (user + system, every thread) this process has used so far:
/// on a machine other builds share, steadier than the wall clock.
fn cpu() -> Duration {
    // SAFETY: an all-zero rusage is valid; getrusage fills our own.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a pointer to our rusage.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let t = |v: libc::timeval| Duration::new(v.tv_sec as u64, v.tv_usec as u32 * 1000);
    t(ru.ru_utime) + t(ru.ru_stime)
}

/// One start's figures.
struct Start {
    /// Wall clock to the first frame.
    first: Duration,
    /// CPU to the first frame.
    cpu: Duration,
    /// The clean close, wall clock.
    close: Duration,
    bytes: Phases,
}

/// One start: open, load, draw; then the close.
fn start(dir: &Path) -> Start {
    let mut marks = vec![io_read()];
    let cpu0 = cpu();
    let t = Instant::now();
    let store = std::sync::Arc::new(Store::open(dir).expect("open"));
    marks.push(io_read());
    // The desk goes through the port, as the real one does.
    let desk = jiedai::store::Embedded::shared(store.clone(), jiedai::store::Identity::Named("bench".into()));
    let look = Look { lang: Lang::Zh, ascii: false, color: true };
    let mut state = AppState::new(look, "bench", china_at(today(), 10, 0), (80, 24));
    for a in jiedai::effects::run(&desk, &state, &Effect::Load) {
        jiedai::effects::dispatch(&desk, &mut state, a);
    }
    marks.push(io_read());
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
    let first = t.elapsed();
    let cpu_first = cpu() - cpu0;
    marks.push(io_read());
    let phases = [0, 1, 2].map(|i| (marks[i + 1].0 - marks[i].0, marks[i + 1].1 - marks[i].1));
    let t = Instant::now();
    drop(desk);
    let Ok(store) = std::sync::Arc::try_unwrap(store) else { panic!("the store is still shared") };
    store.close().expect("close");
    let close = t.elapsed();
    if std::env::var_os("COLD_BEFORE").is_some() {
        whole_file_seal(dir);
    }
    Start { first, cpu: cpu_first, close, bytes: phases }
}

/// The seal of a closed database made as before issue 16: the chunk lines
/// replaced by one CRC of the whole data file, its checksum made anew.
fn whole_file_seal(dir: &Path) {
    let path = dir.join("jiedai.seal");
    let bytes = std::fs::read(&path).expect("seal");
    let half = bytes.len() / 2;
    let gen_of = |part: &[u8]| {
        String::from_utf8_lossy(part)
            .lines()
            .find_map(|l| l.strip_prefix("gen=").and_then(|g| g.parse::<u64>().ok()))
            .unwrap_or(0)
    };
    let at = if gen_of(&bytes[..half]) >= gen_of(&bytes[half..]) { 0 } else { half };
    let text = String::from_utf8_lossy(&bytes[at..at + half]).trim_end_matches('\0').to_string();
    let crc = crc32fast::hash(&std::fs::read(dir.join("db")).expect("db"));
    let mut body: String = text
        .lines()
        .take_while(|l| !l.starts_with("sum=") && !l.starts_with("gen="))
        .filter(|l| !["chunks=", "recent=", "cursor="].iter().any(|p| l.starts_with(p)))
        .map(|l| format!("{l}\n"))
        .collect();
    body.push_str(&format!("crc={crc}\ngen={}\n", gen_of(&bytes[at..]) + 1));
    let mut out = format!("{body}sum={}\n", crc32fast::hash(body.as_bytes())).into_bytes();
    out.resize(half, 0);
    std::fs::write(&path, [out.clone(), out].concat()).expect("write");
}

fn report(name: &str, mut t: Vec<Duration>) {
    t.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<44} n={} min {:>8.1} ms  median {:>8.1} ms  max {:>8.1} ms",
        t.len(),
        ms(t[0]),
        ms(t[t.len() / 2]),
        ms(t[t.len() - 1])
    );
}

/// Medians of each phase's bytes over the runs.
fn report_bytes(name: &str, runs: &[Phases]) {
    let median = |f: &dyn Fn(&Phases) -> u64| {
        let mut v: Vec<u64> = runs.iter().map(f).collect();
        v.sort();
        v.get(v.len() / 2).copied().unwrap_or(0)
    };
    let kib = |b: u64| b as f64 / 1024.0;
    let names = ["open (seal check, sled)", "first tab's load", "first frame"];
    for (i, phase) in names.iter().enumerate() {
        println!(
            "  {name}: {phase:<24} rchar {:>9.1} KiB  read_bytes {:>9.1} KiB",
            kib(median(&|p: &Phases| p[i].0)),
            kib(median(&|p: &Phases| p[i].1))
        );
    }
}

fn main() {
    let runs: usize = std::env::var("COLD_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let cases: usize = std::env::var("COLD_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-cold-{}k", cases / 1000));
    // A database built before compression became the default is built anew.
    // sled's conf is text and then its binary CRC: read as bytes (as text it
    // never read, and every run built the database again).
    let compressed = std::fs::read(dir.join("conf"))
        .is_ok_and(|c| c.windows(b"use_compression: true".len()).any(|w| w == b"use_compression: true"));
    if !dir.join("ready").exists() || !compressed {
        let t = Instant::now();
        build(&dir, cases);
        println!("built in {:.1} s", t.elapsed().as_secs_f64());
    }
    let data = std::fs::metadata(dir.join("db")).map(|m| m.len()).unwrap_or(0);
    println!("database: {cases} cases, data file {:.1} MiB", data as f64 / 1048576.0);
    if std::env::var_os("COLD_ONE").is_some() {
        // One start alone, out of the cache when it can be, to be traced:
        // `strace -f -y -e trace=openat,read,pread64`.
        drop_caches();
        let s = start(&dir);
        report("one start", vec![s.first]);
        report("one start, CPU", vec![s.cpu]);
        report_bytes("one start", &[s.bytes]);
        return;
    }
    let (mut warm, mut warm_cpu, mut closes, mut warm_bytes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    start(&dir);
    for _ in 0..runs {
        let s = start(&dir);
        warm.push(s.first);
        warm_cpu.push(s.cpu);
        closes.push(s.close);
        warm_bytes.push(s.bytes);
    }
    report("first frame, files in the page cache", warm);
    report("  its CPU (user + system, all threads)", warm_cpu);
    report_bytes("in cache", &warm_bytes);
    report("clean close", closes);
    let (mut cold, mut cold_cpu, mut cold_bytes) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        if !drop_caches() {
            println!("first frame, out of the cache: not measured (cannot drop the page cache: not root)");
            return;
        }
        let s = start(&dir);
        cold.push(s.first);
        cold_cpu.push(s.cpu);
        cold_bytes.push(s.bytes);
    }
    report("first frame, files out of the page cache", cold);
    report("  its CPU (user + system, all threads)", cold_cpu);
    report_bytes("out of cache", &cold_bytes);
}
