//! Imports and exports interrupted: kill -9 at several moments, and a disk
//! that fills up half-way (a small tmpfs, mounted in a private mount
//! namespace: these tests run as root, here and in CI). Nothing of an
//! interrupted import is kept; an interrupted export never leaves half a
//! file under the real name.

mod common;

use common::jiedai;
use common::run::{arg, ok, text};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROWS: usize = 3000;

/// A ledger of `ROWS` concluded and visited cases.
fn big_ledger(dir: &Path) -> PathBuf {
    let mut rows = vec![
        "登记日期,姓名,电话,村,组,人数,类别,事由,详情,受理日期,办结日期,办理结果,办结理由,回访次数,最近回访满意度,再次反映次数"
            .to_string(),
    ];
    for i in 0..ROWS {
        let d = 1 + i % 28;
        rows.push(format!(
            "2026-03-{d:02},群众{i},138{i:08},坝达章村,五组,1,道路交通,通组路损坏{i},路面有坑 {i},2026-03-{d:02},2026-04-{d:02},支持/已落实,已处理,1,满意,1"
        ));
    }
    let file = dir.join("big.csv");
    std::fs::write(&file, rows.join("\n") + "\n").expect("write");
    file
}

fn cases_in(db: &Path) -> usize {
    let json: serde_json::Value = serde_json::from_str(&ok(jiedai(db, &["export"]))).expect("json");
    json["cases"].as_array().map_or(0, Vec::len)
}

fn spawn(db: &Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("JIEDAI_DB")
        .env_remove("LC_ALL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn jiedai")
}

#[test]
fn kill_9_during_a_large_import_keeps_nothing_of_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = big_ledger(dir.path());
    // How long an import takes here, uninterrupted.
    let timing = dir.path().join("timing");
    let start = Instant::now();
    assert!(ok(jiedai(&timing, &["import", "cases", arg(&file)])).contains(&format!("已导入: {ROWS}")));
    let full = start.elapsed();
    let mut outcomes = Vec::new();
    // Reading and checking the rows comes first; the writing is in the last
    // third or so: most kills land there.
    for n in [4u32, 10, 12, 13, 14, 15, 16, 17, 18, 19] {
        let db = dir.path().join(format!("db{n}"));
        ok(jiedai(&db, &["demo"]));
        let mut child = spawn(&db, &["import", "cases", arg(&file)]);
        std::thread::sleep(full * n / 20);
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let count = cases_in(&db);
        assert!(count == 13 || count == 13 + ROWS, "kill at {n}/20 of {full:?}: {count} cases (status {status})");
        ok(jiedai(&db, &["check"]));
        // Importing again finishes the job, never doubles it.
        ok(jiedai(&db, &["import", "cases", arg(&file)]));
        assert_eq!(cases_in(&db), 13 + ROWS, "kill at {n}/20");
        outcomes.push(count);
    }
    eprintln!("cases after each kill: {outcomes:?} (an import takes {full:?})");
}

