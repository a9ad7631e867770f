//! Reading the papers back: a .docx opened as a zip, its text; and the
//! demo's 2026-02-12 as a whole reception day.

use std::io::Read as _;

use chrono::NaiveDate;
use jiedai::domain::time::china_at;
use jiedai::domain::*;
use jiedai::store::{Command, Done, Stamp, Store};

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The document's text as a reader sees it: a line per paragraph, a table
/// row as `| cell | cell |` (a cell's paragraphs joined by ` / `).
pub fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip");
    for part in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml"] {
        assert!(zip.by_name(part).is_ok(), "{part} missing");
    }
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).expect("utf-8");
    let (mut lines, mut para, mut cell, mut row) = (Vec::new(), String::new(), Vec::<String>::new(), Vec::new());
    let mut tables = 0;
    let mut rest = xml.as_str();
    while let Some(i) = rest.find('<') {
        let Some(j) = rest[i..].find('>') else { break };
        let tag = &rest[i + 1..i + j];
        let after = &rest[i + j + 1..];
        let name = tag.split([' ', '/']).next().unwrap_or("");
        match (name, tag.starts_with('/')) {
            ("w:t", false) if !tag.ends_with('/') => {
                let end = after.find("</w:t>").expect("closed text");
                para.push_str(&unescape(&after[..end]));
            }
            ("w:tbl", false) => tables += 1,
            ("", true) => match tag {
                "/w:tbl" => tables -= 1,
                "/w:p" if tables > 0 => cell.push(std::mem::take(&mut para)),
                "/w:p" => lines.push(std::mem::take(&mut para)),
                "/w:tc" => row.push(std::mem::take(&mut cell).join(" / ")),
                "/w:tr" => lines.push(format!("| {} |", std::mem::take(&mut row).join(" | "))),
                _ => {}
            },
            _ => {}
        }
        rest = after;
    }
    lines.join("\n")
}

fn stamp_at(d: NaiveDate, h: u32, m: u32, who: &str) -> Stamp {
    Stamp { at: china_at(d, h, m), operator: who.into() }
}

/// The demo's 2026-02-12, with the rest of that reception day at the
/// desk: 杨秀芬 (#1, registered, later not accepted), 吴明 (#2, did not
/// answer), the road delegation (registered at 10:05 without a number,
/// by the demo), 黄光明 (#3, a further visit about his earlier case).
pub fn reception_day(store: &Store) -> CaseNo {
    let d = day(2026, 2, 12);
    let run = |h, m, cmd| store.execute(&stamp_at(d, h, m, "岑国仲"), cmd).expect("saved");
    let queued = |h, m, name: &str, village: &str| match run(
        h,
        m,
        Command::QueueAdd { name: name.into(), village: village.into() },
    ) {
        Done::Queued(r) => r,
        other => panic!("{other:?}"),
    };
    let yang = queued(9, 0, "杨秀芬", "坪寨村");
    let wu = queued(9, 30, "吴明", "冷洞村");
    let huang = queued(10, 20, "黄光明", "纳省村");
    let intake = Intake {
        channel: Channel::Reception,
        name: "杨秀芬".into(),
        phone: "13885910011".into(),
        people: 1,
        delegation: None,
        village: "坪寨村".into(),
        group: "田坝组".into(),
        category: "其他".into(),
        summary: "在外务工被拖欠工资,要求乡里帮助追讨".into(),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: Some("黄德荣".into()),
    };
    let Done::Registered(yang_case) = run(9, 20, Command::Register { intake, queue: Some(yang) }) else {
        panic!("registered")
    };
    run(9, 40, Command::QueueNoShow(wu));
    // 黄光明 comes back about the power case he phoned in (demo: 2026-0007).
    let power = store.all_cases().expect("cases").into_iter().find(|c| c.intake.name == "黄光明").expect("case").no;
    run(
        10,
        40,
        Command::Contact {
            case: power,
            channel: Channel::Reception,
            name: "黄光明".into(),
            people: 2,
            note: "变压器仍未更换".into(),
            queue: Some(huang),
        },
    );
    store
        .execute(
            &stamp_at(day(2026, 2, 20), 9, 0, "黄德荣"),
            Command::Conclude {
                case: yang_case,
                outcome: Outcome::NotAccepted,
                reason: "所反映的工资拖欠属于劳动争议,应通过劳动仲裁解决".into(),
            },
        )
        .expect("concluded");
    yang_case
}

pub fn has(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing {w:?} in:\n{text}");
    }
}
