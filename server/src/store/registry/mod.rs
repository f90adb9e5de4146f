//! The registry: organizations listed with filters, one organization's record, its timeline and the
//! public lookup. Every list and lookup is limited by the caller's [`Visibility`].

pub mod import;
pub(crate) mod index;
pub mod matter_phones;
pub mod matters;
pub mod organizations;
pub mod phones;
pub mod steps;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{LicensingDecision, OrganizationSummary, TimelineEvent};
use domain::paging::PageRequest;
use domain::registry::matter::MatterKind;
use domain::registry::organization::{Category, CreditList, EmergingIndustry, Level, OrgKind, OrgStatus};

use sqlx::QueryBuilder;

use crate::store::{Store, Visibility, on_pool, push_visibility};

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
    /// `abnormal`, `serious` or `none`: the current listing in `credit_listings` (there is no flag).
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
    /// The phone masked (or, on a row the start-up pass has not sealed yet, in clear): mask it to show it.
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
    COALESCE(o.phone_masked, o.contact_phone) AS contact_phone, (SELECT l.list FROM credit_listings l WHERE l.organization_id = o.id AND l.ended_on IS NULL
        ORDER BY l.list DESC LIMIT 1) AS credit_list, o.credit_code_waiver";

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
    /// A page of the organizations in `visibility` that match `filter`, and how many match in all.
    pub async fn list_organizations(
        &self,
        visibility: &Visibility,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        page: PageRequest,
    ) -> Result<(Vec<OrganizationRow>, u64), sqlx::Error> {
        let (ids, total) = self
            .registry_select(visibility, filter, sort, descending, page.offset(), page.limit())
            .await?;
        Ok((self.organizations_by_id(&ids).await?, total))
    }

    /// The organizations in `visibility` that match `filter`, in order, `limit` from `offset` (the list
    /// pages through them; the export takes them all).
    pub async fn organizations_matching(
        &self,
        visibility: &Visibility,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<OrganizationRow>, sqlx::Error> {
        let (ids, _) = self
            .registry_select(visibility, filter, sort, descending, offset, limit)
            .await?;
        self.organizations_by_id(&ids).await
    }

    /// The organizations with these ids, in the order given (those deleted meanwhile left out).
    async fn organizations_by_id(&self, ids: &[i64]) -> Result<Vec<OrganizationRow>, sqlx::Error> {
        // Well under either backend's limit on bound parameters.
        const CHUNK: usize = 1_000;
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            let rows: Vec<OrganizationRow> = on_pool!(self, pool => {
                let mut query = QueryBuilder::new(format!(
                    "SELECT {ORG_COLUMNS} FROM organizations o JOIN divisions d ON d.code = o.division_code
                     WHERE o.id IN ("
                ));
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                query.build_query_as().fetch_all(pool).await?
            });
            found.extend(rows.into_iter().map(|row| (row.id, row)));
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// One organization, if `visibility` covers it: out of scope finds nothing, as a missing one.
    pub async fn find_organization(
        &self,
        visibility: &Visibility,
        id: i64,
    ) -> Result<Option<OrganizationRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(format!(
                "SELECT {ORG_COLUMNS} FROM organizations o JOIN divisions d ON d.code = o.division_code
                 WHERE o.id = "
            ));
            query.push_bind(id);
            push_visibility!(query, visibility, "o.id", "o.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
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

    /// The public lookup: up to `limit` organizations whose name contains `q` or whose credit code is `q`,
    /// by name.
    pub async fn lookup_organizations(
        &self,
        q: &str,
        limit: i64,
    ) -> Result<Vec<OrganizationRow>, sqlx::Error> {
        let ids = self.registry_lookup(q, limit).await?;
        self.organizations_by_id(&ids).await
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
