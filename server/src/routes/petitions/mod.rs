//! `/api/v1/petitions` and `/api/v1/public/petitions`: petitions (信访). Staff register petitions by
//! letter, visit and phone, anyone submits one online without an account and gets a receipt number to
//! look its progress up with (`intake`); staff in the handling division accept or decline, extend once,
//! reply in writing and close with the petitioner's satisfaction, and the bureau alone sees a petitioner
//! in full, each view audited (`handling`).
//!
//! Time limits are [`PetitionLimits`]' defaults on the working-day calendar of `state.registry`; a
//! petition's flag (临期, 逾期) is computed from its stored due date at read time, so nothing needs a
//! daily job to stay correct.

mod handling;
mod intake;

pub(crate) use intake::seal_petitioner;

use chrono::NaiveDate;
use domain::api::Petition;
use domain::calendar::WorkCalendar;
use domain::petitions::{PetitionLimits, Satisfaction};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::store::petitions::PetitionRow;

/// The limits in force: the statutory defaults (a policy value; configurable here in one place).
pub(crate) fn limits() -> PetitionLimits {
    PetitionLimits::default()
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handling::list_petitions, intake::create_petition))
        .routes(routes!(handling::find_petition))
        .routes(routes!(handling::full_petitioner))
        .routes(routes!(handling::step_petition))
        .routes(routes!(intake::submit_online_petition))
        .routes(routes!(intake::petition_progress))
}

/// A petition as the list shows it: the petitioner masked, its flag against the running limit today.
pub(crate) fn to_api(row: &PetitionRow, calendar: &WorkCalendar, today: NaiveDate) -> Petition {
    Petition {
        id: row.id,
        channel: row.channel(),
        stage: row.stage(),
        received_on: row.received_on,
        petitioner_name: row.name_masked.clone(),
        petitioner_phone: row.phone_masked.clone(),
        petitioner_id_number: row.id_number_masked.clone(),
        matter: row.matter.clone(),
        organization_id: row.organization_id,
        organization_name: row.organization_name.clone(),
        division_code: row.division_code.clone(),
        acceptance_due: row.acceptance_due,
        accepted_on: row.accepted_on,
        handling_due: row.handling_due,
        extension_days: u32::try_from(row.extension_days).unwrap_or(0),
        extension_reason: row.extension_reason.clone(),
        decline_reason: row.decline_reason.clone(),
        replied_on: row.replied_on,
        reply: row.reply.clone(),
        closed_on: row.closed_on,
        satisfaction: row.satisfaction.as_deref().and_then(Satisfaction::parse),
        close_note: row.close_note.clone(),
        due_on: row.due_on,
        deadline: row.due_on.map(|due| limits().status(today, due, calendar)),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}
