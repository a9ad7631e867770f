//! Key-script tests: the desk driven through its key table into a
//! TestBackend at 80x24, checked against snapshots and the database.

mod common;

use common::Desk;
use insta::assert_snapshot;
use jiedai::app::{Look, Tab};
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope};
use ratatui::style::Modifier;

#[test]
fn pending_lists_open_cases_overdue_first_zh() {
    let desk = Desk::pending(Lang::Zh);
    let text = desk.text();
    assert!(text.contains("待办 5 (超期 1)"), "{text}");
    // The overdue case comes first, marked with "!" (visible without colour).
    let first_row = text.lines().nth(2).unwrap_or_default();
    assert!(first_row.starts_with("! 2026-0007"), "{first_row}");
    assert_snapshot!(desk.text());
}

#[test]
fn pending_in_english() {
    let desk = Desk::pending(Lang::En);
    assert!(desk.text().contains("Pending 5 (overdue 1)"));
    assert_snapshot!(desk.text());
}

#[test]
fn function_keys_alt_and_digits_switch_tabs() {
    let mut desk = Desk::pending(Lang::Zh);
    for (i, tab) in Tab::ALL.iter().enumerate() {
        desk.cmd(Scope::Global, Cmd::Tab(i as u8));
        assert_eq!(desk.state.tab, *tab);
    }
    desk.press(Key::Alt('3'));
    assert_eq!(desk.state.tab, Tab::Inspections);
    desk.cmd(Scope::List, Cmd::Tab(3));
    assert_eq!(desk.state.tab, Tab::FollowUps);
    assert!(desk.text().contains("吴小燕"));
    desk.press(Key::Char('1'));
    assert_eq!(desk.state.tab, Tab::Intake);
    // In the form a digit is text, not a tab switch.
    desk.open_form();
    desk.press(Key::Char('2'));
    assert_eq!(desk.state.tab, Tab::Intake);
}

#[test]
fn every_tab_at_80x24() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::Global, Cmd::Tab(0));
    // Today's duty leader is the default assignee.
    assert!(desk.text().contains("承办人   岑国仲"), "{}", desk.text());
    assert_snapshot!("intake_zh", desk.text());
    desk.cmd(Scope::Global, Cmd::Tab(2));
    assert!(desk.text().contains("冷洞村大寨组"));
    assert_snapshot!("inspections_zh", desk.text());
    desk.cmd(Scope::Global, Cmd::Tab(3));
    assert_snapshot!("follow_ups_zh", desk.text());
    desk.cmd(Scope::Global, Cmd::Tab(4));
    assert_snapshot!("stats_zh", desk.text());
}

#[test]
fn enter_opens_the_case_with_its_timeline_and_esc_goes_back() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Open);
    let text = desk.text();
    assert!(text.contains("2026-0007"), "{text}");
    assert!(text.contains("办理经过"));
    assert!(text.contains("超期!"));
    assert!(text.contains("黄德荣 受理, 办理期限 2026-11-16"));
    assert_snapshot!(desk.text());
    desk.cmd(Scope::Detail, Cmd::Back);
    assert!(desk.state.detail.is_none());
    assert!(desk.text().contains("编号"));
}

#[test]
fn help_lists_every_key_of_the_screen_from_the_table() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.press(Key::Char('?'));
    let text = desk.text();
    assert!(text.contains("按键帮助"));
    assert_snapshot!(desk.text());
    // Ten places' keys come first; the filter is a page further down.
    desk.press(Key::PageDown);
    let text = desk.text();
    assert!(text.contains("/ 、 Ctrl+F"), "{text}");
    desk.press(Key::Esc);
    assert!(desk.state.help.is_none());
    // Full-width ？ from an IME, and Ctrl+G, open it too.
    desk.press(Key::Char('？'));
    assert!(desk.state.help.is_some());
    desk.press(Key::Esc);
    desk.press(Key::Ctrl('g'));
    assert!(desk.state.help.is_some());
}

