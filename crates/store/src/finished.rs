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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;
    use crate::import::ImportRecord;
    use crate::testing::{intake, stamp};
    use crate::{Command, Done, Store};

    fn register(name: &str) -> Command {
        Command::Register { intake: intake(name, ""), queue: None }
    }

    /// A store with one case, and an import of three begun and written.
    fn begun(store: &Store) -> crate::staged::StagedImport<'_> {
        assert!(matches!(store.execute(&stamp(1), register("老李")), Ok(Done::Registered(_))));
        let mut staged = store.import_begin(&[2026]).expect("begin");
        let part: Vec<_> = (0..3u64)
            .map(|i| {
                let p = store.plan_case(vec![(stamp(2), register(&format!("群众{i}")))]).expect("plan");
                (staged.number(2026, i).expect("number"), p)
            })
            .collect();
        assert_eq!(part[0].0, CaseNo { year: 2026, seq: 2 });
        staged.write(&part, &[]).expect("chunk");
        staged
    }

    /// The finish lists the import, and the seal carries it through a
    /// clean close (where a damaged view's mark is told apart from it).
    #[test]
    fn the_seal_lists_a_finished_import_with_the_numbers_it_gave() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let staged = begun(&store);
        let record = ImportRecord {
            kind: "cases".into(),
            file: "t.csv".into(),
            at: stamp(5).at,
            operator: "试".into(),
            cases: 3,
            people: 0,
        };
        staged.finish(&[1; 32], &record).expect("finish");
        let want = vec![Finished { after: 4, ranges: BTreeMap::from([(2026, (2, 5))]) }];
        assert_eq!(store.finished_imports().expect("list"), want);
        store.close().expect("close");
        let crate::seal::Found::Seal(seal) = crate::seal::Seal::read(dir.path()) else { panic!("no seal") };
        assert_eq!(seal.imports, want);
        assert!(matching(&seal.imports, &BTreeMap::from([(2026, 2)])).is_some());
        assert!(matching(&seal.imports, &BTreeMap::from([(2026, 3)])).is_none());
    }

    /// "Closed cleanly, so the mark is stale" cannot be assumed: a store
    /// dropped mid-import is then closed cleanly, its mark still there.
    /// `recover` leaves the import out, and says so.
    #[test]
    fn an_import_dropped_before_a_clean_close_is_left_out_by_recover() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("db");
        let store = Store::open(&db).expect("open");
        drop(begun(&store));
        assert_eq!(store.all_cases().expect("cases").len(), 4, "the chunk is there");
        store.close().expect("close");
        let report = crate::recover::recover(&db, Some(&dir.path().join("out"))).expect("recover");
        assert_eq!((report.recovered, report.lost.clone()), (1, vec![]));
        assert_eq!(report.unfinished, Some(BTreeMap::from([(2026, 2)])));
        let text = report.text(crate::i18n::Lang::En);
        assert!(text.contains("An import that did not finish was left out") && text.contains("2026-0002"), "{text}");
    }
}
