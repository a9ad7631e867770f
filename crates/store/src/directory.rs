//! The directory's changes (名录): appended to its log and folded into its
//! view in one transaction, with the village and cadre records the desk's
//! lists read, the roster and the township's name kept in step with it.

use super::codec::Setting;
use super::layout::*;
use sled::Transactional;

use super::{Record, Result, Stamp, Store, abort, decode, encode, unwrap_tx};
use crate::domain::*;

impl Record for DirEvent {
    const KIND: u8 = 12;
    const VERSION: u16 = 1;
}
impl Record for Directory {
    const KIND: u8 = 13;
    // 2: with 包户 (households).
    const VERSION: u16 = 2;
    fn migrate(version: u16, body: &[u8]) -> std::result::Result<Self, super::codec::CodecError> {
        match version {
            1 => Ok(super::codec::decode_body::<directory::DirectoryV1>(body)?.into()),
            v => Err(super::codec::CodecError::UnknownVersion(v)),
        }
    }
}

/// The directory's log: one change a key, numbered from 0 (big-endian).
pub const DIRECTORY: &str = "directory";
/// Its fold, in `meta`.
pub const DIRECTORY_KEY: &[u8] = b"directory";

/// A change refused: which one of those given, and why.
#[derive(Debug)]
pub struct DirRefused {
    pub index: usize,
    pub error: RuleError,
}

impl Store {
    /// The directory as it stands. A database from before the directory
    /// kept a log is read from its village, cadre and roster records.
    pub fn directory(&self) -> Result<Directory> {
        if let Some(b) = self.meta.get(DIRECTORY_KEY)? {
            return Ok(decode(&b)?);
        }
        let mut d = Directory {
            township: self.setting("township")?.unwrap_or_default(),
            roster: self.roster()?,
            ..Directory::default()
        };
        for v in self.villages()? {
            d.villages.push(directory::VillageEntry {
                name: v.name,
                groups: v.groups,
                former: Vec::new(),
                retired: false,
            });
        }
        for c in self.cadres()? {
            let cadre = DirCadre { name: c.name, post: c.post, phone: c.phone, login: String::new(), covers: c.covers };
            d.cadres.push(directory::CadreEntry { cadre, former: Vec::new(), retired: false });
        }
        Ok(d)
    }

    /// Every change ever made to the directory, oldest first.
    pub fn directory_log(&self) -> Result<Vec<DirEvent>> {
        self.db.open_tree(DIRECTORY)?.iter().map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    /// Check changes in order against the directory as it stands, each
    /// after those before it, without writing: every refusal, for an import
    /// to name its bad lines.
    pub fn plan_directory(&self, changes: &[DirChange]) -> Result<Vec<DirRefused>> {
        let mut d = self.directory()?;
        let mut refused = Vec::new();
        for (index, c) in changes.iter().enumerate() {
            let c = c.clone().cleaned();
            match d.check(&c) {
                Ok(()) => d.apply(&c),
                Err(error) => refused.push(DirRefused { index, error }),
            }
        }
        Ok(refused)
    }

    /// Make changes, all or none, in one transaction (with the record of
    /// an imported file, if any). Not yet durable: `execute` flushes.
    pub(super) fn change_directory(
        &self,
        stamp: &Stamp,
        changes: Vec<DirChange>,
        import: Option<(&[u8; 32], &super::ImportRecord)>,
    ) -> Result<()> {
        let before = self.directory()?;
        let mut after = before.clone();
        let log = self.db.open_tree(DIRECTORY)?;
        let first = match log.last()? {
            Some((k, _)) => k.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0) + 1,
            None => 0,
        };
        let mut events = Vec::with_capacity(changes.len());
        for (seq, change) in (first..).zip(changes) {
            let change = change.cleaned();
            after.check(&change)?;
            after.apply(&change);
            events.push((seq, DirEvent { at: stamp.at, operator: stamp.operator.clone(), change }));
        }
        let imports = self.db.open_tree(IMPORTS)?;
        let res = (&self.meta, &log, &self.villages, &self.cadres, &imports).transaction(
            |(meta, log, villages, cadres, imports)| {
                if let Some((hash, _)) = import
                    && imports.get(&hash[..])?.is_some()
                {
                    return abort(RuleError(crate::i18n::Msg::ImportAlready));
                }
                for (seq, e) in &events {
                    log.insert(&seq.to_be_bytes(), encode(e))?;
                }
                meta.insert(DIRECTORY_KEY, encode(&after))?;
                // The records the lists read: the active entries only.
                for v in before.active_villages() {
                    villages.remove(v.name.as_bytes())?;
                }
                for v in after.active_villages() {
                    villages.insert(v.name.as_bytes(), encode(&v))?;
                }
                for c in before.active_cadres() {
                    cadres.remove(c.name.as_bytes())?;
                }
                for c in after.active_cadres() {
                    cadres.insert(c.name.as_bytes(), encode(&c))?;
                }
                if after.roster != before.roster {
                    meta.insert(ROSTER_KEY, encode(&Roster { duties: after.roster.clone() }))?;
                }
                if after.township != before.township {
                    meta.insert(super::settings::key("township"), encode(&Setting(after.township.clone())))?;
                }
                if let Some((hash, record)) = import {
                    imports.insert(&hash[..], encode(record))?;
                }
                Ok(())
            },
        );
        unwrap_tx(res)
    }

