//! How the workbook looks on paper: how many lines a wrapped cell takes at
//! a column's width, the row height that holds them, and the page set-up
//! (A4, fitted to one page wide, header row repeated, the township and the
//! period in the page header, page numbers in the footer).
//!
//! Widths are in Excel's units, one digit of the default font (Calibri 11,
//! 7 pixels; 5 more pixels of padding per column). Text is measured by
//! display width: a Chinese character counts two, as it is about twice a
//! digit's width in every font WPS and Excel use for it.

use unicode_width::UnicodeWidthChar;

/// One line of 11-point text, in points: Chinese fonts (DengXian, SimSun,
/// Noto Sans CJK) need about 16, more than Calibri's 15.
pub const LINE_PT: f64 = 16.0;
/// Space below the last line, so that a row's text does not touch the
/// next row's.
pub const ROW_PAD_PT: f64 = 2.0;
/// Excel's tallest row, in points. A cell that needs more is clipped in
/// print; `lines` says so, and the export names it.
pub const MAX_ROW_PT: f64 = 409.0;

/// How many display columns of text fit on one line of a column `width`
/// wide: its pixels less the cell's margins, at 7.5 pixels per display
/// column (a Chinese character at 11 points is 14.7 to 15 pixels).
pub fn capacity(width: f64) -> usize {
    (((width * 7.0 + 5.0 - 4.0) / 7.5).floor() as usize).max(1)
}

/// Closing punctuation never starts a line: WPS and Excel pull the
/// character before it down with it.
fn closes(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '”'
            | '’'
            | '…'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '%'
    )
}

/// The units a line breaks between: a run of Latin letters and digits (a
/// word or a number is not broken while it fits), a Chinese character, a
/// space; closing punctuation stays with what comes before it.
fn tokens(line: &str) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    let mut in_word = false;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        let word = c.is_ascii_alphanumeric();
        match out.last_mut() {
            Some(last) if (word && in_word) || closes(c) => *last += w,
            _ => out.push(w),
        }
        in_word = word;
    }
    out
}

/// The lines `text` takes in a wrapped cell of a column `width` wide.
pub fn lines(text: &str, width: f64) -> usize {
    let cap = capacity(width);
    text.split('\n')
        .map(|para| {
            let mut n = 1;
            let mut used = 0;
            for t in tokens(para.trim_end_matches('\r')) {
                if used + t <= cap {
                    used += t;
                } else if t <= cap {
                    n += usize::from(used > 0);
                    used = t;
                } else {
                    // Longer than a line: broken anywhere, on fresh lines.
                    n += usize::from(used > 0) + (t - 1) / cap;
                    used = (t - 1) % cap + 1;
                }
            }
            n
        })
        .sum()
}

/// The height of a row whose tallest cell takes `lines` lines, at most
/// Excel's limit.
pub fn row_height(lines: usize) -> f64 {
    (lines.max(1) as f64 * LINE_PT + ROW_PAD_PT).min(MAX_ROW_PT)
}

/// Whether `lines` lines fit in a row at all.
pub fn fits(lines: usize) -> bool {
    lines.max(1) as f64 * LINE_PT + ROW_PAD_PT <= MAX_ROW_PT
}

/// Text for a page header or footer: `&` is Excel's code character, so a
/// literal one is doubled; long names are cut so that the whole header
/// stays within Excel's 255 characters.
pub fn page_text(s: &str, max_chars: usize) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).take(max_chars).collect();
    s.replace('&', "&&")
}

/// How a sheet prints: A4, `landscape` or portrait, every column on one
/// page's width (as many pages down as it takes), `repeat` rows at the top
/// of every page, `header` and `footer` (Excel's codes: &L &C &R, &P the
/// page, &N the pages), kept at their own size rather than shrunk with the
/// sheet.
pub fn page_setup(
    sheet: &mut rust_xlsxwriter::Worksheet,
    landscape: bool,
    repeat: Option<u32>,
    header: &str,
    footer: &str,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    const A4: u8 = 9;
    sheet.set_paper_size(A4);
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.4, 0.4, 0.7, 0.6, 0.3, 0.3);
    sheet.set_print_center_horizontally(true);
    if let Some(row) = repeat {
        sheet.set_repeat_rows(row, row)?;
    }
    sheet.set_header(header);
    sheet.set_footer(footer);
    sheet.set_header_footer_scale_with_doc(false);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_two_and_lines_break_where_a_reader_would() {
        // 30 wide holds 28 display columns: 14 Chinese characters.
        assert_eq!(capacity(30.0), 28);
        assert_eq!(lines(&"路".repeat(14), 30.0), 1);
        assert_eq!(lines(&"路".repeat(15), 30.0), 2);
        assert_eq!(lines(&"a".repeat(28), 30.0), 1);
        // Each line of a multi-line cell starts afresh; an empty one counts.
        assert_eq!(lines("一\n\n二", 30.0), 3);
        assert_eq!(lines("一\r\n二", 30.0), 2);
        // A number is not broken while it fits: "20000" goes down whole.
        assert_eq!(lines(&format!("{}20000", "路".repeat(12)), 30.0), 2);
        // Closing punctuation stays with its character.
        assert_eq!(lines(&format!("{}。", "路".repeat(14)), 30.0), 2);
        // Longer than a line: broken anywhere.
        assert_eq!(lines(&"9".repeat(60), 30.0), 3);
        assert_eq!(lines("", 30.0), 1);
    }

    #[test]
    fn rows_stop_at_excels_limit() {
        assert_eq!(row_height(0), LINE_PT + ROW_PAD_PT);
        assert_eq!(row_height(3), 3.0 * LINE_PT + ROW_PAD_PT);
        assert_eq!(row_height(1000), MAX_ROW_PT);
        assert!(fits(25) && !fits(26));
    }

    #[test]
    fn page_text_escapes_excels_code_character() {
        assert_eq!(page_text("A&B乡", 60), "A&&B乡");
        assert_eq!(page_text(&"乡".repeat(100), 60).chars().count(), 60);
    }
}
