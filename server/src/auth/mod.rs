//! Sign-in, sessions and authorization.
//!
//! Every handler names who may call it through its extractor: `Auth<Staff>`, `Auth<BureauOnly>`, … The
//! extractor finds the session (401 without one), enforces the first-login password change, and checks the
//! role (403) before the request body is even read. Scope — which records — is applied by each query with
//! the `Visibility` built from the `Principal` the extractor yields (`Auth::visibility`). The same rules are declared in the OpenAPI document, and a test
//! calls every route as every role to prove the two agree.

pub mod csrf;
pub mod lockout;
pub mod password;
pub mod session;

use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::header;
use axum::http::request::Parts;
use chrono::Utc;
use domain::policy::{self, Principal, Role, RoleSet, Scope};

use crate::error::Error;
use crate::state::AppState;
use crate::store::{Actor, Visibility};

/// Where a request comes from, for the audit log and rate limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInfo {
    pub addr: String,
    pub user_agent: String,
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let addr = match peer {
            Some(peer) => client_address(peer, &forwarded, &state.settings.trusted_proxies).to_string(),
            None => "unknown".to_owned(),
        };
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(200).collect())
            .unwrap_or_default();
        Ok(ClientInfo { addr, user_agent })
    }
}

/// The client's address: the peer's, unless the peer is a configured trusted proxy — then the nearest
/// address in `X-Forwarded-For` (read from the right) that is not itself a trusted proxy. Addresses a
/// client wrote into the header further left are never believed.
pub fn client_address(peer: IpAddr, forwarded: &str, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded.rsplit(',').map(str::trim).filter(|h| !h.is_empty()) {
        match hop.parse::<IpAddr>() {
            Ok(addr) => {
                client = addr;
                if !trusted.contains(&addr) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

/// Who may call a handler: one of the role sets of `domain::policy`, which the OpenAPI document and the
/// browser read too.
pub trait Rule: Send + Sync + 'static {
    const SET: RoleSet;
}

macro_rules! rules {
    ($($(#[$meta:meta])* $name:ident => $set:path;)+) => {
        $(
            $(#[$meta])*
            #[derive(Debug)]
            pub struct $name;
            impl Rule for $name {
                const SET: RoleSet = $set;
            }
        )+
    };
}

rules! {
    /// Anyone signed in.
    AnyRole => policy::ANY_ROLE;
    /// Civil-affairs staff: the bureau and local staff.
    Staff => policy::STAFF;
    /// Provincial bureau administrators only.
    BureauOnly => policy::BUREAU_ONLY;
    /// Organization users only.
    OrgUsers => policy::ORG_USERS;
    /// Staff, and organization users acting for their own organization.
    StaffOrOrg => policy::STAFF_OR_ORG;
    /// Staff, and party-building instructors.
    StaffOrInstructor => policy::STAFF_OR_INSTRUCTOR;
    /// Party-building instructors only.
    Instructors => policy::INSTRUCTORS;
}

/// The API paths a user who must change their password may still call.
const PASSWORD_CHANGE_PATHS: [&str; 5] = [
    "/api/v1/auth/me",
    "/api/v1/auth/session",
    "/api/v1/auth/password",
    "/api/v1/auth/logout",
    "/api/v1/auth/logins",
];

/// The API paths (besides `PASSWORD_CHANGE_PATHS`) staff who must turn on two-step verification may call.
const SECOND_FACTOR_ENROLMENT_PREFIX: &str = "/api/v1/auth/second-factor";

/// Who `user` signs in as, with what the server requires of them: staff must turn on two-step
/// verification when `--require-staff-second-factor` is on — except demo accounts in demo mode, which
/// sign in with the published password only.
pub fn principal_of(
    state: &AppState,
    user: &crate::store::accounts::UserRecord,
    instructor_orgs: Vec<i64>,
) -> Principal {
    let mut principal = user.principal(instructor_orgs);
    principal.must_enrol_second_factor = state.settings.require_staff_second_factor
        && policy::STAFF.allows(principal.role)
        && !user.second_factor
        && !(user.is_demo && state.settings.demo);
    principal
}

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
    /// What the caller may see: the one scope every list and lookup applies.
    pub fn visibility(&self) -> Visibility {
        Visibility::of(&self.user)
    }

    /// The organization an organization user acts for (403 for anyone else).
    pub fn own_organization(&self) -> Result<i64, Error> {
        match &self.user.scope {
            Scope::Organization { id, .. } => Ok(*id),
            _ => Err(Error::Forbidden),
        }
    }

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
        let token_hash = session::token_hash_from(&parts.headers, state.settings.secure_cookies)
            .ok_or(Error::Unauthorized)?;
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
            // Best effort: a busy writer (a long job on SQLite) must not fail a read. An untouched session
            // only ends its idle period a little sooner.
            if let Err(e) = state.store.touch_session(&token_hash, now).await {
                tracing::warn!(error = %e, "could not refresh the session's idle timer");
            }
        }
        let instructor_orgs = match user.role() {
            Role::Instructor => state.store.instructor_organizations(user.id).await?,
            _ => Vec::new(),
        };
        let principal = principal_of(state, &user, instructor_orgs);
        // Inside the nested `/api/v1` router the URI has lost its prefix: compare the one the client sent.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(parts.uri.path(), |OriginalUri(uri)| uri.path());
        if principal.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&path) {
            return Err(Error::PasswordChangeRequired);
        }
        if principal.must_enrol_second_factor
            && !PASSWORD_CHANGE_PATHS.contains(&path)
            && !path.starts_with(SECOND_FACTOR_ENROLMENT_PREFIX)
        {
            return Err(Error::SecondFactorEnrolmentRequired);
        }
        if !R::SET.allows(principal.role) {
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

#[cfg(test)]
mod client_tests {
    use super::client_address;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy = [ip("10.0.0.1")];
        // Straight from a client: its header is ignored.
        assert_eq!(
            client_address(ip("203.0.113.9"), "1.2.3.4", &proxy),
            ip("203.0.113.9")
        );
        // Through the proxy: the address it saw.
        assert_eq!(
            client_address(ip("10.0.0.1"), "203.0.113.9", &proxy),
            ip("203.0.113.9")
        );
        // A client that wrote its own header first is still the address the proxy saw.
        assert_eq!(
            client_address(ip("10.0.0.1"), "6.6.6.6, 203.0.113.9", &proxy),
            ip("203.0.113.9")
        );
        // Two trusted hops.
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        assert_eq!(
            client_address(ip("10.0.0.1"), "198.51.100.7, 10.0.0.2", &proxies),
            ip("198.51.100.7")
        );
        // Garbage stops the walk at the last good hop.
        assert_eq!(client_address(ip("10.0.0.1"), "junk", &proxy), ip("10.0.0.1"));
    }
}
