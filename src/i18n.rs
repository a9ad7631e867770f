//! Every string the user reads, in one catalog. Each entry gives the Chinese
//! and the English text together, so a missing translation does not compile.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Chinese unless the locale asks for English: the desk is for a
    /// Chinese township, so an unset or `C` locale stays Chinese.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if v.is_empty() {
                    continue;
                }
                return if v.starts_with("en") { Lang::En } else { Lang::Zh };
            }
        }
        Lang::Zh
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh_cn" | "zh-cn" => Some(Lang::Zh),
            "en" | "en_us" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }
}

macro_rules! catalog {
    ($($name:ident => ($zh:expr, $en:expr)),* $(,)?) => {
        /// A message the user can read, in either language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum Msg { $($name),* }

        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::Zh) => $zh, (Msg::$name, Lang::En) => $en,)*
                }
            }
        }
    };
}

catalog! {
    AppTitle => ("沧江乡群众接待", "Reception desk"),
    TabIntake => ("登记", "Intake"),
    TabPending => ("待办", "Pending"),
    TabInspections => ("实地查看", "Inspections"),
    TabFollowUps => ("回访", "Follow-ups"),
    TabStats => ("统计", "Statistics"),
    Overdue => ("超期", "overdue"),
    OverdueMark => ("超期!", "LATE!"),
    Help => ("帮助", "Help"),
    HelpTitle => ("按键帮助 (Esc 关闭)", "Keys (Esc closes)"),
    HelpGlobal => ("全局", "Everywhere"),
    HelpList => ("列表中", "In a list"),
    HelpForm => ("表单中", "In a form"),
    HelpFilter => ("筛选时", "While filtering"),
    EnlargeWindow => ("窗口太小,请放大到至少 80x24", "Window too small: enlarge it to at least 80x24"),
    KeyTabs => ("切换页面", "switch tab"),
    KeyTabIntake => ("登记页", "Intake tab"),
    KeyTabPending => ("待办页", "Pending tab"),
    KeyTabInspections => ("实地查看页", "Inspections tab"),
    KeyTabFollowUps => ("回访页", "Follow-ups tab"),
    KeyTabStats => ("统计页", "Statistics tab"),
    KeyHelp => ("帮助", "help"),
    KeyQuit => ("退出", "quit"),
    KeyBack => ("返回", "back"),
    KeyUp => ("上移", "up"),
    KeyDown => ("下移", "down"),
    KeyPageUp => ("上一页", "page up"),
    KeyPageDown => ("下一页", "page down"),
    KeyHome => ("第一条", "first"),
    KeyEnd => ("最后一条", "last"),
    KeyOpen => ("打开", "open"),
    KeyFilter => ("筛选", "filter"),
    KeyFilterDone => ("完成筛选", "done"),
    KeyFilterClear => ("清除筛选", "clear filter"),
    KeyMove => ("移动", "move"),
    KeyNextField => ("下一栏", "next field"),
    KeyPrevField => ("上一栏", "previous field"),
    KeySave => ("保存", "save"),
    KeyDup => ("同上", "ditto"),
    ColNo => ("编号", "No."),
    ColDate => ("日期", "Date"),
    ColPlace => ("村组", "Village"),
    ColPetitioner => ("群众", "Person"),
    ColCategory => ("类别", "Category"),
    ColSummary => ("事由", "Summary"),
    ColAssignee => ("承办人", "Cadre"),
    ColStatus => ("状态", "Status"),
    ColDaysLeft => ("剩余天数", "Days"),
    ColInspectDate => ("查看日期", "Date"),
    ColTeam => ("人员", "Team"),
    ColFollowDue => ("回访日期", "Due"),
    ColOutcome => ("结果", "Outcome"),
    ColPhone => ("电话", "Phone"),
    NoOpenCases => ("没有待办事件", "No open cases"),
    NoInspections => ("没有安排实地查看", "No inspections scheduled"),
    NoFollowUps => ("没有到期回访", "No follow-ups due"),
    FilterPrompt => ("筛选: ", "Filter: "),
    Anonymous => ("匿名", "anon."),
    StatusRegistered => ("已登记", "new"),
    StatusInHand => ("办理中", "active"),
    StatusInspectionPending => ("待查看", "inspect"),
    StatusInspected => ("已查看", "checked"),
    StatusEscalated => ("已上报", "escal."),
    StatusConcluded => ("已办结", "closed"),
    StatusFollowedUp => ("已回访", "visited"),
    StatusMerged => ("已合并", "merged"),
    ChannelReception => ("接待日", "reception"),
    ChannelPhone => ("电话", "phone"),
    ChannelDiary => ("民情日记", "diary"),
    ChannelBox => ("意见箱", "opinion box"),
    ChannelVisit => ("走访", "visit"),
    OutcomeImplemented => ("支持/已落实", "upheld, implemented"),
    OutcomeExplained => ("解释说明", "explained"),
    OutcomeNotUpheld => ("不予支持", "not upheld"),
    OutcomeReferred => ("转办", "referred"),
    OutcomeNotAccepted => ("不予受理", "not accepted"),
    UrgencyNormal => ("一般", "normal"),
    UrgencyUrgent => ("紧急", "urgent"),
    UrgencyCritical => ("特急", "critical"),
    SatisfiedFull => ("满意", "satisfied"),
    SatisfiedPartly => ("基本满意", "mostly satisfied"),
    SatisfiedNot => ("不满意", "not satisfied"),
    MethodPhone => ("电话", "phone"),
    MethodVisit => ("上门", "visit"),
    Today => ("今天", "today"),
    DutyLeader => ("今日值班", "On duty today"),
    NobodyOnDuty => ("未排班", "nobody rostered"),
    TodayIntakes => ("今日已登记", "Registered today"),
    NoneToday => ("今天还没有登记", "Nothing registered today"),
    IntakeComing => ("登记表单: 按 Enter 开始登记下一位", "Intake form: press Enter to register the next person"),
    StatsOpen => ("待办", "Open"),
    StatsOverdue => ("超期", "Overdue"),
    StatsTotal => ("全部事件", "All cases"),
    StatsPeople => ("接待群众(人次)", "Residents received"),
    StatsImplemented => ("已落实", "Implemented"),
    StatsFollowUps => ("回访", "Follow-ups"),
    StatsByChannel => ("按来源", "By channel"),
    StatsThisYear => ("今年", "This year"),
    Cases => ("件", "cases"),
    People => ("人", "people"),
    Loading => ("正在读取…", "Loading..."),
    ErrStore => ("数据库出错", "Database error"),
    ErrLockedBy => ("数据库正被另一个 jiedai 使用", "The database is in use by another jiedai"),
    ErrLockedHint => ("请等对方退出,或换一个数据库 (--db)。", "Wait until it quits, or use another database (--db)."),
    ErrLockHolder => ("使用者", "held by"),
    ErrLockTty => ("终端", "terminal"),
    ErrLockSince => ("开始于", "since"),
    ErrLockPid => ("进程", "process"),
    ErrDamaged => ("数据库已损坏,未作任何改动", "The database is damaged; nothing was changed"),
    ErrDamagedHint => ("请运行 `jiedai check` 查看问题,并从备份恢复。", "Run `jiedai check` to see what is wrong, and restore from a backup."),
    ErrOpen => ("无法打开数据库", "Cannot open the database"),
    CheckOk => ("数据库完好", "Database is sound"),
    CheckProblems => ("数据库有问题", "Database has problems"),
    DemoDone => ("已写入演示数据", "Demo data written"),
    DemoNotEmpty => ("数据库不是空的,演示数据只写入空数据库", "The database is not empty; demo data goes only into an empty one"),
    ExportDone => ("已导出", "Exported"),
    ErrPhoneChars => ("电话只能输入数字和 -", "A phone number takes digits and - only"),
    ShownCase => ("登记编号", "Case number"),
    ShownContact => ("已记入", "Added to"),
    ShownTicket => ("排队号", "Queue number"),
    QueueWaiting => ("候", "waiting"),
    QueueServed => ("已办", "done"),
    QueueNumber => ("号", "no."),
    QueueEmptyHint => ("按 a 取号", "Press a to add an arrival"),
    AddPrompt => ("取号:", "Add:"),
    Minutes => ("分", "m"),
    EarlierCases => ("此人以前的事件", "Earlier cases"),
    EarlierHint => ("Ctrl+T 记为再次反映", "Ctrl+T: same matter"),
    Contacts => ("反映次数", "contacts"),
    IntakeTitle => ("登记", "Intake"),
    HelpQueue => ("排队名单", "The queue"),
    HelpAdding => ("取号", "Adding an arrival"),
    HelpText => ("输入文字时", "While typing"),
    KeyCall => ("叫号: 叫到表单", "call into the form"),
    KeyAddArrival => ("取号 (姓名 村)", "new arrival (name village)"),
    KeyNoShow => ("过号 (未到)", "no-show"),
    KeyRecall => ("重新排队", "recall"),
    KeyToForm => ("到表单", "to the form"),
    KeyAddDone => ("取号", "add to queue"),
    KeyToQueue => ("排队", "queue"),
    KeyAsContact => ("记入旧事件", "add to earlier case"),
    KeyNextPick => ("下一个候选", "next suggestion"),
    KeyPrevPick => ("上一个候选", "previous suggestion"),
    KeyEarlierDown => ("选下一件旧事件", "next earlier case"),
    KeyEarlierUp => ("选上一件旧事件", "previous earlier case"),
    KeyNewLine => ("换行 (详情栏)", "new line (details)"),
    KeyClearForm => ("清空表单", "clear the form"),
    DraftRestored => ("已恢复上次未保存的登记", "Restored the intake left unsaved last time"),
    ErrNoEarlierCase => ("没有此人以前的事件", "No earlier case of this resident"),
    ErrFormBusy => ("表单里还有未保存的内容: 先保存 (Ctrl+S) 或清空 (Ctrl+U)", "The form holds unsaved work: save it (Ctrl+S) or clear it (Ctrl+U) first"),
    QueueEmpty => ("没有人在排队", "Nobody is waiting"),
    Saved => ("已保存, 编号", "Saved as"),
    SavedContact => ("已作为再次反映记入", "Logged as a further contact on"),
    FName => ("姓名", "Name"),
    FPhone => ("电话", "Phone"),
    FVillage => ("村", "Village"),
    FGroup => ("组", "Group"),
    FPeople => ("人数", "People"),
    FReps => ("代表", "Reps"),
    FSpeaksFor => ("代表人数", "For"),
    FCategory => ("类别", "Category"),
    FSummary => ("事由", "Summary"),
    FDetails => ("详情", "Details"),
    FChannel => ("来源", "Channel"),
    FAssignee => ("承办人", "Assignee"),
    FUrgency => ("紧急程度", "Urgency"),
    ErrDigitsOnly => ("此栏只能输入数字", "Digits only in this field"),
    ErrPhone => ("电话号码不对: 手机 11 位, 座机带区号 (如 0859-3224873)", "Not a phone number: 11-digit mobile, or landline with area code (0859-3224873)"),
    ErrPickFromList => ("请从列表中选择", "Pick one from the list"),
    ErrNameRequired => ("请填写姓名 (意见箱可匿名)", "A name is required (only opinion-box slips may be anonymous)"),
    ErrNoQueueEntry => ("排队记录不存在", "No such queue entry"),
    ErrQueueServed => ("此人已办理完毕", "This person has already been served"),
    DamageCorrupt => ("数据文件内容损坏", "the data file is corrupt"),
    DamageTruncated => ("数据文件被截短", "the data file is truncated"),
    DamageMissingFile => ("找不到数据文件", "the data file is missing"),
    DamageChanged => ("数据文件在上次正常关闭后被改动", "the data file changed after it was last closed"),
    DamageMissingSaves => ("日志中缺少已保存的记录", "saved records are missing from the log"),
    DamageNewer => ("数据库由更新版本的 jiedai 写入,请升级", "the database was written by a newer jiedai; upgrade"),
    StatsCases => ("登记事件", "Cases"),
    StatsAccepted => ("受理", "Accepted"),
    Yuan => ("元", "yuan"),
    EvRegistered => ("登记", "registered"),
    EvContact => ("再次反映", "contact"),
    EvAssigned => ("交办", "assigned to"),
    EvAccepted => ("受理, 办理期限", "accepted, due"),
    EvExtended => ("延期(天)", "extended (days)"),
    EvInspectionScheduled => ("安排实地查看", "inspection scheduled"),
    EvInspectionRecorded => ("实地查看结果", "inspection findings"),
    EvEscalated => ("上报", "escalated to"),
    EvGranted => ("获批", "granted"),
    EvConcluded => ("办结", "concluded"),
    EvFollowedUp => ("回访", "followed up"),
    EvReopened => ("重办, 办理期限", "reopened, due"),
    EvMergedInto => ("合并到", "merged into"),
    EvAbsorbed => ("合并了", "absorbed"),
    EvNote => ("备注", "note"),
    FieldChannel => ("来源", "Channel"),
    FieldPeople => ("人数", "People"),
    FieldDelegation => ("代表", "Representatives"),
    FieldSpeaksFor => ("代表群众", "speaking for"),
    FieldAcceptBy => ("受理告知期限", "Acceptance notice by"),
    FieldDue => ("办理期限", "Due"),
    Timeline => ("办理经过", "Timeline"),
    KeyCaretLeft => ("光标左移", "caret left"),
    KeyCaretRight => ("光标右移", "caret right"),
    KeyCaretHome => ("到行首", "start of line"),
    KeyCaretEnd => ("到行尾", "end of line"),
    KeyDeleteBack => ("删除前一个字", "delete previous character"),
    KeyDeleteForward => ("删除后一个字", "delete next character"),
    KeyScrollUp => ("向上滚动", "scroll up"),
    KeyScrollDown => ("向下滚动", "scroll down"),
    CheckBadKey => ("无法识别的键", "unreadable key"),
    CheckUndecodable => ("记录无法解码", "record does not decode"),
    CheckEventGap => ("事件序号不连续", "events missing from the timeline"),
    CheckReplayMismatch => ("事件记录与按时间线重建的结果不一致", "case differs from its rebuilt timeline"),
    CheckOrphanEvents => ("事件没有对应的案件", "events without a case"),
    CheckIndexMissing => ("索引缺少条目", "index entry missing"),
    CheckIndexStale => ("索引有多余条目", "stale index entry"),
    CheckCounter => ("编号计数器落后", "case-number counter is behind"),
    ErrSummaryRequired => ("事由不能为空", "The summary is required"),
    ErrPeopleZero => ("人数至少为 1", "At least one person"),
    ErrTooManyReps => ("群众代表最多 5 人", "At most 5 representatives"),
    ErrMerged => ("此事件已合并到另一件", "This case was merged into another"),
    ErrAlreadyRegistered => ("此事件已登记", "This case is already registered"),
    ErrCaseClosed => ("此事件已办结", "This case is concluded"),
    ErrTextRequired => ("此栏不能为空", "This field is required"),
    ErrAlreadyAccepted => ("此事件已受理", "This case is already accepted"),
    ErrNotAccepted => ("此事件尚未受理", "This case is not accepted yet"),
    ErrAlreadyExtended => ("办理期限只能延长一次", "The deadline can be extended only once"),
    ErrExtensionTooLong => ("延期最多 30 天", "An extension is at most 30 days"),
    ErrReasonRequired => ("请填写理由", "A reason is required"),
    ErrNoInspectionPending => ("没有待记录结果的实地查看", "No inspection is waiting for findings"),
    ErrNoEscalationPending => ("没有待答复的上报", "No escalation is waiting for an answer"),
    ErrNotConcluded => ("此事件尚未办结", "This case is not concluded"),
    ErrMergeSelf => ("不能合并到自身", "A case cannot be merged into itself"),
    ErrNoSuchCase => ("没有这个编号的事件", "No case with that number"),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_lang() {
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
    }
}
