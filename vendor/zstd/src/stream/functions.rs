use std::io;

use super::{Decoder, Encoder};

/// Decompress from the given source as if using a `Decoder`.
///
/// The input data must be in the zstd frame format.
pub fn decode_all<R: io::Read>(mut source: R) -> io::Result<Vec<u8>> {
    // jiedai: one decompression context per thread rather than one per
    // call. sled calls this for every page it reads back, and a new context
    // cost ~2/3 of the CPU of replaying an import's log (perf:
    // ZSTD_createDCtx). The frames are decoded as `Decoder` decodes them:
    // one or more in a row, an incomplete one an `UnexpectedEof` error.
    thread_local! {
        static DCTX: std::cell::RefCell<zstd_safe::DCtx<'static>> =
            std::cell::RefCell::new(zstd_safe::create_dctx());
    }
    let mut input = Vec::new();
    source.read_to_end(&mut input)?;
    DCTX.with(|d| match d.try_borrow_mut() {
        Ok(mut d) => decode_frames(&mut d, &input),
        Err(_) => decode_frames(&mut zstd_safe::create_dctx(), &input),
    })
}

/// Every frame in `input`, decoded with `dctx` (reset first: an earlier
/// error may have left it inside a frame).
fn decode_frames(
    dctx: &mut zstd_safe::DCtx<'static>,
    input: &[u8],
) -> io::Result<Vec<u8>> {
    dctx.reset().map_err(crate::map_error_code)?;
    // The frame's own size when it says (capped: it may be damaged).
    let guess = match zstd_safe::get_frame_content_size(input) {
        n if n < (8 << 20) => n as usize + 1,
        _ => input.len().saturating_mul(4),
    };
    let mut out: Vec<u8> = Vec::with_capacity(guess.max(64));
    let mut src = zstd_safe::InBuffer::around(input);
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity().max(64));
        }
        let len = out.len();
        let (hint, full) = {
            let mut dst = zstd_safe::OutBuffer::around_pos(&mut out, len);
            let hint = dctx
                .decompress_stream(&mut dst, &mut src)
                .map_err(crate::map_error_code)?;
            (hint, dst.pos() == dst.dst.capacity())
        };
        // All read, and either the frame ended or zstd has room left to
        // write but no more to read (a cut-off frame).
        if src.pos == input.len() && (hint == 0 || !full) {
            return if hint == 0 {
                Ok(out)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "incomplete frame",
                ))
            };
        }
    }
}

/// Decompress from the given source as if using a `Decoder`.
///
/// Decompressed data will be appended to `destination`.
pub fn copy_decode<R, W>(source: R, mut destination: W) -> io::Result<()>
where
    R: io::Read,
    W: io::Write,
{
    let mut decoder = Decoder::new(source)?;
    io::copy(&mut decoder, &mut destination)?;
    Ok(())
}

/// Compress all data from the given source as if using an `Encoder`.
///
/// Result will be in the zstd frame format.
///
/// A level of `0` uses zstd's default (currently `3`).
pub fn encode_all<R: io::Read>(source: R, level: i32) -> io::Result<Vec<u8>> {
    let mut result = Vec::<u8>::new();
    copy_encode(source, &mut result, level)?;
    Ok(result)
}

/// Compress all data from the given source as if using an `Encoder`.
///
/// Compressed data will be appended to `destination`.
///
/// A level of `0` uses zstd's default (currently `3`).
pub fn copy_encode<R, W>(
    mut source: R,
    destination: W,
    level: i32,
) -> io::Result<()>
where
    R: io::Read,
    W: io::Write,
{
    let mut encoder = Encoder::new(destination, level)?;
    io::copy(&mut source, &mut encoder)?;
    encoder.finish()?;
    Ok(())
}

