//! `jiedai recover`: salvage what can still be read from a damaged database
//! into a new database beside it, and say what was lost. The damaged files
//! are only ever read: sled recovers private copies of them (`salvage`).
//! Every case is rebuilt from its events: the longest run of events from
//! the registration that replays is kept.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::check::readable_key as shown;
use super::layout::*;
use super::salvage::{TREES, TreeRead, raw_cases, read_trees, readable_files};
use super::verify::{self, Place, place_error};
use super::{Counter, Draft, Record, Result, Store, StoreError, decode, encode, index_entries, lock};
use crate::domain::*;
use crate::i18n::{Lang, Msg};

/// A case that could not be recovered, and what is known of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lost {
    pub no: CaseNo,
    /// Name and summary, from whatever copy of the case could be read.
    pub known: String,
    pub why: Msg,
}

/// What `recover` did.
#[derive(Debug)]
pub struct Report {
    pub target: PathBuf,
    pub recovered: usize,
    pub lost: Vec<Lost>,
    /// Cases kept with the first `kept` of `known` steps.
    pub partial: Vec<(CaseNo, usize, usize)>,
    /// Records that did not decode.
    pub unread: Vec<String>,
    /// Trees sled could not read to the end.
    pub cut: Vec<&'static str>,
    /// Saves the seal counts that were not found (missing, counted), or
    /// None when there is no seal to count them: either way cases after
    /// the last number found may be gone without a trace.
    pub tail: Option<Tail>,
    /// The diary's entries and the box's openings kept (issue 15).
    pub kept: super::Kept,
    /// An import that did not finish (its mark read, and the seal lists no
    /// finished import with its numbers): per year, the first number it
    /// gave. Its cases are left out, as opening the database would undo them.
    pub unfinished: Option<BTreeMap<u16, u64>>,
}

/// Saves unaccounted for at the end of what was read.
#[derive(Clone, Copy, Debug)]
pub struct Tail {
    /// (missing, counted) by the seal; None without a readable seal.
    pub saves: Option<(u64, u64)>,
    pub last_found: Option<CaseNo>,
}

impl Report {
    pub fn text(&self, lang: Lang) -> String {
        let t = |m: Msg| m.text(lang);
        let mut out = vec![format!("{}: {}", t(Msg::RecoverDone), self.target.display())];
        out.push(format!("{}: {} {}", t(Msg::RecoverCases), self.recovered, t(Msg::Cases)));
        // A mark and no seal: the import may have finished, and damage
        // taken sled's view back to before its finish (the seal's list is
        // what tells the two apart). Its cases may then be lost: "nothing
        // lost" would be a claim nothing here can back.
        let unsure = self.unfinished.is_some() && matches!(self.tail, Some(Tail { saves: None, .. }));
        // Saves the seal counted and not found (or no seal to count them)
        // are said below: "nothing lost" beside them would contradict them.
        if self.lost.is_empty() && self.partial.is_empty() && !unsure && self.tail.is_none() {
            out.push(t(Msg::RecoverNothingLost).to_string());
        }
        if !self.lost.is_empty() {
            out.push(format!("{} ({}):", t(Msg::RecoverLost), self.lost.len()));
            for l in &self.lost {
                let known = if l.known.is_empty() { String::new() } else { format!("{}  ", l.known) };
                out.push(format!("  {}  {known}({})", l.no, t(l.why)));
            }
        }
        if let Some(firsts) = &self.unfinished {
            let from: Vec<String> = firsts
                .iter()
                .filter_map(|(&year, &f)| Some(CaseNo { year, seq: u32::try_from(f).ok()? }.to_string()))
                .collect();
            let said = if unsure { Msg::RecoverImportUnsure } else { Msg::RecoverImportUnfinished };
            out.push(format!("{}: {}", t(said), from.join(", ")));
        }
        if let Some(Tail { saves, last_found }) = self.tail {
            match saves {
                Some((missing, counted)) => out.push(format!("{}: {missing}/{counted}", t(Msg::RecoverSavesMissing))),
                None => out.push(t(Msg::RecoverNoSeal).to_string()),
            }
            if let Some(last) = last_found {
                out.push(format!("  {}: {last}", t(Msg::RecoverMaybeAfter)));
            }
        }
        if !self.partial.is_empty() {
            out.push(format!("{} ({}):", t(Msg::RecoverPartial), self.partial.len()));
            for (no, kept, known) in &self.partial {
                out.push(format!("  {no}  {kept}/{known} {}", t(Msg::RecoverSteps)));
            }
        }
        if !self.unread.is_empty() || !self.cut.is_empty() {
            out.push(format!("{} ({}):", t(Msg::RecoverUnread), self.unread.len() + self.cut.len()));
            for name in &self.cut {
                out.push(format!("  {name}: {}", t(Msg::RecoverTreeCut)));
            }
            for u in self.unread.iter().take(50) {
                out.push(format!("  {u}"));
            }
            if self.unread.len() > 50 {
                out.push(format!("  … ({})", self.unread.len()));
            }
        }
        out.extend(self.kept.lines(lang));
        out.push(t(Msg::RecoverHint).to_string());
        out.join("\n")
    }
}

