//! The intake tab through its key table: the market-day queue, the form,
//! returning residents, drafts. Keys in; screen and database out.

mod common;

use common::Desk;
use insta::assert_snapshot;
use jiedai::app::form::Field;
use jiedai::app::intake::Focus;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};

/// Presses that are not text: counted against the 3270 target.
struct Counted<'a> {
    desk: &'a mut Desk,
    keys: usize,
}

impl Counted<'_> {
    fn cmd(&mut self, scope: Scope, cmd: Cmd) -> &mut Self {
        self.desk.cmd(scope, cmd);
        self.keys += 1;
        self
    }

    fn text(&mut self, s: &str) -> &mut Self {
        self.desk.type_text(s);
        self
    }
}

fn add_arrival(desk: &mut Desk, line: &str) {
    if desk.state.intake.focus == Focus::Form {
        desk.cmd(Scope::Form, Cmd::Back);
    }
    desk.cmd(Scope::Queue, Cmd::AddArrival);
    desk.type_text(line);
    desk.cmd(Scope::Adding, Cmd::AddDone);
}

#[test]
fn the_road_case_from_the_queue_in_at_most_ten_keys() {
    let mut desk = Desk::demo(Lang::Zh);
    add_arrival(&mut desk, "韦正荣 bdz");
    // The arrival got the day's first number, shown large, and waits.
    assert!(desk.text().contains("排队号"));
    assert!(desk.text().contains("1 韦正荣 坝达章村"), "{}", desk.text());
    assert_snapshot!("queue_ticket_zh", desk.text());

    let mut k = Counted { desk: &mut desk, keys: 0 };
    k.cmd(Scope::Queue, Cmd::Call); // into the form: name and village filled, cursor on phone
    k.text("13985941234"); // a whole mobile number moves on by itself
    k.cmd(Scope::Form, Cmd::NextField).text("wz"); // group, by pinyin initials
    k.cmd(Scope::Form, Cmd::NextField).text("3"); // 人数 replaces the default 1
    k.cmd(Scope::Form, Cmd::NextField).text("韦正荣,罗大华,黄明贵");
    k.cmd(Scope::Form, Cmd::NextField).text("46");
    k.cmd(Scope::Form, Cmd::NextField).text("dl"); // 道路交通
    k.cmd(Scope::Form, Cmd::NextField).text("五组通组路严重损坏,生产生活困难");
    k.cmd(Scope::Form, Cmd::NextField).text("涵洞堵塞,多处塌方,车辆无法通行");
    let before_save = k.desk.text();
    k.cmd(Scope::Form, Cmd::Save);
    let keys = k.keys;
    assert!(keys <= 10, "{keys} keys beyond the text");
    assert_eq!(keys, 9);
    assert!(before_save.contains("组       五组"), "{before_save}");
    assert!(before_save.contains("类别     道路交通"), "{before_save}");

    // Saved, durably, with everything the form held.
    let no = CaseNo { year: 2026, seq: 14 };
    assert_eq!(desk.message(), format!("已保存, 编号 {no}"));
    let case = desk.store.case(no).expect("read").expect("saved case");
    let i = &case.intake;
    assert_eq!((i.name.as_str(), i.phone.as_str()), ("韦正荣", "13985941234"));
    assert_eq!((i.village.as_str(), i.group.as_str(), i.category.as_str()), ("坝达章村", "五组", "道路交通"));
    assert_eq!(i.people, 3);
    let d = i.delegation.as_ref().expect("delegation");
    assert_eq!(d.representatives, ["韦正荣", "罗大华", "黄明贵"]);
    assert_eq!(d.speaks_for, 46);
    assert_eq!(i.channel, Channel::Reception);
    assert_eq!(case.assignee.as_deref(), Some("岑国仲"));
    assert_eq!(desk.store.events(no).expect("events")[0].operator, "岑国仲");
    let q = desk.store.queue(common::today()).expect("queue");
    assert_eq!(q[0].status, QueueStatus::Served);
    assert_eq!(q[0].case, Some(no));
    assert!(q[0].called_at.is_some() && q[0].finished_at.is_some());

    // The number is shown large; the form is empty, cursor in the first field.
    let text = desk.text();
    assert!(text.contains("登记编号") && text.contains("2026-"), "{text}");
    assert!(text.contains("#"), "big digits drawn");
    assert_eq!(desk.state.intake.form.focus, Field::Name);
    assert_eq!(desk.state.intake.form.value(Field::Name), "");
    assert_snapshot!("road_case_saved_zh", text);
}

