//! Putting a JSON export back into an empty database, all or nothing. The
//! whole file is checked first (its format version, every case against its
//! own timeline and the domain's rules, numbers and names unique, merges
//! pointing at cases that are there), every text cleaned as the desk cleans
//! what is typed; then everything is written in one transaction.

use std::collections::{HashMap, HashSet};

use sled::Transactional;

use super::layout::*;
use super::{Counter, Export, Store, StoreError, encode, index_entries, unwrap_tx};
use crate::domain::*;
use crate::i18n::{Lang, Msg};
use jiedai_protocol::{clean_cadre, clean_duty, clean_event, clean_resident, clean_village};

/// The export format this program writes and reads.
pub const EXPORT_FORMAT: u32 = 1;

/// One thing wrong with an export, naming the case or record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreProblem {
    /// The case number, or the name of a resident, cadre or village.
    pub what: String,
    pub why: Msg,
    pub detail: String,
    /// The diary entry or box opening it is in (then `what` is empty).
    pub subject: Option<super::Subject>,
}

impl RestoreProblem {
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        if let Some(s) = self.subject {
            out.push_str(&s.text(lang));
            out.push_str(": ");
        }
        if !self.what.is_empty() {
            out.push_str(&self.what);
            out.push_str(": ");
        }
        out.push_str(self.why.text(lang));
        if !self.detail.is_empty() {
            out.push_str(&format!(" ({})", self.detail));
        }
        out
    }
}

#[derive(Debug)]
pub enum RestoreError {
    /// Nothing was written: these are wrong with the file.
    Refused(Vec<RestoreProblem>),
    Store(StoreError),
}

impl From<StoreError> for RestoreError {
    fn from(e: StoreError) -> Self {
        RestoreError::Store(e)
    }
}

fn problem(what: impl Into<String>, why: Msg, detail: impl Into<String>) -> RestoreProblem {
    RestoreProblem { what: what.into(), why, detail: detail.into(), subject: None }
}

/// A case rebuilt from its events with every event checked by the rules,
/// or the first event (1-based) they refuse.
fn replay_checked(no: CaseNo, events: &[Event]) -> std::result::Result<Case, (usize, Msg)> {
    let Some((first, rest)) = events.split_first() else { return Err((0, Msg::RestoreNoEvents)) };
    let EventKind::Registered { intake, .. } = &first.kind else { return Err((1, Msg::RestoreNotRegistered)) };
    check_intake(intake).map_err(|e| (1, e.0))?;
    let mut case = Case::open(no, first).ok_or((1, Msg::RestoreNotRegistered))?;
    for (n, e) in rest.iter().enumerate() {
        case.check(&e.kind).map_err(|err| (n + 2, err.0))?;
        case.apply(e);
    }
    Ok(case)
}

