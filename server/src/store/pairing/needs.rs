//! Villages' needs in a round: the villages of a round's counties as the caller may see them, with their
//! needs and priority class once county or city staff record them.

use chrono::Utc;
use domain::api::RoundVillage;
use domain::pairing::Weights;
use domain::pairing::round::{PriorityClass, village_position};
use sqlx::QueryBuilder;

use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A village, with whether its county is in a round.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VillageInRound {
    pub code: String,
    pub kind: String,
    pub county_code: String,
    pub in_round: i64,
}

/// A filter on a round's villages.
#[derive(Debug, Clone, Default)]
pub struct RoundVillageFilter {
    pub county: Option<String>,
    /// One village.
    pub code: Option<String>,
    pub recorded_only: bool,
}

#[derive(Debug, sqlx::FromRow)]
struct VillageRow {
    code: String,
    name: String,
    township_name: String,
    county_code: String,
    county_name: String,
    needs: Option<String>,
    priority_class: Option<String>,
    county_lon: f64,
    county_lat: f64,
}

impl From<VillageRow> for RoundVillage {
    fn from(row: VillageRow) -> Self {
        let (lon, lat) = village_position(row.county_lon, row.county_lat, &row.code);
        RoundVillage {
            needs: row.needs.and_then(|n| serde_json::from_str(&n).ok()),
            priority_class: row.priority_class.as_deref().and_then(PriorityClass::parse),
            code: row.code,
            name: row.name,
            township_name: row.township_name,
            county_code: row.county_code,
            county_name: row.county_name,
            lon,
            lat,
        }
    }
}

const SELECT_VILLAGE: &str = "SELECT v.code, v.name, v.township_name, v.county_code, d.name AS county_name,
        n.needs, n.priority_class, d.longitude AS county_lon, d.latitude AS county_lat";

/// Pushes the `FROM … WHERE …` of a round's villages matching `$filter` within `$visibility`.
macro_rules! push_round_villages {
    ($qb:expr, $round_id:expr, $filter:expr, $visibility:expr) => {{
        let (round_id, filter): (i64, &RoundVillageFilter) = ($round_id, $filter);
        $qb.push(" FROM villages v JOIN pairing_round_counties c ON c.county_code = v.county_code AND c.round_id = ")
            .push_bind(round_id)
            .push(" JOIN divisions d ON d.code = v.county_code")
            .push(" LEFT JOIN pairing_village_needs n ON n.village_code = v.code AND n.round_id = ")
            .push_bind(round_id)
            .push(" WHERE v.kind = 'village'");
        if let Some(county) = &filter.county {
            $qb.push(" AND v.county_code = ").push_bind(county.clone());
        }
        if let Some(code) = &filter.code {
            $qb.push(" AND v.code = ").push_bind(code.clone());
        }
        if filter.recorded_only {
            $qb.push(" AND n.needs IS NOT NULL");
        }
        // A village belongs to no organization: a scope of organizations only sees none.
        push_visibility!($qb, $visibility, "CAST(NULL AS BIGINT)", "v.county_code");
    }};
}

impl Store {
    /// A page of the villages (kind `village`) in a round's counties within `visibility`, with their needs
    /// if recorded, in code order; and how many match in all.
    pub async fn round_villages(
        &self,
        round_id: i64,
        filter: &RoundVillageFilter,
        visibility: &Visibility,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<RoundVillage>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_VILLAGE);
            push_round_villages!(list, round_id, filter, visibility);
            list.push(" ORDER BY v.code LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
            let rows: Vec<VillageRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*)");
            push_round_villages!(count, round_id, filter, visibility);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows.into_iter().map(RoundVillage::from).collect(), total as u64))
        })
    }

    /// One village of a round's counties, with its needs if recorded (the caller has checked its scope).
    pub async fn round_village(
        &self,
        round_id: i64,
        code: &str,
    ) -> Result<Option<RoundVillage>, sqlx::Error> {
        let filter = RoundVillageFilter {
            code: Some(code.to_owned()),
            ..Default::default()
        };
        let (mut villages, _) = self
            .round_villages(round_id, &filter, &Visibility::All, 1, 0)
            .await?;
        Ok(villages.pop())
    }

    /// A village with whether its county is in the round.
    pub async fn village_in_round(
        &self,
        round_id: i64,
        code: &str,
    ) -> Result<Option<VillageInRound>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT v.code, v.kind, v.county_code,
                        (SELECT COUNT(*) FROM pairing_round_counties c WHERE c.round_id = $1 AND c.county_code = v.county_code) AS in_round
                 FROM villages v WHERE v.code = $2",
            )
            .bind(round_id)
            .bind(code)
            .fetch_optional(pool)
            .await
        })
    }

    /// Records a village's needs and priority class for a round, with the audit row.
    pub async fn record_village_needs(
        &self,
        round_id: i64,
        village_code: &str,
        needs: &Weights,
        priority: Option<PriorityClass>,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let needs = serde_json::to_string(needs).unwrap_or_else(|_| "{}".to_owned());
        let now = Utc::now();
        audited!(self, tx => {
            sqlx::query(
                "INSERT INTO pairing_village_needs (round_id, village_code, needs, priority_class, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (round_id, village_code) DO UPDATE SET needs = excluded.needs,
                    priority_class = excluded.priority_class, updated_at = excluded.updated_at",
            )
            .bind(round_id)
            .bind(village_code)
            .bind(&needs)
            .bind(priority.map(PriorityClass::key))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }, _ => audit)
    }
}
