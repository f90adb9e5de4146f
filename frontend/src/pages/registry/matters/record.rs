//! One matter: its state, deadline and contents, the next steps for the party reading it, the
//! resubmission form once it is returned, and its history.

use domain::api::{MatterDetail, NewOrganizationInput, ProfileChanges, ResubmitRequest};
use domain::policy::STAFF_OR_ORG;
use domain::registry::matter::{ActionKind, MatterAction, Party};
use domain::registry::registration::check_application;
use leptos::prelude::*;

use super::application::{ApplicationFields, Draft};
use super::deadline_badge;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::use_id_param;
use crate::session::use_session;

#[component]
pub fn MatterPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><MatterRecord /></RequireAuth> }
}

#[component]
fn MatterRecord() -> impl IntoView {
    let id = use_id_param();
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_matter(id).await }
    });
    view! {
        <section class="page">
            <Async resource=detail let:found>
                <MatterView detail=found on_change=move || detail.refetch() />
            </Async>
        </section>
    }
}

#[component]
fn MatterView(detail: MatterDetail, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = detail.matter.id;
    let m = detail.matter;
    let (kind, state) = (m.kind, m.state.clone());
    let badge = deadline_badge(m.deadline);
    let party = if session.role_untracked().is_some_and(|r| r.is_staff()) {
        Party::Staff
    } else {
        Party::Applicant
    };
    let steps: Vec<ActionKind> = m
        .next_actions
        .iter()
        .copied()
        .filter(|a| a.party() == party)
        .collect();
    let staff_steps: Vec<ActionKind> = m
        .next_actions
        .iter()
        .copied()
        .filter(|a| a.party() == Party::Staff && party == Party::Staff)
        .collect();
    // Separation of duties: staff who filed or reviewed a matter under review are not offered its decision.
    let decided_by_another = party == Party::Staff
        && matches!(state, domain::registry::matter::MatterState::UnderReview)
        && staff_steps.is_empty();
    let can_resubmit = steps.contains(&ActionKind::Submit)
        && matches!(state, domain::registry::matter::MatterState::Returned { .. });
    let (items, set_items) = signal(String::new());
    let act = Action::new_local(move |action: &MatterAction| {
        let action = action.clone();
        async move { api::act_on_matter(id, &action).await }
    });
    // The resubmission form starts from what was filed; a masked phone number must be typed again.
    let draft = Draft::new(kind);
    draft.changes.set(ProfileChanges {
        contact_phone: detail.changes.contact_phone.clone().filter(|p| !p.contains('*')),
        ..detail.changes.clone()
    });
    if let Some(establishment) = detail.establishment.clone() {
        draft.establishment.set(establishment);
    }
    draft.note.set(detail.note.clone());
    let organization_id = m.organization_id;
    let problems = Memo::new(move |_| {
        check_application(&draft.request(organization_id))
            .err()
            .unwrap_or_default()
    });
    let resubmit = Action::new_local(move |body: &ResubmitRequest| {
        let body = body.clone();
        async move { api::resubmit_matter(id, &body).await }
    });
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) || matches!(resubmit.value().get(), Some(Ok(_))) {
            on_change.run(());
        }
    });
    let error = move || {
        let failed = act
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| resubmit.value().get().and_then(Result::err));
        failed.map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })
    };
    let lines = move || {
        items
            .get_untracked()
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let missing_text = match &state {
        domain::registry::matter::MatterState::Returned { missing } => {
            let items = missing.join("、");
            Some(Signal::derive(move || {
                i18n.t_with("matters.missing", &[("items", items.clone())])
            }))
        }
        domain::registry::matter::MatterState::Rejected { reasons } => {
            let reasons = reasons.join("；");
            Some(Signal::derive(move || reasons.clone()))
        }
        _ => None,
    };
    view! {
        <h1>{format!("#{id} {}", m.organization_name)}</h1>
        <p class="lead" data-testid="matter-state">
            {move || i18n.label(kind)} " · "
            {move || i18n.label(state.stage())}
            {badge.map(|(class, key)| view! { <span class=class>{move || i18n.t(key)}</span> })}
        </p>
        {missing_text.map(|t| view! { <p class="notice" data-testid="matter-missing">{t}</p> })}
        {m.due_on.map(|due| view! { <p data-testid="matter-due">{move || i18n.t_with("matters.due_on", &[("date", due.to_string())])}</p> })}
        {detail.decision.map(|d| view! { <p class="notice notice--ok"><strong>{d.document_number}</strong>" "{d.content}</p> })}
        <p data-testid="matter-note">{detail.note.clone()}</p>
        <MatterContents changes=detail.changes.clone() establishment=detail.establishment.clone() />
        {decided_by_another.then(|| view! { <p class="notice" data-testid="matter-duties">{move || i18n.t("matters.decided_by_another")}</p> })}
        {error}
        <Show when=move || !staff_steps.is_empty()>
            <label class="field">
                <span>{move || i18n.t("matters.items")}</span>
                <textarea name="items" rows="3" prop:value=items on:input=move |ev| set_items.set(event_target_value(&ev))></textarea>
            </label>
        </Show>
        <div class="actions">
            {steps.iter().copied().filter(|a| *a != ActionKind::Submit).map(|step| {
                let action = move || match step {
                    ActionKind::Accept => MatterAction::Accept,
                    ActionKind::Return => MatterAction::Return { missing: lines() },
                    ActionKind::StartReview => MatterAction::StartReview,
                    ActionKind::Approve => MatterAction::Approve,
                    ActionKind::Reject => MatterAction::Reject { reasons: lines() },
                    ActionKind::Submit => MatterAction::Submit,
                };
                view! {
                    <button type="button" class="button" data-testid=format!("action-{}", step.key())
                        on:click=move |_| { act.dispatch(action()); }>
                        {move || i18n.label(step)}
                    </button>
                }
            }).collect_view()}
        </div>
        <Show when=move || can_resubmit>
            <form class="stack" data-testid="resubmit-form" on:submit=move |ev| {
                ev.prevent_default();
                if problems.get_untracked().is_empty() {
                    let request = draft.request(organization_id);
                    resubmit.dispatch(ResubmitRequest {
                        changes: request.changes,
                        establishment: request.establishment,
                        note: request.note,
                    });
                }
            }>
                <h2>{move || i18n.t("matters.complete")}</h2>
                <ApplicationFields draft problems />
                <button type="submit" class="button button--primary" data-testid="resubmit"
                    disabled=move || !problems.get().is_empty() || resubmit.pending().get()>
                    {move || i18n.t("matters.resubmit")}
                </button>
            </form>
        </Show>
        <h2>{move || i18n.t("registry.timeline")}</h2>
        <ol class="timeline">
            {detail.history.into_iter().map(|e| view! {
                <li><time>{crate::format::format_time(e.at)}</time>" "{e.summary}" — "{e.actor_name}</li>
            }).collect_view()}
        </ol>
    }
}

