//! What the desk asks the store to do: plain serde data, so the same
//! commands can later travel to a store in another process (SPEC §9).

use serde::{Deserialize, Serialize};

use crate::domain::text::{clean_line, clean_multiline, normalize_phone};
use crate::domain::time::{add_days, china_date};
use crate::domain::*;

/// A command's identity: a random half drawn once per desk session and a
/// counter. The store records each applied id with its result in the
/// command's own transaction, so a command sent again (after a failed save
/// whose outcome the desk could not know, or from a draft restored after a
/// crash) is answered with its first result, never applied twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommandId(pub [u8; 16]);

impl CommandId {
    pub fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(s: &str) -> Option<CommandId> {
        let mut out = [0u8; 16];
        if s.len() != 32 || !s.is_ascii() {
            return None;
        }
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(CommandId(out))
    }
}

/// Where a desk session's command ids come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdSource {
    session: [u8; 8],
    next: u64,
}

impl IdSource {
    /// A session half from the kernel's random source; the clock and the
    /// process id if that fails (still unique to this desk in practice).
    pub fn new() -> IdSource {
        let mut session = [0u8; 8];
        // SAFETY: getrandom fills the buffer we own, at most its length.
        let n = unsafe { libc::getrandom(session.as_mut_ptr().cast(), session.len(), 0) };
        if n != session.len() as isize {
            let t = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64;
            session = (t ^ (u64::from(std::process::id()) << 40)).to_be_bytes();
        }
        IdSource { session, next: 1 }
    }

    pub fn next_id(&mut self) -> CommandId {
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&self.session);
        id[8..].copy_from_slice(&self.next.to_be_bytes());
        self.next += 1;
        CommandId(id)
    }
}

impl Default for IdSource {
    fn default() -> IdSource {
        IdSource::new()
    }
}

/// Which queue entry a visit came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRef {
    pub day: chrono::NaiveDate,
    pub number: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// A new case; the queue entry it came from (if any) is marked served.
    Register {
        intake: Intake,
        queue: Option<QueueRef>,
    },
    /// Another call or visit about an existing case.
    Contact {
        case: CaseNo,
        channel: Channel,
        name: String,
        people: u32,
        note: String,
        queue: Option<QueueRef>,
    },
    /// An arrival joins today's queue and gets the day's next number.
    QueueAdd {
        name: String,
        village: String,
    },
    QueueCall(QueueRef),
    QueueNoShow(QueueRef),
    QueueRecall(QueueRef),
    Assign {
        case: CaseNo,
        to: String,
    },
    Accept {
        case: CaseNo,
    },
    Extend {
        case: CaseNo,
        days: u32,
        reason: String,
    },
    ScheduleInspection {
        case: CaseNo,
        plan: InspectionPlan,
    },
    RecordFindings {
        case: CaseNo,
        findings: Findings,
    },
    Escalate {
        case: CaseNo,
        to: String,
        requested_yuan: u64,
    },
    Grant {
        case: CaseNo,
        granted_yuan: u64,
        note: String,
    },
    Conclude {
        case: CaseNo,
        outcome: Outcome,
        reason: String,
    },
    FollowUp {
        case: CaseNo,
        follow_up: FollowUp,
    },
    Reopen {
        case: CaseNo,
        reason: String,
    },
    Merge {
        from: CaseNo,
        into: CaseNo,
    },
    Note {
        case: CaseNo,
        text: String,
    },
    PutCadre(Cadre),
    PutResident(Resident),
    /// Another visit about a concluded case, which is reopened for it
    /// (重办): the note is the reason, the visit is logged as a contact.
    ContactReopen {
        case: CaseNo,
        channel: Channel,
        name: String,
        people: u32,
        note: String,
        queue: Option<QueueRef>,
    },
    /// A new case about a concluded one: registered, and linked both ways.
    RegisterLinked {
        intake: Intake,
        queue: Option<QueueRef>,
        earlier: CaseNo,
    },
    PutVillage(Village),
    SetRules(DeadlineRules),
    SetRoster(Roster),
    /// A notice was written for the resident: recorded in the timeline.
    IssueNotice {
        case: CaseNo,
        notice: Notice,
        file: String,
        instead: String,
    },
    /// Changes to the township's directory (名录), made all or none.
    /// Appended last: commands are plain serde data that may be kept.
    Directory(Vec<DirChange>),
    /// 包户 visit: the cadre went to their household. With a problem, a
    /// case (channel 走访) registered to the household's resident and
    /// signed by the cadre, the note its summary; without, a visit in the
    /// directory's log. Appended last.
    PairVisit {
        cadre: String,
        household: crate::domain::directory::Household,
        note: String,
        problem: bool,
    },
    /// A call taken on a leader's card about an open case (电话联系卡).
    /// Appended last (h-phone, issue 15).
    Call {
        case: CaseNo,
        call: crate::domain::call::PhoneCall,
    },
    /// 民情日记: a cadre's lines of one day, kept as entries to triage.
    /// Appended last, as are the three below.
    DiaryWrite {
        cadre: String,
        day: chrono::NaiveDate,
        lines: Vec<crate::domain::diary::DiaryLine>,
    },
    /// One diary entry made a case, attached to one, or settled.
    DiaryTriage {
        entry: u64,
        triage: crate::domain::diary::Triage,
    },
    /// 群众意见箱: the box opened, before witnesses.
    BoxOpen {
        date: chrono::NaiveDate,
        opened_by: String,
        witnesses: Vec<String>,
    },
    /// A slip from that opening: an anonymous case on channel 意见箱.
    BoxSlip {
        opening: u32,
        category: String,
        text: String,
    },
}

