//! The wording of every paper, in one place, so that a township can change
//! it: the plain official style of notices under the 信访工作条例 (2022).
//! Always Chinese, whatever the desk's language: the papers go to residents
//! and into the township's files.

use chrono::NaiveDate;

use super::docx::{Block, Paper, TEXT_WIDTH};
use super::{CaseFile, DayFile};
use crate::domain::notice::{chinese_date, chinese_weekday};
use crate::domain::time::{china_date, china_minute};
use crate::domain::*;
use crate::i18n::Lang;

/// The placeholders printed until the township directory names them; the
/// officer fills the blank in by hand.
pub const OFFICE_PLACEHOLDER: &str = "______乡(镇)人民政府";
pub const REVIEW_PLACEHOLDER: &str = "______县(市、区)人民政府";

fn cn(d: NaiveDate) -> String {
    chinese_date(d)
}

/// How the matter reached the township, as the notice says it.
fn way(channel: Channel) -> &'static str {
    match channel {
        Channel::Reception => "来访",
        Channel::Phone => "来电",
        Channel::Diary => "向下村干部",
        Channel::OpinionBox => "通过群众意见箱",
        Channel::Visit => "在干部走访时",
    }
}

/// Who the notice is addressed to: the representatives of a delegation
/// and whom they speak for, or the resident.
fn addressee(c: &Case) -> String {
    match &c.intake.delegation {
        Some(d) if !d.representatives.is_empty() => {
            let reps = d.representatives.join("、");
            if d.speaks_for > 0 { format!("{reps}(代表{}{}位群众)", c.place(), d.speaks_for) } else { reps }
        }
        _ => c.intake.name.clone(),
    }
}

/// A sentence from a cadre's text: no doubled full stop.
fn sentence(text: &str) -> String {
    let t = text.trim().trim_end_matches(['。', '.', ';', ';', ',', ',']);
    format!("{t}。")
}

/// "您于2026年2月12日来访反映的“五组通组路严重损坏,生产生活困难”问题"
fn the_matter(c: &Case) -> String {
    format!(
        "您于{}{}反映的“{}”问题",
        cn(china_date(c.opened_at)),
        way(c.intake.channel),
        c.intake.summary.trim_end_matches(['。', '.'])
    )
}

fn handler(f: &CaseFile) -> String {
    let Some(name) = f.case.assignee.as_deref() else {
        return "本事项由本机关指定专人负责办理。".to_string();
    };
    match f.cadres.iter().find(|c| c.name == name) {
        Some(c) if !c.phone.is_empty() => format!("本事项由{}{}负责办理,联系电话:{}。", c.post, c.name, c.phone),
        Some(c) => format!("本事项由{}{}负责办理。", c.post, c.name),
        None => format!("本事项由{name}负责办理。"),
    }
}

fn number(c: &Case) -> String {
    format!("编号:{}", c.no)
}

fn signed(f: &CaseFile, closing: &str, blocks: &mut Vec<Block>) {
    blocks.push(Block::Para(closing.to_string()));
    blocks.push(Block::Blank);
    blocks.push(Block::Right(f.head.office.clone()));
    blocks.push(Block::Right(cn(f.issued)));
}

fn notice(f: &CaseFile, title: &str, blocks: Vec<Block>) -> Paper {
    Paper {
        office: f.head.office.clone(),
        title: title.to_string(),
        number: number(&f.case),
        blocks,
        created: f.issued.to_string(),
        small: false,
    }
}

/// An extension: its days, its reason, the deadline it set.
type Extension = (u32, String, NaiveDate);

/// The last reopening (重办): the day, and the deadline it set; then an
/// extension granted since, if any (one before it belongs to the old period).
fn reopening(f: &CaseFile) -> Option<(NaiveDate, NaiveDate, Option<Extension>)> {
    let at = f.events.iter().rposition(|e| matches!(e.kind, EventKind::Reopened { .. }))?;
    let EventKind::Reopened { due, .. } = &f.events[at].kind else { return None };
    let ext = f.events[at..].iter().rev().find_map(|e| match &e.kind {
        EventKind::Extended { days, reason, due } => Some((*days, reason.clone(), *due)),
        _ => None,
    });
    Some((china_date(f.events[at].at), *due, ext))
}

