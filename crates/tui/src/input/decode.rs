//! Bytes from the terminal into keys. Our own, because the field needs what
//! crossterm does not do: PuTTY's VT100+ F5 (`ESC O T`) and the Linux
//! console's `ESC [ [ A..E`; a lone ESC told apart from a sequence split
//! across reads (a slow SSH link), so `[11~` is never typed into a field;
//! a bracketed paste whose end never comes does not freeze the desk; bytes
//! that are not UTF-8 are reported (a GBK terminal) instead of dropped; and
//! the cursor-position report answering the start-up probe; and PuTTY's
//! VT400 and SCO keypads, by the user's setting (input::keypad).

use std::time::{Duration, Instant};

use super::keypad::Keypad;
use crate::keys::Key;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    Paste(String),
    /// The answer to `ESC [ 6 n`: row and column, 1-based.
    CursorReport(u16, u16),
    /// Bytes that are not UTF-8: a terminal sending GBK, most likely.
    Invalid(Vec<u8>),
    /// ESC[3~ under the safe keypad: Delete in most terminals, PgUp in
    /// PuTTY's VT400 mode. It does nothing but say so.
    Unsure,
}

/// How long a lone ESC waits for the rest of a sequence.
pub const ESC_WAIT: Duration = Duration::from_millis(60);
/// After a lone ESC was given as Esc, a sequence tail arriving this soon is
/// still taken as the key it belongs to, not typed.
const LATE_TAIL: Duration = Duration::from_millis(600);
/// A paste whose end marker has not come after this much silence ends.
pub const PASTE_WAIT: Duration = Duration::from_millis(1500);

#[derive(Debug, Default)]
pub struct Decoder {
    keypad: Keypad,
    buf: Vec<u8>,
    paste: Option<Vec<u8>>,
    last_byte: Option<Instant>,
    lone_esc_at: Option<Instant>,
}

enum Parsed {
    /// Consumed `n` bytes, producing maybe an input.
    Done(usize, Option<Input>),
    /// Needs more bytes.
    More,
}

/// The editing keypad's ESC [ n ~, by the terminal's keyboard mode. In
/// VT400 mode PuTTY sends the VT220 keypad's codes by position: Insert 1,
/// Home 2, PgUp 3, Delete 4, End 5, PgDn 6.
fn edit_key(n: u16, keypad: Keypad) -> Option<Input> {
    let key = match (n, keypad) {
        (1, Keypad::Vt400) => return None, // Insert
        (2, Keypad::Vt400) => Key::Home,
        (3, Keypad::Vt400) => Key::PageUp,
        (4, Keypad::Vt400) => Key::Delete,
        (5, Keypad::Vt400) => Key::End,
        (3, Keypad::Safe) => return Some(Input::Unsure),
        (1 | 7, _) => Key::Home,
        (3, _) => Key::Delete,
        (4 | 8, _) => Key::End,
        (5, _) => Key::PageUp,
        (6, _) => Key::PageDown,
        _ => return None, // Insert (2), and what the desk has no use for
    };
    Some(Input::Key(key))
}

/// PuTTY's SCO mode: F1..F5 as ESC [ M..Q, PgUp ESC [ I, PgDn ESC [ G
/// (Home, End as everywhere; Insert ESC [ L is not used).
fn sco_key(fin: u8) -> Option<Key> {
    Some(match fin {
        b'M'..=b'Q' => Key::F(fin - b'M' + 1),
        b'I' => Key::PageUp,
        b'G' => Key::PageDown,
        _ => return None,
    })
}

