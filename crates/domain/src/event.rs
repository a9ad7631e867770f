//! Every change to a case is an event with time, operator and content.
//! A case is the fold of its events: `Case::replay`. Events carry the dates
//! they set (deadlines), so changing a township's rules never rewrites history.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::*;
use super::notice::Notice;
use super::time::{Timestamp, china_date};
use crate::i18n::Msg;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: Timestamp,
    pub operator: String,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    /// The first event of every case.
    Registered {
        intake: Intake,
        accept_by: NaiveDate,
    },
    /// Another call or visit about the same matter.
    Contact {
        channel: Channel,
        name: String,
        people: u32,
        note: String,
    },
    Assigned {
        to: String,
    },
    /// 受理: starts the handling clock.
    Accepted {
        due: NaiveDate,
    },
    /// Art. 34: once, at most 30 days, with the reason.
    Extended {
        days: u32,
        reason: String,
        due: NaiveDate,
    },
    InspectionScheduled(InspectionPlan),
    InspectionRecorded(Findings),
    Escalated {
        to: String,
        requested_yuan: u64,
    },
    Granted {
        granted_yuan: u64,
        note: String,
    },
    /// `follow_up_due` is None when nobody can be asked (an anonymous slip).
    Concluded {
        outcome: Outcome,
        reason: String,
        follow_up_due: Option<NaiveDate>,
    },
    FollowedUp(FollowUp),
    /// 重办: a follow-up found the resident unsatisfied, or a cadre reopened it.
    Reopened {
        reason: String,
        due: NaiveDate,
    },
    /// This case was merged into `survivor`; its number points there.
    MergedInto {
        survivor: CaseNo,
    },
    /// The survivor's side of a merge.
    Absorbed {
        from: CaseNo,
    },
    Note {
        text: String,
    },
    /// A new visit about a concluded case was registered as a case of its
    /// own: on the old case `later` is true and `other` is the new one; on
    /// the new case it is false and `other` is the old one. Appended last:
    /// bincode numbers the variants, so earlier records still decode.
    Linked {
        other: CaseNo,
        later: bool,
    },
    /// A notice written for the resident (受理告知书已出具...): the file's
    /// name, and for a 不予受理告知书 where the resident was told to go
    /// instead (empty otherwise). Appended last, after `Linked`.
    NoticeIssued {
        notice: Notice,
        file: String,
        instead: String,
    },
    /// The survivor of a merge takes the merged case's earlier deadline,
    /// so an overdue complaint stays overdue. Appended last.
    DeadlineKept {
        from: CaseNo,
        due: NaiveDate,
    },
}

/// Why an action is refused; the message is in the user's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?}")]
pub struct RuleError(pub Msg);

fn require(ok: bool, msg: Msg) -> Result<(), RuleError> {
    if ok { Ok(()) } else { Err(RuleError(msg)) }
}

impl Case {
    /// May a notice be written now? The rules of `check`, and one more for
    /// new papers only (an old record of such a notice stays restorable):
    /// a concluded case is not promised a deadline by an acceptance notice.
    pub fn check_new_notice(&self, kind: &EventKind) -> Result<(), RuleError> {
        self.check(kind)?;
        if let EventKind::NoticeIssued { notice: Notice::Acceptance, .. } = kind {
            require(self.status.is_open(), Msg::ErrNoticeConcluded)?;
        }
        Ok(())
    }
}

/// Rules for a new case, before it has any event.
pub fn check_intake(intake: &Intake) -> Result<(), RuleError> {
    require(!intake.summary.trim().is_empty(), Msg::ErrSummaryRequired)?;
    require(intake.people >= 1, Msg::ErrPeopleZero)?;
    require(intake.people <= MAX_PEOPLE, Msg::ErrPeopleTooMany)?;
    if let Some(d) = &intake.delegation {
        require(d.representatives.len() <= MAX_REPRESENTATIVES, Msg::ErrTooManyReps)?;
    }
    Ok(())
}

