//! The store on real temporary databases: atomic commands, rules refused
//! without a trace, cases rebuilt from their events, versioned records, the
//! lock message, durability under kill -9.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command as Proc, Stdio};

use chrono::NaiveDate;
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::i18n::{Lang, Msg};
use jiedai::store::{Command, Done, Record, Stamp, Store, StoreError, decode, encode};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn stamp(d: NaiveDate, h: u32) -> Stamp {
    Stamp { at: china_at(d, h, 0), operator: "测试员".into() }
}

fn intake(name: &str, summary: &str) -> Intake {
    Intake {
        channel: Channel::Reception,
        name: name.into(),
        phone: String::new(),
        people: 1,
        delegation: None,
        village: "坝达章村".into(),
        group: "五组".into(),
        category: "道路交通".into(),
        summary: summary.into(),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: None,
    }
}

fn register(store: &Store, d: NaiveDate, name: &str) -> CaseNo {
    match store.execute(&stamp(d, 9), Command::Register { intake: intake(name, "通组路损坏"), queue: None }) {
        Ok(Done::Registered(no)) => no,
        other => panic!("register failed: {other:?}"),
    }
}

#[test]
fn numbers_run_per_year_in_china_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    assert_eq!(register(&store, day(2026, 3, 1), "甲").to_string(), "2026-0001");
    assert_eq!(register(&store, day(2026, 3, 2), "乙").to_string(), "2026-0002");
    // 2027-01-01 00:30 in China is still 2026-12-31 in UTC: the China year counts.
    let at = china_at(day(2027, 1, 1), 0, 30);
    let done = store
        .execute(&Stamp { at, operator: "x".into() }, Command::Register { intake: intake("丙", "事"), queue: None });
    assert_eq!(done.expect("saved"), Done::Registered(CaseNo { year: 2027, seq: 1 }));
}

#[test]
fn a_refused_command_leaves_no_trace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let d = day(2026, 3, 1);
    let no = register(&store, d, "唐科名");
    let before = (store.case(no).expect("read"), store.events(no).expect("read"));
    // Concluding without a reason is refused, with the reason in both languages.
    let err = store
        .execute(&stamp(d, 10), Command::Conclude { case: no, outcome: Outcome::Explained, reason: "  ".into() })
        .expect_err("refused");
    assert_eq!(err.user_message(Lang::Zh), "请填写理由");
    assert_eq!(err.user_message(Lang::En), "A reason is required");
    // A follow-up that reopens must not half-happen on an open case.
    let err = store.execute(
        &stamp(d, 10),
        Command::FollowUp {
            case: no,
            follow_up: FollowUp {
                method: FollowUpMethod::Phone,
                satisfaction: Satisfaction::Unsatisfied,
                note: String::new(),
            },
        },
    );
    assert!(matches!(err, Err(StoreError::Rule(RuleError(Msg::ErrNotConcluded)))));
    // A merge into a case that does not exist touches neither side.
    let ghost = CaseNo { year: 2026, seq: 99 };
    assert!(matches!(
        store.execute(&stamp(d, 10), Command::Merge { from: no, into: ghost }),
        Err(StoreError::NoSuchCase(n)) if n == ghost
    ));
    assert_eq!((store.case(no).expect("read"), store.events(no).expect("read")), before);
    assert!(store.verify().expect("verify").0.is_empty());
}

#[test]
fn extension_once_and_at_most_thirty_days() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let d = day(2026, 3, 1);
    let no = register(&store, d, "甲");
    let early = store.execute(&stamp(d, 10), Command::Extend { case: no, days: 10, reason: "等待资金".into() });
    assert!(matches!(early, Err(StoreError::Rule(RuleError(Msg::ErrNotAccepted)))));
    store.execute(&stamp(d, 10), Command::Accept { case: no }).expect("accept");
    let case = store.case(no).expect("read").expect("case");
    assert_eq!(case.due, Some(day(2026, 4, 30)));
    assert_eq!(case.accept_by, day(2026, 3, 16));
    let long = store.execute(&stamp(d, 11), Command::Extend { case: no, days: 31, reason: "x".into() });
    assert!(matches!(long, Err(StoreError::Rule(RuleError(Msg::ErrExtensionTooLong)))));
    store.execute(&stamp(d, 11), Command::Extend { case: no, days: 30, reason: "等待资金".into() }).expect("extend");
    assert_eq!(store.case(no).expect("read").expect("case").due, Some(day(2026, 5, 30)));
    let twice = store.execute(&stamp(d, 12), Command::Extend { case: no, days: 5, reason: "再延".into() });
    assert!(matches!(twice, Err(StoreError::Rule(RuleError(Msg::ErrAlreadyExtended)))));
}

