//! 统计, the workbook's report sheet: a title (the township and the period),
//! the report's sentences, and its figures per channel with a 合计 row,
//! printed portrait on one A4 page width.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Worksheet, XlsxError};

use super::layout::{lines, page_setup, row_height};
use super::xlsx::{Heading, page_heading};
use crate::domain::stats::Stats;
use crate::domain::text::printable;
use crate::i18n::Lang;

/// The table's columns and their widths. 接待群众 is in 人, the word of the
/// township's own report sentence (the seed's 接待群众200余人); the note
/// below the table says that it counts every visit's people, so a resident
/// who comes back counts again.
pub const STATS_HEADERS: [(&str, f64); 8] = [
    ("来源", 10.0),
    ("接待群众(人)", 16.0),
    ("登记", 8.0),
    ("受理", 8.0),
    ("办结", 8.0),
    ("落实", 8.0),
    ("回访", 8.0),
    ("满意", 8.0),
];

/// Under the table: what the figures count, where a word could mislead.
pub const STATS_NOTE: &str = "注: 接待群众的人数按来访计, 即每次来访、来电、再次反映时在场的人数相加, 同一群众再来另计; \
                              满意含基本满意; 合计为各来源之和。";

/// The last column, for merged rows across the table.
const LAST: u16 = STATS_HEADERS.len() as u16 - 1;

/// The table's width, for text merged across it.
fn table_width() -> f64 {
    STATS_HEADERS.iter().map(|(_, w)| w).sum()
}

/// `A`, `B`...: the table has fewer than 26 columns.
fn column_letter(col: u16) -> char {
    char::from(b'A' + col as u8)
}

pub fn write(sheet: &mut Worksheet, stats: &Stats, head: &Heading, lang: Lang) -> Result<(), XlsxError> {
    sheet.set_name("统计")?;
    for (n, (_, w)) in STATS_HEADERS.iter().enumerate() {
        sheet.set_column_width(n as u16, *w)?;
    }
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let centred = Format::new().set_align(FormatAlign::Center);
    let para = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let heading = border(Format::new())
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(0xD9D9D9);
    let cell = border(Format::new());
    let total = border(Format::new()).set_bold();

    // The title: whose figures, for when.
    sheet.merge_range(0, 0, 0, LAST, &format!("{} 群众接待统计", printable(&head.office)), &title)?;
    sheet.set_row_height(0, 26)?;
    sheet.merge_range(1, 0, 1, LAST, &format!("统计期间: {}", head.period_text()), &centred)?;
    let mut row = 3;
    for s in stats.sentences(lang, head.today) {
        let s = printable(&s);
        sheet.merge_range(row, 0, row, LAST, &s, &para)?;
        sheet.set_row_height(row, row_height(lines(&s, table_width())))?;
        row += 1;
    }
    row += 1;
    let mut head_lines = 1;
    for (n, (h, w)) in STATS_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(row, n as u16, *h, &heading)?;
        head_lines = head_lines.max(lines(h, *w));
    }
    sheet.set_row_height(row, row_height(head_lines))?;
    let first = row + 1;
    for (ch, s) in &stats.by_channel {
        row += 1;
        sheet.write_string_with_format(row, 0, ch.label(Lang::Zh), &cell)?;
        for (n, v) in figures(s).iter().enumerate() {
            sheet.write_number_with_format(row, n as u16 + 1, *v as f64, &cell)?;
        }
    }
    // 合计: sums a spreadsheet keeps up to date if a figure is corrected,
    // with their values stored for readers that do not recalculate.
    row += 1;
    sheet.write_string_with_format(row, 0, "合计", &total)?;
    for (n, v) in figures(&stats.total()).iter().enumerate() {
        let col = n as u16 + 1;
        let letter = column_letter(col);
        let sum = Formula::new(format!("=SUM({letter}{}:{letter}{})", first + 1, row)).set_result(v.to_string());
        sheet.write_formula_with_format(row, col, sum, &total)?;
    }
    row += 2;
    sheet.merge_range(row, 0, row, LAST, STATS_NOTE, &para)?;
    sheet.set_row_height(row, row_height(lines(STATS_NOTE, table_width())))?;

    let (header, footer) = page_heading(head, "群众接待统计");
    page_setup(sheet, false, None, &header, &footer)
}

/// A channel's figures in the table's order, after 来源.
fn figures(s: &crate::domain::stats::ChannelStats) -> [u64; 7] {
    [s.people, s.registered, s.accepted, s.concluded, s.implemented, s.follow_ups, s.satisfied]
}
