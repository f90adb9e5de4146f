//! 百社进百村 — rounds (`rounds`), the societies that join them (`members`), villages' needs (`needs`),
//! pins and forbids (`constraints`), runs of the engine (`runs`, read through `proposal`) and the agreements
//! a confirmed run becomes (`agreements`); and the few checks they share.
//!
//! A round belongs to the province, so every caller the route admits sees every round, its societies and
//! runs. Villages and agreements lie in a county: they are listed within the caller's `Visibility`, and one
//! outside it answers 404, as if it did not exist.

mod agreements;
mod constraints;
mod members;
mod needs;
mod proposal;
mod rounds;
mod runs;

use domain::api::FieldError;
use domain::pairing::round::RoundStatus;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::Visibility;
use crate::store::pairing::{RoundRecord, VillageInRound};

/// The module's routes.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(agreements::router())
        .merge(runs::router())
        .merge(rounds::router())
        .merge(members::router())
        .merge(needs::router())
        .merge(constraints::router())
}

/// A 422 listing every problem, or `Ok` when there is none.
fn refuse(problems: Vec<FieldError>) -> Result<()> {
    match problems.first() {
        None => Ok(()),
        Some(first) => Err(Error::Validation {
            message: format!("提交的内容有误：{}", first.message),
            fields: problems,
        }),
    }
}

/// A 409 for a change the round's or agreement's state no longer allows.
fn conflict(message: &str) -> Error {
    Error::Conflict {
        message: message.to_owned(),
        fields: Vec::new(),
    }
}

async fn load_round(state: &AppState, id: i64) -> Result<RoundRecord> {
    state
        .store
        .find_round(id)
        .await?
        .ok_or_else(|| Error::not_found("配对轮次"))
}

/// The round must still be open for this change.
fn require_open(round: &RoundRecord) -> Result<()> {
    match round.status() {
        RoundStatus::Open => Ok(()),
        RoundStatus::Confirmed => Err(conflict("本轮配对方案已确认，不能再修改")),
    }
}

/// The village `code` as a caller with `visibility` may look it up: `None` when there is no such village,
/// 404 when it lies outside the caller's divisions — the one scope check of the module's village lookups.
async fn find_village(
    state: &AppState,
    round_id: i64,
    code: &str,
    visibility: &Visibility,
) -> Result<Option<VillageInRound>> {
    match state.store.village_in_round(round_id, code).await? {
        Some(village) if !visibility.covers_division(&village.county_code) => {
            Err(Error::not_found("村（社区）"))
        }
        village => Ok(village),
    }
}
