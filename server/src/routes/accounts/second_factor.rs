//! Two-step verification (TOTP, `domain::accounts::totp`): the second step of a sign-in, one's own
//! enrolment (start, confirm with a first code, new recovery codes, turn off with password and code), and
//! the bureau's reset for someone who lost their phone. Secrets are sealed under the data key; recovery
//! codes are stored as SHA-256 hashes and shown once; no audit row holds either. The enrolment answer
//! carries its `otpauth://` URI as a QR code drawn here (`qr_code`), so the browser bundle has no encoder.

mod qr_code;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use domain::accounts::totp;
use domain::api::{
    DisableSecondFactorRequest, ReasonRequest, RecoveryCodes, SecondFactorCode, SecondFactorEnrolment,
    SecondFactorStatus, UserSummary,
};
use domain::policy;
use rand::RngCore;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Attempt, admit, open_session, session_entry};
use crate::auth::lockout;
use crate::auth::{Auth, BureauOnly, ClientInfo, password, session};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::state::AppState;
use crate::store::accounts::totp_secret_context as secret_context;
use crate::store::accounts::{Guess, NewChallenge, TotpRecord, UserRecord};
use crate::store::{Actor, AuditEntry};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login_second_factor))
        .routes(routes!(second_factor_status))
        .routes(routes!(start_enrolment))
        .routes(routes!(confirm_enrolment))
        .routes(routes!(new_recovery_codes))
        .routes(routes!(disable_second_factor))
        .routes(routes!(reset_second_factor))
}

/// The password was right for an account with a second factor: no session yet. The sign-in waits five
/// minutes for its code (`login_second_factor`) under a token in its own cookie; the answer is 401
/// `second_factor_required`.
pub(super) async fn challenge(
    state: &AppState,
    client: &ClientInfo,
    jar: CookieJar,
    user: &UserRecord,
    guess: i64,
) -> Result<Response> {
    let (token, token_hash) = session::new_token();
    let actor = user_actor(user, client);
    let audit = session_entry(&actor, user.id.to_string(), "login_second_factor_required");
    let challenge = NewChallenge {
        token_hash: &token_hash,
        user_id: user.id,
        expires_at: Utc::now() + session::CHALLENGE_TIMEOUT,
        guess,
    };
    state.store.open_challenge(&challenge, &audit).await?;
    let jar = jar.add(session::challenge_cookie(token, state.settings.secure_cookies));
    Ok((jar, Error::SecondFactorRequired).into_response())
}

/// The second step of a sign-in: a code from the authenticator app, or a recovery code. A wrong code
/// counts in the same lockout as a wrong password; a code works once.
#[utoipa::path(
    post,
    path = "/auth/login/second-factor",
    tag = "auth",
    request_body = SecondFactorCode,
    security(()),
    responses(
        (status = 200, description = "已登录", body = domain::api::Me),
        (status = 401, description = "没有等待验证的登录，或已超过 5 分钟", body = domain::api::ApiError),
        (status = 422, description = "验证码不正确或已使用", body = domain::api::ApiError),
        (status = 429, description = "尝试次数过多", body = domain::api::ApiError),
    )
)]
async fn login_second_factor(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    AppJson(body): AppJson<SecondFactorCode>,
) -> Result<Response> {
    let secure = state.settings.secure_cookies;
    let token_hash = session::challenge_hash_from_jar(&jar, secure).ok_or(Error::Unauthorized)?;
    let user_id = state
        .store
        .find_challenge(&token_hash, Utc::now())
        .await?
        .ok_or(Error::Unauthorized)?;
    let user = state
        .store
        .find_user(user_id)
        .await?
        .filter(|u| !u.disabled && u.second_factor && (state.settings.demo || !u.is_demo))
        .ok_or(Error::Unauthorized)?;
    let attempt = Attempt::new(&user.username, &client);
    admit(&state, &attempt).await?;
    let locked = session_entry(&attempt.actor, user.username.clone(), "login_locked");
    let guess = state
        .store
        .reserve_login_guess(
            &user.username,
            Some(user.id),
            &client.user_agent,
            Utc::now(),
            &locked,
        )
        .await?;
    let Guess::Judge {
        id: guess,
        mut failures,
    } = guess
    else {
        return Err(Error::RateLimited(
            "登录失败次数过多，该账户已临时锁定 15 分钟".to_owned(),
        ));
    };
    let Some(method) = spend_code(&state, &user, &body.code).await? else {
        let failed_at = Utc::now();
        failures.push(failed_at);
        let action = if lockout::is_locked(&failures, failed_at) {
            "login_second_factor_failed_lockout"
        } else {
            "login_second_factor_failed"
        };
        state
            .store
            .record_audit(&session_entry(&attempt.actor, user.username.clone(), action))
            .await?;
        return Err(wrong_code());
    };
    state.store.close_challenge(&token_hash).await?;
    let jar = jar.add(session::challenge_removal(secure));
    Ok(open_session(&state, &client, jar, &user, guess, method)
        .await?
        .into_response())
}