/// 受理告知书: accepted, who handles it, by when. For a reopened case the
/// period runs from the reopening, and the notice says it is handled anew.
pub fn acceptance(f: &CaseFile) -> Paper {
    let c = &f.case;
    let mut b = vec![Block::Salutation(format!("{}:", addressee(c)))];
    let accepted = c.accepted_on.map(cn).unwrap_or_default();
    let law = "根据《信访工作条例》有关规定";
    let promise = |from: &str, days: i64, due: NaiveDate| {
        format!(
            "{law},本机关将自{from}之日起{days}日内办结,即于{}前办结;情况复杂需要延长办理期限的,将告知您延期理由。",
            cn(due)
        )
    };
    let extended = |ext: u32, reason: &str, due: NaiveDate| {
        format!("{law},本事项的办理期限经批准延长{ext}日,至{}办结。延期理由:{}", cn(due), sentence(reason))
    };
    match reopening(f) {
        Some((on, due, ext)) => {
            b.push(Block::Para(format!(
                "{},本机关已于{accepted}依法受理,编号为{}。本机关已于{}决定对该事项重新办理。",
                the_matter(c),
                c.no,
                cn(on)
            )));
            b.push(Block::Para(handler(f)));
            b.push(Block::Para(match ext {
                Some((days, reason, due)) => extended(days, &reason, due),
                None => promise("重新办理", (due - on).num_days(), due),
            }));
        }
        None => {
            b.push(Block::Para(format!("{},本机关已于{accepted}依法受理,编号为{}。", the_matter(c), c.no)));
            b.push(Block::Para(handler(f)));
            b.push(Block::Para(match (&c.extension, c.accepted_on, c.due) {
                (Some((ext, reason)), _, Some(due)) => extended(*ext, reason, due),
                (_, Some(a), Some(due)) => promise("受理", (due - a).num_days(), due),
                _ => format!("{law},本机关将依法按期办结。"),
            }));
        }
    }
    b.push(Block::Para("办理期间,请您保持联系方式畅通,依法有序反映诉求。".to_string()));
    signed(f, "特此告知。", &mut b);
    notice(f, "信访事项受理告知书", b)
}

/// 不予受理告知书: why not, and where to go instead.
pub fn non_acceptance(f: &CaseFile) -> Paper {
    let c = &f.case;
    let reason = c.conclusion.as_ref().map(|k| k.reason.as_str()).unwrap_or("");
    let mut b = vec![Block::Salutation(format!("{}:", addressee(c)))];
    b.push(Block::Para(format!(
        "{},经审查,{}根据《信访工作条例》有关规定,本机关决定不予受理。",
        the_matter(c),
        sentence(reason)
    )));
    b.push(Block::Para(format!(
        "对您反映的问题,请您依照有关法律、行政法规规定的程序,向{}提出。",
        f.instead.trim().trim_end_matches(['。', '.'])
    )));
    signed(f, "特此告知。", &mut b);
    notice(f, "信访事项不予受理告知书", b)
}

fn amount(n: f64) -> String {
    if n.fract() == 0.0 { format!("{}", n as i64) } else { format!("{n}") }
}

/// What was found: the inspections, the escalations and the notes.
fn facts(c: &Case, events: &[Event]) -> Vec<String> {
    let mut out = Vec::new();
    for i in &c.inspections {
        let Some(f) = &i.findings else { continue };
        let q: Vec<String> = f.quantities.iter().map(|q| format!("{}{}{}", q.item, amount(q.number), q.unit)).collect();
        let mut s = format!("{},{}到{}实地查看:{}", cn(f.date), f.team.join("、"), f.place, f.findings.trim());
        if !q.is_empty() {
            s.push_str(&format!("({})", q.join("、")));
        }
        if f.cost_yuan > 0 {
            s.push_str(&format!(",估算费用{}元", f.cost_yuan));
        }
        out.push(sentence(&s));
    }
    for e in &c.escalations {
        let mut s = format!("{},本机关向{}上报", cn(e.on), e.to);
        if e.requested_yuan > 0 {
            s.push_str(&format!(",申请资金{}元", e.requested_yuan));
        }
        if let Some(g) = e.granted_yuan {
            s.push_str(&format!(",获批{g}元"));
        }
        out.push(sentence(&s));
    }
    for e in events {
        if let EventKind::Note { text } = &e.kind {
            out.push(sentence(text));
        }
    }
    out
}

