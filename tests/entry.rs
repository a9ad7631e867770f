//! Data entry with a queue waiting: nothing typed is lost or overwritten
//! unseen, the focus is always where the screen says, a highlighted
//! suggestion is what Tab takes, a concluded case visited again is never
//! buried, dialogs are drafts. Keys in, screen and database out.

mod common;

use common::Desk;
use jiedai::app::action::ActionKind;
use jiedai::app::form::Field;
use jiedai::app::intake::Focus;
use jiedai::app::{Effect, Look, Tab};
use jiedai::domain::*;
use jiedai::effects;
use jiedai::i18n::{Lang, Msg};
use jiedai::keys::{self, Cmd, Key, Scope};
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

/// Where `needle` is drawn on screen: its first cell (x, y).
fn find(desk: &Desk, needle: &str) -> Option<(u16, u16)> {
    (0..desk.term.backend().buffer().area.height).find_map(|y| find_in(desk, y, needle))
}

/// Where `needle` is drawn on row `y`: the cell after its first
/// character when it starts with a blank (a suggestion after its gap).
fn find_in(desk: &Desk, y: u16, needle: &str) -> Option<(u16, u16)> {
    let buf = desk.term.backend().buffer();
    let mut row = String::new();
    let mut xs = Vec::new();
    let mut skip = 0;
    for x in 0..buf.area.width {
        let sym = buf[(x, y)].symbol();
        if skip == 0 {
            for _ in sym.chars() {
                xs.push(x);
            }
            row.push_str(sym);
        }
        skip = skip.max(sym.width()).saturating_sub(1);
    }
    let blank = usize::from(needle.starts_with(' '));
    row.find(needle).and_then(|at| xs.get(row[..at].chars().count() + blank)).map(|x| (*x, y))
}

fn modifier_at(desk: &Desk, at: (u16, u16)) -> Modifier {
    desk.term.backend().buffer()[at].modifier
}

/// The screen row showing `needle`.
fn row_of(desk: &Desk, needle: &str) -> String {
    desk.text().lines().find(|l| l.contains(needle)).unwrap_or_default().to_string()
}

fn key_label(scope: Scope, cmd: Cmd) -> String {
    keys::key_for(scope, cmd).map(|k| k.label()).expect("bound")
}

fn plain(lang: Lang) -> Look {
    Look { lang, ascii: true, color: false }
}

/// The issue's steps: `--demo`, Esc, `a`, `韦正荣 bdz`, Enter, Enter, `dl`, Tab.
#[test]
fn a_returning_residents_village_is_never_overwritten_unseen() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.press(Key::Esc).press(Key::Char('a'));
    desk.type_text("韦正荣 bdz").press(Key::Enter).press(Key::Enter);
    // His phone and place come from his record; the cursor stays where
    // the call put it, on the phone, whose value the next key would
    // replace: drawn selected.
    let f = &desk.state.intake.form;
    assert_eq!((f.focus, f.value(Field::Phone)), (Field::Phone, "13985941234"));
    assert_eq!((f.value(Field::Village), f.value(Field::Group)), ("坝达章村", "五组"));
    let at = find(&desk, "13985941234").expect("phone shown");
    assert!(modifier_at(&desk, at).contains(Modifier::REVERSED), "the prefilled phone is not shown selected");
    assert!(row_of(&desk, "13985941234").contains(">电话"), "{}", desk.text());
    // Letters are refused at the phone, said, and move nothing.
    desk.type_text("dl");
    assert_eq!(desk.state.intake.form.focus, Field::Phone);
    assert_eq!(desk.message(), "电话只能输入数字和 -");
    desk.press(Key::Tab);
    let f = &desk.state.intake.form;
    assert_eq!(f.focus, Field::Village);
    assert_eq!(
        (f.value(Field::Phone), f.value(Field::Village), f.value(Field::Group)),
        ("13985941234", "坝达章村", "五组")
    );
    // The village now has the cursor, its value selected.
    let row = row_of(&desk, ">村");
    assert!(row.contains("坝达章村"), "{row}");
    let at = find(&desk, ">村").map(|(x, y)| (x + 10, y)).expect("village row");
    assert!(modifier_at(&desk, at).contains(Modifier::REVERSED), "{row}");
}

