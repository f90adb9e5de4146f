//! A confirmed round's agreements in the staff member's scope, and concluding one.

use domain::api::ConcludeAgreementRequest;
use domain::pairing::round::AgreementStatus;
use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::pages::villages::village::{agreement_badge, agreement_dates};
use crate::routes::village_path;

/// A confirmed round's agreements in the staff member's scope, each with its status, and the form that
/// concludes an active one (the day and the reason).
#[component]
pub(super) fn Agreements(round: i64, confirmed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let agreements = LocalResource::new(move || {
        confirmed.track();
        async move { api::list_agreements(round).await }
    });
    let concluding = RwSignal::new(None::<i64>);
    let on = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let conclude = Action::new_local(move |(agreement, body): &(i64, ConcludeAgreementRequest)| {
        let (agreement, body) = (*agreement, body.clone());
        async move { api::conclude_agreement(agreement, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = conclude.value().get() {
            concluding.set(None);
            agreements.refetch();
        }
    });
    view! {
        <div data-testid="agreements">
            <h3>{move || i18n.t("pairing.agreements_title")}</h3>
            {move || conclude.value().get().map(|result| match result {
                Ok(a) => view! { <p class="notice" role="status">{i18n.t_with("pairing.concluded", &[("village", a.village_name), ("society", a.organization_name)])}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error on_retry=move || () /> }.into_any(),
            })}
            <Async resource=agreements let:list>
                <ul class="record-list">
                    {list.into_iter().map(|a| {
                        let (status, badge) = (a.status, agreement_badge(a.status));
                        let active = a.status == AgreementStatus::Active;
                        let agreement = a.id;
                        let dates = {
                            let a = a.clone();
                            move || agreement_dates(i18n, &a)
                        };
                        view! {
                            <li class="record" data-testid="agreement">
                                <div class="record__head">
                                    <strong>{a.organization_name.clone()}</strong>
                                    <a href=village_path(&a.village_code)>{format!("{}（{}）", a.village_name, a.county_name)}</a>
                                    <span class=badge>{move || i18n.label(status)}</span>
                                </div>
                                <div class="record__meta">
                                    <span>{dates}</span>
                                    {a.conclusion_reason.clone().map(|r| view! { <span>{r}</span> })}
                                    {a.concluded_by.clone().map(|by| view! { <span>{by}</span> })}
                                </div>
                                {active.then(|| view! {
                                    <Show when=move || concluding.get() != Some(agreement)>
                                        <div class="record__actions">
                                            <button type="button" class="button" on:click=move |_| {
                                                on.set(crate::format::today().to_string());
                                                reason.set(String::new());
                                                concluding.set(Some(agreement));
                                            }>{i18n.t("pairing.conclude")}</button>
                                        </div>
                                    </Show>
                                    <Show when=move || concluding.get() == Some(agreement)>
                                        <form class="form" data-testid="conclude-form" on:submit=move |ev| {
                                            ev.prevent_default();
                                            if let Ok(concluded_on) = chrono::NaiveDate::parse_from_str(&on.get_untracked(), "%Y-%m-%d") {
                                                conclude.dispatch((agreement, ConcludeAgreementRequest { concluded_on, reason: reason.get_untracked() }));
                                            }
                                        }>
                                            <label class="field"><span>{i18n.t("pairing.concluded_on")}</span>
                                                <input type="date" name="concluded_on" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev)) /></label>
                                            <label class="field"><span>{i18n.t("pairing.conclusion_reason")}</span>
                                                <textarea name="reason" maxlength="200" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea></label>
                                            <div class="record__actions">
                                                <button type="submit" class="button button--primary" disabled=move || conclude.pending().get()>{i18n.t("pairing.conclude_submit")}</button>
                                                <button type="button" class="button" on:click=move |_| concluding.set(None)>{i18n.t("pairing.cancel")}</button>
                                            </div>
                                        </form>
                                    </Show>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Async>
        </div>
    }
}
