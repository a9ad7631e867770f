//! A private copy of a database's files, for sled to open in place of the
//! original: sled writes as it opens (a new snapshot, the log's tail zeroed,
//! blob files deleted), so reading commands, and the desk after a crash,
//! let it do that to a copy first. Residents' data: the copy is the owner's
//! alone and removed when dropped; copies left by a killed process are
//! removed by the next run.

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::StoreError;
use super::seal::open_nofollow;
use super::verify::{io_error, io_words};
use crate::i18n::Msg;

const PREFIX: &str = "jiedai-copy-";

pub struct TempCopy {
    path: PathBuf,
}

impl TempCopy {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An empty private directory under the system's temporary directory.
    pub fn empty() -> Result<TempCopy, StoreError> {
        remove_stale();
        let base = std::env::temp_dir();
        for n in 0..100u32 {
            let path =
                base.join(format!("{PREFIX}{}-{}-{n}", std::process::id(), chrono::Utc::now().timestamp_micros()));
            match fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Ok(TempCopy { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(copy_error(&e, &base)),
            }
        }
        Err(StoreError::Place(Msg::PlaceIo, base.display().to_string()))
    }

    /// Copy sled's files (`names`, relative to `from`) into a new private
    /// directory. Unfinished snapshots stay behind: sled would pick one up
    /// and fail (sled#1527).
    pub fn of(from: &Path, names: &[String]) -> Result<TempCopy, StoreError> {
        let copy = TempCopy::empty()?;
        for name in names.iter().filter(|n| !n.ends_with(".generating")) {
            let to = copy.path.join(name);
            if let Some(parent) = to.parent()
                && parent != copy.path
            {
                fs::DirBuilder::new().mode(0o700).recursive(true).create(parent).map_err(|e| copy_error(&e, parent))?;
            }
            copy_file(&from.join(name), &to)?;
        }
        if !copy.path.join("blobs").exists() {
            fs::DirBuilder::new()
                .mode(0o700)
                .create(copy.path.join("blobs"))
                .map_err(|e| copy_error(&e, &copy.path))?;
        }
        Ok(copy)
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

fn copy_error(e: &std::io::Error, at: &Path) -> StoreError {
    if e.raw_os_error() == Some(libc::ENOSPC) {
        StoreError::Place(Msg::PlaceCopyFull, at.display().to_string())
    } else {
        StoreError::Place(Msg::PlaceIo, format!("{} ({})", at.display(), io_words(e)))
    }
}

/// A clone of the file's blocks where the filesystem shares them (btrfs,
/// xfs: instant), else a plain copy; never through a symlink.
fn copy_file(from: &Path, to: &Path) -> Result<(), StoreError> {
    let mut src = open_nofollow(from).map_err(|e| io_error(e, from))?;
    let mut dst = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(to)
        .map_err(|e| copy_error(&e, to))?;
    use std::os::fd::AsRawFd;
    // SAFETY: FICLONE on two descriptors we hold open; failure changes nothing.
    let cloned = unsafe { libc::ioctl(dst.as_raw_fd(), libc::FICLONE, src.as_raw_fd()) } == 0;
    if !cloned {
        std::io::copy(&mut src, &mut dst).map_err(|e| copy_error(&e, to))?;
    }
    Ok(())
}

/// Copies whose process is gone (killed mid-read): removed, if they are ours.
fn remove_stale() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else { return };
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(PREFIX).and_then(|r| r.split('-').next()).and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(meta) = fs::symlink_metadata(e.path()) else { continue };
        // SAFETY: signal 0 only asks whether the process exists.
        let gone =
            unsafe { libc::kill(pid, 0) } != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone && meta.is_dir() && meta.uid() == uid {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// sled opened on `dir`, in a thread of its own: on some damage it panics,
/// and on some it never returns. Either way the caller gets an answer.
pub fn open_sled(dir: &Path, wait: Duration) -> Result<sled::Db, StoreError> {
    open_sled_cached(dir, wait, None)
}

/// sled's page cache for a pass over the whole database (the reading
/// commands, a recovered copy read through): bounded, so their memory does
/// not grow with the database (sled's default is 1 GiB). sled counts a
/// page by its size on disk, compressed (pagecache/mod.rs, `log_size`),
/// so a page in memory weighs three to five times what it counts: 8 MiB
/// held 30–40 MiB of decoded pages on the bench's 100k database, 1 MiB
/// holds under 10, for the same CPU (see walk.rs, which makes sled evict
/// at all during one pass).
pub const PASS_CACHE: u64 = 1 << 20;

/// As `open_sled`, with sled's page cache bounded to `cache` bytes.
pub fn open_sled_cached(dir: &Path, wait: Duration, cache: Option<u64>) -> Result<sled::Db, StoreError> {
    quiet_panics();
    // No flush every 500 ms from sled's own thread: the store flushes when it
    // saves (flush_durable), and a save never waits behind a timed one.
    let mut config = sled::Config::new().path(dir).mode(sled::Mode::HighThroughput).flush_every_ms(None);
    if let Some(bytes) = cache {
        config = config.cache_capacity(bytes);
    }
    let config = segments(compression(config, dir), dir);
    let (tx, rx) = std::sync::mpsc::channel();
    let (clock_tx, clock_rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("jiedai-sled-open".into()).spawn(move || {
        let _ = clock_tx.send(thread_clock());
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open()));
        let _ = tx.send(opened);
    });
    if spawned.is_err() {
        return Err(StoreError::Place(Msg::PlaceIo, dir.display().to_string()));
    }
    let clock = clock_rx.recv().ok().flatten();
    let mut watch = Stuck::new(wait);
    loop {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(Ok(Ok(db))) => return Ok(db),
            Ok(Ok(Err(e))) => return Err(sled_error(e)),
            Ok(Err(_)) => return Err(StoreError::Damaged(Msg::DamageSledPanic, String::new())),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(StoreError::Damaged(Msg::DamageSledPanic, String::new()));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if watch.tick(Duration::from_secs(1), clock.and_then(cpu_time)) {
                    return Err(StoreError::Damaged(Msg::DamageSledStuck, String::new()));
                }
            }
        }
    }
}

/// When sled's open is stuck, judged by the CPU its thread used, not the
/// wall clock: on a machine busy with other work a sound 100k database
/// took over 120 s of wall clock (7 s of CPU) to open and was called
/// damaged (attack16). Stuck: `wait` of CPU spent (sled looping on some
/// damage), or `wait` of wall clock in which it used almost none (blocked
/// for good), and never more than ten times `wait` of wall clock. Without
/// a thread clock, the wall clock alone, as before.
struct Stuck {
    wait: Duration,
    wall: Duration,
    /// The CPU time when the current quiet stretch began, and its wall time.
    quiet_from: Option<(Duration, Duration)>,
}

impl Stuck {
    fn new(wait: Duration) -> Stuck {
        Stuck { wait, wall: Duration::ZERO, quiet_from: None }
    }