#[test]
fn a_complete_number_typed_still_moves_on_by_itself() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("李德才").cmd(Scope::Form, Cmd::NextField);
    desk.type_text("1359591239");
    assert_eq!(desk.state.intake.form.focus, Field::Phone);
    desk.type_text("9");
    assert_eq!(desk.state.intake.form.focus, Field::Village, "the documented autoskip");
    // Back on the complete number, a refused key moves nothing.
    desk.cmd(Scope::Form, Cmd::PrevField).type_text("x");
    assert_eq!(desk.state.intake.form.focus, Field::Phone);
    assert_eq!(desk.state.intake.form.value(Field::Phone), "13595912399");
}

#[test]
fn a_village_changed_under_a_group_of_another_is_flagged() {
    for look in [common::look(Lang::Zh), plain(Lang::Zh)] {
        let mut desk = Desk::demo_sized(look, 80, 24);
        desk.cmd(Scope::Queue, Cmd::AddArrival).type_text("韦正荣 bdz").cmd(Scope::Adding, Cmd::AddDone);
        desk.cmd(Scope::Queue, Cmd::Call);
        desk.cmd(Scope::Form, Cmd::NextField);
        assert_eq!(desk.state.intake.form.focus, Field::Village);
        desk.type_text("ld").cmd(Scope::Form, Cmd::NextField);
        let f = &desk.state.intake.form;
        assert_eq!((f.value(Field::Village), f.value(Field::Group)), ("冷洞村", "五组"));
        // Said at once, and marked at the group for as long as it holds.
        assert_eq!(desk.message(), "组 五组: 冷洞村 不是该村的组, 请核对");
        // It is not taken past: added to the directory with one key, or corrected.
        desk.cmd(Scope::Form, Cmd::NextField);
        assert_eq!(desk.state.intake.form.focus, Field::Group);
        assert_eq!(desk.message(), "冷洞村五组: 不在名录中: Ctrl+Y 加入名录 (或改正)");
        // A group of the village clears it.
        desk.type_text("dz").cmd(Scope::Form, Cmd::NextField);
        assert_eq!(desk.state.intake.form.value(Field::Group), "大寨组");
        assert!(!desk.text().contains("不在该村名单中"));
    }
}

#[test]
fn the_focused_field_and_its_caret_show_without_colour() {
    let mut desk = Desk::demo_sized(plain(Lang::Zh), 80, 24);
    desk.cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("张三");
    // Marked by a character, its input area underlined, the terminal's
    // cursor at the caret.
    let (x, y) = find(&desk, ">姓名").expect("focused label marked");
    let x0 = x + 10;
    assert!(modifier_at(&desk, (x0 + 4, y)).contains(Modifier::UNDERLINED));
    desk.term.backend_mut().assert_cursor_position((x0 + 4, y));
    // The pane with the keyboard has its title drawn reversed.
    let title = find(&desk, "登记 ").expect("form title");
    assert!(modifier_at(&desk, title).contains(Modifier::REVERSED));
    desk.cmd(Scope::Form, Cmd::NextField);
    assert!(desk.text().contains(">电话") && !desk.text().contains(">姓名"), "{}", desk.text());
    // Another prefilled value, 人数's 1, is selected when entered.
    while desk.state.intake.form.focus != Field::People {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    let (x, y) = find(&desk, ">人数").expect("people focused");
    assert!(modifier_at(&desk, (x + 10, y)).contains(Modifier::REVERSED));
    // Help over the form hides its cursor.
    desk.press(Key::Ctrl('g'));
    assert!(!desk.term.backend().cursor_visible(), "the form's cursor shows through help");
}

#[test]
fn the_desk_starts_where_the_screen_says() {
    let mut desk = Desk::demo(Lang::Zh);
    assert_eq!(desk.state.intake.focus, Focus::Queue);
    let hint = format!("{} {}", key_label(Scope::Queue, Cmd::AddArrival), Msg::KeyAddArrival.text(Lang::Zh));
    assert!(desk.text().contains(&hint), "{}", desk.text());
    // `a` does what the queue says: a new arrival, nothing typed into 姓名.
    desk.press(Key::Char('a'));
    assert_eq!(desk.state.intake.focus, Focus::Adding);
    assert_eq!(desk.state.intake.form.value(Field::Name), "");
    // With the form focused, the queue no longer offers its keys.
    desk.cmd(Scope::Adding, Cmd::Back).cmd(Scope::Queue, Cmd::ToForm);
    assert!(!desk.text().contains(&hint), "{}", desk.text());
    assert!(desk.text().contains("Esc 排队"), "{}", desk.text());
    desk.press(Key::Char('a'));
    assert_eq!(desk.state.intake.form.value(Field::Name), "a");
}

fn to_village(desk: &mut Desk) {
    desk.cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("甲").cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.focus, Field::Village);
}

