//! Which bytes the terminal's editing keys send, and the user's choice of
//! it, remembered. PuTTY's "Function keys and keypad" setting in VT400
//! mode sends the VT220 editing keypad's codes for the PC keys: Home is
//! ESC[2~ (Insert elsewhere), End ESC[5~ (PgUp elsewhere), PgUp ESC[3~
//! (Delete elsewhere). In SCO mode the F-keys are ESC[M..ESC[Q. Bytes alone
//! cannot tell these apart, so the user says which; until then no byte
//! sequence that is a movement key in any mode deletes anything.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The terminal's keyboard mode, as PuTTY names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Keypad {
    /// Not known: the standard meanings, except that ESC[3~ (Delete in the
    /// standard modes, PgUp in VT400) does nothing and says so. Ctrl+D
    /// deletes forward.
    #[default]
    Safe,
    /// PuTTY's ESC[n~ (its default), Linux, Xterm R6 and VT100+; xterm,
    /// Xshell, Windows Terminal, tmux and the Linux console.
    Standard,
    /// PuTTY's VT400.
    Vt400,
    /// PuTTY's SCO.
    Sco,
}

impl Keypad {
    pub const ALL: [Keypad; 4] = [Keypad::Safe, Keypad::Standard, Keypad::Vt400, Keypad::Sco];

    pub fn name(self) -> &'static str {
        match self {
            Keypad::Safe => "safe",
            Keypad::Standard => "standard",
            Keypad::Vt400 => "vt400",
            Keypad::Sco => "sco",
        }
    }

    pub fn parse(s: &str) -> Option<Keypad> {
        Keypad::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(s.trim()))
    }
}

/// The user's settings file: `~/.config/jiedai/config` (XDG_CONFIG_HOME
/// is honoured).
pub fn config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "jiedai").map(|p| p.config_dir().join("config"))
}

/// What went wrong with the settings file; the desk still starts.
#[derive(Debug, PartialEq, Eq)]
pub enum ConfigTrouble {
    /// The file holds a keypad value we do not know.
    BadValue(PathBuf),
    /// The choice could not be written.
    NotSaved(PathBuf),
}

const KEY: &str = "keypad";

fn value_in(text: &str) -> Option<&str> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == KEY).then(|| v.trim())
    })
}

/// The setting to use: the one given now (and then remembered), else the
/// remembered one, else `Safe`.
pub fn choose(given: Option<Keypad>, path: Option<&Path>) -> (Keypad, Option<ConfigTrouble>) {
    let Some(path) = path else { return (given.unwrap_or_default(), None) };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    if let Some(k) = given {
        if value_in(&text).and_then(Keypad::parse) == Some(k) {
            return (k, None);
        }
        let trouble = save(path, &text, k).err().map(|_| ConfigTrouble::NotSaved(path.to_path_buf()));
        return (k, trouble);
    }
    match value_in(&text) {
        None => (Keypad::Safe, None),
        Some(v) => match Keypad::parse(v) {
            Some(k) => (k, None),
            None => (Keypad::Safe, Some(ConfigTrouble::BadValue(path.to_path_buf()))),
        },
    }
}

/// Write the file anew with the keypad line set, the other lines kept:
/// private (0600), and whole or not at all (a temporary file renamed).
fn save(path: &Path, old: &str, k: Keypad) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let mut lines: Vec<String> =
        old.lines().filter(|l| l.split_once('=').is_none_or(|(k, _)| k.trim() != KEY)).map(String::from).collect();
    lines.push(format!("{KEY} = {}", k.name()));
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
    // The mode given at creation is cut by the umask, never widened: set it.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(lines.join("\n").as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn given_is_remembered_privately_and_other_lines_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("jiedai").join("config");
        assert_eq!(choose(None, Some(&path)), (Keypad::Safe, None));
        assert_eq!(choose(Some(Keypad::Vt400), Some(&path)), (Keypad::Vt400, None));
        assert_eq!(std::fs::metadata(&path).expect("file").permissions().mode() & 0o777, 0o600);
        assert_eq!(choose(None, Some(&path)), (Keypad::Vt400, None));
        std::fs::write(&path, "# mine\ncolour = no\nkeypad = vt400\n").expect("write");
        assert_eq!(choose(Some(Keypad::Standard), Some(&path)), (Keypad::Standard, None));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "# mine\ncolour = no\nkeypad = standard\n");
        std::fs::write(&path, "keypad = vt500\n").expect("write");
        assert_eq!(choose(None, Some(&path)), (Keypad::Safe, Some(ConfigTrouble::BadValue(path.clone()))));
    }

    #[test]
    fn an_unwritable_place_is_said_and_the_choice_still_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").expect("write");
        let path = blocker.join("config");
        assert_eq!(choose(Some(Keypad::Sco), Some(&path)), (Keypad::Sco, Some(ConfigTrouble::NotSaved(path.clone()))));
    }
}
