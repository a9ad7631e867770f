//! The one key table: (scope, key) -> (command, help text). Dispatch, the
//! footer hints and the help screen all read it, so they cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::action::ActionKind;
use crate::i18n::{Lang, Msg};
use jiedai_protocol::StatsPeriod;

/// A key as the desk understands it, after the terminal's quirks are undone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Alt(char),
    F(u8),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Tab,
    BackTab,
    Esc,
    Backspace,
    Delete,
}

impl Key {
    /// From crossterm: presses only (Windows terminals also send releases);
    /// ^H is Backspace (terminals that send ^H for it, and PuTTY's Ctrl+H).
    pub fn from_event(ev: KeyEvent) -> Option<Key> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        Some(match ev.code {
            KeyCode::Char(c) if ctrl => match c.to_ascii_lowercase() {
                'h' => Key::Backspace,
                'i' => Key::Tab,
                'm' => Key::Enter,
                c => Key::Ctrl(c),
            },
            KeyCode::Char(c) if alt => Key::Alt(c),
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::F(n) => Key::F(n),
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::Enter => Key::Enter,
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => Key::BackTab,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            KeyCode::Esc => Key::Esc,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            _ => return None,
        })
    }

    /// How the key is written on screen: ASCII only, so no font draws it
    /// at the wrong width.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl+{}", c.to_ascii_uppercase()),
            Key::Alt(c) => format!("Alt+{c}"),
            Key::F(n) => format!("F{n}"),
            Key::Up => "Up".into(),
            Key::Down => "Down".into(),
            Key::Left => "Left".into(),
            Key::Right => "Right".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::Enter => "Enter".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "Shift+Tab".into(),
            Key::Esc => "Esc".into(),
            Key::Backspace => "Backspace".into(),
            Key::Delete => "Del".into(),
        }
    }
}

/// Where a binding applies. Scopes are tried in the order the app gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everywhere, even while typing: F-keys, Alt, Ctrl.
    Global,
    /// In a list, no text field focused: plain letters and digits act.
    List,
    /// A case opened from a list.
    Detail,
    /// While typing a filter.
    Filter,
    /// In any text field.
    Text,
    /// The help overlay.
    Help,
    /// The market-day queue on the intake tab.
    Queue,
    /// Typing an arrival into the queue.
    Adding,
    /// The intake form.
    Form,
    /// The action menu of an opened case.
    Menu,
    /// An action's dialog.
    Dialog,
    /// The statistics tab.
    Stats,
    /// A one-line prompt (the statistics' period).
    Prompt,
    /// A new visit about a concluded case: reopen it or open a linked one.
    Revisit,
    /// The intake form just cleared with Ctrl+U: it can be restored.
    Undo,
    /// The 名录 place, moving among its rows.
    Directory,
    /// Editing a line of the 名录.
    DirEdit,
    /// 来电: the phone card.
    Calls,
    /// 民情日记: typing the day's lines.
    Diary,
    /// 民情日记: the entries, triaged one key each.
    DiaryTriage,
    /// 民情日记: the case to attach to, or the settled note.
    DiaryPrompt,
    /// 群众意见箱: the opening's line, then the slips.
    BoxSlips,
    /// The intake form filled from a diary entry (over `Form`).
    DiaryForm,
}

impl Scope {
    pub fn title(self) -> Msg {
        match self {
            Scope::Global => Msg::HelpGlobal,
            Scope::List | Scope::Detail => Msg::HelpList,
            Scope::Filter => Msg::HelpFilter,
            Scope::Text => Msg::HelpText,
            Scope::Help => Msg::Help,
            Scope::Queue => Msg::HelpQueue,
            Scope::Adding => Msg::HelpAdding,
            Scope::Form => Msg::HelpForm,
            Scope::Menu => Msg::ActMenu,
            Scope::Dialog => Msg::HelpDialog,
            Scope::Stats => Msg::TabStats,
            Scope::Prompt => Msg::PeriodRange,
            Scope::Revisit => Msg::HelpRevisit,
            Scope::Undo => Msg::HelpUndo,
            Scope::Directory => Msg::TabDirectory,
            Scope::DirEdit => Msg::HelpDirEdit,
            Scope::Calls => Msg::TabCalls,
            Scope::Diary | Scope::DiaryPrompt => Msg::HelpDiary,
            Scope::DiaryTriage => Msg::HelpDiaryTriage,
            Scope::BoxSlips => Msg::HelpBox,
            Scope::DiaryForm => Msg::HelpDiaryForm,
        }
    }
}

