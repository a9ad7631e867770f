//! Drafts of the channel screens (issue 15; SPEC: no typed word is ever
//! lost), through the key table: a half-typed call on 来电, a diary line
//! and a settle note on 日记, the opening in progress and a half slip on
//! 意见箱 come back after a quit or a restart, on their tabs; a draft goes
//! when its record is saved or its text deliberately cleared.

mod common;

use common::Desk;
use jiedai::app::Tab;
use jiedai::app::diary::Focus;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};
use jiedai::protocol::{Desk as _, Draft};

/// This desk's user's screen drafts, as the store keeps them.
fn screen_drafts(desk: &Desk) -> Vec<Draft> {
    let today = jiedai::domain::time::china_date(desk.state.now);
    desk.port().snapshot(today, Vec::new(), None, true).expect("snapshot").screen_drafts
}

fn draft_of<'a>(drafts: &'a [Draft], name: &str) -> Option<&'a Draft> {
    drafts.iter().find(|d| d.form == format!("screen/{name}"))
}

fn field<'a>(d: &'a Draft, k: &str) -> Option<&'a str> {
    d.fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// A call half-typed on 来电: the number and part of the note.
fn half_call(desk: &mut Desk) {
    desk.cmd(Scope::Global, Cmd::Tab(7));
    desk.type_text("13595912399");
    // A full mobile number moves on to the note by itself.
    desk.type_text("反映村道塌方");
}

/// Two lines on 日记: one saved, one half-typed.
fn half_diary(desk: &mut Desk) {
    desk.cmd(Scope::Global, Cmd::Tab(8));
    desk.type_text("ldc 村口路灯坏了三盏").cmd(Scope::Diary, Cmd::Save);
    assert_eq!(desk.message(), "已保存");
    desk.type_text("pzc 要求修");
}

/// The box opened, one slip saved, the next half-typed.
fn half_slip(desk: &mut Desk) {
    desk.cmd(Scope::Global, Cmd::Tab(9));
    desk.type_text("lmh wzg hdr").cmd(Scope::BoxSlips, Cmd::Save);
    assert_eq!(desk.message(), "已开箱, 逐条录入");
    desk.type_text("db低保评定不公").cmd(Scope::BoxSlips, Cmd::Save);
    assert_eq!(desk.message(), "第 1 条已保存");
    desk.type_text("希望路灯");
}

#[test]
fn a_half_call_diary_line_and_slip_come_back_after_quitting_each_on_its_tab() {
    let mut desk = Desk::demo(Lang::Zh);
    half_call(&mut desk);
    half_diary(&mut desk);
    half_slip(&mut desk);
    let opening = desk.state.opinion.session.expect("an opening in progress");
    let category = desk.state.opinion.category.clone();
    assert!(!category.is_empty());
    desk.cmd(Scope::Global, Cmd::Quit);
    assert!(desk.state.quit);

    let mut desk = desk.restart();
    let msg = desk.message();
    assert!(msg.contains("已恢复上次未保存的输入"), "{msg}");
    assert!(msg.contains("来电 (F8), 日记 (F9), 意见箱 (F10)"), "in the tabs' order: {msg}");
    // Back where the desk was left: the box, the same opening, the slip.
    assert_eq!(desk.state.tab, Tab::Box);
    assert_eq!(desk.state.opinion.session, Some(opening));
    assert_eq!(desk.state.opinion.line.value(), "希望路灯");
    assert_eq!(desk.state.opinion.category, category);
    let text = desk.text();
    assert!(text.contains(&format!("开箱 #{opening}")) && text.contains("意见 1"), "{text}");
    assert!(text.contains("低保评定不公") && text.contains("希望路灯"), "{text}");
    // The half slip, finished and saved, is the opening's second.
    desk.type_text("修好").cmd(Scope::BoxSlips, Cmd::Save);
    assert_eq!(desk.message(), "第 2 条已保存");
    let tally = desk.store.box_tallies(None).expect("tallies");
    assert_eq!(tally.iter().find(|t| t.no == opening).map(|t| t.slips), Some(2));

    desk.cmd(Scope::Global, Cmd::Tab(7));
    assert_eq!(desk.state.calls.number(), "13595912399");
    assert_eq!(desk.state.calls.note.value(), "反映村道塌方");
    let text = desk.text();
    assert!(text.contains("13595912399") && text.contains("反映村道塌方"), "{text}");

    desk.cmd(Scope::Global, Cmd::Tab(8));
    assert_eq!(desk.state.diary.line.value(), "pzc 要求修");
    assert!(desk.text().contains("pzc 要求修"), "{}", desk.text());
}

