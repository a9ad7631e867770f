//! The ledger as it prints: the xlsx export read back as a zip, as a
//! spreadsheet would read it: rows tall enough for their wrapped text,
//! headers whole, real dates, the print set-up (landscape A4, one page
//! wide, the header row on every page, the township, the period and page
//! numbers), and 统计's title and 合计 row. Where LibreOffice is installed,
//! the file is also printed to PDF and its pages counted.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::NaiveDate;
use common::jiedai;
use unicode_width::UnicodeWidthStr;

fn ok(out: Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// The demo database, with the township's name set as the notices read it
/// (or not), and its ledger exported as xlsx.
fn demo_xlsx(township: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    ok(jiedai(&db, &["demo"]));
    if let Some(name) = township {
        let store = jiedai::store::Store::open(&db).expect("open");
        store.put_setting("township", name).expect("set");
        store.close().expect("close");
    }
    let file = dir.path().join("台账.xlsx");
    ok(jiedai(&db, &["export", "--format", "xlsx", "--out", arg(&file)]));
    (dir, file)
}

/// The parts of an xlsx, by name.
struct Xlsx(HashMap<String, String>);

impl Xlsx {
    fn open(path: &Path) -> Xlsx {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("an xlsx is a zip");
        let mut parts = HashMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("entry");
            let mut s = String::new();
            if f.read_to_string(&mut s).is_ok() {
                parts.insert(f.name().expect("name").to_string(), s);
            }
        }
        Xlsx(parts)
    }

    fn part(&self, name: &str) -> &str {
        self.0.get(name).unwrap_or_else(|| panic!("{name} in the xlsx"))
    }

    fn strings(&self) -> Vec<String> {
        elements(self.part("xl/sharedStrings.xml"), "si").into_iter().map(|si| text_of(&si)).collect()
    }

    /// The sheet's rows, with their cells' shown text (strings resolved).
    fn sheet(&self, n: usize) -> Sheet {
        let xml = self.part(&format!("xl/worksheets/sheet{n}.xml")).to_string();
        let strings = self.strings();
        let rows = elements(&xml, "row")
            .into_iter()
            .map(|row| {
                let open = &row[..row.find('>').expect("tag")];
                let cells = elements(&row, "c")
                    .into_iter()
                    .map(|c| {
                        let tag = &c[..c.find('>').unwrap_or(c.len())];
                        let v = inner(&c, "v");
                        let shown = match (attr(tag, "t").as_deref(), &v) {
                            (Some("s"), Some(i)) => strings[i.parse::<usize>().expect("index")].clone(),
                            (_, Some(v)) => v.clone(),
                            _ => String::new(),
                        };
                        Cell {
                            at: attr(tag, "r").expect("r"),
                            style: attr(tag, "s").map_or(0, |s| s.parse().expect("s")),
                            string: attr(tag, "t").as_deref() == Some("s"),
                            formula: inner(&c, "f"),
                            shown,
                        }
                    })
                    .collect();
                Row {
                    n: attr(open, "r").expect("r").parse().expect("row number"),
                    height: attr(open, "ht").map(|h| h.parse().expect("ht")),
                    cells,
                }
            })
            .collect();
        let widths = elements(&xml, "col")
            .into_iter()
            .flat_map(|c| {
                let min: usize = attr(&c, "min").expect("min").parse().expect("min");
                let max: usize = attr(&c, "max").expect("max").parse().expect("max");
                let w: f64 = attr(&c, "width").expect("width").parse().expect("width");
                (min..=max).map(move |i| (i, w))
            })
            .collect();
        Sheet { xml, rows, widths }
    }

    /// The style's `<xf>` element and its number format's code.
    fn style(&self, index: usize) -> (String, String) {
        let styles = self.part("xl/styles.xml");
        let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
        let xf = elements(xfs, "xf").into_iter().nth(index).expect("xf");
        let id = attr(&xf, "numFmtId").unwrap_or_default();
        let code = elements(styles, "numFmt")
            .into_iter()
            .find(|f| attr(f, "numFmtId").as_deref() == Some(id.as_str()))
            .and_then(|f| attr(&f, "formatCode"))
            .unwrap_or_else(|| format!("builtin {id}"));
        (xf, code)
    }
}

