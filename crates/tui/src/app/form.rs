//! The intake form, 3270-style: typed fields (digits only, phone checked),
//! required fields named when saving refuses, autoskip past what needs no
//! input, "dup" to repeat the previous intake's value, choice fields that
//! complete from their lists by substring or pinyin.

use crate::domain::text::{is_valid_phone, normalize_phone};
use crate::domain::*;
use crate::i18n::{Lang, Msg};
use crate::input::{TextField, pinyin};
use jiedai_protocol::Draft;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Phone,
    Village,
    Group,
    People,
    Reps,
    SpeaksFor,
    Category,
    Summary,
    Details,
    Channel,
    Assignee,
    Urgency,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Phone,
    Digits,
    Choice,
    Multi,
}

impl Field {
    pub const ORDER: [Field; 13] = [
        Field::Name,
        Field::Phone,
        Field::Village,
        Field::Group,
        Field::People,
        Field::Reps,
        Field::SpeaksFor,
        Field::Category,
        Field::Summary,
        Field::Details,
        Field::Channel,
        Field::Assignee,
        Field::Urgency,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn kind(self) -> Kind {
        match self {
            Field::Phone => Kind::Phone,
            Field::People | Field::SpeaksFor => Kind::Digits,
            Field::Village | Field::Group | Field::Category | Field::Channel | Field::Assignee | Field::Urgency => {
                Kind::Choice
            }
            Field::Details => Kind::Multi,
            Field::Name | Field::Reps | Field::Summary => Kind::Text,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Field::Name => Msg::FName,
            Field::Phone => Msg::FPhone,
            Field::Village => Msg::FVillage,
            Field::Group => Msg::FGroup,
            Field::People => Msg::FPeople,
            Field::Reps => Msg::FReps,
            Field::SpeaksFor => Msg::FSpeaksFor,
            Field::Category => Msg::FCategory,
            Field::Summary => Msg::FSummary,
            Field::Details => Msg::FDetails,
            Field::Channel => Msg::FChannel,
            Field::Assignee => Msg::FAssignee,
            Field::Urgency => Msg::FUrgency,
        }
    }

    /// The name a field is kept under in a draft.
    fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Village => "village",
            Field::Group => "group",
            Field::People => "people",
            Field::Reps => "reps",
            Field::SpeaksFor => "speaks_for",
            Field::Category => "category",
            Field::Summary => "summary",
            Field::Details => "details",
            Field::Channel => "channel",
            Field::Assignee => "assignee",
            Field::Urgency => "urgency",
        }
    }
}

/// The lists choice fields complete from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    pub villages: Vec<Village>,
    pub cadres: Vec<String>,
    pub duty_leader: Option<String>,
    /// The cadres with what they cover: the assignee's suggestions put
    /// the one covering the case's group first, then its village.
    pub cadre_records: Vec<Cadre>,
}

impl Choices {
    /// The cadres, those covering this village and group first.
    pub fn cadres_for(&self, village: &str, group: &str) -> Vec<String> {
        if self.cadre_records.is_empty() {
            return self.cadres.clone();
        }
        crate::domain::directory::suggest_for(&self.cadre_records, village, group)
    }

    /// Is this place in the directory: a village, or a group of `village`?
    pub fn knows(&self, f: Field, village: &str, value: &str) -> bool {
        match f {
            Field::Village => self.villages.iter().any(|v| v.name == value),
            Field::Group => self.villages.iter().any(|v| v.name == village && v.groups.iter().any(|g| g == value)),
            _ => true,
        }
    }
}

/// One rule for every field naming a cadre (交办, the inspection team):
/// the best pinyin match of the cadre list, or none (refused).
pub fn pick_cadre(typed: &str, cadres: &[String]) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    pinyin::rank(typed, cadres.to_vec()).into_iter().next()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntakeForm {
    fields: Vec<TextField>,
    pub focus: Field,
    /// A message at a field: why input was refused.
    pub error: Option<(Field, Msg)>,
    /// The completion chosen with Ctrl+N/P in the focused choice field;
    /// None: the best match of what was typed (nothing in an empty field).
    pub pick: Option<usize>,
    pub from_queue: Option<jiedai_protocol::QueueRef>,
    /// The diary entry this form makes a case of (`c` in 民情日记): saving
    /// it marks the entry too. Kept with the form (draft, undo).
    pub from_diary: Option<u64>,
    /// The call the 来电 card handed over (Ctrl+N, a new matter): logged on
    /// the case once it is registered. Kept with the form, as `from_diary`
    /// (tab switches, Ctrl+U/Ctrl+Z, the draft across a restart).
    pub from_call: Option<crate::domain::call::PhoneCall>,
    /// Bumped on every change, so the loop knows when the draft moved.
    pub generation: u64,
    /// The save's command id, fixed when the form's draft is first written
    /// and kept in the draft: saving the same form again (after an error,
    /// or after a crash brought the draft back) is recognised by the store.
    pub id: Option<jiedai_protocol::CommandId>,
}

