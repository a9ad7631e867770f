//! Compress and decompress individual blocks.
//!
//! These methods process all the input data at once.
//! It is therefore best used with relatively small blocks
//! (like small network packets).

mod compressor;
mod decompressor;

pub use self::compressor::Compressor;
pub use self::decompressor::Decompressor;

use std::io;

/// Compresses a single block of data to the given destination buffer.
///
/// Returns the number of bytes written, or an error if something happened
/// (for instance if the destination buffer was too small).
///
/// A level of `0` uses zstd's default (currently `3`).
pub fn compress_to_buffer(
    source: &[u8],
    destination: &mut [u8],
    level: i32,
) -> io::Result<usize> {
    Compressor::new().compress_to_buffer(source, destination, level)
}

/// Compresses a block of data and returns the compressed result.
///
/// A level of `0` uses zstd's default (currently `3`).
pub fn compress(data: &[u8], level: i32) -> io::Result<Vec<u8>> {
    // jiedai: most of what sled logs is a few dozen bytes (an index entry,
    // a counter, a tally), which zstd cannot make smaller: it tries, then
    // writes the bytes as they are in one raw block, 9 bytes of frame
    // around them. That frame is written here directly, without the
    // trying, which was most of a save's compression CPU: two thirds of
    // the calls, none of them shrunk.
    if data.len() < RAW_BELOW {
        return Ok(raw_frame(data));
    }
    // A record of a few hundred bytes (a case, an event) gains little from
    // zstd's Huffman-coded literals, and building and writing the table
    // for each one was half of what was left: below a KiB, zstd's fastest
    // level -1 (matches kept, literals as they are). Whole pages (sled's
    // consolidations, 1-4 KiB, most of what a database keeps) still get
    // the level asked for.
    let level = if data.len() < FAST_BELOW && level > 0 { -1 } else { level };
    // jiedai: one context per thread rather than one per call (sled calls
    // this for every page it logs); a context is reset by each compression,
    // so the output is what a fresh one writes.
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<Compressor> =
            std::cell::RefCell::new(Compressor::new());
    }
    COMPRESSOR.with(|c| match c.try_borrow_mut() {
        Ok(mut c) => c.compress(data, level),
        Err(_) => Compressor::new().compress(data, level),
    })
}

/// Inputs shorter than this are framed raw (see `compress`). In a save's
/// records zstd level 1 made none below 48 bytes smaller and those of
/// 48-63 bytes 4 bytes larger than raw on average; from 64 bytes it starts
/// to gain.
const RAW_BELOW: usize = 64;

/// Inputs from `RAW_BELOW` to this are compressed at level -1 (see `compress`).
const FAST_BELOW: usize = 1024;

/// A zstd frame holding `data` as one raw block, as zstd writes an
/// incompressible input: the magic number; a frame header with the single
/// segment flag and a one-byte content size, no checksum, no dictionary;
/// a 3-byte block header (last block, raw, its size); the bytes.
fn raw_frame(data: &[u8]) -> Vec<u8> {
    debug_assert!(data.len() < 256);
    let mut out = Vec::with_capacity(data.len() + 9);
    out.extend_from_slice(&0xFD2F_B528_u32.to_le_bytes());
    out.push(0x20);
    out.push(data.len() as u8);
    let block = ((data.len() as u32) << 3) | 1;
    out.extend_from_slice(&block.to_le_bytes()[..3]);
    out.extend_from_slice(data);
    out
}

/// Deompress a single block of data to the given destination buffer.
///
/// Returns the number of bytes written, or an error if something happened
/// (for instance if the destination buffer was too small).
pub fn decompress_to_buffer(
    source: &[u8],
    destination: &mut [u8],
) -> io::Result<usize> {
    Decompressor::new().decompress_to_buffer(source, destination)
}

/// Decompresses a block of data and returns the decompressed result.
///
/// The decompressed data should be less than `capacity` bytes,
/// or an error will be returned.
pub fn decompress(data: &[u8], capacity: usize) -> io::Result<Vec<u8>> {
    Decompressor::new().decompress(data, capacity)
}

#[cfg(test)]
mod tests {
    use super::{compress, decompress};

    #[test]
    fn small_inputs_are_raw_frames_any_decoder_reads() {
        for len in [0usize, 1, 17, 63, 64, 200] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 13) as u8).collect();
            let framed = compress(&data, 1).unwrap();
            if len < super::RAW_BELOW {
                assert_eq!(framed.len(), len + 9);
            }
            assert_eq!(decompress(&framed, len).unwrap(), data);
            assert_eq!(crate::stream::decode_all(&framed[..]).unwrap(), data);
        }
    }

    #[test]
    fn test_direct() {
        // Can we include_str!("assets/example.txt")?
        // It's excluded from the packaging step, so maybe not.
        let text = include_str!("../../assets/example.txt");
        crate::test_cycle_unwrap(
            text.as_bytes(),
            |data| compress(data, 1),
            |data| decompress(data, text.len()),
        );
    }
}
