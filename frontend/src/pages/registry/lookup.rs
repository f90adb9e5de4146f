//! The public lookup: anyone, without signing in, can check an organization by name or credit code.

use domain::api::PublicQuery;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::Page;

#[component]
pub fn LookupPage() -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let q = Memo::new(move |_| {
        query_map
            .read()
            .get("q")
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty())
    });
    let results = LocalResource::new(move || {
        let q = q.get();
        async move {
            match q {
                Some(q) => api::lookup_organizations(&PublicQuery { q: Some(q) })
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });
    let (search, set_search) = signal(String::new());
    Effect::new(move |_| set_search.set(q.get().unwrap_or_default()));
    let navigate = use_navigate();
    view! {
        <section class="page">
            <h1>{move || i18n.t("lookup.title")}</h1>
            <p class="lead">{move || i18n.t("lookup.lead")}</p>
            <form class="filters" role="search" on:submit=move |ev| {
                ev.prevent_default();
                navigate(&Page::Lookup.with_query(&PublicQuery { q: Some(search.get_untracked()) }), Default::default());
            }>
                <label class="field field--grow">
                    <span>{move || i18n.t("registry.search")}</span>
                    <input type="search" name="q" maxlength="50" data-testid="lookup-search"
                        placeholder=move || i18n.t("registry.search_placeholder")
                        prop:value=search on:input=move |ev| set_search.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <Async resource=results let:value>
                {match value {
                    None => ().into_any(),
                    Some(found) if found.items.is_empty() => view! { <p class="notice">{move || i18n.t("registry.empty")}</p> }.into_any(),
                    Some(found) => view! {
                        <ul class="cards" data-testid="lookup-results">
                            {found.items.into_iter().map(|o| {
                                let (kind, status, list) = (o.kind, o.status, o.credit_list);
                                view! {
                                    <li class="card">
                                        <strong>{o.name}</strong>
                                        <p><code>{o.credit_code}</code></p>
                                        <p>
                                            {move || i18n.label(kind)} " · "
                                            {o.registering_authority} " · "
                                            {move || i18n.label(status)}
                                            {list.map(|l| view! { <span class="badge badge--warn">{move || i18n.label(l)}</span> })}
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {found.truncated.then(|| view! { <p class="notice">{move || i18n.t("lookup.truncated")}</p> })}
                    }.into_any(),
                }}
            </Async>
        </section>
    }
}
