//! The papers (issue 17, the notices): each written as a .docx, opened here
//! as a zip, its document text read back; the notice recorded in the
//! timeline; through the desk's keys and through `jiedai print`.

mod common;

use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;

use common::Desk;
use common::paper::{day, docx_text, has, reception_day};
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};
use jiedai::notice::{self, PrintJob};

const ROAD: CaseNo = CaseNo { year: 2026, seq: 1 };
const TANG: CaseNo = CaseNo { year: 2026, seq: 2 };

fn job(doc: DocKind, case: CaseNo) -> PrintJob {
    PrintJob { doc, case: Some(case), day: None, instead: String::new(), out: None }
}

/// Write a paper from the demo store as the desk would on its "today".
fn print(desk: &Desk, job: &PrintJob) -> (PathBuf, String) {
    let dir = desk.dir.path().join("docs");
    let today = jiedai::domain::time::china_date(desk.state.now);
    let printed = notice::print(&desk.port(), job, today, &dir, Lang::Zh).expect("written");
    let bytes = std::fs::read(&printed.path).expect("the file is there");
    (printed.path, docx_text(&bytes))
}

/// The demo with the road case as it stood before its conclusion (in hand,
/// escalated and granted): the acceptance notice is for an open case only.
fn road_in_hand() -> Desk {
    let mut desk = Desk::demo(Lang::Zh);
    let mut export = desk.store.export().expect("export");
    for c in export.cases.iter_mut().filter(|c| c.case.no == ROAD) {
        let k = c.events.iter().position(|e| matches!(e.kind, EventKind::Concluded { .. })).expect("concluded");
        c.events.truncate(k);
        c.case = Case::replay(ROAD, &c.events).expect("replay");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let store = jiedai::store::Store::open(dir.path()).expect("open");
    store.restore(&export).expect("restored");
    desk.store = std::sync::Arc::new(store);
    desk.dir = dir;
    desk
}

#[test]
fn the_road_case_acceptance_notice() {
    let desk = road_in_hand();
    let (path, text) = print(&desk, &job(DocKind::Acceptance, ROAD));
    assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("2026-0001-受理告知书.docx"));
    has(
        &text,
        &[
            "______乡（镇）人民政府",
            "信访事项受理告知书",
            "编号：2026-0001",
            "韦正荣、罗大华、黄明贵（代表坝达章村五组46位群众）：",
            "您于2026年2月12日来访反映的“五组通组路严重损坏，生产生活困难”问题，本机关已于2026年2月12日依法受理",
            "本事项由人大主席岑国仲负责办理，联系电话：13908591001。",
            "自受理之日起60日内办结，即于2026年4月13日前办结",
            "特此告知。",
            "2026年11月30日",
        ],
    );
    insta::assert_snapshot!("road_acceptance", text);
}

