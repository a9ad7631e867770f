//! What the commands print on stdout. A reader that has gone (`jiedai
//! report | head -1`) ends the command quietly with status 0, as cat and
//! grep do: the rest was not wanted, and nothing went wrong.

use std::io::Write;

use super::Failure;
use crate::i18n::Lang;

/// A line of text on stdout.
pub fn line(text: &str, lang: Lang) -> Result<(), Failure> {
    bytes(&[text.as_bytes(), b"\n"].concat(), lang)
}

/// Bytes on stdout, flushed.
pub fn bytes(b: &[u8], lang: Lang) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(b).and_then(|_| stdout.flush()).map_err(|e| match e.kind() {
        std::io::ErrorKind::BrokenPipe => Failure::reader_gone(),
        _ => Failure(crate::i18n::io_text(&e, lang)),
    })
}
