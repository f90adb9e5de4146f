//! Scholarship recipients for the bureau: one entry's recipients in full (each view audited) and the
//! children funded by more than one organization in a year.

use axum::extract::State;
use domain::api::{DuplicateFunding, DuplicateRecipient, RecipientFull};
use domain::contributions::AdmissionKind;
use domain::money::Fen;
use serde::Deserialize;
use serde_json::json;

use super::load;
use crate::auth::{Auth, BureauOnly};
use crate::error::{AppJson, AppPath, AppQuery, Result};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::contributions::RecipientRow;

/// The recipients of an entry in full (names, ID numbers). Bureau administrators only; each view is
/// recorded in the audit log.
#[utoipa::path(get, path = "/contributions/{id}/recipients/full", tag = "contributions", params(("id" = i64, Path)),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Vec<RecipientFull>), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn full_recipients(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<Vec<RecipientFull>>> {
    load(&state, &auth.visibility(), id).await?;
    let rows = state.store.contribution_recipients(&[id]).await?;
    let keys = &state.settings.keys;
    let mut full = Vec::with_capacity(rows.len());
    for row in &rows {
        full.push(RecipientFull {
            id: row.id,
            name: keys.open(&row.key_id, &row.name_cipher, row.context("name_cipher"))?,
            id_number: keys.open(
                &row.key_id,
                &row.id_number_cipher,
                row.context("id_number_cipher"),
            )?,
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
pub(super) struct DuplicateQuery {
    year: Option<i32>,
}

/// Children funded by more than one organization in the same year (matched by a keyed hash of the ID
/// number; shown masked). Bureau administrators only.
#[utoipa::path(get, path = "/contributions/duplicates", tag = "contributions", params(DuplicateQuery),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Vec<DuplicateRecipient>)))]
pub(super) async fn duplicate_recipients(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppQuery(query): AppQuery<DuplicateQuery>,
) -> Result<AppJson<Vec<DuplicateRecipient>>> {
    let rows = state
        .store
        .duplicate_recipients(&auth.visibility(), query.year)
        .await?;
    Ok(AppJson(group_duplicates(rows)))
}

/// Rows ordered by year and match digest, gathered into one group per child and year.
fn group_duplicates(rows: Vec<(RecipientRow, i64, String)>) -> Vec<DuplicateRecipient> {
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
                row.id_hash,
                DuplicateRecipient {
                    year: row.year,
                    name: row.name_masked,
                    id_number: row.id_number_masked,
                    fundings: vec![funding],
                },
            )),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}
