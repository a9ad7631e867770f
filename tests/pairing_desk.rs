//! 包户 in the 名录 place: `h` (from the key table) opens one line, a cadre,
//! a householder and a group, the cadre and group completed by pinyin;
//! the household is listed under its cadre; `x` on it unpairs it. Every
//! change is in the directory's log.

mod common;

use common::Desk;
use insta::assert_snapshot;
use jiedai::app::dir::{Row, rows};
use jiedai::domain::DirChange;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};

fn select(desk: &mut Desk, pick: impl Fn(Row) -> bool) {
    let at = rows(&desk.state.data.directory).into_iter().position(pick).expect("the row");
    desk.cmd(Scope::Directory, Cmd::First);
    for _ in 0..at {
        desk.cmd(Scope::Directory, Cmd::Down);
    }
}

#[test]
fn a_household_is_paired_listed_under_its_cadre_and_unpaired_in_chinese() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.press(Key::F(6));
    // The key is in the help, from the one key table.
    desk.press(Key::Char('?'));
    let mut seen = desk.text();
    for _ in 0..20 {
        desk.cmd(Scope::Help, Cmd::PageDown);
        seen.push_str(&desk.text());
    }
    assert!(seen.contains("包户: 干部 户主 村组 (拼音可补全)"), "{seen}");
    desk.cmd(Scope::Help, Cmd::Back);
    desk.press(Key::Char('h')).type_text("cgz 唐科名 bdzcwz");
    assert_snapshot!("pair_typing_zh", desk.text());
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.message(), "名录已保存");
    let d = desk.store.directory().expect("directory");
    assert_eq!(d.households.len(), 1);
    let p = &d.households[0];
    assert_eq!((p.cadre.as_str(), p.household.name.as_str()), ("岑国仲", "唐科名"));
    assert_eq!((p.household.village.as_str(), p.household.group.as_str()), ("坝达章村", "五组"));
    // Listed under its cadre, in the row after them.
    let rs = rows(&d);
    let cadre = d.cadres.iter().position(|c| c.cadre.name == "岑国仲").expect("cadre");
    let at = rs.iter().position(|r| *r == Row::Cadre(cadre)).expect("row");
    assert_eq!(rs.get(at + 1), Some(&Row::Household(0)));
    desk.cmd(Scope::Directory, Cmd::First);
    assert!(desk.text().contains("包户 唐科名 坝达章村五组"), "{}", desk.text());
    assert_snapshot!("pair_listed_zh", desk.text());
    // A group not in the directory is refused, named, and nothing is saved.
    desk.press(Key::Char('h')).type_text("cgz 王五 bdzcjz");
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert!(desk.message().starts_with("bdzcjz: "), "{}", desk.message());
    assert_eq!(desk.store.directory().expect("d").households.len(), 1);
    desk.cmd(Scope::DirEdit, Cmd::Back);
    // x on the household unpairs it; the log keeps both.
    select(&mut desk, |r| r == Row::Household(0));
    desk.cmd(Scope::Directory, Cmd::DirRetire);
    assert!(desk.store.directory().expect("d").households.is_empty());
    let log = desk.store.directory_log().expect("log");
    let n = log.len();
    assert!(matches!(log[n - 2].change, DirChange::Pair { .. }), "{:?}", log[n - 2]);
    assert!(matches!(log[n - 1].change, DirChange::Unpair { .. }), "{:?}", log[n - 1]);
    assert!(log[n - 2..].iter().all(|e| e.operator == "岑国仲"));
    assert!(!desk.text().contains("唐科名"), "{}", desk.text());
}

#[test]
fn pairing_in_english() {
    let mut desk = Desk::demo(Lang::En);
    desk.press(Key::F(6));
    // On a cadre's row the line starts with their name.
    let d = desk.state.data.directory.clone();
    let i = d.cadres.iter().position(|c| c.cadre.name == "罗兴国").expect("cadre");
    select(&mut desk, |r| r == Row::Cadre(i));
    desk.press(Key::Char('h'));
    assert_eq!(desk.state.dir.edit.as_ref().map(|(_, f)| f.value().to_string()), Some("罗兴国 ".into()));
    desk.type_text("唐科名");
    assert_snapshot!("pair_incomplete_en", desk.text());
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.message(), "Write: cadre, householder, group, e.g. 岑国仲 唐科名 坝达章村五组");
    desk.type_text(" bdzcbwz");
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.message(), "Directory saved");
    desk.cmd(Scope::Directory, Cmd::First);
    assert_snapshot!("pair_listed_en", desk.text());
    let d = desk.store.directory().expect("d");
    assert_eq!(d.households[0].household.group, "坝汪组");
}

