//! The contribution ledger: entries, their review, scholarship recipients (sealed), evidence files and
//! totals. Every query takes a [`LedgerScope`], so a record outside the caller's world is simply not found.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::api::{Contribution, ContributionTotal, EvidenceFile};
use domain::contributions::{
    AdmissionKind, ContributionKind, ContributionStatus, ExpoRole, ValidContribution,
};
use domain::evidence::EvidenceType;
use domain::money::Fen;
use domain::paging::PageRequest;
use domain::policy::{Principal, Scope};
use sqlx::QueryBuilder;

use crate::store::audit::record_audit;
use crate::store::{AuditEntry, Store, on_pool};

/// Inserts `$recipients` of entry `$id` on `$conn`, in chunks.
macro_rules! insert_recipients {
    ($conn:expr, $id:expr, $recipients:expr) => {
        for chunk in $recipients.chunks(200) {
            let mut insert = QueryBuilder::new(
                "INSERT INTO contribution_recipients (contribution_id, key_id, name_cipher, id_number_cipher,
                     name_masked, id_number_masked, id_hash, school, admission, amount_fen, year) ",
            );
            insert.push_values(chunk, |mut row, r| {
                row.push_bind($id)
                    .push_bind(&r.key_id)
                    .push_bind(&r.name_cipher)
                    .push_bind(&r.id_number_cipher)
                    .push_bind(&r.name_masked)
                    .push_bind(&r.id_number_masked)
                    .push_bind(&r.id_hash)
                    .push_bind(&r.school)
                    .push_bind(r.admission.as_str())
                    .push_bind(r.amount.as_i64())
                    .push_bind(r.year);
            });
            insert.build().execute($conn).await?;
        }
    };
}

/// Adds entry `$id` to the rollup (`$sign` = 1) or takes it out (`$sign` = -1), on `$conn`.
macro_rules! rollup_entry {
    ($conn:expr, $id:expr, $sign:expr) => {
        sqlx::query(
            "INSERT INTO contribution_rollup (division_code, city_code, year, kind, entries, amount_fen, people)
             SELECT division_code, city_code, year, kind, $2, $2 * amount_fen, $2 * COALESCE(people, 0)
             FROM contributions WHERE id = $1
             ON CONFLICT (division_code, year, kind) DO UPDATE SET
                 entries = contribution_rollup.entries + excluded.entries,
                 amount_fen = contribution_rollup.amount_fen + excluded.amount_fen,
                 people = contribution_rollup.people + excluded.people",
        )
        .bind($id)
        .bind($sign)
        .execute($conn)
        .await?
    };
}

/// Which entries a caller may see: one organization, the organizations registered under a division, or all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerScope {
    pub organization_id: Option<i64>,
    /// A `LIKE` pattern on the entry's division code (`3401%` for a city, the code itself for a county).
    pub division_pattern: Option<String>,
    /// Set when the scope grants nothing (an instructor).
    pub nothing: bool,
}

impl LedgerScope {
    pub fn of(principal: &Principal) -> Self {
        match &principal.scope {
            Scope::Province => Self::default(),
            Scope::Organization { id, .. } => Self {
                organization_id: Some(*id),
                ..Self::default()
            },
            Scope::Division { code, .. } => {
                let pattern = match code.level() {
                    domain::division::DivisionLevel::Province => format!("{}%", &code.as_str()[..2]),
                    domain::division::DivisionLevel::City => format!("{}%", &code.as_str()[..4]),
                    domain::division::DivisionLevel::County => code.as_str().to_owned(),
                };
                Self {
                    division_pattern: Some(pattern),
                    ..Self::default()
                }
            }
            Scope::Organizations { .. } => Self {
                nothing: true,
                ..Self::default()
            },
        }
    }
}

/// A filter on the list and the totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    pub organization_id: Option<i64>,
    pub kind: Option<ContributionKind>,
    pub status: Option<ContributionStatus>,
    pub year: Option<i32>,
    pub city_code: Option<String>,
    /// Only entries that count in the totals: verified and not superseded by a correction.
    pub counted: bool,
    /// Oldest submission first (the review queue) instead of newest entry first.
    pub oldest_first: bool,
}

/// The dimensions of a totals query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TotalsBy {
    pub kind: bool,
    pub year: bool,
    pub city: bool,
    pub organization: bool,
}