/// Salvage `dir` into `out` (default: beside it, named after it), which
/// must not exist yet. Nothing in `dir` is written.
pub fn recover(dir: &Path, out: Option<&Path>) -> Result<Report> {
    match verify::place(dir) {
        Ok(Place::Database { .. }) => {}
        Ok(Place::Absent | Place::Empty) => return Err(place_error(Msg::PlaceMissing, dir)),
        // A marker lost with the rest: sled's data and config files are
        // enough to read from.
        Err(e) => {
            let mut conf = Vec::new();
            if let Ok(f) = super::seal::open_nofollow(&dir.join("conf")) {
                let _ = std::io::Read::read_to_end(&mut std::io::Read::take(f, 64), &mut conf);
            }
            if !fs::symlink_metadata(dir.join("db")).is_ok_and(|m| m.is_file()) || !conf.starts_with(b"segment_size: ")
            {
                return Err(e);
            }
        }
    }
    verify::no_symlinks(dir)?;
    let _shared = lock::share(dir).map_err(|e| match e {
        lock::LockError::Held(h) => StoreError::Locked(h),
        lock::LockError::Io(io) => verify::io_error(io, &dir.join("jiedai.lock")),
    })?;
    let target = match out {
        Some(p) => p.to_path_buf(),
        None => beside(dir)?,
    };
    if fs::symlink_metadata(&target).is_ok() {
        return Err(place_error(Msg::RecoverExists, &target));
    }
    if !verify::parent_exists(&target) {
        return Err(place_error(Msg::PlaceNoParent, &target));
    }
    let seal = match super::seal::Seal::read(dir) {
        super::seal::Found::Seal(s) => Some(s),
        _ => None,
    };
    let (names, bad_blobs) = readable_files(dir);
    let missing_blobs: Vec<String> = seal
        .iter()
        .flat_map(|s| s.files.keys())
        .filter(|n| n.starts_with("blobs/") && !names.contains(n))
        .cloned()
        .collect();
    // What sled gives, and where it cannot read a tree (or at all), our own
    // records found in the raw bytes.
    let mut trees = match read_trees(dir, &names, &missing_blobs) {
        Ok(t) => t,
        Err(_) => vec![TreeRead::default(); TREES.len()],
    };
    super::scan::scan(dir).fill(&mut trees);
    let imports = seal.as_ref().map_or(&[][..], |s| s.imports.as_slice());
    let mut salvage = assemble(&trees, &raw_cases(dir), imports);
    salvage.unread.extend(bad_blobs);
    if salvage.cases.is_empty() && salvage.residents.is_empty() && salvage.cadres.is_empty() {
        return Err(place_error(Msg::RecoverNothing, dir));
    }
    let last = salvage.cases.iter().map(|(c, _)| c.no).chain(salvage.lost.iter().map(|l| l.no)).max();
    let tail = match seal {
        Some(s) if s.commits > salvage.commits => {
            Some(Tail { saves: Some((s.commits - salvage.commits, s.commits)), last_found: last })
        }
        Some(_) => None,
        None => Some(Tail { saves: None, last_found: last }),
    };
    // Built inside a hidden folder, its marker removed as soon as sled is
    // open, and renamed into place only when complete: a recover killed part
    // way leaves no half-made database that `check` would call sound.
    let wrapper = partial_name(&target);
    let building = wrapper.join("db");
    let built = build(&wrapper, &building, &salvage).and_then(|()| publish(&building, &target));
    // The folder it was built in, empty now or half-made: it goes.
    let _ = fs::remove_dir_all(&wrapper);
    built?;
    let recovered: std::collections::HashSet<CaseNo> = salvage.cases.iter().map(|(c, _)| c.no).collect();
    let kept = super::channel_io::kept(&salvage.meta, &|no| recovered.contains(&no));
    Ok(Report {
        target,
        recovered: salvage.cases.len(),
        lost: salvage.lost,
        partial: salvage.partial,
        unread: salvage.unread,
        cut: salvage.cut,
        tail,
        kept,
        unfinished: salvage.unfinished,
    })
}

