//! 一帮一 figures per cadre: households paired, visits made, cases raised
//! from visits, for a period; on the Stats tab (scrolled to, at 80x24) and
//! in `jiedai report`, text and json, in both languages.

mod common;

use chrono::NaiveDate;
use common::{Desk, jiedai};
use jiedai::app::dir::{Row, rows};
use jiedai::domain::directory::Household;
use jiedai::domain::time::china_at;
use jiedai::domain::{DirCadre, DirChange};
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};
use jiedai::store::{Command, Stamp, Store};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).expect("date")
}

fn stamp(d: u32, who: &str) -> Stamp {
    Stamp { at: china_at(day(d), 10, 0), operator: who.into() }
}

fn cadre(name: &str) -> DirChange {
    DirChange::Cadre(DirCadre {
        name: name.into(),
        post: String::new(),
        phone: String::new(),
        login: String::new(),
        covers: vec![],
    })
}

fn house(name: &str, group: &str) -> Household {
    Household { name: name.into(), village: "坝达章村".into(), group: group.into() }
}

fn visit(store: &Store, d: u32, cadre: &str, h: Household, problem: bool) {
    let note = if problem { "房屋漏雨" } else { "" };
    let cmd = Command::PairVisit { cadre: cadre.into(), household: h, note: note.into(), problem };
    store.execute(&stamp(d, "岑国仲"), cmd).expect("visit");
}

/// 岑国仲 helps two households, 罗兴国 one (paired on the 20th); visits
/// on the 2nd, 10th and 25th, one with a problem each for both.
fn scripted() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let setup = vec![
        DirChange::Township { name: "沧江乡".into() },
        DirChange::Village { name: "坝达章村".into(), groups: vec!["坝汪组".into(), "五组".into()] },
        cadre("岑国仲"),
        cadre("罗兴国"),
        cadre("陈丽"),
        DirChange::Pair { cadre: "岑国仲".into(), household: house("唐科名", "五组") },
        DirChange::Pair { cadre: "岑国仲".into(), household: house("杨大富", "坝汪组") },
    ];
    store.execute(&stamp(1, "岑国仲"), Command::Directory(setup)).expect("directory");
    visit(&store, 2, "岑国仲", house("唐科名", "五组"), false);
    visit(&store, 10, "岑国仲", house("杨大富", "坝汪组"), true);
    visit(&store, 10, "岑国仲", house("唐科名", "五组"), false);
    let pair = DirChange::Pair { cadre: "罗兴国".into(), household: house("王小二", "五组") };
    store.execute(&stamp(20, "岑国仲"), Command::Directory(vec![pair])).expect("pair");
    visit(&store, 25, "罗兴国", house("王小二", "五组"), true);
    store.close().expect("close");
    dir
}

#[test]
fn counted_per_cadre_for_the_period_from_the_store_and_in_the_report() {
    let dir = scripted();
    let store = Store::open(dir.path()).expect("open");
    let figures = |from: u32, to: u32| -> Vec<(String, u64, u64, u64)> {
        let p = jiedai::domain::stats::Period { from: day(from), to: day(to) };
        store.stats(p).expect("stats").pairing.into_iter().map(|r| (r.cadre, r.households, r.visits, r.cases)).collect()
    };
    // The whole month: 陈丽 has nothing, so no row.
    assert_eq!(figures(1, 31), vec![("岑国仲".into(), 2, 3, 1), ("罗兴国".into(), 1, 1, 1)]);
    // The first week: 罗兴国 not yet paired, one quiet visit.
    assert_eq!(figures(1, 7), vec![("岑国仲".into(), 2, 1, 0)]);
    // The 10th alone: two visits, one raised a case.
    assert_eq!(figures(10, 10), vec![("岑国仲".into(), 2, 2, 1)]);
    drop(store);
    let args = ["report", "--from", "2026-03-01", "--to", "2026-03-31"];
    let out = jiedai(dir.path(), &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("一帮一 (包户)\n干部\t包户\t走访\t走访立案\n岑国仲\t2\t3\t1\n罗兴国\t1\t1\t1"), "{text}");
    let mut en = args.to_vec();
    en.extend(["--lang", "en", "--format", "json"]);
    let out = jiedai(dir.path(), &en);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = &json["stats"]["pairing"];
    assert_eq!(rows[0], serde_json::json!({"cadre": "岑国仲", "households": 2, "visits": 3, "cases": 1}));
    assert_eq!(rows[1]["cases"], 1);
    en.truncate(args.len() + 2);
    let out = jiedai(dir.path(), &en);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("One-helps-one (households)\nCadre\tHouseholds\tVisits\tCases raised\n岑国仲\t2\t3\t1"),
        "{text}"
    );
}

/// Pair and visit through the 名录 keys, then the Stats tab scrolled to
/// its end shows the cadre's row.
fn desk_with_a_visit(lang: Lang) -> Desk {
    let mut desk = Desk::demo(lang);
    desk.press(Key::F(6));
    desk.press(Key::Char('h')).type_text("lxg 唐科名 bdzcwz");
    desk.cmd(Scope::DirEdit, Cmd::Save);
    let at = rows(&desk.state.data.directory).into_iter().position(|r| r == Row::Household(0)).expect("row");
    desk.cmd(Scope::Directory, Cmd::First);
    for _ in 0..at {
        desk.cmd(Scope::Directory, Cmd::Down);
    }
    desk.press(Key::Char('w')).type_text("房屋漏雨");
    desk.cmd(Scope::DirEdit, Cmd::DirVisitCase);
    desk.press(Key::F(5));
    desk.cmd(Scope::Stats, Cmd::Last);
    desk
}

#[test]
fn on_the_stats_tab_at_80x24_in_both_languages() {
    let desk = desk_with_a_visit(Lang::Zh);
    let text = desk.text();
    assert!(text.contains("一帮一 (包户)"), "{text}");
    // The demo already holds one 走访 case signed by 罗兴国 (烤烟补贴, this
    // year): with the one raised here, two visits and two cases.
    assert!(text.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["罗兴国", "1", "2", "2"]), "{text}");
    insta::assert_snapshot!("pairing_stats_zh", text);
    let desk = desk_with_a_visit(Lang::En);
    let text = desk.text();
    let words = |l: &str| l.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert!(text.lines().any(|l| words(l) == ["Cadre", "Households", "Visits", "Cases", "raised"]), "{text}");
    insta::assert_snapshot!("pairing_stats_en", text);
}