fn csi_key(params: &[u8], fin: u8, keypad: Keypad) -> Option<Input> {
    let text = std::str::from_utf8(params).ok()?;
    let nums: Vec<u16> = text.split(';').map(|p| p.parse().unwrap_or(0)).collect();
    let first = nums.first().copied().unwrap_or(0);
    if keypad == Keypad::Sco
        && params.is_empty()
        && let Some(k) = sco_key(fin)
    {
        return Some(Input::Key(k));
    }
    let key = match fin {
        b'A' => Key::Up,
        b'B' => Key::Down,
        b'C' => Key::Right,
        b'D' => Key::Left,
        b'H' => Key::Home,
        b'F' => Key::End,
        b'Z' => Key::BackTab,
        b'P' => Key::F(1),
        b'Q' => Key::F(2),
        b'R' if nums.len() == 2 => return Some(Input::CursorReport(nums[0], nums[1])),
        b'R' => Key::F(3),
        b'S' => Key::F(4),
        b'~' => match first {
            1..=8 => return edit_key(first, keypad),
            11..=15 => Key::F((first - 10) as u8),
            17..=21 => Key::F((first - 11) as u8),
            23 | 24 => Key::F((first - 12) as u8),
            _ => return None,
        },
        _ => return None,
    };
    Some(Input::Key(key))
}

fn ss3_key(b: u8) -> Option<Key> {
    Some(match b {
        b'P' => Key::F(1),
        b'Q' => Key::F(2),
        b'R' => Key::F(3),
        b'S' => Key::F(4),
        b'T' => Key::F(5),
        b'A' => Key::Up,
        b'B' => Key::Down,
        b'C' => Key::Right,
        b'D' => Key::Left,
        b'H' => Key::Home,
        b'F' => Key::End,
        _ => return None,
    })
}

/// An escape sequence at the start of `b` (which begins with ESC).
fn escape(b: &[u8], keypad: Keypad) -> Parsed {
    let Some(&second) = b.get(1) else { return Parsed::More };
    match second {
        b'[' => {
            // The Linux console's F1..F5: ESC [ [ A..E.
            if b.get(2) == Some(&b'[') {
                return match b.get(3) {
                    None => Parsed::More,
                    Some(c @ b'A'..=b'E') => Parsed::Done(4, Some(Input::Key(Key::F(c - b'A' + 1)))),
                    Some(_) => Parsed::Done(4, None),
                };
            }
            let mut i = 2;
            while let Some(&c) = b.get(i) {
                if (0x40..=0x7e).contains(&c) {
                    return Parsed::Done(i + 1, csi_key(&b[2..i], c, keypad));
                }
                if !(0x20..=0x3f).contains(&c) {
                    return Parsed::Done(i, None);
                }
                i += 1;
            }
            Parsed::More
        }
        b'O' => match b.get(2) {
            None => Parsed::More,
            Some(&c) => Parsed::Done(3, ss3_key(c).map(Input::Key)),
        },
        0x1b => Parsed::Done(1, Some(Input::Key(Key::Esc))),
        c if c.is_ascii_graphic() || c == b' ' => Parsed::Done(2, Some(Input::Key(Key::Alt(c as char)))),
        _ => Parsed::Done(1, Some(Input::Key(Key::Esc))),
    }
}

fn control(b: u8) -> Option<Key> {
    Some(match b {
        0x7f | 0x08 => Key::Backspace,
        b'\t' => Key::Tab,
        b'\r' => Key::Enter,
        0x01..=0x1a => Key::Ctrl((b - 1 + b'a') as char),
        _ => return None,
    })
}

/// One UTF-8 character at the start of `b`: its length, or None when the
/// bytes are not UTF-8 (and how many to report), or More.
fn utf8(b: &[u8]) -> Result<(char, usize), Option<usize>> {
    let need = match b[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Err(Some(1)),
    };
    if b.len() < need {
        // Not yet whole; but a byte that cannot continue it is not UTF-8.
        if b[1..].iter().any(|c| c & 0xc0 != 0x80) {
            return Err(Some(1));
        }
        return Err(None);
    }
    match std::str::from_utf8(&b[..need]) {
        Ok(s) => Ok((s.chars().next().unwrap_or('\u{fffd}'), need)),
        Err(_) => Err(Some(1)),
    }
}

