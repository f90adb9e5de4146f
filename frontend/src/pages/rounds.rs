//! 百社进百村 rounds: the list for everyone who takes part, and the form a bureau administrator opens one with.

use domain::api::{OpenRoundRequest, Round, RoundRules};
use domain::auth::Role;
use domain::round::RoundStatus;
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::use_i18n;
use crate::routes::round_path;
use crate::session::use_session;

pub(crate) fn status_key(status: RoundStatus) -> &'static str {
    match status {
        RoundStatus::Open => "pairing.status.open",
        RoundStatus::Confirmed => "pairing.status.confirmed",
    }
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    view! {
        <RequireAuth roles=&[Role::BureauAdmin, Role::LocalStaff, Role::OrgUser]>
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
            <Show when=move || session.has_role(&[Role::BureauAdmin])>
                <OpenRoundForm on_opened=move || rounds.refetch() />
            </Show>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match rounds.await {
                        Ok(list) => view! {
                            <ul class="record-list" data-testid="round-list">
                                {list.into_iter().map(round_row).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || rounds.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
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
                <span class="badge">{move || i18n.t(status_key(round.status))}</span>
            </div>
            <div class="record__meta"><span>{counties}</span><span>{counts}</span></div>
        </li>
    }
}

#[component]
fn OpenRoundForm(#[prop(into)] on_opened: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new("2026年百社进百村".to_owned());
    let counties = RwSignal::new("340121 341524 340828 341221".to_owned());
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
    let number = move |label: &'static str, get: fn(&RoundRules) -> i64, set: fn(&mut RoundRules, i64)| {
        view! {
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <input type="number" inputmode="numeric" prop:value=move || rules.with(|r| get(r).to_string())
                    on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(-1); rules.update(|r| set(r, v)) } />
            </label>
        }
    };
    view! {
        <details class="panel">
            <summary>{move || i18n.t("pairing.open_round")}</summary>
            <form class="form" data-testid="open-round" on:submit=move |ev| {
                ev.prevent_default();
                let codes = counties.get_untracked().split([' ', ',', '，', '、']).filter(|c| !c.is_empty()).map(str::to_owned).collect();
                open.dispatch(OpenRoundRequest { name: name.get_untracked(), counties: codes, rules: rules.get_untracked() });
            }>
                <label class="field">
                    <span>{move || i18n.t("pairing.round_name")}</span>
                    <input name="name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("pairing.round_counties")}</span>
                    <input name="counties" prop:value=move || counties.get() on:input=move |ev| counties.set(event_target_value(&ev)) />
                </label>
                {number("pairing.priority_bonus", |r| r.priority_bonus, |r, v| r.priority_bonus = v)}
                {number("pairing.distance_penalty_per_km", |r| r.distance_penalty_per_km, |r, v| r.distance_penalty_per_km = v)}
                {number("pairing.max_distance_km", |r| r.max_distance_km, |r, v| r.max_distance_km = v)}
                <button type="submit" class="button button--primary" disabled=move || open.pending().get()>
                    {move || i18n.t("pairing.open_round")}
                </button>
                {move || match open.value().get() {
                    Some(Err(error)) => Some(view! { <ErrorNotice error on_retry=move || () /> }),
                    _ => None,
                }}
            </form>
        </details>
    }
}
