//! The registry: organizations listed with filters, one organization's record, its timeline and the
//! public lookup. Every read is limited by an [`OrgScope`] built from the caller's principal.

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{LicensingDecision, OrganizationSummary, TimelineEvent};
use domain::credit_code::CreditCode;
use domain::matter::MatterKind;
use domain::organization::{Category, CreditList, EmergingIndustry, Level, OrgKind, OrgStatus};
use domain::paging::PageRequest;

use sqlx::QueryBuilder;

use super::{Store, like_pattern, on_pool};

/// Which organizations a caller may see: everything, those under a division prefix, or one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgScope {
    /// A `LIKE` pattern on the registering division, e.g. `3401%` for 合肥市 staff.
    pub division_pattern: Option<String>,
    /// Only this organization (organization users).
    pub organization_id: Option<i64>,
}

/// A validated registry filter (keys are the domain enums' keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgFilter {
    pub kind: Option<OrgKind>,
    pub category: Option<Category>,
    pub emerging_industry: Option<EmergingIndustry>,
    pub level: Option<Level>,
    /// A `LIKE` pattern on the division: `3401%` for a city, `340104` for a county.
    pub division_pattern: Option<String>,
    pub status: Option<OrgStatus>,
    /// `abnormal`, `serious` or `none`.
    pub credit_list: Option<String>,
    pub q: Option<String>,
}

/// The registry's sort orders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OrgSort {
    #[default]
    Name,
    FoundedOn,
    CreditCode,
}

impl OrgSort {
    fn column(self) -> &'static str {
        match self {
            OrgSort::Name => "o.name",
            OrgSort::FoundedOn => "o.founded_on",
            OrgSort::CreditCode => "o.credit_code",
        }
    }
}

/// A registry row as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub kind: String,
    pub level: String,
    pub division_code: String,
    pub division_name: String,
    pub status: String,
    pub categories: String,
    pub emerging_industry: Option<String>,
    pub supervisory_unit: Option<String>,
    pub legal_representative: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub registered_funds_fen: Option<i64>,
    pub domicile: Option<String>,
    pub business_scope: Option<String>,
    pub contact_phone: Option<String>,
    pub credit_list: Option<String>,
    pub credit_code_waiver: Option<String>,
}

impl OrganizationRow {
    pub fn kind(&self) -> OrgKind {
        OrgKind::parse(&self.kind).unwrap_or(OrgKind::SocialGroup)
    }

    pub fn categories(&self) -> Vec<Category> {
        self.categories
            .split(',')
            .filter_map(|c| Category::parse(c).ok())
            .collect()
    }

    pub fn emerging_industry(&self) -> Option<EmergingIndustry> {
        self.emerging_industry
            .as_deref()
            .and_then(|e| EmergingIndustry::parse(e).ok())
    }

    pub fn summary(&self) -> OrganizationSummary {
        OrganizationSummary {
            id: self.id,
            name: self.name.clone(),
            credit_code: self.credit_code.clone(),
            kind: self.kind(),
            categories: self.categories(),
            emerging_industry: self.emerging_industry(),
            level: Level::parse(&self.level).unwrap_or(Level::County),
            division_code: self.division_code.clone(),
            division_name: self.division_name.clone(),
            status: OrgStatus::parse(&self.status).unwrap_or(OrgStatus::Normal),
            credit_list: self
                .credit_list
                .as_deref()
                .and_then(|c| CreditList::parse(c).ok()),
            founded_on: self.founded_on,
        }
    }
}

pub(crate) const ORG_COLUMNS: &str = "o.id, o.credit_code, o.name, o.kind, o.level, o.division_code,
    d.name AS division_name, o.status, o.categories, o.emerging_industry, o.supervisory_unit,
    o.legal_representative, o.founded_on, o.registered_funds_fen, o.domicile, o.business_scope,
    o.contact_phone, o.credit_list, o.credit_code_waiver";

