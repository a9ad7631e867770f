//! 民情日记 and 群众意见箱, driven through the key table: the diary's
//! lines typed in one go and triaged one key each; the box opened before
//! witnesses and its slips entered one line each. Screen and database out.

mod common;

use common::{Desk, today};
use insta::assert_snapshot;
use jiedai::app::Tab;
use jiedai::app::diary::Focus;
use jiedai::app::form::Field;
use jiedai::domain::diary::Triaged;
use jiedai::domain::stats::Period;
use jiedai::domain::{Channel, EventKind, Outcome};
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};
use jiedai::store::{Command, Stamp};

/// The seed's five lines: two for new cases, one about 黄光明's open
/// case, two settled on the spot.
const LINES: [&str; 5] = [
    "bdzcwz 唐科名 要求修通五组的组路",
    "nscpjz 黄光明 变压器还是没修好",
    "ldc 村口路灯坏了三盏",
    "bdzcbwz 低保名单没有公示",
    "pzc 杨老五 问退耕还林补助",
];

fn diary_with_lines(lang: Lang) -> Desk {
    let mut desk = Desk::demo(lang);
    desk.cmd(Scope::Global, Cmd::Tab(8));
    for line in LINES {
        desk.type_text(line).cmd(Scope::Diary, Cmd::Save);
    }
    desk
}

/// `c` on the selected entry: the intake form, prefilled, the cursor on
/// 类别; the category by pinyin and the form's save. The keys pressed.
fn make_case(desk: &mut Desk, category: &str) -> usize {
    desk.cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    assert_eq!(desk.state.tab, Tab::Intake);
    assert_eq!(desk.state.intake.form.focus, Field::Category);
    desk.type_text(category).cmd(Scope::Form, Cmd::Save);
    1 + category.chars().count() + 1
}

fn channel_registered(desk: &Desk, channel: Channel) -> (u64, u64) {
    let stats = desk.store.stats(Period { from: today(), to: today() }).expect("stats");
    stats
        .by_channel
        .iter()
        .find(|(c, _)| *c == channel)
        .map_or((0, 0), |(_, s)| (s.registered, s.registered_implemented))
}

