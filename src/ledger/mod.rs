//! The township's ledger (台账): as a workbook for people to read and print
//! (`xlsx`: typed cells, rows tall enough for their text, a print set-up a
//! clerk can file), as CSV for other programs (written so that Excel and WPS
//! on Chinese Windows still open it right: UTF-8 with BOM, formula-looking
//! cells neutralised, phone numbers kept as text), and read back from what
//! the office keeps (UTF-8 with or without BOM, or GBK), every bad line named.

mod cells;
mod columns;
mod directory;
mod layout;
mod quotes;
mod read;
mod rows;
mod sheet_rows;
mod stats_sheet;
mod write;
mod xlsx;
mod xlsx_package;

pub use columns::{EXPORT_HELP, EXPORT_HELP_ZH, IMPORT_HELP, IMPORT_HELP_ZH};
pub use directory::{CadreLine, VillageLine, parse_directory_cadres, parse_villages};
pub use layout::{LINE_PT, MAX_ROW_PT};
pub use read::{CaseRow, LineError, Parsed, each_case, parse_cadres, parse_cases, parse_residents};
pub use rows::row_commands;
pub use stats_sheet::{STATS_HEADERS, STATS_NOTE};
pub use write::{BOM, CASE_HEADERS, CsvCases, Cut, EXCEL_CELL, cases_csv};
pub use xlsx::{DATE_FORMAT, Heading, LedgerBook, Tall};

use crate::i18n::Msg;

/// Bounds no real ledger reaches, so that a broken or hostile file is
/// refused with a message instead of exhausting memory or time. The README
/// and `jiedai import --help` state them. A ledger is read twice, row by
/// row, and written in chunks (store/staged.rs): the memory is the file's
/// text and a chunk. A JSON restore is one transaction, held in memory
/// until it commits (a 64 MiB one, about 18,000 cases, about 1 GB).
pub mod limits {
    use chrono::NaiveDate;

    /// A CSV file, in bytes.
    pub const CSV_BYTES: u64 = 64 << 20;
    /// A JSON export, in bytes.
    pub const JSON_BYTES: u64 = 64 << 20;
    /// Rows in one CSV file (a ledger is written in chunks, so this only
    /// bounds a hostile file; 64 MiB holds about 200,000 ledger rows).
    pub const ROWS: usize = 1_000_000;
    /// Rows in a villages or cadres file: the directory is one transaction.
    pub const DIRECTORY_ROWS: usize = 10_000;
    /// Characters in one cell (Excel itself holds 32,767).
    pub const CELL_CHARS: usize = 100_000;
    /// 人数: residents at the desk for one matter.
    pub const PEOPLE: u32 = crate::domain::MAX_PEOPLE;
    /// 再次反映次数: further calls or visits about one case.
    pub const CONTACTS: u32 = 1_000;
    /// 回访次数: return visits of one case.
    pub const FOLLOW_UPS: u32 = 100;
    /// The years a ledger's dates fall in.
    pub const FIRST_DAY: NaiveDate = crate::domain::time::FIRST_DAY;
    pub const LAST_DAY: NaiveDate = crate::domain::time::LAST_DAY;
}

/// Text from a file the office made: UTF-8 (BOM or not), else GBK.
pub fn decode_text(bytes: &[u8]) -> Result<String, Msg> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
    if had_errors { Err(Msg::ErrEncoding) } else { Ok(text.into_owned()) }
}

/// What identifies an imported file: its kind and its text, whatever the
/// encoding and line ends it was saved with.
pub fn content_hash(kind: &str, text: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let text = text.replace("\r\n", "\n");
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update([0]);
    h.update(text.trim_end().as_bytes());
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_files_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,电话\n唐科名,13765912345\n");
        assert_eq!(decode_text(&gbk).expect("gbk"), "姓名,电话\n唐科名,13765912345\n");
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc").expect("bom"), "abc");
    }

    #[test]
    fn the_same_ledger_hashes_the_same_whatever_its_line_ends() {
        assert_eq!(content_hash("cases", "a,b\n1,2\n"), content_hash("cases", "a,b\r\n1,2\r\n"));
        assert_ne!(content_hash("cases", "a,b\n1,2\n"), content_hash("residents", "a,b\n1,2\n"));
        assert_ne!(content_hash("cases", "a,b\n1,2\n"), content_hash("cases", "a,b\n1,3\n"));
    }
}
