//! Importing organizations: the dry run (every problem with its row, column and reason) and the commit
//! (checked again, then stored all or nothing), each within the caller's visibility — at once for a file
//! of a few rows, as a job (`import_job.rs`) for a larger one.

use std::collections::HashSet;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use domain::api::{FieldError, ImportProblem, ImportReport};
use domain::division::{DivisionCode, PROVINCE_CODE};
use domain::jobs::JobKind;
use domain::money::Fen;
use domain::registry::import::{ImportedOrganization, Registered, check_file_reporting};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::read::{Upload, read_rows, read_upload};
use crate::auth::{Auth, Staff};
use crate::error::{Error, Result, ResultExt, UniqueKey};
use crate::state::AppState;
use crate::store::jobs::NewJob;
use crate::store::registry::import::ImportRow;
use crate::store::registry::organizations::OrganizationSeed;
use crate::store::{Actor, Visibility};

/// The registry's credit codes and names, for the duplicate checks.
struct Existing {
    codes: HashSet<String>,
    names: HashSet<String>,
}

impl Registered for Existing {
    fn has_credit_code(&self, code: &str) -> bool {
        self.codes.contains(code)
    }
    fn has_name(&self, name: &str) -> bool {
        self.names.contains(name)
    }
}

/// A file's rows checked as a caller who sees `visibility`: how many rows, the organizations ready to
/// store, and every problem.
pub(super) struct CheckedFile {
    pub rows: u32,
    pub valid: Vec<ImportedOrganization>,
    pub problems: Vec<ImportProblem>,
}