#[test]
fn a_settle_note_being_typed_comes_back_on_its_entry() {
    let mut desk = Desk::demo(Lang::Zh);
    half_diary(&mut desk);
    desk.cmd(Scope::Diary, Cmd::ClearForm);
    desk.cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiarySettle);
    assert_eq!(desk.state.diary.focus, Focus::Note);
    desk.type_text("已报供电所");
    let entry = jiedai::app::diary::shown(&desk.state)[desk.state.diary.selected].id;
    // Written on the tick, without quitting (as before a kill -9).
    desk.tick();
    let drafts = screen_drafts(&desk);
    let d = draft_of(&drafts, "diary").expect("the diary's draft");
    assert_eq!((field(d, "note"), field(d, "entry")), (Some("已报供电所"), Some(entry.to_string().as_str())));

    let mut desk = desk.restart();
    assert_eq!(desk.state.tab, Tab::Diary);
    assert_eq!(desk.state.diary.focus, Focus::Note);
    assert_eq!(desk.state.diary.note.value(), "已报供电所");
    let selected = jiedai::app::diary::shown(&desk.state)[desk.state.diary.selected].id;
    assert_eq!(selected, entry);
    // Finished and saved: the entry is settled, and the draft is gone.
    desk.type_text(", 明天来修").cmd(Scope::DiaryPrompt, Cmd::PromptDone);
    assert_eq!(desk.message(), "已记为当场解决");
    assert!(draft_of(&screen_drafts(&desk), "diary").is_none());
}

#[test]
fn a_saved_record_or_a_cleared_screen_leaves_no_draft() {
    let mut desk = Desk::demo(Lang::Zh);
    half_call(&mut desk);
    half_diary(&mut desk);
    desk.tick();
    let drafts = screen_drafts(&desk);
    assert!(draft_of(&drafts, "calls").is_some() && draft_of(&drafts, "diary").is_some(), "{drafts:?}");
    // The diary line saved: no draft.
    desk.type_text("ng").cmd(Scope::Diary, Cmd::Save);
    assert_eq!(desk.message(), "已保存");
    assert!(draft_of(&screen_drafts(&desk), "diary").is_none());
    // Typed again, then cleared on purpose (Ctrl+U): no draft.
    desk.type_text("pzc 又一行");
    desk.cmd(Scope::Global, Cmd::Tab(7));
    assert!(draft_of(&screen_drafts(&desk), "diary").is_some(), "leaving the tab writes it");
    desk.cmd(Scope::Global, Cmd::Tab(8)).cmd(Scope::Diary, Cmd::ClearForm).tick();
    assert!(draft_of(&screen_drafts(&desk), "diary").is_none());
    // Esc keeps the card (its draft stays); Ctrl+U clears it: no draft.
    desk.cmd(Scope::Global, Cmd::Tab(7)).cmd(Scope::Calls, Cmd::Back).tick();
    assert!(draft_of(&screen_drafts(&desk), "calls").is_some(), "Esc keeps the card");
    desk.cmd(Scope::Calls, Cmd::ClearForm).tick();
    assert!(draft_of(&screen_drafts(&desk), "calls").is_none());

    // A slip saved: the draft keeps the opening, not the slip's text.
    half_slip(&mut desk);
    desk.type_text("修好").cmd(Scope::BoxSlips, Cmd::Save);
    let drafts = screen_drafts(&desk);
    let d = draft_of(&drafts, "box").expect("the opening is kept");
    assert_eq!(field(d, "line"), Some(""));
    assert_eq!(d.fields.iter().filter(|(k, _)| k == "slip").count(), 2);
    // Esc with a slip half typed keeps it and says so; once it is
    // cleared, Esc ends the opening: no draft.
    desk.type_text("半条");
    desk.cmd(Scope::BoxSlips, Cmd::Back);
    assert_eq!(desk.message(), jiedai::i18n::Msg::BoxSlipUnsaved.text(Lang::Zh));
    assert_eq!(desk.state.opinion.line.value(), "半条");
    desk.cmd(Scope::BoxSlips, Cmd::ClearForm).cmd(Scope::BoxSlips, Cmd::Back);
    assert!(screen_drafts(&desk).is_empty(), "{:?}", screen_drafts(&desk));
    let desk = desk.restart();
    assert!(!desk.message().contains("已恢复上次未保存的输入"), "{}", desk.message());
    assert_eq!(desk.state.tab, Tab::Intake);
}

