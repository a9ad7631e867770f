//! Unbalanced quotes. The csv reader is lenient: a quote that is never
//! closed swallows the rest of the file into one cell, and a stray quote
//! closed by the next line's quote swallows that line. Both look like a
//! short row ("事由不能为空") and, with --skip-bad, silently lose a good
//! line. So the text is scanned first, the way the reader will read it, and
//! the line where such a quote opened is named.

#[derive(Clone, Copy, PartialEq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: the cell's end, or the first of `""`.
    QuoteInQuoted,
}

/// The lines (1-based) where a quote opened that does not close as a cell
/// of this table should: it never closes, or it spans lines and then either
/// runs on into text or leaves its row with a column count unlike the
/// header's.
pub fn unbalanced(text: &str) -> Vec<u64> {
    let mut bad = Vec::new();
    let mut st = State::FieldStart;
    let mut line = 1u64;
    // The current row: its columns, whether anything is in it, and where a
    // quoted cell that spanned lines opened.
    let mut fields = 1usize;
    let mut any = false;
    let mut spanning: Option<u64> = None;
    let mut header: Option<usize> = None;
    let mut open_line = 1u64;
    let mut crossed = false;
    let mut end_row = |fields: &mut usize, any: &mut bool, spanning: &mut Option<u64>, bad: &mut Vec<u64>| {
        if *any {
            match header {
                None => header = Some(*fields),
                Some(h) => {
                    if let Some(open) = *spanning
                        && *fields != h
                    {
                        bad.push(open);
                    }
                }
            }
        }
        *fields = 1;
        *any = false;
        *spanning = None;
    };
    for c in text.chars() {
        match st {
            State::FieldStart | State::Unquoted => match c {
                '"' if st == State::FieldStart => {
                    st = State::Quoted;
                    any = true;
                    open_line = line;
                    crossed = false;
                }
                ',' => {
                    fields += 1;
                    any = true;
                    st = State::FieldStart;
                }
                '\n' | '\r' => {
                    end_row(&mut fields, &mut any, &mut spanning, &mut bad);
                    st = State::FieldStart;
                }
                _ => {
                    any = true;
                    st = State::Unquoted;
                }
            },
            State::Quoted => match c {
                '"' => st = State::QuoteInQuoted,
                '\n' => crossed = true,
                _ => {}
            },
            State::QuoteInQuoted => {
                if crossed {
                    spanning.get_or_insert(open_line);
                }
                match c {
                    '"' => st = State::Quoted,
                    ',' => {
                        fields += 1;
                        st = State::FieldStart;
                    }
                    '\n' | '\r' => {
                        end_row(&mut fields, &mut any, &mut spanning, &mut bad);
                        st = State::FieldStart;
                    }
                    _ => {
                        // `"...` over lines, then `"x`: the quote that
                        // closed it opened a cell of a later line.
                        if crossed {
                            bad.push(open_line);
                        }
                        st = State::Unquoted;
                    }
                }
            }
        }
        if c == '\n' {
            line += 1;
        }
    }
    match st {
        State::Quoted => bad.push(open_line),
        _ => {
            if st == State::QuoteInQuoted && crossed {
                spanning.get_or_insert(open_line);
            }
            end_row(&mut fields, &mut any, &mut spanning, &mut bad);
        }
    }
    bad.sort_unstable();
    bad.dedup();
    bad
}

#[cfg(test)]
mod tests {
    use super::unbalanced;

    #[test]
    fn well_formed_files_have_none() {
        assert!(unbalanced("a,b,c\n1,\"x\ny\nz\",3\n4,\"\"\"q\"\"\",6\n").is_empty());
        assert!(unbalanced("a,b\r\n1,\"x\r\ny\"\r\n").is_empty());
        assert!(unbalanced("a,b\n1,2\n\n3,4").is_empty());
        // A short row on one line is the reader's business, not a quote's.
        assert!(unbalanced("a,b,c\n1,\"x\"\n").is_empty());
    }

    #[test]
    fn a_quote_that_never_closes_is_named_where_it_opened() {
        assert_eq!(unbalanced("a,b,c\n1,2,3\n4,\"5,6\n7,8,9\n"), vec![3]);
    }

    #[test]
    fn a_quote_closed_by_the_next_lines_quote_is_named() {
        // The same column: the column count alone would not show it.
        assert_eq!(unbalanced("a,b\n1,\"x\n2,\"y\"\n3,z\n"), vec![2]);
        // Another column: the row's count differs from the header's.
        assert_eq!(unbalanced("a,b,c\n1,\"x\n\",3,4\n5,6,7\n"), vec![2]);
    }
}
