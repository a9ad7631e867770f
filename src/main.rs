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
    if matches!(cli.command, Some(jiedai::cli::Sub::Import { .. })) {
        keep_freed_memory();
    }
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

/// mimalloc's `mi_option_purge_delay` (its `mi_option_e`, mimalloc.h; the
/// Rust binding names the options around it but not this one).
const MI_OPTION_PURGE_DELAY: libc::c_int = 15;
/// What mimalloc 3 sets it to by default: freed memory goes back to the
/// system after a second unused.
const MI_PURGE_DELAY_DEFAULT: libc::c_long = 1000;

unsafe extern "C" {
    fn mi_option_get(option: libc::c_int) -> libc::c_long;
    fn mi_option_set(option: libc::c_int, value: libc::c_long);
}

/// An import frees and allocates sled's page copies all along; mimalloc
/// handing freed memory back to the system and taking it again (page
/// faults, pages zeroed) was ~0.7 s of a 100k-row import's ~10.5 s of CPU
/// (62,769 page faults; 767 without). A short-lived command keeps it: the
/// peak grows ~20 MiB. Left alone if the option is not at mimalloc's
/// default (set from MIMALLOC_PURGE_DELAY, or another mimalloc's layout).
fn keep_freed_memory() {
    // SAFETY: mimalloc's option calls take and return plain integers.
    unsafe {
        if mi_option_get(MI_OPTION_PURGE_DELAY) == MI_PURGE_DELAY_DEFAULT {
            mi_option_set(MI_OPTION_PURGE_DELAY, -1);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc's purge delay: the value the child
    /// process was started with (MIMALLOC_PURGE_DELAY) reads back there,
    /// and the default here (the variable unset).
    #[test]
    fn the_purge_delay_is_the_option_it_names() {
        const ENV: &str = "MIMALLOC_PURGE_DELAY";
        // SAFETY: reads a plain integer.
        let now = unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        match std::env::var(ENV) {
            Ok(v) => assert_eq!(v.parse::<libc::c_long>().ok(), Some(now)),
            Err(_) => {
                assert_eq!(now, MI_PURGE_DELAY_DEFAULT);
                let exe = std::env::current_exe().expect("exe");
                let out = std::process::Command::new(exe)
                    .args(["--exact", "tests::the_purge_delay_is_the_option_it_names", "--nocapture"])
                    .env(ENV, "4321")
                    .output()
                    .expect("child");
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(out.status.success() && text.contains("1 passed"), "{text}");
            }
        }
    }
}
