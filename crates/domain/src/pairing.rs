//! 一帮一 figures per cadre for a period: the households they help (包户,
//! as the directory stood on the period's last day), the visits they made
//! (quiet visits from the directory's log, plus visits that raised a
//! problem) and the cases those raised (channel 走访, signed by the cadre).

use serde::{Deserialize, Serialize};

use super::case::{Case, Channel, Status};
use super::directory::{DirChange, DirEvent, Directory};
use super::event::{Event, EventKind};
use super::stats::Period;
use super::time::china_date;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadrePairing {
    pub cadre: String,
    pub households: u64,
    pub visits: u64,
    pub cases: u64,
}

/// One row per cadre with a household or a visit, in the directory's order
/// of cadres.
pub fn count(period: Period, log: &[DirEvent], cases: &[(Case, Vec<Event>)]) -> Vec<CadrePairing> {
    let upto: Vec<DirEvent> = log.iter().filter(|e| china_date(e.at) <= period.to).cloned().collect();
    // The log was checked as it was written, so its prefix folds.
    let then = Directory::replay(&upto).unwrap_or_default();
    let now = Directory::replay(log).unwrap_or_default();
    let mut rows: Vec<CadrePairing> =
        now.cadres.iter().map(|c| CadrePairing { cadre: c.cadre.name.clone(), ..CadrePairing::default() }).collect();
    // A cadre renamed since is counted under the name they have now; the
    // rows are in the order of `now.cadres`.
    let row = |name: &str| -> Option<usize> {
        now.cadres.iter().position(|c| c.cadre.name == name || c.former.iter().any(|f| f == name))
    };
    for p in &then.households {
        if let Some(i) = row(&p.cadre) {
            rows[i].households += 1;
        }
    }
    for e in log.iter().filter(|e| period.contains(china_date(e.at))) {
        if let DirChange::Visit { cadre, .. } = &e.change
            && let Some(i) = row(cadre)
        {
            rows[i].visits += 1;
        }
    }
    for (case, events) in cases {
        if case.intake.channel != Channel::Visit || case.status == Status::Merged {
            continue;
        }
        let registered = events.iter().find(|e| matches!(e.kind, EventKind::Registered { .. }));
        if let Some(e) = registered.filter(|e| period.contains(china_date(e.at)))
            && let Some(i) = row(&e.operator)
        {
            rows[i].visits += 1;
            rows[i].cases += 1;
        }
    }
    rows.retain(|r| r.households + r.visits > 0);
    rows
}
