//! Matching Chinese by pinyin: `bdz` (initials), `badazhang` (full pinyin)
//! or a mix find 坝达章村. Every reading of a character counts (pinyin's
//! `heteronym`), since the first reading is wrong for surnames such as 单 曾 仇.

use pinyin::ToPinyinMulti;

fn readings(c: char) -> Vec<&'static str> {
    match c.to_pinyin_multi() {
        Some(multi) => multi.into_iter().map(|p| p.plain()).collect(),
        None => Vec::new(),
    }
}

/// Does `query` match `text` anywhere: as a case-insensitive substring, or
/// character by character through pinyin initials or whole syllables?
pub fn matches(query: &str, text: &str) -> bool {
    match_start(query, text).is_some()
}

/// Where in `text` (in characters) the match begins, so that completions
/// can rank `wz` -> 五组 before 坝汪组.
pub fn match_start(query: &str, text: &str) -> Option<usize> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Some(0);
    }
    let lower = text.to_lowercase();
    if let Some(byte) = lower.find(&query) {
        return Some(lower[..byte].chars().count());
    }
    if !query.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let q: Vec<char> = query.chars().collect();
    let t: Vec<char> = text.chars().collect();
    (0..t.len()).find(|start| match_from(&q, &t[*start..]))
}

/// The options `typed` matches, those matching from their start first,
/// otherwise in the list's own order; an exact match alone.
pub fn rank(typed: &str, options: Vec<String>) -> Vec<String> {
    if options.iter().any(|o| o == typed) {
        return vec![typed.to_string()];
    }
    let mut found: Vec<(usize, String)> =
        options.into_iter().filter_map(|o| match_start(typed, &o).map(|s| (s, o))).collect();
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, o)| o).collect()
}

fn match_from(q: &[char], t: &[char]) -> bool {
    let Some((&first, rest)) = t.split_first() else { return q.is_empty() };
    if q.is_empty() {
        return true;
    }
    if first.is_ascii() {
        return first.to_ascii_lowercase() == q[0] && match_from(&q[1..], rest);
    }
    for r in readings(first) {
        let r: Vec<char> = r.chars().collect();
        if r.first() == Some(&q[0]) && match_from(&q[1..], rest) {
            return true;
        }
        if r.len() > 1 && q.len() >= r.len() && q[..r.len()] == r[..] && match_from(&q[r.len()..], rest) {
            return true;
        }
        // The query may end part-way through a syllable: `badazh`.
        if q.len() < r.len() && r[..q.len()] == q[..] {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn initials_full_and_mixed() {
        assert!(matches("bdz", "坝达章村"));
        assert!(matches("badazhang", "坝达章村"));
        assert!(matches("bdzhang", "坝达章村"));
        assert!(matches("badazh", "坝达章村"));
        assert!(matches("zc", "坝达章村"));
        assert!(!matches("bdx", "坝达章村"));
        assert!(matches("tkm", "唐科名"));
    }

    #[test]
    fn every_reading_of_a_surname_counts() {
        assert!(matches("s", "单"));
        assert!(matches("d", "单"));
        assert!(matches("zeng", "曾"));
        assert!(matches("ceng", "曾"));
    }

    #[test]
    fn prefix_matches_rank_first() {
        assert_eq!(super::match_start("wz", "五组"), Some(0));
        assert_eq!(super::match_start("wz", "坝汪组"), Some(1));
        assert_eq!(super::match_start("汪", "坝汪组"), Some(1));
    }

    #[test]
    fn plain_substrings() {
        assert!(matches("2026-0001", "编号 2026-0001"));
        assert!(matches("坝汪", "坝达章村坝汪组"));
        assert!(matches("", "anything"));
    }
}
