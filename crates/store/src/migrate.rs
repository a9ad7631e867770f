//! A database written by an older jiedai brought up to this one's layout,
//! once, as it opens (after its files passed the seal, before the desk
//! reads it). Each step can run again after a crash: the format is stamped
//! only once every step is done.

use std::sync::atomic::Ordering;

use super::layout::*;
use super::{Counter, Result, Store, encode};

impl Store {
    pub(super) fn migrate(&self, from: u64) -> Result<()> {
        if from < 2 {
            // Version 1 kept a whole copy of the case in every index entry:
            // cut each to its key (issue 16).
            for tree in [&self.open_idx, &self.follow_idx, &self.inspect_idx] {
                let mut batch = sled::Batch::default();
                for kv in tree.iter() {
                    let (k, v) = kv?;
                    if !v.is_empty() {
                        batch.insert(k, INDEX_VALUE);
                    }
                }
                tree.apply_batch(batch)?;
            }
        }
        self.meta.insert(SCHEMA_KEY, encode(&Counter(SCHEMA_VERSION)))?;
        self.flush_durable()?;
        self.migrated_from.store(from, Ordering::SeqCst);
        Ok(())
    }

    /// The format this database was brought up from as it opened, if it was.
    pub fn migrated_from(&self) -> Option<u64> {
        Some(self.migrated_from.load(Ordering::SeqCst)).filter(|&v| v != 0)
    }

    /// The database's format, as stamped in it.
    pub fn format(&self) -> Result<u64> {
        Ok(match self.meta.get(SCHEMA_KEY)? {
            Some(b) => super::decode::<Counter>(&b)?.0,
            None => 0,
        })
    }
}
