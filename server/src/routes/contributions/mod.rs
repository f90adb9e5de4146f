//! `/api/v1/contributions`: the contribution ledger. Organizations report (idempotently), attach evidence
//! and resubmit; staff verify or return entries of their division; the bureau sees everything, the full
//! recipient details (audited) and children funded twice.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::api::{
    Contribution, ContributionTotals, CreateContributionRequest, DuplicateFunding, DuplicateRecipient,
    FieldError, Page, RecipientFull, RecipientView, ReviewRequest,
};
use domain::contributions::{
    AdmissionKind, ContributionKind, ContributionStatus, Recipient, TransitionError, ValidContribution,
};
use domain::evidence::{EvidenceType, MAX_EVIDENCE_BYTES};
use domain::money::Fen;
use domain::paging::PageRequest;
use domain::policy::{Principal, Role, Scope};
use domain::privacy::mask_name;
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, BureauOnly, OrgUsers, Rule, Staff, StaffOrOrg};
use crate::crypto::DataKeys;
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::contributions::{
    Created, LedgerFilter, LedgerScope, NewContribution, NewEvidence, SealedRecipient, TotalsBy,
};

mod export;

/// The most evidence files one upload request may carry.
const MAX_FILES_PER_UPLOAD: usize = 5;

pub fn router() -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(upload_evidence))
        .layer(DefaultBodyLimit::max(
            MAX_FILES_PER_UPLOAD * MAX_EVIDENCE_BYTES + 1024 * 1024,
        ));
    OpenApiRouter::new()
        .routes(routes!(list_contributions, create_contribution))
        .routes(routes!(contribution_totals))
        .routes(routes!(duplicate_recipients))
        .routes(routes!(export_contributions))
        .routes(routes!(find_contribution, update_contribution))
        .routes(routes!(submit_contribution))
        .routes(routes!(verify_contribution))
        .routes(routes!(return_contribution))
        .routes(routes!(full_recipients))
        .routes(routes!(download_evidence))
        .merge(uploads)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct LedgerQuery {
    /// `draft`, `submitted`, `verified` or `returned`.
    status: Option<String>,
    /// A kind key, e.g. `rural_funds`.
    kind: Option<String>,
    year: Option<i32>,
    /// A city code (`340100`), or `340000` for provincial organizations.
    city_code: Option<String>,
    organization_id: Option<i64>,
    /// Only entries counted in the totals (verified, not superseded): drill-down from a total.
    counted: Option<bool>,
    /// The review queue: submitted entries, oldest submission first.
    queue: Option<bool>,
    page: Option<u32>,
    per_page: Option<u32>,
}

impl LedgerQuery {
    fn filter(&self) -> Result<LedgerFilter> {
        let kind = match self.kind.as_deref().filter(|k| !k.is_empty()) {
            Some(raw) => Some(
                ContributionKind::parse(raw).ok_or_else(|| Error::invalid("kind", "类型（kind）取值无效"))?,
            ),
            None => None,
        };
        let mut status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            Some(raw) => Some(
                ContributionStatus::parse(raw)
                    .ok_or_else(|| Error::invalid("status", "状态（status）取值无效"))?,
            ),
            None => None,
        };
        let queue = self.queue.unwrap_or(false);
        if queue {
            status = Some(ContributionStatus::Submitted);
        }
        Ok(LedgerFilter {
            organization_id: self.organization_id,
            kind,
            status,
            year: self.year,
            city_code: self.city_code.clone().filter(|c| !c.is_empty()),
            counted: self.counted.unwrap_or(false),
            oldest_first: queue,
        })
    }
}