/// The grouping of a totals query over `c` (the ledger or its rollup, which name these columns alike): the
/// leading SELECT columns — each dimension, or NULL when not grouped by it — and the GROUP BY / ORDER BY.
fn totals_grouping(by: TotalsBy) -> (String, String) {
    let pick = |on: bool, expr: &'static str, null: &'static str| if on { expr } else { null };
    let kind = pick(by.kind, "c.kind", "CAST(NULL AS TEXT)");
    let year = pick(by.year, "c.year", "CAST(NULL AS INTEGER)");
    let city = pick(by.city, "c.city_code", "CAST(NULL AS TEXT)");
    let city_name = pick(
        by.city,
        "(SELECT d.name FROM divisions d WHERE d.code = c.city_code)",
        "CAST(NULL AS TEXT)",
    );
    let org = pick(by.organization, "c.organization_id", "CAST(NULL AS BIGINT)");
    let org_name = pick(
        by.organization,
        "(SELECT o.name FROM organizations o WHERE o.id = c.organization_id)",
        "CAST(NULL AS TEXT)",
    );
    let columns: Vec<&str> = [
        (by.kind, "c.kind"),
        (by.year, "c.year"),
        (by.city, "c.city_code"),
        (by.organization, "c.organization_id"),
    ]
    .into_iter()
    .filter_map(|(on, column)| on.then_some(column))
    .collect();
    let group = if columns.is_empty() {
        String::new()
    } else {
        format!("GROUP BY {0} ORDER BY {0}", columns.join(", "))
    };
    let select = format!(
        "{kind} AS kind, {year} AS year, {city} AS city_code, {city_name} AS city_name, \
         {org} AS organization_id, {org_name} AS organization_name"
    );
    (select, group)
}

/// A recipient ready to store: name and ID number sealed, masks and match digest computed.
#[derive(Debug, Clone)]
pub struct SealedRecipient {
    pub key_id: String,
    pub name_cipher: String,
    pub id_number_cipher: String,
    pub name_masked: String,
    pub id_number_masked: String,
    pub id_hash: String,
    pub school: String,
    pub admission: AdmissionKind,
    pub amount: Fen,
    pub year: i32,
}

/// A new entry: who reports it, where it counts, its content and (optionally) its idempotency key.
#[derive(Debug, Clone)]
pub struct NewContribution<'a> {
    pub organization_id: i64,
    pub division_code: &'a str,
    pub entry: &'a ValidContribution,
    pub recipients: &'a [SealedRecipient],
    pub status: ContributionStatus,
    pub idempotency_key: Option<&'a str>,
    /// A digest of the request that carried the key: a repeat with another body is refused.
    pub request_hash: Option<&'a str>,
    pub created_by: Option<i64>,
}

/// What `create_contribution` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// A new entry.
    New(i64),
    /// The entry first recorded with the same key and the same request.
    Repeat(i64),
    /// The key was first used with another request: nothing recorded.
    KeyReused,
}

/// An evidence file already written to disk, to record.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub contribution_id: i64,
    pub stored_name: &'a str,
    pub original_name: &'a str,
    pub file_type: EvidenceType,
    pub size_bytes: i64,
    pub uploaded_by: i64,
}

/// A stored recipient, still sealed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecipientRow {
    pub id: i64,
    pub contribution_id: i64,
    pub key_id: String,
    pub name_cipher: String,
    pub id_number_cipher: String,
    pub name_masked: String,
    pub id_number_masked: String,
    pub id_hash: String,
    pub school: String,
    pub admission: String,
    pub amount_fen: i64,
    pub year: i32,
}

/// A stored evidence file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub contribution_id: i64,
    pub stored_name: String,
    pub original_name: String,
    pub file_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

impl EvidenceRow {
    pub fn file_type(&self) -> EvidenceType {
        EvidenceType::from_content_type(&self.file_type).unwrap_or(EvidenceType::Pdf)
    }