#[test]
fn a_screen_draft_of_a_newer_version_is_left_alone() {
    let mut desk = Desk::demo(Lang::Zh);
    let future = Draft {
        form: "screen/hotline".into(),
        fields: vec![("whatever".into(), "新版本的内容".into())],
        saved_at: desk.state.now,
    };
    desk.port().put_draft(&future).expect("put");
    half_call(&mut desk);
    desk.cmd(Scope::Global, Cmd::Quit);
    let mut desk = desk.restart();
    assert_eq!(desk.state.tab, Tab::Calls);
    assert_eq!(desk.state.calls.note.value(), "反映村道塌方");
    assert!(!desk.message().contains("hotline"), "{}", desk.message());
    // Kept for the version that knows it, whatever this one writes.
    desk.type_text("第二句").tick();
    desk.cmd(Scope::Global, Cmd::Quit);
    assert!(draft_of(&screen_drafts(&desk), "hotline").is_some());
}

#[test]
fn an_attach_query_being_typed_comes_back_and_finds_over_the_cases_as_loaded() {
    let mut desk = Desk::demo(Lang::Zh);
    half_diary(&mut desk);
    desk.cmd(Scope::Diary, Cmd::ToForm).cmd(Scope::DiaryTriage, Cmd::DiaryAttach);
    assert_eq!(desk.state.diary.focus, Focus::Find);
    desk.cmd(Scope::DiaryPrompt, Cmd::ClearForm).type_text("hgm");
    let found = desk.state.diary.find.visible.len();
    assert!(found > 0, "{}", desk.text());
    let entry = jiedai::app::diary::shown(&desk.state)[desk.state.diary.selected].id;
    desk.cmd(Scope::Global, Cmd::Quit);

    let mut desk = desk.restart();
    assert_eq!(desk.state.tab, Tab::Diary);
    assert_eq!(desk.state.diary.focus, Focus::Find);
    assert_eq!(desk.state.diary.find.filter.value(), "hgm");
    assert_eq!(desk.state.diary.line.value(), "pzc 要求修");
    assert_eq!(jiedai::app::diary::shown(&desk.state)[desk.state.diary.selected].id, entry);
    // Searched again once the diary's cases came: the same cases found.
    assert_eq!(desk.state.diary.find.visible.len(), found, "{}", desk.text());
    desk.cmd(Scope::DiaryPrompt, Cmd::PromptDone);
    assert!(desk.message().starts_with("已并入 2026-"), "{}", desk.message());
}

#[test]
fn a_refused_save_keeps_the_line_and_makes_its_draft_durable() {
    use jiedai::app::{Action, Effect, update};
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(8));
    desk.type_text("pzc 要求修");
    // The store's refusal of the line (a full disk, say), as the loop hands it back.
    desk.state.diary.saving = Some(jiedai::app::diary::Saving::Line);
    let effects = update(&mut desk.state, Action::Executed(Err("磁盘已满".into())));
    assert!(effects.iter().any(|e| matches!(e, Effect::SaveDraft(d) if d.form == "screen/diary")), "{effects:?}");
    assert_eq!(effects.last(), Some(&Effect::SyncDrafts));
    assert_eq!(desk.state.diary.line.value(), "pzc 要求修");
}