#[test]
fn text_is_cleaned_before_it_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let mut i = intake("唐\u{1b}]0;pwned\u{7}科名\u{202e}", "路\u{1b}[2J坏\u{9b}了\u{200b}");
    i.phone = "１３７ ６５９１ ２３４５".into();
    i.details = "第一行\r\n第二行\u{1b}[1;1H".into();
    let Done::Registered(no) =
        store.execute(&stamp(day(2026, 3, 1), 9), Command::Register { intake: i, queue: None }).expect("save")
    else {
        panic!("not registered")
    };
    let case = store.case(no).expect("read").expect("case");
    assert_eq!(case.intake.name, "唐]0;pwned科名");
    assert_eq!(case.intake.summary, "路[2J坏了");
    assert_eq!(case.intake.phone, "13765912345");
    assert_eq!(case.intake.details, "第一行\n第二行[1;1H");
}

#[test]
fn demo_cases_rebuild_from_their_events_and_the_road_case_goes_all_the_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let n = jiedai::demo::load(&store, common::today()).expect("demo");
    assert_eq!(n, 13);
    let (problems, count) = store.verify().expect("verify");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(count, 13);
    for case in store.all_cases().expect("cases") {
        let events = store.events(case.no).expect("events");
        assert_eq!(Case::replay(case.no, &events).as_ref(), Some(&case));
    }
    let road = store.case(CaseNo { year: 2026, seq: 1 }).expect("read").expect("road case");
    assert_eq!(road.intake.village, "坝达章村");
    assert_eq!(road.intake.group, "五组");
    assert_eq!(road.status, Status::FollowedUp);
    let d = road.intake.delegation.as_ref().expect("delegation");
    assert_eq!(d.representatives.len(), 3);
    let f = road.inspections[0].findings.as_ref().expect("findings");
    assert_eq!(f.quantities.iter().map(|q| q.item.as_str()).collect::<Vec<_>>(), ["涵洞", "塌方", "里程"]);
    assert_eq!(f.cost_yuan, 20_000);
    assert_eq!(road.escalations[0].granted_yuan, Some(20_500));
    assert_eq!(road.conclusion.as_ref().map(|c| c.outcome), Some(Outcome::Implemented));
    let kinds = common::steps(&store.events(road.no).expect("events"));
    assert_eq!(
        kinds,
        [
            "registered",
            "accepted",
            "inspection scheduled",
            "findings",
            "escalated",
            "granted",
            "concluded",
            "followed up"
        ]
    );
    let tang = store.cases_of_name("唐科名").expect("by name");
    assert_eq!(tang.len(), 1);
    assert_eq!(tang[0].contacts, 3);
    assert_eq!(tang[0].conclusion.as_ref().map(|c| c.outcome), Some(Outcome::Explained));
}

#[test]
fn an_unsatisfied_follow_up_reopens_with_a_fresh_deadline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let d = day(2026, 3, 1);
    let no = register(&store, d, "甲");
    store.execute(&stamp(d, 10), Command::Accept { case: no }).expect("accept");
    store
        .execute(&stamp(d, 11), Command::Conclude { case: no, outcome: Outcome::Implemented, reason: "已修".into() })
        .expect("conclude");
    assert_eq!(store.follow_ups_due().expect("due").len(), 1);
    let later = day(2026, 3, 10);
    store
        .execute(
            &stamp(later, 9),
            Command::FollowUp {
                case: no,
                follow_up: FollowUp {
                    method: FollowUpMethod::Visit,
                    satisfaction: Satisfaction::Unsatisfied,
                    note: "路又坏了".into(),
                },
            },
        )
        .expect("follow up");
    let case = store.case(no).expect("read").expect("case");
    assert_eq!(case.status, Status::InHand);
    assert_eq!(case.reopened, 1);
    assert_eq!(case.due, Some(day(2026, 5, 9)));
    assert!(store.follow_ups_due().expect("due").is_empty());
    assert_eq!(store.open_cases().expect("open").len(), 1);
    assert!(store.verify().expect("verify").0.is_empty());
}

