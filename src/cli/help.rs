//! Every text `jiedai --help` prints, in both languages, in one table: the
//! clap derive in `cli.rs` carries the shape (names, types, defaults), this
//! file the words. A new subcommand or argument adds its line to `TEXTS`
//! (and its value name to `PLACEHOLDERS`); a unit test below and
//! tests/cli_lang.rs fail until it does.

use clap::Command;

use crate::i18n::Lang;

/// (where, 中文, English). `jiedai export` is a command, `jiedai export
/// --from` its option (by its long name), `jiedai import <kind>` a
/// positional argument (by its id).
const TEXTS: &[(&str, &str, &str)] = &[
    (
        "jiedai",
        "群众接待日接待台: 登记群众反映的问题, 跟踪办理, 出统计报告。\n\
         周三接待排队、待办事件、实地查看、回访和全乡统计都在这里; 全用键盘操作, \
         通过 SSH 在 80x24 的终端上也能用。",
        "群众接待日 reception desk: register residents' problems, follow them up, report.\n\
         The Wednesday intake queue, pending cases, site inspections, return visits and the \
         township's statistics. Keyboard only; works over SSH at 80x24.",
    ),
    (
        "jiedai --db",
        "数据库目录 [默认: 本用户的数据目录下]",
        "Database directory [default: under the user's data directory]",
    ),
    (
        "jiedai --lang",
        "界面语言: zh 中文, en 英文 (不指定时用中文, 系统语言是英文时用英文)",
        "Interface language (default: Chinese unless the locale is English)",
    ),
    (
        "jiedai --ascii",
        "不画表格框线, 不用宽度不定的符号 (屏幕上框线错乱时用)",
        "Draw no box-drawing or ambiguous-width characters",
    ),
    (
        "jiedai --demo",
        "打开一个临时数据库, 装好演示数据 (退出后删除)",
        "Open a fresh throwaway database filled with the demo data",
    ),
    (
        "jiedai --embedded",
        "接待台自己打开数据库, 不经服务进程 (单机用; 这时别人不能同时使用同一个数据库)",
        "The desk opens the database itself, without a server (one machine; nobody else can use the database meanwhile)",
    ),
    (
        "jiedai --operator",
        "每一处改动记在谁的名下 [默认: 登录用户名]",
        "Name recorded as the operator of every change [default: the login name]",
    ),
    (
        "jiedai --keypad",
        "终端的键盘模式 (PuTTY: Terminal > Keyboard > \"The Function keys and keypad\"): \
         standard (ESC[n~, Linux, Xterm R6, VT100+; 其他终端也选这个), vt400, sco, \
         或 safe (不清楚时用: Delete 键不起作用, 用 Ctrl+D 删除)。下次启动时沿用 [默认: safe]",
        "The terminal's keyboard mode (PuTTY: Terminal > Keyboard > \"The Function keys and keypad\"): \
         standard (ESC[n~, Linux, Xterm R6, VT100+; other terminals), vt400, sco, or safe (unknown: the \
         Delete key does nothing, Ctrl+D deletes). Remembered for the next start [default: safe]",
    ),
    ("jiedai demo", "往空数据库里装入样板文章里的事件", "Fill an empty database with the seed article's cases"),
    (
        "jiedai export",
        "导出记录: 台账导成 xlsx (给人看, 阅读和打印) 或 csv (给其他程序用), 或者全部导成 json (不丢任何内容)",
        "Write the records out: the ledger as xlsx (for people: to read and print) or csv (for other \
         programs), or everything as json (lossless)",
    ),
    (
        "jiedai export --format",
        "xlsx 给人看, csv 给其他程序用, json 是完整备份 (见下面的说明)",
        "xlsx for people, csv for other programs, json for a lossless copy (see below)",
    ),
    (
        "jiedai export --from",
        "只导出这一天起登记的事件 (YYYY-MM-DD)",
        "Only cases registered from this day (YYYY-MM-DD)",
    ),
    ("jiedai export --to", "只导出到这一天为止登记的事件", "Only cases registered up to this day"),
    ("jiedai export --out", "写到这个文件里, 不输出到屏幕", "Write to this file instead of standard output"),
    (
        "jiedai import",
        "导入记录: 村组、干部、群众或事件 (CSV 表格, UTF-8 或 GBK 编码), 或 json 导出文件",
        "Read records in: villages, cadres, residents or cases (CSV, UTF-8 or GBK), or a json export",
    ),
    (
        "jiedai import <kind>",
        "文件里是什么: villages 村组, cadres 干部, residents 群众, cases 事件, json 导出文件",
        "What the file holds: villages, cadres, residents, cases, or a json export",
    ),
    ("jiedai import <file>", "要导入的文件", "The file to read"),
    (
        "jiedai import --skip-bad",
        "只导入没有问题的行, 并列出有问题的行 (不加这一项时, 有一行不对就一条也不导)",
        "Import the good lines and report the bad ones, instead of nothing",
    ),
    (
        "jiedai print",
        "出具文书 (.docx, WPS 和 Word 都能打开): 给群众的告知书、事件登记表, 或当日接待登记表",
        "Write a paper as .docx for WPS and Word: a notice to the resident, a case's sheet, or a day's \
         reception sheet",
    ),
    (
        "jiedai print <case>",
        "事件编号, 如 2026-0001 (除当日接待登记表外都要写)",
        "The case number, e.g. 2026-0001 (every paper but the day sheet)",
    ),
    ("jiedai print --doc", "出具哪种文书 (种类见下)", "Which paper (see KIND below)"),
    (
        "jiedai print --day",
        "当日接待登记表的日期, YYYY-MM-DD (不写事件编号)",
        "The day sheet's date, YYYY-MM-DD, instead of a case",
    ),
    (
        "jiedai print --instead",
        "不予受理告知书: 告诉群众应当去找哪个单位",
        "不予受理告知书: the office the resident should go to instead",
    ),
    (
        "jiedai print --out",
        "写到这个文件 [默认: 当前文件夹, 如 2026-0001-受理告知书.docx]",
        "Write to this file [default: in the current folder, e.g. 2026-0001-受理告知书.docx]",
    ),
    (
        "jiedai check",
        "检查数据库是否完好: 读出每一条记录, 按办理经过重建每件事件, 核对索引",
        "Verify the database: decode every record, rebuild every case from its events, compare the indexes",
    ),
    (
        "jiedai recover",
        "数据库损坏时, 把还能读出的记录抢救到旁边一个新数据库里, 并列出丢了哪些",
        "Salvage what can be read from a damaged database into a new one beside it; list what was lost",
    ),
    (
        "jiedai recover --out",
        "新数据库放在哪里 [默认: 损坏的数据库旁边, 照它起名]",
        "The new database [default: beside the damaged one, named after it]",
    ),
    (
        "jiedai screenshots",
        "用演示数据画出 README 里的截图 (SVG 和文本)",
        "Draw the README's screenshots from the demo data (SVG and text)",
    ),
    ("jiedai screenshots --out", "截图写到这个目录", "The folder to write them in"),
    (
        "jiedai report",
        "一段时间的全乡报告: 成段的文字, 和文字背后的数字",
        "The township's report for a period, in its own sentences, and the figures behind it",
    ),
    (
        "jiedai report --from",
        "第一天 (北京时间), YYYY-MM-DD [默认: 最早登记的那件事件那天]",
        "First day (China time), YYYY-MM-DD [default: the first case on record]",
    ),
    (
        "jiedai --socket",
        "服务进程的套接字 (几位干部共用一个服务进程时) [默认: /tmp/jiedai-用户号/ 下, 每个数据库一个]",
        "The server's socket (for cadres sharing one server) [default: under /tmp/jiedai-UID/, one per database]",
    ),
    (
        "jiedai serve",
        "运行服务进程: 它独占数据库, 接待台和命令都连到它 (没有时会自动在后台启动)",
        "Run the server that owns the database; desks and commands connect to it (and start it when none runs)",
    ),
    (
        "jiedai backup",
        "把数据库备份到目录里: 带日期的压缩文件, 接待台开着时也可以; 只留最近几份",
        "Back the database up into a directory: a dated, compressed file, also while desks are open; keeps the last few",
    ),
    ("jiedai backup <dir>", "备份放在哪个目录", "The directory for the backups"),
    (
        "jiedai backup --keep",
        "留最近几份 [默认: 14; 至少留 1 份, 0 也按 1]",
        "How many backups to keep [default: 14; at least 1: 0 keeps 1]",
    ),
    ("jiedai restore", "把一份备份恢复到一个空数据库里", "Restore a backup into an empty database"),
    ("jiedai restore <file>", "jiedai backup 写的 .json.gz 文件", "A .json.gz file written by jiedai backup"),
    (
        "jiedai note",
        "在一件事件的办理经过里记一句 (经服务进程, 记在本登录用户对应的干部名下)",
        "Add a note to a case's timeline (through the server, signed by the cadre this login is)",
    ),
    ("jiedai note <case>", "事件编号, 如 2026-0001", "The case number, as 2026-0001"),
    ("jiedai note <text>", "要记的话", "What to note"),
    ("jiedai serve --idle", "没有连接多少秒后退出", "Seconds without clients before the server exits"),
    ("jiedai serve --status", "显示正在运行的服务进程 (不启动它)", "Show the running server (never starts one)"),
    (
        "jiedai serve --start",
        "没有服务进程时在后台启动一个, 并显示它",
        "Start a server in the background if none runs, and show it",
    ),
    (
        "jiedai serve --watch",
        "每有改动打印一行 (changed 序号 事件编号…; 跟不上时 resync), 给脚本用",
        "Print a line for every change (changed SEQ CASE…; resync when behind), for scripts",
    ),
    (
        "jiedai serve --stop",
        "让服务进程在最后一个连接断开后退出",
        "Ask the server to exit once its last client has gone",
    ),
    ("jiedai report --to", "最后一天, YYYY-MM-DD [默认: 今天]", "Last day, YYYY-MM-DD [default: today]"),
    ("jiedai report --format", "text 文字, json 给其他程序用", "text to read, json for other programs"),
];