    /// An imported file's directory changes, all or none, with the record
    /// of the file; durable when this returns.
    pub fn import_directory(
        &self,
        hash: &[u8; 32],
        record: &super::ImportRecord,
        stamp: &Stamp,
        changes: Vec<DirChange>,
    ) -> Result<()> {
        self.change_directory(stamp, changes, Some((hash, record)))?;
        self.flush_durable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Command;

    fn stamp() -> Stamp {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 2, 11).expect("date");
        Stamp { at: time::china_at(d, 9, 0), operator: "岑国仲".into() }
    }

    #[test]
    fn a_directory_stored_before_households_still_reads() {
        let mut d = Directory { township: "沧江乡".into(), ..Directory::default() };
        d.apply(&DirChange::Village { name: "坝达章村".into(), groups: vec!["五组".into()] });
        // Version 1 wrote the same fields without the households (an
        // empty list is one byte at the end of the body).
        let mut v1 = encode(&d);
        assert_eq!(v1.pop(), Some(0));
        v1[2..4].copy_from_slice(&1u16.to_le_bytes());
        assert_eq!(decode::<Directory>(&v1).expect("migrated"), d);
    }

    #[test]
    fn changes_are_logged_with_who_and_when_and_the_lists_follow() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let village =
            DirChange::Village { name: "坝达章村".into(), groups: vec!["坝汪组".into(), "五组".into()] };
        let cadre = DirChange::Cadre(DirCadre {
            name: "岑国仲".into(),
            post: "人大主席".into(),
            phone: "13908591001".into(),
            login: "cgz".into(),
            covers: vec!["坝达章村".into()],
        });
        let township = DirChange::Township { name: "沧江乡".into() };
        store.execute(&stamp(), Command::Directory(vec![township, village, cadre])).expect("directory");
        assert_eq!(store.setting("township").expect("setting").as_deref(), Some("沧江乡"));
        assert_eq!(store.villages().expect("villages").len(), 1);
        assert_eq!(store.cadres().expect("cadres")[0].covers, vec!["坝达章村".to_string()]);
        let rename = DirChange::RenameCadre { from: "岑国仲".into(), to: "岑国忠".into() };
        store.execute(&stamp(), Command::Directory(vec![rename])).expect("rename");
        let names: Vec<String> = store.cadres().expect("cadres").into_iter().map(|c| c.name).collect();
        assert_eq!(names, vec!["岑国忠".to_string()]);
        let retire = DirChange::RetireVillage { name: "坝达章村".into() };
        store.execute(&stamp(), Command::Directory(vec![retire])).expect("retire");
        assert!(store.villages().expect("villages").is_empty());
        let d = store.directory().expect("directory");
        assert!(d.village("坝达章村").is_some_and(|v| v.retired));
        let log = store.directory_log().expect("log");
        assert_eq!(log.len(), 5);
        assert!(log.iter().all(|e| e.operator == "岑国仲" && e.at == stamp().at));
        assert_eq!(Directory::replay(&log).expect("replay"), d);
        // A refused change writes nothing, not even the good ones before it.
        let good = DirChange::Village { name: "沧江村".into(), groups: vec![] };
        let bad = DirChange::RetireCadre { name: "无名".into() };
        let refused = store.execute(&stamp(), Command::Directory(vec![good, bad]));
        assert!(
            matches!(refused, Err(crate::StoreError::Rule(RuleError(crate::i18n::Msg::ErrDirNoCadre)))),
            "{refused:?}"
        );
        assert_eq!(store.directory_log().expect("log").len(), 5);
        assert!(store.villages().expect("villages").is_empty());
        drop(store);
        let store = Store::open(dir.path()).expect("reopen");
        assert_eq!(store.directory().expect("directory"), d);
    }
}
