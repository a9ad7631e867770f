//! A merge's target as the dialog shows it, before the merge is made.

use crate::domain::*;
use crate::i18n::Lang;

/// What the merge dialog shows of the case it would merge into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub no: CaseNo,
    pub name: String,
    pub summary: String,
    pub status: Status,
}

impl Target {
    pub fn of(case: &Case, lang: Lang) -> Target {
        Target {
            no: case.no,
            name: case.intake.petitioner(lang),
            summary: case.intake.summary.clone(),
            status: case.status,
        }
    }
}