/// Who does it, and when. The store stamps every event with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    pub at: Timestamp,
    pub operator: String,
}

/// What a command did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Done {
    Registered(CaseNo),
    Recorded(CaseNo),
    Merged { from: CaseNo, into: CaseNo },
    Queued(QueueRef),
    Stored,
}

pub(crate) fn clean_intake(i: Intake) -> Intake {
    Intake {
        name: clean_line(&i.name),
        phone: normalize_phone(&i.phone),
        village: clean_line(&i.village),
        group: clean_line(&i.group),
        category: clean_line(&i.category),
        summary: clean_line(&i.summary),
        details: clean_multiline(&i.details),
        assignee: i.assignee.map(|a| clean_line(&a)).filter(|a| !a.is_empty()),
        delegation: i.delegation.map(|d| Delegation {
            representatives: d.representatives.iter().map(|r| clean_line(r)).filter(|r| !r.is_empty()).collect(),
            speaks_for: d.speaks_for,
        }),
        ..i
    }
}

fn clean_plan(plan: InspectionPlan) -> InspectionPlan {
    InspectionPlan {
        team: plan.team.iter().map(|t| clean_line(t)).filter(|t| !t.is_empty()).collect(),
        place: clean_line(&plan.place),
        ..plan
    }
}

fn clean_findings(f: Findings) -> Findings {
    Findings {
        findings: clean_multiline(&f.findings),
        team: f.team.iter().map(|t| clean_line(t)).filter(|t| !t.is_empty()).collect(),
        place: clean_line(&f.place),
        quantities: f
            .quantities
            .into_iter()
            .map(|q| Quantity { item: clean_line(&q.item), unit: clean_line(&q.unit), ..q })
            .collect(),
        ..f
    }
}

fn clean_call(c: crate::domain::call::PhoneCall) -> crate::domain::call::PhoneCall {
    crate::domain::call::PhoneCall {
        leader: clean_line(&c.leader),
        caller: clean_line(&c.caller),
        phone: normalize_phone(&c.phone),
        note: clean_multiline(&c.note),
        ..c
    }
}

pub fn clean_cadre(c: Cadre) -> Cadre {
    Cadre {
        name: clean_line(&c.name),
        post: clean_line(&c.post),
        phone: normalize_phone(&c.phone),
        covers: c.covers.iter().map(|s| clean_line(s)).collect(),
    }
}

pub fn clean_resident(r: Resident) -> Resident {
    Resident {
        name: clean_line(&r.name),
        phone: normalize_phone(&r.phone),
        village: clean_line(&r.village),
        group: clean_line(&r.group),
    }
}

pub fn clean_village(v: Village) -> Village {
    Village { name: clean_line(&v.name), groups: v.groups.iter().map(|s| clean_line(s)).collect() }
}

pub fn clean_duty(d: Duty) -> Duty {
    Duty { cadre: clean_line(&d.cadre), ..d }
}