impl Decoder {
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// For a terminal in this keyboard mode.
    pub fn with_keypad(keypad: Keypad) -> Decoder {
        Decoder { keypad, ..Decoder::default() }
    }

    /// Bytes read from the terminal at `now`.
    pub fn feed(&mut self, bytes: &[u8], now: Instant) -> Vec<Input> {
        self.buf.extend_from_slice(bytes);
        self.last_byte = Some(now);
        let mut out = Vec::new();
        // A sequence's tail arriving just after its ESC was given as Esc:
        // it is still that key.
        if let Some(at) = self.lone_esc_at.take()
            && now.duration_since(at) < LATE_TAIL
            && matches!(self.buf.first(), Some(b'[' | b'O'))
        {
            let mut with_esc = vec![0x1b];
            with_esc.extend_from_slice(&self.buf);
            match escape(&with_esc, self.keypad) {
                Parsed::Done(n, Some(input @ (Input::Key(_) | Input::Unsure))) => {
                    self.buf.drain(..n - 1);
                    out.push(input);
                }
                // A key the desk does not use (Insert): not typed either.
                Parsed::Done(n, None) if with_esc[..n].ends_with(b"~") => {
                    self.buf.drain(..n - 1);
                }
                _ => {}
            }
        }
        self.parse(&mut out, false);
        out
    }

    /// Nothing arrived for a while: a lone ESC is the Esc key, a paste whose
    /// end never came is what was pasted, a half character is not UTF-8.
    pub fn timeout(&mut self, now: Instant) -> Vec<Input> {
        let mut out = Vec::new();
        let quiet = self.last_byte.map_or(Duration::MAX, |t| now.duration_since(t));
        if let Some(p) = &self.paste {
            if quiet >= PASTE_WAIT {
                let text = String::from_utf8_lossy(p).into_owned();
                self.paste = None;
                out.push(Input::Paste(text));
                self.parse(&mut out, true);
            }
            return out;
        }
        if quiet >= ESC_WAIT && !self.buf.is_empty() {
            self.parse(&mut out, true);
        }
        out
    }

    /// When `timeout` should next be called, if anything is waiting.
    pub fn wants_timeout(&self) -> Option<Duration> {
        if self.paste.is_some() {
            Some(PASTE_WAIT)
        } else if !self.buf.is_empty() {
            Some(ESC_WAIT)
        } else {
            None
        }
    }

    fn parse(&mut self, out: &mut Vec<Input>, flush: bool) {
        loop {
            if let Some(p) = self.paste.as_mut() {
                let end = b"\x1b[201~";
                match self.buf.windows(end.len()).position(|w| w == end) {
                    Some(i) => {
                        p.extend_from_slice(&self.buf[..i]);
                        self.buf.drain(..i + end.len());
                        let text = String::from_utf8_lossy(p).into_owned();
                        self.paste = None;
                        out.push(Input::Paste(text));
                        continue;
                    }
                    None => {
                        // Keep a possible start of the end marker back.
                        let keep = (1..end.len()).rev().find(|k| self.buf.ends_with(&end[..*k])).unwrap_or(0);
                        let take = self.buf.len() - keep;
                        p.extend_from_slice(&self.buf[..take]);
                        self.buf.drain(..take);
                        return;
                    }
                }
            }
            let Some(&first) = self.buf.first() else { return };
            if first == 0x1b {
                match escape(&self.buf, self.keypad) {
                    Parsed::Done(n, input) => {
                        if self.buf[..n] == *b"\x1b[200~" {
                            self.buf.drain(..n);
                            self.paste = Some(Vec::new());
                            continue;
                        }
                        self.buf.drain(..n);
                        out.extend(input);
                    }
                    Parsed::More if flush => {
                        // Nothing more came: the ESC was a key by itself.
                        self.buf.drain(..1);
                        self.lone_esc_at = self.last_byte;
                        out.push(Input::Key(Key::Esc));
                    }
                    Parsed::More => return,
                }
                continue;
            }
            if first < 0x20 || first == 0x7f {
                self.buf.drain(..1);
                out.extend(control(first).map(Input::Key));
                continue;
            }
            match utf8(&self.buf) {
                Ok((c, n)) => {
                    self.buf.drain(..n);
                    out.push(Input::Key(Key::Char(c)));
                }
                Err(None) if !flush => return,
                Err(_) => {
                    // Not UTF-8: the whole run of high bytes goes together
                    // (GBK text may hold pairs that look like UTF-8).
                    let mut n = 1;
                    while n < self.buf.len() && self.buf[n] >= 0x80 {
                        n += 1;
                    }
                    let bad: Vec<u8> = self.buf.drain(..n).collect();
                    match out.last_mut() {
                        Some(Input::Invalid(prev)) => prev.extend(bad),
                        _ => out.push(Input::Invalid(bad)),
                    }
                }
            }
        }
    }
}

