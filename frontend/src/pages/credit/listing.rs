//! One listing: the list, reason and event behind it, the written notice, the removal and objection with
//! their decisions, and the public explanation. The organization objects, applies for removal after
//! rectifying and writes or removes its explanation; staff decide the removal and the objection.

use domain::api::{
    CreditListing, ExplanationRequest, ObjectionDecisionRequest, ObjectionRequest, RemovalApplicationRequest,
    RemovalDecisionRequest,
};
use domain::credit::{ObjectionStatus, RemovalDecision};
use domain::policy::{ORG_USERS, STAFF, STAFF_OR_ORG};
use leptos::prelude::*;

use super::{list_badge, status_badges};
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::format_time;
use crate::i18n::use_i18n;
use crate::routes::{Page, use_id_param};
use crate::session::{STAFF_VIEWS, use_session};

/// What a form on the page sends.
#[derive(Debug, Clone, PartialEq)]
enum Request {
    Objection(String),
    Removal(String),
    Explanation(String),
    RemovalDecision(RemovalDecision, String),
    ObjectionDecision(ObjectionStatus, String),
}

async fn send(id: i64, request: Request) -> api::Result<CreditListing> {
    match request {
        Request::Objection(grounds) => api::file_objection(id, &ObjectionRequest { grounds }).await,
        Request::Removal(rectification) => {
            api::apply_for_removal(id, &RemovalApplicationRequest { rectification }).await
        }
        Request::Explanation(text) => api::set_explanation(id, &ExplanationRequest { text }).await,
        Request::RemovalDecision(decision, reasons) => {
            api::decide_removal(id, &RemovalDecisionRequest { decision, reasons }).await
        }
        Request::ObjectionDecision(decision, reasons) => {
            api::decide_objection(id, &ObjectionDecisionRequest { decision, reasons }).await
        }
    }
}

#[component]
pub fn ListingPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let listing = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_listing(id).await }
    });
    let act = Action::new_local(move |request: &Request| send(id.get_untracked(), request.clone()));
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            listing.refetch();
        }
    });
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            <section class="page">
                <p><a href=Page::CreditListings.path()>{move || i18n.t("credit.back")}</a></p>
                {move || act.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
                <Async resource=listing let:found>
                    <ListingView listing=found act />
                </Async>
            </section>
        </RequireAuth>
    }
}

#[component]
fn ListingView(listing: CreditListing, act: Action<Request, api::Result<CreditListing>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_org = session.has_role_untracked(ORG_USERS);
    let is_staff = STAFF_VIEWS && session.has_role_untracked(STAFF);
    let l = listing;
    let reason = l.reason;
    let event_kind = l.event_kind;
    let objection_open = l.objection.is_none();
    let removal_open = l
        .removal
        .as_ref()
        .is_none_or(|r| r.decision == Some(RemovalDecision::Refuse));
    let removal_undecided = l.removal.as_ref().is_some_and(|r| r.decision.is_none());
    let objection_pending = l
        .objection
        .as_ref()
        .is_some_and(|o| o.status == ObjectionStatus::Pending);
    let current = l.current;
    view! {
        <h1 data-testid="listing-organization">{l.organization_name.clone()}</h1>
        <p class="lead" data-testid="listing-state">{list_badge(i18n, l.list)}" "{status_badges(i18n, &l)}</p>
        <dl class="facts">
            <dt>{move || i18n.t("credit.reason")}</dt><dd>{move || i18n.label(reason)}</dd>
            <dt>{move || i18n.label(event_kind)}</dt><dd>{l.event_summary.clone()}</dd>
            <dt>{move || i18n.t("credit.decided_on")}</dt><dd>{l.decided_on.to_string()}</dd>
            <dt>{move || i18n.t("credit.notice_number")}</dt><dd>{l.notice_number.clone()}</dd>
            <dt>{move || i18n.t("credit.code")}</dt><dd><code>{l.credit_code.clone()}</code></dd>
            {l.ended_on.map(|on| view! { <dt>{move || i18n.t("credit.ended_on")}</dt><dd>{on.to_string()}</dd> })}
        </dl>
        {l.notice.clone().map(|notice| view! {
            <details class="fold" data-testid="listing-notice" open=is_org>
                <summary>{move || i18n.t("credit.notice")}</summary>
                <p class="prose">{notice}</p>
            </details>
        })}
        {l.removal.clone().map(|r| {
            let decision = r.decision;
            view! {
                <h2>{move || i18n.t("credit.removal")}</h2>
                <dl class="facts" data-testid="removal">
                    <dt>{move || i18n.t("credit.applied_on")}</dt><dd>{r.applied_on.to_string()}</dd>
                    <dt>{move || i18n.t("credit.rectification")}</dt><dd class="prose">{r.rectification.clone()}</dd>
                    <dt>{move || i18n.t("credit.decide_by")}</dt><dd>{r.decide_by.to_string()}</dd>
                    {decision.map(|d| view! { <dt>{move || i18n.t("credit.decision")}</dt><dd data-testid="removal-decision">{move || i18n.label(d)}</dd> })}
                    {r.reasons.clone().map(|reasons| view! { <dt>{move || i18n.t("credit.reasons")}</dt><dd>{reasons}</dd> })}
                </dl>
            }
        })}
        {l.objection.clone().map(|o| {
            let status = o.status;
            view! {
                <h2>{move || i18n.t("credit.objection")}</h2>
                <dl class="facts" data-testid="objection">
                    <dt>{move || i18n.t("credit.filed_at")}</dt><dd>{format_time(o.filed_at)}</dd>
                    <dt>{move || i18n.t("credit.grounds")}</dt><dd class="prose">{o.grounds.clone()}</dd>
                    <dt>{move || i18n.t("credit.state")}</dt><dd data-testid="objection-status">{move || i18n.label(status)}</dd>
                    {o.reasons.clone().map(|reasons| view! { <dt>{move || i18n.t("credit.reasons")}</dt><dd>{reasons}</dd> })}
                </dl>
            }
        })}
        <h2>{move || i18n.t("credit.explanation")}</h2>
        <p class="prose" data-testid="explanation">{l.explanation.clone().unwrap_or_else(|| i18n.t("credit.no_explanation"))}</p>
        {(is_org && current).then(|| view! {
            {objection_open.then(|| view! {
                <TextForm testid="objection-form" label="credit.grounds" button="credit.object" act
                    make=Request::Objection />
            })}
            {removal_open.then(|| view! {
                <TextForm testid="removal-form" label="credit.rectification" button="credit.apply_removal" act
                    make=Request::Removal />
            })}
            <TextForm testid="explanation-form" label="credit.explanation_text" button="credit.save_explanation" act
                initial=l.explanation.clone().unwrap_or_default() allow_empty=true make=Request::Explanation />
        })}
        {(is_staff && removal_undecided).then(|| view! {
            <Decision testid="removal-decision-form" title="credit.decide_removal" act
                choices=vec![
                    ("credit.grant", Request::RemovalDecision(RemovalDecision::Grant, String::new())),
                    ("credit.refuse", Request::RemovalDecision(RemovalDecision::Refuse, String::new())),
                ] />
        })}
        {(is_staff && objection_pending).then(|| view! {
            <Decision testid="objection-decision-form" title="credit.decide_objection" act
                choices=vec![
                    ("credit.uphold", Request::ObjectionDecision(ObjectionStatus::Upheld, String::new())),
                    ("credit.dismiss", Request::ObjectionDecision(ObjectionStatus::Dismissed, String::new())),
                ] />
        })}
    }
}