/// Everything wrong with `export`, and the cases as they will be stored:
/// rebuilt from their cleaned events.
fn check_export(export: &Export) -> (Vec<RestoreProblem>, Vec<(Case, Vec<Event>)>) {
    let mut problems = Vec::new();
    if export.format != EXPORT_FORMAT {
        problems.push(problem("", Msg::RestoreFormat, format!("{} ≠ {EXPORT_FORMAT}", export.format)));
        return (problems, Vec::new());
    }
    let numbers: HashSet<CaseNo> = export.cases.iter().map(|c| c.case.no).collect();
    let mut seen = HashSet::new();
    let mut cases = Vec::with_capacity(export.cases.len());
    for ec in &export.cases {
        let no = ec.case.no;
        if !seen.insert(no) {
            problems.push(problem(no.to_string(), Msg::RestoreDuplicate, ""));
            continue;
        }
        if no.seq == 0 {
            problems.push(problem(no.to_string(), Msg::ErrCaseNo, ""));
            continue;
        }
        // The file's own case must be its own timeline's...
        if Case::replay(no, &ec.events).as_ref() != Some(&ec.case) {
            problems.push(problem(no.to_string(), Msg::CheckReplayMismatch, ""));
            continue;
        }
        // ...and, cleaned, every step one the desk would have allowed.
        let events: Vec<Event> = ec.events.iter().cloned().map(clean_event).collect();
        let case = match replay_checked(no, &events) {
            Ok(c) => c,
            Err((n, why)) => {
                problems.push(problem(no.to_string(), why, format!("#{n}")));
                continue;
            }
        };
        // The years a ledger's dates may fall in, as the CSV import allows.
        let (first, last) = (crate::domain::time::FIRST_DAY, crate::domain::time::LAST_DAY);
        if let Some(e) = events.iter().find(|e| !(first..=last).contains(&time::china_date(e.at))) {
            problems.push(problem(no.to_string(), Msg::ErrEventDate, e.at.to_string()));
            continue;
        }
        for e in &events {
            let other = match &e.kind {
                EventKind::MergedInto { survivor } => Some(*survivor),
                EventKind::Absorbed { from } => Some(*from),
                _ => None,
            };
            if let Some(other) = other.filter(|o| !numbers.contains(o)) {
                problems.push(problem(no.to_string(), Msg::RestoreMergeMissing, other.to_string()));
            }
        }
        cases.push((case, events));
    }
    let mut keys = HashSet::new();
    for r in &export.residents {
        let r = clean_resident(r.clone());
        if r.name.is_empty() && r.phone.is_empty() {
            problems.push(problem("", Msg::ErrNameRequired, ""));
        } else if !keys.insert(r.key()) {
            problems.push(problem(r.name.clone(), Msg::RestoreDuplicate, r.phone.clone()));
        }
    }
    let mut names = HashSet::new();
    for c in &export.cadres {
        let c = clean_cadre(c.clone());
        if c.name.is_empty() {
            problems.push(problem("", Msg::ErrNameRequired, ""));
        } else if !names.insert(c.name.clone()) {
            problems.push(problem(c.name, Msg::RestoreDuplicate, ""));
        }
    }
    let mut names = HashSet::new();
    for v in &export.villages {
        let v = clean_village(v.clone());
        if v.name.is_empty() {
            problems.push(problem("", Msg::ErrTextRequired, ""));
        } else if !names.insert(v.name.clone()) {
            problems.push(problem(v.name, Msg::RestoreDuplicate, ""));
        }
    }
    (problems, cases)
}

