//! Evidence files: an organization attaches photos or PDFs to an entry it may still change; whoever may see
//! the entry may download them. Files are checked by their content and stored under random names.
//!
//! Reading and checking an upload (`read_uploads`, `upload_limit`) is shared with the evidence of
//! illegal-organization cases (`routes::illegal::evidence`).

use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::api::{EvidenceFile, FieldError};
use domain::evidence::{EvidenceType, MAX_EVIDENCE_BYTES};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{load, transition_error};
use crate::auth::{Auth, OrgUsers, StaffOrOrg};
use crate::error::{AppJson, Error, Result};
use crate::state::AppState;
use crate::store::contributions::NewEvidence;
use crate::store::{Actor, AuditEntry};

/// The most evidence files one upload request may carry.
const MAX_FILES_PER_UPLOAD: usize = 5;

/// The upload route, whose body may carry several files at their largest.
pub(super) fn uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_evidence))
        .layer(upload_limit())
}

/// The body limit of an evidence upload: several files at their largest.
pub(crate) fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_FILES_PER_UPLOAD * MAX_EVIDENCE_BYTES + 1024 * 1024)
}

/// A file read from the request and checked, not yet stored.
pub(crate) struct Upload {
    pub(crate) original_name: String,
    pub(crate) file_type: EvidenceType,
    pub(crate) bytes: Vec<u8>,
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
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, AppJson<Vec<EvidenceFile>>)> {
    // An unreadable multipart request answers in the error envelope, like every other rejection.
    let mut multipart = multipart
        .map_err(|e| Error::BadRequest(format!("上传请求须为 multipart/form-data：{}", e.body_text())))?;
    let entry = load(&state, &auth.visibility(), id).await?;
    entry.status.check_editable().map_err(transition_error)?;
    // Read and check every file before storing any, so that a bad one leaves nothing behind.
    let files = read_uploads(&mut multipart).await?;
    let actor = auth.actor();
    let mut stored = Vec::new();
    for file in files {
        stored.push(store_upload(&state, &actor, id, auth.user.user_id, file).await?);
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
pub(super) async fn download_evidence(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    Path((id, evidence_id)): Path<(i64, i64)>,
) -> Result<Response> {
    load(&state, &auth.visibility(), id).await?;
    let evidence = state.store.contribution_evidence(id).await?;
    let file = evidence
        .into_iter()
        .find(|e| e.id == evidence_id)
        .ok_or_else(|| Error::not_found("佐证材料"))?;
    let bytes = tokio::fs::read(state.settings.evidence_dir.join(&file.stored_name))
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    state
        .store
        .record_audit(&AuditEntry {
            actor: &auth.actor(),
            entity_type: "contribution",
            entity_id: id.to_string(),
            action: "download_evidence",
            before: None,
            after: Some(json!({ "evidence_id": evidence_id })),
            reason: None,
        })
        .await?;
    let disposition = format!(
        "inline; filename=\"evidence-{}.{}\"",
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

/// Reads every part of the request; the `file` parts must be evidence of a known type, at most
/// `MAX_FILES_PER_UPLOAD` of them and at least one. Problems name the part (`file[0]`, `file[1]`, …).
pub(crate) async fn read_uploads(multipart: &mut Multipart) -> Result<Vec<Upload>> {
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("file").to_owned();
        let label = if name == "file" {
            format!("file[{}]", files.len())
        } else {
            name.clone()
        };
        let original_name = field
            .file_name()
            .map(|n| n.chars().take(120).collect::<String>())
            .unwrap_or_default();
        let bytes = read_field(field, &label).await?;
        if name != "file" {
            continue;
        }
        let file_type = EvidenceType::sniff(&bytes).ok_or_else(|| {
            Error::invalid(
                label,
                "文件类型不受支持：只接受 JPEG、PNG、WebP、HEIC 照片或 PDF 文件（按文件内容识别）",
            )
        })?;
        files.push(Upload {
            original_name,
            file_type,
            bytes,
        });
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
    Ok(files)
}

/// The bytes of one part, refused (413, naming `label`) as soon as it passes the size limit.
async fn read_field(mut field: Field<'_>, label: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if bytes.len() + chunk.len() > MAX_EVIDENCE_BYTES {
            return Err(too_large(label));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Writes the file under a random name, then records it with its audit row; the file is removed again if
/// the record fails, so no file is left that no entry names. Returns the stored name.
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
        uploaded_by,
    };
    match state.store.add_evidence(&file, &audit).await {
        Ok(Some(_)) => Ok(stored_name),
        Ok(None) => {
            let _ = tokio::fs::remove_file(&path).await;
            Err(Error::conflict(
                "该记录已提交或已审核，不能再添加佐证材料；如需补充，请在退回后添加或提交更正记录",
            ))
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&path).await;
            Err(e.into())
        }
    }
}

/// 413 naming the part that is too large.
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

/// A request body that cannot be read: 413 when it passed the body limit, 400 otherwise.
fn multipart_error(e: MultipartError) -> Error {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large("file")
    } else {
        Error::BadRequest(format!("无法读取上传的文件：{}", e.body_text()))
    }
}
