//! Staff: one penalty case — the facts, the notice of intended penalty, the organization's statement, its
//! hearing request and the hearing, then the decision (kinds, the fine typed in 元 and sent in fen, its
//! document number) or the case dropped; and the form for the next step.

use domain::api::{PenaltyCase, PenaltyDecisionInput, PenaltyStep};
use domain::money::Fen;
use domain::penalties::{PenaltyKind, PenaltyStage};
use domain::policy::STAFF;
use leptos::prelude::*;

use super::stage_badge;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::today;
use crate::i18n::use_i18n;
use crate::routes::{Page, use_id_param};

type Step = Action<PenaltyStep, api::Result<PenaltyCase>>;

#[component]
pub fn PenaltyPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let case = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_penalty(id).await }
    });
    let step: Step = Action::new_local(move |step: &PenaltyStep| {
        let (step, id) = (step.clone(), id.get_untracked());
        async move { api::step_penalty(id, &step).await }
    });
    Effect::new(move |_| {
        if step.value().get().is_some_and(|r| r.is_ok()) {
            case.refetch();
        }
    });
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <p><a href=Page::Penalties.path()>{move || i18n.t("penalties.back_to_list")}</a></p>
                <Async resource=case let:c>
                    <CaseFacts case=c.clone() />
                    {matches!(c.stage, PenaltyStage::Filed | PenaltyStage::Noticed).then(|| view! { <StepForm case=c step /> })}
                </Async>
            </section>
        </RequireAuth>
    }
}

#[component]
fn CaseFacts(case: PenaltyCase) -> impl IntoView {
    let i18n = use_i18n();
    let c = case;
    let row =
        move |key: &'static str, value: String| view! { <dt>{move || i18n.t(key)}</dt><dd>{value}</dd> };
    let dated = move |key: &'static str, on: Option<chrono::NaiveDate>, text: Option<String>| {
        on.map(|on| {
            row(
                key,
                format!("{on} {}", text.unwrap_or_default()).trim().to_owned(),
            )
        })
    };
    let proposed = c.proposed.clone();
    view! {
        <h1>{move || i18n.t_with("penalties.case_n", &[("id", c.id.to_string())])}</h1>
        <p class="lead">
            {stage_badge(c.stage)}" "
            <a href=Page::organization(c.organization_id)>{c.organization_name.clone()}</a>
        </p>
        {c.petition_id.map(|id| view! {
            <p><a href=Page::petition(id) data-testid="case-petition">{move || i18n.t_with("penalties.source_petition", &[("id", id.to_string())])}</a></p>
        })}
        <dl class="facts" data-testid="penalty-case">
            {row("penalties.credit_code", c.credit_code.clone())}
            {row("penalties.filed_on", c.filed_on.to_string())}
            {row("penalties.facts", c.facts.clone())}
            {row("penalties.evidence", c.evidence.clone())}
            {row("penalties.rule_broken", c.rule_broken.clone())}
            {dated("penalties.notified_on", c.notified_on, c.notice.clone())}
            {(!proposed.is_empty()).then(|| view! { <dt>{move || i18n.t("penalties.proposed")}</dt><dd>{move || i18n.labels(&proposed)}</dd> })}
            {dated("penalties.statement", c.statement_on, c.statement.clone())}
            {dated("penalties.hearing_requested_on", c.hearing_requested_on, None)}
            {dated("penalties.hearing", c.hearing_held_on, c.hearing_record.clone())}
            {c.drop_reason.clone().map(|r| row("penalties.drop_reason", r))}
        </dl>
        {c.decision.map(|d| {
            let kinds = d.kinds.clone();
            view! {
                <h2>{move || i18n.t("penalties.decision")}</h2>
                <dl class="facts" data-testid="penalty-decision">
                    {row("penalties.document_number", d.document_number.clone())}
                    {row("penalties.decided_on", d.decided_on.to_string())}
                    <dt>{move || i18n.t("penalties.kinds")}</dt><dd>{move || i18n.labels(&kinds)}</dd>
                    {d.fine_fen.map(|f| row("penalties.fine", f.format_yuan()))}
                    {d.confiscated_fen.map(|f| row("penalties.confiscated", f.format_yuan()))}
                    {d.suspend_until.map(|u| row("penalties.suspend_until", u.to_string()))}
                    {row("penalties.content", d.content.clone())}
                </dl>
            }
        })}
    }
}

/// The steps a stage offers: the notice or a drop once filed; after the notice, the statement, the hearing
/// request and the hearing, the decision or a drop.
fn actions(c: &PenaltyCase) -> Vec<&'static str> {
    match c.stage {
        PenaltyStage::Filed => vec!["notify", "drop"],
        _ if c.hearing_requested_on.is_some() && c.hearing_held_on.is_none() => {
            vec!["hold_hearing", "statement", "drop"]
        }
        _ if c.hearing_requested_on.is_none() => vec!["statement", "request_hearing", "decide", "drop"],
        _ => vec!["decide", "statement", "drop"],
    }
}

