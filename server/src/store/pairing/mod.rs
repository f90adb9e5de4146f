//! 百社进百村: rounds, their societies and villages' needs, pins and forbids, runs and agreements.
//! Every write is one transaction with its audit row.

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{Agreement, RoundCounty, RoundRules, RoundSociety, RoundVillage};
use domain::pairing::Weights;
use domain::pairing::round::{AgreementStatus, PriorityClass, RoundStatus, village_position};

use crate::store::audit::record_audit;
use crate::store::{AuditEntry, Store, on_pool};

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

/// A village, with whether its county is in a round.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VillageInRound {
    pub code: String,
    pub kind: String,
    pub county_code: String,
    pub in_round: i64,
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

/// A filter on a round's villages.
#[derive(Debug, Clone, Default)]
pub struct RoundVillageFilter {
    pub county: Option<String>,
    /// A division-code prefix the caller's scope allows (`3401` for 合肥), or none for the province.
    pub scope_prefix: Option<String>,
    pub recorded_only: bool,
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

const ROUND_VILLAGES: &str = "FROM villages v
    JOIN pairing_round_counties c ON c.county_code = v.county_code AND c.round_id = $1
    JOIN divisions d ON d.code = v.county_code
    LEFT JOIN pairing_village_needs n ON n.round_id = $1 AND n.village_code = v.code
    WHERE v.kind = 'village' AND ($2 IS NULL OR v.county_code = $2) AND ($3 IS NULL OR v.county_code LIKE $3)
      AND ($4 = 0 OR n.needs IS NOT NULL)";

/// A run as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRecord {
    pub id: i64,
    pub round_id: i64,
    pub run_by: String,
    pub run_at: DateTime<Utc>,
    pub input_summary: String,
    pub instance: String,
    pub plan: String,
    pub priority_villages_covered: i64,
    pub villages_covered: i64,
    pub total_score: i64,
}

/// A new run to store.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub run_by: String,
    pub input_summary: String,
    pub instance: String,
    pub plan: String,
    pub objective: domain::pairing::Objective,
}

/// Which agreements to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub organization_id: Option<i64>,
    pub village_code: Option<String>,
    pub round_id: Option<i64>,
    pub id: Option<i64>,
}

#[derive(Debug, sqlx::FromRow)]
struct AgreementRow {
    id: i64,
    round_id: i64,
    round_name: String,
    organization_id: i64,
    organization_name: String,
    village_code: String,
    village_name: String,
    county_name: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    status: String,
    concluded_by: Option<String>,
    concluded_on: Option<NaiveDate>,
    conclusion_reason: Option<String>,
    county_code: String,
}

/// An agreement and the county its village lies in (for scope checks).
#[derive(Debug, Clone)]
pub struct AgreementRecord {
    pub agreement: Agreement,
    pub county_code: String,
}

impl From<AgreementRow> for AgreementRecord {
    fn from(row: AgreementRow) -> Self {
        AgreementRecord {
            county_code: row.county_code,
            agreement: Agreement {
                id: row.id,
                round_id: row.round_id,
                round_name: row.round_name,
                organization_id: row.organization_id,
                organization_name: row.organization_name,
                village_code: row.village_code,
                village_name: row.village_name,
                county_name: row.county_name,
                start_date: row.start_date,
                end_date: row.end_date,
                status: AgreementStatus::parse(&row.status).unwrap_or(AgreementStatus::Active),
                concluded_by: row.concluded_by,
                concluded_on: row.concluded_on,
                conclusion_reason: row.conclusion_reason,
            },
        }
    }
}

