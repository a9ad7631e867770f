//! Reading the ledger and the lists of people: every row checked, every
//! problem named by the physical line its row starts on and by its column.

use chrono::NaiveDate;

use super::cells::unsafe_cell;
use super::limits;
use super::quotes;
use crate::domain::text::{self, quoted};
use crate::domain::*;
use crate::i18n::{Lang, Msg};

/// What was wrong with one row of an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// The physical line the row starts on (a quoted cell may span lines).
    pub line: u64,
    /// The column, when one cell is to blame.
    pub column: Option<String>,
    pub reason: String,
}

impl LineError {
    pub fn new(line: u64, column: Option<&str>, reason: impl Into<String>) -> LineError {
        LineError { line, column: column.map(String::from), reason: reason.into() }
    }

    /// `列: 原因`, or the reason alone.
    pub fn text(&self) -> String {
        match &self.column {
            Some(c) => format!("{c}: {}", self.reason),
            None => self.reason.clone(),
        }
    }
}

/// The rows of a file, and what was wrong. A `fatal` error (a missing
/// column, an unbalanced quote, too many rows) leaves the rows unknowable:
/// nothing is imported, even with --skip-bad.
#[derive(Clone, Debug, Default)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub errors: Vec<LineError>,
    pub fatal: bool,
}

impl<T> Parsed<T> {
    fn fatal(errors: Vec<LineError>) -> Parsed<T> {
        Parsed { rows: Vec::new(), errors, fatal: true }
    }
}

/// One row as read: its line, and its cells by header.
pub(super) struct Row<'a> {
    pub(super) line: u64,
    headers: &'a [String],
    record: csv::StringRecord,
}

impl Row<'_> {
    /// The cell under `name`, with what export did to it undone.
    pub(super) fn get(&self, name: &str) -> String {
        self.headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.record.get(i))
            .map(unsafe_cell)
            .unwrap_or_default()
    }
}

/// The table in `text`: headers checked, quotes balanced, rows counted and
/// every cell's size bounded; then `each` makes a row into a `T` or says
/// what is wrong with it.
pub(super) fn read_table<T>(
    text: &str,
    lang: Lang,
    required: &[&str],
    each: impl FnMut(&Row) -> Result<T, LineError>,
) -> Parsed<T> {
    let mut out = Parsed { rows: Vec::new(), errors: Vec::new(), fatal: false };
    let sink = |r: Result<T, LineError>| match r {
        Ok(t) => out.rows.push(t),
        Err(e) => out.errors.push(e),
    };
    if let Err(fatal) = scan_table(text, lang, required, each, sink) {
        return Parsed::fatal(fatal);
    }
    out
}

/// As `read_table`, row by row: each row (or what is wrong with it) goes
/// to `sink` as it is read, so that nothing but the text is held. A fatal
/// error stops it: the errors are returned, and the rows sent are void.
pub(super) fn scan_table<T>(
    text: &str,
    lang: Lang,
    required: &[&str],
    mut each: impl FnMut(&Row) -> Result<T, LineError>,
    mut sink: impl FnMut(Result<T, LineError>),
) -> Result<(), Vec<LineError>> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_string()).collect(),
        Err(_) => return Err(vec![LineError::new(1, None, Msg::ErrEncoding.text(lang))]),
    };
    let missing: Vec<LineError> = required
        .iter()
        .filter(|n| !headers.iter().any(|h| h == *n))
        .map(|n| LineError::new(1, None, format!("{}: {n}", Msg::ErrMissingColumn.text(lang))))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let quotes: Vec<LineError> = quotes::unbalanced(text)
        .into_iter()
        .map(|line| LineError::new(line, None, Msg::ErrUnbalancedQuote.text(lang)))
        .collect();
    if !quotes.is_empty() {
        return Err(quotes);
    }
    // The reader's own line count skips blank lines: count from the byte
    // where each row starts instead.
    let breaks: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    let line_at = |byte: u64| {
        // A row's position is where the last one ended: blank lines first.
        let start = text.as_bytes().iter().skip(byte as usize).take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let byte = byte as usize + start;
        breaks.partition_point(|&b| b < byte) as u64 + 1
    };
    for (n, rec) in r.records().enumerate() {
        let line = rec.as_ref().ok().and_then(|r| r.position()).map_or(n as u64 + 2, |p| line_at(p.byte()));
        if n >= limits::ROWS {
            let reason = format!("{} {}", Msg::ErrTooManyRows.text(lang), limits::ROWS);
            return Err(vec![LineError::new(line, None, reason)]);
        }
        let record = match rec {
            Ok(r) => r,
            Err(_) => {
                sink(Err(LineError::new(line, None, Msg::ErrEncoding.text(lang))));
                continue;
            }
        };
        let too_long = record.iter().enumerate().find_map(|(i, cell)| {
            let chars = cell.chars().count();
            (chars > limits::CELL_CHARS).then_some((i, chars))
        });
        if let Some((i, chars)) = too_long {
            let column = headers.get(i).cloned().unwrap_or_else(|| format!("{}", i + 1));
            let reason = format!("{}: {chars} > {}", Msg::ErrCellTooLong.text(lang), limits::CELL_CHARS);
            sink(Err(LineError { line, column: Some(column), reason }));
            continue;
        }
        sink(each(&Row { line, headers: &headers, record }));
    }
    Ok(())
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