#[test]
fn the_road_case_in_english_and_at_120x40() {
    let look = common::look(Lang::En);
    let mut desk = Desk::demo_sized(look, 120, 40);
    add_arrival(&mut desk, "韦正荣 bdz");
    desk.cmd(Scope::Queue, Cmd::Call);
    desk.type_text("13985941234");
    desk.cmd(Scope::Form, Cmd::NextField).type_text("wz");
    desk.cmd(Scope::Form, Cmd::NextField).type_text("3");
    assert_snapshot!("road_case_typing_en_120x40", desk.text());
    desk.cmd(Scope::Form, Cmd::NextField).type_text("韦正荣,罗大华,黄明贵");
    desk.cmd(Scope::Form, Cmd::NextField).type_text("46");
    desk.cmd(Scope::Form, Cmd::NextField).type_text("dl");
    desk.cmd(Scope::Form, Cmd::NextField).type_text("五组通组路严重损坏");
    desk.cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.message(), "Saved as 2026-0014");
    assert_snapshot!("road_case_saved_en_120x40", desk.text());
}

#[test]
fn tang_kemings_third_call_goes_onto_his_case() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    let tang = CaseNo { year: 2026, seq: 2 };
    let before = desk.store.case(tang).expect("read").expect("case").contacts;
    desk.type_text("唐科名");
    desk.cmd(Scope::Form, Cmd::NextField);
    // His earlier case is beside the form, with the answer given last time.
    let text = desk.text();
    assert!(text.contains("此人以前的事件"), "{text}");
    assert!(text.contains("2026-0002 沿湖路建设"), "{text}");
    assert!(text.contains("[解释说明]"), "{text}");
    // Recognised: his phone and place come from his record.
    assert_eq!(desk.state.intake.form.value(Field::Phone), "13765912345");
    assert_eq!(desk.state.intake.form.value(Field::Group), "坝汪组");
    assert_snapshot!("returning_resident_zh", text);
    // He phoned: what he says, the channel, then log the call on that case.
    while desk.state.intake.form.focus != Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("又来电话");
    while desk.state.intake.form.focus != Field::Channel {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("dh");
    desk.cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.value(Field::Channel), "电话");
    desk.cmd(Scope::Form, Cmd::AsContact);
    // His case is concluded: the desk asks whether to reopen it.
    assert!(desk.state.revisit.is_some());
    desk.cmd(Scope::Revisit, Cmd::Reopen);
    assert_eq!(desk.message(), "已重办 2026-0002");
    let case = desk.store.case(tang).expect("read").expect("case");
    assert_eq!(case.contacts, before + 1);
    assert!(case.status.is_open());
    let last = desk.store.events(tang).expect("events").pop().expect("event");
    assert!(matches!(last.kind, EventKind::Contact { channel: Channel::Phone, ref name, .. } if name == "唐科名"));
    // No duplicate case was opened.
    assert_eq!(desk.store.all_cases().expect("cases").len(), 13);
}