impl IntakeForm {
    pub fn new(lang: Lang, choices: &Choices) -> IntakeForm {
        let fields = Field::ORDER
            .iter()
            .map(|f| if f.kind() == Kind::Multi { TextField::multiline() } else { TextField::new() })
            .collect();
        let mut form = IntakeForm {
            fields,
            focus: Field::Name,
            error: None,
            pick: None,
            from_queue: None,
            from_diary: None,
            from_call: None,
            generation: 0,
            id: None,
        };
        form.reset(lang, choices);
        form
    }

    /// Empty, with the defaults filled and the cursor in the first field.
    pub fn reset(&mut self, lang: Lang, choices: &Choices) {
        // New fields: none has been gone past yet.
        for f in &mut self.fields {
            *f = if f.is_multiline() { TextField::multiline() } else { TextField::new() };
        }
        self.set(Field::People, "1");
        self.set(Field::Channel, Channel::Reception.label(lang));
        self.set(Field::Urgency, Urgency::Normal.label(lang));
        if let Some(leader) = &choices.duty_leader {
            self.set(Field::Assignee, leader);
        }
        self.id = None;
        self.focus = Field::Name;
        self.error = None;
        self.pick = None;
        self.from_queue = None;
        self.from_diary = None;
        self.from_call = None;
        self.generation += 1;
    }

    pub fn field(&self, f: Field) -> &TextField {
        &self.fields[f.index()]
    }

    pub fn value(&self, f: Field) -> &str {
        self.fields[f.index()].value()
    }

    pub fn focused(&mut self) -> &mut TextField {
        self.generation += 1;
        &mut self.fields[self.focus.index()]
    }

    pub fn set(&mut self, f: Field, value: &str) {
        self.fields[f.index()].set(value);
        self.generation += 1;
    }

    /// Has anything been typed beyond the defaults?
    pub fn is_blank(&self, lang: Lang, choices: &Choices) -> bool {
        let fresh = IntakeForm::new(lang, choices);
        Field::ORDER.iter().all(|f| self.value(*f) == fresh.value(*f))
            && self.from_queue.is_none()
            && self.from_diary.is_none()
            && self.from_call.is_none()
    }

    fn people(&self) -> u32 {
        self.value(Field::People).parse().unwrap_or(1).max(1)
    }

    /// Fields that need no input now: the delegation when one person came.
    pub fn skipped(&self, f: Field) -> bool {
        matches!(f, Field::Reps | Field::SpeaksFor) && self.people() <= 1
    }