#[test]
fn a_highlighted_suggestion_is_what_tab_takes_and_stays_in_view() {
    let mut desk = Desk::demo(Lang::Zh);
    to_village(&mut desk);
    let villages = desk.state.intake.form.completions(Field::Village, Lang::Zh, &desk.state.choices);
    assert_eq!(villages.len(), 5);
    // An empty field highlights nothing until Ctrl+N; then each one in
    // turn, in view at 80 columns, drawn selected.
    for v in &villages {
        desk.cmd(Scope::Form, Cmd::NextPick);
        let (_, y) = find(&desk, ">村").expect("the village field");
        let at = find_in(&desk, y, &format!(" {v}")).unwrap_or_else(|| panic!("{v} out of view"));
        assert!(modifier_at(&desk, at).contains(Modifier::REVERSED), "{v}: {}", row_of(&desk, ">村"));
    }
    desk.cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.value(Field::Village), villages[4]);
    // Nothing highlighted in an empty field: Tab leaves it empty.
    desk.cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.value(Field::Group), "");
}

#[test]
fn a_highlighted_suggestion_in_an_empty_dialog_field_is_taken() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open);
    let no = desk.state.detail.as_ref().map(|d| d.case.no).expect("open");
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Assign));
    // The cadres covering the case's group, then its village, first.
    let cadres = jiedai::app::places::cadres_for_case(&desk.state);
    assert!(cadres.len() > 4, "more cadres than fit beside the field");
    for c in &cadres {
        desk.cmd(Scope::Dialog, Cmd::NextPick);
        let (_, y) = find(&desk, ">承办人").expect("the dialog's field");
        let at = find_in(&desk, y, &format!(" {c}")).unwrap_or_else(|| panic!("{c} out of view"));
        assert!(modifier_at(&desk, at).contains(Modifier::REVERSED), "{c}");
    }
    // Enter on the last field submits: the highlighted cadre, not 此栏不能为空.
    desk.cmd(Scope::Dialog, Cmd::NextField);
    assert_eq!(desk.message(), "已记录");
    let last = cadres.last().cloned();
    assert_eq!(desk.store.case(no).expect("read").expect("case").assignee, last);
}

#[test]
fn help_scrolls_by_page_and_to_either_end() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Queue, Cmd::ToForm).press(Key::Ctrl('g'));
    let top = desk.text();
    assert!(top.contains("表单中"), "{top}");
    desk.cmd(Scope::Help, Cmd::PageDown);
    assert!(desk.state.help.is_some(), "PgDn closed help");
    let page = desk.text();
    assert_ne!(page, top, "PgDn did not scroll");
    assert!(!page.contains("表单中"));
    desk.cmd(Scope::Help, Cmd::Last);
    let end = desk.text();
    assert!(end.contains("退出"), "the last key is in view: {end}");
    // Past the end nothing moves, and one Up moves at once.
    desk.cmd(Scope::Help, Cmd::Down).cmd(Scope::Help, Cmd::Down);
    assert_eq!(desk.text(), end);
    desk.cmd(Scope::Help, Cmd::Up);
    assert_ne!(desk.text(), end);
    desk.cmd(Scope::Help, Cmd::PageUp).cmd(Scope::Help, Cmd::First);
    assert_eq!(desk.text(), top);
    // The footer and the help say so, from the key table.
    let footer = desk.text().lines().last().unwrap_or_default().to_string();
    let keys = format!("{}/{}", key_label(Scope::Help, Cmd::PageUp), key_label(Scope::Help, Cmd::PageDown));
    assert!(footer.contains(&format!("{keys} {}", Msg::KeyPage.text(Lang::Zh))), "{footer}");
    desk.press(Key::Esc);
    assert!(desk.state.help.is_none());
}

