//! Export, import and the report, as the office uses them: round trips,
//! a ledger built to match the seed article, and files from Excel and WPS.

mod common;

use common::jiedai;
use std::process::Output;

fn ok(out: Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(jiedai(&dir.path().join("db"), &["demo"]));
    dir
}

#[test]
fn json_export_import_export_is_identical() {
    let dir = demo();
    let first = ok(jiedai(&dir.path().join("db"), &["export", "--format", "json"]));
    let file = dir.path().join("all.json");
    std::fs::write(&file, &first).expect("write");
    let other = dir.path().join("other");
    ok(jiedai(&other, &["import", "json", file.to_str().expect("utf8")]));
    let second = ok(jiedai(&other, &["export", "--format", "json"]));
    assert_eq!(first, second);
    ok(jiedai(&other, &["check"]));
    // Only into an empty database.
    let again = jiedai(&other, &["import", "json", file.to_str().expect("utf8")]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn csv_export_import_gives_the_same_report() {
    let dir = demo();
    let db = dir.path().join("db");
    let csv = dir.path().join("ledger.csv");
    ok(jiedai(&db, &["export", "--format", "csv", "--out", csv.to_str().expect("utf8")]));
    let other = dir.path().join("other");
    ok(jiedai(&other, &["import", "cases", csv.to_str().expect("utf8")]));
    let before = ok(jiedai(&db, &["report"]));
    let after = ok(jiedai(&other, &["report"]));
    let sentences = |r: &str| r.lines().take(5).map(String::from).collect::<Vec<_>>();
    assert_eq!(sentences(&before), sentences(&after));
    assert!(before.starts_with("自2026年2月12日以来共接待群众7人"), "{before}");
}

/// A ledger matching the seed: at the reception desk 203 residents in 30
/// cases, all accepted, 28 implemented, 35 return visits; and 61 slips from
/// the opinion box, 38 of them rectified.
fn seed_ledger() -> String {
    let mut rows = vec![
        "编号,登记日期,来源,姓名,电话,村,组,人数,类别,事由,受理日期,办结日期,办理结果,办结理由,回访次数,最近回访满意度"
            .to_string(),
    ];
    for i in 0..30 {
        let people = if i < 20 {
            7
        } else if i < 29 {
            6
        } else {
            9
        };
        let outcome = if i < 28 { "支持/已落实" } else { "解释说明" };
        let visits = if i < 5 { 2 } else { 1 };
        rows.push(format!(
            "2026-{:04},2026-03-{:02},接待日,群众{i},,坝达章村,五组,{people},道路交通,通组路损坏{i},2026-03-{:02},2026-04-{:02},{outcome},已处理,{visits},满意",
            i + 1,
            i % 28 + 1,
            i % 28 + 1,
            i % 28 + 1
        ));
    }
    for i in 0..61 {
        let done = if i < 38 { "2026-05-10,支持/已落实,已整改" } else { ",," };
        let category = ["低保救助", "道路交通", "退耕还林"][i % 3];
        rows.push(format!(",2026-04-08,意见箱,,,沧江村,,1,{category},意见{i},2026-04-09,{done},0,"));
    }
    rows.join("\r\n")
}

#[test]
fn a_ledger_matching_the_seed_reports_the_seeds_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("seed.csv");
    std::fs::write(&file, seed_ledger()).expect("write");
    let db = dir.path().join("db");
    assert!(ok(jiedai(&db, &["import", "cases", file.to_str().expect("utf8")])).contains("已导入: 91"));
    let report = ok(jiedai(&db, &["report", "--from", "2026-01-01", "--to", "2026-06-30"]));
    let mut lines = report.lines();
    assert_eq!(lines.next(), Some("2026年1月1日至2026年6月30日共接待群众203人,办理事件30件,回访35件,落实28件。"));
    assert_eq!(lines.next(), Some("搜集到的意见61条,进行整改38条。"));
    let json: serde_json::Value =
        serde_json::from_str(&ok(jiedai(&db, &["report", "--from", "2026-01-01", "--format", "json"]))).expect("json");
    assert_eq!(json["stats"]["by_channel"][0][1]["people"], 203);
    let en = ok(jiedai(&db, &["report", "--from", "2026-01-01", "--to", "2026-06-30", "--lang", "en"]));
    assert!(en.starts_with("From 2026-01-01 to 2026-06-30, the reception day received 203 residents, handled 30 cases, made 35 return visits and implemented 28."), "{en}");
}

#[test]
fn csv_is_safe_for_excel_and_wps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("in.csv");
    let evil = "编号,登记日期,来源,姓名,电话,村,组,人数,类别,事由,详情\r\n\
                ,2026-03-01,电话,@某人,13800138000,沧江村,,1,其他,\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",\"第一行\n第二行,有逗号\"\r\n\
                ,2026-03-02,电话,张三,0859-3224873,沧江村,,1,其他,-5 元,\"\"\"引号\"\"\"\r\n";
    std::fs::write(&file, evil).expect("write");
    let db = dir.path().join("db");
    ok(jiedai(&db, &["import", "cases", file.to_str().expect("utf8")]));
    let out = dir.path().join("out.csv");
    ok(jiedai(&db, &["export", "--format", "csv", "--out", out.to_str().expect("utf8")]));
    let bytes = std::fs::read(&out).expect("read");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = String::from_utf8(bytes).expect("utf8");
    assert!(text.contains("\"'=HYPERLINK("), "formula neutralised: {text}");
    assert!(text.contains(",'@某人,"), "{text}");
    assert!(text.contains(",'-5 元,"), "{text}");
    assert!(text.contains("\"=\"\"13800138000\"\"\""), "phone kept as text: {text}");
    assert!(text.contains("\"第一行\n第二行,有逗号\""), "multi-line quoted: {text}");
    // And it reads back as it was written.
    let again = dir.path().join("again");
    ok(jiedai(&again, &["import", "cases", out.to_str().expect("utf8")]));
    let json: serde_json::Value = serde_json::from_str(&ok(jiedai(&again, &["export"]))).expect("json");
    let first = &json["cases"][0]["case"]["intake"];
    assert_eq!(first["summary"], "=HYPERLINK(\"http://x\",\"点我\")");
    assert_eq!(first["phone"], "13800138000");
    assert_eq!(first["name"], "@某人");
}

