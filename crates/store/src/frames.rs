//! sled's compressed log (issue 16: compression is the default): each
//! page write is one zstd frame, so our records are not in the raw bytes
//! for `recover`'s last resort (store::scan) to find. Here every frame in a
//! file is found by its magic number and decompressed, one at a time, for
//! the scan to search as it searches an uncompressed file.
//!
//! A frame is taken only when sled's own CRC holds for the message around
//! it (in `db`), or for the whole file (a blob): zstd's frames carry no
//! checksum, and a flipped bit in one could decompress to a record that
//! decodes with a wrong character in it. A frame a flip hit costs that one
//! page write; the page's other copies (each insert its own frame, each
//! consolidation another) are elsewhere in the file.

/// zstd's frame magic number, as it sits in the file (little-endian).
const MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// The largest page write sled makes outside a blob (a segment is 1 MiB)
/// is far under this; a garbled header must not ask for more.
const MOST: u64 = 16 << 20;

/// Each frame in `bytes` (a `db` file, or a blob file if `blob`) that sled's
/// CRC vouches for, in file order, decompressed.
pub fn each(bytes: &[u8], blob: bool, mut f: impl FnMut(&[u8])) {
    // A blob file: its CRC, then what it holds.
    let blob_sound = blob
        && bytes.len() > 4
        && bytes[..4].try_into().map(u32::from_le_bytes).ok() == Some(crc32fast::hash(&bytes[4..]));
    if blob && !blob_sound {
        return;
    }
    // One context for the file: making one per frame was most of the
    // work left (issue 16).
    let mut zstd = zstd::block::Decompressor::new();
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&bytes[from..], &MAGIC) {
        let at = from + found;
        from = at + 1;
        let Some((page, len)) = frame(&mut zstd, &bytes[at..]) else { continue };
        if blob || in_sound_message(bytes, at, len) {
            f(&page);
            from = at + len;
        }
    }
}

/// Does `bytes` hold one whole frame at least (a compressed database's file)?
pub fn has_frames(bytes: &[u8]) -> bool {
    let mut zstd = zstd::block::Decompressor::new();
    let mut any = false;
    let mut from = 0;
    while !any && let Some(found) = memchr::memmem::find(&bytes[from..], &MAGIC) {
        any = frame(&mut zstd, &bytes[from + found..]).is_some();
        from += found + 1;
    }
    any
}

/// The frame at the start of `rest`, decompressed, with its length in the file.
fn frame(zstd: &mut zstd::block::Decompressor, rest: &[u8]) -> Option<(Vec<u8>, usize)> {
    use zstd::zstd_safe;
    let len = zstd_safe::find_frame_compressed_size(rest).ok()?;
    let src = rest.get(..len)?;
    let content = zstd_safe::get_frame_content_size(src);
    // Unknown (or an error, both huge): bounded by MOST all the same.
    let cap = usize::try_from(content.min(MOST)).ok()?;
    let out = zstd.decompress(src, cap).ok()?;
    Some((out, len))
}

/// sled's variable-length integer at the start of `b`, with its length
/// (sled::serialization, u64).
fn varint_at(b: &[u8]) -> Option<(u64, usize)> {
    let first = *b.first()?;
    Some(match first {
        0..=240 => (u64::from(first), 1),
        241..=248 => (240 + 256 * (u64::from(first) - 241) + u64::from(*b.get(1)?), 2),
        249 => (2288 + 256 * u64::from(*b.get(1)?) + u64::from(*b.get(2)?), 3),
        other => {
            let n = usize::from(other) - 247;
            let mut le = [0u8; 8];
            le[..n].copy_from_slice(b.get(1..=n)?);
            (u64::from_le_bytes(le), n + 1)
        }
    })
}

