//! The township's ledger (台账) as CSV: written so that Excel and WPS on
//! Chinese Windows open it right (UTF-8 with BOM, formula-looking cells
//! neutralised, phone numbers kept as text), and read back from what the
//! office keeps (UTF-8 with or without BOM, or GBK), every bad line named.

use chrono::NaiveDate;

use crate::domain::time::{china_at, china_date};
use crate::domain::*;
use crate::i18n::{Lang, Msg};
use crate::store::{Command, Stamp};

pub const CASE_HEADERS: [&str; 22] = [
    "编号",
    "登记日期",
    "来源",
    "姓名",
    "电话",
    "村",
    "组",
    "人数",
    "类别",
    "事由",
    "详情",
    "承办人",
    "紧急程度",
    "状态",
    "再次反映次数",
    "受理日期",
    "办理期限",
    "办结日期",
    "办理结果",
    "办结理由",
    "回访次数",
    "最近回访满意度",
];

/// A cell as Excel must not read it: a formula (`=`, `+`, `-`, `@`, tab, CR)
/// gets a leading apostrophe.
fn safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Digits that must stay text (phones, ID numbers): `="13800138000"`, which
/// Excel and WPS show as the digits, not 1.38E+10.
fn digits_as_text(cell: &str) -> String {
    if !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || c == '-') {
        format!("=\"{cell}\"")
    } else {
        safe(cell)
    }
}

