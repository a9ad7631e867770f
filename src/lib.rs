//! jiedai: the township reception-day desk (群众接待日) in a terminal.
//!
//! The workspace's crates under their old module paths, so `jiedai::store`,
//! `jiedai::app` and the rest name what they always named:
//! crates/domain (domain, i18n), crates/protocol (commands, drafts),
//! crates/store (sled, and the demo data), crates/tui (app, ui, input, keys).

pub use jiedai_domain as domain;
pub use jiedai_domain::i18n;
pub use jiedai_protocol as protocol;
pub use jiedai_store as store;
pub use jiedai_store::demo;
pub use jiedai_tui::{app, input, keys, ui};

pub mod cli;
pub mod effects;
pub mod ledger;
pub mod notice;
pub mod screenshots;
pub mod term;