#[test]
fn phone_and_people_are_typed_fields() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    desk.type_text("甲").cmd(Scope::Form, Cmd::NextField);
    // Letters are refused at the field, with a message.
    desk.type_text("abc");
    assert_eq!(desk.state.intake.form.value(Field::Phone), "");
    assert_eq!(desk.message(), "电话只能输入数字和 -");
    // Full-width digits and spaces are fine.
    desk.type_text("０８５９－３２２ ４８７３");
    assert_eq!(desk.state.intake.form.value(Field::Phone), "0859-3224873");
    desk.cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.focus, Field::Village);
    // A number that is no number cannot be left.
    desk.cmd(Scope::Form, Cmd::PrevField);
    desk.type_text("12345");
    desk.cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.focus, Field::Phone);
    assert!(desk.message().starts_with("电话号码不对"), "{}", desk.message());
    assert!(desk.text().contains("电话号码不对"));
    // 人数: digits only.
    for _ in 0..5 {
        desk.press(Key::Backspace);
    }
    desk.cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.focus, Field::People);
    desk.type_text("x");
    assert_eq!(desk.message(), "此栏只能输入数字");
    assert_eq!(desk.state.intake.form.value(Field::People), "1");
}

#[test]
fn saving_names_what_is_missing_and_loses_nothing() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    desk.cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.message(), "请填写姓名 (意见箱可匿名)");
    assert_eq!(desk.state.intake.form.focus, Field::Name);
    desk.type_text("王某").cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.message(), "事由不能为空");
    assert_eq!(desk.state.intake.form.focus, Field::Summary);
    assert_eq!(desk.state.intake.form.value(Field::Name), "王某");
    assert_eq!(desk.store.all_cases().expect("cases").len(), 13);
}

#[test]
fn choices_complete_by_pinyin_and_dup_repeats_the_last_intake() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    desk.type_text("甲").cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::NextField);
    desk.type_text("badazhang");
    assert!(desk.text().contains("坝达章村"), "suggestion shown");
    desk.cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.value(Field::Village), "坝达章村");
    desk.type_text("bw").cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.value(Field::Group), "坝汪组");
    // The second suggestion, chosen with Ctrl+N.
    while desk.state.intake.form.focus != Field::Category {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("z").cmd(Scope::Form, Cmd::NextPick).cmd(Scope::Form, Cmd::NextField);
    assert_eq!(desk.state.intake.form.value(Field::Category), "住房安全");
    desk.type_text("板栗树被毁").cmd(Scope::Form, Cmd::Save);
    assert!(desk.message().starts_with("已保存"));
    // The next person, same village and group: "dup" fills them.
    desk.type_text("乙").cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::NextField);
    desk.cmd(Scope::Form, Cmd::Dup).cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::Dup);
    assert_eq!(desk.state.intake.form.value(Field::Village), "坝达章村");
    assert_eq!(desk.state.intake.form.value(Field::Group), "坝汪组");
}

#[test]
fn a_draft_survives_a_restart_and_esc_keeps_the_form() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    desk.type_text("王秀兰").cmd(Scope::Form, Cmd::NextField).type_text("13595912345");
    // Esc goes to the queue and keeps every word.
    desk.cmd(Scope::Form, Cmd::Back);
    assert_eq!(desk.state.intake.focus, Focus::Queue);
    assert_eq!(desk.state.intake.form.value(Field::Name), "王秀兰");
    desk.cmd(Scope::Queue, Cmd::ToForm);
    desk.type_text("房屋开裂");
    // Within a second (the next tick) the draft is on disk.
    desk.tick();
    let draft = desk.draft().expect("draft written");
    assert!(draft.fields.iter().any(|(k, v)| k == "name" && v == "王秀兰"));
    // The link drops; the next start offers the form back as it was.
    let desk = desk.restart();
    assert!(desk.message().starts_with("已恢复上次未保存的登记"), "{}", desk.message());
    assert_eq!(desk.state.intake.form.value(Field::Name), "王秀兰");
    assert_eq!(desk.state.intake.form.value(Field::Phone), "13595912345");
    assert!(desk.text().contains("王秀兰"));
}

