//! Wire types of accounts, sessions and the audit log (`/api/v1/auth`, `/api/v1/users`, `/api/v1/audit`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::policy::{Principal, Role, Scope};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `POST /api/v1/auth/login`: a username (or phone number) and a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// `GET /api/v1/auth/me` and the answer to a login: who is signed in.
pub type Me = Principal;

/// A code from the authenticator app (6 digits) or, where the route says so, a recovery code: the second
/// step of a sign-in (`POST /api/v1/auth/login/second-factor`), confirming an enrolment, new recovery codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecondFactorCode {
    pub code: String,
}

/// `GET /api/v1/auth/second-factor`: one's own two-step verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecondFactorStatus {
    /// Sign-ins need a code.
    pub enabled: bool,
    /// An enrolment waits for its first code.
    pub pending: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// Whether this account must have it (staff, when the server requires it).
    pub required: bool,
}

/// `POST /api/v1/auth/second-factor/enrolment`: the new secret, to add to an authenticator app (shown
/// once; confirmed with a first code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecondFactorEnrolment {
    /// Base32, to type into the app.
    pub secret: String,
    /// `otpauth://totp/Sheguan:<username>?secret=…&issuer=Sheguan…`, for apps that open a link.
    pub uri: String,
    /// The `uri` as a QR code for the app to scan: an SVG image (medium error correction, a quiet zone,
    /// black on white, one unit per module) in a `data:image/svg+xml;base64,…` URI, for an `<img>`.
    pub qr_code: String,
}

/// One-time recovery codes, shown once: each signs in once instead of a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// `POST /api/v1/auth/second-factor/disable`: the password and a current code (or a recovery code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DisableSecondFactorRequest {
    pub password: String,
    pub code: String,
}

/// `POST /api/v1/auth/password`: change one's own password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// One sign-in attempt, as the user sees it in "recent logins".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginEvent {
    pub at: DateTime<Utc>,
    pub client_addr: String,
    /// `success`, `failure`, `locked`, `rate_limited`, or `second_factor` (the password was right and
    /// the sign-in waited for its code).
    pub outcome: String,
    pub user_agent: String,
}

/// An account as bureau administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// Masked (`138****5678`).
    pub phone: Option<String>,
    pub role: Role,
    pub scope: Scope,
    pub disabled: bool,
    pub must_change_password: bool,
    /// Signs in with two-step verification.
    #[serde(default)]
    pub second_factor: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// Where a new or changed account may act; which fields are needed depends on the role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ScopeInput {
    /// For `local_staff`: a city or county code.
    #[serde(default)]
    pub division_code: Option<String>,
    /// For `org_user`: the organization.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// For `instructor`: the organizations assigned.
    #[serde(default)]
    pub organization_ids: Vec<i64>,
}

/// `POST /api/v1/users`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateUserRequest {
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub phone: Option<String>,
    pub role: Role,
    #[serde(flatten)]
    pub scope: ScopeInput,
}

/// `PUT /api/v1/users/{id}`: role, scope and name (the username never changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateUserRequest {
    pub display_name: String,
    pub role: Role,
    #[serde(flatten)]
    pub scope: ScopeInput,
}

/// `POST /api/v1/users/{id}/disable` and `/enable`: with the reason, for the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReasonRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

/// The answer to creating an account or resetting its password: a one-time password, shown once,
/// that must be changed at first login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IssuedPassword {
    pub user: UserSummary,
    pub temporary_password: String,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub actor_role: Option<Role>,
    pub client_addr: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    /// The record before the change, personal fields masked.
    pub before: Option<serde_json::Value>,
    /// The record after the change, personal fields masked.
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// The query of `GET /api/v1/audit` (and its export).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct AuditQuery {
    /// Username of the actor.
    pub actor: Option<String>,
    /// e.g. `user`, `session`, `organization`.
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// e.g. `create`, `update`, `login`, `login_failed`.
    pub action: Option<String>,
    /// From this date (inclusive), `YYYY-MM-DD`.
    pub from: Option<String>,
    /// To this date (inclusive), `YYYY-MM-DD`.
    pub to: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The query of `GET /api/v1/users` (and the users page's URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct UserQuery {
    /// A part of the username or name.
    pub q: Option<String>,
    /// `bureau_admin`, `local_staff`, `org_user` or `instructor`.
    pub role: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}