    pub fn to_api(&self) -> EvidenceFile {
        EvidenceFile {
            id: self.id,
            file_type: self.file_type(),
            original_name: self.original_name.clone(),
            size_bytes: self.size_bytes,
            uploaded_at: self.uploaded_at,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct ContributionRow {
    id: i64,
    organization_id: i64,
    organization_name: String,
    division_code: String,
    kind: String,
    date: NaiveDate,
    amount_fen: i64,
    people: Option<i64>,
    expo_role: Option<String>,
    village_code: Option<String>,
    village_name: Option<String>,
    description: String,
    status: String,
    return_reason: Option<String>,
    corrects_id: Option<i64>,
    superseded_by: Option<i64>,
    recipient_count: i64,
    evidence_count: i64,
    created_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    reviewed_at: Option<DateTime<Utc>>,
}

impl From<ContributionRow> for Contribution {
    fn from(row: ContributionRow) -> Self {
        Contribution {
            id: row.id,
            organization_id: row.organization_id,
            organization_name: row.organization_name,
            division_code: row.division_code,
            // The columns have CHECK constraints on exactly these values.
            kind: ContributionKind::parse(&row.kind).unwrap_or(ContributionKind::Project),
            date: row.date,
            amount_fen: Fen::new(row.amount_fen),
            people: row.people.and_then(|p| u32::try_from(p).ok()),
            expo_role: row.expo_role.as_deref().and_then(ExpoRole::parse),
            village_code: row.village_code,
            village_name: row.village_name,
            description: row.description,
            status: ContributionStatus::parse(&row.status).unwrap_or(ContributionStatus::Draft),
            return_reason: row.return_reason,
            corrects_id: row.corrects_id,
            superseded_by: row.superseded_by,
            recipient_count: row.recipient_count as u32,
            evidence_count: row.evidence_count as u32,
            created_at: row.created_at,
            submitted_at: row.submitted_at,
            reviewed_at: row.reviewed_at,
            recipients: Vec::new(),
            evidence: Vec::new(),
        }
    }
}

const SELECT_CONTRIBUTION: &str =
    "SELECT c.id, c.organization_id, o.name AS organization_name, c.division_code,
        c.kind, c.date, c.amount_fen, c.people, c.expo_role, c.village_code, v.name AS village_name,
        c.description, c.status, c.return_reason, c.corrects_id, c.superseded_by,
        (SELECT COUNT(*) FROM contribution_recipients r WHERE r.contribution_id = c.id) AS recipient_count,
        (SELECT COUNT(*) FROM contribution_evidence e WHERE e.contribution_id = c.id) AS evidence_count,
        c.created_at, c.submitted_at, c.reviewed_at
    FROM contributions c
    JOIN organizations o ON o.id = c.organization_id
    LEFT JOIN villages v ON v.code = c.village_code";

/// The scope and filter conditions, binding `$1`–`$9` in this order (see [`bind_filter`]).
const LEDGER_WHERE: &str = "WHERE NOT $1
      AND ($2 IS NULL OR c.organization_id = $2)
      AND ($3 IS NULL OR c.division_code LIKE $3)
      AND ($4 IS NULL OR c.organization_id = $4)
      AND ($5 IS NULL OR c.kind = $5)
      AND ($6 IS NULL OR c.status = $6)
      AND ($7 IS NULL OR c.year = $7)
      AND ($8 IS NULL OR c.city_code = $8)
      AND (NOT $9 OR (c.status = 'verified' AND c.superseded_by IS NULL))";

/// Binds the nine parameters of [`LEDGER_WHERE`].
macro_rules! bind_filter {
    ($query:expr, $scope:expr, $filter:expr) => {
        $query
            .bind($scope.nothing)
            .bind($scope.organization_id)
            .bind($scope.division_pattern.as_deref())
            .bind($filter.organization_id)
            .bind($filter.kind.map(ContributionKind::as_str))
            .bind($filter.status.map(ContributionStatus::as_str))
            .bind($filter.year)
            .bind($filter.city_code.as_deref())
            .bind($filter.counted)
    };
}

/// Pushes the scope and filter conditions onto a `QueryBuilder`, only those that are set: a
/// `($1 IS NULL OR col = $1)` condition keeps SQLite from using an index, and the totals must.
macro_rules! push_ledger_where {
    ($qb:expr, $scope:expr, $filter:expr) => {{
        $qb.push(" WHERE 1 = 1");
        if $scope.nothing {
            $qb.push(" AND 1 = 0");
        }
        if let Some(id) = $scope.organization_id {
            $qb.push(" AND c.organization_id = ").push_bind(id);
        }
        if let Some(pattern) = &$scope.division_pattern {
            $qb.push(" AND c.division_code LIKE ").push_bind(pattern.clone());
        }
        if let Some(id) = $filter.organization_id {
            $qb.push(" AND c.organization_id = ").push_bind(id);
        }
        if let Some(kind) = $filter.kind {
            $qb.push(" AND c.kind = ").push_bind(kind.as_str());
        }
        if let Some(status) = $filter.status {
            $qb.push(" AND c.status = ").push_bind(status.as_str());
        }
        if let Some(year) = $filter.year {
            $qb.push(" AND c.year = ").push_bind(year);
        }
        if let Some(city) = &$filter.city_code {
            $qb.push(" AND c.city_code = ").push_bind(city.clone());
        }
        if $filter.counted {
            $qb.push(" AND c.status = 'verified' AND c.superseded_by IS NULL");
        }
    }};
}

/// The city an entry counts under: `3401xx` → `340100`; provincial organizations stay `340000`.
pub fn city_of(division_code: &str) -> String {
    match division_code.get(..4) {
        Some(prefix) if !division_code.ends_with("0000") => format!("{prefix}00"),
        _ => division_code.to_owned(),
    }
}

impl Store {
    /// Records a new entry with its recipients and audit row, in one transaction — or, when an entry of the
    /// same organization already carries `idempotency_key`, records nothing and returns that one.
    /// A key first used with another request (`request_hash`) records nothing either: `KeyReused`.
    pub async fn create_contribution<'a>(
        &self,
        new: &NewContribution<'_>,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<Created, sqlx::Error> {
        let now = Utc::now();
        let entry = new.entry;
        let city = city_of(new.division_code);
        let submitted_at = (new.status == ContributionStatus::Submitted).then_some(now);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO contributions (organization_id, division_code, city_code, kind, date, year, amount_fen,
                     people, expo_role, village_code, description, status, corrects_id, idempotency_key,
                     created_by, created_at, updated_at, submitted_at, request_hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18)
                 ON CONFLICT (organization_id, idempotency_key) DO NOTHING
                 RETURNING id",
            )
            .bind(new.organization_id)
            .bind(new.division_code)
            .bind(&city)
            .bind(entry.kind.as_str())
            .bind(entry.date)
            .bind(entry.year())
            .bind(entry.amount.as_i64())
            .bind(entry.people.map(i64::from))
            .bind(entry.expo_role.map(ExpoRole::as_str))
            .bind(entry.village_code.as_deref())
            .bind(&entry.description)
            .bind(new.status.as_str())
            .bind(entry.corrects_id)
            .bind(new.idempotency_key)
            .bind(new.created_by)
            .bind(now)
            .bind(submitted_at)
            .bind(new.request_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else {
                // The same key was used before (or by a request committed a moment ago): answer with that
                // entry — if it was the same request.
                let (id, first_hash): (i64, Option<String>) = sqlx::query_as(
                    "SELECT id, request_hash FROM contributions WHERE organization_id = $1 AND idempotency_key = $2",
                )
                .bind(new.organization_id)
                .bind(new.idempotency_key)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                return Ok(match (first_hash.as_deref(), new.request_hash) {
                    (Some(first), Some(now)) if first != now => Created::KeyReused,
                    _ => Created::Repeat(id),
                });
            };
            insert_recipients!(&mut *tx, id, new.recipients);
            record_audit!(&mut *tx, &audit(id))?;
            tx.commit().await?;
            Ok(Created::New(id))
        })
    }

