//! Imports are all or nothing: every row is checked by the store's own
//! rules before anything is written, every bad row is named by its physical
//! line, a file imported once is recognised, counts and sizes are bounded,
//! and a JSON restore is refused whole when any case is inconsistent.

mod common;

use common::jiedai;
use common::run::{arg, ok, text, write};
use std::path::Path;

/// How many cases the database holds, as the export says.
fn cases_in(db: &Path) -> usize {
    let json: serde_json::Value = serde_json::from_str(&ok(jiedai(db, &["export"]))).expect("json");
    json["cases"].as_array().map_or(0, Vec::len)
}

const HEAD: &str = "登记日期,姓名,事由,受理日期,办结日期,办理结果,办结理由,回访次数,最近回访满意度,再次反映次数";

fn good_rows(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("2026-03-{:02},群众{i},路坏了{i},2026-03-{:02},,,,,,", i % 28 + 1, i % 28 + 1)).collect()
}

fn ledger(rows: &[String]) -> String {
    let mut out = vec![HEAD.to_string()];
    out.extend(rows.iter().cloned());
    out.join("\n") + "\n"
}

#[test]
fn a_row_the_store_refuses_keeps_nothing_and_is_named_by_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = [
        // 事由 only a zero-width space: empty once the store cleans it.
        ("2026-03-02,乙,\u{200b},,,,,,,", "事由不能为空"),
        // 办结理由 only a control character: no reason once cleaned.
        ("2026-03-02,乙,灯坏了,2026-03-02,2026-03-05,支持/已落实,\u{1},,,", "请填写理由"),
        // Two return visits, the last unsatisfied: the first reopens the case.
        ("2026-03-02,乙,水管,2026-03-02,2026-03-05,支持/已落实,已修,2,不满意,", "此事件尚未办结"),
    ];
    for (n, (row, why)) in bad.iter().enumerate() {
        let db = dir.path().join(format!("db{n}"));
        let mut rows = good_rows(20);
        rows.push(row.to_string());
        let file = write(dir.path(), &format!("bad{n}.csv"), &ledger(&rows));
        let out = jiedai(&db, &["import", "cases", arg(&file)]);
        assert_eq!(out.status.code(), Some(1), "{row}: {}", text(&out.stdout));
        let err = text(&out.stderr);
        assert!(err.contains(&format!("bad{n}.csv:22:")), "the line is named: {err}");
        assert!(err.contains(why), "{err}");
        assert!(err.contains("什么都没有导入"), "{err}");
        assert_eq!(cases_in(&db), 0, "{row}: nothing kept");
        ok(jiedai(&db, &["check"]));
    }
    // With --skip-bad the good rows go in and every bad one is named.
    let db = dir.path().join("skip");
    let mut rows = good_rows(20);
    rows.extend(bad.iter().map(|(r, _)| r.to_string()));
    let file = write(dir.path(), "mixed.csv", &ledger(&rows));
    let out = jiedai(&db, &["import", "cases", arg(&file), "--skip-bad"]);
    assert!(ok(out.clone()).contains("已导入: 20"));
    let err = text(&out.stderr);
    for line in [22, 23, 24] {
        assert!(err.contains(&format!("mixed.csv:{line}:")), "{err}");
    }
    assert_eq!(cases_in(&db), 20);
}

