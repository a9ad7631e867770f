//! The ledger's rows, and the ledger as CSV for other programs (UTF-8 with
//! BOM, formula-looking cells neutralised, phone numbers kept as text). The
//! workbook for people is in `xlsx`.

use chrono::NaiveDate;

use super::cells::{digits_as_text, excel_len, excel_prefix, safe};
use crate::domain::text::printable;
use crate::domain::time::china_date;
use crate::domain::*;
use crate::i18n::{Lang, Msg};

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

/// Columns that hold digits which must stay text (phone numbers).
const TEXT_DIGITS: [usize; 1] = [4];
/// Columns that hold counts.
const NUMBERS: [usize; 3] = [7, 14, 20];
/// Excel's most characters in a cell (UTF-16 units).
pub const EXCEL_CELL: usize = 32_767;

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// One case as a ledger row, plain: the columns of `CASE_HEADERS`, with
/// nothing in them a terminal or a spreadsheet would act on.
pub(super) fn case_row(c: &Case) -> [String; 22] {
    let i = &c.intake;
    [
        c.no.to_string(),
        china_date(c.opened_at).to_string(),
        i.channel.label(Lang::Zh).to_string(),
        printable(&i.name),
        printable(&i.phone),
        printable(&i.village),
        printable(&i.group),
        i.people.to_string(),
        printable(&i.category),
        printable(&i.summary),
        printable(&i.details),
        printable(c.assignee.as_deref().unwrap_or_default()),
        i.urgency.label(Lang::Zh).to_string(),
        c.status.label(Lang::Zh).to_string(),
        c.contacts.to_string(),
        date(c.accepted_on),
        date(c.due),
        date(c.conclusion.as_ref().map(|k| k.on)),
        c.conclusion.as_ref().map(|k| k.outcome.label(Lang::Zh).to_string()).unwrap_or_default(),
        c.conclusion.as_ref().map(|k| printable(&k.reason)).unwrap_or_default(),
        c.follow_ups.len().to_string(),
        c.follow_ups.last().map(|f| f.satisfaction.label(Lang::Zh).to_string()).unwrap_or_default(),
    ]
}

/// Cases as the ledger, one row each, in number order.
pub fn cases_csv(cases: &[(Case, Vec<Event>)], _lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut w = CsvCases::new(Vec::from(BOM))?;
    for (c, _) in cases {
        w.push(c)?;
    }
    w.finish()
}

/// The byte order mark Excel needs to read the CSV as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The ledger's CSV written a row at a time (the export streams it): the
/// header first (after the `BOM`, which the caller writes), then `push`
/// each case in number order.
pub struct CsvCases<W: std::io::Write> {
    w: csv::Writer<W>,
}

impl<W: std::io::Write> CsvCases<W> {
    pub fn new(out: W) -> Result<CsvCases<W>, csv::Error> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(CASE_HEADERS)?;
        Ok(CsvCases { w })
    }

    pub fn push(&mut self, c: &Case) -> Result<(), csv::Error> {
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
        self.w.write_record(cells)
    }

    pub fn finish(self) -> Result<W, csv::Error> {
        self.w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
}

/// A cell cut to fit Excel: which case, which column, how long it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub case: CaseNo,
    pub column: &'static str,
    pub chars: usize,
}

/// `cell` as Excel can hold it: whole, or its start and a visible mark
/// saying how long the whole was and where to find it.
pub(super) fn fit(cell: &str, lang: Lang) -> Option<String> {
    let len = excel_len(cell);
    if len <= EXCEL_CELL {
        return None;
    }
    let mark =
        format!("…【{} {} {}】", Msg::XlsxCutMark.text(lang), cell.chars().count(), Msg::XlsxCutWhere.text(lang));
    let keep = excel_prefix(cell, EXCEL_CELL - excel_len(&mark));
    Some(format!("{keep}{mark}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_over_excels_limit_is_cut_to_fit_with_its_mark() {
        assert_eq!(fit("短", Lang::Zh), None);
        let long = "长".repeat(40_000);
        let cut = fit(&long, Lang::Zh).expect("cut");
        assert_eq!(excel_len(&cut), EXCEL_CELL);
        assert!(cut.ends_with(&format!(
            "{} 40000 {}】",
            Msg::XlsxCutMark.text(Lang::Zh),
            Msg::XlsxCutWhere.text(Lang::Zh)
        )));
        // Astral characters count twice, as Excel counts them.
        let emoji = "😀".repeat(20_000);
        assert!(excel_len(&fit(&emoji, Lang::En).expect("cut")) <= EXCEL_CELL);
    }
}
