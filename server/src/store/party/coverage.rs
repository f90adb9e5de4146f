//! The state of every organization on a day, the one read behind the coverage table and its drill-down.
//!
//! An organization's state on a day is its latest confirmed record effective on or before it; one with
//! none counts as having no party organization. The organizations in scope on a day are those registered
//! (founded) by then and registered now — the registry keeps no end date of a registration.

use chrono::NaiveDate;
use domain::party::PartyOrgKind;
use domain::registry::organization::Level;
use sqlx::QueryBuilder;

use super::members_of;
use crate::store::{Store, Visibility, like_pattern, on_pool, push_visibility};

/// Which organizations, on which day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageFilter {
    pub on: NaiveDate,
    pub level: Option<Level>,
    pub division_prefix: Option<String>,
    /// Name or credit code contains.
    pub q: Option<String>,
}

/// An organization in scope and its state on the day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StateRow {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub level: String,
    pub division_code: String,
    kind: Option<String>,
    members: Option<i64>,
}

impl StateRow {
    pub fn kind(&self) -> PartyOrgKind {
        self.kind
            .as_deref()
            .and_then(PartyOrgKind::parse)
            .unwrap_or(PartyOrgKind::NoBranch)
    }

    pub fn members(&self) -> u32 {
        self.members.map_or(0, members_of)
    }
}

impl Store {
    /// Every organization in `visibility` that passes `filter`, by name, with its state on the day: its
    /// latest confirmed record effective on or before it.
    pub async fn party_states_on(
        &self,
        visibility: &Visibility,
        filter: &CoverageFilter,
    ) -> Result<Vec<StateRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT o.id, o.name, o.credit_code, o.level, o.division_code, r.kind, r.members
                 FROM organizations o
                 LEFT JOIN party_records r ON r.id = (
                     SELECT r2.id FROM party_records r2
                     WHERE r2.organization_id = o.id AND r2.status = 'confirmed' AND r2.effective_on <= ",
            );
            query.push_bind(filter.on);
            query.push(
                " ORDER BY r2.effective_on DESC, r2.id DESC LIMIT 1)
                 WHERE o.status = 'normal' AND (o.founded_on IS NULL OR o.founded_on <= ",
            );
            query.push_bind(filter.on).push(")");
            push_visibility!(query, visibility, "o.id", "o.division_code");
            if let Some(level) = filter.level {
                query.push(" AND o.level = ").push_bind(level.key());
            }
            if let Some(prefix) = &filter.division_prefix {
                query.push(" AND o.division_code LIKE ").push_bind(format!("{prefix}%"));
            }
            if let Some(q) = &filter.q {
                let pattern = like_pattern(q);
                query.push(" AND (o.name LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
                query.push(" OR o.credit_code LIKE ").push_bind(pattern).push(" ESCAPE '\\')");
            }
            query.push(" ORDER BY o.name");
            query.build_query_as().fetch_all(pool).await
        })
    }

    /// The names of the divisions whose codes start with `prefix` (all when none).
    pub async fn division_names(&self, prefix: Option<&str>) -> Result<Vec<(String, String)>, sqlx::Error> {
        let pattern = format!("{}%", prefix.unwrap_or(""));
        on_pool!(self, pool => {
            sqlx::query_as("SELECT code, name FROM divisions WHERE code LIKE $1 ORDER BY code")
                .bind(pattern).fetch_all(pool).await
        })
    }
}
