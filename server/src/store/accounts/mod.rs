//! Accounts (`users`), their sessions (`sessions`) and sign-in attempts with the lockout they count
//! towards (`sign_ins`), and the second factor (`second_factor`). This file holds the account as stored and the principal it signs in as.

mod second_factor;
mod sessions;
mod sign_ins;
mod users;

use chrono::{DateTime, Utc};
use domain::api::UserSummary;
use domain::division::DivisionCode;
use domain::policy::{Principal, Role, Scope};
use domain::privacy::mask_phone;

pub use second_factor::{NewChallenge, SealedTotp, TotpRecord, totp_secret_context};
pub use sessions::NewSession;
pub use sign_ins::Guess;
pub use users::{NewUser, ScopeIds, UserFilter};

/// An account as stored, with the names its scope refers to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    /// The phone number masked (or, on a row the start-up pass has not sealed yet, in clear): mask it to
    /// show it (`crate::store::phones`).
    pub phone: Option<String>,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub division_code: Option<String>,
    pub division_name: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub is_demo: bool,
    /// Signs in with a confirmed TOTP secret.
    pub second_factor: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

const SELECT_USER: &str = "SELECT u.id, u.username, COALESCE(u.phone_masked, u.phone) AS phone, u.display_name, u.password_hash, u.role,
        u.division_code, d.name AS division_name, u.organization_id, o.name AS organization_name,
        u.disabled, u.must_change_password, u.is_demo,
        EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS second_factor,
        u.created_at, u.last_login_at
    FROM users u
    LEFT JOIN divisions d ON d.code = u.division_code
    LEFT JOIN organizations o ON o.id = u.organization_id";

impl UserRecord {
    pub fn role(&self) -> Role {
        // The column has a CHECK constraint on exactly these values.
        Role::parse(&self.role).unwrap_or(Role::OrgUser)
    }

    pub fn summary(&self, instructor_orgs: Vec<i64>) -> UserSummary {
        UserSummary {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            phone: self.phone.as_deref().map(mask_phone),
            role: self.role(),
            scope: self.scope(instructor_orgs),
            disabled: self.disabled,
            must_change_password: self.must_change_password,
            second_factor: self.second_factor,
            created_at: self.created_at,
            last_login_at: self.last_login_at,
        }
    }

    pub fn scope(&self, instructor_orgs: Vec<i64>) -> Scope {
        match self.role() {
            Role::BureauAdmin => Scope::Province,
            Role::LocalStaff => match self.division_code.as_deref().map(DivisionCode::parse) {
                Some(Ok(code)) => Scope::Division {
                    code,
                    name: self.division_name.clone().unwrap_or_default(),
                },
                // A CHECK constraint requires the code; an unparsable one grants nothing.
                _ => Scope::Organizations { ids: Vec::new() },
            },
            Role::OrgUser => Scope::Organization {
                id: self.organization_id.unwrap_or_default(),
                name: self.organization_name.clone().unwrap_or_default(),
            },
            Role::Instructor => Scope::Organizations { ids: instructor_orgs },
        }
    }

    pub fn principal(&self, instructor_orgs: Vec<i64>) -> Principal {
        Principal {
            user_id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role(),
            scope: self.scope(instructor_orgs),
            must_change_password: self.must_change_password,
            second_factor: self.second_factor,
            must_enrol_second_factor: false,
        }
    }
}