/// What a key means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmd {
    Tab(u8),
    Help,
    Quit,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Filter,
    FilterDone,
    FilterClear,
    OverdueOnly,
    CaretLeft,
    CaretRight,
    CaretHome,
    CaretEnd,
    DeleteBack,
    DeleteForward,
    Call,
    AddArrival,
    AddDone,
    NoShow,
    Recall,
    ToForm,
    NextField,
    PrevField,
    Save,
    Dup,
    NextPick,
    PrevPick,
    AsContact,
    EarlierUp,
    EarlierDown,
    NewLine,
    ClearForm,
    /// An action on the opened case.
    Act(ActionKind),
    /// The statistics for another period.
    Period(StatsPeriod),
    /// Type a period: since a date, or a range.
    PeriodRange,
    PromptDone,
    /// A concluded case visited again: reopen it (重办).
    Reopen,
    /// A concluded case visited again: a new case linked to it.
    LinkNew,
    /// Put back the form Ctrl+U cleared.
    Undo,
    /// Add the village or group typed at the intake to the directory.
    AddPlace,
    /// 名录: the township's name, the villages, a new cadre, the duty
    /// roster, rename or retire the selected row.
    DirTownship,
    DirVillages,
    DirCadre,
    DirDuty,
    DirRename,
    DirRetire,
    DirPair,
    DirVisit,
    DirVisitCase,
    /// 来电: a new matter, to the intake form with what the card knows.
    CallNew,
    /// 民情日记 triage: a case, attached to a case, settled on the spot.
    DiaryCase,
    DiaryAttach,
    DiarySettle,
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub cmd: Cmd,
    pub help: Msg,
    /// Shown in the footer; bindings sharing a group show as one hint.
    pub footer: Option<Msg>,
}

const fn b(scope: Scope, keys: &'static [Key], cmd: Cmd, help: Msg, footer: Option<Msg>) -> Binding {
    Binding { scope, keys, cmd, help, footer }
}

use Key::*;
use Scope::*;

