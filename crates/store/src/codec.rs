//! Every stored value is an envelope: `J`, a record kind, a format version
//! (u16 LE), then the bincode body. bincode is not self-describing, so a
//! changed struct gets a new version and the old one stays decodable here.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::{Cadre, Case, Event, Resident, Village};
use jiedai_protocol::Draft;

const MAGIC: u8 = b'J';

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("not a jiedai record (bad magic byte)")]
    BadMagic,
    #[error("record kind {found} where {expected} was expected")]
    WrongKind { expected: u8, found: u8 },
    #[error("record format version {0} is newer than this program knows; upgrade jiedai")]
    TooNew(u16),
    #[error("record format version {0} is unknown")]
    UnknownVersion(u16),
    #[error("record body does not decode: {0}")]
    Body(String),
    #[error("record body has {0} trailing bytes")]
    Trailing(usize),
}

impl CodecError {
    /// What is wrong with the record, for the officer (the English above
    /// is for logs and tests).
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            CodecError::BadMagic => Msg::CodecBadMagic,
            CodecError::WrongKind { .. } => Msg::CodecWrongKind,
            CodecError::TooNew(_) => Msg::CodecTooNew,
            CodecError::UnknownVersion(_) => Msg::CodecUnknownVersion,
            CodecError::Body(_) => Msg::CodecBody,
            CodecError::Trailing(_) => Msg::CodecTrailing,
        }
    }
}

/// A type stored in the database, with its kind and current version.
/// Kinds in use: 1-10 below, 20 `ImportRecord` (store/import.rs).
pub trait Record: Serialize + DeserializeOwned {
    const KIND: u8;
    const VERSION: u16;
    /// Decode a body written by an older version and bring it up to date.
    /// No type has an older version yet; the first change adds one here.
    fn migrate(version: u16, _body: &[u8]) -> Result<Self, CodecError> {
        Err(CodecError::UnknownVersion(version))
    }
}

/// A stored counter (the next case number of a year, the schema version).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counter(pub u64);

impl Record for Case {
    const KIND: u8 = 1;
    const VERSION: u16 = 1;
}
impl Record for Event {
    const KIND: u8 = 2;
    const VERSION: u16 = 1;
}
impl Record for Resident {
    const KIND: u8 = 3;
    const VERSION: u16 = 1;
}
impl Record for Cadre {
    const KIND: u8 = 4;
    const VERSION: u16 = 1;
}
impl Record for Village {
    const KIND: u8 = 5;
    const VERSION: u16 = 1;
}
impl Record for Counter {
    const KIND: u8 = 6;
    const VERSION: u16 = 1;
}
impl Record for super::Done {
    const KIND: u8 = 12;
    const VERSION: u16 = 1;
}
impl Record for Draft {
    const KIND: u8 = 7;
    const VERSION: u16 = 1;
}
impl Record for crate::domain::QueueEntry {
    const KIND: u8 = 10;
    const VERSION: u16 = 1;
}
impl Record for crate::domain::Roster {
    const KIND: u8 = 9;
    const VERSION: u16 = 1;
}
/// A named text setting kept in `meta` (the township's name, until the
/// township directory holds it): see `store/settings.rs`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Setting(pub String);

impl Record for Setting {
    const KIND: u8 = 11;
    const VERSION: u16 = 1;
}
impl Record for crate::domain::DeadlineRules {
    const KIND: u8 = 8;
    const VERSION: u16 = 1;
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

pub fn encode<T: Record>(value: &T) -> Vec<u8> {
    let mut out = vec![MAGIC, T::KIND];
    out.extend_from_slice(&T::VERSION.to_le_bytes());
    // Encoding plain serde data into a Vec cannot fail for our types; an
    // error here is a programming error, caught by the tests.
    match bincode::serde::encode_to_vec(value, config()) {
        Ok(body) => out.extend_from_slice(&body),
        Err(e) => panic!("encoding a {} record failed: {e}", T::KIND),
    }
    out
}

/// Decode the body of a current-version record.
pub fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, CodecError> {
    let (value, used) =
        bincode::serde::decode_from_slice(body, config()).map_err(|e| CodecError::Body(e.to_string()))?;
    if used != body.len() {
        return Err(CodecError::Trailing(body.len() - used));
    }
    Ok(value)
}

pub fn decode<T: Record>(bytes: &[u8]) -> Result<T, CodecError> {
    let [magic, kind, v0, v1, body @ ..] = bytes else { return Err(CodecError::BadMagic) };
    if *magic != MAGIC {
        return Err(CodecError::BadMagic);
    }
    if *kind != T::KIND {
        return Err(CodecError::WrongKind { expected: T::KIND, found: *kind });
    }
    let version = u16::from_le_bytes([*v0, *v1]);
    match version.cmp(&T::VERSION) {
        std::cmp::Ordering::Equal => decode_body(body),
        std::cmp::Ordering::Greater => Err(CodecError::TooNew(version)),
        std::cmp::Ordering::Less => T::migrate(version, body),
    }
}
