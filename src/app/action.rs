//! The actions on an opened case, each one event: a small dialog of typed
//! fields that turns into a store `Command`.

use chrono::{Duration, NaiveDate};

use crate::domain::*;
use crate::i18n::{Lang, Msg};
use crate::input::{TextField, pinyin};
use crate::store::Command;

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
}

impl ActionKind {
    pub const ALL: [ActionKind; 12] = [
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
        }
    }
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Multi,
    Digits,
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
    pub pick: usize,
    pub error: Option<(usize, Msg)>,
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
    }
}

impl Dialog {
    pub fn new(kind: ActionKind, case: &Case, lang: Lang, today: NaiveDate) -> Dialog {
        use FieldKind::*;
        let fields = match kind {
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
            ActionKind::Escalate => vec![field(Msg::FTo, Text, true), field(Msg::FAmount, Digits, false)],
            ActionKind::Grant => vec![field(Msg::FAmount, Digits, true), field(Msg::FNote, Multi, false)],
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
                field(Msg::FCost, Digits, false),
                field(Msg::FRecommendation, Choice(Options::Recommendations), true),
            ],
            ActionKind::FollowUp => vec![
                field(Msg::FMethod, Choice(Options::Methods), true),
                field(Msg::FSatisfaction, Choice(Options::Satisfaction), true),
                field(Msg::FNote, Multi, false),
            ],
        };
        let mut d = Dialog { kind, case: case.no, fields, focus: 0, pick: 0, error: None };
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
        d
    }

    pub fn focused(&mut self) -> Option<&mut DialogField> {
        self.fields.get_mut(self.focus)
    }

    pub fn completions(&self, i: usize, lang: Lang, cadres: &[String]) -> Vec<String> {
        let Some(f) = self.fields.get(i) else { return Vec::new() };
        let FieldKind::Choice(o) = f.kind else { return Vec::new() };
        pinyin::rank(f.value.value(), options(o, lang, cadres))
    }

    pub fn type_char(&mut self, c: char) {
        self.error = None;
        self.pick = 0;
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
        if f.kind == FieldKind::Team {
            let names: Vec<String> = crate::app::form::split_names(f.value.value())
                .into_iter()
                .map(|n| pinyin::rank(&n, cadres.to_vec()).into_iter().next().unwrap_or(n))
                .collect();
            self.fields[i].value.set(&names.join(","));
            return true;
        }
        if let FieldKind::Choice(_) = f.kind
            && !f.value.is_empty()
        {
            let found = self.completions(i, lang, cadres);
            match found.get(self.pick.min(found.len().saturating_sub(1))) {
                Some(v) => {
                    let v = v.clone();
                    self.fields[i].value.set(&v);
                }
                None => {
                    self.error = Some((i, Msg::ErrPickFromList));
                    return false;
                }
            }
        }
        self.pick = 0;
        true
    }

    pub fn step(&mut self, forward: bool) {
        let n = self.fields.len().max(1);
        self.focus = if forward { (self.focus + 1) % n } else { (self.focus + n - 1) % n };
        self.pick = 0;
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.enter();
        }
    }

    fn text(&self, i: usize) -> String {
        self.fields.get(i).map(|f| f.value.value().trim().to_string()).unwrap_or_default()
    }

    fn number(&self, i: usize) -> u64 {
        self.text(i).parse().unwrap_or(0)
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
                people: u32::try_from(self.number(2)).unwrap_or(1).max(1),
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
            ActionKind::Escalate => Command::Escalate { case, to: self.text(0), requested_yuan: self.number(1) },
            ActionKind::Grant => Command::Grant { case, granted_yuan: self.number(0), note: self.text(1) },
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
                    cost_yuan: self.number(5),
                    recommendation: [Recommendation::FixLocally, Recommendation::Escalate, Recommendation::NoAction]
                        [pick(6, Options::Recommendations)?],
                },
            },
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