/// The table. Every action has a plain-key or Ctrl form that works on
/// PuTTY, Xshell, Windows Terminal, tmux and the Linux console; F-keys and
/// Alt are accelerators. Full-width `？` and `、` (what an IME sends for ? and /)
/// work like the ASCII ones.
pub static TABLE: &[Binding] = &[
    b(Help, &[Esc, Char('q'), Char('?'), Char('？'), Ctrl('g')], Cmd::Back, Msg::KeyBack, Some(Msg::KeyBack)),
    b(Help, &[Up, Char('k')], Cmd::Up, Msg::KeyScrollUp, Some(Msg::KeyMove)),
    b(Help, &[Down, Char('j')], Cmd::Down, Msg::KeyScrollDown, Some(Msg::KeyMove)),
    b(Help, &[PageUp], Cmd::PageUp, Msg::KeyPageUp, Some(Msg::KeyPage)),
    b(Help, &[PageDown], Cmd::PageDown, Msg::KeyPageDown, Some(Msg::KeyPage)),
    b(Help, &[Home, Char('g')], Cmd::First, Msg::KeyHelpTop, None),
    b(Help, &[End, Char('G')], Cmd::Last, Msg::KeyHelpBottom, None),
    b(Revisit, &[Char('r'), Char('1')], Cmd::Reopen, Msg::KeyReopen, Some(Msg::KeyReopen)),
    b(Revisit, &[Char('n'), Char('2')], Cmd::LinkNew, Msg::KeyLinkNew, Some(Msg::KeyLinkNew)),
    b(Revisit, &[Esc], Cmd::Back, Msg::KeyRevisitCancel, Some(Msg::KeyRevisitCancel)),
    b(Undo, &[Ctrl('z')], Cmd::Undo, Msg::KeyUndoClear, Some(Msg::KeyUndoClear)),
    b(Global, &[F(1), Alt('1')], Cmd::Tab(0), Msg::KeyTabIntake, Some(Msg::KeyTabs)),
    b(Global, &[F(2), Alt('2')], Cmd::Tab(1), Msg::KeyTabPending, Some(Msg::KeyTabs)),
    b(Global, &[F(3), Alt('3')], Cmd::Tab(2), Msg::KeyTabInspections, Some(Msg::KeyTabs)),
    b(Global, &[F(4), Alt('4')], Cmd::Tab(3), Msg::KeyTabFollowUps, Some(Msg::KeyTabs)),
    b(Global, &[F(5), Alt('5')], Cmd::Tab(4), Msg::KeyTabStats, Some(Msg::KeyTabs)),
    b(Global, &[F(6), Alt('6')], Cmd::Tab(6), Msg::KeyTabDirectory, Some(Msg::KeyTabs)),
    b(Global, &[F(7), Alt('7')], Cmd::Tab(5), Msg::KeyTabSearch, Some(Msg::KeyTabs)),
    b(Global, &[F(8), Alt('8')], Cmd::Tab(7), Msg::KeyTabCalls, Some(Msg::KeyTabs)),
    b(Global, &[F(9), Alt('9')], Cmd::Tab(8), Msg::KeyTabDiary, Some(Msg::KeyTabs)),
    b(Global, &[F(10), Alt('0')], Cmd::Tab(9), Msg::KeyTabBox, Some(Msg::KeyTabs)),
    b(Global, &[Ctrl('g')], Cmd::Help, Msg::KeyHelp, Some(Msg::KeyHelp)),
    b(Global, &[Ctrl('q'), Ctrl('c')], Cmd::Quit, Msg::KeyQuit, Some(Msg::KeyQuit)),
    b(Filter, &[Enter, Down], Cmd::FilterDone, Msg::KeyFilterDone, Some(Msg::KeyFilterDone)),
    b(Filter, &[Esc], Cmd::FilterClear, Msg::KeyFilterClear, Some(Msg::KeyFilterClear)),
    b(Filter, &[Ctrl('u')], Cmd::ClearForm, Msg::KeyClearQuery, None),
    b(Text, &[Left], Cmd::CaretLeft, Msg::KeyCaretLeft, None),
    b(Text, &[Right], Cmd::CaretRight, Msg::KeyCaretRight, None),
    b(Text, &[Home, Ctrl('a')], Cmd::CaretHome, Msg::KeyCaretHome, None),
    b(Text, &[End, Ctrl('e')], Cmd::CaretEnd, Msg::KeyCaretEnd, None),
    b(Text, &[Backspace], Cmd::DeleteBack, Msg::KeyDeleteBack, None),
    b(Text, &[Delete, Ctrl('d')], Cmd::DeleteForward, Msg::KeyDeleteForward, None),
    b(Queue, &[Enter], Cmd::Call, Msg::KeyCall, Some(Msg::KeyCall)),
    b(Queue, &[Char('a'), Char('+')], Cmd::AddArrival, Msg::KeyAddArrival, Some(Msg::KeyAddArrival)),
    b(Queue, &[Char('x'), Delete], Cmd::NoShow, Msg::KeyNoShow, Some(Msg::KeyNoShow)),
    b(Queue, &[Char('r')], Cmd::Recall, Msg::KeyRecall, Some(Msg::KeyRecall)),
    b(Queue, &[Tab], Cmd::ToForm, Msg::KeyToForm, Some(Msg::KeyToForm)),
    b(Queue, &[Up, Char('k')], Cmd::Up, Msg::KeyUp, Some(Msg::KeyMove)),
    b(Queue, &[Down, Char('j')], Cmd::Down, Msg::KeyDown, Some(Msg::KeyMove)),
    b(Queue, &[PageUp], Cmd::PageUp, Msg::KeyPageUp, None),
    b(Queue, &[PageDown], Cmd::PageDown, Msg::KeyPageDown, None),
    b(Queue, &[Home], Cmd::First, Msg::KeyHome, None),
    b(Queue, &[End], Cmd::Last, Msg::KeyEnd, None),
    b(Queue, &[Char('1')], Cmd::Tab(0), Msg::KeyTabIntake, None),
    b(Queue, &[Char('2')], Cmd::Tab(1), Msg::KeyTabPending, None),
    b(Queue, &[Char('3')], Cmd::Tab(2), Msg::KeyTabInspections, None),
    b(Queue, &[Char('4')], Cmd::Tab(3), Msg::KeyTabFollowUps, None),
    b(Queue, &[Char('5')], Cmd::Tab(4), Msg::KeyTabStats, None),
    b(Queue, &[Char('6')], Cmd::Tab(6), Msg::KeyTabDirectory, None),
    b(Queue, &[Char('7')], Cmd::Tab(5), Msg::KeyTabSearch, None),
    b(Queue, &[Char('8')], Cmd::Tab(7), Msg::KeyTabCalls, None),
    b(Queue, &[Char('9')], Cmd::Tab(8), Msg::KeyTabDiary, None),
    b(Queue, &[Char('0')], Cmd::Tab(9), Msg::KeyTabBox, None),
    b(Queue, &[Char('?'), Char('？')], Cmd::Help, Msg::KeyHelp, Some(Msg::KeyHelp)),
    b(Adding, &[Enter], Cmd::AddDone, Msg::KeyAddDone, Some(Msg::KeyAddDone)),
    b(Adding, &[Esc], Cmd::Back, Msg::KeyBack, Some(Msg::KeyBack)),
    b(Form, &[Tab, Enter, Down], Cmd::NextField, Msg::KeyNextField, Some(Msg::KeyNextField)),
    b(Form, &[BackTab, Up], Cmd::PrevField, Msg::KeyPrevField, None),
    b(Form, &[Ctrl('s')], Cmd::Save, Msg::KeySave, Some(Msg::KeySave)),
    b(Form, &[Esc], Cmd::Back, Msg::KeyToQueue, Some(Msg::KeyToQueue)),
    b(Form, &[Ctrl('r')], Cmd::Dup, Msg::KeyDup, Some(Msg::KeyDup)),
    b(Form, &[Ctrl('t')], Cmd::AsContact, Msg::KeyAsContact, None),
    b(Form, &[Ctrl('n')], Cmd::NextPick, Msg::KeyNextPick, None),
    b(Form, &[Ctrl('p')], Cmd::PrevPick, Msg::KeyPrevPick, None),
    b(Form, &[PageDown], Cmd::EarlierDown, Msg::KeyEarlierDown, None),
    b(Form, &[PageUp], Cmd::EarlierUp, Msg::KeyEarlierUp, None),
    b(Form, &[Ctrl('j')], Cmd::NewLine, Msg::KeyNewLine, None),
    b(Form, &[Ctrl('u')], Cmd::ClearForm, Msg::KeyClearForm, None),
    b(Form, &[Ctrl('y')], Cmd::AddPlace, Msg::KeyAddPlace, None),
    b(Stats, &[Up, Char('k')], Cmd::Up, Msg::KeyScrollUp, Some(Msg::KeyScroll)),
    b(Stats, &[Down, Char('j')], Cmd::Down, Msg::KeyScrollDown, Some(Msg::KeyScroll)),
    b(Stats, &[PageUp], Cmd::PageUp, Msg::KeyPageUp, None),
    b(Stats, &[PageDown], Cmd::PageDown, Msg::KeyPageDown, None),
    b(Stats, &[Home], Cmd::First, Msg::KeyHome, None),
    b(Stats, &[End], Cmd::Last, Msg::KeyEnd, None),
    b(Stats, &[Char('w')], Cmd::Period(StatsPeriod::Week), Msg::PeriodWeek, Some(Msg::KeyPeriod)),
    b(Stats, &[Char('m')], Cmd::Period(StatsPeriod::Month), Msg::PeriodMonth, Some(Msg::KeyPeriod)),
    b(Stats, &[Char('y')], Cmd::Period(StatsPeriod::Year), Msg::PeriodYear, Some(Msg::KeyPeriod)),
    b(Stats, &[Char('a')], Cmd::Period(StatsPeriod::All), Msg::PeriodAll, Some(Msg::KeyPeriod)),
    b(Stats, &[Char('d')], Cmd::PeriodRange, Msg::KeyPeriodRange, Some(Msg::KeyPeriodRange)),
    b(Prompt, &[Enter], Cmd::PromptDone, Msg::KeyChoose, Some(Msg::KeyChoose)),
    b(Prompt, &[Esc], Cmd::Back, Msg::KeyBack, Some(Msg::KeyBack)),
    b(Stats, &[Char('1')], Cmd::Tab(0), Msg::KeyTabIntake, None),
    b(Stats, &[Char('2')], Cmd::Tab(1), Msg::KeyTabPending, None),
    b(Stats, &[Char('3')], Cmd::Tab(2), Msg::KeyTabInspections, None),
    b(Stats, &[Char('4')], Cmd::Tab(3), Msg::KeyTabFollowUps, None),
    b(Stats, &[Char('5')], Cmd::Tab(4), Msg::KeyTabStats, None),
    b(Stats, &[Char('6')], Cmd::Tab(6), Msg::KeyTabDirectory, None),
    b(Stats, &[Char('7')], Cmd::Tab(5), Msg::KeyTabSearch, None),
    b(Stats, &[Char('8')], Cmd::Tab(7), Msg::KeyTabCalls, None),
    b(Stats, &[Char('9')], Cmd::Tab(8), Msg::KeyTabDiary, None),
    b(Stats, &[Char('0')], Cmd::Tab(9), Msg::KeyTabBox, None),
    b(Stats, &[Char('?'), Char('？')], Cmd::Help, Msg::KeyHelp, Some(Msg::KeyHelp)),
    b(List, &[Char('1')], Cmd::Tab(0), Msg::KeyTabIntake, None),
    b(List, &[Char('2')], Cmd::Tab(1), Msg::KeyTabPending, None),
    b(List, &[Char('3')], Cmd::Tab(2), Msg::KeyTabInspections, None),
    b(List, &[Char('4')], Cmd::Tab(3), Msg::KeyTabFollowUps, None),
    b(List, &[Char('5')], Cmd::Tab(4), Msg::KeyTabStats, None),
    b(List, &[Char('6')], Cmd::Tab(6), Msg::KeyTabDirectory, None),
    b(List, &[Char('7')], Cmd::Tab(5), Msg::KeyTabSearch, None),
    b(List, &[Char('8')], Cmd::Tab(7), Msg::KeyTabCalls, None),
    b(List, &[Char('9')], Cmd::Tab(8), Msg::KeyTabDiary, None),
    b(List, &[Char('0')], Cmd::Tab(9), Msg::KeyTabBox, None),
    b(List, &[Up, Char('k')], Cmd::Up, Msg::KeyUp, Some(Msg::KeyMove)),
    b(List, &[Down, Char('j')], Cmd::Down, Msg::KeyDown, Some(Msg::KeyMove)),
    b(List, &[PageUp], Cmd::PageUp, Msg::KeyPageUp, None),
    b(List, &[PageDown], Cmd::PageDown, Msg::KeyPageDown, None),
    b(List, &[Home, Char('g')], Cmd::First, Msg::KeyHome, None),
    b(List, &[End, Char('G')], Cmd::Last, Msg::KeyEnd, None),
    b(List, &[Enter], Cmd::Open, Msg::KeyOpen, Some(Msg::KeyOpen)),
    b(List, &[Char('/'), Char('、'), Ctrl('f')], Cmd::Filter, Msg::KeyFilter, Some(Msg::KeyFilter)),
    b(List, &[Char('?'), Char('？')], Cmd::Help, Msg::KeyHelp, Some(Msg::KeyHelp)),
    b(List, &[Char('o')], Cmd::OverdueOnly, Msg::KeyOverdueOnly, None),
    b(List, &[Esc], Cmd::FilterClear, Msg::KeyFilterClear, None),
    b(Detail, &[Enter], Cmd::Open, Msg::KeyActions, Some(Msg::KeyActions)),
    b(Detail, &[Esc, Char('q')], Cmd::Back, Msg::KeyBack, Some(Msg::KeyBack)),
    b(Detail, &[Char('a')], Cmd::Act(ActionKind::Assign), Msg::ActAssign, None),
    b(Detail, &[Char('c')], Cmd::Act(ActionKind::Contact), Msg::ActContact, None),
    b(Detail, &[Char('y')], Cmd::Act(ActionKind::Accept), Msg::ActAccept, None),
    b(Detail, &[Char('e')], Cmd::Act(ActionKind::Extend), Msg::ActExtend, None),
    b(Detail, &[Char('i')], Cmd::Act(ActionKind::Inspect), Msg::ActInspect, None),
    b(Detail, &[Char('u')], Cmd::Act(ActionKind::Escalate), Msg::ActEscalate, None),
    b(Detail, &[Char('g')], Cmd::Act(ActionKind::Grant), Msg::ActGrant, None),
    b(Detail, &[Char('z')], Cmd::Act(ActionKind::Conclude), Msg::ActConclude, None),
    b(Detail, &[Char('n')], Cmd::Act(ActionKind::Note), Msg::ActNote, None),
    b(Detail, &[Char('m')], Cmd::Act(ActionKind::Merge), Msg::ActMerge, None),
    b(Detail, &[Char('f')], Cmd::Act(ActionKind::Findings), Msg::ActFindings, None),
    b(Detail, &[Char('v')], Cmd::Act(ActionKind::FollowUp), Msg::ActFollowUp, None),
    b(Detail, &[Char('p')], Cmd::Act(ActionKind::Print), Msg::ActPrint, None),
    // A visit to the resident's household, by the cadre paired with it.
    b(Detail, &[Char('w')], Cmd::DirVisit, Msg::KeyCaseVisit, Some(Msg::KeyDirVisitShort)),
    b(Menu, &[Up, Char('k')], Cmd::Up, Msg::KeyUp, Some(Msg::KeyMove)),
    b(Menu, &[Down, Char('j')], Cmd::Down, Msg::KeyDown, Some(Msg::KeyMove)),
    b(Menu, &[Enter], Cmd::Open, Msg::KeyChoose, Some(Msg::KeyChoose)),
    b(Menu, &[Esc], Cmd::Back, Msg::KeyBack, Some(Msg::KeyBack)),
    b(Menu, &[Char('a')], Cmd::Act(ActionKind::Assign), Msg::ActAssign, None),
    b(Menu, &[Char('c')], Cmd::Act(ActionKind::Contact), Msg::ActContact, None),
    b(Menu, &[Char('y')], Cmd::Act(ActionKind::Accept), Msg::ActAccept, None),
    b(Menu, &[Char('e')], Cmd::Act(ActionKind::Extend), Msg::ActExtend, None),
    b(Menu, &[Char('i')], Cmd::Act(ActionKind::Inspect), Msg::ActInspect, None),
    b(Menu, &[Char('u')], Cmd::Act(ActionKind::Escalate), Msg::ActEscalate, None),
    b(Menu, &[Char('g')], Cmd::Act(ActionKind::Grant), Msg::ActGrant, None),
    b(Menu, &[Char('z')], Cmd::Act(ActionKind::Conclude), Msg::ActConclude, None),
    b(Menu, &[Char('n')], Cmd::Act(ActionKind::Note), Msg::ActNote, None),
    b(Menu, &[Char('m')], Cmd::Act(ActionKind::Merge), Msg::ActMerge, None),
    b(Menu, &[Char('f')], Cmd::Act(ActionKind::Findings), Msg::ActFindings, None),
    b(Menu, &[Char('v')], Cmd::Act(ActionKind::FollowUp), Msg::ActFollowUp, None),
    b(Menu, &[Char('p')], Cmd::Act(ActionKind::Print), Msg::ActPrint, None),
    b(Dialog, &[Tab, Enter, Down], Cmd::NextField, Msg::KeyNextOrSubmit, Some(Msg::KeyNextOrSubmit)),
    b(Dialog, &[BackTab, Up], Cmd::PrevField, Msg::KeyPrevField, None),
    b(Dialog, &[Ctrl('s')], Cmd::Save, Msg::KeySubmit, Some(Msg::KeySubmit)),
    b(Dialog, &[Esc], Cmd::Back, Msg::KeyCancelKept, Some(Msg::KeyCancelKept)),
    b(Dialog, &[Ctrl('n')], Cmd::NextPick, Msg::KeyNextPick, None),
    b(Dialog, &[Ctrl('p')], Cmd::PrevPick, Msg::KeyPrevPick, None),
    b(Dialog, &[Ctrl('j')], Cmd::NewLine, Msg::KeyNewLine, None),
    b(Dialog, &[Ctrl('u')], Cmd::ClearForm, Msg::KeyClearDialog, None),
    b(Dialog, &[Ctrl('z')], Cmd::Undo, Msg::KeyUndoClear, None),
    b(Detail, &[Up, Char('k')], Cmd::Up, Msg::KeyScrollUp, Some(Msg::KeyMove)),
    b(Detail, &[Down, Char('j')], Cmd::Down, Msg::KeyScrollDown, Some(Msg::KeyMove)),
    b(Detail, &[PageUp], Cmd::PageUp, Msg::KeyPageUp, None),
    b(Detail, &[PageDown], Cmd::PageDown, Msg::KeyPageDown, None),
    b(Detail, &[Home], Cmd::First, Msg::KeyHome, None),
    b(Detail, &[End], Cmd::Last, Msg::KeyEnd, None),
    b(Detail, &[Char('1')], Cmd::Tab(0), Msg::KeyTabIntake, None),
    b(Detail, &[Char('2')], Cmd::Tab(1), Msg::KeyTabPending, None),
    b(Detail, &[Char('3')], Cmd::Tab(2), Msg::KeyTabInspections, None),
    b(Detail, &[Char('4')], Cmd::Tab(3), Msg::KeyTabFollowUps, None),
    b(Detail, &[Char('5')], Cmd::Tab(4), Msg::KeyTabStats, None),
    b(Detail, &[Char('6')], Cmd::Tab(6), Msg::KeyTabDirectory, None),
    b(Detail, &[Char('7')], Cmd::Tab(5), Msg::KeyTabSearch, None),
    b(Detail, &[Char('8')], Cmd::Tab(7), Msg::KeyTabCalls, None),
    b(Detail, &[Char('9')], Cmd::Tab(8), Msg::KeyTabDiary, None),
    b(Detail, &[Char('0')], Cmd::Tab(9), Msg::KeyTabBox, None),
    b(Detail, &[Char('?'), Char('？')], Cmd::Help, Msg::KeyHelp, Some(Msg::KeyHelp)),
    b(Directory, &[Up, Char('k')], Cmd::Up, Msg::KeyUp, Some(Msg::KeyMove)),
    b(Directory, &[Down, Char('j')], Cmd::Down, Msg::KeyDown, Some(Msg::KeyMove)),
    b(Directory, &[PageUp], Cmd::PageUp, Msg::KeyPageUp, None),
    b(Directory, &[PageDown], Cmd::PageDown, Msg::KeyPageDown, None),
    b(Directory, &[Home, Char('g')], Cmd::First, Msg::KeyHome, None),
    b(Directory, &[End, Char('G')], Cmd::Last, Msg::KeyEnd, None),
    b(Directory, &[Enter], Cmd::Open, Msg::KeyDirEdit, Some(Msg::KeyDirEdit)),
    b(Directory, &[Char('v')], Cmd::DirVillages, Msg::KeyDirVillages, Some(Msg::KeyDirVillagesShort)),
    b(Directory, &[Char('c'), Char('+')], Cmd::DirCadre, Msg::KeyDirCadre, Some(Msg::KeyDirCadreShort)),
    b(Directory, &[Char('d')], Cmd::DirDuty, Msg::KeyDirDuty, Some(Msg::KeyDirDutyShort)),
    b(Directory, &[Char('t')], Cmd::DirTownship, Msg::KeyDirTownship, None),
    b(Directory, &[Char('r')], Cmd::DirRename, Msg::KeyDirRename, Some(Msg::KeyDirRenameShort)),
    b(Directory, &[Char('x'), Delete], Cmd::DirRetire, Msg::KeyDirRetire, Some(Msg::KeyDirRetireShort)),
    b(Directory, &[Char('h')], Cmd::DirPair, Msg::KeyDirPair, Some(Msg::KeyDirPairShort)),
    b(Directory, &[Char('w')], Cmd::DirVisit, Msg::KeyDirVisit, Some(Msg::KeyDirVisitShort)),
    b(Directory, &[Char('1')], Cmd::Tab(0), Msg::KeyTabIntake, None),
    b(Directory, &[Char('2')], Cmd::Tab(1), Msg::KeyTabPending, None),
    b(Directory, &[Char('3')], Cmd::Tab(2), Msg::KeyTabInspections, None),
    b(Directory, &[Char('4')], Cmd::Tab(3), Msg::KeyTabFollowUps, None),
    b(Directory, &[Char('5')], Cmd::Tab(4), Msg::KeyTabStats, None),
    b(Directory, &[Char('7')], Cmd::Tab(5), Msg::KeyTabSearch, None),
    b(Directory, &[Char('8')], Cmd::Tab(7), Msg::KeyTabCalls, None),
    b(Directory, &[Char('9')], Cmd::Tab(8), Msg::KeyTabDiary, None),
    b(Directory, &[Char('0')], Cmd::Tab(9), Msg::KeyTabBox, None),
    b(Directory, &[Char('?'), Char('？')], Cmd::Help, Msg::KeyHelp, Some(Msg::KeyHelp)),
    b(DirEdit, &[Enter, Ctrl('s')], Cmd::Save, Msg::KeySave, Some(Msg::KeySave)),
    b(DirEdit, &[Ctrl('j')], Cmd::NewLine, Msg::KeyNewLine, None),
    b(DirEdit, &[Ctrl('r')], Cmd::DirVisitCase, Msg::KeyDirVisitCase, None),
    b(DirEdit, &[Esc], Cmd::Back, Msg::KeyBack, Some(Msg::KeyBack)),
    // 来电 (h-phone, issue 15): digits and text type; Enter records the
    // call on the selected case, Ctrl+N takes a new matter to the form.
    b(Calls, &[Enter, Ctrl('s')], Cmd::Save, Msg::KeyCallSame, Some(Msg::KeyCallSameShort)),
    b(Calls, &[Ctrl('n')], Cmd::CallNew, Msg::KeyCallNew, Some(Msg::KeyCallNewShort)),
    // Tab is hinted in help only: the footer has room for Ctrl+U at 80 columns.
    b(Calls, &[Tab], Cmd::NextField, Msg::KeyNextField, None),
    b(Calls, &[BackTab], Cmd::PrevField, Msg::KeyPrevField, None),
    b(Calls, &[Up], Cmd::Up, Msg::KeyCallPick, None),
    b(Calls, &[Down], Cmd::Down, Msg::KeyCallPick, None),
    // Esc never throws the card away (the key contract): it goes back to
    // the number; Ctrl+U clears the card for the next call.
    b(Calls, &[Esc], Cmd::Back, Msg::KeyCallBack, None),
    b(Calls, &[Ctrl('u')], Cmd::ClearForm, Msg::KeyCallClear, Some(Msg::KeyCallClearShort)),
    // 民情日记 (h-diary): Enter saves the line; Tab goes to the entries.
    b(Diary, &[Enter], Cmd::Save, Msg::KeyDiarySave, Some(Msg::KeySave)),
    b(Diary, &[Tab, Down], Cmd::ToForm, Msg::KeyDiaryTriage, Some(Msg::KeyDiaryTriageShort)),
    b(Diary, &[Ctrl('u')], Cmd::ClearForm, Msg::KeyClearQuery, None),
    b(DiaryTriage, &[Char('c')], Cmd::DiaryCase, Msg::KeyDiaryCase, Some(Msg::KeyDiaryCaseShort)),
    b(DiaryTriage, &[Char('a')], Cmd::DiaryAttach, Msg::KeyDiaryAttach, Some(Msg::KeyDiaryAttachShort)),
    b(DiaryTriage, &[Char('s')], Cmd::DiarySettle, Msg::KeyDiarySettle, Some(Msg::KeyDiarySettleShort)),
    b(DiaryTriage, &[Up, Char('k')], Cmd::Up, Msg::KeyUp, Some(Msg::KeyMove)),
    b(DiaryTriage, &[Down, Char('j')], Cmd::Down, Msg::KeyDown, Some(Msg::KeyMove)),
    b(DiaryTriage, &[Tab, Esc, Char('i')], Cmd::Back, Msg::KeyDiaryType, Some(Msg::KeyDiaryTypeShort)),
    b(DiaryTriage, &[Char('?'), Char('？')], Cmd::Help, Msg::KeyHelp, Some(Msg::KeyHelp)),
    b(DiaryPrompt, &[Enter], Cmd::PromptDone, Msg::KeyChoose, Some(Msg::KeyChoose)),
    b(DiaryPrompt, &[Up], Cmd::Up, Msg::KeyUp, Some(Msg::KeyMove)),
    b(DiaryPrompt, &[Down], Cmd::Down, Msg::KeyDown, None),
    b(DiaryPrompt, &[Esc], Cmd::Back, Msg::KeyBack, Some(Msg::KeyBack)),
    b(DiaryPrompt, &[Ctrl('u')], Cmd::ClearForm, Msg::KeyClearQuery, None),
    // 群众意见箱 (h-diary): Enter opens the box, then saves each slip.
    b(BoxSlips, &[Enter], Cmd::Save, Msg::KeyBoxSave, Some(Msg::KeyBoxSave)),
    b(BoxSlips, &[Esc], Cmd::Back, Msg::KeyBoxEnd, Some(Msg::KeyBoxEnd)),
    b(BoxSlips, &[Ctrl('u')], Cmd::ClearForm, Msg::KeyClearQuery, None),
    // A diary entry's intake form (h-diaryc): Esc goes back to the entry.
    b(DiaryForm, &[Esc], Cmd::Back, Msg::KeyDiaryFormBack, Some(Msg::KeyDiaryFormBack)),
];

