//! Rounds: opening one over its counties, reading them back with their counts, and the societies that
//! join them (membership).

use chrono::{DateTime, Utc};
use domain::api::{RoundCounty, RoundRules, RoundSociety};
use domain::pairing::Weights;
use domain::pairing::round::RoundStatus;

use crate::store::{AuditEntry, Store, audited, on_pool};

/// A round as stored, with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRecord {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub priority_bonus: i64,
    pub distance_penalty_per_km: i64,
    pub max_distance_km: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub societies: i64,
    pub villages: i64,
    pub runs: i64,
}

impl RoundRecord {
    pub fn status(&self) -> RoundStatus {
        // The column has a CHECK constraint on exactly these values.
        RoundStatus::parse(&self.status).unwrap_or(RoundStatus::Open)
    }

    pub fn rules(&self) -> RoundRules {
        RoundRules {
            priority_bonus: self.priority_bonus,
            distance_penalty_per_km: self.distance_penalty_per_km,
            max_distance_km: self.max_distance_km,
        }
    }
}

const SELECT_ROUND: &str = "SELECT r.id, r.name, r.status, r.priority_bonus, r.distance_penalty_per_km,
        r.max_distance_km, r.created_by, r.created_at,
        (SELECT COUNT(*) FROM pairing_societies s WHERE s.round_id = r.id) AS societies,
        (SELECT COUNT(*) FROM pairing_village_needs n WHERE n.round_id = r.id) AS villages,
        (SELECT COUNT(*) FROM pairing_runs u WHERE u.round_id = r.id) AS runs
    FROM pairing_rounds r";

/// A division as the pairing forms need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DivisionPoint {
    pub code: String,
    pub name: String,
    pub level: String,
    pub longitude: f64,
    pub latitude: f64,
}

/// A validated new round.
#[derive(Debug, Clone)]
pub struct NewRound {
    pub name: String,
    pub counties: Vec<String>,
    pub rules: RoundRules,
    pub created_by: String,
}

/// A validated membership of a society in a round.
#[derive(Debug, Clone)]
pub struct Membership {
    pub capabilities: Weights,
    pub capacity: i64,
    pub home_county: String,
    pub funds_fen: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct SocietyRow {
    organization_id: i64,
    organization_name: String,
    capabilities: String,
    capacity: i64,
    home_county: String,
    home_county_name: String,
    funds_fen: i64,
    lon: f64,
    lat: f64,
}

impl From<SocietyRow> for RoundSociety {
    fn from(row: SocietyRow) -> Self {
        RoundSociety {
            organization_id: row.organization_id,
            organization_name: row.organization_name,
            capabilities: serde_json::from_str(&row.capabilities).unwrap_or_default(),
            capacity: row.capacity,
            home_county: row.home_county,
            home_county_name: row.home_county_name,
            funds_fen: row.funds_fen,
            lon: row.lon,
            lat: row.lat,
        }
    }
}

impl Store {
    /// Opens a round over `counties`, with its audit row (which may name the new id).
    pub async fn open_round<'a>(
        &self,
        new: &NewRound,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO pairing_rounds (name, status, priority_bonus, distance_penalty_per_km, max_distance_km,
                                             created_by, created_at)
                 VALUES ($1, 'open', $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&new.name)
            .bind(new.rules.priority_bonus)
            .bind(new.rules.distance_penalty_per_km)
            .bind(new.rules.max_distance_km)
            .bind(&new.created_by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for county in &new.counties {
                sqlx::query("INSERT INTO pairing_round_counties (round_id, county_code) VALUES ($1, $2)")
                    .bind(id)
                    .bind(county)
                    .execute(&mut *tx)
                    .await?;
            }
            id
        }, id => &audit(*id))
    }

    /// Every round, newest first.
    pub async fn list_rounds(&self) -> Result<Vec<RoundRecord>, sqlx::Error> {
        let sql = format!("{SELECT_ROUND} ORDER BY r.id DESC");
        on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)
    }

    pub async fn find_round(&self, id: i64) -> Result<Option<RoundRecord>, sqlx::Error> {
        let sql = format!("{SELECT_ROUND} WHERE r.id = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    pub async fn find_round_by_name(&self, name: &str) -> Result<Option<RoundRecord>, sqlx::Error> {
        let sql = format!("{SELECT_ROUND} WHERE r.name = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(name).fetch_optional(pool).await)
    }

    /// The counties in a round's scope, in code order.
    pub async fn round_counties(&self, round_id: i64) -> Result<Vec<RoundCounty>, sqlx::Error> {
        let rows: Vec<(String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT d.code, d.name, p.name FROM pairing_round_counties c
                 JOIN divisions d ON d.code = c.county_code
                 JOIN divisions p ON p.code = d.parent_code
                 WHERE c.round_id = $1 ORDER BY d.code",
            )
            .bind(round_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(code, name, city_name)| RoundCounty {
                code,
                name,
                city_name,
            })
            .collect())
    }

    pub async fn find_division_point(&self, code: &str) -> Result<Option<DivisionPoint>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT code, name, level, longitude, latitude FROM divisions WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await
        })
    }

    /// An organization's name and kind.
    pub async fn organization_name_and_kind(&self, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT name, kind FROM organizations WHERE id = $1").bind(id).fetch_optional(pool).await
        })
    }

    /// Adds a society to a round, or changes what it offers, with the audit row.
    pub async fn join_round(
        &self,
        round_id: i64,
        organization_id: i64,
        membership: &Membership,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let capabilities =
            serde_json::to_string(&membership.capabilities).unwrap_or_else(|_| "{}".to_owned());
        let now = Utc::now();
        audited!(self, tx => {
            sqlx::query(
                "INSERT INTO pairing_societies (round_id, organization_id, capabilities, capacity, home_county, funds_fen, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (round_id, organization_id) DO UPDATE SET capabilities = excluded.capabilities,
                    capacity = excluded.capacity, home_county = excluded.home_county,
                    funds_fen = excluded.funds_fen, updated_at = excluded.updated_at",
            )
            .bind(round_id)
            .bind(organization_id)
            .bind(&capabilities)
            .bind(membership.capacity)
            .bind(&membership.home_county)
            .bind(membership.funds_fen)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }, _ => audit)
    }

    /// A round's societies (or just `organization_id`), in id order, at their home county's centroid.
    pub async fn round_societies(
        &self,
        round_id: i64,
        organization_id: Option<i64>,
    ) -> Result<Vec<RoundSociety>, sqlx::Error> {
        let rows: Vec<SocietyRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT s.organization_id, o.name AS organization_name, s.capabilities, s.capacity, s.home_county,
                        d.name AS home_county_name, s.funds_fen, d.longitude AS lon, d.latitude AS lat
                 FROM pairing_societies s
                 JOIN organizations o ON o.id = s.organization_id
                 JOIN divisions d ON d.code = s.home_county
                 WHERE s.round_id = $1 AND ($2 IS NULL OR s.organization_id = $2)
                 ORDER BY s.organization_id",
            )
            .bind(round_id)
            .bind(organization_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(RoundSociety::from).collect())
    }

    /// One society's membership of a round, if it joined.
    pub async fn round_society(
        &self,
        round_id: i64,
        organization_id: i64,
    ) -> Result<Option<RoundSociety>, sqlx::Error> {
        Ok(self.round_societies(round_id, Some(organization_id)).await?.pop())
    }
}