/// Pushes the scope and filter conditions onto a `QueryBuilder`, only those that are set: a
/// `($1 IS NULL OR col = $1)` condition keeps SQLite from using an index.
macro_rules! push_org_where {
    ($qb:expr, $scope:expr, $filter:expr, $category:expr, $name:expr, $code:expr) => {{
        $qb.push(" WHERE 1 = 1");
        if let Some(pattern) = &$scope.division_pattern {
            push_division!($qb, pattern);
        }
        if let Some(id) = $scope.organization_id {
            $qb.push(" AND o.id = ").push_bind(id);
        }
        if let Some(kind) = $filter.kind {
            $qb.push(" AND o.kind = ").push_bind(kind.key());
        }
        if let Some(category) = $category {
            $qb.push(" AND (',' || o.categories || ',') LIKE ")
                .push_bind(category);
        }
        if let Some(industry) = $filter.emerging_industry {
            $qb.push(" AND o.emerging_industry = ").push_bind(industry.key());
        }
        if let Some(level) = $filter.level {
            $qb.push(" AND o.level = ").push_bind(level.key());
        }
        if let Some(pattern) = &$filter.division_pattern {
            push_division!($qb, pattern);
        }
        if let Some(status) = $filter.status {
            $qb.push(" AND o.status = ").push_bind(status.key());
        }
        match $filter.credit_list.as_deref() {
            Some("none") => {
                $qb.push(" AND o.credit_list IS NULL");
            }
            Some(list) => {
                $qb.push(" AND o.credit_list = ").push_bind(list.to_owned());
            }
            None => {}
        }
        if let Some(exact) = $filter.q.as_deref().and_then(|q| CreditCode::parse(q).ok()) {
            // A whole credit code: the unique index answers it (no name contains one).
            $qb.push(" AND o.credit_code = ")
                .push_bind(exact.as_str().to_owned());
        } else if let (Some(name), Some(code)) = ($name, $code) {
            $qb.push(" AND (o.name LIKE ")
                .push_bind(name)
                .push(" ESCAPE '\\' OR o.credit_code LIKE ")
                .push_bind(code)
                .push(" ESCAPE '\\')");
        }
    }};
}

/// A division condition: `LIKE '3401%'` as a range on the code (which an index serves on both
/// backends), or equality for a county.
macro_rules! push_division {
    ($qb:expr, $pattern:expr) => {{
        match $pattern.strip_suffix('%') {
            Some(prefix) => {
                $qb.push(" AND o.division_code >= ")
                    .push_bind(prefix.to_owned())
                    .push(" AND o.division_code < ")
                    .push_bind(format!("{prefix}~"));
            }
            None => {
                $qb.push(" AND o.division_code = ").push_bind($pattern.clone());
            }
        }
    }};
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    at: DateTime<Utc>,
    kind: String,
    summary: String,
    organization_id: Option<i64>,
    matter_id: Option<i64>,
    actor_name: String,
}

