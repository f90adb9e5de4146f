//! The counts by city of the cases confirmed in a period (认定, 已处置, 整改中 and each outcome), with the
//! candidates still waiting for staff; the period is held in the URL (`from`, `to`).

use chrono::NaiveDate;
use domain::api::{CaseCount, CountQuery};
use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::i18n::{I18n, use_i18n};
use crate::routes::use_url_query;

/// A figure of a row of the counts.
type Figure = fn(&CaseCount) -> u64;

/// The columns: a locale key and the figure it heads.
const COLUMNS: [(&str, Figure); 6] = [
    ("dormant.identified", |c| c.identified),
    ("dormant.remediated", |c| c.remediated),
    ("dormant.in_rectification", |c| c.in_rectification),
    ("dormant.observation", |c| c.observation),
    ("dormant.deregistered", |c| c.deregistered),
    ("dormant.revoked", |c| c.revoked),
];

#[component]
pub(super) fn CaseCountsTable() -> impl IntoView {
    let i18n = use_i18n();
    let (query, navigate_to) = use_url_query::<CountQuery>();
    let counts = LocalResource::new(move || {
        let query = query.get();
        async move { api::case_counts(&query).await }
    });
    view! {
        <h2>{move || i18n.t("dormant.counts")}</h2>
        <form class="filters" on:submit=move |ev| ev.prevent_default()>
            {date_field(i18n, query, navigate_to, ("dormant.from", "from"), |q| q.from, |q, d| q.from = d)}
            {date_field(i18n, query, navigate_to, ("dormant.to", "to"), |q| q.to, |q, d| q.to = d)}
        </form>
        <Async resource=counts let:counts>
            <p class="count" data-testid="dormant-candidates">
                {move || i18n.t_with("dormant.candidates_waiting", &[("count", counts.candidates.to_string())])}
            </p>
            <table class="list-table" data-testid="dormant-counts">
                <thead><tr>
                    <th>{move || i18n.t("dormant.city")}</th>
                    {COLUMNS.into_iter().map(|(key, _)| view! { <th>{move || i18n.t(key)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {counts.cities.iter().map(|c| count_row(i18n, c, false)).collect_view()}
                    {count_row(i18n, &counts.total, true)}
                </tbody>
            </table>
        </Async>
    }
}

/// One end of the period: (locale key of the label, field name), read from and written to the URL.
fn date_field(
    i18n: I18n,
    query: Memo<CountQuery>,
    navigate_to: Callback<CountQuery>,
    (label, name): (&'static str, &'static str),
    get: fn(&CountQuery) -> Option<NaiveDate>,
    set: fn(&mut CountQuery, Option<NaiveDate>),
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <input type="date" name=name prop:value=move || query.with(get).map(|d| d.to_string()).unwrap_or_default()
                on:change=move |ev| {
                    let mut next = query.get_untracked();
                    set(&mut next, event_target_value(&ev).parse().ok());
                    navigate_to.run(next);
                } />
        </label>
    }
}

fn count_row(i18n: I18n, count: &CaseCount, total: bool) -> impl IntoView + use<> {
    let name = count.city_name.clone();
    let figures: Vec<(&'static str, u64)> = COLUMNS
        .iter()
        .map(|(key, figure)| (*key, figure(count)))
        .collect();
    view! {
        <tr>
            <td class="list-table__title">{move || if total { i18n.t("dormant.total") } else { name.clone() }}</td>
            {figures.into_iter().map(|(key, figure)| view! {
                <td data-label=move || i18n.t(key)>{figure}</td>
            }).collect_view()}
        </tr>
    }
}
