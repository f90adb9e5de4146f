//! Staff: one petition, the petitioner masked — its dates against the time limits, the steps taken, and
//! the form for the next one: accept or decline, extend once with a reason, reply in writing, close (销号)
//! with the petitioner's satisfaction. The server refuses a close without a written reply; its Chinese
//! message is shown as it is. The bureau may read the petitioner in full on an explicit tap (audited).

use domain::api::{Petition, PetitionStep, PetitionerFull};
use domain::petitions::{PetitionStage, Satisfaction};
use domain::policy::{BUREAU_ONLY, STAFF};
use leptos::prelude::*;

use super::deadline_badge;
use super::raised::RaisedCases;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::today;
use crate::i18n::use_i18n;
use crate::routes::{Page, use_id_param};
use crate::session::use_session;

type Step = Action<PetitionStep, api::Result<Petition>>;
type Full = Action<(), api::Result<PetitionerFull>>;

#[component]
pub fn PetitionPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let petition = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_petition(id).await }
    });
    let step: Step = Action::new_local(move |step: &PetitionStep| {
        let (step, id) = (step.clone(), id.get_untracked());
        async move { api::step_petition(id, &step).await }
    });
    Effect::new(move |_| {
        if step.value().get().is_some_and(|r| r.is_ok()) {
            petition.refetch();
        }
    });
    let full: Full = Action::new_local(move |_: &()| {
        let id = id.get_untracked();
        async move { api::full_petitioner(id).await }
    });
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <p><a href=Page::Petitions.path()>{move || i18n.t("petitions.back_to_list")}</a></p>
                <Async resource=petition let:p>
                    <PetitionFacts petition=p.clone() full />
                    {matches!(p.stage, PetitionStage::Received | PetitionStage::Accepted | PetitionStage::Replied)
                        .then(|| view! { <StepForm petition=p.clone() step /> })}
                    <RaisedCases petition=p />
                </Async>
            </section>
        </RequireAuth>
    }
}

#[component]
fn PetitionFacts(petition: Petition, full: Full) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let p = petition;
    let row =
        move |key: &'static str, value: String| view! { <dt>{move || i18n.t(key)}</dt><dd>{value}</dd> };
    let date =
        move |key: &'static str, value: Option<chrono::NaiveDate>| value.map(|v| row(key, v.to_string()));
    let text = move |key: &'static str, value: Option<String>| value.map(|v| row(key, v));
    let is_admin = session.has_role_untracked(BUREAU_ONLY);
    view! {
        <h1>{move || i18n.t_with("petitions.petition_n", &[("id", p.id.to_string())])}</h1>
        <p class="lead">
            <span class="badge" data-testid="petition-stage">{move || i18n.label(p.stage)}</span>" "
            {deadline_badge(p.deadline)}" "
            {move || i18n.label(p.channel)}
        </p>
        <dl class="facts" data-testid="petition">
            {row("petitions.name", p.petitioner_name.clone())}
            {row("petitions.phone", p.petitioner_phone.clone())}
            {(!p.petitioner_id_number.is_empty()).then(|| row("petitions.id_number", p.petitioner_id_number.clone()))}
            {row("petitions.matter", p.matter.clone())}
            {text("petitions.organization", p.organization_name.clone())}
            {row("petitions.division", p.division_code.clone())}
            {date("petitions.received_on", Some(p.received_on))}
            {date("petitions.acceptance_due", Some(p.acceptance_due))}
            {date("petitions.accepted_on", p.accepted_on)}
            {date("petitions.handling_due", p.handling_due)}
            {(p.extension_days > 0).then(|| row("petitions.extension", i18n.t_with("petitions.extension_days", &[("days", p.extension_days.to_string())])))}
            {text("petitions.extension_reason", p.extension_reason.clone())}
            {text("petitions.decline_reason", p.decline_reason.clone())}
            {date("petitions.replied_on", p.replied_on)}
            {text("petitions.reply", p.reply.clone())}
            {date("petitions.closed_on", p.closed_on)}
            {p.satisfaction.map(|s| view! { <dt>{move || i18n.t("petitions.satisfaction")}</dt><dd>{move || i18n.label(s)}</dd> })}
            {text("petitions.close_note", p.close_note.clone())}
        </dl>
        {is_admin.then(|| view! {
            <button type="button" class="button" data-testid="view-petitioner" on:click=move |_| { full.dispatch(()); }>
                {move || i18n.t("petitions.view_full")}
            </button>
            <p class="field__hint">{move || i18n.t("petitions.view_full_audited")}</p>
            {move || full.value().get().map(|answer| match answer {
                Ok(f) => view! {
                    <dl class="facts" data-testid="petitioner-full">
                        <dt>{move || i18n.t("petitions.name")}</dt><dd>{f.name}</dd>
                        <dt>{move || i18n.t("petitions.phone")}</dt><dd>{f.phone}</dd>
                        <dt>{move || i18n.t("petitions.id_number")}</dt><dd>{f.id_number}</dd>
                    </dl>
                }.into_any(),
                Err(e) => view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> }.into_any(),
            })}
        })}
    }
}

