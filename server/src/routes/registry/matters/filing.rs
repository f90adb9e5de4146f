//! Filing a matter, and resubmitting it after 补正: the applicant's side of the workflow. Organization
//! users file for their own organization; staff file on an applicant's behalf, within their scope.

use axum::extract::State;
use domain::api::{FileMatterRequest, MatterDetail, ResubmitRequest};
use domain::registry::matter::{Channel, MatterAction, MatterKind, MatterState, Party};
use domain::registry::organization::{Classification, OrgStatus};
use domain::registry::registration::{Application, check_application};
use serde_json::json;

use super::decisions::changes_json;
use super::{
    Payload, kind_of, matter_detail, payload_of, state_of, step_error, transition_error, validation,
    visible_matter,
};
use crate::auth::{Auth, StaffOrOrg};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::routes::registry::organizations::visible_organization;
use crate::state::AppState;
use crate::store::Visibility;
use crate::store::registry::OrganizationRow;
use crate::store::registry::matters::{Event, NewMatter};
use crate::store::registry::steps::Step;

/// Whom a new matter is about: an organization in the registry, or (an establishment) the division it
/// will be registered in; and the channel it goes through.
struct Target {
    organization: Option<OrganizationRow>,
    division: String,
    channel: Channel,
}

/// An organization user files for their own organization, and never an establishment or 营改非, which a
/// founder applies for.
fn for_own_organization(mut body: FileMatterRequest, own: i64) -> Result<FileMatterRequest> {
    if matches!(
        body.kind,
        MatterKind::Establishment | MatterKind::ForProfitConversion
    ) {
        return Err(Error::invalid(
            "kind",
            "成立登记和营改非由发起人向登记机关申请，不能以已登记组织的名义提交",
        ));
    }
    body.organization_id = Some(own);
    Ok(body)
}

/// The target of an application, within the caller's visibility: a new organization's division must be
/// the caller's; an existing organization must be visible and in normal status.
async fn target_of(
    state: &AppState,
    visibility: &Visibility,
    body: &FileMatterRequest,
    application: &Application,
) -> Result<Target> {
    if let Some(new) = &application.new_organization {
        if !visibility.covers_division(new.division.as_str()) {
            return Err(Error::invalid(
                "establishment.division_code",
                "登记机关不在您的管辖范围内",
            ));
        }
        return Ok(Target {
            organization: None,
            division: new.division.as_str().to_owned(),
            channel: Channel::for_classification(&new.classification),
        });
    }
    let id = body.organization_id.unwrap_or_default();
    let row = visible_organization(state, visibility, id).await?;
    if row.status != OrgStatus::Normal.key() {
        return Err(Error::invalid(
            "organization_id",
            "该社会组织已不在正常登记状态，不能办理登记事项",
        ));
    }
    let channel = Classification::new(row.kind(), row.categories(), row.emerging_industry())
        .map_or(Channel::Standard, |c| Channel::for_classification(&c));
    Ok(Target {
        division: row.division_code.clone(),
        organization: Some(row),
        channel,
    })
}

/// The matter to store for an application, submitted at once.
fn new_matter(
    body: &FileMatterRequest,
    application: &Application,
    target: Target,
    filed_by: i64,
) -> Result<NewMatter> {
    let submitted = MatterState::Draft
        .apply(MatterAction::Submit, Party::Applicant)
        .map_err(|e| Error::invalid("state", e.to_string()))?;
    let payload = Payload {
        changes: application.changes.to_input(),
        establishment: body
            .establishment
            .clone()
            .filter(|_| application.new_organization.is_some()),
    };
    let name = match &target.organization {
        Some(row) => row.name.clone(),
        None => application.changes.name.clone().unwrap_or_default(),
    };
    Ok(NewMatter {
        kind: application.kind.key(),
        organization_id: target.organization.as_ref().map(|o| o.id),
        organization_name: name,
        division_code: target.division,
        state: submitted.key(),
        state_json: json!(submitted).to_string(),
        channel: target.channel.key(),
        payload_json: json!(payload).to_string(),
        note: application.note.clone(),
        filed_by: Some(filed_by),
        filed_at: chrono::Utc::now(),
        accepted_on: None,
        due_on: None,
        decided_at: None,
    })
}

/// Files an application; it is submitted at once and waits for staff to accept or return it.
#[utoipa::path(post, path = "/matters", tag = "matters", request_body = FileMatterRequest,
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = MatterDetail), (status = 404, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn file_matter(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppJson(mut body): AppJson<FileMatterRequest>,
) -> Result<AppJson<MatterDetail>> {
    if let Ok(own) = auth.own_organization() {
        body = for_own_organization(body, own)?;
    }
    let visibility = auth.visibility();
    let application = check_application(&body).map_err(validation)?;
    let target = target_of(&state, &visibility, &body, &application).await?;
    let event = Event {
        kind: "matter_submit".to_owned(),
        summary: format!(
            "提交{}申请（{}）",
            application.kind.label_zh(),
            target.channel.label_zh()
        ),
    };
    let new = new_matter(&body, &application, target, auth.user.user_id)?;
    let id = state.store.create_matter(&new, &event, &auth.actor()).await?;
    Ok(AppJson(
        matter_detail(&state, &visibility, auth.user.user_id, id).await?,
    ))
}

/// The applicant (or staff on their behalf) resubmits a matter returned for completion, with the
/// completed application; it is checked again as a whole.
#[utoipa::path(post, path = "/matters/{id}/resubmit", tag = "matters", params(("id" = i64, Path)),
    request_body = ResubmitRequest,
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = MatterDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn resubmit_matter(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ResubmitRequest>,
) -> Result<AppJson<MatterDetail>> {
    let visibility = auth.visibility();
    let row = visible_matter(&state, &visibility, id).await?;
    let current = state_of(&row);
    let next = current
        .clone()
        .apply(MatterAction::Submit, Party::Applicant)
        .map_err(transition_error)?;
    let request = FileMatterRequest {
        kind: kind_of(&row),
        organization_id: row.organization_id,
        changes: body.changes,
        establishment: match body.establishment {
            Some(establishment) => Some(establishment),
            None => payload_of(&state, &row)?.establishment,
        },
        note: body.note,
    };
    let application = check_application(&request).map_err(validation)?;
    let payload = Payload {
        changes: application.changes.to_input(),
        establishment: request
            .establishment
            .filter(|_| application.new_organization.is_some()),
    };
    let actor = auth.actor();
    let step = Step {
        payload: Some((json!(payload).to_string(), application.note.clone())),
        event: Event {
            kind: "matter_submit".to_owned(),
            summary: "补正后重新提交".to_owned(),
        },
        audit_after: json!({ "state": next.key(), "changes": changes_json(&application.changes) }),
        ..Step::new(id, &current, &next, &actor)
    };
    state.store.step_matter(&step).await.map_err(step_error)?;
    Ok(AppJson(
        matter_detail(&state, &visibility, auth.user.user_id, id).await?,
    ))
}
