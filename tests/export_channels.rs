//! 民情日记 and 群众意见箱 beyond the desk (issue 15): the json export
//! carries the diary's entries and the box's openings, restore brings them
//! back exactly (all or nothing), `check` names every broken link, and
//! `recover` keeps them and says so. Real binary, database out.

use std::path::Path;
use std::process::Output;

use jiedai::domain::CaseNo;
use jiedai::domain::diary::{DiaryLine, Triage, Triaged};
use jiedai::domain::opinion_box::BoxOpening;
use jiedai::domain::stats::Period;
use jiedai::domain::time::china_date;
use jiedai::domain::{Channel, Intake, Outcome, Urgency};
use jiedai::i18n::Lang;
use jiedai::store::{Command, Export, Stamp, Store, diary_key, encode, opening_key};

fn jiedai_in(db: &Path, lang: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("JIEDAI_DB")
        .output()
        .expect("run jiedai")
}

fn jiedai(db: &Path, args: &[&str]) -> Output {
    jiedai_in(db, "zh_CN.UTF-8", args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The seed's diary (five lines: two cases, one attachment, two settled)
/// and its box session (ten slips, six of them later rectified), on the
/// demo's database.
fn seeded(db: &Path) {
    let store = Store::open(db).expect("open");
    let now = chrono::Utc::now();
    let today = china_date(now);
    jiedai::store::demo::load(&store, today).expect("demo");
    let stamp = Stamp { at: now, operator: "岑国仲".into() };
    let line = |village: &str, name: &str, request: &str| DiaryLine {
        village: village.into(),
        group: "五组".into(),
        name: name.into(),
        request: request.into(),
    };
    let lines = vec![
        line("坝达章村", "唐科名", "要求修通五组的组路"),
        line("纳省村", "黄光明", "变压器还是没修好"),
        line("冷洞村", "", "村口路灯坏了三盏"),
        line("坝达章村", "", "低保名单没有公示"),
        line("坪寨村", "杨老五", "问退耕还林补助"),
    ];
    store.execute(&stamp, Command::DiaryWrite { cadre: "岑国仲".into(), day: today, lines }).expect("diary");
    let open = store.open_cases().expect("open cases");
    let attach_to = open.iter().find(|c| c.intake.channel == Channel::Reception).expect("an open case").no;
    // A case made from an entry: the intake form the desk fills from it.
    let case = |village: &str, name: &str, category: &str, summary: &str| {
        Triage::NewCase(Box::new(Intake {
            channel: Channel::Diary,
            name: name.into(),
            phone: String::new(),
            people: 1,
            delegation: None,
            village: village.into(),
            group: "五组".into(),
            category: category.into(),
            summary: summary.into(),
            details: String::new(),
            urgency: Urgency::Normal,
            assignee: Some("岑国仲".into()),
        }))
    };
    let triages = [
        case("坝达章村", "唐科名", "道路交通", "要求修通五组的组路"),
        Triage::Attach { case: attach_to, name: "黄光明".into(), note: "变压器还是没修好".into() },
        Triage::Settle("已报供电所, 明天来修".into()),
        Triage::Settle("名单已张榜公示".into()),
        case("坪寨村", "杨老五", "退耕还林", "问退耕还林补助"),
    ];
    for (entry, triage) in (1..).zip(triages) {
        store.execute(&stamp, Command::DiaryTriage { entry, triage }).expect("triage");
    }
    let open_box =
        Command::BoxOpen {
            date: today, opened_by: "李明华".into(), witnesses: vec!["王志刚".into(), "黄德荣".into()]
        };
    store.execute(&stamp, open_box).expect("open the box");
    for i in 0..10 {
        let slip = Command::BoxSlip { opening: 1, category: "低保救助".into(), text: format!("第{i}条意见") };
        store.execute(&stamp, slip).expect("slip");
    }
    let slips = store.box_openings().expect("openings")[0].slips.clone();
    for no in &slips[..6] {
        let cmd = Command::Conclude { case: *no, outcome: Outcome::Implemented, reason: "已整改".into() };
        store.execute(&stamp, cmd).expect("conclude");
    }
    let cmd = Command::Conclude { case: slips[6], outcome: Outcome::Explained, reason: "已解释".into() };
    store.execute(&stamp, cmd).expect("conclude");
    store.close().expect("close");
}

/// What a database says of its diary and box, and the figures kept and
/// reported, for comparing two.
fn figures(db: &Path) -> (String, String, String) {
    let store = Store::open(db).expect("open");
    let today = china_date(chrono::Utc::now());
    let all = Period { from: today - chrono::Duration::days(3650), to: today };
    let stats = store.stats(all).expect("stats");
    let records = format!("{:?}\n{:?}", store.diary().expect("diary"), store.box_openings().expect("openings"));
    let kept = format!("{:?}\n{:?}", stats, store.box_tallies(None).expect("tallies"));
    let report = jiedai::cli::report_text(&stats, Lang::Zh, today);
    store.close().expect("close");
    (records, kept, report)
}

fn export_to(db: &Path, file: &Path) -> Vec<u8> {
    let out = jiedai(db, &["export", "--format", "json", "--out", path(file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::read(file).expect("read export")
}

#[test]
fn the_diary_and_the_box_go_out_and_come_back_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a");
    seeded(&a);
    let first = export_to(&a, &dir.path().join("a.json"));
    let export: Export = serde_json::from_slice(&first).expect("json");
    assert_eq!(export.diary.len(), 5);
    assert!(matches!(export.diary[2].triaged, Some(Triaged::Settled(ref n)) if n == "已报供电所, 明天来修"));
    assert_eq!(export.box_openings.len(), 1);
    let o = &export.box_openings[0];
    assert_eq!((o.opened_by.as_str(), o.witnesses.join(" "), o.slips.len()), ("李明华", "王志刚 黄德荣".into(), 10));
    // Streamed, it is the whole document.
    let whole = {
        let store = Store::open(&a).expect("open");
        let mut json = serde_json::to_vec_pretty(&store.export().expect("export")).expect("json");
        json.push(b'\n');
        store.close().expect("close");
        json
    };
    assert_eq!(text(&first), text(&whole));

    // Into a fresh database, and out again: byte for byte.
    let b = dir.path().join("b");
    let out = jiedai(&b, &["import", "json", path(&dir.path().join("a.json"))]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let second = export_to(&b, &dir.path().join("b.json"));
    assert_eq!(text(&first), text(&second));
    // The same entries and openings, the same kept figures, the same report.
    let (fa, fb) = (figures(&a), figures(&b));
    assert_eq!(fa.0, fb.0);
    assert_eq!(fa.1, fb.1);
    assert_eq!(fa.2, fb.2);
    assert!(fb.2.contains("李明华\t王志刚 黄德荣\t10\t6"), "{}", fb.2);
    let store = Store::open(&b).expect("open");
    let t = store.box_tallies(None).expect("tallies");
    assert_eq!((t.len(), t[0].slips, t[0].rectified), (1, 10, 6));
    // The counters go on after the restored numbers.
    let stamp = Stamp { at: chrono::Utc::now(), operator: "岑国仲".into() };
    let line =
        DiaryLine {
            village: "冷洞村".into(), group: String::new(), name: String::new(), request: "又一条".into()
        };
    let day = china_date(stamp.at);
    store.execute(&stamp, Command::DiaryWrite { cadre: "岑国仲".into(), day, lines: vec![line] }).expect("write");
    store.execute(&stamp, Command::BoxOpen { date: day, opened_by: "李明华".into(), witnesses: vec![] }).expect("open");
    assert_eq!(store.diary().expect("diary").iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    assert_eq!(store.box_openings().expect("openings").iter().map(|o| o.no).collect::<Vec<_>>(), [1, 2]);
    store.close().expect("close");
    // The restored database checks sound.
    let out = jiedai(&b, &["check"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));

    // A backup carries them too.
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).expect("mkdir");
    let out = jiedai(&a, &["backup", path(&backups)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = std::fs::read_dir(&backups).expect("ls").flatten().next().expect("a backup").path();
    let c = dir.path().join("c");
    let out = jiedai(&c, &["restore", path(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&export_to(&c, &dir.path().join("c.json"))), text(&first));
}

#[test]
fn an_older_export_without_them_still_restores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a");
    seeded(&a);
    let mut value: serde_json::Value =
        serde_json::from_slice(&export_to(&a, &dir.path().join("a.json"))).expect("json");
    let doc = value.as_object_mut().expect("object");
    assert!(doc.remove("diary").is_some() && doc.remove("box_openings").is_some());
    let old = dir.path().join("old.json");
    std::fs::write(&old, serde_json::to_vec_pretty(&value).expect("json")).expect("write");
    let b = dir.path().join("b");
    let out = jiedai(&b, &["import", "json", path(&old)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = Store::open(&b).expect("open");
    assert!(store.diary().expect("diary").is_empty() && store.box_openings().expect("openings").is_empty());
    assert!(!store.all_cases().expect("cases").is_empty());
    store.close().expect("close");
}

/// A file's numbers are kept as they are, gaps and all (a ranged or edited
/// export): `check` does not call the numbers it skipped lost; a number
/// lost after the import still is.
#[test]
fn numbers_skipped_by_an_imported_file_are_no_damage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a");
    seeded(&a);
    let mut export: Export = serde_json::from_slice(&export_to(&a, &dir.path().join("a.json"))).expect("json");
    export.box_openings[0].no = 5;
    let last = export.diary.len() - 1;
    export.diary[last].id = 9;
    let file = dir.path().join("skips.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&export).expect("json")).expect("write");
    let b = dir.path().join("b");
    let out = jiedai(&b, &["import", "json", path(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = jiedai(&b, &["check"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    // The next opening is #6; lose it and check says so.
    {
        let store = Store::open(&b).expect("open");
        let stamp = Stamp { at: chrono::Utc::now(), operator: "岑国仲".into() };
        let open_box = Command::BoxOpen {
            date: china_date(chrono::Utc::now()),
            opened_by: "李明华".into(),
            witnesses: vec!["王志刚".into()],
        };
        store.execute(&stamp, open_box).expect("open the box");
        store.execute(&stamp, open_box_again()).expect("open the box again");
        store.raw_meta(&opening_key(6), None).expect("remove");
        store.close().expect("close");
    }
    let out = jiedai(&b, &["check"]);
    assert!(!out.status.success());
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(said.contains("意见箱开箱 #6"), "{said}");
    assert!(!said.contains("意见箱开箱 #1") && !said.contains("民情日记 #5"), "{said}");
}

fn open_box_again() -> Command {
    Command::BoxOpen {
        date: china_date(chrono::Utc::now()),
        opened_by: "李明华".into(),
        witnesses: vec!["黄德荣".into()],
    }
}

/// A file whose links do not agree is refused whole, each link named.
#[test]
fn a_file_whose_links_do_not_agree_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a");
    seeded(&a);
    let mut export: Export = serde_json::from_slice(&export_to(&a, &dir.path().join("a.json"))).expect("json");
    let year = export.box_openings[0].slips[0].year;
    let gone = CaseNo { year, seq: 9999 };
    export.diary[0].triaged = Some(Triaged::Case(gone));
    // A reception case is not a slip.
    let reception = export.cases.iter().find(|c| c.case.intake.channel == Channel::Reception).expect("case").case.no;
    export.box_openings[0].slips.push(reception);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec_pretty(&export).expect("json")).expect("write");
    for (lang, want) in [
        (
            "zh_CN.UTF-8",
            [
                format!("民情日记 #1: 民情日记指向的案件不存在 ({gone})"),
                format!("意见箱开箱 #1: 开箱记录列出的案件不是意见箱渠道 ({reception})"),
            ],
        ),
        (
            "en_US.UTF-8",
            [
                format!("diary entry #1: a diary entry names a case that does not exist ({gone})"),
                format!("box opening #1: a box opening lists a case that is not an opinion-box slip ({reception})"),
            ],
        ),
    ] {
        let b = dir.path().join(format!("b-{lang}"));
        let out = jiedai_in(&b, lang, &["import", "json", path(&bad)]);
        assert!(!out.status.success());
        let err = text(&out.stderr);
        for w in want {
            assert!(err.contains(&w), "{w} in {err}");
        }
        let store = Store::open(&b).expect("open");
        assert!(store.all_cases().expect("cases").is_empty(), "nothing written");
        assert!(store.diary().expect("diary").is_empty() && store.box_openings().expect("openings").is_empty());
        store.close().expect("close");
    }
}

fn copy_db(from: &Path, to: &Path) {
    std::fs::create_dir(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("ls").flatten() {
        if e.file_type().expect("type").is_dir() {
            copy_db(&e.path(), &to.join(e.file_name()));
        } else if e.file_name() != "jiedai.lock" {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
        }
    }
}

/// `check` on a copy of the seeded database damaged by `damage`: it fails,
/// and says `want` (Chinese) and `want_en`.
fn check_names(seed: &Path, label: &str, damage: impl Fn(&Store), want: &str, want_en: &str) {
    let db = seed.with_file_name(label);
    copy_db(seed, &db);
    let store = Store::open(&db).expect("open");
    damage(&store);
    store.close().expect("close");
    let out = jiedai(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{label}: {}", text(&out.stdout));
    assert!(text(&out.stderr).contains(want), "{label}: {want} in {}", text(&out.stderr));
    let out = jiedai_in(&db, "en_US.UTF-8", &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(want_en), "{label}: {want_en} in {}", text(&out.stderr));
}

fn entry(store: &Store, id: u64) -> jiedai::domain::diary::DiaryEntry {
    store.diary_entry(id).expect("read").expect("entry")
}

fn opening(store: &Store) -> BoxOpening {
    store.box_openings().expect("openings").remove(0)
}

#[test]
fn check_names_each_broken_entry_and_opening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = dir.path().join("seed");
    seeded(&seed);
    let out = jiedai(&seed, &["check"]);
    assert!(out.status.success(), "sound as seeded: {}", text(&out.stderr));
    let (year, reception, unattached) = {
        let store = Store::open(&seed).expect("open");
        let cases = store.all_cases().expect("cases");
        let year = opening(&store).slips[0].year;
        let reception = cases.iter().find(|c| c.intake.channel == Channel::Reception).expect("case").no;
        let diary_case = match entry(&store, 1).triaged {
            Some(Triaged::Case(no)) => no,
            _ => panic!("entry 1 made a case"),
        };
        store.close().expect("close");
        (year, reception, diary_case)
    };
    let gone = CaseNo { year, seq: 9999 };
    let put = |store: &Store, key: Vec<u8>, bytes: Vec<u8>| store.raw_meta(&key, Some(&bytes)).expect("damage");

    check_names(
        &seed,
        "undecodable",
        |s| put(s, diary_key(2), b"junk".to_vec()),
        "记录无法解码: 民情日记 #2",
        "record does not decode: diary entry #2",
    );
    check_names(
        &seed,
        "entry-to-nothing",
        |s| {
            let mut e = entry(s, 1);
            e.triaged = Some(Triaged::Case(gone));
            put(s, diary_key(1), encode(&e));
        },
        &format!("民情日记指向的案件不存在: 民情日记 #1 (案件 {gone})"),
        &format!("a diary entry names a case that does not exist: diary entry #1 (case {gone})"),
    );
    check_names(
        &seed,
        "attached-without-contact",
        |s| {
            let mut e = entry(s, 2);
            e.triaged = Some(Triaged::Attached(unattached));
            put(s, diary_key(2), encode(&e));
        },
        &format!("民情日记并入的案件里没有民情日记的联系记录: 民情日记 #2 (案件 {unattached})"),
        &format!("diary entry #2 (case {unattached})"),
    );
    check_names(
        &seed,
        "opening-gone",
        |s| s.raw_meta(&opening_key(1), None).expect("remove"),
        "这一条不见了 (后面的编号已经用过): 意见箱开箱 #1",
        "is missing (later numbers were given out): box opening #1",
    );
    check_names(
        &seed,
        "opening-lists-a-non-slip",
        |s| {
            let mut o = opening(s);
            o.slips.push(reception);
            put(s, opening_key(1), encode(&o));
        },
        &format!("开箱记录列出的案件不是意见箱渠道: 意见箱开箱 #1 (案件 {reception})"),
        &format!("a box opening lists a case that is not an opinion-box slip: box opening #1 (case {reception})"),
    );
    check_names(
        &seed,
        "opening-lists-nothing",
        |s| {
            let mut o = opening(s);
            o.slips[3] = gone;
            put(s, opening_key(1), encode(&o));
        },
        &format!("开箱记录列出的意见案件不存在: 意见箱开箱 #1 (案件 {gone})"),
        &format!("a box opening lists a case that does not exist: box opening #1 (case {gone})"),
    );
    check_names(
        &seed,
        "counter-behind",
        |s| put(s, b"diary_next".to_vec(), encode(&jiedai::store::Counter(3))),
        "编号计数器落后, 下一条会覆盖已有的记录: 民情日记 #5",
        "its counter is behind: the next one would overwrite a record: diary entry #5",
    );
}

#[test]
fn recover_keeps_the_diary_and_the_box_and_says_what_it_did() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a");
    seeded(&a);
    // An opening naming a case that is nowhere: recover says so.
    let store = Store::open(&a).expect("open");
    let diary = store.diary().expect("diary");
    let mut o = opening(&store);
    let gone = CaseNo { year: o.slips[0].year, seq: 9999 };
    o.slips.push(gone);
    store.raw_meta(&opening_key(1), Some(&encode(&o))).expect("damage");
    store.close().expect("close");
    let r = dir.path().join("r");
    let out = jiedai(&a, &["recover", "--out", path(&r)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(said.contains("民情日记和意见箱开箱已保留: 5 条民情日记, 1 次开箱"), "{said}");
    assert!(said.contains(&format!("指向未能恢复的案件 (1):\n  意见箱开箱 #1 → {gone}")), "{said}");
    // The same entries and openings; numbers go on after the kept ones.
    let store = Store::open(&r).expect("open");
    assert_eq!(store.diary().expect("diary"), diary);
    assert_eq!(store.box_openings().expect("openings"), [o]);
    let stamp = Stamp { at: chrono::Utc::now(), operator: "李明华".into() };
    let cmd = Command::BoxOpen { date: china_date(stamp.at), opened_by: "李明华".into(), witnesses: vec![] };
    store.execute(&stamp, cmd).expect("open");
    assert_eq!(store.box_openings().expect("openings").len(), 2);
    store.close().expect("close");
}

/// `--from/--to` keep the entries written and the openings held in the
/// period, as they keep the cases opened in it.
#[test]
fn a_ranged_export_keeps_the_entries_and_openings_of_its_days() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a");
    seeded(&a);
    let today = china_date(chrono::Utc::now());
    for (from, entries, openings) in [(today, 5, 1), (today + chrono::Duration::days(1), 0, 0)] {
        let from = from.to_string();
        let out = jiedai(&a, &["export", "--format", "json", "--from", &from]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let export: Export = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!((export.diary.len(), export.box_openings.len()), (entries, openings), "from {from}");
        // Left out when none are kept, as in a file written before them.
        assert_eq!(text(&out.stdout).contains("\"diary\""), entries > 0);
    }
}
