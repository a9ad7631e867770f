//! Cleaning the diary's and the opinion box's commands (see
//! `Command::sanitized`).

use crate::Command;
use crate::domain::diary::{DiaryLine, Triage};
use crate::domain::text::{clean_line, clean_multiline};

/// `Command::sanitized` for the diary's and the box's commands.
pub(crate) fn sanitized(cmd: Command) -> Command {
    let line = |l: DiaryLine| DiaryLine {
        village: clean_line(&l.village),
        group: clean_line(&l.group),
        name: clean_line(&l.name),
        request: clean_line(&l.request),
    };
    match cmd {
        Command::DiaryWrite { cadre, day, lines } => {
            Command::DiaryWrite { cadre: clean_line(&cadre), day, lines: lines.into_iter().map(line).collect() }
        }
        Command::DiaryTriage { entry, triage } => Command::DiaryTriage {
            entry,
            triage: match triage {
                Triage::Attach { case, name, note } => {
                    Triage::Attach { case, name: clean_line(&name), note: clean_multiline(&note) }
                }
                Triage::Settle(note) => Triage::Settle(clean_multiline(&note)),
                Triage::NewCase(intake) => Triage::NewCase(Box::new(crate::command::clean_intake(*intake))),
            },
        },
        Command::BoxOpen { date, opened_by, witnesses } => Command::BoxOpen {
            date,
            opened_by: clean_line(&opened_by),
            witnesses: witnesses.iter().map(|w| clean_line(w)).filter(|w| !w.is_empty()).collect(),
        },
        Command::BoxSlip { opening, category, text } => {
            Command::BoxSlip { opening, category: clean_line(&category), text: clean_multiline(&text) }
        }
        other => other,
    }
}
