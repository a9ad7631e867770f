//! The desk's screens: state and `update` (app), the views (ui), the text
//! fields and the key decoder (input), and the one key table (keys). It
//! knows the domain and the protocol, never the store: what it needs from
//! the database comes in as actions, what it wants done goes out as effects.

pub mod app;
pub mod input;
pub mod keys;
pub mod ui;

// The domain and the catalog under their old paths, so `crate::domain::…`
// and `crate::i18n::…` read as before the split.
use jiedai_domain as domain;
use jiedai_domain::i18n;
