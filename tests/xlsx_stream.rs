//! The xlsx ledger is written a row at a time (issue #16, streaming); the
//! file must still open: read back as a zip and an XML parser, as a
//! spreadsheet reads it, every case is in its own row, in order, each row
//! once (the writer's "low memory" mode wrote the last row twice, which
//! Excel refuses), with its height, and the strings it names are there.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;

fn jiedai(db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", "zh_CN.UTF-8")
        .env("JIEDAI_OPERATOR", "测试")
        .env_remove("JIEDAI_DB")
        .output()
        .expect("run jiedai")
}

fn ok(out: std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A sheet's row as read: its number, height and cells (reference, type,
/// value).
struct Row {
    n: u32,
    height: Option<String>,
    cells: Vec<(String, Option<String>, String)>,
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .map(|a| a.expect("well-formed attribute"))
        .find(|a| a.key.as_ref() == name)
        // References, numbers, types: nothing escaped.
        .map(|a| String::from_utf8(a.value.to_vec()).expect("utf8"))
}

/// Every part of the package, each read whole (so its CRC is checked).
fn parts(file: &Path) -> std::collections::HashMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).expect("open")).expect("an xlsx is a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut s = String::new();
            f.read_to_string(&mut s).expect("a part reads whole, its CRC right");
            (f.name().expect("name").to_string(), s)
        })
        .collect()
}

/// The sheet's `<dimension ref>` and rows, through an XML parser: a
/// malformed part fails here.
fn sheet_rows(xml: &str) -> (String, Vec<Row>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut dimension, mut rows) = (String::new(), Vec::<Row>::new());
    let mut in_value = false;
    loop {
        match reader.read_event().expect("well-formed sheet XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"dimension" => dimension = attr(&e, b"ref").expect("ref"),
                b"row" => rows.push(Row {
                    n: attr(&e, b"r").expect("r").parse().expect("row number"),
                    height: attr(&e, b"ht"),
                    cells: Vec::new(),
                }),
                b"c" => rows.last_mut().expect("a cell in a row").cells.push((
                    attr(&e, b"r").expect("r"),
                    attr(&e, b"t"),
                    String::new(),
                )),
                b"v" => in_value = true,
                _ => {}
            },
            Event::Text(t) if in_value => {
                let cell = rows.last_mut().and_then(|r| r.cells.last_mut()).expect("a value in a cell");
                cell.2.push_str(&t.decode().expect("text"));
            }
            Event::End(e) if e.name().as_ref() == b"v" => in_value = false,
            _ => {}
        }
    }
    (dimension, rows)
}

/// The shared strings, in order.
fn strings(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut in_text = false;
    loop {
        match reader.read_event().expect("well-formed strings XML") {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"si" => out.push(String::new()),
            Event::Start(e) if e.name().as_ref() == b"t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"t" => in_text = false,
            Event::Text(t) if in_text => out.last_mut().expect("text in a string").push_str(&t.decode().expect("text")),
            Event::GeneralRef(r) if in_text => {
                let name: &[u8] = &r;
                let c = match name {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    _ => "'",
                };
                out.last_mut().expect("text in a string").push_str(c);
            }
            _ => {}
        }
    }
    out
}

/// What a cell shows: its shared string, or its value.
fn shown(cell: &(String, Option<String>, String), strings: &[String]) -> String {
    match cell.1.as_deref() {
        Some("s") => strings[cell.2.parse::<usize>().expect("string index")].clone(),
        _ => cell.2.clone(),
    }
}

/// `n` cases imported from a ledger file, the last one with a detail of
/// five lines (so its row is taller than the others).
fn ledger_of(dir: &Path, n: usize) -> std::path::PathBuf {
    let db = dir.join("db");
    let mut csv = String::from("登记日期,事由,姓名,电话,详情\n");
    for i in 1..=n {
        // The last is the latest, so it is the last row whatever the order.
        let (day, details) = match i == n {
            true => ("2026-04-01".to_string(), "\"一\n二\n三\n四\n五\"".to_string()),
            false => (format!("2026-03-{:02}", 1 + i % 28), format!("第{i}件的详情")),
        };
        csv.push_str(&format!("{day},第{i}件事由,群众{i},139{i:08},{details}\n"));
    }
    let file = dir.join("cases.csv");
    std::fs::write(&file, csv).expect("write");
    ok(jiedai(&db, &["import", "cases", file.to_str().expect("utf8")]));
    db
}