/// What some commands print after their options: (where, 中文, English).
const AFTER: &[(&str, &str, &str)] = &[
    ("jiedai export", crate::ledger::EXPORT_HELP_ZH, crate::ledger::EXPORT_HELP),
    ("jiedai import", crate::ledger::IMPORT_HELP_ZH, crate::ledger::IMPORT_HELP),
    (
        "jiedai print",
        "种类: 受理告知书 (accept), 不予受理告知书 (reject), 答复意见书 (answer), \
         案件登记表 (sheet), 当日接待登记表 (day)\n\n\
         jiedai print 2026-0001 --doc accept\n\
         jiedai print 2026-0009 --doc reject --instead 兴义市劳动人事争议仲裁委员会\n\
         jiedai print --day 2026-02-12 --doc day",
        "KIND: 受理告知书 (accept), 不予受理告知书 (reject), 答复意见书 (answer), \
         案件登记表 (sheet), 当日接待登记表 (day)\n\n\
         jiedai print 2026-0001 --doc accept\n\
         jiedai print 2026-0009 --doc reject --instead 兴义市劳动人事争议仲裁委员会\n\
         jiedai print --day 2026-02-12 --doc day",
    ),
];

/// Value names (`--from <DATE>`) as a Chinese reader sees them.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("DATE", "日期"),
    ("PATH", "路径"),
    ("FILE", "文件"),
    ("NAME", "姓名"),
    ("MODE", "模式"),
    ("KIND", "种类"),
    ("CASE", "编号"),
    ("OFFICE", "单位"),
    ("DIR", "目录"),
    ("FORMAT", "格式"),
    ("LANG", "语言"),
    ("COMMAND", "命令"),
    ("SECONDS", "秒数"),
    ("TEXT", "文字"),
    ("N", "份数"),
];

