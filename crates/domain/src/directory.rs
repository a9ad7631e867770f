//! The township's directory (名录): its name, villages and their groups,
//! cadres with what they cover (包村, 包组) and their login, the Wednesday
//! duty roster. Kept as a log of changes, each with who and when; the
//! directory is the fold of its log. Nothing is deleted: a renamed entry
//! keeps its former names, a retired one stays (old cases still name it)
//! but is no longer offered.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::event::RuleError;
use super::people::{Cadre, Duty, Village};
use super::text::{clean_line, is_valid_phone, normalize_phone};
use super::time::Timestamp;
use crate::i18n::Msg;

/// One change to the directory, stamped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirEvent {
    pub at: Timestamp,
    pub operator: String,
    pub change: DirChange,
}

/// A cadre as the directory keeps them. `covers` holds villages (包村)
/// and groups written village then group (`坝达章村五组`, 包组), as the
/// demo and the cadre import always wrote them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirCadre {
    pub name: String,
    pub post: String,
    pub phone: String,
    /// The system user who runs the desk as this cadre (may be empty).
    pub login: String,
    pub covers: Vec<String>,
}

/// What can change. Bincode numbers the variants: only append new ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DirChange {
    Township {
        name: String,
    },
    /// Add a village, or set its groups; a retired one comes back.
    Village {
        name: String,
        groups: Vec<String>,
    },
    RenameVillage {
        from: String,
        to: String,
    },
    RetireVillage {
        name: String,
    },
    /// Add a cadre, or change their post, phone, login or cover.
    Cadre(DirCadre),
    RenameCadre {
        from: String,
        to: String,
    },
    RetireCadre {
        name: String,
    },
    /// Who receives on `date`; an empty name clears the day.
    Duty {
        date: NaiveDate,
        cadre: String,
    },
    /// 包户: a cadre helps this household; pairing it again moves it to
    /// the cadre now named (a household has one helper).
    Pair {
        cadre: String,
        household: Household,
    },
    /// The household no longer paired (the log keeps that it was).
    Unpair {
        household: Household,
    },
    /// A pairing visit (走访) that raised no problem: the cadre went to
    /// their household. One that did is a case instead (channel 走访,
    /// signed by the cadre), so it is counted from the cases.
    Visit {
        cadre: String,
        household: Household,
        note: String,
    },
}

/// A household a cadre helps (包户): a resident of a village's group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub name: String,
    pub village: String,
    pub group: String,
}

impl Household {
    pub fn cleaned(self) -> Household {
        Household { name: clean_line(&self.name), village: clean_line(&self.village), group: clean_line(&self.group) }
    }
}