#[test]
fn ctrl_u_clears_the_form_and_one_key_puts_it_back() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("唐科名").cmd(Scope::Form, Cmd::NextField);
    desk.type_text("13765912345");
    let undo = format!("{} {}", key_label(Scope::Undo, Cmd::Undo), Msg::KeyUndoClear.text(Lang::Zh));
    let footer = |d: &Desk| d.text().lines().last().unwrap_or_default().to_string();
    assert!(!footer(&desk).contains(&undo));
    desk.cmd(Scope::Form, Cmd::ClearForm);
    assert_eq!(desk.state.intake.form.value(Field::Name), "");
    assert!(desk.state.intake.earlier.is_empty());
    assert!(desk.message().contains(&undo), "{}", desk.message());
    assert!(footer(&desk).starts_with(&undo), "{}", footer(&desk));
    desk.press(Key::Ctrl('g'));
    assert!(desk.text().contains("Ctrl+Z"), "help lists it: {}", desk.text());
    desk.press(Key::Esc);
    // Ctrl+Z: everything back, the earlier cases too.
    desk.cmd(Scope::Undo, Cmd::Undo);
    let f = &desk.state.intake.form;
    assert_eq!((f.value(Field::Name), f.value(Field::Phone)), ("唐科名", "13765912345"));
    assert!(!desk.state.intake.earlier.is_empty());
    assert_eq!(desk.message(), "已恢复清空前的表单");
    // Typed after a clear is not lost by the undo: it swaps back.
    desk.cmd(Scope::Form, Cmd::ClearForm).type_text("王某");
    desk.cmd(Scope::Undo, Cmd::Undo);
    assert_eq!(desk.state.intake.form.value(Field::Name), "唐科名");
    desk.cmd(Scope::Undo, Cmd::Undo);
    assert_eq!(desk.state.intake.form.value(Field::Name), "王某");
    // Until the next save.
    while desk.state.intake.form.focus != Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("路灯坏了").cmd(Scope::Form, Cmd::Save);
    assert!(desk.message().starts_with("已保存"), "{}", desk.message());
    assert!(desk.state.intake.cleared.is_none());
    assert!(!footer(&desk).contains(&undo));
    desk.press(Key::Ctrl('z'));
    assert_eq!(desk.state.intake.form.value(Field::Name), "");
}

#[test]
fn the_earlier_answer_is_shown_whole_at_any_width() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let mut desk = Desk::demo_sized(common::look(Lang::Zh), w, h);
        desk.cmd(Scope::Queue, Cmd::ToForm);
        desk.type_text("韦正荣").cmd(Scope::Form, Cmd::NextField);
        let road = desk.store.case(CaseNo { year: 2026, seq: 1 }).expect("read").expect("case");
        let reason = road.conclusion.expect("concluded").reason;
        assert!(reason.width() > 40, "a long answer: {reason}");
        // The left pane's rows, joined: the whole answer is there.
        let left: String = desk
            .text()
            .lines()
            .filter_map(|l| l.split('│').nth(1))
            .map(|l| l.trim().trim_start_matches("[支持/已落实]").trim())
            .collect();
        assert!(left.contains(&reason), "{w}x{h}: {}", desk.text());
    }
}

/// 唐科名's case 2026-0002 is concluded and followed up; he comes again.
fn tang_again(desk: &mut Desk, says: &str) -> CaseNo {
    let tang = CaseNo { year: 2026, seq: 2 };
    assert_eq!(desk.store.case(tang).expect("read").expect("case").status, Status::FollowedUp);
    desk.cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("唐科名").cmd(Scope::Form, Cmd::NextField);
    while desk.state.intake.form.focus != Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text(says);
    let before = desk.store.events(tang).expect("events").len();
    desk.cmd(Scope::Form, Cmd::AsContact);
    // Asked, with one key each way; nothing written yet.
    let text = desk.text();
    assert!(text.contains("2026-0002 已回访 [解释说明]"), "{text}");
    for (cmd, what) in [(Cmd::Reopen, Msg::KeyReopen), (Cmd::LinkNew, Msg::KeyLinkNew)] {
        let hint = format!("{} {}", key_label(Scope::Revisit, cmd), what.text(Lang::Zh));
        assert!(text.contains(&hint), "{hint}: {text}");
    }
    assert_eq!(desk.store.events(tang).expect("events").len(), before);
    // A stray key neither answers nor types.
    desk.type_text("x");
    assert!(desk.state.revisit.is_some());
    assert_eq!(desk.state.intake.form.value(Field::Summary), says);
    tang
}