/// `.<target>.partial-<pid>` beside the target: hidden, and named for
/// what it is should a kill leave it behind.
fn partial_name(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "jiedai".into());
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".{name}.partial-{}", std::process::id()))
}

/// The salvage written into a new database at `building` inside `wrapper`,
/// closed, its marker removed until `publish` (so, killed, it is no
/// database at all).
fn build(wrapper: &Path, building: &Path, salvage: &Salvage) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    if fs::symlink_metadata(wrapper).is_ok() {
        // Our own pid's leftover from an earlier life: ours to remove.
        fs::remove_dir_all(wrapper).map_err(|e| verify::io_error(e, wrapper))?;
    }
    fs::DirBuilder::new().mode(0o700).create(wrapper).map_err(|e| verify::io_error(e, wrapper))?;
    let store = Store::open(building)?;
    fs::remove_file(building.join(verify::MARKER)).map_err(|e| verify::io_error(e, building))?;
    write(&store, salvage).and_then(|()| store.close())
}

/// Mark the finished database and rename it to `target`. A rename never
/// replaces a directory with anything in it (nor a file), so whatever
/// appeared there meanwhile is kept and the recover fails.
fn publish(building: &Path, target: &Path) -> Result<()> {
    verify::write_marker(building).map_err(|e| verify::io_error(e, building))?;
    fs::File::open(building).and_then(|d| d.sync_all()).map_err(|e| verify::io_error(e, building))?;
    if fs::symlink_metadata(target).is_ok() {
        return Err(place_error(Msg::RecoverExists, target));
    }
    fs::rename(building, target).map_err(|e| match e.kind() {
        std::io::ErrorKind::DirectoryNotEmpty | std::io::ErrorKind::NotADirectory => {
            place_error(Msg::RecoverExists, target)
        }
        _ => verify::io_error(e, target),
    })?;
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::File::open(parent).and_then(|d| d.sync_all()).map_err(|e| verify::io_error(e, parent))
}

/// `<dir>.recovered-<UTC time>`, in the same parent; never one that exists.
fn beside(dir: &Path) -> Result<PathBuf> {
    let full = fs::canonicalize(dir).map_err(|e| verify::io_error(e, dir))?;
    let name = full.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "jiedai".into());
    let parent = full.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    for n in 1..1000 {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let candidate = parent.join(format!("{name}.recovered-{stamp}{suffix}"));
        if fs::symlink_metadata(&candidate).is_err() {
            return Ok(candidate);
        }
    }
    Err(place_error(Msg::RecoverExists, &parent))
}

// ---- putting the cases back together ------------------------------------------

#[derive(Default)]
struct Salvage {
    cases: Vec<(Case, Vec<Event>)>,
    residents: Vec<Resident>,
    cadres: Vec<Cadre>,
    villages: Vec<Village>,
    drafts: Vec<Draft>,
    queue: Vec<QueueEntry>,
    meta: Vec<(Vec<u8>, Vec<u8>)>,
    next_seq: BTreeMap<u16, u64>,
    lost: Vec<Lost>,
    partial: Vec<(CaseNo, usize, usize)>,
    unread: Vec<String>,
    cut: Vec<&'static str>,
    /// The commit count in what was read.
    commits: u64,
    /// An import's mark read, and no finished import in the seal with its
    /// numbers: per year, its first number.
    unfinished: Option<BTreeMap<u16, u64>>,
}

fn tree<'a>(trees: &'a [TreeRead], name: &str) -> &'a TreeRead {
    static EMPTY: TreeRead = TreeRead { records: Vec::new(), complete: false };
    TREES.iter().position(|t| *t == name).and_then(|i| trees.get(i)).unwrap_or(&EMPTY)
}