/// Pair 唐科名 (坝达章村五组) with 罗兴国 through the keys; select the row.
fn paired_to_luo(desk: &mut Desk) {
    desk.press(Key::F(6));
    desk.press(Key::Char('h')).type_text("lxg 唐科名 bdzcwz");
    desk.cmd(Scope::DirEdit, Cmd::Save);
    select(desk, |r| r == Row::Household(0));
}

#[test]
fn a_pairing_visit_is_recorded_and_a_problem_raised_becomes_a_case_signed_by_the_cadre() {
    let mut desk = Desk::demo(Lang::Zh);
    paired_to_luo(&mut desk);
    let before = desk.store.all_cases().expect("cases").len();
    // A visit with nothing raised: one note, Enter.
    desk.press(Key::Char('w')).type_text("家中一切正常");
    assert_snapshot!("visit_note_zh", desk.text());
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.message(), "走访已记录");
    let log = desk.store.directory_log().expect("log");
    match &log.last().expect("visit").change {
        DirChange::Visit { cadre, household, note } => {
            assert_eq!((cadre.as_str(), household.name.as_str(), note.as_str()), ("罗兴国", "唐科名", "家中一切正常"));
        }
        other => panic!("not a visit: {other:?}"),
    }
    assert_eq!(desk.store.all_cases().expect("cases").len(), before, "no case from a quiet visit");
    // A problem raised: Ctrl+R makes it a case, source 走访, signed by the
    // cadre though 岑国仲 runs the desk.
    desk.press(Key::Char('w')).type_text("房屋漏雨, 申请危房改造");
    desk.cmd(Scope::DirEdit, Cmd::DirVisitCase);
    assert!(desk.message().starts_with("走访诉求已登记为案件 "), "{}", desk.message());
    let cases = desk.store.all_cases().expect("cases");
    assert_eq!(cases.len(), before + 1);
    let case = cases.iter().max_by_key(|c| c.opened_at).expect("case");
    assert_eq!(case.intake.channel, jiedai::domain::Channel::Visit);
    assert_eq!((case.intake.name.as_str(), case.intake.village.as_str()), ("唐科名", "坝达章村"));
    assert_eq!(case.intake.group, "五组");
    assert_eq!(case.intake.summary, "房屋漏雨, 申请危房改造");
    assert!(desk.message().ends_with(&case.no.to_string()), "{}", desk.message());
    let events = desk.store.events(case.no).expect("events");
    assert_eq!(events[0].operator, "罗兴国");
    // A problem needs words: an empty note is refused, nothing saved.
    desk.press(Key::Char('w'));
    desk.cmd(Scope::DirEdit, Cmd::DirVisitCase);
    assert!(desk.state.message.as_ref().is_some_and(|m| m.error), "{}", desk.message());
    assert_eq!(desk.store.all_cases().expect("cases").len(), before + 1);
}

#[test]
fn a_visit_in_english_and_only_to_ones_own_household() {
    let mut desk = Desk::demo(Lang::En);
    paired_to_luo(&mut desk);
    desk.press(Key::Char('w')).type_text("all well");
    assert_snapshot!("visit_note_en", desk.text());
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.message(), "Visit recorded");
    // The store refuses a visit by a cadre the household is not paired with.
    let household = desk.store.directory().expect("d").households[0].household.clone();
    let stamp = jiedai::store::Stamp { at: desk.state.now, operator: "岑国仲".into() };
    let cmd =
        jiedai::store::Command::PairVisit { cadre: "岑国仲".into(), household, note: String::new(), problem: true };
    assert!(desk.store.execute(&stamp, cmd).is_err());
}

/// Open a case by number, as choosing it in a list would.
fn open_case(desk: &mut Desk, no: jiedai::domain::CaseNo) {
    for a in jiedai::effects::run(&desk.port(), &desk.state, &jiedai::app::Effect::LoadCase(no)) {
        jiedai::effects::dispatch(&desk.port(), &mut desk.state, a);
    }
    desk.draw();
}

