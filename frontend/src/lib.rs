//! Sheguan's browser app: a leptos client-side-rendered single-page application.
//!
//! `App` sets up the language and the router; each page lives in `pages/`, shared pieces in
//! `components/`, the typed API client in `api.rs`, and every user-facing string in `locales/*.json`.

pub mod api;
pub mod components;
pub mod format;
pub mod i18n;
#[cfg(feature = "organization")]
pub mod outbox;
pub mod pages;
pub mod routes;
pub mod session;
#[cfg(feature = "organization")]
pub mod worker;

use leptos::prelude::*;
use leptos_router::ParamSegment;
use leptos_router::components::{Route, Router, Routes};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::components::shell::Shell;
use crate::pages::accounts::login::LoginPage;
use crate::pages::home::HomePage;
use crate::pages::registry::lookup::LookupPage;
use crate::pages::villages::{list::VillagesPage, village::VillagePage};
use crate::routes::{Page, Routed};

/// The whole app: language, session, shell and routes.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n();
    session::provide_session();
    #[cfg(feature = "organization")]
    outbox::provide_outbox();
    view! {
        <Router>
            <Shell>{routes()}</Shell>
        </Router>
    }
}

/// Every page (the workspace bundle). Paths come from `Page` (see `routes.rs`).
#[cfg(feature = "workspace")]
fn routes() -> impl IntoView {
    use crate::pages::accounts::{account::AccountPage, audit::AuditPage, users::UsersPage};
    use crate::pages::contributions::{ContributionPage, ContributionsPage, DuplicatesPage};
    use crate::pages::credit::{ListingPage, ListingsPage, PublicListsPage};
    use crate::pages::dashboard::{AnnualReportPage, DashboardPage, FigureRecordsPage, PublicResultsPage};
    use crate::pages::dormant::{CasePage, CasesPage};
    use crate::pages::fees::{
        FeeCampaignPage, FeeCampaignsPage, FeeDrawPage, FeeInspectionPage, FeeInspectionsPage,
        NewFeeCampaignPage,
    };
    use crate::pages::illegal::{
        IllegalBatchesPage, IllegalCasePage, IllegalCasesPage, PublicIllegalPage, ReportIllegalPage,
    };
    use crate::pages::inspection::{CyclesPage, InspectionPage, ReportPage};
    use crate::pages::jobs::JobsPage;
    use crate::pages::not_found::NotFoundPage;
    use crate::pages::pairing::{my_pairings::MyPairingsPage, round::RoundPage, rounds::RoundsPage};
    use crate::pages::party::{
        BatchPage, BatchesPage, PartyOrganizationsPage, PartyPage, PartyProfilePage, WorkspacePage,
    };
    use crate::pages::penalties::{PenaltiesPage, PenaltyPage};
    use crate::pages::petitions::{OnlinePetitionPage, PetitionPage, PetitionProgressPage, PetitionsPage};
    use crate::pages::publication::{OnTimePage, PublicationItemPage, PublicationPage};
    use crate::pages::registry::import::ImportPage;
    use crate::pages::registry::matters::{MatterPage, MattersPage, NewMatterPage};
    use crate::pages::registry::organizations::{OrganizationPage, OrganizationsPage};
    let id = || ParamSegment("id");
    view! {
        <Routes fallback=NotFoundPage>
            <Route path=Page::Home.route() view=HomePage />
            <Route path=Page::Villages.route() view=VillagesPage />
            <Route path=(Page::Villages.route(), ParamSegment("code")) view=VillagePage />
            <Route path=Page::Login.route() view=LoginPage />
            <Route path=Page::Lookup.route() view=LookupPage />
            <Route path=Page::Account.route() view=AccountPage />
            <Route path=Page::Users.route() view=UsersPage />
            <Route path=Page::Audit.route() view=AuditPage />
            <Route path=Page::Organizations.route() view=OrganizationsPage />
            <Route path=Page::ImportOrganizations.route() view=ImportPage />
            <Route path=(Page::Organizations.route(), id()) view=OrganizationPage />
            <Route path=Page::Matters.route() view=MattersPage />
            <Route path=Page::NewMatter.route() view=NewMatterPage />
            <Route path=(Page::Matters.route(), id()) view=MatterPage />
            <Route path=Page::Rounds.route() view=RoundsPage />
            <Route path=(Page::Rounds.route(), id()) view=RoundPage />
            <Route path=Page::MyPairings.route() view=MyPairingsPage />
            <Route path=Page::Contributions.route() view=ContributionsPage />
            <Route path=Page::ContributionDuplicates.route() view=DuplicatesPage />
            <Route path=(Page::Contributions.route(), id()) view=ContributionPage />
            <Route path=Page::Jobs.route() view=JobsPage />
            <Route path=Page::Inspection.route() view=InspectionPage />
            <Route path=Page::InspectionCycles.route() view=CyclesPage />
            <Route path=(Page::Inspection.route(), id()) view=ReportPage />
            <Route path=Page::CreditListings.route() view=ListingsPage />
            <Route path=(Page::CreditListings.route(), id()) view=ListingPage />
            <Route path=Page::CreditLists.route() view=PublicListsPage />
            <Route path=Page::Dormant.route() view=CasesPage />
            <Route path=(Page::Dormant.route(), id()) view=CasePage />
            <Route path=Page::Party.route() view=PartyPage />
            <Route path=Page::PartyOrganizations.route() view=PartyOrganizationsPage />
            <Route path=(Page::PartyOrganizations.route(), id()) view=PartyProfilePage />
            <Route path=Page::PartyBatches.route() view=BatchesPage />
            <Route path=(Page::PartyBatches.route(), id()) view=BatchPage />
            <Route path=Page::PartyWorkspace.route() view=WorkspacePage />
            <Route path=Page::FeeCampaigns.route() view=FeeCampaignsPage />
            <Route path=Page::NewFeeCampaign.route() view=NewFeeCampaignPage />
            <Route path=Page::FeeInspections.route() view=FeeInspectionsPage />
            <Route path=(Page::FeeInspections.route(), id()) view=FeeInspectionPage />
            <Route path=(Page::FeeCampaigns.route(), leptos_router::StaticSegment("draws"), id()) view=FeeDrawPage />
            <Route path=(Page::FeeCampaigns.route(), id()) view=FeeCampaignPage />
            <Route path=Page::Publication.route() view=PublicationPage />
            <Route path=Page::PublicationOnTime.route() view=OnTimePage />
            <Route path=(Page::Publication.route(), id()) view=PublicationItemPage />
            <Route path=Page::ReportIllegal.route() view=ReportIllegalPage />
            <Route path=Page::PublicIllegal.route() view=PublicIllegalPage />
            <Route path=Page::OnlinePetition.route() view=OnlinePetitionPage />
            <Route path=Page::PetitionProgress.route() view=PetitionProgressPage />
            <Route path=Page::IllegalCases.route() view=IllegalCasesPage />
            <Route path=Page::IllegalBatches.route() view=IllegalBatchesPage />
            <Route path=(Page::IllegalCases.route(), id()) view=IllegalCasePage />
            <Route path=Page::Petitions.route() view=PetitionsPage />
            <Route path=(Page::Petitions.route(), id()) view=PetitionPage />
            <Route path=Page::Penalties.route() view=PenaltiesPage />
            <Route path=(Page::Penalties.route(), id()) view=PenaltyPage />
            <Route path=Page::Dashboard.route() view=DashboardPage />
            <Route path=Page::DashboardRecords.route() view=FigureRecordsPage />
            <Route path=Page::AnnualReport.route() view=AnnualReportPage />
            <Route path=Page::PublicResults.route() view=PublicResultsPage />
        </Routes>
    }
}