#[test]
fn the_road_case_answer_and_sheet() {
    let desk = Desk::demo(Lang::Zh);
    let (_, sheet) = print(&desk, &job(DocKind::CaseSheet, ROAD));
    // The archive's sheet: every field, the delegation, the whole timeline.
    has(
        &sheet,
        &[
            "案件登记表",
            "| 反映人 | 韦正荣 |",
            "| 联系电话 | 13985941234 |",
            "| 群众代表 | 韦正荣、罗大华、黄明贵（代表群众46人） |",
            "| 村（组） | 坝达章村五组 |",
            "| 受理告知期限 | 2026年2月27日 |",
            "| 办理期限 | 2026年4月13日 |",
            "获批20500元",
            "| 2026-02-12 10:05 | 岑国仲 | 登记",
            "| 2026-03-27 10:00 | 罗兴国 | 回访 [满意]",
            "登记人（签字）：",
        ],
    );
    assert_eq!(sheet.matches("\n| 20").count(), 8, "eight events in the timeline:\n{sheet}");
    insta::assert_snapshot!("road_case_sheet", sheet);
    let (_, answer) = print(&desk, &job(DocKind::Answer, ROAD));
    has(
        &answer,
        &[
            "信访事项答复意见书",
            "处理意见：支持。",
            "2026年2月13日，岑国仲、罗兴国到坝达章五组通组路实地查看",
            "（涵洞4处、塌方10处、里程10公里），估算费用20000元。",
            "向兴义市交通运输局上报，申请资金20000元，获批20500元。",
            "修整涵洞4个，塌方路段10余处，总里程10公里，通组路恢复正常通行。",
            "自收到本答复意见书之日起30日内，向______县（市、区）人民政府请求复查。",
        ],
    );
    insta::assert_snapshot!("road_answer", answer);
    // The sheet records nothing; the answer is in the timeline.
    let events = desk.store.events(ROAD).expect("events");
    let issued: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::NoticeIssued { notice, file, .. } => Some((*notice, file.clone(), e.operator.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(issued, vec![(Notice::Answer, "2026-0001-答复意见书.docx".to_string(), "岑国仲".to_string())]);
}

#[test]
fn tang_kemings_chestnut_trees_explained() {
    let desk = Desk::demo(Lang::Zh);
    let (_, text) = print(&desk, &job(DocKind::Answer, TANG));
    has(
        &text,
        &[
            "编号：2026-0002",
            "唐科名：",
            "您于2026年3月3日来电反映的“沿湖路建设损毁四亩多板栗树，要求赔偿”问题，本机关于2026年3月5日受理。",
            "因沿湖路建设，损毁其家四亩多板栗树，本人想不通，要求赔偿。",
            "沿湖路为无偿建设工程，已向其解释政策。",
            "处理意见：解释说明。",
            "沿湖路工程建设是无偿的，经多次耐心解释，本人表示支持和理解。",
            "可以自收到本答复意见书之日起30日内",
            "特此答复。",
            "2026年11月30日",
        ],
    );
    insta::assert_snapshot!("tang_answer", text);
}

#[test]
fn not_accepted_with_the_reason_and_where_to_go() {
    let desk = Desk::demo(Lang::Zh);
    let yang = reception_day(&desk.store);
    // Where to go instead is required: refused, nothing written.
    let dir = desk.dir.path().join("docs");
    let today = jiedai::domain::time::china_date(desk.state.now);
    let err = notice::print(&desk.port(), &job(DocKind::NonAcceptance, yang), today, &dir, Lang::Zh).expect_err("no");
    assert_eq!(err.user_message(Lang::Zh), "不予受理告知书要写明告知去向: 应向哪个机关提出");
    assert_eq!(err.user_message(Lang::En), "A non-acceptance notice must say where to go instead");
    assert!(!dir.exists(), "a refused notice writes no file");
    let mut j = job(DocKind::NonAcceptance, yang);
    j.instead = "兴义市劳动人事争议仲裁委员会".into();
    let (_, text) = print(&desk, &j);
    has(
        &text,
        &[
            "信访事项不予受理告知书",
            "杨秀芬：",
            "您于2026年2月12日来访反映的“在外务工被拖欠工资，要求乡里帮助追讨”问题，经审查，所反映的工资拖欠属于劳动争议，应通过劳动仲裁解决。",
            "本机关决定不予受理。",
            "向兴义市劳动人事争议仲裁委员会提出。",
        ],
    );
    insta::assert_snapshot!("yang_non_acceptance", text);
    // Reprinted later, it says the same place without being told again.
    let (_, again) = print(&desk, &job(DocKind::NonAcceptance, yang));
    assert_eq!(again, text);
}

#[test]
fn notices_the_rules_refuse_write_nothing() {
    let desk = Desk::demo(Lang::Zh);
    let dir = desk.dir.path().join("docs");
    let today = jiedai::domain::time::china_date(desk.state.now);
    let open = desk.store.open_cases().expect("open");
    let registered = open.iter().find(|c| c.accepted_on.is_none()).expect("a case not accepted").no;
    let accepted = open.iter().find(|c| c.accepted_on.is_some()).expect("an accepted case").no;
    let slip = desk.store.all_cases().expect("all").into_iter().find(|c| c.is_anonymous()).expect("a slip").no;
    for (doc, no, zh) in [
        (DocKind::Acceptance, registered, "此事件尚未受理: 先受理, 再出具受理告知书"),
        (DocKind::Answer, accepted, "此事件尚未以支持、解释说明或不予支持办结, 不能出具答复意见书"),
        (DocKind::NonAcceptance, ROAD, "此事件没有以\"不予受理\"办结, 不能出具不予受理告知书"),
        (DocKind::Acceptance, slip, "匿名意见没有可告知的人, 不出具告知书"),
    ] {
        let before = desk.store.events(no).expect("events");
        let mut j = job(doc, no);
        j.instead = "某机关".into();
        let err = notice::print(&desk.port(), &j, today, &dir, Lang::Zh).expect_err("refused");
        assert_eq!(err.user_message(Lang::Zh), zh);
        assert_eq!(desk.store.events(no).expect("events"), before);
    }
    assert!(!dir.exists(), "nothing written");
    // The archive's sheet is for every case, the anonymous slip's too.
    let (_, text) = print(&desk, &job(DocKind::CaseSheet, slip));
    has(&text, &["| 反映人 | 匿名 |"]);
}

#[test]
fn the_day_sheet_lists_the_day_in_the_order_they_came() {
    let desk = Desk::demo(Lang::Zh);
    reception_day(&desk.store);
    let j =
        PrintJob { doc: DocKind::DaySheet, case: None, day: Some(day(2026, 2, 12)), instead: String::new(), out: None };
    let (path, text) = print(&desk, &j);
    assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("2026-02-12-当日接待登记表.docx"));
    has(&text, &["当日接待登记表", "接待日期：2026年2月12日（星期四）", "值班领导：岑国仲", "值班领导（签字）：____"]);
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| 序号")).collect();
    let names: Vec<&str> = rows.iter().map(|r| r.split(" | ").nth(2).unwrap_or("")).collect();
    assert_eq!(names, ["杨秀芬", "吴明", "韦正荣", "黄光明"], "{text}");
    has(
        &text,
        &[
            "| 1 | 1 | 杨秀芬 | 1 | 坪寨村田坝组 | 在外务工被拖欠工资，要求乡里帮助追讨 | 2026-0014 | 登记 |",
            "| 2 | 2 | 吴明 | 1 | 冷洞村 |  |  | 叫号未到 |",
            "| 3 |  | 韦正荣 | 3 | 坝达章村五组 | 五组通组路严重损坏，生产生活困难 | 2026-0001 | 登记 |",
            "| 4 | 3 | 黄光明 | 2 | 纳省村坡脚组 | 坡脚组变压器老化，经常停电 | 2026-0007 | 再次来访 |",
            "当日共接待群众3批6人次。",
        ],
    );
    insta::assert_snapshot!("day_sheet_2026_02_12", text);
}

#[test]
fn the_township_name_comes_from_the_settings_when_set() {
    let desk = Desk::demo(Lang::Zh);
    desk.store.put_setting("township", "沧江乡").expect("set");
    desk.store.put_setting("review_body", "兴义市人民政府").expect("set");
    let (_, text) = print(&desk, &job(DocKind::Answer, TANG));
    has(&text, &["沧江乡人民政府\n信访事项答复意见书", "向兴义市人民政府请求复查。"]);
    assert!(!text.contains("______"), "{text}");
}

#[test]
fn files_are_owner_only_and_replaced_whole() {
    let desk = Desk::demo(Lang::Zh);
    let (path, first) = print(&desk, &job(DocKind::Answer, ROAD));
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let dir_mode = std::fs::metadata(path.parent().expect("dir")).expect("meta").permissions().mode() & 0o777;
    assert_eq!(dir_mode, 0o700);
    // Printed again: the same file, whole, and a second event.
    let (path2, second) = print(&desk, &job(DocKind::Answer, ROAD));
    assert_eq!((path2, second), (path.clone(), first));
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let n = desk
        .store
        .events(ROAD)
        .expect("events")
        .iter()
        .filter(|e| matches!(e.kind, EventKind::NoticeIssued { .. }))
        .count();
    assert_eq!(n, 2);
}

#[test]
fn a_file_that_cannot_be_written_is_said_and_records_nothing() {
    let desk = Desk::demo(Lang::Zh);
    let today = jiedai::domain::time::china_date(desk.state.now);
    let before = desk.store.events(ROAD).expect("events");
    // A folder where the file should go: the temporary file is cleaned up.
    let folder = desk.dir.path().join("notice.docx");
    std::fs::create_dir(&folder).expect("mkdir");
    let mut j = job(DocKind::Answer, ROAD);
    j.out = Some(folder.clone());
    let err = notice::print(&desk.port(), &j, today, desk.dir.path(), Lang::Zh).expect_err("a folder");
    assert!(err.user_message(Lang::Zh).starts_with("无法写入文件: "), "{}", err.user_message(Lang::Zh));
    assert!(err.user_message(Lang::Zh).ends_with("(这是一个目录, 请给出文件名)"));
    j.out = Some(desk.dir.path().join("no/such/folder/x.docx"));
    let err = notice::print(&desk.port(), &j, today, desk.dir.path(), Lang::En).expect_err("no folder");
    assert!(err.user_message(Lang::Zh).contains("(目录不存在)"), "{}", err.user_message(Lang::Zh));
    assert!(err.user_message(Lang::En).contains("Cannot write the file: "));
    assert!(err.user_message(Lang::En).contains("(the folder does not exist)"));
    assert_eq!(desk.store.events(ROAD).expect("events"), before, "nothing recorded");
    let tmp: Vec<_> = std::fs::read_dir(desk.dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(tmp.is_empty());
}

#[test]
fn the_new_event_kind_is_last_so_old_records_decode() {
    let kind = EventKind::NoticeIssued { notice: Notice::Acceptance, file: "a.docx".into(), instead: String::new() };
    let bytes = bincode::serde::encode_to_vec(&kind, bincode::config::standard()).expect("encode");
    // After the 16 kinds before it (15 of version 1, then Linked).
    assert_eq!(bytes[0], 16);
    let event = Event { at: chrono::Utc::now(), operator: "岑国仲".into(), kind };
    let back: Event = jiedai::store::decode(&jiedai::store::encode(&event)).expect("decode");
    assert_eq!(back, event);
}

// --- At the desk ------------------------------------------------------

/// The open case the desk shows first on Pending: 黄光明's overdue power
/// case, accepted long ago.
fn open_first(desk: &mut Desk) -> CaseNo {
    desk.cmd(Scope::Global, Cmd::Tab(1));
    desk.cmd(Scope::List, Cmd::Open);
    desk.state.detail.as_ref().map(|d| d.case.no).expect("a case open")
}

#[test]
fn p_in_the_case_view_writes_the_acceptance_notice_and_records_it() {
    let mut desk = Desk::demo(Lang::Zh);
    let docs = desk.dir.path().join("docs");
    desk.state.docs_dir = Some(docs.clone());
    let no = open_first(&mut desk);
    desk.cmd(Scope::Detail, Cmd::Act(jiedai::app::action::ActionKind::Print));
    // Offered the paper the case needs now; Enter, Enter writes it.
    let dialog = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).expect("dialog");
    assert_eq!(dialog.fields[0].value.value(), "受理告知书");
    assert!(desk.text().contains("出具文书"), "{}", desk.text());
    desk.press(Key::Enter).press(Key::Enter);
    let file = docs.join(format!("{no}-受理告知书.docx"));
    assert!(file.is_file(), "{}", desk.message());
    let msg = desk.message();
    assert!(msg.starts_with("已写入受理告知书 (已记入办理经过): "), "{msg}");
    assert!(msg.ends_with(&format!("{no}-受理告知书.docx")), "{msg}");
    let text = docx_text(&std::fs::read(&file).expect("read"));
    has(&text, &["黄光明：", &format!("编号：{no}"), "本事项由副乡长黄德荣负责办理，联系电话：13908591004。"]);
    let last = desk.store.events(no).expect("events").pop().expect("event");
    assert_eq!(last.operator, "岑国仲");
    assert_eq!(last.at, desk.state.now);
    assert!(matches!(last.kind, EventKind::NoticeIssued { notice: Notice::Acceptance, .. }));
    // The case view shows it: the clock notified, the event in the timeline.
    assert!(desk.state.detail.as_ref().is_some_and(|d| d.dialog.is_none()));
    desk.cmd(Scope::Detail, Cmd::Down);
    let screen = desk.text();
    // Told after its 15 days (by 2026-10-01): shown late.
    assert!(screen.contains("(逾期告知 2026-11-30)"), "{screen}");
    assert!(screen.contains("受理告知书已出具"), "{screen}");
    insta::assert_snapshot!("desk_notice_recorded_zh", screen);
}

#[test]
fn from_the_action_menu_without_a_letter_in_english() {
    let mut desk = Desk::demo(Lang::En);
    let docs = desk.dir.path().join("docs");
    desk.state.docs_dir = Some(docs.clone());
    let no = open_first(&mut desk);
    let before = desk.store.events(no).expect("events");
    // Enter opens the menu; Up wraps to its last entry, the papers.
    desk.cmd(Scope::Detail, Cmd::Open);
    desk.cmd(Scope::Menu, Cmd::Up);
    assert!(desk.text().contains("Write a paper"), "{}", desk.text());
    desk.cmd(Scope::Menu, Cmd::Open);
    // Ctrl+N to the case sheet, Ctrl+S: no letter typed anywhere.
    let label = |d: &Desk| {
        d.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).map(|x| x.fields[0].value.value().to_string())
    };
    assert_eq!(label(&desk).as_deref(), Some("acceptance notice"));
    desk.cmd(Scope::Dialog, Cmd::NextPick).cmd(Scope::Dialog, Cmd::NextPick).cmd(Scope::Dialog, Cmd::NextPick);
    desk.cmd(Scope::Dialog, Cmd::Save);
    // The file is named in English; the paper itself is Chinese.
    let file = docs.join(format!("{no}-sheet.docx"));
    assert!(file.is_file(), "{}", desk.message());
    assert!(desk.message().starts_with("Wrote the case sheet: "), "{}", desk.message());
    has(&docx_text(&std::fs::read(&file).expect("read")), &["案件登记表", "| 反映人 | 黄光明 |"]);
    // A sheet is the township's own paper: nothing recorded.
    assert_eq!(desk.store.events(no).expect("events"), before);
}

