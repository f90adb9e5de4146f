//! Evidence files: an organization attaches photos or PDFs to an entry it may still change; whoever may see
//! the entry may download them. Reading, checking, storing and sending the files is `routes::evidence`,
//! shared with the evidence of illegal-organization cases.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::api::EvidenceFile;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{load, transition_error};
use crate::auth::{Auth, OrgUsers, StaffOrOrg};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::routes::evidence::{read_uploads, send, store_uploads, upload_limit};
use crate::state::AppState;
use crate::store::evidence::EvidenceOwner;

/// The upload route, whose body may carry several files at their largest.
pub(super) fn uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_evidence))
        .layer(upload_limit())
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
    AppPath(id): AppPath<i64>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, AppJson<Vec<EvidenceFile>>)> {
    // An unreadable multipart request answers in the error envelope, like every other rejection.
    let mut multipart = multipart
        .map_err(|e| Error::BadRequest(format!("上传请求须为 multipart/form-data：{}", e.body_text())))?;
    let entry = load(&state, &auth.visibility(), id).await?;
    entry.status.check_editable().map_err(transition_error)?;
    // Read and check every file before storing any, so that a bad one leaves nothing behind.
    let files = read_uploads(&mut multipart).await?;
    let owner = EvidenceOwner::Contribution(id);
    let added = store_uploads(&state, &auth.actor(), owner, auth.user.user_id, files, submitted).await?;
    Ok((StatusCode::CREATED, AppJson(added)))
}

/// One evidence file, to those who may see its entry; each download is an audit row.
#[utoipa::path(get, path = "/contributions/{id}/evidence/{evidence_id}", tag = "contributions",
    params(("id" = i64, Path), ("evidence_id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, description = "the file"), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn download_evidence(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath((id, evidence_id)): AppPath<(i64, i64)>,
) -> Result<Response> {
    load(&state, &auth.visibility(), id).await?;
    send(
        &state,
        &auth.actor(),
        EvidenceOwner::Contribution(id),
        evidence_id,
        "evidence",
    )
    .await
}

/// An entry submitted or reviewed while its files were uploading takes none.
fn submitted() -> Error {
    Error::conflict("该记录已提交或已审核，不能再添加佐证材料；如需补充，请在退回后添加或提交更正记录")
}
