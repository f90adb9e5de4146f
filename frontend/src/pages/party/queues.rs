//! What waits for staff: applications to set up a party organization (approve, refuse with a reason, or
//! file a new one) and organizations' own updates (confirm, or return with a reason).

use domain::api::{
    ApprovalDecisionRequest, ApprovalQuery, NewApprovalRequest, PartyOrgRef, PartyRecordQuery,
    RecordDecisionRequest,
};
use domain::party::{ApprovalStatus, PartyOrgKind};
use leptos::prelude::*;

use super::{OrgPicker, kind_badge};
use crate::api;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::{I18n, use_i18n};
use crate::routes::Page;

/// Asks why; `None` when cancelled.
fn ask_reason(i18n: I18n, key: &str) -> Option<String> {
    web_sys::window().and_then(|w| w.prompt_with_message(&i18n.t(key)).ok().flatten())
}

#[component]
pub(super) fn ApprovalQueue(decided: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let pending = LocalResource::new(|| {
        let query = ApprovalQuery {
            status: Some(ApprovalStatus::Pending.key().to_owned()),
            ..Default::default()
        };
        async move { api::list_party_approvals(&query).await }
    });
    let decide = Action::new_local(move |(id, body): &(i64, ApprovalDecisionRequest)| {
        let (id, body) = (*id, body.clone());
        async move { api::decide_party_approval(id, &body).await }
    });
    Effect::new(move |_| {
        if decide.value().get().is_some() {
            pending.refetch();
            decided.update(|n| *n += 1);
        }
    });
    view! {
        <h2>{move || i18n.t("party.pending_approvals")}</h2>
        <NewApprovalForm on_filed=move || pending.refetch() />
        {move || decide.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
        <Async resource=pending let:page>
            <ul class="record-list" data-testid="pending-approvals">
                {page.items.into_iter().map(|a| {
                    let id = a.id;
                    let today = crate::format::today();
                    view! {
                        <li class="record" data-testid="pending-approval">
                            <div class="record__head">
                                <a href=Page::party_organization(a.organization_id)><strong>{a.organization_name.clone()}</strong></a>
                                {kind_badge(a.kind)}
                            </div>
                            <div class="record__meta">
                                <span>{i18n.t_with("party.applied_on", &[("on", a.applied_on.to_string())])}</span>
                                <span>{i18n.t_with("party.members_count", &[("count", a.members.to_string())])}</span>
                                <span>{a.approving_body.clone()}</span>
                            </div>
                            <div class="record__actions">
                                <button type="button" class="button button--primary" data-testid="approve"
                                    on:click=move |_| { decide.dispatch((id, ApprovalDecisionRequest { approve: true, decided_on: today, note: None })); }>
                                    {i18n.t("party.approve")}
                                </button>
                                <button type="button" class="button" on:click=move |_| {
                                    if let Some(note) = ask_reason(i18n, "party.refuse_reason") {
                                        decide.dispatch((id, ApprovalDecisionRequest { approve: false, decided_on: today, note: Some(note) }));
                                    }
                                }>{i18n.t("party.refuse")}</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Async>
    }
}

/// Files an application an organization handed in.
#[component]
fn NewApprovalForm(#[prop(into)] on_filed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let org = RwSignal::new(None::<PartyOrgRef>);
    let kind = RwSignal::new(PartyOrgKind::Functional);
    let members = RwSignal::new(String::from("1"));
    let body = RwSignal::new(i18n.t("party.default_body"));
    let file = Action::new_local(move |request: &NewApprovalRequest| {
        let request = request.clone();
        async move { api::create_party_approval(&request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = file.value().get() {
            org.set(None);
            on_filed.run(());
        }
    });
    view! {
        <details class="panel">
            <summary>{move || i18n.t("party.file_application")}</summary>
            <form class="form" data-testid="file-application" on:submit=move |ev| {
                ev.prevent_default();
                file.dispatch(NewApprovalRequest {
                    organization_id: org.get_untracked().map_or(0, |o| o.id),
                    kind: kind.get_untracked(),
                    members: members.get_untracked().trim().parse().unwrap_or(u32::MAX),
                    joint_with: Vec::new(),
                    applied_on: crate::format::today(),
                    approving_body: body.get_untracked(),
                });
            }>
                <OrgPicker on_pick=move |picked| org.set(Some(picked)) testid="application-organization" />
                <p>{move || org.get().map_or_else(|| i18n.t("party.no_organization"), |o| o.name)}</p>
                <label class="field">
                    <span>{move || i18n.t("party.kind")}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Some(k) = PartyOrgKind::parse(&event_target_value(&ev)) { kind.set(k) }
                    }>
                        {[PartyOrgKind::Functional, PartyOrgKind::Entity].into_iter().map(|k| view! {
                            <option value=k.key() selected=move || kind.get() == k>{move || i18n.label(k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("party.members")}</span>
                    <input type="number" inputmode="numeric" name="members" prop:value=move || members.get()
                        on:input=move |ev| members.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("party.approving_body")}</span>
                    <input name="approving_body" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button button--primary" disabled=move || file.pending().get()>{move || i18n.t("party.file")}</button>
                {move || file.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
            </form>
        </details>
    }
}

/// Organizations' own updates waiting for staff.
#[component]
pub(super) fn RecordQueue(decided: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let pending =
        LocalResource::new(|| async { api::list_party_records(&PartyRecordQuery::default()).await });
    let decide = Action::new_local(move |(id, body): &(i64, RecordDecisionRequest)| {
        let (id, body) = (*id, body.clone());
        async move { api::decide_party_record(id, &body).await }
    });
    Effect::new(move |_| {
        if decide.value().get().is_some() {
            pending.refetch();
            decided.update(|n| *n += 1);
        }
    });
    view! {
        <h2>{move || i18n.t("party.pending_records")}</h2>
        {move || decide.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
        <Async resource=pending let:page>
            <ul class="record-list" data-testid="pending-records">
                {page.items.into_iter().map(|r| {
                    let id = r.id;
                    view! {
                        <li class="record">
                            <div class="record__head">
                                <a href=Page::party_organization(r.organization_id)><strong>{r.organization_name.clone()}</strong></a>
                                {kind_badge(r.info.kind)}
                            </div>
                            <div class="record__meta">
                                <span>{i18n.t_with("party.effective_on", &[("on", r.effective_on.to_string())])}</span>
                                <span>{i18n.t_with("party.members_count", &[("count", r.info.members.to_string())])}</span>
                            </div>
                            <div class="record__actions">
                                <button type="button" class="button button--primary"
                                    on:click=move |_| { decide.dispatch((id, RecordDecisionRequest { confirm: true, note: None })); }>
                                    {i18n.t("party.confirm")}
                                </button>
                                <button type="button" class="button" on:click=move |_| {
                                    if let Some(note) = ask_reason(i18n, "party.return_reason") {
                                        decide.dispatch((id, RecordDecisionRequest { confirm: false, note: Some(note) }));
                                    }
                                }>{i18n.t("party.return")}</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Async>
    }
}