#[test]
fn the_same_file_imported_twice_is_recognised_and_not_duplicated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let file = write(dir.path(), "march.csv", &ledger(&good_rows(20)));
    assert!(ok(jiedai(&db, &["import", "cases", arg(&file)])).contains("已导入: 20"));
    let again = ok(jiedai(&db, &["import", "cases", arg(&file), "--operator", "李四"]));
    assert!(again.contains("这个文件已经导入过"), "{again}");
    assert!(again.contains("20 件"), "{again}");
    assert_eq!(cases_in(&db), 20, "not duplicated");
    // Re-saved by Excel as GBK with a BOM-less CRLF: the same ledger still.
    let crlf = ledger(&good_rows(20)).replace('\n', "\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&crlf);
    let copy = dir.path().join("march-gbk.csv");
    std::fs::write(&copy, gbk).expect("write");
    let en = ok(jiedai(&db, &["import", "cases", arg(&copy), "--lang", "en"]));
    assert!(en.contains("already imported"), "{en}");
    assert_eq!(cases_in(&db), 20);
    // Residents and cadres too.
    let people = write(dir.path(), "people.csv", "姓名,电话,村,组\n唐科名,13765912345,坝达章村,坝汪组\n");
    assert!(ok(jiedai(&db, &["import", "residents", arg(&people)])).contains("已导入: 1"));
    assert!(ok(jiedai(&db, &["import", "residents", arg(&people)])).contains("这个文件已经导入过"));
}

#[test]
fn counts_and_sizes_are_bounded_and_the_cell_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let cases = [
        ("2026-03-01,甲,路坏了,,,,,,,50000000", "再次反映次数"),
        ("2026-03-01,甲,路坏了,2026-03-01,2026-03-02,解释说明,已解释,200000,满意,", "回访次数"),
        ("2026-03-01,甲,路坏了,,,,,,,两次", "再次反映次数"),
    ];
    for (n, (row, column)) in cases.iter().enumerate() {
        let file = write(dir.path(), &format!("big{n}.csv"), &ledger(&[row.to_string()]));
        let out = jiedai(&db, &["import", "cases", arg(&file)]);
        assert_eq!(out.status.code(), Some(1), "{row}");
        let err = text(&out.stderr);
        assert!(err.contains(&format!("big{n}.csv:2: {column}")), "line and column named: {err}");
    }
    // A 50 MB cell: refused, named, and not echoed back.
    let huge = "长".repeat(50 * 1024 * 1024 / 3);
    let file = write(dir.path(), "huge.csv", &format!("登记日期,事由,详情\n2026-03-01,路坏了,{huge}\n"));
    let out = jiedai(&db, &["import", "cases", arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("huge.csv:2: 详情"), "{err}");
    assert!(err.contains("100000"), "the limit is stated: {err}");
    assert!(err.len() < 2000, "the cell is not echoed: {} bytes", err.len());
    // 人数 as well.
    let file = write(dir.path(), "crowd.csv", "登记日期,事由,人数\n2026-03-01,路坏了,4000000000\n");
    let err = text(&jiedai(&db, &["import", "cases", arg(&file)]).stderr);
    assert!(err.contains("crowd.csv:2: 人数"), "{err}");
    assert_eq!(cases_in(&db), 0);
}

#[test]
fn errors_name_the_physical_line_and_unbalanced_quotes_are_reported_as_such() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let file = write(
        dir.path(),
        "multi.csv",
        "登记日期,姓名,事由,详情\n2026-03-01,甲,路坏了,\"第一行\n第二行\n第三行\"\n2026-13-45,乙,灯坏了,\n",
    );
    let err = text(&jiedai(&db, &["import", "cases", arg(&file)]).stderr);
    assert!(err.contains("multi.csv:5: 登记日期"), "{err}");
    assert!(!err.contains("multi.csv:3"), "{err}");
    // A quote opened on line 3 and closed by the quote on line 4: line 4
    // would be swallowed into line 3's 详情.
    let swallow = "登记日期,姓名,事由,详情\n2026-03-01,甲,路坏了,好\n2026-03-02,乙,灯坏了,\"坏了\n2026-03-03,丙,水管,\"漏水\"\n2026-03-04,丁,桥,\n";
    // A quote that never closes.
    let open = "登记日期,姓名,事由,详情\n2026-03-01,甲,路坏了,好\n2026-03-02,乙,\"灯坏了,\n2026-03-03,丙,水管,\n";
    for (name, body) in [("swallow.csv", swallow), ("open.csv", open)] {
        let file = write(dir.path(), name, body);
        for skip in [false, true] {
            let mut args = vec!["import", "cases", arg(&file)];
            if skip {
                args.push("--skip-bad");
            }
            let out = jiedai(&db, &args);
            assert_eq!(out.status.code(), Some(1), "{name} skip={skip}: {}", text(&out.stdout));
            let err = text(&out.stderr);
            assert!(err.contains(&format!("{name}:3: 引号没有配对")), "{err}");
            assert!(!err.contains("事由不能为空"), "{err}");
            assert_eq!(cases_in(&db), 0, "{name}: nothing swallowed, nothing kept");
        }
    }
}

