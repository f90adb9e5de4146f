//! 年检 / 年度工作报告 — the annual inspection in the browser. An organization sees the years it reports on,
//! keeps a draft and submits, reads its verdict or why it was returned and corrects it (`mine`, `form`);
//! staff list a year's reports by result, stage, division and level and export them (`list`), judge,
//! return and follow up one report (`report`, `review`); the bureau opens a year (`cycles`).

mod cycles;
mod form;
mod list;
mod mine;
mod report;
mod review;

use domain::api::AnnualReport;
use domain::inspection::{InspectionResult, ReportStage};
use domain::policy::{Role, STAFF_OR_ORG};
use leptos::prelude::*;

use crate::components::guard::RequireAuth;
use crate::i18n::I18n;
use crate::session::{STAFF_VIEWS, use_session};

pub use cycles::CyclesPage;
pub use report::ReportPage;

use list::ReportList;
use mine::MyReports;

/// `/inspection`: an organization's own years, or staff's list of a year's reports.
#[component]
pub fn InspectionPage() -> impl IntoView {
    let session = use_session();
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            {move || if session.role_untracked() == Some(Role::OrgUser) || !STAFF_VIEWS {
                view! { <MyReports /> }.into_any()
            } else {
                view! { <ReportList /> }.into_any()
            }}
        </RequireAuth>
    }
}

/// The report's stage, and its verdict once given, as badges coloured by how it went.
pub fn report_badges(i18n: I18n, report: &AnnualReport) -> impl IntoView + use<> {
    let stage = report.stage;
    let stage_class = match stage {
        ReportStage::Returned | ReportStage::NotFiled => "badge badge--danger",
        ReportStage::Draft | ReportStage::Submitted => "badge badge--warn",
        ReportStage::Reviewed => "badge",
    };
    let result = report.result.map(|result| {
        let class = match result {
            InspectionResult::Qualified => "badge badge--ok",
            InspectionResult::BasicallyQualified => "badge badge--warn",
            InspectionResult::Unqualified | InspectionResult::NotInspected => "badge badge--danger",
        };
        view! { " "<span class=class data-testid="report-result">{move || i18n.label(result)}</span> }
    });
    let late = report
        .late
        .then(|| view! { " "<span class="badge badge--warn">{move || i18n.t("inspection.late")}</span> });
    view! {
        <span class=stage_class data-testid="report-stage">{move || i18n.label(stage)}</span>
        {result}
        {late}
    }
}

/// Whether the organization may still change and send the report of a year.
fn editable(stage: Option<ReportStage>) -> bool {
    stage.is_none_or(|stage| stage.check_editable().is_ok())
}