#[test]
fn residents_and_cadres_from_gbk_files_with_an_18_digit_id_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let (gbk, _, _) = encoding_rs::GBK
        .encode("姓名,电话,村,组,身份证号\r\n唐科名,13765912345,坝达章村,坝汪组,522301198001011234\r\n");
    let file = dir.path().join("residents.csv");
    std::fs::write(&file, gbk).expect("write");
    assert!(ok(jiedai(&db, &["import", "residents", file.to_str().expect("utf8")])).contains("已导入: 1"));
    // A cadre covers places of the directory: the villages come first.
    let (gbk, _, _) = encoding_rs::GBK.encode("村,组\r\n坝达章村,坝汪组\r\n沧江村,\r\n");
    let villages = dir.path().join("villages.csv");
    std::fs::write(&villages, gbk).expect("write");
    assert!(ok(jiedai(&db, &["import", "villages", villages.to_str().expect("utf8")])).contains("已导入: 2 个村"));
    let cadres = dir.path().join("cadres.csv");
    std::fs::write(&cadres, "\u{feff}姓名,职务,电话,联系\n岑国仲,人大主席,13908591001,坝达章村、沧江村\n")
        .expect("write");
    ok(jiedai(&db, &["import", "cadres", cadres.to_str().expect("utf8")]));
    let json: serde_json::Value = serde_json::from_str(&ok(jiedai(&db, &["export"]))).expect("json");
    assert_eq!(json["residents"][0]["name"], "唐科名");
    assert_eq!(json["residents"][0]["group"], "坝汪组");
    assert_eq!(json["cadres"][0]["covers"], serde_json::json!(["坝达章村", "沧江村"]));
}

#[test]
fn a_bad_line_stops_the_import_and_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "登记日期,姓名,电话,事由\n2026-03-01,甲,13800138000,路坏了\n2026-13-45,乙,,灯坏了\n2026-03-02,丙,12345,水管\n2026-03-03,丁,,\n")
        .expect("write");
    let out = jiedai(&db, &["import", "cases", file.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("有错误, 什么都没有导入"), "{err}");
    assert!(err.contains("bad.csv:3: 登记日期: 日期要写成"), "{err}");
    assert!(err.contains("bad.csv:4: 电话: 电话号码不对"), "{err}");
    assert!(err.contains("bad.csv:5: 事由不能为空"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&ok(jiedai(&db, &["export"]))).expect("json");
    assert_eq!(json["cases"].as_array().map(Vec::len), Some(0), "nothing imported");
    let out = jiedai(&db, &["import", "cases", file.to_str().expect("utf8"), "--skip-bad"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("跳过的坏行 (3)"));
    let json: serde_json::Value = serde_json::from_str(&ok(jiedai(&db, &["export"]))).expect("json");
    assert_eq!(json["cases"].as_array().map(Vec::len), Some(1));
}

#[test]
fn xlsx_ledger_as_the_office_keeps_it() {
    use std::io::Read;
    let dir = demo();
    let db = dir.path().join("db");
    let file = dir.path().join("台账.xlsx");
    // An xlsx goes to a file, never to the terminal.
    assert_eq!(jiedai(&db, &["export", "--format", "xlsx"]).status.code(), Some(1));
    ok(jiedai(&db, &["export", "--format", "xlsx", "--out", file.to_str().expect("utf8")]));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).expect("open")).expect("an xlsx is a zip");
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the xlsx")).read_to_string(&mut s).expect("read");
        s
    };
    let book = read("xl/workbook.xml");
    assert!(book.contains("name=\"台账\"") && book.contains("name=\"统计\""), "{book}");
    let ledger = read("xl/worksheets/sheet1.xml");
    assert!(ledger.contains("ySplit=\"1\""), "header row frozen");
    assert!(ledger.contains("<col ") && ledger.contains("width="), "column widths set");
    let strings = read("xl/sharedStrings.xml");
    // Phone numbers are strings (never 1.39E+10), and the headers are Chinese.
    assert!(strings.contains(">13985941234<"), "phone as text");
    assert!(strings.contains(">编号<") && strings.contains(">最近回访满意度<"));
    assert!(strings.contains("共接待群众7人,办理事件4件,回访1件,落实3件。"), "the report sheet");
}

