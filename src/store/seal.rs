//! sled "recovers" a damaged log by silently dropping everything after the
//! damage, and rewrites files as it opens. So the store keeps its own
//! evidence beside the data:
//! - after every durable save, how many commits there are and how long the
//!   data file is (a shorter file, or fewer commits after opening, is damage);
//! - after a clean close, the data file's CRC, checked before sled opens it
//!   again, so damage found then leaves every file untouched.

use std::fs;
use std::io::Read;
use std::path::Path;

const FILE: &str = "jiedai.seal";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seal {
    pub commits: u64,
    pub len: u64,
    /// The data file's CRC-32, present only after a clean close.
    pub crc: Option<u32>,
}

impl Seal {
    pub fn read(dir: &Path) -> Option<Seal> {
        let text = fs::read_to_string(dir.join(FILE)).ok()?;
        let mut seal = Seal::default();
        for line in text.lines() {
            let (k, v) = line.split_once('=')?;
            match k {
                "commits" => seal.commits = v.trim().parse().ok()?,
                "len" => seal.len = v.trim().parse().ok()?,
                "crc" => seal.crc = Some(v.trim().parse().ok()?),
                _ => {}
            }
        }
        Some(seal)
    }

    /// Written after the data is durable; atomically (rename), so a crash
    /// leaves the old seal or the new, never half of one. A lost update
    /// leaves the seal behind the data, which is the safe direction.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let tmp = dir.join(format!("{FILE}.tmp"));
        let mut text = format!("commits={}\nlen={}\n", self.commits, self.len);
        if let Some(crc) = self.crc {
            text.push_str(&format!("crc={crc}\n"));
        }
        fs::write(&tmp, text)?;
        if self.crc.is_some() {
            fs::File::open(&tmp)?.sync_all()?;
        }
        fs::rename(tmp, dir.join(FILE))
    }
}

pub fn crc_of(path: &Path) -> std::io::Result<u32> {
    let mut file = fs::File::open(path)?;
    let mut hasher = crc32fast::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.finalize());
        }
        hasher.update(&buf[..n]);
    }
}
