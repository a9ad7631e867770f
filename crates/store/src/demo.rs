//! Demo data from the seed article (沧江乡's "五个一" programme): the 2/12
//! road case of 坝达章五组 taken all the way, 唐科名's repeated calls about
//! his chestnut trees, opinion-box slips, diary entries, and a few cases
//! still open (one overdue) dated relative to `today`.

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::time::china_at;
use crate::domain::*;
use crate::{Command, Done, Stamp, Store, StoreError};

fn village(name: &str, groups: &[&str]) -> Command {
    Command::PutVillage(Village { name: name.into(), groups: groups.iter().map(|g| g.to_string()).collect() })
}

fn cadre(name: &str, post: &str, phone: &str, covers: &[&str]) -> Command {
    Command::PutCadre(Cadre {
        name: name.into(),
        post: post.into(),
        phone: phone.into(),
        covers: covers.iter().map(|g| g.to_string()).collect(),
    })
}

#[allow(clippy::too_many_arguments)]
fn intake(
    channel: Channel,
    name: &str,
    phone: &str,
    village: &str,
    group: &str,
    category: &str,
    summary: &str,
    details: &str,
    assignee: &str,
) -> Intake {
    Intake {
        channel,
        name: name.into(),
        phone: phone.into(),
        people: 1,
        delegation: None,
        village: village.into(),
        group: group.into(),
        category: category.into(),
        summary: summary.into(),
        details: details.into(),
        urgency: Urgency::Normal,
        assignee: (!assignee.is_empty()).then(|| assignee.to_string()),
    }
}

struct Demo<'a> {
    store: &'a Store,
}

impl Demo<'_> {
    fn run(&self, day: NaiveDate, h: u32, m: u32, who: &str, cmd: Command) -> Result<Done, StoreError> {
        self.store.execute(&Stamp { at: china_at(day, h, m), operator: who.into() }, cmd)
    }

    fn register(&self, day: NaiveDate, h: u32, m: u32, who: &str, intake: Intake) -> Result<CaseNo, StoreError> {
        match self.run(day, h, m, who, Command::Register { intake, queue: None })? {
            Done::Registered(no) => Ok(no),
            _ => Err(StoreError::Damaged(crate::i18n::Msg::DamageCorrupt, "register".into())),
        }
    }
}

