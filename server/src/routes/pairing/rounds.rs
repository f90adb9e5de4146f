//! `/api/v1/rounds`: a bureau administrator opens a 百社进百村 round over some counties with its rules;
//! staff and societies read the rounds.

use std::collections::HashSet;

use axum::extract::State;
use domain::api::{FieldError, OpenRoundRequest, Round};
use domain::division::{DivisionCode, DivisionLevel};
use domain::pairing::round;
use domain::pairing::{BoundingBox, within_bounds};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{load_round, refuse};
use crate::auth::{Auth, BureauOnly, StaffOrOrg};
use crate::error::{AppJson, AppPath, Result, ResultExt, UniqueKey};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::pairing::{NewRound, RoundRecord};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rounds, open_round))
        .routes(routes!(find_round))
}

/// Round names are unique; a second round of the same name is refused naming the field.
const ROUND_KEYS: [UniqueKey; 1] = [UniqueKey {
    table: "pairing_rounds",
    column: "name",
    field: "name",
    message: "已有同名的配对轮次",
}];

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
pub(super) async fn check_county(state: &AppState, field: &str, raw: &str) -> Result<Option<FieldError>> {
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

/// The problems of a round's counties: at least one, none twice, each a county of Anhui.
async fn check_counties(state: &AppState, counties: &[String]) -> Result<Vec<FieldError>> {
    let mut problems = Vec::new();
    if counties.is_empty() {
        problems.push(FieldError {
            field: "counties".into(),
            message: "请至少选择一个县区".into(),
        });
    }
    let mut seen = HashSet::new();
    for (i, county) in counties.iter().enumerate() {
        let field = format!("counties[{i}]");
        if !seen.insert(county.as_str()) {
            problems.push(FieldError {
                field,
                message: format!("县区 {county} 重复"),
            });
        } else if let Some(problem) = check_county(state, &field, county).await? {
            problems.push(problem);
        }
    }
    Ok(problems)
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
    let mut problems: Vec<FieldError> = round::check_round_name(&body.name).into_iter().collect();
    problems.extend(check_counties(&state, &body.counties).await?);
    problems.extend(round::check_rules(&body.rules));
    refuse(problems)?;
    let new = NewRound {
        name: body.name.trim().to_owned(),
        counties: body.counties,
        rules: body.rules,
        created_by: auth.user.display_name.clone(),
    };
    let actor = auth.actor();
    let after = json!({ "name": new.name, "counties": new.counties, "rules": new.rules });
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
        .await
        .on_unique(&ROUND_KEYS)?;
    Ok(AppJson(round_view(&state, load_round(&state, id).await?).await?))
}

/// One round.
#[utoipa::path(get, path = "/rounds/{id}", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Round), (status = 404, body = domain::api::ApiError)))]
async fn find_round(
    State(state): State<AppState>,
    _auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<Round>> {
    Ok(AppJson(round_view(&state, load_round(&state, id).await?).await?))
}
