//! The floor a durable save is held against, and what a save costs in
//! counts that a loaded machine does not change (issue 16, "durable save vs
//! raw append + fdatasync"). Shared by benches/save.rs and benches/figures.rs.
//!
//! A save (`execute_once`) writes, as strace shows: sled's transaction in
//! two log buffers (sled 0.34 rolls its buffer to write a transaction's
//! 24-byte batch manifest on its own: `PageCache::pin_log`), each a pwrite
//! at the end of the data file (vendor/sled no longer syncs each with
//! `sync_file_range`); then our one fdatasync; then the seal, 4 KiB written
//! in place in another file, not synced. The data file grows by what was
//! written. `Twin` makes the same calls with the same sizes on plain files,
//! so the save's ratio to it is what sled and the store add over the disk.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// This process's write calls and bytes so far (/proc/self/io: every
/// thread, every file), and its CPU time (user + system, every thread).
#[derive(Clone, Copy, Default)]
pub struct Counts {
    pub write_calls: u64,
    pub write_bytes: u64,
    pub cpu: Duration,
    /// Of `cpu`, the time in the kernel (the syscalls a twin makes too).
    pub system: Duration,
    /// Times a thread of ours gave up the CPU to wait (a sync, or sled's
    /// flush waiting for its writer thread): each a wake-up that waits for
    /// a free core on a loaded machine.
    pub waits: u64,
}

pub fn counts() -> Counts {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    let field =
        |name: &str| io.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    // SAFETY: getrusage fills the zeroed struct we own.
    let (user, system, waits) = unsafe {
        let mut r: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut r);
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        (tv(r.ru_utime), tv(r.ru_stime), r.ru_nvcsw as u64)
    };
    Counts { write_calls: field("syscw:"), write_bytes: field("wchar:"), cpu: user + system, system, waits }
}

/// Per-save totals, printed as means.
#[derive(Default)]
pub struct Tally {
    pub saves: u64,
    pub write_calls: u64,
    pub write_bytes: u64,
    pub data_bytes: u64,
    pub grew: u64,
    pub cpu: Duration,
    pub system: Duration,
    pub waits: u64,
}

impl Tally {
    pub fn add(&mut self, before: Counts, after: Counts, data_grown: u64) {
        self.saves += 1;
        self.write_calls += after.write_calls - before.write_calls;
        self.write_bytes += after.write_bytes - before.write_bytes;
        self.data_bytes += data_grown;
        self.grew += u64::from(data_grown > 0);
        self.cpu += after.cpu - before.cpu;
        self.system += after.system - before.system;
        self.waits += after.waits - before.waits;
    }

    pub fn print(&self, name: &str) {
        let n = self.saves.max(1);
        println!(
            "{name}: per save {:.1} write calls, {} bytes written (data file +{} bytes; it grew in {} of {} saves), CPU {:.3} ms ({:.3} ms of it in the kernel), {:.1} waits",
            self.write_calls as f64 / n as f64,
            self.write_bytes / n,
            self.data_bytes / n,
            self.grew,
            self.saves,
            self.cpu.as_secs_f64() * 1000.0 / n as f64,
            self.system.as_secs_f64() * 1000.0 / n as f64,
            self.waits as f64 / n as f64
        );
    }
}

/// The raw floor: 4 KiB appended, fdatasync.
pub struct Floor {
    file: File,
    block: Vec<u8>,
}

impl Floor {
    pub fn new(dir: &Path) -> Floor {
        Floor { file: File::create(dir.join("raw")).expect("raw"), block: vec![7u8; 4096] }
    }

    pub fn once(&mut self) -> Duration {
        let t = Instant::now();
        self.file.write_all(&self.block).expect("write");
        self.file.sync_data().expect("fdatasync");
        t.elapsed()
    }
}

/// The save's twin on plain files: the data file's growth appended as the
/// save's two sled writes (the 24-byte manifest, then the rest), one
/// fdatasync, then 4 KiB in place in a second file without a sync (the
/// seal).
pub struct Twin {
    data: File,
    len: u64,
    seal: File,
    page: Vec<u8>,
    flip: bool,
}

/// sled's batch manifest: its own buffer, written first.
const MANIFEST: u64 = 24;

impl Twin {
    pub fn new(dir: &Path) -> Twin {
        let seal = File::create(dir.join("twin-seal")).expect("seal");
        seal.write_all_at(&[0u8; 8192], 0).expect("seal");
        Twin { data: File::create(dir.join("twin")).expect("twin"), len: 0, seal, page: vec![9u8; 4096], flip: false }
    }

    /// As a save that grew the data file by `grown` bytes.
    pub fn once(&mut self, grown: u64) -> Duration {
        let t = Instant::now();
        let parts = if grown > MANIFEST { [MANIFEST, grown - MANIFEST] } else { [grown, 0] };
        for part in parts.into_iter().filter(|&p| p > 0) {
            self.data.write_all_at(&vec![5u8; part as usize], self.len).expect("pwrite");
            self.len += part;
        }
        self.data.sync_data().expect("fdatasync");
        self.flip = !self.flip;
        self.seal.write_all_at(&self.page, if self.flip { 4096 } else { 0 }).expect("seal");
        t.elapsed()
    }
}

/// The median of each round's ratio, `a[i] / b[i]`: the disk shared with
/// other writers changes speed within a run, and each p50 alone then mixes
/// the two.
pub fn median_ratio(a: &[Duration], b: &[Duration]) -> f64 {
    let mut r: Vec<f64> = a.iter().zip(b).map(|(x, y)| x.as_secs_f64() / y.as_secs_f64()).collect();
    r.sort_by(f64::total_cmp);
    r.get(r.len() / 2).copied().unwrap_or(0.0)
}
