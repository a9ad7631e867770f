//! Reads: lists in index order, a case and its timeline, the export.

use serde::{Deserialize, Serialize};

use super::layout::*;
use super::{Counter, Draft, Result, Store, decode};
use crate::domain::*;

/// Everything in the database, losslessly: what `jiedai export --format json` writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub format: u32,
    pub rules: DeadlineRules,
    pub cases: Vec<ExportedCase>,
    pub residents: Vec<Resident>,
    pub cadres: Vec<Cadre>,
    pub villages: Vec<Village>,
    pub roster: Vec<Duty>,
    /// The directory's log of changes (who and when), when it has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub directory: Vec<DirEvent>,
    /// 民情日记's entries, with what became of each (issue 15); absent in
    /// files written before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diary: Vec<crate::domain::diary::DiaryEntry>,
    /// 群众意见箱's openings, each with its slips' case numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub box_openings: Vec<crate::domain::opinion_box::BoxOpening>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportedCase {
    pub case: Case,
    pub events: Vec<Event>,
}

impl Store {
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty() && self.cadres.is_empty()
    }

    /// Holds a case: `restore` refuses it (asked before reading a file).
    pub fn has_cases(&self) -> bool {
        !self.cases.is_empty()
    }

    pub fn case(&self, no: CaseNo) -> Result<Option<Case>> {
        match self.cases.get(case_key(no))? {
            None => Ok(None),
            Some(b) => Ok(Some(decode(&b)?)),
        }
    }

    pub fn events(&self, no: CaseNo) -> Result<Vec<Event>> {
        self.events.scan_prefix(case_key(no)).map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    fn cases_in(&self, idx: &sled::Tree) -> Result<Vec<Case>> {
        let mut out = Vec::new();
        for kv in idx.iter() {
            let (k, v) = kv?;
            if !v.is_empty() {
                out.push(decode(&v)?);
            } else if let Some(no) = case_from_dated_key(&k)
                && let Some(c) = self.case(no)?
            {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// How many cases are open, and how many of them are overdue on `today`:
    /// from the kept counts, without reading a case or an index entry (a
    /// desk's start reads as much of 100,000 cases as of 1,000).
    pub fn open_counts(&self, today: chrono::NaiveDate) -> Result<(usize, usize)> {
        let overdue = usize::try_from(self.overdue_on(today)?).unwrap_or(usize::MAX);
        let open = match self.meta.get(OPEN_COUNT_KEY)? {
            Some(b) => decode::<Counter>(&b)?.0 as usize,
            None => self.open_idx.len(),
        };
        Ok((open, overdue))
    }

    /// Open cases, overdue first, then by nearest deadline.
    pub fn open_cases(&self) -> Result<Vec<Case>> {
        self.cases_in(&self.open_idx)
    }

    /// Concluded cases waiting for their return visit, by due date.
    pub fn follow_ups_due(&self) -> Result<Vec<Case>> {
        self.cases_in(&self.follow_idx)
    }

    /// Cases with a planned site inspection, by its date.
    pub fn inspections_due(&self) -> Result<Vec<Case>> {
        self.cases_in(&self.inspect_idx)
    }

    pub fn all_cases(&self) -> Result<Vec<Case>> {
        self.cases.iter().map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    /// Every case, concluded and merged ones too, newest number first (the
    /// keys are year and number, big-endian): what the search place lists.
    pub fn all_cases_newest_first(&self) -> Result<Vec<Case>> {
        self.cases.iter().rev().map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    pub fn cadres(&self) -> Result<Vec<Cadre>> {
        self.cadres.iter().map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    pub fn villages(&self) -> Result<Vec<Village>> {
        self.villages.iter().map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    pub fn residents(&self) -> Result<Vec<Resident>> {
        self.residents.iter().map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    /// Earlier cases of everyone with this exact name.
    pub fn cases_of_name(&self, name: &str) -> Result<Vec<Case>> {
        let mut out = Vec::new();
        for kv in self.resident_names.scan_prefix(joined(name, &[])) {
            let (k, _) = kv?;
            let resident_key = &k[name.len() + 1..];
            let mut prefix = resident_key.to_vec();
            prefix.push(SEP);
            for rc in self.resident_cases.scan_prefix(&prefix) {
                let (rk, _) = rc?;
                if let Some(no) = case_from_key(&rk[prefix.len()..])
                    && let Some(c) = self.case(no)?
                {
                    out.push(c);
                }
            }
        }
        Ok(out)
    }

    pub fn roster(&self) -> Result<Vec<Duty>> {
        match self.meta.get(ROSTER_KEY)? {
            None => Ok(Vec::new()),
            Some(b) => Ok(decode::<Roster>(&b)?.duties),
        }
    }

    /// Every case with its timeline: one pass over each tree, in key order.
    pub fn cases_with_events(&self) -> Result<Vec<(Case, Vec<Event>)>> {
        let mut out: Vec<(Case, Vec<Event>)> = Vec::new();
        let mut events = self.events.iter().peekable();
        for kv in self.cases.iter() {
            let (k, v) = kv?;
            let case: Case = decode(&v)?;
            let mut evs = Vec::new();
            while let Some(Ok((ek, _))) = events.peek() {
                if ek.get(..6) < Some(&k[..]) {
                    events.next();
                    continue;
                }
                if ek.get(..6) != Some(&k[..]) {
                    break;
                }
                if let Some(Ok((_, ev))) = events.next() {
                    evs.push(decode(&ev)?);
                }
            }
            out.push((case, evs));
        }
        Ok(out)
    }

    /// Queue entries from `from` to `to`, inclusive.
    pub fn queue_between(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<Vec<QueueEntry>> {
        let start = queue_day_prefix(from).to_vec();
        let end = queue_day_prefix(to + chrono::Duration::days(1)).to_vec();
        self.queue.range(start..end).map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    /// The day's queue, by number.
    pub fn queue(&self, day: chrono::NaiveDate) -> Result<Vec<QueueEntry>> {
        self.queue.scan_prefix(queue_day_prefix(day)).map(|kv| Ok(decode(&kv?.1)?)).collect()
    }

    /// The queue as the desk shows it on `day`: those from the last days
    /// still waiting or being written down (a queue running past midnight),
    /// then the day's own, by number.
    pub fn queue_at_desk(&self, day: chrono::NaiveDate) -> Result<Vec<QueueEntry>> {
        let mut out = self.queue_carried(day)?;
        out.extend(self.queue(day)?);
        Ok(out)
    }

    /// Entries of the `CARRY_DAYS` days before `day` still unfinished.
    pub(super) fn queue_carried(&self, day: chrono::NaiveDate) -> Result<Vec<QueueEntry>> {
        let mut out = Vec::new();
        for back in (1..=crate::domain::CARRY_DAYS).rev() {
            let Some(d) = day.checked_sub_days(chrono::Days::new(back)) else { continue };
            out.extend(self.queue(d)?.into_iter().filter(QueueEntry::is_unfinished));
        }
        Ok(out)
    }

    /// Earlier cases of the resident with this phone number.
    pub fn cases_of_phone(&self, phone: &str) -> Result<Vec<Case>> {
        if phone.is_empty() {
            return Ok(Vec::new());
        }
        let key =
            Resident { name: String::new(), phone: phone.to_string(), village: String::new(), group: String::new() }
                .key();
        let prefix = joined(&key, &[]);
        let mut out = Vec::new();
        for kv in self.resident_cases.scan_prefix(&prefix) {
            let (k, _) = kv?;
            if let Some(no) = case_from_key(&k[prefix.len()..])
                && let Some(c) = self.case(no)?
            {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Every draft whose key begins with `prefix` (the dialogs' drafts).
    pub fn drafts_under(&self, prefix: &str) -> Result<Vec<Draft>> {
        Ok(self.drafts().under(prefix))
    }

    pub fn draft(&self, form: &str) -> Result<Option<Draft>> {
        Ok(self.drafts().get(form))
    }

    pub fn export(&self) -> Result<Export> {
        let mut cases = Vec::new();
        for case in self.all_cases()? {
            let events = self.events(case.no)?;
            cases.push(ExportedCase { case, events });
        }
        Ok(Export {
            format: super::EXPORT_FORMAT,
            rules: self.rules(),
            cases,
            residents: self.residents()?,
            cadres: self.cadres()?,
            villages: self.villages()?,
            roster: self.roster()?,
            directory: self.directory_log()?,
            diary: self.diary()?,
            box_openings: self.box_openings()?,
        })
    }
}
