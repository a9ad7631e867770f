//! Drafts live beside sled in `jiedai.draft`, not in it: a draft must still
//! be written when the disk is full (sled cannot write then, and stays
//! broken until reopened), and writing one on every tick must not cost a
//! sync. The file is made once with room reserved (two 32 KiB slots, see
//! store::slots) and then rewritten in place: without a sync on the tick
//! (a kill -9 keeps it, the page cache has it), with an fdatasync on Esc,
//! quit, hang-up and a refused save.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Draft;
use super::slots::{self, Mode};

pub const FILE: &str = "jiedai.draft";
/// Each slot's room made in advance: a form with a page of text.
const RESERVE: u64 = 32 * 1024;
const HEADER: &str = "jiedai drafts 1\n";

pub struct Drafts {
    path: PathBuf,
    map: BTreeMap<String, Draft>,
    /// Entries this version cannot read (a newer version's): kept as they
    /// were and written back, so going back a version loses nothing.
    foreign: Vec<serde_json::Value>,
    /// Written since the last sync.
    unsynced: bool,
}

impl Drafts {
    /// The drafts kept in `dir`; none if the file is missing or no slot of
    /// it is whole (a draft is not a saved record: nothing to report).
    pub fn load(dir: &Path) -> Drafts {
        let path = dir.join(FILE);
        let entries = slots::read_all(&path)
            .ok()
            .and_then(|bytes| {
                slots::valid(&bytes).into_iter().find_map(|(_, body)| {
                    body.strip_prefix(HEADER).and_then(|json| serde_json::from_str::<Vec<serde_json::Value>>(json).ok())
                })
            })
            .unwrap_or_default();
        // One entry at a time: one this version cannot read spoils no other.
        let mut map = BTreeMap::new();
        let mut foreign = Vec::new();
        for v in entries {
            match serde_json::from_value::<Draft>(v.clone()) {
                Ok(d) => {
                    map.insert(d.form.clone(), d);
                }
                Err(_) => foreign.push(v),
            }
        }
        Drafts { path, map, foreign, unsynced: false }
    }

    /// Make the file, with its room, if it is not there yet.
    pub fn reserve(&mut self) -> std::io::Result<()> {
        if self.path.exists() { Ok(()) } else { self.write(Mode::Anew) }
    }

    pub fn get(&self, form: &str) -> Option<Draft> {
        self.map.get(form).cloned()
    }

    pub fn under(&self, prefix: &str) -> Vec<Draft> {
        self.map
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(_, d)| d.clone())
            .collect()
    }

    /// Keep `draft`, written at once but not synced.
    pub fn put(&mut self, draft: &Draft) -> std::io::Result<()> {
        if self.map.get(&draft.form) == Some(draft) {
            return Ok(());
        }
        self.map.insert(draft.form.clone(), draft.clone());
        self.write(Mode::Lazy)
    }

    pub fn remove(&mut self, form: &str) -> std::io::Result<()> {
        if self.map.remove(form).is_none() {
            return Ok(());
        }
        self.write(Mode::Lazy)
    }

    /// Make what was written durable (nothing to do if it already is).
    pub fn sync(&mut self) -> std::io::Result<()> {
        if self.unsynced { self.write(Mode::Synced) } else { Ok(()) }
    }

    fn write(&mut self, mode: Mode) -> std::io::Result<()> {
        let mut list: Vec<serde_json::Value> =
            self.map.values().map(serde_json::to_value).collect::<Result<_, _>>().map_err(std::io::Error::other)?;
        list.extend(self.foreign.iter().cloned());
        let json = serde_json::to_string(&list).map_err(std::io::Error::other)?;
        self.unsynced = true;
        slots::write(&self.path, &format!("{HEADER}{json}\n"), mode, RESERVE)?;
        self.unsynced = mode == Mode::Lazy;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(form: &str, text: &str) -> Draft {
        Draft { form: form.into(), fields: vec![("line".into(), text.into())], saved_at: chrono::Utc::now() }
    }

    /// An older file's drafts load; an entry of a shape this version does
    /// not know (a newer one's) spoils none of the others and is written
    /// back as it was.
    #[test]
    fn an_entry_this_version_cannot_read_is_kept_and_spoils_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old = serde_json::to_value(draft("intake", "李德才")).expect("json");
        let newer = serde_json::json!({"form": "screen/hotline", "fields": {"a": 1}, "kind": 7});
        let body = format!("{HEADER}{}\n", serde_json::Value::Array(vec![newer.clone(), old]));
        slots::write(&dir.path().join(FILE), &body, Mode::Anew, RESERVE).expect("write");

        let mut drafts = Drafts::load(dir.path());
        assert_eq!(drafts.get("intake").map(|d| d.fields), Some(vec![("line".into(), "李德才".into())]));
        drafts.put(&draft("screen/diary", "pzc 要求修")).expect("put");
        drafts.sync().expect("sync");

        let again = Drafts::load(dir.path());
        assert!(again.get("intake").is_some() && again.get("screen/diary").is_some());
        assert_eq!(again.foreign, vec![newer]);
    }
}
