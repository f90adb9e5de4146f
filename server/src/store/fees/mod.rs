//! Fee inspections' store: campaigns with their inspector pool and conflicts of interest (here), the draw
//! and its re-runs (`draw.rs`), the drawn inspections with their fee items (`inspections.rs`). Campaigns
//! belong to the bureau and every staff member reads them; inspections belong to associations, and staff
//! scope applies to the association's registering division — widened to the inspections a staff member
//! is drawn for, since an inspector records associations outside their own division.

mod draw;
mod inspections;

use chrono::{DateTime, Utc};
use domain::api::{DrawVerification, FeeCampaign, FeeConflict, Inspector};
use domain::fees::{CampaignStage, FeeFinding};
use domain::paging::PageRequest;
use domain::registry::organization::Level;
use sqlx::QueryBuilder;

pub use draw::{DrawOutcome, DrawnInspection};
pub use inspections::{CampaignItem, InspectionFilter, InspectionRow, ItemRow, NewItem};

use crate::store::{AuditEntry, Store, audited, on_pool};

/// A campaign ready to store.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub year: i32,
    pub title: String,
    pub division_code: String,
    pub levels: Vec<Level>,
    pub checklist: Vec<FeeFinding>,
    pub sample_size: u32,
    pub inspectors_per_association: u32,
    pub pool: Vec<i64>,
    pub created_by: String,
}

const SELECT_CAMPAIGN: &str = "SELECT c.*, d.name AS division_name,
        (SELECT COUNT(*) FROM fee_inspections i WHERE i.campaign_id = c.id) AS drawn,
        (SELECT COUNT(*) FROM fee_inspections i WHERE i.campaign_id = c.id AND i.stage = 'recorded') AS recorded
    FROM fee_campaigns c JOIN divisions d ON d.code = c.division_code";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub division_code: String,
    pub division_name: String,
    levels: String,
    checklist: String,
    pub sample_size: i64,
    pub inspectors_per_association: i64,
    stage: String,
    pub seed: Option<String>,
    pub eligible: Option<i64>,
    pub draw_input: Option<String>,
    pub drawn_at: Option<DateTime<Utc>>,
    pub drawn_by: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub drawn: i64,
    pub recorded: i64,
}

/// Comma-joined keys, as stored.
pub(crate) fn join_keys<T: Copy>(values: &[T], key: impl Fn(T) -> &'static str) -> String {
    values.iter().map(|v| key(*v)).collect::<Vec<_>>().join(",")
}

impl CampaignRow {
    // The column has a CHECK constraint on exactly these values.
    pub fn stage(&self) -> CampaignStage {
        CampaignStage::parse(&self.stage).unwrap_or(CampaignStage::Open)
    }

    pub fn levels(&self) -> Vec<Level> {
        self.levels
            .split(',')
            .filter_map(|k| Level::ALL.into_iter().find(|l| l.key() == k))
            .collect()
    }

    pub fn checklist(&self) -> Vec<FeeFinding> {
        self.checklist.split(',').filter_map(FeeFinding::parse).collect()
    }

    pub fn to_api(&self) -> FeeCampaign {
        FeeCampaign {
            id: self.id,
            year: self.year,
            title: self.title.clone(),
            division_code: self.division_code.clone(),
            division_name: self.division_name.clone(),
            levels: self.levels(),
            checklist: self.checklist(),
            sample_size: self.sample_size as u32,
            inspectors_per_association: self.inspectors_per_association as u32,
            stage: self.stage(),
            seed: self.seed.clone(),
            eligible: self.eligible.map(|e| e as u32),
            drawn_at: self.drawn_at,
            drawn_by: self.drawn_by.clone(),
            drawn: self.drawn as u32,
            recorded: self.recorded as u32,
            created_by: self.created_by.clone(),
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct ConflictRow {
    id: i64,
    user_id: i64,
    inspector_name: String,
    organization_id: i64,
    organization_name: String,
    reason: String,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct VerificationRow {
    same: bool,
    drawn: i64,
    verified_by: String,
    verified_at: DateTime<Utc>,
}

impl Store {
    /// Whether any campaign exists (the demo data loads once).
    pub async fn has_fee_campaigns(&self) -> Result<bool, sqlx::Error> {
        let (count,): (i64,) = on_pool!(self, pool => sqlx::query_as("SELECT COUNT(*) FROM fee_campaigns").fetch_one(pool).await?);
        Ok(count > 0)
    }

    /// Stores a campaign and its inspector pool, with its audit row.
    pub async fn insert_fee_campaign<'a>(
        &self,
        new: &NewCampaign,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO fee_campaigns (year, title, division_code, levels, checklist, sample_size,
                     inspectors_per_association, stage, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $9) RETURNING id",
            )
            .bind(new.year).bind(&new.title).bind(&new.division_code).bind(join_keys(&new.levels, Level::key))
            .bind(join_keys(&new.checklist, FeeFinding::key)).bind(i64::from(new.sample_size))
            .bind(i64::from(new.inspectors_per_association)).bind(&new.created_by).bind(now)
            .fetch_one(&mut *tx).await?;
            for user in &new.pool {
                sqlx::query("INSERT INTO fee_campaign_pool (campaign_id, user_id) VALUES ($1, $2)")
                    .bind(id).bind(*user).execute(&mut *tx).await?;
            }
            id
        }, id => &audit(*id))
    }