/// The command a key means in the first of `scopes` that binds it.
pub fn lookup(scopes: &[Scope], key: Key) -> Option<Cmd> {
    scopes.iter().find_map(|s| TABLE.iter().find(|b| b.scope == *s && b.keys.contains(&key)).map(|b| b.cmd))
}

/// The first key bound to `cmd` in `scope`: tests press keys by what they
/// do, so a rebinding never breaks them.
pub fn key_for(scope: Scope, cmd: Cmd) -> Option<Key> {
    TABLE.iter().find(|b| b.scope == scope && b.cmd == cmd).and_then(|b| b.keys.first().copied())
}

/// How many lines the help screen has for these scopes: a title per
/// scope, a blank line between scopes, a line per binding.
pub fn help_lines(scopes: &[Scope]) -> usize {
    let mut lines = 0;
    let mut last = None;
    for b in bindings(scopes) {
        if last != Some(b.scope) {
            lines += if last.is_some() { 2 } else { 1 };
            last = Some(b.scope);
        }
        lines += 1;
    }
    lines
}

/// The bindings of these scopes, in table order, for the help screen.
pub fn bindings(scopes: &[Scope]) -> impl Iterator<Item = &'static Binding> + '_ {
    scopes.iter().flat_map(|s| TABLE.iter().filter(move |b| b.scope == *s))
}

