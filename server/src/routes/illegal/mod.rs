//! `/api/v1/illegal` and `/api/v1/public/illegal-…`: illegal organizations. Anyone reports a body without
//! signing in (`public`, rate-limited like the public lookup); staff record clues and take cases through
//! investigation with other agencies to an outcome within their division (`cases`); the bureau publishes
//! numbered batches, which anyone may search (`public`); staff attach evidence files to a case (`evidence`).
//!
//! The helpers at the bottom are shared with the other enforcement modules (`petitions`, `penalties`).

mod cases;
mod evidence;
pub(crate) mod public;

use domain::illegal::CaseError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result};
use crate::routes::inspection::validation;
use crate::state::AppState;
use crate::store::Visibility;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cases::list_illegal_cases, cases::create_illegal_case))
        .routes(routes!(cases::find_illegal_case))
        .routes(routes!(cases::step_illegal_case))
        .routes(routes!(cases::list_illegal_batches, cases::publish_batch))
        .routes(routes!(public::report_illegal_organization))
        .routes(routes!(public::public_illegal_organizations))
        .routes(routes!(evidence::download_case_evidence))
        .merge(evidence::uploads())
}

/// A refused step: 422 naming the field when a field is wrong, 409 when the step is not allowed now.
pub(crate) fn refused(error: CaseError) -> Error {
    match error.to_field_error() {
        Some(field) => validation(vec![field]),
        None => Error::conflict(error.to_string()),
    }
}

/// A 6-digit code of a division that exists and that `visibility` covers, or a 422 naming `field`.
pub(crate) async fn division_in(
    state: &AppState,
    visibility: &Visibility,
    field: &'static str,
    raw: &str,
) -> Result<String> {
    let code = domain::division::DivisionCode::parse(raw.trim())
        .map_err(|_| Error::invalid(field, format!("行政区划（{field}）应为 6 位区划代码")))?;
    if !state.store.division_exists(&code).await? || !code.as_str().starts_with("34") {
        return Err(Error::invalid(
            field,
            format!("「{raw}」不是安徽省的行政区划代码（{field}）"),
        ));
    }
    if !visibility.covers_division(code.as_str()) {
        return Err(Error::invalid(
            field,
            format!("该行政区划不在您的管辖范围内（{field}）"),
        ));
    }
    Ok(code.as_str().to_owned())
}
