//! A society joins the round, or changes what it offers: weights per need, capacity, home county, funds.

use std::collections::BTreeMap;

use domain::api::{JoinRoundRequest, Round};
use domain::pairing::round::RoundStatus;
use leptos::prelude::*;

use super::weights_form;
use crate::api;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;

/// The organization user's form: join the round or change what the society offers.
#[component]
pub(super) fn JoinForm(round: Round) -> impl IntoView {
    let i18n = use_i18n();
    let id = round.id;
    let capabilities = RwSignal::new(BTreeMap::new());
    let capacity = RwSignal::new(3_i64);
    let home_county = RwSignal::new(String::new());
    let yuan = RwSignal::new(0_i64);
    let existing = LocalResource::new(move || async move { api::find_membership(id).await });
    Effect::new(move |_| {
        if let Some(Ok(Some(m))) = existing.get() {
            capabilities.set(
                m.capabilities
                    .iter()
                    .map(|(n, w)| (n.key().to_owned(), *w))
                    .collect(),
            );
            capacity.set(m.capacity);
            home_county.set(m.home_county.clone());
            yuan.set(m.funds_fen / 100);
        }
    });
    let join = Action::new_local(move |body: &JoinRoundRequest| {
        let body = body.clone();
        async move { api::join_round(id, &body).await }
    });
    view! {
        <form class="form panel" data-testid="join-form" on:submit=move |ev| {
            ev.prevent_default();
            join.dispatch(JoinRoundRequest {
                capabilities: capabilities.get_untracked(),
                capacity: capacity.get_untracked(),
                home_county: home_county.get_untracked(),
                funds_fen: yuan.get_untracked().saturating_mul(100),
            });
        }>
            <h2>{move || i18n.t("pairing.join_title")}</h2>
            <p class="hint">{move || i18n.t("pairing.weights_hint")}</p>
            {weights_form(capabilities)}
            <label class="field"><span>{move || i18n.t("pairing.capacity")}</span>
                <input type="number" inputmode="numeric" name="capacity" prop:value=move || capacity.get().to_string()
                    on:input=move |ev| capacity.set(event_target_value(&ev).parse().unwrap_or(-1)) /></label>
            <HomeCountyPicker home_county />
            <label class="field"><span>{move || i18n.t("pairing.funds_yuan")}</span>
                <input type="number" inputmode="numeric" name="funds" prop:value=move || yuan.get().to_string()
                    on:input=move |ev| yuan.set(event_target_value(&ev).parse().unwrap_or(-1)) /></label>
            <button type="submit" class="button button--primary" disabled=move || round.status != RoundStatus::Open || join.pending().get()>
                {move || i18n.t("pairing.join")}
            </button>
            {move || match join.value().get() {
                Some(Ok(_)) => Some(view! { <p class="notice" role="status">{i18n.t("pairing.joined")}</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error on_retry=move || () /> }.into_any()),
                None => None,
            }}
        </form>
    }
}

/// The society's home county, chosen from the real counties: a city, then one of its counties.
#[component]
fn HomeCountyPicker(home_county: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let divisions = LocalResource::new(api::list_divisions);
    // The city follows the county (its code's first four digits), and may be chosen first.
    let city = RwSignal::new(String::new());
    Effect::new(move |_| {
        let county = home_county.get();
        if county.len() == 6 {
            city.set(format!("{}00", &county[..4]));
        }
    });
    let cities = move || loaded_cities(divisions);
    let counties = move || {
        let city = city.get();
        cities()
            .into_iter()
            .find(|c| c.code == city)
            .map(|c| c.counties)
            .unwrap_or_default()
    };
    view! {
        <label class="field"><span>{move || i18n.t("pairing.home_city")}</span>
            <select name="home_city" on:change=move |ev| { city.set(event_target_value(&ev)); home_county.set(String::new()); }>
                <option value="" selected=move || city.get().is_empty()>{move || i18n.t("pairing.choose_city")}</option>
                {move || cities().into_iter().map(|c| {
                    let code = c.code.clone();
                    view! { <option value=c.code selected=move || city.get() == code>{c.name}</option> }
                }).collect_view()}
            </select>
        </label>
        <label class="field"><span>{move || i18n.t("pairing.home_county")}</span>
            <select name="home_county" disabled=move || city.get().is_empty()
                on:change=move |ev| home_county.set(event_target_value(&ev))>
                <option value="" selected=move || home_county.get().is_empty()>{move || i18n.t("pairing.choose_county")}</option>
                {move || counties().into_iter().map(|c| {
                    let code = c.code.clone();
                    view! { <option value=c.code selected=move || home_county.get() == code>{c.name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}
