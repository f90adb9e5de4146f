//! One report: where it stands, staff's verdict or why it came back, its content and follow-ups; staff's
//! review beneath it, and for the organization the way back to its form while it may still change it.

use domain::api::{AnnualReport, ReportInput};
use domain::inspection::ReportStage;
use domain::money::Fen;
use domain::policy::{STAFF, STAFF_OR_ORG};
use leptos::prelude::*;

use super::review::{FollowUps, ReviewPanel};
use super::{editable, report_badges};
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::format_time;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, use_id_param};
use crate::session::{STAFF_VIEWS, use_session};

#[component]
pub fn ReportPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><ReportRecord /></RequireAuth> }
}

#[component]
fn ReportRecord() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let report = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_report(id).await }
    });
    let on_change = Callback::new(move |()| report.refetch());
    view! {
        <section class="page">
            <p><a href=Page::Inspection.path()>{move || i18n.t("inspection.back")}</a></p>
            <Async resource=report let:found>
                <ReportView report=found on_change />
            </Async>
        </section>
    }
}

#[component]
fn ReportView(report: AnnualReport, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Read untracked: the session must not re-run this view.
    let is_staff = STAFF_VIEWS && session.has_role_untracked(STAFF);
    let year = report.year;
    let level = report.level;
    let verdict = report.reasons.clone().map(|reasons| {
        let (class, key) = if report.stage == ReportStage::Returned {
            ("notice notice--error", "inspection.returned_because")
        } else {
            ("notice", "inspection.reasons")
        };
        view! {
            <div class=class data-testid="report-reasons">
                <strong>{move || i18n.t(key)}</strong>
                <p>{reasons}</p>
            </div>
        }
    });
    let may_edit = !is_staff && editable(Some(report.stage));
    let edit_href = Page::Inspection.with_query(&[("year", year)]);
    view! {
        <h1 data-testid="report-organization">{report.organization_name.clone()}</h1>
        <p class="lead">
            {move || i18n.t_with("inspection.year_title", &[("year", year.to_string())])}" "
            {report_badges(i18n, &report)}
        </p>
        {verdict}
        {may_edit.then(|| view! {
            <p><a class="button button--primary" href=edit_href data-testid="correct-report">{move || i18n.t("inspection.correct")}</a></p>
        })}
        <dl class="facts">
            <dt>{move || i18n.t("inspection.level")}</dt><dd>{move || i18n.label(level)}</dd>
            <dt>{move || i18n.t("inspection.submitted")}</dt>
            <dd>{report.submitted_at.map(format_time).unwrap_or_else(|| "—".to_owned())}</dd>
            <dt>{move || i18n.t("inspection.reviewed")}</dt>
            <dd>{report.reviewed_at.map(format_time).unwrap_or_else(|| "—".to_owned())}</dd>
        </dl>
        {report.content.clone().map(|content| content_view(i18n, content))}
        <FollowUps report=report.clone() is_staff on_change />
        {is_staff.then(|| view! { <ReviewPanel report on_change /> })}
    }
}

/// What the organization reported.
fn content_view(i18n: I18n, content: ReportInput) -> impl IntoView {
    let yuan = |fen: i64| Fen::new(fen).format_yuan();
    view! {
        <h2>{move || i18n.t("inspection.finances")}</h2>
        <dl class="facts" data-testid="report-finances">
            <dt>{move || i18n.t("inspection.revenue")}</dt><dd>{yuan(content.revenue_fen)}</dd>
            <dt>{move || i18n.t("inspection.expenses")}</dt><dd>{yuan(content.expenses_fen)}</dd>
            <dt>{move || i18n.t("inspection.net_assets")}</dt><dd>{yuan(content.net_assets_fen)}</dd>
        </dl>
        <h2>{move || i18n.t("inspection.activities")}</h2>
        <p class="prose">{content.activities}</p>
        <h2>{move || i18n.t("inspection.party_building")}</h2>
        <p class="prose">{content.party_building}</p>
        <h2>{move || i18n.t("inspection.member_fees")}</h2>
        <ul class="plain-list">
            {content.member_fees.into_iter().map(|fee| view! {
                <li>{fee.item}" · "{yuan(fee.amount_fen)}" · "
                    {move || i18n.t_with("inspection.payers", &[("count", fee.payers.to_string())])}</li>
            }).collect_view()}
        </ul>
        <h2>{move || i18n.t("inspection.officers")}</h2>
        <ul class="plain-list" data-testid="report-officers">
            {content.officers.into_iter().map(|o| view! { <li>{o.position}" "{o.name}</li> }).collect_view()}
        </ul>
    }
}
