//! The statistics tab through its keys: periods by one key, or typed.

mod common;

use common::Desk;
use insta::assert_snapshot;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};

#[test]
fn periods_by_one_key_or_typed() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(4));
    assert!(desk.text().contains("自2026年1月1日以来共接待群众7人,办理事件4件,回访1件,落实3件。"), "{}", desk.text());
    // This week: only today's walk-in.
    desk.press(Key::Char('w'));
    assert!(desk.text().contains("自2026年11月30日以来共接待群众1人,办理事件0件,回访0件,落实0件。"), "{}", desk.text());
    // A range typed in: the road case's February and March.
    desk.cmd(Scope::Stats, Cmd::PeriodRange);
    desk.type_text("2026-02-01 2026-03-31");
    desk.cmd(Scope::Prompt, Cmd::PromptDone);
    let text = desk.text();
    assert!(text.contains("2026年2月1日至2026年3月31日共接待群众3人,办理事件1件,回访1件,落实1件。"), "{text}");
    assert_snapshot!("stats_range_zh", text);
    // Since a date, and a date that is no date.
    desk.cmd(Scope::Stats, Cmd::PeriodRange);
    desk.type_text("2026-13-01");
    desk.cmd(Scope::Prompt, Cmd::PromptDone);
    assert!(desk.message().starts_with("日期写法"), "{}", desk.message());
    desk.cmd(Scope::Prompt, Cmd::Back);
    desk.cmd(Scope::Stats, Cmd::PeriodRange);
    desk.type_text("04-01");
    desk.cmd(Scope::Prompt, Cmd::PromptDone);
    assert!(desk.text().contains("自2026年4月1日以来"), "{}", desk.text());
    assert!(desk.text().contains("搜集到的意见4条,进行整改1条。"), "{}", desk.text());
}
