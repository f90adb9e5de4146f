//! Drawn inspections: lists and lookups in the caller's scope (their division's, or the ones they are
//! drawn for), the fee items, and the record — the items with what their dispositions remove, and for a
//! 查处 the penalty case, in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{FeeInspection, FeeItem, FeeItemInput, Inspector};
use domain::fees::{Disposition, FeeFinding, InspectionStage};
use domain::money::Fen;
use domain::paging::PageRequest;
use sqlx::QueryBuilder;

use super::join_keys;
use crate::store::audit::record_audit;
use crate::store::penalties::{NewPenalty, insert_penalty_on};
use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A validated inspection list filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectionFilter {
    pub campaign_id: Option<i64>,
    pub stage: Option<InspectionStage>,
    pub division_prefix: Option<String>,
    /// Only those this account is drawn for.
    pub inspector: Option<i64>,
}

/// A fee item ready to store, with the burden its disposition removes.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub item: FeeItemInput,
    pub burden_removed: Fen,
}

const SELECT_INSPECTION: &str = "SELECT i.*, c.year AS campaign_year, c.title AS campaign_title,
        o.name AS organization_name, o.credit_code,
        CAST(COALESCE((SELECT SUM(f.burden_removed_fen) FROM fee_items f WHERE f.inspection_id = i.id), 0) AS BIGINT)
            AS burden_removed_fen
    FROM fee_inspections i JOIN fee_campaigns c ON c.id = i.campaign_id
    JOIN organizations o ON o.id = i.organization_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InspectionRow {
    pub id: i64,
    pub campaign_id: i64,
    pub campaign_year: i32,
    pub campaign_title: String,
    pub draw_order: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub credit_code: String,
    pub division_code: String,
    stage: String,
    pub inspected_on: Option<NaiveDate>,
    pub summary: Option<String>,
    pub penalty_case_id: Option<i64>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<DateTime<Utc>>,
    pub burden_removed_fen: i64,
}

/// A recorded item with where its association is (the results and the export).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignItem {
    pub city_code: String,
    pub city_name: String,
    pub organization_name: String,
    #[sqlx(flatten)]
    pub item: ItemRow,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub inspection_id: i64,
    pub name: String,
    pub basis: String,
    pub standard_fen: i64,
    pub annual_income_fen: i64,
    pub payers: i64,
    pub findings: String,
    pub disposition: Option<String>,
    pub new_standard_fen: Option<i64>,
    pub burden_removed_fen: i64,
}

impl ItemRow {
    pub fn input(&self) -> FeeItemInput {
        FeeItemInput {
            name: self.name.clone(),
            basis: self.basis.clone(),
            standard_fen: Fen::new(self.standard_fen),
            annual_income_fen: Fen::new(self.annual_income_fen),
            payers: self.payers,
            findings: self.findings.split(',').filter_map(FeeFinding::parse).collect(),
            disposition: self.disposition.as_deref().and_then(Disposition::parse),
            new_standard_fen: self.new_standard_fen.map(Fen::new),
        }
    }

    pub fn to_api(&self) -> FeeItem {
        FeeItem {
            id: self.id,
            item: self.input(),
            burden_removed_fen: Fen::new(self.burden_removed_fen),
        }
    }
}

impl InspectionRow {
    // The column has a CHECK constraint on exactly these values.
    pub fn stage(&self) -> InspectionStage {
        InspectionStage::parse(&self.stage).unwrap_or(InspectionStage::Pending)
    }

    /// The inspection with its inspectors and items (none in lists).
    pub fn to_api(&self, inspectors: Vec<Inspector>, items: &[ItemRow]) -> FeeInspection {
        let inputs: Vec<FeeItemInput> = items.iter().map(ItemRow::input).collect();
        FeeInspection {
            id: self.id,
            campaign_id: self.campaign_id,
            campaign_year: self.campaign_year,
            campaign_title: self.campaign_title.clone(),
            draw_order: self.draw_order as u32,
            organization_id: self.organization_id,
            organization_name: self.organization_name.clone(),
            credit_code: self.credit_code.clone(),
            division_code: self.division_code.clone(),
            stage: self.stage(),
            inspectors,
            inspected_on: self.inspected_on,
            summary: self.summary.clone(),
            items: items.iter().map(ItemRow::to_api).collect(),
            burden_removed_fen: Fen::new(self.burden_removed_fen),
            enterprises_benefited: domain::fees::enterprises_benefited(&inputs),
            penalty_case_id: self.penalty_case_id,
            recorded_by: self.recorded_by.clone(),
            recorded_at: self.recorded_at,
        }
    }
}

