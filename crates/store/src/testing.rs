//! What the store's own tests build their commands from.

use crate::Stamp;
use crate::domain::time::china_at;
use crate::domain::*;

/// 09:00 on the `day`th of March of `year`.
pub(crate) fn stamp_on(year: i32, day: u32) -> Stamp {
    let d = chrono::NaiveDate::from_ymd_opt(year, 3, day).expect("date");
    Stamp { at: china_at(d, 9, 0), operator: "试".into() }
}

/// 09:00 on the `day`th of March 2026.
pub(crate) fn stamp(day: u32) -> Stamp {
    stamp_on(2026, day)
}

/// A resident of 沧江村 at the desk about a broken road.
pub(crate) fn intake(name: &str, phone: &str) -> Intake {
    Intake {
        channel: Channel::Reception,
        name: name.into(),
        phone: phone.into(),
        people: 1,
        delegation: None,
        village: "沧江村".into(),
        group: String::new(),
        category: "其他".into(),
        summary: "路坏了".into(),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: None,
    }
}
