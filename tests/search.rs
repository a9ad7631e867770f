//! 查找: every case, concluded and merged ones too, found from the desk by
//! number, name, phone, village, text or pinyin initials, with the same
//! filter chips as 待办, reached from every tab through the key table.

mod common;

use common::Desk;
use jiedai::app::action::ActionKind;
use jiedai::app::form::Field;
use jiedai::app::{Action, AppState, Effect, Tab, update};
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};

/// The search place's list.
const SEARCH: usize = 4;

fn listed(desk: &Desk) -> Vec<CaseNo> {
    let l = &desk.state.lists[SEARCH];
    l.visible.iter().filter_map(|i| desk.state.data.all.get(*i)).map(|c| c.no).collect()
}

/// Go to the search place and type a query into it.
fn search(desk: &mut Desk, query: &str) {
    desk.cmd(Scope::Global, Cmd::Tab(5));
    assert_eq!(desk.state.tab, Tab::Search);
    // The query field has the keys at once.
    assert!(desk.state.lists[SEARCH].filtering);
    desk.cmd(Scope::Filter, Cmd::FilterClear);
    // Esc empties the query and keeps the keys in it; an empty one it leaves.
    assert!(desk.state.lists[SEARCH].filter.is_empty());
    if !desk.state.lists[SEARCH].filtering {
        desk.cmd(Scope::List, Cmd::Filter);
    }
    desk.type_text(query);
}

/// The tester's steps: F7, a query that finds nothing, Esc, then
/// `2026-0001`: the digits are typed, never taken as tab keys. Esc on an
/// empty query leaves it; Ctrl+U empties it as in any field.
#[test]
fn esc_empties_the_query_and_digits_stay_digits() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(5));
    desk.type_text("没有这种事");
    assert!(listed(&desk).is_empty());
    desk.press(Key::Esc);
    assert_eq!(desk.state.tab, Tab::Search);
    assert!(desk.state.lists[SEARCH].filtering, "the query keeps the keys");
    assert_eq!(desk.state.lists[SEARCH].filter.value(), "");
    desk.type_text("2026-0001");
    assert_eq!(desk.state.tab, Tab::Search, "a digit switched tabs: {}", desk.text());
    assert_eq!(desk.state.lists[SEARCH].filter.value(), "2026-0001");
    assert_eq!(listed(&desk), [CaseNo { year: 2026, seq: 1 }]);
    assert!(desk.text().contains("查找: 2026-0001"), "{}", desk.text());
    // Ctrl+U empties it, the keys stay in it.
    desk.press(Key::Ctrl('u'));
    assert_eq!(desk.state.lists[SEARCH].filter.value(), "");
    assert!(desk.state.lists[SEARCH].filtering);
    desk.type_text("tkm");
    assert_eq!(listed(&desk), [TANG]);
    // Esc twice: emptied, then left; the list keys act again.
    desk.press(Key::Esc).press(Key::Esc);
    assert!(!desk.state.lists[SEARCH].filtering);
    desk.press(Key::Char('2'));
    assert_eq!(desk.state.tab, Tab::Pending);
}

const TANG: CaseNo = CaseNo { year: 2026, seq: 2 };

#[test]
fn a_concluded_case_is_found_by_name_initials_phone_number_village_and_text() {
    let mut desk = Desk::pending(Lang::Zh);
    // Concluded and followed up: on no list of the desk's.
    let tang = desk.store.case(TANG).expect("read").expect("case");
    assert_eq!(tang.status, Status::FollowedUp);
    assert!(!desk.state.data.open.iter().any(|c| c.no == TANG));
    // Name, initials, phone, number, place, summary, details, the answer.
    for query in ["唐科名", "tkm", "13765912345", "2026-0002", "坝汪组", "bwz", "板栗树", "想不通", "无偿"]
    {
        search(&mut desk, query);
        assert!(listed(&desk).contains(&TANG), "{query}: {:?}\n{}", listed(&desk), desk.text());
    }
    // What we told him, on screen: status and outcome.
    search(&mut desk, "tkm");
    let text = desk.text();
    assert!(text.contains("2026-0002") && text.contains("唐科名") && text.contains("已回访"), "{text}");
    assert!(text.contains("解释说明"), "{text}");
    // Enter ends the query, Enter opens the case with its timeline.
    desk.cmd(Scope::Filter, Cmd::FilterDone);
    desk.cmd(Scope::List, Cmd::Open);
    assert_eq!(desk.state.detail.as_ref().map(|d| d.case.no), Some(TANG));
    let text = desk.text();
    assert!(text.contains("办理经过"), "{text}");
    assert!(text.contains("唐科名再次反映 (电话, 1人): 再次来电要求赔偿"), "{text}");
    // With its actions, as from 待办.
    desk.cmd(Scope::Detail, Cmd::Open);
    assert!(desk.state.detail.as_ref().is_some_and(|d| d.menu.is_some()));
    desk.cmd(Scope::Menu, Cmd::Back);
    // Esc goes back to the results, the query kept.
    desk.cmd(Scope::Detail, Cmd::Back);
    assert_eq!(desk.state.tab, Tab::Search);
    assert!(desk.text().contains("查找: tkm"), "{}", desk.text());
}