/// `2026-03-01`, `2026/3/1` or `2026.3.1`, within the years a ledger holds.
pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.'], "-");
    let d = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()?;
    (limits::FIRST_DAY..=limits::LAST_DAY).contains(&d).then_some(d)
}

fn by_label<T: Copy>(all: &[T], label: impl Fn(T, Lang) -> &'static str, s: &str) -> Option<T> {
    all.iter().copied().find(|x| label(*x, Lang::Zh) == s || label(*x, Lang::En) == s)
}

/// Read the ledger: every row checked; all the errors, and the good rows.
pub fn parse_cases(text: &str, lang: Lang) -> Parsed<CaseRow> {
    read_table(text, lang, &["登记日期", "事由"], |row| case_row(row, lang))
}

/// The ledger row by row (see `scan_table`): for an import of any size,
/// read twice (checked, then written) rather than held.
pub fn each_case(text: &str, lang: Lang, sink: impl FnMut(Result<CaseRow, LineError>)) -> Result<(), Vec<LineError>> {
    scan_table(text, lang, &["登记日期", "事由"], |row| case_row(row, lang), sink)
}

fn case_row(row: &Row, lang: Lang) -> Result<CaseRow, LineError> {
    let line = row.line;
    let bad = |column: &str, m: Msg, value: &str| {
        let reason = if value.is_empty() {
            m.text(lang).to_string()
        } else {
            format!("{}: {}", m.text(lang), quoted(value, 40))
        };
        LineError::new(line, Some(column), reason)
    };
    let date = |column: &str| -> Result<Option<NaiveDate>, LineError> {
        match row.get(column).as_str() {
            "" => Ok(None),
            s => parse_date(s).map(Some).ok_or_else(|| bad(column, Msg::ErrImportDate, s)),
        }
    };
    // A count in 0..=max (or 1..=max), empty meaning `default`.
    let count = |column: &str, default: u32, min: u32, max: u32| -> Result<u32, LineError> {
        match row.get(column).as_str() {
            "" => Ok(default),
            s => match s.parse::<u64>() {
                Ok(n) if n < u64::from(min) => Err(bad(column, Msg::ErrDigitsOnly, s)),
                Ok(n) if n > u64::from(max) => Err(LineError::new(
                    line,
                    Some(column),
                    format!("{}: {} > {max}", Msg::ErrCountTooLarge.text(lang), quoted(s, 20)),
                )),
                Ok(n) => Ok(n as u32),
                Err(_) => Err(bad(column, Msg::ErrDigitsOnly, s)),
            },
        }
    };
    let Some(registered) = date("登记日期")? else { return Err(bad("登记日期", Msg::ErrImportDate, "")) };
    let channel = match row.get("来源").as_str() {
        "" => Channel::Reception,
        s => by_label(&Channel::ALL, Channel::label, s).ok_or_else(|| bad("来源", Msg::ErrPickFromList, s))?,
    };
    let people = count("人数", 1, 1, limits::PEOPLE)?;
    let phone = text::normalize_phone(&row.get("电话"));
    if !phone.is_empty() && !text::is_valid_phone(&phone) {
        return Err(bad("电话", Msg::ErrPhone, &phone));
    }
    let summary = row.get("事由");
    if summary.is_empty() {
        return Err(LineError::new(line, None, Msg::ErrSummaryRequired.text(lang)));
    }
    let accepted = date("受理日期")?;
    if accepted.is_some_and(|a| a < registered) {
        return Err(bad("受理日期", Msg::ErrAcceptedBeforeRegistered, &row.get("受理日期")));
    }
    let concluded = match (row.get("办结日期").as_str(), row.get("办理结果").as_str()) {
        ("", "") => None,
        (d, o) => match (parse_date(d), by_label(&Outcome::ALL, Outcome::label, o)) {
            (Some(d), Some(o)) => {
                let reason = row.get("办结理由");
                Some((d, o, if reason.is_empty() { o.label(Lang::Zh).to_string() } else { reason }))
            }
            (None, _) if !d.is_empty() => return Err(bad("办结日期", Msg::ErrImportDate, d)),
            _ => return Err(bad("办理结果", Msg::ErrConclusion, o)),
        },
    };
    if let Some((d, _, _)) = &concluded {
        let d = *d;
        if d < registered {
            return Err(bad("办结日期", Msg::ErrConcludedBeforeRegistered, &row.get("办结日期")));
        }
        if accepted.is_some_and(|a| d < a) {
            return Err(bad("办结日期", Msg::ErrConcludedBeforeAccepted, &row.get("办结日期")));
        }
    }
    let follow_ups = count("回访次数", 0, 0, limits::FOLLOW_UPS)?;
    let contacts = count("再次反映次数", 0, 0, limits::CONTACTS)?;
    let satisfaction = match row.get("最近回访满意度").as_str() {
        "" => Satisfaction::Satisfied,
        s => by_label(
            &[Satisfaction::Satisfied, Satisfaction::Mostly, Satisfaction::Unsatisfied],
            Satisfaction::label,
            s,
        )
        .ok_or_else(|| bad("最近回访满意度", Msg::ErrPickFromList, s))?,
    };
    let urgency = match row.get("紧急程度").as_str() {
        "" => Urgency::Normal,
        s => by_label(&[Urgency::Normal, Urgency::Urgent, Urgency::Critical], Urgency::label, s)
            .ok_or_else(|| bad("紧急程度", Msg::ErrPickFromList, s))?,
    };
    let assignee = row.get("承办人");
    Ok(CaseRow {
        line,
        registered,
        intake: Intake {
            channel,
            name: row.get("姓名"),
            phone,
            people,
            delegation: None,
            village: row.get("村"),
            group: row.get("组"),
            category: row.get("类别"),
            summary,
            details: row.get("详情"),
            urgency,
            assignee: (!assignee.is_empty()).then_some(assignee),
        },
        contacts,
        accepted,
        concluded,
        follow_ups,
        satisfaction,
    })
}

