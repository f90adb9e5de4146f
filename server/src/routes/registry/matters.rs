//! `/api/v1/matters`: registration matters. Organization users (or staff on their behalf) file and, after
//! 补正, resubmit; staff accept, return, review, approve or reject. Approval changes the registry and
//! records the licensing decision in the same transaction.

use axum::extract::{Path, State};
use chrono::NaiveDate;
use domain::api::{
    FieldError, FileMatterRequest, MatterDetail, MatterQuery, MatterSummary, NewOrganizationInput, Page,
    ProfileChanges, ResubmitRequest,
};
use domain::division::DivisionCode;
use domain::paging::PageRequest;
use domain::policy::{Principal, Scope};
use domain::privacy::mask_phone;
use domain::registry::credit_code::CreditCategory;
use domain::registry::matter::{
    Channel, MatterAction, MatterKind, MatterState, Party, QueueEntry, TransitionError, sort_queue,
};
use domain::registry::organization::{Classification, OrgKind, OrgStatus, Registration};
use domain::registry::registration::{Application, ValidChanges, check_application, level_of};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, Staff, StaffOrOrg};
use crate::error::{AppJson, AppQuery, Error, Result, UniqueKey, unique_conflict};
use crate::routes::registry::organizations::{load_visible, org_scope};
use crate::state::{AppState, today};
use crate::store::registry::OrganizationRow;
use crate::store::registry::matters::{
    Approval, DecisionDraft, Event, MatterRow, MatterStates, NewMatter, NewRegistration, Step, StepError,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_matters, file_matter))
        .routes(routes!(find_matter))
        .routes(routes!(act_on_matter))
        .routes(routes!(resubmit_matter))
}

/// What a matter applies for, as stored in `payload_json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Payload {
    #[serde(default)]
    changes: ProfileChanges,
    #[serde(default)]
    establishment: Option<NewOrganizationInput>,
}

fn payload_of(row: &MatterRow) -> Payload {
    serde_json::from_str(&row.payload_json).unwrap_or_default()
}

fn state_of(row: &MatterRow) -> MatterState {
    serde_json::from_str(&row.state_json).unwrap_or_default()
}

fn kind_of(row: &MatterRow) -> MatterKind {
    MatterKind::parse(&row.kind).unwrap_or(MatterKind::Change)
}

