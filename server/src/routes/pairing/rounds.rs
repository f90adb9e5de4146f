//! `/api/v1/rounds`: 百社进百村 rounds — a bureau administrator opens one over some counties, societies join it
//! from the organization portal, county and city staff record villages' needs and pin or forbid pairs.
//! Runs of the engine and their confirmation are in `pairing_runs.rs`.

use std::collections::HashSet;

use axum::extract::{Path, State};
use domain::api::{
    ConstraintKind, FieldError, JoinRoundRequest, OpenRoundRequest, Page, PairConstraint, Round,
    RoundSociety, RoundVillage, RoundVillageQuery, VillageNeedsRequest,
};
use domain::division::{DivisionCode, DivisionLevel};
use domain::paging::PageRequest;
use domain::pairing::round::{
    self, MAX_DISTANCE_KM, MAX_NAME_CHARS, MAX_PENALTY_PER_KM, MAX_PRIORITY_BONUS, RoundStatus,
};
use domain::pairing::{BoundingBox, within_bounds};
use domain::policy::{Principal, Scope};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, BureauOnly, OrgUsers, Staff, StaffOrOrg};
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::pairing::{Membership, NewRound, RoundRecord, RoundVillageFilter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rounds, open_round))
        .routes(routes!(find_round))
        .routes(routes!(list_round_societies))
        .routes(routes!(find_membership, join_round))
        .routes(routes!(list_round_villages))
        .routes(routes!(record_village_needs))
        .routes(routes!(list_constraints, set_constraint))
}

/// A 422 listing every problem, or `Ok` when there is none.
pub(crate) fn refuse(problems: Vec<FieldError>) -> Result<()> {
    match problems.first() {
        None => Ok(()),
        Some(first) => Err(Error::Validation {
            message: format!("提交的内容有误：{}", first.message),
            fields: problems,
        }),
    }
}

pub(crate) fn conflict(message: &str) -> Error {
    Error::Conflict {
        message: message.to_owned(),
        fields: Vec::new(),
    }
}

pub(crate) async fn load_round(state: &AppState, id: i64) -> Result<RoundRecord> {
    state
        .store
        .find_round(id)
        .await?
        .ok_or_else(|| Error::not_found("配对轮次"))
}

/// The round must still be open for this change.
pub(crate) fn require_open(round: &RoundRecord) -> Result<()> {
    match round.status() {
        RoundStatus::Open => Ok(()),
        RoundStatus::Confirmed => Err(conflict("本轮配对方案已确认，不能再修改")),
    }
}

/// The division-code prefix a staff member's scope allows (`3401` for 合肥市), or none for the province.
pub(crate) fn scope_prefix(user: &Principal) -> Option<String> {
    user.division_filter()
        .map(|code| code.as_str().trim_end_matches("00").to_owned())
}

/// Whether a staff member may see records in `county_code`.
pub(crate) fn covers_county(user: &Principal, county_code: &str) -> bool {
    DivisionCode::parse(county_code).is_ok_and(|code| user.covers_division(&code))
}

async fn round_view(state: &AppState, round: RoundRecord) -> Result<Round> {
    let counties = state.store.round_counties(round.id).await?;
    Ok(Round {
        id: round.id,
        name: round.name.clone(),
        status: round.status(),
        rules: round.rules(),
        counties,
        societies: round.societies as u64,
        villages: round.villages as u64,
        runs: round.runs as u64,
        created_by: round.created_by,
        created_at: round.created_at,
    })
}

/// All rounds, newest first.
#[utoipa::path(get, path = "/rounds", tag = "pairing",
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Vec<Round>)))]
async fn list_rounds(State(state): State<AppState>, _auth: Auth<StaffOrOrg>) -> Result<AppJson<Vec<Round>>> {
    let mut rounds = Vec::new();
    for round in state.store.list_rounds().await? {
        rounds.push(round_view(&state, round).await?);
    }
    Ok(AppJson(rounds))
}