#[test]
fn a_diary_of_five_lines_becomes_two_cases_one_attachment_and_two_settled_notes() {
    let mut desk = diary_with_lines(Lang::Zh);
    assert_eq!(desk.message(), "已保存");
    // Each line saved (flushed) under the cadre and the day, as typed.
    let entries = desk.store.diary().expect("diary");
    assert_eq!(entries.len(), 5);
    assert!(entries.iter().all(|e| e.cadre == "岑国仲" && e.day == today() && e.triaged.is_none()));
    assert_eq!((entries[0].line.village.as_str(), entries[0].line.group.as_str()), ("坝达章村", "五组"));
    assert_eq!((entries[0].line.name.as_str(), entries[0].line.request.as_str()), ("唐科名", "要求修通五组的组路"));
    assert_eq!((entries[2].line.village.as_str(), entries[2].line.name.as_str()), ("冷洞村", ""));
    assert_snapshot!("diary_lines_zh", desk.text());
    let before = channel_registered(&desk, Channel::Diary);

    // Triage, one key each; a case through the intake form.
    desk.cmd(Scope::Diary, Cmd::ToForm);
    assert_eq!(desk.state.diary.focus, Focus::Entries);
    desk.cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    // The form, prefilled from the entry: nothing saved yet.
    assert_eq!(desk.state.tab, Tab::Intake);
    let form = &desk.state.intake.form;
    assert_eq!(form.value(Field::Channel), "民情日记");
    assert_eq!(
        (form.value(Field::Name), form.value(Field::Village), form.value(Field::Group)),
        ("唐科名", "坝达章村", "五组")
    );
    assert_eq!(form.value(Field::Summary), "要求修通五组的组路");
    assert_eq!(form.focus, Field::Category);
    assert_snapshot!("diary_case_form_zh", desk.text());
    assert!(desk.store.diary().expect("diary")[0].triaged.is_none());
    desk.type_text("dljt").cmd(Scope::Form, Cmd::Save);
    // Saved, and back at the diary for the next entry.
    assert_eq!(desk.state.tab, Tab::Diary);
    assert_eq!(desk.state.diary.focus, Focus::Entries);
    assert!(desk.message().starts_with("已立案 2026-"), "{}", desk.message());
    // The cursor has moved on to the next entry.
    assert_eq!(desk.state.diary.selected, 1);
    desk.cmd(Scope::DiaryTriage, Cmd::DiaryAttach);
    // The search starts from the entry's name; pinyin finds it too.
    assert_eq!(desk.state.diary.find.filter.value(), "黄光明");
    desk.cmd(Scope::DiaryPrompt, Cmd::ClearForm).type_text("hgm");
    assert_snapshot!("diary_attach_zh", desk.text());
    desk.cmd(Scope::DiaryPrompt, Cmd::PromptDone);
    assert_eq!(desk.message(), "已并入 2026-0007");
    desk.cmd(Scope::DiaryTriage, Cmd::Down).cmd(Scope::DiaryTriage, Cmd::DiarySettle);
    desk.type_text("已报供电所, 明天来修").cmd(Scope::DiaryPrompt, Cmd::PromptDone);
    desk.cmd(Scope::DiaryTriage, Cmd::Down).cmd(Scope::DiaryTriage, Cmd::DiarySettle);
    desk.type_text("名单已张榜公示").cmd(Scope::DiaryPrompt, Cmd::PromptDone);
    assert_eq!(desk.message(), "已记为当场解决");
    desk.cmd(Scope::DiaryTriage, Cmd::Down);
    // The second case, its keys counted.
    let keys = make_case(&mut desk, "tg");
    println!("keys for a diary case: {keys} (c, the category's pinyin, Ctrl+S)");
    assert!(keys <= 4, "{keys}");
    assert_snapshot!("diary_triaged_zh", desk.text());
    // An entry is triaged once.
    desk.cmd(Scope::DiaryTriage, Cmd::DiarySettle);
    assert_eq!(desk.message(), "这条日记已经处理过");

    let entries = desk.store.diary().expect("diary");
    let cases: Vec<_> = entries
        .iter()
        .filter_map(|e| match e.triaged {
            Some(Triaged::Case(no)) => Some(no),
            _ => None,
        })
        .collect();
    assert_eq!(cases.len(), 2);
    assert!(matches!(entries[1].triaged, Some(Triaged::Attached(no)) if no.to_string() == "2026-0007"));
    let settled: Vec<_> = entries
        .iter()
        .filter_map(|e| match &e.triaged {
            Some(Triaged::Settled(note)) => Some(note.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(settled, ["已报供电所, 明天来修", "名单已张榜公示"]);
    // The cases: channel 民情日记, what the entry knew, under the cadre.
    let first = desk.store.case(cases[0]).expect("read").expect("case");
    assert_eq!(first.intake.channel, Channel::Diary);
    assert_eq!((first.intake.name.as_str(), first.place().as_str()), ("唐科名", "坝达章村五组"));
    assert_eq!(first.intake.summary, "要求修通五组的组路");
    assert_eq!(first.intake.category, "道路交通");
    assert_eq!(first.assignee.as_deref(), Some("岑国仲"));
    let second = desk.store.case(cases[1]).expect("read").expect("case");
    assert_eq!(second.intake.channel, Channel::Diary);
    assert_eq!((second.intake.name.as_str(), second.intake.category.as_str()), ("杨老五", "退耕还林"));
    // The attachment: a contact on channel 民情日记 with the request.
    let events = desk
        .store
        .events(
            entries[1]
                .triaged
                .as_ref()
                .and_then(|t| match t {
                    Triaged::Attached(no) => Some(*no),
                    _ => None,
                })
                .expect("attached"),
        )
        .expect("events");
    assert!(matches!(&events.last().expect("event").kind,
        EventKind::Contact { channel: Channel::Diary, note, .. } if note == "变压器还是没修好"));
    // The statistics count the two cases under 民情日记.
    assert_eq!(channel_registered(&desk, Channel::Diary).0, before.0 + 2);
}

#[test]
fn the_diary_in_english() {
    let mut desk = diary_with_lines(Lang::En);
    assert_eq!(desk.message(), "Saved");
    assert_snapshot!("diary_lines_en", desk.text());
    desk.cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    assert_eq!(desk.state.intake.form.value(Field::Channel), "diary");
    assert_snapshot!("diary_case_form_en", desk.text());
    desk.type_text("dljt").cmd(Scope::Form, Cmd::Save);
    assert!(desk.message().starts_with("Case registered 2026-"), "{}", desk.message());
    // The cursor has moved on to the next entry.
    desk.cmd(Scope::DiaryTriage, Cmd::DiarySettle);
    desk.type_text("fixed");
    assert_snapshot!("diary_settle_en", desk.text());
}

/// Cases on channel 民情日记 in the store.
fn diary_cases(desk: &Desk) -> usize {
    let all = desk.store.all_cases().expect("cases");
    all.iter().filter(|c| c.intake.channel == Channel::Diary).count()
}

#[test]
fn esc_on_the_entrys_form_makes_no_case_and_leaves_the_entry_untriaged() {
    let mut desk = diary_with_lines(Lang::Zh);
    let before = diary_cases(&desk);
    desk.cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    desk.type_text("dljt");
    desk.cmd(Scope::Form, Cmd::Back);
    // Back at the entry, no case, the entry still to triage.
    assert_eq!(desk.state.tab, Tab::Diary);
    assert_eq!(desk.state.diary.focus, Focus::Entries);
    assert_eq!(desk.message(), "未立案: 这条日记仍未分流 (登记页可恢复表单 Ctrl+Z)");
    assert!(desk.store.diary().expect("diary")[0].triaged.is_none());
    assert_eq!(diary_cases(&desk), before);
    // The form is blank (so `c` on another entry is free), and its undo
    // on 登记 brings the typed category back with its entry.
    assert_eq!(desk.state.intake.form.from_diary, None);
    desk.press(Key::F(1)).cmd(Scope::Undo, Cmd::Undo);
    assert_eq!(desk.state.intake.form.value(Field::Category), "dljt");
    assert!(desk.state.intake.form.from_diary.is_some());
    desk.cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.state.tab, Tab::Diary);
    assert!(matches!(desk.store.diary().expect("diary")[0].triaged, Some(Triaged::Case(_))));
    assert_eq!(diary_cases(&desk), before + 1);
}

#[test]
fn on_the_entrys_form_ctrl_t_attaches_it_to_the_residents_open_case_and_never_to_a_concluded_one() {
    let mut desk = diary_with_lines(Lang::Zh);
    desk.cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    // The footer says where Esc goes from this form.
    let footer = desk.text().lines().last().unwrap_or_default().to_string();
    assert!(footer.contains("Esc 回日记") && !footer.contains("排队"), "{footer}");
    // 唐科名's earlier case is concluded: reopening it would leave the entry untriaged.
    desk.cmd(Scope::Form, Cmd::AsContact);
    assert_eq!(desk.message(), "2026-0002 已办结, 不能并入: 按 Ctrl+S 立为新案件");
    assert_eq!(desk.state.tab, Tab::Intake);
    assert!(desk.store.diary().expect("diary")[0].triaged.is_none());
    desk.cmd(Scope::Form, Cmd::Back);
    // 黄光明's case is open: the contact and the entry's mark together.
    desk.cmd(Scope::DiaryTriage, Cmd::Down).cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    assert_eq!(desk.state.intake.earlier.first().map(|c| c.no.to_string()), Some("2026-0007".into()));
    desk.cmd(Scope::Form, Cmd::AsContact);
    assert_eq!(desk.message(), "已并入 2026-0007");
    assert_eq!(desk.state.tab, Tab::Diary);
    let entries = desk.store.diary().expect("diary");
    assert!(matches!(entries[1].triaged, Some(Triaged::Attached(no)) if no.to_string() == "2026-0007"));
    let no =
        desk.store.all_cases().expect("cases").into_iter().find(|c| c.no.to_string() == "2026-0007").expect("case").no;
    let events = desk.store.events(no).expect("events");
    assert!(matches!(&events.last().expect("event").kind,
        EventKind::Contact { channel: Channel::Diary, note, .. } if note == "变压器还是没修好"));
}

#[test]
fn the_entrys_form_comes_back_after_a_restart_still_tied_to_its_entry() {
    let mut desk = diary_with_lines(Lang::Zh);
    let before = diary_cases(&desk);
    desk.cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    desk.type_text("dljt").press(Key::Ctrl('q'));
    let mut desk = desk.restart();
    desk.press(Key::F(1)).open_form();
    let form = &desk.state.intake.form;
    assert_eq!((form.value(Field::Name), form.value(Field::Category)), ("唐科名", "dljt"));
    let id = desk.store.diary().expect("diary")[0].id;
    assert_eq!(form.from_diary, Some(id));
    desk.cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.state.tab, Tab::Diary);
    assert!(matches!(desk.store.diary().expect("diary")[0].triaged, Some(Triaged::Case(_))));
    assert_eq!(diary_cases(&desk), before + 1);
}

#[test]
fn c_never_overwrites_a_draft_on_the_form() {
    let mut desk = diary_with_lines(Lang::Zh);
    desk.press(Key::F(1)).open_form().type_text("韦正荣");
    desk.press(Key::F(9)).cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    assert_eq!(desk.message(), "登记表有未保存的内容: 请先保存或清空 (F1)");
    assert_eq!(desk.state.tab, Tab::Diary);
    assert_eq!(desk.state.intake.form.value(Field::Name), "韦正荣");
    assert_eq!(desk.state.intake.form.from_diary, None);
    assert!(desk.store.diary().expect("diary")[0].triaged.is_none());
}

#[test]
fn an_entry_triaged_at_another_desk_meanwhile_refuses_the_save_and_keeps_the_form() {
    let mut desk = diary_with_lines(Lang::Zh);
    let before = diary_cases(&desk);
    desk.cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiaryCase);
    desk.type_text("dljt");
    // Meanwhile the same entry is settled elsewhere.
    let id = desk.store.diary().expect("diary")[0].id;
    let stamp = Stamp { at: desk.state.now, operator: "岑国仲".into() };
    let settle =
        Command::DiaryTriage { entry: id, triage: jiedai::domain::diary::Triage::Settle("已当场答复".into()) };
    desk.store.execute(&stamp, settle).expect("settle");
    desk.cmd(Scope::Form, Cmd::Save);
    assert_eq!(desk.message(), "这条日记已经处理过");
    // Nothing registered, the form as it was, still on 登记.
    assert_eq!(diary_cases(&desk), before);
    assert_eq!(desk.state.tab, Tab::Intake);
    let form = &desk.state.intake.form;
    assert_eq!((form.value(Field::Name), form.value(Field::Summary)), ("唐科名", "要求修通五组的组路"));
    assert_eq!(form.value(Field::Category), "道路交通");
    assert!(matches!(&desk.store.diary().expect("diary")[0].triaged, Some(Triaged::Settled(n)) if n == "已当场答复"));
}

