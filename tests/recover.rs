//! `jiedai recover` on every kind of damage: what could be read goes into a
//! new database beside the damaged one, every case not recovered (or
//! recovered in part) is named, and the damaged files stay as they were.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::damaged::*;
use jiedai::domain::CaseNo;

#[test]
fn child_fills_then_waits() {
    child_main();
}

// ---- recover --------------------------------------------------------------------

fn recovered_dir(out: &Output) -> PathBuf {
    let said = text(&out.stdout);
    let line =
        said.lines().find(|l| l.contains("desk.recovered")).unwrap_or_else(|| panic!("no new database named: {said}"));
    let start = line.find('/').unwrap_or_else(|| panic!("no path in {line:?}"));
    let path: String = line[start..].chars().take_while(|c| !c.is_whitespace() && *c != ')').collect();
    PathBuf::from(path)
}

fn count_cases(db: &Path) -> usize {
    let out = jiedai_within(db, &["export", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json["cases"].as_array().map_or(0, Vec::len)
}

/// Every case a sound database of `fill` holds, with its number of events.
fn all_steps() -> BTreeMap<CaseNo, usize> {
    let d = tempfile::tempdir().expect("tempdir");
    let db = clean_db(d.path());
    steps(&db)
}

#[test]
fn recover_salvages_beside_the_damaged_database_and_lists_what_was_lost() {
    let whole = all_steps();
    let all: Vec<CaseNo> = whole.keys().copied().collect();
    assert_eq!(all.len(), CASES);
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for left in [Left::Clean, Left::Killed, Left::KilledLater] {
        for kind in ALL {
            let dir = tempfile::tempdir().expect("tempdir");
            let db = build(dir.path(), left);
            if !damage(&db, kind, left) {
                continue;
            }
            let what = format!("{left:?} {kind:?}");
            let before = fingerprint(&db);
            let out = jiedai_within(&db, &["recover"]);
            let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
            for c in changes(&before, &fingerprint(&db)) {
                failures.push(format!("{what}: recover {c}"));
            }
            if let Some(u) = unreadable(&said) {
                failures.push(format!("{what}: {u}: {said}"));
            }
            if out.status.code() != Some(0) {
                // Nothing at all could be read: nothing is created either.
                let made: Vec<_> =
                    std::fs::read_dir(dir.path()).expect("dir").flatten().map(|e| e.file_name()).collect();
                if out.status.code() != Some(1) || made.len() != 1 {
                    failures.push(format!("{what}: exit {:?}, made {made:?}: {said}", out.status.code()));
                }
                table.push(format!("{what}: nothing readable, exit {:?}", out.status.code()));
                continue;
            }
            let new = recovered_dir(&out);
            if new.parent() != db.parent() {
                failures.push(format!("{what}: not beside the damaged database: {}", new.display()));
            }
            let check = jiedai_within(&new, &["check"]);
            if check.status.code() != Some(0) {
                failures.push(format!("{what}: the new database fails check: {}", text(&check.stderr)));
            }
            let got = steps(&new);
            let kept: Vec<CaseNo> = got.keys().copied().collect();
            // A case kept with part of its timeline is named too, unless no
            // copy of it with more steps is left anywhere: then the saves the
            // seal counts and could not find are.
            let counted = said.contains("封条记下的保存中没有找到的次数") || said.contains("封条不见了");
            for (no, n) in &got {
                if whole.get(no).is_some_and(|w| n < w) && !said.contains(&no.to_string()) && !counted {
                    failures.push(format!("{what}: {no} kept with {n} of {} steps, not said", whole[no]));
                }
            }
            let unnamed: Vec<String> = all
                .iter()
                .filter(|no| !kept.contains(no) && !said.contains(&no.to_string()))
                .map(|no| no.to_string())
                .collect();
            // Cases after the last number anything speaks of leave no trace but
            // the seal's count of saves: that is said, with the last number found.
            let last_spoken = all.iter().filter(|no| kept.contains(no) || said.contains(&no.to_string())).max();
            let untraceable = unnamed.iter().all(|n| last_spoken.is_some_and(|l| n.as_str() > l.to_string().as_str()));
            let said_so = untraceable && said.contains("此后登记的事件可能也已丢失");
            if !unnamed.is_empty() && !said_so {
                failures.push(format!("{what}: {} cases lost without a word: {unnamed:?}\n{said}", unnamed.len()));
            }
            if kept.len() < CASES && !said.contains("未能恢复") {
                failures.push(format!("{what}: {} cases and no loss listed: {said}", kept.len()));
            }
            table.push(format!("{what}: {} of {CASES} cases recovered", kept.len()));
            // A second recover never overwrites the first.
            let again = jiedai_within(&db, &["recover"]);
            if again.status.code() != Some(0) || recovered_dir(&again) == new {
                failures.push(format!("{what}: second recover: {}", text(&again.stderr)));
            }
        }
    }
    eprintln!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn recover_names_the_cases_whose_long_texts_are_gone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = clean_db(dir.path());
    damage(&db, Damage::BlobsDeleted, Left::Clean);
    let out = jiedai_within(&db, &["recover"]);
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}{}", text(&out.stderr));
    let new = recovered_dir(&out);
    let n = count_cases(&new);
    assert!(n < CASES, "blobs gone, yet {n} cases");
    assert!(said.contains("未能恢复"), "{said}");
    // Every case not recovered is named by its number.
    let export = jiedai_within(&new, &["export", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).expect("json");
    let kept: Vec<String> =
        json["cases"].as_array().expect("cases").iter().map(|c| c["case"]["no"].to_string()).collect();
    let all = {
        let d = tempfile::tempdir().expect("tempdir");
        let fresh = clean_db(d.path());
        let out = jiedai_within(&fresh, &["export", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        json["cases"].as_array().expect("cases").iter().map(|c| c["case"]["no"].clone()).collect::<Vec<_>>()
    };
    for no in all {
        let s = no.to_string();
        if !kept.contains(&s) {
            let no: CaseNo = serde_json::from_value(no).expect("case number");
            assert!(said.contains(&no.to_string()), "{no} lost but not named: {said}");
        }
    }
}
