//! `/api/v1/auth`: sign in and out, who am I, change my password, my recent sign-ins.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use chrono::{DateTime, Utc};
use domain::api::{ChangePasswordRequest, LoginEvent, LoginRequest, Me};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::second_factor;
use crate::auth::lockout::{self, LOCKOUT, MAX_CLIENT_FAILURES};
use crate::auth::{Auth, ClientInfo, password, principal_of, session};
use crate::error::{AppJson, Error, Result};
use crate::state::AppState;
use crate::store::accounts::{Guess, NewSession, UserRecord};
use crate::store::{Actor, AuditEntry};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(current_session))
        .routes(routes!(change_password))
        .routes(routes!(list_my_logins))
}

/// Signs in with a username (or phone number) and password; opens a new session (the cookie is set).
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "已登录", body = Me),
        (status = 401, description = "用户名或密码错误；或密码正确、须输入两步验证码（`second_factor_required`，设置等待第二步的 Cookie）", body = domain::api::ApiError),
        (status = 429, description = "尝试次数过多", body = domain::api::ApiError),
    )
)]
async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    AppJson(body): AppJson<LoginRequest>,
) -> Result<Response> {
    let login = body.username.trim().to_lowercase();
    required_fields(&login, &body.password)?;
    let user = state.store.find_user_for_login(&login).await?;
    // An attempt on an account is recorded, counted and locked under its username, whether its username
    // or its phone number was typed: one lockout per account, and no phone number in the records.
    let name = user
        .as_ref()
        .map_or_else(|| login.clone(), |u| u.username.clone());
    let attempt = Attempt::new(&name, &client);
    admit(&state, &attempt).await?;
    let locked = session_entry(&attempt.actor, name.clone(), "login_locked");
    let guess = state
        .store
        .reserve_login_guess(
            &name,
            user.as_ref().map(|u| u.id),
            &client.user_agent,
            Utc::now(),
            &locked,
        )
        .await?;
    let Guess::Judge { id: guess, failures } = guess else {
        crate::metrics::sign_in_refused("account_locked");
        return Err(Error::RateLimited(
            "登录失败次数过多，该账户已临时锁定 15 分钟".to_owned(),
        ));
    };
    let user = authenticate(&state, &attempt, body.password, user, failures).await?;
    if user.second_factor {
        return second_factor::challenge(&state, &client, jar, &user, guess).await;
    }
    Ok(open_session(&state, &client, jar, &user, guess, "password")
        .await?
        .into_response())
}

/// Opens a session for `user`, whose sign-in attempt `guess` succeeded (`method`: `password`, `totp` or
/// `recovery_code`, for the audit row): the browser's old session is closed and the cookie set.
pub(super) async fn open_session(
    state: &AppState,
    client: &ClientInfo,
    jar: CookieJar,
    user: &UserRecord,
    guess: i64,
    method: &str,
) -> Result<(CookieJar, AppJson<Me>)> {
    let principal = principal_of(state, user, state.store.instructor_organizations(user.id).await?);
    let (token, token_hash) = session::new_token();
    let previous = session::token_hash_from_jar(&jar, state.settings.secure_cookies);
    let actor = Actor {
        user_id: Some(user.id),
        name: user.username.clone(),
        role: Some(user.role()),
        client_addr: client.addr.clone(),
    };
    let audit = AuditEntry {
        after: Some(json!({ "user_agent": client.user_agent, "method": method })),
        ..session_entry(&actor, user.id.to_string(), "login")
    };
    let new_session = NewSession {
        token_hash: &token_hash,
        user_id: user.id,
        expires_at: Utc::now() + session::ABSOLUTE_TIMEOUT,
        client_addr: &client.addr,
        user_agent: &client.user_agent,
        replaces: previous.as_deref(),
        guess: Some(guess),
    };
    state
        .store
        .open_session(&user.username, &new_session, &audit)
        .await?;
    let jar = jar.add(session::cookie(token, state.settings.secure_cookies));
    Ok((jar, AppJson(principal)))
}

/// 422 naming the empty fields.
fn required_fields(login: &str, password: &str) -> Result<()> {
    let missing: Vec<domain::api::FieldError> =
        [("username", login.is_empty()), ("password", password.is_empty())]
            .into_iter()
            .filter(|(_, missing)| *missing)
            .map(|(field, _)| domain::api::FieldError {
                field: field.to_owned(),
                message: "必填".to_owned(),
            })
            .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Validation {
        message: "请输入用户名和密码".to_owned(),
        fields: missing,
    })
}

/// A sign-in attempt: the name it counts under — the account's username, or the name typed when no account
/// has it — and where it comes from.
pub(super) struct Attempt<'a> {
    login: &'a str,
    client: &'a ClientInfo,
    pub(super) actor: Actor,
}

impl<'a> Attempt<'a> {
    pub(super) fn new(login: &'a str, client: &'a ClientInfo) -> Self {
        let actor = Actor {
            user_id: None,
            name: login.to_owned(),
            role: None,
            client_addr: client.addr.clone(),
        };
        Attempt { login, client, actor }
    }

    /// Records the attempt as unsuccessful (`outcome`: `failure`, `locked`, `rate_limited`) with its audit
    /// row (`action`).
    async fn refuse(
        &self,
        state: &AppState,
        user_id: Option<i64>,
        outcome: &str,
        action: &'static str,
    ) -> Result<()> {
        let audit = session_entry(&self.actor, self.login.to_owned(), action);
        state
            .store
            .record_failed_login(self.login, user_id, outcome, &self.client.user_agent, &audit)
            .await?;
        Ok(())
    }
}

