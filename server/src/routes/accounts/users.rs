//! `/api/v1/users`: bureau administrators manage accounts — create, change role and scope, disable,
//! re-enable, reset the password.

use axum::extract::State;
use domain::api::{
    CreateUserRequest, IssuedPassword, Page, ReasonRequest, ScopeInput, UpdateUserRequest, UserQuery,
    UserSummary,
};
use domain::division::DivisionCode;
use domain::paging::PageRequest;
use domain::policy::Role;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, BureauOnly, password};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result, ResultExt, UniqueKey};
use crate::state::AppState;
use crate::store::accounts::{NewUser, ScopeIds, UserFilter, UserRecord};
use crate::store::{Actor, AuditEntry};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(find_user, update_user))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(reset_password))
}

/// Accounts, paged, searchable by username or name, filterable by role.
#[utoipa::path(get, path = "/users", tag = "users", params(UserQuery),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Page<UserSummary>)))]
async fn list_users(
    State(state): State<AppState>,
    _auth: Auth<BureauOnly>,
    AppQuery(query): AppQuery<UserQuery>,
) -> Result<AppJson<Page<UserSummary>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let role = match query.role.filter(|r| !r.is_empty()) {
        Some(raw) => Some(Role::parse(&raw).ok_or_else(|| Error::invalid("role", "角色（role）取值无效"))?),
        None => None,
    };
    let filter = UserFilter {
        q: query.q.filter(|q| !q.trim().is_empty()),
        role,
    };
    let (rows, total) = state.store.list_users(&filter, page).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(summary(&state, &row).await?);
    }
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Creates an account with a one-time password, shown once, to be changed at first sign-in.
#[utoipa::path(post, path = "/users", tag = "users", request_body = CreateUserRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = IssuedPassword), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
async fn create_user(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppJson(body): AppJson<CreateUserRequest>,
) -> Result<AppJson<IssuedPassword>> {
    let username = username_of(&body.username)?;
    let display_name = required_name(&body.display_name)?;
    let phone = phone_of(body.phone.as_deref())?;
    let scope = scope_for(&state, body.role, &body.scope).await?;
    // Asked before hashing a password; the unique key still decides a race between two creations. A
    // username must not be another account's phone number either: both sign in.
    if state.store.find_user_for_login(&username).await?.is_some() {
        return Err(USER_KEYS[0].conflict());
    }
    let temporary_password = password::temporary();
    let new = NewUser {
        username: username.clone(),
        display_name,
        phone,
        password_hash: password::hash(temporary_password.clone()).await?,
        role: body.role,
        scope,
        must_change_password: true,
        // Made on a demo server, it belongs to the demo: it signs in only in demo mode, and a later
        // demo start on this database is not refused for it.
        is_demo: state.settings.demo,
    };
    let actor = auth.actor();
    let after = json!({ "username": username, "display_name": new.display_name, "role": body.role,
                        "phone": new.phone.as_deref().map(domain::privacy::mask_phone) });
    let id = state
        .store
        .create_user(&new, |id| AuditEntry {
            after: Some(after),
            ..user_entry(&actor, id, "create")
        })
        .await
        .on_unique(&USER_KEYS)?;
    let user = load(&state, id).await?;
    Ok(AppJson(IssuedPassword {
        user: summary(&state, &user).await?,
        temporary_password,
    }))
}

/// One account.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = i64, Path)),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = UserSummary), (status = 404, body = domain::api::ApiError)))]
async fn find_user(
    State(state): State<AppState>,
    _auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<UserSummary>> {
    let user = load(&state, id).await?;
    Ok(AppJson(summary(&state, &user).await?))
}

/// Changes an account's name, role and scope; its sessions are closed so the change applies at once.
#[utoipa::path(put, path = "/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = UpdateUserRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = UserSummary), (status = 404, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
async fn update_user(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<UpdateUserRequest>,
) -> Result<AppJson<UserSummary>> {
    let before = load(&state, id).await?;
    let display_name = required_name(&body.display_name)?;
    let scope = scope_for(&state, body.role, &body.scope).await?;
    if id == auth.user.user_id && body.role != Role::BureauAdmin {
        return Err(Error::invalid("role", "不能取消自己的管理员角色"));
    }
    let actor = auth.actor();
    let before_summary = summary(&state, &before).await?;
    let audit = AuditEntry {
        before: Some(
            json!({ "display_name": before.display_name, "role": before_summary.role, "scope": before_summary.scope }),
        ),
        after: Some(json!({ "display_name": display_name, "role": body.role, "scope": body.scope })),
        ..user_entry(&actor, id, "update")
    };
    state
        .store
        .update_user(id, &display_name, body.role, &scope, &audit)
        .await?;
    let user = load(&state, id).await?;
    Ok(AppJson(summary(&state, &user).await?))
}

/// Disables an account: it can no longer sign in and its sessions are closed.
#[utoipa::path(post, path = "/users/{id}/disable", tag = "users", params(("id" = i64, Path)), request_body = ReasonRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = UserSummary), (status = 404, body = domain::api::ApiError)))]
async fn disable_user(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReasonRequest>,
) -> Result<AppJson<UserSummary>> {
    if id == auth.user.user_id {
        return Err(Error::invalid("id", "不能停用自己的账户"));
    }
    set_disabled(state, auth, id, true, body.reason).await
}

/// Re-enables a disabled account.
#[utoipa::path(post, path = "/users/{id}/enable", tag = "users", params(("id" = i64, Path)), request_body = ReasonRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = UserSummary), (status = 404, body = domain::api::ApiError)))]
async fn enable_user(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReasonRequest>,
) -> Result<AppJson<UserSummary>> {
    set_disabled(state, auth, id, false, body.reason).await
}

async fn set_disabled(
    state: AppState,
    auth: Auth<BureauOnly>,
    id: i64,
    disabled: bool,
    reason: Option<String>,
) -> Result<AppJson<UserSummary>> {
    let user = load(&state, id).await?;
    let actor = auth.actor();
    let action = if disabled { "disable" } else { "enable" };
    let audit = AuditEntry {
        before: Some(json!({ "disabled": user.disabled })),
        after: Some(json!({ "disabled": disabled })),
        reason: reason.filter(|r| !r.trim().is_empty()),
        ..user_entry(&actor, id, action)
    };
    state.store.set_user_disabled(id, disabled, &audit).await?;
    let user = load(&state, id).await?;
    Ok(AppJson(summary(&state, &user).await?))
}

/// Issues a new one-time password; the account must change it at its next sign-in.
#[utoipa::path(post, path = "/users/{id}/reset-password", tag = "users", params(("id" = i64, Path)),
    request_body = ReasonRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = IssuedPassword), (status = 404, body = domain::api::ApiError)))]