/// Checks that `raw` is a county-level code of Anhui whose centroid lies in the province.
async fn check_county(state: &AppState, field: &str, raw: &str) -> Result<Option<FieldError>> {
    let problem = |message: String| {
        Some(FieldError {
            field: field.to_owned(),
            message,
        })
    };
    if raw.trim().is_empty() {
        return Ok(problem("请选择县区".to_owned()));
    }
    let code = match DivisionCode::parse(raw) {
        Ok(code) if code.level() == DivisionLevel::County => code,
        _ => return Ok(problem(format!("{raw} 不是县级行政区划代码（如 340122）"))),
    };
    Ok(match state.store.find_division_point(code.as_str()).await? {
        None => problem(format!("没有代码为 {raw} 的县区")),
        Some(d) if !within_bounds(d.longitude, d.latitude, &BoundingBox::ANHUI) => problem(format!(
            "{} 的坐标（{}，{}）不在安徽省范围内",
            d.name, d.longitude, d.latitude
        )),
        Some(_) => None,
    })
}

/// Opens a round over the chosen counties with the chosen rules.
#[utoipa::path(post, path = "/rounds", tag = "pairing", request_body = OpenRoundRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Round), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
async fn open_round(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppJson(body): AppJson<OpenRoundRequest>,
) -> Result<AppJson<Round>> {
    let name = body.name.trim().to_owned();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        problems.push(FieldError {
            field: "name".into(),
            message: format!("轮次名称须为 1–{MAX_NAME_CHARS} 个字"),
        });
    }
    if body.counties.is_empty() {
        problems.push(FieldError {
            field: "counties".into(),
            message: "请至少选择一个县区".into(),
        });
    }
    let mut seen = HashSet::new();
    for (i, county) in body.counties.iter().enumerate() {
        let field = format!("counties[{i}]");
        if !seen.insert(county.as_str()) {
            problems.push(FieldError {
                field,
                message: format!("县区 {county} 重复"),
            });
        } else if let Some(problem) = check_county(&state, &field, county).await? {
            problems.push(problem);
        }
    }
    let rules = body.rules;
    problems.extend(
        [
            round::check_rule(
                "priority_bonus",
                "优先村加分",
                rules.priority_bonus,
                0,
                MAX_PRIORITY_BONUS,
            ),
            round::check_rule(
                "distance_penalty_per_km",
                "每公里距离扣分",
                rules.distance_penalty_per_km,
                0,
                MAX_PENALTY_PER_KM,
            ),
            round::check_rule(
                "max_distance_km",
                "最大距离（公里）",
                rules.max_distance_km,
                1,
                MAX_DISTANCE_KM,
            ),
        ]
        .into_iter()
        .flatten(),
    );
    refuse(problems)?;
    if state.store.find_round_by_name(&name).await?.is_some() {
        return Err(Error::Conflict {
            message: "已有同名的配对轮次".into(),
            fields: vec![FieldError {
                field: "name".into(),
                message: "已有同名的配对轮次".into(),
            }],
        });
    }
    let new = NewRound {
        name,
        counties: body.counties.clone(),
        rules,
        created_by: auth.user.display_name.clone(),
    };
    let actor = auth.actor();
    let after = json!({ "name": new.name, "counties": new.counties, "rules": rules });
    let id = state
        .store
        .open_round(&new, |id| AuditEntry {
            actor: &actor,
            entity_type: "pairing_round",
            entity_id: id.to_string(),
            action: "open",
            before: None,
            after: Some(after),
            reason: None,
        })
        .await?;
    Ok(AppJson(round_view(&state, load_round(&state, id).await?).await?))
}

/// One round.
#[utoipa::path(get, path = "/rounds/{id}", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Round), (status = 404, body = domain::api::ApiError)))]
async fn find_round(
    State(state): State<AppState>,
    _auth: Auth<StaffOrOrg>,
    Path(id): Path<i64>,
) -> Result<AppJson<Round>> {
    Ok(AppJson(round_view(&state, load_round(&state, id).await?).await?))
}