#[test]
fn an_answer_refused_at_the_desk_keeps_the_dialog_and_says_why() {
    let mut desk = Desk::demo(Lang::En);
    desk.state.docs_dir = Some(desk.dir.path().join("docs"));
    open_first(&mut desk);
    desk.cmd(Scope::Detail, Cmd::Act(jiedai::app::action::ActionKind::Print));
    desk.cmd(Scope::Dialog, Cmd::NextPick).cmd(Scope::Dialog, Cmd::NextPick);
    desk.cmd(Scope::Dialog, Cmd::Save);
    assert_eq!(desk.message(), "No answer yet: the case must be concluded upheld, explained or not upheld");
    assert!(desk.state.detail.as_ref().is_some_and(|d| d.dialog.is_some()), "the dialog stays");
    assert!(!desk.dir.path().join("docs").exists());
}

#[test]
fn help_lists_the_paper_key() {
    let mut desk = Desk::demo(Lang::Zh);
    open_first(&mut desk);
    desk.cmd(Scope::Detail, Cmd::Help);
    // Page through the help: the paper key is listed, from the key table.
    let mut seen = String::new();
    for _ in 0..10 {
        seen.push_str(&desk.text());
        desk.cmd(Scope::Help, Cmd::PageDown);
    }
    let line = seen.lines().find(|l| l.contains("出具文书")).unwrap_or_default();
    assert!(line.trim_start_matches('│').trim_start().starts_with("p "), "{seen}");
}