/// The actions a stage offers. While handled, closing is offered too: the server says why it must wait
/// for the written reply.
fn actions(p: &Petition) -> Vec<&'static str> {
    match p.stage {
        PetitionStage::Received => vec!["accept", "decline"],
        PetitionStage::Accepted if p.extension_days == 0 => vec!["reply", "extend", "close"],
        PetitionStage::Accepted => vec!["reply", "close"],
        _ => vec!["close"],
    }
}

#[component]
fn StepForm(petition: Petition, step: Step) -> impl IntoView {
    let i18n = use_i18n();
    let actions = actions(&petition);
    let action = RwSignal::new(actions[0]);
    let choices = actions.clone();
    let on = RwSignal::new(today().to_string());
    let text = RwSignal::new(String::new());
    let days = RwSignal::new("30".to_owned());
    let satisfaction = RwSignal::new(Satisfaction::Satisfied);
    let submit = move || {
        let on = on.get_untracked().parse().unwrap_or_else(|_| today());
        let text = text.get_untracked();
        step.dispatch(match action.get_untracked() {
            "accept" => PetitionStep::Accept { on },
            "decline" => PetitionStep::Decline { on, reason: text },
            "extend" => PetitionStep::Extend {
                days: days.get_untracked().trim().parse().unwrap_or(0),
                reason: text,
            },
            "reply" => PetitionStep::Reply { on, reply: text },
            _ => PetitionStep::Close {
                on,
                satisfaction: satisfaction.get_untracked(),
                note: text,
            },
        });
    };
    let shows = move |wanted: &'static [&'static str]| move || wanted.contains(&action.get());
    view! {
        <h2>{move || i18n.t("petitions.next_step")}</h2>
        <form class="stack" data-testid="petition-step" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <label class="field">
                <span>{move || i18n.t("petitions.action")}</span>
                <select name="action" prop:value=move || action.get() on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(a) = choices.iter().find(|a| **a == chosen) { action.set(*a) }
                }>
                    {actions.iter().map(|a| {
                        let key = format!("petitions.action.{a}");
                        view! { <option value=*a>{move || i18n.t(&key)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <Show when=shows(&["accept", "decline", "reply", "close"])>
                <label class="field">
                    <span>{move || i18n.t("enforcement.on")}</span>
                    <input type="date" name="on" prop:value=on on:input=move |ev| on.set(event_target_value(&ev)) />
                </label>
            </Show>
            <Show when=shows(&["extend"])>
                <label class="field">
                    <span>{move || i18n.t("petitions.extend_days")}</span>
                    <input type="number" inputmode="numeric" name="days" min="1" max="30" prop:value=days on:input=move |ev| days.set(event_target_value(&ev)) />
                </label>
            </Show>
            <Show when=shows(&["close"])>
                <label class="field">
                    <span>{move || i18n.t("petitions.satisfaction")}</span>
                    <select name="satisfaction" on:change=move |ev| {
                        if let Some(s) = Satisfaction::parse(&event_target_value(&ev)) { satisfaction.set(s) }
                    }>
                        {Satisfaction::ALL.into_iter().map(|s| view! { <option value=s.key()>{move || i18n.label(s)}</option> }).collect_view()}
                    </select>
                </label>
            </Show>
            <Show when=shows(&["decline", "extend", "reply", "close"])>
                <label class="field">
                    <span>{move || i18n.t(&format!("petitions.text.{}", action.get()))}</span>
                    <textarea name="text" rows="4" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            </Show>
            {move || step.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert" data-testid="step-error">{e.message(&i18n)}</p> })}
            <button type="submit" class="button button--primary" data-testid="take-step" disabled=move || step.pending().get()>
                {move || i18n.t("petitions.take_step")}
            </button>
        </form>
    }
}
