//! Importing organizations: the dry run (every problem with its row, column and reason) and the commit
//! (checked again, then stored all or nothing), each within the caller's visibility.

use std::collections::HashSet;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use domain::api::{FieldError, ImportProblem, ImportReport};
use domain::division::{DivisionCode, PROVINCE_CODE};
use domain::money::Fen;
use domain::registry::import::{ImportedOrganization, Registered, check_file};
use serde_json::json;

use super::read::{Upload, read_rows, read_upload};
use crate::auth::{Auth, Staff};
use crate::error::{Error, Result, ResultExt, UniqueKey};
use crate::state::AppState;
use crate::store::Visibility;
use crate::store::registry::organizations::{ImportRow, OrganizationSeed};

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

/// Reads and checks an uploaded file as the caller: every row, duplicates, the caller's visibility.
async fn check_upload(
    state: &AppState,
    visibility: Visibility,
    upload: &Upload,
) -> Result<(u32, Vec<ImportedOrganization>, Vec<ImportProblem>)> {
    let rows = read_rows(upload)?;
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
        check_file(&rows, &known, &existing, &in_scope)
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?;
    Ok((checked.rows, checked.valid, checked.problems))
}

/// 导入预检 — the dry run: reads the file and checks every row; lists every problem with its row, column
/// and reason in Chinese. Stores nothing.
#[utoipa::path(post, path = "/organizations/import/check", tag = "registry",
    request_body(content_type = "multipart/form-data", description = "one `file` field: .xlsx or .csv"),
    security(("session" = ["Staff"])),
    responses((status = 200, body = ImportReport), (status = 413, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn check_import(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<axum::Json<ImportReport>> {
    let upload = read_upload(multipart).await?;
    let (rows, valid, problems) = check_upload(&state, auth.visibility(), &upload).await?;
    Ok(axum::Json(ImportReport {
        file_name: upload.name,
        rows,
        valid: valid.len() as u32,
        problems,
        imported: 0,
    }))
}

/// 导入 — checks the file again and stores every row in one transaction, each with its timeline event and
/// audit row; with any problem (or a duplicate stored meanwhile) nothing is stored and the answer is 422
/// (409) listing the problems as `rows[N].列名`.
#[utoipa::path(post, path = "/organizations/import", tag = "registry",
    request_body(content_type = "multipart/form-data", description = "one `file` field: .xlsx or .csv"),
    security(("session" = ["Staff"])),
    responses((status = 200, body = ImportReport), (status = 409, body = domain::api::ApiError),
              (status = 413, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn commit_import(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<axum::Json<ImportReport>> {
    let upload = read_upload(multipart).await?;
    let (rows, valid, problems) = check_upload(&state, auth.visibility(), &upload).await?;
    if let Some(refusal) = refusal(&problems) {
        return Err(refusal);
    }
    let file_name = if upload.name.is_empty() {
        "未命名文件".to_owned()
    } else {
        upload.name.clone()
    };
    let import_rows: Vec<ImportRow> = valid.iter().map(import_row).collect();
    let ids = state
        .store
        .import_organizations(&import_rows, &file_name, &auth.actor())
        .await
        .on_unique(&REGISTRY_KEYS)?;
    Ok(axum::Json(ImportReport {
        file_name: upload.name,
        rows,
        valid: valid.len() as u32,
        problems: Vec::new(),
        imported: ids.len() as u32,
    }))
}

/// The 422 of a file with problems, each named `rows[N].列名`; `None` for a clean file.
fn refusal(problems: &[ImportProblem]) -> Option<Error> {
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
const REGISTRY_KEYS: [UniqueKey; 2] = [
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

fn import_row(org: &ImportedOrganization) -> ImportRow {
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
