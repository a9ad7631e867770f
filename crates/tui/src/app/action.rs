//! The actions on an opened case, each one event: a small dialog of typed
//! fields that turns into a store `Command`.

use chrono::{Duration, NaiveDate};

use crate::domain::*;
use crate::i18n::{Lang, Msg};
use crate::input::{TextField, pinyin};
use jiedai_protocol::{Command, Draft};

pub use super::parse::{parse_case_no, parse_date, parse_quantities};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Assign,
    Contact,
    Accept,
    Extend,
    Inspect,
    Escalate,
    Grant,
    Conclude,
    Note,
    Merge,
    Findings,
    FollowUp,
    /// Write a notice or a sheet (.docx).
    Print,
}

impl ActionKind {
    pub const ALL: [ActionKind; 13] = [
        ActionKind::Assign,
        ActionKind::Contact,
        ActionKind::Accept,
        ActionKind::Extend,
        ActionKind::Inspect,
        ActionKind::Escalate,
        ActionKind::Grant,
        ActionKind::Conclude,
        ActionKind::Note,
        ActionKind::Merge,
        ActionKind::Findings,
        ActionKind::FollowUp,
        ActionKind::Print,
    ];

    pub fn title(self) -> Msg {
        match self {
            ActionKind::Assign => Msg::ActAssign,
            ActionKind::Contact => Msg::ActContact,
            ActionKind::Accept => Msg::ActAccept,
            ActionKind::Extend => Msg::ActExtend,
            ActionKind::Inspect => Msg::ActInspect,
            ActionKind::Escalate => Msg::ActEscalate,
            ActionKind::Grant => Msg::ActGrant,
            ActionKind::Conclude => Msg::ActConclude,
            ActionKind::Note => Msg::ActNote,
            ActionKind::Merge => Msg::ActMerge,
            ActionKind::Findings => Msg::ActFindings,
            ActionKind::FollowUp => Msg::ActFollowUp,
            ActionKind::Print => Msg::ActPrint,
        }
    }

    /// Its name in a draft's key: never changes, whatever the screen says.
    pub fn key(self) -> &'static str {
        match self {
            ActionKind::Assign => "assign",
            ActionKind::Contact => "contact",
            ActionKind::Accept => "accept",
            ActionKind::Extend => "extend",
            ActionKind::Inspect => "inspect",
            ActionKind::Escalate => "escalate",
            ActionKind::Grant => "grant",
            ActionKind::Conclude => "conclude",
            ActionKind::Note => "note",
            ActionKind::Merge => "merge",
            ActionKind::Findings => "findings",
            ActionKind::FollowUp => "follow_up",
            ActionKind::Print => "print",
        }
    }
}

/// Where dialog drafts are kept, one per case and action:
/// `dialog/2026-0002/conclude`. The intake form's is `intake`. Keys are
/// names relative to the desk's user, so that a user's name can be put in
/// front of every one of them (`<user>/dialog/...`) when drafts are kept
/// per user: no key begins with anything a user chooses.
pub const DIALOG_DRAFTS: &str = jiedai_protocol::DIALOG_DRAFTS;

pub fn draft_key(case: CaseNo, kind: ActionKind) -> String {
    format!("{DIALOG_DRAFTS}{case}/{}", kind.key())
}

/// Where a choice field's options come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Options {
    Cadres,
    Channels,
    Outcomes,
    Recommendations,
    Satisfaction,
    Methods,
    /// The papers: 受理告知书, 答复意见书...
    Docs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Multi,
    Digits,
    /// Yuan as written (`2万`, `20000`): any character goes in, and the
    /// domain's parser judges the whole on save, so nothing is dropped.
    Amount,
    /// A date: `2026-12-02`, `12-02`, or `+2` (days from today).
    Date,
    /// Cadres' names, by pinyin: `cgz,lxg` becomes 岑国仲,罗兴国.
    Team,
    Choice(Options),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogField {
    pub label: Msg,
    pub kind: FieldKind,
    pub value: TextField,
    pub required: bool,
}

