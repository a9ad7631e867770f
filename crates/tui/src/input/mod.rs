//! Text fields that measure by display width, and matching by pinyin.

pub mod decode;
pub mod field;
pub mod keypad;
pub mod pinyin;
pub mod search;

pub use field::TextField;
