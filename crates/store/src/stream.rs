//! The json export written as it is read (issue #16, streaming): the same
//! document `Export` serializes to, its cases and residents taken from the
//! trees one at a time, so memory stays that of one case however large the
//! database.

use std::cell::RefCell;
use std::io::Write;
use std::marker::PhantomData;

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::channel_io::Prefixed;
use super::diary::{BOX_PREFIX, DIARY_PREFIX};
use super::walk::walk;
use super::{EXPORT_FORMAT, Record, Result, Store, StoreError, decode};
use crate::domain::*;

/// `Export`'s fields in its order and with its names, the lists streamed.
#[derive(Serialize)]
#[serde(bound = "K: Fn(&Case) -> bool")]
struct Document<'a, K> {
    format: u32,
    rules: DeadlineRules,
    cases: Cases<'a, K>,
    residents: Each<'a, Resident>,
    cadres: Each<'a, Cadre>,
    villages: Each<'a, Village>,
    roster: Vec<Duty>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    directory: Vec<DirEvent>,
    #[serde(skip_serializing_if = "Prefixed::is_empty")]
    diary: Prefixed<'a, crate::domain::diary::DiaryEntry>,
    #[serde(skip_serializing_if = "Prefixed::is_empty")]
    box_openings: Prefixed<'a, crate::domain::opinion_box::BoxOpening>,
}

/// Every case `keep` keeps, with its events, as `ExportedCase`.
struct Cases<'a, K> {
    store: &'a Store,
    keep: K,
    /// A store error met while writing, to return as itself.
    failed: &'a RefCell<Option<StoreError>>,
}

enum Stop<E> {
    Store(StoreError),
    Ser(E),
}

impl<E> From<StoreError> for Stop<E> {
    fn from(e: StoreError) -> Self {
        Stop::Store(e)
    }
}

impl<K: Fn(&Case) -> bool> Serialize for Cases<'_, K> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let walked = self.store.each_case_with_events(|case, events| {
            if (self.keep)(&case) {
                seq.serialize_element(&super::ExportedCase { case, events }).map_err(Stop::Ser)?;
            }
            Ok::<(), Stop<S::Error>>(())
        });
        match walked {
            Ok(()) => seq.end(),
            Err(Stop::Ser(e)) => Err(e),
            Err(Stop::Store(e)) => {
                let text = e.to_string();
                *self.failed.borrow_mut() = Some(e);
                Err(S::Error::custom(text))
            }
        }
    }
}

/// Every record of a tree, decoded one at a time.
struct Each<'a, T> {
    tree: &'a sled::Tree,
    failed: &'a RefCell<Option<StoreError>>,
    _t: PhantomData<T>,
}

impl<T: Record> Serialize for Each<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for kv in walk(self.tree) {
            let record = kv.map_err(StoreError::from).and_then(|(_, v)| Ok(decode::<T>(&v)?));
            match record {
                Ok(r) => seq.serialize_element(&r)?,
                Err(e) => {
                    let text = e.to_string();
                    *self.failed.borrow_mut() = Some(e);
                    return Err(S::Error::custom(text));
                }
            }
        }
        seq.end()
    }
}

/// What writing the export met: the store's error, or the writer's.
#[derive(Debug)]
pub enum ExportError {
    Store(StoreError),
    Write(std::io::Error),
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError::Store(e)
    }
}

impl Store {
    /// Every case, one at a time, in number order.
    pub fn each_case<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Case) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        for kv in walk(&self.cases) {
            let (_, v) = kv.map_err(StoreError::from)?;
            f(decode(&v).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// `jiedai export --format json` into `w`, pretty-printed as
    /// `serde_json::to_vec_pretty(&self.export())` would print it (with
    /// the cases `keep` keeps), and a newline.
    pub fn write_export(&self, w: impl Write, keep: impl Fn(&Case) -> bool) -> Result<(), ExportError> {
        self.write_export_dated(w, keep, |_| true)
    }

    /// `write_export`, with the diary's entries and the box's openings
    /// whose day `day` keeps (all of them in the whole export).
    pub fn write_export_dated(
        &self,
        w: impl Write,
        keep: impl Fn(&Case) -> bool,
        day: impl Fn(chrono::NaiveDate) -> bool,
    ) -> Result<(), ExportError> {
        let failed = RefCell::new(None);
        let entry_day = |e: &crate::domain::diary::DiaryEntry| day(e.day);
        let opening_day = |o: &crate::domain::opinion_box::BoxOpening| day(o.date);
        let doc = Document {
            format: EXPORT_FORMAT,
            rules: self.rules(),
            cases: Cases { store: self, keep, failed: &failed },
            residents: Each { tree: &self.residents, failed: &failed, _t: PhantomData },
            cadres: Each { tree: &self.cadres, failed: &failed, _t: PhantomData },
            villages: Each { tree: &self.villages, failed: &failed, _t: PhantomData },
            roster: self.roster().map_err(ExportError::Store)?,
            directory: self.directory_log().map_err(ExportError::Store)?,
            diary: Prefixed {
                tree: &self.meta,
                prefix: DIARY_PREFIX,
                keep: &entry_day,
                failed: &failed,
                _t: PhantomData,
            },
            box_openings: Prefixed {
                tree: &self.meta,
                prefix: BOX_PREFIX,
                keep: &opening_day,
                failed: &failed,
                _t: PhantomData,
            },
        };
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        let written = serde_json::to_writer_pretty(&mut w, &doc);
        drop(doc);
        if let Some(e) = failed.borrow_mut().take() {
            return Err(ExportError::Store(e));
        }
        written.map_err(|e| ExportError::Write(e.into()))?;
        w.write_all(b"\n").and_then(|_| w.flush()).map_err(ExportError::Write)
    }
}
