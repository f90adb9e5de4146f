//! The draw (双随机), its re-run by a second person, and its publication (一公开).

use axum::extract::State;
use chrono::Utc;
use domain::api::{DrawRequest, DrawVerification, FeeCampaignDetail, PublishedAssociation, PublishedDraw};
use domain::fees::CampaignStage;
use domain::fees::draw::{DrawInput, draw, format_seed, parse_seed};
use serde_json::json;

use super::campaign;
use super::campaigns::detail;
use crate::auth::{Auth, BureauOnly, ClientInfo, Staff};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::routes::illegal::public::limit;
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::fees::DrawOutcome;

/// Draws the campaign: the eligible associations (行业协会商会 in normal status, in the campaign's division
/// and levels) and the pool's conflicts recorded so far are read, the draw runs from the seed given or a
/// random one, and the list is stored and published with its seed and inputs.
#[utoipa::path(post, path = "/fees/campaigns/{id}/draw", tag = "fees", params(("id" = i64, Path)),
    request_body = DrawRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = FeeCampaignDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn draw_fee_campaign(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<DrawRequest>,
) -> Result<AppJson<FeeCampaignDetail>> {
    let row = campaign(&state, id).await?;
    if row.stage() != CampaignStage::Open {
        return Err(Error::conflict("该检查活动已抽取，不能重新抽取；可复核抽取结果"));
    }
    let seed = match body.seed.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => {
            parse_seed(raw).ok_or_else(|| Error::invalid("seed", "随机种子（seed）应为 16 位十六进制数字"))?
        }
        None => rand::random::<u64>(),
    };
    let outcome = state
        .store
        .draw_fee_campaign(&row, seed, Utc::now(), &auth.actor())
        .await?;
    match outcome {
        DrawOutcome::Drawn { .. } => {}
        DrawOutcome::NothingToDraw => {
            return Err(Error::conflict(
                "没有可抽取的协会：范围内没有登记状态正常的行业协会商会，或检查人员因回避不足",
            ));
        }
        DrawOutcome::AlreadyDrawn => return Err(Error::conflict("该检查活动已由他人抽取，请刷新")),
    }
    Ok(AppJson(detail(&state, id).await?))
}

/// Re-runs the draw from its recorded seed and inputs and says whether it gives the recorded list — the
/// associations, their inspectors and the order. The re-run is recorded with who ran it.
#[utoipa::path(post, path = "/fees/campaigns/{id}/verify", tag = "fees", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = DrawVerification), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError)))]
pub(super) async fn verify_fee_draw(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<DrawVerification>> {
    let row = campaign(&state, id).await?;
    let (Some(seed), Some(recorded_input)) = (&row.seed, &row.draw_input) else {
        return Err(Error::conflict("该检查活动尚未抽取"));
    };
    let input: DrawInput = serde_json::from_str(recorded_input).map_err(|e| Error::Internal(e.into()))?;
    let rerun = draw(&input);
    let recorded = state.store.fee_drawn_list(id).await?;
    let same = rerun == recorded && format_seed(input.seed) == *seed;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "fee_campaign",
        entity_id: id.to_string(),
        action: "verify_draw",
        before: None,
        after: Some(json!({ "same": same, "seed": seed, "drawn": rerun.len() })),
        reason: None,
    };
    let verified_at = state
        .store
        .record_fee_verification(id, same, rerun.len(), &auth.user.username, &audit)
        .await?;
    Ok(AppJson(DrawVerification {
        same,
        seed: seed.clone(),
        drawn: rerun.len() as u32,
        verified_by: auth.user.username.clone(),
        verified_at,
    }))
}

/// The published draw of a campaign: its seed, how many were eligible, and each drawn association with
/// its inspectors. No account needed (rate-limited like the public lookup).
#[utoipa::path(get, path = "/public/fees/campaigns/{id}", tag = "public", params(("id" = i64, Path)),
    security(()),
    responses((status = 200, body = PublishedDraw), (status = 404, body = domain::api::ApiError),
              (status = 429, body = domain::api::ApiError)))]
pub(super) async fn published_fee_draw(
    State(state): State<AppState>,
    client: ClientInfo,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<PublishedDraw>> {
    limit(&state, &client)?;
    let row = campaign(&state, id).await?;
    let (Some(seed), Some(drawn_at)) = (row.seed.clone(), row.drawn_at) else {
        return Err(Error::not_found("抽取结果"));
    };
    let associations = state
        .store
        .fee_published_list(id)
        .await?
        .into_iter()
        .map(|(order, name, credit_code, inspectors)| PublishedAssociation {
            draw_order: order as u32,
            name,
            credit_code,
            inspectors,
        })
        .collect();
    Ok(AppJson(PublishedDraw {
        campaign_id: id,
        year: row.year,
        title: row.title,
        division_name: row.division_name,
        seed,
        eligible: row.eligible.unwrap_or_default() as u32,
        drawn_at,
        associations,
    }))
}