/// Footer hints for these scopes: (keys, text). A group of bindings (F1..F5)
/// shows as one hint with the first and last key.
pub fn footer(scopes: &[Scope], lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String, Msg)> = Vec::new();
    let mut seen_groups: Vec<Msg> = Vec::new();
    for s in scopes {
        // Esc on a diary entry's form is not hinted again with the form's
        // meaning (排队). Only that scope overrides hints: elsewhere the
        // footer is as it was.
        let earlier: Vec<Scope> = scopes[..scopes.iter().position(|x| x == s).unwrap_or(0)]
            .iter()
            .copied()
            .filter(|x| *x == Scope::DiaryForm)
            .collect();
        let shadowed =
            |b: &Binding| b.keys.iter().all(|k| TABLE.iter().any(|o| earlier.contains(&o.scope) && o.keys.contains(k)));
        let group: Vec<&Binding> =
            TABLE.iter().filter(|b| b.scope == *s && b.footer.is_some() && !shadowed(b)).collect();
        for bnd in &group {
            let Some(g) = bnd.footer else { continue };
            if seen_groups.contains(&g) {
                continue;
            }
            seen_groups.push(g);
            let members: Vec<&&Binding> = group.iter().filter(|x| x.footer == Some(g)).collect();
            let first = members.first().and_then(|m| m.keys.first()).map(|k| k.label()).unwrap_or_default();
            let last = members.last().and_then(|m| m.keys.first()).map(|k| k.label()).unwrap_or_default();
            // F-keys go in runs (F1-F5/F7: F6 is not bound); single
            // letters are listed: w/m/y/a.
            let fkeys: Vec<u8> = members
                .iter()
                .filter_map(|m| match m.keys.first() {
                    Some(Key::F(n)) => Some(*n),
                    _ => None,
                })
                .collect();
            let keys = match members.len() {
                0 | 1 => first,
                _ if fkeys.len() == members.len() => runs(&fkeys),
                2 => format!("{first}/{last}"),
                _ => members.iter().filter_map(|m| m.keys.first()).map(|k| k.label()).collect::<Vec<_>>().join("/"),
            };
            out.push((keys, g.text(lang).to_string(), g));
        }
    }
    out.into_iter().map(|(k, t, _)| (k, t)).collect()
}

