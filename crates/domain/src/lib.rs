//! Pure types and rules: no terminal, no database, no I/O. The message
//! catalog (`i18n`) lives here too, since the rules speak in its words.

pub mod call;
pub mod case;
pub mod diary;
pub mod directory;
pub mod event;
pub mod i18n;
pub mod money;
pub mod notice;
pub mod opinion_box;
pub mod pairing;
pub mod people;
pub mod queue;
pub mod stats;
pub mod tally;
pub mod text;
pub mod time;

pub use case::*;
pub use directory::{DirCadre, DirChange, DirEvent, Directory};
pub use event::*;
pub use money::{MAX_YUAN, check_yuan, parse_yuan};
pub use notice::{DocKind, Notice};
pub use people::*;
pub use queue::*;
pub use time::{DeadlineRules, Timestamp};

/// The categories a township files its cases under (类别).
pub const CATEGORIES: &[&str] = &[
    "道路交通",
    "征地补偿",
    "低保救助",
    "退耕还林",
    "农业生产",
    "住房安全",
    "饮水用电",
    "医疗教育",
    "邻里纠纷",
    "干部作风",
    "其他",
];
