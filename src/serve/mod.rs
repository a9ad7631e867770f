//! Several cadres at once (SPEC §9, issue 14): one `jiedai serve` owns the
//! database, and every desk and CLI command is its client over a Unix
//! socket, as tmux does it. `--embedded` keeps the single process.

pub mod backup;
pub mod client;
pub mod desk;
pub mod frame;
pub mod place;
pub mod server;
pub mod wire;

/// The wire protocol's version: any change to `wire` raises it.
pub const PROTOCOL: u32 = 2;

/// This binary's protocol version. Debug builds (the tests) may pretend
/// to be another version, to show what a mismatch does.
pub fn protocol() -> u32 {
    pretend("JIEDAI_TEST_PROTOCOL").unwrap_or(PROTOCOL)
}

/// The newest database schema this binary knows.
pub fn schema() -> u32 {
    pretend("JIEDAI_TEST_SCHEMA").unwrap_or(crate::store::SCHEMA_VERSION as u32)
}

fn pretend(var: &str) -> Option<u32> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var(var).ok()?.parse().ok()
}
