//! Who is signed in, for the whole app: loaded once at start, set at sign-in, cleared at sign-out or on
//! any 401. Views use it to show what the role may do; the server decides what it may actually do.
//!
//! Offline start: an organization user's identity (who, not a secret: the session cookie stays HttpOnly)
//! is remembered in `localStorage` while signed in, and forgotten at sign-out, when the server says there
//! is no session, and when anyone else signs in. When the app opens with no network at all (the service
//! worker's cached page, see `frontend/sw.js`), the session check cannot answer: the app then opens for
//! that remembered organization user, marked offline, so the report form works and reports wait in the
//! outbox; no other user's identity is ever remembered, and nothing is read from the server until it
//! answers again. Back online, the session is checked again and the server decides.

use domain::pages::Bundle;
use domain::policy::{Principal, Role, RoleSet};
use leptos::prelude::*;

use crate::api;

/// Where the last signed-in organization user's identity is kept for an offline start.
const REMEMBERED: &str = "sheguan.offline-user";

/// Whether this bundle shows staff their side of the pages it shares with organization users: only the
/// workspace bundle does. The server never gives staff the organization bundle (`domain::pages`), and a
/// staff session that appears in it all the same (staff signing in on an organization user's phone, a
/// page the service worker answered) loads the page in full at once (`Session::refresh`, `LoginPage`), so
/// its pages compile their staff side out.
pub const STAFF_VIEWS: bool = cfg!(feature = "workspace");

#[derive(Debug, Clone, Copy)]
pub struct Session {
    me: RwSignal<Option<Principal>>,
    /// False until the first `/auth/me` has answered.
    loaded: RwSignal<bool>,
    /// The app started with no network: `me` is the remembered organization user, not the server's word.
    offline: RwSignal<bool>,
}

impl Session {
    pub fn user(&self) -> Option<Principal> {
        self.me.get()
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded.get()
    }

    pub fn role(&self) -> Option<Role> {
        self.me.with(|me| me.as_ref().map(|m| m.role))
    }

    /// Whether the signed-in user's role is in `roles` (one of `domain::policy`'s sets).
    pub fn has_role(&self, roles: RoleSet) -> bool {
        self.role().is_some_and(|r| roles.allows(r))
    }

    /// The role, read without tracking: what pages use. `RequireAuth` rebuilds a page whenever who is
    /// signed in changes; a page that also tracked the session would be woken by a sign-out in the same
    /// turn as its disposal and read its own signals after they are gone (a "disposed" panic).
    pub fn role_untracked(&self) -> Option<Role> {
        self.me.with_untracked(|me| me.as_ref().map(|m| m.role))
    }

    /// [`Session::has_role`] without tracking (see [`Session::role_untracked`]).
    pub fn has_role_untracked(&self, roles: RoleSet) -> bool {
        self.role_untracked().is_some_and(|r| roles.allows(r))
    }

    /// Who is signed in, without tracking (see [`Session::role_untracked`]).
    pub fn user_untracked(&self) -> Option<Principal> {
        self.me.get_untracked()
    }

    /// Whether the app started with no network, for the organization user last signed in here.
    pub fn is_offline(&self) -> bool {
        self.offline.get()
    }

    /// Who the server says is signed in (at sign-in, sign-out, on a 401): remembered for an offline start
    /// when it is an organization user, otherwise whoever was remembered is forgotten.
    pub fn set(&self, me: Option<Principal>) {
        remember(me.as_ref());
        self.show(me, false);
    }

    fn show(&self, me: Option<Principal>, offline: bool) {
        self.offline.set(offline);
        self.me.set(me);
        self.loaded.set(true);
    }

    /// Re-reads who is signed in (at start, after a 401 elsewhere, back online after an offline start).
    pub fn refresh(&self) {
        let this = *self;
        leptos::task::spawn_local(async move {
            match api::current_session().await {
                // Staff work in the workspace bundle, which the server answers this page with (the service
                // worker gives the organization bundle to a navigation the network is slow to answer).
                // Signing in here loads the user's own bundle itself (`LoginPage`).
                Ok(Some(me)) if me.role != Role::OrgUser && crate::routes::BUNDLE == Bundle::Organization => {
                    let _ = window().location().reload();
                }
                Ok(me) => this.set(me),
                // No answer at all: a phone without signal. Not a "signed out".
                Err(api::Error::Fetch(_)) => {
                    let me = remembered();
                    let offline = me.is_some();
                    this.show(me, offline);
                }
                Err(api::Error::Api { .. }) => this.show(None, false),
            }
        });
    }
}

/// Keeps `me` for an offline start if it is an organization user who may work; forgets anyone else.
fn remember(me: Option<&Principal>) {
    let Some(storage) = local_storage() else { return };
    let kept = me
        .filter(|me| me.role == Role::OrgUser && !me.must_change_password)
        .and_then(|me| serde_json::to_string(me).ok());
    let _ = match kept {
        Some(json) => storage.set_item(REMEMBERED, &json),
        None => storage.remove_item(REMEMBERED),
    };
}

/// The organization user last signed in here, if any.
fn remembered() -> Option<Principal> {
    let json = local_storage()?.get_item(REMEMBERED).ok()??;
    serde_json::from_str::<Principal>(&json)
        .ok()
        .filter(|me| me.role == Role::OrgUser)
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn provide_session() -> Session {
    let session = Session {
        me: RwSignal::new(None),
        loaded: RwSignal::new(false),
        offline: RwSignal::new(false),
    };
    session.refresh();
    provide_context(session);
    // Back online after an offline start: the server says again who is signed in.
    let online = window_event_listener(leptos::ev::online, move |_| {
        if session.offline.get_untracked() {
            session.refresh();
        }
    });
    // The app lives as long as the page: the listener too.
    std::mem::forget(online);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