/// 答复意见书: the outcome, the facts found, the reason, and the right to
/// ask for a review within 30 days.
pub fn answer(f: &CaseFile) -> Paper {
    let c = &f.case;
    let mut b = vec![Block::Salutation(format!("{}:", addressee(c)))];
    let accepted = c.accepted_on.map(|d| format!("本机关于{}受理", cn(d))).unwrap_or_else(|| "本机关已受理".into());
    b.push(Block::Para(format!("{},{accepted}。经调查核实,现答复如下:", the_matter(c))));
    b.push(Block::Heading("一、反映事项".into()));
    let details = if c.intake.details.trim().is_empty() { &c.intake.summary } else { &c.intake.details };
    // Lines typed at the desk break where the field did, not the sentence.
    let joined: String = details.lines().map(str::trim).collect();
    b.push(Block::Para(sentence(&joined)));
    b.push(Block::Heading("二、调查核实情况".into()));
    let found = facts(c, &f.events);
    if found.is_empty() {
        b.push(Block::Para("经本机关调查核实,有关情况见处理意见。".into()));
    }
    b.extend(found.into_iter().map(Block::Para));
    b.push(Block::Heading("三、处理意见".into()));
    let (outcome, reason) =
        c.conclusion.as_ref().map(|k| (k.outcome, k.reason.as_str())).unwrap_or((Outcome::Explained, ""));
    let (word, why) = match outcome {
        Outcome::Implemented => ("支持", "您的请求事实清楚,符合有关规定,本机关予以支持。"),
        Outcome::NotUpheld => ("不予支持", "您的请求缺乏事实根据或者不符合有关规定,本机关不予支持。"),
        _ => ("解释说明", "您的请求事由合理但缺乏法律依据,本机关作出解释说明。"),
    };
    b.push(Block::Para(format!("根据《信访工作条例》有关规定,对您反映的问题作出如下处理意见:{word}。")));
    b.push(Block::Para(format!("{why}{}", sentence(reason))));
    b.push(Block::Heading("四、复查权利".into()));
    b.push(Block::Para(format!(
        "如对本答复意见不服,可以自收到本答复意见书之日起30日内,向{}请求复查。",
        f.head.review_body
    )));
    signed(f, "特此答复。", &mut b);
    notice(f, "信访事项答复意见书", b)
}

fn or_none(s: String) -> String {
    if s.trim().is_empty() { "无".into() } else { s }
}

/// 案件登记表: every field, the delegation, the deadlines, and the whole
/// timeline with who and when, for the archive.
pub fn case_sheet(f: &CaseFile) -> Paper {
    let c = &f.case;
    let i = &c.intake;
    let zh = Lang::Zh;
    let mut rows: Vec<[String; 2]> = vec![
        ["登记时间".into(), china_minute(c.opened_at)],
        ["来源".into(), i.channel.label(zh).into()],
        ["反映人".into(), i.petitioner(zh)],
        ["联系电话".into(), or_none(i.phone.clone())],
        ["人数".into(), i.people.to_string()],
    ];
    if let Some(d) = &i.delegation {
        rows.push(["群众代表".into(), format!("{}(代表群众{}人)", d.representatives.join("、"), d.speaks_for)]);
    }
    rows.extend([
        ["村(组)".into(), or_none(c.place())],
        ["类别".into(), or_none(i.category.clone())],
        ["紧急程度".into(), i.urgency.label(zh).into()],
        ["事由".into(), i.summary.clone()],
        ["详情".into(), or_none(i.details.clone())],
        ["承办人".into(), or_none(c.assignee.clone().unwrap_or_default())],
        ["状态".into(), c.status.label(zh).into()],
    ]);
    let told = match crate::domain::notice::acceptance_notified(&f.events) {
        Some((d, n)) if crate::domain::notice::notified_late(d, c.accept_by) => {
            format!("(逾期告知:{}于{})", n.doc().zh(), cn(d))
        }
        Some((d, n)) => format!("(已告知:{}于{})", n.doc().zh(), cn(d)),
        None => String::new(),
    };
    rows.push(["受理告知期限".into(), format!("{}{told}", cn(c.accept_by))]);
    rows.push(["受理日期".into(), or_none(c.accepted_on.map(cn).unwrap_or_default())]);
    rows.push(["办理期限".into(), or_none(c.due.map(cn).unwrap_or_default())]);
    rows.push([
        "延期".into(),
        or_none(c.extension.as_ref().map(|(d, r)| format!("延长{d}日:{r}")).unwrap_or_default()),
    ]);
    let inspections: Vec<String> = c
        .inspections
        .iter()
        .map(|x| match &x.findings {
            Some(f) => {
                let q: Vec<String> =
                    f.quantities.iter().map(|q| format!("{}{}{}", q.item, amount(q.number), q.unit)).collect();
                format!(
                    "{} {} {}:{} {} 估算{}元",
                    cn(f.date),
                    f.place,
                    f.team.join("、"),
                    f.findings,
                    q.join("、"),
                    f.cost_yuan
                )
            }
            None => format!("{} {} {}(待查看)", cn(x.plan.date), x.plan.place, x.plan.team.join("、")),
        })
        .collect();
    rows.push(["实地查看".into(), or_none(inspections.join("\n"))]);
    let escalations: Vec<String> = c
        .escalations
        .iter()
        .map(|e| {
            let granted = e.granted_yuan.map(|g| format!(",获批{g}元")).unwrap_or_else(|| ",待答复".into());
            format!("{} 上报{},申请{}元{granted}", cn(e.on), e.to, e.requested_yuan)
        })
        .collect();
    rows.push(["上报".into(), or_none(escalations.join("\n"))]);
    rows.push([
        "办结".into(),
        or_none(
            c.conclusion
                .as_ref()
                .map(|k| format!("{} {}:{}", cn(k.on), k.outcome.label(zh), k.reason))
                .unwrap_or_default(),
        ),
    ]);
    let follow_ups: Vec<String> =
        c.follow_ups.iter().map(|u| format!("{} {}", u.satisfaction.label(zh), u.note).trim().to_string()).collect();
    rows.push(["回访".into(), or_none(follow_ups.join("\n"))]);
    let mut links: Vec<String> = c.absorbed.iter().map(|n| format!("并入了{n}")).collect();
    if let Some(n) = c.merged_into {
        links.push(format!("已并入{n}"));
    }
    for e in &f.events {
        if let EventKind::Linked { other, later } = &e.kind {
            links.push(if *later { format!("后续新件{other}") } else { format!("接续{other}") });
        }
    }
    rows.push(["合并、关联".into(), or_none(links.join("\n"))]);
    let label = 2000;
    let mut b = vec![Block::Table {
        widths: vec![label, TEXT_WIDTH - label],
        rows: rows.into_iter().map(|r| r.to_vec()).collect(),
        header: false,
    }];
    b.push(Block::Blank);
    b.push(Block::Heading("办理经过".into()));
    let mut timeline = vec![vec!["时间".to_string(), "经办人".to_string(), "事项".to_string()]];
    for e in &f.events {
        timeline.push(vec![china_minute(e.at), e.operator.clone(), crate::ui::detail::describe(&e.kind, zh)]);
    }
    b.push(Block::Table { widths: vec![2000, 1300, TEXT_WIDTH - 3300], rows: timeline, header: true });
    b.push(Block::Blank);
    b.push(Block::Plain("登记人(签字):____________        归档日期:______年____月____日".into()));
    Paper {
        office: f.head.office.clone(),
        title: "案件登记表".into(),
        number: format!("{}    打印日期:{}", number(c), cn(f.issued)),
        blocks: b,
        created: f.issued.to_string(),
        small: true,
    }
}