fn field(label: Msg, kind: FieldKind, required: bool) -> DialogField {
    let value = if kind == FieldKind::Multi { TextField::multiline() } else { TextField::new() };
    DialogField { label, kind, value, required }
}

/// A dialog being filled in for one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dialog {
    pub kind: ActionKind,
    pub case: CaseNo,
    pub fields: Vec<DialogField>,
    pub focus: usize,
    /// The suggestion chosen with Ctrl+N/P; None: the best match of what
    /// was typed (nothing in an empty field).
    pub pick: Option<usize>,
    pub error: Option<(usize, Msg)>,
    /// The values it opened with: unchanged, it needs no draft.
    initial: Vec<String>,
    /// The values last written as a draft, and when.
    drafted: Vec<String>,
    drafted_at: Option<crate::domain::Timestamp>,
    /// The values and focus before Ctrl+U, for Ctrl+Z.
    cleared: Option<(Vec<String>, usize)>,
    /// A merge's target as the store has it: shown before the merge is made.
    pub target: Option<super::merge::Target>,
}

/// A dialog's draft to write, or to remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftChange {
    Save(Draft),
    Clear(String),
}

pub fn options(o: Options, lang: Lang, cadres: &[String]) -> Vec<String> {
    match o {
        Options::Cadres => cadres.to_vec(),
        Options::Channels => Channel::ALL.iter().map(|c| c.label(lang).to_string()).collect(),
        Options::Outcomes => Outcome::ALL.iter().map(|c| c.label(lang).to_string()).collect(),
        Options::Recommendations => {
            [Msg::RecFixLocally, Msg::RecEscalate, Msg::RecNoAction].iter().map(|m| m.text(lang).to_string()).collect()
        }
        Options::Satisfaction => [Satisfaction::Satisfied, Satisfaction::Mostly, Satisfaction::Unsatisfied]
            .iter()
            .map(|s| s.label(lang).to_string())
            .collect(),
        Options::Methods => [Msg::MethodPhone, Msg::MethodVisit].iter().map(|m| m.text(lang).to_string()).collect(),
        Options::Docs => DocKind::ALL.iter().map(|k| k.label(lang).to_string()).collect(),
    }
}

fn fields_of(kind: ActionKind) -> Vec<DialogField> {
    use FieldKind::*;
    match kind {
        ActionKind::Assign => vec![field(Msg::FAssignee, Choice(Options::Cadres), true)],
        ActionKind::Contact => vec![
            field(Msg::FChannel, Choice(Options::Channels), true),
            field(Msg::FName, Text, false),
            field(Msg::FPeople, Digits, false),
            field(Msg::FNote, Multi, false),
        ],
        ActionKind::Accept => Vec::new(),
        ActionKind::Extend => vec![field(Msg::FDays, Digits, true), field(Msg::FReason, Multi, true)],
        ActionKind::Inspect => {
            vec![field(Msg::FDate, Date, true), field(Msg::FTeam, Team, true), field(Msg::FPlace, Text, true)]
        }
        ActionKind::Escalate => vec![field(Msg::FTo, Text, true), field(Msg::FAmount, Amount, false)],
        ActionKind::Grant => vec![field(Msg::FAmount, Amount, true), field(Msg::FNote, Multi, false)],
        ActionKind::Conclude => {
            vec![field(Msg::FOutcome, Choice(Options::Outcomes), true), field(Msg::FReason, Multi, true)]
        }
        ActionKind::Note => vec![field(Msg::FNote, Multi, true)],
        ActionKind::Merge => vec![field(Msg::FInto, Text, true)],
        ActionKind::Findings => vec![
            field(Msg::FDate, Date, true),
            field(Msg::FTeam, Team, true),
            field(Msg::FPlace, Text, true),
            field(Msg::FFindings, Multi, true),
            field(Msg::FQuantities, Text, false),
            field(Msg::FCost, Amount, false),
            field(Msg::FRecommendation, Choice(Options::Recommendations), true),
        ],
        ActionKind::FollowUp => vec![
            field(Msg::FMethod, Choice(Options::Methods), true),
            field(Msg::FSatisfaction, Choice(Options::Satisfaction), true),
            field(Msg::FNote, Multi, false),
        ],
        ActionKind::Print => vec![field(Msg::FDoc, Choice(Options::Docs), true), field(Msg::FInstead, Text, false)],
    }
}