/// Appends the caller's scope: their visibility, or an inspection they are drawn for.
macro_rules! push_inspection_scope {
    ($qb:expr, $visibility:expr, $user:expr) => {{
        $qb.push(" AND (1 = 1");
        push_visibility!($qb, $visibility, "i.organization_id", "i.division_code");
        $qb.push(" OR EXISTS (SELECT 1 FROM fee_inspection_inspectors x WHERE x.inspection_id = i.id AND x.user_id = ")
            .push_bind($user)
            .push("))");
    }};
}

macro_rules! push_inspection_where {
    ($qb:expr, $visibility:expr, $user:expr, $f:expr) => {{
        $qb.push(" WHERE 1 = 1");
        push_inspection_scope!($qb, $visibility, $user);
        if let Some(id) = $f.campaign_id {
            $qb.push(" AND i.campaign_id = ").push_bind(id);
        }
        if let Some(stage) = $f.stage {
            $qb.push(" AND i.stage = ").push_bind(stage.key());
        }
        if let Some(prefix) = &$f.division_prefix {
            crate::store::push_division_prefix!($qb, "i.division_code", prefix);
        }
        if let Some(inspector) = $f.inspector {
            $qb.push(" AND EXISTS (SELECT 1 FROM fee_inspection_inspectors m WHERE m.inspection_id = i.id AND m.user_id = ")
                .push_bind(inspector)
                .push(")");
        }
    }};
}