/// 当日接待登记表: everyone received at the desk that day, in the order
/// they came, with a line for the duty leader's signature.
pub fn day_sheet(f: &DayFile) -> Paper {
    let mut rows =
        vec![["序号", "排队号", "姓名", "人数", "村(组)", "反映事项", "事件编号", "备注"].map(String::from).to_vec()];
    let received: Vec<&super::DayRow> = f.rows.iter().filter(|r| r.received).collect();
    let people: u32 = received.iter().map(|r| r.people).sum();
    for (n, r) in f.rows.iter().enumerate() {
        rows.push(vec![
            (n + 1).to_string(),
            r.number.map(|n| n.to_string()).unwrap_or_default(),
            r.name.clone(),
            r.people.to_string(),
            r.place.clone(),
            r.matter.clone(),
            r.case.map(|c| c.to_string()).unwrap_or_default(),
            r.note.clone(),
        ]);
    }
    let leader = f.duty_leader.clone().unwrap_or_else(|| "__________".into());
    let mut b =
        vec![Block::Plain(format!("接待日期:{}({})        值班领导:{leader}", cn(f.day), chinese_weekday(f.day)))];
    let fixed = 600 + 800 + 1100 + 600 + 1500 + 1200 + 1000;
    b.push(Block::Table {
        widths: vec![600, 800, 1100, 600, 1500, TEXT_WIDTH - fixed, 1200, 1000],
        rows,
        header: true,
    });
    b.push(Block::Blank);
    b.push(Block::Plain(format!("当日共接待群众{}批{people}人次。", received.len())));
    b.push(Block::Blank);
    b.push(Block::Plain(format!("值班领导(签字):________________        日期:{}", cn(f.day))));
    Paper {
        office: f.head.office.clone(),
        title: "当日接待登记表".into(),
        number: cn(f.day),
        blocks: b,
        created: f.day.to_string(),
        small: true,
    }
}

/// The paper of a case.
pub fn case_paper(kind: DocKind, f: &CaseFile) -> Paper {
    match kind {
        DocKind::Acceptance => acceptance(f),
        DocKind::NonAcceptance => non_acceptance(f),
        DocKind::Answer => answer(f),
        DocKind::CaseSheet | DocKind::DaySheet => case_sheet(f),
    }
}
