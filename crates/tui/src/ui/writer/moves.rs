//! Cursor moves: their parts and what each costs in bytes.

/// The vertical part of a move (or the whole of an absolute one).
#[derive(Clone, Copy, Debug)]
pub(super) enum Vertical {
    Absolute,
    Stay,
    Cr,
    CrLf,
    Rows { cr: bool, up: bool, n: usize },
}

/// The horizontal part of a move, on the target row.
#[derive(Clone, Copy, Debug)]
pub(super) enum Horizontal {
    Stay,
    /// To the column, absolutely (CHA).
    Column,
    Right(usize),
    Left(usize),
    /// Print the cells from this column as they are.
    Reprint(usize),
}

/// Is a wide glyph's width the same in every terminal in use? Hanzi,
/// kana, hangul and full-width forms have been wide for decades; emoji and
/// the symbols Unicode 9 made wide, and ideographs added since Unicode 13,
/// are drawn one column wide, or not at all, by terminals whose tables are
/// older (tmux 3.3a drops 🫨). After those the cursor is not known.
pub(super) fn width_is_sure(c: char) -> bool {
    let c = u32::from(c);
    !((0x2300..=0x2BFF).contains(&c) || (0x1F000..=0x1FFFF).contains(&c) || (0x2EBF0..0xE0000).contains(&c))
}

pub(super) fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// ESC [ n X, the 1 left out.
pub(super) fn csi_n(out: &mut Vec<u8>, n: usize, fin: u8) {
    out.extend_from_slice(b"\x1b[");
    if n != 1 {
        out.extend_from_slice(n.to_string().as_bytes());
    }
    out.push(fin);
}

pub(super) fn csi_n_len(n: usize) -> usize {
    if n == 1 { 3 } else { 3 + digits(n) }
}

pub(super) fn cup_len(x: usize, y: usize) -> usize {
    match (x, y) {
        (0, 0) => 3,
        (0, y) => 3 + digits(y + 1),
        (x, y) => 4 + digits(y + 1) + digits(x + 1),
    }
}

impl Vertical {
    pub fn len(self) -> usize {
        match self {
            Vertical::Absolute | Vertical::Stay => 0,
            Vertical::Cr => 1,
            Vertical::CrLf => 2,
            Vertical::Rows { cr, n, .. } => usize::from(cr) + csi_n_len(n),
        }
    }
}

impl Horizontal {
    /// Bytes, for a move to column `x` (a reprint is counted elsewhere).
    pub fn len(self, x: usize) -> usize {
        match self {
            Horizontal::Stay | Horizontal::Reprint(_) => 0,
            Horizontal::Column => 3 + digits(x + 1),
            Horizontal::Right(n) => csi_n_len(n),
            Horizontal::Left(n) if n <= 3 => n,
            Horizontal::Left(n) => csi_n_len(n),
        }
    }
}