    /// Type one character, as the field's kind allows. True if the
    /// field took it (a refused key changes nothing, and moves nothing).
    pub fn type_char(&mut self, c: char) -> bool {
        self.error = None;
        self.pick = None;
        let focus = self.focus;
        let before = self.value(focus).len();
        let fresh = self.field(focus).is_fresh();
        match focus.kind() {
            Kind::Digits => {
                let d = normalize_phone(&c.to_string());
                if d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()) {
                    self.focused().insert(d.chars().next().unwrap_or('0'));
                } else {
                    self.error = Some((focus, Msg::ErrDigitsOnly));
                    return false;
                }
            }
            Kind::Phone => {
                // Full-width digits and spaces are fine (normalised or
                // dropped); letters and the like are refused at the field.
                let d = normalize_phone(&c.to_string());
                if d.is_empty() {
                    return false;
                }
                if d.chars().all(|ch| ch.is_ascii_digit() || ch == '-') {
                    for ch in d.chars() {
                        self.focused().insert(ch);
                    }
                } else {
                    self.error = Some((focus, Msg::ErrPhoneChars));
                    return false;
                }
            }
            _ => self.focused().insert(c),
        }
        fresh || self.value(focus).len() != before
    }

    pub fn paste(&mut self, text: &str) {
        self.error = None;
        match self.focus.kind() {
            Kind::Digits | Kind::Phone => {
                // Whatever the field refuses is said, not silently dropped.
                let mut refused = None;
                for c in text.chars() {
                    self.type_char(c);
                    refused = refused.or(self.error);
                }
                self.error = refused;
            }
            _ => self.focused().insert_str(text),
        }
    }

    /// The options of a choice field matching what has been typed; every
    /// option while the value is still selected (the next key replaces it).
    pub fn completions(&self, f: Field, lang: Lang, choices: &Choices) -> Vec<String> {
        let typed = if self.field(f).is_fresh() { "" } else { self.value(f) };
        let options: Vec<String> = match f {
            Field::Village => choices.villages.iter().map(|v| v.name.clone()).collect(),
            Field::Group => choices
                .villages
                .iter()
                .find(|v| v.name == self.value(Field::Village))
                .map(|v| v.groups.clone())
                .unwrap_or_default(),
            Field::Category => CATEGORIES.iter().map(|s| s.to_string()).collect(),
            Field::Channel => Channel::ALL.iter().map(|c| c.label(lang).to_string()).collect(),
            Field::Assignee => choices.cadres_for(self.value(Field::Village), self.value(Field::Group)),
            Field::Urgency => [Urgency::Normal, Urgency::Urgent, Urgency::Critical]
                .iter()
                .map(|u| u.label(lang).to_string())
                .collect(),
            _ => return Vec::new(),
        };
        pinyin::rank(typed, options)
    }

    /// Which of `found` (the focused field's completions) is highlighted:
    /// the one chosen with Ctrl+N/P; else the value itself while it is
    /// selected, or the best match of what was typed; none in an empty
    /// field. Tab and Enter take exactly this one.
    pub fn highlighted(&self, found: &[String]) -> Option<usize> {
        let text = self.field(self.focus);
        match self.pick {
            Some(i) => (i < found.len()).then_some(i),
            None if text.is_fresh() => found.iter().position(|o| o == text.value()),
            None if !text.value().trim().is_empty() && !found.is_empty() => Some(0),
            None => None,
        }
    }

    /// Ctrl+N / Ctrl+P: highlight the next or previous suggestion.
    pub fn move_pick(&mut self, forward: bool, lang: Lang, choices: &Choices) {
        let found = self.completions(self.focus, lang, choices);
        self.pick = step_pick(self.highlighted(&found), found.len(), forward);
    }

    /// Leave the focused field: complete a choice, check what was typed.
    /// False (with an error at the field) if the value cannot stand.
    pub fn accept(&mut self, lang: Lang, choices: &Choices) -> bool {
        let f = self.focus;
        self.error = None;
        let value = self.value(f).trim().to_string();
        match f.kind() {
            Kind::Choice => {
                let found = self.completions(f, lang, choices);
                match self.highlighted(&found).and_then(|i| found.get(i)) {
                    Some(pick) => {
                        let pick = pick.clone();
                        if pick != self.value(f) {
                            self.set(f, &pick);
                        }
                    }
                    None if value.is_empty() => {}
                    // A village or group not in the directory is offered
                    // to be added (one key) or corrected, never kept as
                    // typed letters; categories may be new; the closed
                    // lists may not.
                    None if matches!(f, Field::Village | Field::Group) => {
                        let ask = if f == Field::Group && self.value(Field::Village).trim().is_empty() {
                            Msg::ErrGroupNeedsVillage
                        } else {
                            Msg::AskAddPlace
                        };
                        self.error = Some((f, ask));
                        return false;
                    }
                    None if matches!(f, Field::Channel | Field::Urgency | Field::Assignee) => {
                        self.error = Some((f, Msg::ErrPickFromList));
                        return false;
                    }
                    None => {}
                }
            }
            Kind::Phone if !value.is_empty() => {
                let phone = normalize_phone(&value);
                if !is_valid_phone(&phone) {
                    self.error = Some((f, Msg::ErrPhone));
                    return false;
                }
                self.set(f, &phone);
            }
            Kind::Digits if value.is_empty() && f == Field::People => self.set(f, "1"),
            Kind::Text if f == Field::Reps && split_names(&value).len() > MAX_REPRESENTATIVES => {
                self.error = Some((f, Msg::ErrTooManyReps));
                return false;
            }
            _ => {}
        }
        self.pick = None;
        true
    }

    /// The group is not one of the village's known groups (a village
    /// changed under a group typed or filled for another).
    pub fn group_mismatch(&self, choices: &Choices) -> bool {
        let group = self.value(Field::Group).trim();
        let village = self.value(Field::Village).trim();
        !group.is_empty()
            && choices.villages.iter().find(|v| v.name == village).is_some_and(|v| !v.groups.iter().any(|g| g == group))
    }

    /// Move to the next (or previous) field that needs input.
    pub fn step(&mut self, forward: bool) {
        let n = Field::ORDER.len();
        let mut i = self.focus.index();
        for _ in 0..n {
            i = if forward { (i + 1) % n } else { (i + n - 1) % n };
            if !self.skipped(Field::ORDER[i]) {
                break;
            }
        }
        let wrapped = if forward { i <= self.focus.index() } else { i >= self.focus.index() };
        self.move_to(Field::ORDER[i], wrapped);
    }

    /// Put the cursor in `f`, as entering it by Tab would.
    pub fn focus_on(&mut self, f: Field) {
        self.move_to(f, false);
    }

    /// Issue 11 #1: a prefilled value is shown selected (and replaced by the
    /// first key) only the first time the cursor comes to it. The fields
    /// the cursor has gone past (by Tab, by the desk moving it on, or all of
    /// them once it wraps round) keep their value, caret at the end.
    fn move_to(&mut self, f: Field, wrapped: bool) {
        let from = self.focus.index();
        if from != f.index() {
            self.fields[from].pass();
        }
        for (i, field) in self.fields.iter_mut().enumerate() {
            if wrapped || i < f.index() {
                field.pass();
            }
        }
        self.focus = f;
        self.fields[f.index()].enter();
        self.pick = None;
    }

    /// 3270 autoskip: a complete mobile number moves on by itself. Asked
    /// only right after a key the field took: a number filled in from the
    /// resident's record never moves the cursor.
    pub fn autoskip_ready(&self) -> bool {
        let v = self.value(Field::Phone);
        self.focus == Field::Phone && v.len() == 11 && v.starts_with('1') && v.chars().all(|c| c.is_ascii_digit())
    }

    /// The first field still empty, where the work starts.
    pub fn first_empty(&self) -> Field {
        Field::ORDER.iter().copied().find(|f| !self.skipped(*f) && self.value(*f).is_empty()).unwrap_or(Field::Name)
    }

    /// Everything checked, as the store will get it; or the first field
    /// that stops the save, and why.
    pub fn to_intake(&self, lang: Lang) -> Result<Intake, (Field, Msg)> {
        let channel = Channel::ALL.iter().copied().find(|c| c.label(lang) == self.value(Field::Channel));
        let Some(channel) = channel else { return Err((Field::Channel, Msg::ErrPickFromList)) };
        if self.value(Field::Name).trim().is_empty() && channel != Channel::OpinionBox {
            return Err((Field::Name, Msg::ErrNameRequired));
        }
        let phone = normalize_phone(self.value(Field::Phone));
        if !phone.is_empty() && !is_valid_phone(&phone) {
            return Err((Field::Phone, Msg::ErrPhone));
        }
        if self.value(Field::Summary).trim().is_empty() {
            return Err((Field::Summary, Msg::ErrSummaryRequired));
        }
        let urgency = [Urgency::Normal, Urgency::Urgent, Urgency::Critical]
            .into_iter()
            .find(|u| u.label(lang) == self.value(Field::Urgency))
            .unwrap_or_default();
        // Too many digits for a count is a slip to say, not a 1 to store.
        let typed = self.value(Field::People).trim();
        if !typed.is_empty() && typed.parse::<u32>().map_or(true, |n| n > MAX_PEOPLE) {
            return Err((Field::People, Msg::ErrPeopleTooMany));
        }
        let people = self.people();
        let delegation = if people > 1 {
            let reps = split_names(self.value(Field::Reps));
            if reps.len() > MAX_REPRESENTATIVES {
                return Err((Field::Reps, Msg::ErrTooManyReps));
            }
            let speaks_for = self.value(Field::SpeaksFor).parse().unwrap_or(people).max(people);
            Some(Delegation { representatives: reps, speaks_for })
        } else {
            None
        };
        let assignee = self.value(Field::Assignee).trim();
        Ok(Intake {
            channel,
            name: self.value(Field::Name).trim().to_string(),
            phone,
            people,
            delegation,
            village: self.value(Field::Village).trim().to_string(),
            group: self.value(Field::Group).trim().to_string(),
            category: self.value(Field::Category).trim().to_string(),
            summary: self.value(Field::Summary).trim().to_string(),
            details: self.value(Field::Details).to_string(),
            urgency,
            assignee: (!assignee.is_empty()).then(|| assignee.to_string()),
        })
    }

    /// The value the previous intake had in this field ("dup").
    pub fn dup_value(f: Field, last: &Intake, lang: Lang) -> String {
        match f {
            Field::Name => last.name.clone(),
            Field::Phone => last.phone.clone(),
            Field::Village => last.village.clone(),
            Field::Group => last.group.clone(),
            Field::People => last.people.to_string(),
            Field::Reps => last.delegation.as_ref().map(|d| d.representatives.join(",")).unwrap_or_default(),
            Field::SpeaksFor => last.delegation.as_ref().map(|d| d.speaks_for.to_string()).unwrap_or_default(),
            Field::Category => last.category.clone(),
            Field::Summary => last.summary.clone(),
            Field::Details => last.details.clone(),
            Field::Channel => last.channel.label(lang).to_string(),
            Field::Assignee => last.assignee.clone().unwrap_or_default(),
            Field::Urgency => last.urgency.label(lang).to_string(),
        }
    }

    pub fn to_draft(&self, now: Timestamp) -> Draft {
        let mut fields: Vec<(String, String)> =
            Field::ORDER.iter().map(|f| (f.key().to_string(), self.value(*f).to_string())).collect();
        fields.push(("focus".into(), self.focus.key().into()));
        if let Some(q) = self.from_queue {
            fields.push(("queue".into(), format!("{} {}", q.day, q.number)));
        }
        if let Some(e) = self.from_diary {
            fields.push(("diary".into(), e.to_string()));
        }
        if let Some(c) = &self.from_call {
            fields.push(("call_leader".into(), c.leader.clone()));
            fields.push(("call_caller".into(), c.caller.clone()));
            fields.push(("call_phone".into(), c.phone.clone()));
            fields.push(("call_minutes".into(), c.minutes.map(|m| m.to_string()).unwrap_or_default()));
            fields.push(("call_note".into(), c.note.clone()));
        }
        if let Some(id) = self.id {
            fields.push(("id".into(), id.to_hex()));
        }
        Draft { form: DRAFT_NAME.into(), fields, saved_at: now }
    }

    pub fn restore(&mut self, draft: &Draft) {
        for (k, v) in &draft.fields {
            if let Some(f) = Field::ORDER.iter().find(|f| f.key() == k) {
                self.set(*f, v);
            } else if k == "focus" {
                if let Some(f) = Field::ORDER.iter().find(|f| f.key() == v) {
                    self.focus = *f;
                }
            } else if k == "id" {
                self.id = jiedai_protocol::CommandId::from_hex(v);
            } else if k == "diary" {
                self.from_diary = v.parse().ok();
            } else if let Some(part) = k.strip_prefix("call_") {
                // The handed-over call, a field at a time (a new matter: first).
                let c = self.from_call.get_or_insert_with(|| crate::domain::call::PhoneCall {
                    leader: String::new(),
                    caller: String::new(),
                    phone: String::new(),
                    minutes: None,
                    note: String::new(),
                    first: true,
                });
                match part {
                    "leader" => c.leader = v.clone(),
                    "caller" => c.caller = v.clone(),
                    "phone" => c.phone = v.clone(),
                    "minutes" => c.minutes = v.parse().ok(),
                    "note" => c.note = v.clone(),
                    _ => {}
                }
            } else if k == "queue" {
                let mut parts = v.split(' ');
                let day = parts.next().and_then(|d| d.parse().ok());
                let number = parts.next().and_then(|n| n.parse().ok());
                if let (Some(day), Some(number)) = (day, number) {
                    self.from_queue = Some(jiedai_protocol::QueueRef { day, number });
                }
            }
        }
    }
}

pub const DRAFT_NAME: &str = jiedai_protocol::INTAKE_DRAFT;

/// The suggestion after `current` (or before it), among `n`; from none,
/// the first (or the last).
pub fn step_pick(current: Option<usize>, n: usize, forward: bool) -> Option<usize> {
    if n == 0 {
        return None;
    }
    Some(match (current, forward) {
        (None, true) => 0,
        (None, false) => n - 1,
        (Some(i), true) => (i + 1) % n,
        (Some(i), false) => (i + n - 1) % n,
    })
}

/// Representatives as typed: separated by commas (either width), 、 or spaces.
pub fn split_names(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ' ', '\u{3000}', ';', '；'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}