#[test]
fn a_ledger_of_thousands_of_cases_reads_back_each_row_once_in_order() {
    const N: usize = 3000;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = ledger_of(dir.path(), N);
    let file = dir.path().join("台账.xlsx");
    ok(jiedai(&db, &["export", "--format", "xlsx", "--out", file.to_str().expect("utf8")]));
    let parts = parts(&file);
    let strings = strings(&parts["xl/sharedStrings.xml"]);
    let (dimension, rows) = sheet_rows(&parts["xl/worksheets/sheet1.xml"]);
    assert_eq!(dimension, format!("A1:V{}", N + 1));
    // The header and every case: rows 1 to N+1, each once, in order.
    let numbers: Vec<u32> = rows.iter().map(|r| r.n).collect();
    assert_eq!(numbers, (1..=N as u32 + 1).collect::<Vec<_>>());
    for row in &rows {
        assert_eq!(row.cells.len(), 22, "row {} has all its cells", row.n);
        assert!(row.height.is_some(), "row {} has its height", row.n);
        assert!(row.cells.iter().all(|c| c.0.ends_with(&format!("{}", row.n)) && c.0.starts_with(char::is_alphabetic)));
    }
    assert_eq!(shown(&rows[0].cells[0], &strings), "编号");
    // Cases in their numbers' order, each with its own texts, each once.
    let mut seen = std::collections::BTreeSet::new();
    for (k, row) in rows[1..].iter().enumerate() {
        assert_eq!(shown(&row.cells[0], &strings), format!("2026-{:04}", k + 1));
        let summary = shown(&row.cells[9], &strings);
        let i: usize = summary.trim_start_matches('第').trim_end_matches("件事由").parse().expect("第i件事由");
        assert_eq!(shown(&row.cells[4], &strings), format!("139{i:08}"), "a phone is text, in its case's row");
        assert_eq!(shown(&row.cells[3], &strings), format!("群众{i}"));
        assert!(seen.insert(i), "case {i} once");
    }
    assert_eq!(seen.len(), N);
    // The last row is the last case, whole, five lines tall (5 * 16 + 2
    // points, in whole pixels).
    let last = rows.last().expect("rows");
    assert_eq!(shown(&last.cells[10], &strings), "一\n二\n三\n四\n五");
    let height = |r: &Row| r.height.as_deref().and_then(|h| h.parse::<f64>().ok()).expect("height");
    assert!((height(last) - 82.0).abs() < 0.5, "{}", height(last));
    assert!(rows[1..N].iter().all(|r| height(r) < 40.0), "the others one or two lines");
    // 统计 follows, whole.
    let (_, stats) = sheet_rows(&parts["xl/worksheets/sheet2.xml"]);
    assert!(stats.windows(2).all(|w| w[0].n < w[1].n), "统计's rows in order, each once");
    assert!(strings.iter().any(|s| s == "合计"));
}

#[test]
fn a_ledger_with_no_case_in_the_period_is_its_header_row_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = ledger_of(dir.path(), 3);
    let file = dir.path().join("empty.xlsx");
    let path = file.to_str().expect("utf8");
    ok(jiedai(&db, &["export", "--format", "xlsx", "--out", path, "--from", "2027-01-01", "--to", "2027-01-31"]));
    let parts = parts(&file);
    let (dimension, rows) = sheet_rows(&parts["xl/worksheets/sheet1.xml"]);
    assert_eq!(dimension, "A1:V1");
    assert_eq!(rows.iter().map(|r| r.n).collect::<Vec<_>>(), vec![1]);
    assert_eq!(rows[0].cells.len(), 22);
    // And nothing is left beside the export but the export.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(left, Vec::<String>::new());
}

