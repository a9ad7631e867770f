//! Text from anywhere (typed, pasted, imported) is cleaned before it is
//! stored: no control, bidi or zero-width character survives, so nothing a
//! resident's name contains can move the cursor or retitle the terminal.

/// Characters that must never be stored: C0/C1 controls, bidi overrides and
/// isolates, zero-width and invisible formatting characters.
fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{FEFF}'              // BOM / zero-width no-break space
            | '\u{061C}'              // Arabic letter mark
            | '\u{180E}'              // Mongolian vowel separator
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{00AD}'              // soft hyphen
        )
}

/// One-line text: every forbidden character removed, tabs and line breaks
/// become a space, runs of spaces at the ends trimmed.
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\t' | '\n' | '\r') {
            out.push(' ');
        } else if !is_forbidden(c) {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Multi-line text: as `clean_line`, but line breaks are kept (as `\n`).
pub fn clean_multiline(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = s
        .split('\n')
        .map(|line| line.chars().map(|c| if c == '\t' { ' ' } else { c }).filter(|c| !is_forbidden(*c)).collect())
        .collect();
    lines.join("\n").trim().to_string()
}

/// Text about to reach a terminal (a report, a ledger on stdout, a
/// message): every forbidden character dropped, as the desk's screen does,
/// but line breaks and tabs kept. Stored text is already clean; this is for
/// whatever came from elsewhere.
pub fn printable(s: &str) -> String {
    s.chars().filter(|&c| matches!(c, '\n' | '\t') || !is_forbidden(c)).collect()
}

/// A value quoted back in a message: printable, on one line, and short.
pub fn quoted(s: &str, max_chars: usize) -> String {
    let line = clean_line(s);
    match line.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// Phone numbers: full-width digits and separators become ASCII, spaces go.
pub fn normalize_phone(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '－' | '—' | '–' => Some('-'),
            '＋' => Some('+'),
            c if c.is_whitespace() || c == '\u{3000}' => None,
            c if is_forbidden(c) => None,
            c => Some(c),
        })
        .collect()
}

/// A mobile number (11 digits starting with 1) or a landline with its area
/// code (`0859-3224873`, `08593224873`).
pub fn is_valid_phone(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let mobile = digits.len() == 11 && digits.starts_with('1') && !s.contains('-');
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len()) && s.matches('-').count() <= 1;
    mobile || landline
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_are_removed() {
        let evil = "唐\u{1b}]0;pwned\u{7}科\u{1b}[2J名\u{9b}\u{202e}\u{200b}";
        assert_eq!(clean_line(evil), "唐]0;pwned科[2J名");
    }

    #[test]
    fn printable_keeps_lines_and_tabs_and_nothing_a_terminal_acts_on() {
        assert_eq!(printable("a\tb\n\u{1b}[2Jc\u{7}\u{9b}\u{202e}"), "a\tb\n[2Jc");
        assert_eq!(quoted("长长长长", 2), "长长…");
        assert_eq!(quoted("a\u{1b}b\nc", 10), "ab c");
    }

    #[test]
    fn multiline_keeps_breaks_only() {
        assert_eq!(clean_multiline("a\r\nb\u{1b}\rc"), "a\nb\nc");
        assert_eq!(clean_line("a\nb"), "a b");
    }

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("１３８ ００１３ ８０００"), "13800138000");
        assert!(is_valid_phone("13800138000"));
        assert!(is_valid_phone("0859-3224873"));
        assert!(!is_valid_phone("12345"));
        assert!(!is_valid_phone("1380013800a"));
    }
}