/// 罗兴国's visits today, as the Stats tab counts them.
fn luo_visits(desk: &Desk) -> u64 {
    let p = jiedai::domain::stats::Period { from: common::today(), to: common::today() };
    let rows = desk.store.stats(p).expect("stats").pairing;
    rows.into_iter().find(|r| r.cadre == "罗兴国").map(|r| r.visits).unwrap_or(0)
}

#[test]
fn a_visit_is_recorded_from_the_residents_case_and_an_unpaired_resident_is_told_so() {
    const TANG: jiedai::domain::CaseNo = jiedai::domain::CaseNo { year: 2026, seq: 2 };
    const ROAD: jiedai::domain::CaseNo = jiedai::domain::CaseNo { year: 2026, seq: 1 };
    let mut desk = Desk::demo(Lang::Zh);
    // 唐科名 of 坝达章村坝汪组, the resident of case 2, paired with 罗兴国.
    desk.press(Key::F(6));
    desk.press(Key::Char('h')).type_text("lxg 唐科名 bdzcbwz");
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.message(), "名录已保存");
    let before = luo_visits(&desk);
    let logged = desk.store.directory_log().expect("log").len();
    desk.cmd(Scope::Global, Cmd::Tab(1));
    open_case(&mut desk, TANG);
    // The key is on the case's footer, from the one key table.
    let footer = desk.text().lines().last().unwrap_or_default().to_string();
    assert!(footer.contains("w 走访"), "{footer}");
    desk.press(Key::Char('?'));
    let mut seen = desk.text();
    for _ in 0..20 {
        desk.cmd(Scope::Help, Cmd::PageDown);
        seen.push_str(&desk.text());
    }
    assert!(seen.contains("走访此人 (包户对象)"), "{seen}");
    desk.cmd(Scope::Help, Cmd::Back);
    desk.cmd(Scope::Detail, Cmd::DirVisit);
    assert_eq!(desk.state.dir.edit.as_ref().map(|(_, f)| f.value().to_string()), Some(String::new()));
    desk.type_text("板栗树赔偿一事已再次解释");
    assert!(desk.text().contains("板栗树赔偿一事已再次解释"), "{}", desk.text());
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.message(), "走访已记录");
    let log = desk.store.directory_log().expect("log");
    assert_eq!(log.len(), logged + 1);
    match &log.last().expect("visit").change {
        DirChange::Visit { cadre, household, note } => {
            assert_eq!((cadre.as_str(), household.name.as_str()), ("罗兴国", "唐科名"));
            assert_eq!((household.village.as_str(), household.group.as_str()), ("坝达章村", "坝汪组"));
            assert_eq!(note, "板栗树赔偿一事已再次解释");
        }
        other => panic!("not a visit: {other:?}"),
    }
    assert_eq!(luo_visits(&desk), before + 1);
    // Back on the case it was opened from.
    assert_eq!(desk.state.detail.as_ref().map(|d| d.case.no), Some(TANG));
    // Esc on the note records nothing and comes back too.
    desk.cmd(Scope::Detail, Cmd::DirVisit).type_text("x");
    desk.cmd(Scope::DirEdit, Cmd::Back);
    assert_eq!(desk.store.directory_log().expect("log").len(), logged + 1);
    assert_eq!(desk.state.detail.as_ref().map(|d| d.case.no), Some(TANG));
    // 韦正荣 of case 1 is paired with no one: said so, nothing logged.
    open_case(&mut desk, ROAD);
    desk.cmd(Scope::Detail, Cmd::DirVisit);
    assert_eq!(desk.message(), "此人不是包户对象");
    assert!(desk.text().contains("此人不是包户对象"), "{}", desk.text());
    assert!(desk.state.dir.edit.is_none());
    assert_eq!(desk.state.detail.as_ref().map(|d| d.case.no), Some(ROAD));
    assert_eq!(desk.store.directory_log().expect("log").len(), logged + 1);
    assert_eq!(luo_visits(&desk), before + 1);
}

#[test]
fn an_unpaired_resident_in_english() {
    let mut desk = Desk::pending(Lang::En);
    open_case(&mut desk, jiedai::domain::CaseNo { year: 2026, seq: 2 });
    desk.cmd(Scope::Detail, Cmd::DirVisit);
    assert_eq!(desk.message(), "Not a paired household");
}