/// Quantities as typed: `涵洞4处 塌方10处 里程10公里` (or with spaces,
/// commas, 、). Each is an item, a number, a unit.
pub fn parse_quantities(s: &str) -> Option<Vec<Quantity>> {
    let mut out = Vec::new();
    let mut item = String::new();
    let mut number = String::new();
    let mut unit = String::new();
    let flush = |item: &mut String, number: &mut String, unit: &mut String, out: &mut Vec<Quantity>| -> Option<()> {
        if item.is_empty() && number.is_empty() && unit.is_empty() {
            return Some(());
        }
        let n: f64 = number.parse().ok()?;
        out.push(Quantity { item: std::mem::take(item), number: n, unit: std::mem::take(unit) });
        number.clear();
        Some(())
    };
    // Commas and 、 end a quantity; a space ends one only once it has its
    // number and unit (`里程 2.5 公里` is one).
    let s: String = s
        .replace(['，', ',', '、', ';', '；'], "|")
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    for c in s.chars() {
        match c {
            '|' => flush(&mut item, &mut number, &mut unit, &mut out)?,
            ' ' | '\u{3000}' if !unit.is_empty() => flush(&mut item, &mut number, &mut unit, &mut out)?,
            ' ' | '\u{3000}' => {}
            c if c.is_ascii_digit() || (c == '.' && !number.is_empty()) => {
                if !unit.is_empty() {
                    flush(&mut item, &mut number, &mut unit, &mut out)?;
                }
                number.push(c);
            }
            c if number.is_empty() => item.push(c),
            c => unit.push(c),
        }
    }
    flush(&mut item, &mut number, &mut unit, &mut out)?;
    Some(out)
}

/// `2026-12-02`, `12-02` (this year), `12/2`, or `+2` days from today.
pub fn parse_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.', '／', '－'], "-");
    if let Some(n) = s.strip_prefix('+') {
        return n.parse::<i64>().ok().map(|n| today + Duration::days(n));
    }
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        return Some(d);
    }
    use chrono::Datelike;
    NaiveDate::parse_from_str(&format!("{}-{s}", today.year()), "%Y-%m-%d").ok()
}

/// `2026-0002`, or just `2` for this year's.
pub fn parse_case_no(s: &str, year: u16) -> Option<CaseNo> {
    let s = s.trim();
    if let Ok(no) = s.parse::<CaseNo>() {
        return Some(no);
    }
    s.parse::<u32>().ok().map(|seq| CaseNo { year, seq })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_typed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        assert_eq!(parse_date("+2", today), NaiveDate::from_ymd_opt(2026, 12, 2));
        assert_eq!(parse_date("12-02", today), NaiveDate::from_ymd_opt(2026, 12, 2));
        assert_eq!(parse_date("2027/1/5", today), NaiveDate::from_ymd_opt(2027, 1, 5));
        assert_eq!(parse_date("明天", today), None);
    }

    #[test]
    fn quantities_as_typed() {
        let q = parse_quantities("涵洞4处 塌方10处, 里程10公里").expect("parsed");
        let shown: Vec<String> = q.iter().map(|q| format!("{}{}{}", q.item, q.number, q.unit)).collect();
        assert_eq!(shown, ["涵洞4处", "塌方10处", "里程10公里"]);
        let q = parse_quantities("里程 2.5 公里").expect("parsed");
        assert_eq!((q[0].item.as_str(), q[0].number, q[0].unit.as_str()), ("里程", 2.5, "公里"));
        assert_eq!(parse_quantities(""), Some(vec![]));
        let q = parse_quantities("涵洞４处").expect("full-width digits");
        assert_eq!(q[0].number, 4.0);
        assert_eq!(parse_quantities("涵洞很多"), None);
    }

    #[test]
    fn case_numbers_as_typed() {
        assert_eq!(parse_case_no("2", 2026), Some(CaseNo { year: 2026, seq: 2 }));
        assert_eq!(parse_case_no("2025-0013", 2026), Some(CaseNo { year: 2025, seq: 13 }));
        assert_eq!(parse_case_no("x", 2026), None);
    }
}