#[test]
fn a_new_visit_on_a_concluded_case_can_reopen_it() {
    let mut desk = Desk::demo(Lang::Zh);
    let tang = tang_again(&mut desk, "沿湖路的事仍想不通");
    desk.cmd(Scope::Revisit, Cmd::Reopen);
    assert_eq!(desk.message(), "已重办 2026-0002");
    let case = desk.store.case(tang).expect("read").expect("case");
    assert!(case.status.is_open(), "{:?}", case.status);
    assert_eq!(case.reopened, 1);
    let events = desk.store.events(tang).expect("events");
    assert_eq!(common::steps(&events).iter().rev().take(2).collect::<Vec<_>>(), [&"contact", &"reopened"]);
    // On 待办 now, the reason in its timeline.
    desk.cmd(Scope::Global, Cmd::Tab(1));
    assert!(desk.text().contains("2026-0002"), "{}", desk.text());
    for a in effects::run(&desk.port(), &desk.state, &Effect::LoadCase(tang)) {
        effects::dispatch(&desk.port(), &mut desk.state, a);
    }
    desk.draw();
    assert!(desk.text().contains("沿湖路的事仍想不通"), "{}", desk.text());
    assert!(desk.store.verify().expect("verify").0.is_empty());
}

#[test]
fn a_new_visit_on_a_concluded_case_can_open_a_linked_case() {
    let mut desk = Desk::demo(Lang::Zh);
    let tang = tang_again(&mut desk, "板栗林旁新修的水沟堵了");
    desk.cmd(Scope::Revisit, Cmd::LinkNew);
    let new = CaseNo { year: 2026, seq: 14 };
    assert_eq!(desk.message(), "已保存, 编号 2026-0014 (关联 2026-0002)");
    let case = desk.store.case(new).expect("read").expect("new case");
    assert_eq!(case.intake.summary, "板栗林旁新修的水沟堵了");
    assert!(case.status.is_open());
    let old = desk.store.case(tang).expect("read").expect("case");
    assert_eq!(old.status, Status::FollowedUp, "the old case stays as it was");
    let last = desk.store.events(tang).expect("events").pop().expect("event");
    assert_eq!(last.kind, EventKind::Linked { other: new, later: true });
    let steps = common::steps(&desk.store.events(new).expect("events")).join(", ");
    assert_eq!(steps, "registered, linked to an earlier case");
    // Both timelines name the other.
    desk.cmd(Scope::Global, Cmd::Tab(1));
    for (no, says) in [(new, "接续已办结的 2026-0002"), (tang, "再次来访, 另立新件 2026-0014")] {
        for a in effects::run(&desk.port(), &desk.state, &Effect::LoadCase(no)) {
            effects::dispatch(&desk.port(), &mut desk.state, a);
        }
        desk.cmd(Scope::Detail, Cmd::PageDown).cmd(Scope::Detail, Cmd::PageDown);
        assert!(desk.text().contains(says), "{says}: {}", desk.text());
    }
    assert!(desk.store.verify().expect("verify").0.is_empty());
}

#[test]
fn the_contact_dialog_on_a_concluded_case_asks_too_and_the_store_never_buries() {
    let mut desk = Desk::demo(Lang::Zh);
    let tang = CaseNo { year: 2026, seq: 2 };
    // Straight to the store: refused, with what to do.
    let stamp = jiedai::store::Stamp { at: desk.state.now, operator: "岑国仲".into() };
    let contact = jiedai::store::Command::Contact {
        case: tang,
        channel: Channel::Phone,
        name: "唐科名".into(),
        people: 1,
        note: "又来电".into(),
        queue: None,
    };
    let err = desk.store.execute(&stamp, contact).expect_err("refused");
    assert_eq!(err.user_message(Lang::Zh), Msg::ErrContactOnClosed.text(Lang::Zh));
    // Through the case view: the contact dialog asks.
    desk.cmd(Scope::Global, Cmd::Tab(1));
    for a in effects::run(&desk.port(), &desk.state, &Effect::LoadCase(tang)) {
        effects::dispatch(&desk.port(), &mut desk.state, a);
    }
    desk.cmd(Scope::Detail, Cmd::Act(ActionKind::Contact));
    while desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).is_some_and(|d| d.focus < 3) {
        desk.cmd(Scope::Dialog, Cmd::NextField);
    }
    desk.cmd(Scope::Dialog, Cmd::Save);
    assert!(desk.state.revisit.is_some(), "not asked");
    // Reopening needs the reason: said at the note.
    desk.cmd(Scope::Revisit, Cmd::Reopen);
    assert_eq!(desk.message(), "请填写理由");
    desk.type_text("又来电话要求赔偿").cmd(Scope::Dialog, Cmd::Save);
    desk.cmd(Scope::Revisit, Cmd::Reopen);
    assert_eq!(desk.message(), "已记录");
    let case = desk.store.case(tang).expect("read").expect("case");
    assert!(case.status.is_open());
    assert!(desk.text().contains("又来电话要求赔偿"), "{}", desk.text());
}

