//! Drawn inspections: read by staff in their division (and by the inspectors drawn for them) and by the
//! association's own user; recorded once by one of the drawn inspectors.

use axum::extract::State;
use domain::api::{FeeInspection, InspectionQuery, Page, RecordInspectionRequest};
use domain::fees::{CampaignStage, Disposition, InspectionStage, burden_removed, check_items, is_violation};
use domain::illegal::required_text;
use domain::paging::PageRequest;
use domain::registry::organization::OrgStatus;
use serde_json::json;

use super::{campaign, refused};
use crate::auth::{Auth, Staff, StaffOrOrg};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::routes::inspection::{key_of, prefix_of};
use crate::state::{AppState, today};
use crate::store::fees::{InspectionFilter, InspectionRow, NewItem};
use crate::store::penalties::NewPenalty;
use crate::store::{AuditEntry, Visibility};

/// Inspections in the caller's scope: staff their division's and those they are drawn for (`mine=true`
/// only the latter), an association's user its own.
#[utoipa::path(get, path = "/fees/inspections", tag = "fees", params(InspectionQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Page<FeeInspection>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_fee_inspections(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<InspectionQuery>,
) -> Result<AppJson<Page<FeeInspection>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = InspectionFilter {
        campaign_id: query.campaign_id,
        stage: key_of(
            "stage",
            "检查状态",
            query.stage.as_deref(),
            InspectionStage::parse,
        )?,
        division_prefix: prefix_of("division", query.division.as_deref())?,
        inspector: query.mine.unwrap_or(false).then_some(auth.user.user_id),
    };
    let (rows, total) = state
        .store
        .list_fee_inspections(&auth.visibility(), auth.user.user_id, &filter, page)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let inspectors = state.store.fee_inspectors_of(&ids).await?;
    let items = rows
        .iter()
        .map(|row| {
            let of_row = inspectors
                .iter()
                .filter(|(inspection, _)| *inspection == row.id)
                .map(|(_, inspector)| inspector.clone())
                .collect();
            row.to_api(of_row, &[])
        })
        .collect();
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

async fn visible(state: &AppState, visibility: &Visibility, user_id: i64, id: i64) -> Result<InspectionRow> {
    state
        .store
        .find_fee_inspection(id, visibility, user_id)
        .await?
        .ok_or_else(|| Error::not_found("检查记录"))
}

/// The inspection with its inspectors and items.
async fn full(state: &AppState, row: &InspectionRow) -> Result<FeeInspection> {
    let inspectors = state
        .store
        .fee_inspectors_of(&[row.id])
        .await?
        .into_iter()
        .map(|(_, inspector)| inspector)
        .collect();
    let items = state.store.fee_items(row.id).await?;
    Ok(row.to_api(inspectors, &items))
}

/// One inspection: its inspectors, fee items, findings and dispositions.
#[utoipa::path(get, path = "/fees/inspections/{id}", tag = "fees", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = FeeInspection), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_fee_inspection(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<FeeInspection>> {
    let row = visible(&state, &auth.visibility(), auth.user.user_id, id).await?;
    Ok(AppJson(full(&state, &row).await?))
}

/// Records the inspection — the fee items, per item the findings from the campaign's checklist and the
/// disposition — by one of its drawn inspectors. A 查处 opens a penalty case against the association in
/// the same transaction.
#[utoipa::path(post, path = "/fees/inspections/{id}/record", tag = "fees", params(("id" = i64, Path)),
    request_body = RecordInspectionRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = FeeInspection), (status = 403, body = domain::api::ApiError),
              (status = 404, body = domain::api::ApiError), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn record_fee_inspection(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RecordInspectionRequest>,
) -> Result<AppJson<FeeInspection>> {
    let visibility = auth.visibility();
    let user = auth.user.user_id;
    let row = visible(&state, &visibility, user, id).await?;
    let inspectors = state.store.fee_inspectors_of(&[id]).await?;
    if !inspectors.iter().any(|(_, inspector)| inspector.id == user) {
        return Err(Error::Forbidden);
    }
    let campaign = campaign(&state, row.campaign_id).await?;
    if campaign.stage() != CampaignStage::Drawn || row.stage() != InspectionStage::Pending {
        return Err(Error::conflict("该检查已记录或检查活动已结束，不能再记录"));
    }
    let drawn_on = campaign
        .drawn_at
        .map(|at| at.with_timezone(&domain::jobs::china()).date_naive());
    if body.inspected_on > today() || drawn_on.is_some_and(|d| body.inspected_on < d) {
        return Err(Error::invalid(
            "inspected_on",
            "检查日期（inspected_on）应在抽取之后且不晚于今天",
        ));
    }
    let summary =
        required_text("summary", "检查情况", &body.summary, 2000).map_err(crate::routes::illegal::refused)?;
    check_items(&body.items, &campaign.checklist()).map_err(refused)?;
    let penalty = if is_violation(&body.items) {
        Some(penalty_case(&state, &row, &body, &campaign.title, &auth.user.username).await?)
    } else {
        None
    };
    let items: Vec<NewItem> = body
        .items
        .iter()
        .map(|item| NewItem {
            burden_removed: burden_removed(item),
            item: item.clone(),
        })
        .collect();
    let burden: i64 = items.iter().map(|i| i.burden_removed.as_i64()).sum();
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "fee_inspection",
        entity_id: id.to_string(),
        action: "record",
        before: Some(json!({ "stage": "pending" })),
        after: Some(json!({
            "stage": "recorded", "items": items.len(), "burden_removed_fen": burden,
            "dispositions": body.items.iter().filter_map(|i| i.disposition).collect::<Vec<_>>(),
        })),
        reason: None,
    };
    let recorded = state
        .store
        .record_fee_inspection(
            id,
            body.inspected_on,
            &summary,
            &items,
            penalty.as_ref(),
            &auth.user.username,
            &audit,
        )
        .await?;
    if recorded.is_none() {
        return Err(Error::conflict("该检查已由其他检查人员记录，请刷新"));
    }
    let row = visible(&state, &visibility, user, id).await?;
    Ok(AppJson(full(&state, &row).await?))
}

/// The penalty case a 查处 opens: the facts are the items referred and their findings.
async fn penalty_case(
    state: &AppState,
    row: &InspectionRow,
    body: &RecordInspectionRequest,
    campaign_title: &str,
    recorded_by: &str,
) -> Result<NewPenalty> {
    let rule_broken = required_text(
        "rule_broken",
        "查处所依据的违反规定",
        body.rule_broken.as_deref().unwrap_or_default(),
        500,
    )
    .map_err(crate::routes::illegal::refused)?;
    let org = state
        .store
        .find_organization(&Visibility::All, row.organization_id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))?;
    if OrgStatus::parse(&org.status) != Ok(OrgStatus::Normal) {
        return Err(Error::conflict("该协会已不在正常登记状态，不能立案查处"));
    }
    let referred: Vec<String> = body
        .items
        .iter()
        .filter(|item| item.disposition == Some(Disposition::Investigate))
        .map(|item| {
            let findings: Vec<&str> = item.findings.iter().map(|f| f.label_zh()).collect();
            format!("{}（{}）", item.name.trim(), findings.join("、"))
        })
        .collect();
    Ok(NewPenalty {
        organization_id: row.organization_id,
        division_code: row.division_code.clone(),
        filed_on: body.inspected_on,
        facts: format!("{campaign_title}发现违规收费：{}", referred.join("；")),
        evidence: format!("涉企收费检查记录（第 {} 号）", row.id),
        rule_broken,
        petition_id: None,
        recorded_by: recorded_by.to_owned(),
    })
}