impl Store {
    /// Opens a round over `counties`, with its audit row.
    pub async fn open_round<'a>(
        &self,
        new: &NewRound,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
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
            record_audit!(&mut *tx, &audit(id))?;
            tx.commit().await?;
            Ok(id)
        })
    }

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
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
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
            record_audit!(&mut *tx, audit)?;
            tx.commit().await
        })
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

    /// A page of the villages (kind `village`) in a round's counties, with their needs if recorded.
    pub async fn round_villages(
        &self,
        round_id: i64,
        filter: &RoundVillageFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<RoundVillage>, u64), sqlx::Error> {
        let list_sql = format!(
            "SELECT v.code, v.name, v.township_name, v.county_code, d.name AS county_name, n.needs, n.priority_class,
                    d.longitude AS county_lon, d.latitude AS county_lat
             {ROUND_VILLAGES} ORDER BY v.code LIMIT $5 OFFSET $6"
        );
        let count_sql = format!("SELECT COUNT(*) {ROUND_VILLAGES}");
        let prefix = filter.scope_prefix.as_ref().map(|p| format!("{p}%"));
        let recorded = i64::from(filter.recorded_only);
        on_pool!(self, pool => {
            let rows: Vec<VillageRow> = sqlx::query_as(&list_sql)
                .bind(round_id)
                .bind(filter.county.as_deref())
                .bind(prefix.as_deref())
                .bind(recorded)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(&count_sql)
                .bind(round_id)
                .bind(filter.county.as_deref())
                .bind(prefix.as_deref())
                .bind(recorded)
                .fetch_one(pool)
                .await?;
            Ok((rows.into_iter().map(RoundVillage::from).collect(), total as u64))
        })
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
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO pairing_village_needs (round_id, village_code, needs, priority_class, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (round_id, village_code) DO UPDATE SET needs = excluded.needs,
                    priority_class = excluded.priority_class, updated_at = excluded.updated_at",
            )
            .bind(round_id)
            .bind(village_code)
            .bind(&needs)
            .bind(priority.map(PriorityClass::as_str))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            record_audit!(&mut *tx, audit)?;
            tx.commit().await
        })
    }

    /// Pins or forbids a pair (`kind` `pin`/`forbid`), or lifts it (`None`), with the audit row.
    pub async fn set_constraint(
        &self,
        round_id: i64,
        organization_id: i64,
        village_code: &str,
        kind: Option<&str>,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            match kind {
                Some(kind) => sqlx::query(
                    "INSERT INTO pairing_constraints (round_id, organization_id, village_code, kind) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (round_id, organization_id, village_code) DO UPDATE SET kind = excluded.kind",
                )
                .bind(round_id)
                .bind(organization_id)
                .bind(village_code)
                .bind(kind)
                .execute(&mut *tx)
                .await?,
                None => sqlx::query(
                    "DELETE FROM pairing_constraints WHERE round_id = $1 AND organization_id = $2 AND village_code = $3",
                )
                .bind(round_id)
                .bind(organization_id)
                .bind(village_code)
                .execute(&mut *tx)
                .await?,
            };
            record_audit!(&mut *tx, audit)?;
            tx.commit().await
        })
    }

    /// A round's pins and forbids as (organization, village, kind), in a stable order.
    pub async fn round_constraints(&self, round_id: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT organization_id, village_code, kind FROM pairing_constraints WHERE round_id = $1
                 ORDER BY organization_id, village_code",
            )
            .bind(round_id)
            .fetch_all(pool)
            .await
        })
    }

    /// Stores a run of the engine with its audit row.
    pub async fn record_run<'a>(
        &self,
        round_id: i64,
        run: &NewRun,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO pairing_runs (round_id, run_by, run_at, input_summary, instance, plan,
                                           priority_villages_covered, villages_covered, total_score)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(round_id)
            .bind(&run.run_by)
            .bind(now)
            .bind(&run.input_summary)
            .bind(&run.instance)
            .bind(&run.plan)
            .bind(run.objective.priority_villages_covered as i64)
            .bind(run.objective.villages_covered as i64)
            .bind(run.objective.total_score)
            .fetch_one(&mut *tx)
            .await?;
            record_audit!(&mut *tx, &audit(id))?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A round's runs, newest first.
    pub async fn list_runs(&self, round_id: i64) -> Result<Vec<RunRecord>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM pairing_runs WHERE round_id = $1 ORDER BY id DESC")
                .bind(round_id)
                .fetch_all(pool)
                .await
        })
    }

    pub async fn find_run(&self, round_id: i64, run_id: i64) -> Result<Option<RunRecord>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM pairing_runs WHERE round_id = $1 AND id = $2")
                .bind(round_id)
                .bind(run_id)
                .fetch_optional(pool)
                .await
        })
    }

    /// The run of the same round just before `run_id`.
    pub async fn previous_run(&self, round_id: i64, run_id: i64) -> Result<Option<RunRecord>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM pairing_runs WHERE round_id = $1 AND id < $2 ORDER BY id DESC LIMIT 1")
                .bind(round_id)
                .bind(run_id)
                .fetch_optional(pool)
                .await
        })
    }

    /// Confirms a run: the round is closed and each pair becomes an active agreement, all with the audit row.
    /// `false` if the round was no longer open (nothing is written).
    #[allow(clippy::too_many_arguments)]
    pub async fn confirm_run(
        &self,
        round_id: i64,
        run_id: i64,
        pairs: &[(i64, String)],
        term: (NaiveDate, NaiveDate),
        confirmed_by: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let closed = sqlx::query("UPDATE pairing_rounds SET status = 'confirmed' WHERE id = $1 AND status = 'open'")
                .bind(round_id)
                .execute(&mut *tx)
                .await?;
            if closed.rows_affected() == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            for (organization_id, village_code) in pairs {
                sqlx::query(
                    "INSERT INTO pairing_agreements (round_id, run_id, organization_id, village_code, start_date, end_date,
                                                     status, confirmed_by, confirmed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8)",
                )
                .bind(round_id)
                .bind(run_id)
                .bind(organization_id)
                .bind(village_code)
                .bind(term.0)
                .bind(term.1)
                .bind(confirmed_by)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            record_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Agreements matching `filter`, in id order.
    pub async fn list_agreements(
        &self,
        filter: &AgreementFilter,
    ) -> Result<Vec<AgreementRecord>, sqlx::Error> {
        let rows: Vec<AgreementRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT a.id, a.round_id, r.name AS round_name, a.organization_id, o.name AS organization_name,
                        a.village_code, v.name AS village_name, d.name AS county_name, a.start_date, a.end_date,
                        a.status, a.concluded_by, a.concluded_on, a.conclusion_reason, v.county_code
                 FROM pairing_agreements a
                 JOIN pairing_rounds r ON r.id = a.round_id
                 JOIN organizations o ON o.id = a.organization_id
                 JOIN villages v ON v.code = a.village_code
                 JOIN divisions d ON d.code = v.county_code
                 WHERE ($1 IS NULL OR a.organization_id = $1) AND ($2 IS NULL OR a.village_code = $2)
                   AND ($3 IS NULL OR a.round_id = $3) AND ($4 IS NULL OR a.id = $4)
                 ORDER BY a.id",
            )
            .bind(filter.organization_id)
            .bind(filter.village_code.as_deref())
            .bind(filter.round_id)
            .bind(filter.id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(AgreementRecord::from).collect())
    }

    /// Concludes an active agreement on `concluded_on` for `reason`, with the audit row; `false` if it was
    /// not active (nothing is written).
    pub async fn conclude_agreement(
        &self,
        id: i64,
        concluded_by: &str,
        concluded_on: NaiveDate,
        reason: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE pairing_agreements SET status = 'concluded', concluded_by = $2, concluded_at = $3,
                        concluded_on = $4, conclusion_reason = $5
                 WHERE id = $1 AND status = 'active'",
            )
            .bind(id)
            .bind(concluded_by)
            .bind(now)
            .bind(concluded_on)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            record_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(true)
        })
    }
}
