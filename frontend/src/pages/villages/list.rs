//! The villages page: city → county → kind filters and a name search, all held in the URL so that
//! back, forward and reload show the same list.

use domain::api::{CityNode, DivisionTree, Page as ResultPage, Village, VillageQuery};
use domain::villages::VillageKind;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, non_empty, village_path};

#[component]
pub fn VillagesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let q = query_map.read();
        VillageQuery {
            city: q.get("city").and_then(non_empty),
            county: q.get("county").and_then(non_empty),
            kind: q.get("kind").and_then(non_empty),
            q: q.get("q").and_then(non_empty),
            page: q.get("page").and_then(|p| p.parse().ok()),
            per_page: None,
        }
    });
    let divisions = LocalResource::new(api::list_divisions);
    let villages = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_villages(&query).await }
    });

    let navigate = use_navigate();
    // Every change of a filter goes through the URL, and starts again from the first page.
    let apply = Callback::new(move |next: VillageQuery| {
        navigate(
            &Page::Villages.with_query(&VillageQuery { page: None, ..next }),
            Default::default(),
        );
    });

    let (search, set_search) = signal(String::new());
    Effect::new(move |_| set_search.set(query.get().q.unwrap_or_default()));

    view! {
        <section class="page">
            <h1>{move || i18n.t("villages.title")}</h1>
            <p class="lead">{move || i18n.t("villages.lead")}</p>
            <form
                class="filters"
                role="search"
                on:submit=move |ev| {
                    ev.prevent_default();
                    apply.run(VillageQuery { q: non_empty(search.get_untracked()), ..query.get_untracked() });
                }
            >
                <DivisionSelects divisions query apply />
                <label class="field">
                    <span>{move || i18n.t("villages.kind")}</span>
                    <select
                        name="kind"
                        on:change=move |ev| {
                            apply.run(VillageQuery { kind: non_empty(event_target_value(&ev)), ..query.get_untracked() });
                        }
                    >
                        <option value="" selected=move || query.get().kind.is_none()>{move || i18n.t("common.all")}</option>
                        {VillageKind::ALL
                            .into_iter()
                            .map(|kind| view! {
                                <option
                                    value=kind.key()
                                    selected=move || query.get().kind.as_deref() == Some(kind.key())
                                >
                                    {move || i18n.label(kind)}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field field--grow">
                    <span>{move || i18n.t("villages.search")}</span>
                    <input
                        type="search"
                        name="q"
                        maxlength="50"
                        placeholder=move || i18n.t("villages.search_placeholder")
                        prop:value=search
                        on:input=move |ev| set_search.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <Async resource=villages let:page>
                <VillageResults page query />
            </Async>
        </section>
    }
}

/// The city and county selects; the county list follows the chosen city.
#[component]
fn DivisionSelects(
    divisions: LocalResource<api::Result<DivisionTree>>,
    query: Memo<VillageQuery>,
    apply: Callback<VillageQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cities = move || loaded_cities(divisions);
    let counties = move || {
        let city = query.get().city;
        cities()
            .into_iter()
            .find(|c| Some(&c.code) == city.as_ref())
            .map(|c| c.counties)
            .unwrap_or_default()
    };
    view! {
        <label class="field">
            <span>{move || i18n.t("villages.city")}</span>
            <select
                name="city"
                on:change=move |ev| {
                    let city = non_empty(event_target_value(&ev));
                    apply.run(VillageQuery { city, county: None, ..query.get_untracked() });
                }
            >
                <option value="" selected=move || query.get().city.is_none()>{move || i18n.t("common.all")}</option>
                {move || cities().into_iter().map(|CityNode { code, name, .. }| {
                    let selected_code = code.clone();
                    view! {
                        <option value=code selected=move || query.get().city.as_ref() == Some(&selected_code)>{name}</option>
                    }
                }).collect_view()}
            </select>
        </label>
        <label class="field">
            <span>{move || i18n.t("villages.county")}</span>
            <select
                name="county"
                disabled=move || query.get().city.is_none()
                on:change=move |ev| {
                    apply.run(VillageQuery { county: non_empty(event_target_value(&ev)), ..query.get_untracked() });
                }
            >
                <option value="" selected=move || query.get().county.is_none()>{move || i18n.t("common.all")}</option>
                {move || counties().into_iter().map(|county| {
                    let selected_code = county.code.clone();
                    view! {
                        <option value=county.code selected=move || query.get().county.as_ref() == Some(&selected_code)>
                            {county.name}
                        </option>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The count, the list (a table on wide screens, cards on a phone) and the pager.
#[component]
fn VillageResults(page: ResultPage<Village>, query: Memo<VillageQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    if page.items.is_empty() {
        return view! { <p class="notice" data-testid="villages-empty">{move || i18n.t("villages.empty")}</p> }.into_any();
    }
    let href_for = move |n: u32| {
        Page::Villages.with_query(&VillageQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="villages-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <table class="list-table" data-testid="villages-table">
            <thead>
                <tr>
                    <th>{move || i18n.t("villages.col.name")}</th>
                    <th>{move || i18n.t("villages.col.kind")}</th>
                    <th>{move || i18n.t("villages.col.township")}</th>
                    <th>{move || i18n.t("villages.col.county")}</th>
                    <th>{move || i18n.t("villages.col.code")}</th>
                </tr>
            </thead>
            <tbody>
                {page.items.into_iter().map(|v| village_row(i18n, v)).collect_view()}
            </tbody>
        </table>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
    .into_any()
}

fn village_row(i18n: I18n, v: Village) -> impl IntoView {
    let kind = v.kind;
    view! {
        <tr>
            <td class="list-table__title" data-label=move || i18n.t("villages.col.name")>
                <a href=village_path(&v.code)>{v.name}</a>
            </td>
            <td data-label=move || i18n.t("villages.col.kind")>{move || i18n.label(kind)}</td>
            <td data-label=move || i18n.t("villages.col.township")>{v.township_name}</td>
            <td data-label=move || i18n.t("villages.col.county")>{format!("{} {}", v.city_name, v.county_name)}</td>
            <td data-label=move || i18n.t("villages.col.code")><code>{v.code}</code></td>
        </tr>
    }
}

/// The cities of the division tree once it has loaded (none while it loads or if it failed).
pub fn loaded_cities(divisions: LocalResource<api::Result<DivisionTree>>) -> Vec<CityNode> {
    divisions
        .get()
        .and_then(Result::ok)
        .map(|tree| tree.cities)
        .unwrap_or_default()
}