    pub async fn find_fee_campaign(&self, id: i64) -> Result<Option<CampaignRow>, sqlx::Error> {
        let sql = format!("{SELECT_CAMPAIGN} WHERE c.id = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// A page of campaigns, newest year first, and how many there are.
    pub async fn list_fee_campaigns(
        &self,
        year: Option<i32>,
        page: PageRequest,
    ) -> Result<(Vec<CampaignRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_CAMPAIGN);
            list.push(" WHERE 1 = 1");
            if let Some(year) = year {
                list.push(" AND c.year = ").push_bind(year);
            }
            list.push(" ORDER BY c.year DESC, c.id DESC LIMIT ").push_bind(page.limit())
                .push(" OFFSET ").push_bind(page.offset());
            let rows: Vec<CampaignRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM fee_campaigns c WHERE 1 = 1");
            if let Some(year) = year {
                count.push(" AND c.year = ").push_bind(year);
            }
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows, total as u64))
        })
    }

    /// The campaign's inspector pool, by id.
    pub async fn fee_campaign_pool(&self, campaign_id: i64) -> Result<Vec<Inspector>, sqlx::Error> {
        let rows: Vec<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.display_name FROM fee_campaign_pool p JOIN users u ON u.id = p.user_id
             WHERE p.campaign_id = $1 ORDER BY u.id",
        ).bind(campaign_id).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(id, name)| Inspector { id, name })
            .collect())
    }

    /// Of `ids`, the enabled staff accounts (bureau or local staff) that may sit in an inspector pool.
    pub async fn fee_staff_accounts(&self, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT id FROM users WHERE disabled = FALSE AND role IN ('bureau_admin', 'local_staff') AND id IN (",
            );
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            query.push(")");
            let rows: Vec<(i64,)> = query.build_query_as().fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(id,)| id).collect())
        })
    }

    /// Closes a drawn campaign (its results stand); `false` when it was not drawn.
    pub async fn close_fee_campaign(&self, id: i64, audit: &AuditEntry<'_>) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE fee_campaigns SET stage = 'closed', closed_at = $2, updated_at = $2 WHERE id = $1 AND stage = 'drawn'",
            )
            .bind(id).bind(now).execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            true
        }, _ => audit)
    }

    /// Records a conflict of interest (known since `recorded_at`) with its audit row; the unique key
    /// refuses a second one.
    pub async fn insert_fee_conflict<'a>(
        &self,
        user_id: i64,
        organization_id: i64,
        reason: &str,
        recorded_by: &str,
        recorded_at: DateTime<Utc>,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO fee_conflicts (user_id, organization_id, reason, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(user_id).bind(organization_id).bind(reason).bind(recorded_by).bind(recorded_at)
            .fetch_one(&mut *tx).await?;
            id
        }, id => &audit(*id))
    }

    /// Conflicts of interest, newest first (at most `limit`), optionally of one inspector.
    pub async fn list_fee_conflicts(
        &self,
        inspector_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<FeeConflict>, sqlx::Error> {
        let rows: Vec<ConflictRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT f.id, f.user_id, u.display_name AS inspector_name, f.organization_id,
                    o.name AS organization_name, f.reason, f.recorded_by, f.recorded_at
             FROM fee_conflicts f JOIN users u ON u.id = f.user_id JOIN organizations o ON o.id = f.organization_id
             WHERE ($1 IS NULL OR f.user_id = $1) ORDER BY f.id DESC LIMIT $2",
        ).bind(inspector_id).bind(limit).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|r| FeeConflict {
                id: r.id,
                inspector_id: r.user_id,
                inspector_name: r.inspector_name,
                organization_id: r.organization_id,
                organization_name: r.organization_name,
                reason: r.reason,
                recorded_by: r.recorded_by,
                recorded_at: r.recorded_at,
            })
            .collect())
    }

    /// Who re-ran the campaign's draw, newest first.
    pub async fn fee_verifications(
        &self,
        campaign_id: i64,
        seed: &str,
    ) -> Result<Vec<DrawVerification>, sqlx::Error> {
        let rows: Vec<VerificationRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT same, drawn, verified_by, verified_at FROM fee_draw_verifications
             WHERE campaign_id = $1 ORDER BY id DESC LIMIT 50",
        ).bind(campaign_id).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|r| DrawVerification {
                same: r.same,
                seed: seed.to_owned(),
                drawn: r.drawn as u32,
                verified_by: r.verified_by,
                verified_at: r.verified_at,
            })
            .collect())
    }
}
