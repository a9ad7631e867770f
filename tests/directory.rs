//! The township's directory (名录): imported from its spreadsheets all or
//! nothing, every bad line named; kept as a log of who changed what when.

mod common;

use common::run::{arg, ok, text, write};
use std::path::Path;

use common::jiedai;
use jiedai::domain::{DirChange, Directory};
use jiedai::store::Store;

fn directory(db: &Path) -> Directory {
    Store::open(db).expect("open").directory().expect("directory")
}

#[test]
fn the_example_files_give_the_townships_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = ok(jiedai(&db, &["--operator", "文书", "import", "villages", arg(&examples.join("villages.csv"))]));
    assert!(out.contains("已导入: 5 个村"), "{out}");
    let out = ok(jiedai(&db, &["import", "cadres", arg(&examples.join("cadres.csv"))]));
    assert!(out.contains("已导入: 5"), "{out}");
    ok(jiedai(&db, &["check"]));
    let d = directory(&db);
    assert_eq!(d.township, "沧江乡");
    let v = d.village("坝达章村").expect("village");
    assert!(v.groups.contains(&"坝汪组".to_string()) && v.groups.contains(&"五组".to_string()));
    assert_eq!(d.by_login("cengguozhong").map(|c| c.name.as_str()), Some("岑国仲"));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 12).expect("date");
    assert_eq!(jiedai::domain::duty_leader(&d.roster, day), Some("岑国仲"));
    // Who and when: the import's operator signs every change.
    let store = Store::open(&db).expect("open");
    let log = store.directory_log().expect("log");
    assert!(log.iter().take(6).all(|e| e.operator == "文书"), "{log:?}");
    // The notices' letterhead takes the township's name from it.
    let desk = jiedai::store::Embedded::new(store, jiedai::store::Identity::Named("文书".into()));
    assert_eq!(jiedai::notice::letterhead(&desk).expect("letterhead").office, "沧江乡人民政府");
    drop(desk);
    // The report's sentence names the township.
    let report = ok(jiedai(&db, &["report"]));
    assert!(report.contains("沧江乡各渠道合计"), "{report}");
    let report = ok(jiedai(&db, &["--lang", "en", "report"]));
    assert!(report.contains("Across all channels 沧江乡 received"), "{report}");
    // The same file again is recognised and adds nothing.
    let again = ok(jiedai(&db, &["import", "cadres", arg(&examples.join("cadres.csv"))]));
    assert!(again.contains("已经导入过"), "{again}");
}

#[test]
fn every_bad_line_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let villages = write(dir.path(), "v.csv", "村,组\n坝达章村,坝汪组 五组\n,三组\n");
    let out = jiedai(&db, &["import", "villages", arg(&villages)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("v.csv:3: 村: 请填写名称"), "{}", text(&out.stderr));
    assert!(directory(&db).villages.is_empty());
    let villages = write(dir.path(), "v2.csv", "村,组\n坝达章村,坝汪组 五组\n");
    ok(jiedai(&db, &["import", "villages", arg(&villages)]));
    let cadres = write(
        dir.path(),
        "c.csv",
        "姓名,职务,电话,联系,登录名,值班\n\
         岑国仲,人大主席,13908591001,坝达章村,cgz,2026-02-12\n\
         罗兴国,党政办主任,,坝达章村九组,,\n\
         陈丽,团委书记,,bdz,,\n\
         杨光明,,,,cgz,\n\
         韦秀英,,12345,,,\n\
         黄德荣,,,,,2026-02-30\n",
    );
    let out = jiedai(&db, &["import", "cadres", arg(&cadres)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    for line in ["c.csv:3: 联系", "c.csv:4: 联系", "c.csv:5: 登录名", "c.csv:6: 电话", "c.csv:7: 值班"] {
        assert!(err.contains(line), "{line} in: {err}");
    }
    assert!(!err.contains("c.csv:2:"), "{err}");
    assert!(directory(&db).cadres.is_empty(), "nothing written");
    // In English too.
    let out = jiedai(&db, &["--lang", "en", "import", "cadres", arg(&cadres)]);
    assert!(text(&out.stderr).contains("c.csv:3: 联系: A covered village or group is not in the directory"));
    // --skip-bad imports the good line and names the others.
    let out = jiedai(&db, &["import", "cadres", "--skip-bad", arg(&cadres)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let names: Vec<String> = directory(&db).cadres.iter().map(|c| c.cadre.name.clone()).collect();
    assert_eq!(names, vec!["岑国仲".to_string()]);
}

#[test]
fn a_villages_file_adds_groups_to_those_already_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    ok(jiedai(&db, &["import", "villages", arg(&write(dir.path(), "a.csv", "村,组\n坝达章村,坝汪组\n"))]));
    ok(jiedai(
        &db,
        &["import", "villages", arg(&write(dir.path(), "b.csv", "村,组\n坝达章村,五组\n坝达章村,坝汪组\n"))],
    ));
    let d = directory(&db);
    assert_eq!(d.village("坝达章村").expect("v").groups, vec!["坝汪组".to_string(), "五组".to_string()]);
    let store = Store::open(&db).expect("open");
    let changes: Vec<DirChange> = store.directory_log().expect("log").into_iter().map(|e| e.change).collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
}

#[test]
fn the_json_export_keeps_the_directorys_log_and_restores_it_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    ok(jiedai(&db, &["--operator", "文书", "import", "villages", arg(&examples.join("villages.csv"))]));
    ok(jiedai(&db, &["import", "cadres", arg(&examples.join("cadres.csv"))]));
    let json = write(dir.path(), "all.json", &ok(jiedai(&db, &["export"])));
    let again = dir.path().join("again");
    ok(jiedai(&again, &["import", "json", arg(&json)]));
    let (one, two) = (Store::open(&db).expect("open"), Store::open(&again).expect("open"));
    assert_eq!(one.directory_log().expect("log"), two.directory_log().expect("log"));
    assert_eq!(one.directory().expect("d"), two.directory().expect("d"));
    assert_eq!(two.setting("township").expect("setting").as_deref(), Some("沧江乡"));
    drop((one, two));
    ok(jiedai(&again, &["check"]));
    // A log that breaks the directory's rules is refused whole.
    let mut export: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("json");
    let log = export["directory"].as_array_mut().expect("the log is exported");
    let village = log.iter_mut().find(|e| e["change"]["Village"]["name"] == "坝达章村").expect("logged");
    village["change"]["Village"]["name"] = "无名村".into();
    let bad = write(dir.path(), "bad.json", &export.to_string());
    let third = dir.path().join("third");
    let out = jiedai(&third, &["import", "json", arg(&bad)]);
    assert_eq!(out.status.code(), Some(1), "{}", text_of(&out.stdout));
    assert!(text_of(&out.stderr).contains("联系的村或组不在名录中"), "{}", text_of(&out.stderr));
    assert!(Store::open(&third).expect("open").directory_log().expect("log").is_empty(), "nothing written");
}

fn text_of(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
