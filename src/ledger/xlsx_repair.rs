//! The workbook rust_xlsxwriter wrote, copied into the export with the one
//! thing it gets wrong in "low memory" mode put right.
//!
//! rust_xlsxwriter 0.102 (`Worksheet::flush_last_row`) writes the sheet's
//! last row twice when that row has both cells and a height of its own:
//! it flushes the current row, then flushes "the row after" to move on,
//! and that second flush still finds the current row's height and writes
//! `<row r="N" ht=".." customHeight="1"/>` again, without its cells. Excel
//! refuses a sheet with a row twice. Every ledger row has its height, so
//! the last one is always written twice; the empty repeat, just before
//! `</sheetData>`, is dropped here, and nothing else is changed. Should a
//! later version not write it, the copy finds nothing to drop.

use std::io::{self, Read, Seek, Write};

use rust_xlsxwriter::XlsxError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The end of a sheet (`</sheetData>` and the print set-up after it) is
/// far shorter than this: what is held back to look at once all is read.
const TAIL: usize = 1 << 16;

/// Every part of the package `from` into `to`, as it is, but `sheet`, whose
/// repeated row `last` (1-based, as the sheet numbers rows) is dropped.
pub fn copy<R: Read + Seek, W: Write + Seek>(from: R, to: W, sheet: &str, last: u32) -> Result<(), XlsxError> {
    let mut book = ZipArchive::new(from)?;
    let mut out = ZipWriter::new(to);
    match copy_parts(&mut book, &mut out, sheet, last) {
        Ok(()) => {
            out.finish()?;
            Ok(())
        }
        Err(e) => {
            // Abandoned, not finished: its drop would try to finish it on
            // the disk that just failed, and print that too.
            std::mem::forget(out);
            Err(e)
        }
    }
}

fn copy_parts<R: Read + Seek, W: Write + Seek>(
    book: &mut ZipArchive<R>,
    out: &mut ZipWriter<W>,
    sheet: &str,
    last: u32,
) -> Result<(), XlsxError> {
    for i in 0..book.len() {
        let is_sheet = book.by_index_raw(i)?.name()? == sheet;
        if !is_sheet {
            out.raw_copy_file(book.by_index_raw(i)?)?;
            continue;
        }
        let part = book.by_index(i)?;
        let mut options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        if let Some(t) = part.last_modified() {
            options = options.last_modified_time(t);
        }
        out.start_file(sheet, options)?;
        without_repeated_row(part, &mut *out, last)?;
    }
    Ok(())
}

/// `from` into `to`, held back only by its last `TAIL` bytes.
fn without_repeated_row(mut from: impl Read, mut to: impl Write, last: u32) -> io::Result<()> {
    let mut held = Vec::with_capacity(3 * TAIL);
    let mut buf = vec![0; TAIL];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        held.extend_from_slice(&buf[..n]);
        if held.len() > 2 * TAIL {
            let pass = held.len() - TAIL;
            to.write_all(&held[..pass])?;
            held.drain(..pass);
        }
    }
    to.write_all(&drop_repeat(held, last))
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The sheet's end without an empty `<row r="last" .../>` right before
/// `</sheetData>`: the last row has cells, so an empty one of the same
/// number is its repeat.
fn drop_repeat(mut end: Vec<u8>, last: u32) -> Vec<u8> {
    let Some(close) = rfind(&end, b"</sheetData>") else { return end };
    let Some(open) = rfind(&end[..close], b"<row ") else { return end };
    let row = &end[open..close];
    let tag = format!("<row r=\"{last}\"");
    let repeat = row.starts_with(tag.as_bytes())
        && matches!(row.get(tag.len()), Some(b' ' | b'/'))
        && row.ends_with(b"/>")
        && !row[..row.len() - 2].contains(&b'>');
    if repeat {
        end.drain(open..close);
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRITTEN: &str = "<row r=\"3\" ht=\"18\" customHeight=\"1\"><c r=\"A3\" s=\"2\" t=\"s\"><v>7</v></c></row>\
                           <row r=\"3\" ht=\"18\" customHeight=\"1\"/></sheetData><pageMargins/>";

    #[test]
    fn the_empty_repeat_of_the_last_row_is_dropped_and_nothing_else() {
        let kept = String::from_utf8(drop_repeat(WRITTEN.into(), 3)).expect("utf8");
        assert_eq!(
            kept,
            "<row r=\"3\" ht=\"18\" customHeight=\"1\"><c r=\"A3\" s=\"2\" t=\"s\"><v>7</v></c></row>\
             </sheetData><pageMargins/>"
        );
        // Another row's number, a row with cells, or a sheet already right:
        // left as they are.
        assert_eq!(drop_repeat(WRITTEN.into(), 4), WRITTEN.as_bytes());
        assert_eq!(drop_repeat(WRITTEN.into(), 33), WRITTEN.as_bytes());
        let right = kept.clone();
        assert_eq!(drop_repeat(right.clone().into(), 3), right.as_bytes());
    }

    /// The fault this copy is for, in rust_xlsxwriter itself: should a new
    /// version write the row once, this fails, and the copy can go.
    #[test]
    fn the_writer_repeats_the_last_row_and_the_copy_drops_it() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet_with_low_memory().expect("sheet");
        for row in 0..3 {
            sheet.write_string(row, 0, format!("行{row}")).expect("write");
            sheet.set_row_height(row, 18).expect("height");
        }
        let raw = book.save_to_buffer().expect("save");
        let rows = |bytes: &[u8]| {
            let mut zip = ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
            let mut xml = String::new();
            zip.by_name("xl/worksheets/sheet1.xml").expect("sheet").read_to_string(&mut xml).expect("read");
            xml.matches("<row r=\"3\"").count()
        };
        assert_eq!(rows(&raw), 2, "written twice");
        let mut fixed = std::io::Cursor::new(Vec::new());
        copy(std::io::Cursor::new(&raw), &mut fixed, "xl/worksheets/sheet1.xml", 3).expect("copy");
        assert_eq!(rows(fixed.get_ref()), 1, "once");
    }

    #[test]
    fn a_long_sheet_is_copied_whole_through_the_held_back_tail() {
        let mut sheet = String::from("<sheetData>");
        for r in 1..=20_000 {
            sheet.push_str(&format!("<row r=\"{r}\" ht=\"18\"><c r=\"A{r}\"><v>{r}</v></c></row>"));
        }
        let whole = format!("{sheet}</sheetData>");
        sheet.push_str("<row r=\"20000\" ht=\"18\"/></sheetData>");
        let mut out = Vec::new();
        without_repeated_row(sheet.as_bytes(), &mut out, 20_000).expect("copy");
        assert_eq!(String::from_utf8(out).expect("utf8"), whole);
    }
}
