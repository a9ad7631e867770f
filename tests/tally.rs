//! The Statistics tab's figures are kept per day in the store, changed in
//! each save's transaction (issue #16, item 5). Whatever the desk does, in
//! whatever order (registrations on every channel, contacts, acceptance,
//! conclusion, return visits, reopening, merging, imports, restores and the
//! database reopened between), the kept figures for any period must equal
//! the figures counted again from every case.

use chrono::NaiveDate;
use jiedai::domain::stats::Period;
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::store::{Command, Done, ImportRecord, Stamp, Store};
use proptest::prelude::*;

const VILLAGES: [&str; 3] = ["坝达章村", "麻栗坡村", ""];
const CATEGORIES: [&str; 3] = ["道路交通", "低保救助", ""];
const OPERATORS: [&str; 2] = ["测试员", "李干部"];

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

fn intake(channel: usize, village: usize, category: usize, people: u32, anonymous: bool) -> Intake {
    let channel = Channel::ALL[channel % Channel::ALL.len()];
    Intake {
        channel,
        name: if anonymous { String::new() } else { "张三".into() },
        phone: String::new(),
        people,
        delegation: None,
        village: VILLAGES[village % 3].into(),
        group: String::new(),
        category: CATEGORIES[category % 3].into(),
        summary: "通组路损坏".into(),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: None,
    }
}

#[derive(Clone, Debug)]
enum Op {
    Register {
        channel: usize,
        village: usize,
        category: usize,
        people: u32,
        anonymous: bool,
    },
    Linked {
        case: usize,
        channel: usize,
    },
    Contact {
        case: usize,
        channel: usize,
        people: u32,
    },
    Accept(usize),
    Extend(usize, u32),
    Conclude(usize, usize),
    FollowUp(usize, usize),
    Reopen(usize),
    Merge(usize, usize),
    Escalate(usize, u64),
    Grant(usize, u64),
    ContactReopen(usize),
    /// A ledger row imported: registered, accepted and perhaps concluded.
    Import {
        channel: usize,
        village: usize,
        conclude: bool,
    },
    Queue,
    Call(usize),
    /// A call on a leader's card (来电), a repeat or the first of its case.
    PhoneCall(usize, bool),
    /// The desk closed and opened again.
    ReopenStore,
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0usize..12;
    prop_oneof![
        4 => (0usize..5, 0usize..3, 0usize..3, 0u32..4, any::<bool>()).prop_map(|(channel, village, category, people, anonymous)| Op::Register { channel, village, category, people, anonymous }),
        1 => (c.clone(), 0usize..5).prop_map(|(case, channel)| Op::Linked { case, channel }),
        1 => (c.clone(), 0usize..5, 0u32..3).prop_map(|(case, channel, people)| Op::Contact { case, channel, people }),
        3 => c.clone().prop_map(Op::Accept),
        1 => (c.clone(), 1u32..20).prop_map(|(a, d)| Op::Extend(a, d)),
        3 => (c.clone(), 0usize..4).prop_map(|(a, o)| Op::Conclude(a, o)),
        2 => (c.clone(), 0usize..3).prop_map(|(a, s)| Op::FollowUp(a, s)),
        1 => c.clone().prop_map(Op::Reopen),
        1 => (c.clone(), c.clone()).prop_map(|(a, b)| Op::Merge(a, b)),
        1 => (c.clone(), 0u64..5000).prop_map(|(a, y)| Op::Escalate(a, y)),
        1 => (c.clone(), 0u64..5000).prop_map(|(a, y)| Op::Grant(a, y)),
        1 => c.clone().prop_map(Op::ContactReopen),
        1 => (0usize..5, 0usize..3, any::<bool>()).prop_map(|(channel, village, conclude)| Op::Import { channel, village, conclude }),
        1 => Just(Op::Queue),
        1 => (0usize..6).prop_map(Op::Call),
        1 => (c.clone(), any::<bool>()).prop_map(|(a, first)| Op::PhoneCall(a, first)),
        1 => Just(Op::ReopenStore),
    ]
}

const OUTCOMES: [Outcome; 4] = [Outcome::Implemented, Outcome::Explained, Outcome::NotUpheld, Outcome::Referred];
const SATISFACTION: [Satisfaction; 3] = [Satisfaction::Satisfied, Satisfaction::Mostly, Satisfaction::Unsatisfied];

/// Every period worth asking about: the whole run, each week, single days,
/// and periods ending before, on and after deadlines (the overdue).
fn periods(days: i64) -> Vec<Period> {
    let d = |n: i64| start() + chrono::Duration::days(n);
    let mut out = vec![Period { from: d(-30), to: d(days + 90) }];
    for n in (0..=days + 60).step_by(3) {
        out.push(Period { from: d(n), to: d(n) });
        out.push(Period { from: d(n), to: d(n + 6) });
        out.push(Period { from: d(0), to: d(n) });
    }
    out
}

fn assert_kept_equal_recount(store: &Store, days: i64) {
    for p in periods(days) {
        let kept = store.stats(p).expect("kept stats");
        let recount = store.stats_recounted(p).expect("recounted stats");
        assert_eq!(kept, recount, "period {p:?}");
    }
    let first = store.all_cases().expect("cases").iter().map(|c| time::china_date(c.opened_at)).min();
    assert_eq!(store.first_day().expect("first day"), first);
}