/// The societies that joined a round.
#[utoipa::path(get, path = "/rounds/{id}/societies", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<RoundSociety>), (status = 404, body = domain::api::ApiError)))]
async fn list_round_societies(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    Path(id): Path<i64>,
) -> Result<AppJson<Vec<RoundSociety>>> {
    let round = load_round(&state, id).await?;
    Ok(AppJson(state.store.round_societies(round.id, None).await?))
}

fn own_organization(user: &Principal) -> Result<i64> {
    match &user.scope {
        Scope::Organization { id, .. } => Ok(*id),
        _ => Err(Error::Forbidden),
    }
}

/// What the caller's society offers in a round, or `null` until it joins (a society that has not joined
/// yet is the normal case on the join form, not an error).
#[utoipa::path(get, path = "/rounds/{id}/membership", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = Option<RoundSociety>), (status = 404, body = domain::api::ApiError)))]
async fn find_membership(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    Path(id): Path<i64>,
) -> Result<AppJson<Option<RoundSociety>>> {
    let organization_id = own_organization(&auth.user)?;
    let round = load_round(&state, id).await?;
    let mut societies = state
        .store
        .round_societies(round.id, Some(organization_id))
        .await?;
    Ok(AppJson(societies.pop()))
}

/// The caller's society joins a round, or changes its capabilities, capacity, home county and funds.
#[utoipa::path(put, path = "/rounds/{id}/membership", tag = "pairing", params(("id" = i64, Path)),
    request_body = JoinRoundRequest,
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = RoundSociety), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn join_round(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    Path(id): Path<i64>,
    AppJson(body): AppJson<JoinRoundRequest>,
) -> Result<AppJson<RoundSociety>> {
    let organization_id = own_organization(&auth.user)?;
    let round = load_round(&state, id).await?;
    require_open(&round)?;
    let (_, kind) = state
        .store
        .organization_name_and_kind(organization_id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))?;
    if kind != "social_group" {
        return Err(Error::invalid("organization", "只有社会团体可以参加百社进百村"));
    }
    let mut problems = Vec::new();
    let capabilities = round::parse_weights("capabilities", &body.capabilities).unwrap_or_else(|p| {
        problems.extend(p);
        Default::default()
    });
    problems.extend(round::check_capacity_and_funds(body.capacity, body.funds_fen));
    problems.extend(check_capacity_covers_pins(&state, round.id, organization_id, body.capacity).await?);
    problems.extend(check_county(&state, "home_county", &body.home_county).await?);
    refuse(problems)?;
    let membership = Membership {
        capabilities,
        capacity: body.capacity,
        home_county: body.home_county.clone(),
        funds_fen: body.funds_fen,
    };
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_society",
        entity_id: format!("{}/{organization_id}", round.id),
        action: "join",
        before: None,
        after: Some(
            json!({ "capabilities": membership.capabilities, "capacity": membership.capacity,
                            "home_county": membership.home_county, "funds_fen": membership.funds_fen }),
        ),
        reason: None,
    };
    state
        .store
        .join_round(round.id, organization_id, &membership, &audit)
        .await?;
    let mut societies = state
        .store
        .round_societies(round.id, Some(organization_id))
        .await?;
    societies
        .pop()
        .map(AppJson)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("membership not stored")))
}

