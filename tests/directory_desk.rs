//! The 名录 place: reached from every tab (F6, Alt+6, `6`), villages one
//! a line (a pasted list too), a cadre in one line completed by pinyin,
//! the duty roster, rename and retire, all through the key table; the
//! screens at 80x24 in Chinese and English.

mod common;

use common::Desk;
use insta::assert_snapshot;
use jiedai::app::Tab;
use jiedai::app::dir::{Row, rows};
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};

/// Move the selection to the first row `pick` finds.
fn select(desk: &mut Desk, pick: impl Fn(Row) -> bool) {
    let at = rows(&desk.state.data.directory).into_iter().position(pick).expect("the row");
    desk.cmd(Scope::Directory, Cmd::First);
    for _ in 0..at {
        desk.cmd(Scope::Directory, Cmd::Down);
    }
}

#[test]
fn reached_from_every_tab_by_f6_alt_6_and_6() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.press(Key::F(6));
    assert_eq!(desk.state.tab, Tab::Directory);
    desk.press(Key::Char('2'));
    assert_eq!(desk.state.tab, Tab::Pending);
    desk.press(Key::Char('6'));
    assert_eq!(desk.state.tab, Tab::Directory);
    desk.press(Key::Alt('1'));
    // Alt+6 even while typing in the intake form.
    desk.open_form().type_text("张").press(Key::Alt('6'));
    assert_eq!(desk.state.tab, Tab::Directory);
    // The footer and the help say so, from the key table.
    assert!(desk.text().contains("F1-F10"), "{}", desk.text());
    desk.press(Key::Char('?'));
    assert!(desk.text().contains("村组: 每行一个村"), "{}", desk.text());
    desk.cmd(Scope::Help, Cmd::Last);
    assert!(desk.text().contains("名录: 乡镇、村组、干部、值班"), "{}", desk.text());
}

#[test]
fn the_directory_screens_in_chinese() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(6));
    assert_snapshot!("dir_list_zh", desk.text());
    // Villages: a list pasted in at once, one village a line.
    desk.cmd(Scope::Directory, Cmd::DirVillages);
    assert_snapshot!("dir_villages_zh", desk.text());
    desk.cmd(Scope::Text, Cmd::CaretEnd);
    desk.paste("\n岩头村: 上组 下组\n河边村：一组、二组");
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.message(), "名录已保存");
    let d = desk.store.directory().expect("directory");
    assert_eq!(d.village("河边村").expect("pasted").groups, vec!["一组".to_string(), "二组".to_string()]);
    assert!(d.village("岩头村").is_some());
    // A cadre in one line, the places completed by pinyin, shown before saving.
    desk.cmd(Scope::Directory, Cmd::DirCadre).type_text("陈国 团委干部 13908591016 ytcsz hbc @chenguo");
    assert_snapshot!("dir_cadre_zh", desk.text());
    desk.cmd(Scope::DirEdit, Cmd::Save);
    let d = desk.store.directory().expect("directory");
    let c = &d.cadre("陈国").expect("saved").cadre;
    assert_eq!(c.covers, vec!["岩头村上组".to_string(), "河边村".to_string()]);
    assert_eq!(c.login, "chenguo");
    // The roster: every Wednesday of a range, the names in turn.
    desk.cmd(Scope::Directory, Cmd::DirDuty).type_text("2026-06-01 2026-06-30 cgz chenguo");
    desk.cmd(Scope::DirEdit, Cmd::Save);
    let d = desk.store.directory().expect("directory");
    let june: Vec<String> =
        d.roster.iter().filter(|r| r.date.to_string().starts_with("2026-06")).map(|r| r.cadre.clone()).collect();
    assert_eq!(june, vec!["岑国仲", "陈国", "岑国仲", "陈国"]);
    // Rename keeps the former name; retire keeps the entry, marked.
    let i = d.cadres.iter().position(|c| c.cadre.name == "陈国").expect("cadre");
    select(&mut desk, |r| r == Row::Cadre(i));
    desk.cmd(Scope::Directory, Cmd::DirRename);
    for _ in 0..4 {
        desk.cmd(Scope::Text, Cmd::DeleteBack);
    }
    desk.type_text("陈国强").cmd(Scope::DirEdit, Cmd::Save);
    let d = desk.store.directory().expect("directory");
    assert_eq!(d.cadre("陈国强").expect("renamed").former, vec!["陈国".to_string()]);
    let i = d.villages.iter().position(|v| v.name == "岩头村").expect("village");
    select(&mut desk, |r| r == Row::Village(i));
    desk.cmd(Scope::Directory, Cmd::DirRetire);
    let d = desk.store.directory().expect("directory");
    assert!(d.village("岩头村").expect("kept").retired);
    assert!(!desk.store.villages().expect("villages").iter().any(|v| v.name == "岩头村"), "no longer offered");
    assert!(desk.text().contains("岩头村: 上组 下组  [已停用]"), "{}", desk.text());
    assert_snapshot!("dir_after_edits_zh", desk.text());
    // Every change is signed by the operator.
    assert!(desk.store.directory_log().expect("log").iter().rev().take(5).all(|e| e.operator == "岑国仲"));
}

#[test]
fn the_directory_screens_in_english() {
    let mut desk = Desk::demo(Lang::En);
    desk.cmd(Scope::Global, Cmd::Tab(6));
    assert_snapshot!("dir_list_en", desk.text());
    desk.cmd(Scope::Directory, Cmd::DirVillages);
    assert_snapshot!("dir_villages_en", desk.text());
    desk.cmd(Scope::DirEdit, Cmd::Back);
    desk.cmd(Scope::Directory, Cmd::DirCadre).type_text("Chen xyz");
    assert_snapshot!("dir_cadre_refused_en", desk.text());
    desk.cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(
        desk.message(),
        "xyz: A covered village or group is not in the directory (enter villages first; a group is village then group, e.g. 坝达章村五组)"
    );
    assert!(desk.store.directory().expect("d").cadre("Chen").is_none());
}
