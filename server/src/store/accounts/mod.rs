//! Accounts, sessions and sign-in attempts.

use chrono::{DateTime, Utc};
use domain::api::{LoginEvent, UserSummary};
use domain::division::DivisionCode;
use domain::paging::PageRequest;
use domain::policy::{Principal, Role, Scope};
use domain::privacy::mask_phone;

use crate::store::audit::record_audit;
use crate::store::{AuditEntry, Store, audited, like_pattern, on_pool};

/// An account as stored, with the names its scope refers to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
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
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

const SELECT_USER: &str = "SELECT u.id, u.username, u.phone, u.display_name, u.password_hash, u.role,
        u.division_code, d.name AS division_name, u.organization_id, o.name AS organization_name,
        u.disabled, u.must_change_password, u.is_demo, u.created_at, u.last_login_at
    FROM users u
    LEFT JOIN divisions d ON d.code = u.division_code
    LEFT JOIN organizations o ON o.id = u.organization_id";

/// A new account, validated.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub password_hash: String,
    pub role: Role,
    pub scope: ScopeIds,
    pub must_change_password: bool,
    pub is_demo: bool,
}

/// The stored form of a scope: which column holds it depends on the role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeIds {
    pub division_code: Option<DivisionCode>,
    pub organization_id: Option<i64>,
    pub organization_ids: Vec<i64>,
}

/// A filter on the account list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub q: Option<String>,
    pub role: Option<Role>,
}

/// A new sign-in: the session to open and where it comes from.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    pub client_addr: &'a str,
    pub user_agent: &'a str,
    /// The session the browser presented, if any: closed, so that the id changes at sign-in.
    pub replaces: Option<&'a str>,
}

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
        }
    }
}

impl Store {
    /// The account whose username or phone number is `login`.
    pub async fn find_user_for_login(&self, login: &str) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = format!("{SELECT_USER} WHERE u.username = $1 OR u.phone = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(login).fetch_optional(pool).await)
    }

