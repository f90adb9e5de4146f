//! 我的结对村 — an organization user's villages, on the phone, each with its agreement's status and dates.

use domain::policy::ORG_USERS;
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::pages::villages::village::{agreement_badge, agreement_dates};
use crate::routes::village_path;

#[component]
pub fn MyPairingsPage() -> impl IntoView {
    view! {
        <RequireAuth roles=ORG_USERS>
            <MyPairings />
        </RequireAuth>
    }
}

#[component]
fn MyPairings() -> impl IntoView {
    let i18n = use_i18n();
    let pairings = LocalResource::new(api::list_my_pairings);
    view! {
        <section class="page">
            <h1>{move || i18n.t("pairing.my_title")}</h1>
            <Async resource=pairings let:value>
                {match value {
                    list if list.is_empty() => view! { <p>{move || i18n.t("pairing.my_empty")}</p> }.into_any(),
                    list => view! {
                        <ul class="record-list" data-testid="my-pairings">
                            {list.into_iter().map(|a| {
                                let (status, badge) = (a.status, agreement_badge(a.status));
                                let reason = a.conclusion_reason.clone();
                                let dates = {
                                    let a = a.clone();
                                    move || agreement_dates(i18n, &a)
                                };
                                view! {
                                    <li class="record" data-testid="my-pairing">
                                        <div class="record__head">
                                            <a href=village_path(&a.village_code)><strong>{a.village_name.clone()}</strong></a>
                                            <span class=badge>{move || i18n.label(status)}</span>
                                        </div>
                                        <div class="record__meta">
                                            <span>{a.county_name.clone()}</span>
                                            <span>{a.round_name.clone()}</span>
                                            <span>{dates}</span>
                                            {reason.map(|r| view! { <span>{r}</span> })}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </Async>
        </section>
    }
}
