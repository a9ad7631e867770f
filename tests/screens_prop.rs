//! Every screen (each tab, the case view with its menu and dialogs, help,
//! the queue and the form), filled with random Chinese, emoji and ASCII at
//! random sizes from 80x24 to 200x60, never draws a row wider than the
//! screen nor writes into half of a wide character.

mod common;

use chrono::Duration;
use common::cell_problems;
use jiedai::app::action::ActionKind;
use jiedai::app::{Action, AppState, Look, Snapshot, update};
use jiedai::domain::stats::{Period, Stats};
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope, key_for};
use jiedai::store::Done;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Text as residents and cadres write it: Chinese, emoji, ASCII and
/// full-width punctuation, mixed.
fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            5 => prop::char::range('\u{4E00}', '\u{9FA5}'),
            2 => prop::char::range('\u{1F300}', '\u{1F64F}'),
            4 => prop::char::range(' ', '~'),
            1 => prop::sample::select(vec!['，', '。', '（', '）', '：', '、', '！']),
        ],
        0..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn name() -> impl Strategy<Value = String> {
    words(8)
}

/// One case's texts; its timeline goes as far as `steps`.
#[derive(Clone, Debug)]
struct CaseText {
    name: String,
    phone: String,
    village: String,
    group: String,
    category: String,
    summary: String,
    details: String,
    other: String,
    note: String,
    steps: usize,
    people: u32,
}

fn case_text() -> impl Strategy<Value = CaseText> {
    (
        (name(), words(14), name(), name(), name()),
        (words(80), prop::collection::vec(words(60), 0..4), words(40), words(60)),
        0usize..13,
        1u32..200,
    )
        .prop_map(|((name, phone, village, group, category), (summary, details, other, note), steps, people)| {
            CaseText {
                name,
                phone,
                village,
                group,
                category,
                summary,
                details: details.join("\n"),
                other,
                note,
                steps,
                people,
            }
        })
}

fn today() -> chrono::NaiveDate {
    common::today()
}

/// A case and its timeline, from its texts: as many steps as it has.
fn build(no: u32, t: &CaseText) -> (Case, Vec<Event>) {
    let at = |d: i64| china_at(today() - Duration::days(40) + Duration::days(d), 9, 0);
    let ev = |d: i64, kind: EventKind| Event { at: at(d), operator: t.other.clone(), kind };
    let intake = Intake {
        channel: Channel::ALL[no as usize % 5],
        name: t.name.clone(),
        phone: t.phone.clone(),
        people: t.people,
        delegation: (t.people > 1)
            .then(|| Delegation { representatives: vec![t.name.clone(), t.other.clone()], speaks_for: t.people }),
        village: t.village.clone(),
        group: t.group.clone(),
        category: t.category.clone(),
        summary: t.summary.clone(),
        details: t.details.clone(),
        urgency: Urgency::Normal,
        assignee: Some(t.other.clone()),
    };
    let due = today() + Duration::days(i64::from(no % 7) * 10 - 30);
    let plan = InspectionPlan {
        date: today() + Duration::days(2),
        team: vec![t.other.clone(), t.name.clone()],
        place: t.note.clone(),
    };
    let all = vec![
        ev(0, EventKind::Registered { intake, accept_by: due }),
        ev(
            1,
            EventKind::Contact {
                channel: Channel::Phone,
                name: t.name.clone(),
                people: t.people,
                note: t.note.clone(),
            },
        ),
        ev(2, EventKind::Assigned { to: t.other.clone() }),
        ev(3, EventKind::Accepted { due }),
        ev(4, EventKind::Extended { days: 30, reason: t.note.clone(), due: due + Duration::days(30) }),
        ev(5, EventKind::InspectionScheduled(plan)),
        ev(
            6,
            EventKind::InspectionRecorded(Findings {
                date: today(),
                team: vec![t.other.clone()],
                place: t.village.clone(),
                findings: t.note.clone(),
                quantities: vec![Quantity { item: t.category.clone(), number: 4.0, unit: t.group.clone() }],
                cost_yuan: 20_000,
                recommendation: Recommendation::Escalate,
            }),
        ),
        ev(7, EventKind::Escalated { to: t.other.clone(), requested_yuan: 20_000 }),
        ev(8, EventKind::Note { text: t.details.clone() }),
        ev(9, EventKind::Granted { granted_yuan: 20_500, note: t.note.clone() }),
        ev(
            10,
            EventKind::Concluded {
                outcome: Outcome::Implemented,
                reason: t.note.clone(),
                follow_up_due: Some(today() - Duration::days(1)),
            },
        ),
        ev(
            11,
            EventKind::FollowedUp(FollowUp {
                method: FollowUpMethod::Visit,
                satisfaction: Satisfaction::Mostly,
                note: t.summary.clone(),
            }),
        ),
        ev(12, EventKind::Note { text: t.note.clone() }),
    ];
    let events: Vec<Event> = all.into_iter().take(t.steps + 1).collect();
    let no = CaseNo { year: 2026, seq: no };
    let case = Case::replay(no, &events).expect("a case");
    (case, events)
}

