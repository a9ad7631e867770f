//! Reading the command line in the UI language: the language is decided
//! from argv and the locale before clap parses (the desk's own rule), so
//! that `--help` and every usage error are already in it. Usage errors are
//! told by us from clap's error kind and context, exit status 2; `--help`
//! and `--version` go to stdout with status 0.

use std::ffi::OsString;
use std::io::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Command, FromArgMatches as _};

use super::Cli;
use super::help::{clap_words_zh, command};
use crate::i18n::{Lang, Msg, fill};

/// The UI language as the desk chooses it: `--lang xx` or `--lang=xx`
/// (the last one before `--`), else the locale (`Lang::from_env`).
pub fn lang_of_args(args: &[OsString]) -> Lang {
    let mut given = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            given = it.next().map(|v| v.into_owned());
        } else if let Some(v) = a.strip_prefix("--lang=") {
            given = Some(v.to_string());
        }
    }
    given.as_deref().and_then(Lang::parse).unwrap_or_else(Lang::from_env)
}

/// The parsed command line; help, version and usage errors end the
/// process here, in the UI language.
pub fn parse_or_exit(args: Vec<OsString>) -> Cli {
    let lang = lang_of_args(&args);
    let cmd = command(lang);
    let result = cmd.clone().try_get_matches_from(&args).and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let text = e.render().to_string();
            let text = if lang == Lang::Zh { clap_words_zh(&text) } else { text };
            // A closed pipe (`jiedai --help | head`) is no failure.
            let _ = write!(std::io::stdout(), "{}", text.trim_end_matches('\n').to_string() + "\n");
            std::process::exit(0)
        }
        Err(e) => {
            let _ = write!(std::io::stderr(), "{}", error_text(&e, &cmd, &args, lang));
            std::process::exit(2)
        }
    }
}

/// A value our own parsers refuse, told in the UI language when the
/// error is rendered (a value parser does not know the language).
#[derive(Debug)]
pub enum BadValue {
    Date(String),
}

impl BadValue {
    fn text(&self, lang: Lang) -> String {
        match self {
            BadValue::Date(v) => fill(Msg::UsageBadDate.text(lang), &[("value", v)]),
        }
    }
}

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for BadValue {}

/// A day on the command line: YYYY-MM-DD.
pub fn date(s: &str) -> Result<chrono::NaiveDate, BadValue> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| BadValue::Date(s.to_string()))
}