impl Store {
    /// Put a JSON export back into an empty database, as it was: every case
    /// with its timeline, the indexes and counters rebuilt, the people,
    /// roster and rules; numbers kept. Refused whole, writing nothing, if
    /// anything in it is wrong.
    pub fn restore(&self, export: &Export) -> std::result::Result<usize, RestoreError> {
        if !self.cases.is_empty() || super::channel_io::any_kept(&self.meta) {
            return Err(RestoreError::Refused(vec![problem("", Msg::ImportNotEmpty, "")]));
        }
        let (mut problems, cases) = check_export(export);
        // The diary's entries and the box's openings, cleaned, their links
        // checked against the cases the file brings.
        let entries: Vec<_> = export.diary.iter().map(super::channel_io::clean_entry).collect();
        let openings: Vec<_> = export.box_openings.iter().map(super::channel_io::clean_opening).collect();
        if export.format == EXPORT_FORMAT {
            let facts = cases.iter().map(|(c, e)| (c.no, super::channel_io::Facts::of(c, e))).collect();
            for p in super::channel_io::check_restored(&entries, &openings, &facts) {
                problems.push(RestoreProblem {
                    what: String::new(),
                    why: p.why,
                    detail: p.case.map(|no| no.to_string()).unwrap_or_default(),
                    subject: Some(p.subject),
                });
            }
        }
        if !problems.is_empty() {
            return Err(RestoreError::Refused(problems));
        }
        let residents: Vec<Resident> = export.residents.iter().cloned().map(clean_resident).collect();
        let cadres: Vec<Cadre> = export.cadres.iter().cloned().map(clean_cadre).collect();
        let villages: Vec<Village> = export.villages.iter().cloned().map(clean_village).collect();
        let roster = Roster { duties: export.roster.iter().cloned().map(clean_duty).collect() };
        // The directory's log, checked change by change as when it was made.
        let log: Vec<DirEvent> = export
            .directory
            .iter()
            .cloned()
            .map(|e| DirEvent {
                change: e.change.cleaned(),
                operator: crate::domain::text::clean_line(&e.operator),
                at: e.at,
            })
            .collect();
        let view = match Directory::replay(&log) {
            Ok(d) => d,
            Err((i, RuleError(why))) => {
                return Err(RestoreError::Refused(vec![problem(format!("#{}", i + 1), why, "")]));
            }
        };
        let dir_log = self.db.open_tree(super::DIRECTORY).map_err(|e| RestoreError::Store(e.into()))?;
        let mut next: HashMap<u16, u32> = HashMap::new();
        for (c, _) in &cases {
            let n = next.entry(c.no.year).or_default();
            *n = (*n).max(c.no.seq);
        }
        let commits: u64 = cases.iter().map(|(_, e)| e.len() as u64).sum();
        let open = cases.iter().filter(|(c, _)| c.pending_key().is_some()).count() as u64;
        let res = (
            &self.meta,
            &self.cases,
            &self.events,
            &self.open_idx,
            &self.follow_idx,
            &self.inspect_idx,
            &self.residents,
            &self.resident_names,
            &self.resident_cases,
            &self.cadres,
            &self.villages,
            &dir_log,
        )
            .transaction(
                |(
                    meta,
                    cases_t,
                    events,
                    open_t,
                    follow,
                    inspect,
                    residents_t,
                    names,
                    rcases,
                    cadres_t,
                    villages_t,
                    dir_t,
                )| {
                    for (seq, e) in log.iter().enumerate() {
                        dir_t.insert(&(seq as u64).to_be_bytes(), encode(e))?;
                    }
                    if !log.is_empty() {
                        meta.insert(super::directory::DIRECTORY_KEY, encode(&view))?;
                        meta.insert(
                            super::settings::key("township"),
                            encode(&super::codec::Setting(view.township.clone())),
                        )?;
                    }
                    let idx = [open_t, follow, inspect];
                    let mut tallies = std::collections::BTreeMap::new();
                    for (c, evs) in &cases {
                        super::tally::add(&mut tallies, c, evs);
                        for (i, e) in evs.iter().enumerate() {
                            events.insert(&event_key(c.no, i as u32), encode(e))?;
                        }
                        cases_t.insert(&case_key(c.no), encode(c))?;
                        for (i, key) in index_entries(c) {
                            if let Some(k) = key {
                                idx[i].insert(&k, INDEX_VALUE)?;
                            }
                        }
                        if let Some(r) = Resident::of(&c.intake) {
                            let key = r.key();
                            names.insert(joined(&r.name, key.as_bytes()), &[])?;
                            rcases.insert(joined(&key, &case_key(c.no)), &[])?;
                        }
                    }
                    for r in &residents {
                        let key = r.key();
                        residents_t.insert(key.as_bytes(), encode(r))?;
                        names.insert(joined(&r.name, key.as_bytes()), &[])?;
                    }
                    for c in &cadres {
                        cadres_t.insert(c.name.as_bytes(), encode(c))?;
                    }
                    for v in &villages {
                        villages_t.insert(v.name.as_bytes(), encode(v))?;
                    }
                    for (year, seq) in &next {
                        meta.insert(year_counter_key(*year), encode(&Counter(u64::from(*seq) + 1)))?;
                    }
                    meta.insert(COMMITS_KEY, encode(&Counter(commits)))?;
                    meta.insert(OPEN_COUNT_KEY, encode(&Counter(open)))?;
                    super::tally::apply(meta, &tallies)?;
                    meta.insert(ROSTER_KEY, encode(&roster))?;
                    meta.insert(RULES_KEY, encode(&export.rules))?;
                    super::channel_io::write_restored(meta, &entries, &openings)?;
                    Ok(())
                },
            );
        unwrap_tx(res)?;
        if let Ok(mut w) = self.rules.write() {
            *w = export.rules;
        }
        self.flush_durable()?;
        Ok(cases.len())
    }
}
