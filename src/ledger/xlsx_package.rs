//! The workbook rust_xlsxwriter wrote, copied part by part into the export
//! with 台账's rows put in: the crate wrote the sheet with its header row
//! and one template row (a cell of each data format, so that its style ids
//! can be read here); the template row is replaced by ours (`sheet_rows`),
//! the sheet's `<dimension>` made to name them, and our strings appended
//! to the crate's shared-strings table, with its counts. Every other part
//! (styles, 统计, the print set-up, defined names, which name no row range
//! that grows) is copied as the crate wrote it, still compressed.

use std::io::{self, Read, Seek, Write};

use rust_xlsxwriter::XlsxError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::sheet_rows::Written;

/// 台账's part in the package: the first sheet.
pub const LEDGER_PART: &str = "xl/worksheets/sheet1.xml";
const STRINGS_PART: &str = "xl/sharedStrings.xml";
/// The template row's number, and the columns holding a text, a date and
/// a count cell (`xlsx::LedgerBook::new` writes it).
pub const TEMPLATE_ROW: u32 = 2;
const TEMPLATE_CELLS: [&str; 3] = ["A2", "B2", "H2"];

/// The package `from` into `to`, with `rows` (the sheet's last row
/// numbered `last`) and their strings (`unique` entries, named by `uses`
/// cells) in it.
pub fn copy<R: Read + Seek, W: Write + Seek>(
    from: R,
    to: W,
    rows: Written,
    last: u32,
    (unique, uses): (u32, u64),
) -> Result<(), XlsxError> {
    let mut book = ZipArchive::new(from)?;
    let mut out = ZipWriter::new(to);
    match copy_parts(&mut book, &mut out, rows, last, (unique, uses)) {
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
    mut rows: Written,
    last: u32,
    (unique, uses): (u32, u64),
) -> Result<(), XlsxError> {
    // Both parts are small as the crate wrote them (a header, a template
    // row, 统计's few strings).
    let strings = part_text(book, STRINGS_PART)?;
    let (head, tail, first) = split_strings(&strings, unique, uses)?;
    let sheet = part_text(book, LEDGER_PART)?;
    let (before, styles, after) = split_sheet(&sheet, last)?;
    for i in 0..book.len() {
        let (name, modified) = {
            let part = book.by_index_raw(i)?;
            (part.name()?.to_string(), part.last_modified())
        };
        let options = || {
            let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
            match modified {
                Some(t) => options.last_modified_time(t),
                None => options,
            }
        };
        if name == LEDGER_PART {
            out.start_file(name, options())?;
            // Rows are copied in small pieces: gathered before the deflater.
            let mut w = io::BufWriter::with_capacity(1 << 16, &mut *out);
            w.write_all(before.as_bytes())?;
            rows.copy_rows(&mut w, styles, first)?;
            w.write_all(after.as_bytes())?;
            w.flush()?;
        } else if name == STRINGS_PART {
            out.start_file(name, options())?;
            out.write_all(head.as_bytes())?;
            rows.copy_strings(&mut *out)?;
            out.write_all(tail.as_bytes())?;
        } else {
            out.raw_copy_file(book.by_index_raw(i)?)?;
        }
    }
    Ok(())
}

fn part_text<R: Read + Seek>(book: &mut ZipArchive<R>, name: &str) -> Result<String, XlsxError> {
    let mut text = String::new();
    book.by_name(name)?.read_to_string(&mut text)?;
    Ok(text)
}

fn malformed(what: &str) -> XlsxError {
    XlsxError::IoError(io::Error::new(io::ErrorKind::InvalidData, format!("unexpected workbook part: {what}")))
}

/// The crate's table up to its last `<si>` (its counts grown by ours) and
/// from `</sst>` on, and how many strings it holds (ours are numbered
/// after them).
fn split_strings(xml: &str, unique: u32, uses: u64) -> Result<(String, &str, u32), XlsxError> {
    let attr = |name: &str| -> Result<(usize, usize, u64), XlsxError> {
        let key = format!(" {name}=\"");
        let at = xml.find(&key).ok_or_else(|| malformed(name))? + key.len();
        let len = xml[at..].find('"').ok_or_else(|| malformed(name))?;
        let n = xml[at..at + len].parse().map_err(|_| malformed(name))?;
        Ok((at, at + len, n))
    };
    let (count_at, count_end, count) = attr("count")?;
    let (unique_at, unique_end, theirs) = attr("uniqueCount")?;
    let end = xml.rfind("</sst>").ok_or_else(|| malformed("</sst>"))?;
    let first = u32::try_from(theirs).map_err(|_| malformed("uniqueCount"))?;
    // The two counts, in whichever order the crate wrote them.
    let mut spans = [(count_at, count_end, count + uses), (unique_at, unique_end, theirs + u64::from(unique))];
    spans.sort();
    let mut head = String::with_capacity(end + 32);
    let mut from = 0;
    for (at, to, n) in spans {
        head.push_str(&xml[from..at]);
        head.push_str(&n.to_string());
        from = to;
    }
    head.push_str(&xml[from..end]);
    Ok((head, &xml[end..], first))
}

/// The sheet up to its template row (its `<dimension>` naming rows 1 to
/// `last`), the template cells' style ids, and the sheet from the end of
/// the template row on.
fn split_sheet(xml: &str, last: u32) -> Result<(String, [u32; 3], &str), XlsxError> {
    let open = xml.find(&format!("<row r=\"{TEMPLATE_ROW}\"")).ok_or_else(|| malformed("template row"))?;
    let close = open + xml[open..].find("</row>").ok_or_else(|| malformed("template row"))? + "</row>".len();
    let template = &xml[open..close];
    let mut styles = [0; 3];
    for (style, cell) in styles.iter_mut().zip(TEMPLATE_CELLS) {
        let tag = format!("<c r=\"{cell}\" s=\"");
        let at = template.find(&tag).ok_or_else(|| malformed(cell))? + tag.len();
        let len = template[at..].find('"').ok_or_else(|| malformed(cell))?;
        *style = template[at..at + len].parse().map_err(|_| malformed(cell))?;
    }
    let dimension = "<dimension ref=\"";
    let at = xml[..open].find(dimension).ok_or_else(|| malformed("dimension"))? + dimension.len();
    let len = xml[at..open].find('"').ok_or_else(|| malformed("dimension"))?;
    let before = format!("{}A1:V{last}{}", &xml[..at], &xml[at + len..open]);
    Ok((before, styles, &xml[close..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strings_counts_grow_by_ours_and_ours_follow_theirs() {
        let xml =
            "<?xml version=\"1.0\"?>\n<sst xmlns=\"x\" count=\"30\" uniqueCount=\"25\"><si><t>编号</t></si></sst>";
        let (head, tail, first) = split_strings(xml, 7, 100).expect("split");
        assert_eq!(
            head,
            "<?xml version=\"1.0\"?>\n<sst xmlns=\"x\" count=\"130\" uniqueCount=\"32\"><si><t>编号</t></si>"
        );
        assert_eq!((tail, first), ("</sst>", 25));
    }

    #[test]
    fn the_template_row_gives_its_styles_and_its_place() {
        let xml = "<worksheet><dimension ref=\"A1:V2\"/><sheetData><row r=\"1\"><c r=\"A1\" s=\"1\"/></row>\
                   <row r=\"2\" spans=\"1:22\"><c r=\"A2\" s=\"2\"/><c r=\"B2\" s=\"3\"/><c r=\"H2\" s=\"4\"/></row>\
                   </sheetData><pageMargins/></worksheet>";
        let (before, styles, after) = split_sheet(xml, 9).expect("split");
        assert_eq!(before, "<worksheet><dimension ref=\"A1:V9\"/><sheetData><row r=\"1\"><c r=\"A1\" s=\"1\"/></row>");
        assert_eq!(styles, [2, 3, 4]);
        assert_eq!(after, "</sheetData><pageMargins/></worksheet>");
        assert!(split_sheet("<worksheet/>", 9).is_err(), "a part not as expected is an error, not a guess");
    }
}
