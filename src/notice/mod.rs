//! The papers the desk writes as .docx for WPS and Word: the notices to the
//! resident (受理告知书, 不予受理告知书, 答复意见书), the case sheet and the
//! day sheet. A notice written is recorded in the case's timeline. Files
//! are written owner-only and atomically (a temporary file, then rename).

pub mod docx;
pub mod templates;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::domain::time::china_date;
use crate::domain::*;
use crate::i18n::{Lang, Msg};
use crate::protocol::{Command, Desk, DeskError, IdSource};
pub use jiedai_protocol::PrintJob;

/// What the header says about the township. Read in one place
/// (`letterhead`), so the township directory can take it over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letterhead {
    /// 沧江乡人民政府, or a placeholder to fill in by hand.
    pub office: String,
    /// Where an answer can be reviewed: the office one level up.
    pub review_body: String,
}

/// The township's name and its reviewing office: from the store's
/// settings (`township`, kept in step with the 名录's township name, and
/// `review_body`), else the placeholders.
pub fn letterhead(store: &dyn Desk) -> Result<Letterhead, DeskError> {
    let office = match store.setting("township")? {
        Some(name) if !name.trim().is_empty() => {
            let name = name.trim();
            if name.ends_with("政府") { name.to_string() } else { format!("{name}人民政府") }
        }
        _ => templates::OFFICE_PLACEHOLDER.to_string(),
    };
    let review_body = match store.setting("review_body")? {
        Some(b) if !b.trim().is_empty() => b.trim().to_string(),
        _ => templates::REVIEW_PLACEHOLDER.to_string(),
    };
    Ok(Letterhead { office, review_body })
}

/// Everything a case's paper is written from.
#[derive(Clone, Debug)]
pub struct CaseFile {
    pub case: Case,
    pub events: Vec<Event>,
    pub cadres: Vec<Cadre>,
    pub head: Letterhead,
    /// The day the paper is dated.
    pub issued: NaiveDate,
    /// 不予受理告知书: where the resident is told to go instead.
    pub instead: String,
}

/// One line of the day sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayRow {
    /// The queue number, if they came through the queue.
    pub number: Option<u32>,
    pub name: String,
    pub people: u32,
    pub place: String,
    pub matter: String,
    pub case: Option<CaseNo>,
    pub note: String,
    /// False for a number called who did not answer, or still waiting.
    pub received: bool,
}

#[derive(Clone, Debug)]
pub struct DayFile {
    pub day: NaiveDate,
    pub duty_leader: Option<String>,
    pub rows: Vec<DayRow>,
    pub head: Letterhead,
}

/// Written: where, and whether the timeline records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    pub path: PathBuf,
    pub doc: DocKind,
    pub case: Option<CaseNo>,
    pub recorded: bool,
}

#[derive(Debug)]
pub enum PrintError {
    Store(DeskError),
    /// The file could not be written: where, and the OS's reason.
    Write(PathBuf, std::io::Error),
    /// Written, but the event could not be recorded: the file was removed.
    NotRecorded(DeskError),
}

impl From<DeskError> for PrintError {
    fn from(e: DeskError) -> Self {
        PrintError::Store(e)
    }
}

/// Why a write failed, in words an officer reads (no raw English OS error
/// reaches a Chinese user).
fn io_reason(e: &std::io::Error) -> Msg {
    use std::io::ErrorKind::*;
    match e.kind() {
        PermissionDenied => Msg::ErrWriteDenied,
        NotFound => Msg::ErrWriteNoDir,
        StorageFull | QuotaExceeded => Msg::ErrWriteFull,
        IsADirectory => Msg::ErrWriteIsDir,
        ReadOnlyFilesystem => Msg::ErrWriteReadOnly,
        _ => Msg::ErrWriteOther,
    }
}

impl PrintError {
    pub fn user_message(&self, lang: Lang) -> String {
        match self {
            PrintError::Store(e) => e.user_message(lang),
            PrintError::Write(path, e) => {
                let os = if lang == Lang::En { format!(" ({e})") } else { String::new() };
                format!("{}: {} ({}){os}", Msg::ErrWriteFile.text(lang), path.display(), io_reason(e).text(lang))
            }
            PrintError::NotRecorded(e) => {
                format!("{}: {}", Msg::ErrNotRecorded.text(lang), e.user_message(lang))
            }
        }
    }
}