    /// `step` more of wall clock has passed and the thread has used `cpu`:
    /// true once it is stuck.
    fn tick(&mut self, step: Duration, cpu: Option<Duration>) -> bool {
        self.wall += step;
        let Some(cpu) = cpu else { return self.wall >= self.wait };
        // Ten times the wall clock at most, however busy the machine.
        if cpu >= self.wait || self.wall >= self.wait * 10 {
            return true;
        }
        let (cpu0, wall0) = *self.quiet_from.get_or_insert((cpu, self.wall));
        // A second of CPU in the stretch is progress: a new stretch begins.
        if cpu.saturating_sub(cpu0) >= Duration::from_secs(1) {
            self.quiet_from = Some((cpu, self.wall));
            return false;
        }
        self.wall - wall0 >= self.wait
    }
}

/// The calling thread's CPU clock, for another thread to read.
fn thread_clock() -> Option<libc::clockid_t> {
    let mut clock: libc::clockid_t = 0;
    // SAFETY: pthread_self is this thread; the clock id is written into our own variable.
    (unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) } == 0).then_some(clock)
}

/// CPU time on `clock` so far (None once its thread is gone).
fn cpu_time(clock: libc::clockid_t) -> Option<Duration> {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime fills the timespec we own.
    (unsafe { libc::clock_gettime(clock, &mut t) } == 0)
        .then(|| Duration::new(u64::try_from(t.tv_sec).unwrap_or(0), u32::try_from(t.tv_nsec).unwrap_or(0)))
}

