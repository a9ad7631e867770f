//! What officers type into an action's fields, read as the domain's values:
//! dates, case numbers, quantities found on site.

use chrono::{Duration, NaiveDate};

use crate::domain::*;

/// Quantities as typed: `涵洞4处 塌方10处 里程10公里` (or with spaces,
/// commas, 、). Each is an item, a number, a unit.
pub fn parse_quantities(s: &str) -> Option<Vec<Quantity>> {
    let mut out = Vec::new();
    let mut item = String::new();
    let mut number = String::new();
    let mut unit = String::new();
    let flush = |item: &mut String, number: &mut String, unit: &mut String, out: &mut Vec<Quantity>| -> Option<()> {
        if item.is_empty() && number.is_empty() && unit.is_empty() {
            return Some(());
        }
        let n: f64 = number.parse().ok()?;
        out.push(Quantity { item: std::mem::take(item), number: n, unit: std::mem::take(unit) });
        number.clear();
        Some(())
    };
    // Commas and 、 end a quantity; a space ends one only once it has its
    // number and unit (`里程 2.5 公里` is one).
    let s: String = s
        .replace(['，', ',', '、', ';', '；'], "|")
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    for c in s.chars() {
        match c {
            '|' => flush(&mut item, &mut number, &mut unit, &mut out)?,
            ' ' | '\u{3000}' if !unit.is_empty() => flush(&mut item, &mut number, &mut unit, &mut out)?,
            ' ' | '\u{3000}' => {}
            c if c.is_ascii_digit() || (c == '.' && !number.is_empty()) => {
                if !unit.is_empty() {
                    flush(&mut item, &mut number, &mut unit, &mut out)?;
                }
                number.push(c);
            }
            c if number.is_empty() => item.push(c),
            c => unit.push(c),
        }
    }
    flush(&mut item, &mut number, &mut unit, &mut out)?;
    Some(out)
}

/// `2026-12-02`, `12-02` (this year), `12/2`, or `+2` days from today.
pub fn parse_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.', '／', '－'], "-");
    if let Some(n) = s.strip_prefix('+') {
        return n.parse::<i64>().ok().map(|n| today + Duration::days(n));
    }
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        return Some(d);
    }
    use chrono::Datelike;
    NaiveDate::parse_from_str(&format!("{}-{s}", today.year()), "%Y-%m-%d").ok()
}

/// `2026-0002`, or just `2` for this year's.
pub fn parse_case_no(s: &str, year: u16) -> Option<CaseNo> {
    let s = s.trim();
    if let Ok(no) = s.parse::<CaseNo>() {
        return Some(no);
    }
    s.parse::<u32>().ok().map(|seq| CaseNo { year, seq })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_typed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        assert_eq!(parse_date("+2", today), NaiveDate::from_ymd_opt(2026, 12, 2));
        assert_eq!(parse_date("12-02", today), NaiveDate::from_ymd_opt(2026, 12, 2));
        assert_eq!(parse_date("2027/1/5", today), NaiveDate::from_ymd_opt(2027, 1, 5));
        assert_eq!(parse_date("明天", today), None);
    }

    #[test]
    fn quantities_as_typed() {
        let q = parse_quantities("涵洞4处 塌方10处, 里程10公里").expect("parsed");
        let shown: Vec<String> = q.iter().map(|q| format!("{}{}{}", q.item, q.number, q.unit)).collect();
        assert_eq!(shown, ["涵洞4处", "塌方10处", "里程10公里"]);
        let q = parse_quantities("里程 2.5 公里").expect("parsed");
        assert_eq!((q[0].item.as_str(), q[0].number, q[0].unit.as_str()), ("里程", 2.5, "公里"));
        assert_eq!(parse_quantities(""), Some(vec![]));
        let q = parse_quantities("涵洞４处").expect("full-width digits");
        assert_eq!(q[0].number, 4.0);
        assert_eq!(parse_quantities("涵洞很多"), None);
    }

    #[test]
    fn case_numbers_as_typed() {
        assert_eq!(parse_case_no("2", 2026), Some(CaseNo { year: 2026, seq: 2 }));
        assert_eq!(parse_case_no("2025-0013", 2026), Some(CaseNo { year: 2025, seq: 13 }));
        assert_eq!(parse_case_no("x", 2026), None);
    }
}
