use std::io;

use super::{Decoder, Encoder};

/// Decompress from the given source as if using a `Decoder`.
///
/// The input data must be in the zstd frame format.
pub fn decode_all<R: io::Read>(mut source: R) -> io::Result<Vec<u8>> {
    // jiedai: one decompression context per thread rather than one per call
    // (sled decodes every log message it reads through here, thousands on
    // each open; making a context each time was 62% of a warm open's CPU).
    // The context is reset before each use, so the output is what a fresh
    // one gives.
    thread_local! {
        static CONTEXT: std::cell::RefCell<Option<zstd_safe::DCtx<'static>>> =
            std::cell::RefCell::new(None);
    }
    let mut input = Vec::new();
    source.read_to_end(&mut input)?;
    CONTEXT.with(|c| match c.try_borrow_mut() {
        Ok(mut c) => {
            decode_frames(c.get_or_insert_with(zstd_safe::DCtx::create), &input)
        }
        Err(_) => decode_frames(&mut zstd_safe::DCtx::create(), &input),
    })
}

/// Every frame of `input`, decoded with `context` (reset first). Input that
/// ends within a frame is an error, as it is for a `Decoder`.
fn decode_frames(
    context: &mut zstd_safe::DCtx<'static>,
    input: &[u8],
) -> io::Result<Vec<u8>> {
    context.reset().map_err(crate::map_error_code)?;
    let mut out: Vec<u8> =
        Vec::with_capacity(input.len().saturating_mul(4).max(64));
    let mut src = zstd_safe::InBuffer::around(input);
    // What zstd still expects of the current frame: 0 once it has ended.
    let mut pending = 0;
    while src.pos() < input.len() || pending != 0 {
        if out.len() == out.capacity() {
            out.reserve(out.capacity().max(64));
        }
        let (before_in, before_out) = (src.pos(), out.len());
        let written = {
            let mut dst =
                zstd_safe::OutBuffer::around_pos(&mut out, before_out);
            pending = context
                .decompress_stream(&mut dst, &mut src)
                .map_err(crate::map_error_code)?;
            dst.pos()
        };
        let room_left = written < out.capacity();
        if src.pos() == before_in && written == before_out && room_left {
            // No progress with input and room: the input ends mid-frame.
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "incomplete frame",
            ));
        }
    }
    Ok(out)
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

