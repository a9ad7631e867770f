//! Reads for the phone card: who a number belongs to, their open cases
//! with the calls on each, and the day's calls. Calls are written as
//! `Command::Call` (a `Call` event on the case), through `execute_once`.

use chrono::NaiveDate;

use super::{Result, Store, decode};
use crate::domain::call::{CallRow, Caller, Repeats, day_calls};
use crate::domain::time::china_date;
use crate::domain::*;

impl Store {
    /// The resident known by this number, if any.
    pub fn resident_of_phone(&self, phone: &str) -> Result<Option<Resident>> {
        if phone.is_empty() {
            return Ok(None);
        }
        let key = format!("p:{phone}");
        match self.residents.get(key.as_bytes())? {
            Some(b) => Ok(Some(decode(&b)?)),
            None => Ok(None),
        }
    }

    /// What the card shows for a number: the resident, their open cases
    /// (newest first) with this week's and month's calls on each.
    pub fn caller(&self, phone: &str, today: NaiveDate) -> Result<Caller> {
        let resident = self.resident_of_phone(phone)?;
        let mut cases = self.cases_of_phone(phone)?;
        cases.sort_by_key(|c| std::cmp::Reverse(c.no));
        cases.dedup_by_key(|c| c.no);
        let closed = cases.iter().filter(|c| !c.status.is_open()).count();
        let mut open = Vec::new();
        for case in cases.into_iter().filter(|c| c.status.is_open()) {
            let repeats = Repeats::of(&self.events(case.no)?, today);
            open.push((case, repeats));
        }
        Ok(Caller { phone: phone.to_string(), resident, open, closed })
    }

    /// The calls of `day`, by leader then time. Only the cases touched
    /// since that day have their timelines read.
    pub fn calls_on(&self, day: NaiveDate) -> Result<Vec<CallRow>> {
        let mut touched = Vec::new();
        for kv in self.cases.iter() {
            let case: Case = decode(&kv?.1)?;
            if china_date(case.last_event_at) >= day {
                let events = self.events(case.no)?;
                touched.push((case, events));
            }
        }
        Ok(day_calls(&touched, day))
    }
}