/// Entries in the caller's scope, newest first (or the review queue, oldest submission first).
#[utoipa::path(get, path = "/contributions", tag = "contributions", params(LedgerQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Page<Contribution>)))]
async fn list_contributions(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<LedgerQuery>,
) -> Result<AppJson<Page<Contribution>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = query.filter()?;
    let (items, total) = state
        .store
        .list_contributions(&LedgerScope::of(&auth.user), &filter, page)
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
async fn create_contribution(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    headers: HeaderMap,
    AppJson(body): AppJson<CreateContributionRequest>,
) -> Result<(StatusCode, AppJson<Contribution>)> {
    let organization_id = own_organization(&auth.user)?;
    let key = idempotency_key(&headers)?;
    let request_hash = key.as_ref().map(|_| request_digest(&body));
    let entry = validate(&state, &body.entry, &auth.user).await?;
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
        .create_contribution(&new, |id| AuditEntry {
            actor: &actor,
            entity_type: "contribution",
            entity_id: id.to_string(),
            action: "create",
            before: None,
            after: Some(audit_view(&entry, status)),
            reason: None,
        })
        .await?;
    let (id, code) = match created {
        Created::New(id) => (id, StatusCode::CREATED),
        Created::Repeat(id) => (id, StatusCode::OK),
        Created::KeyReused => {
            let message = "这个 Idempotency-Key 已用于另一份内容不同的填报：同一个键只能重发同一份填报，新的填报请使用新的键";
            return Err(Error::Conflict {
                message: message.to_owned(),
                fields: vec![FieldError {
                    field: "Idempotency-Key".to_owned(),
                    message: message.to_owned(),
                }],
            });
        }
    };
    Ok((code, AppJson(detail(&state, &auth.user, id).await?)))
}

/// One entry with its recipients (masked) and evidence files.
#[utoipa::path(get, path = "/contributions/{id}", tag = "contributions", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError)))]
async fn find_contribution(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    Path(id): Path<i64>,
) -> Result<AppJson<Contribution>> {
    Ok(AppJson(detail(&state, &auth.user, id).await?))
}

/// Changes a draft or returned entry (a verified one is locked: 409); sends it for review unless `draft`.
#[utoipa::path(put, path = "/contributions/{id}", tag = "contributions", params(("id" = i64, Path)),
    request_body = CreateContributionRequest,
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn update_contribution(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    Path(id): Path<i64>,
    AppJson(body): AppJson<CreateContributionRequest>,
) -> Result<AppJson<Contribution>> {
    let before = load(&state, &auth.user, id).await?;
    before.status.check_editable().map_err(transition_error)?;
    if body.entry.corrects_id != before.corrects_id {
        return Err(Error::invalid("corrects_id", "不能修改所更正的记录"));
    }
    let entry = validate(&state, &body.entry, &auth.user).await?;
    let recipients = seal(&state.settings.keys, &entry.recipients);
    let status = if body.draft {
        before.status
    } else {
        ContributionStatus::Submitted
    };
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "contribution",
        entity_id: id.to_string(),
        action: if status == ContributionStatus::Submitted && before.status == ContributionStatus::Returned {
            "resubmit"
        } else {
            "update"
        },
        before: Some(
            json!({ "kind": before.kind, "date": before.date, "amount_fen": before.amount_fen,
                             "status": before.status, "recipients": before.recipient_count }),
        ),
        after: Some(audit_view(&entry, status)),
        reason: None,
    };
    if !state
        .store
        .update_contribution(id, &entry, &recipients, status, &audit)
        .await?
    {
        return Err(Error::conflict("该记录的状态已变化，请刷新后再试"));
    }
    Ok(AppJson(detail(&state, &auth.user, id).await?))
}

/// Sends a draft, or a returned entry again, for review.
#[utoipa::path(post, path = "/contributions/{id}/submit", tag = "contributions", params(("id" = i64, Path)),
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError)))]
async fn submit_contribution(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    Path(id): Path<i64>,
) -> Result<AppJson<Contribution>> {
    let action = |from| {
        if from == ContributionStatus::Returned {
            "resubmit"
        } else {
            "submit"
        }
    };
    review(&state, &auth, id, ContributionStatus::submit, action, None).await
}

