//! Named text settings in `meta`: the township's name and the office that
//! reviews its answers, read by the notices' letterhead until the township
//! directory keeps them.

use super::codec::Setting;
use super::{Result, Store, decode, encode};

pub(super) fn key(name: &str) -> Vec<u8> {
    format!("setting:{name}").into_bytes()
}

impl Store {
    /// A setting, if it was ever set.
    pub fn setting(&self, name: &str) -> Result<Option<String>> {
        match self.meta.get(key(name))? {
            None => Ok(None),
            Some(b) => Ok(Some(decode::<Setting>(&b)?.0)),
        }
    }

    /// Set a setting, durably.
    pub fn put_setting(&self, name: &str, value: &str) -> Result<()> {
        let value = crate::domain::text::clean_line(value);
        self.meta.insert(key(name), encode(&Setting(value)))?;
        self.flush_durable()
    }
}