/// The pages an organization user works in and the public ones (`Page::ORGANIZATION`, the organization
/// bundle of `domain::pages`); any other page is loaded in full.
#[cfg(all(feature = "organization", not(feature = "workspace")))]
fn routes() -> impl IntoView {
    use crate::pages::accounts::account::AccountPage;
    use crate::pages::contributions::{ContributionPage, ContributionsPage};
    use crate::pages::credit::{ListingPage, ListingsPage};
    use crate::pages::inspection::{InspectionPage, ReportPage};
    use crate::pages::not_found::ElsewherePage;
    use crate::pages::pairing::my_pairings::MyPairingsPage;
    use crate::pages::registry::organizations::{OrganizationPage, OrganizationsPage};
    let id = || ParamSegment("id");
    view! {
        <Routes fallback=ElsewherePage>
            <Route path=Page::Home.route() view=HomePage />
            <Route path=Page::Villages.route() view=VillagesPage />
            <Route path=(Page::Villages.route(), ParamSegment("code")) view=VillagePage />
            <Route path=Page::Login.route() view=LoginPage />
            <Route path=Page::Lookup.route() view=LookupPage />
            <Route path=Page::Account.route() view=AccountPage />
            <Route path=Page::Organizations.route() view=OrganizationsPage />
            // Pages of the workspace bundle beside detail pages of this one.
            <Route path=Page::ImportOrganizations.route() view=ElsewherePage />
            <Route path=(Page::Organizations.route(), id()) view=OrganizationPage />
            <Route path=Page::MyPairings.route() view=MyPairingsPage />
            <Route path=Page::Contributions.route() view=ContributionsPage />
            <Route path=Page::ContributionDuplicates.route() view=ElsewherePage />
            <Route path=(Page::Contributions.route(), id()) view=ContributionPage />
            <Route path=Page::Inspection.route() view=InspectionPage />
            <Route path=Page::InspectionCycles.route() view=ElsewherePage />
            <Route path=(Page::Inspection.route(), id()) view=ReportPage />
            <Route path=Page::CreditListings.route() view=ListingsPage />
            <Route path=(Page::CreditListings.route(), id()) view=ListingPage />
        </Routes>
    }
}

/// The pages anyone may open (`Page::PUBLIC`, the public bundle of `domain::pages`); any other page is
/// loaded in full.
#[cfg(not(feature = "organization"))]
fn routes() -> impl IntoView {
    use crate::pages::not_found::ElsewherePage;
    view! {
        <Routes fallback=ElsewherePage>
            <Route path=Page::Home.route() view=HomePage />
            <Route path=Page::Villages.route() view=VillagesPage />
            <Route path=(Page::Villages.route(), ParamSegment("code")) view=VillagePage />
            <Route path=Page::Login.route() view=LoginPage />
            <Route path=Page::Lookup.route() view=LookupPage />
        </Routes>
    }
}

/// Entry point, called by the generated JavaScript once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    pages::not_found::note_reloaded();
    // The page's first paint (the public pages' shell and home page, drawn into the HTML by `cargo xtask
    // dist` from what this app renders) gives way to the app, in one step: nothing is painted between.
    if let Some(body) = document().body() {
        body.set_inner_html("");
    }
    leptos::mount::mount_to_body(App);
    // The page runs: what is on it now answers (tests wait for this mark; so may the style).
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-app", "started");
    }
    // The organization bundle is the one the service worker keeps for opening the app offline.
    #[cfg(all(feature = "organization", not(feature = "workspace")))]
    worker::register();
}