/// Confirms a submitted entry of the staff member's division; it is locked from then on.
#[utoipa::path(post, path = "/contributions/{id}/verify", tag = "contributions", params(("id" = i64, Path)),
    request_body = ReviewRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError)))]
async fn verify_contribution(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path(id): Path<i64>,
    AppJson(body): AppJson<ReviewRequest>,
) -> Result<AppJson<Contribution>> {
    let note = body.reason.filter(|r| !r.trim().is_empty());
    review(&state, &auth, id, ContributionStatus::verify, |_| "verify", note).await
}

/// Sends a submitted entry back to its organization with a reason (required).
#[utoipa::path(post, path = "/contributions/{id}/return", tag = "contributions", params(("id" = i64, Path)),
    request_body = ReviewRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn return_contribution(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path(id): Path<i64>,
    AppJson(body): AppJson<ReviewRequest>,
) -> Result<AppJson<Contribution>> {
    let reason = body
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty() && r.chars().count() <= 500)
        .ok_or_else(|| Error::invalid("reason", "请填写退回原因（不超过 500 个字）"))?;
    review(
        &state,
        &auth,
        id,
        ContributionStatus::return_to_organization,
        |_| "return",
        Some(reason),
    )
    .await
}

async fn review<R: Rule>(
    state: &AppState,
    auth: &Auth<R>,
    id: i64,
    transition: fn(ContributionStatus) -> Result<ContributionStatus, TransitionError>,
    action: impl Fn(ContributionStatus) -> &'static str,
    reason: Option<String>,
) -> Result<AppJson<Contribution>> {
    let before = load(state, &auth.user, id).await?;
    let to = transition(before.status).map_err(transition_error)?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "contribution",
        entity_id: id.to_string(),
        action: action(before.status),
        before: Some(json!({ "status": before.status })),
        after: Some(json!({ "status": to })),
        reason: reason.clone(),
    };
    let reviewer = auth.user.role.is_staff().then_some(auth.user.user_id);
    let reason = (to == ContributionStatus::Returned).then_some(reason).flatten();
    if !state
        .store
        .change_contribution_status(id, before.status, to, reason.as_deref(), reviewer, &audit)
        .await?
    {
        return Err(Error::conflict("该记录的状态已变化，请刷新后再试"));
    }
    Ok(AppJson(detail(state, &auth.user, id).await?))
}