    pub async fn find_user(&self, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = format!("{SELECT_USER} WHERE u.id = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// The organizations assigned to an instructor.
    pub async fn instructor_organizations(&self, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
        let rows: Vec<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT organization_id FROM user_organizations WHERE user_id = $1 ORDER BY organization_id")
                .bind(user_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// When `username` failed to sign in, since `since` and since its last success.
    pub async fn login_failures(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
        let rows: Vec<(DateTime<Utc>,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT at FROM login_events
                 WHERE username = $1 AND outcome = 'failure' AND at > $2
                   AND at > COALESCE((SELECT MAX(at) FROM login_events WHERE username = $1 AND outcome = 'success'), $2)
                 ORDER BY at",
            )
            .bind(username)
            .bind(since)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(at,)| at).collect())
    }

    /// Unsuccessful sign-in attempts from one client address since `since`.
    pub async fn recent_client_failures(
        &self,
        client_addr: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        let (count,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM login_events WHERE client_addr = $1 AND outcome <> 'success' AND at > $2")
                .bind(client_addr)
                .bind(since)
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }

    /// Records an unsuccessful sign-in (`failure`, `locked` or `rate_limited`) and its audit row together.
    pub async fn record_failed_login(
        &self,
        username: &str,
        user_id: Option<i64>,
        outcome: &str,
        user_agent: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO login_events (username, user_id, client_addr, user_agent, outcome, at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(username)
            .bind(user_id)
            .bind(audit.actor.client_addr.as_str())
            .bind(user_agent)
            .bind(outcome)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            record_audit!(&mut *tx, audit)?;
            tx.commit().await
        })
    }

    /// Opens a session: the old one (if any) is closed, the attempt and the audit row recorded, in one
    /// transaction.
    pub async fn open_session(
        &self,
        username: &str,
        session: &NewSession<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if let Some(old) = session.replaces {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(old).execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_addr, user_agent)
                 VALUES ($1, $2, $3, $3, $4, $5, $6)",
            )
            .bind(session.token_hash)
            .bind(session.user_id)
            .bind(now)
            .bind(session.expires_at)
            .bind(session.client_addr)
            .bind(session.user_agent)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO login_events (username, user_id, client_addr, user_agent, outcome, at)
                 VALUES ($1, $2, $3, $4, 'success', $5)",
            )
            .bind(username)
            .bind(session.user_id)
            .bind(session.client_addr)
            .bind(session.user_agent)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
                .bind(now)
                .bind(session.user_id)
                .execute(&mut *tx)
                .await?;
            record_audit!(&mut *tx, audit)?;
            tx.commit().await
        })
    }

    /// The live session with this token hash: not past its absolute expiry, used after `idle_cutoff`, and
    /// its account enabled. Returns the account and when the session was last seen.
    pub async fn find_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<Option<(UserRecord, DateTime<Utc>)>, sqlx::Error> {
        let sql = "SELECT s.last_seen_at, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND NOT u.disabled";
        let found: Option<(DateTime<Utc>, i64)> = on_pool!(self, pool => {
            sqlx::query_as(sql).bind(token_hash).bind(now).bind(idle_cutoff).fetch_optional(pool).await?
        });
        let Some((last_seen, user_id)) = found else {
            return Ok(None);
        };
        Ok(self.find_user(user_id).await?.map(|user| (user, last_seen)))
    }

    pub async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|_| ())
        })
    }

    /// Closes a session (sign-out), with its audit row.
    pub async fn close_session(&self, token_hash: &str, audit: &AuditEntry<'_>) -> Result<(), sqlx::Error> {
        audited!(self, tx => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
        }, _ => audit)
    }

    /// Removes sessions past their absolute or idle limit.
    pub async fn purge_sessions(
        &self,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<u64, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
                .bind(now)
                .bind(idle_cutoff)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
    }

    /// The newest sign-in attempts on an account.
    pub async fn recent_logins(&self, user_id: i64, limit: i64) -> Result<Vec<LoginEvent>, sqlx::Error> {
        let rows: Vec<(DateTime<Utc>, String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT at, client_addr, outcome, user_agent FROM login_events
                 WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(at, client_addr, outcome, user_agent)| LoginEvent {
                at,
                client_addr,
                outcome,
                user_agent,
            })
            .collect())
    }

    /// Stores a new password hash; `must_change` for a reset by an administrator. Other sessions of the
    /// account are closed, `keep_session` (the caller's own) excepted.
    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        must_change: bool,
        keep_session: Option<&str>,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
                .bind(password_hash)
                .bind(must_change)
                .bind(Utc::now())
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id)
                .bind(keep_session.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            record_audit!(&mut *tx, audit)?;
            tx.commit().await
        })
    }

    /// Creates an account (and an instructor's assignments) with its audit row; returns its id.
    pub async fn create_user<'a>(
        &self,
        new: &NewUser,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (username, phone, display_name, password_hash, role, division_code, organization_id,
                                    must_change_password, is_demo, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(&new.username)
            .bind(new.phone.as_deref())
            .bind(&new.display_name)
            .bind(&new.password_hash)
            .bind(new.role.as_str())
            .bind(new.scope.division_code.as_ref().map(DivisionCode::as_str))
            .bind(new.scope.organization_id)
            .bind(new.must_change_password)
            .bind(new.is_demo)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for org in &new.scope.organization_ids {
                sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(org)
                    .execute(&mut *tx)
                    .await?;
            }
            record_audit!(&mut *tx, &audit(id))?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Changes an account's name, role and scope, with its audit row.
    pub async fn update_user(
        &self,
        id: i64,
        display_name: &str,
        role: Role,
        scope: &ScopeIds,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE users SET display_name = $1, role = $2, division_code = $3, organization_id = $4, updated_at = $5
                 WHERE id = $6",
            )
            .bind(display_name)
            .bind(role.as_str())
            .bind(scope.division_code.as_ref().map(DivisionCode::as_str))
            .bind(scope.organization_id)
            .bind(Utc::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM user_organizations WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            for org in &scope.organization_ids {
                sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(org)
                    .execute(&mut *tx)
                    .await?;
            }
            // A changed role or scope takes effect at once: the account signs in again.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            record_audit!(&mut *tx, audit)?;
            tx.commit().await
        })
    }

    /// Disables or re-enables an account; disabling closes its sessions.
    pub async fn set_user_disabled(
        &self,
        id: i64,
        disabled: bool,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
                .bind(disabled)
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            record_audit!(&mut *tx, audit)?;
            tx.commit().await
        })
    }

    pub async fn list_users(
        &self,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<(Vec<UserRecord>, u64), sqlx::Error> {
        let pattern = filter.q.as_deref().map(like_pattern);
        let role = filter.role.map(Role::as_str);
        let condition =
            "WHERE ($1 IS NULL OR u.username LIKE $1 ESCAPE '\\' OR u.display_name LIKE $1 ESCAPE '\\')
                           AND ($2 IS NULL OR u.role = $2)";
        let list_sql = format!("{SELECT_USER} {condition} ORDER BY u.id LIMIT $3 OFFSET $4");
        let count_sql = format!("SELECT COUNT(*) FROM users u {condition}");
        on_pool!(self, pool => {
            let rows: Vec<UserRecord> = sqlx::query_as(&list_sql)
                .bind(pattern.as_deref())
                .bind(role)
                .bind(page.limit())
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(&count_sql)
                .bind(pattern.as_deref())
                .bind(role)
                .fetch_one(pool)
                .await?;
            Ok((rows, total as u64))
        })
    }

    /// Whether an organization with this id exists.
    pub async fn organization_exists(&self, id: i64) -> Result<bool, sqlx::Error> {
        let found: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id FROM organizations WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        Ok(found.is_some())
    }

    /// Whether a division with this code exists.
    pub async fn division_exists(&self, code: &DivisionCode) -> Result<bool, sqlx::Error> {
        let found: Option<(String,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT code FROM divisions WHERE code = $1").bind(code.as_str()).fetch_optional(pool).await?
        });
        Ok(found.is_some())
    }
}
