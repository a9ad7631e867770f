//! A paper as a .docx for WPS and Word, through docx-rs: A4, the margins
//! and type sizes of Chinese official papers (GB/T 9704: title 二号 in a
//! Song face, body 三号 仿宋), tables with borders for the sheets.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Table, TableCell,
    TableLayoutType, TableRow, WidthType,
};

/// What a paper says, in order; `templates` writes it, this file lays it out.
#[derive(Clone, Debug, PartialEq)]
pub struct Paper {
    /// The township, over the title.
    pub office: String,
    pub title: String,
    /// Under the title, right-aligned: the case number (or the day).
    pub number: String,
    pub blocks: Vec<Block>,
    /// The document's own date (its properties), ISO.
    pub created: String,
    /// Smaller type for the sheets (tables), 三号 for the notices.
    pub small: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// "韦正荣:" — flush left.
    Salutation(String),
    /// A paragraph with the first line indented two characters.
    Para(String),
    /// A bold line (一、反映事项).
    Heading(String),
    /// Flush right: the office and the date under a notice.
    Right(String),
    /// Flush left, no indent (a signature line).
    Plain(String),
    Blank,
    /// Columns in twentieths of a point; the first row bold when `header`.
    Table {
        widths: Vec<usize>,
        rows: Vec<Vec<String>>,
        header: bool,
    },
}

const TITLE_FONT: &str = "宋体";
const BODY_FONT: &str = "仿宋";
/// The printable width of A4 with these margins, in twips.
pub const TEXT_WIDTH: usize = 11906 - 1588 - 1474;

fn fonts(east: &str) -> RunFonts {
    RunFonts::new().east_asia(east).ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(typeset(text)).size(size).fonts(fonts(BODY_FONT))
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”')
}

/// Chinese print takes full-width punctuation: an ASCII `,` `:` `;` `(` `)`
/// beside a Chinese character (as typed at the desk) becomes `，` `：` `；`
/// `（` `）`; `10:05` and `0859-3224873` stay as they are. A `)` follows its `(`.
pub fn typeset(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut open: Vec<bool> = Vec::new();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        // What was written before, so `）:` becomes `）：`.
        let prev = out.chars().next_back().is_some_and(is_cjk);
        // Full-width punctuation carries its own space: `受理, 办理` reads `受理，办理`.
        if c == ' ' && out.ends_with(['，', '：', '；']) {
            continue;
        }
        let next = chars.get(i + 1).copied().is_some_and(is_cjk);
        let beside = prev || next;
        out.push(match c {
            ',' if beside => '，',
            ':' if beside => '：',
            ';' if beside => '；',
            '(' => {
                open.push(beside);
                if beside { '（' } else { c }
            }
            ')' if open.pop().unwrap_or(prev) => '）',
            c => c,
        });
    }
    out
}

/// Half-points: 三号 16 pt, 四号 14 pt, 五号 10.5 pt, 二号 22 pt.
fn sizes(small: bool) -> (usize, usize) {
    if small { (24, 21) } else { (32, 28) }
}

fn line(text: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(run(text, size)).line_spacing(LineSpacing::new().after(0))
}

fn table(widths: &[usize], rows: &[Vec<String>], header: bool, size: usize) -> Table {
    let rows = rows
        .iter()
        .enumerate()
        .map(|(r, cells)| {
            let cells = cells
                .iter()
                .zip(widths)
                .map(|(text, w)| {
                    let mut cell = TableCell::new().width(*w, WidthType::Dxa);
                    // One paragraph per line: a multi-line 详情 stays in its cell.
                    for l in text.split('\n') {
                        let run = if header && r == 0 { run(l, size).bold() } else { run(l, size) };
                        cell = cell.add_paragraph(Paragraph::new().add_run(run));
                    }
                    cell
                })
                .collect();
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows).set_grid(widths.to_vec()).layout(TableLayoutType::Fixed).width(widths.iter().sum(), WidthType::Dxa)
}

/// The .docx bytes of a paper.
pub fn to_docx(paper: &Paper) -> Result<Vec<u8>, String> {
    let (body, table_size) = sizes(paper.small);
    let margin = PageMargin { top: 2098, left: 1588, bottom: 1984, right: 1474, header: 851, footer: 992, gutter: 0 };
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(margin)
        .default_fonts(fonts(BODY_FONT))
        .default_size(body)
        .created_at(&paper.created)
        .updated_at(&paper.created);
    let title = |text: &str, size: usize| {
        Paragraph::new()
            .add_run(Run::new().add_text(typeset(text)).size(size).bold().fonts(fonts(TITLE_FONT)))
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().after(0))
    };
    doc = doc.add_paragraph(title(&paper.office, if paper.small { 32 } else { 36 }));
    doc = doc.add_paragraph(title(&paper.title, if paper.small { 36 } else { 44 }));
    doc = doc.add_paragraph(line(&paper.number, body).align(AlignmentType::Right));
    for b in &paper.blocks {
        doc = match b {
            Block::Salutation(t) | Block::Plain(t) => doc.add_paragraph(line(t, body)),
            Block::Para(t) => doc.add_paragraph(line(t, body).indent(
                None,
                Some(SpecialIndentType::FirstLine(body as i32 * 20)),
                None,
                None,
            )),
            Block::Heading(t) => doc.add_paragraph(Paragraph::new().add_run(run(t, body).bold())),
            Block::Right(t) => doc.add_paragraph(line(t, body).align(AlignmentType::Right)),
            Block::Blank => doc.add_paragraph(line("", body)),
            Block::Table { widths, rows, header } => doc.add_table(table(widths, rows, *header, table_size)),
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::typeset;

    #[test]
    fn chinese_print_takes_full_width_punctuation() {
        assert_eq!(typeset("损坏,生产生活困难"), "损坏，生产生活困难");
        assert_eq!(typeset("代表(46位群众):"), "代表（46位群众）：");
        assert_eq!(typeset("受理, 办理期限 2026-04-13"), "受理，办理期限 2026-04-13");
        // Times, phones and file names stay as typed.
        assert_eq!(typeset("10:05 0859-3224873 (a.docx)"), "10:05 0859-3224873 (a.docx)");
    }
}