impl Case {
    /// Start a case from its `Registered` event.
    pub fn open(no: CaseNo, event: &Event) -> Option<Case> {
        let EventKind::Registered { intake, accept_by } = &event.kind else { return None };
        Some(Case {
            no,
            opened_at: event.at,
            assignee: intake.assignee.clone(),
            intake: intake.clone(),
            status: Status::Registered,
            accept_by: *accept_by,
            accepted_on: None,
            due: None,
            extension: None,
            conclusion: None,
            follow_up_due: None,
            follow_ups: Vec::new(),
            inspections: Vec::new(),
            escalations: Vec::new(),
            contacts: 0,
            reopened: 0,
            merged_into: None,
            absorbed: Vec::new(),
            events: 1,
            last_event_at: event.at,
        })
    }

    /// Rebuild a case from its whole timeline.
    pub fn replay(no: CaseNo, events: &[Event]) -> Option<Case> {
        let (first, rest) = events.split_first()?;
        let mut case = Case::open(no, first)?;
        for e in rest {
            case.apply(e);
        }
        Some(case)
    }

    /// May this event be appended now?
    pub fn check(&self, kind: &EventKind) -> Result<(), RuleError> {
        use EventKind::*;
        require(self.status != Status::Merged, Msg::ErrMerged)?;
        let open = self.status.is_open();
        match kind {
            Registered { .. } => Err(RuleError(Msg::ErrAlreadyRegistered)),
            Contact { people, .. } => {
                // Never buried on a concluded case: reopen it or link a new one.
                require(open, Msg::ErrContactOnClosed)?;
                require(*people >= 1, Msg::ErrPeopleZero)?;
                require(*people <= MAX_PEOPLE, Msg::ErrPeopleTooMany)
            }
            Assigned { to } => {
                require(open, Msg::ErrCaseClosed)?;
                require(!to.trim().is_empty(), Msg::ErrTextRequired)
            }
            Accepted { .. } => {
                require(open, Msg::ErrCaseClosed)?;
                require(self.accepted_on.is_none(), Msg::ErrAlreadyAccepted)
            }
            Extended { days, reason, .. } => {
                require(open, Msg::ErrCaseClosed)?;
                require(self.accepted_on.is_some(), Msg::ErrNotAccepted)?;
                require(self.extension.is_none(), Msg::ErrAlreadyExtended)?;
                require((1..=30).contains(days), Msg::ErrExtensionTooLong)?;
                require(!reason.trim().is_empty(), Msg::ErrReasonRequired)
            }
            InspectionScheduled(plan) => {
                require(open, Msg::ErrCaseClosed)?;
                require(!plan.place.trim().is_empty(), Msg::ErrTextRequired)
            }
            InspectionRecorded(f) => {
                super::check_yuan(f.cost_yuan)?;
                require(self.inspections.iter().any(|i| i.findings.is_none()), Msg::ErrNoInspectionPending)
            }
            Escalated { to, requested_yuan } => {
                super::check_yuan(*requested_yuan)?;
                require(open, Msg::ErrCaseClosed)?;
                require(!to.trim().is_empty(), Msg::ErrTextRequired)
            }
            Granted { granted_yuan, .. } => {
                super::check_yuan(*granted_yuan)?;
                require(self.escalations.iter().any(|e| e.granted_yuan.is_none()), Msg::ErrNoEscalationPending)
            }
            Concluded { reason, .. } => {
                require(open, Msg::ErrCaseClosed)?;
                require(!reason.trim().is_empty(), Msg::ErrReasonRequired)
            }
            FollowedUp(_) => require(!open, Msg::ErrNotConcluded),
            Reopened { reason, .. } => {
                require(!open, Msg::ErrNotConcluded)?;
                require(!reason.trim().is_empty(), Msg::ErrReasonRequired)
            }
            MergedInto { survivor } => {
                require(open, Msg::ErrCaseClosed)?;
                require(*survivor != self.no, Msg::ErrMergeSelf)
            }
            // Never buried in a concluded case: register anew or reopen it.
            Absorbed { .. } => require(open, Msg::ErrMergeIntoClosed),
            DeadlineKept { .. } => require(open, Msg::ErrCaseClosed),
            Note { text } => require(!text.trim().is_empty(), Msg::ErrTextRequired),
            Linked { other, .. } => require(*other != self.no, Msg::ErrMergeSelf),
            NoticeIssued { notice, instead, .. } => {
                // Nobody to hand it to: an anonymous slip gets no notice.
                require(!self.is_anonymous(), Msg::ErrNoticeAnonymous)?;
                let outcome = self.conclusion.as_ref().map(|c| c.outcome);
                match notice {
                    Notice::Acceptance => require(self.accepted_on.is_some(), Msg::ErrNoticeNotAccepted),
                    Notice::NonAcceptance => {
                        let refused = !open && outcome == Some(Outcome::NotAccepted);
                        require(refused, Msg::ErrNoticeNotRefused)?;
                        require(!instead.trim().is_empty(), Msg::ErrNoticeInstead)
                    }
                    Notice::Answer => {
                        let answered =
                            matches!(outcome, Some(Outcome::Implemented | Outcome::Explained | Outcome::NotUpheld));
                        require(!open && answered, Msg::ErrNoticeNoAnswer)
                    }
                }
            }
        }
    }

