//! A ledger row as the commands that rebuild its case.

use chrono::NaiveDate;

use super::read::CaseRow;
use crate::domain::time::china_at;
use crate::domain::*;
use crate::store::{Command, Stamp};

/// The commands that rebuild a row's case: registration, further contacts,
/// acceptance, conclusion and its follow-ups, each on its own date. `no` is
/// the number the later commands refer to.
pub fn row_commands(row: &CaseRow, no: CaseNo, operator: &str) -> Vec<(Stamp, Command)> {
    let at = |d: NaiveDate| Stamp { at: china_at(d, 9, 0), operator: operator.to_string() };
    let mut out = vec![(at(row.registered), Command::Register { intake: row.intake.clone(), queue: None })];
    for _ in 0..row.contacts {
        out.push((
            at(row.registered),
            Command::Contact {
                case: no,
                channel: row.intake.channel,
                name: row.intake.name.clone(),
                people: 1,
                note: String::new(),
                queue: None,
            },
        ));
    }
    if let Some(d) = row.accepted {
        out.push((at(d), Command::Accept { case: no }));
    }
    if let Some((d, outcome, reason)) = &row.concluded {
        out.push((at(*d), Command::Conclude { case: no, outcome: *outcome, reason: reason.clone() }));
    }
    // Return visits follow the conclusion; without one the store's rules
    // refuse them, and the row is named, rather than silently dropped.
    let visited = row.concluded.as_ref().map_or(row.registered, |c| c.0);
    // The ledger holds only the last visit's satisfaction: every visit gets
    // it (an unsatisfied one reopens the case, so the next is refused).
    for _ in 0..row.follow_ups {
        out.push((
            at(visited),
            Command::FollowUp {
                case: no,
                follow_up: FollowUp {
                    method: FollowUpMethod::Phone,
                    satisfaction: row.satisfaction,
                    note: String::new(),
                },
            },
        ));
    }
    out
}
