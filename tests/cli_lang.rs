//! The command line speaks the UI language: `--help` of every command and
//! every usage error are Chinese by default (no locale, or a Chinese one)
//! and English with `--lang en` or an English locale. The real binary.

use std::process::Output;

/// How the language is asked for.
#[derive(Clone, Copy, Debug)]
enum Ask {
    /// No locale at all.
    NoLocale,
    /// `LANG=zh_CN.UTF-8`.
    ZhLocale,
    /// `--lang en` in a Chinese locale.
    LangEn,
    /// `LANG=en_US.UTF-8`.
    EnLocale,
}

const CHINESE: [Ask; 2] = [Ask::NoLocale, Ask::ZhLocale];
const ENGLISH: [Ask; 2] = [Ask::LangEn, Ask::EnLocale];

fn run(ask: Ask, args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"));
    for var in ["LANG", "LC_ALL", "LC_MESSAGES", "JIEDAI_DB", "JIEDAI_KEYPAD"] {
        cmd.env_remove(var);
    }
    match ask {
        Ask::NoLocale => {}
        Ask::ZhLocale => {
            cmd.env("LANG", "zh_CN.UTF-8");
        }
        Ask::LangEn => {
            // First: `jiedai help CMD` takes no options after it.
            cmd.env("LANG", "zh_CN.UTF-8").args(["--lang", "en"]);
        }
        Ask::EnLocale => {
            cmd.env("LANG", "en_US.UTF-8");
        }
    }
    cmd.args(args).output().expect("run jiedai")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Help: on stdout, status 0, nothing on stderr.
fn help(ask: Ask, args: &[&str]) -> String {
    let out = run(ask, args);
    assert_eq!(out.status.code(), Some(0), "{ask:?} {args:?}: {}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{ask:?} {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// A usage error: on stderr, status 2, nothing on stdout.
fn usage_error(ask: Ask, args: &[&str]) -> String {
    let out = run(ask, args);
    assert_eq!(out.status.code(), Some(2), "{ask:?} {args:?}: {}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.stdout.is_empty(), "{ask:?} {args:?}: {}", text(&out.stdout));
    text(&out.stderr)
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// clap's own English, which must not reach a Chinese reader.
const CLAP_ENGLISH: &[&str] = &[
    "Usage",
    "Options:",
    "Commands:",
    "Arguments:",
    "[OPTIONS]",
    "[COMMAND]",
    "possible values",
    "[default:",
    "[env:",
    "Print help",
    "Print version",
    "error:",
    "invalid value",
    "out of range",
    "unrecognized",
    "unexpected",
    "tip:",
    "For more information",
];

fn assert_no_clap_english(what: &str, s: &str) {
    for english in CLAP_ENGLISH {
        assert!(!s.contains(english), "{what}: `{english}` in:\n{s}");
    }
}

#[test]
fn help_is_chinese_by_default_and_english_when_asked() {
    for ask in CHINESE {
        let top = help(ask, &["--help"]);
        for heading in ["用法: jiedai [选项] [命令]", "\n命令:\n", "\n选项:\n", "  report   一段时间的全乡报告"]
        {
            assert!(top.contains(heading), "{ask:?}: `{heading}` in:\n{top}");
        }
        let report = help(ask, &["report", "--help"]);
        assert!(report.contains("用法: jiedai report [选项]"), "{report}");
        assert!(report.contains("--from <日期>      第一天 (北京时间)"), "{report}");
        assert!(report.contains("[默认: text] [可选: text, json]"), "{report}");
        let import = help(ask, &["import", "--help"]);
        assert!(import.contains("\n参数:\n  <种类>  文件里是什么"), "{import}");
        // The columns of every kind, in Chinese.
        assert!(import.contains("列 (第一行写列名, 顺序不限; 其他列不读; 带 * 的必填):"), "{import}");
        assert!(import.contains("cadres     姓名* 职务 电话 联系 登录名 值班 (联系: 所联系的村或组"), "{import}");
        for (what, s) in [("--help", &top), ("report --help", &report), ("import --help", &import)] {
            assert_no_clap_english(&format!("{ask:?} {what}"), s);
        }
    }
    for ask in ENGLISH {
        let top = help(ask, &["--help"]);
        assert!(top.contains("Usage: jiedai [OPTIONS] [COMMAND]"), "{ask:?}: {top}");
        assert!(top.contains("  report   The township's report for a period"), "{ask:?}: {top}");
        assert!(top.contains("\nOptions:\n"), "{ask:?}: {top}");
        let report = help(ask, &["report", "--help"]);
        assert!(report.contains("--from <DATE>      First day (China time)"), "{ask:?}: {report}");
        let import = help(ask, &["import", "--help"]);
        assert!(import.contains("Columns (the first row names them"), "{ask:?}: {import}");
        assert!(import.contains("<KIND>  What the file holds"), "{ask:?}: {import}");
        for s in [&top, &report, &import] {
            assert!(!s.contains("用法") && !s.contains("选项") && !s.contains("显示本说明"), "{ask:?}: {s}");
        }
    }
    // `--lang=en` as one word, and `--lang zh` over an English locale.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(["--lang=en", "--help"])
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .expect("jiedai");
    assert!(text(&out.stdout).contains("Usage:"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(["report", "--help", "--lang", "zh"])
        .env("LC_ALL", "en_US.UTF-8")
        .output()
        .expect("jiedai");
    assert!(text(&out.stdout).contains("用法: jiedai report"));
}

/// The entries of a help text's sections: each line that names a command
/// or an argument, under 命令/参数/选项 (Commands/Arguments/Options).
fn entries(help: &str) -> Vec<&str> {
    const HEADINGS: [&str; 6] = ["命令:", "参数:", "选项:", "Commands:", "Arguments:", "Options:"];
    let mut out = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        if HEADINGS.contains(&line) {
            inside = true;
        } else if line.trim().is_empty() {
            inside = false;
        } else if inside {
            out.push(line);
        }
    }
    out
}

/// An entry's text, after its name and two spaces.
fn help_of(entry: &str) -> &str {
    entry.trim_start().split_once("  ").map_or("", |(_, text)| text)
}

/// Every command's help, walked from `jiedai --help`: in Chinese, every
/// command and argument line has Chinese (an argument added without its
/// Chinese text fails here), and none of clap's English is left; in
/// English, every line has its text.
#[test]
fn every_commands_help_is_in_chinese_and_in_english() {
    let top = help(Ask::NoLocale, &["--help"]);
    let commands: Vec<String> = top
        .split("\n命令:\n")
        .nth(1)
        .and_then(|s| s.split("\n\n").next())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(commands.len() >= 8, "{top}");
    let mut pages: Vec<Vec<String>> = vec![vec!["--help".into()]];
    for c in &commands {
        // `jiedai help` takes no options (clap's own), `help help` is its help.
        let flag = if c == "help" { "help" } else { "--help" };
        pages.push(vec![c.clone(), flag.into()]);
        pages.push(vec!["help".into(), c.clone()]);
    }
    let mut seen = 0;
    for page in &pages {
        let args: Vec<&str> = page.iter().map(String::as_str).collect();
        let zh = help(Ask::NoLocale, &args);
        assert!(zh.lines().next().is_some_and(has_chinese), "{args:?}: its about has no Chinese:\n{zh}");
        assert_no_clap_english(&format!("{args:?}"), &zh);
        for line in entries(&zh) {
            // Its text, not its name: `--to <日期>  Last day` has no Chinese.
            assert!(has_chinese(help_of(line)), "{args:?}: no Chinese in `{line}`:\n{zh}");
            seen += 1;
        }
        let en = help(Ask::LangEn, &args);
        for line in entries(&en) {
            assert!(help_of(line).chars().any(|c| c.is_ascii_alphabetic()), "{args:?}: `{line}` has no text:\n{en}");
        }
        assert_eq!(entries(&en).len(), entries(&zh).len(), "{args:?}:\n{zh}\n{en}");
    }
    assert!(seen > 80, "{seen} lines walked");
}

#[test]
fn a_bad_date_is_told_in_the_users_language() {
    for ask in CHINESE {
        let err = usage_error(ask, &["report", "--from", "2026-13-01"]);
        assert!(err.contains("--from: 日期无效: 2026-13-01(格式 YYYY-MM-DD)"), "{ask:?}: {err}");
        assert!(err.contains("用法: jiedai report [选项]"), "{err}");
        assert!(err.trim_end().ends_with("详细说明请看: jiedai report --help"), "{err}");
        assert_no_clap_english(&format!("{ask:?}"), &err);
        let err = usage_error(ask, &["export", "--to", "2026-02-30"]);
        assert!(err.contains("--to: 日期无效: 2026-02-30(格式 YYYY-MM-DD)"), "{ask:?}: {err}");
    }
    for ask in ENGLISH {
        let err = usage_error(ask, &["report", "--from", "2026-13-01"]);
        assert!(err.contains("--from: Not a valid date: 2026-13-01 (write YYYY-MM-DD)"), "{ask:?}: {err}");
        assert!(err.trim_end().ends_with("For more, see: jiedai report --help"), "{err}");
        assert!(!has_chinese(&err), "{err}");
    }
}

#[test]
fn an_unknown_command_is_named_with_a_suggestion() {
    let err = usage_error(Ask::NoLocale, &["frobnicate"]);
    assert!(err.starts_with("jiedai: 没有这个命令: frobnicate\n"), "{err}");
    assert!(err.trim_end().ends_with("详细说明请看: jiedai --help"), "{err}");
    let err = usage_error(Ask::ZhLocale, &["exprot"]);
    assert!(err.contains("没有这个命令: exprot\n是不是要写 export?"), "{err}");
    assert_no_clap_english("exprot", &err);
    let err = usage_error(Ask::EnLocale, &["exprot"]);
    assert!(err.contains("No such command: exprot\ndid you mean export?"), "{err}");
    assert!(err.trim_end().ends_with("For more, see: jiedai --help"), "{err}");
}

#[test]
fn a_missing_argument_is_named() {
    let err = usage_error(Ask::NoLocale, &["import"]);
    assert!(err.contains("缺少必须写的参数: <种类>, <文件>"), "{err}");
    assert!(err.contains("用法: jiedai import [选项] <种类> <文件>"), "{err}");
    assert!(err.trim_end().ends_with("jiedai import --help"), "{err}");
    assert_no_clap_english("import", &err);
    let err = usage_error(Ask::LangEn, &["import", "cases"]);
    assert!(err.contains("Required arguments are missing: <FILE>"), "{err}");
    let err = usage_error(Ask::ZhLocale, &["export", "--from"]);
    assert!(err.contains("--from 后面要写一个值"), "{err}");
}

#[test]
fn a_wrong_option_or_value_is_named_with_what_would_do() {
    let err = usage_error(Ask::NoLocale, &["report", "--form", "2026-01-01"]);
    assert!(err.contains("没有这个选项: --form\n是不是要写 --from?"), "{err}");
    let err = usage_error(Ask::NoLocale, &["export", "--format", "pdf"]);
    assert!(err.contains("--format 不能是 pdf\n可选的有: json, csv, xlsx"), "{err}");
    let err = usage_error(Ask::NoLocale, &["--lang", "fr"]);
    assert!(err.contains("--lang 不能是 fr\n可选的有: zh, en"), "{err}");
    let err = usage_error(Ask::NoLocale, &["import", "cases", "a.csv", "b.csv"]);
    assert!(err.contains("多出来的参数: b.csv"), "{err}");
    let err = usage_error(Ask::NoLocale, &["report", "--to", "2026-01-01", "--to", "2026-02-01"]);
    assert!(err.contains("--to 只能写一次"), "{err}");
    for err in [
        usage_error(Ask::ZhLocale, &["check", "--frm"]),
        usage_error(Ask::ZhLocale, &["export", "--format"]),
        usage_error(Ask::ZhLocale, &["recover", "extra"]),
    ] {
        assert_no_clap_english("zh", &err);
        assert!(has_chinese(&err), "{err}");
    }
    let err = usage_error(Ask::EnLocale, &["export", "--format", "pdf"]);
    assert!(err.contains("pdf is not a valid value for --format\npossible values: json, csv, xlsx"), "{err}");
}

#[test]
fn version_goes_to_stdout_with_status_0() {
    for ask in [Ask::NoLocale, Ask::EnLocale] {
        let v = help(ask, &["--version"]);
        assert_eq!(v.trim(), format!("jiedai {}", env!("CARGO_PKG_VERSION")));
    }
}

#[test]
fn top_level_help_snapshots() {
    insta::assert_snapshot!("help_zh", help(Ask::NoLocale, &["--help"]));
    insta::assert_snapshot!("help_en", help(Ask::EnLocale, &["--help"]));
}

/// The README's example of a usage error is the binary's, word for word.
#[test]
fn the_readmes_usage_error_is_what_the_binary_says() {
    let readme = include_str!("../README.md");
    let zh = usage_error(Ask::NoLocale, &["report", "--from", "2026-13-01"]);
    assert!(readme.contains(&format!("```\n{zh}```")), "README lacks:\n{zh}");
    let en = usage_error(Ask::EnLocale, &["report", "--from", "2026-13-01"]);
    let first = en.lines().next().unwrap_or_default().trim_start_matches("jiedai: ");
    assert!(readme.contains(&format!("(`--lang en`: `{first}`.)")), "README lacks: {first}");
}

/// The locale as the desk reads it: `LC_ALL`, then `LC_MESSAGES`, then
/// `LANG`, the first one set decides; English only when it starts with `en`.
#[test]
fn the_locale_is_read_as_the_desk_reads_it() {
    let usage_line = |env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"));
        for var in ["LANG", "LC_ALL", "LC_MESSAGES"] {
            cmd.env_remove(var);
        }
        let out = cmd.envs(env.iter().copied()).arg("--help").output().expect("jiedai");
        text(&out.stdout).lines().find(|l| l.contains("jiedai [")).unwrap_or_default().to_string()
    };
    let zh = "用法: jiedai [选项] [命令]";
    let en = "Usage: jiedai [OPTIONS] [COMMAND]";
    assert_eq!(usage_line(&[("LC_MESSAGES", "en_GB.UTF-8"), ("LANG", "zh_CN.UTF-8")]), en);
    assert_eq!(usage_line(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")]), zh);
    assert_eq!(usage_line(&[("LC_ALL", "en_US.UTF-8"), ("LC_MESSAGES", "zh_CN.UTF-8")]), en);
    assert_eq!(usage_line(&[("LANG", "fr_FR.UTF-8")]), zh);
    assert_eq!(usage_line(&[("LANG", "")]), zh);
}
