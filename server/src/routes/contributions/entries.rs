//! Entries: the list, one entry, and an organization reporting (idempotently) or changing its own.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use domain::api::{
    Contribution, ContributionInput, CreateContributionRequest, FieldError, LedgerQuery, Page,
};
use domain::contributions::{ContributionStatus, Recipient, ValidContribution};
use domain::paging::PageRequest;
use domain::privacy::mask_name;
use serde_json::json;

use super::{changed_meanwhile, detail, load, transition_error};
use crate::auth::{Auth, OrgUsers, StaffOrOrg};
use crate::crypto::{Context, DataKeys};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::contributions::{Created, LedgerFilter, NewContribution, SealedRecipient};
use crate::store::{Actor, AuditEntry, Visibility};

/// Entries in the caller's scope, newest first (or the review queue, oldest submission first).
#[utoipa::path(get, path = "/contributions", tag = "contributions", params(LedgerQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Page<Contribution>)))]
pub(super) async fn list_contributions(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<LedgerQuery>,
) -> Result<AppJson<Page<Contribution>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = LedgerFilter::try_from(&query)?;
    let (items, total) = state
        .store
        .list_contributions(&auth.visibility(), &filter, page)
        .await?;
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Records an entry for the caller's organization, sent for review unless `draft`. With an
/// `Idempotency-Key` header, a repeated request (however many arrive at once) records it once and answers
/// with the first entry (200 instead of 201); the same key with a different body is refused (409).
#[utoipa::path(post, path = "/contributions", tag = "contributions", request_body = CreateContributionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "client-generated key, up to 100 characters")),
    security(("session" = ["OrgUsers"])),
    responses((status = 201, body = Contribution), (status = 200, body = Contribution),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_contribution(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    headers: HeaderMap,
    AppJson(body): AppJson<CreateContributionRequest>,
) -> Result<(StatusCode, AppJson<Contribution>)> {
    let organization_id = auth.own_organization()?;
    let key = idempotency_key(&headers)?;
    let request_hash = key.as_ref().map(|_| request_digest(&body));
    let entry = validate(&state, &body.entry, &auth.visibility()).await?;
    let division = state
        .store
        .organization_division(organization_id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))?;
    let recipients = seal(&state.settings.keys, &entry.recipients);
    let status = if body.draft {
        ContributionStatus::Draft
    } else {
        ContributionStatus::Submitted
    };
    let actor = auth.actor();
    let new = NewContribution {
        organization_id,
        division_code: &division,
        entry: &entry,
        recipients: &recipients,
        status,
        idempotency_key: key.as_deref(),
        request_hash: request_hash.as_deref(),
        created_by: Some(auth.user.user_id),
    };
    let created = state
        .store
        .create_contribution(&new, |id| audit_entry(&actor, id, "create", None, &entry, status))
        .await?;
    let (id, code) = match created {
        Created::New(id) => (id, StatusCode::CREATED),
        Created::Repeat(id) => (id, StatusCode::OK),
        Created::KeyReused => return Err(key_reused()),
    };
    Ok((code, AppJson(detail(&state, &auth, id).await?)))
}

/// One entry with its recipients (masked) and evidence files.
#[utoipa::path(get, path = "/contributions/{id}", tag = "contributions", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_contribution(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<Contribution>> {
    Ok(AppJson(detail(&state, &auth, id).await?))
}

/// Changes a draft or returned entry (a verified one is locked: 409); sends it for review unless `draft`.
#[utoipa::path(put, path = "/contributions/{id}", tag = "contributions", params(("id" = i64, Path)),
    request_body = CreateContributionRequest,
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn update_contribution(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<CreateContributionRequest>,
) -> Result<AppJson<Contribution>> {
    let visibility = auth.visibility();
    let before = load(&state, &visibility, id).await?;
    before.status.check_editable().map_err(transition_error)?;
    if body.entry.corrects_id != before.corrects_id {
        return Err(Error::invalid("corrects_id", "不能修改所更正的记录"));
    }
    let entry = validate(&state, &body.entry, &visibility).await?;
    let recipients = seal(&state.settings.keys, &entry.recipients);
    let status = if body.draft {
        before.status
    } else {
        ContributionStatus::Submitted
    };
    let resubmitted =
        status == ContributionStatus::Submitted && before.status == ContributionStatus::Returned;
    let action = if resubmitted { "resubmit" } else { "update" };
    let was = json!({ "kind": before.kind, "date": before.date, "amount_fen": before.amount_fen,
                      "status": before.status, "recipients": before.recipient_count });
    let actor = auth.actor();
    let audit = audit_entry(&actor, id, action, Some(was), &entry, status);
    if !state
        .store
        .update_contribution(id, &entry, &recipients, status, &audit)
        .await?
    {
        return Err(changed_meanwhile());
    }
    Ok(AppJson(detail(&state, &auth, id).await?))
}