async fn reset_password(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReasonRequest>,
) -> Result<AppJson<IssuedPassword>> {
    let user = load(&state, id).await?;
    let temporary_password = password::temporary();
    let hash = password::hash(temporary_password.clone()).await?;
    let actor = auth.actor();
    let audit = AuditEntry {
        before: Some(json!({ "must_change_password": user.must_change_password })),
        after: Some(json!({ "must_change_password": true })),
        reason: body.reason.filter(|r| !r.trim().is_empty()),
        ..user_entry(&actor, id, "reset_password")
    };
    state
        .store
        .set_password(user.id, &hash, true, None, &audit)
        .await?;
    let user = load(&state, id).await?;
    Ok(AppJson(IssuedPassword {
        user: summary(&state, &user).await?,
        temporary_password,
    }))
}

/// An audit row about an account, to be completed with what changed.
fn user_entry<'a>(actor: &'a Actor, id: i64, action: &'a str) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        entity_type: "user",
        entity_id: id.to_string(),
        action,
        before: None,
        after: None,
        reason: None,
    }
}

async fn load(state: &AppState, id: i64) -> Result<UserRecord> {
    state
        .store
        .find_user(id)
        .await?
        .ok_or_else(|| Error::not_found("账户"))
}

async fn summary(state: &AppState, user: &UserRecord) -> Result<UserSummary> {
    let orgs = match user.role() {
        Role::Instructor => state.store.instructor_organizations(user.id).await?,
        _ => Vec::new(),
    };
    Ok(user.summary(orgs))
}

/// A username: 3–32 letters, digits, dots, dashes or underscores, in lower case.
fn username_of(raw: &str) -> Result<String> {
    let username = raw.trim().to_lowercase();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if !(3..=32).contains(&username.len()) || !username.chars().all(allowed) {
        return Err(Error::invalid(
            "username",
            "用户名须为 3–32 位字母、数字、点、横线或下划线",
        ));
    }
    Ok(username)
}

/// An optional mobile number: 11 digits starting with 1.
fn phone_of(raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) if p.len() == 11 && p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(Some(p.to_owned()))
        }
        Some(_) => Err(Error::invalid("phone", "手机号须为 11 位数字")),
        None => Ok(None),
    }
}

fn required_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(Error::invalid("display_name", "姓名为必填项，且不超过 50 个字"));
    }
    Ok(name.to_owned())
}

/// Checks that the scope fields the role needs are present and exist.
async fn scope_for(state: &AppState, role: Role, input: &ScopeInput) -> Result<ScopeIds> {
    match role {
        Role::BureauAdmin => Ok(ScopeIds::default()),
        Role::LocalStaff => {
            let code = input
                .division_code
                .as_deref()
                .and_then(|c| DivisionCode::parse(c).ok())
                .ok_or_else(|| {
                    Error::invalid("division_code", "市县工作人员须指定所辖市或县区（6 位代码）")
                })?;
            if !state.store.division_exists(&code).await? {
                return Err(Error::invalid("division_code", "没有这个市或县区"));
            }
            Ok(ScopeIds {
                division_code: Some(code),
                ..Default::default()
            })
        }
        Role::OrgUser => {
            let id = input
                .organization_id
                .ok_or_else(|| Error::invalid("organization_id", "社会组织用户须指定所属社会组织"))?;
            if !state.store.organization_exists(id).await? {
                return Err(Error::invalid("organization_id", "没有这个社会组织"));
            }
            Ok(ScopeIds {
                organization_id: Some(id),
                ..Default::default()
            })
        }
        Role::Instructor => {
            let mut ids = input.organization_ids.clone();
            ids.sort_unstable();
            ids.dedup();
            for id in &ids {
                if !state.store.organization_exists(*id).await? {
                    return Err(Error::invalid(
                        "organization_ids",
                        format!("没有编号为 {id} 的社会组织"),
                    ));
                }
            }
            Ok(ScopeIds {
                organization_ids: ids,
                ..Default::default()
            })
        }
    }
}

/// The unique keys of `users`: a race between two creations is a 409 naming the field. A number is unique
/// by its keyed index (sealed) and, on a row not sealed yet, in clear.
const USER_KEYS: [UniqueKey; 3] = [
    UniqueKey {
        table: "users",
        column: "username",
        field: "username",
        message: "用户名已被使用",
    },
    UniqueKey {
        table: "users",
        column: "phone_index",
        field: "phone",
        message: "手机号已被其他账户使用",
    },
    UniqueKey {
        table: "users",
        column: "phone",
        field: "phone",
        message: "手机号已被其他账户使用",
    },
];
