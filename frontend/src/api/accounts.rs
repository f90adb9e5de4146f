//! 账户 — signing in, one's own account, users and the audit log.

use domain::api::{
    AuditQuery, AuditRecord, ChangePasswordRequest, CreateUserRequest, DisableSecondFactorRequest,
    IssuedPassword, LoginEvent, LoginRequest, Me, Page, ReasonRequest, RecoveryCodes, SecondFactorCode,
    SecondFactorEnrolment, SecondFactorStatus, UpdateUserRequest, UserQuery, UserSummary,
};
use gloo_net::http::Method;

use super::{NoContent, Result, get, send_json};
use crate::routes::with_query;

/// `POST /api/v1/auth/login`
pub async fn login(body: &LoginRequest) -> Result<Me> {
    send_json(Method::POST, "/api/v1/auth/login", body).await
}

/// `POST /api/v1/auth/login/second-factor`: the code after a password answered `second_factor_required`.
pub async fn login_second_factor(body: &SecondFactorCode) -> Result<Me> {
    send_json(Method::POST, "/api/v1/auth/login/second-factor", body).await
}

/// `GET /api/v1/auth/second-factor`
pub async fn second_factor_status() -> Result<SecondFactorStatus> {
    get("/api/v1/auth/second-factor").await
}

/// `POST /api/v1/auth/second-factor/enrolment`
pub async fn start_second_factor() -> Result<SecondFactorEnrolment> {
    send_json(
        Method::POST,
        "/api/v1/auth/second-factor/enrolment",
        &serde_json::json!({}),
    )
    .await
}

/// `POST /api/v1/auth/second-factor/confirm`
pub async fn confirm_second_factor(body: &SecondFactorCode) -> Result<RecoveryCodes> {
    send_json(Method::POST, "/api/v1/auth/second-factor/confirm", body).await
}

/// `POST /api/v1/auth/second-factor/recovery-codes`
pub async fn new_recovery_codes(body: &SecondFactorCode) -> Result<RecoveryCodes> {
    send_json(Method::POST, "/api/v1/auth/second-factor/recovery-codes", body).await
}

/// `POST /api/v1/auth/second-factor/disable`
pub async fn disable_second_factor(body: &DisableSecondFactorRequest) -> Result<SecondFactorStatus> {
    send_json(Method::POST, "/api/v1/auth/second-factor/disable", body).await
}

/// `POST /api/v1/users/{id}/reset-second-factor`
pub async fn reset_second_factor(id: i64, body: &ReasonRequest) -> Result<UserSummary> {
    send_json(
        Method::POST,
        &format!("/api/v1/users/{id}/reset-second-factor"),
        body,
    )
    .await
}

/// `POST /api/v1/auth/logout`
pub async fn logout() -> Result<NoContent> {
    send_json(Method::POST, "/api/v1/auth/logout", &serde_json::json!({})).await
}

/// `GET /api/v1/auth/me`
pub async fn me() -> Result<Me> {
    get("/api/v1/auth/me").await
}

/// `GET /api/v1/auth/session`: who is signed in, `None` for a visitor (no error, no 401 in the console).
pub async fn current_session() -> Result<Option<Me>> {
    get("/api/v1/auth/session").await
}

/// `POST /api/v1/auth/password`
pub async fn change_password(body: &ChangePasswordRequest) -> Result<Me> {
    send_json(Method::POST, "/api/v1/auth/password", body).await
}

/// `GET /api/v1/auth/logins`
pub async fn list_my_logins() -> Result<Vec<LoginEvent>> {
    get("/api/v1/auth/logins").await
}

/// `GET /api/v1/users`
pub async fn list_users(query: &UserQuery) -> Result<Page<UserSummary>> {
    get(&with_query("/api/v1/users", query)).await
}

/// `POST /api/v1/users`
pub async fn create_user(body: &CreateUserRequest) -> Result<IssuedPassword> {
    send_json(Method::POST, "/api/v1/users", body).await
}

/// `PUT /api/v1/users/{id}`
pub async fn update_user(id: i64, body: &UpdateUserRequest) -> Result<UserSummary> {
    send_json(Method::PUT, &format!("/api/v1/users/{id}"), body).await
}

/// `POST /api/v1/users/{id}/disable` or `/enable`
pub async fn set_user_disabled(id: i64, disabled: bool, body: &ReasonRequest) -> Result<UserSummary> {
    let action = if disabled { "disable" } else { "enable" };
    send_json(Method::POST, &format!("/api/v1/users/{id}/{action}"), body).await
}

/// `POST /api/v1/users/{id}/reset-password`
pub async fn reset_password(id: i64, body: &ReasonRequest) -> Result<IssuedPassword> {
    send_json(Method::POST, &format!("/api/v1/users/{id}/reset-password"), body).await
}

/// `GET /api/v1/audit`
pub async fn list_audit(query: &AuditQuery) -> Result<Page<AuditRecord>> {
    get(&with_query("/api/v1/audit", query)).await
}

/// The URL of the audit export for a filter: the file, or a job for a long log (see [`super::export`]).
pub fn audit_export_url(query: &AuditQuery) -> String {
    with_query(
        "/api/v1/audit/export",
        &AuditQuery {
            page: None,
            per_page: None,
            ..query.clone()
        },
    )
}