#[test]
fn acceptance_and_conclusion_before_registration_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let file = write(
        dir.path(),
        "dates.csv",
        "登记日期,事由,受理日期,办结日期,办理结果\n\
         2026-03-10,路坏了,2026-03-01,,\n\
         2026-03-10,灯坏了,,2026-03-01,解释说明\n\
         2026-03-10,水管,2026-03-12,2026-03-11,解释说明\n\
         2026-03-10,桥,2026-03-10,2026-03-10,解释说明\n",
    );
    let out = jiedai(&db, &["import", "cases", arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("dates.csv:2: 受理日期"), "{err}");
    assert!(err.contains("dates.csv:3: 办结日期"), "{err}");
    assert!(err.contains("dates.csv:4: 办结日期"), "{err}");
    assert!(!err.contains("dates.csv:5"), "the same day is fine: {err}");
    assert_eq!(cases_in(&db), 0);
}

fn demo_export(dir: &Path) -> serde_json::Value {
    let db = dir.join("demo");
    ok(jiedai(&db, &["demo"]));
    serde_json::from_str(&ok(jiedai(&db, &["export"]))).expect("json")
}

fn case_no(v: &serde_json::Value) -> String {
    format!("{}-{:04}", v["year"], v["seq"].as_u64().expect("seq"))
}

#[test]
fn a_json_restore_is_refused_whole_and_names_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = demo_export(dir.path());
    let try_restore = |name: &str, json: &serde_json::Value| {
        let file = write(dir.path(), &format!("{name}.json"), &json.to_string());
        let db = dir.path().join(name);
        let out = jiedai(&db, &["import", "json", arg(&file)]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stdout));
        // Refused before anything is written: no database is made for it,
        // or the one there holds nothing of it.
        if db.exists() {
            assert_eq!(cases_in(&db), 0, "{name}: nothing stored");
            ok(jiedai(&db, &["check"]));
        }
        (db, text(&out.stderr))
    };
    let mut v99 = export.clone();
    v99["format"] = serde_json::json!(99);
    let (_, err) = try_restore("v99", &v99);
    assert!(err.contains("99") && err.contains("格式"), "{err}");

    let mut dup = export.clone();
    let first = dup["cases"][0].clone();
    let no = case_no(&first["case"]["no"]);
    dup["cases"].as_array_mut().expect("cases").push(first);
    let (_, err) = try_restore("dup", &dup);
    assert!(err.contains(&no) && err.contains("重复"), "{err}");

    let mut edited = export.clone();
    let no = case_no(&edited["cases"][12]["case"]["no"]);
    edited["cases"][12]["case"]["intake"]["summary"] = serde_json::json!("改过的事由");
    let (db, err) = try_restore("edited", &edited);
    assert!(err.contains(&no), "{err}");
    // The refused database still takes the good export.
    let good = write(dir.path(), "good.json", &export.to_string());
    ok(jiedai(&db, &["import", "json", arg(&good)]));
    assert_eq!(cases_in(&db), 13);
    ok(jiedai(&db, &["check"]));
}