/// Where the desk writes papers: `JIEDAI_DOCS`, else `jiedai-docs` in the
/// user's documents folder (or home). Shown in the message after writing.
pub fn default_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("JIEDAI_DOCS").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let base = directories::UserDirs::new().and_then(|u| {
        let docs = u.document_dir().filter(|d| d.is_dir()).map(Path::to_path_buf);
        docs.or_else(|| Some(u.home_dir().to_path_buf()))
    });
    base.unwrap_or_else(|| PathBuf::from(".")).join("jiedai-docs")
}

/// The file's name in the UI language: `2026-0001-受理告知书.docx`,
/// `2026-02-12-day.docx`.
pub fn default_file(job: &PrintJob, lang: Lang) -> String {
    let what = match (job.case, job.day) {
        (Some(no), _) => no.to_string(),
        (None, Some(day)) => day.to_string(),
        (None, None) => "jiedai".to_string(),
    };
    job.doc.file_name(&what, lang)
}

/// A case and all it takes to write its paper.
pub fn case_file(store: &dyn Desk, no: CaseNo, issued: NaiveDate, instead: &str) -> Result<CaseFile, DeskError> {
    let case = store.case(no)?.ok_or(DeskError::no_such_case(no))?;
    let events = store.events(no)?;
    let instead = if instead.trim().is_empty() {
        crate::domain::notice::last_instead(&events).unwrap_or("").to_string()
    } else {
        instead.trim().to_string()
    };
    Ok(CaseFile { case, events, cadres: store.cadres()?, head: letterhead(store)?, issued, instead })
}

/// Everyone received at the desk on `day`: the queue, and the reception
/// day's registrations and further visits that did not come through it, in
/// the order they came.
pub fn day_file(store: &dyn Desk, day: NaiveDate) -> Result<DayFile, DeskError> {
    let queue = store.queue(day)?;
    let cases = store.cases_with_events()?;
    let mut rows: Vec<(Timestamp, DayRow)> = Vec::new();
    for q in &queue {
        let found = q.case.and_then(|no| cases.iter().find(|(c, _)| c.no == no));
        let case = found.map(|(c, _)| c);
        // The visit the entry was served by: its registration or contact.
        let visit = found.and_then(|(_, evs)| evs.iter().find(|e| Some(e.at) == q.finished_at)).map(|e| &e.kind);
        let (people, note) = match (q.status, visit) {
            (QueueStatus::Served, Some(EventKind::Registered { intake, .. })) => (intake.people, "登记"),
            (QueueStatus::Served, Some(EventKind::Contact { people, .. })) => (*people, "再次来访"),
            (QueueStatus::Served, _) => (1, "再次来访"),
            (QueueStatus::NoShow, _) => (1, "叫号未到"),
            (QueueStatus::Waiting | QueueStatus::Called, _) => (1, "未办理"),
        };
        rows.push((
            q.arrived_at,
            DayRow {
                number: Some(q.number),
                name: q.name.clone(),
                people,
                place: case.map(|c| c.place()).filter(|p| !p.is_empty()).unwrap_or_else(|| q.village.clone()),
                matter: case.map(|c| c.intake.summary.clone()).unwrap_or_default(),
                case: q.case,
                note: note.to_string(),
                received: q.status == QueueStatus::Served,
            },
        ));
    }
    let queued: Vec<CaseNo> = queue.iter().filter_map(|q| q.case).collect();
    for (c, events) in &cases {
        for e in events {
            if china_date(e.at) != day {
                continue;
            }
            let (name, people, note) = match &e.kind {
                EventKind::Registered { intake, .. } if intake.channel == Channel::Reception => {
                    (intake.petitioner(Lang::Zh), intake.people, "登记")
                }
                EventKind::Contact { channel: Channel::Reception, name, people, .. } => {
                    (name.clone(), *people, "再次来访")
                }
                _ => continue,
            };
            // Came through the queue: already listed by its number.
            if queued.contains(&c.no) {
                continue;
            }
            let row = DayRow {
                number: None,
                name,
                people,
                place: c.place(),
                matter: c.intake.summary.clone(),
                case: Some(c.no),
                note: note.to_string(),
                received: true,
            };
            rows.push((e.at, row));
        }
    }
    rows.sort_by_key(|(at, r)| (*at, r.number));
    let cadres = store.roster()?;
    Ok(DayFile {
        day,
        duty_leader: duty_leader(&cadres, day).map(str::to_string),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        head: letterhead(store)?,
    })
}

