//! The staged imports that finished, kept in meta and copied into the seal
//! at every seal write (store::seal). Why the seal: when damage (a cut-off
//! data file) takes sled's view back to between an import's mark and its
//! finish, the mark is seen again and nothing in sled's view, nor maybe in
//! its raw bytes, says the import finished; `recover` would drop its cases
//! as those of an import cut short, and name none of them lost. The seal is
//! a file of its own, written after the finish was durable: the import it
//! lists, with the numbers it gave, is known to have counted.

use std::collections::BTreeMap;

use super::seal::Finished;
use super::{Record, Result, decode};

/// The list, in meta.
pub(super) const FINISHED_KEY: &[u8] = b"imports_finished";

/// How many finished imports are kept: the mark a damaged view shows is
/// the last import's (an import undoes any unfinished one before it
/// begins), and a few more cost nothing.
const KEEP: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct FinishedImports(Vec<Finished>);

impl Record for FinishedImports {
    const KIND: u8 = 23;
    const VERSION: u16 = 1;
}

/// The list as stored under `FINISHED_KEY` (none if absent or unreadable:
/// the seal then lists none, and `recover` behaves as before it).
pub(super) fn read(value: Option<&[u8]>) -> Vec<Finished> {
    value.and_then(|v| decode::<FinishedImports>(v).ok()).map(|f| f.0).unwrap_or_default()
}

/// The list with one more import, as its finish stores it.
pub(super) fn with(value: Option<&[u8]>, ranges: BTreeMap<u16, (u64, u64)>, after: u64) -> Vec<u8> {
    let mut list = read(value);
    list.push(Finished { after, ranges });
    let drop = list.len().saturating_sub(KEEP);
    list.drain(..drop);
    super::encode(&FinishedImports(list))
}

impl super::Store {
    /// The finished imports, for the seal.
    pub(super) fn finished_imports(&self) -> Result<Vec<Finished>> {
        Ok(read(self.meta.get(FINISHED_KEY)?.as_deref()))
    }
}

/// The finished import whose first numbers are `firsts` (a mark's), if the
/// seal lists one.
pub(super) fn matching<'a>(imports: &'a [Finished], firsts: &BTreeMap<u16, u64>) -> Option<&'a Finished> {
    imports.iter().rev().find(|f| {
        !firsts.is_empty()
            && f.ranges.len() == firsts.len()
            && f.ranges.iter().all(|(y, (first, _))| firsts.get(y) == Some(first))
    })
}
