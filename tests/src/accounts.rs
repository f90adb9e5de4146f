//! `TestApp` methods for the account endpoints: `/api/v1/auth`, `/api/v1/users` and `/api/v1/audit`.

use domain::api::{
    AuditRecord, ChangePasswordRequest, CreateUserRequest, DisableSecondFactorRequest, IssuedPassword,
    LoginEvent, LoginRequest, Me, Page, ReasonRequest, RecoveryCodes, SecondFactorCode,
    SecondFactorEnrolment, SecondFactorStatus, UpdateUserRequest, UserSummary,
};
use domain::policy::Role;
use reqwest::cookie::CookieStore;
use sheguan::store::accounts::{NewUser, ScopeIds};
use sheguan::store::{Actor, AuditEntry};

use crate::{ApiResult, TestApp, decode, demo_password};

/// The demo account that holds `role` (the local-staff one is 合肥's).
pub fn demo_account(role: Role) -> &'static str {
    match role {
        Role::BureauAdmin => "demo-admin",
        Role::LocalStaff => "demo-hefei",
        Role::OrgUser => "demo-org",
        Role::Instructor => "demo-instructor",
    }
}

impl TestApp {
    /// `POST /api/v1/auth/login`, the raw answer (status, headers and bytes).
    pub async fn login_response(&self, username: &str, password: &str) -> reqwest::Response {
        let body = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
        };
        self.post_json("/api/v1/auth/login", &body).await
    }

    /// `POST /api/v1/auth/login`: on success this client holds the session cookie.
    pub async fn login(&self, username: &str, password: &str) -> ApiResult<Me> {
        decode(self.login_response(username, password).await).await
    }

    /// A new client of the same server, signed in as the demo account `username`.
    pub async fn signed_in_as(&self, username: &str) -> TestApp {
        self.signed_in_with(username, &demo_password()).await
    }

    /// A new client of the same server, signed in as `username` with `password`.
    pub async fn signed_in_with(&self, username: &str, password: &str) -> TestApp {
        let client = self.another_client();
        if let Err((status, error)) = client.login(username, password).await {
            panic!("{username} could not sign in: {status} {error:?}");
        }
        client
    }

    /// Adds an account straight to the store — its password already chosen, so it signs in without
    /// changing it — as the demo set does; the API issues only temporary passwords. Its id.
    pub async fn add_account(&self, username: &str, role: Role, scope: ScopeIds, password: &str) -> i64 {
        let system = Actor {
            user_id: None,
            name: "test".to_owned(),
            role: None,
            client_addr: "test".to_owned(),
        };
        let user = NewUser {
            username: username.to_owned(),
            display_name: username.to_owned(),
            phone: None,
            password_hash: sheguan::auth::password::hash(password.to_owned())
                .await
                .expect("hash the password"),
            role,
            scope,
            must_change_password: false,
            is_demo: false,
        };
        self.store
            .create_user(&user, |id| AuditEntry {
                actor: &system,
                entity_type: "user",
                entity_id: id.to_string(),
                action: "create",
                before: None,
                after: None,
                reason: None,
            })
            .await
            .unwrap_or_else(|e| panic!("add the account {username}: {e}"))
    }

    /// `POST /api/v1/auth/login/second-factor`: the second step of a sign-in this client started.
    pub async fn login_second_factor(&self, code: &str) -> ApiResult<Me> {
        decode(
            self.post_json("/api/v1/auth/login/second-factor", &code_body(code))
                .await,
        )
        .await
    }

    /// `GET /api/v1/auth/second-factor`
    pub async fn second_factor(&self) -> ApiResult<SecondFactorStatus> {
        self.get_json("/api/v1/auth/second-factor").await
    }

    /// `POST /api/v1/auth/second-factor/enrolment`
    pub async fn start_second_factor(&self) -> ApiResult<SecondFactorEnrolment> {
        decode(
            self.post_json("/api/v1/auth/second-factor/enrolment", &serde_json::json!({}))
                .await,
        )
        .await
    }

    /// `POST /api/v1/auth/second-factor/confirm`
    pub async fn confirm_second_factor(&self, code: &str) -> ApiResult<RecoveryCodes> {
        decode(
            self.post_json("/api/v1/auth/second-factor/confirm", &code_body(code))
                .await,
        )
        .await
    }

    /// `POST /api/v1/auth/second-factor/recovery-codes`
    pub async fn new_recovery_codes(&self, code: &str) -> ApiResult<RecoveryCodes> {
        decode(
            self.post_json("/api/v1/auth/second-factor/recovery-codes", &code_body(code))
                .await,
        )
        .await
    }

    /// `POST /api/v1/auth/second-factor/disable`
    pub async fn disable_second_factor(&self, password: &str, code: &str) -> ApiResult<SecondFactorStatus> {
        let body = DisableSecondFactorRequest {
            password: password.to_owned(),
            code: code.to_owned(),
        };
        decode(self.post_json("/api/v1/auth/second-factor/disable", &body).await).await
    }

    /// `POST /api/v1/users/{id}/reset-second-factor`
    pub async fn reset_second_factor(&self, id: i64, reason: &str) -> ApiResult<UserSummary> {
        let path = format!("/api/v1/users/{id}/reset-second-factor");
        decode(self.post_json(&path, &reason_body(reason)).await).await
    }

    /// `POST /api/v1/auth/logout`
    pub async fn logout(&self) -> ApiResult<()> {
        decode(
            self.post_json("/api/v1/auth/logout", &serde_json::json!({}))
                .await,
        )
        .await
    }

    /// `GET /api/v1/auth/me`
    pub async fn me(&self) -> ApiResult<Me> {
        self.get_json("/api/v1/auth/me").await
    }

    /// `POST /api/v1/auth/password`
    pub async fn change_password(&self, current: &str, new: &str) -> ApiResult<Me> {
        let body = ChangePasswordRequest {
            current_password: current.to_owned(),
            new_password: new.to_owned(),
        };
        decode(self.post_json("/api/v1/auth/password", &body).await).await
    }

    /// `GET /api/v1/auth/logins`
    pub async fn my_logins(&self) -> ApiResult<Vec<LoginEvent>> {
        self.get_json("/api/v1/auth/logins").await
    }

    /// `GET /api/v1/users?{query}`
    pub async fn list_users(&self, query: &str) -> ApiResult<Page<UserSummary>> {
        self.get_json(&format!("/api/v1/users?{query}")).await
    }

    /// `POST /api/v1/users`
    pub async fn create_user(&self, body: &CreateUserRequest) -> ApiResult<IssuedPassword> {
        decode(self.post_json("/api/v1/users", body).await).await
    }

    /// `GET /api/v1/users/{id}`
    pub async fn find_user(&self, id: i64) -> ApiResult<UserSummary> {
        self.get_json(&format!("/api/v1/users/{id}")).await
    }

    /// `PUT /api/v1/users/{id}`
    pub async fn update_user(&self, id: i64, body: &UpdateUserRequest) -> ApiResult<UserSummary> {
        decode(self.put_json(&format!("/api/v1/users/{id}"), body).await).await
    }

    /// `POST /api/v1/users/{id}/disable`
    pub async fn disable_user(&self, id: i64, reason: &str) -> ApiResult<UserSummary> {
        decode(
            self.post_json(&format!("/api/v1/users/{id}/disable"), &reason_body(reason))
                .await,
        )
        .await
    }

    /// `POST /api/v1/users/{id}/enable`
    pub async fn enable_user(&self, id: i64, reason: &str) -> ApiResult<UserSummary> {
        decode(
            self.post_json(&format!("/api/v1/users/{id}/enable"), &reason_body(reason))
                .await,
        )
        .await
    }

    /// `POST /api/v1/users/{id}/reset-password`
    pub async fn reset_password(&self, id: i64, reason: &str) -> ApiResult<IssuedPassword> {
        let path = format!("/api/v1/users/{id}/reset-password");
        decode(self.post_json(&path, &reason_body(reason)).await).await
    }

    /// `GET /api/v1/audit?{query}`
    pub async fn list_audit(&self, query: &str) -> ApiResult<Page<AuditRecord>> {
        self.get_json(&format!("/api/v1/audit?{query}")).await
    }

    /// `GET /api/v1/audit/export?{query}`, the raw answer (a CSV file).
    pub async fn export_audit(&self, query: &str) -> reqwest::Response {
        self.get(&format!("/api/v1/audit/export?{query}")).await
    }

    /// The value of the session cookie this client holds, if any.
    pub fn session_cookie(&self) -> Option<String> {
        let url = self.address.parse().expect("the server's URL");
        let header = self.cookies.cookies(&url)?;
        header.to_str().ok()?.split("; ").find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            name.ends_with("sheguan_session").then(|| value.to_owned())
        })
    }
}

fn code_body(code: &str) -> SecondFactorCode {
    SecondFactorCode {
        code: code.to_owned(),
    }
}

fn reason_body(reason: &str) -> ReasonRequest {
    ReasonRequest {
        reason: Some(reason.to_owned()),
    }
}