/// A household and the cadre who helps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairing {
    pub cadre: String,
    pub household: Household,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageEntry {
    pub name: String,
    pub groups: Vec<String>,
    pub former: Vec<String>,
    pub retired: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadreEntry {
    pub cadre: DirCadre,
    pub former: Vec<String>,
    pub retired: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Directory {
    pub township: String,
    pub villages: Vec<VillageEntry>,
    pub cadres: Vec<CadreEntry>,
    pub roster: Vec<Duty>,
    /// 包户, in the order paired.
    pub households: Vec<Pairing>,
}

/// The directory as version 1 stored it, before 包户.
#[derive(Deserialize)]
pub struct DirectoryV1 {
    pub township: String,
    pub villages: Vec<VillageEntry>,
    pub cadres: Vec<CadreEntry>,
    pub roster: Vec<Duty>,
}

impl From<DirectoryV1> for Directory {
    fn from(d: DirectoryV1) -> Directory {
        Directory {
            township: d.township,
            villages: d.villages,
            cadres: d.cadres,
            roster: d.roster,
            households: Vec::new(),
        }
    }
}

fn require(ok: bool, msg: Msg) -> Result<(), RuleError> {
    if ok { Ok(()) } else { Err(RuleError(msg)) }
}

/// Names in a list, each once, in the order first given.
fn unique(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names.iter().map(|n| clean_line(n)).filter(|n| !n.is_empty()) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

impl DirChange {
    /// Every text cleaned as all stored text is; lists without blanks or repeats.
    pub fn cleaned(self) -> DirChange {
        use DirChange::*;
        match self {
            Township { name } => Township { name: clean_line(&name) },
            Village { name, groups } => Village { name: clean_line(&name), groups: unique(&groups) },
            RenameVillage { from, to } => RenameVillage { from: clean_line(&from), to: clean_line(&to) },
            RetireVillage { name } => RetireVillage { name: clean_line(&name) },
            Cadre(c) => Cadre(DirCadre {
                name: clean_line(&c.name),
                post: clean_line(&c.post),
                phone: normalize_phone(&c.phone),
                login: clean_line(&c.login),
                covers: unique(&c.covers),
            }),
            RenameCadre { from, to } => RenameCadre { from: clean_line(&from), to: clean_line(&to) },
            RetireCadre { name } => RetireCadre { name: clean_line(&name) },
            Duty { date, cadre } => Duty { date, cadre: clean_line(&cadre) },
            Pair { cadre, household } => Pair { cadre: clean_line(&cadre), household: household.cleaned() },
            Unpair { household } => Unpair { household: household.cleaned() },
            Visit { cadre, household, note } => {
                Visit { cadre: clean_line(&cadre), household: household.cleaned(), note: clean_line(&note) }
            }
        }
    }
}

impl Directory {
    /// The directory its log folds to, each change checked on the way (a
    /// log that breaks a rule is refused, at the change that does).
    pub fn replay(log: &[DirEvent]) -> Result<Directory, (usize, RuleError)> {
        let mut d = Directory::default();
        for (i, e) in log.iter().enumerate() {
            d.check(&e.change).map_err(|err| (i, err))?;
            d.apply(&e.change);
        }
        Ok(d)
    }

    pub fn village(&self, name: &str) -> Option<&VillageEntry> {
        self.villages.iter().find(|v| v.name == name)
    }

    pub fn cadre(&self, name: &str) -> Option<&CadreEntry> {
        self.cadres.iter().find(|c| c.cadre.name == name)
    }

    /// Is this a place a cadre can cover: an active village, or one of its
    /// groups written village then group?
    pub fn is_place(&self, place: &str) -> bool {
        self.villages.iter().filter(|v| !v.retired).any(|v| {
            place == v.name || place.strip_prefix(v.name.as_str()).is_some_and(|g| v.groups.iter().any(|x| x == g))
        })
    }

    /// May this change be made now?
    pub fn check(&self, change: &DirChange) -> Result<(), RuleError> {
        use DirChange::*;
        match change {
            Township { name } => require(!name.is_empty(), Msg::ErrDirNameRequired),
            Village { name, .. } => require(!name.is_empty(), Msg::ErrDirNameRequired),
            RenameVillage { from, to } => {
                require(self.village(from).is_some(), Msg::ErrDirNoVillage)?;
                require(!to.is_empty(), Msg::ErrDirNameRequired)?;
                require(self.village(to).is_none(), Msg::ErrDirNameTaken)
            }
            RetireVillage { name } => {
                let v = self.village(name).ok_or(RuleError(Msg::ErrDirNoVillage))?;
                require(!v.retired, Msg::ErrDirRetired)
            }
            Cadre(c) => {
                require(!c.name.is_empty(), Msg::ErrDirNameRequired)?;
                require(c.phone.is_empty() || is_valid_phone(&c.phone), Msg::ErrPhone)?;
                let login_taken = !c.login.is_empty()
                    && self.cadres.iter().any(|o| !o.retired && o.cadre.login == c.login && o.cadre.name != c.name);
                require(!login_taken, Msg::ErrDirLoginTaken)?;
                require(c.covers.iter().all(|p| self.is_place(p)), Msg::ErrDirUnknownPlace)
            }
            RenameCadre { from, to } => {
                require(self.cadre(from).is_some(), Msg::ErrDirNoCadre)?;
                require(!to.is_empty(), Msg::ErrDirNameRequired)?;
                require(self.cadre(to).is_none(), Msg::ErrDirNameTaken)
            }
            RetireCadre { name } => {
                let c = self.cadre(name).ok_or(RuleError(Msg::ErrDirNoCadre))?;
                require(!c.retired, Msg::ErrDirRetired)
            }
            Duty { cadre, .. } => {
                require(cadre.is_empty() || self.cadre(cadre).is_some_and(|c| !c.retired), Msg::ErrDirNoCadre)
            }
            Pair { cadre, household: h } => {
                require(!h.name.is_empty(), Msg::ErrDirNameRequired)?;
                require(self.cadre(cadre).is_some_and(|c| !c.retired), Msg::ErrDirNoCadre)?;
                let in_group = self.village(&h.village).is_some_and(|v| !v.retired && v.groups.contains(&h.group));
                require(in_group, Msg::ErrDirUnknownPlace)
            }
            Unpair { household } => require(self.paired(household).is_some(), Msg::ErrDirNotPaired),
            Visit { cadre, household, .. } => self.check_visit(cadre, household),
        }
    }

    /// A pairing visit is the household's own cadre's.
    pub fn check_visit(&self, cadre: &str, household: &Household) -> Result<(), RuleError> {
        require(self.paired(household).is_some_and(|p| p.cadre == cadre), Msg::ErrDirNotPaired)
    }

    /// Fold one change in. Call `check` first: `apply` trusts it.
    pub fn apply(&mut self, change: &DirChange) {
        use DirChange::*;
        match change {
            Township { name } => self.township = name.clone(),
            Village { name, groups } => match self.villages.iter_mut().find(|v| &v.name == name) {
                Some(v) => {
                    v.groups = groups.clone();
                    v.retired = false;
                }
                None => self.villages.push(VillageEntry {
                    name: name.clone(),
                    groups: groups.clone(),
                    former: Vec::new(),
                    retired: false,
                }),
            },
            RenameVillage { from, to } => {
                if let Some(v) = self.villages.iter_mut().find(|v| &v.name == from) {
                    v.former.push(from.clone());
                    v.name = to.clone();
                }
                // What a cadre covers follows the village's new name.
                for c in &mut self.cadres {
                    for p in &mut c.cadre.covers {
                        if let Some(group) = p.strip_prefix(from.as_str()) {
                            *p = format!("{to}{group}");
                        }
                    }
                }
                for p in self.households.iter_mut().filter(|p| &p.household.village == from) {
                    p.household.village = to.clone();
                }
            }
            RetireVillage { name } => {
                if let Some(v) = self.villages.iter_mut().find(|v| &v.name == name) {
                    v.retired = true;
                }
            }
            Cadre(c) => match self.cadres.iter_mut().find(|o| o.cadre.name == c.name) {
                Some(o) => {
                    o.cadre = c.clone();
                    o.retired = false;
                }
                None => self.cadres.push(CadreEntry { cadre: c.clone(), former: Vec::new(), retired: false }),
            },
            RenameCadre { from, to } => {
                if let Some(c) = self.cadres.iter_mut().find(|c| &c.cadre.name == from) {
                    c.former.push(from.clone());
                    c.cadre.name = to.clone();
                }
                for d in self.roster.iter_mut().filter(|d| &d.cadre == from) {
                    d.cadre = to.clone();
                }
                for p in self.households.iter_mut().filter(|p| &p.cadre == from) {
                    p.cadre = to.clone();
                }
            }
            RetireCadre { name } => {
                if let Some(c) = self.cadres.iter_mut().find(|c| &c.cadre.name == name) {
                    c.retired = true;
                }
            }
            Duty { date, cadre } => {
                self.roster.retain(|d| d.date != *date);
                if !cadre.is_empty() {
                    self.roster.push(super::people::Duty { date: *date, cadre: cadre.clone() });
                    self.roster.sort_by_key(|d| d.date);
                }
            }
            Pair { cadre, household } => match self.households.iter_mut().find(|p| &p.household == household) {
                Some(p) => p.cadre = cadre.clone(),
                None => self.households.push(Pairing { cadre: cadre.clone(), household: household.clone() }),
            },
            Unpair { household } => self.households.retain(|p| &p.household != household),
            // A visit is kept in the log only; the directory is unchanged.
            Visit { .. } => {}
        }
    }

    /// Who helps this household, if anyone.
    pub fn paired(&self, household: &Household) -> Option<&Pairing> {
        self.households.iter().find(|p| &p.household == household)
    }

    /// The households a cadre helps, as indexes into `households`.
    pub fn households_of(&self, cadre: &str) -> Vec<usize> {
        (0..self.households.len()).filter(|&i| self.households[i].cadre == cadre).collect()
    }

    /// A group written village then group (`坝达章村五组`) split in two.
    pub fn split_group(&self, place: &str) -> Option<(String, String)> {
        self.villages.iter().filter(|v| !v.retired).find_map(|v| {
            let g = place.strip_prefix(v.name.as_str())?;
            v.groups.iter().any(|x| x == g).then(|| (v.name.clone(), g.to_string()))
        })
    }

    /// The villages offered for completion: the active ones.
    pub fn active_villages(&self) -> Vec<Village> {
        self.villages
            .iter()
            .filter(|v| !v.retired)
            .map(|v| Village { name: v.name.clone(), groups: v.groups.clone() })
            .collect()
    }

    /// The cadres offered for completion: the active ones.
    pub fn active_cadres(&self) -> Vec<Cadre> {
        self.cadres
            .iter()
            .filter(|c| !c.retired)
            .map(|c| Cadre {
                name: c.cadre.name.clone(),
                post: c.cadre.post.clone(),
                phone: c.cadre.phone.clone(),
                covers: c.cadre.covers.clone(),
            })
            .collect()
    }

    /// The active cadre whose login user this is.
    pub fn by_login(&self, login: &str) -> Option<&DirCadre> {
        self.cadres.iter().find(|c| !c.retired && !login.is_empty() && c.cadre.login == login).map(|c| &c.cadre)
    }
}

/// Active cadres ordered for a case in `village` and `group`: those who
/// cover the group first, then those who cover the village, then the rest
/// in their own order.
pub fn suggest_for(cadres: &[Cadre], village: &str, group: &str) -> Vec<String> {
    let rank = |c: &Cadre| {
        let group_place = format!("{village}{group}");
        if !group.is_empty() && c.covers.contains(&group_place) {
            0
        } else if !village.is_empty() && c.covers.iter().any(|p| p == village) {
            1
        } else {
            2
        }
    };
    let mut ranked: Vec<(usize, &Cadre)> = cadres.iter().map(|c| (rank(c), c)).collect();
    ranked.sort_by_key(|(r, _)| *r);
    ranked.into_iter().map(|(_, c)| c.name.clone()).collect()
}

/// One line of a village list: `坝达章村: 坝汪组 五组 三组` (the colon may
/// be full-width; groups apart by spaces, 、 or commas). None for a blank
/// line; the name alone is a village without groups yet.
pub fn parse_village_line(line: &str) -> Option<(String, Vec<String>)> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let (name, groups) = line.split_once([':', '：']).unwrap_or((line, ""));
    let groups = groups
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，' | ';' | '；'))
        .map(clean_line)
        .filter(|g| !g.is_empty())
        .collect();
    Some((clean_line(name), groups))
}

/// The same villages as lines again, for editing.
pub fn village_line(v: &Village) -> String {
    if v.groups.is_empty() { v.name.clone() } else { format!("{}: {}", v.name, v.groups.join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        crate::time::china_at(NaiveDate::from_ymd_opt(2026, 2, 11).expect("date"), 9, 0)
    }

    fn ev(change: DirChange) -> DirEvent {
        DirEvent { at: at(), operator: "试".into(), change: change.cleaned() }
    }

    fn village(name: &str, groups: &[&str]) -> DirChange {
        DirChange::Village { name: name.into(), groups: groups.iter().map(|g| g.to_string()).collect() }
    }

    fn cadre(name: &str, login: &str, covers: &[&str]) -> DirChange {
        DirChange::Cadre(DirCadre {
            name: name.into(),
            post: "人大主席".into(),
            phone: "13908591001".into(),
            login: login.into(),
            covers: covers.iter().map(|g| g.to_string()).collect(),
        })
    }

    fn seed() -> Vec<DirEvent> {
        vec![
            ev(DirChange::Township { name: "沧江乡".into() }),
            ev(village("坝达章村", &["坝汪组", "五组"])),
            ev(cadre("岑国仲", "cgz", &["坝达章村"])),
            ev(DirChange::Duty { date: NaiveDate::from_ymd_opt(2026, 2, 12).expect("d"), cadre: "岑国仲".into() }),
        ]
    }

    #[test]
    fn the_seed_directory_folds_from_its_log() {
        let d = Directory::replay(&seed()).expect("replay");
        assert_eq!(d.township, "沧江乡");
        assert_eq!(
            d.active_villages(),
            vec![Village { name: "坝达章村".into(), groups: vec!["坝汪组".into(), "五组".into()] }]
        );
        assert_eq!(d.by_login("cgz").map(|c| c.name.as_str()), Some("岑国仲"));
        let day = NaiveDate::from_ymd_opt(2026, 2, 12).expect("d");
        assert_eq!(crate::duty_leader(&d.roster, day), Some("岑国仲"));
    }

    #[test]
    fn a_cadre_covers_only_places_in_the_directory() {
        let mut d = Directory::replay(&seed()).expect("replay");
        assert_eq!(d.check(&cadre("罗兴国", "", &["坝达章村五组"]).cleaned()), Ok(()));
        assert_eq!(d.check(&cadre("罗兴国", "", &["坝达章村九组"])), Err(RuleError(Msg::ErrDirUnknownPlace)));
        assert_eq!(d.check(&cadre("罗兴国", "", &["bdz"])), Err(RuleError(Msg::ErrDirUnknownPlace)));
        assert_eq!(d.check(&cadre("罗兴国", "cgz", &[])), Err(RuleError(Msg::ErrDirLoginTaken)));
        d.apply(&DirChange::RetireVillage { name: "坝达章村".into() });
        assert_eq!(d.check(&cadre("罗兴国", "", &["坝达章村"])), Err(RuleError(Msg::ErrDirUnknownPlace)));
    }

    #[test]
    fn renaming_keeps_the_former_name_and_what_is_covered() {
        let mut log = seed();
        log.push(ev(DirChange::RenameVillage { from: "坝达章村".into(), to: "坝达章社区".into() }));
        log.push(ev(DirChange::RenameCadre { from: "岑国仲".into(), to: "岑国忠".into() }));
        let d = Directory::replay(&log).expect("replay");
        let v = d.village("坝达章社区").expect("renamed");
        assert_eq!(v.former, vec!["坝达章村".to_string()]);
        let c = d.cadre("岑国忠").expect("renamed");
        assert_eq!(c.former, vec!["岑国仲".to_string()]);
        assert_eq!(c.cadre.covers, vec!["坝达章社区".to_string()]);
        assert_eq!(d.roster[0].cadre, "岑国忠");
        // The old name is not free to take while the entry stands.
        let mut d2 = d.clone();
        assert_eq!(
            d2.check(&DirChange::RenameCadre { from: "岑国忠".into(), to: "岑国忠".into() }),
            Err(RuleError(Msg::ErrDirNameTaken))
        );
        assert_eq!(
            d2.check(&DirChange::RenameVillage { from: "坝达章村".into(), to: "x".into() }),
            Err(RuleError(Msg::ErrDirNoVillage))
        );
        d2.apply(&DirChange::Township { name: "沧江镇".into() });
        assert_eq!(d2.township, "沧江镇");
    }

    #[test]
    fn retired_entries_stay_but_are_not_offered() {
        let mut log = seed();
        log.push(ev(DirChange::RetireCadre { name: "岑国仲".into() }));
        let d = Directory::replay(&log).expect("replay");
        assert!(d.cadre("岑国仲").is_some_and(|c| c.retired));
        assert!(d.active_cadres().is_empty());
        assert_eq!(d.by_login("cgz"), None);
        assert_eq!(d.check(&DirChange::RetireCadre { name: "岑国仲".into() }), Err(RuleError(Msg::ErrDirRetired)));
        let day = NaiveDate::from_ymd_opt(2026, 2, 19).expect("d");
        assert_eq!(d.check(&DirChange::Duty { date: day, cadre: "岑国仲".into() }), Err(RuleError(Msg::ErrDirNoCadre)));
        // A log that breaks a rule is refused at the change that does.
        log.push(ev(DirChange::RetireCadre { name: "岑国仲".into() }));
        assert_eq!(Directory::replay(&log).map(|_| ()), Err((5, RuleError(Msg::ErrDirRetired))));
    }

    #[test]
    fn a_household_is_paired_in_a_known_group_and_follows_renames() {
        let h =
            |name: &str, group: &str| Household {
                name: name.into(), village: "坝达章村".into(), group: group.into()
            };
        let pair = |cadre: &str, hh: Household| DirChange::Pair { cadre: cadre.into(), household: hh };
        let mut log = seed();
        log.push(ev(cadre("罗兴国", "", &[])));
        log.push(ev(pair("岑国仲", h("唐科名", "五组"))));
        let d = Directory::replay(&log).expect("replay");
        assert_eq!(d.households_of("岑国仲"), vec![0]);
        // Only a group of the directory, only an active cadre, a name needed.
        assert_eq!(d.check(&pair("岑国仲", h("王五", "九组"))), Err(RuleError(Msg::ErrDirUnknownPlace)));
        assert_eq!(d.check(&pair("无名", h("王五", "五组"))), Err(RuleError(Msg::ErrDirNoCadre)));
        assert_eq!(d.check(&pair("岑国仲", h("", "五组"))), Err(RuleError(Msg::ErrDirNameRequired)));
        assert_eq!(d.check(&DirChange::Unpair { household: h("王五", "五组") }), Err(RuleError(Msg::ErrDirNotPaired)));
        // Paired again: it moves to the cadre now named, never twice.
        log.push(ev(pair("罗兴国", h("唐科名", "五组"))));
        log.push(ev(DirChange::RenameVillage { from: "坝达章村".into(), to: "坝达章社区".into() }));
        log.push(ev(DirChange::RenameCadre { from: "罗兴国".into(), to: "罗兴邦".into() }));
        let d = Directory::replay(&log).expect("replay");
        assert_eq!(d.households.len(), 1);
        assert_eq!(d.households[0].cadre, "罗兴邦");
        assert_eq!(d.households[0].household.village, "坝达章社区");
        log.push(ev(DirChange::Unpair { household: d.households[0].household.clone() }));
        let d = Directory::replay(&log).expect("replay");
        assert!(d.households.is_empty());
    }

    #[test]
    fn the_covering_cadre_is_suggested_first() {
        let c = |name: &str, covers: &[&str]| Cadre {
            name: name.into(),
            post: String::new(),
            phone: String::new(),
            covers: covers.iter().map(|s| s.to_string()).collect(),
        };
        let cadres = vec![c("王志刚", &["沧江村"]), c("岑国仲", &["坝达章村"]), c("罗兴国", &["坝达章村五组"])];
        assert_eq!(suggest_for(&cadres, "坝达章村", "五组"), vec!["罗兴国", "岑国仲", "王志刚"]);
        assert_eq!(suggest_for(&cadres, "坝达章村", "坝汪组"), vec!["岑国仲", "王志刚", "罗兴国"]);
        assert_eq!(suggest_for(&cadres, "", ""), vec!["王志刚", "岑国仲", "罗兴国"]);
    }

    #[test]
    fn village_lines_as_pasted_from_a_spreadsheet() {
        assert_eq!(
            parse_village_line(" 坝达章村: 坝汪组 五组\t三组 "),
            Some(("坝达章村".into(), vec!["坝汪组".into(), "五组".into(), "三组".into()]))
        );
        assert_eq!(
            parse_village_line("沧江村：上寨组、下寨组,新寨组"),
            Some(("沧江村".into(), vec!["上寨组".into(), "下寨组".into(), "新寨组".into()]))
        );
        assert_eq!(parse_village_line("冷洞村"), Some(("冷洞村".into(), vec![])));
        assert_eq!(parse_village_line("   "), None);
        let v = Village { name: "坝达章村".into(), groups: vec!["坝汪组".into(), "五组".into()] };
        assert_eq!(parse_village_line(&village_line(&v)), Some((v.name.clone(), v.groups.clone())));
        // Repeated groups are kept once.
        let change = village("坝达章村", &["五组", " 五组", ""]).cleaned();
        assert_eq!(change, village("坝达章村", &["五组"]));
    }
}
