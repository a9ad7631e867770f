//! A pass over a whole tree whose memory does not grow with the tree.
//!
//! sled's `Iter` reads each leaf once and keeps it: a page read from disk
//! stays in sled's cache until its LRU gives it up, and the LRU only looks
//! at a page's accesses once 64 of them have queued up in that page's
//! shard (sled-0.34.7/src/lru.rs: 256 shards, `MAX_QUEUE_ITEMS` 64). One
//! pass over 100,000 cases touches fewer pages than 256 × 64, so none was
//! ever given up, whatever `cache_capacity` said: the pass held every case
//! it had read (issue 16: 44 MiB more after reading the bench's 100k
//! cases, with the cache at 8 MiB or at 4 KiB alike). A walk looks each
//! record up anew from the root (`get_gt`), so every record counts as an
//! access of the pages on its path; the shards' queues fill and the cache
//! keeps to its capacity (the same pass: +7–10 MiB with a 1 MiB cache, for
//! the same CPU, 0.3–0.4 s).

use sled::{IVec, Tree};

/// Every record of `tree` (under `prefix`, if not empty), in key order.
pub(crate) fn walk<'a>(tree: &'a Tree) -> Walk<'a> {
    walk_prefix(tree, &[])
}

/// Every record of `tree` whose key starts with `prefix`, in key order.
pub(crate) fn walk_prefix<'a>(tree: &'a Tree, prefix: &'a [u8]) -> Walk<'a> {
    Walk { tree, prefix, last: None, done: false }
}

pub(crate) struct Walk<'a> {
    tree: &'a Tree,
    prefix: &'a [u8],
    /// The key given last: the next record is the first above it.
    last: Option<IVec>,
    done: bool,
}

impl Iterator for Walk<'_> {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let found = match &self.last {
            Some(k) => self.tree.get_gt(k),
            None => self.tree.range::<&[u8], _>(self.prefix..).next().transpose(),
        };
        match found {
            Ok(Some((k, v))) if k.starts_with(self.prefix) => {
                self.last = Some(k.clone());
                Some(Ok((k, v)))
            }
            Ok(_) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_gives_what_an_iter_gives() {
        let dir = tempfile::tempdir().expect("dir");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let tree = db.open_tree("t").expect("tree");
        assert_eq!(walk(&tree).count(), 0);
        for i in 0u32..3000 {
            let p: &[u8] = if i % 3 == 0 { b"a" } else { b"b" };
            tree.insert([p, &i.to_be_bytes()[..]].concat(), &i.to_le_bytes()[..]).expect("insert");
        }
        let all: Vec<_> = tree.iter().map(|kv| kv.expect("kv")).collect();
        assert_eq!(walk(&tree).map(|kv| kv.expect("kv")).collect::<Vec<_>>(), all);
        let a: Vec<_> = tree.scan_prefix(b"a").map(|kv| kv.expect("kv")).collect();
        assert_eq!(a.len(), 1000);
        assert_eq!(walk_prefix(&tree, b"a").map(|kv| kv.expect("kv")).collect::<Vec<_>>(), a);
        assert_eq!(walk_prefix(&tree, b"c").count(), 0);
        assert_eq!(walk_prefix(&tree, b"b").count(), 2000);
    }
}
