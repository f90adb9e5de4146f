//! Pages that need a signed-in user (and, optionally, a role): others are sent to the sign-in page,
//! which brings them back afterwards. The server checks every request anyway; this only spares a
//! user pages that would answer 401/403.

use domain::policy::{ANY_ROLE, RoleSet};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::notice::Loading;
use crate::i18n::use_i18n;
use crate::routes::Page;
use crate::session::use_session;

#[component]
pub fn RequireAuth(
    /// The roles that may see the page (a set of `domain::policy`); anyone signed in by default.
    #[prop(default = ANY_ROLE)]
    roles: RoleSet,
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.is_loaded() && session.user().is_none() {
            let next = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            navigate(&Page::Login.with_query(&[("next", next)]), Default::default());
        }
    });
    // The decision, not the session, drives the view: the page is built once per decision, so a session
    // write that changes nothing for this page (the same user again) does not rebuild it under the user.
    let gate = Memo::new(move |_| match session.user() {
        _ if !session.is_loaded() => Gate::Waiting,
        None => Gate::Waiting,
        Some(user) if user.must_change_password && location.pathname.get() != Page::Account.path() => {
            Gate::MustChangePassword
        }
        Some(user) if user.must_enrol_second_factor && location.pathname.get() != Page::Account.path() => {
            Gate::MustEnrolSecondFactor
        }
        Some(user) if !roles.allows(user.role) => Gate::Forbidden,
        Some(_) => Gate::Open,
    });
    move || {
        match gate.get() {
        Gate::Waiting => view! { <Loading /> }.into_any(),
        Gate::MustChangePassword => view! {
            <section class="page">
                <p class="notice notice--error" role="alert">{move || i18n.t("auth.must_change")}</p>
                <a class="button button--primary" href=Page::Account.path()>{move || i18n.t("auth.change_now")}</a>
            </section>
        }
        .into_any(),
        Gate::MustEnrolSecondFactor => view! {
            <section class="page">
                <p class="notice notice--error" role="alert">{move || i18n.t("security.required")}</p>
                <a class="button button--primary" href=Page::Account.path()>{move || i18n.t("security.enrol_now")}</a>
            </section>
        }
        .into_any(),
        Gate::Forbidden => view! {
            <section class="page">
                <h1>{move || i18n.t("auth.forbidden_title")}</h1>
                <p>{move || i18n.t("auth.forbidden_body")}</p>
            </section>
        }
        .into_any(),
        Gate::Open => children().into_any(),
    }
    }
}

/// What `RequireAuth` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// The session is loading, or nobody is signed in (the sign-in page is on its way).
    Waiting,
    MustChangePassword,
    /// Staff must turn on two-step verification (on the account page) first.
    MustEnrolSecondFactor,
    Forbidden,
    Open,
}
