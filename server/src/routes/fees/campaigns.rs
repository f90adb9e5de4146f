//! Campaigns (set up and closed by the bureau, read by every staff member) and conflicts of interest.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Datelike;
use domain::api::{
    CampaignQuery, FeeCampaign, FeeCampaignDetail, FeeConflict, NewConflictRequest, NewFeeCampaignRequest,
    Page,
};
use domain::fees::{MAX_PER_ASSOCIATION, MAX_POOL, MAX_SAMPLE};
use domain::illegal::required_text;
use domain::paging::PageRequest;
use serde::Deserialize;
use serde_json::json;

use super::campaign;
use crate::auth::{Auth, BureauOnly, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result, ResultExt, UniqueKey};
use crate::routes::illegal::{division_in, refused};
use crate::state::{AppState, today};
use crate::store::fees::NewCampaign;
use crate::store::{AuditEntry, Visibility};

/// One conflict per inspector and association (PostgreSQL names the pair, SQLite its first column).
const CONFLICT_KEYS: [UniqueKey; 2] = [
    UniqueKey {
        table: "fee_conflicts",
        column: "user_id_organization_id",
        field: "organization_id",
        message: "该检查人员与该协会的回避关系已登记",
    },
    UniqueKey {
        table: "fee_conflicts",
        column: "user_id",
        field: "organization_id",
        message: "该检查人员与该协会的回避关系已登记",
    },
];

/// Campaigns, newest year first.
#[utoipa::path(get, path = "/fees/campaigns", tag = "fees", params(CampaignQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<FeeCampaign>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_fee_campaigns(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    AppQuery(query): AppQuery<CampaignQuery>,
) -> Result<AppJson<Page<FeeCampaign>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let (rows, total) = state.store.list_fee_campaigns(query.year, page).await?;
    Ok(AppJson(Page {
        items: rows.iter().map(|r| r.to_api()).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Sets up a campaign: which associations are eligible, the checklist, how many to draw and who may be
/// drawn to inspect them.
#[utoipa::path(post, path = "/fees/campaigns", tag = "fees", request_body = NewFeeCampaignRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 201, body = FeeCampaignDetail), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_fee_campaign(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppJson(body): AppJson<NewFeeCampaignRequest>,
) -> Result<(StatusCode, AppJson<FeeCampaignDetail>)> {
    let new = checked_campaign(&state, &body, auth.user.username.clone()).await?;
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "fee_campaign",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(json!({
            "year": new.year, "division_code": new.division_code, "sample_size": new.sample_size,
            "inspectors_per_association": new.inspectors_per_association, "pool": new.pool,
        })),
        reason: None,
    };
    let id = state.store.insert_fee_campaign(&new, audit).await?;
    Ok((StatusCode::CREATED, AppJson(detail(&state, id).await?)))
}

/// The request as a campaign to store, or a 422 naming the first wrong field.
async fn checked_campaign(state: &AppState, body: &NewFeeCampaignRequest, by: String) -> Result<NewCampaign> {
    let this_year = today().year();
    if !(2000..=this_year + 1).contains(&body.year) {
        return Err(Error::invalid(
            "year",
            format!("年度（year）应在 2000 到 {} 之间", this_year + 1),
        ));
    }
    let title = required_text("title", "活动名称", &body.title, 100).map_err(refused)?;
    let division_code = division_in(state, &Visibility::All, "division_code", &body.division_code).await?;
    let mut levels = body.levels.clone();
    levels.sort();
    levels.dedup();
    let mut checklist = body.checklist.clone();
    checklist.sort();
    checklist.dedup();
    if checklist.is_empty() {
        return Err(Error::invalid("checklist", "请选择检查清单的问题（checklist）"));
    }
    if !(1..=MAX_SAMPLE).contains(&body.sample_size) {
        return Err(Error::invalid(
            "sample_size",
            format!("抽取协会数（sample_size）应在 1 到 {MAX_SAMPLE} 之间"),
        ));
    }
    let per = body.inspectors_per_association;
    if !(1..=MAX_PER_ASSOCIATION).contains(&per) {
        return Err(Error::invalid(
            "inspectors_per_association",
            format!("每家协会的检查人员数（inspectors_per_association）应在 1 到 {MAX_PER_ASSOCIATION} 之间"),
        ));
    }
    let mut pool = body.inspector_ids.clone();
    pool.sort_unstable();
    pool.dedup();
    if pool.len() < per as usize || pool.len() > MAX_POOL {
        return Err(Error::invalid(
            "inspector_ids",
            format!("检查人员库（inspector_ids）至少 {per} 人（每家协会的检查人员数），至多 {MAX_POOL} 人"),
        ));
    }
    let staff = state.store.fee_staff_accounts(&pool).await?;
    if staff.len() != pool.len() {
        return Err(Error::invalid(
            "inspector_ids",
            "检查人员库（inspector_ids）只能包含启用的省局或市县工作人员账号",
        ));
    }
    Ok(NewCampaign {
        year: body.year,
        title,
        division_code,
        levels,
        checklist,
        sample_size: body.sample_size,
        inspectors_per_association: per,
        pool,
        created_by: by,
    })
}

/// The campaign with its pool and the re-runs of its draw.
pub(super) async fn detail(state: &AppState, id: i64) -> Result<FeeCampaignDetail> {
    let row = campaign(state, id).await?;
    let verifications = match &row.seed {
        Some(seed) => state.store.fee_verifications(id, seed).await?,
        None => Vec::new(),
    };
    Ok(FeeCampaignDetail {
        campaign: row.to_api(),
        pool: state.store.fee_campaign_pool(id).await?,
        verifications,
    })
}

/// One campaign, its inspector pool and who re-ran its draw.
#[utoipa::path(get, path = "/fees/campaigns/{id}", tag = "fees", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = FeeCampaignDetail), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_fee_campaign(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<FeeCampaignDetail>> {
    Ok(AppJson(detail(&state, id).await?))
}