#[test]
fn a_line_naming_no_known_place_is_refused_and_kept() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.press(Key::F(9)).type_text("xyz 路灯坏了").cmd(Scope::Diary, Cmd::Save);
    assert_eq!(desk.message(), "xyz: 不是已知的村组");
    assert_eq!(desk.state.diary.line.value(), "xyz 路灯坏了");
    assert!(desk.store.diary().expect("diary").is_empty());
}

#[test]
fn untriaged_entries_older_than_three_days_stand_out_here_and_on_pending() {
    let mut desk = Desk::demo(Lang::Zh);
    let stamp = Stamp { at: desk.state.now, operator: "岑国仲".into() };
    let line = |r: &str| jiedai::domain::diary::DiaryLine {
        village: "冷洞村".into(),
        group: String::new(),
        name: String::new(),
        request: r.into(),
    };
    for (days, r) in [(4, "四天前的"), (3, "三天前的")] {
        let day = today() - chrono::Duration::days(days);
        let cmd = Command::DiaryWrite { cadre: "岑国仲".into(), day, lines: vec![line(r)] };
        desk.store.execute(&stamp, cmd).expect("write");
    }
    desk.press(Key::F(9));
    let text = desk.text();
    assert!(text.contains("! 超过3天未分流 1"), "{text}");
    let stale_row = text.lines().find(|l| l.contains("四天前的")).expect("row");
    assert!(stale_row.starts_with('!'), "{stale_row}");
    let fresh_row = text.lines().find(|l| l.contains("三天前的")).expect("row");
    assert!(!fresh_row.starts_with('!'), "{fresh_row}");
    desk.press(Key::F(2));
    assert!(desk.text().lines().nth(1).is_some_and(|l| l.contains("民情日记 1 条超过3天未分流")), "{}", desk.text());
}