fn run(ops: Vec<(Op, u32)>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    store
        .execute(
            &Stamp { at: china_at(start(), 8, 0), operator: "测试员".into() },
            Command::PutCadre(Cadre {
                name: "李干部".into(),
                post: String::new(),
                phone: String::new(),
                covers: Vec::new(),
            }),
        )
        .expect("cadre");
    let mut at = china_at(start(), 9, 0);
    let mut cases: Vec<CaseNo> = Vec::new();
    let mut queue: Vec<jiedai::store::QueueRef> = Vec::new();
    let mut imports = 0u8;
    for (i, (op, hours)) in ops.into_iter().enumerate() {
        at += chrono::Duration::hours(i64::from(hours));
        let stamp = Stamp { at, operator: OPERATORS[i % 2].into() };
        let pick = |n: usize| cases.get(n % cases.len().max(1)).copied();
        let cmd = match op {
            Op::Register { channel, village, category, people, anonymous } => Some(Command::Register {
                intake: intake(channel, village, category, people, anonymous),
                queue: queue.pop(),
            }),
            Op::Linked { case, channel } => pick(case).map(|earlier| Command::RegisterLinked {
                intake: intake(channel, 0, 1, 1, false),
                queue: None,
                earlier,
            }),
            Op::Contact { case, channel, people } => pick(case).map(|case| Command::Contact {
                case,
                channel: Channel::ALL[channel],
                name: "张三".into(),
                people,
                note: "又来了".into(),
                queue: None,
            }),
            Op::Accept(c) => pick(c).map(|case| Command::Accept { case }),
            Op::Extend(c, days) => pick(c).map(|case| Command::Extend { case, days, reason: "等批复".into() }),
            Op::Conclude(c, o) => {
                pick(c).map(|case| Command::Conclude { case, outcome: OUTCOMES[o], reason: "已办".into() })
            }
            Op::FollowUp(c, s) => pick(c).map(|case| Command::FollowUp {
                case,
                follow_up: FollowUp {
                    method: FollowUpMethod::Phone,
                    satisfaction: SATISFACTION[s],
                    note: "回访".into(),
                },
            }),
            Op::Reopen(c) => pick(c).map(|case| Command::Reopen { case, reason: "不满意".into() }),
            Op::Merge(a, b) => match (pick(a), pick(b)) {
                (Some(from), Some(into)) => Some(Command::Merge { from, into }),
                _ => None,
            },
            Op::Escalate(c, y) => {
                pick(c).map(|case| Command::Escalate { case, to: "县民政局".into(), requested_yuan: y })
            }
            Op::Grant(c, y) => pick(c).map(|case| Command::Grant { case, granted_yuan: y, note: "批了".into() }),
            Op::ContactReopen(c) => pick(c).map(|case| Command::ContactReopen {
                case,
                channel: Channel::Reception,
                name: "张三".into(),
                people: 2,
                note: "又来了".into(),
                queue: None,
            }),
            Op::Import { channel, village, conclude } => {
                let un = jiedai::store::UNNUMBERED;
                let mut steps = vec![
                    (stamp.clone(), Command::Register { intake: intake(channel, village, 0, 1, false), queue: None }),
                    (stamp.clone(), Command::Accept { case: un }),
                ];
                if conclude {
                    steps.push((
                        stamp.clone(),
                        Command::Conclude { case: un, outcome: Outcome::Implemented, reason: "已办".into() },
                    ));
                }
                if let Ok(planned) = store.plan_case(steps) {
                    imports += 1;
                    let record = ImportRecord {
                        kind: "cases".into(),
                        file: format!("{imports}.csv"),
                        at,
                        operator: "测试员".into(),
                        cases: 1,
                        people: 0,
                    };
                    let numbers = store.import_all(&[imports; 32], &record, &[planned], &[]).expect("import");
                    cases.extend(numbers);
                }
                None
            }
            Op::Queue => Some(Command::QueueAdd { name: "王五".into(), village: "坝达章村".into() }),
            Op::Call(n) => queue.get(n % queue.len().max(1)).copied().map(Command::QueueCall),
            Op::PhoneCall(c, first) => pick(c).map(|case| Command::Call {
                case,
                call: jiedai::domain::call::PhoneCall {
                    leader: "岑国仲".into(),
                    caller: "唐科名".into(),
                    phone: "13800000000".into(),
                    minutes: Some(3),
                    note: "又打来了".into(),
                    first,
                },
            }),
            Op::ReopenStore => {
                store = store.reopen().expect("reopen");
                None
            }
        };
        if let Some(cmd) = cmd {
            match store.execute_unflushed(&stamp, cmd) {
                Ok(Done::Registered(no)) => cases.push(no),
                Ok(Done::Queued(r)) if !queue.contains(&r) => queue.push(r),
                _ => {}
            }
        }
    }
    let days = (time::china_date(at) - start()).num_days();
    assert_kept_equal_recount(&store, days);
    // A restore from the export keeps them too.
    let export = store.export().expect("export");
    let other = tempfile::tempdir().expect("tempdir");
    let restored = Store::open(other.path()).expect("open");
    restored.restore(&export).expect("restore");
    assert_kept_equal_recount(&restored, days);
    // And so does the database opened again.
    let store = store.reopen().expect("reopen");
    assert_kept_equal_recount(&store, days);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn kept_figures_always_equal_the_recount(ops in proptest::collection::vec((op(), 0u32..60), 1..40)) {
        run(ops);
    }
}

/// The desk's own demo, every period: the kept figures are the recount's.
#[test]
fn demo_figures_kept_equal_the_recount() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(["demo", "--db"])
        .arg(dir.path())
        .output()
        .expect("run jiedai demo");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = Store::open(dir.path()).expect("open");
    let first = store.first_day().expect("first").expect("demo has cases");
    let today = time::china_date(chrono::Utc::now());
    let mut from = first;
    while from <= today {
        for len in [0, 6, 30, 365] {
            let p = Period { from, to: from + chrono::Duration::days(len) };
            assert_eq!(store.stats(p).expect("kept"), store.stats_recounted(p).expect("recount"), "{p:?}");
        }
        from += chrono::Duration::days(5);
    }
}
