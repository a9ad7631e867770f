//! Two desks on one store in one process, each through its own port
//! session (keys through the key table, screens out): a save at one shows
//! on the other once it handles the store's notice; the store stamps every
//! save with the user of the desk that made it; drafts are each user's own.

mod common;

use common::{Desk, OPERATOR};
use jiedai::app::form::Field;
use jiedai::app::intake::Focus;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};
use jiedai::protocol::{Desk as _, Draft};

/// Who the second desk signs as.
const OTHER: &str = "韦德芬";

/// Register a resident at `desk`, as the officer types it.
fn register(desk: &mut Desk, name: &str, summary: &str) {
    desk.open_form();
    desk.type_text(name).cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::NextField);
    desk.type_text("badazhang").cmd(Scope::Form, Cmd::NextField);
    desk.type_text("bw").cmd(Scope::Form, Cmd::NextField);
    while desk.state.intake.form.focus != Field::Category {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("z").cmd(Scope::Form, Cmd::NextField);
    desk.type_text(summary).cmd(Scope::Form, Cmd::Save);
    assert!(desk.message().starts_with("已保存"), "{}", desk.message());
}

fn case_named(desk: &Desk, name: &str) -> jiedai::domain::Case {
    let all = desk.store.all_cases().expect("cases");
    all.into_iter().find(|c| c.intake.name == name).unwrap_or_else(|| panic!("no case of {name}"))
}

#[test]
fn a_save_at_one_desk_shows_on_the_others_screen_once_it_hears_of_it() {
    let mut a = Desk::demo(Lang::Zh);
    let mut b = a.beside(OTHER);
    b.cmd(Scope::Global, Cmd::Tab(1));
    let open_before = b.state.data.open_count;
    assert!(!b.text().contains("郑远山"), "{}", b.text());

    register(&mut a, "郑远山", "水渠被堵");
    // B has not handled the notice yet: its screen is as it was.
    assert!(!b.text().contains("郑远山"), "{}", b.text());
    assert_eq!(b.notices(), 1, "one save, one notice");
    let screen = b.text();
    assert!(screen.contains("郑远山"), "{screen}");
    assert!(screen.contains("水渠被堵"), "{screen}");
    assert_eq!(b.state.data.open_count, open_before + 1);
    // A knows its own save from the answer: no notice to itself.
    assert_eq!(a.notices(), 0);

    // In the database: the case, signed by A's user at A's time.
    let case = case_named(&a, "郑远山");
    let events = a.store.events(case.no).expect("events");
    assert_eq!(events[0].operator, OPERATOR);
    assert_eq!(events[0].at, a.state.now);
}

#[test]
fn the_store_signs_each_save_with_the_user_of_the_desk_that_made_it() {
    let mut a = Desk::demo(Lang::Zh);
    // A's pending list is on screen (loaded) before B saves.
    a.cmd(Scope::Global, Cmd::Tab(1));
    let mut b = a.beside(OTHER);
    register(&mut b, "罗小芬", "灌溉水不够");
    let case = case_named(&b, "罗小芬");
    let events = b.store.events(case.no).expect("events");
    assert_eq!(events[0].operator, OTHER, "B's save is B's, whatever A's desk is");
    assert_eq!(events[0].at, b.state.now);
    // A sees it once it has handled the notice, not before.
    assert!(!a.text().contains("罗小芬"), "{}", a.text());
    assert_eq!(a.notices(), 1);
    assert!(a.text().contains("罗小芬"), "{}", a.text());
}

#[test]
fn an_arrival_added_at_one_desk_joins_the_queue_on_the_other() {
    let mut a = Desk::demo(Lang::Zh);
    let mut b = a.beside(OTHER);
    assert_eq!(b.state.intake.focus, Focus::Queue);
    assert!(!b.text().contains("覃明亮"), "{}", b.text());
    a.cmd(Scope::Queue, Cmd::AddArrival);
    a.type_text("覃明亮 bdz");
    a.cmd(Scope::Adding, Cmd::AddDone);
    assert!(a.text().contains("覃明亮"), "{}", a.text());
    assert_eq!(b.notices(), 1);
    assert!(b.text().contains("覃明亮"), "{}", b.text());
}

#[test]
fn drafts_are_each_users_own() {
    let mut a = Desk::demo(Lang::Zh);
    let mut b = a.beside(OTHER);
    let name = |d: Option<Draft>| d.and_then(|d| d.fields.into_iter().find(|(k, _)| k == "name")).map(|(_, v)| v);
    a.open_form().type_text("王秀兰");
    a.tick();
    b.open_form().type_text("李国强");
    b.tick();
    assert_eq!(name(a.draft()).as_deref(), Some("王秀兰"));
    assert_eq!(name(b.draft()).as_deref(), Some("李国强"));

    // A saves its form (its draft is done with): B's draft is untouched.
    a.cmd(Scope::Form, Cmd::ClearForm);
    register(&mut a, "王秀兰", "房屋开裂");
    assert_eq!(name(a.draft()), None);
    assert_eq!(name(b.draft()).as_deref(), Some("李国强"));

    // B's user at a new desk gets B's form back; a third user a blank one.
    let again = a.beside(OTHER);
    assert_eq!(again.state.intake.form.value(Field::Name), "李国强");
    assert!(again.text().contains("李国强"), "{}", again.text());
    let third = a.beside("覃明亮");
    assert_eq!(third.state.intake.form.value(Field::Name), "");
}

