//! Amounts of money as officers write them: `20000`, `2万`, `2.05万`,
//! `3万元`, `20,000`, full-width digits. One parser for every amount field
//! (escalate, grant, findings cost) and for imports, so nothing is read
//! differently in two places.

use crate::i18n::Msg;

use super::event::RuleError;

/// The largest amount accepted, in yuan (1e12: far beyond any township's
/// request, and a sum of millions of them still fits in a u64).
pub const MAX_YUAN: u64 = 1_000_000_000_000;

/// Yuan as typed. The model keeps whole yuan, so `12.5` (5 jiao) is refused
/// rather than rounded; `2.05万` is 20500 and fine. Anything else is refused
/// whole: no character is ever dropped.
pub fn parse_yuan(s: &str) -> Result<u64, RuleError> {
    let bad = || RuleError(Msg::ErrAmount);
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .collect();
    let s = s.strip_suffix('元').unwrap_or(&s);
    let (s, scale) = match s.strip_suffix('万') {
        Some(rest) => (rest, 10_000u64),
        None => (s, 1),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |d: &str| !d.is_empty() && d.len() <= 13 && d.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !(frac.is_empty() || digits(frac)) || (s.contains('.') && frac.is_empty()) {
        return Err(bad());
    }
    // Whole yuan only: the fraction times the scale must come out even.
    let frac_den = 10u64.checked_pow(u32::try_from(frac.len()).map_err(|_| bad())?).ok_or_else(bad)?;
    let frac_num: u64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| bad())? };
    let int: u64 = int.parse().map_err(|_| bad())?;
    let frac_yuan = frac_num.checked_mul(scale).ok_or_else(bad)?;
    if frac_yuan % frac_den != 0 {
        return Err(RuleError(Msg::ErrAmountWholeYuan));
    }
    let yuan = int.checked_mul(scale).and_then(|y| y.checked_add(frac_yuan / frac_den)).ok_or_else(bad)?;
    check_yuan(yuan)?;
    Ok(yuan)
}

/// An amount from anywhere (a dialog, an import, a restore) may be stored?
pub fn check_yuan(yuan: u64) -> Result<(), RuleError> {
    if yuan > MAX_YUAN { Err(RuleError(Msg::ErrAmountTooLarge)) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_officers_write_amounts() {
        for (typed, yuan) in [
            ("20000", 20_000),
            ("2万", 20_000),
            ("2.05万", 20_500),
            ("2.5万", 25_000),
            ("3万元", 30_000),
            ("20000元", 20_000),
            ("２００００", 20_000),
            ("２．５万", 25_000),
            ("20,000", 20_000),
            ("1,000,000", 1_000_000),
            ("0", 0),
            (" 500 ", 500),
            ("1000000000000", MAX_YUAN),
        ] {
            assert_eq!(parse_yuan(typed), Ok(yuan), "{typed}");
        }
    }

    #[test]
    fn nothing_is_dropped_or_wrapped() {
        for typed in [
            "1e9",
            "约3万元",
            "99999999999999999999",
            "18446744073709551615",
            "2万5",
            "万",
            "",
            ".5",
            "5.",
            "-3",
            "1.2.3",
            "3万万",
        ] {
            assert!(parse_yuan(typed).is_err(), "{typed} accepted as {:?}", parse_yuan(typed));
        }
        assert_eq!(parse_yuan("12.5"), Err(RuleError(Msg::ErrAmountWholeYuan)));
        assert_eq!(parse_yuan("1.00001万"), Err(RuleError(Msg::ErrAmountWholeYuan)));
        assert_eq!(parse_yuan("1000000000001"), Err(RuleError(Msg::ErrAmountTooLarge)));
        assert_eq!(parse_yuan("100000001万"), Err(RuleError(Msg::ErrAmountTooLarge)));
    }
}
