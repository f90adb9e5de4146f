//! Children funded by two organizations in one year, for bureau staff.

use chrono::Datelike;
use domain::policy::BUREAU_ONLY;
use leptos::either::Either;
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;

/// Children funded by two organizations in one year, for bureau staff: masked, each funding linked to its
/// entry. No organization sees this.
#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let this_year = crate::format::today().year();
    let (year, set_year) = signal(this_year);
    let duplicates = LocalResource::new(move || {
        let year = year.get();
        async move { api::duplicate_recipients(Some(year)).await }
    });
    view! {
        <RequireAuth roles=BUREAU_ONLY>
            <section class="page">
                <h1>{move || i18n.t("contributions.duplicates_title")}</h1>
                <p>{move || i18n.t("contributions.duplicates_hint")}</p>
                <label class="field">
                    <span>{move || i18n.t("contributions.year")}</span>
                    <select name="year" on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() { set_year.set(y) }
                    }>
                        {(0..10).map(|back| {
                            let y = this_year - back;
                            view! { <option value=y.to_string() selected=move || year.get() == y>{y}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <Async resource=duplicates let:list>
                    {if list.is_empty() {
                        Either::Left(view! { <p class="notice">{move || i18n.t("contributions.duplicates_none")}</p> })
                    } else {
                        Either::Right(view! {
                            <ul class="plain-list" data-testid="duplicates">
                                {list.into_iter().map(|d| view! {
                                    <li class="stack">
                                        <strong>{d.name}" · "{d.id_number}" · "{d.year}</strong>
                                        <ul class="plain-list">
                                            {d.fundings.into_iter().map(|f| view! {
                                                <li><a href=crate::routes::Page::contribution(f.contribution_id)>
                                                    {f.organization_name}" · "{f.amount_fen.format_yuan()}
                                                </a></li>
                                            }).collect_view()}
                                        </ul>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    }}
                </Async>
            </section>
        </RequireAuth>
    }
}