/// The paper a case most likely needs now: its answer once concluded, the
/// acceptance notice once accepted, else its sheet.
pub fn default_doc(case: &Case) -> DocKind {
    if case.is_anonymous() {
        return DocKind::CaseSheet;
    }
    match case.conclusion.as_ref().map(|k| k.outcome) {
        Some(Outcome::NotAccepted) if !case.status.is_open() => DocKind::NonAcceptance,
        Some(Outcome::Implemented | Outcome::Explained | Outcome::NotUpheld) if !case.status.is_open() => {
            DocKind::Answer
        }
        _ if case.accepted_on.is_some() && case.status.is_open() => DocKind::Acceptance,
        _ => DocKind::CaseSheet,
    }
}

impl Dialog {
    /// The action's fields, empty.
    fn blank(kind: ActionKind, case: CaseNo) -> Dialog {
        Dialog {
            kind,
            case,
            fields: fields_of(kind),
            focus: 0,
            pick: None,
            error: None,
            initial: Vec::new(),
            drafted: Vec::new(),
            drafted_at: None,
            cleared: None,
            target: None,
        }
    }

    pub fn new(kind: ActionKind, case: &Case, lang: Lang, today: NaiveDate) -> Dialog {
        let mut d = Dialog::blank(kind, case.no);
        // What the officer would type anyway.
        match kind {
            ActionKind::Contact => {
                d.fields[0].value.set(case.intake.channel.label(lang));
                d.fields[1].value.set(&case.intake.name);
                d.fields[2].value.set("1");
            }
            ActionKind::Inspect => {
                d.fields[0].value.set(&(today + Duration::days(1)).to_string());
                d.fields[1].value.set(case.assignee.as_deref().unwrap_or(""));
                d.fields[2].value.set(&case.place());
            }
            ActionKind::Extend => d.fields[0].value.set("30"),
            ActionKind::Findings => {
                let plan = case.inspections.iter().find(|i| i.findings.is_none()).map(|i| &i.plan);
                d.fields[0].value.set(&today.to_string());
                if let Some(p) = plan {
                    d.fields[1].value.set(&p.team.join(","));
                    d.fields[2].value.set(&p.place);
                }
            }
            ActionKind::FollowUp => {
                let method = if case.intake.phone.is_empty() { Msg::MethodVisit } else { Msg::MethodPhone };
                d.fields[0].value.set(method.text(lang));
            }
            ActionKind::Print => d.fields[0].value.set(default_doc(case).label(lang)),
            ActionKind::Grant => {
                if let Some(e) = case.escalations.iter().find(|e| e.granted_yuan.is_none()) {
                    d.fields[0].value.set(&e.requested_yuan.to_string());
                }
            }
            ActionKind::Escalate => {
                let cost = case.inspections.iter().rev().find_map(|i| i.findings.as_ref()).map(|f| f.cost_yuan);
                if let Some(c) = cost {
                    d.fields[1].value.set(&c.to_string());
                }
            }
            _ => {}
        }
        if let Some(f) = d.fields.first_mut() {
            f.value.enter();
        }
        d.initial = d.values();
        d.drafted = d.initial.clone();
        d
    }

