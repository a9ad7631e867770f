//! Who signs the desk's changes: `--operator`; else the cadre whose login
//! runs the desk; a login no cadre has is asked once, and the answer kept
//! as that cadre's login.

mod common;

use clap::Parser;
use common::Desk;
use jiedai::cli::Cli;
use jiedai::domain::{DirCadre, DirChange};
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Scope};
use jiedai::protocol::Desk as _;
use jiedai::store::{Command, Embedded, Identity, Stamp, Store};

fn store_with_cadre(dir: &std::path::Path, login: &str) -> Store {
    let store = Store::open(dir).expect("open");
    let stamp = Stamp { at: chrono::Utc::now(), operator: "文书".into() };
    let village = DirChange::Village { name: "坝达章村".into(), groups: vec![] };
    let cadre = DirChange::Cadre(DirCadre {
        name: "岑国仲".into(),
        post: "人大主席".into(),
        phone: String::new(),
        login: login.into(),
        covers: vec!["坝达章村".into()],
    });
    store.execute(&stamp, Command::Directory(vec![village, cadre])).expect("directory");
    store
}

#[test]
fn the_login_is_mapped_to_its_cadre_and_operator_overrides() {
    let dir = tempfile::tempdir().expect("tempdir");
    let login = jiedai::store::current_user();
    let store = Embedded::new(store_with_cadre(dir.path(), &login), Identity::Login(login.clone()));
    let cli = Cli::parse_from(["jiedai"]);
    assert_eq!(cli.desk_operator(&store), ("岑国仲".to_string(), None));
    // The store signs this desk's saves as the same cadre.
    assert_eq!(cli.identity(), Identity::Login(login.clone()));
    assert_eq!(store.operator().expect("operator"), "岑国仲");
    let cli = Cli::parse_from(["jiedai", "--operator", "王志刚"]);
    assert_eq!(cli.desk_operator(&store), ("王志刚".to_string(), None));
    assert_eq!(cli.identity(), Identity::Named("王志刚".into()));
    assert_eq!(store.session(cli.identity()).operator().expect("operator"), "王志刚");
    drop(store);
    // A login no cadre has: kept as it is, and asked about.
    let other = tempfile::tempdir().expect("tempdir");
    let store = Embedded::new(store_with_cadre(other.path(), "someone-else"), Identity::Login(login.clone()));
    let cli = Cli::parse_from(["jiedai"]);
    assert_eq!(cli.desk_operator(&store), (login.clone(), Some(login.clone())));
    assert_eq!(store.operator().expect("operator"), login);
}

#[test]
fn an_unknown_login_is_asked_once_and_the_answer_signs_the_saves() {
    let mut desk = Desk::demo(Lang::Zh);
    desk.state.operator = "root".into();
    desk.state.dir.ask_login = Some("root".into());
    jiedai::app::dir::ask_who(&mut desk.state);
    desk.draw();
    assert!(desk.message().contains("您是哪位干部"), "{}", desk.message());
    desk.type_text("cgz").cmd(Scope::DirEdit, Cmd::Save);
    assert_eq!(desk.state.operator, "岑国仲");
    let d = desk.store.directory().expect("directory");
    assert_eq!(d.by_login("root").map(|c| c.name.as_str()), Some("岑国仲"));
    // The next save is signed by the cadre, not the login.
    desk.cmd(Scope::Global, Cmd::Tab(0)).open_form().type_text("韦正荣");
    for _ in 0..6 {
        desk.cmd(Scope::Form, Cmd::NextField);
    }
    desk.type_text("路灯坏了").cmd(Scope::Form, Cmd::Save);
    let no = desk.store.all_cases().expect("cases").into_iter().map(|c| c.no).max().expect("a case");
    let events = desk.store.events(no).expect("events");
    assert_eq!(events[0].operator, "岑国仲");
}