/// Run `script` (sh) with a fresh tmpfs of `size` mounted at `$MNT`, in a
/// private mount namespace. Fails, never skips, when the mount is refused.
fn with_tmpfs(dir: &Path, size: &str, script: &str) {
    let mnt = dir.join("mnt");
    std::fs::create_dir_all(&mnt).expect("mountpoint");
    let full = format!("mount -t tmpfs -o size={size},mode=0700 tmpfs \"$MNT\" || exit 97\n{script}");
    let out = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", &full])
        .env("MNT", &mnt)
        .env("OUT", dir)
        .env("J", env!("CARGO_BIN_EXE_jiedai"))
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("JIEDAI_DB")
        .env_remove("LC_ALL")
        .output()
        .expect("run unshare");
    assert_ne!(
        out.status.code(),
        Some(97),
        "mounting a tmpfs failed: these tests need root (or CAP_SYS_ADMIN) and unshare -m: {}",
        text(&out.stderr)
    );
    assert!(out.status.success(), "the script failed: {}{}", text(&out.stdout), text(&out.stderr));
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_full_disk_during_an_import_keeps_nothing_of_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = big_ledger(dir.path());
    with_tmpfs(
        dir.path(),
        "24m",
        &format!(
            r#"
"$J" --db "$MNT/db" demo > "$OUT/demo.out" 2>&1 || exit 3
dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null
truncate -s -1M "$MNT/filler"
"$J" --db "$MNT/db" import cases "{file}" > "$OUT/import.out" 2> "$OUT/import.err"
echo $? > "$OUT/import.rc"
rm -f "$MNT/filler"
"$J" --db "$MNT/db" export > "$OUT/export.json" 2> "$OUT/export.err"
echo $? > "$OUT/export.rc"
"$J" --db "$MNT/db" check > "$OUT/check.out" 2>&1
echo $? > "$OUT/check.rc"
"$J" --db "$MNT/db" import cases "{file}" > "$OUT/again.out" 2>&1
echo $? > "$OUT/again.rc"
"$J" --db "$MNT/db" export > "$OUT/after.json" 2> "$OUT/after.err"
exit 0
"#,
            file = arg(&file)
        ),
    );
    assert_eq!(read(dir.path(), "import.rc").trim(), "1", "{}", read(dir.path(), "import.out"));
    let err = read(dir.path(), "import.err");
    assert!(err.contains("磁盘已满"), "{err}");
    assert!(!err.contains("os error") && !err.contains("Os {"), "{err}");
    assert_eq!(read(dir.path(), "export.rc").trim(), "0", "{}", read(dir.path(), "export.err"));
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "export.json")).expect("json");
    assert_eq!(json["cases"].as_array().map(Vec::len), Some(13), "only the demo's cases");
    assert_eq!(read(dir.path(), "check.rc").trim(), "0", "{}", read(dir.path(), "check.out"));
    // With room again, the same file goes in whole.
    assert_eq!(read(dir.path(), "again.rc").trim(), "0", "{}", read(dir.path(), "again.out"));
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "after.json")).expect("json");
    assert_eq!(json["cases"].as_array().map(Vec::len), Some(13 + ROWS));
}

#[test]
fn a_full_disk_during_an_export_leaves_the_old_file_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = big_ledger(dir.path());
    let db = dir.path().join("db");
    ok(jiedai(&db, &["import", "cases", arg(&file)]));
    with_tmpfs(
        dir.path(),
        "8m",
        &format!(
            r#"
for f in json csv xlsx; do
  echo old > "$MNT/out.$f"
done
dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null
truncate -s -256k "$MNT/filler"
for f in json csv xlsx; do
  "$J" --db "{db}" export --format $f --out "$MNT/out.$f" > "$OUT/$f.out" 2> "$OUT/$f.err"
  echo $? > "$OUT/$f.rc"
  cp "$MNT/out.$f" "$OUT/after.$f"
done
ls -a "$MNT" > "$OUT/ls"
exit 0
"#,
            db = arg(&db)
        ),
    );
    for f in ["json", "csv", "xlsx"] {
        assert_eq!(read(dir.path(), &format!("{f}.rc")).trim(), "1", "{f}");
        let err = read(dir.path(), &format!("{f}.err"));
        assert!(err.contains("磁盘已满"), "{f}: {err}");
        assert_eq!(read(dir.path(), &format!("after.{f}")), "old\n", "{f}: the old file is untouched");
    }
    let ls = read(dir.path(), "ls");
    assert!(!ls.contains("tmp"), "no temporary file left behind: {ls}");
}

#[test]
fn kill_9_during_an_export_leaves_the_old_file_or_the_whole_new_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    ok(jiedai(&db, &["import", "cases", arg(&big_ledger(dir.path()))]));
    let out = dir.path().join("out.json");
    let start = Instant::now();
    ok(jiedai(&db, &["export", "--out", arg(&out)]));
    let full = start.elapsed();
    let whole = std::fs::read(&out).expect("export");
    for n in 1..=9u32 {
        std::fs::write(&out, "old\n").expect("old");
        let mut child = spawn(&db, &["export", "--out", arg(&out)]);
        std::thread::sleep(full * n / 10 + Duration::from_millis(u64::from(n)));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).expect("out");
        assert!(now == b"old\n" || now == whole, "kill at {n}/10: {} bytes under the real name", now.len());
    }
}