/// Is the frame at `at` (`len` bytes) the body of a sled message whose CRC
/// holds? A message: `crc32, kind, len, segment, page, body`, the three
/// numbers sled varints, the body the frame behind its own length; the CRC
/// is over the body, then the header after the CRC, inverted.
fn in_sound_message(bytes: &[u8], at: usize, len: usize) -> bool {
    let framed = super::scan::varint(len as u64);
    let Some(body_at) = at.checked_sub(framed.len()) else { return false };
    if bytes[body_at..at] != framed[..] {
        return false;
    }
    let body = &bytes[body_at..at + len];
    (8..=32).filter_map(|h| body_at.checked_sub(h)).any(|start| {
        let header = &bytes[start..body_at];
        let mut rest = &header[5..];
        let mut numbers = [0u64; 3];
        for n in &mut numbers {
            let Some((v, used)) = varint_at(rest) else { return false };
            *n = v;
            rest = &rest[used..];
        }
        if !rest.is_empty() || numbers[0] != body.len() as u64 {
            return false;
        }
        let mut crc = crc32fast::Hasher::new();
        crc.update(body);
        crc.update(&header[4..]);
        header[..4] == (crc.finalize() ^ 0xffff_ffff).to_le_bytes()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page write as sled makes it: header, CRC, the frame behind its length.
    fn message(page: &[u8]) -> Vec<u8> {
        let frame = zstd::block::compress(page, 1).expect("compress");
        let mut body = super::super::scan::varint(frame.len() as u64);
        body.extend_from_slice(&frame);
        let mut header = vec![1u8];
        header.extend(super::super::scan::varint(body.len() as u64));
        header.extend([3, 7]);
        let mut crc = crc32fast::Hasher::new();
        crc.update(&body);
        crc.update(&header);
        let mut out = (crc.finalize() ^ 0xffff_ffff).to_le_bytes().to_vec();
        out.extend(header);
        out.extend(body);
        out
    }

    /// sled reads every page through `zstd::stream::decode_all`, which
    /// vendor/zstd makes keep one context per thread: what it gives must not
    /// depend on what it decoded before, and a cut frame is still an error.
    #[test]
    fn decoding_with_a_kept_context_gives_what_a_fresh_one_gives() {
        use zstd::stream::decode_all;
        let text: Vec<u8> = (0..20_000u32).flat_map(|i| format!("第{i}件 通组路损坏 ").into_bytes()).collect();
        let frame = zstd::block::compress(&text, 1).expect("compress");
        let small = zstd::block::compress(b"hello", 1).expect("compress");
        for _ in 0..3 {
            assert_eq!(decode_all(&frame[..]).expect("frame"), text);
            assert_eq!(decode_all(&small[..]).expect("small"), b"hello");
            assert!(decode_all(&frame[..frame.len() - 5]).is_err());
            assert!(decode_all(&b"not a zstd frame"[..]).is_err());
        }
        let two = [&small[..], &frame[..]].concat();
        assert_eq!(decode_all(&two[..]).expect("two frames"), [&b"hello"[..], &text[..]].concat());
    }

    #[test]
    fn short_pages_framed_raw_and_longer_ones_compressed_read_back_as_sled_and_recover_read() {
        // sled's zstd (vendor/zstd) frames a page under 64 bytes raw, without
        // trying to compress it: sled reads a page with the stream decoder,
        // recover with the block one.
        for len in [0usize, 1, 40, 63, 64, 300] {
            let page: Vec<u8> = (0..len).map(|i| b"ab\x1fcase"[i % 7]).collect();
            let framed = zstd::block::compress(&page, 1).expect("compress");
            if len < 64 {
                assert_eq!(framed.len(), len + 9, "raw: 9 bytes of frame");
            } else {
                assert!(framed.len() < len, "compressed");
            }
            assert_eq!(zstd::stream::decode_all(&framed[..]).expect("stream"), page);
            let mut dec = zstd::block::Decompressor::new();
            assert_eq!(frame(&mut dec, &framed), Some((page, framed.len())));
        }
    }

    #[test]
    fn sound_frames_among_other_bytes_come_back_and_a_hit_one_is_passed_over() {
        let first = b"J\x02\x01\x00first record, repeated repeated repeated".to_vec();
        let mut file = b"header \x28\xb5 junk".to_vec();
        file.extend(message(&first));
        file.extend_from_slice(b"between");
        let second = message(b"second");
        let hit = file.len() + second.len() - 3;
        file.extend(second);
        // A frame with no sled message around it is not taken.
        file.extend(zstd::block::compress(b"loose", 1).expect("compress"));
        file.extend(message(&first));
        let pages = |file: &[u8]| {
            let mut got = Vec::new();
            each(file, false, |p| got.push(p.to_vec()));
            got
        };
        assert_eq!(pages(&file), [first.clone(), b"second".to_vec(), first.clone()]);
        file[hit] ^= 0x10;
        assert_eq!(pages(&file), [first.clone(), first]);
    }

    /// sled reads every page back through `zstd::stream::decode_all`,
    /// which vendor/zstd gives one context per thread (a new one per call
    /// was most of the CPU of reopening after an import): the answers stay
    /// `Decoder`'s, whatever the call before left in the context.
    #[test]
    fn sleds_decoder_answers_as_zstds_own_after_any_call() {
        use std::io::{ErrorKind, Read};
        let decoder = |bytes: &[u8]| {
            let mut out = Vec::new();
            zstd::stream::Decoder::new(bytes)?.read_to_end(&mut out).map(|_| out)
        };
        let page: Vec<u8> = (0..50_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        // Over the frame size it trusts: the output grows as it is written.
        let big: Vec<u8> = (0..10_000_000u32).map(|i| (i % 7) as u8).collect();
        let frame = zstd::block::compress(&page, 1).expect("compress");
        let two = [frame.clone(), zstd::block::compress(b"second", 1).expect("compress")].concat();
        let cut = &frame[..frame.len() - 9];
        let junk = b"\x28\xb5\x2f\xfd not a frame at all".to_vec();
        let big_frame = zstd::block::compress(&big, 1).expect("compress");
        let cases: [(&[u8], Option<&[u8]>); 7] = [
            (&frame, Some(&page)),
            (cut, None),
            (&two, Some(&[&page[..], b"second"].concat())),
            (&junk, None),
            (&big_frame, Some(&big)),
            (b"", None),
            (&frame, Some(&page)),
        ];
        for (n, (input, want)) in cases.iter().enumerate() {
            let got = zstd::stream::decode_all(*input);
            let own = decoder(input);
            match want {
                Some(w) => {
                    assert_eq!(got.as_deref().ok(), Some(*w), "case {n}");
                    assert_eq!(own.as_deref().ok(), Some(*w), "case {n}");
                }
                None => {
                    let (got, own) = (got.expect_err("refused"), own.expect_err("refused"));
                    assert_eq!(got.kind(), own.kind(), "case {n}: {got} / {own}");
                }
            }
        }
        assert_eq!(zstd::stream::decode_all(cut).map_err(|e| e.kind()), Err(ErrorKind::UnexpectedEof));
    }
}