/// What an application asks for, as filed: the fields it sets and, for a new organization, its
/// classification and registering authority.
#[component]
fn MatterContents(changes: ProfileChanges, establishment: Option<NewOrganizationInput>) -> impl IntoView {
    let i18n = use_i18n();
    let rows: Vec<(&'static str, String)> = [
        ("registry.col.name", changes.name),
        ("registry.domicile", changes.domicile),
        ("registry.legal_representative", changes.legal_representative),
        ("registry.business_scope", changes.business_scope),
        ("registry.registered_funds", changes.registered_funds),
        ("registry.contact_phone", changes.contact_phone),
        ("registry.supervisory_unit", changes.supervisory_unit),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.map(|v| (key, v)))
    .collect();
    let establishment = establishment.map(|e| {
        let kind = e.org_kind;
        let categories = e.categories.clone();
        view! {
            <dt>{move || i18n.t("registry.kind")}</dt><dd>{move || i18n.label(kind)}</dd>
            <dt>{move || i18n.t("registry.categories")}</dt><dd>{move || i18n.labels(&categories)}</dd>
            {e.emerging_industry.map(|industry| view! {
                <dt>{move || i18n.t("matters.emerging_industry")}</dt>
                <dd>{move || i18n.label(industry)}</dd>
            })}
            <dt>{move || i18n.t("matters.division")}</dt><dd>{e.division_code}</dd>
        }
    });
    view! {
        <dl class="facts" data-testid="matter-contents">
            {rows.into_iter().map(|(key, value)| view! { <dt>{move || i18n.t(key)}</dt><dd>{value}</dd> }).collect_view()}
            {establishment}
        </dl>
    }
}