#[test]
fn the_new_event_kind_is_last_so_old_records_decode() {
    // bincode numbers enum variants: the new one must come after the 15
    // that version 1 wrote (tests/fixtures/v1 holds such records).
    let kind = EventKind::Linked { other: CaseNo { year: 2026, seq: 2 }, later: true };
    let bytes = bincode::serde::encode_to_vec(&kind, bincode::config::standard()).expect("encode");
    assert_eq!(bytes[0], 15);
    let event = Event { at: chrono::Utc::now(), operator: "岑国仲".into(), kind };
    let back: Event = jiedai::store::decode(&jiedai::store::encode(&event)).expect("decode");
    assert_eq!(back, event);
}

fn dialog_value(desk: &Desk, i: usize) -> String {
    let d = desk.state.detail.as_ref().and_then(|d| d.dialog.as_ref()).expect("a dialog open");
    d.fields[i].value.value().to_string()
}

fn act(desk: &mut Desk, kind: ActionKind) {
    desk.cmd(Scope::Detail, Cmd::Act(kind));
}

#[test]
fn dialogs_are_drafts_per_case_and_action_across_esc_quit_and_restart() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open);
    let no = desk.state.detail.as_ref().map(|d| d.case.no).expect("open");
    act(&mut desk, ActionKind::Note);
    desk.type_text("已电话联系供电所");
    desk.cmd(Scope::Dialog, Cmd::Back);
    // Another dialog after Esc: the first one is still kept.
    act(&mut desk, ActionKind::Conclude);
    desk.type_text("js").cmd(Scope::Dialog, Cmd::NextField).type_text("等资金到位后");
    desk.cmd(Scope::Dialog, Cmd::Back);
    act(&mut desk, ActionKind::Note);
    assert_eq!(dialog_value(&desk, 0), "已电话联系供电所");
    desk.cmd(Scope::Dialog, Cmd::Back);
    act(&mut desk, ActionKind::Conclude);
    assert_eq!((dialog_value(&desk, 0), dialog_value(&desk, 1)), ("解释说明".to_string(), "等资金到位后".to_string()));
    // Esc wrote them as drafts, one per case and action.
    let key = |k: ActionKind| jiedai::app::action::draft_key(no, k);
    let stored = |d: &Desk| -> Vec<String> { d.dialog_drafts().into_iter().map(|d| d.form).collect() };
    assert!(stored(&desk).contains(&key(ActionKind::Note)), "{:?}", stored(&desk));
    // Quitting with a dialog open keeps it too.
    desk.type_text("，再办");
    desk.press(Key::Ctrl('q'));
    assert!(desk.state.quit);
    let mut desk = desk.restart();
    assert!(desk.message().contains("已恢复未提交的操作"), "{}", desk.message());
    desk.cmd(Scope::Queue, Cmd::Tab(1)).cmd(Scope::List, Cmd::Open);
    assert!(desk.message().starts_with("此事件有未提交的操作"), "{}", desk.message());
    act(&mut desk, ActionKind::Conclude);
    assert_eq!(dialog_value(&desk, 1), "等资金到位后，再办");
    desk.cmd(Scope::Dialog, Cmd::Back);
    act(&mut desk, ActionKind::Note);
    assert_eq!(dialog_value(&desk, 0), "已电话联系供电所");
    // Submitted: the draft is done with.
    desk.cmd(Scope::Dialog, Cmd::Save);
    assert_eq!(desk.message(), "已记录");
    assert!(!stored(&desk).contains(&key(ActionKind::Note)), "{:?}", stored(&desk));
    assert!(stored(&desk).contains(&key(ActionKind::Conclude)));
    // Another tab puts an open dialog away, kept.
    act(&mut desk, ActionKind::Extend);
    desk.cmd(Scope::Dialog, Cmd::NextField).type_text("等批复");
    desk.cmd(Scope::Global, Cmd::Tab(0));
    assert!(stored(&desk).contains(&key(ActionKind::Extend)));
    assert_eq!(desk.state.tab, Tab::Intake);
}