/// The columns of every import kind, as `jiedai import --help` prints them:
/// the README carries the same lines, and each kind has an example file
/// under `examples/` that imports cleanly.
#[test]
fn import_help_lists_every_kinds_columns_and_the_examples_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let help = ok(jiedai(dir.path(), &["import", "--help", "--lang", "en"]));
    for column in [
        "登记日期",
        "事由",
        "再次反映次数",
        "回访次数",
        "最近回访满意度",
        "职务",
        "联系",
        "村",
        "组",
        "登录名",
        "值班",
        "乡镇",
    ] {
        assert!(help.contains(column), "{column} in --help: {help}");
    }
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let columns: Vec<&str> = help.lines().skip_while(|l| !l.starts_with("Columns")).collect();
    assert!(columns.len() > 8, "{help}");
    for line in columns.iter().filter(|l| !l.trim().is_empty()) {
        assert!(readme.contains(line.trim()), "README lacks: {line}");
    }
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for kind in ["villages", "residents", "cadres", "cases", "json"] {
        let file = examples.join(if kind == "json" { "export.json".into() } else { format!("{kind}.csv") });
        assert!(readme.contains(&format!("examples/{}", file.file_name().and_then(|f| f.to_str()).expect("name"))));
        // A cadre covers places of the directory: cadres go where the villages went.
        let db = dir.path().join(if kind == "cadres" { "villages" } else { kind });
        let out = jiedai(&db, &["import", kind, arg(&file)]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out.stderr));
        assert!(text(&out.stderr).is_empty(), "{kind}: {}", text(&out.stderr));
        ok(jiedai(&db, &["check"]));
    }
}

/// The CSV's limits hold for a JSON restore too (人数 at most 10000,
/// amounts at most 1e12 yuan, dates 1950 to 2100): refused whole, naming
/// the case; and the report of the good file adds up.
#[test]
fn a_json_restore_keeps_the_csv_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = demo_export(dir.path());
    let refused = |name: &str, json: &serde_json::Value| {
        let file = write(dir.path(), &format!("{name}.json"), &json.to_string());
        let db = dir.path().join(name);
        let out = jiedai(&db, &["import", "json", arg(&file)]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stdout));
        if db.exists() {
            assert_eq!(cases_in(&db), 0, "{name}: nothing stored");
        }
        text(&out.stderr)
    };
    // The file's case and its first event say the same, as an export would.
    let mut crowd = export.clone();
    let no = case_no(&crowd["cases"][0]["case"]["no"]);
    crowd["cases"][0]["case"]["intake"]["people"] = serde_json::json!(4_000_000_000u64);
    crowd["cases"][0]["events"][0]["kind"]["Registered"]["intake"]["people"] = serde_json::json!(4_000_000_000u64);
    let err = refused("crowd", &crowd);
    assert!(err.contains(&no) && err.contains("人数最多 10000"), "{err}");

    let mut rich = export.clone();
    let cases = rich["cases"].as_array_mut().expect("cases");
    let (k, n) = cases
        .iter()
        .enumerate()
        .find_map(|(k, c)| {
            let events = c["events"].as_array()?;
            events.iter().position(|e| e["kind"].get("Escalated").is_some()).map(|n| (k, n))
        })
        .expect("the demo has an escalation");
    let no = case_no(&cases[k]["case"]["no"]);
    cases[k]["events"][n]["kind"]["Escalated"]["requested_yuan"] = serde_json::json!(u64::MAX);
    for e in cases[k]["case"]["escalations"].as_array_mut().expect("escalations") {
        e["requested_yuan"] = serde_json::json!(u64::MAX);
    }
    let err = refused("rich", &rich);
    assert!(err.contains(&no) && err.contains("金额过大"), "{err}");

    let mut old = export.clone();
    let no = case_no(&old["cases"][1]["case"]["no"]);
    let last = old["cases"][1]["events"].as_array().expect("events").len() - 1;
    old["cases"][1]["events"][last]["at"] = serde_json::json!("2222-02-12T02:05:00Z");
    old["cases"][1]["case"]["last_event_at"] = serde_json::json!("2222-02-12T02:05:00Z");
    let err = refused("old", &old);
    assert!(err.contains(&no) && err.contains("1950 至 2100"), "{err}");
}
