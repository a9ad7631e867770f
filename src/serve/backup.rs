//! `jiedai backup`: the lossless JSON export, gzipped, taken between two
//! commands so it is consistent; `jiedai restore` reads it back into an
//! empty database (as `import json` does).

use std::io::{Read as _, Write as _};

use crate::i18n::{Lang, Msg};
use crate::store::Store;

/// The database as a compressed export.
pub fn snapshot(store: &Store, lang: Lang) -> Result<Vec<u8>, String> {
    let export = store.export().map_err(|e| e.user_message(lang))?;
    let failed = || Msg::ExportFailed.text(lang).to_string();
    let json = serde_json::to_vec(&export).map_err(|_| failed())?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json).map_err(|_| failed())?;
    gz.finish().map_err(|_| failed())
}

/// A backup's JSON, from its gzip; `None` if it is not gzip or too big.
pub fn unpack(bytes: &[u8], limit: u64) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).take(limit + 1).read_to_end(&mut out).ok()?;
    (out.len() as u64 <= limit).then_some(out)
}

/// A backup's file name: sorts by time, `jiedai-20261204-184900.123.json.gz`.
pub fn file_name(now: chrono::DateTime<chrono::Utc>) -> String {
    format!("jiedai-{}.json.gz", now.with_timezone(&crate::domain::time::china()).format("%Y%m%d-%H%M%S%.3f"))
}

pub fn is_backup(name: &str) -> bool {
    name.starts_with("jiedai-") && name.ends_with(".json.gz")
}