struct Cell {
    at: String,
    style: usize,
    string: bool,
    formula: Option<String>,
    shown: String,
}

struct Row {
    n: u32,
    height: Option<f64>,
    cells: Vec<Cell>,
}

struct Sheet {
    xml: String,
    rows: Vec<Row>,
    /// Column widths, by 1-based column number.
    widths: HashMap<usize, f64>,
}

impl Sheet {
    fn row(&self, n: u32) -> &Row {
        self.rows.iter().find(|r| r.n == n).unwrap_or_else(|| panic!("row {n}"))
    }

    /// A cell's column width, from its reference (`B2`).
    fn width(&self, at: &str) -> f64 {
        let col = at.chars().take_while(char::is_ascii_uppercase).fold(0, |n, c| n * 26 + (c as usize - 64));
        self.widths.get(&col).copied().unwrap_or(8.43)
    }

    fn find(&self, shown: &str) -> (&Row, &Cell) {
        self.rows
            .iter()
            .find_map(|r| r.cells.iter().find(|c| c.shown == shown).map(|c| (r, c)))
            .unwrap_or_else(|| panic!("{shown} in the sheet"))
    }
}

/// Every `<name ...>...</name>` or `<name .../>` in `xml`, whole.
fn elements(xml: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    let open = format!("<{name}");
    while let Some(at) = rest.find(&open) {
        let from = &rest[at..];
        let next = from.as_bytes().get(open.len()).copied();
        if !matches!(next, Some(b' ' | b'>' | b'/')) {
            rest = &from[open.len()..];
            continue;
        }
        let tag_end = from.find('>').expect("tag end");
        let end = if from[..tag_end].ends_with('/') {
            tag_end + 1
        } else {
            let close = format!("</{name}>");
            from.find(&close).expect("closing tag") + close.len()
        };
        out.push(from[..end].to_string());
        rest = &from[end..];
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')? + at;
    Some(unescape(&tag[at..end]))
}

fn inner(xml: &str, name: &str) -> Option<String> {
    let el = elements(xml, name).into_iter().next()?;
    let start = el.find('>')? + 1;
    let end = el.rfind("</")?;
    (start <= end).then(|| unescape(&el[start..end]))
}

/// The text of a shared string (its `<t>` runs).
fn text_of(si: &str) -> String {
    elements(si, "t").iter().filter_map(|t| inner(t, "t")).collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The fewest lines any spreadsheet needs for `text` in a column `width`
/// wide: Chinese characters count two units, a line holds at most `width`.
fn fewest_lines(text: &str, width: f64) -> usize {
    text.split('\n').map(|p| (p.width() as f64 / width).ceil().max(1.0) as usize).sum()
}

/// A line of 11-point text takes at least 15 points (Excel's own row).
const LINE: f64 = 15.0;

#[test]
fn rows_are_tall_enough_for_their_wrapped_text() {
    let (_dir, file) = demo_xlsx(None);
    let x = Xlsx::open(&file);
    let sheet = x.sheet(1);
    let mut wrapped = 0;
    for row in sheet.rows.iter().filter(|r| r.n > 1) {
        let height = row.height.unwrap_or(LINE);
        for c in row.cells.iter().filter(|c| c.string) {
            let need = fewest_lines(&c.shown, sheet.width(&c.at));
            assert!(height >= need as f64 * LINE, "{}: {need} lines in {height}pt: {}", c.at, c.shown);
            if need > 1 {
                wrapped += 1;
                let (xf, _) = x.style(c.style);
                assert!(xf.contains("wrapText=\"1\""), "{} wraps: {xf}", c.at);
            }
        }
    }
    assert!(wrapped >= 2, "the demo has wrapped text (详情, 办结理由): {wrapped}");
    // The road case's 详情 is two paragraphs and wraps: three lines or more.
    let (row, _) = sheet.find("2026-0001");
    assert!(row.height.unwrap_or(0.0) >= 3.0 * LINE, "{:?}", row.height);
}

#[test]
fn a_cell_taller_than_excels_tallest_row_is_named_and_the_row_is_at_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let csv = dir.path().join("long.csv");
    let long = "群众反映的情况很多".repeat(100);
    std::fs::write(&csv, format!("登记日期,事由,详情\n2026-03-01,路坏了,{long}\n2026-03-02,灯坏了,路灯不亮\n"))
        .expect("write");
    ok(jiedai(&db, &["import", "cases", arg(&csv)]));
    let file = dir.path().join("long.xlsx");
    let err = ok(jiedai(&db, &["export", "--format", "xlsx", "--out", arg(&file)]));
    assert!(err.contains("2026-0001 详情") && err.contains("打印时这一格只显示前面一部分"), "{err}");
    assert!(!err.contains("2026-0002"), "{err}");
    let sheet = Xlsx::open(&file).sheet(1);
    // 409 points, as near as whole pixels come (545 px).
    let top = sheet.row(2).height.unwrap_or(0.0);
    assert!((408.5..=409.0).contains(&top), "{top}");
    assert!(sheet.row(3).height.unwrap_or(0.0) < 40.0, "a short row stays short");
    let en = jiedai(&db, &["export", "--format", "xlsx", "--out", arg(&file), "--lang", "en"]);
    assert!(String::from_utf8_lossy(&en.stderr).contains("prints only in part"));
}

#[test]
fn headers_are_whole() {
    let (_dir, file) = demo_xlsx(None);
    let x = Xlsx::open(&file);
    let strings = x.strings();
    for h in ["再次反映次数", "最近回访满意度", "接待群众(人)"] {
        assert!(strings.iter().any(|s| s == h), "{h}");
    }
    for (n, header_row) in [(1, 1), (2, x.sheet(2).find("来源").0.n)] {
        let sheet = x.sheet(n);
        let row = sheet.row(header_row);
        assert!(row.cells.len() >= 8, "sheet {n} row {header_row}");
        for c in &row.cells {
            let width = sheet.width(&c.at);
            if c.shown.width() as f64 + 1.0 <= width {
                continue;
            }
            // Narrower than its header: it wraps, and the row holds it.
            let (xf, _) = x.style(c.style);
            assert!(xf.contains("wrapText=\"1\""), "{} ({width}) cut: {xf}", c.shown);
            let need = fewest_lines(&c.shown, width - 1.0);
            assert!(row.height.unwrap_or(LINE) >= need as f64 * LINE, "{}: {need} lines in {:?}", c.shown, row.height);
        }
    }
}

#[test]
fn dates_are_dates_with_a_date_format() {
    let (_dir, file) = demo_xlsx(None);
    let x = Xlsx::open(&file);
    let sheet = x.sheet(1);
    let header = sheet.row(1);
    let (row, _) = sheet.find("2026-0001");
    let serial = |d: &str| {
        let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date");
        (d - NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch")).num_days().to_string()
    };
    for (head, day) in [("登记日期", "2026-02-12"), ("受理日期", "2026-02-12"), ("办结日期", "2026-03-20")]
    {
        let col = header.cells.iter().find(|c| c.shown == head).unwrap_or_else(|| panic!("{head}"));
        let letter: String = col.at.chars().take_while(char::is_ascii_uppercase).collect();
        let cell = row.cells.iter().find(|c| c.at == format!("{letter}{}", row.n)).expect("cell");
        assert!(!cell.string, "{head} is a number, not text");
        assert_eq!(cell.shown, serial(day), "{head}");
        let (_, code) = x.style(cell.style);
        assert_eq!(code, "yyyy-mm-dd", "{head}");
    }
    // No date is left as text anywhere in the ledger.
    for c in sheet.rows.iter().flat_map(|r| &r.cells).filter(|c| c.string) {
        assert!(NaiveDate::parse_from_str(&c.shown, "%Y-%m-%d").is_err(), "{} is text: {}", c.at, c.shown);
    }
}

#[test]
fn the_ledger_prints_landscape_one_page_wide_with_its_header_row_on_every_page() {
    let (_dir, file) = demo_xlsx(Some("沧江乡"));
    let x = Xlsx::open(&file);
    let ledger = x.sheet(1).xml;
    let setup = elements(&ledger, "pageSetup").pop().expect("pageSetup");
    assert_eq!(attr(&setup, "orientation").as_deref(), Some("landscape"), "{setup}");
    assert_eq!(attr(&setup, "paperSize").as_deref(), Some("9"), "A4: {setup}");
    // Fit to one page wide (fitToWidth defaults to 1), as many down as it takes.
    assert!(ledger.contains("<pageSetUpPr fitToPage=\"1\"/>"), "fit to page");
    assert_eq!(attr(&setup, "fitToHeight").as_deref(), Some("0"), "{setup}");
    assert!(attr(&setup, "fitToWidth").is_none_or(|w| w == "1"), "{setup}");
    let book = x.part("xl/workbook.xml");
    assert!(
        book.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">台账!$1:$1</definedName>"),
        "{book}"
    );
    let header = inner(&ledger, "oddHeader").expect("a page header");
    assert!(header.contains("沧江乡人民政府"), "the township, as the notices name it: {header}");
    assert!(header.contains("群众接待台账"), "{header}");
    assert!(header.contains("2026年2月12日至"), "the period: {header}");
    let footer = inner(&ledger, "oddFooter").expect("a page footer");
    assert!(footer.contains("第 &P 页") && footer.contains("共 &N 页"), "page numbers: {footer}");
    // 统计 prints on one portrait page width, with the same header.
    let report = x.sheet(2).xml;
    let setup = elements(&report, "pageSetup").pop().expect("pageSetup");
    assert!(report.contains("fitToPage=\"1\"") && attr(&setup, "fitToHeight").as_deref() == Some("0"), "{setup}");
    assert!(inner(&report, "oddHeader").is_some_and(|h| h.contains("沧江乡人民政府")));
    assert!(inner(&report, "oddFooter").is_some_and(|f| f.contains("&P")));
}

#[test]
fn without_a_township_name_the_header_has_the_notices_placeholder() {
    let (_dir, file) = demo_xlsx(None);
    let x = Xlsx::open(&file);
    let header = inner(&x.sheet(1).xml, "oddHeader").expect("header");
    assert!(header.contains("______乡(镇)人民政府"), "{header}");
    // A name with Excel's code character prints as written.
    let (_dir, file) = demo_xlsx(Some("A&B乡"));
    let header = inner(&Xlsx::open(&file).sheet(1).xml, "oddHeader").expect("header");
    assert!(header.contains("A&&B乡人民政府"), "{header}");
}

#[test]
fn the_report_sheet_has_a_title_the_sentences_and_a_total_row() {
    let (_dir, file) = demo_xlsx(Some("沧江乡"));
    let x = Xlsx::open(&file);
    let sheet = x.sheet(2);
    assert_eq!(sheet.row(1).cells[0].shown, "沧江乡人民政府 群众接待统计");
    assert!(sheet.row(2).cells[0].shown.starts_with("统计期间: 2026年2月12日至"), "{}", sheet.row(2).cells[0].shown);
    // The seed's sentence, in the seed's words, and the township's.
    sheet.find("自2026年2月12日以来共接待群众7人,办理事件4件,回访1件,落实3件。");
    sheet.find("全乡各渠道合计接待群众18人,登记13件,受理10件,办结8件,落实5件,回访4件。");
    let (head, _) = sheet.find("接待群众(人)");
    let (total, label) = sheet.find("合计");
    assert!(total.n > head.n);
    let (xf, _) = x.style(label.style);
    assert!(xf.contains("fontId=\"") && !xf.contains("fontId=\"0\""), "合计 is bold: {xf}");
    let figures: Vec<&str> = total.cells[1..].iter().map(|c| c.shown.as_str()).collect();
    assert_eq!(figures, ["18", "13", "10", "8", "5", "4", "4"], "the totals, as the township's sentence says");
    // Each total sums the channels above it, and stays a sum when a figure is corrected.
    for (i, c) in total.cells[1..].iter().enumerate() {
        let above: u64 = sheet
            .rows
            .iter()
            .filter(|r| r.n > head.n && r.n < total.n)
            .map(|r| r.cells[i + 1].shown.parse::<u64>().expect("a number"))
            .sum();
        assert_eq!(c.shown, above.to_string(), "{}", c.at);
        let letter = &c.at[..1];
        assert_eq!(c.formula.as_deref(), Some(format!("SUM({letter}{}:{letter}{})", head.n + 1, total.n - 1).as_str()));
    }
    // The word the figure is counted in is said under the table.
    sheet.find(jiedai::ledger::STATS_NOTE);
}

/// LibreOffice, if installed: `soffice` on the PATH.
fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("soffice")).find(|p| p.is_file())
}

