//! The proposal: run the engine (with progress), read the pairs as a list and on the map, open a pair's
//! score breakdown, pin or forbid it, compare with the run before; a bureau administrator confirms.

use domain::api::{ConfirmRunRequest, ConstraintKind, PairConstraint, ProposedPair, Round, RunDetail};
use domain::pairing::round::RoundStatus;
use domain::policy::BUREAU_ONLY;
use leptos::prelude::*;

use super::agreements::Agreements;
use crate::api;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::components::pairing_map::PairingMap;
use crate::i18n::use_i18n;
use crate::routes::village_path;
use crate::session::use_session;

/// Run, list, map, breakdown, pin/forbid, compare and confirm; once confirmed, the agreements.
#[component]
pub(super) fn Proposal(round: Round) -> impl IntoView {
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
        <Async resource=breakdown let:found>
            {match found {
                Some(b) => {
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
                None => view! { <p class="hint">{i18n.t("pairing.select_hint")}</p> }.into_any(),
            }}
        </Async>
    }
}
