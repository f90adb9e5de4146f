//! 工作成效 — the year's figures for staff, by area (the report's 四度四员), for the province or a city:
//! each figure with its definition, the year before and a two-bar chart, and a tap opens the records behind
//! it (`records`). The annual work report is a page of its own with its Word file (`report`); the public
//! sees the headline aggregates (`public`). Year and city live in the URL.

mod figure;
mod public;
mod records;
mod report;

use chrono::Datelike;
use domain::api::{Dashboard, DashboardQuery};
use domain::dashboard::Area;
use domain::policy::STAFF;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;
use crate::routes::{Page, non_empty, use_url_query};

pub use public::PublicResultsPage;
pub use records::FigureRecordsPage;
pub use report::AnnualReportPage;

use figure::FigureCard;

/// How many years the pickers offer, counting back from this one.
const YEARS_SHOWN: i32 = 11;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><DashboardView /></RequireAuth> }
}

#[component]
fn DashboardView() -> impl IntoView {
    let i18n = use_i18n();
    let (query, apply) = use_url_query::<DashboardQuery>();
    let dashboard = LocalResource::new(move || {
        let query = query.get();
        async move { api::dashboard(&query).await }
    });
    view! {
        <section class="page">
            <h1>{move || i18n.t("dashboard.title")}</h1>
            <p class="lead">{move || i18n.t("dashboard.lead")}</p>
            <YearCityPicker query=query apply=apply />
            <Async resource=dashboard let:found>
                <Figures dashboard=found />
            </Async>
        </section>
    }
}

/// The year and city pickers, which change the URL.
#[component]
pub(crate) fn YearCityPicker(query: Memo<DashboardQuery>, apply: Callback<DashboardQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let divisions = LocalResource::new(api::list_divisions);
    let this_year = crate::format::today().year();
    let shown_year = move || query.get().year.unwrap_or(this_year);
    view! {
        <form class="filters" on:submit=move |ev| ev.prevent_default()>
            <label class="field">
                <span>{move || i18n.t("dashboard.year")}</span>
                <select name="year" data-testid="dashboard-year" on:change=move |ev| {
                    apply.run(DashboardQuery { year: event_target_value(&ev).parse().ok(), ..query.get_untracked() });
                }>
                    {(0..YEARS_SHOWN).map(|back| {
                        let year = this_year - back;
                        view! { <option value=year.to_string() selected=move || shown_year() == year>{year}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t("dashboard.city")}</span>
                <select name="city" data-testid="dashboard-city" on:change=move |ev| {
                    apply.run(DashboardQuery { city: non_empty(event_target_value(&ev)), ..query.get_untracked() });
                }>
                    <option value="" selected=move || query.get().city.is_none()>{move || i18n.t("dashboard.province")}</option>
                    {move || loaded_cities(divisions).into_iter().map(|city| {
                        let code = city.code.clone();
                        view! {
                            <option value=city.code selected=move || query.get().city.as_ref() == Some(&code)>{city.name}</option>
                        }
                    }).collect_view()}
                </select>
            </label>
        </form>
    }
}

#[component]
fn Figures(dashboard: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let Dashboard {
        year,
        city,
        place,
        figures,
    } = dashboard;
    let report = Page::AnnualReport.with_query(&DashboardQuery {
        year: Some(year),
        city: city.clone(),
    });
    let document = api::annual_report_document_url(year, city);
    let heading = move || {
        i18n.t_with(
            "dashboard.heading",
            &[("place", place.clone()), ("year", year.to_string())],
        )
    };
    view! {
        <h2 data-testid="dashboard-heading">{heading}</h2>
        <p class="actions">
            <A href=report attr:class="button" attr:data-testid="dashboard-report">{move || i18n.t("dashboard.report")}</A>
            <a class="button" href=document download rel="external" data-testid="dashboard-document">{move || i18n.t("dashboard.document")}</a>
        </p>
        {Area::ALL.into_iter().map(|area| {
            let of_area: Vec<_> = figures.iter().filter(|f| f.area == area).cloned().collect();
            view! {
                <section class="figure-area" data-testid=format!("area-{}", area.key())>
                    <h2>{move || i18n.label(area)}</h2>
                    <p class="lead">{move || i18n.t(&format!("dashboard.motto.{}", area.key()))}</p>
                    <ul class="figure-grid">
                        {of_area.into_iter().map(|figure| view! { <FigureCard figure=figure linked=true /> }).collect_view()}
                    </ul>
                </section>
            }
        }).collect_view()}
    }
}
