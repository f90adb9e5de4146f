//! Sheguan's browser app: a leptos client-side-rendered single-page application.
//!
//! `App` sets up the language and the router; each page lives in `pages/`, shared pieces in
//! `components/`, the typed API client in `api.rs`, and every user-facing string in `locales/*.json`.

pub mod api;
pub mod components;
pub mod format;
pub mod i18n;
pub mod outbox;
pub mod pages;
pub mod routes;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::components::shell::Shell;
use crate::pages::{
    account::AccountPage,
    audit::AuditPage,
    contributions::{ContributionPage, ContributionsPage, DuplicatesPage},
    home::HomePage,
    login::LoginPage,
    lookup::LookupPage,
    matters::{MatterPage, MattersPage, NewMatterPage},
    my_pairings::MyPairingsPage,
    not_found::NotFoundPage,
    organizations::{OrganizationPage, OrganizationsPage},
    round::RoundPage,
    rounds::RoundsPage,
    users::UsersPage,
    villages::VillagesPage,
};

/// The whole app: language, shell and routes.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n();
    session::provide_session();
    outbox::provide_outbox();
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/villages") view=VillagesPage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/account") view=AccountPage />
                    <Route path=path!("/admin/users") view=UsersPage />
                    <Route path=path!("/admin/audit") view=AuditPage />
                    <Route path=path!("/organizations") view=OrganizationsPage />
                    <Route path=path!("/organizations/:id") view=OrganizationPage />
                    <Route path=path!("/matters") view=MattersPage />
                    <Route path=path!("/matters/new") view=NewMatterPage />
                    <Route path=path!("/matters/:id") view=MatterPage />
                    <Route path=path!("/lookup") view=LookupPage />
                    <Route path=path!("/rounds") view=RoundsPage />
                    <Route path=path!("/rounds/:id") view=RoundPage />
                    <Route path=path!("/my/pairings") view=MyPairingsPage />
                    <Route path=path!("/contributions") view=ContributionsPage />
                    <Route path=path!("/contributions/duplicates") view=DuplicatesPage />
                    <Route path=path!("/contributions/:id") view=ContributionPage />
                </Routes>
            </Shell>
        </Router>
    }
}

/// Entry point, called by the generated JavaScript once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