/// One's own two-step verification: on, waiting for a first code, recovery codes left, required.
#[utoipa::path(
    get,
    path = "/auth/second-factor",
    tag = "auth",
    security(("session" = ["AnyRole"])),
    responses((status = 200, body = SecondFactorStatus))
)]
async fn second_factor_status(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<AppJson<SecondFactorStatus>> {
    Ok(AppJson(status_of(&state, &auth).await?))
}

/// Starts (or starts again) an enrolment: a new secret, sealed on the server and shown once (as base32,
/// as an `otpauth://` URI and as that URI's QR code), to be confirmed with a first code. 409 while
/// two-step verification is on.
#[utoipa::path(
    post,
    path = "/auth/second-factor/enrolment",
    tag = "auth",
    security(("session" = ["AnyRole"])),
    responses((status = 200, body = SecondFactorEnrolment), (status = 409, body = domain::api::ApiError))
)]
async fn start_enrolment(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<AppJson<SecondFactorEnrolment>> {
    let mut secret = [0u8; totp::SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    let encoded = totp::base32_encode(&secret);
    let sealed = state
        .settings
        .keys
        .seal(&encoded, secret_context(&auth.user.user_id.to_string()));
    let actor = auth.actor();
    let audit = own_entry(&actor, "second_factor_enrolment_started");
    if !state
        .store
        .start_totp(auth.user.user_id, &sealed.key_id, &sealed.ciphertext, &audit)
        .await?
    {
        return Err(already_on());
    }
    let uri = totp::otpauth_uri(&auth.user.username, &secret);
    Ok(AppJson(SecondFactorEnrolment {
        qr_code: qr_code::svg_data_uri(&uri)?,
        uri,
        secret: encoded,
    }))
}

/// Confirms an enrolment with a current code: two-step verification is on from the next sign-in, and
/// the answer holds ten recovery codes, shown this once.
#[utoipa::path(
    post,
    path = "/auth/second-factor/confirm",
    tag = "auth",
    request_body = SecondFactorCode,
    security(("session" = ["AnyRole"])),
    responses((status = 200, body = RecoveryCodes), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError))
)]
async fn confirm_enrolment(
    State(state): State<AppState>,
    auth: Auth,
    AppJson(body): AppJson<SecondFactorCode>,
) -> Result<AppJson<RecoveryCodes>> {
    let record = state.store.find_totp(auth.user.user_id).await?;
    let Some(record) = record.filter(|r| r.confirmed_at.is_none()) else {
        return Err(Error::Conflict {
            message: "没有待确认的两步验证，请重新开始设置".to_owned(),
            fields: Vec::new(),
        });
    };
    let secret = open_secret(&state, auth.user.user_id, &record)?;
    let step = totp::verify(&secret, &body.code, Utc::now().timestamp(), None).ok_or_else(wrong_code)?;
    let (codes, hashes) = recovery_codes();
    let actor = auth.actor();
    let audit = own_entry(&actor, "second_factor_enabled");
    if !state
        .store
        .confirm_totp(auth.user.user_id, step, &hashes, &audit)
        .await?
    {
        return Err(already_on());
    }
    Ok(AppJson(RecoveryCodes { codes }))
}

/// New recovery codes (the old ones stop working), for a current code.
#[utoipa::path(
    post,
    path = "/auth/second-factor/recovery-codes",
    tag = "auth",
    request_body = SecondFactorCode,
    security(("session" = ["AnyRole"])),
    responses((status = 200, body = RecoveryCodes), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError))
)]
async fn new_recovery_codes(
    State(state): State<AppState>,
    auth: Auth,
    AppJson(body): AppJson<SecondFactorCode>,
) -> Result<AppJson<RecoveryCodes>> {
    let user = own_account(&state, &auth).await?;
    if spend_code(&state, &user, &body.code).await?.is_none() {
        return Err(wrong_code());
    }
    let (codes, hashes) = recovery_codes();
    let actor = auth.actor();
    let audit = own_entry(&actor, "recovery_codes_replaced");
    state
        .store
        .replace_recovery_codes(user.id, &hashes, &audit)
        .await?;
    Ok(AppJson(RecoveryCodes { codes }))
}

/// Turns two-step verification off, with the password and a current code (or a recovery code). Staff
/// whom the server requires to have it are asked to turn it on again.
#[utoipa::path(
    post,
    path = "/auth/second-factor/disable",
    tag = "auth",
    request_body = DisableSecondFactorRequest,
    security(("session" = ["AnyRole"])),
    responses((status = 200, body = SecondFactorStatus), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError))
)]
async fn disable_second_factor(
    State(state): State<AppState>,
    auth: Auth,
    AppJson(body): AppJson<DisableSecondFactorRequest>,
) -> Result<AppJson<SecondFactorStatus>> {
    let user = own_account(&state, &auth).await?;
    if !password::verify(body.password, Some(user.password_hash.clone())).await? {
        return Err(Error::invalid("password", "密码不正确"));
    }
    if spend_code(&state, &user, &body.code).await?.is_none() {
        return Err(wrong_code());
    }
    let actor = auth.actor();
    let audit = own_entry(&actor, "second_factor_disabled");
    state.store.remove_totp(user.id, &audit).await?;
    Ok(AppJson(status_of(&state, &auth).await?))
}