/// An event from outside (a JSON restore) cleaned as `Command::sanitized`
/// cleans the command that makes it: the same text, field by field.
pub fn clean_event(e: Event) -> Event {
    use EventKind::*;
    let kind = match e.kind {
        Registered { intake, accept_by } => Registered { intake: clean_intake(intake), accept_by },
        Contact { channel, name, people, note } => {
            Contact { channel, name: clean_line(&name), people, note: clean_multiline(&note) }
        }
        Assigned { to } => Assigned { to: clean_line(&to) },
        Extended { days, reason, due } => Extended { days, reason: clean_multiline(&reason), due },
        InspectionScheduled(plan) => InspectionScheduled(clean_plan(plan)),
        InspectionRecorded(f) => InspectionRecorded(clean_findings(f)),
        Escalated { to, requested_yuan } => Escalated { to: clean_line(&to), requested_yuan },
        Granted { granted_yuan, note } => Granted { granted_yuan, note: clean_multiline(&note) },
        Concluded { outcome, reason, follow_up_due } => {
            Concluded { outcome, reason: clean_multiline(&reason), follow_up_due }
        }
        FollowedUp(f) => FollowedUp(crate::domain::FollowUp { note: clean_multiline(&f.note), ..f }),
        Reopened { reason, due } => Reopened { reason: clean_multiline(&reason), due },
        Note { text } => Note { text: clean_multiline(&text) },
        NoticeIssued { notice, file, instead } => {
            NoticeIssued { notice, file: clean_line(&file), instead: clean_line(&instead) }
        }
        Call(c) => Call(clean_call(c)),
        other @ (Accepted { .. } | MergedInto { .. } | Absorbed { .. } | Linked { .. } | DeadlineKept { .. }) => other,
    };
    Event { at: e.at, operator: clean_line(&e.operator), kind }
}

impl Command {
    /// Remove control, bidi and zero-width characters from every text.
    pub fn sanitized(self) -> Command {
        use Command::*;
        match self {
            Register { intake, queue } => Register { intake: clean_intake(intake), queue },
            RegisterLinked { intake, queue, earlier } => {
                RegisterLinked { intake: clean_intake(intake), queue, earlier }
            }
            ContactReopen { case, channel, name, people, note, queue } => {
                ContactReopen { case, channel, name: clean_line(&name), people, note: clean_multiline(&note), queue }
            }
            Contact { case, channel, name, people, note, queue } => {
                Contact { case, channel, name: clean_line(&name), people, note: clean_multiline(&note), queue }
            }
            QueueAdd { name, village } => QueueAdd { name: clean_line(&name), village: clean_line(&village) },
            Assign { case, to } => Assign { case, to: clean_line(&to) },
            Extend { case, days, reason } => Extend { case, days, reason: clean_multiline(&reason) },
            ScheduleInspection { case, plan } => ScheduleInspection { case, plan: clean_plan(plan) },
            RecordFindings { case, findings } => RecordFindings { case, findings: clean_findings(findings) },
            Escalate { case, to, requested_yuan } => Escalate { case, to: clean_line(&to), requested_yuan },
            Grant { case, granted_yuan, note } => Grant { case, granted_yuan, note: clean_multiline(&note) },
            Conclude { case, outcome, reason } => Conclude { case, outcome, reason: clean_multiline(&reason) },
            FollowUp { case, follow_up } => FollowUp {
                case,
                follow_up: crate::domain::FollowUp { note: clean_multiline(&follow_up.note), ..follow_up },
            },
            Reopen { case, reason } => Reopen { case, reason: clean_multiline(&reason) },
            Note { case, text } => Note { case, text: clean_multiline(&text) },
            IssueNotice { case, notice, file, instead } => {
                IssueNotice { case, notice, file: clean_line(&file), instead: clean_line(&instead) }
            }
            PutCadre(c) => PutCadre(clean_cadre(c)),
            PutResident(r) => PutResident(clean_resident(r)),
            SetRoster(r) => SetRoster(Roster { duties: r.duties.into_iter().map(clean_duty).collect() }),
            PutVillage(v) => PutVillage(clean_village(v)),
            Directory(changes) => Directory(changes.into_iter().map(DirChange::cleaned).collect()),
            PairVisit { cadre, household, note, problem } => PairVisit {
                cadre: clean_line(&cadre),
                household: household.cleaned(),
                note: clean_line(&note),
                problem,
            },
            Call { case, call } => Call { case, call: clean_call(call) },
            other @ (Accept { .. } | Merge { .. } | SetRules(_) | QueueCall(_) | QueueNoShow(_) | QueueRecall(_)) => {
                other
            }
            c @ (DiaryWrite { .. } | DiaryTriage { .. } | BoxOpen { .. } | BoxSlip { .. }) => {
                crate::diary::sanitized(c)
            }
        }
    }

