//! `/api/v1/matters`: registration matters. Organization users (or staff on their behalf) file and, after
//! 补正, resubmit (`filing`); staff see their queue (`queue`) and accept, return, review, approve or reject
//! (`actions`); approval changes the registry and records the licensing decision in the same transaction
//! (`decisions`). A matter is seen through the caller's `Visibility`: out of scope answers 404.

mod actions;
mod decisions;
mod filing;
mod queue;

use chrono::NaiveDate;
use domain::api::{FieldError, MatterDetail, MatterSummary, NewOrganizationInput, ProfileChanges};
use domain::privacy::mask_phone;
use domain::registry::matter::{Channel, MatterKind, MatterState, TransitionError};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result, UniqueKey, unique_conflict};
use crate::state::{AppState, today};
use crate::store::Visibility;
use crate::store::registry::matters::MatterRow;
use crate::store::registry::steps::StepError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue::list_matters, filing::file_matter))
        .routes(routes!(queue::find_matter))
        .routes(routes!(actions::act_on_matter))
        .routes(routes!(filing::resubmit_matter))
}

/// What a matter applies for, as stored in `payload_json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Payload {
    #[serde(default)]
    changes: ProfileChanges,
    #[serde(default)]
    establishment: Option<NewOrganizationInput>,
}

/// What a matter applies for, its contact phone opened where the store sealed it.
fn payload_of(state: &AppState, row: &MatterRow) -> Result<Payload> {
    let mut payload: Payload = serde_json::from_str(&row.payload_json).unwrap_or_default();
    payload.changes.contact_phone = state.store.matter_phone(row)?;
    Ok(payload)
}

fn state_of(row: &MatterRow) -> MatterState {
    serde_json::from_str(&row.state_json).unwrap_or_default()
}

fn kind_of(row: &MatterRow) -> MatterKind {
    MatterKind::parse(&row.kind).unwrap_or(MatterKind::Change)
}

/// A stored matter as lists show it to account `viewer`, with its deadline status on `today`; the next steps
/// are those `viewer` may take (not the decision of a matter they filed or reviewed).
pub(crate) fn matter_summary(
    state: &AppState,
    row: &MatterRow,
    today: NaiveDate,
    viewer: i64,
) -> MatterSummary {
    let matter_state = state_of(row);
    let policy = &state.registry;
    let deadline = match (matter_state.is_timed(), row.due_on) {
        (true, Some(due)) => Some(policy.limits.deadline_status(today, due, &policy.calendar)),
        _ => None,
    };
    MatterSummary {
        id: row.id,
        kind: kind_of(row),
        next_actions: row.handlers().allowed(matter_state.next_actions(), viewer),
        state: matter_state,
        channel: Channel::parse(&row.channel).unwrap_or(Channel::Standard),
        organization_id: row.organization_id,
        organization_name: row.organization_name.clone(),
        division_code: row.division_code.clone(),
        filed_at: row.filed_at,
        accepted_on: row.accepted_on,
        due_on: row.due_on,
        deadline,
        decided_at: row.decided_at,
    }
}

fn validation(fields: Vec<FieldError>) -> Error {
    let first = fields.first().map(|f| f.message.clone()).unwrap_or_default();
    Error::Validation {
        message: format!("提交的内容有误：{first}"),
        fields,
    }
}

/// The matter with this id, if `visibility` covers it; 404 otherwise, also when it exists out of scope.
/// Every lookup of one matter goes through here.
async fn visible_matter(state: &AppState, visibility: &Visibility, id: i64) -> Result<MatterRow> {
    state
        .store
        .find_matter(visibility, id)
        .await?
        .ok_or_else(|| Error::not_found("登记事项"))
}

/// One matter as its page shows it to account `viewer`: where it stands, its history and its decision.
async fn matter_detail(
    state: &AppState,
    visibility: &Visibility,
    viewer: i64,
    id: i64,
) -> Result<MatterDetail> {
    let row = visible_matter(state, visibility, id).await?;
    let history = state.store.matter_history(row.id).await?;
    let decision = state.store.matter_decision(row.id).await?;
    let payload = payload_of(state, &row)?;
    Ok(MatterDetail {
        matter: matter_summary(state, &row, today(), viewer),
        changes: ProfileChanges {
            contact_phone: payload.changes.contact_phone.as_deref().map(mask_phone),
            ..payload.changes
        },
        establishment: payload.establishment,
        note: row.note,
        history,
        decision,
    })
}

fn transition_error(e: TransitionError) -> Error {
    match e {
        TransitionError::WrongParty { .. } => Error::Forbidden,
        TransitionError::SameHands { .. } => Error::Refused(e.to_string()),
        TransitionError::NotAllowed { .. } => Error::Conflict {
            message: e.to_string(),
            fields: Vec::new(),
        },
        TransitionError::NoMissingItems => Error::invalid("missing", e.to_string()),
        TransitionError::NoReasons => Error::invalid("reasons", e.to_string()),
    }
}

/// A name taken meanwhile by another organization (a change of name, or a new registration).
const NAME_KEY: [UniqueKey; 1] = [UniqueKey {
    table: "organizations",
    column: "name",
    field: "changes.name",
    message: "名称已被其他社会组织使用",
}];

fn step_error(e: StepError) -> Error {
    match e {
        StepError::Stale => Error::Conflict {
            message: "该事项已被他人办理，请刷新后再试".to_owned(),
            fields: Vec::new(),
        },
        StepError::Database(e) => unique_conflict(e, &NAME_KEY),
    }
}
