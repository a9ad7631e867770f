//! The registrations every bench (and `tests/cold_open.rs`) builds its
//! databases from: one place, so the figures of one bench and another are
//! of the same records.
#![allow(dead_code)]

use chrono::NaiveDate;
use jiedai::domain::*;

pub const VILLAGES: [&str; 5] = ["坝达章村", "沧江村", "冷洞村", "纳省村", "坪寨村"];
pub const NAMES: [&str; 6] = ["唐科名", "韦正荣", "王秀兰", "黄光明", "罗永华", "杨国富"];

/// The benches' "today": their databases are dated back from it.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

/// The `i`th of a busy township's registrations: channels, villages,
/// groups, categories and names in turn.
pub fn intake(i: usize) -> Intake {
    Intake {
        channel: Channel::ALL[i % 5],
        name: format!("{}{}", NAMES[i % 6], i),
        phone: format!("139{:08}", i),
        people: 1 + (i % 3) as u32,
        delegation: None,
        village: VILLAGES[i % 5].into(),
        group: format!("{}组", i % 7 + 1),
        category: CATEGORIES[i % CATEGORIES.len()].into(),
        summary: format!("第{i}件: 通组路损坏,生产生活困难"),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: Some("岑国仲".into()),
    }
}

/// One resident's registration at the desk, with a few lines of details:
/// what the save benches write again and again.
pub fn desk_intake(i: usize) -> Intake {
    Intake {
        channel: Channel::Reception,
        name: format!("唐某{i}"),
        phone: "13985941234".into(),
        people: 1,
        delegation: None,
        village: "坝达章村".into(),
        group: "五组".into(),
        category: "道路交通".into(),
        summary: format!("路灯坏了 {i}"),
        details: "晚上赶集回家看不见路。".repeat(4),
        urgency: Urgency::Normal,
        assignee: None,
    }
}