    /// Replaces the content of a draft or returned entry (and, with `submit`, sends it for review), unless it
    /// changed status meanwhile: `Ok(false)` then.
    pub async fn update_contribution(
        &self,
        id: i64,
        entry: &ValidContribution,
        recipients: &[SealedRecipient],
        status: ContributionStatus,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        let submitted_at = (status == ContributionStatus::Submitted).then_some(now);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE contributions SET kind = $2, date = $3, year = $4, amount_fen = $5, people = $6,
                     expo_role = $7, village_code = $8, description = $9, status = $10, updated_at = $11,
                     submitted_at = COALESCE($12, submitted_at), return_reason = CASE WHEN $10 = 'submitted' THEN NULL ELSE return_reason END
                 WHERE id = $1 AND status IN ('draft', 'returned')",
            )
            .bind(id)
            .bind(entry.kind.as_str())
            .bind(entry.date)
            .bind(entry.year())
            .bind(entry.amount.as_i64())
            .bind(entry.people.map(i64::from))
            .bind(entry.expo_role.map(ExpoRole::as_str))
            .bind(entry.village_code.as_deref())
            .bind(&entry.description)
            .bind(status.as_str())
            .bind(now)
            .bind(submitted_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM contribution_recipients WHERE contribution_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            insert_recipients!(&mut *tx, id, recipients);
            record_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Moves an entry from `from` to `to` (submit, verify, return), with the reason and reviewer where they
    /// apply; verifying a correction takes the entry it corrects out of the totals. `Ok(false)` when the
    /// entry is no longer in `from`.
    pub async fn change_contribution_status(
        &self,
        id: i64,
        from: ContributionStatus,
        to: ContributionStatus,
        reason: Option<&str>,
        reviewer: Option<i64>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE contributions SET status = $3, updated_at = $4,
                     return_reason = CASE WHEN $3 = 'returned' THEN $5 ELSE NULL END,
                     submitted_at = CASE WHEN $3 = 'submitted' THEN $4 ELSE submitted_at END,
                     reviewed_at = CASE WHEN $3 IN ('verified', 'returned') THEN $4 ELSE reviewed_at END,
                     reviewed_by = CASE WHEN $3 IN ('verified', 'returned') THEN $6 ELSE reviewed_by END
                 WHERE id = $1 AND status = $2",
            )
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(now)
            .bind(reason)
            .bind(reviewer)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            if to == ContributionStatus::Verified {
                // It counts from now on; the verified entry it corrects (if any) stops counting.
                rollup_entry!(&mut *tx, id, 1i64);
                let corrects: Option<(i64,)> = sqlx::query_as(
                    "UPDATE contributions SET superseded_by = $1
                     WHERE id = (SELECT corrects_id FROM contributions WHERE id = $1) AND superseded_by IS NULL
                       AND status = 'verified'
                     RETURNING id",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((original,)) = corrects {
                    rollup_entry!(&mut *tx, original, -1i64);
                }
            }
            record_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// One entry, if it is in `scope`.
    pub async fn find_contribution(
        &self,
        id: i64,
        scope: &LedgerScope,
    ) -> Result<Option<Contribution>, sqlx::Error> {
        let sql = format!("{SELECT_CONTRIBUTION} {LEDGER_WHERE} AND c.id = $10");
        let filter = LedgerFilter::default();
        let row: Option<ContributionRow> = on_pool!(self, pool => {
            bind_filter!(sqlx::query_as(&sql), scope, filter).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(Contribution::from))
    }

    /// Entries in `scope` that pass `filter`, a page of them, and how many pass in all.
    pub async fn list_contributions(
        &self,
        scope: &LedgerScope,
        filter: &LedgerFilter,
        page: PageRequest,
    ) -> Result<(Vec<Contribution>, u64), sqlx::Error> {
        self.contribution_rows(scope, filter, page.limit(), page.offset())
            .await
    }

    /// Up to `limit` entries for an export, and how many pass in all.
    pub async fn export_contributions(
        &self,
        scope: &LedgerScope,
        filter: &LedgerFilter,
        limit: i64,
    ) -> Result<(Vec<Contribution>, u64), sqlx::Error> {
        self.contribution_rows(scope, filter, limit, 0).await
    }

    async fn contribution_rows(
        &self,
        scope: &LedgerScope,
        filter: &LedgerFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Contribution>, u64), sqlx::Error> {
        let order = if filter.oldest_first {
            "c.submitted_at ASC, c.id ASC"
        } else {
            "c.date DESC, c.id DESC"
        };
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_CONTRIBUTION);
            push_ledger_where!(list, scope, filter);
            list.push(format_args!(" ORDER BY {order} LIMIT ")).push_bind(limit).push(" OFFSET ").push_bind(offset);
            let rows: Vec<ContributionRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM contributions c");
            push_ledger_where!(count, scope, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows.into_iter().map(Contribution::from).collect(), total as u64))
        })
    }

    /// Verified, not superseded entries in `scope`, summed by the dimensions of `by`: from the rollup
    /// when no organization is involved (province, city and county totals), otherwise from the ledger
    /// through its organization index.
    pub async fn contribution_totals(
        &self,
        scope: &LedgerScope,
        filter: &LedgerFilter,
        by: TotalsBy,
    ) -> Result<Vec<ContributionTotal>, sqlx::Error> {
        if scope.organization_id.is_none() && filter.organization_id.is_none() && !by.organization {
            self.rollup_totals(scope, filter, by).await
        } else {
            self.ledger_totals(scope, filter, by).await
        }
    }

    /// As [`Store::contribution_totals`] for totals without an organization, read from the rollup.
    pub async fn rollup_totals(
        &self,
        scope: &LedgerScope,
        filter: &LedgerFilter,
        by: TotalsBy,
    ) -> Result<Vec<ContributionTotal>, sqlx::Error> {
        // The rollup has no organization column: totals by organization sum the ledger.
        let (grouped, group) = totals_grouping(TotalsBy {
            organization: false,
            ..by
        });
        let select = format!(
            "SELECT {grouped}, CAST(COALESCE(SUM(c.entries), 0) AS BIGINT) AS entries,
                    CAST(COALESCE(SUM(c.amount_fen), 0) AS BIGINT) AS amount_fen,
                    CAST(COALESCE(SUM(c.people), 0) AS BIGINT) AS people
             FROM contribution_rollup c WHERE 1 = 1"
        );
        let rows: Vec<TotalRow> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(select.as_str());
            if scope.nothing {
                query.push(" AND 1 = 0");
            }
            if let Some(pattern) = &scope.division_pattern {
                query.push(" AND c.division_code LIKE ").push_bind(pattern.clone());
            }
            if let Some(kind) = filter.kind {
                query.push(" AND c.kind = ").push_bind(kind.as_str());
            }
            if let Some(year) = filter.year {
                query.push(" AND c.year = ").push_bind(year);
            }
            if let Some(city) = &filter.city_code {
                query.push(" AND c.city_code = ").push_bind(city.clone());
            }
            query.push(" ").push(group.as_str());
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(totals_from(rows))
    }

    /// As [`Store::contribution_totals`], summing the ledger itself (the rollup's check in the tests).
    pub async fn ledger_totals(
        &self,
        scope: &LedgerScope,
        filter: &LedgerFilter,
        by: TotalsBy,
    ) -> Result<Vec<ContributionTotal>, sqlx::Error> {
        let (grouped, group) = totals_grouping(by);
        let counted = LedgerFilter {
            counted: true,
            ..filter.clone()
        };
        let select = format!(
            "SELECT {grouped}, COUNT(*) AS entries,
                    CAST(COALESCE(SUM(c.amount_fen), 0) AS BIGINT) AS amount_fen,
                    CAST(COALESCE(SUM(c.people), 0) AS BIGINT) AS people
             FROM contributions c"
        );
        let rows: Vec<TotalRow> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(select.as_str());
            push_ledger_where!(query, scope, counted);
            query.push(" ").push(group.as_str());
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(totals_from(rows))
    }

    /// The recipients of the entries `ids`, in entry and entry order.
    pub async fn contribution_recipients(&self, ids: &[i64]) -> Result<Vec<RecipientRow>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new("SELECT * FROM contribution_recipients WHERE contribution_id IN (");
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            query.push(") ORDER BY contribution_id, id");
            query.build_query_as().fetch_all(pool).await
        })
    }

    /// Of the recipients of entry `id`, those whose child is also funded in the same year by another
    /// organization's entry (submitted or verified).
    pub async fn recipients_funded_elsewhere(&self, id: i64) -> Result<Vec<i64>, sqlx::Error> {
        let rows: Vec<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT DISTINCT r.id FROM contribution_recipients r
                 JOIN contributions c ON c.id = r.contribution_id
                 JOIN contribution_recipients r2 ON r2.year = r.year AND r2.id_hash = r.id_hash AND r2.id <> r.id
                 JOIN contributions c2 ON c2.id = r2.contribution_id
                 WHERE r.contribution_id = $1 AND c2.organization_id <> c.organization_id
                   AND c2.status IN ('submitted', 'verified') AND c2.superseded_by IS NULL",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Recipients (across the province) whose child is funded by more than one organization in a year:
    /// (recipient row, organization id, organization name), grouped by year and match digest.
    pub async fn duplicate_recipients(
        &self,
        year: Option<i32>,
    ) -> Result<Vec<(RecipientRow, i64, String)>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            recipient: RecipientRow,
            organization_id: i64,
            organization_name: String,
        }
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT r.*, c.organization_id, o.name AS organization_name
                 FROM contribution_recipients r
                 JOIN contributions c ON c.id = r.contribution_id
                 JOIN organizations o ON o.id = c.organization_id
                 WHERE c.status IN ('submitted', 'verified') AND c.superseded_by IS NULL
                   AND ($1 IS NULL OR r.year = $1)
                   AND (r.year, r.id_hash) IN (
                       SELECT r3.year, r3.id_hash FROM contribution_recipients r3
                       JOIN contributions c3 ON c3.id = r3.contribution_id
                       WHERE c3.status IN ('submitted', 'verified') AND c3.superseded_by IS NULL
                         AND ($1 IS NULL OR r3.year = $1)
                       GROUP BY r3.year, r3.id_hash HAVING COUNT(DISTINCT c3.organization_id) > 1)
                 ORDER BY r.year DESC, r.id_hash, r.id",
            )
            .bind(year)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| (r.recipient, r.organization_id, r.organization_name))
            .collect())
    }

    /// Records an evidence file (already written to disk) with its audit row.
    pub async fn add_evidence(
        &self,
        file: &NewEvidence<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO contribution_evidence
                     (contribution_id, stored_name, original_name, file_type, size_bytes, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(file.contribution_id)
            .bind(file.stored_name)
            .bind(file.original_name)
            .bind(file.file_type.content_type())
            .bind(file.size_bytes)
            .bind(file.uploaded_by)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            record_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The evidence files of an entry.
    pub async fn contribution_evidence(&self, contribution_id: i64) -> Result<Vec<EvidenceRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM contribution_evidence WHERE contribution_id = $1 ORDER BY id")
                .bind(contribution_id)
                .fetch_all(pool)
                .await
        })
    }

    /// The organization's registering division, if it exists.
    pub async fn organization_division(&self, id: i64) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT division_code FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(code,)| code))
    }

    pub async fn village_exists(&self, code: &str) -> Result<bool, sqlx::Error> {
        let row: Option<(String,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT code FROM villages WHERE code = $1").bind(code).fetch_optional(pool).await?
        });
        Ok(row.is_some())
    }
}