/// Ten slips: three categories typed by pinyin, the rest kept from the slip before.
const SLIPS: [&str; 10] = [
    "db低保评定不公开,要求张榜公示",
    "低保户名单有村干部亲属",
    "dl三组路面塌了",
    "通村路没有路灯",
    "组路硬化拖了两年",
    "tg退耕还林补助发放不及时",
    "补助标准不清楚",
    "补助被扣了一部分",
    "gb村干部办事拖拉",
    "村委会上班时间常常没人",
];

#[test]
fn a_box_session_of_10_slips_6_of_them_later_rectified_is_counted_right_by_channel_and_per_opening() {
    let mut desk = Desk::demo(Lang::Zh);
    let before = channel_registered(&desk, Channel::OpinionBox);
    desk.cmd(Scope::Global, Cmd::Tab(9));
    desk.type_text("lmh wzg hdr").cmd(Scope::BoxSlips, Cmd::Save);
    assert_eq!(desk.message(), "已开箱, 逐条录入");
    let mut most = 0;
    for slip in SLIPS {
        // Keys beyond the text: the category's pinyin, if typed, and Enter.
        let pinyin = slip.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        desk.type_text(slip).cmd(Scope::BoxSlips, Cmd::Save);
        most = most.max(pinyin + 1);
    }
    assert!(most <= 3, "{most} keys beyond the text for a slip");
    println!("keys per slip beyond the text: at most {most} (1 when the category is kept)");
    assert_eq!(desk.message(), "第 10 条已保存");
    assert_snapshot!("box_session_zh", desk.text());

    let openings = desk.store.box_openings().expect("openings");
    assert_eq!(openings.len(), 1);
    let o = &openings[0];
    assert_eq!((o.opened_by.as_str(), o.witnesses.join(" ")), ("李明华", "王志刚 黄德荣".to_string()));
    assert_eq!(o.slips.len(), 10);
    let mut categories = Vec::new();
    for no in &o.slips {
        let c = desk.store.case(*no).expect("read").expect("case");
        assert_eq!(c.intake.channel, Channel::OpinionBox);
        assert!(c.is_anonymous());
        categories.push(c.intake.category.clone());
    }
    assert_eq!(categories[..3], ["低保救助", "低保救助", "道路交通"]);
    assert_eq!(categories[9], "干部作风");

    // Later, six are rectified: concluded 支持/已落实.
    let stamp = Stamp { at: desk.state.now, operator: "岑国仲".into() };
    for no in &o.slips[..6] {
        let cmd = Command::Conclude { case: *no, outcome: Outcome::Implemented, reason: "已整改".into() };
        desk.store.execute(&stamp, cmd).expect("conclude");
    }
    let cmd = Command::Conclude { case: o.slips[6], outcome: Outcome::Explained, reason: "已解释".into() };
    desk.store.execute(&stamp, cmd).expect("conclude");

    // The statistics by channel: ten more box cases, six more rectified.
    let after = channel_registered(&desk, Channel::OpinionBox);
    assert_eq!((after.0 - before.0, after.1 - before.1), (10, 6));
    // Per opening: in the store, the report, and on the box's screen.
    let tallies = desk.store.box_tallies(None).expect("tallies");
    assert_eq!((tallies[0].slips, tallies[0].rectified), (10, 6));
    let stats = desk.store.stats(Period { from: today(), to: today() }).expect("stats");
    let report = jiedai::cli::report_text(&stats, Lang::Zh, today());
    assert!(
        report.contains(
            "意见箱 (按开箱)\n开箱\t日期\t开箱人\t见证人\t意见\t整改\n#1\t2026-11-30\t李明华\t王志刚 黄德荣\t10\t6"
        ),
        "{report}"
    );
    desk.cmd(Scope::BoxSlips, Cmd::Back);
    let text = desk.text();
    assert!(
        text.lines().any(|l| l.starts_with("#1") && l.contains("李明华") && l.trim_end().ends_with("10     6")),
        "{text}"
    );
    assert_snapshot!("box_openings_zh", text);
    // The statistics tab's sentence for the box: the demo's four slips and
    // one rectified, and these ten and six.
    desk.press(Key::F(5));
    assert!(desk.text().contains("[意见箱] 搜集到的意见14条,进行整改7条。"), "{}", desk.text());
    // And `jiedai report`, the real binary, per opening.
    let Desk { store, dir, .. } = desk;
    drop(store);
    let out = common::jiedai(dir.path(), &["report", "--from", "2026-11-30", "--to", "2026-11-30"]);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(printed.contains("#1\t2026-11-30\t李明华\t王志刚 黄德荣\t10\t6"), "{printed}");
}

