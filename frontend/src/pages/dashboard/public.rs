//! 年度工作成效（公开） — the year's headline figures for everyone: aggregates that name no one, for the
//! province or a city, with their definitions. No account needed (it lives in the workspace bundle).

use domain::api::{Dashboard, DashboardQuery};
use domain::dashboard::Area;
use leptos::prelude::*;

use super::YearCityPicker;
use super::figure::FigureCard;
use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::use_url_query;

#[component]
pub fn PublicResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let (query, apply) = use_url_query::<DashboardQuery>();
    let dashboard = LocalResource::new(move || {
        let query = query.get();
        async move { api::public_dashboard(&query).await }
    });
    view! {
        <section class="page">
            <h1>{move || i18n.t("dashboard.public_title")}</h1>
            <p class="lead">{move || i18n.t("dashboard.public_lead")}</p>
            <YearCityPicker query=query apply=apply />
            <Async resource=dashboard let:found>
                <Headlines dashboard=found />
            </Async>
        </section>
    }
}

#[component]
fn Headlines(dashboard: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let Dashboard {
        year, place, figures, ..
    } = dashboard;
    let heading = move || {
        i18n.t_with(
            "dashboard.heading",
            &[("place", place.clone()), ("year", year.to_string())],
        )
    };
    view! {
        <h2 data-testid="dashboard-heading">{heading}</h2>
        {Area::ALL.into_iter().map(|area| {
            let of_area: Vec<_> = figures.iter().filter(|f| f.area == area).cloned().collect();
            view! {
                <section class="figure-area">
                    <h2>{move || i18n.label(area)}</h2>
                    <ul class="figure-grid">
                        {of_area.into_iter().map(|figure| view! { <FigureCard figure=figure linked=false /> }).collect_view()}
                    </ul>
                </section>
            }
        }).collect_view()}
    }
}