#[component]
fn StepForm(case: PenaltyCase, step: Step) -> impl IntoView {
    let i18n = use_i18n();
    let actions = actions(&case);
    let action = RwSignal::new(actions[0]);
    let choices = actions.clone();
    let on = RwSignal::new(today().to_string());
    let text = RwSignal::new(String::new());
    let kinds = RwSignal::new(case.proposed.clone());
    let fine = RwSignal::new(String::new());
    let confiscated = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let bad_amount = RwSignal::new(false);
    let amount = move |signal: RwSignal<String>| -> Result<Option<Fen>, ()> {
        match signal.get_untracked().trim() {
            "" => Ok(None),
            raw => Fen::from_yuan_str(raw).map(Some).map_err(|_| ()),
        }
    };
    let submit = move || {
        let on = on.get_untracked().parse().unwrap_or_else(|_| today());
        let text = text.get_untracked();
        let next = match action.get_untracked() {
            "notify" => PenaltyStep::Notify {
                on,
                proposed: kinds.get_untracked(),
                content: text,
            },
            "statement" => PenaltyStep::Statement { on, opinion: text },
            "request_hearing" => PenaltyStep::RequestHearing { on },
            "hold_hearing" => PenaltyStep::HoldHearing { on, record: text },
            "decide" => {
                let (Ok(fine_fen), Ok(confiscated_fen)) = (amount(fine), amount(confiscated)) else {
                    bad_amount.set(true);
                    return;
                };
                PenaltyStep::Decide(PenaltyDecisionInput {
                    on,
                    kinds: kinds.get_untracked(),
                    fine_fen,
                    confiscated_fen,
                    suspend_until: until.get_untracked().parse().ok(),
                    content: text,
                })
            }
            _ => PenaltyStep::Drop { on, reason: text },
        };
        bad_amount.set(false);
        step.dispatch(next);
    };
    let shows = move |wanted: &'static [&'static str]| move || wanted.contains(&action.get());
    view! {
        <h2>{move || i18n.t("penalties.next_step")}</h2>
        <form class="stack" data-testid="penalty-step" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <label class="field">
                <span>{move || i18n.t("penalties.action")}</span>
                <select name="action" on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(a) = choices.iter().find(|a| **a == chosen) { action.set(*a) }
                }>
                    {actions.iter().map(|a| {
                        let key = format!("penalties.action.{a}");
                        view! { <option value=*a>{move || i18n.t(&key)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t("enforcement.on")}</span>
                <input type="date" name="on" prop:value=on on:input=move |ev| on.set(event_target_value(&ev)) />
            </label>
            <Show when=shows(&["notify", "decide"])>
                <fieldset class="choices">
                    <legend>{move || i18n.t("penalties.kinds")}</legend>
                    {PenaltyKind::ALL.into_iter().map(|k| view! {
                        <label class="choice">
                            <input type="checkbox" name="kinds" value=k.key() prop:checked=move || kinds.with(|list| list.contains(&k))
                                on:change=move |ev| {
                                    let checked = event_target_checked(&ev);
                                    kinds.update(|list| { list.retain(|x| *x != k); if checked { list.push(k) } });
                                } />
                            {move || i18n.label(k)}
                        </label>
                    }).collect_view()}
                </fieldset>
            </Show>
            <Show when=move || action.get() == "decide" && kinds.with(|k| k.contains(&PenaltyKind::Fine))>
                <label class="field">
                    <span>{move || i18n.t("penalties.fine_yuan")}</span>
                    <input name="fine" inputmode="decimal" prop:value=fine on:input=move |ev| fine.set(event_target_value(&ev)) />
                </label>
            </Show>
            <Show when=move || action.get() == "decide" && kinds.with(|k| k.contains(&PenaltyKind::Confiscation))>
                <label class="field">
                    <span>{move || i18n.t("penalties.confiscated_yuan")}</span>
                    <input name="confiscated" inputmode="decimal" prop:value=confiscated on:input=move |ev| confiscated.set(event_target_value(&ev)) />
                </label>
            </Show>
            <Show when=move || action.get() == "decide" && kinds.with(|k| k.contains(&PenaltyKind::Suspension))>
                <label class="field">
                    <span>{move || i18n.t("penalties.suspend_until")}</span>
                    <input type="date" name="suspend_until" prop:value=until on:input=move |ev| until.set(event_target_value(&ev)) />
                </label>
            </Show>
            <Show when=shows(&["notify", "statement", "hold_hearing", "decide", "drop"])>
                <label class="field">
                    <span>{move || i18n.t(&format!("penalties.text.{}", action.get()))}</span>
                    <textarea name="text" rows="4" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            </Show>
            {move || bad_amount.get().then(|| view! { <p class="field__error">{move || i18n.t("penalties.bad_amount")}</p> })}
            {move || step.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert" data-testid="step-error">{e.message(&i18n)}</p> })}
            <button type="submit" class="button button--primary" data-testid="take-step" disabled=move || step.pending().get()>
                {move || i18n.t("penalties.take_step")}
            </button>
        </form>
    }
}
