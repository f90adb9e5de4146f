//! Accounts: looking them up, the bureau's list, creating, changing, disabling, and setting a password —
//! each change with its audit row, and closing the sessions it invalidates.

use chrono::Utc;
use domain::division::DivisionCode;
use domain::paging::PageRequest;
use domain::policy::Role;

use super::{SELECT_USER, UserRecord};
use crate::store::phones::{ACCOUNT_PHONES, PhoneColumns};
use crate::store::{AuditEntry, Store, audited, like_pattern, on_pool};

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

impl Store {
    /// The account whose username or phone number is `login`: a number is found by its keyed index
    /// (`DataKeys::phone_index`), or in clear on a row not sealed yet. A username wins over another
    /// account's number.
    pub async fn find_user_for_login(&self, login: &str) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = format!(
            "{SELECT_USER} WHERE u.username = $1 OR u.phone_index = $2 OR u.phone = $3
             ORDER BY CASE WHEN u.username = $1 THEN 0 ELSE 1 END LIMIT 1"
        );
        let index = self.data_keys().map(|keys| keys.phone_index(login));
        let phone = domain::privacy::normalize_phone(login);
        on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(login).bind(index).bind(phone).fetch_optional(pool).await
        })
    }

    pub async fn find_user(&self, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = format!("{SELECT_USER} WHERE u.id = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// The organizations assigned to an instructor: those given with the account, and those of their
    /// party-building batches whose term runs today (`party_assignments`, the batch being the source of the
    /// scope: it starts and ends with the term).
    pub async fn instructor_organizations(&self, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
        let rows: Vec<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT organization_id FROM user_organizations WHERE user_id = $1
                 UNION
                 SELECT a.organization_id FROM party_assignments a JOIN party_batches b ON b.id = a.batch_id
                 WHERE a.instructor_id = $1 AND b.term_start <= $2 AND b.term_end >= $2
                 ORDER BY 1",
            )
            .bind(user_id)
            .bind(crate::state::today())
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn list_users(
        &self,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<(Vec<UserRecord>, u64), sqlx::Error> {
        let pattern = filter.q.as_deref().map(like_pattern);
        let role = filter.role.map(Role::key);
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

    /// Creates an account (and an instructor's assignments) with its audit row; returns its id. Its phone
    /// number is sealed (`crate::store::phones`).
    pub async fn create_user<'a>(
        &self,
        new: &NewUser,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        let phone = PhoneColumns::of(&ACCOUNT_PHONES, self.data_keys(), new.phone.as_deref(), None);
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (username, phone, display_name, password_hash, role, division_code, organization_id,
                                    must_change_password, is_demo, created_at, updated_at, seal_ref, phone_key_id,
                                    phone_cipher, phone_masked, phone_index)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, $15) RETURNING id",
            )
            .bind(&new.username)
            .bind(&phone.clear)
            .bind(&new.display_name)
            .bind(&new.password_hash)
            .bind(new.role.key())
            .bind(new.scope.division_code.as_ref().map(DivisionCode::as_str))
            .bind(new.scope.organization_id)
            .bind(new.must_change_password)
            .bind(new.is_demo)
            .bind(now)
            .bind(&phone.seal_ref)
            .bind(&phone.phone_key_id)
            .bind(&phone.phone_cipher)
            .bind(&phone.phone_masked)
            .bind(&phone.phone_index)
            .fetch_one(&mut *tx)
            .await?;
            for org in &new.scope.organization_ids {
                sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(org)
                    .execute(&mut *tx)
                    .await?;
            }
            id
        }, id => &audit(*id))
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
        audited!(self, tx => {
            sqlx::query(
                "UPDATE users SET display_name = $1, role = $2, division_code = $3, organization_id = $4, updated_at = $5
                 WHERE id = $6",
            )
            .bind(display_name)
            .bind(role.key())
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
        }, _ => audit)
    }

    /// Disables or re-enables an account; disabling closes its sessions.
    pub async fn set_user_disabled(
        &self,
        id: i64,
        disabled: bool,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        audited!(self, tx => {
            sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
                .bind(disabled)
                .bind(Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
        }, _ => audit)
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
        audited!(self, tx => {
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
        }, _ => audit)
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

/// What a database holds, as far as demo mode cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoGuard {
    /// Accounts that are not the demo set's.
    pub real_accounts: u64,
    /// The demo set's accounts.
    pub demo_accounts: u64,
    pub organizations: u64,
}

impl DemoGuard {
    /// Why demo mode must not start on this database, if it must not: it holds real accounts, or
    /// organizations that the demo set did not bring (the registry without the demo accounts).
    pub fn refusal(&self) -> Option<String> {
        if self.real_accounts > 0 {
            return Some(format!(
                "演示模式（--demo）只能用于空数据库或演示数据库：该数据库有 {} 个非演示账户。演示模式会写入公开密码的管理员账户和大量演示记录，已拒绝启动",
                self.real_accounts
            ));
        }
        if self.organizations > 0 && self.demo_accounts == 0 {
            return Some(format!(
                "演示模式（--demo）只能用于空数据库或演示数据库：该数据库已有 {} 个社会组织而没有演示账户，可能是正式数据，已拒绝启动",
                self.organizations
            ));
        }
        None
    }
}

impl Store {
    /// The counts demo mode checks before it writes anything.
    pub async fn demo_guard(&self) -> Result<DemoGuard, sqlx::Error> {
        let (real, demo, organizations): (i64, i64, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM users WHERE NOT is_demo),
                        (SELECT COUNT(*) FROM users WHERE is_demo),
                        (SELECT COUNT(*) FROM organizations)",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(DemoGuard {
            real_accounts: real as u64,
            demo_accounts: demo as u64,
            organizations: organizations as u64,
        })
    }
}