/// The usage error as the user reads it: what is wrong, a suggestion if
/// clap has one, the usage of the command at hand, and where to read more.
pub fn error_text(e: &clap::Error, cmd: &Command, args: &[OsString], lang: Lang) -> String {
    let t = |m: Msg| m.text(lang);
    let one = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let all = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    };
    // `--from <日期>` names the option; the value name is for the usage.
    let flag =
        |s: &str| if s.starts_with('-') { s.split([' ', '=']).next().unwrap_or(s).to_string() } else { s.to_string() };
    let arg = one(ContextKind::InvalidArg).map(|a| flag(&a)).unwrap_or_default();
    let value = one(ContextKind::InvalidValue).unwrap_or_default();
    let mut lines = Vec::new();
    match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => lines.push(fill(t(Msg::UsageNoValue), &[("arg", &arg)])),
        ErrorKind::InvalidValue => {
            lines.push(fill(t(Msg::UsageBadValue), &[("arg", &arg), ("value", &value)]));
            let valid = all(ContextKind::ValidValue);
            if !valid.is_empty() {
                lines.push(format!("{}: {}", t(Msg::UsageChoices), valid.join(", ")));
            }
        }
        ErrorKind::ValueValidation => {
            let ours = std::error::Error::source(e).and_then(|s| s.downcast_ref::<BadValue>());
            lines.push(match ours {
                Some(bad) => format!("{arg}: {}", bad.text(lang)),
                None => fill(t(Msg::UsageInvalid), &[("arg", &arg), ("value", &value)]),
            });
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            lines.push(fill(t(Msg::UsageUnknownOption), &[("arg", &arg)]))
        }
        ErrorKind::UnknownArgument => lines.push(fill(t(Msg::UsageExtraArg), &[("arg", &arg)])),
        ErrorKind::InvalidSubcommand => {
            let sub = one(ContextKind::InvalidSubcommand).unwrap_or_default();
            lines.push(fill(t(Msg::UsageUnknownCommand), &[("cmd", &sub)]));
        }
        ErrorKind::MissingRequiredArgument => {
            lines.push(format!("{}: {}", t(Msg::UsageMissing), all(ContextKind::InvalidArg).join(", ")))
        }
        ErrorKind::ArgumentConflict => {
            let prior = all(ContextKind::PriorArg).iter().map(|p| flag(p)).collect::<Vec<_>>();
            if prior.is_empty() || prior == [arg.clone()] {
                lines.push(fill(t(Msg::UsageTwice), &[("arg", &arg)]));
            } else {
                lines.push(fill(t(Msg::UsageConflict), &[("arg", &arg), ("other", &prior.join(", "))]));
            }
        }
        ErrorKind::InvalidUtf8 => lines.push(t(Msg::UsageNotUtf8).to_string()),
        _ if !arg.is_empty() => lines.push(fill(t(Msg::UsageInvalid), &[("arg", &arg), ("value", &value)])),
        _ => lines.push(t(Msg::UsageWrong).to_string()),
    }
    // clap lists the likeliest last.
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand, ContextKind::SuggestedValue]
        .into_iter()
        .find_map(|k| all(k).pop());
    if let Some(what) = suggested {
        lines.push(fill(t(Msg::UsageDidYouMean), &[("what", &what)]));
    }
    let (path, mut at) = command_at(cmd, args);
    let usage = at.render_usage().to_string();
    let usage = usage.split_once(": ").map_or(usage.as_str(), |(_, u)| u).trim().to_string();
    let usage = if lang == Lang::Zh { clap_words_zh(&usage) } else { usage };
    format!(
        "jiedai: {}\n\n{}: {usage}\n{}: {path} --help\n",
        lines.join("\n"),
        t(Msg::UsageLine),
        t(Msg::UsageMoreHelp)
    )
}

/// The (sub)command the user was typing: the first word that is not an
/// option or an option's value, if it names one.
fn command_at(cmd: &Command, args: &[OsString]) -> (String, Command) {
    let takes_value = |word: &str| {
        cmd.get_arguments().any(|a| {
            a.get_action().takes_values()
                && (a.get_long().is_some_and(|l| word == format!("--{l}"))
                    || a.get_short().is_some_and(|s| word == format!("-{s}")))
        })
    };
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = it.next() {
        if word == "--" {
            break;
        }
        if word.starts_with('-') {
            if takes_value(&word) {
                it.next();
            }
            continue;
        }
        if let Some(sub) = cmd.find_subcommand(word.as_ref()).filter(|s| s.get_name() != "help") {
            return (format!("jiedai {}", sub.get_name()), sub.clone());
        }
        break;
    }
    ("jiedai".to_string(), cmd.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_from_argv_as_the_desk_reads_it() {
        assert_eq!(lang_of_args(&os(&["jiedai", "report", "--lang", "en"])), Lang::En);
        assert_eq!(lang_of_args(&os(&["jiedai", "--lang=en", "--help"])), Lang::En);
        assert_eq!(lang_of_args(&os(&["jiedai", "--lang", "zh", "--help"])), Lang::Zh);
        // After `--` it is a value, not an option.
        assert_eq!(lang_of_args(&os(&["jiedai", "--lang", "zh", "--", "--lang=en"])), Lang::Zh);
    }

    #[test]
    fn a_date_is_year_month_day() {
        assert_eq!(date("2026-02-12").ok(), chrono::NaiveDate::from_ymd_opt(2026, 2, 12));
        let bad = date("2026-13-01").err().map(|e| e.text(Lang::Zh));
        assert_eq!(bad.as_deref(), Some("日期无效: 2026-13-01(格式 YYYY-MM-DD)"));
    }
}
