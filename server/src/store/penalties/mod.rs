//! Administrative penalty cases' store: cases and their steps (here) and the decision, which is numbered
//! and changes the registry and the credit lists in its own transaction (`decisions.rs`). Cases belong to
//! registered organizations; scope applies to the organization and its registering division.

mod decisions;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{PenaltyCase, PenaltyDecision, PenaltyStep};
use domain::money::Fen;
use domain::paging::PageRequest;
use domain::penalties::{PenaltyKind, PenaltyStage, PenaltyState};
use sqlx::QueryBuilder;

use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A case ready to store.
#[derive(Debug, Clone)]
pub struct NewPenalty {
    pub organization_id: i64,
    pub division_code: String,
    pub filed_on: NaiveDate,
    pub facts: String,
    pub evidence: String,
    pub rule_broken: String,
    pub petition_id: Option<i64>,
    pub recorded_by: String,
}

/// A validated case list filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PenaltyFilter {
    pub stage: Option<PenaltyStage>,
    pub division_prefix: Option<String>,
    pub organization_id: Option<i64>,
    pub year: Option<i32>,
    pub petition_id: Option<i64>,
}

/// What a step before the decision writes (unset fields keep their value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PenaltyUpdate {
    pub notified_on: Option<NaiveDate>,
    pub proposed: Option<String>,
    pub notice: Option<String>,
    pub statement_on: Option<NaiveDate>,
    pub statement: Option<String>,
    pub hearing_requested_on: Option<NaiveDate>,
    pub hearing_held_on: Option<NaiveDate>,
    pub hearing_record: Option<String>,
    pub drop_reason: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

impl From<&PenaltyStep> for PenaltyUpdate {
    /// What a step before the decision writes (decisions go through `Store::decide_penalty`).
    fn from(step: &PenaltyStep) -> Self {
        let text = |t: &str| Some(t.trim().to_owned());
        match step {
            PenaltyStep::Notify {
                on,
                proposed,
                content,
            } => PenaltyUpdate {
                notified_on: Some(*on),
                proposed: Some(join_kinds(proposed)),
                notice: text(content),
                ..PenaltyUpdate::default()
            },
            PenaltyStep::Statement { on, opinion } => PenaltyUpdate {
                statement_on: Some(*on),
                statement: text(opinion),
                ..PenaltyUpdate::default()
            },
            PenaltyStep::RequestHearing { on } => PenaltyUpdate {
                hearing_requested_on: Some(*on),
                ..PenaltyUpdate::default()
            },
            PenaltyStep::HoldHearing { on, record } => PenaltyUpdate {
                hearing_held_on: Some(*on),
                hearing_record: text(record),
                ..PenaltyUpdate::default()
            },
            PenaltyStep::Drop { on, reason } => PenaltyUpdate {
                drop_reason: text(reason),
                closed_on: Some(*on),
                ..PenaltyUpdate::default()
            },
            PenaltyStep::Decide(_) => PenaltyUpdate::default(),
        }
    }
}