/// Do these bytes read as GBK (each a lead byte 0x81..=0xFE and a trail
/// byte 0x40..=0xFE other than 0x7F)?
pub fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let Some(&t) = bytes.get(i + 1) else { return pairs > 0 };
        if !(0x81..=0xfe).contains(&b) || !(0x40..=0xfe).contains(&t) || t == 0x7f {
            return false;
        }
        pairs += 1;
        i += 2;
    }
    pairs > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(bytes: &[u8]) -> Vec<Input> {
        keys_as(Keypad::Safe, bytes)
    }

    fn keys_as(keypad: Keypad, bytes: &[u8]) -> Vec<Input> {
        let mut d = Decoder::with_keypad(keypad);
        let t = Instant::now();
        let mut out = d.feed(bytes, t);
        out.extend(d.timeout(t + Duration::from_secs(5)));
        out
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0)).collect()
    }

    /// Every row of the PuTTY 0.78 recording the spec points to, under the
    /// setting made for its mode (tests/input.rs tries every setting).
    #[test]
    fn putty_key_table() {
        let table = include_str!("../../../../tests/fixtures/putty-0.78-keys.tsv");
        let mut checked = 0;
        for line in table.lines().filter(|l| !l.starts_with('#') && !l.starts_with("mode")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [mode, key, bytes] = cols[..] else { continue };
            let want: Vec<Input> = match key {
                "F1" | "F2" | "F3" | "F4" | "F5" => vec![Input::Key(Key::F(key[1..].parse().unwrap_or(0)))],
                "alt+1" => vec![Input::Key(Key::Alt('1'))],
                "alt+5" => vec![Input::Key(Key::Alt('5'))],
                "BackSpace" | "ctrl+h" => vec![Input::Key(Key::Backspace)],
                "ctrl+s" => vec![Input::Key(Key::Ctrl('s'))],
                "ctrl+j" => vec![Input::Key(Key::Ctrl('j'))],
                "ctrl+g" => vec![Input::Key(Key::Ctrl('g'))],
                "ctrl+f" => vec![Input::Key(Key::Ctrl('f'))],
                "ctrl+q" => vec![Input::Key(Key::Ctrl('q'))],
                "Home" => vec![Input::Key(Key::Home)],
                "End" => vec![Input::Key(Key::End)],
                "Prior" => vec![Input::Key(Key::PageUp)],
                "Next" => vec![Input::Key(Key::PageDown)],
                "Up" => vec![Input::Key(Key::Up)],
                "Down" => vec![Input::Key(Key::Down)],
                "Left" => vec![Input::Key(Key::Left)],
                "Right" => vec![Input::Key(Key::Right)],
                "shift+Tab" => vec![Input::Key(Key::BackTab)],
                "Tab" => vec![Input::Key(Key::Tab)],
                "Return" => vec![Input::Key(Key::Enter)],
                "Escape" => vec![Input::Key(Key::Esc)],
                "ctrl+Right" => vec![Input::Key(Key::Right)],
                "question" => vec![Input::Key(Key::Char('?'))],
                "slash" => vec![Input::Key(Key::Char('/'))],
                "type:中文" => vec![Input::Key(Key::Char('中')), Input::Key(Key::Char('文'))],
                other => panic!("unknown key {other}"),
            };
            let keypad = if mode == "VT400" { Keypad::Vt400 } else { Keypad::Standard };
            assert_eq!(keys_as(keypad, &hex(bytes)), want, "{mode} {key}");
            checked += 1;
        }
        assert!(checked >= 150, "{checked}");
    }

    #[test]
    fn a_sequence_split_across_reads_is_one_key_not_text() {
        let mut d = Decoder::new();
        let t = Instant::now();
        assert_eq!(d.feed(b"\x1b", t), vec![]);
        // The link is slow: the rest comes after the ESC wait.
        assert_eq!(d.timeout(t + Duration::from_millis(100)), vec![Input::Key(Key::Esc)]);
        assert_eq!(d.feed(b"[11~", t + Duration::from_millis(150)), vec![Input::Key(Key::F(1))]);
        // A real Esc, then typing, stays Esc and text.
        assert_eq!(d.feed(b"a", t + Duration::from_secs(2)), vec![Input::Key(Key::Char('a'))]);
        // Late tails of keys that act as nothing, or only warn, are not typed.
        for (tail, want) in [(&b"[3~"[..], vec![Input::Unsure]), (&b"[2~"[..], vec![])] {
            let t = t + Duration::from_secs(10);
            assert_eq!(d.feed(b"\x1b", t), vec![]);
            assert_eq!(d.timeout(t + Duration::from_millis(100)), vec![Input::Key(Key::Esc)]);
            assert_eq!(d.feed(tail, t + Duration::from_millis(150)), want);
        }
    }

    #[test]
    fn pastes_whole_split_or_unterminated() {
        let mut d = Decoder::new();
        let t = Instant::now();
        assert_eq!(d.feed(b"\x1b[200~line 1\r\nline", t), vec![]);
        assert_eq!(d.feed(b" 2\x1b[20", t), vec![]);
        assert_eq!(d.feed(b"1~x", t), vec![Input::Paste("line 1\r\nline 2".into()), Input::Key(Key::Char('x'))]);
        // The end marker never comes: the desk does not wait for ever.
        assert_eq!(d.feed(b"\x1b[200~abc", t), vec![]);
        assert_eq!(d.timeout(t + Duration::from_millis(100)), vec![]);
        assert_eq!(d.timeout(t + PASTE_WAIT), vec![Input::Paste("abc".into())]);
        assert_eq!(d.feed(b"q", t + PASTE_WAIT), vec![Input::Key(Key::Char('q'))]);
    }

    #[test]
    fn gbk_bytes_are_reported_not_dropped() {
        // 唐科名 in GBK holds C6 BF, which alone would read as UTF-8 "ƿ".
        let (gbk, _, _) = encoding_rs::GBK.encode("唐科名中文");
        let got = keys(&gbk);
        assert_eq!(got.len(), 1, "{got:?}");
        let Input::Invalid(bytes) = &got[0] else { panic!("{got:?}") };
        assert!(looks_like_gbk(bytes));
        // Only bytes that already failed UTF-8 are asked; junk is not GBK.
        assert!(!looks_like_gbk(&[0xff, 0x20]));
        assert!(!looks_like_gbk(&[0x80]));
    }

    #[test]
    fn cursor_reports_and_a_utf8_burst() {
        assert_eq!(keys(b"\x1b[12;7R"), vec![Input::CursorReport(12, 7)]);
        let burst = "群众反映坝达章五组通组路严重损坏";
        let got = keys(burst.as_bytes());
        assert_eq!(got, burst.chars().map(|c| Input::Key(Key::Char(c))).collect::<Vec<_>>());
    }
}