#[test]
fn a_second_desk_is_told_who_holds_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _first = Store::open(dir.path()).expect("open");
    let Err(err) = Store::open(dir.path()) else { panic!("second open succeeded") };
    let StoreError::Locked(holder) = &err else { panic!("not a lock error: {err:?}") };
    assert_eq!(holder.pid, std::process::id().to_string());
    assert!(!holder.user.is_empty());
    let zh = err.user_message(Lang::Zh);
    assert!(zh.contains("数据库正被另一个 jiedai 使用"), "{zh}");
    assert!(zh.contains(&holder.user) && zh.contains(&holder.pid), "{zh}");
    assert!(!zh.contains("WouldBlock"));
    assert!(err.user_message(Lang::En).contains("in use by another jiedai"));
}

#[test]
fn database_files_are_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk");
    let store = Store::open(&path).expect("open");
    register(&store, day(2026, 3, 1), "甲");
    let mode = std::fs::metadata(&path).expect("dir").permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    for f in ["db", "conf", "jiedai.lock"] {
        let mode = std::fs::metadata(path.join(f)).expect("file").permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{f} is {mode:o}");
    }
}

// ---- versioned records ------------------------------------------------------

fn fixture_case() -> (Case, Event) {
    let mut i = intake("唐科名", "沿湖路建设损毁四亩多板栗树,要求赔偿");
    i.channel = Channel::Phone;
    i.phone = "13765912345".into();
    i.group = "坝汪组".into();
    i.delegation = Some(Delegation { representatives: vec!["唐科名".into()], speaks_for: 1 });
    let event = Event {
        at: china_at(day(2026, 3, 3), 20, 15),
        operator: "岑国仲".into(),
        kind: EventKind::Registered { intake: i, accept_by: day(2026, 3, 18) },
    };
    let mut case = Case::open(CaseNo { year: 2026, seq: 2 }, &event).expect("case");
    let concluded = Event {
        at: china_at(day(2026, 3, 15), 11, 0),
        operator: "岑国仲".into(),
        kind: EventKind::Concluded {
            outcome: Outcome::Explained,
            reason: "经多次解释,本人表示理解".into(),
            follow_up_due: Some(day(2026, 3, 22)),
        },
    };
    case.apply(&concluded);
    (case, concluded)
}

fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1").join(name)
}

/// Version-1 bytes, committed: a change to a stored type that would break
/// existing databases fails here. Regenerate only for a new version, with
/// JIEDAI_WRITE_FIXTURES=1, and keep decoding the old one.
#[test]
fn version_1_records_still_decode() {
    let (case, event) = fixture_case();
    let cadre = Cadre {
        name: "岑国仲".into(),
        post: "人大主席".into(),
        phone: "13908591001".into(),
        covers: vec!["坝达章村".into()],
    };
    if std::env::var_os("JIEDAI_WRITE_FIXTURES").is_some() {
        std::fs::write(fixture_path("case.bin"), encode(&case)).expect("write");
        std::fs::write(fixture_path("event.bin"), encode(&event)).expect("write");
        std::fs::write(fixture_path("cadre.bin"), encode(&cadre)).expect("write");
    }
    let read = |n: &str| std::fs::read(fixture_path(n)).expect("fixture present");
    assert_eq!(decode::<Case>(&read("case.bin")).expect("case v1"), case);
    assert_eq!(decode::<Event>(&read("event.bin")).expect("event v1"), event);
    assert_eq!(decode::<Cadre>(&read("cadre.bin")).expect("cadre v1"), cadre);
    // And the envelope says what it is.
    let bytes = read("case.bin");
    assert_eq!(&bytes[..4], &[b'J', <Case as Record>::KIND, 1, 0]);
}

#[test]
fn newer_or_foreign_records_are_refused_not_misread() {
    let (case, _) = fixture_case();
    let mut bytes = encode(&case);
    bytes[2] = 9;
    assert!(matches!(decode::<Case>(&bytes), Err(jiedai::store::CodecError::TooNew(9))));
    let cadre_bytes = std::fs::read(fixture_path("cadre.bin")).expect("fixture");
    assert!(matches!(decode::<Case>(&cadre_bytes), Err(jiedai::store::CodecError::WrongKind { .. })));
    assert!(decode::<Case>(b"garbage").is_err());
}

