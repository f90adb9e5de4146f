//! `/api/v1/penalties`: administrative penalty cases (行政处罚) against registered organizations, for staff
//! within their division: file a case with its facts, evidence and the rule broken; serve the notice of
//! intended penalty; record the statement (陈述申辩) and the hearing (听证); decide. A decision is numbered
//! 皖社罚〔YYYY〕N号 and, in its own transaction, revokes the registration (撤销登记) and lists the
//! organization on the credit lists; the organization's profile shows it on its timeline, and its cases
//! with `GET /penalties?organization_id=` (the input of the publication outbox, 双公示).

mod cases;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cases::list_penalties, cases::create_penalty))
        .routes(routes!(cases::find_penalty))
        .routes(routes!(cases::step_penalty))
}