/// Undo what `safe` and `digits_as_text` did.
fn unsafe_cell(cell: &str) -> String {
    let c = cell.trim();
    if let Some(inner) = c.strip_prefix("=\"").and_then(|s| s.strip_suffix('"')) {
        return inner.to_string();
    }
    if let Some(rest) = c.strip_prefix('\'')
        && rest.starts_with(['=', '+', '-', '@', '\t', '\r'])
    {
        return rest.to_string();
    }
    c.to_string()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// One case as a ledger row, plain: the columns of `CASE_HEADERS`.
fn case_row(c: &Case) -> [String; 22] {
    let i = &c.intake;
    [
        c.no.to_string(),
        china_date(c.opened_at).to_string(),
        i.channel.label(Lang::Zh).to_string(),
        i.name.clone(),
        i.phone.clone(),
        i.village.clone(),
        i.group.clone(),
        i.people.to_string(),
        i.category.clone(),
        i.summary.clone(),
        i.details.clone(),
        c.assignee.clone().unwrap_or_default(),
        i.urgency.label(Lang::Zh).to_string(),
        c.status.label(Lang::Zh).to_string(),
        c.contacts.to_string(),
        date(c.accepted_on),
        date(c.due),
        date(c.conclusion.as_ref().map(|k| k.on)),
        c.conclusion.as_ref().map(|k| k.outcome.label(Lang::Zh).to_string()).unwrap_or_default(),
        c.conclusion.as_ref().map(|k| k.reason.clone()).unwrap_or_default(),
        c.follow_ups.len().to_string(),
        c.follow_ups.last().map(|f| f.satisfaction.label(Lang::Zh).to_string()).unwrap_or_default(),
    ]
}

/// Columns that hold digits which must stay text (phone numbers).
const TEXT_DIGITS: [usize; 1] = [4];
/// Columns that hold counts.
const NUMBERS: [usize; 3] = [7, 14, 20];

/// Cases as the ledger, one row each, in number order.
pub fn cases_csv(cases: &[(Case, Vec<Event>)], _lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(CASE_HEADERS)?;
        for (c, _) in cases {
            let row = case_row(c);
            let cells = row.iter().enumerate().map(|(n, cell)| {
                if TEXT_DIGITS.contains(&n) {
                    digits_as_text(cell)
                } else if NUMBERS.contains(&n) || n == 0 || n == 1 {
                    cell.clone()
                } else {
                    safe(cell)
                }
            });
            w.write_record(cells)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The ledger as the office keeps it in Excel: 台账 (one row per case,
/// Chinese headers, phone numbers as text, widths set, header frozen) and
/// 统计 (the report's sentences and figures).
pub fn cases_xlsx(
    cases: &[(Case, Vec<Event>)],
    stats: &crate::domain::stats::Stats,
    lang: Lang,
    today: NaiveDate,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name("台账")?;
    const WIDTHS: [f64; 22] = [
        11.0, 11.0, 8.0, 10.0, 14.0, 10.0, 8.0, 6.0, 10.0, 30.0, 40.0, 8.0, 8.0, 8.0, 8.0, 11.0, 11.0, 11.0, 12.0,
        30.0, 8.0, 12.0,
    ];
    for (n, (h, w)) in CASE_HEADERS.iter().zip(WIDTHS).enumerate() {
        let col = n as u16;
        sheet.write_string_with_format(0, col, *h, &bold)?;
        sheet.set_column_width(col, w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, (c, _)) in cases.iter().enumerate() {
        let row = r as u32 + 1;
        for (n, cell) in case_row(c).iter().enumerate() {
            let col = n as u16;
            match cell.parse::<f64>() {
                Ok(v) if NUMBERS.contains(&n) => {
                    sheet.write_number(row, col, v)?;
                }
                // Strings stay strings: a phone is never 1.38E+10, and a
                // cell that looks like a formula is never run.
                _ if n == 10 || n == 19 => {
                    sheet.write_string_with_format(row, col, cell, &wrap)?;
                }
                _ => {
                    sheet.write_string(row, col, cell)?;
                }
            }
        }
    }
    let report = book.add_worksheet();
    report.set_name("统计")?;
    report.set_column_width(0, 14.0)?;
    let mut row = 0;
    for s in stats.sentences(lang, today) {
        report.write_string(row, 0, &s)?;
        row += 1;
    }
    row += 1;
    let heads = ["来源", "接待群众(人次)", "登记", "受理", "办结", "落实", "回访", "满意"];
    for (n, h) in heads.iter().enumerate() {
        report.write_string_with_format(row, n as u16, *h, &bold)?;
    }
    for (ch, s) in &stats.by_channel {
        row += 1;
        report.write_string(row, 0, ch.label(Lang::Zh))?;
        for (n, v) in [s.people, s.registered, s.accepted, s.concluded, s.implemented, s.follow_ups, s.satisfied]
            .iter()
            .enumerate()
        {
            report.write_number(row, n as u16 + 1, *v as f64)?;
        }
    }
    book.save_to_buffer()
}

/// Text from a file the office made: UTF-8 (BOM or not), else GBK.
pub fn decode_text(bytes: &[u8]) -> Result<String, Msg> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
    if had_errors { Err(Msg::ErrEncoding) } else { Ok(text.into_owned()) }
}

/// What was wrong with one line of an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub reason: String,
}

/// A ledger row, checked, ready to become commands.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseRow {
    pub line: u64,
    pub registered: NaiveDate,
    pub intake: Intake,
    /// Further calls or visits, logged on the day it was registered.
    pub contacts: u32,
    pub accepted: Option<NaiveDate>,
    pub concluded: Option<(NaiveDate, Outcome, String)>,
    pub follow_ups: u32,
    pub satisfaction: Satisfaction,
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()
}

fn by_label<T: Copy>(all: &[T], label: impl Fn(T, Lang) -> &'static str, s: &str) -> Option<T> {
    all.iter().copied().find(|x| label(*x, Lang::Zh) == s || label(*x, Lang::En) == s)
}

/// Read the ledger: every line checked; all the errors, or all the rows.
pub fn parse_cases(text: &str, lang: Lang) -> (Vec<CaseRow>, Vec<LineError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return (rows, vec![LineError { line: 1, reason: e.to_string() }]),
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    for needed in ["登记日期", "事由"] {
        if col(needed).is_none() {
            errors.push(LineError { line: 1, reason: format!("{}: {needed}", Msg::ErrMissingColumn.text(lang)) });
        }
    }
    if !errors.is_empty() {
        return (rows, errors);
    }
    for (n, rec) in r.records().enumerate() {
        let line = n as u64 + 2;
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                errors.push(LineError { line, reason: e.to_string() });
                continue;
            }
        };
        let get = |name: &str| col(name).and_then(|i| rec.get(i)).map(unsafe_cell).unwrap_or_default();
        let bad = |m: Msg, v: String| LineError { line, reason: format!("{}: {v}", m.text(lang)) };
        let Some(registered) = parse_date(&get("登记日期")) else {
            errors.push(bad(Msg::ErrDate, get("登记日期")));
            continue;
        };
        let channel = match get("来源").as_str() {
            "" => Channel::Reception,
            s => match by_label(&Channel::ALL, Channel::label, s) {
                Some(c) => c,
                None => {
                    errors.push(bad(Msg::ErrPickFromList, s.to_string()));
                    continue;
                }
            },
        };
        let people = match get("人数").as_str() {
            "" => 1,
            s => match s.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    errors.push(bad(Msg::ErrDigitsOnly, s.to_string()));
                    continue;
                }
            },
        };
        let phone = text::normalize_phone(&get("电话"));
        if !phone.is_empty() && !text::is_valid_phone(&phone) {
            errors.push(bad(Msg::ErrPhone, phone));
            continue;
        }
        let summary = get("事由");
        if summary.is_empty() {
            errors.push(bad(Msg::ErrSummaryRequired, String::new()));
            continue;
        }
        let accepted = match get("受理日期").as_str() {
            "" => None,
            s => match parse_date(s) {
                Some(d) => Some(d),
                None => {
                    errors.push(bad(Msg::ErrDate, s.to_string()));
                    continue;
                }
            },
        };
        let concluded = match (get("办结日期").as_str(), get("办理结果").as_str()) {
            ("", "") => None,
            (d, o) => match (parse_date(d), by_label(&Outcome::ALL, Outcome::label, o)) {
                (Some(d), Some(o)) => {
                    let reason = get("办结理由");
                    Some((d, o, if reason.is_empty() { o.label(Lang::Zh).to_string() } else { reason }))
                }
                _ => {
                    errors.push(bad(Msg::ErrConclusion, format!("{d} {o}")));
                    continue;
                }
            },
        };
        let follow_ups = get("回访次数").parse().unwrap_or(0);
        let contacts = get("再次反映次数").parse().unwrap_or(0);
        let satisfaction = by_label(
            &[Satisfaction::Satisfied, Satisfaction::Mostly, Satisfaction::Unsatisfied],
            Satisfaction::label,
            &get("最近回访满意度"),
        )
        .unwrap_or(Satisfaction::Satisfied);
        let urgency =
            by_label(&[Urgency::Normal, Urgency::Urgent, Urgency::Critical], Urgency::label, &get("紧急程度"))
                .unwrap_or_default();
        let assignee = get("承办人");
        rows.push(CaseRow {
            line,
            registered,
            intake: Intake {
                channel,
                name: get("姓名"),
                phone,
                people,
                delegation: None,
                village: get("村"),
                group: get("组"),
                category: get("类别"),
                summary,
                details: get("详情"),
                urgency,
                assignee: (!assignee.is_empty()).then_some(assignee),
            },
            contacts,
            accepted,
            concluded,
            follow_ups,
            satisfaction,
        });
    }
    (rows, errors)
}