#[derive(Debug, sqlx::FromRow)]
struct TotalRow {
    kind: Option<String>,
    year: Option<i32>,
    city_code: Option<String>,
    city_name: Option<String>,
    organization_id: Option<i64>,
    organization_name: Option<String>,
    entries: i64,
    amount_fen: i64,
    people: i64,
}

/// A generated entry for the demo data set and benchmarks: already valid, verified unless said otherwise.
#[derive(Debug, Clone)]
pub struct SeedContribution {
    pub organization_id: i64,
    pub division_code: String,
    pub kind: ContributionKind,
    pub date: NaiveDate,
    pub amount: Fen,
    pub people: Option<i64>,
    pub expo_role: Option<ExpoRole>,
    pub status: ContributionStatus,
    pub description: String,
    pub seed_key: String,
    pub recipients: Vec<SealedRecipient>,
}

impl Store {
    /// Whether any generated entry is stored (so the demo load runs once).
    pub async fn has_seed_contributions(&self) -> Result<bool, sqlx::Error> {
        let row: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id FROM contributions WHERE idempotency_key LIKE 'seed-%' LIMIT 1")
                .fetch_optional(pool)
                .await?
        });
        Ok(row.is_some())
    }

    /// The ids and divisions of every organization, for generators.
    pub async fn organization_divisions(&self) -> Result<Vec<(i64, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT id, division_code FROM organizations ORDER BY id").fetch_all(pool).await
        })
    }

    /// Bulk-inserts generated entries, their recipients and their share of the rollup in one transaction,
    /// as multi-row inserts of 1,000 entries. Each entry's `seed_key` becomes its idempotency key, which
    /// maps the returned ids back to the entries.
    pub async fn insert_seed_contributions(&self, entries: &[SeedContribution]) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in entries.chunks(1000) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO contributions (organization_id, division_code, city_code, kind, date, year, amount_fen,
                         people, expo_role, description, status, idempotency_key, created_at, updated_at,
                         submitted_at, reviewed_at) ",
                );
                insert.push_values(chunk, |mut row, e| {
                    let reviewed = matches!(e.status, ContributionStatus::Verified | ContributionStatus::Returned);
                    row.push_bind(e.organization_id)
                        .push_bind(&e.division_code)
                        .push_bind(city_of(&e.division_code))
                        .push_bind(e.kind.as_str())
                        .push_bind(e.date)
                        .push_bind(e.date.year())
                        .push_bind(e.amount.as_i64())
                        .push_bind(e.people)
                        .push_bind(e.expo_role.map(ExpoRole::as_str))
                        .push_bind(&e.description)
                        .push_bind(e.status.as_str())
                        .push_bind(&e.seed_key)
                        .push_bind(now)
                        .push_bind(now)
                        .push_bind((e.status != ContributionStatus::Draft).then_some(now))
                        .push_bind(reviewed.then_some(now));
                });
                insert.push(" RETURNING id, idempotency_key");
                let ids: Vec<(i64, String)> = insert.build_query_as().fetch_all(&mut *tx).await?;
                let by_key: std::collections::HashMap<&str, i64> =
                    ids.iter().map(|(id, key)| (key.as_str(), *id)).collect();
                for e in chunk.iter().filter(|e| !e.recipients.is_empty()) {
                    let id = by_key[e.seed_key.as_str()];
                    insert_recipients!(&mut *tx, id, e.recipients);
                }
                let rollup = seed_rollup(chunk);
                if !rollup.is_empty() {
                    let mut upsert = QueryBuilder::new(
                        "INSERT INTO contribution_rollup (division_code, city_code, year, kind, entries, amount_fen,
                             people) ",
                    );
                    upsert.push_values(&rollup, |mut row, ((division, year, kind), (entries, amount, people))| {
                        row.push_bind(division.as_str())
                            .push_bind(city_of(division))
                            .push_bind(*year)
                            .push_bind(kind.as_str())
                            .push_bind(*entries)
                            .push_bind(*amount)
                            .push_bind(*people);
                    });
                    upsert.push(
                        " ON CONFLICT (division_code, year, kind) DO UPDATE SET
                             entries = contribution_rollup.entries + excluded.entries,
                             amount_fen = contribution_rollup.amount_fen + excluded.amount_fen,
                             people = contribution_rollup.people + excluded.people",
                    );
                    upsert.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}

