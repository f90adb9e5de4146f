//! Reports: the lists staff and organizations read, one report with its follow-ups, and an organization
//! saving or submitting its own report of a year (on a phone as on a desk: one JSON body).

use axum::extract::State;
use domain::api::{AnnualReport, Page, ReportQuery, SaveReportRequest};
use domain::inspection::ReportStage;
use domain::paging::PageRequest;
use domain::registry::organization::Level;
use serde_json::json;

use super::validation;
use crate::auth::{Auth, OrgUsers, Rule, StaffOrOrg};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::state::{AppState, today};
use crate::store::AuditEntry;
use crate::store::inspection::{ReportFilter, ReportPlace};

/// Reports in the caller's scope: staff filter by year, result, stage, division and level; an
/// organization sees its own years.
#[utoipa::path(get, path = "/inspection/reports", tag = "inspection", params(ReportQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Page<AnnualReport>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_reports(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<ReportQuery>,
) -> Result<AppJson<Page<AnnualReport>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = ReportFilter::try_from(&query)?;
    let (rows, total) = state
        .store
        .page_reports(&auth.visibility(), &filter, page)
        .await?;
    Ok(AppJson(Page {
        items: rows.iter().map(|r| r.to_api(false)).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// One report with its content and follow-ups.
#[utoipa::path(get, path = "/inspection/reports/{id}", tag = "inspection", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = AnnualReport), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_report(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<AnnualReport>> {
    Ok(AppJson(detail(&state, &auth, id).await?))
}

/// The report with its follow-ups, if the caller's visibility covers it (else 404).
pub(super) async fn detail<R: Rule>(state: &AppState, auth: &Auth<R>, id: i64) -> Result<AnnualReport> {
    let row = state
        .store
        .find_report(id, &auth.visibility())
        .await?
        .ok_or_else(|| Error::not_found("年度工作报告"))?;
    let mut report = row.to_api(true);
    report.follow_ups = state
        .store
        .follow_ups(id)
        .await?
        .iter()
        .map(|f| f.to_api())
        .collect();
    Ok(report)
}

/// Saves the caller's report of `year` as a draft, or submits it (`submit`). After the deadline a report
/// may still be filed (补报): it is marked late and the year still counts as 未参检.
#[utoipa::path(put, path = "/inspection/my-reports/{year}", tag = "inspection", params(("year" = i32, Path)),
    request_body = SaveReportRequest,
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = AnnualReport), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn save_my_report(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    AppPath(year): AppPath<i32>,
    AppJson(body): AppJson<SaveReportRequest>,
) -> Result<AppJson<AnnualReport>> {
    let organization_id = auth.own_organization()?;
    let cycle = state
        .store
        .cycle_of_year(year)
        .await?
        .ok_or_else(|| Error::invalid("year", format!("{year} 年度的年检尚未开启，不能报送（year）")))?;
    let org = state
        .store
        .find_organization(&auth.visibility(), organization_id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))?;
    let level = Level::parse(&org.level).unwrap_or(Level::County);
    if !cycle.covers(level, &org.division_code) {
        return Err(Error::invalid(
            "year",
            format!("你单位不在 {year} 年度年检范围内（year）"),
        ));
    }
    let checked = if body.submit {
        body.report.validate_submission()
    } else {
        body.report.validate_draft()
    };
    checked.map_err(validation)?;
    let existing = state.store.report_of(organization_id, year).await?;
    let from = existing.as_ref().map(|r| r.stage());
    let to = match (from, body.submit) {
        (from, true) => from.unwrap_or(ReportStage::Draft).submit(),
        (Some(from), false) => from.check_editable().map(|()| from),
        (None, false) => Ok(ReportStage::Draft),
    }
    .map_err(|e| Error::conflict(e.to_string()))?;
    let late = body.submit && today() > cycle.deadline;
    let actor = auth.actor();
    let place = ReportPlace {
        organization_id,
        cycle_id: cycle.id,
        year,
        division_code: &org.division_code,
        level,
    };
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "annual_report",
        entity_id: id.to_string(),
        action: if body.submit { "submit" } else { "save" },
        before: from.map(|stage| json!({ "stage": stage })),
        after: Some(json!({ "stage": to, "year": year, "late": late })),
        reason: None,
    };
    let existing = existing.map(|r| (r.id, r.stage()));
    let id = state
        .store
        .save_report(&place, existing, &body.report, to, late, audit)
        .await?
        .ok_or_else(|| Error::conflict("该报告的状态已变化，请刷新后再试"))?;
    Ok(AppJson(detail(&state, &auth, id).await?))
}