    /// Fold one event into the case. Call `check` first: `apply` trusts it.
    pub fn apply(&mut self, event: &Event) {
        use EventKind::*;
        let day = china_date(event.at);
        self.events += 1;
        self.last_event_at = event.at;
        match &event.kind {
            Registered { .. } => {}
            Contact { .. } => self.contacts += 1,
            Assigned { to } => self.assignee = Some(to.clone()),
            Accepted { due } => {
                self.accepted_on = Some(day);
                self.due = Some(*due);
                self.status = Status::InHand;
            }
            Extended { days, reason, due } => {
                self.extension = Some((*days, reason.clone()));
                self.due = Some(*due);
            }
            InspectionScheduled(plan) => {
                self.inspections.push(Inspection { plan: plan.clone(), findings: None });
                self.status = Status::InspectionPending;
            }
            InspectionRecorded(f) => {
                if let Some(i) = self.inspections.iter_mut().find(|i| i.findings.is_none()) {
                    i.findings = Some(f.clone());
                }
                self.status = Status::Inspected;
            }
            Escalated { to, requested_yuan } => {
                self.escalations.push(Escalation {
                    to: to.clone(),
                    requested_yuan: *requested_yuan,
                    on: day,
                    granted_yuan: None,
                });
                self.status = Status::Escalated;
            }
            Granted { granted_yuan, .. } => {
                if let Some(e) = self.escalations.iter_mut().find(|e| e.granted_yuan.is_none()) {
                    e.granted_yuan = Some(*granted_yuan);
                }
                self.status = Status::InHand;
            }
            Concluded { outcome, reason, follow_up_due } => {
                self.conclusion = Some(Conclusion { outcome: *outcome, reason: reason.clone(), on: day });
                self.follow_up_due = *follow_up_due;
                self.status = Status::Concluded;
            }
            FollowedUp(f) => {
                self.follow_ups.push(f.clone());
                self.status = Status::FollowedUp;
            }
            Reopened { due, .. } => {
                self.reopened += 1;
                self.due = Some(*due);
                self.follow_up_due = None;
                self.status = Status::InHand;
            }
            MergedInto { survivor } => {
                self.merged_into = Some(*survivor);
                self.status = Status::Merged;
            }
            Absorbed { from } => {
                self.absorbed.push(*from);
                self.contacts += 1;
            }
            DeadlineKept { due, .. } => self.due = Some(*due),
            Note { .. } | Linked { .. } | NoticeIssued { .. } => {}
        }
    }
}
