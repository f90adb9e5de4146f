//! Evidence files over HTTP, for ledger entries (`contributions::evidence`) and illegal-organization cases
//! (`illegal::evidence`) alike: reading and checking an upload (by content, 10 MB each, at most five per
//! request), storing it under a random name with its record and audit row, and sending a file back with
//! its own audit row. The handlers check who may see the owner and whether it still takes evidence.

use std::path::PathBuf;

use axum::extract::DefaultBodyLimit;
use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::api::FieldError;
use domain::evidence::{EvidenceType, MAX_EVIDENCE_BYTES};
use serde_json::json;

use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::evidence::{EvidenceOwner, EvidenceRow, NewEvidence};
use crate::store::{Actor, AuditEntry};

/// The most evidence files one upload request may carry.
const MAX_FILES_PER_UPLOAD: usize = 5;

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

/// Stores each upload on `owner` (see [`store_upload`]) and answers the records of the files added.
pub(crate) async fn store_uploads(
    state: &AppState,
    actor: &Actor,
    owner: EvidenceOwner,
    uploaded_by: i64,
    uploads: Vec<Upload>,
    refusal: fn() -> Error,
) -> Result<Vec<domain::api::EvidenceFile>> {
    let mut stored = Vec::new();
    for upload in uploads {
        stored.push(store_upload(state, actor, owner, uploaded_by, upload, refusal).await?);
    }
    Ok(state
        .store
        .evidence_of(owner)
        .await?
        .iter()
        .filter(|e| stored.contains(&e.stored_name))
        .map(EvidenceRow::to_api)
        .collect())
}

/// Writes the file under a random name, then records it on `owner` with its audit row. If the record is
/// refused (`refusal`: the owner no longer takes evidence) or fails, the file is removed again, so no
/// file is left that nothing names. Returns the stored name.
async fn store_upload(
    state: &AppState,
    actor: &Actor,
    owner: EvidenceOwner,
    uploaded_by: i64,
    upload: Upload,
    refusal: fn() -> Error,
) -> Result<String> {
    let Upload {
        original_name,
        file_type,
        bytes,
    } = upload;
    let stored_name = format!("{}.{}", uuid::Uuid::new_v4().simple(), file_type.extension());
    let written = WrittenFile::write(state.settings.evidence_dir.join(&stored_name), &bytes).await?;
    let audit = AuditEntry {
        actor,
        entity_type: owner.entity_type(),
        entity_id: owner.id().to_string(),
        action: "add_evidence",
        before: None,
        after: Some(
            json!({ "file_type": file_type, "size_bytes": bytes.len(), "original_name": original_name }),
        ),
        reason: None,
    };
    let file = NewEvidence {
        owner,
        stored_name: &stored_name,
        original_name: &original_name,
        file_type,
        size_bytes: bytes.len() as i64,
        uploaded_by,
    };
    match state.store.add_evidence(&file, &audit).await? {
        Some(_) => {
            written.keep();
            Ok(stored_name)
        }
        None => Err(refusal()),
    }
}

/// A file just written, removed again when dropped unless kept: an upload whose record is refused or fails
/// leaves nothing on disk.
struct WrittenFile {
    path: PathBuf,
    kept: bool,
}

impl WrittenFile {
    async fn write(path: PathBuf, bytes: &[u8]) -> Result<WrittenFile> {
        tokio::fs::write(&path, bytes)
            .await
            .map_err(|e| Error::Internal(e.into()))?;
        Ok(WrittenFile { path, kept: false })
    }

    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for WrittenFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Sends one evidence file of `owner` (found in the caller's visibility first), named
/// `{name_prefix}-{id}.{extension}`, never cached; the download is an audit row.
pub(crate) async fn send(
    state: &AppState,
    actor: &Actor,
    owner: EvidenceOwner,
    evidence_id: i64,
    name_prefix: &str,
) -> Result<Response> {
    let file = state
        .store
        .evidence_of(owner)
        .await?
        .into_iter()
        .find(|e| e.id == evidence_id)
        .ok_or_else(|| Error::not_found(noun(owner)))?;
    let bytes = tokio::fs::read(state.settings.evidence_dir.join(&file.stored_name))
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    state
        .store
        .record_audit(&AuditEntry {
            actor,
            entity_type: owner.entity_type(),
            entity_id: owner.id().to_string(),
            action: "download_evidence",
            before: None,
            after: Some(json!({ "evidence_id": evidence_id })),
            reason: None,
        })
        .await?;
    let disposition = format!(
        "inline; filename=\"{name_prefix}-{}.{}\"",
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

/// What users call the owner's files: a ledger entry's support, a case's evidence.
fn noun(owner: EvidenceOwner) -> &'static str {
    match owner {
        EvidenceOwner::Contribution(_) => "佐证材料",
        EvidenceOwner::IllegalCase(_) => "证据材料",
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
