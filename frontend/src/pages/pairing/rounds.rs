//! 百社进百村 rounds: the list for everyone who takes part, and the form a bureau administrator opens one with.

use domain::api::{OpenRoundRequest, Round, RoundRules};
use domain::policy::{BUREAU_ONLY, STAFF_OR_ORG};
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;
use crate::routes::{non_empty, round_path};
use crate::session::use_session;

#[component]
pub fn RoundsPage() -> impl IntoView {
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            <RoundList />
        </RequireAuth>
    }
}

#[component]
fn RoundList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let rounds = LocalResource::new(api::list_rounds);
    view! {
        <section class="page">
            <h1>{move || i18n.t("pairing.rounds_title")}</h1>
            <p class="lead">{move || i18n.t("pairing.rounds_lead")}</p>
            <Show when=move || session.has_role_untracked(BUREAU_ONLY)>
                <OpenRoundForm on_opened=move || rounds.refetch() />
            </Show>
            <Async resource=rounds let:list>
                <ul class="record-list" data-testid="round-list">
                    {list.into_iter().map(round_row).collect_view()}
                </ul>
            </Async>
        </section>
    }
}

fn round_row(round: Round) -> impl IntoView {
    let i18n = use_i18n();
    let counties = round
        .counties
        .iter()
        .map(|c| c.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    let counts = i18n.t_with(
        "pairing.round_counts",
        &[
            ("societies", round.societies.to_string()),
            ("villages", round.villages.to_string()),
            ("runs", round.runs.to_string()),
        ],
    );
    view! {
        <li class="record" data-testid="round-row">
            <div class="record__head">
                <a href=round_path(round.id)><strong>{round.name.clone()}</strong></a>
                <span class="badge">{move || i18n.label(round.status)}</span>
            </div>
            <div class="record__meta"><span>{counties}</span><span>{counts}</span></div>
        </li>
    }
}

#[component]
fn OpenRoundForm(#[prop(into)] on_opened: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    // The chosen counties as (code, "city county"), in the order they were ticked.
    let chosen = RwSignal::new(Vec::<(String, String)>::new());
    let city = RwSignal::new(None::<String>);
    let divisions = LocalResource::new(api::list_divisions);
    let rules = RwSignal::new(RoundRules::default());
    let open = Action::new_local(move |body: &OpenRoundRequest| {
        let body = body.clone();
        async move { api::open_round(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = open.value().get() {
            on_opened.run(());
        }
    });
    let cities = move || loaded_cities(divisions);
    let counties = move || {
        let city = city.get();
        cities()
            .into_iter()
            .find(|c| Some(&c.code) == city.as_ref())
            .map(|c| {
                c.counties
                    .into_iter()
                    .map(move |k| (k.code, k.name.clone(), format!("{}{}", c.name, k.name)))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let number = move |label: &'static str,
                       field: &'static str,
                       get: fn(&RoundRules) -> i64,
                       set: fn(&mut RoundRules, i64)| {
        view! {
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <input type="number" inputmode="numeric" name=field prop:value=move || rules.with(|r| get(r).to_string())
                    on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(-1); rules.update(|r| set(r, v)) } />
            </label>
        }
    };
    view! {
        <details class="panel">
            <summary>{move || i18n.t("pairing.open_round")}</summary>
            <form class="form" data-testid="open-round" on:submit=move |ev| {
                ev.prevent_default();
                let codes = chosen.get_untracked().into_iter().map(|(code, _)| code).collect();
                open.dispatch(OpenRoundRequest { name: name.get_untracked(), counties: codes, rules: rules.get_untracked() });
            }>
                <label class="field">
                    <span>{move || i18n.t("pairing.round_name")}</span>
                    <input name="name" placeholder=move || i18n.t("pairing.round_name_placeholder")
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <fieldset class="county-picker" data-testid="county-picker">
                    <legend>{move || i18n.t("pairing.round_counties")}</legend>
                    <label class="field">
                        <span>{move || i18n.t("villages.city")}</span>
                        <select name="scope_city" on:change=move |ev| city.set(non_empty(event_target_value(&ev)))>
                            <option value="">{move || i18n.t("pairing.choose_city")}</option>
                            {move || cities().into_iter().map(|c| view! { <option value=c.code>{c.name}</option> }).collect_view()}
                        </select>
                    </label>
                    <div class="checks">
                        {move || counties().into_iter().map(|(code, label, full)| {
                            let (toggle_code, checked_code) = (code.clone(), code.clone());
                            let county_name = full;
                            view! {
                                <label class="check">
                                    <input type="checkbox" name="scope_county" value=code.clone()
                                        prop:checked=move || chosen.with(|c| c.iter().any(|(k, _)| *k == checked_code))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| {
                                                c.retain(|(k, _)| *k != toggle_code);
                                                if on { c.push((toggle_code.clone(), county_name.clone())); }
                                            });
                                        } />
                                    <span>{label}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="chips" data-testid="chosen-counties">
                        {move || {
                            let list = chosen.get();
                            if list.is_empty() {
                                view! { <span class="hint">{i18n.t("pairing.no_counties")}</span> }.into_any()
                            } else {
                                list.into_iter().map(|(code, label)| view! {
                                    <button type="button" class="chip" title=move || i18n.t("pairing.remove_county")
                                        on:click=move |_| chosen.update(|c| c.retain(|(k, _)| *k != code))>
                                        {label}" ×"
                                    </button>
                                }).collect_view().into_any()
                            }
                        }}
                    </p>
                </fieldset>
                {number("pairing.priority_bonus", "priority_bonus", |r| r.priority_bonus, |r, v| r.priority_bonus = v)}
                {number("pairing.distance_penalty_per_km", "distance_penalty_per_km", |r| r.distance_penalty_per_km, |r, v| r.distance_penalty_per_km = v)}
                {number("pairing.max_distance_km", "max_distance_km", |r| r.max_distance_km, |r, v| r.max_distance_km = v)}
                <button type="submit" class="button button--primary" disabled=move || open.pending().get()>
                    {move || i18n.t("pairing.open_round")}
                </button>
                {move || match open.value().get() {
                    Some(Ok(r)) => Some(view! { <p class="notice" role="status">{i18n.t_with("pairing.opened", &[("name", r.name)])}</p> }.into_any()),
                    Some(Err(error)) => Some(view! { <ErrorNotice error on_retry=move || () /> }.into_any()),
                    None => None,
                }}
            </form>
        </details>
    }
}
