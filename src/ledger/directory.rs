//! The township's directory from spreadsheets: villages with their groups,
//! and cadres with their login and duty days. Rows are checked here for
//! what a row alone can show; the directory's own rules (a covered place
//! must be in it, a login belongs to one cadre) are the store's.

use chrono::NaiveDate;

use super::read::{LineError, Parsed, parse_date, parse_people, read_table};
use crate::domain::DirCadre;
use crate::domain::text::{clean_line, quoted};
use crate::i18n::{Lang, Msg};

/// Cells that hold a list: apart by 、 commas, semicolons or spaces.
fn list(cell: &str) -> Vec<String> {
    cell.split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，' | ';' | '；'))
        .map(clean_line)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A village and the groups a row gives it; rows naming the same village
/// add to it. `township` is the 乡镇 cell, when the file has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VillageLine {
    pub line: u64,
    pub township: String,
    pub village: String,
    pub groups: Vec<String>,
}

/// Villages: 村*, 组 (one group a row, or many apart by 、), 乡镇.
pub fn parse_villages(text: &str, lang: Lang) -> Parsed<VillageLine> {
    read_table(text, lang, &["村"], |row| {
        let village = clean_line(&row.get("村"));
        if village.is_empty() {
            return Err(LineError::new(row.line, Some("村"), Msg::ErrDirNameRequired.text(lang)));
        }
        Ok(VillageLine {
            line: row.line,
            township: clean_line(&row.get("乡镇")),
            village,
            groups: list(&row.get("组")),
        })
    })
}

/// A cadre's row: who they are, and the Wednesdays they receive on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CadreLine {
    pub line: u64,
    pub cadre: DirCadre,
    pub duty: Vec<NaiveDate>,
}

/// Cadres: 姓名*, 职务, 电话, 联系 (villages, or groups written village
/// then group), 登录名, 值班 (dates apart by 、).
pub fn parse_directory_cadres(text: &str, lang: Lang) -> Parsed<CadreLine> {
    let people = parse_people(text, lang, |row| {
        let days = list(&row.get("值班"));
        let duty: Result<Vec<NaiveDate>, String> =
            days.iter().map(|d| parse_date(d).ok_or_else(|| quoted(d, 20))).collect();
        let cadre = DirCadre {
            name: clean_line(&row.get("姓名")),
            post: clean_line(&row.get("职务")),
            phone: crate::domain::text::normalize_phone(&row.get("电话")),
            login: clean_line(&row.get("登录名")),
            covers: list(&row.get("联系")),
        };
        (cadre, duty)
    });
    let mut out = Parsed { rows: Vec::new(), errors: people.errors, fatal: people.fatal };
    for (line, (cadre, duty)) in people.rows {
        match duty {
            Ok(duty) => out.rows.push(CadreLine { line, cadre, duty }),
            Err(bad) => {
                out.errors.push(LineError::new(line, Some("值班"), format!("{}: {bad}", Msg::ErrDirBadDate.text(lang))))
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn villages_one_group_a_row_or_many_in_a_cell() {
        let text = "乡镇,村,组\n沧江乡,坝达章村,坝汪组\n沧江乡,坝达章村,五组\n,沧江村,\"上寨组、下寨组\"\n,,三组\n";
        let p = parse_villages(text, Lang::Zh);
        assert!(!p.fatal);
        let rows: Vec<(u64, &str, Vec<String>)> =
            p.rows.iter().map(|r| (r.line, r.village.as_str(), r.groups.clone())).collect();
        assert_eq!(
            rows,
            vec![
                (2, "坝达章村", vec!["坝汪组".to_string()]),
                (3, "坝达章村", vec!["五组".to_string()]),
                (4, "沧江村", vec!["上寨组".to_string(), "下寨组".to_string()]),
            ]
        );
        assert_eq!(
            p.errors.iter().map(|e| (e.line, e.column.clone())).collect::<Vec<_>>(),
            vec![(5, Some("村".into()))]
        );
        assert!(parse_villages("组\n五组\n", Lang::Zh).fatal, "no 村 column");
    }

    #[test]
    fn cadres_with_login_and_duty_days() {
        let text = "姓名,职务,电话,联系,登录名,值班\n岑国仲,人大主席,13908591001,坝达章村,cgz,2026-02-12、2026/3/4\n罗兴国,,,坝达章村五组,,2026-02-30\n";
        let p = parse_directory_cadres(text, Lang::Zh);
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].cadre.login, "cgz");
        assert_eq!(p.rows[0].duty.len(), 2);
        assert_eq!(p.errors.len(), 1);
        assert_eq!((p.errors[0].line, p.errors[0].column.as_deref()), (3, Some("值班")));
    }
}