fn decoded<T: Record>(trees: &[TreeRead], name: &str, unread: &mut Vec<String>) -> Vec<T> {
    let mut out = Vec::new();
    for (k, v) in &tree(trees, name).records {
        match decode::<T>(v) {
            Ok(x) => out.push(x),
            Err(_) => unread.push(format!("{name} {}", shown(k))),
        }
    }
    out
}

/// What the officer reads of a case that is gone: its name and summary.
fn known_of(case: &Case) -> String {
    let clip = |s: &str, n: usize| crate::domain::text::clean_line(s).chars().take(n).collect::<String>();
    [clip(&case.intake.name, 12), clip(&case.intake.summary, 24)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The longest run of events, from the registration, that replays.
fn replayable(no: CaseNo, events: &BTreeMap<u32, Event>) -> Option<(Case, Vec<Event>)> {
    let run: Vec<Event> =
        events.iter().enumerate().take_while(|(i, (s, _))| **s as usize == *i).map(|(_, (_, e))| e.clone()).collect();
    (1..=run.len()).rev().find_map(|n| Case::replay(no, &run[..n]).map(|c| (c, run[..n].to_vec())))
}

/// A timeline whose replay disagrees with the case's own record of the
/// same length has a damaged event that still decodes (sled gave one back
/// with a flipped bit in its date): most likely the newest, so the timeline
/// is cut before it and the case named as not back whole.
fn agreeing((case, evs): (Case, Vec<Event>), view: Option<&Case>) -> Option<(Case, Vec<Event>)> {
    match view {
        Some(v) if v.events as usize == evs.len() && *v != case => {
            let run: BTreeMap<u32, Event> =
                evs[..evs.len() - 1].iter().cloned().enumerate().map(|(i, e)| (i as u32, e)).collect();
            replayable(case.no, &run)
        }
        _ => Some((case, evs)),
    }
}

fn assemble(trees: &[TreeRead], raw: &BTreeMap<CaseNo, Case>, imports: &[super::seal::Finished]) -> Salvage {
    let mut s =
        Salvage { cut: TREES.into_iter().filter(|name| !tree(trees, name).complete).collect(), ..Salvage::default() };
    // Every case number any record speaks of, and the best copy of each case.
    let mut known: BTreeSet<CaseNo> = BTreeSet::new();
    let mut views: BTreeMap<CaseNo, Case> = BTreeMap::new();
    let mut events: BTreeMap<CaseNo, BTreeMap<u32, Event>> = BTreeMap::new();
    for (k, v) in &tree(trees, EVENTS).records {
        let (Some(no), Some(seq)) =
            (case_from_key(k), k.get(6..10).and_then(|b| b.try_into().ok()).map(u32::from_be_bytes))
        else {
            s.unread.push(format!("{EVENTS} {}", shown(k)));
            continue;
        };
        known.insert(no);
        match decode::<Event>(v) {
            Ok(e) => {
                events.entry(no).or_default().insert(seq, e);
            }
            Err(_) => s.unread.push(format!("{EVENTS} {no} #{seq}")),
        }
    }
    for (name, keyed) in [(CASES, false), (OPEN, true), (FOLLOW_DUE, true), (INSPECT_DUE, true)] {
        for (k, v) in &tree(trees, name).records {
            let no = if keyed { case_from_dated_key(k) } else { case_from_key(k) };
            let Some(no) = no else { continue };
            known.insert(no);
            match decode::<Case>(v) {
                Ok(c) if views.get(&no).is_none_or(|old| c.events > old.events) => {
                    views.insert(no, c);
                }
                Ok(_) => {}
                Err(_) if !keyed => s.unread.push(format!("{CASES} {no}")),
                Err(_) => {}
            }
        }
    }
    // Copies of an undone import's cases stay in the raw bytes: not cases.
    let undone = super::staged::undone(&tree(trees, META).records, &mut s.unread);
    for (no, case) in raw {
        if undone.get(&no.year).is_some_and(|from| u64::from(no.seq) >= *from) {
            continue;
        }
        known.insert(*no);
        if views.get(no).is_none_or(|old| case.events > old.events) {
            views.insert(*no, case.clone());
        }
    }
    for (k, _) in &tree(trees, RESIDENT_CASES).records {
        if let Some(no) = k.len().checked_sub(6).and_then(|p| case_from_key(&k[p..])) {
            known.insert(no);
        }
    }
    // An import cut short (its mark still in meta) never counted: its cases
    // are dropped, as opening the database would undo them.
    let mut staged = BTreeMap::new();
    for (k, v) in &tree(trees, META).records {
        let key = String::from_utf8_lossy(k);
        if k.as_slice() == super::staged::STAGING_KEY {
            staged = super::staged::firsts(v);
        } else if k.as_slice() == super::staged::UNDONE_KEY {
            // Read above; of no use in the new database.
        } else if k.as_slice() == COMMITS_KEY {
            s.commits = decode::<Counter>(v).map_or(0, |c| c.0);
        } else if let Some(year) = key.strip_prefix("next_seq:").and_then(|y| y.parse::<u16>().ok()) {
            if let Ok(c) = decode::<Counter>(v) {
                s.next_seq.insert(year, c.0);
            }
        } else {
            let sound = if k.as_slice() == ROSTER_KEY {
                decode::<Roster>(v).is_ok()
            } else if k.as_slice() == RULES_KEY {
                decode::<DeadlineRules>(v).is_ok()
            } else if key.starts_with("queue:") {
                decode::<Counter>(v).is_ok()
            } else if let Some(sound) = super::channel_io::salvaged(k, v) {
                sound
            } else {
                continue;
            };
            if sound {
                s.meta.push((k.clone(), v.clone()));
            } else {
                s.unread.push(format!("{META} {}", shown(k)));
            }
        }
    }
    // The mark of an import the seal lists as finished is a view from
    // before its finish (damage took sled back): its cases are cases, the
    // numbers it gave were given, and its commits were counted. Any other
    // mark is an import cut short, left out as opening would undo it.
    if !staged.is_empty() {
        match super::finished::matching(imports, &staged) {
            Some(f) => {
                s.commits = s.commits.max(f.after);
                staged.clear();
            }
            None => s.unfinished = Some(staged.clone()),
        }
    }
    // Every number a finished import gave was a case, whether or not its
    // year's counter could be read.
    for f in imports {
        for (&year, &(_, next)) in &f.ranges {
            if staged.get(&year).is_none_or(|first| next <= *first) {
                let n = s.next_seq.entry(year).or_default();
                *n = (*n).max(next);
            }
        }
    }
    // Numbers are given out in order: every one below a year's counter, or
    // below a number seen, was a case.
    let mut top: BTreeMap<u16, u32> = BTreeMap::new();
    for no in &known {
        let t = top.entry(no.year).or_default();
        *t = (*t).max(no.seq);
    }
    for (&year, &next) in &s.next_seq {
        let t = top.entry(year).or_default();
        *t = (*t).max(u32::try_from(next.saturating_sub(1)).unwrap_or(u32::MAX));
    }
    for (year, top) in top {
        for seq in 1..=top.min(1_000_000) {
            known.insert(CaseNo { year, seq });
        }
    }
    known.retain(|no| staged.get(&no.year).is_none_or(|first| u64::from(no.seq) < *first));
    // sled can give back an undone import's removed records too (its events
    // were seen again after the undoing): in a year an import was undone,
    // no number at or past the year's counter (or, if that does not read,
    // past the cases sled gives) was ever a case.
    let cases_top = |year: u16| {
        let top = tree(trees, CASES).records.iter().filter_map(|(k, _)| case_from_key(k)).filter(|n| n.year == year);
        top.map(|n| u64::from(n.seq) + 1).max().unwrap_or(1)
    };
    let bound: BTreeMap<u16, u64> = undone
        .iter()
        .map(|(&year, &from)| (year, from.max(s.next_seq.get(&year).copied().unwrap_or_else(|| cases_top(year)))))
        .collect();
    known.retain(|no| bound.get(&no.year).is_none_or(|b| u64::from(no.seq) < *b));
    for no in known {
        let view = views.get(&no);
        match events.get(&no).and_then(|evs| replayable(no, evs)).and_then(|r| agreeing(r, view)) {
            Some((case, evs)) => {
                let total = evs
                    .len()
                    .max(view.map_or(0, |v| v.events as usize))
                    .max(events.get(&no).and_then(|e| e.keys().max()).map_or(0, |m| *m as usize + 1));
                if evs.len() < total {
                    s.partial.push((no, evs.len(), total));
                }
                s.cases.push((case, evs));
            }
            None => s.lost.push(Lost {
                no,
                known: view.map(known_of).unwrap_or_default(),
                why: if view.is_some() { Msg::RecoverTimelineLost } else { Msg::RecoverNoRecord },
            }),
        }
    }
    s.residents = decoded(trees, RESIDENTS, &mut s.unread);
    s.cadres = decoded(trees, CADRES, &mut s.unread);
    s.villages = decoded(trees, VILLAGES, &mut s.unread);
    s.drafts = decoded(trees, DRAFTS, &mut s.unread);
    s.queue = decoded(trees, QUEUE, &mut s.unread);
    s
}

/// The salvage into the new database: each case with its events, its index
/// entries and its resident, as a save would have left them; counters that
/// never give a lost case's number again.
fn write(store: &Store, s: &Salvage) -> Result<()> {
    let mut next: BTreeMap<u16, u64> = s.next_seq.clone();
    let (mut open, mut commits) = (0u64, 0u64);
    for (case, evs) in &s.cases {
        for (i, e) in evs.iter().enumerate() {
            store.events.insert(event_key(case.no, i as u32), encode(e))?;
        }
        store.cases.insert(case_key(case.no), encode(case))?;
        let trees = [&store.open_idx, &store.follow_idx, &store.inspect_idx];
        for (i, key) in index_entries(case) {
            if let Some(k) = key {
                trees[i].insert(k, INDEX_VALUE)?;
            }
        }
        open += u64::from(case.pending_key().is_some());
        commits += evs.len() as u64;
        if let Some(r) = Resident::of(&case.intake) {
            let key = r.key();
            store.residents.insert(key.as_bytes(), encode(&r))?;
            store.resident_names.insert(joined(&r.name, key.as_bytes()), &[])?;
            store.resident_cases.insert(joined(&key, &case_key(case.no)), &[])?;
        }
    }
    for l in &s.lost {
        let n = next.entry(l.no.year).or_default();
        *n = (*n).max(u64::from(l.no.seq) + 1);
    }
    for (case, _) in &s.cases {
        let n = next.entry(case.no.year).or_default();
        *n = (*n).max(u64::from(case.no.seq) + 1);
    }
    for r in &s.residents {
        let key = r.key();
        store.residents.insert(key.as_bytes(), encode(r))?;
        store.resident_names.insert(joined(&r.name, key.as_bytes()), &[])?;
    }
    for c in &s.cadres {
        store.cadres.insert(c.name.as_bytes(), encode(c))?;
    }
    for v in &s.villages {
        store.villages.insert(v.name.as_bytes(), encode(v))?;
    }
    for d in &s.drafts {
        store.put_draft(d)?;
    }
    store.sync_drafts()?;
    for q in &s.queue {
        store.queue.insert(queue_key(q.day, q.number), encode(q))?;
    }
    for (k, v) in &s.meta {
        store.meta.insert(k.as_slice(), v.as_slice())?;
    }
    for (year, n) in next {
        store.meta.insert(year_counter_key(year), encode(&Counter(n)))?;
    }
    store.meta.insert(COMMITS_KEY, encode(&Counter(commits)))?;
    store.meta.insert(OPEN_COUNT_KEY, encode(&Counter(open)))?;
    super::channel_io::counters_past_kept(&store.meta)?;
    // The cases were written directly: their figures counted from them.
    store.rebuild_tallies()?;
    store.flush_durable()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every case back, but saves the seal counted not found (the notes of
    /// a cut tail): the report names them and does not also say nothing was
    /// lost; with nothing missing it does.
    #[test]
    fn saves_not_found_are_not_called_nothing_lost() {
        let report = |tail| Report {
            target: PathBuf::from("db.recovered"),
            recovered: 3,
            lost: Vec::new(),
            partial: Vec::new(),
            unread: Vec::new(),
            cut: Vec::new(),
            tail,
            kept: super::super::Kept::default(),
            unfinished: None,
        };
        let last = Some(CaseNo { year: 2026, seq: 3 });
        let cut = report(Some(Tail { saves: Some((5, 4714)), last_found: last })).text(Lang::Zh);
        assert!(!cut.contains("没有发现丢失的事件"), "{cut}");
        assert!(cut.contains(&format!("{}: 5/4714", Msg::RecoverSavesMissing.text(Lang::Zh))), "{cut}");
        let unsealed = report(Some(Tail { saves: None, last_found: last })).text(Lang::En);
        assert!(!unsealed.contains("No case was found lost"), "{unsealed}");
        assert!(report(None).text(Lang::Zh).contains("没有发现丢失的事件"));
    }
}