/// A stored matter as lists show it, with its deadline status on `today`.
pub(crate) fn matter_summary(state: &AppState, row: &MatterRow, today: NaiveDate) -> MatterSummary {
    let matter_state = state_of(row);
    let policy = &state.registry;
    let deadline = match (matter_state.is_timed(), row.due_on) {
        (true, Some(due)) => Some(policy.limits.deadline_status(today, due, &policy.calendar)),
        _ => None,
    };
    MatterSummary {
        id: row.id,
        kind: kind_of(row),
        next_actions: matter_state.next_actions().to_vec(),
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

fn classification_of(row: &OrganizationRow) -> Option<Classification> {
    Classification::new(row.kind(), row.categories(), row.emerging_industry()).ok()
}

/// Whether the caller may see a matter: staff by its division, an organization user by its organization.
fn covers_matter(user: &Principal, row: &MatterRow) -> bool {
    match &user.scope {
        Scope::Organization { id, .. } => row.organization_id == Some(*id),
        Scope::Organizations { .. } => false,
        _ => DivisionCode::parse(&row.division_code).is_ok_and(|d| user.covers_division(&d)),
    }
}

async fn load_matter(state: &AppState, user: &Principal, id: i64) -> Result<MatterRow> {
    state
        .store
        .find_matter(id)
        .await?
        .filter(|row| covers_matter(user, row))
        .ok_or_else(|| Error::not_found("登记事项"))
}

async fn detail(state: &AppState, row: MatterRow) -> Result<MatterDetail> {
    let history = state.store.matter_history(row.id).await?;
    let decision = state.store.matter_decision(row.id).await?;
    let payload = payload_of(&row);
    Ok(MatterDetail {
        matter: matter_summary(state, &row, today()),
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

/// Files an application; it is submitted at once and waits for staff to accept or return it.
#[utoipa::path(post, path = "/matters", tag = "matters", request_body = FileMatterRequest,
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = MatterDetail), (status = 404, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
async fn file_matter(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppJson(mut body): AppJson<FileMatterRequest>,
) -> Result<AppJson<MatterDetail>> {
    if let Scope::Organization { id, .. } = &auth.user.scope {
        if matches!(
            body.kind,
            MatterKind::Establishment | MatterKind::ForProfitConversion
        ) {
            return Err(Error::invalid(
                "kind",
                "成立登记和营改非由发起人向登记机关申请，不能以已登记组织的名义提交",
            ));
        }
        body.organization_id = Some(*id);
    }
    let application = check_application(&body).map_err(validation)?;
    let (organization, division, channel) = match &application.new_organization {
        Some(new) => {
            if !auth.user.covers_division(&new.division) {
                return Err(Error::invalid(
                    "establishment.division_code",
                    "登记机关不在您的管辖范围内",
                ));
            }
            (
                None,
                new.division.as_str().to_owned(),
                Channel::for_classification(&new.classification),
            )
        }
        None => {
            let id = body.organization_id.unwrap_or_default();
            let row = load_visible(&state, &auth.user, id).await?;
            if row.status != OrgStatus::Normal.key() {
                return Err(Error::invalid(
                    "organization_id",
                    "该社会组织已不在正常登记状态，不能办理登记事项",
                ));
            }
            let channel =
                classification_of(&row).map_or(Channel::Standard, |c| Channel::for_classification(&c));
            let division = row.division_code.clone();
            (Some(row), division, channel)
        }
    };
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
    let name = match &organization {
        Some(row) => row.name.clone(),
        None => application.changes.name.clone().unwrap_or_default(),
    };
    let new = NewMatter {
        kind: application.kind.key(),
        organization_id: organization.as_ref().map(|o| o.id),
        organization_name: name,
        division_code: division,
        state: submitted.key(),
        state_json: json!(submitted).to_string(),
        channel: channel.key(),
        payload_json: json!(payload).to_string(),
        note: application.note.clone(),
        filed_by: Some(auth.user.user_id),
        filed_at: chrono::Utc::now(),
        accepted_on: None,
        due_on: None,
    };
    let event = Event {
        kind: "matter_submit".to_owned(),
        summary: format!(
            "提交{}申请（{}）",
            application.kind.label_zh(),
            channel.label_zh()
        ),
    };
    let id = state.store.create_matter(&new, &event, &auth.actor()).await?;
    let row = load_matter(&state, &auth.user, id).await?;
    Ok(AppJson(detail(&state, row).await?))
}

/// Staff: the queue in scope — green channel first, then the earliest due date — with overdue and near-due
/// matters marked. Organization users: their own matters, newest first.
#[utoipa::path(get, path = "/matters", tag = "matters", params(MatterQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Page<MatterSummary>), (status = 422, body = domain::api::ApiError)))]
async fn list_matters(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<MatterQuery>,
) -> Result<AppJson<Page<MatterSummary>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let scope = org_scope(&auth.user);
    let raw_state = query.state.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let states = match raw_state.as_deref() {
        None | Some("open") => MatterStates::Open,
        Some("decided") => MatterStates::Decided,
        Some("all") => MatterStates::All,
        Some(
            one
            @ ("draft" | "submitted" | "returned" | "accepted" | "under_review" | "approved" | "rejected"),
        ) => MatterStates::One(one),
        Some(_) => return Err(Error::invalid("state", "状态（state）取值无效")),
    };
    let kind = match query.kind.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()) {
        Some(raw) => Some(
            MatterKind::parse(&raw)
                .map_err(|_| Error::invalid("kind", "事项类型（kind）取值无效"))?
                .key(),
        ),
        None => None,
    };
    let rows = state.store.list_matters(&scope, states, kind).await?;
    let today = today();
    let mut items: Vec<MatterSummary> = rows.iter().map(|r| matter_summary(&state, r, today)).collect();
    if auth.user.role.is_staff() {
        let mut entries: Vec<QueueEntry<i64>> = items
            .iter()
            .map(|m| QueueEntry {
                id: m.id,
                channel: m.channel,
                due: m.due_on.filter(|_| m.state.is_timed()),
            })
            .collect();
        sort_queue(&mut entries);
        let mut by_id: std::collections::HashMap<i64, MatterSummary> =
            items.into_iter().map(|m| (m.id, m)).collect();
        items = entries.iter().filter_map(|e| by_id.remove(&e.id)).collect();
    }
    let total = items.len() as u64;
    let items = items
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .collect();
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// One matter: where it stands, by when it must be decided, its history and its decision.
#[utoipa::path(get, path = "/matters/{id}", tag = "matters", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = MatterDetail), (status = 404, body = domain::api::ApiError)))]
async fn find_matter(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    Path(id): Path<i64>,
) -> Result<AppJson<MatterDetail>> {
    let row = load_matter(&state, &auth.user, id).await?;
    Ok(AppJson(detail(&state, row).await?))
}

fn transition_error(e: TransitionError) -> Error {
    match e {
        TransitionError::WrongParty { .. } => Error::Forbidden,
        TransitionError::NotAllowed { .. } => Error::Conflict {
            message: e.to_string(),
            fields: Vec::new(),
        },
        TransitionError::NoMissingItems => Error::invalid("missing", e.to_string()),
        TransitionError::NoReasons => Error::invalid("reasons", e.to_string()),
    }
}

fn step_error(e: StepError) -> Error {
    match e {
        StepError::Stale => Error::Conflict {
            message: "该事项已被他人办理，请刷新后再试".to_owned(),
            fields: Vec::new(),
        },
        StepError::Database(e) => unique_conflict(
            e,
            &[UniqueKey {
                table: "organizations",
                column: "name",
                field: "changes.name",
                message: "名称已被其他社会组织使用",
            }],
        ),
    }
}

/// The changes as the audit log and the decision show them: only the changed fields, phone masked.
fn changes_json(c: &ValidChanges) -> Value {
    let mut map = serde_json::Map::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            map.insert(key.to_owned(), Value::String(v));
        }
    };
    put("name", c.name.clone());
    put("domicile", c.domicile.clone());
    put("legal_representative", c.legal_representative.clone());
    put("business_scope", c.business_scope.clone());
    put(
        "registered_funds_fen",
        c.registered_funds.map(|f| f.as_i64().to_string()),
    );
    put("contact_phone", c.contact_phone.as_deref().map(mask_phone));
    put("supervisory_unit", c.supervisory_unit.clone());
    Value::Object(map)
}

/// The current values of the fields `c` changes, phone masked.
fn before_json(row: &OrganizationRow, c: &ValidChanges) -> Value {
    let mut map = serde_json::Map::new();
    let mut put = |changed: bool, key: &str, value: Option<String>| {
        if changed {
            map.insert(key.to_owned(), value.map_or(Value::Null, Value::String));
        }
    };
    put(c.name.is_some(), "name", Some(row.name.clone()));
    put(c.domicile.is_some(), "domicile", row.domicile.clone());
    put(
        c.legal_representative.is_some(),
        "legal_representative",
        row.legal_representative.clone(),
    );
    put(
        c.business_scope.is_some(),
        "business_scope",
        row.business_scope.clone(),
    );
    put(
        c.registered_funds.is_some(),
        "registered_funds_fen",
        row.registered_funds_fen.map(|f| f.to_string()),
    );
    put(
        c.contact_phone.is_some(),
        "contact_phone",
        row.contact_phone.as_deref().map(mask_phone),
    );
    put(
        c.supervisory_unit.is_some(),
        "supervisory_unit",
        row.supervisory_unit.clone(),
    );
    Value::Object(map)
}

/// The decision's content in Chinese: 准予变更登记：住所变更为……
fn changes_text(c: &ValidChanges) -> String {
    let parts: Vec<String> = [
        ("名称", c.name.clone()),
        ("住所", c.domicile.clone()),
        ("法定代表人", c.legal_representative.clone()),
        ("业务范围", c.business_scope.clone()),
        ("注册资金", c.registered_funds.map(|f| f.format_yuan())),
        ("联系电话", c.contact_phone.as_deref().map(mask_phone)),
        ("业务主管单位", c.supervisory_unit.clone()),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| format!("{label}变更为「{v}」")))
    .collect();
    parts.join("；")
}

/// The registry change an approval makes, and the decision's content.
async fn approval_for(state: &AppState, row: &MatterRow) -> Result<(Approval, String)> {
    let kind = kind_of(row);
    let payload = payload_of(row);
    let request = FileMatterRequest {
        kind,
        organization_id: row.organization_id,
        changes: payload.changes,
        establishment: payload.establishment,
        note: row.note.clone(),
    };
    let Application {
        changes,
        new_organization,
        ..
    } = check_application(&request).map_err(validation)?;
    if let Some(new) = new_organization {
        let org_kind = new.classification.kind();
        let registration = NewRegistration {
            category: match org_kind {
                OrgKind::SocialGroup => CreditCategory::SocialGroup,
                OrgKind::SocialService => CreditCategory::SocialService,
                OrgKind::Foundation => CreditCategory::Foundation,
            },
            kind: org_kind.key(),
            level: level_of(&new.division).key(),
            categories: new
                .classification
                .categories()
                .map(|c| c.key())
                .collect::<Vec<_>>()
                .join(","),
            emerging_industry: new.classification.emerging_industry().map(|e| e.key()),
        };
        let content = format!(
            "准予{}：{}，登记类型{}，法定代表人{}，住所{}，注册资金{}",
            kind.label_zh(),
            changes.name.clone().unwrap_or_default(),
            org_kind.label_zh(),
            changes.legal_representative.clone().unwrap_or_default(),
            changes.domicile.clone().unwrap_or_default(),
            changes
                .registered_funds
                .map(|f| f.format_yuan())
                .unwrap_or_default(),
        );
        let after = changes_json(&changes);
        return Ok((
            Approval::Register {
                registration,
                changes,
                after,
            },
            content,
        ));
    }
    let org_id = row.organization_id.unwrap_or_default();
    let org = state
        .store
        .find_organization(org_id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))?;
    let (status, action, content) = match kind {
        MatterKind::Deregistration => {
            let current = OrgStatus::parse(&org.status).unwrap_or(OrgStatus::Normal);
            let next = current
                .apply(
                    domain::registry::organization::StatusAction::Deregister,
                    Registration::Registered,
                )
                .map_err(|e| Error::Conflict {
                    message: e.to_string(),
                    fields: Vec::new(),
                })?;
            (Some(next), "deregister", format!("准予注销登记：{}", row.note))
        }
        MatterKind::ReElection => {
            let text = changes_text(&changes);
            (
                None,
                "re_election",
                format!(
                    "换届备案：{}{}{}",
                    row.note,
                    if text.is_empty() { "" } else { "；" },
                    text
                ),
            )
        }
        MatterKind::Filing => (None, "filing", format!("准予备案：{}", row.note)),
        _ => (
            None,
            "change",
            format!("准予变更登记：{}", changes_text(&changes)),
        ),
    };
    let mut before = before_json(&org, &changes);
    let mut after = changes_json(&changes);
    if let Some(status) = status {
        before["status"] = json!(org.status);
        after["status"] = json!(status.key());
    }
    Ok((
        Approval::Update {
            organization_id: org_id,
            changes,
            status,
            action,
            before,
            after,
        },
        content,
    ))
}

