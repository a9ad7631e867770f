//! The exports are written as they are read (issue #16, streaming): the
//! bytes must be those the whole-document export wrote, to stdout and to a
//! file, json and csv.

use jiedai::store::Store;

fn jiedai(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("JIEDAI_DB")
        .output()
        .expect("run jiedai")
}

#[test]
fn streamed_exports_are_the_whole_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let out = jiedai(&db, &["demo"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (json, csv) = {
        let store = Store::open(&db).expect("open");
        let mut json = serde_json::to_vec_pretty(&store.export().expect("export")).expect("json");
        json.push(b'\n');
        let csv =
            jiedai::ledger::cases_csv(&store.cases_with_events().expect("cases"), jiedai::i18n::Lang::Zh).expect("csv");
        store.close().expect("close");
        (json, csv)
    };
    assert!(json.len() > 10_000, "the demo exports its cases");
    let stdout = jiedai(&db, &["export"]);
    assert!(stdout.status.success(), "{}", String::from_utf8_lossy(&stdout.stderr));
    assert_eq!(String::from_utf8_lossy(&stdout.stdout), String::from_utf8_lossy(&json));
    let stdout = jiedai(&db, &["export", "--format", "csv"]);
    assert!(stdout.status.success());
    assert_eq!(String::from_utf8_lossy(&stdout.stdout), String::from_utf8_lossy(&csv));
    for (format, want) in [("json", &json), ("csv", &csv)] {
        let file = dir.path().join(format!("out.{format}"));
        let path = file.to_str().expect("utf-8 path");
        let out = jiedai(&db, &["export", "--format", format, "--out", path]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(&std::fs::read(&file).expect("read"), want, "{format}");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    // The json read back restores the same database.
    let restored = dir.path().join("restored");
    let file = dir.path().join("out.json");
    let out = jiedai(&restored, &["import", "json", file.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