/// The pages of a PDF LibreOffice wrote: (landscape, portrait).
fn pages(pdf: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(pdf);
    let (mut landscape, mut portrait) = (0, 0);
    for page in text.split("/Type/Page").skip(1).filter(|p| !p.starts_with('s')) {
        let dict = &page[..page.find(">>").unwrap_or(page.len())];
        let Some(at) = dict.find("/MediaBox[") else { continue };
        let nums: Vec<f64> = dict[at + 10..]
            .split(']')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [_, _, w, h] = nums[..] {
            if w > h { landscape += 1 } else { portrait += 1 }
        }
    }
    (landscape, portrait)
}

#[test]
fn the_demo_ledger_prints_on_one_or_two_landscape_pages() {
    let (dir, file) = demo_xlsx(Some("沧江乡"));
    // What makes it so, in the file itself, wherever the test runs.
    let x = Xlsx::open(&file);
    let ledger = x.sheet(1);
    assert!(ledger.xml.contains("fitToPage=\"1\"") && ledger.xml.contains("orientation=\"landscape\""));
    assert_eq!(ledger.rows.len(), 14, "the header and 13 cases");
    let Some(soffice) = soffice() else {
        eprintln!("NOTICE: LibreOffice (soffice) is not installed: the ledger's PDF pages were not counted");
        return;
    };
    let profile = dir.path().join("lo-profile");
    let mut child = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir", arg(dir.path()), arg(&file)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run soffice");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(180) {
            let _ = child.kill();
            panic!("soffice did not finish in 3 minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let pdf = std::fs::read(dir.path().join("台账.pdf")).expect("LibreOffice wrote the PDF");
    let (landscape, portrait) = pages(&pdf);
    assert!((1..=2).contains(&landscape), "台账: {landscape} landscape pages");
    assert_eq!(portrait, 1, "统计: one portrait page");
}

#[test]
fn export_help_and_the_readme_say_which_file_is_for_whom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = jiedai(dir.path(), &["export", "--help", "--lang", "en"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("xlsx  for people") && help.contains("nothing needs an apostrophe"), "{help}");
    assert!(help.contains("csv   for other programs"), "{help}");
    let readme = include_str!("../README.md");
    let block: Vec<&str> = help.lines().skip_while(|l| !l.starts_with("Formats")).collect();
    assert!(block.len() >= 8, "{help}");
    for line in block.iter().filter(|l| !l.trim().is_empty()) {
        assert!(readme.contains(line.trim()), "README lacks: {line}");
    }
}