const SELECT_PENALTY: &str = "SELECT p.*, o.name AS organization_name, o.credit_code
    FROM penalty_cases p JOIN organizations o ON o.id = p.organization_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PenaltyRow {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub credit_code: String,
    pub division_code: String,
    stage: String,
    filed_on: NaiveDate,
    facts: String,
    evidence: String,
    rule_broken: String,
    petition_id: Option<i64>,
    notified_on: Option<NaiveDate>,
    proposed: String,
    notice: Option<String>,
    statement_on: Option<NaiveDate>,
    statement: Option<String>,
    hearing_requested_on: Option<NaiveDate>,
    hearing_held_on: Option<NaiveDate>,
    hearing_record: Option<String>,
    decided_on: Option<NaiveDate>,
    kinds: String,
    fine_fen: Option<i64>,
    confiscated_fen: Option<i64>,
    suspend_until: Option<NaiveDate>,
    decision_content: Option<String>,
    document_number: Option<String>,
    drop_reason: Option<String>,
    closed_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// Comma-joined kind keys, as stored.
pub(crate) fn join_kinds(kinds: &[PenaltyKind]) -> String {
    kinds.iter().map(|k| k.key()).collect::<Vec<_>>().join(",")
}

pub(crate) fn split_kinds(raw: &str) -> Vec<PenaltyKind> {
    raw.split(',').filter_map(PenaltyKind::parse).collect()
}

impl PenaltyRow {
    // The column has a CHECK constraint on exactly these values.
    pub fn stage(&self) -> PenaltyStage {
        PenaltyStage::parse(&self.stage).unwrap_or(PenaltyStage::Filed)
    }

    /// The case as the domain's step rules read it.
    pub fn state(&self) -> PenaltyState {
        PenaltyState {
            stage: self.stage(),
            filed_on: self.filed_on,
            notified_on: self.notified_on,
            hearing_requested_on: self.hearing_requested_on,
            hearing_held_on: self.hearing_held_on,
        }
    }

    pub fn to_api(&self) -> PenaltyCase {
        let decision = match (&self.document_number, self.decided_on) {
            (Some(number), Some(decided_on)) => Some(PenaltyDecision {
                document_number: number.clone(),
                decided_on,
                kinds: split_kinds(&self.kinds),
                fine_fen: self.fine_fen.map(Fen::new),
                confiscated_fen: self.confiscated_fen.map(Fen::new),
                suspend_until: self.suspend_until,
                content: self.decision_content.clone().unwrap_or_default(),
            }),
            _ => None,
        };
        PenaltyCase {
            id: self.id,
            organization_id: self.organization_id,
            organization_name: self.organization_name.clone(),
            credit_code: self.credit_code.clone(),
            division_code: self.division_code.clone(),
            stage: self.stage(),
            filed_on: self.filed_on,
            facts: self.facts.clone(),
            evidence: self.evidence.clone(),
            rule_broken: self.rule_broken.clone(),
            petition_id: self.petition_id,
            notified_on: self.notified_on,
            proposed: split_kinds(&self.proposed),
            notice: self.notice.clone(),
            statement_on: self.statement_on,
            statement: self.statement.clone(),
            hearing_requested_on: self.hearing_requested_on,
            hearing_held_on: self.hearing_held_on,
            hearing_record: self.hearing_record.clone(),
            decision,
            drop_reason: self.drop_reason.clone(),
            closed_on: self.closed_on,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

macro_rules! push_penalty_where {
    ($qb:expr, $visibility:expr, $f:expr) => {{
        $qb.push(" WHERE 1 = 1");
        push_visibility!($qb, $visibility, "p.organization_id", "p.division_code");
        if let Some(stage) = $f.stage {
            $qb.push(" AND p.stage = ").push_bind(stage.key());
        }
        if let Some(prefix) = &$f.division_prefix {
            crate::store::push_division_prefix!($qb, "p.division_code", prefix);
        }
        if let Some(id) = $f.organization_id {
            $qb.push(" AND p.organization_id = ").push_bind(id);
        }
        if let Some(year) = $f.year {
            $qb.push(" AND p.decision_year = ").push_bind(year);
        }
        if let Some(id) = $f.petition_id {
            $qb.push(" AND p.petition_id = ").push_bind(id);
        }
    }};
}

/// Files case `$new` (an `&NewPenalty`) on transaction `$tx` and evaluates to its id: the body of
/// [`Store::insert_penalty`], for a module that opens a case in its own transaction (a fee inspection's
/// 查处). The caller writes the audit row.
macro_rules! insert_penalty_on {
    ($tx:ident, $new:expr) => {{
        let new: &$crate::store::penalties::NewPenalty = $new;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO penalty_cases (organization_id, division_code, stage, filed_on, facts, evidence,
                 rule_broken, petition_id, recorded_by, created_at, updated_at)
             VALUES ($1, $2, 'filed', $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(new.organization_id)
        .bind(&new.division_code)
        .bind(new.filed_on)
        .bind(&new.facts)
        .bind(&new.evidence)
        .bind(&new.rule_broken)
        .bind(new.petition_id)
        .bind(&new.recorded_by)
        .bind(chrono::Utc::now())
        .fetch_one(&mut *$tx)
        .await?;
        id
    }};
}
pub(crate) use insert_penalty_on;

impl Store {
    /// Files a case with its audit row.
    pub async fn insert_penalty<'a>(
        &self,
        new: &NewPenalty,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        audited!(self, tx => {
            insert_penalty_on!(tx, new)
        }, id => &audit(*id))
    }

    /// One case, if `visibility` covers it.
    pub async fn find_penalty(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<PenaltyRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_PENALTY);
            query.push(" WHERE p.id = ").push_bind(id);
            push_visibility!(query, visibility, "p.organization_id", "p.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// A page of the cases in `visibility` that pass `filter`, newest first, and how many pass.
    pub async fn list_penalties(
        &self,
        visibility: &Visibility,
        filter: &PenaltyFilter,
        page: PageRequest,
    ) -> Result<(Vec<PenaltyRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_PENALTY);
            push_penalty_where!(list, visibility, filter);
            list.push(" ORDER BY p.id DESC LIMIT ").push_bind(page.limit()).push(" OFFSET ").push_bind(page.offset());
            let rows: Vec<PenaltyRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM penalty_cases p");
            push_penalty_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows, total as u64))
        })
    }

    /// A step before the decision (notice, statement, hearing, dropping the case), applied only if the
    /// case is still as it was read (stage and hearing request), with its audit row.
    pub async fn step_penalty(
        &self,
        row: &PenaltyRow,
        to: PenaltyStage,
        update: &PenaltyUpdate,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let u = update;
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE penalty_cases SET stage = $3, notified_on = COALESCE($4, notified_on),
                     proposed = COALESCE($5, proposed), notice = COALESCE($6, notice),
                     statement_on = COALESCE($7, statement_on), statement = COALESCE($8, statement),
                     hearing_requested_on = COALESCE($9, hearing_requested_on),
                     hearing_held_on = COALESCE($10, hearing_held_on), hearing_record = COALESCE($11, hearing_record),
                     drop_reason = COALESCE($12, drop_reason), closed_on = COALESCE($13, closed_on), updated_at = $14
                 WHERE id = $1 AND stage = $2",
            )
            .bind(row.id).bind(&row.stage).bind(to.key()).bind(u.notified_on).bind(&u.proposed).bind(&u.notice)
            .bind(u.statement_on).bind(&u.statement).bind(u.hearing_requested_on).bind(u.hearing_held_on)
            .bind(&u.hearing_record).bind(&u.drop_reason).bind(u.closed_on).bind(Utc::now())
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            true
        }, _ => audit)
    }
}