/// A recipient's name and ID number sealed again under the current key (`sheguan keys reseal`).
#[derive(Debug, Clone)]
pub struct ResealedRecipient {
    pub id: i64,
    /// The key it was sealed under: the row is only changed if it still is.
    pub old_key_id: String,
    pub key_id: String,
    pub name_cipher: String,
    pub id_number_cipher: String,
}

impl Store {
    /// Up to `limit` recipients sealed under another key than `current`, with ids above `after`, in id order.
    pub async fn recipients_sealed_under_other_keys(
        &self,
        current: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<RecipientRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT * FROM contribution_recipients WHERE key_id <> $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(current)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await
        })
    }

    /// Stores re-sealed recipients and one audit row for them, in one transaction. Returns how many rows
    /// changed (a row re-sealed meanwhile by someone else is left alone).
    pub async fn reseal_recipients(
        &self,
        rows: &[ResealedRecipient],
        audit: &AuditEntry<'_>,
    ) -> Result<u64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut changed = 0;
            for row in rows {
                changed += sqlx::query(
                    "UPDATE contribution_recipients SET key_id = $2, name_cipher = $3, id_number_cipher = $4
                     WHERE id = $1 AND key_id = $5",
                )
                .bind(row.id)
                .bind(&row.key_id)
                .bind(&row.name_cipher)
                .bind(&row.id_number_cipher)
                .bind(&row.old_key_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            record_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(changed)
        })
    }
}

