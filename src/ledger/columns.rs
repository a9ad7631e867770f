//! What `jiedai import --help` and `jiedai export --help` print after their
//! options: the columns each import kind reads, and which export format is
//! for whom (the README carries the same lines, and tests keep them together).

/// Printed after `jiedai import --help`'s options. Every line also appears
/// in the README's command-line section.
pub const IMPORT_HELP: &str = "\
Columns (the first row names them, in any order; other columns are ignored; * required):
  cases      登记日期* 事由* 来源 姓名 电话 村 组 人数 类别 详情 承办人 紧急程度
             再次反映次数 受理日期 办结日期 办理结果 办结理由 回访次数 最近回访满意度
             (编号, 状态 and 办理期限, written by export, are ignored: numbers and deadlines are the desk's)
  residents  姓名* 电话 村 组
  villages   村* 组 乡镇 (one group a row, or several separated by 、 or spaces; rows of one village add up)
  cadres     姓名* 职务 电话 联系 登录名 值班 (联系: the villages or groups they cover, a group written
             village then group as 坝达章村五组, separated by 、; 登录名: the system user who runs the
             desk as this cadre; 值班: the Wednesdays they receive on, 2026-02-12、2026-02-19).
             Import villages first: a cadre may cover only places in the directory.
  json       a `jiedai export --format json` file, into an empty database only
Values: dates 2026-03-01 or 2026/3/1 (1950 to 2100, 受理 and 办结 not before 登记);
  来源 接待日|电话|民情日记|意见箱|走访; 紧急程度 一般|紧急|特急;
  办理结果 支持/已落实|解释说明|不予支持|转办|不予受理 (with 办结日期);
  最近回访满意度 满意|基本满意|不满意 (every return visit gets it).
Limits: a file of at most 64 MiB and 1000000 rows (villages and cadres: 10000);
  a cell of at most 100000 characters; 人数 1 to 10000; 再次反映次数 at most 1000; 回访次数 at most 100.
All or nothing: every row is checked first, and nothing is written unless all are good
  (--skip-bad imports the good rows and names the bad); a file imported once is recognised;
  an import cut short (the program killed half-way) is undone when the database next opens.
Examples: examples/villages.csv, examples/cadres.csv, examples/cases.csv, examples/residents.csv,
  examples/export.json";

/// `IMPORT_HELP` in Chinese, line for line (a new column goes in both).
pub const IMPORT_HELP_ZH: &str = "\
列 (第一行写列名, 顺序不限; 其他列不读; 带 * 的必填):
  cases      登记日期* 事由* 来源 姓名 电话 村 组 人数 类别 详情 承办人 紧急程度
             再次反映次数 受理日期 办结日期 办理结果 办结理由 回访次数 最近回访满意度
             (导出文件里的 编号、状态、办理期限 不读: 编号和期限由接待台自己算)
  residents  姓名* 电话 村 组
  villages   村* 组 乡镇 (每行一个组, 或几个组用 、 或空格隔开; 同一个村的几行合在一起)
  cadres     姓名* 职务 电话 联系 登录名 值班 (联系: 所联系的村或组,
             组写作 村名+组名, 如 坝达章村五组, 用 、 隔开; 登录名: 这位干部运行接待台时
             用的系统用户名; 值班: 接待的周三, 如 2026-02-12、2026-02-19)。
             先导入村组: 干部只能联系名录里有的村组。
  json       用 `jiedai export --format json` 导出的文件, 只能导入空数据库
取值: 日期写 2026-03-01 或 2026/3/1 (1950 年到 2100 年, 受理、办结不早于登记);
  来源 接待日|电话|民情日记|意见箱|走访; 紧急程度 一般|紧急|特急;
  办理结果 支持/已落实|解释说明|不予支持|转办|不予受理 (须有办结日期);
  最近回访满意度 满意|基本满意|不满意 (每次回访都记这个满意度)。
限制: 文件不超过 64 MiB、1000000 行 (村组和干部名单 10000 行); 一个单元格不超过 100000 字;
  人数 1 到 10000; 再次反映次数不超过 1000; 回访次数不超过 100。
要么全部导入, 要么一条不导: 先逐行检查, 全部无误才写入
  (加 --skip-bad 则导入没有问题的行, 并列出有问题的行); 导入过的文件再导入会被认出来;
  导入中途被中止, 下次打开数据库时已写入的部分会被撤回。
示例: examples/villages.csv, examples/cadres.csv, examples/cases.csv, examples/residents.csv,
  examples/export.json (json 导出文件)";

/// Printed after `jiedai export --help`'s options. Every line also appears
/// in the README's command-line section.
pub const EXPORT_HELP: &str = "\
Formats (which file is for whom):
  xlsx  for people: the ledger (台账) and the report (统计), to read, sort and print in WPS or Excel.
        Its cells are typed (dates are dates, counts are numbers, phones and any text stay text),
        so nothing needs an apostrophe. It prints on A4 landscape, all columns on one page width,
        the header row on every page, the township, the period and page numbers on each page
        (the township as on the notices). Needs --out FILE.xlsx.
  csv   for other programs, and for `jiedai import cases`: the ledger, one row per case, UTF-8 with BOM.
        A cell that starts with = + - @ gets a leading ' and a phone is written =\"13800138000\",
        so that no spreadsheet runs them; a spreadsheet shows that ' (give people the xlsx).
  json  everything, lossless: for `jiedai import json` into an empty database.";

/// `EXPORT_HELP` in Chinese, line for line.
pub const EXPORT_HELP_ZH: &str = "\
格式 (哪种文件给谁用):
  xlsx  给人看: 台账和统计, 在 WPS 或 Excel 里阅读、排序、打印。
        单元格分类型 (日期是日期, 数量是数字, 电话和其他文字都是文字),
        不用加撇号。按 A4 横向打印, 所有列排在一页宽内,
        每页都有表头, 每页印有乡镇名称、时间段和页码
        (乡镇名称与告知书上的一致)。须加 --out 文件名.xlsx。
  csv   给其他程序用, 也可用 `jiedai import cases` 导回: 台账, 每件一行, UTF-8 带 BOM。
        以 = + - @ 开头的单元格前面加一个 ', 电话写成 =\"13800138000\",
        这样电子表格不会把它们当公式运行; 电子表格里会看到这个 ' (给人看请用 xlsx)。
  json  全部记录, 不丢任何内容: 用 `jiedai import json` 导入空数据库。";

#[cfg(test)]
mod tests {
    use super::*;

    /// The Chinese help says what the English says, line for line: every
    /// Chinese word of an English line (column names, values) is on the
    /// same Chinese line, so a column added to one and not the other fails.
    #[test]
    fn the_chinese_help_names_every_column_of_the_english() {
        for (en, zh) in [(IMPORT_HELP, IMPORT_HELP_ZH), (EXPORT_HELP, EXPORT_HELP_ZH)] {
            let (en, zh): (Vec<&str>, Vec<&str>) = (en.lines().collect(), zh.lines().collect());
            assert_eq!(en.len(), zh.len(), "{zh:#?}");
            for (e, z) in en.iter().zip(&zh) {
                let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
                for word in e.split(|c: char| !cjk(c)).filter(|w| !w.is_empty()) {
                    assert!(z.contains(word), "`{word}` of `{e}` missing from `{z}`");
                }
                assert!(z.chars().any(cjk) || !e.chars().any(|c| c.is_ascii_lowercase()), "not translated: {z}");
            }
        }
    }
}