#[test]
fn a_merged_case_is_found_and_shows_where_it_went() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(0)).cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("唐科名");
    while desk.state.intake.form.focus != Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("板栗树赔偿又来了");
    desk.cmd(Scope::Form, Cmd::Save);
    let dup = CaseNo { year: 2026, seq: 14 };
    search(&mut desk, "板栗树赔偿又来了");
    assert_eq!(listed(&desk), [dup], "{}", desk.text());
    desk.cmd(Scope::Filter, Cmd::FilterDone);
    desk.cmd(Scope::List, Cmd::Open);
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Merge));
    desk.type_text("7").cmd(Scope::Dialog, Cmd::NextField).cmd(Scope::Dialog, Cmd::NextField);
    assert_eq!(desk.message(), "已记录");
    desk.cmd(Scope::Detail, Cmd::Back);
    // The list followed the save: the duplicate is still found, merged.
    assert_eq!(listed(&desk), [dup]);
    let text = desk.text();
    assert!(text.contains("已合并"), "{text}");
    desk.cmd(Scope::List, Cmd::Open);
    let text = desk.text();
    assert!(text.contains("合并到 2026-0007"), "{text}");
}

#[test]
fn the_same_filter_chips_as_pending() {
    let mut desk = Desk::pending(Lang::Zh);
    search(&mut desk, "村:bdz 状态:yhf");
    let text = desk.text();
    assert!(text.contains("[村=bdz] [状态=yhf]"), "{text}");
    let found = listed(&desk);
    assert!(!found.is_empty());
    for no in &found {
        let c = desk.store.case(*no).expect("read").expect("case");
        assert_eq!((c.intake.village.as_str(), c.status), ("坝达章村", Status::FollowedUp), "{no}");
    }
    // Every chip of 待办: category, assignee, channel, overdue.
    search(&mut desk, "类:dljt 人:cgz 来源:jdr");
    assert!(listed(&desk).contains(&CaseNo { year: 2026, seq: 1 }), "{}", desk.text());
    // Overdue: the open case past its deadline, and the concluded one
    // whose return visit is late; both marked '!'.
    search(&mut desk, "超期");
    assert_eq!(listed(&desk), [CaseNo { year: 2026, seq: 8 }, CaseNo { year: 2026, seq: 7 }], "{}", desk.text());
    let text = desk.text();
    assert!(text.contains("! 2026-0008") && text.contains("! 2026-0007"), "{text}");
    // No query: every case, the newest first.
    desk.cmd(Scope::Filter, Cmd::FilterClear);
    let all = listed(&desk);
    assert_eq!(all.len(), 13);
    assert_eq!(all.first(), Some(&CaseNo { year: 2026, seq: 13 }));
    assert_eq!(all.last(), Some(&CaseNo { year: 2026, seq: 1 }));
}

#[test]
fn reached_from_every_tab_and_shown_by_help_and_the_footer() {
    let mut desk = Desk::demo(Lang::Zh);
    // From the intake form, typing: F7 and Alt+7 (a digit is text there).
    desk.press(Key::F(7));
    assert_eq!(desk.state.tab, Tab::Search);
    desk.press(Key::F(1)).press(Key::Alt('7'));
    assert_eq!(desk.state.tab, Tab::Search);
    // From the queue, a list, the statistics and an opened case: the plain key.
    let plain = jiedai::keys::key_for(Scope::List, Cmd::Tab(5)).expect("a plain key");
    assert_eq!(plain, Key::Char('7'));
    desk.press(Key::F(1)).press(Key::Esc);
    assert_eq!(desk.state.screen_scopes()[0], Scope::Queue);
    desk.press(plain);
    assert_eq!(desk.state.tab, Tab::Search);
    for tab in 1..5 {
        desk.cmd(Scope::Global, Cmd::Tab(tab));
        desk.press(plain);
        assert_eq!(desk.state.tab, Tab::Search, "from tab {tab}");
    }
    desk.cmd(Scope::Global, Cmd::Tab(1)).cmd(Scope::List, Cmd::Open).press(plain);
    assert_eq!(desk.state.tab, Tab::Search);
    // The tab bar, the footer and help show it.
    let text = desk.text();
    assert!(text.lines().next().unwrap_or_default().contains("7查找"), "{text}");
    assert!(text.lines().last().unwrap_or_default().contains("F1-F10 切换页面"), "{text}");
    desk.cmd(Scope::Global, Cmd::Tab(1)).press(Key::Char('?'));
    for _ in 0..20 {
        desk.cmd(Scope::Help, Cmd::Down);
    }
    assert!(desk.text().contains("F7 Alt+7"), "{}", desk.text());
}

#[test]
fn its_data_comes_through_an_effect_not_from_render() {
    let look = common::look(Lang::Zh);
    let mut state = AppState::new(look, "岑国仲", jiedai::domain::time::china_at(common::today(), 10, 0), (80, 24));
    let effects = update(&mut state, Action::Key(Key::F(7)));
    assert_eq!(effects, [Effect::Load]);
    // Until the snapshot comes, the screen says so.
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
    term.draw(|f| jiedai::ui::render(&state, f)).expect("draw");
    assert!(term.backend().to_string().contains("正在读取"));
}

#[test]
fn a_new_intake_is_found_at_once() {
    let mut desk = Desk::demo(Lang::Zh);
    search(&mut desk, "");
    assert_eq!(listed(&desk).len(), 13);
    desk.cmd(Scope::Global, Cmd::Tab(0)).cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("龙海波");
    while desk.state.intake.form.focus != Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("田坝组水渠垮塌");
    desk.cmd(Scope::Form, Cmd::Save);
    search(&mut desk, "lhb");
    assert_eq!(listed(&desk), [CaseNo { year: 2026, seq: 14 }], "{}", desk.text());
    assert!(desk.text().contains("田坝组水渠垮塌"));
}