#[derive(Clone, Debug)]
struct World {
    size: (u16, u16),
    look: Look,
    operator: String,
    cases: Vec<CaseText>,
    queue: Vec<(String, String)>,
    cadres: Vec<String>,
    typed: String,
}

fn world() -> impl Strategy<Value = World> {
    (
        (80u16..=200, 24u16..=60, any::<bool>(), any::<bool>(), any::<bool>()),
        name(),
        prop::collection::vec(case_text(), 1..7),
        prop::collection::vec((name(), name()), 0..5),
        prop::collection::vec(name(), 1..4),
        words(50),
    )
        .prop_map(|((w, h, en, ascii, color), operator, cases, queue, cadres, typed)| World {
            size: (w, h),
            look: Look { lang: if en { Lang::En } else { Lang::Zh }, ascii, color },
            operator,
            cases,
            queue,
            cadres,
            typed,
        })
}

struct Screens {
    state: AppState,
    term: Terminal<TestBackend>,
    cases: Vec<(Case, Vec<Event>)>,
    problems: Vec<String>,
}

impl Screens {
    fn key(&mut self, key: Key) -> Vec<jiedai::app::Effect> {
        update(&mut self.state, Action::Key(key))
    }

    fn cmd(&mut self, scope: Scope, cmd: Cmd) -> Vec<jiedai::app::Effect> {
        let key = key_for(scope, cmd).unwrap_or_else(|| panic!("no key for {cmd:?} in {scope:?}"));
        self.key(key)
    }

    /// Draw the screen and note what is wrong with it.
    fn look_at(&mut self, what: &str) {
        let state = &self.state;
        let frame = self.term.draw(|f| jiedai::ui::render(state, f)).expect("draw");
        for p in cell_problems(frame.buffer) {
            self.problems.push(format!("{what}: {p}"));
        }
    }

    /// Open the selected case, as the loop would after `LoadCase`.
    fn open(&mut self, effects: Vec<jiedai::app::Effect>) -> bool {
        for e in effects {
            if let jiedai::app::Effect::LoadCase(no) = e
                && let Some((c, evs)) = self.cases.iter().find(|(c, _)| c.no == no).cloned()
            {
                update(&mut self.state, Action::CaseLoaded(Box::new(c), evs, Vec::new()));
                return true;
            }
        }
        false
    }
}

