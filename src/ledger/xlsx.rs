//! The ledger as a workbook for people: 台账, one row per case, every cell
//! typed (dates are dates, counts are numbers, phones and formula-looking
//! text are strings, so nothing needs an apostrophe), wrapped text in rows
//! tall enough to hold it, and a print set-up a clerk can file: landscape
//! A4, one page wide, the header row on every page, the township, the
//! period and the page numbers on each page. 统计 is in `stats_sheet`.

use std::io::{Seek, Write};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::layout::{self, lines, page_setup, page_text, row_height};
use super::sheet_rows::{Rows, Style};
use super::write::{CASE_HEADERS, Cut, case_row, fit};
use super::xlsx_package;
use crate::domain::notice::chinese_date;
use crate::domain::stats::{Period, Stats};
use crate::domain::*;
use crate::i18n::Lang;

/// What a ledger column holds, which decides how its cells are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Date,
    Count,
}

/// Each column of `CASE_HEADERS`: its width (Excel's units; a Chinese
/// character takes two) and kind. Narrow columns wrap their header onto two
/// lines (再次反映/次数) rather than widen the page: 22 columns must fit one
/// landscape A4 width and stay readable.
const COLUMNS: [(f64, Kind); 22] = [
    (10.0, Kind::Text), // 编号
    (10.0, Kind::Date), // 登记日期
    (9.0, Kind::Text),  // 来源
    (8.0, Kind::Text),  // 姓名
    (12.0, Kind::Text), // 电话
    (9.0, Kind::Text),  // 村
    (7.0, Kind::Text),  // 组
    (5.0, Kind::Count), // 人数
    (9.0, Kind::Text),  // 类别
    (20.0, Kind::Text), // 事由
    (30.0, Kind::Text), // 详情
    (7.0, Kind::Text),  // 承办人
    (5.0, Kind::Text),  // 紧急程度
    (7.0, Kind::Text),  // 状态
    (9.0, Kind::Count), // 再次反映次数
    (10.0, Kind::Date), // 受理日期
    (10.0, Kind::Date), // 办理期限
    (10.0, Kind::Date), // 办结日期
    (12.0, Kind::Text), // 办理结果
    (24.0, Kind::Text), // 办结理由
    (5.0, Kind::Count), // 回访次数
    (9.0, Kind::Text),  // 最近回访满意度
];

/// The date format of every date cell.
pub const DATE_FORMAT: &str = "yyyy-mm-dd";

/// A cell whose text is taller than Excel's tallest row: it prints only in
/// part (the case sheet has it whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tall {
    pub case: CaseNo,
    pub column: &'static str,
    pub lines: usize,
}

/// Whose ledger and for when, as the printed pages say it.
#[derive(Clone, Debug)]
pub struct Heading {
    /// The township's office, as the notices' letterhead names it.
    pub office: String,
    pub period: Period,
    /// The day of the export.
    pub today: NaiveDate,
}

impl Heading {
    /// 2026年2月12日至2026年12月3日
    pub fn period_text(&self) -> String {
        format!("{}至{}", chinese_date(self.period.from), chinese_date(self.period.to))
    }
}

/// A date Excel holds as a date (1900 to 9999), else None.
fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

/// The ledger as the office keeps it, written a case at a time so that
/// memory does not grow with the database (issue #16): 台账's rows are
/// written by us to temporary files as the cases are read (`sheet_rows`);
/// the crate writes the rest (the header row, column widths, styles, the
/// print set-up, 统计) when all is read, and `xlsx_package` puts the rows
/// into its package. A cell longer than Excel takes is cut and marked; one
/// taller than a row can be is named.
pub struct LedgerBook {
    book: Workbook,
    rows: Rows,
    lang: Lang,
    /// The last row written (1: the header).
    row: u32,
    /// Cells longer than Excel holds, cut and marked.
    pub cuts: Vec<Cut>,
    /// Cells taller than Excel's tallest row.
    pub tall: Vec<Tall>,
}