#[test]
fn the_box_in_english() {
    let mut desk = Desk::demo(Lang::En);
    desk.press(Key::F(10));
    assert_snapshot!("box_none_en", desk.text());
    desk.type_text("2026-11-28 cgz lmh").cmd(Scope::BoxSlips, Cmd::Save);
    desk.type_text("db低保评定不公开").cmd(Scope::BoxSlips, Cmd::Save);
    desk.type_text("ylyy");
    assert_snapshot!("box_session_en", desk.text());
    let o = &desk.store.box_openings().expect("openings")[0];
    assert_eq!(o.date.to_string(), "2026-11-28");
}

// ---- h-input2: full-width spaces, multi-line pastes, slip categories, openings ----

/// A full-width space (U+3000, as an IME in full-width mode types it)
/// breaks words as ' ' does: the line saves, its name found by the search.
#[test]
fn a_full_width_space_breaks_the_diary_line_into_words() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(8));
    desk.type_text("bdzc\u{3000}韦正荣\u{3000}要求修路").cmd(Scope::Diary, Cmd::Save);
    assert_eq!(desk.message(), "已保存");
    desk.paste("bdzcwz\u{3000}唐科名\u{3000}路灯坏了").cmd(Scope::Diary, Cmd::Save);
    assert_eq!(desk.message(), "已保存");
    let entries = desk.store.diary().expect("diary");
    let read: Vec<_> =
        entries.iter().map(|e| (e.line.village.as_str(), e.line.name.as_str(), e.line.request.as_str())).collect();
    assert_eq!(read, [("坝达章村", "韦正荣", "要求修路"), ("坝达章村", "唐科名", "路灯坏了")]);
    // The attach search starts from the name and finds 韦正荣's case.
    desk.cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiaryAttach);
    assert_eq!(desk.state.diary.find.filter.value(), "韦正荣");
    assert!(!desk.state.diary.find.visible.is_empty(), "{}", desk.text());
}

