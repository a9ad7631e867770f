//! The README's screenshots are drawn by the desk itself; this fails when a
//! committed one no longer matches what the desk draws. To refresh them:
//! `cargo run -- screenshots --out screenshots`.

#[test]
fn committed_screenshots_are_current() {
    let dir = tempfile::tempdir().expect("tempdir");
    let names = jiedai::screenshots::write_all(dir.path()).expect("draw the screenshots");
    assert_eq!(names.len(), 26, "thirteen screens, in Chinese and English");
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let mut stale = Vec::new();
    for name in &names {
        for ext in ["svg", "txt"] {
            let file = format!("{name}.{ext}");
            let now = std::fs::read(dir.path().join(&file)).expect("drawn");
            if std::fs::read(committed.join(&file)).ok().as_deref() != Some(&now[..]) {
                stale.push(file);
            }
        }
    }
    assert!(stale.is_empty(), "stale screenshots {stale:?}: run `cargo run -- screenshots --out screenshots`");
    // Wide characters span two cells in the SVG, and colours are kept.
    let svg = std::fs::read_to_string(committed.join("2-pending-zh.svg")).expect("svg");
    assert!(svg.contains("textLength=\"18\""), "a wide character over two cells");
    assert!(svg.contains("#e05555"), "the overdue case in red");
}
