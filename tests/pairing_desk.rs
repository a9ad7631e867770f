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