/// Three lines pasted at once are three entries: the first in the line,
/// the rest said to wait; each Enter saves one and brings the next.
#[test]
fn a_multi_line_paste_on_the_diary_is_saved_one_line_at_a_time() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(8));
    desk.paste("bdzcwz 唐科名 第一条\nbdzcwz 韦小平 第二条\r\n\nbdzc 韦正荣 第三条\n");
    assert_eq!(desk.state.diary.line.value(), "bdzcwz 唐科名 第一条");
    assert!(desk.text().contains("还有 2 行待录入"), "{}", desk.text());
    desk.cmd(Scope::Diary, Cmd::Save);
    assert_eq!(desk.state.diary.line.value(), "bdzcwz 韦小平 第二条");
    assert!(desk.message().starts_with("已保存; 还有 1 行待录入"), "{}", desk.message());
    // Quit with a line waiting: both come back.
    desk.cmd(Scope::Global, Cmd::Quit);
    let mut desk = desk.restart();
    assert_eq!(desk.state.tab, Tab::Diary);
    assert_eq!(desk.state.diary.line.value(), "bdzcwz 韦小平 第二条");
    desk.cmd(Scope::Diary, Cmd::Save).cmd(Scope::Diary, Cmd::Save);
    assert_eq!(desk.message(), "已保存");
    assert_eq!(desk.state.diary.line.value(), "");
    let entries = desk.store.diary().expect("diary");
    let read: Vec<_> = entries.iter().map(|e| (e.line.name.as_str(), e.line.request.as_str())).collect();
    assert_eq!(read, [("唐科名", "第一条"), ("韦小平", "第二条"), ("韦正荣", "第三条")]);
}

