//! Residents (群众), cadres (干部), villages and groups, the duty roster.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// A resident, built up from intakes and recognised by name or phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    pub name: String,
    pub phone: String,
    pub village: String,
    pub group: String,
}

impl Resident {
    /// The resident an intake names: none for an anonymous one.
    pub fn of(intake: &crate::case::Intake) -> Option<Resident> {
        (!intake.name.is_empty()).then(|| Resident {
            name: intake.name.clone(),
            phone: intake.phone.clone(),
            village: intake.village.clone(),
            group: intake.group.clone(),
        })
    }

    /// The key a resident is stored under: the phone when known, else name
    /// and village (two 张三 in different villages are two people).
    pub fn key(&self) -> String {
        if self.phone.is_empty() {
            format!("n:{}\u{1f}{}", self.name, self.village)
        } else {
            format!("p:{}", self.phone)
        }
    }
}

/// A cadre and what they cover (一帮一: leaders 包村, middle cadres 包组,
/// ordinary cadres 包户).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadre {
    pub name: String,
    pub post: String,
    pub phone: String,
    pub covers: Vec<String>,
}

/// A village (村) and its groups (组).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Village {
    pub name: String,
    pub groups: Vec<String>,
}

/// The duty roster: who receives residents on which Wednesday.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Roster {
    pub duties: Vec<Duty>,
}

/// One Wednesday of the duty roster (值班表).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    pub date: NaiveDate,
    pub cadre: String,
}

/// Who is on duty on `day`: the roster entry of that week's Wednesday (the
/// leader on duty handles the desk's follow-up all that week).
pub fn duty_leader(roster: &[Duty], day: NaiveDate) -> Option<&str> {
    let from_monday = i64::from(day.weekday().num_days_from_monday());
    let wednesday = day - Duration::days(from_monday) + Duration::days(2);
    roster.iter().find(|d| d.date == wednesday || d.date == day).map(|d| d.cadre.as_str())
}