#[test]
fn quitting_keeps_the_form_as_a_draft() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    desk.type_text("罗阿婆");
    desk.press(Key::Ctrl('q'));
    assert!(desk.state.quit);
    let draft = desk.draft().expect("draft written on quit");
    assert!(draft.fields.iter().any(|(k, v)| k == "name" && v == "罗阿婆"));
}

#[test]
fn no_show_and_recall() {
    let mut desk = Desk::demo(Lang::Zh);
    add_arrival(&mut desk, "甲 cj");
    add_arrival(&mut desk, "乙 ld");
    assert!(desk.text().contains("2 乙 冷洞村"));
    desk.cmd(Scope::Queue, Cmd::NoShow);
    let q = desk.store.queue(common::today()).expect("queue");
    assert_eq!(q[0].status, QueueStatus::NoShow);
    assert!(desk.text().contains("x  1 甲 沧江村"), "{}", desk.text());
    // The no-show is listed last; select it and recall it.
    desk.cmd(Scope::Queue, Cmd::Down);
    desk.cmd(Scope::Queue, Cmd::Recall);
    assert_eq!(desk.store.queue(common::today()).expect("queue")[0].status, QueueStatus::Waiting);
}

#[test]
fn a_multi_line_paste_never_submits_the_form() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    desk.type_text("甲");
    while desk.state.intake.form.focus != Field::Summary {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.paste("第一行\r\n第二行\u{1b}[2J");
    assert_eq!(desk.state.intake.form.value(Field::Summary), "第一行 第二行[2J");
    desk.cmd(Scope::Form, Cmd::NextField);
    desk.paste("第一行\n第二行\n第三行\n第四行");
    desk.cmd(Scope::Form, Cmd::NewLine);
    desk.type_text("补充");
    assert_eq!(desk.state.intake.form.value(Field::Details), "第一行\n第二行\n第三行\n第四行\n补充");
    assert_eq!(desk.store.all_cases().expect("cases").len(), 13, "nothing was submitted");
}

#[test]
fn the_cursor_sits_at_the_caret_for_the_ime() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    desk.type_text("张三abc");
    // Form box at column 28, its border 1, the label 10 columns.
    let x0 = 28 + 1 + 10;
    desk.term.backend_mut().assert_cursor_position((x0 + 7, 2));
    desk.press(Key::Left).press(Key::Left).press(Key::Left);
    desk.term.backend_mut().assert_cursor_position((x0 + 4, 2));
    desk.press(Key::Home);
    desk.term.backend_mut().assert_cursor_position((x0, 2));
}

#[test]
fn the_intake_screen_in_both_languages_at_both_sizes() {
    for (lang, w, h, name) in [(Lang::En, 80, 24, "intake_en_80x24"), (Lang::Zh, 120, 40, "intake_zh_120x40")] {
        let mut desk = Desk::demo_sized(common::look(lang), w, h);
        add_arrival(&mut desk, "韦正荣 bdz");
        add_arrival(&mut desk, "唐科名 bdz");
        desk.cmd(Scope::Queue, Cmd::Up).cmd(Scope::Queue, Cmd::Call);
        desk.type_text("13985941234");
        desk.cmd(Scope::Form, Cmd::NextField).type_text("wz");
        assert!(desk.text().contains("韦正荣"));
        assert_snapshot!(name, desk.text());
    }
}

#[test]
fn the_draft_is_written_within_a_second_not_on_every_key() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.open_form();
    let draft_name =
        |desk: &Desk| desk.draft().and_then(|d| d.fields.into_iter().find(|(k, _)| k == "name").map(|(_, v)| v));
    desk.type_text("王");
    desk.tick();
    assert_eq!(draft_name(&desk).as_deref(), Some("王"));
    // More typing within half a second: no write yet.
    desk.type_text("秀");
    desk.tick();
    assert_eq!(draft_name(&desk).as_deref(), Some("王"));
    // Past half a second, the next tick writes it.
    desk.state.now += chrono::Duration::milliseconds(600);
    desk.tick();
    assert_eq!(draft_name(&desk).as_deref(), Some("王秀"));
}
