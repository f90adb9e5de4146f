//! Evidence files of a clue or case: staff in scope attach photos or PDFs (the ledger's rules: checked by
//! content, 10 MB each, stored under random names — `routes::evidence`) while the case is open, and
//! download them; every upload and every download is an audit row.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::api::EvidenceFile;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::cases::visible;
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::routes::evidence::{read_uploads, send, store_uploads, upload_limit};
use crate::state::AppState;
use crate::store::evidence::EvidenceOwner;

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
    AppPath(id): AppPath<i64>,
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
    let owner = EvidenceOwner::IllegalCase(id);
    let added = store_uploads(&state, &auth.actor(), owner, auth.user.user_id, files, closed).await?;
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
    AppPath((id, evidence_id)): AppPath<(i64, i64)>,
) -> Result<Response> {
    visible(&state, &auth.visibility(), id).await?;
    let owner = EvidenceOwner::IllegalCase(id);
    send(&state, &auth.actor(), owner, evidence_id, &format!("clue-{id}")).await
}

fn closed() -> Error {
    Error::conflict("该案件已办结，不能再添加证据材料")
}