/// Bytes a terminal would act on: C0 controls (but line breaks and tabs),
/// DEL, C1 controls, bidi overrides and isolates, zero-width characters.
fn terminal_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect()
}

#[test]
fn report_export_and_check_write_no_terminal_controls_from_the_data() {
    let dir = demo();
    let db = dir.path().join("db");
    let mut export: serde_json::Value =
        serde_json::from_str(&ok(jiedai(&db, &["export", "--format", "json"]))).expect("json");
    // A restore file with escapes in the texts, consistent between the case
    // and its registration event (so only the escapes are wrong).
    let evil = |s: &str| format!("\u{1b}]0;pwned\u{7}{s}\u{1b}[2J\u{9b}31m\u{202e}");
    for case in export["cases"].as_array_mut().expect("cases") {
        for field in ["village", "category", "name", "summary", "details"] {
            let old = case["case"]["intake"][field].as_str().unwrap_or_default().to_string();
            case["case"]["intake"][field] = serde_json::json!(evil(&old));
            case["events"][0]["kind"]["Registered"]["intake"][field] = serde_json::json!(evil(&old));
        }
        for event in case["events"].as_array_mut().expect("events") {
            event["operator"] = serde_json::json!(evil("接待员"));
        }
    }
    let file = dir.path().join("evil.json");
    std::fs::write(&file, export.to_string()).expect("write");
    let other = dir.path().join("other");
    ok(jiedai(&other, &["import", "json", file.to_str().expect("utf8")]));
    for args in
        [&["report"][..], &["report", "--format", "json"], &["export", "--format", "csv"], &["export"], &["check"]]
    {
        let out = jiedai(&other, args);
        // The CSV's BOM is its own, for Excel, not the data's.
        let stdout = String::from_utf8_lossy(&out.stdout);
        let all =
            format!("{}{}", stdout.strip_prefix('\u{feff}').unwrap_or(&stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {all}");
        assert_eq!(terminal_controls(&all), Vec::<char>::new(), "{args:?}");
        assert!(!all.contains("\\u001b"), "{args:?}: escapes are not even stored");
    }
    // The text itself is kept, only the controls are gone.
    let json: serde_json::Value = serde_json::from_str(&ok(jiedai(&other, &["export"]))).expect("json");
    assert!(json["cases"][0]["case"]["intake"]["village"].as_str().expect("village").contains("]0;pwned"));
    assert_eq!(json["cases"][0]["events"][0]["operator"], "]0;pwned接待员[2J31m");
}

#[test]
fn an_operator_name_with_escapes_is_stored_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let file = dir.path().join("one.csv");
    std::fs::write(&file, "登记日期,事由\n2026-03-01,路坏了\n").expect("write");
    ok(jiedai(&db, &["import", "cases", file.to_str().expect("utf8"), "--operator", "\u{1b}]0;x\u{7}张三\u{1b}[2J"]));
    let json: serde_json::Value = serde_json::from_str(&ok(jiedai(&db, &["export"]))).expect("json");
    assert_eq!(json["cases"][0]["events"][0]["operator"], "]0;x张三[2J");
}

#[test]
fn an_xlsx_cell_over_excels_limit_is_cut_with_a_mark_and_the_rest_exported() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let file = dir.path().join("long.csv");
    let long = "长".repeat(40_000);
    std::fs::write(&file, format!("登记日期,事由,详情\n2026-03-01,路坏了,{long}\n2026-03-02,灯坏了,路灯不亮\n"))
        .expect("write");
    ok(jiedai(&db, &["import", "cases", file.to_str().expect("utf8")]));
    let xlsx = dir.path().join("台账.xlsx");
    let out = jiedai(&db, &["export", "--format", "xlsx", "--out", xlsx.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2026-0001") && err.contains("32767"), "said on stderr: {err}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).expect("open")).expect("zip");
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml").expect("strings").read_to_string(&mut strings).expect("read");
    assert!(strings.contains("路灯不亮"), "the other rows are there");
    assert!(strings.contains("以下截断"), "the cut is marked");
    assert!(!strings.contains(&long), "the cell fits Excel");
}

#[test]
fn exports_are_written_owner_only_even_over_a_0644_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = demo();
    let db = dir.path().join("db");
    for format in ["json", "csv", "xlsx"] {
        let out = dir.path().join(format!("out.{format}"));
        std::fs::write(&out, "old").expect("old");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        ok(jiedai(&db, &["export", "--format", format, "--out", out.to_str().expect("utf8")]));
        let mode = std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{format}: {mode:o}");
        assert_ne!(std::fs::read(&out).expect("read"), b"old");
    }
}