/// The footer a screen in these scopes should show, derived from the key
/// table alone: each footer group once, in table order, as its keys (one,
/// two as a/b, a run of F-keys as F1-F5, more as a/b/c) and its text; the
/// help hint last.
fn footer_from_table(scopes: &[Scope], lang: Lang) -> String {
    use jiedai::keys::TABLE;
    let mut hints: Vec<(String, &str)> = Vec::new();
    let mut groups = Vec::new();
    for s in scopes {
        for g in TABLE.iter().filter(|b| b.scope == *s).filter_map(|b| b.footer) {
            if groups.contains(&g) {
                continue;
            }
            groups.push(g);
            let labels: Vec<String> =
                TABLE.iter().filter(|b| b.scope == *s && b.footer == Some(g)).map(|b| b.keys[0].label()).collect();
            let keys = match &labels[..] {
                [one] => one.clone(),
                [a, b] => format!("{a}/{b}"),
                // Function keys in runs: F1-F7, or F1-F5/F7 with a gap.
                [first, ..] if first.starts_with('F') => {
                    let n: Vec<u8> = labels.iter().filter_map(|l| l[1..].parse().ok()).collect();
                    let mut parts = Vec::new();
                    let mut i = 0;
                    while i < n.len() {
                        let mut j = i;
                        while j + 1 < n.len() && n[j + 1] == n[j] + 1 {
                            j += 1;
                        }
                        match j - i {
                            0 => parts.push(format!("F{}", n[i])),
                            1 => parts.push(format!("F{}/F{}", n[i], n[j])),
                            _ => parts.push(format!("F{}-F{}", n[i], n[j])),
                        }
                        i = j + 1;
                    }
                    parts.join("/")
                }
                all => all.join("/"),
            };
            hints.push((keys, g.text(lang)));
        }
    }
    let help = jiedai::i18n::Msg::KeyHelp.text(lang);
    let (last, mut out): (Vec<_>, Vec<_>) = hints.into_iter().partition(|h| h.1 == help);
    out.extend(last);
    out.iter().map(|(k, t)| format!("{k} {t}")).collect::<Vec<_>>().join("  ")
}

/// Every screen's footer is the key table's hints for that screen: a
/// footer written by hand, or a table change it ignores, fails here.
#[test]
fn footer_hints_come_from_the_key_table() {
    let look = common::look(Lang::En);
    // Wide enough that no hint is left out.
    let mut desk = Desk::demo_sized(look, 200, 40);
    let check = |desk: &mut Desk, screen: &str| {
        let footer = desk.text().lines().last().unwrap_or_default().trim_end().to_string();
        let scopes = desk.state.scopes();
        assert_eq!(footer, footer_from_table(&scopes, Lang::En), "{screen}, scopes {scopes:?}");
        scopes
    };
    let mut seen = Vec::new();
    seen.push(check(&mut desk, "queue"));
    desk.cmd(Scope::Queue, Cmd::ToForm);
    seen.push(check(&mut desk, "intake"));
    desk.cmd(Scope::Form, Cmd::Back);
    desk.cmd(Scope::Queue, Cmd::AddArrival);
    seen.push(check(&mut desk, "adding an arrival"));
    desk.cmd(Scope::Adding, Cmd::Back);
    desk.cmd(Scope::Global, Cmd::Tab(1));
    seen.push(check(&mut desk, "pending"));
    desk.cmd(Scope::List, Cmd::Filter);
    seen.push(check(&mut desk, "filter"));
    desk.cmd(Scope::Filter, Cmd::FilterClear);
    desk.cmd(Scope::List, Cmd::Open);
    seen.push(check(&mut desk, "a case"));
    desk.cmd(Scope::Detail, Cmd::Open);
    seen.push(check(&mut desk, "the action menu"));
    desk.cmd(Scope::Menu, Cmd::Act(jiedai::app::action::ActionKind::Note));
    seen.push(check(&mut desk, "a dialog"));
    desk.cmd(Scope::Global, Cmd::Help);
    seen.push(check(&mut desk, "help"));
    desk.cmd(Scope::Global, Cmd::Tab(4));
    seen.push(check(&mut desk, "statistics"));
    desk.cmd(Scope::Stats, Cmd::PeriodRange);
    seen.push(check(&mut desk, "typing a period"));
    // The screens above are each a different set of scopes.
    let mut distinct = seen.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), seen.len(), "{seen:?}");
    // At 80 columns the hints that fit are the table's, in its order, and
    // the help hint is always there.
    let desk = Desk::pending(Lang::En);
    let footer = desk.text().lines().last().unwrap_or_default().trim_end().to_string();
    let all = footer_from_table(&desk.state.scopes(), Lang::En);
    let help = "? help";
    assert!(footer.ends_with(help), "{footer}");
    let shown = footer.trim_end_matches(help).trim_end();
    assert!(all.starts_with(shown) && !shown.is_empty(), "{footer}\n{all}");
}

