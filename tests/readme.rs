//! The README is the user's manual: its command list names what the
//! binary does, every subcommand and every export format.

fn help(args: &[&str]) -> String {
    // The README is in English.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiedai"))
        .args(args)
        .args(["--lang", "en"])
        .output()
        .expect("run jiedai");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The README's "Command line" block.
fn command_list() -> String {
    let readme = include_str!("../README.md");
    let at = readme.find("## Command line").expect("a Command line section");
    let block = &readme[at..];
    let start = block.find("```").expect("a code block") + 3;
    let end = block[start..].find("```").expect("its end") + start;
    block[start..end].to_string()
}

#[test]
fn the_command_list_names_every_subcommand_and_export_format() {
    let list = command_list();
    let top = help(&["--help"]);
    let commands = top.split("Commands:").nth(1).and_then(|s| s.split("Options:").next()).unwrap_or_default();
    let names: Vec<&str> =
        commands.lines().filter_map(|l| l.split_whitespace().next()).filter(|n| *n != "help").collect();
    assert!(names.len() >= 5, "{top}");
    for name in names {
        assert!(list.contains(&format!("jiedai {name}")), "`jiedai {name}` missing from the README's command list");
    }
    let export = help(&["export", "--help"]);
    let formats = export
        .split("[possible values: ")
        .nth(1)
        .and_then(|s| s.split(']').next())
        .unwrap_or_else(|| panic!("export formats: {export}"));
    let line = list.lines().find(|l| l.contains("jiedai export")).unwrap_or_default();
    for format in formats.split(", ") {
        assert!(line.contains(format), "export format {format} missing from the README: {line}");
    }
}