impl Store {
    /// A page of inspections in scope that pass `filter`, newest campaign first then in draw order.
    pub async fn list_fee_inspections(
        &self,
        visibility: &Visibility,
        user_id: i64,
        filter: &InspectionFilter,
        page: PageRequest,
    ) -> Result<(Vec<InspectionRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_INSPECTION);
            push_inspection_where!(list, visibility, user_id, filter);
            list.push(" ORDER BY i.campaign_id DESC, i.draw_order LIMIT ").push_bind(page.limit())
                .push(" OFFSET ").push_bind(page.offset());
            let rows: Vec<InspectionRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM fee_inspections i");
            push_inspection_where!(count, visibility, user_id, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows, total as u64))
        })
    }

    /// One inspection, if the caller's scope covers it.
    pub async fn find_fee_inspection(
        &self,
        id: i64,
        visibility: &Visibility,
        user_id: i64,
    ) -> Result<Option<InspectionRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_INSPECTION);
            query.push(" WHERE i.id = ").push_bind(id);
            push_inspection_scope!(query, visibility, user_id);
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// The drawn inspectors of `inspection_ids`, in draw order: (inspection, inspector).
    pub async fn fee_inspectors_of(
        &self,
        inspection_ids: &[i64],
    ) -> Result<Vec<(i64, Inspector)>, sqlx::Error> {
        if inspection_ids.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT x.inspection_id, u.id, u.display_name FROM fee_inspection_inspectors x
                 JOIN users u ON u.id = x.user_id WHERE x.inspection_id IN (",
            );
            let mut list = query.separated(", ");
            for id in inspection_ids {
                list.push_bind(*id);
            }
            query.push(") ORDER BY x.inspection_id, x.position");
            let rows: Vec<(i64, i64, String)> = query.build_query_as().fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(i, id, name)| (i, Inspector { id, name })).collect())
        })
    }

    /// An inspection's fee items, in the order recorded.
    pub async fn fee_items(&self, inspection_id: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
        on_pool!(self, pool => sqlx::query_as(
            "SELECT * FROM fee_items WHERE inspection_id = $1 ORDER BY position",
        ).bind(inspection_id).fetch_all(pool).await)
    }

    /// The items of a campaign's recorded inspections in the caller's scope, by inspection, each with the
    /// city its association is registered in (`340000` and 安徽省 for the provincial ones): what the
    /// results count.
    pub async fn fee_campaign_items(
        &self,
        campaign_id: i64,
        visibility: &Visibility,
        user_id: i64,
    ) -> Result<Vec<CampaignItem>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT f.*, d.code AS city_code, d.name AS city_name, o.name AS organization_name
                 FROM fee_items f JOIN fee_inspections i ON i.id = f.inspection_id
                 JOIN organizations o ON o.id = i.organization_id
                 JOIN divisions d ON d.code = SUBSTR(i.division_code, 1, 4) || '00'
                 WHERE i.stage = 'recorded' AND i.campaign_id = ",
            );
            query.push_bind(campaign_id);
            push_inspection_scope!(query, visibility, user_id);
            query.push(" ORDER BY f.inspection_id, f.position");
            query.build_query_as().fetch_all(pool).await
        })
    }

    /// How many of the campaign's inspections the caller's scope covers.
    pub async fn count_fee_inspections(
        &self,
        campaign_id: i64,
        visibility: &Visibility,
        user_id: i64,
    ) -> Result<u64, sqlx::Error> {
        let filter = InspectionFilter {
            campaign_id: Some(campaign_id),
            ..InspectionFilter::default()
        };
        on_pool!(self, pool => {
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM fee_inspections i");
            push_inspection_where!(count, visibility, user_id, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok(total as u64)
        })
    }

    /// Records pending inspection `id`: the date, summary and items, and — for a 查处 — the penalty case,
    /// all with the audit row in one transaction. `None` when it was recorded meanwhile; else the penalty
    /// case's id, if one was opened.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_fee_inspection(
        &self,
        id: i64,
        inspected_on: NaiveDate,
        summary: &str,
        items: &[NewItem],
        penalty: Option<&NewPenalty>,
        recorded_by: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<Option<Option<i64>>, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE fee_inspections SET stage = 'recorded', inspected_on = $2, summary = $3, recorded_by = $4,
                     recorded_at = $5 WHERE id = $1 AND stage = 'pending'",
            )
            .bind(id).bind(inspected_on).bind(summary).bind(recorded_by).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(None);
            }
            let mut insert = QueryBuilder::new(
                "INSERT INTO fee_items (inspection_id, position, name, basis, standard_fen, annual_income_fen, payers,
                     findings, disposition, new_standard_fen, burden_removed_fen) ",
            );
            insert.push_values(items.iter().enumerate(), |mut row, (position, new)| {
                let item = &new.item;
                row.push_bind(id).push_bind(position as i64 + 1).push_bind(item.name.trim())
                    .push_bind(item.basis.trim()).push_bind(item.standard_fen.as_i64())
                    .push_bind(item.annual_income_fen.as_i64()).push_bind(item.payers)
                    .push_bind(join_keys(&item.findings, FeeFinding::key))
                    .push_bind(item.disposition.map(Disposition::key))
                    .push_bind(item.new_standard_fen.map(Fen::as_i64))
                    .push_bind(new.burden_removed.as_i64());
            });
            insert.build().execute(&mut *tx).await?;
            let case = match penalty {
                Some(new) => {
                    let case = insert_penalty_on!(tx, new);
                    let opened = AuditEntry {
                        entity_type: "penalty_case",
                        entity_id: case.to_string(),
                        action: "create",
                        before: None,
                        after: Some(serde_json::json!({
                            "organization_id": new.organization_id, "filed_on": new.filed_on,
                            "rule_broken": new.rule_broken, "fee_inspection_id": id,
                        })),
                        ..audit.clone()
                    };
                    record_audit!(&mut *tx, &opened)?;
                    sqlx::query("UPDATE fee_inspections SET penalty_case_id = $2 WHERE id = $1")
                        .bind(id).bind(case).execute(&mut *tx).await?;
                    Some(case)
                }
                None => None,
            };
            Some(case)
        }, _ => audit)
    }
}
