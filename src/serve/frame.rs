//! Frames on the socket: a 4-byte big-endian length, then that many bytes.
//! A frame over the cap, or cut short, is an error for that connection
//! alone: the reader never allocates what a peer merely claims.

use std::io::{self, Read, Write};

/// What a client may send in one frame: a command is a few KiB at most.
pub const TO_SERVER_CAP: usize = 1 << 20;
/// What a server may send: an export of a large township is big.
pub const TO_CLIENT_CAP: usize = 256 << 20;

pub fn write(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let len = u32::try_from(body.len()).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame too large"))?;
    let mut buf = Vec::with_capacity(4 + body.len());
    buf.extend_from_slice(&len.to_be_bytes());
    buf.extend_from_slice(body);
    w.write_all(&buf)?;
    w.flush()
}

/// The next frame; `None` when the peer closed cleanly between frames.
pub fn read(r: &mut impl Read, cap: usize) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > cap {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("frame of {len} bytes over the cap of {cap}")));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

/// The hello both sides send first, in a fixed layout that never changes
/// (so an old client can still read a newer server's): magic, protocol,
/// schema, one status byte (the client's language, or the server's
/// verdict), three spare bytes.
pub const MAGIC: &[u8; 4] = b"JDAI";
pub const HELLO_LEN: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hello {
    pub protocol: u32,
    pub schema: u32,
    pub status: u8,
}

impl Hello {
    pub fn to_bytes(self) -> [u8; HELLO_LEN] {
        let mut b = [0u8; HELLO_LEN];
        b[..4].copy_from_slice(MAGIC);
        b[4..8].copy_from_slice(&self.protocol.to_be_bytes());
        b[8..12].copy_from_slice(&self.schema.to_be_bytes());
        b[12] = self.status;
        b
    }

    pub fn read(r: &mut impl Read) -> io::Result<Hello> {
        let mut b = [0u8; HELLO_LEN];
        r.read_exact(&mut b)?;
        if &b[..4] != MAGIC {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not a jiedai hello"));
        }
        let word = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Ok(Hello { protocol: word(4), schema: word(8), status: b[12] })
    }
}

/// The server's verdict on a hello.
pub const WELCOME: u8 = 0;
pub const MISMATCH: u8 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips_and_a_huge_or_cut_one_is_an_error() {
        let mut buf = Vec::new();
        write(&mut buf, b"hello").unwrap();
        assert_eq!(read(&mut &buf[..], 16).unwrap().as_deref(), Some(&b"hello"[..]));
        assert!(read(&mut &buf[..], 4).is_err(), "over the cap");
        assert!(read(&mut &buf[..7], 16).is_err(), "cut short");
        assert!(read(&mut &buf[..2], 16).is_err(), "length cut short");
        assert_eq!(read(&mut &b""[..], 16).unwrap(), None);
    }

    #[test]
    fn a_hello_round_trips() {
        let h = Hello { protocol: 7, schema: 3, status: MISMATCH };
        assert_eq!(Hello::read(&mut &h.to_bytes()[..]).unwrap(), h);
        assert!(Hello::read(&mut &b"GET / HTTP/1.1\r\n"[..]).is_err());
    }
}
