//! Staff's steps on a matter: accept (the time limit starts), return for 补正, start the review, approve
//! (the registry changes and the licensing decision is numbered) or reject (a numbered 不予许可 decision).

use axum::extract::State;
use chrono::NaiveDate;
use domain::api::MatterDetail;
use domain::registry::matter::{ActionKind, Channel, MatterAction, MatterKind, MatterState, Party};
use serde_json::json;

use super::decisions::approval_for;
use super::{kind_of, matter_detail, state_of, step_error, transition_error, visible_matter};
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, Result};
use crate::state::{AppState, today};
use crate::store::Visibility;
use crate::store::registry::matters::{Event, MatterRow};
use crate::store::registry::steps::{Approval, DecisionDraft, Step};

/// What a step does besides moving the matter: the time limit it starts, the registry change and the
/// decision it records.
#[derive(Default)]
struct Effects {
    accepted_on: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
    approval: Option<Approval>,
    decision: Option<DecisionDraft>,
}

/// The effects of moving `row` to `next` today.
async fn effects_of(
    state: &AppState,
    visibility: &Visibility,
    row: &MatterRow,
    next: &MatterState,
) -> Result<Effects> {
    let today = today();
    let kind = kind_of(row);
    let decision_with = |content: String| DecisionDraft {
        decided_on: today,
        kind: kind.key(),
        content,
        authority_code: row.division_code.clone(),
        publish_by: domain::publication::due_on(today, &state.registry.calendar),
    };
    Ok(match next {
        MatterState::Accepted => {
            let channel = Channel::parse(&row.channel).unwrap_or(Channel::Standard);
            let policy = &state.registry;
            let due = policy.limits.due_date(today, kind, channel, &policy.calendar);
            Effects {
                accepted_on: Some(today),
                due_on: Some(due),
                ..Effects::default()
            }
        }
        MatterState::Approved => {
            let (approval, content) = approval_for(state, visibility, row).await?;
            Effects {
                approval: Some(approval),
                decision: Some(decision_with(content)),
                ..Effects::default()
            }
        }
        // 不予行政许可决定: recorded and numbered like a grant, with the reasons.
        MatterState::Rejected { reasons } => Effects {
            decision: Some(decision_with(format!(
                "不予许可（{}）：{}",
                kind.label_zh(),
                reasons.join("；")
            ))),
            ..Effects::default()
        },
        _ => Effects::default(),
    })
}

/// The timeline's line for a step.
fn summary_of(kind: MatterKind, action: ActionKind, next: &MatterState, effects: &Effects) -> String {
    match next {
        MatterState::Accepted => format!(
            "受理{}，办结时限 {}",
            kind.label_zh(),
            effects.due_on.map(|d| d.to_string()).unwrap_or_default()
        ),
        MatterState::Returned { missing } => format!("退回补正：{}", missing.join("、")),
        MatterState::UnderReview => "开始审查".to_owned(),
        MatterState::Approved => effects
            .decision
            .as_ref()
            .map(|d| d.content.clone())
            .unwrap_or_default(),
        MatterState::Rejected { reasons } => format!("不予登记：{}", reasons.join("；")),
        _ => action.label_zh().to_owned(),
    }
}

/// The audit row's reason: what is missing, or why it was rejected.
fn reason_of(next: &MatterState) -> Option<String> {
    match next {
        MatterState::Returned { missing } => Some(missing.join("、")),
        MatterState::Rejected { reasons } => Some(reasons.join("；")),
        _ => None,
    }
}

/// Staff take a step: `accept`, `return` (with `missing`), `start_review`, `approve`, `reject` (with
/// `reasons`). Whoever filed or reviewed the matter may not approve or reject it (403 naming why: 三权分立).
/// Approval applies the matter to the registry and records the licensing decision.
#[utoipa::path(post, path = "/matters/{id}/actions", tag = "matters", params(("id" = i64, Path)),
    request_body = MatterAction,
    security(("session" = ["Staff"])),
    responses((status = 200, body = MatterDetail),
              (status = 403, description = "审批分离：提交或审查了本事项的账号不能决定它", body = domain::api::ApiError),
              (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn act_on_matter(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(action): AppJson<MatterAction>,
) -> Result<AppJson<MatterDetail>> {
    let visibility = auth.visibility();
    let row = visible_matter(&state, &visibility, id).await?;
    let current = state_of(&row);
    let action_kind = action.kind();
    // Separation of duties: whoever filed or reviewed the matter may not decide it (refused, nothing written).
    let next = current
        .clone()
        .take(action, Party::Staff, auth.user.user_id, &row.handlers())
        .map_err(transition_error)?;
    let effects = effects_of(&state, &visibility, &row, &next).await?;
    let actor = auth.actor();
    let step = Step {
        event: Event {
            kind: format!("matter_{}", action_kind.key()),
            summary: summary_of(kind_of(&row), action_kind, &next, &effects),
        },
        reason: reason_of(&next),
        accepted_on: effects.accepted_on,
        due_on: effects.due_on,
        approval: effects.approval,
        decision: effects.decision,
        audit_after: json!(next),
        reviewed_by: (action_kind == ActionKind::StartReview).then_some(auth.user.user_id),
        ..Step::new(id, &current, &next, &actor)
    };
    state.store.step_matter(&step).await.map_err(step_error)?;
    Ok(AppJson(
        matter_detail(&state, &visibility, auth.user.user_id, id).await?,
    ))
}