#[test]
fn a_draft_from_before_drafts_were_per_user_is_offered_back_and_then_gone() {
    let mut a = Desk::demo(Lang::Zh);
    // As an older desk left it: under the bare form name.
    let old = Draft { form: "intake".into(), fields: vec![("name".into(), "杨光荣".into())], saved_at: a.state.now };
    a.store.put_draft(&old).expect("draft");
    let mut b = a.beside(OTHER);
    assert_eq!(b.state.intake.form.value(Field::Name), "杨光荣");
    // Cleared by the user who took it over: no one is offered it again.
    b.open_form().cmd(Scope::Form, Cmd::ClearForm);
    b.tick();
    assert_eq!(a.store.draft("intake").expect("read"), None);
    let c = a.beside("覃明亮");
    assert_eq!(c.state.intake.form.value(Field::Name), "");
    // The port's own view agrees.
    assert_eq!(c.port().snapshot(common::today(), Vec::new(), None, false).expect("snapshot").draft, None);
}

#[test]
fn an_open_case_shows_the_others_note_but_a_dialog_being_typed_is_left_alone() {
    use jiedai::app::action::ActionKind;
    let mut a = Desk::pending(Lang::Zh);
    let mut b = a.beside(OTHER);
    b.cmd(Scope::Global, Cmd::Tab(1));
    a.cmd(Scope::List, Cmd::Open);
    b.cmd(Scope::List, Cmd::Open);
    let no = a.state.detail.as_ref().map(|d| d.case.no).expect("open at A");
    assert_eq!(b.state.detail.as_ref().map(|d| d.case.no), Some(no));

    a.cmd(Scope::Detail, Cmd::Act(ActionKind::Note)).type_text("已电话联系供电所").cmd(Scope::Dialog, Cmd::Save);
    assert!(a.text().contains("已电话联系供电所"), "{}", a.text());
    assert!(!b.text().contains("已电话联系供电所"), "{}", b.text());
    assert_eq!(b.notices(), 1);
    assert!(b.text().contains("已电话联系供电所"), "{}", b.text());

    // B is typing a note of its own: A's next save does not close it.
    b.cmd(Scope::Detail, Cmd::Act(ActionKind::Note)).type_text("写了一半");
    a.cmd(Scope::Detail, Cmd::Act(ActionKind::Note)).type_text("第二条").cmd(Scope::Dialog, Cmd::Save);
    assert_eq!(b.notices(), 1);
    assert!(b.state.detail.as_ref().is_some_and(|d| d.dialog.is_some()), "B's dialog stays open");
    assert!(b.text().contains("写了一半"), "{}", b.text());
    // Both notes are in the case's timeline, each signed by its desk's user.
    let events = a.store.events(no).expect("events");
    let notes: Vec<&str> = events
        .iter()
        .filter(|e| matches!(e.kind, jiedai::domain::EventKind::Note { .. }))
        .map(|e| e.operator.as_str())
        .collect();
    assert_eq!(notes, [OPERATOR, OPERATOR]);
}

/// The port alone: a login signs as the directory's cadre with that login
/// (else as itself), at the store's clock; the notices count up and name
/// the case; the desk that saved is not told of its own save.
#[test]
fn through_the_port_a_login_signs_as_its_cadre_and_the_notices_count_up() {
    use jiedai::domain::*;
    use jiedai::protocol::{Command, Done, IdSource};
    use jiedai::store::{Embedded, Identity, Store};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    jiedai::demo::load(&store, common::today()).expect("demo");
    let at = time::china_at(common::today(), 14, 30);
    // The demo's cadre is given a login, as the 名录 does.
    let d = store.directory().expect("directory");
    let mut cgz = d.cadres.iter().find(|c| c.cadre.name == OPERATOR).map(|c| c.cadre.clone()).expect("cadre");
    cgz.login = "cgz".into();
    let stamp = jiedai::protocol::Stamp { at, operator: "文书".into() };
    store.execute(&stamp, Command::Directory(vec![DirChange::Cadre(cgz)])).expect("login given");
    let mine = Embedded::new(store, Identity::Login("cgz".into())).with_clock(std::sync::Arc::new(move || at));
    let stranger = mine.session(Identity::Login("nobody".into()));
    let heard = stranger.subscribe();
    let own = mine.subscribe();
    let mut ids = IdSource::new();
    let intake = |name: &str| Intake {
        channel: Channel::Reception,
        name: name.into(),
        phone: String::new(),
        people: 1,
        delegation: None,
        village: "坝达章村".into(),
        group: "五组".into(),
        category: "道路交通".into(),
        summary: "路灯坏了".into(),
        details: String::new(),
        urgency: Urgency::Normal,
        assignee: None,
    };
    let mut seqs = Vec::new();
    for (desk, name, signer) in [(&mine, "韦正荣", OPERATOR), (&stranger, "罗大华", "nobody")] {
        let done = desk.execute(ids.next_id(), Command::Register { intake: intake(name), queue: None }).expect("saved");
        let Done::Registered(no) = done else { panic!("{done:?}") };
        let events = desk.events(no).expect("events");
        assert_eq!((events[0].operator.as_str(), events[0].at), (signer, at));
        if desk.operator().expect("operator") == OPERATOR {
            let c = heard.try_recv().expect("the other desk is told");
            assert_eq!(c.cases, vec![no]);
            seqs.push(c.seq);
        } else {
            let c = own.try_recv().expect("the other desk is told");
            assert_eq!(c.cases, vec![no]);
            seqs.push(c.seq);
        }
    }
    assert!(seqs[0] < seqs[1], "{seqs:?}");
    assert!(heard.try_recv().is_err(), "no desk hears of its own save");
    assert!(own.try_recv().is_err(), "no desk hears of its own save");
}
