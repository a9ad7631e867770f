//! `recover` after damage that takes sled's view back to before a finished
//! import's last transaction (issue 16). A ledger of 2,000 rows imported
//! into a new database (its mark in meta while the rows go in, removed by
//! the finish), closed cleanly, then the data file cut off at points all
//! through it: sled, reading the log up to the cut, sees the import's mark
//! again. Before the seal listed finished imports, `recover` took that for
//! an import cut short, dropped every case, and said nothing was lost.
//! And an import that truly did not finish is still left out, and said so.

mod common;

use std::path::Path;

use common::damaged::{exported_events, jiedai_within, text, truncate};

const HEAD: &str = "登记日期,姓名,电话,村,事由,受理日期,办结日期,办理结果,办结理由,回访次数,最近回访满意度";
const NOTHING_LOST: &str = "没有发现丢失的事件";
const NOTHING_READ: &str = "什么也读不出来";
const UNFINISHED: &str = "有一次导入没有完成";

/// `n` rows over two years, each with its resident (by phone): open,
/// accepted, and concluded with a return visit.
fn ledger(dir: &Path, n: usize) -> std::path::PathBuf {
    let mut body = format!("{HEAD}\n");
    for i in 0..n {
        let d = i % 28 + 1;
        body.push_str(&match i % 3 {
            0 => format!("2025-{:02}-{d:02},群众{i},139{i:08},沧江村,路坏了{i},,,,,,\n", i % 12 + 1),
            1 => format!("2026-03-{d:02},群众{i},139{i:08},冷洞村,灯坏了{i},2026-03-{d:02},,,,,\n"),
            _ => format!(
                "2026-04-{d:02},群众{i},139{i:08},坝达章村,水管{i},2026-04-{d:02},2026-05-{d:02},解释说明,已解释,1,满意\n"
            ),
        });
    }
    let path = dir.join("ledger.csv");
    std::fs::write(&path, body).expect("write");
    path
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("dir").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Case numbers `recover` named as lost or partly recovered: its lines
/// that start with a number.
fn named(said: &str) -> Vec<String> {
    said.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.len() == 9 && w.as_bytes()[4] == b'-' && w.bytes().filter(u8::is_ascii_digit).count() == 8)
        .map(str::to_string)
        .collect()
}

#[test]
fn a_cut_off_file_after_a_finished_import_names_every_case_it_cannot_recover() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let file = ledger(dir.path(), 2000);
    let out = common::jiedai(&db, &["import", "cases", file.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("已导入: 2000"), "{}", text(&out.stdout));
    let whole = exported_events(&db);
    assert_eq!(whole.len(), 2000);
    let len = std::fs::metadata(db.join("db")).expect("db").len();
    let mut table = Vec::new();
    let mut failures = Vec::new();
    let mut all_back = 0;
    // Every 192 KiB: inside the import's chunk, inside its finish and the
    // close's snapshot, and past them (the data file is a few 1 MiB segments).
    for cut in (64 << 10..len).step_by(192 << 10) {
        let scratch = tempfile::tempdir().expect("tempdir");
        let copy = scratch.path().join("db");
        copy_dir(&db, &copy);
        truncate(&copy.join("db"), cut);
        let out_db = scratch.path().join("out");
        let out = jiedai_within(&copy, &["recover", "--out", &out_db.to_string_lossy()]);
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        let head = said.lines().take(3).collect::<Vec<_>>().join(" | ");
        if out.status.code() == Some(1) && said.contains(NOTHING_READ) && !out_db.exists() {
            table.push(format!("cut {cut:>8}: nothing readable"));
            continue;
        }
        if out.status.code() != Some(0) {
            failures.push(format!("cut {cut}: exit {:?}: {said}", out.status.code()));
            continue;
        }
        let got = exported_events(&out_db);
        let names = named(&said);
        let mut silent = Vec::new();
        for (no, events) in &whole {
            let back = got.get(no).map_or(&[][..], Vec::as_slice);
            if back != &events[..back.len().min(events.len())] {
                failures.push(format!("cut {cut}: {no} came back with events not its own"));
            }
            if back.len() != events.len() && !names.contains(no) {
                silent.push(no.clone());
            }
        }
        if !silent.is_empty() {
            failures.push(format!(
                "cut {cut}: {} cases neither recovered whole nor named (first {}): {head}",
                silent.len(),
                silent[0]
            ));
        }
        if got.len() < whole.len() && said.contains(NOTHING_LOST) {
            failures.push(format!("cut {cut}: {} of {} back, yet \"{NOTHING_LOST}\"", got.len(), whole.len()));
        }
        if said.contains(UNFINISHED) {
            failures.push(format!("cut {cut}: the finished import called unfinished: {head}"));
        }
        all_back += usize::from(got.len() == whole.len());
        table.push(format!("cut {cut:>8}: {} back, {} named: {head}", got.len(), names.len()));
    }
    eprintln!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{}\n{}", failures.join("\n"), table.join("\n"));
    assert!(all_back > 0, "no cut recovered everything:\n{}", table.join("\n"));
}

/// A kill -9 half-way through an import, then `recover` on what it left:
/// the import's cases stay out, as opening the database would undo them,
/// and the report says an import did not finish.
#[test]
fn recover_after_a_killed_import_leaves_it_out_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    assert!(common::jiedai(&db, &["demo"]).status.success());
    let before = exported_events(&db);
    let file = ledger(dir.path(), 600);
    common::run::import_killed_after(&db, &file, 100, 3);
    let out_db = dir.path().join("out");
    let out = jiedai_within(&db, &["recover", "--out", &out_db.to_string_lossy()]);
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}{}", text(&out.stderr));
    assert_eq!(exported_events(&out_db), before, "the cases that were there, and none of the import's:\n{said}");
    let line = said.lines().find(|l| l.contains(UNFINISHED));
    assert!(line.is_some_and(|l| l.contains("2025-") && l.contains("2026-")), "the import left out is said:\n{said}");
}

/// The seal gone (or garbled) as well as the file cut off after a finished
/// import: nothing says whether the mark sled shows is from an import cut
/// short or from before a finish. `recover` leaves the cases out, as it
/// must, but says they may be lost, never "nothing lost".
#[test]
fn without_the_seal_an_import_mark_is_not_called_nothing_lost() {
    const UNSURE: &str = "无法知道它是否完成";
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let file = ledger(dir.path(), 2000);
    assert!(common::jiedai(&db, &["import", "cases", file.to_str().expect("utf8")]).status.success());
    let len = std::fs::metadata(db.join("db")).expect("db").len();
    let (mut marks, mut failures) = (0, Vec::new());
    for cut in (64 << 10..len).step_by(192 << 10) {
        let scratch = tempfile::tempdir().expect("tempdir");
        let copy = scratch.path().join("db");
        copy_dir(&db, &copy);
        truncate(&copy.join("db"), cut);
        std::fs::remove_file(copy.join("jiedai.seal")).expect("seal");
        let out_db = scratch.path().join("out");
        let out = jiedai_within(&copy, &["recover", "--out", &out_db.to_string_lossy()]);
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        if !said.contains(UNSURE) && !said.contains(UNFINISHED) {
            continue;
        }
        marks += 1;
        if said.contains(NOTHING_LOST) || !said.contains(UNSURE) {
            failures.push(format!("cut {cut}: {said}"));
        }
    }
    assert!(marks > 0, "no cut showed the import's mark");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
