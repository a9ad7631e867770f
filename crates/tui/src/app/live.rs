//! Saves made at other desks on the same store, as the port announces
//! them: the cases they touched are read again (the lists are patched), the
//! counts and today's queue reloaded, and an open case shown afresh.

use jiedai_protocol::Changed;

use super::{AppState, Effect};

pub(super) fn changed_elsewhere(state: &AppState, changed: Changed) -> Vec<Effect> {
    let mut effects = Vec::new();
    if !changed.cases.is_empty() {
        effects.push(Effect::Refresh(changed.cases.clone()));
    }
    effects.push(Effect::Load);
    // An open case another desk changed is read again, unless the officer
    // is busy in it (a menu, a dialog being typed, a save on its way):
    // reloading would close what they are typing.
    if let Some(d) = &state.detail
        && changed.cases.contains(&d.case.no)
        && d.menu.is_none()
        && d.dialog.is_none()
        && !d.submitting
    {
        effects.push(Effect::LoadCase(d.case.no));
    }
    effects
}
