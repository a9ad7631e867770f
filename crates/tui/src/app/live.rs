//! Saves made at other desks on the same store, as the port announces
//! them: the cases they touched are read again (the lists are patched), the
//! counts and today's queue reloaded, and an open case shown afresh.

use jiedai_domain::i18n::Msg;
use jiedai_protocol::{Changed, Link};

use super::{AppState, Effect, Message};

pub(super) fn changed_elsewhere(state: &mut AppState, changed: Changed) -> Vec<Effect> {
    let mut effects = Vec::new();
    // Changes were missed: every list is read whole again (the showing
    // one now, the others when shown), and an open case with them.
    if changed.is_resync() {
        for list in state.lists.iter_mut() {
            list.loaded = false;
        }
        effects.push(Effect::Load);
        if let Some(d) = &state.detail
            && d.menu.is_none()
            && d.dialog.is_none()
            && !d.submitting
        {
            effects.push(Effect::LoadCase(d.case.no));
        }
        return effects;
    }
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

/// One line on the desk while the server is away, and when it is back.
pub(super) fn link(state: &mut AppState, link: Link) {
    let (msg, error) = match link {
        Link::Lost => (Msg::ServeReconnecting, true),
        Link::Back => (Msg::ServeReconnected, false),
    };
    state.message = Some(Message { text: msg.text(state.lang()).to_string(), error });
}
