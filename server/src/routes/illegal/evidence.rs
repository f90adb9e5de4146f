//! Evidence files of a clue or case: staff in scope attach photos or PDFs (the ledger's rules: checked by
//! content, 10 MB each, stored under random names) while the case is open, and download them; every
//! upload and every download is an audit row.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::api::EvidenceFile;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::cases::visible;
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, Error, Result};
use crate::routes::contributions::evidence::{Upload, read_uploads, upload_limit};
use crate::state::AppState;
use crate::store::illegal::NewCaseEvidence;
use crate::store::{Actor, AuditEntry};

/// The upload route, with the body limit of evidence uploads.
pub(super) fn uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_case_evidence))
        .layer(upload_limit())
}

/// Attaches evidence files to an open case (multipart, field `file`, up to 5 per request): JPEG, PNG, WebP,
/// HEIC or PDF as shown by their content, each up to 10 MB. Too large → 413, another type → 422, a case
/// with an outcome → 409.
#[utoipa::path(post, path = "/illegal/cases/{id}/evidence", tag = "illegal", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "one or more `file` fields"),
    security(("session" = ["Staff"])),
    responses((status = 201, body = Vec<domain::api::EvidenceFile>), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 413, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn upload_case_evidence(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path(id): Path<i64>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, AppJson<Vec<EvidenceFile>>)> {
    let mut multipart = multipart
        .map_err(|e| Error::BadRequest(format!("上传请求须为 multipart/form-data：{}", e.body_text())))?;
    let row = visible(&state, &auth.visibility(), id).await?;
    if row.stage().is_closed() {
        return Err(closed());
    }
    // Every file is read and checked before any is stored, so that a bad one leaves nothing behind.
    let files = read_uploads(&mut multipart).await?;
    let actor = auth.actor();
    let mut stored = Vec::new();
    for file in files {
        stored.push(store_upload(&state, &actor, id, auth.user.user_id, file).await?);
    }
    let added = state
        .store
        .case_evidence(id)
        .await?
        .iter()
        .filter(|e| stored.contains(&e.stored_name))
        .map(|e| e.to_api())
        .collect();
    Ok((StatusCode::CREATED, AppJson(added)))
}

/// One evidence file of a case, to staff in its scope; each download is an audit row.
#[utoipa::path(get, path = "/illegal/cases/{id}/evidence/{evidence_id}", tag = "illegal",
    params(("id" = i64, Path), ("evidence_id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, description = "the file"), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn download_case_evidence(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path((id, evidence_id)): Path<(i64, i64)>,
) -> Result<Response> {
    visible(&state, &auth.visibility(), id).await?;
    let file = state
        .store
        .case_evidence(id)
        .await?
        .into_iter()
        .find(|e| e.id == evidence_id)
        .ok_or_else(|| Error::not_found("证据材料"))?;
    let bytes = tokio::fs::read(state.settings.evidence_dir.join(&file.stored_name))
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    state
        .store
        .record_audit(&AuditEntry {
            actor: &auth.actor(),
            entity_type: "illegal_case",
            entity_id: id.to_string(),
            action: "download_evidence",
            before: None,
            after: Some(json!({ "evidence_id": evidence_id })),
            reason: None,
        })
        .await?;
    let disposition = format!(
        "inline; filename=\"clue-{id}-{}.{}\"",
        file.id,
        file.file_type().extension()
    );
    let headers = [
        (header::CONTENT_TYPE, file.file_type().content_type().to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}

fn closed() -> Error {
    Error::conflict("该案件已办结，不能再添加证据材料")
}

/// Writes the file under a random name, then records it with its audit row; the file is removed again if
/// the record fails, so no file is left that no case names. Returns the stored name.
async fn store_upload(
    state: &AppState,
    actor: &Actor,
    id: i64,
    uploaded_by: i64,
    upload: Upload,
) -> Result<String> {
    let Upload {
        original_name,
        file_type,
        bytes,
    } = upload;
    let stored_name = format!("{}.{}", uuid::Uuid::new_v4().simple(), file_type.extension());
    let path = state.settings.evidence_dir.join(&stored_name);
    tokio::fs::write(&path, &bytes)
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    let audit = AuditEntry {
        actor,
        entity_type: "illegal_case",
        entity_id: id.to_string(),
        action: "add_evidence",
        before: None,
        after: Some(
            json!({ "file_type": file_type, "size_bytes": bytes.len(), "original_name": original_name }),
        ),
        reason: None,
    };
    let file = NewCaseEvidence {
        case_id: id,
        stored_name: &stored_name,
        original_name: &original_name,
        file_type,
        size_bytes: bytes.len() as i64,
        uploaded_by,
    };
    match state.store.add_case_evidence(&file, &audit).await {
        Ok(Some(_)) => Ok(stored_name),
        Ok(None) => {
            let _ = tokio::fs::remove_file(&path).await;
            Err(closed())
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&path).await;
            Err(e.into())
        }
    }
}