impl From<EventRow> for TimelineEvent {
    fn from(r: EventRow) -> Self {
        TimelineEvent {
            id: r.id,
            at: r.at,
            kind: r.kind,
            summary: r.summary,
            organization_id: r.organization_id,
            matter_id: r.matter_id,
            actor_name: r.actor_name,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DecisionRow {
    id: i64,
    document_number: String,
    decided_on: NaiveDate,
    organization_id: Option<i64>,
    organization_name: String,
    credit_code: Option<String>,
    matter_id: i64,
    kind: String,
    content: String,
}

impl From<DecisionRow> for LicensingDecision {
    fn from(r: DecisionRow) -> Self {
        LicensingDecision {
            id: r.id,
            document_number: r.document_number,
            decided_on: r.decided_on,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            credit_code: r.credit_code,
            matter_id: r.matter_id,
            kind: MatterKind::parse(&r.kind).unwrap_or(MatterKind::Change),
            content: r.content,
        }
    }
}

pub(crate) const DECISION_COLUMNS: &str =
    "id, document_number, decided_on, organization_id, organization_name,
    credit_code, matter_id, kind, content";

impl Store {
    /// A page of the organizations in `scope` that match `filter`, and how many match in all.
    pub async fn list_organizations(
        &self,
        scope: &OrgScope,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        page: PageRequest,
    ) -> Result<(Vec<OrganizationRow>, u64), sqlx::Error> {
        let rows = self
            .organizations_matching(scope, filter, sort, descending, page.limit(), page.offset())
            .await?;
        let category = filter.category.map(|c| format!("%,{},%", c.key()));
        let name = filter.q.as_deref().map(like_pattern);
        let code = filter.q.as_deref().map(|q| like_pattern(&q.to_uppercase()));
        let total: i64 = on_pool!(self, pool => {
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM organizations o");
            push_org_where!(count, scope, filter, category.clone(), name.clone(), code.clone());
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            total
        });
        Ok((rows, total as u64))
    }

    /// The organizations in `scope` that match `filter`, in order, `limit` from `offset` (the list pages
    /// through them; the export takes them all).
    pub async fn organizations_matching(
        &self,
        scope: &OrgScope,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<OrganizationRow>, sqlx::Error> {
        let direction = if descending { "DESC" } else { "ASC" };
        let category = filter.category.map(|c| format!("%,{},%", c.key()));
        let name = filter.q.as_deref().map(like_pattern);
        let code = filter.q.as_deref().map(|q| like_pattern(&q.to_uppercase()));
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(format!(
                "SELECT {ORG_COLUMNS} FROM organizations o JOIN divisions d ON d.code = o.division_code"
            ));
            push_org_where!(list, scope, filter, category.clone(), name.clone(), code.clone());
            // The column and direction come from the enum above, never from the request text.
            list.push(format_args!(" ORDER BY {} {direction}, o.id {direction} LIMIT ", sort.column()))
                .push_bind(limit)
                .push(" OFFSET ")
                .push_bind(offset);
            list.build_query_as().fetch_all(pool).await
        })
    }

    /// One organization, whatever the scope (callers check it).
    pub async fn find_organization(&self, id: i64) -> Result<Option<OrganizationRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM organizations o JOIN divisions d ON d.code = o.division_code WHERE o.id = $1"
        );
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// The organization's timeline, newest first.
    pub async fn organization_timeline(&self, id: i64) -> Result<Vec<TimelineEvent>, sqlx::Error> {
        let rows: Vec<EventRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, at, kind, summary, organization_id, matter_id, actor_name FROM organization_events
                 WHERE organization_id = $1 ORDER BY at DESC, id DESC LIMIT 200",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(TimelineEvent::from).collect())
    }

    /// A matter's history, oldest first.
    pub async fn matter_history(&self, matter_id: i64) -> Result<Vec<TimelineEvent>, sqlx::Error> {
        let rows: Vec<EventRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, at, kind, summary, organization_id, matter_id, actor_name FROM organization_events
                 WHERE matter_id = $1 ORDER BY at, id",
            )
            .bind(matter_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(TimelineEvent::from).collect())
    }

    /// The licensing decisions about an organization, newest first.
    pub async fn organization_decisions(&self, id: i64) -> Result<Vec<LicensingDecision>, sqlx::Error> {
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM licensing_decisions WHERE organization_id = $1 ORDER BY id DESC"
        );
        let rows: Vec<DecisionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(LicensingDecision::from).collect())
    }

    /// The licensing decision that ended a matter.
    pub async fn matter_decision(&self, matter_id: i64) -> Result<Option<LicensingDecision>, sqlx::Error> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM licensing_decisions WHERE matter_id = $1");
        let row: Option<DecisionRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(matter_id).fetch_optional(pool).await?);
        Ok(row.map(LicensingDecision::from))
    }

    /// The public lookup: up to `limit` organizations whose name contains `q` or whose credit code is `q`.
    pub async fn lookup_organizations(
        &self,
        q: &str,
        limit: i64,
    ) -> Result<Vec<OrganizationRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM organizations o JOIN divisions d ON d.code = o.division_code
             WHERE o.name LIKE $1 ESCAPE '\\' OR o.credit_code = $2 ORDER BY o.name, o.id LIMIT $3"
        );
        on_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(like_pattern(q))
                .bind(q.to_uppercase())
                .bind(limit)
                .fetch_all(pool)
                .await
        })
    }

    /// How many organizations are registered (the demo seed checks it).
    pub async fn count_organizations(&self) -> Result<u64, sqlx::Error> {
        let (n,): (i64,) = on_pool!(self, pool => sqlx::query_as("SELECT COUNT(*) FROM organizations").fetch_one(pool).await?);
        Ok(n as u64)
    }

    /// How many matters there are (the demo seed checks it).
    pub async fn count_matters(&self) -> Result<u64, sqlx::Error> {
        let (n,): (i64,) =
            on_pool!(self, pool => sqlx::query_as("SELECT COUNT(*) FROM matters").fetch_one(pool).await?);
        Ok(n as u64)
    }

    /// Some organizations in normal status (id, name, division, emerging industry), spread over the registry.
    pub async fn organization_sample(
        &self,
        limit: i64,
    ) -> Result<Vec<(i64, String, String, Option<String>)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, name, division_code, emerging_industry FROM organizations
                 WHERE status = 'normal' AND id % 37 = 0 ORDER BY id LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await
        })
    }
}
