//! Sign-in, sessions and authorization.
//!
//! Every handler names who may call it through its extractor: `Auth<Staff>`, `Auth<BureauOnly>`, … The
//! extractor finds the session (401 without one), enforces the first-login password change, and checks the
//! role (403) before the request body is even read. Scope — which records — is applied by each query with
//! the `Principal` the extractor yields. The same rules are declared in the OpenAPI document, and a test
//! calls every route as every role to prove the two agree.

pub mod csrf;
pub mod lockout;
pub mod password;
pub mod session;

use std::marker::PhantomData;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::header;
use axum::http::request::Parts;
use chrono::Utc;
use domain::policy::{Principal, Role};

use crate::error::Error;
use crate::state::AppState;
use crate::store::Actor;

/// Where a request comes from, for the audit log and rate limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInfo {
    pub addr: String,
    pub user_agent: String,
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(200).collect())
            .unwrap_or_default();
        Ok(ClientInfo { addr, user_agent })
    }
}

/// Who may call a handler.
pub trait Rule: Send + Sync + 'static {
    const ROLES: &'static [Role];
}

/// Anyone signed in.
#[derive(Debug)]
pub struct AnyRole;
impl Rule for AnyRole {
    const ROLES: &'static [Role] = &Role::ALL;
}

/// Civil-affairs staff: the bureau and local staff.
#[derive(Debug)]
pub struct Staff;
impl Rule for Staff {
    const ROLES: &'static [Role] = &[Role::BureauAdmin, Role::LocalStaff];
}

/// Provincial bureau administrators only.
#[derive(Debug)]
pub struct BureauOnly;
impl Rule for BureauOnly {
    const ROLES: &'static [Role] = &[Role::BureauAdmin];
}

/// Organization users only.
#[derive(Debug)]
pub struct OrgUsers;
impl Rule for OrgUsers {
    const ROLES: &'static [Role] = &[Role::OrgUser];
}

/// Staff, and organization users acting for their own organization.
#[derive(Debug)]
pub struct StaffOrOrg;
impl Rule for StaffOrOrg {
    const ROLES: &'static [Role] = &[Role::BureauAdmin, Role::LocalStaff, Role::OrgUser];
}

/// The API paths a user who must change their password may still call.
const PASSWORD_CHANGE_PATHS: [&str; 5] = [
    "/api/v1/auth/me",
    "/api/v1/auth/session",
    "/api/v1/auth/password",
    "/api/v1/auth/logout",
    "/api/v1/auth/logins",
];

/// A signed-in caller whose role passes `R`.
#[derive(Debug)]
pub struct Auth<R: Rule = AnyRole> {
    pub user: Principal,
    pub client: ClientInfo,
    /// The hash of the session token, to close or keep this session.
    pub session: String,
    _rule: PhantomData<R>,
}

impl<R: Rule> Auth<R> {
    /// The actor of an audit row.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.user_id),
            name: self.user.username.clone(),
            role: Some(self.user.role),
            client_addr: self.client.addr.clone(),
        }
    }
}

impl<R: Rule> FromRequestParts<AppState> for Auth<R> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Ok(client) = ClientInfo::from_request_parts(parts, state).await;
        let token_hash = session::token_hash_from(&parts.headers).ok_or(Error::Unauthorized)?;
        let now = Utc::now();
        let (user, last_seen) = state
            .store
            .find_session(&token_hash, now, now - session::IDLE_TIMEOUT)
            .await?
            .ok_or(Error::Unauthorized)?;
        if user.is_demo && !state.settings.demo {
            return Err(Error::Unauthorized);
        }
        if now - last_seen > session::TOUCH_AFTER {
            state.store.touch_session(&token_hash, now).await?;
        }
        let instructor_orgs = match user.role() {
            Role::Instructor => state.store.instructor_organizations(user.id).await?,
            _ => Vec::new(),
        };
        let principal = user.principal(instructor_orgs);
        // Inside the nested `/api/v1` router the URI has lost its prefix: compare the one the client sent.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(parts.uri.path(), |OriginalUri(uri)| uri.path());
        if principal.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&path) {
            return Err(Error::PasswordChangeRequired);
        }
        if !R::ROLES.contains(&principal.role) {
            return Err(Error::Forbidden);
        }
        Ok(Auth {
            user: principal,
            client,
            session: token_hash,
            _rule: PhantomData,
        })
    }
}
