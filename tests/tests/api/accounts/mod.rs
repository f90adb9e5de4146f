//! Accounts, roles, scoped authorization and the audit log (issue 3), through the API of the real
//! application, on SQLite and (when `TEST_POSTGRES_URL` is set) PostgreSQL.

mod audit;
mod hardening;
mod passwords;
mod phones;
mod roles;
mod sessions;
mod sign_in;
mod totp;
mod users;

use domain::api::{AuditRecord, CreateUserRequest, ErrorCode, ScopeInput};
use domain::policy::Role;
use reqwest::StatusCode;
use tests::{ApiResult, TestApp};

/// A password the policy accepts.
const GOOD_PASSWORD: &str = "河流-山川-2026";

/// A new city or county staff account of `division`.
fn local_staff(username: &str, division: &str) -> CreateUserRequest {
    CreateUserRequest {
        username: username.to_owned(),
        display_name: format!("{username}（测试）"),
        phone: None,
        role: Role::LocalStaff,
        scope: ScopeInput {
            division_code: Some(division.to_owned()),
            ..ScopeInput::default()
        },
    }
}

/// The audit rows matching `query`, newest first (up to 100).
async fn audit_rows(admin: &TestApp, query: &str) -> Vec<AuditRecord> {
    admin
        .list_audit(&format!("{query}&per_page=100"))
        .await
        .unwrap()
        .items
}

/// The actions of `rows`, newest first.
fn actions(rows: &[AuditRecord]) -> Vec<&str> {
    rows.iter().map(|r| r.action.as_str()).collect()
}

/// Asserts that `result` is the error `status` with `code`.
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(result: ApiResult<T>, status: StatusCode, code: ErrorCode) {
    match result {
        Err((s, error)) => {
            assert_eq!((s, error.error.code), (status, code), "{error:?}");
        }
        Ok(value) => panic!("expected {status} {code:?}, got {value:?}"),
    }
}