/// The commands that rebuild a row's case: registration, acceptance,
/// conclusion and its follow-ups, each on its own date. `no` is the number
/// the store will give the registration.
pub fn row_commands(row: &CaseRow, no: CaseNo, operator: &str) -> Vec<(Stamp, Command)> {
    let at = |d: NaiveDate| Stamp { at: china_at(d, 9, 0), operator: operator.to_string() };
    let mut out = vec![(at(row.registered), Command::Register { intake: row.intake.clone(), queue: None })];
    for _ in 0..row.contacts {
        out.push((
            at(row.registered),
            Command::Contact {
                case: no,
                channel: row.intake.channel,
                name: row.intake.name.clone(),
                people: 1,
                note: String::new(),
                queue: None,
            },
        ));
    }
    if let Some(d) = row.accepted {
        out.push((at(d), Command::Accept { case: no }));
    }
    if let Some((d, outcome, reason)) = &row.concluded {
        out.push((at(*d), Command::Conclude { case: no, outcome: *outcome, reason: reason.clone() }));
        for _ in 0..row.follow_ups {
            out.push((
                at(*d),
                Command::FollowUp {
                    case: no,
                    follow_up: FollowUp {
                        method: FollowUpMethod::Phone,
                        satisfaction: row.satisfaction,
                        note: String::new(),
                    },
                },
            ));
        }
    }
    out
}

