//! What travels in the frames after the hello: plain serde data in
//! bincode. Any change here raises `serve::PROTOCOL`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::domain::CaseNo;
use crate::protocol::{Draft, desk::DeskError, desk::Query, desk::Reply};
use crate::store::{Command, CommandId, Done};

/// A client's request, with its number on this connection.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Envelope {
    pub n: u64,
    pub request: Request,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Request {
    /// Who the server is: its pid, its clients, its database.
    Status,
    /// Stop when the last client has gone.
    Stop,
    /// Apply a command once, durably; the server stamps who and when.
    Execute { id: CommandId, command: Box<Command> },
    /// `jiedai report`, rendered by the server in the client's language.
    Report { from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>, json: bool },
    /// `jiedai check` on the live database, between two commands.
    Check,
    /// A consistent snapshot for `jiedai backup`, between two commands.
    Backup,
    /// The desk's port (`jiedai_protocol::Desk`) over the socket, answered
    /// by the server's store as this client's user.
    Desk(Call),
}

/// One call of the port.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Call {
    Execute { id: CommandId, command: Box<Command> },
    Query(Box<Query>),
    PutDraft(Draft),
    ClearDraft(String),
    SyncDrafts,
    Flush,
}

/// What a port call answers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Said {
    Done(Done),
    Reply(Box<Reply>),
    Ok,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum FromServer {
    Reply {
        n: u64,
        answer: Answer,
    },
    /// A command was applied: re-run what shows these cases.
    Changed {
        seq: u64,
        cases: Vec<CaseNo>,
    },
    /// Changes were missed (this client was too slow): re-run everything.
    Resync,
    /// The connection is refused, with the reason in the client's language.
    Refused(String),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Answer {
    Status {
        pid: u32,
        clients: u32,
        db: String,
        operator: String,
    },
    Done(Done),
    Text(String),
    /// `jiedai check`: the problems found (in the client's language) and
    /// the cases checked.
    Check {
        problems: Vec<String>,
        count: u64,
    },
    Bytes(Vec<u8>),
    /// The request failed; the reason in the client's language.
    Failed(String),
    Stopping,
    /// A port call's answer, or its error with its kind (a full disk).
    Desk(Result<Said, DeskError>),
}

fn config() -> bincode::config::Configuration<
    bincode::config::BigEndian,
    bincode::config::Varint,
    bincode::config::Limit<{ 256 << 20 }>,
> {
    bincode::config::standard().with_big_endian().with_limit::<{ 256 << 20 }>()
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Encoding plain data into a Vec cannot fail.
    bincode::serde::encode_to_vec(value, config()).unwrap_or_default()
}

/// A frame's message; anything that is not one whole message is an error.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    match bincode::serde::decode_from_slice(bytes, config()) {
        Ok((v, n)) if n == bytes.len() => Some(v),
        _ => None,
    }
}
