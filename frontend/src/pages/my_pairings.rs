//! 我的结对村 — an organization user's villages, on the phone.

use domain::auth::Role;
use domain::round::AgreementStatus;
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::use_i18n;

#[component]
pub fn MyPairingsPage() -> impl IntoView {
    view! {
        <RequireAuth roles=&[Role::OrgUser]>
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
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match pairings.await {
                        Ok(list) if list.is_empty() => view! { <p>{move || i18n.t("pairing.my_empty")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="record-list" data-testid="my-pairings">
                                {list.into_iter().map(|a| {
                                    let status = match a.status {
                                        AgreementStatus::Active => "pairing.agreement.active",
                                        AgreementStatus::Concluded => "pairing.agreement.concluded",
                                    };
                                    view! {
                                        <li class="record">
                                            <div class="record__head">
                                                <strong>{a.village_name.clone()}</strong>
                                                <span class="badge">{move || i18n.t(status)}</span>
                                            </div>
                                            <div class="record__meta">
                                                <span>{a.county_name.clone()}</span>
                                                <span>{a.round_name.clone()}</span>
                                                <span>{format!("{} — {}", a.start_date, a.end_date)}</span>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || pairings.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
