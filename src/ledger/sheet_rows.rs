//! 台账's rows as sheet XML, written by us a case at a time to temporary
//! files (issue #16: rust_xlsxwriter keeps every row's height and the whole
//! shared-strings table until it saves, 183 MiB at 100k cases). The rows go
//! to one file, their strings (as `<si>` entries of the shared-strings
//! table, which readers and the tests expect of text cells) to another;
//! `xlsx_package` puts both into the crate's package.
//!
//! Two things are known only when the crate saves: the style ids it gives
//! the cells' formats, and how many strings of its own (headers, 统计) come
//! before ours. Rows hold markers for both, filled in by `Rows::copy_into`:
//! `STYLE` then a `Style` byte, and `STRING` then our own string number.
//! Rows hold nothing else from the data, so no marker byte can come from it.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};

/// Marker of a style id, followed by the `Style` as one byte.
const STYLE: u8 = 0x01;
/// Marker of a shared-string number, followed by ours in decimal.
const STRING: u8 = 0x02;

/// A data cell's format, as the crate numbers it only when it saves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    Text = 0,
    Date = 1,
    Count = 2,
}

/// Strings at most this long are looked up before being added again,
/// and at most `SEEN` of them are kept: the repeated ones (villages,
/// categories, sources, states, officers) are short and few, and the
/// table stays bounded whatever the database holds.
const SHORT: usize = 48;
const SEEN: usize = 1 << 15;

/// Excel's column names of 台账's 22 columns.
const COLUMN_NAMES: [&str; 22] =
    ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V"];

/// The rows written so far and their strings, each in its temporary file.
pub struct Rows {
    rows: BufWriter<File>,
    strings: BufWriter<File>,
    /// The `<row>` being written, if any: its number and height.
    open: Option<u32>,
    /// Strings in the table (`<si>` entries), and cells that name one.
    unique: u32,
    uses: u64,
    seen: HashMap<Box<str>, u32>,
}

impl Rows {
    /// Empty rows, in temporary files of the system's temporary folder
    /// (unnamed: nothing is left behind, whatever ends the export).
    pub fn new() -> io::Result<Rows> {
        Ok(Rows {
            rows: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            strings: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            open: None,
            unique: 0,
            uses: 0,
            seen: HashMap::new(),
        })
    }

    /// Starts row `n` (1-based, as the sheet numbers them), `points` tall,
    /// ending the one before.
    pub fn start(&mut self, n: u32, points: f64) -> io::Result<()> {
        self.end()?;
        // As the crate writes a height: in whole pixels, then in points.
        let pixels = (points * 4.0 / 3.0).round();
        write!(self.rows, "<row r=\"{n}\" spans=\"1:22\" ht=\"{}\" customHeight=\"1\">", pixels * 0.75)?;
        self.open = Some(n);
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        if self.open.take().is_some() {
            // A line a row, so the copy reads a row at a time.
            self.rows.write_all(b"</row>\n")?;
        }
        Ok(())
    }

    fn cell(&mut self, col: usize, style: Style) -> io::Result<()> {
        let row = self.open.unwrap_or(0);
        write!(self.rows, "<c r=\"{}{row}\" s=\"", COLUMN_NAMES[col])?;
        self.rows.write_all(&[STYLE, style as u8])?;
        self.rows.write_all(b"\"")
    }

    /// An empty cell of `style` (its borders still print).
    pub fn blank(&mut self, col: usize, style: Style) -> io::Result<()> {
        self.cell(col, style)?;
        self.rows.write_all(b"/>")
    }

    /// A number (a count, or a date as Excel's serial day).
    pub fn number(&mut self, col: usize, style: Style, value: f64) -> io::Result<()> {
        self.cell(col, style)?;
        write!(self.rows, "><v>{value}</v></c>")
    }

    /// A string, through the shared-strings table.
    pub fn text(&mut self, col: usize, style: Style, text: &str) -> io::Result<()> {
        let n = self.string(text)?;
        self.cell(col, style)?;
        self.rows.write_all(b" t=\"s\"><v>")?;
        self.rows.write_all(&[STRING])?;
        write!(self.rows, "{n}</v></c>")
    }

    /// `text`'s number in our part of the table, added if new.
    fn string(&mut self, text: &str) -> io::Result<u32> {
        self.uses += 1;
        let short = text.len() <= SHORT;
        if short && let Some(&n) = self.seen.get(text) {
            return Ok(n);
        }
        let n = self.unique;
        self.unique += 1;
        si(&mut self.strings, text)?;
        if short && self.seen.len() < SEEN {
            self.seen.insert(text.into(), n);
        }
        Ok(n)
    }

    /// How many `<si>` entries are ours, and how many cells name one.
    pub fn counts(&self) -> (u32, u64) {
        (self.unique, self.uses)
    }

    /// The rows and the strings, read back from the start.
    pub fn finish(mut self) -> io::Result<Written> {
        self.end()?;
        let mut rows = self.rows.into_inner().map_err(|e| e.into_error())?;
        let mut strings = self.strings.into_inner().map_err(|e| e.into_error())?;
        rows.rewind()?;
        strings.rewind()?;
        Ok(Written { rows, strings })
    }
}

