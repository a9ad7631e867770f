//! One cell of the ledger, as Excel and WPS must read it and as we read it
//! back.

/// A cell as Excel must not read it: a formula (`=`, `+`, `-`, `@`, tab, CR)
/// gets a leading apostrophe.
pub fn safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Digits that must stay text (phones, ID numbers): `="13800138000"`, which
/// Excel and WPS show as the digits, not 1.38E+10.
pub fn digits_as_text(cell: &str) -> String {
    if !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || c == '-') {
        format!("=\"{cell}\"")
    } else {
        safe(cell)
    }
}

/// Undo what `safe` and `digits_as_text` did.
pub fn unsafe_cell(cell: &str) -> String {
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

/// Length as Excel counts it: UTF-16 code units.
pub fn excel_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The longest start of `s` that is at most `max` UTF-16 units long.
pub fn excel_prefix(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
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
    fn excel_counts_utf16_units() {
        assert_eq!(excel_len("长😀"), 3);
        assert_eq!(excel_prefix("长😀长", 2), "长");
        assert_eq!(excel_prefix("长😀长", 3), "长😀");
        assert_eq!(excel_prefix("ab", 5), "ab");
    }
}
