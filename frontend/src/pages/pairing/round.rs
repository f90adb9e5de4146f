//! One 百社进百村 round: a society joins it; staff record villages' needs, run the engine (with progress),
//! read the proposal as a list and on the map, open a pair's score breakdown, pin or forbid it, compare with
//! the run before; a bureau administrator confirms the proposal.

use std::collections::BTreeMap;

use domain::api::{
    ConcludeAgreementRequest, ConfirmRunRequest, ConstraintKind, JoinRoundRequest, PairConstraint,
    ProposedPair, Round, RoundVillageQuery, RunDetail, VillageNeedsRequest,
};
use domain::pairing::Need;
use domain::pairing::round::{AgreementStatus, PriorityClass, RoundStatus};
use domain::policy::{BUREAU_ONLY, ORG_USERS, STAFF, STAFF_OR_ORG};
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::notice::{ErrorNotice, Loading};
use crate::components::pairing_map::PairingMap;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;
use crate::pages::villages::village::{agreement_badge, agreement_dates};
use crate::routes::{use_id_param, village_path};
use crate::session::use_session;

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
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match round.await {
                        Ok(r) => {
                            view! {
                                <RoundHeader round=r.clone() />
                                {org.then(|| view! { <JoinForm round=r.clone() /> })}
                                {(staff && r.status == RoundStatus::Open).then(|| view! { <NeedsEditor round=r.clone() /> })}
                                {staff.then(|| view! { <Proposal round=r.clone() /> })}
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error on_retry=move || round.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
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

fn weights_form(weights: RwSignal<BTreeMap<String, i64>>) -> impl IntoView {
    let i18n = use_i18n();
    Need::ALL
        .into_iter()
        .map(|need| {
            let key = need.as_str();
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

/// The organization user's form: join the round or change what the society offers.
#[component]
fn JoinForm(round: Round) -> impl IntoView {
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
                    .map(|(n, w)| (n.as_str().to_owned(), *w))
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

/// Staff choose a village of the round in their scope and record its needs and priority class.
#[component]
fn NeedsEditor(round: Round) -> impl IntoView {
    let i18n = use_i18n();
    let id = round.id;
    let county = RwSignal::new(round.counties.first().map(|c| c.code.clone()));
    let page = RwSignal::new(1_u32);
    let villages = LocalResource::new(move || {
        let query = RoundVillageQuery {
            county: county.get(),
            recorded: None,
            page: Some(page.get()),
            per_page: Some(20),
        };
        async move { api::list_round_villages(id, &query).await }
    });
    // The village being edited, as (code, name).
    let selected = RwSignal::new(None::<(String, String)>);
    let needs = RwSignal::new(BTreeMap::new());
    let priority = RwSignal::new(None::<PriorityClass>);
    let save = Action::new_local(move |(code, body): &(String, VillageNeedsRequest)| {
        let (code, body) = (code.clone(), body.clone());
        async move { api::record_village_needs(id, &code, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            villages.refetch();
        }
    });
    let counties = round.counties.clone();
    view! {
        <details class="panel" data-testid="needs-editor">
            <summary>{move || i18n.t("pairing.needs_title")}</summary>
            <label class="field"><span>{move || i18n.t("villages.county")}</span>
                <select name="needs_county" on:change=move |ev| { county.set(Some(event_target_value(&ev))); page.set(1); }>
                    {counties.into_iter().map(|c| view! { <option value=c.code.clone()>{c.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match villages.await {
                        Ok(list) => view! {
                            <ul class="record-list">
                                {list.items.into_iter().map(|v| {
                                    let picked = (v.code.clone(), v.name.clone());
                                    let recorded = v.needs.clone();
                                    let class = v.priority_class;
                                    let summary = v.needs.clone();
                                    let summary = move || match &summary {
                                        Some(n) => n.iter().map(|(k, w)| format!("{}{}", i18n.label(*k), w)).collect::<Vec<_>>().join(" "),
                                        None => i18n.t("pairing.no_needs"),
                                    };
                                    view! {
                                        <li class="record" data-testid="needs-village">
                                            <div class="record__head">
                                                <button type="button" class="link-button" on:click=move |_| {
                                                    selected.set(Some(picked.clone()));
                                                    needs.set(recorded.clone().unwrap_or_default().iter().map(|(n, w)| (n.as_str().to_owned(), *w)).collect());
                                                    priority.set(class);
                                                }><strong>{v.name.clone()}</strong></button>
                                                {v.priority_class.map(|c| view! { <span class="badge badge--priority">{move || i18n.label(c)}</span> })}
                                            </div>
                                            <div class="record__meta"><span>{v.township_name.clone()}</span><span>{summary}</span></div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <nav class="pager">
                                <button type="button" class="button" disabled=move || page.get() <= 1 on:click=move |_| page.update(|p| *p -= 1)>{i18n.t("common.prev")}</button>
                                <span class="pager__status">{move || page.get()}</span>
                                <button type="button" class="button" on:click=move |_| page.update(|p| *p += 1)>{i18n.t("common.next")}</button>
                            </nav>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || villages.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
            {move || selected.get().map(|(code, name)| {
                let target = code.clone();
                view! {
                    <form class="form" data-testid="needs-form" on:submit=move |ev| {
                        ev.prevent_default();
                        save.dispatch((target.clone(), VillageNeedsRequest { needs: needs.get_untracked(), priority_class: priority.get_untracked() }));
                    }>
                        <h3>{name}" "<code>{code}</code></h3>
                        {weights_form(needs)}
                        <label class="field"><span>{i18n.t("pairing.priority_class")}</span>
                            <select name="priority_class" on:change=move |ev| priority.set(PriorityClass::parse(&event_target_value(&ev)))>
                                <option value="" selected=move || priority.get().is_none()>{i18n.t("pairing.not_priority")}</option>
                                {PriorityClass::ALL.into_iter().map(|c| view! {
                                    <option value=c.as_str() selected=move || priority.get() == Some(c)>{move || i18n.label(c)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" class="button button--primary" disabled=move || save.pending().get()>{i18n.t("pairing.save")}</button>
                        {move || match save.value().get() {
                            Some(Ok(v)) => Some(view! { <p class="notice" role="status">{i18n.t_with("pairing.needs_saved", &[("name", v.name)])}</p> }.into_any()),
                            Some(Err(error)) => Some(view! { <ErrorNotice error on_retry=move || () /> }.into_any()),
                            None => None,
                        }}
                    </form>
                }
            })}
        </details>
    }
}

/// Run, list, map, breakdown, pin/forbid, compare and confirm; once confirmed, the agreements.
#[component]
fn Proposal(round: Round) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = round.id;
    // Open until a proposal is confirmed, here or before.
    let open = RwSignal::new(round.status == RoundStatus::Open);
    let current = RwSignal::new(None::<RunDetail>);
    let latest = LocalResource::new(move || async move {
        match api::list_runs(id).await?.first() {
            Some(run) => api::find_run(id, run.id).await.map(Some),
            None => Ok(None),
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(run)) = latest.get() {
            current.set(run);
        }
    });
    let selected = RwSignal::new(None::<ProposedPair>);
    let run = Action::new_local(move |_: &()| async move { api::run_round(id).await });
    Effect::new(move |_| {
        if let Some(Ok(detail)) = run.value().get() {
            selected.set(None);
            current.set(Some(detail));
        }
    });
    let comparison = Action::new_local(move |run_id: &i64| {
        let run_id = *run_id;
        async move { api::compare_runs(id, run_id).await }
    });
    let start = RwSignal::new("2026-03-01".to_owned());
    let end = RwSignal::new("2028-02-29".to_owned());
    let confirm = Action::new_local(move |(run_id, body): &(i64, ConfirmRunRequest)| {
        let (run_id, body) = (*run_id, *body);
        async move { api::confirm_run(id, run_id, &body).await }
    });
    let confirmed = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if let Some(Ok(_)) = confirm.value().get() {
            open.set(false);
            confirmed.update(|n| *n += 1);
        }
    });
    view! {
        <section class="panel" data-testid="proposal">
            <h2>{move || i18n.t("pairing.proposal_title")}</h2>
            <Show when=move || open.get()>
                <button type="button" class="button button--primary" data-testid="run" disabled=move || run.pending().get()
                    on:click=move |_| { run.dispatch(()); }>
                    {move || if run.pending().get() { i18n.t("pairing.running") } else { i18n.t("pairing.run") }}
                </button>
                <Show when=move || run.pending().get()>
                    <progress class="progress" data-testid="run-progress" aria-label=move || i18n.t("pairing.running")></progress>
                </Show>
            </Show>
            {move || match run.value().get() {
                Some(Err(error)) => Some(view! { <ErrorNotice error on_retry=move || () /> }),
                _ => None,
            }}
            {move || current.get().map(|detail| {
                let run_id = detail.run.id;
                let o = detail.run.objective;
                let summary = i18n.t_with("pairing.objective", &[
                    ("priority", o.priority_villages_covered.to_string()),
                    ("covered", o.villages_covered.to_string()),
                    ("villages", detail.run.input.villages.to_string()),
                    ("score", o.total_score.to_string()),
                ]);
                let pairs = detail.pairs.clone();
                let unpaired = detail.unpaired_villages.len();
                view! {
                    <p data-testid="objective">{format!("#{run_id} · {} · ", detail.run.run_by)}{summary}</p>
                    {(unpaired > 0).then(|| view! { <p class="hint">{i18n.t_with("pairing.unpaired", &[("count", unpaired.to_string())])}</p> })}
                    <PairingMap pairs=detail.pairs.clone() on_select=move |p| selected.set(Some(p)) />
                    <Breakdown round=id run=run_id selected open />
                    <ul class="record-list" data-testid="pairs">
                        {pairs.into_iter().map(|p| {
                            let chosen = p.clone();
                            view! {
                                <li class="record" data-testid="pair">
                                    <div class="record__head">
                                        <button type="button" class="link-button" on:click=move |_| selected.set(Some(chosen.clone()))>
                                            <strong>{p.organization_name.clone()}</strong>
                                        </button>
                                        <a href=village_path(&p.village_code)>{format!("{}（{}）", p.village_name, p.county_name)}</a>
                                    </div>
                                    <div class="record__meta">
                                        {p.priority.then(|| view! { <span class="badge badge--priority">{i18n.t("pairing.priority")}</span> })}
                                        {p.pinned.then(|| view! { <span class="badge">{i18n.t("pairing.pinned")}</span> })}
                                        <span>{format!("{} {}", i18n.t("pairing.score"), p.score)}</span>
                                        <span>{format!("{} km", p.distance_km)}</span>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <button type="button" class="button" data-testid="compare" on:click=move |_| { comparison.dispatch(run_id); }>{i18n.t("pairing.compare")}</button>
                    {move || comparison.value().get().map(|result| match result {
                        Ok(c) => view! {
                            <div class="panel" data-testid="comparison">
                                <p>{i18n.t_with("pairing.delta", &[
                                    ("from", c.from_run.to_string()), ("to", c.to_run.to_string()),
                                    ("priority", c.objective_delta.priority_villages_covered.to_string()),
                                    ("covered", c.objective_delta.villages_covered.to_string()),
                                    ("score", c.objective_delta.total_score.to_string()),
                                ])}</p>
                                <ul>{c.added.into_iter().map(|p| view! { <li class="added">{format!("＋ {} — {}", p.organization_name, p.village_name)}</li> }).collect_view()}</ul>
                                <ul>{c.removed.into_iter().map(|p| view! { <li class="removed">{format!("－ {} — {}", p.organization_name, p.village_name)}</li> }).collect_view()}</ul>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || () /> }.into_any(),
                    })}
                    <Show when=move || open.get() && session.has_role_untracked(BUREAU_ONLY)>
                        <form class="form" data-testid="confirm" on:submit=move |ev| {
                            ev.prevent_default();
                            let parse = |s: String| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
                            if let (Some(start_date), Some(end_date)) = (parse(start.get_untracked()), parse(end.get_untracked())) {
                                confirm.dispatch((run_id, ConfirmRunRequest { start_date, end_date }));
                            }
                        }>
                            <label class="field"><span>{i18n.t("pairing.start_date")}</span>
                                <input type="date" name="start_date" prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev)) /></label>
                            <label class="field"><span>{i18n.t("pairing.end_date")}</span>
                                <input type="date" name="end_date" prop:value=move || end.get() on:input=move |ev| end.set(event_target_value(&ev)) /></label>
                            <button type="submit" class="button button--primary" disabled=move || confirm.pending().get()>{i18n.t("pairing.confirm")}</button>
                        </form>
                    </Show>
                }
            })}
            {move || confirm.value().get().map(|result| match result {
                Ok(list) => view! { <p class="notice" role="status">{i18n.t_with("pairing.confirmed", &[("count", list.len().to_string())])}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error on_retry=move || () /> }.into_any(),
            })}
            <Show when=move || !open.get()>
                <Agreements round=id confirmed />
            </Show>
        </section>
    }
}

/// A confirmed round's agreements in the staff member's scope, each with its status, and the form that
/// concludes an active one (the day and the reason).
#[component]
fn Agreements(round: i64, confirmed: RwSignal<u32>) -> impl IntoView {
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
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match agreements.await {
                        Ok(list) => view! {
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
                                                            on.set(today_iso());
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
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || agreements.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Today by the browser's clock, as `YYYY-MM-DD` (chrono has no clock in this WebAssembly build).
fn today_iso() -> String {
    let now = web_sys::js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// The score breakdown of the selected pair, with pin and forbid.
#[component]
fn Breakdown(
    round: i64,
    run: i64,
    selected: RwSignal<Option<ProposedPair>>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let breakdown = LocalResource::new(move || {
        let pair = selected.get();
        async move {
            match pair {
                Some(p) => api::explain_pair(round, run, p.organization_id, &p.village_code)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });
    let steer = Action::new_local(move |body: &PairConstraint| {
        let body = body.clone();
        async move { api::set_constraint(round, &body).await }
    });
    let constrain = move |kind: Option<ConstraintKind>| {
        if let Some(p) = selected.get_untracked() {
            steer.dispatch(PairConstraint {
                organization_id: p.organization_id,
                village_code: p.village_code,
                kind,
            });
        }
    };
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match breakdown.await {
                    Ok(Some(b)) => {
                        let e = b.explanation;
                        view! {
                            <div class="panel" data-testid="breakdown">
                                <p>{b.text}</p>
                                <table class="terms">
                                    {e.matched.into_iter().map(|m| view! {
                                        <tr><th>{move || i18n.label(m.need)}</th><td>{format!("{} × {} = {}", m.need_weight, m.capability_weight, m.need_weight * m.capability_weight)}</td></tr>
                                    }).collect_view()}
                                    <tr><th>{move || i18n.t("pairing.fit")}</th><td>{e.pair.fit}</td></tr>
                                    <tr><th>{move || i18n.t("pairing.priority_bonus")}</th><td>{format!("+{}", e.pair.priority_bonus)}</td></tr>
                                    <tr><th>{move || i18n.t("pairing.distance")}</th><td>{format!("{} km", e.pair.distance_km)}</td></tr>
                                    <tr><th>{move || i18n.t("pairing.penalty")}</th><td>{format!("−{}", e.pair.distance_penalty)}</td></tr>
                                    <tr><th>{move || i18n.t("pairing.score")}</th><td><strong>{e.pair.score}</strong></td></tr>
                                </table>
                                <Show when=move || open.get()>
                                    <button type="button" class="button" data-testid="pin" on:click=move |_| constrain(Some(ConstraintKind::Pin))>{i18n.t("pairing.pin")}</button>
                                    <button type="button" class="button" data-testid="forbid" on:click=move |_| constrain(Some(ConstraintKind::Forbid))>{i18n.t("pairing.forbid")}</button>
                                    <button type="button" class="button" on:click=move |_| constrain(None)>{i18n.t("pairing.lift")}</button>
                                </Show>
                                {move || steer.value().get().map(|r| match r {
                                    Ok(list) => view! { <p class="notice" role="status">{i18n.t_with("pairing.steered", &[("count", list.len().to_string())])}</p> }.into_any(),
                                    Err(error) => view! { <ErrorNotice error on_retry=move || () /> }.into_any(),
                                })}
                            </div>
                        }.into_any()
                    }
                    Ok(None) => view! { <p class="hint">{i18n.t("pairing.select_hint")}</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error on_retry=move || () /> }.into_any(),
                }
            })}
        </Transition>
    }
}
