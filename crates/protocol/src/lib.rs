//! What a desk and the store say to each other: the commands (with their
//! ids), the stamp the store puts on them, the queries and their replies,
//! the change notices, the drafts kept between sessions, the printing
//! requests, and the port itself (`Desk`). Plain serde data, so that the same
//! values can travel to a store in another process (SPEC §9). Neither the
//! terminal nor the database is known here.

mod command;
pub mod desk;
mod diary;
mod snapshot;

use std::path::PathBuf;

use chrono::NaiveDate;

// The domain under its old path, so `crate::domain::…` reads as before.
use jiedai_domain as domain;

pub use command::*;
pub use desk::{Changed, Desk, DeskError, Link, List, Query, Reply, StatsPeriod};
use domain::{CaseNo, DocKind};
pub use snapshot::Snapshot;

/// The intake form's draft, under each user's own key (see `Desk::put_draft`).
pub const INTAKE_DRAFT: &str = "intake";
/// The action dialogs' drafts: `dialog/<case>/<action>`.
pub const DIALOG_DRAFTS: &str = "dialog/";
/// The channel screens' drafts (来电, 日记, 意见箱): `screen/<name>`. A
/// name this version does not know (from a newer one) is left alone.
pub const SCREEN_DRAFTS: &str = "screen/";

/// The form being typed when the desk was left, offered back at the next start.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    /// Its key: `intake`, or `dialog/<case>/<action>` (see app::action).
    pub form: String,
    pub fields: Vec<(String, String)>,
    pub saved_at: domain::Timestamp,
}

/// What to write: a case's paper, or a day's sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintJob {
    pub doc: DocKind,
    /// The case (every paper but the day sheet).
    pub case: Option<CaseNo>,
    /// The day sheet's date.
    pub day: Option<NaiveDate>,
    pub instead: String,
    /// Where to write; None: `default_file` in `dir`.
    pub out: Option<PathBuf>,
}
