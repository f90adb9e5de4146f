//! Who is signed in, for the whole app: loaded once at start, set at sign-in, cleared at sign-out or on
//! any 401. Views use it to show what the role may do; the server decides what it may actually do.

use domain::policy::{Principal, Role, RoleSet};
use leptos::prelude::*;

use crate::api;

#[derive(Debug, Clone, Copy)]
pub struct Session {
    me: RwSignal<Option<Principal>>,
    /// False until the first `/auth/me` has answered.
    loaded: RwSignal<bool>,
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

    pub fn set(&self, me: Option<Principal>) {
        self.me.set(me);
        self.loaded.set(true);
    }

    /// Re-reads who is signed in (at start, or after a 401 elsewhere).
    pub fn refresh(&self) {
        let this = *self;
        leptos::task::spawn_local(async move {
            this.set(api::current_session().await.ok().flatten());
        });
    }
}

pub fn provide_session() -> Session {
    let session = Session {
        me: RwSignal::new(None),
        loaded: RwSignal::new(false),
    };
    session.refresh();
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
