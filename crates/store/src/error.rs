//! What went wrong in the store, and how the officer is told.

use super::{CodecError, Holder, verify};
use crate::domain::*;
use crate::i18n::{Lang, Msg};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database is held by {} on {} (pid {}) since {}", .0.user, .0.tty, .0.pid, .0.since)]
    Locked(Holder),
    #[error("the database is damaged: {} {}", .0.text(Lang::En), .1)]
    Damaged(Msg, String),
    /// Files that do not match their seal, every one found.
    #[error("the database is damaged: {} files", .0.len())]
    DamagedFiles(Vec<(Msg, String)>),
    /// The path is not a database this program may open as asked.
    #[error("{}: {}", .0.text(Lang::En), .1)]
    Place(Msg, String),
    #[error("refused: {0}")]
    Rule(#[from] RuleError),
    #[error("no case {0}")]
    NoSuchCase(CaseNo),
    #[error("a record does not decode: {0}")]
    Codec(#[from] CodecError),
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// The disk said no: full, or another I/O failure.
    pub fn is_io(&self) -> bool {
        matches!(self, StoreError::Io(_) | StoreError::Sled(sled::Error::Io(_)))
    }

    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::Io(e) | StoreError::Sled(sled::Error::Io(e)) => {
                e.kind() == std::io::ErrorKind::StorageFull
                    || matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT))
            }
            _ => false,
        }
    }

    /// What the officer reads: what happened and what to do, in their language.
    pub fn user_message(&self, lang: Lang) -> String {
        match self {
            StoreError::Locked(h) => format!(
                "{}: {} {}, {} {}, {} {}, {} {}.\n{}",
                Msg::ErrLockedBy.text(lang),
                Msg::ErrLockHolder.text(lang),
                h.user,
                Msg::ErrLockTty.text(lang),
                h.tty,
                Msg::ErrLockPid.text(lang),
                h.pid,
                Msg::ErrLockSince.text(lang),
                h.since,
                Msg::ErrLockedHint.text(lang)
            ),
            // The detail is for whoever looks into it; shown only when it
            // is figures (a count, a length), never English or Rust text.
            StoreError::Damaged(what, detail) => format!(
                "{}: {}{}.\n{}",
                Msg::ErrDamaged.text(lang),
                what.text(lang),
                if detail.is_empty() || detail.chars().any(|c| c.is_ascii_alphabetic()) {
                    String::new()
                } else {
                    format!(" ({detail})")
                },
                Msg::ErrDamagedHint.text(lang)
            ),
            StoreError::DamagedFiles(found) => verify::describe(found, lang),
            StoreError::Place(what, path) => format!("{}: {path}", what.text(lang)),
            StoreError::Rule(RuleError(msg)) => msg.text(lang).to_string(),
            StoreError::NoSuchCase(no) => format!("{}: {no}", Msg::ErrNoSuchCase.text(lang)),
            StoreError::Codec(e) => {
                format!("{} ({}).\n{}", Msg::ErrDamaged.text(lang), e.msg().text(lang), Msg::ErrDamagedHint.text(lang))
            }
            StoreError::Sled(sled::Error::Io(e)) | StoreError::Io(e) => {
                format!("{}: {}", Msg::ErrStore.text(lang), crate::i18n::io_text(e, lang))
            }
            StoreError::Sled(sled::Error::Corruption { .. }) => format!(
                "{}: {}.\n{}",
                Msg::ErrDamaged.text(lang),
                Msg::DamageCorrupt.text(lang),
                Msg::ErrDamagedHint.text(lang)
            ),
            StoreError::Sled(_) => format!("{}: {}", Msg::ErrStore.text(lang), Msg::ErrStoreInternal.text(lang)),
        }
    }
}