/// The year the road case is placed in: this year once 2/12 is well past.
fn seed_year(today: NaiveDate) -> i32 {
    if today.ordinal() > 100 { today.year() } else { today.year() - 1 }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub const LEADERS: [&str; 4] = ["岑国仲", "王志刚", "李明华", "黄德荣"];

/// Fill an empty database. Returns how many cases were written.
pub fn load(store: &Store, today: NaiveDate) -> Result<usize, StoreError> {
    let d = Demo { store };
    let y = seed_year(today);
    let ago = |n: i64| today - Duration::days(n);
    let sys = "系统";
    for v in [
        village("坝达章村", &["坝汪组", "一组", "二组", "三组", "四组", "五组", "六组"]),
        village("沧江村", &["沧江组", "上寨组", "下寨组", "新寨组"]),
        village("冷洞村", &["冷洞组", "大寨组", "小寨组"]),
        village("纳省村", &["纳省组", "坡脚组", "岩脚组"]),
        village("坪寨村", &["坪寨组", "田坝组", "新街组"]),
    ] {
        d.run(today, 8, 0, sys, v)?;
    }
    for c in [
        cadre("岑国仲", "人大主席", "13908591001", &["坝达章村"]),
        cadre("王志刚", "党委书记", "13908591002", &["沧江村"]),
        cadre("李明华", "乡长", "13908591003", &["冷洞村"]),
        cadre("黄德荣", "副乡长", "13908591004", &["纳省村", "坪寨村"]),
        cadre("罗兴国", "党政办主任", "13908591005", &["坝达章村五组", "坝达章村坝汪组"]),
        cadre("陈丽", "团委书记", "13908591006", &["沧江村下寨组"]),
        cadre("杨光明", "国土所干部", "13908591007", &["坪寨村田坝组"]),
        cadre("韦秀英", "民政办干部", "13908591008", &["纳省村坡脚组"]),
    ] {
        d.run(today, 8, 0, sys, c)?;
    }
    // Wednesdays in turn; 岑国仲 on the road case's day and this week.
    let road_day = ymd(y, 2, 12);
    let first_wed = road_day - Duration::days(i64::from(road_day.weekday().num_days_from_monday())) + Duration::days(2);
    let this_wed = today - Duration::days(i64::from(today.weekday().num_days_from_monday())) + Duration::days(2);
    let mut duties = Vec::new();
    let mut wed = first_wed - Duration::days(7);
    let mut i = 3;
    while wed <= this_wed + Duration::days(56) {
        let cadre = if wed == first_wed || wed == this_wed { LEADERS[0] } else { LEADERS[i % 4] };
        duties.push(Duty { date: wed, cadre: cadre.into() });
        wed += Duration::days(7);
        i += 1;
    }
    d.run(today, 8, 0, sys, Command::SetRoster(Roster { duties }))?;

    // 一个群众接待日: 2/12, the head of 坝达章五组 and representatives.
    let mut road = intake(
        Channel::Reception,
        "韦正荣",
        "13985941234",
        "坝达章村",
        "五组",
        "道路交通",
        "五组通组路严重损坏,生产生活困难",
        "坝达章五组组长及群众代表反映:五组通组路严重损坏,涵洞堵塞,多处塌方,\n车辆无法通行,造成生产生活困难。",
        "岑国仲",
    );
    road.people = 3;
    road.urgency = Urgency::Urgent;
    road.delegation = Some(Delegation {
        representatives: vec!["韦正荣".into(), "罗大华".into(), "黄明贵".into()],
        speaks_for: 46,
    });
    let road = d.register(road_day, 10, 5, "岑国仲", road)?;
    // 一张电话联系卡: 唐科名 calls again and again about his chestnut trees.
    let tang = d.register(
        ymd(y, 3, 3),
        20,
        15,
        "岑国仲",
        intake(
            Channel::Phone,
            "唐科名",
            "13765912345",
            "坝达章村",
            "坝汪组",
            "征地补偿",
            "沿湖路建设损毁四亩多板栗树,要求赔偿",
            "因沿湖路建设,损毁其家四亩多板栗树,本人想不通,要求赔偿。",
            "岑国仲",
        ),
    )?;
    // 一个群众意见箱: slips on 低保, roads and 退耕还林.
    let box_day = ymd(y, 4, 8);
    let slip_dibao = d.register(
        box_day,
        15,
        0,
        "罗兴国",
        intake(Channel::OpinionBox, "", "", "沧江村", "", "低保救助", "低保评定不公开,要求张榜公示", "", "王志刚"),
    )?;
    let slip_tuigeng = d.register(
        box_day,
        15,
        5,
        "罗兴国",
        intake(Channel::OpinionBox, "", "", "纳省村", "", "退耕还林", "退耕还林补助资金发放不及时", "", "黄德荣"),
    )?;
    let slip_zuofeng = d.register(
        box_day,
        15,
        10,
        "罗兴国",
        intake(Channel::OpinionBox, "", "", "坪寨村", "", "干部作风", "村干部办事拖拉", "", "黄德荣"),
    )?;
    // 一本民情日记: noted in the village, sorted back at the office.
    let diary = d.register(
        ymd(y, 6, 17),
        18,
        30,
        "陈丽",
        intake(Channel::Diary, "罗秀珍", "", "沧江村", "下寨组", "饮水用电", "下寨组饮水管破裂,停水三天", "", "陈丽"),
    )?;
    // Still open, relative to today: one overdue.
    let power = d.register(
        ago(75),
        9,
        20,
        "黄德荣",
        intake(
            Channel::Phone,
            "黄光明",
            "13885912233",
            "纳省村",
            "坡脚组",
            "饮水用电",
            "坡脚组变压器老化,经常停电",
            "",
            "黄德荣",
        ),
    )?;
    let litter = d.register(
        ago(20),
        10,
        0,
        "王志刚",
        intake(Channel::Reception, "吴小燕", "13638591122", "沧江村", "沧江组", "其他", "垃圾清运不及时", "", "王志刚"),
    )?;
    let slip_road = d.register(
        ago(20),
        15,
        0,
        "罗兴国",
        intake(Channel::OpinionBox, "", "", "冷洞村", "大寨组", "道路交通", "建议硬化冷洞至大寨的通组路", "", "李明华"),
    )?;
    let house = d.register(
        ago(12),
        10,
        40,
        "王志刚",
        intake(
            Channel::Reception,
            "王秀兰",
            "13595912345",
            "沧江村",
            "上寨组",
            "住房安全",
            "房屋开裂,申请危房改造",
            "",
            "王志刚",
        ),
    )?;
    let lamp = d.register(
        ago(9),
        11,
        0,
        "岑国仲",
        intake(
            Channel::Reception,
            "杨国富",
            "0859-3224873",
            "坪寨村",
            "田坝组",
            "其他",
            "组里路灯损坏,夜间出行不便",
            "",
            "黄德荣",
        ),
    )?;
    let tobacco = d.register(
        ago(6),
        16,
        0,
        "罗兴国",
        intake(Channel::Visit, "韦小平", "15185941234", "坝达章村", "三组", "农业生产", "烤烟补贴未到位", "", "罗兴国"),
    )?;
    let relief = d.register(
        today,
        9,
        10,
        "岑国仲",
        intake(
            Channel::Reception,
            "罗永华",
            "13885917788",
            "冷洞村",
            "小寨组",
            "低保救助",
            "家中失火,申请临时救助",
            "",
            "岑国仲",
        ),
    )?;
    let _ = relief;

    // The road case, the whole way.
    let cen = "岑国仲";
    d.run(road_day, 10, 30, cen, Command::Accept { case: road })?;
    d.run(
        road_day,
        10,
        40,
        cen,
        Command::ScheduleInspection {
            case: road,
            plan: InspectionPlan {
                date: road_day + Duration::days(1),
                team: vec![cen.into(), "罗兴国".into()],
                place: "坝达章五组通组路".into(),
            },
        },
    )?;
    d.run(
        road_day + Duration::days(1),
        17,
        0,
        cen,
        Command::RecordFindings {
            case: road,
            findings: Findings {
                date: road_day + Duration::days(1),
                team: vec![cen.into(), "罗兴国".into()],
                place: "坝达章五组通组路".into(),
                findings: "涵洞堵塞损坏,多处塌方,全程约10公里,需机械清方并修整涵洞".into(),
                quantities: vec![
                    Quantity { item: "涵洞".into(), number: 4.0, unit: "处".into() },
                    Quantity { item: "塌方".into(), number: 10.0, unit: "处".into() },
                    Quantity { item: "里程".into(), number: 10.0, unit: "公里".into() },
                ],
                cost_yuan: 20_000,
                recommendation: Recommendation::Escalate,
            },
        },
    )?;
    d.run(
        road_day + Duration::days(2),
        9,
        0,
        cen,
        Command::Escalate { case: road, to: "兴义市交通运输局".into(), requested_yuan: 20_000 },
    )?;
    d.run(
        road_day + Duration::days(14),
        15,
        0,
        cen,
        Command::Grant { case: road, granted_yuan: 20_500, note: "下拨通组路维修费用".into() },
    )?;
    d.run(
        ymd(y, 3, 20),
        16,
        0,
        cen,
        Command::Conclude {
            case: road,
            outcome: Outcome::Implemented,
            reason: "修整涵洞4个,塌方路段10余处,总里程10公里,通组路恢复正常通行".into(),
        },
    )?;
    d.run(
        ymd(y, 3, 27),
        10,
        0,
        "罗兴国",
        Command::FollowUp {
            case: road,
            follow_up: FollowUp {
                method: FollowUpMethod::Visit,
                satisfaction: Satisfaction::Satisfied,
                note: "有了民情接待日,我们碰到的难事就有地方说、有人管、有人问了".into(),
            },
        },
    )?;

    // 唐科名: three more calls, then explained; no compensation.
    let contact = |note: &str| Command::Contact {
        case: tang,
        channel: Channel::Phone,
        name: "唐科名".into(),
        people: 1,
        note: note.into(),
        queue: None,
    };
    d.run(ymd(y, 3, 5), 7, 40, cen, contact("再次来电要求赔偿"))?;
    d.run(ymd(y, 3, 5), 9, 0, cen, Command::Accept { case: tang })?;
    d.run(ymd(y, 3, 8), 21, 10, cen, contact("周末晚上来电,仍想不通"))?;
    d.run(ymd(y, 3, 9), 10, 0, cen, Command::Note { case: tang, text: "沿湖路为无偿建设工程,已向其解释政策".into() })?;
    d.run(ymd(y, 3, 12), 19, 30, cen, contact("第四次来电"))?;
    d.run(
        ymd(y, 3, 15),
        11,
        0,
        cen,
        Command::Conclude {
            case: tang,
            outcome: Outcome::Explained,
            reason: "沿湖路工程建设是无偿的,经多次耐心解释,本人表示支持和理解".into(),
        },
    )?;
    d.run(
        ymd(y, 3, 22),
        9,
        30,
        cen,
        Command::FollowUp {
            case: tang,
            follow_up: FollowUp {
                method: FollowUpMethod::Phone,
                satisfaction: Satisfaction::Satisfied,
                note: "这是为了大家的利益,牺牲一下个人的利益,值得!".into(),
            },
        },
    )?;

    // The opinion box.
    d.run(box_day + Duration::days(1), 9, 0, "王志刚", Command::Accept { case: slip_dibao })?;
    d.run(
        ymd(y, 4, 30),
        9,
        0,
        "王志刚",
        Command::Conclude {
            case: slip_dibao, outcome: Outcome::Implemented, reason: "各村低保名单已张榜公示".into()
        },
    )?;
    d.run(
        ymd(y, 5, 8),
        9,
        0,
        "王志刚",
        Command::FollowUp {
            case: slip_dibao,
            follow_up: FollowUp {
                method: FollowUpMethod::Visit,
                satisfaction: Satisfaction::Mostly,
                note: "群众认可公示,希望每年公示".into(),
            },
        },
    )?;
    d.run(box_day + Duration::days(1), 9, 10, "黄德荣", Command::Accept { case: slip_tuigeng })?;
    d.run(
        ymd(y, 5, 10),
        9,
        0,
        "黄德荣",
        Command::Conclude {
            case: slip_tuigeng,
            outcome: Outcome::Explained,
            reason: "补助资金按年度统一拨付,已公示发放时间".into(),
        },
    )?;
    d.run(
        box_day + Duration::days(2),
        9,
        0,
        "黄德荣",
        Command::Conclude {
            case: slip_zuofeng,
            outcome: Outcome::NotAccepted,
            reason: "无具体事实,已转村支两委自查".into(),
        },
    )?;

    // The diary.
    d.run(ymd(y, 6, 18), 8, 30, "陈丽", Command::Accept { case: diary })?;
    d.run(
        ymd(y, 6, 20),
        17,
        0,
        "陈丽",
        Command::Conclude {
            case: diary, outcome: Outcome::Implemented, reason: "已组织维修水管,恢复供水".into()
        },
    )?;
    d.run(
        ymd(y, 6, 27),
        10,
        0,
        "陈丽",
        Command::FollowUp {
            case: diary,
            follow_up: FollowUp {
                method: FollowUpMethod::Visit,
                satisfaction: Satisfaction::Satisfied,
                note: String::new(),
            },
        },
    )?;

    // Open work.
    d.run(ago(74), 9, 0, "黄德荣", Command::Accept { case: power })?;
    d.run(ago(19), 9, 0, "王志刚", Command::Accept { case: litter })?;
    d.run(
        ago(12),
        16,
        0,
        "王志刚",
        Command::Conclude { case: litter, outcome: Outcome::Implemented, reason: "已增加清运班次".into() },
    )?;
    d.run(ago(19), 9, 30, "李明华", Command::Accept { case: slip_road })?;
    d.run(
        ago(19),
        9,
        40,
        "李明华",
        Command::ScheduleInspection {
            case: slip_road,
            plan: InspectionPlan {
                date: today + Duration::days(2),
                team: vec!["李明华".into(), "杨光明".into()],
                place: "冷洞村大寨组通组路".into(),
            },
        },
    )?;
    d.run(ago(12), 11, 0, "王志刚", Command::Accept { case: house })?;
    d.run(ago(9), 11, 20, "黄德荣", Command::Accept { case: lamp })?;
    d.run(
        ago(3),
        17,
        0,
        "黄德荣",
        Command::Conclude { case: lamp, outcome: Outcome::Implemented, reason: "已更换路灯6盏".into() },
    )?;
    let _ = tobacco;
    Ok(store.all_cases()?.len())
}
