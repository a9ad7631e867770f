use std::process::ExitCode;

use jiedai::cli::{Cli, Failure, desk_failure, parse_or_exit, run_sub};
use jiedai::protocol::Desk as _;
use jiedai::store::{Embedded, Store};

/// mimalloc rather than glibc's malloc: sled allocates and frees a node's
/// copy on every write, and glibc's arena lock and free-list work were a
/// third of an import's time (issue 16).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Residents' personal data: files we create are the owner's alone.
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
    // No transparent huge pages: mimalloc marks its arenas MADV_HUGEPAGE,
    // and where THP is "madvise" or "always" each 2 MiB it touched became
    // resident whole, 30+ MiB of a reading command's peak at 100k cases
    // (issue 16), for no CPU saved (an import of 20k rows: 4.5-4.6 s user
    // either way). The flag is the process's; failure changes nothing.
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // The UI language is known before parsing, so help and usage errors speak it.
    let cli = parse_or_exit(std::env::args_os().collect());
    let result = match &cli.command {
        Some(sub) => run_sub(&cli, sub),
        None => desk(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Stdout's reader went away (`| head -1`): quietly done, as cat is.
        Err(f) if f.is_reader_gone() => ExitCode::SUCCESS,
        Err(Failure(text)) => {
            // Never panic on a terminal that is gone.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "jiedai: {text}");
            ExitCode::FAILURE
        }
    }
}

fn desk(cli: &Cli) -> Result<(), Failure> {
    // The demo's throwaway database is this desk's alone: no server.
    if !cli.embedded && !cli.demo {
        return client_desk(cli);
    }
    let lang = cli.lang();
    let (dir, throwaway) = if cli.demo {
        let dir = std::env::temp_dir().join(format!("jiedai-demo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        (dir, true)
    } else {
        (cli.db_dir(), false)
    };
    let fail = |e: jiedai::store::StoreError| Failure(format!("{}\n({})", e.user_message(lang), dir.display()));
    // The default database's parents are ours to make; `--db` gets only its last component.
    if cli.db.is_none() && !throwaway {
        jiedai::store::make_default_parents(&dir).map_err(fail)?;
    }
    let store = Store::open(&dir).map_err(fail)?;
    if throwaway {
        jiedai::term::remove_on_exit(dir.clone());
        let today = jiedai::domain::time::china_date(jiedai::term::now());
        jiedai::demo::load(&store, today).map_err(|e| Failure(e.user_message(lang)))?;
    }
    let keypad = cli.keypad(lang);
    // The desk talks to the store only through the port; the store stamps
    // each save with this desk's user and its own clock.
    let desk = Embedded::new(store, cli.identity()).with_clock(std::sync::Arc::new(jiedai::term::now));
    let (operator, ask) = cli.desk_operator(&desk);
    let result = jiedai::term::run_desk(std::sync::Arc::new(desk), cli.look(), &operator, ask, keypad)
        .map_err(|e| desk_failure(&e, lang));
    if throwaway {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

/// The desk as a client of `jiedai serve` (started if none runs): the
/// server owns the database and signs each save as the user the kernel
/// names, so several cadres work on one database at once.
fn client_desk(cli: &Cli) -> Result<(), Failure> {
    let lang = cli.lang();
    let keypad = cli.keypad(lang);
    let desk = jiedai::serve::desk::SocketDesk::connect(&cli.desk_target()).map_err(Failure)?;
    let (claimed, ask) = cli.desk_operator(&desk);
    // The server's word, not `--operator`: it signs the saves.
    let operator = desk.operator().unwrap_or(claimed);
    jiedai::term::run_desk(std::sync::Arc::new(desk), cli.look(), &operator, ask, keypad)
        .map_err(|e| desk_failure(&e, lang))
}