/// Slips pasted at once: one slip each; Esc will not end the opening
/// while a pasted slip waits.
#[test]
fn a_multi_line_paste_of_slips_is_saved_one_slip_at_a_time() {
    let mut desk = Desk::demo(Lang::En);
    desk.press(Key::F(10));
    desk.type_text("lmh cgz").cmd(Scope::BoxSlips, Cmd::Save);
    desk.paste("db低保评定不公\n路灯坏了\ndl三组路面塌了");
    assert!(desk.text().contains("2 more lines waiting"), "{}", desk.text());
    desk.cmd(Scope::BoxSlips, Cmd::Save).cmd(Scope::BoxSlips, Cmd::Save);
    assert_eq!(desk.state.opinion.line.value(), "dl三组路面塌了");
    desk.cmd(Scope::BoxSlips, Cmd::Save);
    assert_eq!(desk.state.opinion.line.value(), "");
    let o = &desk.store.box_openings().expect("openings")[0];
    let slips: Vec<_> = o
        .slips
        .iter()
        .map(|no| {
            let c = desk.store.case(*no).expect("read").expect("case");
            (c.intake.category.clone(), c.intake.summary.clone())
        })
        .collect();
    let want = [("低保救助", "低保评定不公"), ("低保救助", "路灯坏了"), ("道路交通", "三组路面塌了")];
    assert_eq!(slips.iter().map(|(c, s)| (c.as_str(), s.as_str())).collect::<Vec<_>>(), want);
    // Pasted again, Esc is refused while one waits; Ctrl+U drops it.
    desk.paste("gb办事拖拉\ntg补助");
    desk.cmd(Scope::BoxSlips, Cmd::ClearForm);
    assert_eq!(desk.state.opinion.line.value(), "tg补助");
    desk.cmd(Scope::BoxSlips, Cmd::ClearForm).cmd(Scope::BoxSlips, Cmd::Back);
    assert_eq!(desk.state.opinion.session, None);
}

/// Letters that name no category are refused in words, the line kept:
/// never filed under the last slip's category.
#[test]
fn a_mistyped_slip_category_is_refused_and_the_line_kept() {
    for (lang, said) in [(Lang::Zh, "xyz: 不是类别的拼音"), (Lang::En, "xyz: No category has this pinyin")] {
        let mut desk = Desk::demo(lang);
        desk.press(Key::F(10));
        desk.type_text("lmh cgz").cmd(Scope::BoxSlips, Cmd::Save);
        desk.type_text("db低保评定不公").cmd(Scope::BoxSlips, Cmd::Save);
        desk.type_text("xyz乱七八糟").cmd(Scope::BoxSlips, Cmd::Save);
        assert!(desk.message().starts_with(said), "{}", desk.message());
        assert_eq!(desk.state.opinion.line.value(), "xyz乱七八糟");
        assert_eq!(desk.store.box_openings().expect("openings")[0].slips.len(), 1);
        assert!(desk.text().contains(said), "{}", desk.text());
    }
}

/// An opening with an unknown name, no witness, the opener as a witness
/// or a date to come is refused in words; nothing saved, the line kept.
#[test]
fn a_box_opening_needs_known_names_a_witness_and_no_future_date() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.press(Key::F(10));
    for (line, said) in [
        ("lmh", "开箱要有见证人"),
        ("lmh lmh", "李明华: 开箱人不能给自己作见证"),
        ("xyz cgz", "xyz: 不在干部名录里 (先在 6 名录 里添加)"),
        ("2030-01-01 lmh cgz", "开箱日期不能晚于今天"),
    ] {
        desk.cmd(Scope::BoxSlips, Cmd::ClearForm).type_text(line).cmd(Scope::BoxSlips, Cmd::Save);
        assert!(desk.message().starts_with(said), "{line}: {}", desk.message());
        assert_eq!(desk.state.opinion.line.value(), line);
        assert_eq!(desk.state.opinion.session, None);
    }
    assert!(desk.store.box_openings().expect("openings").is_empty());
    desk.cmd(Scope::BoxSlips, Cmd::ClearForm).type_text("lmh cgz").cmd(Scope::BoxSlips, Cmd::Save);
    assert_eq!(desk.message(), "已开箱, 逐条录入");
}
