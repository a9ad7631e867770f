//! First run: on an empty database the desk opens a short setup (the
//! township's name, villages and groups, cadres, today's duty leader),
//! every step skippable; then the first case is saved. The seed's
//! directory entered through the desk's keys and through the imports is
//! the same directory.

mod common;

use std::path::Path;

use common::{Desk, jiedai};
use insta::assert_snapshot;
use jiedai::app::Tab;
use jiedai::app::form::Field;
use jiedai::i18n::Lang;
use jiedai::keys::{Cmd, Key, Scope, key_for};

/// The desk with every key counted.
struct Keys {
    desk: Desk,
    n: usize,
}

impl Keys {
    fn typed(&mut self, text: &str) -> &mut Self {
        self.n += text.chars().count();
        self.desk.type_text(text);
        self
    }

    fn cmd(&mut self, scope: Scope, cmd: Cmd) -> &mut Self {
        self.n += 1;
        self.desk.cmd(scope, cmd);
        self
    }
}

/// The seed's directory through the setup: 沧江乡; 坝达章村 with 坝汪组 and
/// 五组; 岑国仲, covering 坝达章村, on duty on `duty`.
fn setup_the_seed(k: &mut Keys, duty: &str) {
    k.typed("沧江乡").cmd(Scope::DirEdit, Cmd::Save);
    k.typed("坝达章村: 坝汪组 五组").cmd(Scope::DirEdit, Cmd::Save);
    k.typed("岑国仲 人大主席 13908591001 bdzc @cgz").cmd(Scope::DirEdit, Cmd::Save);
    // One cadre is enough for now: on to the duty roster.
    k.cmd(Scope::DirEdit, Cmd::Back);
    if !duty.is_empty() {
        // The date is filled in (this week's Wednesday): replace it.
        for _ in 0..11 {
            k.cmd(Scope::Text, Cmd::DeleteBack);
        }
        k.typed(duty);
    }
    k.typed("cgz").cmd(Scope::DirEdit, Cmd::Save);
}

#[test]
fn from_an_empty_database_to_the_first_saved_case_through_the_setup() {
    let mut k = Keys { desk: Desk::empty(common::look(Lang::Zh), 80, 24), n: 0 };
    assert_eq!(k.desk.state.tab, Tab::Directory, "the setup opens by itself");
    assert_snapshot!("first_run_zh", k.desk.text());
    setup_the_seed(&mut k, "");
    assert_eq!(k.desk.state.tab, Tab::Intake);
    assert_eq!(k.desk.message(), "设置完成: 可以登记了; 名录随时可在 F6 修改");
    // The first visitor: the village and group by pinyin, the duty leader
    // as the assignee by default.
    k.cmd(Scope::Queue, Cmd::ToForm).typed("韦正荣");
    k.cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::NextField);
    k.typed("bdz").cmd(Scope::Form, Cmd::NextField);
    k.typed("wz").cmd(Scope::Form, Cmd::NextField);
    let form = &k.desk.state.intake.form;
    assert_eq!((form.value(Field::Village), form.value(Field::Group)), ("坝达章村", "五组"));
    assert_eq!(form.value(Field::Assignee), "岑国仲");
    k.cmd(Scope::Form, Cmd::NextField).cmd(Scope::Form, Cmd::NextField);
    k.typed("五组通组路严重损坏").cmd(Scope::Form, Cmd::Save);
    assert!(k.desk.message().starts_with("已保存, 编号 2026-0001"), "{}", k.desk.message());
    let case = k.desk.store.all_cases().expect("cases").pop().expect("the first case");
    assert_eq!((case.intake.village.as_str(), case.intake.group.as_str()), ("坝达章村", "五组"));
    assert_eq!(case.assignee.as_deref(), Some("岑国仲"));
    // The count the report gives: every key pressed, each character one key.
    println!("keys from an empty database to the first saved case: {}", k.n);
    assert_eq!(k.n, 78);
}

#[test]
fn every_step_can_be_skipped_and_done_later_from_the_directory() {
    let mut desk = Desk::empty(common::look(Lang::En), 80, 24);
    assert_snapshot!("first_run_en", desk.text());
    for _ in 0..4 {
        desk.press(Key::Esc);
    }
    assert_eq!(desk.state.tab, Tab::Intake);
    assert_eq!(desk.store.directory_log().expect("log").len(), 0, "nothing stored");
    // Started again, the database is still new: the setup is offered again.
    let desk = desk.restart();
    assert_eq!(desk.state.tab, Tab::Directory);
    let label = key_for(Scope::Global, Cmd::Tab(6)).map(|k| k.label());
    assert_eq!(label.as_deref(), Some("F6"));
}

fn write(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write");
    path
}

#[test]
fn the_seed_directory_by_desk_keys_and_by_imports_is_the_same() {
    let mut k = Keys { desk: Desk::empty(common::look(Lang::Zh), 80, 24), n: 0 };
    setup_the_seed(&mut k, "2026-02-12 ");
    let by_keys = k.desk.store.directory().expect("directory");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let villages = write(dir.path(), "villages.csv", "乡镇,村,组\n沧江乡,坝达章村,坝汪组\n沧江乡,坝达章村,五组\n");
    let cadres = write(
        dir.path(),
        "cadres.csv",
        "姓名,职务,电话,联系,登录名,值班\n岑国仲,人大主席,13908591001,坝达章村,cgz,2026-02-12\n",
    );
    for (kind, file) in [("villages", &villages), ("cadres", &cadres)] {
        let out = jiedai(&db, &["import", kind, file.to_str().expect("utf8")]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let by_import = jiedai::store::Store::open(&db).expect("open").directory().expect("directory");
    assert_eq!(by_keys, by_import);
    assert_eq!(by_keys.township, "沧江乡");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 12).expect("date");
    assert_eq!(jiedai::domain::duty_leader(&by_keys.roster, day), Some("岑国仲"));
}