/// The villages of a round's counties within the caller's scope, with their needs if recorded.
#[utoipa::path(get, path = "/rounds/{id}/villages", tag = "pairing", params(("id" = i64, Path), RoundVillageQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<RoundVillage>), (status = 404, body = domain::api::ApiError)))]
async fn list_round_villages(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path(id): Path<i64>,
    AppQuery(query): AppQuery<RoundVillageQuery>,
) -> Result<AppJson<Page<RoundVillage>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let round = load_round(&state, id).await?;
    let filter = RoundVillageFilter {
        county: query.county.filter(|c| !c.is_empty()),
        scope_prefix: scope_prefix(&auth.user),
        recorded_only: query.recorded.unwrap_or(false),
    };
    let (items, total) = state
        .store
        .round_villages(round.id, &filter, page.limit(), page.offset())
        .await?;
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Records a village's needs and priority class (staff of its county or city, or the bureau).
#[utoipa::path(put, path = "/rounds/{id}/villages/{code}", tag = "pairing",
    params(("id" = i64, Path), ("code" = String, Path)), request_body = VillageNeedsRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = RoundVillage), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn record_village_needs(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path((id, code)): Path<(i64, String)>,
    AppJson(body): AppJson<VillageNeedsRequest>,
) -> Result<AppJson<RoundVillage>> {
    let round = load_round(&state, id).await?;
    let village = state.store.village_in_round(round.id, &code).await?;
    let village = village
        .filter(|v| covers_county(&auth.user, &v.county_code))
        .ok_or_else(|| Error::not_found("村（社区）"))?;
    require_open(&round)?;
    if village.kind != "village" {
        return Err(Error::invalid(
            "village_code",
            format!("{code} 是社区而非行政村，不参加百社进百村"),
        ));
    }
    if village.in_round == 0 {
        return Err(Error::invalid(
            "county",
            format!("村 {code} 所在县区 {} 不在本轮范围内", village.county_code),
        ));
    }
    let needs = round::parse_weights("needs", &body.needs).map_err(|p| refuse(p).unwrap_err())?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_village_needs",
        entity_id: format!("{}/{code}", round.id),
        action: "record",
        before: None,
        after: Some(json!({ "needs": needs, "priority_class": body.priority_class })),
        reason: None,
    };
    state
        .store
        .record_village_needs(round.id, &code, &needs, body.priority_class, &audit)
        .await?;
    let filter = RoundVillageFilter {
        county: Some(village.county_code),
        ..Default::default()
    };
    let (villages, _) = state.store.round_villages(round.id, &filter, 100_000, 0).await?;
    villages
        .into_iter()
        .find(|v| v.code == code)
        .map(AppJson)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("needs not stored")))
}

/// A round's pins and forbids.
#[utoipa::path(get, path = "/rounds/{id}/constraints", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<PairConstraint>), (status = 404, body = domain::api::ApiError)))]
async fn list_constraints(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    Path(id): Path<i64>,
) -> Result<AppJson<Vec<PairConstraint>>> {
    let round = load_round(&state, id).await?;
    Ok(AppJson(constraints_of(&state, round.id).await?))
}

async fn constraints_of(state: &AppState, round_id: i64) -> Result<Vec<PairConstraint>> {
    let rows = state.store.round_constraints(round_id).await?;
    Ok(rows
        .into_iter()
        .map(|(organization_id, village_code, kind)| PairConstraint {
            organization_id,
            village_code,
            kind: Some(if kind == "pin" {
                ConstraintKind::Pin
            } else {
                ConstraintKind::Forbid
            }),
        })
        .collect())
}