/// sled fixes compression when it creates a database and refuses to open it
/// otherwise: an existing one is opened as its `conf` says, a new one
/// compressed (zstd, sled's own: issue 16 measured 2.4x SQLite's size
/// without, see benches/size.rs; `recover` reads the compressed pages,
/// store::frames).
fn compression(config: sled::Config, dir: &Path) -> sled::Config {
    // Text, then sled's binary CRC: read as bytes.
    let compressed = match std::fs::read(dir.join("conf")) {
        Ok(bytes) => memchr::memmem::find(&bytes, b"use_compression: true").is_some(),
        // No conf beside a data file (damage, under `recover`): its pages say.
        Err(_) => match std::fs::read(dir.join("db")) {
            Ok(data) if !data.is_empty() => super::frames::has_frames(&data),
            _ => true,
        },
    };
    if compressed { config.use_compression(true).compression_factor(1) } else { config }
}

/// The segment size a new database is made with. sled's log is a row of
/// segments; a segment at most half live is cleaned only in sled's own
/// flusher thread, which the store turns off, so freed space comes back a
/// whole segment at a time. 1 MiB segments left the least behind (issue 16,
/// `SIZE_CASES=10000 cargo bench --bench size`, bulk: 64 KiB 21.5 MiB,
/// 256 KiB 18.8, 512 KiB 16.6-17.1, 1 MiB 15.1-15.9, 2 MiB 18.1, 8 MiB 40.1).
pub const SEGMENT: usize = 1 << 20;

/// sled refuses to open a database with another segment size than its
/// `conf` holds: an existing database keeps its own (512 KiB before issue
/// 16), a new one (or one whose conf is lost) gets `SEGMENT`.
fn segments(config: sled::Config, dir: &Path) -> sled::Config {
    config.segment_size(conf_segment(dir).unwrap_or(SEGMENT))
}

/// The segment size `dir`'s `conf` records (text, then sled's binary CRC).
pub fn conf_segment(dir: &Path) -> Option<usize> {
    let bytes = std::fs::read(dir.join("conf")).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let size: usize = text.lines().find_map(|l| l.strip_prefix("segment_size: "))?.trim().parse().ok()?;
    // sled's own bounds: anything else is a garbled conf, and sled says so.
    (size.is_power_of_two() && (256..=1 << 24).contains(&size)).then_some(size)
}