impl LedgerBook {
    /// The book with 台账's header row, and a template row holding a cell
    /// of each data format, whose style ids the copy reads (the crate
    /// numbers formats only when it saves). The temporary files go to the
    /// system's temporary folder, not beside the export.
    pub fn new(lang: Lang) -> Result<LedgerBook, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("台账")?;
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        let heading = border(Format::new())
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(0xD9D9D9);
        let text = border(Format::new()).set_text_wrap().set_align(FormatAlign::Top);
        let date = border(Format::new()).set_num_format(DATE_FORMAT).set_align(FormatAlign::Top);
        let count = border(Format::new()).set_align(FormatAlign::Top);
        let mut header_lines = 1;
        for (n, (h, (width, _))) in CASE_HEADERS.iter().zip(COLUMNS).enumerate() {
            let col = n as u16;
            sheet.write_string_with_format(0, col, *h, &heading)?;
            sheet.set_column_width(col, width)?;
            header_lines = header_lines.max(lines(h, width));
        }
        sheet.set_row_height(0, row_height(header_lines))?;
        sheet.set_freeze_panes(1, 0)?;
        // The template row: A text, B a date, H a count (xlsx_package).
        let template = xlsx_package::TEMPLATE_ROW - 1;
        sheet.write_blank(template, 0, &text)?;
        sheet.write_blank(template, 1, &date)?;
        sheet.write_blank(template, 7, &count)?;
        Ok(LedgerBook { book, rows: Rows::new()?, lang, row: 1, cuts: Vec::new(), tall: Vec::new() })
    }

    /// The next case's row. Rows are written in order, each once, and
    /// leave memory as they are written.
    pub fn push(&mut self, c: &Case) -> Result<(), XlsxError> {
        let cells = case_row(c);
        let mut fitted: [Option<String>; 22] = Default::default();
        let mut most = 1;
        for (n, cell) in cells.iter().enumerate() {
            fitted[n] = fit(cell, self.lang);
            if fitted[n].is_some() {
                self.cuts.push(Cut { case: c.no, column: CASE_HEADERS[n], chars: cell.chars().count() });
            }
            let (width, kind) = COLUMNS[n];
            let cell = fitted[n].as_deref().unwrap_or(cell);
            if kind == Kind::Text && !cell.is_empty() {
                let need = lines(cell, width);
                if !layout::fits(need) {
                    self.tall.push(Tall { case: c.no, column: CASE_HEADERS[n], lines: need });
                }
                most = most.max(need);
            }
        }
        let row = self.row + 1;
        // The height first: our rows carry it in their opening tag.
        self.rows.start(row, row_height(most))?;
        for (n, cell) in cells.iter().enumerate() {
            let cell = fitted[n].as_deref().unwrap_or(cell);
            let rows = &mut self.rows;
            match COLUMNS[n].1 {
                _ if cell.is_empty() => {
                    let blank = if COLUMNS[n].1 == Kind::Date { Style::Date } else { Style::Text };
                    rows.blank(n, blank)?
                }
                Kind::Date => match cell.parse::<NaiveDate>().ok().and_then(excel_date) {
                    Some(d) => rows.number(n, Style::Date, d.to_excel())?,
                    None => rows.text(n, Style::Text, cell)?,
                },
                Kind::Count => match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => rows.number(n, Style::Count, v)?,
                    _ => rows.text(n, Style::Text, cell)?,
                },
                // Strings stay strings: a phone is never 1.38E+10, and a
                // cell that looks like a formula is never run.
                Kind::Text => rows.text(n, Style::Text, cell)?,
            }
        }
        self.row = row;
        Ok(())
    }

    /// The print set-up (its header names the period, known only now), 统计,
    /// and the whole workbook written into `out`.
    pub fn finish<W: Write + Seek>(
        mut self,
        stats: &Stats,
        head: &Heading,
        out: W,
    ) -> Result<(Vec<Cut>, Vec<Tall>), XlsxError> {
        let (header, footer) = page_heading(head, "群众接待台账");
        page_setup(self.book.worksheet_from_index(0)?, true, Some(0), &header, &footer)?;
        super::stats_sheet::write(self.book.add_worksheet(), stats, head, self.lang)?;
        let mut raw = tempfile::tempfile()?;
        // Its parts are small now, and copied as they are compressed.
        self.book.save_to_writer(&mut raw)?;
        raw.rewind()?;
        let counts = self.rows.counts();
        let rows = self.rows.finish()?;
        xlsx_package::copy(raw, out, rows, self.row, counts)?;
        Ok((self.cuts, self.tall))
    }
}

/// The header and footer of a printed sheet titled `title`.
pub fn page_heading(head: &Heading, title: &str) -> (String, String) {
    let office = page_text(&head.office, 60);
    let header = format!("&L{office}&C&B{title}&B&R{}", head.period_text());
    let footer = format!("&L导出于{}&C第 &P 页 共 &N 页", chinese_date(head.today));
    (header, footer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_fits_its_column_in_two_lines_at_most() {
        for (h, (width, _)) in CASE_HEADERS.iter().zip(COLUMNS) {
            assert!(lines(h, width) <= 2, "{h} in {width}");
        }
    }

    #[test]
    fn dates_excel_cannot_hold_stay_text() {
        assert!(excel_date(NaiveDate::from_ymd_opt(2026, 2, 12).expect("date")).is_some());
        assert!(excel_date(NaiveDate::from_ymd_opt(1899, 12, 30).expect("date")).is_none());
        assert!(excel_date(NaiveDate::from_ymd_opt(10_000, 1, 1).expect("date")).is_none());
    }
}