/// Checks a file's rows as the caller: every row, duplicates, the caller's visibility; `progress(done,
/// total)` hears how many rows are checked.
pub(super) async fn check_rows(
    state: &AppState,
    visibility: Visibility,
    rows: Vec<Vec<String>>,
    mut progress: impl FnMut(usize, usize) + Send + 'static,
) -> Result<CheckedFile> {
    let mut divisions: HashSet<String> = state
        .store
        .list_divisions()
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    divisions.insert(PROVINCE_CODE.to_owned());
    let (codes, names): (HashSet<String>, HashSet<String>) =
        state.store.registry_keys().await?.into_iter().unzip();
    let existing = Existing { codes, names };
    // Checking 35,000 rows takes a moment: off the async workers.
    let checked = tokio::task::spawn_blocking(move || {
        let known = |code: &DivisionCode| divisions.contains(code.as_str());
        let in_scope = |org: &ImportedOrganization| {
            (!visibility.covers_division(org.division.as_str())).then(|| ImportProblem {
                row: org.row,
                column: "登记管理机关代码".to_owned(),
                message: format!(
                    "{} 不在您的管辖范围内，只能导入本辖区登记的社会组织",
                    org.division.as_str()
                ),
            })
        };
        check_file_reporting(&rows, &known, &existing, &in_scope, &mut progress)
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?;
    Ok(CheckedFile {
        rows: checked.rows,
        valid: checked.valid,
        problems: checked.problems,
    })
}

/// The rows of an upload, read off the async workers (a 40 MB workbook takes a moment).
pub(super) async fn rows_of(upload: Upload) -> Result<(Upload, Vec<Vec<String>>)> {
    tokio::task::spawn_blocking(move || read_rows(&upload).map(|rows| (upload, rows)))
        .await
        .map_err(|e| Error::Internal(e.into()))?
}

/// What a file's import does: checks it (a dry run) or stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Import {
    Check,
    Commit,
}

/// Answers an import request: a file of a few rows at once (200 with its report, or the refusal), a
/// larger one as a job (202 with `Location: /api/v1/jobs/{id}`) whose progress counts the rows checked
/// and stored and whose `result` is the report.
async fn answer(state: &AppState, auth: &Auth<Staff>, upload: Upload, import: Import) -> Result<Response> {
    let (upload, rows) = rows_of(upload).await?;
    let data_rows = rows.len().saturating_sub(1) as u64;
    if data_rows > state.jobs.settings.inline_import_rows {
        drop(rows);
        let kind = match import {
            Import::Check => JobKind::OrganizationsImportCheck,
            Import::Commit => JobKind::OrganizationsImport,
        };
        let params = ImportParams {
            file_name: upload.name.clone(),
            visibility: auth.visibility(),
            actor: auth.actor(),
        };
        let job = NewJob {
            kind,
            params: serde_json::to_value(&params).map_err(|e| Error::Internal(e.into()))?,
            owner_id: Some(auth.user.user_id),
            run_key: None,
        };
        let id = state
            .jobs
            .enqueue_with_input(&state.store, job, &upload.bytes)
            .await?;
        return crate::jobs::accepted(state, id).await;
    }
    let checked = check_rows(state, auth.visibility(), rows, |_, _| {}).await?;
    let report = match import {
        Import::Check => report(&upload.name, &checked, 0),
        Import::Commit => {
            if let Some(refusal) = refusal(&checked.problems) {
                return Err(refusal);
            }
            let import_rows: Vec<ImportRow> = checked.valid.iter().map(import_row).collect();
            let ids = state
                .store
                .import_organizations(&import_rows, &stored_name(&upload.name), &auth.actor())
                .await
                .on_unique(&REGISTRY_KEYS)?;
            report(&upload.name, &checked, ids.len())
        }
    };
    Ok(axum::Json(report).into_response())
}

/// The report of a checked file; `imported` organizations stored.
pub(super) fn report(file_name: &str, checked: &CheckedFile, imported: usize) -> ImportReport {
    ImportReport {
        file_name: file_name.to_owned(),
        rows: checked.rows,
        valid: checked.valid.len() as u32,
        problems: checked.problems.clone(),
        imported: imported as u32,
    }
}

/// The name an import is recorded under in the registry's timeline and the audit log.
pub(super) fn stored_name(file_name: &str) -> String {
    if file_name.is_empty() {
        "未命名文件".to_owned()
    } else {
        file_name.to_owned()
    }
}

/// 导入预检 — the dry run: reads the file and checks every row; lists every problem with its row, column
/// and reason in Chinese. Stores nothing. A file of more rows than `--inline-import-rows` is checked as a
/// job: 202 with `Location`, its `result` the report.
#[utoipa::path(post, path = "/organizations/import/check", tag = "registry",
    request_body(content_type = "multipart/form-data", description = "one `file` field: .xlsx or .csv"),
    security(("session" = ["Staff"])),
    responses((status = 200, body = ImportReport), (status = 202, body = domain::api::Job),
              (status = 413, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn check_import(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    let upload = read_upload(multipart).await?;
    answer(&state, &auth, upload, Import::Check).await
}

/// 导入 — checks the file again and stores every row in one transaction, each with its timeline event and
/// audit row; with any problem (or a duplicate stored meanwhile) nothing is stored and the answer is 422
/// (409) listing the problems as `rows[N].列名`. A file of more rows than `--inline-import-rows` is
/// imported as a job (202 with `Location`), all or nothing likewise; its `result` is the report.
#[utoipa::path(post, path = "/organizations/import", tag = "registry",
    request_body(content_type = "multipart/form-data", description = "one `file` field: .xlsx or .csv"),
    security(("session" = ["Staff"])),
    responses((status = 200, body = ImportReport), (status = 202, body = domain::api::Job),
              (status = 409, body = domain::api::ApiError), (status = 413, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn commit_import(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    let upload = read_upload(multipart).await?;
    answer(&state, &auth, upload, Import::Commit).await
}

/// What an import job needs to run as the user who asked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ImportParams {
    pub file_name: String,
    pub visibility: Visibility,
    pub actor: Actor,
}

/// The 422 of a file with problems, each named `rows[N].列名`; `None` for a clean file.
pub(super) fn refusal(problems: &[ImportProblem]) -> Option<Error> {
    let first = problems.first()?;
    Some(Error::Validation {
        message: format!(
            "导入未执行，没有保存任何记录：共 {} 处问题，如第 {} 行「{}」：{}",
            problems.len(),
            first.row,
            first.column,
            first.message
        ),
        fields: problems
            .iter()
            .map(|p| FieldError {
                field: format!("rows[{}].{}", p.row, p.column),
                message: format!("第 {} 行「{}」：{}", p.row, p.column, p.message),
            })
            .collect(),
    })
}

/// A credit code or name registered between the check and the commit: the whole file is refused.
pub(super) const REGISTRY_KEYS: [UniqueKey; 2] = [
    UniqueKey {
        table: "organizations",
        column: "credit_code",
        field: "",
        message: "导入未执行：有统一社会信用代码或名称刚被登记，请重新预检后再导入",
    },
    UniqueKey {
        table: "organizations",
        column: "name",
        field: "",
        message: "导入未执行：有统一社会信用代码或名称刚被登记，请重新预检后再导入",
    },
];

pub(super) fn import_row(org: &ImportedOrganization) -> ImportRow {
    let classification = &org.classification;
    let categories: Vec<&str> = classification.categories().map(|c| c.key()).collect();
    let seed = OrganizationSeed {
        credit_code: org.credit_code.as_str().to_owned(),
        name: org.name.clone(),
        kind: classification.kind().key().to_owned(),
        level: org.level.key().to_owned(),
        division_code: org.division.as_str().to_owned(),
        categories: categories.join(","),
        emerging_industry: classification.emerging_industry().map(|e| e.key().to_owned()),
        supervisory_unit: None,
        legal_representative: org.legal_representative.clone(),
        founded_on: org.founded_on,
        registered_funds_fen: org.registered_funds.map(Fen::as_i64),
        domicile: org.domicile.clone(),
        business_scope: org.business_scope.clone(),
        contact_phone: org.contact_phone.clone(),
        status: Some(org.status.key().to_owned()),
    };
    let audit_after = json!({
        "row": org.row,
        "name": seed.name,
        "credit_code": seed.credit_code,
        "kind": seed.kind,
        "division_code": seed.division_code,
        "status": seed.status,
    });
    ImportRow {
        organization: seed,
        audit_after,
    }
}
