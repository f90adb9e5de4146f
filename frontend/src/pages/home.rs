//! The home page: what Sheguan is, its four pillars, and the reference data that is loaded.

use domain::api::VillageQuery;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::Page;

const PILLARS: [(&str, &str); 4] = [
    ("home.pillar.politics", "home.pillar.politics.body"),
    ("home.pillar.service", "home.pillar.service.body"),
    ("home.pillar.enforcement", "home.pillar.enforcement.body"),
    ("home.pillar.liaison", "home.pillar.liaison.body"),
];

/// What anyone may do without an account: report a suspicious body, read the published lists, petition
/// online, follow a petition with its receipt and read the year's results (pages of the workspace bundle, loaded in full).
const PUBLIC_SERVICES: [(Page, &str, &str); 5] = [
    (
        Page::ReportIllegal,
        "home.report_illegal",
        "home.report_illegal.body",
    ),
    (Page::PublicIllegal, "home.illegal_list", "home.illegal_list.body"),
    (Page::OnlinePetition, "home.petition", "home.petition.body"),
    (
        Page::PetitionProgress,
        "home.petition_progress",
        "home.petition_progress.body",
    ),
    (Page::PublicResults, "home.results", "home.results.body"),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let counts = LocalResource::new(|| async {
        let tree = api::list_divisions().await?;
        let villages = api::list_villages(&VillageQuery {
            per_page: Some(1),
            ..Default::default()
        })
        .await?;
        let counties: usize = tree.cities.iter().map(|c| c.counties.len()).sum();
        Ok::<_, api::Error>((tree.cities.len(), counties, villages.total))
    });
    view! {
        <section class="page hero">
            <h1>{move || i18n.t("home.title")}</h1>
            <p class="lead">{move || i18n.t("home.lead")}</p>
        </section>
        <section class="page">
            <h2>{move || i18n.t("home.pillars")}</h2>
            <ul class="cards">
                {PILLARS
                    .into_iter()
                    .map(|(title, body)| view! {
                        <li class="card">
                            <h3>{move || i18n.t(title)}</h3>
                            <p>{move || i18n.t(body)}</p>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="page" data-testid="home-public-services">
            <h2>{move || i18n.t("home.public_services")}</h2>
            <ul class="cards">
                {PUBLIC_SERVICES
                    .into_iter()
                    .map(|(page, title, body)| view! {
                        <li class="card">
                            // A full load: these pages live in the workspace bundle.
                            <h3><a href=page.path() rel="external">{move || i18n.t(title)}</a></h3>
                            <p>{move || i18n.t(body)}</p>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="page">
            <h2>{move || i18n.t("home.reference")}</h2>
            <Async resource=counts let:counted>
                {
                    let (cities, counties, villages) = counted;
                    view! {
                        <p data-testid="reference-counts">
                            {move || i18n.t_with("home.reference.body", &[
                                ("cities", cities.to_string()),
                                ("counties", counties.to_string()),
                                ("villages", villages.to_string()),
                            ])}
                        </p>
                    }
                }
            </Async>
            <A href=Page::Villages.path() attr:class="button button--primary">{move || i18n.t("home.browse_villages")}</A>
        </section>
        <section class="page">
            <h2>{move || i18n.t("credit.public_title")}</h2>
            <p>{move || i18n.t("credit.home_body")}</p>
            // The lists live in the workspace bundle: the browser loads them from the server (rel="external"
            // keeps the router from trying to show them in this bundle).
            <a href=Page::CreditLists.path() rel="external" class="button" data-testid="home-credit-lists">{move || i18n.t("credit.home_link")}</a>
        </section>
    }
}