fn visit_every_screen(w: &World) -> Vec<String> {
    let now = china_at(today(), 10, 0);
    let mut state = AppState::new(w.look, &w.operator, now, w.size);
    let cases: Vec<(Case, Vec<Event>)> = w.cases.iter().enumerate().map(|(i, t)| build(i as u32 + 1, t)).collect();
    let list = |key: fn(&Case) -> Option<chrono::NaiveDate>| {
        let mut l: Vec<Case> = cases.iter().map(|(c, _)| c.clone()).filter(|c| key(c).is_some()).collect();
        l.sort_by_key(|c| (key(c), c.no));
        l
    };
    let queue: Vec<QueueEntry> = w
        .queue
        .iter()
        .enumerate()
        .map(|(i, (name, village))| QueueEntry {
            day: today(),
            number: i as u32 + 1,
            name: name.clone(),
            village: village.clone(),
            arrived_at: now - Duration::minutes(30),
            called_at: None,
            finished_at: None,
            status: [QueueStatus::Waiting, QueueStatus::NoShow, QueueStatus::Called][i % 3],
            case: None,
        })
        .collect();
    let cadres: Vec<Cadre> = w
        .cadres
        .iter()
        .map(|n| Cadre { name: n.clone(), post: w.operator.clone(), phone: String::new(), covers: Vec::new() })
        .collect();
    let villages: Vec<Village> =
        w.cases.iter().map(|c| Village { name: c.village.clone(), groups: vec![c.group.clone()] }).collect();
    let stats = Stats::count(Period { from: today() - Duration::days(365), to: today() }, &cases, &queue);
    let mut all: Vec<Case> = cases.iter().map(|(c, _)| c.clone()).collect();
    all.reverse();
    // The 名录 place shows the same names.
    let mut directory = jiedai::domain::Directory { township: w.operator.clone(), ..Default::default() };
    for v in &villages {
        let v: &Village = v;
        directory.apply(&jiedai::domain::DirChange::Village { name: v.name.clone(), groups: v.groups.clone() });
    }
    for c in &cadres {
        let c: &Cadre = c;
        let cadre = jiedai::domain::DirCadre {
            name: c.name.clone(),
            post: c.post.clone(),
            phone: c.phone.clone(),
            login: c.name.clone(),
            covers: c.covers.clone(),
        };
        directory.apply(&jiedai::domain::DirChange::Cadre(cadre));
    }
    let snapshot = Snapshot {
        directory,
        fresh: false,
        today: Some(today()),
        has_lists: [true; 4],
        open: list(Case::pending_key),
        inspections: list(Case::inspection_key),
        follow_ups: list(Case::follow_up_key),
        all,
        open_count: cases.len(),
        overdue_count: 1,
        duty_leader: cadres.first().cloned(),
        villages,
        cadres,
        queue,
        draft: None,
        dialog_drafts: Vec::new(),
        screen_drafts: Vec::new(),
        stats: Some(stats),
        diary: Vec::new(),
        openings: Vec::new(),
    };
    update(&mut state, Action::Loaded(Box::new(snapshot)));
    let term = Terminal::new(TestBackend::new(w.size.0, w.size.1)).expect("terminal");
    let mut s = Screens { state, term, cases: cases.clone(), problems: Vec::new() };

    // 登记: the form typed into, a returning resident's earlier cases, the
    // number shown large, the queue, an arrival being added.
    s.look_at("intake");
    update(&mut s.state, Action::Paste(w.typed.clone()));
    update(&mut s.state, Action::Earlier(cases.iter().map(|(c, _)| c.clone()).collect()));
    s.look_at("intake, earlier cases");
    for _ in 0..6 {
        s.cmd(Scope::Form, Cmd::NextField);
        update(&mut s.state, Action::Paste(w.typed.clone()));
    }
    s.look_at("intake, typed");
    update(&mut s.state, Action::Executed(Ok(Done::Registered(CaseNo { year: 2026, seq: 42 }))));
    s.look_at("intake, number shown");
    s.cmd(Scope::Global, Cmd::Help);
    s.look_at("help over the form");
    s.cmd(Scope::Help, Cmd::Back);
    s.cmd(Scope::Form, Cmd::Back);
    s.look_at("queue");
    s.cmd(Scope::Queue, Cmd::AddArrival);
    update(&mut s.state, Action::Paste(w.typed.clone()));
    s.look_at("adding an arrival");
    s.cmd(Scope::Adding, Cmd::Back);

    // The lists, filtered, each case opened, its menu, every dialog, help.
    for tab in [1u8, 2, 3, 5] {
        s.cmd(Scope::Global, Cmd::Tab(tab));
        if s.state.list(s.state.tab).is_some_and(|l| l.filtering) {
            s.cmd(Scope::Filter, Cmd::FilterDone);
        }
        s.look_at(&format!("tab {tab}"));
        s.cmd(Scope::List, Cmd::Filter);
        update(&mut s.state, Action::Paste(w.typed.chars().take(3).collect()));
        s.look_at(&format!("tab {tab}, filtering"));
        s.cmd(Scope::Filter, Cmd::FilterClear);
        s.cmd(Scope::List, Cmd::Help);
        s.look_at(&format!("tab {tab}, help"));
        s.cmd(Scope::Help, Cmd::Down);
        s.look_at(&format!("tab {tab}, help scrolled"));
        s.cmd(Scope::Help, Cmd::Back);
        let effects = s.cmd(Scope::List, Cmd::Open);
        if !s.open(effects) {
            continue;
        }
        // Opening from 实地查看/回访 goes straight to the tab's form.
        if s.state.detail.as_ref().is_some_and(|d| d.dialog.is_some()) {
            s.look_at(&format!("tab {tab}, the tab's form"));
            s.cmd(Scope::Dialog, Cmd::Back);
        }
        s.look_at(&format!("tab {tab}, case"));
        for _ in 0..3 {
            s.cmd(Scope::Detail, Cmd::PageDown);
            s.look_at(&format!("tab {tab}, case scrolled"));
        }
        s.cmd(Scope::Detail, Cmd::Open);
        s.look_at(&format!("tab {tab}, menu"));
        s.cmd(Scope::Menu, Cmd::Back);
        for kind in ActionKind::ALL {
            s.cmd(Scope::Detail, Cmd::Act(kind));
            update(&mut s.state, Action::Paste(w.typed.clone()));
            s.look_at(&format!("tab {tab}, dialog {kind:?}"));
            s.cmd(Scope::Dialog, Cmd::NextField);
            update(&mut s.state, Action::Paste(w.typed.clone()));
            s.look_at(&format!("tab {tab}, dialog {kind:?}, next field"));
            s.cmd(Scope::Dialog, Cmd::Back);
        }
        s.cmd(Scope::Detail, Cmd::Help);
        s.look_at(&format!("tab {tab}, help over a case"));
        s.cmd(Scope::Help, Cmd::Back);
        s.cmd(Scope::Detail, Cmd::Back);
    }

    // 统计: scrolled through, a period being typed.
    s.cmd(Scope::Global, Cmd::Tab(4));
    s.look_at("statistics");
    s.cmd(Scope::Stats, Cmd::Down);
    s.look_at("statistics, down");
    s.cmd(Scope::Stats, Cmd::Last);
    s.look_at("statistics, end");
    s.cmd(Scope::Stats, Cmd::PeriodRange);
    update(&mut s.state, Action::Paste(w.typed.clone()));
    s.look_at("statistics, period typed");
    s.cmd(Scope::Prompt, Cmd::PromptDone);
    s.look_at("statistics, period refused");

    // 名录: the rows, each editor with the typed text, its reading.
    s.cmd(Scope::Global, Cmd::Tab(6));
    s.look_at("directory");
    s.cmd(Scope::Directory, Cmd::Last);
    s.look_at("directory, end");
    for edit in [Cmd::DirVillages, Cmd::DirCadre, Cmd::DirDuty, Cmd::DirTownship] {
        s.cmd(Scope::Directory, edit);
        update(&mut s.state, Action::Paste(w.typed.clone()));
        s.look_at(&format!("directory, {edit:?} typed"));
        s.cmd(Scope::DirEdit, Cmd::Back);
    }
    s.problems
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn no_screen_draws_past_its_edge_or_into_half_a_wide_character(w in world()) {
        let problems = visit_every_screen(&w);
        prop_assert!(problems.is_empty(), "{} at {:?}:\n{}", problems.len(), w.size, problems.join("\n"));
    }
}
