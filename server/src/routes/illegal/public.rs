//! What anyone may do without signing in: report a body acting as a social organization (the contact is
//! personal data: sealed, and only its mask is ever shown), and search the published batches. Both share
//! the public lookup's per-address rate limit.

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{PublicIllegalList, PublicIllegalQuery, PublicReportReceived, PublicReportRequest};
use domain::illegal::{ClueSource, required_text};
use domain::privacy::mask_phone;
use serde_json::json;

use super::{division_in, refused};
use crate::auth::ClientInfo;
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::state::{AppState, today};
use crate::store::illegal::NewClue;
use crate::store::{Actor, AuditEntry, Visibility};

/// The most matches the public search shows.
const MAX_RESULTS: i64 = 50;

/// The actor of what the public does: no account, only the address.
pub(crate) fn public_actor(client: &ClientInfo) -> Actor {
    Actor {
        user_id: None,
        name: "public".to_owned(),
        role: None,
        client_addr: client.addr.clone(),
    }
}

/// A 429 when the address has asked too often (shared with the public lookup).
pub(crate) fn limit(state: &AppState, client: &ClientInfo) -> Result<()> {
    if state.public_limiter.allow(&client.addr) {
        Ok(())
    } else {
        Err(Error::RateLimited("提交过于频繁，请稍后再试".to_owned()))
    }
}

/// Reports a body suspected of acting as a social organization without registration. No account needed;
/// the contact, if given, is sealed and shown to staff masked.
#[utoipa::path(post, path = "/public/illegal-reports", tag = "public", request_body = PublicReportRequest,
    security(()),
    responses((status = 201, body = PublicReportReceived), (status = 422, body = domain::api::ApiError),
              (status = 429, body = domain::api::ApiError)))]
pub(super) async fn report_illegal_organization(
    State(state): State<AppState>,
    client: ClientInfo,
    AppJson(body): AppJson<PublicReportRequest>,
) -> Result<(StatusCode, AppJson<PublicReportReceived>)> {
    limit(&state, &client)?;
    let name = required_text("name", "组织名称", &body.name, 100).map_err(refused)?;
    let activities = required_text("activities", "活动情况", &body.activities, 2000).map_err(refused)?;
    let division_code = division_in(&state, &Visibility::All, "division_code", &body.division_code).await?;
    let contact = match body.contact.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) if c.chars().count() > 50 => {
            return Err(Error::invalid("contact", "联系方式（contact）不超过 50 个字"));
        }
        Some(c) => {
            let seal_ref = crate::crypto::seal_ref();
            let at = crate::crypto::Context::new("illegal_cases", "contact_cipher", &seal_ref);
            let sealed = state.settings.keys.seal(c, at);
            Some((sealed.key_id, sealed.ciphertext, mask_phone(c), seal_ref))
        }
        None => None,
    };
    let new = NewClue {
        name,
        division_code,
        address: body.address.trim().chars().take(200).collect(),
        activities,
        evidence: String::new(),
        source: ClueSource::PublicReport,
        organization_id: None,
        petition_id: None,
        contact,
        recorded_by: "public".to_owned(),
    };
    let actor = public_actor(&client);
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "illegal_case",
        entity_id: id.to_string(),
        action: "report",
        before: None,
        after: Some(
            json!({ "name": new.name, "division_code": new.division_code, "contact": new.contact.as_ref().map(|c| &c.2) }),
        ),
        reason: None,
    };
    state.store.insert_clue(&new, today(), audit).await?;
    let received = PublicReportReceived {
        received_on: today(),
        message: "举报已收到，登记管理机关将依法核查。感谢您的监督。".to_owned(),
    };
    Ok((StatusCode::CREATED, AppJson(received)))
}

/// The published lists of suspected illegal organizations: every batch, and the organizations of one batch
/// or whose name contains `q` (2 characters or more), with their outcome when there is one.
#[utoipa::path(get, path = "/public/illegal-organizations", tag = "public", params(PublicIllegalQuery),
    security(()),
    responses((status = 200, body = PublicIllegalList), (status = 422, body = domain::api::ApiError),
              (status = 429, body = domain::api::ApiError)))]
pub(super) async fn public_illegal_organizations(
    State(state): State<AppState>,
    client: ClientInfo,
    AppQuery(query): AppQuery<PublicIllegalQuery>,
) -> Result<AppJson<PublicIllegalList>> {
    limit(&state, &client)?;
    let q = query.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    if let Some(q) = &q
        && !(2..=50).contains(&q.chars().count())
    {
        return Err(Error::invalid("q", "请输入 2–50 个字的名称关键词（q）"));
    }
    let mut items = state
        .store
        .public_illegal_organizations(query.batch, q.as_deref(), MAX_RESULTS + 1)
        .await?;
    let truncated = items.len() as i64 > MAX_RESULTS;
    items.truncate(MAX_RESULTS as usize);
    Ok(AppJson(PublicIllegalList {
        batches: state.store.illegal_batches().await?,
        items,
        truncated,
    }))
}
