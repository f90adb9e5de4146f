//! Sheguan's browser app: a leptos client-side-rendered single-page application.
//!
//! `App` sets up the language and the router; each page lives in `pages/`, shared pieces in
//! `components/`, the typed API client in `api.rs`, and every user-facing string in `locales/*.json`.

pub mod api;
pub mod components;
pub mod format;
pub mod i18n;
#[cfg(feature = "workspace")]
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
    home::HomePage, login::LoginPage, lookup::LookupPage, village::VillagePage, villages::VillagesPage,
};

/// The whole app: language, session, shell and routes.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n();
    session::provide_session();
    #[cfg(feature = "workspace")]
    outbox::provide_outbox();
    view! {
        <Router>
            <Shell>{routes()}</Shell>
        </Router>
    }
}

/// Every page (the workspace bundle).
#[cfg(feature = "workspace")]
fn routes() -> impl IntoView {
    use crate::pages::{
        account::AccountPage,
        audit::AuditPage,
        contributions::{ContributionPage, ContributionsPage, DuplicatesPage},
        matters::{MatterPage, MattersPage, NewMatterPage},
        my_pairings::MyPairingsPage,
        not_found::NotFoundPage,
        organizations::{OrganizationPage, OrganizationsPage},
        registry_import::ImportPage,
        round::RoundPage,
        rounds::RoundsPage,
        users::UsersPage,
    };
    view! {
        <Routes fallback=NotFoundPage>
            <Route path=path!("/") view=HomePage />
            <Route path=path!("/villages") view=VillagesPage />
            <Route path=path!("/villages/:code") view=VillagePage />
            <Route path=path!("/login") view=LoginPage />
            <Route path=path!("/lookup") view=LookupPage />
            <Route path=path!("/account") view=AccountPage />
            <Route path=path!("/admin/users") view=UsersPage />
            <Route path=path!("/admin/audit") view=AuditPage />
            <Route path=path!("/organizations") view=OrganizationsPage />
            <Route path=path!("/organizations/import") view=ImportPage />
            <Route path=path!("/organizations/:id") view=OrganizationPage />
            <Route path=path!("/matters") view=MattersPage />
            <Route path=path!("/matters/new") view=NewMatterPage />
            <Route path=path!("/matters/:id") view=MatterPage />
            <Route path=path!("/rounds") view=RoundsPage />
            <Route path=path!("/rounds/:id") view=RoundPage />
            <Route path=path!("/my/pairings") view=MyPairingsPage />
            <Route path=path!("/contributions") view=ContributionsPage />
            <Route path=path!("/contributions/duplicates") view=DuplicatesPage />
            <Route path=path!("/contributions/:id") view=ContributionPage />
        </Routes>
    }
}

/// The pages anyone may open (the public bundle, `domain::bundle`); any other page is loaded in full.
#[cfg(not(feature = "workspace"))]
fn routes() -> impl IntoView {
    use crate::pages::not_found::ElsewherePage;
    view! {
        <Routes fallback=ElsewherePage>
            <Route path=path!("/") view=HomePage />
            <Route path=path!("/villages") view=VillagesPage />
            <Route path=path!("/villages/:code") view=VillagePage />
            <Route path=path!("/login") view=LoginPage />
            <Route path=path!("/lookup") view=LookupPage />
        </Routes>
    }
}

/// Entry point, called by the generated JavaScript once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