/// The verified entries of a seed batch summed by division, year and kind: (entries, amount, people).
#[allow(clippy::type_complexity)]
fn seed_rollup(entries: &[SeedContribution]) -> Vec<((String, i32, ContributionKind), (i64, i64, i64))> {
    let mut sums: std::collections::BTreeMap<(String, i32, ContributionKind), (i64, i64, i64)> =
        std::collections::BTreeMap::new();
    for e in entries
        .iter()
        .filter(|e| e.status == ContributionStatus::Verified)
    {
        let sum = sums
            .entry((e.division_code.clone(), e.date.year(), e.kind))
            .or_default();
        sum.0 += 1;
        sum.1 += e.amount.as_i64();
        sum.2 += e.people.unwrap_or(0);
    }
    sums.into_iter().collect()
}

impl Store {
    /// Refreshes the planner's statistics after a bulk load.
    pub async fn analyze(&self) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => sqlx::query("ANALYZE").execute(pool).await.map(|_| ()))
    }
}

/// The groups that have entries, as the API gives them.
fn totals_from(rows: Vec<TotalRow>) -> Vec<ContributionTotal> {
    rows.into_iter()
        .filter(|r| r.entries > 0)
        .map(|r| ContributionTotal {
            kind: r.kind.as_deref().and_then(ContributionKind::parse),
            year: r.year,
            city_code: r.city_code,
            city_name: r.city_name,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            entries: r.entries,
            amount_fen: Fen::new(r.amount_fen),
            people: r.people,
        })
        .collect()
}