/// An audit row about a session.
pub(super) fn session_entry<'a>(actor: &'a Actor, entity_id: String, action: &'a str) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        entity_type: "session",
        entity_id,
        action,
        before: None,
        after: None,
        reason: None,
    }
}

/// Slows an attempt from a client address with many recent wrong passwords (`lockout::client_delay`) and
/// refuses it (429) only beyond `MAX_CLIENT_FAILURES`: many users may share one address.
pub(super) async fn admit(state: &AppState, attempt: &Attempt<'_>) -> Result<()> {
    let client_failures = state
        .store
        .recent_client_failures(&attempt.client.addr, Utc::now() - LOCKOUT)
        .await?;
    if client_failures >= MAX_CLIENT_FAILURES {
        crate::metrics::sign_in_refused("address_limited");
        attempt
            .refuse(state, None, "rate_limited", "login_rate_limited")
            .await?;
        return Err(Error::RateLimited(
            "登录尝试过于频繁，请 15 分钟后再试".to_owned(),
        ));
    }
    let delay = lockout::client_delay(client_failures);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    Ok(())
}

/// The account the attempt signs in to, if the password matches and the account may sign in; otherwise
/// the failure (already recorded with the attempt) is audited, noting when it locks the name, and the
/// answer is 401, the same for every cause.
async fn authenticate(
    state: &AppState,
    attempt: &Attempt<'_>,
    password: String,
    user: Option<UserRecord>,
    mut failures: Vec<DateTime<Utc>>,
) -> Result<UserRecord> {
    let matches = password::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let usable = user
        .as_ref()
        .is_some_and(|u| !u.disabled && (state.settings.demo || !u.is_demo));
    if let Some(user) = user.filter(|_| matches && usable) {
        return Ok(user);
    }
    let failed_at = Utc::now();
    failures.push(failed_at);
    let locks = lockout::is_locked(&failures, failed_at);
    crate::metrics::sign_in_failed(locks);
    let action = if locks {
        "login_failed_lockout"
    } else {
        "login_failed"
    };
    state
        .store
        .record_audit(&session_entry(&attempt.actor, attempt.login.to_owned(), action))
        .await?;
    Err(Error::InvalidCredentials)
}

/// Signs out: the session is closed and the cookie removed.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    security(("session" = ["AnyRole"])),
    responses((status = 204, description = "已退出"))
)]
async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode)> {
    let actor = auth.actor();
    let audit = session_entry(&actor, auth.user.user_id.to_string(), "logout");
    state.store.close_session(&auth.session, &audit).await?;
    Ok((
        jar.add(session::removal(state.settings.secure_cookies)),
        StatusCode::NO_CONTENT,
    ))
}

/// Who is signed in: role and scope.
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "auth",
    security(("session" = ["AnyRole"])),
    responses((status = 200, description = "当前用户", body = Me), (status = 401, body = domain::api::ApiError))
)]
async fn me(auth: Auth) -> AppJson<Me> {
    AppJson(auth.user)
}

/// Who is signed in, if anyone: `null` for a visitor. The app asks this at start, where "nobody" is the
/// normal answer rather than an error (unlike `/auth/me`, which answers 401).
#[utoipa::path(
    get,
    path = "/auth/session",
    tag = "auth",
    security(()),
    responses((status = 200, description = "当前用户，未登录为 null", body = Option<Me>))
)]
async fn current_session(auth: std::result::Result<Auth, Error>) -> Result<AppJson<Option<Me>>> {
    match auth {
        Ok(auth) => Ok(AppJson(Some(auth.user))),
        Err(Error::Unauthorized) => Ok(AppJson(None)),
        Err(other) => Err(other),
    }
}

/// Changes one's own password (required after an initial or reset password). Other sessions are closed.
#[utoipa::path(
    post,
    path = "/auth/password",
    tag = "auth",
    request_body = ChangePasswordRequest,
    security(("session" = ["AnyRole"])),
    responses((status = 200, description = "已修改", body = Me), (status = 422, body = domain::api::ApiError))
)]
async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    AppJson(body): AppJson<ChangePasswordRequest>,
) -> Result<AppJson<Me>> {
    let user = state
        .store
        .find_user(auth.user.user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    if !password::verify(body.current_password, Some(user.password_hash.clone())).await? {
        return Err(Error::invalid("current_password", "当前密码不正确"));
    }
    password::check_new(&body.new_password, &user.username)
        .map_err(|e| Error::invalid("new_password", e.to_string()))?;
    if password::verify(body.new_password.clone(), Some(user.password_hash)).await? {
        return Err(Error::invalid(
            "new_password",
            domain::accounts::PasswordError::Unchanged.to_string(),
        ));
    }
    let hash = password::hash(body.new_password).await?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "user",
        entity_id: user.id.to_string(),
        action: "change_password",
        before: None,
        after: None,
        reason: None,
    };
    state
        .store
        .set_password(user.id, &hash, false, Some(&auth.session), &audit)
        .await?;
    Ok(AppJson(domain::policy::Principal {
        must_change_password: false,
        ..auth.user
    }))
}

/// One's own sign-in attempts, newest first (the last 20).
#[utoipa::path(
    get,
    path = "/auth/logins",
    tag = "auth",
    security(("session" = ["AnyRole"])),
    responses((status = 200, description = "最近登录记录", body = Vec<LoginEvent>))
)]
async fn list_my_logins(State(state): State<AppState>, auth: Auth) -> Result<AppJson<Vec<LoginEvent>>> {
    Ok(AppJson(state.store.recent_logins(auth.user.user_id, 20).await?))
}