/// The words clap itself writes, which no setting translates.
const CLAP_WORDS: &[(&str, &str)] =
    &[("[OPTIONS]", "[选项]"), ("[possible values: ", "[可选: "), ("[default: ", "[默认: "), ("[env: ", "[环境变量: ")];

fn pick(table: &[(&str, &'static str, &'static str)], key: &str, lang: Lang) -> Option<&'static str> {
    table.iter().find(|(k, _, _)| *k == key).map(|(_, zh, en)| if lang == Lang::Zh { *zh } else { *en })
}

/// The key of an argument in `TEXTS`.
fn arg_key(path: &str, arg: &clap::Arg) -> String {
    match arg.get_long() {
        Some(long) => format!("{path} --{long}"),
        None => format!("{path} <{}>", arg.get_id()),
    }
}

/// The command line with its texts in `lang`, built (so that clap's own
/// `--help`, `--version` and `help` exist and are translated too).
pub fn command(lang: Lang) -> Command {
    let mut cmd = texts(<super::Cli as clap::CommandFactory>::command(), "jiedai", lang);
    cmd.build();
    if lang == Lang::Zh { generated_zh(cmd) } else { cmd }
}

fn texts(mut cmd: Command, path: &str, lang: Lang) -> Command {
    if let Some(t) = pick(TEXTS, path, lang) {
        cmd = cmd.about(t);
    }
    if let Some(t) = pick(AFTER, path, lang) {
        cmd = cmd.after_help(t);
    }
    let args: Vec<(clap::Id, String)> = cmd.get_arguments().map(|a| (a.get_id().clone(), arg_key(path, a))).collect();
    for (id, key) in args {
        let help = pick(TEXTS, &key, lang);
        cmd = cmd.mut_arg(id, |mut a| {
            if let Some(h) = help {
                a = a.help(h);
            }
            if lang == Lang::Zh {
                let names: Vec<clap::builder::Str> =
                    a.get_value_names().unwrap_or_default().iter().map(placeholder).collect();
                if !names.is_empty() {
                    a = a.value_names(names);
                }
            }
            a
        });
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(name, |s| texts(s, &sub_path, lang));
    }
    if lang == Lang::Zh {
        let template = template_zh(&cmd);
        cmd = cmd.help_template(template).subcommand_value_name("命令");
    }
    cmd
}