/// The `Idempotency-Key` header, if sent: 1–100 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if !key.is_empty() && key.len() <= 100 && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_owned()))
        }
        _ => Err(Error::invalid(
            "Idempotency-Key",
            "Idempotency-Key 须为 1–100 个可见 ASCII 字符",
        )),
    }
}

/// SHA-256 (hex) of the request as parsed and written out again, so that spacing and key order do not
/// matter but every value does.
fn request_digest(body: &CreateContributionRequest) -> String {
    use sha2::{Digest, Sha256};
    let canonical = serde_json::to_vec(body).unwrap_or_default();
    Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The 409 for an `Idempotency-Key` first used with another report.
fn key_reused() -> Error {
    let message =
        "这个 Idempotency-Key 已用于另一份内容不同的填报：同一个键只能重发同一份填报，新的填报请使用新的键";
    Error::Conflict {
        message: message.to_owned(),
        fields: vec![FieldError {
            field: "Idempotency-Key".to_owned(),
            message: message.to_owned(),
        }],
    }
}

/// The domain checks, then those that need the database: the village exists, the corrected entry is a
/// verified one the caller may see (their organization's) of the same kind.
async fn validate(
    state: &AppState,
    input: &ContributionInput,
    visibility: &Visibility,
) -> Result<ValidContribution> {
    let entry = input.validate(crate::state::today()).map_err(|errors| {
        let fields: Vec<FieldError> = errors
            .into_iter()
            .map(|e| FieldError {
                field: e.field,
                message: e.message,
            })
            .collect();
        Error::Validation {
            message: format!("提交的内容有误：{}", fields[0].message),
            fields,
        }
    })?;
    if let Some(code) = &entry.village_code
        && !state.store.village_exists(code).await?
    {
        return Err(Error::invalid("village_code", "没有这个村（社区）"));
    }
    if let Some(corrected) = entry.corrects_id {
        let original = state
            .store
            .find_contribution(corrected, visibility)
            .await?
            .ok_or_else(|| Error::invalid("corrects_id", "所更正的记录不存在"))?;
        if original.status != ContributionStatus::Verified || original.superseded_by.is_some() {
            return Err(Error::invalid("corrects_id", "只能更正已核实且未被更正过的记录"));
        }
        if original.kind != entry.kind {
            return Err(Error::invalid("kind", "更正记录的类型须与原记录相同"));
        }
    }
    Ok(entry)
}

/// Seals each recipient's name and ID number and computes the masks and the match digest.
fn seal(keys: &DataKeys, recipients: &[Recipient]) -> Vec<SealedRecipient> {
    recipients
        .iter()
        .map(|r| {
            let seal_ref = crate::crypto::seal_ref();
            let at = |column| Context::new("contribution_recipients", column, &seal_ref);
            let name = keys.seal(&r.name, at("name_cipher"));
            let id_number = keys.seal(r.id_number.as_str(), at("id_number_cipher"));
            SealedRecipient {
                seal_ref: seal_ref.clone(),
                key_id: name.key_id,
                name_cipher: name.ciphertext,
                id_number_cipher: id_number.ciphertext,
                name_masked: mask_name(&r.name),
                id_number_masked: r.id_number.masked(),
                id_hash: keys.match_digest(r.id_number.as_str()),
                school: r.school.clone(),
                admission: r.admission,
                amount: r.amount,
                year: r.year,
            }
        })
        .collect()
}

/// The audit row of a report or change: what the log keeps of the entry has no names or ID numbers.
fn audit_entry<'a>(
    actor: &'a Actor,
    id: i64,
    action: &'a str,
    before: Option<serde_json::Value>,
    entry: &ValidContribution,
    status: ContributionStatus,
) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        entity_type: "contribution",
        entity_id: id.to_string(),
        action,
        before,
        after: Some(
            json!({ "kind": entry.kind, "date": entry.date, "amount_fen": entry.amount,
            "people": entry.people, "village_code": entry.village_code, "status": status,
            "corrects_id": entry.corrects_id, "recipients": entry.recipients.len() }),
        ),
        reason: None,
    }
}