/// Closes a drawn campaign: its results stand.
#[utoipa::path(post, path = "/fees/campaigns/{id}/close", tag = "fees", params(("id" = i64, Path)),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = FeeCampaignDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError)))]
pub(super) async fn close_fee_campaign(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<FeeCampaignDetail>> {
    let row = campaign(&state, id).await?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "fee_campaign",
        entity_id: id.to_string(),
        action: "close",
        before: Some(json!({ "stage": row.stage() })),
        after: Some(json!({ "stage": "closed", "recorded": row.recorded, "drawn": row.drawn })),
        reason: None,
    };
    if !state.store.close_fee_campaign(id, &audit).await? {
        return Err(Error::conflict("只有已抽取的检查活动可以结束"));
    }
    Ok(AppJson(detail(&state, id).await?))
}

/// The query of `GET /fees/conflicts`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct ConflictQuery {
    inspector_id: Option<i64>,
}

/// Conflicts of interest (the newest 500), optionally of one inspector.
#[utoipa::path(get, path = "/fees/conflicts", tag = "fees", params(ConflictQuery),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Vec<FeeConflict>)))]
pub(super) async fn list_fee_conflicts(
    State(state): State<AppState>,
    _auth: Auth<BureauOnly>,
    AppQuery(query): AppQuery<ConflictQuery>,
) -> Result<AppJson<Vec<FeeConflict>>> {
    Ok(AppJson(
        state.store.list_fee_conflicts(query.inspector_id, 500).await?,
    ))
}

/// Records that an inspector is tied to an association (a former officer, a relative, a member
/// enterprise…): later draws never send them there.
#[utoipa::path(post, path = "/fees/conflicts", tag = "fees", request_body = NewConflictRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 201, body = FeeConflict), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_fee_conflict(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppJson(body): AppJson<NewConflictRequest>,
) -> Result<(StatusCode, AppJson<FeeConflict>)> {
    if state
        .store
        .fee_staff_accounts(&[body.inspector_id])
        .await?
        .is_empty()
    {
        return Err(Error::invalid(
            "inspector_id",
            "检查人员（inspector_id）应为启用的工作人员账号",
        ));
    }
    state
        .store
        .find_organization(&Visibility::All, body.organization_id)
        .await?
        .ok_or_else(|| Error::invalid("organization_id", "未找到该社会组织（organization_id）"))?;
    let reason = required_text("reason", "回避事由", &body.reason, 200).map_err(refused)?;
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "fee_conflict",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(
            json!({ "inspector_id": body.inspector_id, "organization_id": body.organization_id, "reason": reason }),
        ),
        reason: None,
    };
    let id = state
        .store
        .insert_fee_conflict(
            body.inspector_id,
            body.organization_id,
            &reason,
            &auth.user.username,
            chrono::Utc::now(),
            audit,
        )
        .await
        .on_unique(&CONFLICT_KEYS)?;
    let conflict = state
        .store
        .list_fee_conflicts(Some(body.inspector_id), 500)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::not_found("回避关系"))?;
    Ok((StatusCode::CREATED, AppJson(conflict)))
}
