//! The power-cut driver for tests/powercut/run.sh (not a user's tool).
//!
//! `powercut init DB`: make a database (closed cleanly).
//! `powercut run DB SEED`: open the database as the desk does and save, as
//! fast as it can, intakes (one in ten with a long text that sled puts in a
//! blob file of its own), notes on those cases and queue numbers, each
//! through `execute_once` with a command id as the desk sends them, with
//! drafts written between saves as the tick writes them. After each save
//! returns (the screen would now say "saved") one line goes to stdout:
//! `R key case`, `C key case` or `Q key day`. The script freezes it, cuts
//! the power and kills it.
//! `powercut verify DB LOG...`: every line of the logs is in the database
//! exactly once. Exit 1 with the problems otherwise; 2 if it does not open.

use std::io::Write;
use std::path::Path;

use jiedai::domain::*;
use jiedai::i18n::Lang;
use jiedai::store::{Command, Done, Draft, IdSource, Stamp, Store};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn intake(summary: &str, details: String) -> Intake {
    Intake {
        channel: Channel::Reception,
        name: "唐某".into(),
        phone: String::new(),
        people: 1,
        delegation: None,
        village: String::new(),
        group: String::new(),
        category: String::new(),
        summary: summary.into(),
        details,
        urgency: Urgency::Normal,
        assignee: None,
    }
}

fn open(db: &Path, read: bool) -> Store {
    let opened = if read { Store::open_read(db) } else { Store::open(db) };
    opened.unwrap_or_else(|e| {
        eprintln!("powercut: the database does not open: {}", e.user_message(Lang::En));
        std::process::exit(2)
    })
}

fn run(db: &Path, seed: u64) {
    let store = open(db, false);
    // The script cuts most often after this line, sometimes before it.
    eprintln!("powercut: opened");
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut ids = IdSource::new();
    let mut mine: Vec<CaseNo> = Vec::new();
    let out = std::io::stdout();
    for n in 0.. {
        let key = format!("pc-{seed}-{n}");
        let stamp = Stamp { at: chrono::Utc::now(), operator: "powercut".into() };
        let draft = Draft { form: "intake".into(), fields: vec![("summary".into(), key.clone())], saved_at: stamp.at };
        let _ = store.put_draft(&draft);
        let roll = rng.next() % 4;
        let line = if roll == 0 && !mine.is_empty() {
            let case = mine[(rng.next() % mine.len() as u64) as usize];
            let cmd = Command::Contact {
                case,
                channel: Channel::Phone,
                name: "唐某".into(),
                people: 1,
                note: key.clone(),
                queue: None,
            };
            store.execute_once(&stamp, ids.next_id(), cmd).map(|_| format!("C {key} {case}"))
        } else if roll == 1 {
            let cmd = Command::QueueAdd { name: key.clone(), village: String::new() };
            store
                .execute_once(&stamp, ids.next_id(), cmd)
                .map(|_| format!("Q {key} {}", jiedai::domain::time::china_date(stamp.at)))
        } else {
            let long = if rng.next().is_multiple_of(10) { "长".repeat(60_000) } else { String::new() };
            let cmd = Command::Register { intake: intake(&key, long), queue: None };
            match store.execute_once(&stamp, ids.next_id(), cmd) {
                Ok(Done::Registered(no)) => {
                    mine.push(no);
                    Ok(format!("R {key} {no}"))
                }
                Ok(other) => panic!("{other:?}"),
                Err(e) => Err(e),
            }
        };
        match line {
            Ok(line) => {
                let mut o = out.lock();
                let _ = writeln!(o, "{line}");
                let _ = o.flush();
            }
            Err(e) => {
                eprintln!("powercut: a save failed: {}", e.user_message(Lang::En));
                std::process::exit(3)
            }
        }
    }
}

fn verify(db: &Path, logs: &[String]) {
    let store = open(db, true);
    let cases = store.all_cases_newest_first().unwrap_or_else(|e| panic!("{}", e.user_message(Lang::En)));
    let mut problems = Vec::new();
    let mut checked = 0;
    for log in logs {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        for line in text.lines() {
            let parts: Vec<&str> = line.split(' ').collect();
            let [kind, key, at] = parts[..] else {
                // The last line may be cut short by the kill: never a whole save's.
                continue;
            };
            checked += 1;
            let found = match kind {
                "R" => cases.iter().filter(|c| c.intake.summary == key && c.no.to_string() == at).count(),
                "C" => cases
                    .iter()
                    .find(|c| c.no.to_string() == at)
                    .map(|c| {
                        format!("{:?}", store.events(c.no).unwrap_or_default()).matches(&format!("\"{key}\"")).count()
                    })
                    .unwrap_or(0),
                "Q" => {
                    let day = at.parse().unwrap_or_default();
                    store.queue(day).unwrap_or_default().iter().filter(|q| q.name == key).count()
                }
                _ => 1,
            };
            if found != 1 {
                problems.push(format!("{line}: found {found} times"));
            }
        }
    }
    // Nothing twice, reported or not.
    let mut summaries: Vec<&str> =
        cases.iter().map(|c| c.intake.summary.as_str()).filter(|s| s.starts_with("pc-")).collect();
    summaries.sort();
    for w in summaries.windows(2) {
        if w[0] == w[1] {
            problems.push(format!("{} registered twice", w[0]));
        }
    }
    println!("verified {checked} reported saves, {} cases", cases.len());
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("powercut: {p}");
        }
        std::process::exit(1)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("init") if args.len() == 3 => {
            let store = open(Path::new(&args[2]), false);
            if let Err(e) = store.close() {
                eprintln!("powercut: {}", e.user_message(Lang::En));
                std::process::exit(2)
            }
        }
        Some("run") if args.len() == 4 => run(Path::new(&args[2]), args[3].parse().unwrap_or(1)),
        Some("verify") if args.len() >= 3 => verify(Path::new(&args[2]), &args[3..]),
        _ => {
            eprintln!("usage: powercut init DB | run DB SEED | verify DB LOG...");
            std::process::exit(64)
        }
    }
}