/// The paper, as .docx bytes, and (for a notice) the event that records it.
pub fn render(store: &dyn Desk, job: &PrintJob, today: NaiveDate) -> Result<Vec<u8>, DeskError> {
    let paper = match (job.doc, job.case, job.day) {
        (DocKind::DaySheet, _, Some(day)) => templates::day_sheet(&day_file(store, day)?),
        (DocKind::DaySheet, Some(no), None) => {
            // From a case: the day it was registered.
            let c = store.case(no)?.ok_or(DeskError::no_such_case(no))?;
            templates::day_sheet(&day_file(store, china_date(c.opened_at))?)
        }
        (kind, Some(no), _) => templates::case_paper(kind, &case_file(store, no, today, &job.instead)?),
        (_, None, _) => return Err(DeskError::refused(Msg::ErrPrintWhat)),
    };
    docx::to_docx(&paper).map_err(|e| crate::store::StoreError::Io(std::io::Error::other(e)).into())
}

/// Write `bytes` to `path`: owner-only (0600), all or nothing (a temporary
/// file beside it, synced, then renamed over), the folder synced after.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(&dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Write a paper and, for a notice, record it in the case's timeline. A
/// notice the rules refuse (not accepted yet, no answer...) writes no file;
/// a notice whose record fails is removed, so the timeline never misses a
/// paper that exists.
pub fn print(
    store: &dyn Desk,
    job: &PrintJob,
    today: NaiveDate,
    dir: &Path,
    lang: Lang,
) -> Result<Printed, PrintError> {
    let path = job.out.clone().unwrap_or_else(|| dir.join(default_file(job, lang)));
    let notice = job.doc.notice().zip(job.case);
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let instead = match notice {
        Some((_, no)) => case_file(store, no, today, &job.instead)?.instead,
        None => String::new(),
    };
    if let Some((n, no)) = notice {
        let case = store.case(no)?.ok_or(DeskError::no_such_case(no))?;
        case.check_new_notice(&EventKind::NoticeIssued { notice: n, file: file.clone(), instead: instead.clone() })
            .map_err(|RuleError(m)| DeskError::refused(m))?;
    }
    let bytes = render(store, job, today)?;
    if job.out.is_none() {
        create_dir(dir).map_err(|e| PrintError::Write(dir.to_path_buf(), e))?;
    }
    write_atomic(&path, &bytes).map_err(|e| PrintError::Write(path.clone(), e))?;
    let Some((notice, no)) = notice else {
        return Ok(Printed { path, doc: job.doc, case: job.case, recorded: false });
    };
    // Signed and dated by the store, as every save is.
    let id = IdSource::new().next_id();
    match store.execute(id, Command::IssueNotice { case: no, notice, file, instead }) {
        Ok(_) => Ok(Printed { path, doc: job.doc, case: Some(no), recorded: true }),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(PrintError::NotRecorded(e))
        }
    }
}

/// The papers' folder, owner-only, if it is not there yet.
fn create_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// What the officer is told: which paper, that it is recorded, and where
/// (under the home folder as `~/...` on the desk's one message line).
pub fn done_message(p: &Printed, lang: Lang, short: bool) -> String {
    let path = std::fs::canonicalize(&p.path).unwrap_or_else(|_| p.path.clone());
    let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()).filter(|_| short);
    let under_home = home.and_then(|h| path.strip_prefix(&h).ok().map(|r| format!("~/{}", r.display())));
    let shown = under_home.unwrap_or_else(|| path.display().to_string());
    let sep = if lang == Lang::Zh { "" } else { " " };
    let recorded = if p.recorded { format!(" ({})", Msg::PrintRecorded.text(lang)) } else { String::new() };
    format!("{}{sep}{}{recorded}: {shown}", Msg::PrintWritten.text(lang), p.doc.label(lang))
}
