//! Random key streams through the key table, `update` and a real store:
//! no panic, and the store's invariants hold afterwards (every case is its
//! replayed timeline, every index agrees).

mod common;

use common::Desk;
use jiedai::app::Action;
use jiedai::effects;
use jiedai::i18n::Lang;
use jiedai::keys::Key;
use proptest::prelude::*;

fn key() -> impl Strategy<Value = Key> {
    prop_oneof![
        // Text, Chinese and wide, and what an IME or a paste may carry.
        4 => prop::sample::select(vec!['a', 'b', 'd', 'z', '1', '3', '5', '9', '0', ' ', '-', '唐', '坝', '村', '，', '？', '、', '😀', '\u{1b}', '\u{202e}']).prop_map(Key::Char),
        3 => prop::sample::select(vec![
            Key::Enter, Key::Tab, Key::BackTab, Key::Esc, Key::Backspace, Key::Delete, Key::Up, Key::Down,
            Key::Left, Key::Right, Key::Home, Key::End, Key::PageUp, Key::PageDown,
        ]),
        2 => prop::sample::select(vec!['s', 'r', 't', 'n', 'p', 'j', 'u', 'f', 'g', 'a', 'e', 'd']).prop_map(Key::Ctrl),
        1 => (1u8..=6).prop_map(Key::F),
        1 => prop::sample::select(vec!['1', '2', '3', '4', '5']).prop_map(Key::Alt),
        // The action letters of the case view and the lists.
        2 => prop::sample::select(vec!['a', 'c', 'y', 'e', 'i', 'u', 'g', 'z', 'n', 'm', 'f', 'v', 'x', 'o', 'w', 'q', '/', '?']).prop_map(Key::Char),
    ]
}

proptest! {
    // 64 streams of 1,600 keys: over 100,000 keys a run.
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn random_keys_never_panic_and_keep_the_store_sound(keys in prop::collection::vec(key(), 1600), size in (60u16..140, 16u16..50)) {
        let mut desk = Desk::demo(Lang::Zh);
        desk.resize(size.0, size.1);
        for (i, k) in keys.into_iter().enumerate() {
            if k == Key::Ctrl('q') || k == Key::Ctrl('c') {
                continue;
            }
            effects::dispatch(&desk.port(), &mut desk.state, Action::Key(k));
            // Drawing is part of it: every screen the keys reach must render.
            if i % 20 == 0 {
                desk.draw();
            }
        }
        desk.draw();
        let (problems, _) = desk.store.verify().expect("verify");
        prop_assert!(problems.is_empty(), "{:?}", problems);
    }
}