/// A text and a button: the organization's objection, removal application or explanation.
#[component]
fn TextForm(
    testid: &'static str,
    label: &'static str,
    button: &'static str,
    act: Action<Request, api::Result<CreditListing>>,
    make: fn(String) -> Request,
    #[prop(optional)] initial: String,
    #[prop(optional)] allow_empty: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(initial);
    view! {
        <form class="stack" data-testid=testid on:submit=move |ev| {
            ev.prevent_default();
            act.dispatch(make(text.get_untracked().trim().to_owned()));
        }>
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <textarea name="text" rows="3" maxlength="1000" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <button type="submit" class="button button--primary"
                disabled=move || act.pending().get() || (!allow_empty && text.with(|t| t.trim().is_empty()))>
                {move || i18n.t(button)}
            </button>
        </form>
    }
}

/// Staff's decision: reasons, and one button per choice (each sends the reasons with it).
#[component]
fn Decision(
    testid: &'static str,
    title: &'static str,
    act: Action<Request, api::Result<CreditListing>>,
    choices: Vec<(&'static str, Request)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reasons = RwSignal::new(String::new());
    let with_reasons = move |request: Request| {
        let reasons = reasons.get_untracked().trim().to_owned();
        match request {
            Request::RemovalDecision(d, _) => Request::RemovalDecision(d, reasons),
            Request::ObjectionDecision(d, _) => Request::ObjectionDecision(d, reasons),
            other => other,
        }
    };
    view! {
        <form class="stack" data-testid=testid on:submit=move |ev| ev.prevent_default()>
            <h2>{move || i18n.t(title)}</h2>
            <label class="field">
                <span>{move || i18n.t("credit.reasons")}</span>
                <textarea name="reasons" rows="3" maxlength="1000" prop:value=reasons on:input=move |ev| reasons.set(event_target_value(&ev))></textarea>
            </label>
            <div class="form-actions">
                {choices.into_iter().map(|(key, request)| {
                    let testid = format!("{testid}-{}", key.trim_start_matches("credit."));
                    view! {
                        <button type="button" class="button" data-testid=testid disabled=move || act.pending().get()
                            on:click=move |_| { act.dispatch(with_reasons(request.clone())); }>
                            {move || i18n.t(key)}
                        </button>
                    }
                }).collect_view()}
            </div>
        </form>
    }
}