/// Function keys as runs: `F1-F5/F7`.
fn runs(keys: &[u8]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let mut j = i;
        while j + 1 < keys.len() && keys[j + 1] == keys[j] + 1 {
            j += 1;
        }
        out.push(if j > i + 1 { format!("F{}-F{}", keys[i], keys[j]) } else { format!("F{}", keys[i]) });
        if j == i + 1 {
            out.push(format!("F{}", keys[j]));
        }
        i = j + 1;
    }
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctrl_h_is_backspace_and_releases_are_ignored() {
        let ev = KeyEvent::new(KeyCode::Char('h'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(ev), Some(Key::Backspace));
        let mut rel = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
        rel.kind = KeyEventKind::Release;
        assert_eq!(Key::from_event(rel), None);
    }

    #[test]
    fn list_digits_do_not_act_while_typing() {
        assert_eq!(lookup(&[Scope::List, Scope::Global], Key::Char('2')), Some(Cmd::Tab(1)));
        assert_eq!(lookup(&[Scope::Filter, Scope::Text, Scope::Global], Key::Char('2')), None);
        assert_eq!(lookup(&[Scope::Filter, Scope::Text, Scope::Global], Key::F(2)), Some(Cmd::Tab(1)));
    }

    #[test]
    fn function_keys_show_as_runs() {
        assert_eq!(runs(&[1, 2, 3, 4, 5, 7]), "F1-F5/F7");
        assert_eq!(runs(&[1, 2]), "F1/F2");
        let f = footer(&[Scope::Global], Lang::En);
        assert!(f.iter().any(|(k, t)| k == "F1-F10" && t == "switch tab"), "{f:?}");
    }

    #[test]
    fn every_binding_has_a_key() {
        assert!(TABLE.iter().all(|b| !b.keys.is_empty()));
    }
}