/// Cadres: 姓名, 职务, 电话, 联系 (villages or groups, separated by 、 or ,).
pub fn parse_cadres(text: &str, lang: Lang) -> (Vec<Cadre>, Vec<LineError>) {
    parse_people(text, lang, |get| Cadre {
        name: get("姓名"),
        post: get("职务"),
        phone: text::normalize_phone(&get("电话")),
        covers: get("联系")
            .split(['、', ',', '，', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

/// Residents: 姓名, 电话, 村, 组.
pub fn parse_residents(text: &str, lang: Lang) -> (Vec<Resident>, Vec<LineError>) {
    parse_people(text, lang, |get| Resident {
        name: get("姓名"),
        phone: text::normalize_phone(&get("电话")),
        village: get("村"),
        group: get("组"),
    })
}

fn parse_people<T>(text: &str, lang: Lang, make: impl Fn(&dyn Fn(&str) -> String) -> T) -> (Vec<T>, Vec<LineError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return (out, vec![LineError { line: 1, reason: e.to_string() }]),
    };
    if !headers.iter().any(|h| h == "姓名") {
        return (out, vec![LineError { line: 1, reason: format!("{}: 姓名", Msg::ErrMissingColumn.text(lang)) }]);
    }
    for (n, rec) in r.records().enumerate() {
        let line = n as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(LineError { line, reason: e.to_string() });
                continue;
            }
        };
        let get = |name: &str| -> String {
            headers.iter().position(|h| h == name).and_then(|i| rec.get(i)).map(unsafe_cell).unwrap_or_default()
        };
        if get("姓名").is_empty() {
            errors.push(LineError { line, reason: Msg::ErrNameRequired.text(lang).to_string() });
            continue;
        }
        let phone = text::normalize_phone(&get("电话"));
        if !phone.is_empty() && !text::is_valid_phone(&phone) {
            errors.push(LineError { line, reason: format!("{}: {phone}", Msg::ErrPhone.text(lang)) });
            continue;
        }
        out.push(make(&get));
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_neutralised_and_read_back() {
        assert_eq!(safe("=1+1"), "'=1+1");
        assert_eq!(safe("-5"), "'-5");
        assert_eq!(safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe("正常"), "正常");
        assert_eq!(digits_as_text("13800138000"), "=\"13800138000\"");
        assert_eq!(unsafe_cell("=\"13800138000\""), "13800138000");
        assert_eq!(unsafe_cell("'=1+1"), "=1+1");
        assert_eq!(unsafe_cell("'abc"), "'abc");
    }

    #[test]
    fn gbk_files_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,电话\n唐科名,13765912345\n");
        assert_eq!(decode_text(&gbk).expect("gbk"), "姓名,电话\n唐科名,13765912345\n");
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc").expect("bom"), "abc");
    }
}