/// Pins (`pin`) or forbids (`forbid`) a pair for the next runs, or lifts either (`null`).
#[utoipa::path(put, path = "/rounds/{id}/constraints", tag = "pairing", params(("id" = i64, Path)),
    request_body = PairConstraint,
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<PairConstraint>), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn set_constraint(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path(id): Path<i64>,
    AppJson(body): AppJson<PairConstraint>,
) -> Result<AppJson<Vec<PairConstraint>>> {
    let round = load_round(&state, id).await?;
    require_open(&round)?;
    let village = state.store.village_in_round(round.id, &body.village_code).await?;
    if village
        .as_ref()
        .is_some_and(|v| !covers_county(&auth.user, &v.county_code))
    {
        return Err(Error::not_found("村（社区）"));
    }
    let mut problems = Vec::new();
    if state
        .store
        .round_societies(round.id, Some(body.organization_id))
        .await?
        .is_empty()
    {
        problems.push(FieldError {
            field: "organization_id".into(),
            message: format!("社会组织 {} 未加入本轮", body.organization_id),
        });
    }
    let filter = RoundVillageFilter {
        recorded_only: true,
        ..Default::default()
    };
    let recorded = match &village {
        Some(v) => {
            let filter = RoundVillageFilter {
                county: Some(v.county_code.clone()),
                ..filter
            };
            let (villages, _) = state.store.round_villages(round.id, &filter, 100_000, 0).await?;
            villages.iter().any(|r| r.code == body.village_code)
        }
        None => false,
    };
    if !recorded {
        problems.push(FieldError {
            field: "village_code".into(),
            message: format!("村 {} 不在本轮或尚未登记需求", body.village_code),
        });
    }
    refuse(problems)?;
    if body.kind == Some(ConstraintKind::Pin) {
        refuse(check_pin_feasible(&state, round.id, &body).await?)?;
    }
    let kind = body.kind.map(ConstraintKind::as_str);
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_constraint",
        entity_id: format!("{}/{}/{}", round.id, body.organization_id, body.village_code),
        action: kind.unwrap_or("lift"),
        before: None,
        after: Some(json!({ "kind": kind })),
        reason: None,
    };
    state
        .store
        .set_constraint(round.id, body.organization_id, &body.village_code, kind, &audit)
        .await?;
    Ok(AppJson(constraints_of(&state, round.id).await?))
}

/// A new pin must leave the plan feasible: the society may not get more pins than villages it takes, and a
/// village (which takes one society) may not be pinned to two societies.
async fn check_pin_feasible(
    state: &AppState,
    round_id: i64,
    pin: &PairConstraint,
) -> Result<Vec<FieldError>> {
    let pins: Vec<(i64, String)> = state
        .store
        .round_constraints(round_id)
        .await?
        .into_iter()
        .filter(|(s, v, kind)| kind == "pin" && !(*s == pin.organization_id && *v == pin.village_code))
        .map(|(s, v, _)| (s, v))
        .collect();
    let mut problems = Vec::new();
    let society = state
        .store
        .round_societies(round_id, Some(pin.organization_id))
        .await?
        .pop();
    if let Some(society) = society {
        let held = pins.iter().filter(|(s, _)| *s == pin.organization_id).count() as i64;
        if held + 1 > society.capacity {
            problems.push(FieldError {
                field: "kind".into(),
                message: format!(
                    "{}的承接村数为 {}，已有 {held} 个指定配对，再指定将使方案无解",
                    society.organization_name, society.capacity
                ),
            });
        }
    }
    if let Some((other, _)) = pins.iter().find(|(_, v)| *v == pin.village_code) {
        let name = state
            .store
            .organization_name_and_kind(*other)
            .await?
            .map_or_else(|| other.to_string(), |(name, _)| name);
        problems.push(FieldError {
            field: "village_code".into(),
            message: format!(
                "村 {} 已指定给{name}，每个村只结对一个社会组织，再指定将使方案无解",
                pin.village_code
            ),
        });
    }
    Ok(problems)
}

/// A society may not take fewer villages than the pairs staff pinned to it.
async fn check_capacity_covers_pins(
    state: &AppState,
    round_id: i64,
    organization_id: i64,
    capacity: i64,
) -> Result<Option<FieldError>> {
    let pins = state
        .store
        .round_constraints(round_id)
        .await?
        .into_iter()
        .filter(|(s, _, kind)| *s == organization_id && kind == "pin")
        .count() as i64;
    Ok((capacity >= 0 && capacity < pins).then(|| FieldError {
        field: "capacity".into(),
        message: format!("工作人员已为本组织指定 {pins} 个结对村，承接村数（capacity）不能少于 {pins}"),
    }))
}