#[test]
fn a_dialog_draft_is_written_within_a_second_while_typing() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open);
    act(&mut desk, ActionKind::Note);
    desk.type_text("已电话");
    desk.tick();
    let note = |d: &Desk| d.dialog_drafts().first().and_then(|d| d.fields.first().map(|f| f.1.clone()));
    assert_eq!(note(&desk).as_deref(), Some("已电话"));
    desk.type_text("联系");
    desk.state.now += chrono::Duration::milliseconds(600);
    desk.tick();
    assert_eq!(note(&desk).as_deref(), Some("已电话联系"));
}

/// The real binary in a pseudo-terminal: the line drops (SIGHUP) with a
/// note half typed in a case's dialog, no time for a draft tick; the next
/// start offers it back on that case and action.
#[test]
fn sighup_keeps_an_action_dialog_for_the_next_start() {
    use common::pty::Pty;
    use std::time::Duration;
    let db = common::demo_db();
    let dbs = db.path().to_string_lossy().into_owned();
    let mut t = Pty::spawn(&["--db", &dbs], &[]);
    t.wait_for("紧急程度");
    // From the queue, `2` is Pending; Enter opens the first case.
    t.send(b"2");
    t.wait_for("2026-0007");
    t.send(b"\r");
    t.wait_for("办理经过");
    t.send(b"n");
    t.wait_for("备注 2026-0007");
    t.send("已电话联系供电所".as_bytes());
    t.wait_for("已电话联系供电所");
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(t.pid(), libc::SIGHUP) };
    assert!(t.wait_exit(Duration::from_secs(2)).is_some(), "still running after SIGHUP");
    let mut again = Pty::spawn(&["--db", &dbs], &[]);
    again.wait_for("已恢复未提交的操作: 2026-0007 备注");
    again.send(b"2");
    again.wait_for("2026-0007");
    again.send(b"\r");
    again.wait_for("此事件有未提交的操作: 备注 (n)");
    again.send(b"n");
    again.wait_for("已电话联系供电所");
    // Submitted, the draft is gone: a third start offers nothing.
    again.send(b"\x13");
    again.wait_for("已记录");
    again.send(b"\x11");
    assert_eq!(again.wait_exit(Duration::from_secs(5)), Some(0));
    let mut third = Pty::spawn(&["--db", &dbs], &[]);
    third.wait_for("紧急程度");
    third.settle();
    assert!(!third.screen().contains("已恢复未提交的操作"), "{}", third.screen());
}

#[test]
fn a_dialog_draft_can_be_dropped_and_the_drop_undone() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open);
    act(&mut desk, ActionKind::Note);
    desk.type_text("写错了");
    desk.cmd(Scope::Dialog, Cmd::Back);
    let stored = |d: &Desk| d.dialog_drafts().len();
    assert_eq!(stored(&desk), 1);
    act(&mut desk, ActionKind::Note);
    desk.cmd(Scope::Dialog, Cmd::ClearForm);
    assert_eq!(dialog_value(&desk, 0), "");
    assert!(desk.message().contains("Ctrl+Z"), "{}", desk.message());
    desk.cmd(Scope::Dialog, Cmd::Undo);
    assert_eq!(dialog_value(&desk, 0), "写错了");
    desk.cmd(Scope::Dialog, Cmd::ClearForm).cmd(Scope::Dialog, Cmd::Back);
    assert_eq!(stored(&desk), 0, "a dialog back as it opened is no draft");
    let desk = desk.restart();
    assert!(!desk.message().contains("已恢复未提交的操作"), "{}", desk.message());
}

#[test]
fn a_dialogs_prefilled_value_is_drawn_selected_and_replaced_by_typing() {
    let mut desk = Desk::demo_sized(plain(Lang::Zh), 80, 24);
    desk.cmd(Scope::Queue, Cmd::Tab(1)).cmd(Scope::List, Cmd::Open);
    act(&mut desk, ActionKind::Extend);
    let (x, y) = find(&desk, ">天数").expect("the days field focused and marked");
    let at = find_in(&desk, y, "30").expect("the 30 days offered");
    assert!(at.0 > x);
    assert!(modifier_at(&desk, at).contains(Modifier::REVERSED), "{}", row_of(&desk, ">天数"));
    desk.type_text("15");
    assert_eq!(dialog_value(&desk, 0), "15");
    let at = find_in(&desk, y, "15").expect("typed");
    assert!(!modifier_at(&desk, at).contains(Modifier::REVERSED));
}