/// The headings in Chinese: clap writes Usage/Commands/Arguments/Options
/// only through its default template, so each command gets its own.
fn template_zh(cmd: &Command) -> String {
    let mut t = String::from("{before-help}{about-with-newline}\n用法: {usage}");
    if cmd.has_subcommands() {
        t.push_str("\n\n命令:\n{subcommands}");
    }
    if cmd.get_positionals().next().is_some() {
        t.push_str("\n\n参数:\n{positionals}");
    }
    // Every command has `--help` but `jiedai help`, which may have none.
    if !cmd.is_disable_help_flag_set() || cmd.get_arguments().any(|a| !a.is_positional() && !a.is_hide_set()) {
        t.push_str("\n\n选项:\n{options}");
    }
    t.push_str("{after-help}");
    t
}

/// What clap adds while building: `-h`, `-V`, and `jiedai help`.
fn generated_zh(mut cmd: Command) -> Command {
    for (id, zh) in [("help", "显示本说明"), ("version", "显示版本号"), ("subcommand", "要看说明的命令")]
    {
        if cmd.get_arguments().any(|a| a.get_id() == id) {
            cmd = cmd.mut_arg(id, |a| {
                let named = a.get_value_names().is_some();
                let a = a.help(zh);
                if named { a.value_name("命令") } else { a }
            });
        }
    }
    if cmd.get_name() == "help" {
        let template = template_zh(&cmd);
        cmd = cmd.about("显示本说明, 或某个命令的说明").help_template(template).subcommand_value_name("命令");
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, generated_zh);
    }
    cmd
}

/// A value name in Chinese; an unknown one stays as it is.
fn placeholder(name: &clap::builder::Str) -> clap::builder::Str {
    PLACEHOLDERS.iter().find(|(en, _)| *en == name.as_str()).map_or_else(|| name.clone(), |(_, zh)| (*zh).into())
}

/// Clap's own words in a help or usage text, in Chinese.
pub fn clap_words_zh(text: &str) -> String {
    CLAP_WORDS.iter().fold(text.to_string(), |t, (en, zh)| t.replace(en, zh))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument has its texts, every text a command or
    /// argument, and every value name its Chinese.
    #[test]
    fn the_table_and_the_command_line_match() {
        fn walk(cmd: &Command, path: &str, keys: &mut Vec<String>) {
            keys.push(path.to_string());
            for a in cmd.get_arguments() {
                keys.push(arg_key(path, a));
                let names = if a.get_action().takes_values() { a.get_value_names().unwrap_or_default() } else { &[] };
                for n in names {
                    assert!(
                        PLACEHOLDERS.iter().any(|(en, _)| en == n),
                        "{}: value name {n} has no Chinese",
                        arg_key(path, a)
                    );
                }
            }
            for s in cmd.get_subcommands() {
                walk(s, &format!("{path} {}", s.get_name()), keys);
            }
        }
        let mut keys = Vec::new();
        walk(&<super::super::Cli as clap::CommandFactory>::command(), "jiedai", &mut keys);
        for k in &keys {
            assert!(TEXTS.iter().any(|(t, _, _)| t == k), "`{k}` has no line in TEXTS (src/cli/help.rs)");
        }
        for (t, _, _) in TEXTS.iter().chain(AFTER) {
            assert!(keys.iter().any(|k| k == t), "TEXTS names `{t}`, which the command line does not have");
        }
    }
}