    /// The events this command appends to an existing case, with the
    /// deadlines it sets computed from the township's rules.
    pub fn case_events(&self, rules: &DeadlineRules, stamp: &Stamp) -> Vec<(CaseNo, EventKind)> {
        // The follow-up date of a conclusion is settled by the store, which
        // knows whether anyone can be asked; here it is the default.
        use Command::*;
        let today = china_date(stamp.at);
        match self {
            Contact { case, channel, name, people, note, .. } => vec![(
                *case,
                EventKind::Contact { channel: *channel, name: name.clone(), people: *people, note: note.clone() },
            )],
            Assign { case, to } => vec![(*case, EventKind::Assigned { to: to.clone() })],
            Accept { case } => vec![(*case, EventKind::Accepted { due: add_days(today, rules.handling_days) })],
            Extend { case, days, reason } => vec![(
                *case,
                EventKind::Extended {
                    days: *days,
                    reason: reason.clone(),
                    // Filled in by the store from the case's current due date.
                    due: today,
                },
            )],
            ScheduleInspection { case, plan } => vec![(*case, EventKind::InspectionScheduled(plan.clone()))],
            RecordFindings { case, findings } => vec![(*case, EventKind::InspectionRecorded(findings.clone()))],
            Escalate { case, to, requested_yuan } => {
                vec![(*case, EventKind::Escalated { to: to.clone(), requested_yuan: *requested_yuan })]
            }
            Grant { case, granted_yuan, note } => {
                vec![(*case, EventKind::Granted { granted_yuan: *granted_yuan, note: note.clone() })]
            }
            Conclude { case, outcome, reason } => vec![(
                *case,
                EventKind::Concluded {
                    outcome: *outcome,
                    reason: reason.clone(),
                    follow_up_due: Some(add_days(today, rules.follow_up_days)),
                },
            )],
            FollowUp { case, follow_up } => {
                let mut out = vec![(*case, EventKind::FollowedUp(follow_up.clone()))];
                if follow_up.satisfaction == Satisfaction::Unsatisfied {
                    let reason = if follow_up.note.is_empty() {
                        Satisfaction::Unsatisfied.label(jiedai_domain::i18n::Lang::Zh).to_string()
                    } else {
                        follow_up.note.clone()
                    };
                    out.push((*case, EventKind::Reopened { reason, due: add_days(today, rules.handling_days) }));
                }
                out
            }
            Reopen { case, reason } => {
                vec![(*case, EventKind::Reopened { reason: reason.clone(), due: add_days(today, rules.handling_days) })]
            }
            Merge { from, into } => {
                vec![(*from, EventKind::MergedInto { survivor: *into }), (*into, EventKind::Absorbed { from: *from })]
            }
            Note { case, text } => vec![(*case, EventKind::Note { text: text.clone() })],
            Call { case, call } => vec![(*case, EventKind::Call(call.clone()))],
            IssueNotice { case, notice, file, instead } => {
                vec![(*case, EventKind::NoticeIssued { notice: *notice, file: file.clone(), instead: instead.clone() })]
            }
            // Reopened first: a contact is only taken on an open case.
            ContactReopen { case, channel, name, people, note, .. } => vec![
                (*case, EventKind::Reopened { reason: note.clone(), due: add_days(today, rules.handling_days) }),
                (
                    *case,
                    EventKind::Contact { channel: *channel, name: name.clone(), people: *people, note: String::new() },
                ),
            ],
            DiaryTriage { triage: crate::domain::diary::Triage::Attach { case, name, note }, .. } => vec![(
                *case,
                EventKind::Contact { channel: Channel::Diary, name: name.clone(), people: 1, note: note.clone() },
            )],
            DiaryWrite { .. } | DiaryTriage { .. } | BoxOpen { .. } | BoxSlip { .. } => Vec::new(),
            Register { .. }
            | RegisterLinked { .. }
            | QueueAdd { .. }
            | QueueCall(_)
            | QueueNoShow(_)
            | QueueRecall(_)
            | PutCadre(_)
            | PutResident(_)
            | PutVillage(_)
            | SetRules(_)
            | SetRoster(_)
            | Directory(_)
            | PairVisit { .. } => Vec::new(),
        }
    }
}
