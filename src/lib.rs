//! jiedai: the township reception-day desk (群众接待日) in a terminal.

pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod effects;
pub mod i18n;
pub mod input;
pub mod keys;
pub mod ledger;
pub mod notice;
pub mod screenshots;
pub mod serve;
pub mod store;
pub mod term;
pub mod ui;