/// Every tree of a recovered copy read to the end. sled checks each page
/// fragment's CRC as it loads it (recovery after a crash reads only the
/// log since the last snapshot), and never returns from a page whose blob
/// file is gone: a tree that stops giving records for a while is stuck.
pub fn read_everything(db: &sled::Db) -> Result<(), StoreError> {
    quiet_panics();
    const STUCK: Duration = Duration::from_secs(10);
    let names: Vec<String> = db.tree_names().iter().map(|n| String::from_utf8_lossy(n).into_owned()).collect();
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Option<bool>)>();
    for (i, name) in names.iter().enumerate() {
        let (db, tx, tree_name) = (db.clone(), tx.clone(), name.clone());
        let spawned = std::thread::Builder::new().name(format!("jiedai-sled-scan-{i}")).spawn(move || {
            let Ok(tree) = db.open_tree(tree_name.as_bytes()) else {
                let _ = tx.send((i, Some(false)));
                return;
            };
            for (n, kv) in super::walk::walk(&tree).enumerate() {
                if kv.is_err() {
                    let _ = tx.send((i, Some(false)));
                    return;
                }
                if n % 1000 == 999 && tx.send((i, None)).is_err() {
                    return;
                }
            }
            let _ = tx.send((i, Some(true)));
        });
        if spawned.is_err() {
            return Err(StoreError::Place(Msg::PlaceIo, name.clone()));
        }
    }
    drop(tx);
    let mut last = vec![std::time::Instant::now(); names.len()];
    let mut done = vec![false; names.len()];
    while !done.iter().all(|d| *d) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok((i, None)) => last[i] = std::time::Instant::now(),
            Ok((i, Some(true))) => done[i] = true,
            Ok((i, Some(false))) => return Err(StoreError::Damaged(Msg::DamageCorrupt, names[i].clone())),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if let Some(i) = (0..names.len()).find(|&i| !done[i] && last[i].elapsed() > STUCK) {
            return Err(StoreError::Damaged(Msg::DamageSledStuck, names[i].clone()));
        }
    }
    Ok(())
}

/// sled's panics on damage are caught and reported in the officer's
/// words; its own English message and backtrace are not printed. Other
/// panics still are.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let name = std::thread::current().name().map(str::to_string).unwrap_or_default();
            if !name.starts_with("jiedai-") {
                previous(info);
            }
        }));
    });
}

/// sled's errors at open, without its Debug text.
pub fn sled_error(e: sled::Error) -> StoreError {
    match e {
        sled::Error::Corruption { .. } => StoreError::Damaged(Msg::DamageCorrupt, String::new()),
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock => StoreError::Locked(super::lock::Holder {
            user: "?".into(),
            tty: "?".into(),
            pid: "?".into(),
            since: "?".into(),
        }),
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            StoreError::Damaged(Msg::DamageTruncated, String::new())
        }
        sled::Error::Unsupported(_) | sled::Error::ReportableBug(_) => {
            StoreError::Damaged(Msg::DamageCorrupt, String::new())
        }
        other => StoreError::Sled(other),
    }
}

/// Make the directory entries of files just created durable.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod stuck_tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    /// A slow open on a busy machine (a little CPU every few seconds) is
    /// never called stuck; one that loops (CPU up to the limit) or is
    /// blocked (no CPU for the limit) is.
    #[test]
    fn an_open_is_stuck_by_the_cpu_it_used_not_the_wall_clock() {
        let wait = Duration::from_secs(10);
        let mut slow = Stuck::new(wait);
        for i in 1..=30u64 {
            assert!(!slow.tick(S, Some(Duration::from_millis(300 * i))), "slow but moving, {i} s");
        }
        let mut looping = Stuck::new(wait);
        assert!((1..=10u64).any(|i| looping.tick(S, Some(S * i as u32))), "10 s of CPU");
        let mut blocked = Stuck::new(wait);
        let when = (1..=30).position(|_| blocked.tick(S, Some(Duration::from_millis(20))));
        assert!(when.is_some_and(|w| w >= 9), "no CPU for 10 s: {when:?}");
        let mut no_clock = Stuck::new(wait);
        assert_eq!((1..=20).position(|_| no_clock.tick(S, None)), Some(9));
    }

    /// The real clock: a thread's CPU time is read from another thread.
    #[test]
    fn a_threads_cpu_clock_is_read_from_another() {
        let clock = thread_clock().expect("clock");
        let t0 = cpu_time(clock).expect("cpu");
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_add(i ^ (x >> 3));
        }
        assert!(x != 1);
        assert!(cpu_time(clock).expect("cpu") > t0);
    }
}
