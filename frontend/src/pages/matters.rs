//! Registration matters: the staff queue (or an organization's own matters) with overdue and near-due
//! badges, one matter with its history and the next steps, and the filing form that checks as you type.

use domain::api::{
    FileMatterRequest, MatterDetail, MatterQuery, MatterSummary, ProfileChanges, ResubmitRequest,
};
use domain::matter::{ActionKind, DeadlineStatus, MatterAction, MatterKind, Party};
use domain::registration::check_application;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::use_i18n;
use crate::pages::organizations::{READERS, label};
use crate::routes::{Page, use_id_param};
use crate::session::use_session;

fn deadline_badge(status: Option<DeadlineStatus>) -> Option<(&'static str, &'static str)> {
    match status? {
        DeadlineStatus::Overdue => Some(("badge badge--danger", "matters.overdue")),
        DeadlineStatus::NearDue => Some(("badge badge--warn", "matters.near_due")),
        DeadlineStatus::OnTime => None,
    }
}

#[component]
pub fn MattersPage() -> impl IntoView {
    view! { <RequireAuth roles=READERS><MatterList /></RequireAuth> }
}

#[component]
fn MatterList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let matters = LocalResource::new(|| async move {
        api::list_matters(&MatterQuery {
            per_page: Some(100),
            ..Default::default()
        })
        .await
    });
    let is_staff = move || session.role().is_some_and(|r| r.is_staff());
    view! {
        <section class="page">
            <h1>{move || if is_staff() { i18n.t("matters.queue_title") } else { i18n.t("matters.mine_title") }}</h1>
            <p><A href=Page::NewMatter.path() attr:class="button button--primary">{move || i18n.t("matters.file")}</A></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match matters.await {
                        Ok(page) if page.items.is_empty() => view! { <p class="notice">{move || i18n.t("matters.empty")}</p> }.into_any(),
                        Ok(page) => view! {
                            <p class="count">{move || i18n.t_with("common.total", &[("total", page.total.to_string())])}</p>
                            <ul class="cards" data-testid="matters">{page.items.into_iter().map(matter_card).collect_view()}</ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || matters.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn matter_card(m: MatterSummary) -> impl IntoView {
    let i18n = use_i18n();
    let kind = m.kind;
    let state = m.state.clone();
    let channel = m.channel;
    let badge = deadline_badge(m.deadline);
    view! {
        <li class="card">
            <A href=Page::matter(m.id)><strong>{format!("#{} {}", m.id, m.organization_name)}</strong></A>
            <p>
                {move || label(i18n, kind.label_zh(), kind.label_en())} " · "
                {move || label(i18n, state.label_zh(), state.label_en())}
                {(channel == domain::matter::Channel::Green).then(|| view! { <span class="badge badge--ok">{move || label(i18n, channel.label_zh(), channel.label_en())}</span> })}
                {badge.map(|(class, key)| view! { <span class=class>{move || i18n.t(key)}</span> })}
            </p>
            {m.due_on.map(|due| view! { <p>{move || i18n.t_with("matters.due_on", &[("date", due.to_string())])}</p> })}
        </li>
    }
}

#[component]
pub fn MatterPage() -> impl IntoView {
    view! { <RequireAuth roles=READERS><MatterRecord /></RequireAuth> }
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
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(found) => view! { <MatterView detail=found on_change=move || detail.refetch() /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || detail.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
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
    let party = if session.role().is_some_and(|r| r.is_staff()) {
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
    let can_resubmit =
        steps.contains(&ActionKind::Submit) && matches!(state, domain::matter::MatterState::Returned { .. });
    let (items, set_items) = signal(String::new());
    let act = Action::new_local(move |action: &MatterAction| {
        let action = action.clone();
        async move { api::act_on_matter(id, &action).await }
    });
    let changes = detail.changes.clone();
    let note = detail.note.clone();
    let resubmit = Action::new_local(move |_: &()| {
        let body = ResubmitRequest {
            changes: changes.clone(),
            establishment: None,
            note: note.clone(),
        };
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
        domain::matter::MatterState::Returned { missing } => Some(missing.join("、")),
        domain::matter::MatterState::Rejected { reasons } => Some(reasons.join("；")),
        _ => None,
    };
    view! {
        <h1>{format!("#{id} {}", m.organization_name)}</h1>
        <p class="lead" data-testid="matter-state">
            {move || label(i18n, kind.label_zh(), kind.label_en())} " · "
            {move || label(i18n, state.label_zh(), state.label_en())}
            {badge.map(|(class, key)| view! { <span class=class>{move || i18n.t(key)}</span> })}
        </p>
        {missing_text.map(|t| view! { <p class="notice">{t}</p> })}
        {m.due_on.map(|due| view! { <p data-testid="matter-due">{move || i18n.t_with("matters.due_on", &[("date", due.to_string())])}</p> })}
        {detail.decision.map(|d| view! { <p class="notice notice--ok"><strong>{d.document_number}</strong>" "{d.content}</p> })}
        <p>{detail.note}</p>
        {error}
        <Show when=move || !staff_steps.is_empty()>
            <label class="field">
                <span>{move || i18n.t("matters.items")}</span>
                <textarea rows="3" prop:value=items on:input=move |ev| set_items.set(event_target_value(&ev))></textarea>
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
                        {move || label(i18n, step.label_zh(), step.label_en())}
                    </button>
                }
            }).collect_view()}
            <Show when=move || can_resubmit>
                <button type="button" class="button button--primary" on:click=move |_| { resubmit.dispatch(()); }>
                    {move || i18n.t("matters.resubmit")}
                </button>
            </Show>
        </div>
        <h2>{move || i18n.t("registry.timeline")}</h2>
        <ol class="timeline">
            {detail.history.into_iter().map(|e| view! {
                <li><time>{crate::format::format_time(e.at)}</time>" "{e.summary}" — "{e.actor_name}</li>
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn NewMatterPage() -> impl IntoView {
    view! { <RequireAuth roles=READERS><FilingForm /></RequireAuth> }
}

/// The filing form: every field is checked as it is typed, with the rules the server applies.
#[component]
fn FilingForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let (kind, set_kind) = signal(MatterKind::Change);
    let (organization, set_organization) = signal(String::new());
    let (changes, set_changes) = signal(ProfileChanges::default());
    let (note, set_note) = signal(String::new());
    let request = move || FileMatterRequest {
        kind: kind.get(),
        organization_id: match session.user().map(|u| u.scope) {
            Some(domain::auth::Scope::Organization { id, .. }) => Some(id),
            _ => organization.get().trim().parse().ok(),
        },
        changes: changes.get(),
        establishment: None,
        note: note.get(),
    };
    let problems = Memo::new(move |_| check_application(&request()).err().unwrap_or_default());
    let message_for = move |field: &'static str| {
        move || {
            problems
                .get()
                .into_iter()
                .find(|p| p.field == field)
                .map(|p| view! { <small class="field__error">{p.message}</small> })
        }
    };
    let file = Action::new_local(move |body: &FileMatterRequest| {
        let body = body.clone();
        async move { api::file_matter(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(detail)) = file.value().get() {
            navigate(&Page::matter(detail.matter.id), Default::default());
        }
    });
    macro_rules! text_field {
        ($field:ident, $key:literal, $wire:literal) => {
            view! {
                <label class="field">
                    <span>{move || i18n.t($key)}</span>
                    <input name=$wire prop:value=move || changes.get().$field.unwrap_or_default()
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            set_changes.update(|c| c.$field = (!value.trim().is_empty()).then_some(value));
                        } />
                    {message_for($wire)}
                </label>
            }
        };
    }
    let is_staff = move || session.role().is_some_and(|r| r.is_staff());
    view! {
        <section class="page">
            <h1>{move || i18n.t("matters.file")}</h1>
            <form class="form" on:submit=move |ev| {
                ev.prevent_default();
                if problems.get_untracked().is_empty() {
                    file.dispatch(request());
                }
            }>
                <label class="field">
                    <span>{move || i18n.t("matters.kind")}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Ok(k) = MatterKind::parse(&event_target_value(&ev)) { set_kind.set(k); }
                    }>
                        {[MatterKind::Change, MatterKind::ReElection, MatterKind::Filing, MatterKind::Deregistration]
                            .into_iter()
                            .map(|k| view! { <option value=k.key() selected=move || kind.get() == k>{move || label(i18n, k.label_zh(), k.label_en())}</option> })
                            .collect_view()}
                    </select>
                </label>
                <Show when=is_staff>
                    <label class="field">
                        <span>{move || i18n.t("matters.organization_id")}</span>
                        <input name="organization_id" inputmode="numeric" prop:value=organization
                            on:input=move |ev| set_organization.set(event_target_value(&ev)) />
                        {message_for("organization_id")}
                    </label>
                </Show>
                {text_field!(name, "registry.col.name", "changes.name")}
                {text_field!(domicile, "registry.domicile", "changes.domicile")}
                {text_field!(legal_representative, "registry.legal_representative", "changes.legal_representative")}
                {text_field!(business_scope, "registry.business_scope", "changes.business_scope")}
                {text_field!(registered_funds, "registry.registered_funds", "changes.registered_funds")}
                {text_field!(contact_phone, "registry.contact_phone", "changes.contact_phone")}
                {message_for("changes")}
                <label class="field">
                    <span>{move || i18n.t("matters.note")}</span>
                    <textarea name="note" rows="3" prop:value=note on:input=move |ev| set_note.set(event_target_value(&ev))></textarea>
                    {message_for("note")}
                </label>
                {move || file.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
                <button type="submit" class="button button--primary" disabled=move || !problems.get().is_empty()>
                    {move || i18n.t("matters.submit")}
                </button>
            </form>
        </section>
    }
}
