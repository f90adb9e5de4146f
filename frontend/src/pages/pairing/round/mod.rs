//! One 百社进百村 round: a society joins it; staff record villages' needs, run the engine (with progress),
//! read the proposal as a list and on the map, open a pair's score breakdown, pin or forbid it, compare with
//! the run before; a bureau administrator confirms the proposal.
//!
//! The work, one file each: `join` (a society's offer), `needs` (villages' needs), `proposal` (runs, the
//! breakdown, comparison and confirmation) and `agreements` (what a confirmed round concluded).

mod agreements;
mod join;
mod needs;
mod proposal;

use std::collections::BTreeMap;

use domain::api::Round;
use domain::pairing::Need;
use domain::pairing::round::RoundStatus;
use domain::policy::{ORG_USERS, STAFF, STAFF_OR_ORG};
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::use_id_param;
use crate::session::use_session;
use join::JoinForm;
use needs::NeedsEditor;
use proposal::Proposal;

#[component]
pub fn RoundPage() -> impl IntoView {
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            <RoundDetail />
        </RequireAuth>
    }
}

#[component]
fn RoundDetail() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = use_id_param();
    let round = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_round(id).await }
    });
    let staff = session.has_role_untracked(STAFF);
    let org = session.has_role_untracked(ORG_USERS);
    view! {
        <section class="page">
            <Async resource=round let:r>
                <RoundHeader round=r.clone() />
                {org.then(|| view! { <JoinForm round=r.clone() /> })}
                {(staff && r.status == RoundStatus::Open).then(|| view! { <NeedsEditor round=r.clone() /> })}
                {staff.then(|| view! { <Proposal round=r.clone() /> })}
            </Async>
            <p class="hint">{move || i18n.t("pairing.scope_hint")}</p>
        </section>
    }
}

#[component]
fn RoundHeader(round: Round) -> impl IntoView {
    let i18n = use_i18n();
    let counties = round
        .counties
        .iter()
        .map(|c| format!("{}{}", c.city_name, c.name))
        .collect::<Vec<_>>()
        .join("、");
    let rules = i18n.t_with(
        "pairing.rules_line",
        &[
            ("bonus", round.rules.priority_bonus.to_string()),
            ("penalty", round.rules.distance_penalty_per_km.to_string()),
            ("max", round.rules.max_distance_km.to_string()),
        ],
    );
    view! {
        <h1>{round.name.clone()}</h1>
        <p><span class="badge">{move || i18n.label(round.status)}</span>" "{counties}</p>
        <p class="record__meta">{rules}</p>
    }
}

/// One number field per need, 0 to 10: what a village needs or what a society offers.
fn weights_form(weights: RwSignal<BTreeMap<String, i64>>) -> impl IntoView {
    let i18n = use_i18n();
    Need::ALL
        .into_iter()
        .map(|need| {
            let key = need.key();
            view! {
                <label class="field field--weight">
                    <span>{move || i18n.label(need)}</span>
                    <input type="number" min="0" max="10" inputmode="numeric" name=key
                        prop:value=move || weights.with(|w| w.get(key).copied().unwrap_or(0).to_string())
                        on:input=move |ev| {
                            let v = event_target_value(&ev).parse().unwrap_or(0);
                            weights.update(|w| { w.insert(key.to_owned(), v); });
                        } />
                </label>
            }
        })
        .collect_view()
}
