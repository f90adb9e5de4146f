//! `/api/v1/contributions`: the contribution ledger. Organizations report (idempotently), attach evidence
//! and resubmit (`entries`, `evidence`); staff verify or return entries of their division (`review`); the
//! totals (`totals`) and the workbook (`export`) cover the caller's visibility; the bureau alone sees the
//! full recipient details (audited) and children funded twice (`recipients`).
//!
//! Instructors reach none of these routes: every extractor here is `Staff`, `BureauOnly`, `OrgUsers` or
//! `StaffOrOrg`, so they are refused (403) before their visibility is asked.

mod entries;
pub(crate) mod evidence;
pub(crate) mod export;
mod recipients;
mod review;
mod totals;

use domain::api::{Contribution, LedgerQuery, RecipientView};
use domain::contributions::{AdmissionKind, ContributionKind, ContributionStatus, TransitionError};
use domain::money::Fen;
use domain::policy::Role;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, Rule};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::Visibility;
use crate::store::contributions::LedgerFilter;
use crate::store::evidence::EvidenceOwner;

/// The ledger's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(entries::list_contributions, entries::create_contribution))
        .routes(routes!(totals::contribution_totals))
        .routes(routes!(recipients::duplicate_recipients))
        .routes(routes!(export::export_contributions))
        .routes(routes!(entries::find_contribution, entries::update_contribution))
        .routes(routes!(review::submit_contribution))
        .routes(routes!(review::verify_contribution))
        .routes(routes!(review::return_contribution))
        .routes(routes!(recipients::full_recipients))
        .routes(routes!(evidence::download_evidence))
        .merge(evidence::uploads())
}

impl TryFrom<&LedgerQuery> for LedgerFilter {
    type Error = Error;

    /// The list's (and the export's and the totals') filter: kind and status must be known keys; the
    /// review queue is the submitted entries, oldest submission first.
    fn try_from(query: &LedgerQuery) -> Result<Self> {
        let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
            Some(raw) => Some(
                ContributionKind::parse(raw).ok_or_else(|| Error::invalid("kind", "类型（kind）取值无效"))?,
            ),
            None => None,
        };
        let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
            Some(raw) => Some(
                ContributionStatus::parse(raw)
                    .ok_or_else(|| Error::invalid("status", "状态（status）取值无效"))?,
            ),
            None => None,
        };
        let queue = query.queue.unwrap_or(false);
        Ok(LedgerFilter {
            organization_id: query.organization_id,
            kind,
            status: if queue {
                Some(ContributionStatus::Submitted)
            } else {
                status
            },
            year: query.year,
            city_code: query.city_code.clone().filter(|c| !c.is_empty()),
            counted: query.counted.unwrap_or(false),
            oldest_first: queue,
        })
    }
}

/// The one lookup of an entry: found only if the caller's visibility covers it, else 404.
async fn load(state: &AppState, visibility: &Visibility, id: i64) -> Result<Contribution> {
    state
        .store
        .find_contribution(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("贡献记录"))
}

/// An entry with its masked recipients and evidence; the duplicate flag only for bureau administrators.
async fn detail<R: Rule>(state: &AppState, auth: &Auth<R>, id: i64) -> Result<Contribution> {
    let mut entry = load(state, &auth.visibility(), id).await?;
    let rows = state.store.contribution_recipients(&[id]).await?;
    let elsewhere = if auth.user.role == Role::BureauAdmin && !rows.is_empty() {
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
        .evidence_of(EvidenceOwner::Contribution(id))
        .await?
        .iter()
        .map(|e| e.to_api())
        .collect();
    Ok(entry)
}

/// A transition the entry's status does not allow: 409 with the domain's reason.
fn transition_error(e: TransitionError) -> Error {
    Error::conflict(e.to_string())
}

/// The entry changed status between reading it and writing: 409, the user reloads.
fn changed_meanwhile() -> Error {
    Error::conflict("该记录的状态已变化，请刷新后再试")
}
