//! `jiedai print`, run as a user would: the real binary, its files, its
//! messages and exit codes in both languages.

mod common;

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use common::paper::{docx_text, has, reception_day};
use common::today;
use jiedai::domain::*;
use jiedai::store::Store;

const ROAD: CaseNo = CaseNo { year: 2026, seq: 1 };
const TANG: CaseNo = CaseNo { year: 2026, seq: 2 };

/// The demo's database, as on the demo's "today", closed for the binary.
fn demo_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("db")).expect("open");
    jiedai::demo::load(&store, today()).expect("demo");
    reception_day(&store);
    store.close().expect("close");
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .arg("--db")
        .arg(dir.join("db"))
        .arg("--operator")
        .arg("罗兴国")
        .current_dir(dir)
        .env_remove("JIEDAI_DB")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run jiedai");
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), s(&out.stdout), s(&out.stderr))
}

fn events_of(dir: &Path, no: CaseNo) -> Vec<Event> {
    let store = Store::open(&dir.join("db")).expect("open");
    let events = store.events(no).expect("events");
    store.close().expect("close");
    events
}

#[test]
fn jiedai_print_writes_the_notice_and_records_it() {
    let dir = demo_dir();
    let (code, out, err) = run(dir.path(), &["print", "2026-0002", "--doc", "答复意见书"]);
    assert_eq!(code, 0, "{err}");
    let file = dir.path().join("2026-0002-答复意见书.docx");
    assert!(out.starts_with("已写入答复意见书 (已记入办理经过): "), "{out}");
    assert!(out.trim_end().ends_with("2026-0002-答复意见书.docx"), "{out}");
    assert_eq!(std::fs::metadata(&file).expect("written").permissions().mode() & 0o777, 0o600);
    has(&docx_text(&std::fs::read(&file).expect("read")), &["唐科名：", "处理意见：解释说明。"]);
    let last = events_of(dir.path(), TANG).pop().expect("event");
    assert_eq!(last.operator, "罗兴国");
    assert_eq!(
        last.kind,
        EventKind::NoticeIssued {
            notice: Notice::Answer,
            file: "2026-0002-答复意见书.docx".into(),
            instead: String::new()
        }
    );
    // ASCII kinds, English names and messages, --out.
    let (code, out, err) = run(
        dir.path(),
        &["print", "2026-0014", "--doc", "reject", "--instead", "兴义市劳动人事争议仲裁委员会", "--lang", "en"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Wrote the non-acceptance notice (recorded): "), "{out}");
    assert!(dir.path().join("2026-0014-reject.docx").is_file());
    let (code, out, _) = run(dir.path(), &["print", "2026-0001", "--doc", "sheet", "--out", "archive/road.docx"]);
    assert_eq!(code, 1, "{out}");
    std::fs::create_dir(dir.path().join("archive")).expect("mkdir");
    let (code, out, err) = run(dir.path(), &["print", "2026-0001", "--doc", "sheet", "--out", "archive/road.docx"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("已写入案件登记表: "), "{out}");
    assert!(dir.path().join("archive/road.docx").is_file());
}

#[test]
fn jiedai_print_the_day_sheet_by_date() {
    let dir = demo_dir();
    let (code, out, err) = run(dir.path(), &["print", "--day", "2026-02-12", "--doc", "day"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("已写入当日接待登记表: "), "{out}");
    let text = docx_text(&std::fs::read(dir.path().join("2026-02-12-当日接待登记表.docx")).expect("written"));
    has(&text, &["杨秀芬", "吴明", "韦正荣", "黄光明", "值班领导：岑国仲"]);
    // --doc may be left out with --day; English file name.
    let (code, _, err) = run(dir.path(), &["print", "--day", "2026-02-12", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("2026-02-12-day.docx").is_file());
}

#[test]
fn jiedai_print_errors_are_clear_in_both_languages() {
    let dir = demo_dir();
    let cases: &[(&[&str], i32, &str, &str)] = &[
        (
            &["print", "2026-0099", "--doc", "accept"],
            1,
            "没有这个编号的事件: 2026-0099",
            "No case with that number: 2026-0099",
        ),
        (
            &["print", "2026-0001", "--doc", "notice"],
            2,
            "未知的文书类型: notice\n可选: 受理告知书 (accept), 不予受理告知书 (reject), 答复意见书 (answer), 案件登记表 (sheet), 当日接待登记表 (day)",
            "Unknown kind of paper: notice\nchoose one of: 受理告知书 (accept)",
        ),
        (&["print", "2026-0001"], 2, "请用 --doc 指明出具哪种文书", "Say which paper with --doc"),
        (
            &["print", "--doc", "accept"],
            2,
            "请给出事件编号, 或用 --day 给出日期",
            "Give a case number, or a date with --day",
        ),
        (
            &["print", "2026-0001", "--doc", "day"],
            2,
            "当日接待登记表按日期出具, 不按事件: jiedai print --day 2026-02-12 --doc day",
            "The day sheet is for a date, not a case",
        ),
        (
            &["print", "--day", "2026-02-12", "--doc", "accept"],
            2,
            "--day 只用于当日接待登记表",
            "--day is for the day sheet only",
        ),
        (&["print", "--day", "2月12日"], 2, "--day 2月12日: 日期写法", "--day 2月12日: A date"),
        (
            &["print", "0001x", "--doc", "accept"],
            2,
            "0001x: 事件编号写法: 2026-0001",
            "0001x: A case number looks like 2026-0001",
        ),
        (
            &["print", "2026-0001", "--doc", "answer", "--out", "no/such/dir/x.docx"],
            1,
            "无法写入文件: no/such/dir/x.docx (目录不存在)",
            "Cannot write the file: no/such/dir/x.docx (the folder does not exist)",
        ),
        (
            &["print", "2026-0001", "--doc", "accept"],
            1,
            "此事件已办结: 不再出具受理告知书",
            "This case is concluded: no acceptance notice now",
        ),
        (
            &["print", "2026-0001", "--doc", "reject", "--instead", "法院"],
            1,
            "此事件没有以\"不予受理\"办结",
            "This case was not concluded as not accepted",
        ),
    ];
    let before = events_of(dir.path(), ROAD);
    for (args, code, zh, en) in cases {
        let (c, out, err) = run(dir.path(), args);
        assert_eq!(c, *code, "{args:?}: {out}{err}");
        assert!(err.contains(zh), "{args:?}: {err}");
        assert!(!err.contains("os error"), "no raw OS error in Chinese: {err}");
        let mut args_en = args.to_vec();
        args_en.extend(["--lang", "en"]);
        let (c, _, err) = run(dir.path(), &args_en);
        assert_eq!(c, *code, "{args_en:?}");
        assert!(err.contains(en), "{args_en:?}: {err}");
    }
    assert_eq!(events_of(dir.path(), ROAD), before, "no failed print is recorded");
    let docs: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("docx"))
        .collect();
    assert!(docs.is_empty(), "{docs:?}");
}