    pub fn values(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.value.value().to_string()).collect()
    }

    /// Anything typed beyond what the dialog opened with?
    pub fn edited(&self) -> bool {
        self.values() != self.initial
    }

    pub fn draft_key(&self) -> String {
        draft_key(self.case, self.kind)
    }

    /// What the disk should learn now, if the dialog changed since it was
    /// last told (and, with `every`, at most that often): its draft, or,
    /// back as it opened, that it has none.
    pub fn draft_due(&mut self, now: crate::domain::Timestamp, every: Option<chrono::Duration>) -> Option<DraftChange> {
        let values = self.values();
        if values == self.drafted {
            return None;
        }
        if let (Some(every), Some(at)) = (every, self.drafted_at)
            && now - at < every
        {
            return None;
        }
        self.drafted = values;
        self.drafted_at = Some(now);
        Some(if self.edited() { DraftChange::Save(self.to_draft(now)) } else { DraftChange::Clear(self.draft_key()) })
    }

    /// Ctrl+U: back to what the dialog opened with; Ctrl+Z undoes it.
    pub fn clear(&mut self) {
        let before = (self.values(), self.focus);
        for (f, v) in self.fields.iter_mut().zip(&self.initial) {
            f.value.set(v);
            f.value.renew();
        }
        self.focus = 0;
        self.pick = None;
        self.error = None;
        if let Some(f) = self.fields.first_mut() {
            f.value.enter();
        }
        self.cleared = Some(before);
    }

    /// Put back what Ctrl+U cleared; false if there is nothing to.
    pub fn undo_clear(&mut self) -> bool {
        let Some((values, focus)) = self.cleared.take() else { return false };
        for (f, v) in self.fields.iter_mut().zip(&values) {
            f.value.set(v);
        }
        self.focus = focus.min(self.fields.len().saturating_sub(1));
        true
    }

    pub fn to_draft(&self, now: crate::domain::Timestamp) -> Draft {
        // Fields by their label's name, so a dialog that gains a field
        // later still restores the ones it had.
        let mut fields: Vec<(String, String)> =
            self.fields.iter().map(|f| (format!("{:?}", f.label), f.value.value().to_string())).collect();
        fields.push(("focus".into(), self.focus.to_string()));
        Draft { form: self.draft_key(), fields, saved_at: now }
    }

    /// A dialog written as a draft; None if the key names no dialog.
    pub fn from_draft(draft: &Draft) -> Option<Dialog> {
        let rest = draft.form.strip_prefix(DIALOG_DRAFTS)?;
        let (case, kind) = rest.split_once('/')?;
        let case: CaseNo = case.parse().ok()?;
        let kind = ActionKind::ALL.into_iter().find(|k| k.key() == kind)?;
        let mut d = Dialog::blank(kind, case);
        for (k, v) in &draft.fields {
            if k == "focus" {
                d.focus = v.parse().unwrap_or(0).min(d.fields.len().saturating_sub(1));
            } else if let Some(f) = d.fields.iter_mut().find(|f| format!("{:?}", f.label) == *k) {
                f.value.set(v);
            }
        }
        // Written because it differed from a fresh dialog; emptied, it
        // is none (the defaults it opened with are not known here).
        d.drafted = d.values();
        d.initial = vec![String::new(); d.fields.len()];
        Some(d)
    }

    pub fn focused(&mut self) -> Option<&mut DialogField> {
        self.fields.get_mut(self.focus)
    }

    /// A choice field's options matching what was typed; every option
    /// while the value is still selected (the next key replaces it).
    pub fn completions(&self, i: usize, lang: Lang, cadres: &[String]) -> Vec<String> {
        let Some(f) = self.fields.get(i) else { return Vec::new() };
        let FieldKind::Choice(o) = f.kind else { return Vec::new() };
        let typed = if f.value.is_fresh() { "" } else { f.value.value() };
        pinyin::rank(typed, options(o, lang, cadres))
    }

    /// Which of `found` (the focused field's completions) Tab and Enter
    /// take: the one chosen with Ctrl+N/P; else the value itself while it is
    /// selected, or the best match of what was typed; none in an empty field.
    pub fn highlighted(&self, found: &[String]) -> Option<usize> {
        let f = self.fields.get(self.focus)?;
        match self.pick {
            Some(i) => (i < found.len()).then_some(i),
            None if f.value.is_fresh() => found.iter().position(|o| o == f.value.value()),
            None if !f.value.value().trim().is_empty() && !found.is_empty() => Some(0),
            None => None,
        }
    }

    /// Ctrl+N / Ctrl+P: highlight the next or previous suggestion.
    pub fn move_pick(&mut self, forward: bool, lang: Lang, cadres: &[String]) {
        let found = self.completions(self.focus, lang, cadres);
        let pick = crate::app::form::step_pick(self.highlighted(&found), found.len(), forward);
        // What is shown is what is written: the field takes the option
        // chosen, shown selected (the next key replaces it), and is
        // highlighted among the suggestions as its own value.
        match (pick.and_then(|i| found.get(i)), self.fields.get_mut(self.focus)) {
            (Some(v), Some(f)) => {
                f.value.set(v);
                f.value.select();
                self.pick = None;
            }
            _ => self.pick = pick,
        }
    }

    pub fn type_char(&mut self, c: char) {
        self.error = None;
        self.pick = None;
        let Some(f) = self.fields.get_mut(self.focus) else { return };
        match f.kind {
            FieldKind::Digits => {
                let d = crate::domain::text::normalize_phone(&c.to_string());
                if d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()) {
                    f.value.insert(d.chars().next().unwrap_or('0'));
                } else {
                    self.error = Some((self.focus, Msg::ErrDigitsOnly));
                }
            }
            _ => f.value.insert(c),
        }
    }

    /// Leave the focused field: complete a choice. False if it cannot stand.
    pub fn accept(&mut self, lang: Lang, cadres: &[String]) -> bool {
        let i = self.focus;
        let Some(f) = self.fields.get(i) else { return true };
        if f.kind == FieldKind::Amount && !f.value.value().trim().is_empty() {
            if let Err(e) = crate::domain::parse_yuan(f.value.value()) {
                self.error = Some((i, e.0));
                return false;
            }
            return true;
        }
        if f.kind == FieldKind::Team {
            // The rule of 交办: each name a cadre of the list, or refused.
            let mut names = Vec::new();
            for n in crate::app::form::split_names(f.value.value()) {
                match crate::app::form::pick_cadre(&n, cadres) {
                    Some(c) => names.push(c),
                    None => {
                        self.error = Some((i, Msg::ErrPickFromList));
                        return false;
                    }
                }
            }
            self.fields[i].value.set(&names.join(","));
            return true;
        }
        if let FieldKind::Choice(_) = f.kind {
            let found = self.completions(i, lang, cadres);
            let empty = f.value.value().trim().is_empty();
            match self.highlighted(&found).and_then(|n| found.get(n)) {
                Some(v) => {
                    let v = v.clone();
                    if v != self.fields[i].value.value() {
                        self.fields[i].value.set(&v);
                    }
                }
                None if empty => {}
                None => {
                    self.error = Some((i, Msg::ErrPickFromList));
                    return false;
                }
            }
        }
        self.pick = None;
        true
    }

    pub fn step(&mut self, forward: bool) {
        let n = self.fields.len().max(1);
        let from = self.focus;
        self.focus = if forward { (self.focus + 1) % n } else { (self.focus + n - 1) % n };
        // Gone past, or come round again: never selected on coming back.
        let wrapped = if forward { self.focus <= from } else { self.focus >= from };
        for (i, f) in self.fields.iter_mut().enumerate() {
            if wrapped || i == from {
                f.value.pass();
            }
        }
        self.pick = None;
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.enter();
        }
    }

    fn text(&self, i: usize) -> String {
        self.fields.get(i).map(|f| f.value.value().trim().to_string()).unwrap_or_default()
    }

    /// The case a merge dialog names, as typed so far.
    pub fn merge_into(&self) -> Option<CaseNo> {
        if self.kind != ActionKind::Merge {
            return None;
        }
        parse_case_no(&self.text(0), self.case.year)
    }

    fn number(&self, i: usize) -> u64 {
        self.text(i).parse().unwrap_or(0)
    }

    /// An amount field: empty is 0 (it is optional where it may be empty).
    fn yuan(&self, i: usize) -> Result<u64, (usize, Msg)> {
        let v = self.text(i);
        if v.is_empty() {
            return Ok(0);
        }
        crate::domain::parse_yuan(&v).map_err(|e| (i, e.0))
    }

    /// The command this dialog asks for; or the field that stops it, and why.
    pub fn to_command(&self, lang: Lang, today: NaiveDate) -> Result<Command, (usize, Msg)> {
        for (i, f) in self.fields.iter().enumerate() {
            if f.required && f.value.value().trim().is_empty() {
                return Err((i, Msg::ErrTextRequired));
            }
        }
        let case = self.case;
        let pick = |i: usize, o: Options| {
            let v = self.text(i);
            options(o, lang, &[]).iter().position(|x| *x == v).ok_or((i, Msg::ErrPickFromList))
        };
        Ok(match self.kind {
            ActionKind::Assign => Command::Assign { case, to: self.text(0) },
            ActionKind::Contact => Command::Contact {
                case,
                channel: Channel::ALL[pick(0, Options::Channels)?],
                name: self.text(1),
                // Too many digits for a count is a slip, said, not read as 1.
                people: match self.text(2).as_str() {
                    "" => 1,
                    s => s.parse().map_err(|_| (2, Msg::ErrPeopleTooMany))?,
                },
                note: self.text(3),
                queue: None,
            },
            ActionKind::Accept => Command::Accept { case },
            ActionKind::Extend => {
                Command::Extend { case, days: u32::try_from(self.number(0)).unwrap_or(0), reason: self.text(1) }
            }
            ActionKind::Inspect => Command::ScheduleInspection {
                case,
                plan: InspectionPlan {
                    date: parse_date(&self.text(0), today).ok_or((0, Msg::ErrDate))?,
                    team: crate::app::form::split_names(&self.text(1)),
                    place: self.text(2),
                },
            },
            ActionKind::Escalate => Command::Escalate { case, to: self.text(0), requested_yuan: self.yuan(1)? },
            ActionKind::Grant => Command::Grant { case, granted_yuan: self.yuan(0)?, note: self.text(1) },
            ActionKind::Conclude => {
                Command::Conclude { case, outcome: Outcome::ALL[pick(0, Options::Outcomes)?], reason: self.text(1) }
            }
            ActionKind::Note => Command::Note { case, text: self.text(0) },
            ActionKind::Merge => {
                Command::Merge { from: case, into: parse_case_no(&self.text(0), case.year).ok_or((0, Msg::ErrCaseNo))? }
            }
            ActionKind::Findings => Command::RecordFindings {
                case,
                findings: Findings {
                    date: parse_date(&self.text(0), today).ok_or((0, Msg::ErrDate))?,
                    team: crate::app::form::split_names(&self.text(1)),
                    place: self.text(2),
                    findings: self.text(3),
                    quantities: parse_quantities(&self.text(4)).ok_or((4, Msg::ErrQuantities))?,
                    cost_yuan: self.yuan(5)?,
                    recommendation: [Recommendation::FixLocally, Recommendation::Escalate, Recommendation::NoAction]
                        [pick(6, Options::Recommendations)?],
                },
            },
            // Not a store command: `to_print` (the file is written first).
            ActionKind::Print => return Err((0, Msg::ActPrint)),
            ActionKind::FollowUp => Command::FollowUp {
                case,
                follow_up: FollowUp {
                    method: [FollowUpMethod::Phone, FollowUpMethod::Visit][pick(0, Options::Methods)?],
                    satisfaction: [Satisfaction::Satisfied, Satisfaction::Mostly, Satisfaction::Unsatisfied]
                        [pick(1, Options::Satisfaction)?],
                    note: self.text(2),
                },
            },
        })
    }
}

impl Dialog {
    /// The paper the print dialog asks for.
    pub fn to_print(&self, lang: Lang) -> Result<jiedai_protocol::PrintJob, (usize, Msg)> {
        let label = self.text(0);
        let doc = DocKind::ALL.into_iter().find(|k| k.label(lang) == label).ok_or((0, Msg::ErrPickFromList))?;
        let instead = self.text(1);
        if doc == DocKind::NonAcceptance && instead.is_empty() {
            return Err((1, Msg::ErrNoticeInstead));
        }
        Ok(jiedai_protocol::PrintJob { doc, case: Some(self.case), day: None, instead, out: None })
    }
}