#[test]
fn filter_by_pinyin_initials_and_digits_type_into_it() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.cmd(Scope::List, Cmd::Filter);
    desk.type_text("hgm");
    assert_eq!(desk.state.tab, Tab::Pending);
    let text = desk.text();
    assert!(text.contains("黄光明"), "{text}");
    assert!(!text.contains("王秀兰"), "{text}");
    // A digit while typing goes into the field, not to the tabs.
    desk.press(Key::Backspace).press(Key::Backspace).press(Key::Backspace);
    desk.type_text("0010");
    assert_eq!(desk.state.tab, Tab::Pending);
    assert!(desk.text().contains("王秀兰"));
    assert!(!desk.text().contains("黄光明"));
    // The full-width 、 an IME sends for / starts a filter as well.
    desk.cmd(Scope::Filter, Cmd::FilterClear);
    desk.press(Key::Char('、'));
    assert!(desk.state.lists[1].filtering);
}

#[test]
fn filter_caret_sits_at_the_display_column() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.press(Key::Char('/'));
    desk.type_text("张三abc");
    let prompt = 6; // "筛选: " is 2+2+1+1 columns
    desk.term.backend_mut().assert_cursor_position((prompt + 7, 1));
    for _ in 0..3 {
        desk.press(Key::Left);
    }
    desk.term.backend_mut().assert_cursor_position((prompt + 4, 1));
    desk.press(Key::Home);
    desk.term.backend_mut().assert_cursor_position((prompt, 1));
    desk.press(Key::End).press(Key::Backspace);
    assert_eq!(desk.state.lists[1].filter.value(), "张三ab");
    desk.press(Key::Left).press(Key::Left).press(Key::Backspace);
    assert_eq!(desk.state.lists[1].filter.value(), "张ab");
    desk.term.backend_mut().assert_cursor_position((prompt + 2, 1));
}

#[test]
fn list_moves_with_arrows_and_j_k() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.press(Key::Down).press(Key::Char('j'));
    assert_eq!(desk.state.lists[1].selected, 2);
    desk.press(Key::Char('k'));
    assert_eq!(desk.state.lists[1].selected, 1);
    desk.press(Key::End);
    assert_eq!(desk.state.lists[1].selected, 4);
    desk.press(Key::Home);
    assert_eq!(desk.state.lists[1].selected, 0);
    desk.press(Key::Down).press(Key::Enter);
    assert!(desk.text().contains("2026-0012"));
}

#[test]
fn selection_is_visible_without_colour() {
    let look = Look { lang: Lang::Zh, ascii: false, color: false };
    let mut desk = Desk::demo_sized(look, 80, 24);
    desk.press(Key::F(2));
    let buf = desk.term.backend().buffer();
    // Row 2 is the selected first case: reversed, whatever the colours.
    assert!(buf[(3, 2)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(3, 3)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buf[(3, 2)].fg, ratatui::style::Color::Reset);
}

#[test]
fn smaller_than_80x24_says_enlarge_and_resizing_back_redraws() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.resize(79, 24);
    assert!(desk.text().contains("窗口太小"), "{}", desk.text());
    desk.resize(20, 5);
    desk.resize(80, 23);
    assert!(desk.text().contains("窗口太小"));
    desk.resize(120, 40);
    assert!(desk.text().contains("待办 5"));
    assert_snapshot!("pending_120x40", desk.text());
}

#[test]
fn ascii_mode_draws_no_box_drawing_characters() {
    let look = Look { lang: Lang::Zh, ascii: true, color: true };
    let mut desk = Desk::demo_sized(look, 80, 24);
    let intake = desk.text();
    desk.press(Key::F(2)).press(Key::Char('?'));
    let help = desk.text();
    desk.press(Key::Esc).press(Key::Enter);
    let detail = desk.text();
    for text in [intake, help, detail] {
        assert!(!text.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)), "{text}");
    }
}

#[test]
fn quit_keys_end_the_desk() {
    let mut desk = Desk::pending(Lang::Zh);
    desk.press(Key::Ctrl('q'));
    assert!(desk.state.quit);
    let mut desk = Desk::pending(Lang::Zh);
    desk.press(Key::Ctrl('c'));
    assert!(desk.state.quit);
}