/// A shared string or cell text as a spreadsheet reads it: XML entities
/// and character references resolved, then Excel's `_xHHHH_` escapes.
fn excel_text(xml_text: &str) -> String {
    let mut out = String::new();
    let mut rest = xml_text;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 2..at + 6).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        match code.filter(|_| rest.get(at + 6..at + 7) == Some("_")) {
            Some(hex) => {
                out.push(char::from_u32(u32::from_str_radix(hex, 16).expect("hex")).expect("char"));
                rest = &rest[at + 7..];
            }
            None => {
                out.push_str("_x");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The shared strings, each as a spreadsheet shows it.
fn strings_as_read(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut raw: Vec<String> = Vec::new();
    let mut in_text = false;
    loop {
        match reader.read_event().expect("well-formed strings XML") {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"si" => raw.push(String::new()),
            Event::Start(e) if e.name().as_ref() == b"t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"t" => in_text = false,
            Event::Text(t) if in_text => raw.last_mut().expect("si").push_str(&t.decode().expect("text")),
            Event::GeneralRef(r) if in_text => {
                let name = String::from_utf8(r.to_vec()).expect("utf8");
                let c = match name.as_str() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    n => {
                        let n = n.strip_prefix('#').expect("a character reference");
                        let code = match n.strip_prefix('x') {
                            Some(hex) => u32::from_str_radix(hex, 16),
                            None => n.parse(),
                        };
                        char::from_u32(code.expect("number")).expect("char")
                    }
                };
                raw.last_mut().expect("si").push(c);
            }
            _ => {}
        }
    }
    raw.iter().map(|s| excel_text(s)).collect()
}

#[test]
fn texts_that_need_escaping_read_back_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    // Markup, quotes, Excel's own escape written literally, control
    // characters (the import drops them, as the desk does), emoji, CJK
    // beyond the BMP, a tab and line breaks.
    let texts = [
        "<b>路灯</b> & \"水\" 'ok'",
        "a_x0041_b _x001B_ _x005F_ _x12_",
        "坏\u{1}了\u{1b}[2J\u{7}",
        "😀🇨🇳 𠀀𪚥𰻞",
        "一\t二\n三\n\n四",
        "]]> <![CDATA[ &amp; &#x41;",
    ];
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut csv = String::from("登记日期,事由,姓名,详情\n");
    for (i, t) in texts.iter().enumerate() {
        csv.push_str(&format!(
            "2026-03-{:02},{},{},{}\n",
            i + 1,
            quote(t),
            quote(&format!("{t}人")),
            quote(&format!("详{t}"))
        ));
    }
    let file = dir.path().join("cases.csv");
    std::fs::write(&file, csv).expect("write");
    ok(jiedai(&db, &["import", "cases", file.to_str().expect("utf8")]));
    // What the database holds: the ledger must show exactly that.
    let json: serde_json::Value =
        serde_json::from_str(&String::from_utf8(jiedai(&db, &["export"]).stdout).expect("utf8")).expect("json");
    let field = |c: &serde_json::Value, f: &str| c["case"]["intake"][f].as_str().expect("text").to_string();
    let mut held: Vec<[String; 3]> = json["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| [field(c, "name"), field(c, "summary"), field(c, "details")])
        .collect();
    held.sort();
    let summaries: Vec<&str> = held.iter().map(|h| h[1].as_str()).collect();
    for kept in [texts[0], texts[1], texts[3], texts[5]] {
        assert!(summaries.contains(&kept), "{kept:?} stored as written: {summaries:?}");
    }
    assert!(held.iter().any(|h| h[2].contains("二\n三\n\n四")), "lines kept in 详情: {held:?}");
    assert!(summaries.contains(&"坏了[2J"), "controls dropped on import: {summaries:?}");

    let xlsx = dir.path().join("台账.xlsx");
    ok(jiedai(&db, &["export", "--format", "xlsx", "--out", xlsx.to_str().expect("utf8")]));
    let parts = parts(&xlsx);
    let strings = strings_as_read(&parts["xl/sharedStrings.xml"]);
    let (dimension, rows) = sheet_rows(&parts["xl/worksheets/sheet1.xml"]);
    assert_eq!(dimension, format!("A1:V{}", texts.len() + 1));
    let text = |cell: &(String, Option<String>, String)| {
        assert_eq!(cell.1.as_deref(), Some("s"), "{} is a shared string", cell.0);
        strings[cell.2.parse::<usize>().expect("index")].clone()
    };
    let mut shown: Vec<[String; 3]> =
        rows[1..].iter().map(|r| [text(&r.cells[3]), text(&r.cells[9]), text(&r.cells[10])]).collect();
    shown.sort();
    assert_eq!(shown, held);
    // The other parts are still well-formed XML.
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut reader = quick_xml::Reader::from_str(xml);
            while reader.read_event().unwrap_or_else(|e| panic!("{name}: {e}")) != Event::Eof {}
        }
    }
}

/// A killed export never leaves a half-written file where the export goes:
/// the old file stays until the new one is whole (a full disk:
/// tests/interrupted.rs).
#[test]
fn a_killed_xlsx_export_leaves_the_old_file_or_the_whole_new_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = ledger_of(dir.path(), 3000);
    let file = dir.path().join("台账.xlsx");
    let path = file.to_str().expect("utf8");
    // Killed at any moment: the file is the old one or the whole new one.
    for delay_ms in [5, 20, 60, 150, 400, 1000] {
        std::fs::write(&file, "old").expect("old");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
            .args(["export", "--format", "xlsx", "--out", path, "--db"])
            .arg(&db)
            .env("LANG", "zh_CN.UTF-8")
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().expect("wait");
        let now = std::fs::read(&file).expect("read");
        if now != b"old" {
            let (_, rows) = sheet_rows(&parts(&file)["xl/worksheets/sheet1.xml"]);
            assert_eq!(rows.len(), 3001, "killed after {delay_ms} ms: whole");
        }
    }
}
