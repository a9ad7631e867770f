//! The tab bar's layout, for however many tabs there are: the first of a
//! ladder of layouts, from the roomiest down, that fits the width. The
//! titles shorten first, then the date; then titles lose the space after
//! their number, and take their tiniest form (English only differs);
//! then inactive tabs show their number alone (Pending
//! keeps its count: the overdue alarm never goes), and the date goes.

use super::text;

/// A tab as the bar may show it.
pub struct Item {
    pub number: u8,
    pub full: String,
    pub short: String,
    /// Shorter still, for the last layout that names every tab.
    pub tiny: String,
    /// Shown after the title always (Pending's count and overdue).
    pub extra: String,
    pub selected: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Title {
    Full,
    Short,
    /// `1登记`: no space between the number and the title.
    Compact,
    /// Compact, with the tiny titles.
    Tiny,
    /// Inactive tabs without an `extra` show their number alone.
    Number,
}

/// The dates the bar may end with, longest first: `2026-11-30 周一`,
/// `11-30 周一`, `11-30`.
pub struct Dates<'a> {
    pub long: &'a str,
    pub short: &'a str,
    pub day: &'a str,
}

/// The tabs' texts (with their spacing; `true` for the selected one) and
/// the date to show after them, if any.
pub fn layout(items: &[Item], dates: &Dates, width: usize) -> (Vec<(String, bool)>, Option<String>) {
    use Title::*;
    let ladder: [(Title, bool, Option<&str>); 12] = [
        (Full, false, Some(dates.long)),
        (Short, false, Some(dates.long)),
        (Short, true, Some(dates.long)),
        (Short, true, Some(dates.short)),
        (Short, true, Some(dates.day)),
        (Compact, true, Some(dates.short)),
        (Compact, true, Some(dates.day)),
        (Compact, true, None),
        (Tiny, true, None),
        (Number, true, Some(dates.short)),
        (Number, true, Some(dates.day)),
        (Number, true, None),
    ];
    let mut last = (Vec::new(), None);
    for (title, tight, date) in ladder {
        let tabs: Vec<(String, bool)> = items
            .iter()
            .map(|it| {
                let name = match title {
                    Full => format!("{} {}", it.number, it.full),
                    Short => format!("{} {}", it.number, it.short),
                    Number if !it.selected && it.extra.is_empty() => it.number.to_string(),
                    // The tab in use keeps its short title.
                    Compact | Tiny | Number if it.selected => format!("{}{}", it.number, it.short),
                    Compact => format!("{}{}", it.number, it.short),
                    Tiny | Number => format!("{}{}", it.number, it.tiny),
                };
                let name = format!("{name}{}", it.extra);
                let shown = if tight && !it.selected { format!("{name} ") } else { format!(" {name} ") };
                (shown, it.selected)
            })
            .collect();
        let used: usize = tabs.iter().map(|(s, _)| text::width(s)).sum();
        // At least a space before the date.
        let need = used + date.map_or(0, |d| 1 + text::width(d));
        let fits = need <= width;
        last = (tabs, date.map(str::to_string));
        if fits {
            break;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(titles: &[(&str, &str, &str)], selected: usize, extra: &str) -> Vec<Item> {
        titles
            .iter()
            .enumerate()
            .map(|(i, (full, short, tiny))| Item {
                number: i as u8 + 1,
                full: full.to_string(),
                short: short.to_string(),
                tiny: tiny.to_string(),
                extra: if i == 1 { extra.to_string() } else { String::new() },
                selected: i == selected,
            })
            .collect()
    }

    fn shown(tabs: &[(String, bool)], date: &Option<String>) -> String {
        let mut s: String = tabs.iter().map(|t| t.0.as_str()).collect();
        if let Some(d) = date {
            s.push(' ');
            s.push_str(d);
        }
        s
    }

    const DATES: Dates = Dates { long: "2026-11-30 周一", short: "11-30 周一", day: "11-30" };

    const ZH: [(&str, &str, &str); 10] = [
        ("登记", "登记", "登记"),
        ("待办", "待办", "待办"),
        ("实地查看", "实地", "实地"),
        ("回访", "回访", "回访"),
        ("统计", "统计", "统计"),
        ("名录", "名录", "名录"),
        ("查找", "查找", "查找"),
        ("来电", "来电", "来电"),
        ("日记", "日记", "日记"),
        ("意见箱", "意见箱", "意见箱"),
    ];

    const EN: [(&str, &str, &str); 10] = [
        ("Intake", "Intake", "New"),
        ("Pending", "Pending", "Todo"),
        ("Inspections", "Inspect", "Site"),
        ("Follow-ups", "Visits", "Visits"),
        ("Statistics", "Stats", "Stats"),
        ("Directory", "Dir", "Dir"),
        ("Search", "Find", "Find"),
        ("Calls", "Calls", "Calls"),
        ("Diary", "Diary", "Diary"),
        ("Box", "Box", "Box"),
    ];

    #[test]
    fn ten_tabs_fit_80_columns_in_both_languages_with_every_title_in_chinese() {
        let zh = items(&ZH, 7, " 5 (超期 1)");
        let (tabs, date) = layout(&zh, &DATES, 80);
        let line = shown(&tabs, &date);
        // Every title closes up to its number; the date gives way.
        assert_eq!(line, "1登记 2待办 5 (超期 1) 3实地 4回访 5统计 6名录 7查找  8来电 9日记 10意见箱 ");
        assert!(text::width(&line) <= 80, "{line}");
        for (_, short, _) in ZH {
            assert!(line.contains(short), "{short} missing: {line}");
        }
        assert!(line.contains("超期 1"), "{line}");
        let en = items(&EN, 7, " 5 (overdue 1)");
        let (tabs, date) = layout(&en, &DATES, 80);
        let line = shown(&tabs, &date);
        // English short titles are short enough that every tab keeps a name.
        assert_eq!(line, "1New 2Todo 5 (overdue 1) 3Site 4Visits 5Stats 6Dir 7Find  8Calls 9Diary 10Box ");
        assert!(text::width(&line) <= 80, "{line}");
        for (_, _, tiny) in EN {
            assert!(line.contains(tiny), "{tiny} missing: {line}");
        }
        assert!(line.contains("overdue 1"), "{line}");
        // The tab in use keeps its short title.
        let (tabs, _) = layout(&items(&EN, 1, " 5 (overdue 1)"), &DATES, 80);
        assert!(shown(&tabs, &None).contains(" 2Pending 5 (overdue 1) "), "{tabs:?}");
    }

    #[test]
    fn a_wide_screen_shows_full_titles_and_the_date() {
        let zh = items(&ZH, 0, " 5");
        let (tabs, date) = layout(&zh, &DATES, 120);
        assert_eq!(date.as_deref(), Some("2026-11-30 周一"));
        assert!(tabs.iter().any(|t| t.0.contains("3 实地查看")));
    }
}