/// Staff take a step: `accept`, `return` (with `missing`), `start_review`, `approve`, `reject` (with
/// `reasons`). Approval applies the matter to the registry and records the licensing decision.
#[utoipa::path(post, path = "/matters/{id}/actions", tag = "matters", params(("id" = i64, Path)),
    request_body = MatterAction,
    security(("session" = ["Staff"])),
    responses((status = 200, body = MatterDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn act_on_matter(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path(id): Path<i64>,
    AppJson(action): AppJson<MatterAction>,
) -> Result<AppJson<MatterDetail>> {
    let row = load_matter(&state, &auth.user, id).await?;
    let current = state_of(&row);
    let kind = kind_of(&row);
    let action_kind = action.kind();
    let next = current
        .clone()
        .apply(action, Party::Staff)
        .map_err(transition_error)?;
    let today = today();
    let channel = Channel::parse(&row.channel).unwrap_or(Channel::Standard);
    let policy = &state.registry;
    let (accepted_on, due_on) = match next {
        MatterState::Accepted => {
            let due = policy.limits.due_date(today, kind, channel, &policy.calendar);
            (Some(today), Some(due))
        }
        _ => (None, None),
    };
    let decision_with = |content: String| DecisionDraft {
        decided_on: today,
        kind: kind.key(),
        content,
        authority_code: row.division_code.clone(),
    };
    let (approval, decision) = match &next {
        MatterState::Approved => {
            let (approval, content) = approval_for(&state, &row).await?;
            (Some(approval), Some(decision_with(content)))
        }
        // 不予行政许可决定: recorded and numbered like a grant, with the reasons.
        MatterState::Rejected { reasons } => (
            None,
            Some(decision_with(format!(
                "不予许可（{}）：{}",
                kind.label_zh(),
                reasons.join("；")
            ))),
        ),
        _ => (None, None),
    };
    let summary = match &next {
        MatterState::Accepted => format!(
            "受理{}，办结时限 {}",
            kind.label_zh(),
            due_on.map(|d| d.to_string()).unwrap_or_default()
        ),
        MatterState::Returned { missing } => format!("退回补正：{}", missing.join("、")),
        MatterState::UnderReview => "开始审查".to_owned(),
        MatterState::Approved => decision.as_ref().map(|d| d.content.clone()).unwrap_or_default(),
        MatterState::Rejected { reasons } => format!("不予登记：{}", reasons.join("；")),
        _ => action_kind.label_zh().to_owned(),
    };
    let reason = match &next {
        MatterState::Returned { missing } => Some(missing.join("、")),
        MatterState::Rejected { reasons } => Some(reasons.join("；")),
        _ => None,
    };
    let actor = auth.actor();
    let step = Step {
        matter_id: id,
        from_state: current.key(),
        to_state: next.key(),
        to_state_json: json!(next).to_string(),
        accepted_on,
        due_on,
        decided: next.is_decided(),
        payload: None,
        event: Event {
            kind: format!("matter_{}", action_kind.key()),
            summary,
        },
        actor: &actor,
        audit_after: json!(next),
        reason,
        approval,
        decision,
    };
    state.store.step_matter(&step).await.map_err(step_error)?;
    let row = load_matter(&state, &auth.user, id).await?;
    Ok(AppJson(detail(&state, row).await?))
}

/// The applicant (or staff on their behalf) resubmits a matter returned for completion, with the
/// completed application; it is checked again as a whole.
#[utoipa::path(post, path = "/matters/{id}/resubmit", tag = "matters", params(("id" = i64, Path)),
    request_body = ResubmitRequest,
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = MatterDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn resubmit_matter(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    Path(id): Path<i64>,
    AppJson(body): AppJson<ResubmitRequest>,
) -> Result<AppJson<MatterDetail>> {
    let row = load_matter(&state, &auth.user, id).await?;
    let current = state_of(&row);
    let next = current
        .clone()
        .apply(MatterAction::Submit, Party::Applicant)
        .map_err(transition_error)?;
    let request = FileMatterRequest {
        kind: kind_of(&row),
        organization_id: row.organization_id,
        changes: body.changes,
        establishment: body.establishment.or_else(|| payload_of(&row).establishment),
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
        matter_id: id,
        from_state: current.key(),
        to_state: next.key(),
        to_state_json: json!(next).to_string(),
        accepted_on: None,
        due_on: None,
        decided: false,
        payload: Some((json!(payload).to_string(), application.note.clone())),
        event: Event {
            kind: "matter_submit".to_owned(),
            summary: "补正后重新提交".to_owned(),
        },
        actor: &actor,
        audit_after: json!({ "state": next.key(), "changes": changes_json(&application.changes) }),
        reason: None,
        approval: None,
        decision: None,
    };
    state.store.step_matter(&step).await.map_err(step_error)?;
    let row = load_matter(&state, &auth.user, id).await?;
    Ok(AppJson(detail(&state, row).await?))
}