/// The recipients of an entry in full (names, ID numbers). Bureau administrators only; each view is
/// recorded in the audit log.
#[utoipa::path(get, path = "/contributions/{id}/recipients/full", tag = "contributions", params(("id" = i64, Path)),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Vec<RecipientFull>), (status = 404, body = domain::api::ApiError)))]
async fn full_recipients(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    Path(id): Path<i64>,
) -> Result<AppJson<Vec<RecipientFull>>> {
    load(&state, &auth.user, id).await?;
    let rows = state.store.contribution_recipients(&[id]).await?;
    let keys = &state.settings.keys;
    let mut full = Vec::with_capacity(rows.len());
    for row in &rows {
        full.push(RecipientFull {
            id: row.id,
            name: keys.open(&row.key_id, &row.name_cipher)?,
            id_number: keys.open(&row.key_id, &row.id_number_cipher)?,
            school: row.school.clone(),
            admission: AdmissionKind::parse(&row.admission).unwrap_or(AdmissionKind::Undergraduate),
            amount_fen: Fen::new(row.amount_fen),
            year: row.year,
        });
    }
    let actor = auth.actor();
    state
        .store
        .record_audit(&AuditEntry {
            actor: &actor,
            entity_type: "contribution",
            entity_id: id.to_string(),
            action: "view_personal_data",
            before: None,
            after: Some(json!({ "recipients": rows.iter().map(|r| r.id).collect::<Vec<_>>() })),
            reason: None,
        })
        .await?;
    Ok(AppJson(full))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct DuplicateQuery {
    year: Option<i32>,
}

/// Children funded by more than one organization in the same year (matched by a keyed hash of the ID
/// number; shown masked). Bureau administrators only.
#[utoipa::path(get, path = "/contributions/duplicates", tag = "contributions", params(DuplicateQuery),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Vec<DuplicateRecipient>)))]
async fn duplicate_recipients(
    State(state): State<AppState>,
    _auth: Auth<BureauOnly>,
    AppQuery(query): AppQuery<DuplicateQuery>,
) -> Result<AppJson<Vec<DuplicateRecipient>>> {
    let rows = state.store.duplicate_recipients(query.year).await?;
    let mut groups: Vec<(String, DuplicateRecipient)> = Vec::new();
    for (row, organization_id, organization_name) in rows {
        let funding = DuplicateFunding {
            contribution_id: row.contribution_id,
            organization_id,
            organization_name,
            amount_fen: Fen::new(row.amount_fen),
        };
        match groups.last_mut() {
            Some((hash, group)) if *hash == row.id_hash && group.year == row.year => {
                group.fundings.push(funding)
            }
            _ => groups.push((
                row.id_hash.clone(),
                DuplicateRecipient {
                    year: row.year,
                    name: row.name_masked.clone(),
                    id_number: row.id_number_masked.clone(),
                    fundings: vec![funding],
                },
            )),
        }
    }
    Ok(AppJson(groups.into_iter().map(|(_, g)| g).collect()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct TotalsQuery {
    /// Comma-separated dimensions: `kind`, `year`, `city`, `organization` (default `kind,year`).
    by: Option<String>,
    kind: Option<String>,
    year: Option<i32>,
    city_code: Option<String>,
    organization_id: Option<i64>,
}

/// Verified entries in the caller's scope (an organization: its own), summed by the dimensions asked for.
#[utoipa::path(get, path = "/contributions/totals", tag = "contributions", params(TotalsQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = ContributionTotals), (status = 422, body = domain::api::ApiError)))]
async fn contribution_totals(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<TotalsQuery>,
) -> Result<AppJson<ContributionTotals>> {
    let mut by = TotalsBy::default();
    for dimension in query
        .by
        .as_deref()
        .unwrap_or("kind,year")
        .split(',')
        .map(str::trim)
    {
        match dimension {
            "kind" => by.kind = true,
            "year" => by.year = true,
            "city" => by.city = true,
            "organization" => by.organization = true,
            "" => {}
            _ => {
                return Err(Error::invalid(
                    "by",
                    "汇总维度（by）只能是 kind、year、city、organization",
                ));
            }
        }
    }
    let filter = LedgerQuery {
        status: None,
        kind: query.kind,
        year: query.year,
        city_code: query.city_code,
        organization_id: query.organization_id,
        counted: Some(true),
        queue: None,
        page: None,
        per_page: None,
    }
    .filter()?;
    let groups = state
        .store
        .contribution_totals(&LedgerScope::of(&auth.user), &filter, by)
        .await?;
    let entries = groups.iter().map(|g| g.entries).sum();
    let amount_fen = Fen::checked_sum(groups.iter().map(|g| g.amount_fen)).unwrap_or(Fen::new(i64::MAX));
    Ok(AppJson(ContributionTotals {
        groups,
        entries,
        amount_fen,
    }))
}

/// Every entry in the caller's scope that passes the filter, as an .xlsx workbook; recipients are masked.
#[utoipa::path(get, path = "/contributions/export", tag = "contributions", params(LedgerQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, description = "an .xlsx workbook")))]
async fn export_contributions(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<LedgerQuery>,
) -> Result<Response> {
    let filter = query.filter()?;
    let (entries, total) = state
        .store
        .export_contributions(&LedgerScope::of(&auth.user), &filter, export::MAX_ROWS)
        .await?;
    let scholarship_ids: Vec<i64> = entries
        .iter()
        .filter(|e| e.recipient_count > 0)
        .map(|e| e.id)
        .collect();
    let mut recipients = Vec::new();
    for chunk in scholarship_ids.chunks(500) {
        recipients.extend(state.store.contribution_recipients(chunk).await?);
    }
    let truncated = total > entries.len() as u64;
    let bytes = tokio::task::spawn_blocking(move || export::workbook(&entries, &recipients, truncated))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(|e| Error::Internal(e.into()))?;
    let filename = format!("contributions-{}.xlsx", Utc::now().format("%Y%m%d"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// Attaches evidence files (multipart, field `file`, up to 5 per request): JPEG, PNG, WebP, HEIC or PDF as
/// shown by their content, each up to 10 MB. Too large → 413, another type → 422, naming the field.
#[utoipa::path(post, path = "/contributions/{id}/evidence", tag = "contributions", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "one or more `file` fields"),
    security(("session" = ["OrgUsers"])),
    responses((status = 201, body = Vec<domain::api::EvidenceFile>), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 413, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
async fn upload_evidence(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    Path(id): Path<i64>,
    multipart: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, AppJson<Vec<domain::api::EvidenceFile>>)> {
    // An unreadable multipart request answers in the error envelope, like every other rejection.
    let mut multipart = multipart
        .map_err(|e| Error::BadRequest(format!("上传请求须为 multipart/form-data：{}", e.body_text())))?;
    let entry = load(&state, &auth.user, id).await?;
    entry.status.check_editable().map_err(transition_error)?;
    // Read and check every file before storing any, so that a bad one leaves nothing behind.
    let mut files = Vec::new();
    let mut index = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("file").to_owned();
        let label = if name == "file" {
            format!("file[{index}]")
        } else {
            name.clone()
        };
        let original_name = field
            .file_name()
            .map(|n| n.chars().take(120).collect::<String>())
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            if bytes.len() + chunk.len() > MAX_EVIDENCE_BYTES {
                return Err(too_large(&label));
            }
            bytes.extend_from_slice(&chunk);
        }
        if name != "file" {
            continue;
        }
        let file_type = EvidenceType::sniff(&bytes).ok_or_else(|| {
            Error::invalid(
                label.clone(),
                "文件类型不受支持：只接受 JPEG、PNG、WebP、HEIC 照片或 PDF 文件（按文件内容识别）",
            )
        })?;
        files.push((original_name, file_type, bytes));
        index += 1;
        if files.len() > MAX_FILES_PER_UPLOAD {
            return Err(Error::invalid(
                "file",
                format!("一次最多上传 {MAX_FILES_PER_UPLOAD} 个文件"),
            ));
        }
    }
    if files.is_empty() {
        return Err(Error::invalid("file", "请选择要上传的文件"));
    }
    let actor = auth.actor();
    let mut stored = Vec::new();
    for (original_name, file_type, bytes) in files {
        let stored_name = format!("{}.{}", uuid::Uuid::new_v4().simple(), file_type.extension());
        let path = state.settings.evidence_dir.join(&stored_name);
        tokio::fs::write(&path, &bytes)
            .await
            .map_err(|e| Error::Internal(e.into()))?;
        let audit = AuditEntry {
            actor: &actor,
            entity_type: "contribution",
            entity_id: id.to_string(),
            action: "add_evidence",
            before: None,
            after: Some(
                json!({ "file_type": file_type, "size_bytes": bytes.len(), "original_name": original_name }),
            ),
            reason: None,
        };
        let file = NewEvidence {
            contribution_id: id,
            stored_name: &stored_name,
            original_name: &original_name,
            file_type,
            size_bytes: bytes.len() as i64,
            uploaded_by: auth.user.user_id,
        };
        let added = state.store.add_evidence(&file, &audit).await;
        if let Err(e) = added {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(e.into());
        }
        stored.push(stored_name);
    }
    let evidence = state.store.contribution_evidence(id).await?;
    let added = evidence
        .iter()
        .filter(|e| stored.contains(&e.stored_name))
        .map(|e| e.to_api())
        .collect();
    Ok((StatusCode::CREATED, AppJson(added)))
}

/// One evidence file, to those who may see its entry.
#[utoipa::path(get, path = "/contributions/{id}/evidence/{evidence_id}", tag = "contributions",
    params(("id" = i64, Path), ("evidence_id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, description = "the file"), (status = 404, body = domain::api::ApiError)))]
async fn download_evidence(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    Path((id, evidence_id)): Path<(i64, i64)>,
) -> Result<Response> {
    load(&state, &auth.user, id).await?;
    let evidence = state.store.contribution_evidence(id).await?;
    let file = evidence
        .into_iter()
        .find(|e| e.id == evidence_id)
        .ok_or_else(|| Error::not_found("佐证材料"))?;
    let bytes = tokio::fs::read(state.settings.evidence_dir.join(&file.stored_name))
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    let disposition = format!(
        "inline; filename=\"evidence-{}.{}\"",
        file.id,
        file.file_type().extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.file_type().content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The organization an organization user acts for.
fn own_organization(user: &Principal) -> Result<i64> {
    match &user.scope {
        Scope::Organization { id, .. } => Ok(*id),
        _ => Err(Error::Forbidden),
    }
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

/// The domain checks, then those that need the database: the village exists, the corrected entry is a
/// verified one of the same organization and kind.
async fn validate(
    state: &AppState,
    input: &domain::api::ContributionInput,
    user: &Principal,
) -> Result<ValidContribution> {
    let today = Utc::now().date_naive();
    let entry = input.validate(today).map_err(|errors| {
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
            .find_contribution(corrected, &LedgerScope::of(user))
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
            let name = keys.seal(&r.name);
            let id_number = keys.seal(r.id_number.as_str());
            SealedRecipient {
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

/// What the audit log keeps of an entry: no names or ID numbers.
fn audit_view(entry: &ValidContribution, status: ContributionStatus) -> serde_json::Value {
    json!({ "kind": entry.kind, "date": entry.date, "amount_fen": entry.amount, "people": entry.people,
            "village_code": entry.village_code, "status": status, "corrects_id": entry.corrects_id,
            "recipients": entry.recipients.len() })
}

async fn load(state: &AppState, user: &Principal, id: i64) -> Result<Contribution> {
    state
        .store
        .find_contribution(id, &LedgerScope::of(user))
        .await?
        .ok_or_else(|| Error::not_found("贡献记录"))
}

/// An entry with its masked recipients and evidence; the duplicate flag only for bureau administrators.
async fn detail(state: &AppState, user: &Principal, id: i64) -> Result<Contribution> {
    let mut entry = load(state, user, id).await?;
    let rows = state.store.contribution_recipients(&[id]).await?;
    let elsewhere = if user.role == Role::BureauAdmin && !rows.is_empty() {
        Some(state.store.recipients_funded_elsewhere(id).await?)
    } else {
        None
    };
    entry.recipients = rows
        .into_iter()
        .map(|row| RecipientView {
            id: row.id,
            name: row.name_masked,
            id_number: row.id_number_masked,
            school: row.school,
            admission: AdmissionKind::parse(&row.admission).unwrap_or(AdmissionKind::Undergraduate),
            amount_fen: Fen::new(row.amount_fen),
            year: row.year,
            funded_elsewhere: elsewhere.as_ref().map(|ids| ids.contains(&row.id)),
        })
        .collect();
    entry.evidence = state
        .store
        .contribution_evidence(id)
        .await?
        .iter()
        .map(|e| e.to_api())
        .collect();
    Ok(entry)
}

fn transition_error(e: TransitionError) -> Error {
    Error::conflict(e.to_string())
}

fn too_large(field: &str) -> Error {
    let message = format!("文件过大：每个文件不超过 {} MB", MAX_EVIDENCE_BYTES / 1024 / 1024);
    Error::PayloadTooLarge {
        message: message.clone(),
        fields: vec![FieldError {
            field: field.to_owned(),
            message,
        }],
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> Error {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large("file")
    } else {
        Error::BadRequest(format!("无法读取上传的文件：{}", e.body_text()))
    }
}