/// Removes an account's second factor for someone who lost their phone (audited, with the reason): they
/// sign in with their password and may enrol again.
#[utoipa::path(post, path = "/users/{id}/reset-second-factor", tag = "users", params(("id" = i64, Path)),
    request_body = ReasonRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = UserSummary), (status = 404, body = domain::api::ApiError)))]
async fn reset_second_factor(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReasonRequest>,
) -> Result<AppJson<UserSummary>> {
    let user = state
        .store
        .find_user(id)
        .await?
        .ok_or_else(|| Error::not_found("账户"))?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "user",
        entity_id: id.to_string(),
        action: "reset_second_factor",
        before: Some(json!({ "second_factor": user.second_factor })),
        after: Some(json!({ "second_factor": false })),
        reason: body.reason.filter(|r| !r.trim().is_empty()),
    };
    state.store.remove_totp(id, &audit).await?;
    let user = state
        .store
        .find_user(id)
        .await?
        .ok_or_else(|| Error::not_found("账户"))?;
    let orgs = state.store.instructor_organizations(id).await?;
    Ok(AppJson(user.summary(orgs)))
}

/// Checks `code` — a current TOTP code or an unused recovery code — and spends it, so it cannot be used
/// again: `Some("totp" | "recovery_code")`, or `None` if it is wrong or used.
async fn spend_code(state: &AppState, user: &UserRecord, code: &str) -> Result<Option<&'static str>> {
    let Some(record) = state.store.find_totp(user.id).await? else {
        return Ok(None);
    };
    if record.confirmed_at.is_none() {
        return Ok(None);
    }
    if totp::normalize_code(code).is_some() {
        let secret = open_secret(state, user.id, &record)?;
        let now = Utc::now().timestamp();
        let Some(step) = totp::verify(&secret, code, now, record.last_step) else {
            return Ok(None);
        };
        // One conditional update: of two requests with the same code, one passes.
        return Ok(state.store.use_totp_step(user.id, step).await?.then_some("totp"));
    }
    let Some(recovery) = totp::normalize_recovery_code(code) else {
        return Ok(None);
    };
    let spent = state
        .store
        .use_recovery_code(user.id, &session::hash_token(&recovery))
        .await?;
    Ok(spent.then_some("recovery_code"))
}

/// Ten new recovery codes as shown, and the hashes stored.
fn recovery_codes() -> (Vec<String>, Vec<String>) {
    (0..totp::RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; totp::RECOVERY_CODE_BYTES];
            rand::rng().fill_bytes(&mut bytes);
            let code = totp::recovery_code(&bytes);
            let normalized = totp::normalize_recovery_code(&code).unwrap_or_default();
            (code, session::hash_token(&normalized))
        })
        .unzip()
}

fn open_secret(state: &AppState, user_id: i64, record: &TotpRecord) -> Result<Vec<u8>> {
    let user_id = user_id.to_string();
    let encoded =
        state
            .settings
            .keys
            .open(&record.key_id, &record.secret_sealed, secret_context(&user_id))?;
    totp::base32_decode(&encoded)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("a stored TOTP secret is not base32")))
}

async fn status_of<R: crate::auth::Rule>(state: &AppState, auth: &Auth<R>) -> Result<SecondFactorStatus> {
    let user_id = auth.user.user_id;
    let record = state.store.find_totp(user_id).await?;
    let enabled = record.as_ref().is_some_and(|r| r.confirmed_at.is_some());
    let user = own_account(state, auth).await?;
    Ok(SecondFactorStatus {
        enabled,
        pending: record.is_some() && !enabled,
        recovery_codes_left: state.store.unused_recovery_codes(user_id).await?,
        required: state.settings.require_staff_second_factor
            && policy::STAFF.allows(auth.user.role)
            && !(user.is_demo && state.settings.demo),
    })
}

async fn own_account<R: crate::auth::Rule>(state: &AppState, auth: &Auth<R>) -> Result<UserRecord> {
    state
        .store
        .find_user(auth.user.user_id)
        .await?
        .ok_or(Error::Unauthorized)
}

fn wrong_code() -> Error {
    Error::invalid(
        "code",
        "验证码不正确或已使用，请输入身份验证器中当前的 6 位验证码或一个未用过的恢复码",
    )
}

fn already_on() -> Error {
    Error::Conflict {
        message: "两步验证已开启".to_owned(),
        fields: Vec::new(),
    }
}

fn user_actor(user: &UserRecord, client: &ClientInfo) -> Actor {
    Actor {
        user_id: Some(user.id),
        name: user.username.clone(),
        role: Some(user.role()),
        client_addr: client.addr.clone(),
    }
}

/// An audit row about one's own account.
fn own_entry<'a>(actor: &'a Actor, action: &'a str) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        entity_type: "user",
        entity_id: actor.user_id.unwrap_or_default().to_string(),
        action,
        before: None,
        after: None,
        reason: None,
    }
}