/// The files `Rows` wrote, ready to be copied.
pub struct Written {
    rows: File,
    strings: File,
}

impl Written {
    /// The rows into `to`, each marker filled in: `styles` by `Style`, and
    /// our strings' numbers after the crate's `first` ones.
    pub fn copy_rows(&mut self, to: &mut impl Write, styles: [u32; 3], first: u32) -> io::Result<()> {
        let mut from = BufReader::with_capacity(1 << 16, &mut self.rows);
        let mut line = Vec::new();
        loop {
            line.clear();
            if from.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            let row = line.strip_suffix(b"\n").unwrap_or(&line);
            fill(row, to, styles, first)?;
        }
    }

    /// The `<si>` entries into `to`, as written.
    pub fn copy_strings(&mut self, to: &mut impl Write) -> io::Result<()> {
        io::copy(&mut self.strings, to).map(drop)
    }
}

/// One row with its markers filled in.
fn fill(mut row: &[u8], to: &mut impl Write, styles: [u32; 3], first: u32) -> io::Result<()> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "ledger row marker");
    while let Some(at) = memchr::memchr2(STYLE, STRING, row) {
        to.write_all(&row[..at])?;
        if row[at] == STYLE {
            let style = *styles.get(usize::from(*row.get(at + 1).ok_or_else(bad)?)).ok_or_else(bad)?;
            write!(to, "{style}")?;
            row = &row[at + 2..];
        } else {
            let digits = row[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            let ours: u32 =
                std::str::from_utf8(&row[at + 1..at + 1 + digits]).ok().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
            write!(to, "{}", u64::from(first) + u64::from(ours))?;
            row = &row[at + 1 + digits..];
        }
    }
    to.write_all(row)
}

/// `text` as a shared string, escaped as rust_xlsxwriter escapes it (and
/// Excel): `& < >` as entities, control characters and U+FFFE/U+FFFF as
/// `_xHHHH_`, and a literal `_xHHHH_` in the text with its `_` escaped, so
/// that it reads back as written. Whitespace at either end is kept.
fn si(to: &mut impl Write, text: &str) -> io::Result<()> {
    let keep = |c: char| matches!(c, ' ' | '\t' | '\n');
    let open =
        if text.starts_with(keep) || text.ends_with(keep) { "<si><t xml:space=\"preserve\">" } else { "<si><t>" };
    to.write_all(open.as_bytes())?;
    to.write_all(escape(text).as_bytes())?;
    to.write_all(b"</t></si>")
}

/// The escaping of `si`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("_x{:04X}_", c as u32)),
            '_' if is_escape_like(&text[i..]) => out.push_str("_x005F_"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `s` starts with `_xHHHH_`, which a reader would take for an
/// escaped character.
fn is_escape_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_excel_reads_it_back() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;\"'");
        assert_eq!(escape("行\n一\t二"), "行\n一\t二");
        assert_eq!(escape("\u{1}\r\u{1b}"), "_x0001__x000D__x001B_");
        assert_eq!(escape("_x0041_ _x12_ _xZZZZ_"), "_x005F_x0041_ _x12_ _xZZZZ_");
        assert_eq!(escape("😀𠀀"), "😀𠀀");
    }

    #[test]
    fn markers_are_filled_with_the_crates_numbers() {
        let mut rows = Rows::new().expect("rows");
        rows.start(2, 18.0).expect("row");
        rows.text(0, Style::Text, "甲").expect("text");
        rows.number(1, Style::Date, 46000.0).expect("date");
        rows.blank(2, Style::Count).expect("blank");
        rows.start(3, 82.0).expect("row");
        rows.text(0, Style::Text, "甲").expect("again");
        rows.text(1, Style::Text, &"长".repeat(40)).expect("long");
        assert_eq!(rows.counts(), (2, 3), "a short string repeated is one entry");
        let mut written = rows.finish().expect("finish");
        let mut out = Vec::new();
        written.copy_rows(&mut out, [7, 8, 9], 30).expect("copy");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "<row r=\"2\" spans=\"1:22\" ht=\"18\" customHeight=\"1\">\
             <c r=\"A2\" s=\"7\" t=\"s\"><v>30</v></c><c r=\"B2\" s=\"8\"><v>46000</v></c><c r=\"C2\" s=\"9\"/></row>\
             <row r=\"3\" spans=\"1:22\" ht=\"81.75\" customHeight=\"1\">\
             <c r=\"A3\" s=\"7\" t=\"s\"><v>30</v></c><c r=\"B3\" s=\"7\" t=\"s\"><v>31</v></c></row>"
        );
        let mut strings = Vec::new();
        written.copy_strings(&mut strings).expect("strings");
        assert_eq!(
            String::from_utf8(strings).expect("utf8"),
            format!("<si><t>甲</t></si><si><t>{}</t></si>", "长".repeat(40))
        );
    }
}
