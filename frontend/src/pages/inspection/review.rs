//! Staff's work on one report: the verdict (合格 / 基本合格 / 不合格 with reasons) or a return for correction
//! while it is submitted; follow-ups at any time — 约谈, 限期整改 (working days), 移送处罚, 审计抽查 — and a
//! rectification order marked done.

use domain::api::{
    AnnualReport, CompleteFollowUpRequest, FollowUp, FollowUpInput, ReturnReportRequest, ReviewReportRequest,
};
use domain::inspection::{FollowUpKind, InspectionResult, ReportStage, check_verdict};
use leptos::prelude::*;

use crate::api;
use crate::components::field::field_error;
use crate::i18n::use_i18n;
use crate::routes::non_empty;

/// The verdicts staff may give (未参检 is the rule's).
const VERDICTS: [InspectionResult; 3] = [
    InspectionResult::Qualified,
    InspectionResult::BasicallyQualified,
    InspectionResult::Unqualified,
];

/// The verdict and the return while the report is submitted; the follow-up form always.
#[component]
pub(super) fn ReviewPanel(report: AnnualReport, on_change: Callback<()>) -> impl IntoView {
    let submitted = report.stage == ReportStage::Submitted;
    let id = report.id;
    view! {
        {submitted.then(|| view! { <Verdict id on_change /> })}
        <FollowUpForm id on_change />
    }
}