/// Cadres: 姓名, 职务, 电话, 联系 (villages or groups, separated by 、 or ,).
pub fn parse_cadres(text: &str, lang: Lang) -> Parsed<(u64, Cadre)> {
    parse_people(text, lang, |row| Cadre {
        name: row.get("姓名"),
        post: row.get("职务"),
        phone: text::normalize_phone(&row.get("电话")),
        covers: row
            .get("联系")
            .split(['、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

/// Residents: 姓名, 电话, 村, 组.
pub fn parse_residents(text: &str, lang: Lang) -> Parsed<(u64, Resident)> {
    parse_people(text, lang, |row| Resident {
        name: row.get("姓名"),
        phone: text::normalize_phone(&row.get("电话")),
        village: row.get("村"),
        group: row.get("组"),
    })
}

/// People, each with the line it was read from.
pub(super) fn parse_people<T>(text: &str, lang: Lang, make: impl Fn(&Row) -> T) -> Parsed<(u64, T)> {
    read_table(text, lang, &["姓名"], |row| {
        if row.get("姓名").is_empty() {
            return Err(LineError::new(row.line, Some("姓名"), Msg::ErrNameRequired.text(lang)));
        }
        let phone = text::normalize_phone(&row.get("电话"));
        if !phone.is_empty() && !text::is_valid_phone(&phone) {
            return Err(LineError::new(
                row.line,
                Some("电话"),
                format!("{}: {}", Msg::ErrPhone.text(lang), quoted(&phone, 40)),
            ));
        }
        Ok((row.line, make(row)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_named_by_the_line_they_start_on() {
        let text = "登记日期,事由,详情\n2026-03-01,路坏了,\"一\n二\n三\"\n\n2026-13-45,灯坏了,\n";
        let parsed = parse_cases(text, Lang::Zh);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![6]);
        assert_eq!(parsed.errors[0].column.as_deref(), Some("登记日期"));
    }

    #[test]
    fn limits_are_enforced_per_cell() {
        let text =
            format!("登记日期,事由,回访次数\n2026-03-01,{},\n2026-03-01,路,101\n", "长".repeat(limits::CELL_CHARS + 1));
        let parsed = parse_cases(&text, Lang::Zh);
        assert!(parsed.rows.is_empty());
        let cols: Vec<_> = parsed.errors.iter().map(|e| (e.line, e.column.clone())).collect();
        assert_eq!(cols, vec![(2, Some("事由".to_string())), (3, Some("回访次数".to_string()))]);
    }
}