// ---- durability under kill -9 ---------------------------------------------

/// Set, to a database directory, only when `kill_9_after_saved_loses_nothing`
/// runs this test binary again as its child.
const CHILD_DB: &str = "JIEDAI_CHILD_DB";

/// The child's side: save cases one by one, printing each number only after
/// the store has returned (flushed), then wait to be killed. It never ends
/// well on its own: the parent must kill it.
fn save_until_killed(dir: &std::path::Path) -> ! {
    let store = Store::open(dir).expect("child: open the parent's database");
    let mut out = std::io::stdout().lock();
    for i in 0..200 {
        let no = register(&store, day(2026, 3, 1), &format!("居民{i}"));
        use std::io::Write;
        writeln!(out, "saved {no}").expect("stdout");
        out.flush().expect("flush");
    }
    std::thread::sleep(std::time::Duration::from_secs(30));
    eprintln!("child: never killed");
    std::process::exit(3)
}

#[test]
fn kill_9_after_saved_loses_nothing() {
    if let Some(dir) = std::env::var_os(CHILD_DB) {
        save_until_killed(std::path::Path::new(&dir));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for kill_after in [1usize, 37, 113] {
        // This same test, run again as the child.
        let mut child = Proc::new(std::env::current_exe().expect("test exe"))
            .args(["--exact", "kill_9_after_saved_loses_nothing", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("stdout");
        let mut saved = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("line");
            if let Some(no) = line.strip_prefix("saved ") {
                saved.push(no.parse::<CaseNo>().expect("case number"));
                if saved.len() == kill_after {
                    // SAFETY: sending a signal to our own child.
                    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
                    break;
                }
            }
        }
        let status = child.wait().expect("wait");
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        // The child really saved that many and was killed, not ended by itself.
        assert_eq!(saved.len(), kill_after, "the child ended after {} saves ({status}):\n{err}", saved.len());
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGKILL), "{status}:\n{err}");
        let store = Store::open(dir.path()).expect("reopen after kill -9");
        for no in &saved {
            assert!(store.case(*no).expect("read").is_some(), "{no} was saved but is gone");
        }
        let problems = store.verify().expect("verify").0;
        assert!(problems.is_empty(), "{problems:?}");
    }
}

#[test]
fn a_long_pasted_text_is_saved_whole_and_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Characters at random, lines of ten: text zstd cannot shrink much
    // (the database is compressed), so it still goes to a blob.
    let mut x = 1u64;
    let long: String = (0..220_000)
        .map(|i| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            if i % 11 == 10 { '\n' } else { char::from_u32(0x4e00 + ((x >> 33) % 20_000) as u32).unwrap_or('中') }
        })
        .collect();
    let no = {
        let store = Store::open(dir.path()).expect("open");
        let mut i = intake("甲", "长文");
        i.details = long.clone();
        let Done::Registered(no) =
            store.execute(&stamp(day(2026, 3, 1), 9), Command::Register { intake: i, queue: None }).expect("save")
        else {
            panic!("not registered")
        };
        // sled kept it in a blob file of its own, which we fsync.
        assert!(std::fs::read_dir(dir.path().join("blobs")).expect("blobs").count() > 0);
        no
    };
    let store = Store::open(dir.path()).expect("reopen");
    let case = store.case(no).expect("read").expect("case");
    assert_eq!(case.intake.details.len(), long.trim().len());
    assert!(store.verify().expect("verify").0.is_empty());
}

/// A database closed and opened again at once, while another thread of the
/// same process starts programs: each child holds a copy of the lock's
/// descriptor between its fork and its exec. Reopening must never report
/// this very process as the desk holding the database.
#[test]
fn reopening_while_other_threads_start_programs_is_never_locked_out_by_ourselves() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(Store::open(dir.path()).expect("open"));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let spawners: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = Proc::new("true").status();
                }
            })
        })
        .collect();
    let mut refused = Vec::new();
    for round in 0..150 {
        match Store::open(dir.path()) {
            Ok(store) => drop(store),
            Err(e) => refused.push(format!("round {round}: {e}")),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for s in spawners {
        s.join().expect("spawner");
    }
    assert!(refused.is_empty(), "{refused:#?}");
}
