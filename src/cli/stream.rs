//! Exports written as they are read (issue #16, streaming): into a file
//! beside the target, synced and renamed over it as `write_atomic` does; or
//! to stdout a line at a time, each line made printable as the whole text
//! was before.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::Failure;
use super::files::io_failure;
use crate::domain::text::printable;
use crate::i18n::{Lang, Msg};

/// Whole lines passed on to `out` made printable: a line is whole UTF-8,
/// so nothing is cut in the middle of a character.
pub struct Printable<W: Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: Write> Printable<W> {
    pub fn new(out: W) -> Printable<W> {
        Printable { out, line: Vec::new() }
    }

    fn pass(&mut self, upto: usize) -> io::Result<()> {
        let text = printable(&String::from_utf8_lossy(&self.line[..upto]));
        self.out.write_all(text.as_bytes())?;
        self.line.drain(..upto);
        Ok(())
    }
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.line.extend_from_slice(buf);
        if let Some(end) = self.line.iter().rposition(|b| *b == b'\n') {
            self.pass(end + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let all = self.line.len();
        self.pass(all)?;
        self.out.flush()
    }
}

/// What a streamed export writes into: stdout or the file being made.
pub enum Sink {
    Stdout(Printable<io::BufWriter<io::StdoutLock<'static>>>),
    File(io::BufWriter<File>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(w) => w.flush(),
        }
    }
}

/// A zip (the xlsx) is written with its directory at the end, pointing
/// back: only a file can be sought in.
impl Seek for Sink {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        match self {
            Sink::Stdout(_) => Err(io::Error::from(io::ErrorKind::Unsupported)),
            Sink::File(w) => w.seek(pos),
        }
    }
}

/// Write with `fill` into `path` (owner-only, all or nothing: a temporary
/// file beside it, synced, renamed over it) or, without one, to stdout.
/// `bom` goes first, as it is (stdout's filter would drop it).
pub fn write_with(
    path: Option<&Path>,
    bom: &[u8],
    lang: Lang,
    fill: impl FnOnce(&mut Sink) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let Some(path) = path else {
        let mut stdout = io::stdout().lock();
        let gone = |e: io::Error| match e.kind() {
            io::ErrorKind::BrokenPipe => Failure::reader_gone(),
            _ => Failure(crate::i18n::io_text(&e, lang)),
        };
        stdout.write_all(bom).map_err(gone)?;
        let mut sink = Sink::Stdout(Printable::new(io::BufWriter::new(stdout)));
        fill(&mut sink)?;
        return sink.flush().map_err(gone);
    };
    if path.is_dir() {
        return Err(Failure(format!("{}: {}", path.display(), Msg::IoIsDir.text(lang))));
    }
    let Some(name) = path.file_name() else {
        return Err(Failure(format!("{}: {}", path.display(), Msg::IoIsDir.text(lang))));
    };
    let tmp = path.with_file_name(format!(".{}.jiedai-{}.tmp", name.to_string_lossy(), std::process::id()));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| io_failure(path, &e, lang))?;
    let written = (|| {
        // Whatever the umask: owner only (exports hold phone numbers).
        file.set_permissions(fs::Permissions::from_mode(0o600)).map_err(|e| io_failure(path, &e, lang))?;
        file.write_all(bom).map_err(|e| io_failure(path, &e, lang))?;
        let mut sink = Sink::File(io::BufWriter::with_capacity(1 << 16, file));
        fill(&mut sink)?;
        let Sink::File(w) = sink else { return Ok(()) };
        let file = w.into_inner().map_err(|e| io_failure(path, e.error(), lang))?;
        file.sync_all().map_err(|e| io_failure(path, &e, lang))?;
        fs::rename(&tmp, path).map_err(|e| io_failure(path, &e, lang))
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself survives a power cut once the folder is synced.
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A write that failed: the reader gone from stdout (quietly, as `out`
/// does), or the file's error with its name.
pub fn io_failed(path: Option<&Path>, e: &io::Error, lang: Lang) -> Failure {
    match path {
        Some(p) => io_failure(p, e, lang),
        None if e.kind() == io::ErrorKind::BrokenPipe => Failure::reader_gone(),
        None => Failure(crate::i18n::io_text(e, lang)),
    }
}
