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
Limits: a file of at most 64 MiB and 10000 rows; a cell of at most 100000 characters;
  人数 1 to 10000; 再次反映次数 at most 1000; 回访次数 at most 100; 60000 events in one import.
All or nothing: every row is checked first, and nothing is written unless all are good
  (--skip-bad imports the good rows and names the bad); a file imported once is recognised.
Examples: examples/villages.csv, examples/cadres.csv, examples/cases.csv, examples/residents.csv,
  examples/export.json";

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
