//! Fast filtering of long lists: each row's text is turned once into a
//! search key (lowercase text, then pinyin initials), and a query word is
//! then one SIMD substring search (memchr's memmem) per row. Every reading of
//! the person's name is indexed too (单 shan/dan, 曾 zeng/ceng), where a
//! first reading is often wrong for a surname.

use memchr::memmem::Finder;
use pinyin::ToPinyinMulti;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchKey {
    /// `text \0 initials \0 other-name-initials...`: one haystack.
    hay: Box<str>,
}

/// Between fields and words: "bdz" cannot span a space or two fields.
const SEP: char = '|';
/// Between the parts of the haystack; never in a query.
const PART: char = '\0';

fn initial(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() {
        out.push(c.to_ascii_lowercase());
    } else if let Some(p) = c.to_pinyin_multi().and_then(|m| m.get_opt(0)) {
        out.push_str(p.first_letter());
    } else {
        out.push(SEP);
    }
}

/// Initials of the name's other reading combinations (at most 16).
fn name_alternatives(name: &str) -> Vec<String> {
    let mut combos = vec![String::new()];
    for c in name.chars() {
        let firsts: Vec<&'static str> = match c.to_pinyin_multi() {
            Some(m) => {
                let mut f: Vec<&'static str> = m.into_iter().map(|p| p.first_letter()).collect();
                f.dedup();
                f
            }
            None => Vec::new(),
        };
        if firsts.is_empty() {
            let lc = c.to_lowercase().to_string();
            combos.iter_mut().for_each(|s| s.push_str(&lc));
            continue;
        }
        combos = combos.iter().flat_map(|s| firsts.iter().map(move |f| format!("{s}{f}"))).take(16).collect();
    }
    combos.into_iter().skip(1).collect()
}

impl SearchKey {
    /// The key for a name and the other texts a row is found by.
    pub fn new(name: &str, others: &[&str]) -> SearchKey {
        let mut hay = name.to_lowercase();
        for o in others {
            hay.push(SEP);
            hay.push_str(&o.to_lowercase());
        }
        hay.push(PART);
        for c in name.chars() {
            initial(c, &mut hay);
        }
        for o in others {
            hay.push(SEP);
            for c in o.chars() {
                initial(c, &mut hay);
            }
        }
        for alt in name_alternatives(name) {
            hay.push(PART);
            hay.push_str(&alt);
        }
        SearchKey { hay: hay.into_boxed_str() }
    }

    /// Longer texts (details, the answer given) found by their words only:
    /// initials of a whole paragraph would match almost any short query.
    pub fn with_text(self, texts: &[&str]) -> SearchKey {
        let mut hay = String::from(self.hay);
        hay.push(PART);
        for t in texts {
            hay.push(SEP);
            hay.push_str(&t.to_lowercase());
        }
        SearchKey { hay: hay.into_boxed_str() }
    }

    pub fn matches(&self, word: &Query) -> bool {
        word.finder.find(self.hay.as_bytes()).is_some()
    }
}

/// A query word, prepared once for a whole list.
pub struct Query {
    finder: Finder<'static>,
}

impl Query {
    pub fn new(word: &str) -> Query {
        let word: String = word.to_lowercase().chars().filter(|c| *c != PART).collect();
        Query { finder: Finder::new(word.as_bytes()).into_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::{Query, SearchKey};

    #[test]
    fn text_initials_and_surname_readings() {
        let k = SearchKey::new("单国仲", &["2026-0042", "坝达章村", "五组", "通组路损坏"]);
        let m = |q: &str| k.matches(&Query::new(q));
        assert!(m("2026-0042"));
        assert!(m("坝达章"));
        assert!(m("BDZ"));
        assert!(m("sgz"), "单 read shan");
        assert!(m("dgz"), "单 read dan");
        assert!(!m("bdx"));
        // Words of different fields are kept apart.
        assert!(!m("cw"), "村|五 is not one word");
        // Longer texts by their words, not their initials.
        let k = k.with_text(&["涵洞堵塞,多处塌方"]);
        assert!(k.matches(&Query::new("涵洞堵塞")));
        assert!(!k.matches(&Query::new("hddsdcth")));
    }
}