#[component]
fn Verdict(id: i64, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let result = RwSignal::new(InspectionResult::Qualified);
    let reasons = RwSignal::new(String::new());
    let return_reason = RwSignal::new(String::new());
    let problem = Memo::new(move |_| {
        check_verdict(result.get(), &reasons.get())
            .err()
            .map(|e| e.message)
    });
    let review = Action::new_local(move |body: &ReviewReportRequest| {
        let body = body.clone();
        async move { api::review_report(id, &body).await }
    });
    let send_back = Action::new_local(move |reason: &String| {
        let body = ReturnReportRequest {
            reason: reason.clone(),
        };
        async move { api::return_report(id, &body).await }
    });
    Effect::new(move |_| {
        if matches!(review.value().get(), Some(Ok(_))) || matches!(send_back.value().get(), Some(Ok(_))) {
            on_change.run(());
        }
    });
    let failed = move || {
        let error = review
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| send_back.value().get().and_then(Result::err));
        error.map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })
    };
    view! {
        <h2>{move || i18n.t("inspection.review_title")}</h2>
        <form class="stack" data-testid="review-form" on:submit=move |ev| {
            ev.prevent_default();
            if problem.get_untracked().is_none() {
                review.dispatch(ReviewReportRequest { result: result.get_untracked(), reasons: reasons.get_untracked() });
            }
        }>
            <fieldset class="choices">
                <legend>{move || i18n.t("inspection.result")}</legend>
                {VERDICTS.into_iter().map(|verdict| view! {
                    <label class="choice">
                        <input type="radio" name="result" value=verdict.key()
                            prop:checked=move || result.get() == verdict on:change=move |_| result.set(verdict) />
                        {move || i18n.label(verdict)}
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="field">
                <span>{move || i18n.t("inspection.reasons_label")}</span>
                <textarea name="reasons" rows="3" maxlength="1000" prop:value=reasons
                    on:input=move |ev| reasons.set(event_target_value(&ev))></textarea>
                {field_error(move || problem.get())}
            </label>
            <button type="submit" class="button button--primary" data-testid="review-submit"
                disabled=move || problem.get().is_some() || review.pending().get()>
                {move || i18n.t("inspection.give_verdict")}
            </button>
        </form>
        <form class="stack" data-testid="return-form" on:submit=move |ev| {
            ev.prevent_default();
            if let Some(reason) = non_empty(return_reason.get_untracked()) {
                send_back.dispatch(reason);
            }
        }>
            <label class="field">
                <span>{move || i18n.t("inspection.return_reason")}</span>
                <textarea name="return_reason" rows="2" maxlength="1000" prop:value=return_reason
                    on:input=move |ev| return_reason.set(event_target_value(&ev))></textarea>
            </label>
            <button type="submit" class="button" data-testid="return-report"
                disabled=move || return_reason.with(|r| r.trim().is_empty()) || send_back.pending().get()>
                {move || i18n.t("inspection.return")}
            </button>
        </form>
        {failed}
    }
}

/// 后续处理: a follow-up of the kind chosen, with what that kind needs, checked as the server checks it.
#[component]
fn FollowUpForm(id: i64, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(FollowUpKind::Interview);
    let on = RwSignal::new(crate::format::today().to_string());
    let interviewee = RwSignal::new(String::new());
    let working_days = RwSignal::new(String::from("20"));
    let outcome = RwSignal::new(String::new());
    let input = move || {
        let kind = kind.get();
        Some(FollowUpInput {
            kind,
            on: on.get().parse().ok()?,
            interviewee: (kind == FollowUpKind::Interview)
                .then(|| interviewee.get())
                .and_then(non_empty),
            working_days: (kind == FollowUpKind::Rectification)
                .then(|| working_days.get().trim().parse().ok())
                .flatten(),
            outcome: outcome.get().trim().to_owned(),
        })
    };
    let problems = Memo::new(move |_| match input() {
        Some(input) => input.validate(crate::format::today()).err().unwrap_or_default(),
        None => vec![domain::api::FieldError {
            field: "on".into(),
            message: i18n.t("inspection.date_needed"),
        }],
    });
    let error_of = move |field: &'static str| {
        field_error(move || {
            problems.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone()))
        })
    };
    let record = Action::new_local(move |body: &FollowUpInput| {
        let body = body.clone();
        async move { api::add_follow_up(id, &body).await }
    });
    Effect::new(move |_| {
        if matches!(record.value().get(), Some(Ok(_))) {
            outcome.set(String::new());
            on_change.run(());
        }
    });
    view! {
        <details class="fold" data-testid="follow-up-panel">
            <summary>{move || i18n.t("inspection.follow_up_title")}</summary>
            <form class="stack" data-testid="follow-up-form" on:submit=move |ev| {
                ev.prevent_default();
                if let Some(body) = untrack(input).filter(|_| problems.get_untracked().is_empty()) {
                    record.dispatch(body);
                }
            }>
                <label class="field">
                    <span>{move || i18n.t("inspection.follow_up_kind")}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Some(k) = FollowUpKind::parse(&event_target_value(&ev)) { kind.set(k) }
                    }>
                        {FollowUpKind::ALL.into_iter().map(|k| view! {
                            <option value=k.key() selected=move || kind.get() == k>{move || i18n.label(k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("inspection.follow_up_on")}</span>
                    <input type="date" name="on" prop:value=on on:input=move |ev| on.set(event_target_value(&ev)) />
                    {error_of("on")}
                </label>
                <Show when=move || kind.get() == FollowUpKind::Interview>
                    <label class="field">
                        <span>{move || i18n.t("inspection.interviewee")}</span>
                        <input name="interviewee" maxlength="60" prop:value=interviewee
                            on:input=move |ev| interviewee.set(event_target_value(&ev)) />
                        {error_of("interviewee")}
                    </label>
                </Show>
                <Show when=move || kind.get() == FollowUpKind::Rectification>
                    <label class="field">
                        <span>{move || i18n.t("inspection.working_days")}</span>
                        <input name="working_days" inputmode="numeric" prop:value=working_days
                            on:input=move |ev| working_days.set(event_target_value(&ev)) />
                        {error_of("working_days")}
                    </label>
                </Show>
                <label class="field">
                    <span>{move || i18n.t("inspection.outcome")}</span>
                    <textarea name="outcome" rows="2" maxlength="1000" prop:value=outcome
                        on:input=move |ev| outcome.set(event_target_value(&ev))></textarea>
                    {error_of("outcome")}
                </label>
                <button type="submit" class="button button--primary" data-testid="add-follow-up"
                    disabled=move || !problems.get().is_empty() || record.pending().get()>
                    {move || i18n.t("inspection.record_follow_up")}
                </button>
                {move || record.value().get().and_then(Result::err).map(|e| view! {
                    <p class="notice notice--error" role="alert">{e.message(&i18n)}</p>
                })}
            </form>
        </details>
    }
}

/// The follow-ups recorded on the report; staff mark a rectification order done.
#[component]
pub(super) fn FollowUps(report: AnnualReport, is_staff: bool, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let complete = Action::new_local(move |id: &i64| {
        let (id, body) = (
            *id,
            CompleteFollowUpRequest {
                on: crate::format::today(),
                note: String::new(),
            },
        );
        async move { api::complete_follow_up(id, &body).await }
    });
    Effect::new(move |_| {
        if matches!(complete.value().get(), Some(Ok(_))) {
            on_change.run(());
        }
    });
    (!report.follow_ups.is_empty()).then(|| {
        view! {
            <h2>{move || i18n.t("inspection.follow_ups")}</h2>
            <ul class="record-list" data-testid="follow-ups">
                {report.follow_ups.into_iter().map(|f| follow_up(f, is_staff, complete)).collect_view()}
            </ul>
            {move || complete.value().get().and_then(Result::err).map(|e| view! {
                <p class="notice notice--error" role="alert">{e.message(&i18n)}</p>
            })}
        }
    })
}

fn follow_up(f: FollowUp, is_staff: bool, complete: Action<i64, api::Result<FollowUp>>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = f.kind;
    let open_order = f.kind == FollowUpKind::Rectification && f.completed_on.is_none();
    let id = f.id;
    view! {
        <li class="record">
            <div class="record__head"><strong>{move || i18n.label(kind)}</strong><span>{f.on.to_string()}</span></div>
            <div class="record__meta">
                {f.interviewee.map(|who| view! { <span>{move || i18n.t_with("inspection.interviewed", &[("who", who.clone())])}</span> })}
                {f.due_on.map(|due| view! { <span>{move || i18n.t_with("inspection.due_on", &[("date", due.to_string())])}</span> })}
                {f.completed_on.map(|done| view! { <span class="badge badge--ok">{move || i18n.t_with("inspection.completed_on", &[("date", done.to_string())])}</span> })}
                <span>{f.recorded_by}</span>
            </div>
            {(!f.outcome.is_empty()).then(|| view! { <p class="record__text">{f.outcome}</p> })}
            {(is_staff && open_order).then(|| view! {
                <div class="record__actions">
                    <button type="button" class="button" data-testid="complete-follow-up"
                        on:click=move |_| { complete.dispatch(id); }>{move || i18n.t("inspection.complete")}</button>
                </div>
            })}
        </li>
    }
}
