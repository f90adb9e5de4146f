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

/// A page's route view whose code comes in a wasm chunk, fetched when one of the chunk's pages first
/// opens: `lazy!(reporting, Contributions, ContributionsPage)` puts the report form in the `reporting`
/// chunk. `cargo xtask dist` splits each bundle's module at these points (`xtask/src/split.rs`): the main
/// module keeps the framework, the shell and the home page; each chunk holds the pages of one area, and
/// code that areas share goes into a chunk for each set of areas that shares it. A bundle has three areas
/// (visitor pages; the organization's reporting and its other pages; staff's dashboard and their other
/// pages), so that a page fetches its area's chunk and at most three shared ones: with ten areas a staff
/// page fetched a hundred files. A chunk that cannot be fetched (no network, not kept by the service
/// worker) shows that the page needs the network.
macro_rules! lazy {
    ($chunk:ident, $route:ident, $page:ident) => {{
        #[allow(non_snake_case)]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $route() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
            Ok(view! { <$page /> }.into_any())
        }
        struct $route {}
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route {}
            }
            async fn view(_route: Self) -> AnyView {
                $route()
                    .await
                    .unwrap_or_else(|_| view! { <crate::pages::not_found::NeedsNetwork /> }.into_any())
            }
        }
        leptos_router::Lazy::<$route>::new()
    }};
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
            <Route path=Page::Villages.route() view={lazy!(visitor, Villages, VillagesPage)} />
            <Route path=(Page::Villages.route(), ParamSegment("code")) view={lazy!(visitor, Village, VillagePage)} />
            <Route path=Page::Login.route() view={lazy!(visitor, Login, LoginPage)} />
            <Route path=Page::Lookup.route() view={lazy!(visitor, Lookup, LookupPage)} />
            <Route path=Page::Account.route() view={lazy!(staff, Account, AccountPage)} />
            <Route path=Page::Users.route() view={lazy!(staff, Users, UsersPage)} />
            <Route path=Page::Audit.route() view={lazy!(staff, Audit, AuditPage)} />
            <Route path=Page::Organizations.route() view={lazy!(staff, Organizations, OrganizationsPage)} />
            <Route path=Page::ImportOrganizations.route() view={lazy!(staff, Import, ImportPage)} />
            <Route path=(Page::Organizations.route(), id()) view={lazy!(staff, Organization, OrganizationPage)} />
            <Route path=Page::Matters.route() view={lazy!(staff, Matters, MattersPage)} />
            <Route path=Page::NewMatter.route() view={lazy!(staff, NewMatter, NewMatterPage)} />
            <Route path=(Page::Matters.route(), id()) view={lazy!(staff, Matter, MatterPage)} />
            <Route path=Page::Rounds.route() view={lazy!(staff, Rounds, RoundsPage)} />
            <Route path=(Page::Rounds.route(), id()) view={lazy!(staff, Round, RoundPage)} />
            <Route path=Page::MyPairings.route() view={lazy!(staff, MyPairings, MyPairingsPage)} />
            <Route path=Page::Contributions.route() view={lazy!(staff, Contributions, ContributionsPage)} />
            <Route path=Page::ContributionDuplicates.route() view={lazy!(staff, Duplicates, DuplicatesPage)} />
            <Route path=(Page::Contributions.route(), id()) view={lazy!(staff, Contribution, ContributionPage)} />
            <Route path=Page::Jobs.route() view={lazy!(staff, Jobs, JobsPage)} />
            <Route path=Page::Inspection.route() view={lazy!(staff, Inspection, InspectionPage)} />
            <Route path=Page::InspectionCycles.route() view={lazy!(staff, Cycles, CyclesPage)} />
            <Route path=(Page::Inspection.route(), id()) view={lazy!(staff, Report, ReportPage)} />
            <Route path=Page::CreditListings.route() view={lazy!(staff, Listings, ListingsPage)} />
            <Route path=(Page::CreditListings.route(), id()) view={lazy!(staff, Listing, ListingPage)} />
            <Route path=Page::CreditLists.route() view={lazy!(staff, PublicLists, PublicListsPage)} />
            <Route path=Page::Dormant.route() view={lazy!(staff, Cases, CasesPage)} />
            <Route path=(Page::Dormant.route(), id()) view={lazy!(staff, Case, CasePage)} />
            <Route path=Page::Party.route() view={lazy!(staff, Party, PartyPage)} />
            <Route path=Page::PartyOrganizations.route() view={lazy!(staff, PartyOrganizations, PartyOrganizationsPage)} />
            <Route path=(Page::PartyOrganizations.route(), id()) view={lazy!(staff, PartyProfile, PartyProfilePage)} />
            <Route path=Page::PartyBatches.route() view={lazy!(staff, Batches, BatchesPage)} />
            <Route path=(Page::PartyBatches.route(), id()) view={lazy!(staff, Batch, BatchPage)} />
            <Route path=Page::PartyWorkspace.route() view={lazy!(staff, Workspace, WorkspacePage)} />
            <Route path=Page::FeeCampaigns.route() view={lazy!(staff, FeeCampaigns, FeeCampaignsPage)} />
            <Route path=Page::NewFeeCampaign.route() view={lazy!(staff, NewFeeCampaign, NewFeeCampaignPage)} />
            <Route path=Page::FeeInspections.route() view={lazy!(staff, FeeInspections, FeeInspectionsPage)} />
            <Route path=(Page::FeeInspections.route(), id()) view={lazy!(staff, FeeInspection, FeeInspectionPage)} />
            <Route path=(Page::FeeCampaigns.route(), leptos_router::StaticSegment("draws"), id()) view={lazy!(staff, FeeDraw, FeeDrawPage)} />
            <Route path=(Page::FeeCampaigns.route(), id()) view={lazy!(staff, FeeCampaign, FeeCampaignPage)} />
            <Route path=Page::Publication.route() view={lazy!(staff, Publication, PublicationPage)} />
            <Route path=Page::PublicationOnTime.route() view={lazy!(staff, OnTime, OnTimePage)} />
            <Route path=(Page::Publication.route(), id()) view={lazy!(staff, PublicationItem, PublicationItemPage)} />
            <Route path=Page::ReportIllegal.route() view={lazy!(staff, ReportIllegal, ReportIllegalPage)} />
            <Route path=Page::PublicIllegal.route() view={lazy!(staff, PublicIllegal, PublicIllegalPage)} />
            <Route path=Page::OnlinePetition.route() view={lazy!(staff, OnlinePetition, OnlinePetitionPage)} />
            <Route path=Page::PetitionProgress.route() view={lazy!(staff, PetitionProgress, PetitionProgressPage)} />
            <Route path=Page::IllegalCases.route() view={lazy!(staff, IllegalCases, IllegalCasesPage)} />
            <Route path=Page::IllegalBatches.route() view={lazy!(staff, IllegalBatches, IllegalBatchesPage)} />
            <Route path=(Page::IllegalCases.route(), id()) view={lazy!(staff, IllegalCase, IllegalCasePage)} />
            <Route path=Page::Petitions.route() view={lazy!(staff, Petitions, PetitionsPage)} />
            <Route path=(Page::Petitions.route(), id()) view={lazy!(staff, Petition, PetitionPage)} />
            <Route path=Page::Penalties.route() view={lazy!(staff, Penalties, PenaltiesPage)} />
            <Route path=(Page::Penalties.route(), id()) view={lazy!(staff, Penalty, PenaltyPage)} />
            <Route path=Page::Dashboard.route() view={lazy!(dashboard, Dashboard, DashboardPage)} />
            <Route path=Page::DashboardRecords.route() view={lazy!(dashboard, FigureRecords, FigureRecordsPage)} />
            <Route path=Page::AnnualReport.route() view={lazy!(dashboard, AnnualReport, AnnualReportPage)} />
            <Route path=Page::PublicResults.route() view={lazy!(dashboard, PublicResults, PublicResultsPage)} />
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
            <Route path=Page::Villages.route() view={lazy!(visitor, Villages, VillagesPage)} />
            <Route path=(Page::Villages.route(), ParamSegment("code")) view={lazy!(visitor, Village, VillagePage)} />
            <Route path=Page::Login.route() view={lazy!(visitor, Login, LoginPage)} />
            <Route path=Page::Lookup.route() view={lazy!(visitor, Lookup, LookupPage)} />
            <Route path=Page::Account.route() view={lazy!(organization, Account, AccountPage)} />
            <Route path=Page::Organizations.route() view={lazy!(organization, Organizations, OrganizationsPage)} />
            // Pages of the workspace bundle beside detail pages of this one.
            <Route path=Page::ImportOrganizations.route() view=ElsewherePage />
            <Route path=(Page::Organizations.route(), id()) view={lazy!(organization, Organization, OrganizationPage)} />
            <Route path=Page::MyPairings.route() view={lazy!(organization, MyPairings, MyPairingsPage)} />
            <Route path=Page::Contributions.route() view={lazy!(reporting, Contributions, ContributionsPage)} />
            <Route path=Page::ContributionDuplicates.route() view=ElsewherePage />
            <Route path=(Page::Contributions.route(), id()) view={lazy!(reporting, Contribution, ContributionPage)} />
            <Route path=Page::Inspection.route() view={lazy!(organization, Inspection, InspectionPage)} />
            <Route path=Page::InspectionCycles.route() view=ElsewherePage />
            <Route path=(Page::Inspection.route(), id()) view={lazy!(organization, Report, ReportPage)} />
            <Route path=Page::CreditListings.route() view={lazy!(organization, Listings, ListingsPage)} />
            <Route path=(Page::CreditListings.route(), id()) view={lazy!(organization, Listing, ListingPage)} />
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
            <Route path=Page::Villages.route() view={lazy!(visitor, Villages, VillagesPage)} />
            <Route path=(Page::Villages.route(), ParamSegment("code")) view={lazy!(visitor, Village, VillagePage)} />
            <Route path=Page::Login.route() view={lazy!(visitor, Login, LoginPage)} />
            <Route path=Page::Lookup.route() view={lazy!(visitor, Lookup, LookupPage)} />
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
