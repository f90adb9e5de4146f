//! Registration matters: filing, the staff queue, each step of the workflow and the approval that changes
//! the registry — every step one transaction with its timeline event and audit rows.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::organization::OrgStatus;
use domain::registry::registration::ValidChanges;
use serde_json::Value;

use crate::store::audit::record_audit;
use crate::store::registry::OrgScope;
use crate::store::{Actor, AuditEntry, Store, on_pool};

/// A matter as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MatterRow {
    pub id: i64,
    pub kind: String,
    pub organization_id: Option<i64>,
    pub organization_name: String,
    pub division_code: String,
    pub state: String,
    pub state_json: String,
    pub channel: String,
    pub payload_json: String,
    pub note: String,
    pub filed_by: Option<i64>,
    pub filed_at: DateTime<Utc>,
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub decided_at: Option<DateTime<Utc>>,
}

const MATTER_COLUMNS: &str = "id, kind, organization_id, organization_name, division_code, state, state_json,
    channel, payload_json, note, filed_by, filed_at, accepted_on, due_on, decided_at";

/// A matter to file (or to seed, in any state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMatter {
    pub kind: &'static str,
    pub organization_id: Option<i64>,
    pub organization_name: String,
    pub division_code: String,
    pub state: &'static str,
    pub state_json: String,
    pub channel: &'static str,
    pub payload_json: String,
    pub note: String,
    pub filed_by: Option<i64>,
    pub filed_at: DateTime<Utc>,
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
}

/// A timeline event to record with a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: String,
    pub summary: String,
}

/// Which matters a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatterStates<'a> {
    Open,
    Decided,
    All,
    One(&'a str),
}

/// A new organization created by an approved establishment (or 营改非).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub category: CreditCategory,
    pub kind: &'static str,
    pub level: &'static str,
    pub categories: String,
    pub emerging_industry: Option<&'static str>,
}

/// What an approval does to the registry.
#[derive(Debug, Clone, PartialEq)]
pub enum Approval {
    /// Changes fields (and possibly the status) of an existing organization.
    Update {
        organization_id: i64,
        changes: ValidChanges,
        status: Option<OrgStatus>,
        action: &'static str,
        before: Value,
        after: Value,
    },
    /// Registers a new organization from the matter's application.
    Register {
        registration: NewRegistration,
        changes: ValidChanges,
        after: Value,
    },
}

/// The licensing decision an approval or rejection records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDraft {
    pub decided_on: NaiveDate,
    pub kind: &'static str,
    pub content: String,
    pub authority_code: String,
}

/// One step of a matter, applied only if the matter is still in `from_state`.
#[derive(Debug, Clone, PartialEq)]
pub struct Step<'a> {
    pub matter_id: i64,
    pub from_state: &'a str,
    pub to_state: &'static str,
    pub to_state_json: String,
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub decided: bool,
    /// New application contents (a resubmission after 补正).
    pub payload: Option<(String, String)>,
    pub event: Event,
    pub actor: &'a Actor,
    pub audit_after: Value,
    pub reason: Option<String>,
    pub approval: Option<Approval>,
    pub decision: Option<DecisionDraft>,
}

/// Why a step was not taken.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("the matter moved on meanwhile")]
    Stale,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The first credit-code serial of organizations registered through the system (seeds use lower ones).
const REGISTERED_SERIAL_BASE: u64 = 50_000_000;

impl Store {
    /// Files a matter with its first timeline event and audit row; returns its id.
    pub async fn create_matter(
        &self,
        new: &NewMatter,
        event: &Event,
        actor: &Actor,
    ) -> Result<i64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id = insert_matter!(&mut *tx, new);
            insert_event!(&mut *tx, new.organization_id, Some(id), event, actor);
            let audit = AuditEntry {
                actor,
                entity_type: "matter",
                entity_id: id.to_string(),
                action: "file",
                before: None,
                after: Some(serde_json::json!({ "kind": new.kind, "organization_id": new.organization_id,
                                                 "state": new.state })),
                reason: None,
            };
            record_audit!(&mut *tx, &audit)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Inserts seeded matters (demo data) in one transaction, each with one timeline event.
    pub async fn insert_matters(&self, matters: &[NewMatter], actor: &Actor) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for new in matters {
                let id = insert_matter!(&mut *tx, new);
                let event = Event { kind: format!("matter_{}", new.state), summary: format!("{}（演示数据）", new.note) };
                insert_event!(&mut *tx, new.organization_id, Some(id), &event, actor);
            }
            tx.commit().await
        })
    }

    pub async fn find_matter(&self, id: i64) -> Result<Option<MatterRow>, sqlx::Error> {
        let sql = format!("SELECT {MATTER_COLUMNS} FROM matters WHERE id = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// The matters in `scope` in the given states (up to 5,000; the queue sorts them itself).
    pub async fn list_matters(
        &self,
        scope: &OrgScope,
        states: MatterStates<'_>,
        kind: Option<&str>,
    ) -> Result<Vec<MatterRow>, sqlx::Error> {
        let state_clause = match states {
            MatterStates::Open => "state NOT IN ('approved', 'rejected')",
            MatterStates::Decided => "state IN ('approved', 'rejected')",
            MatterStates::All | MatterStates::One(_) => "1 = 1",
        };
        let one = match states {
            MatterStates::One(s) => Some(s),
            _ => None,
        };
        let sql = format!(
            "SELECT {MATTER_COLUMNS} FROM matters
             WHERE ($1 IS NULL OR division_code LIKE $1) AND ($2 IS NULL OR organization_id = $2)
               AND ($3 IS NULL OR kind = $3) AND {state_clause} AND ($4 = '*' OR state = $4)
             ORDER BY id DESC LIMIT 5000"
        );
        on_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(scope.division_pattern.as_deref())
                .bind(scope.organization_id)
                .bind(kind)
                .bind(one.unwrap_or("*"))
                .fetch_all(pool)
                .await
        })
    }

    /// Takes one step: moves the matter on (only from `from_state`), applies an approval to the registry,
    /// records the licensing decision, the timeline events and the audit rows — all or nothing.
    /// Returns the matter's organization id afterwards.
    pub async fn step_matter(&self, step: &Step<'_>) -> Result<Option<i64>, StepError> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (payload_json, note) = match &step.payload {
                Some((p, n)) => (Some(p.as_str()), Some(n.as_str())),
                None => (None, None),
            };
            let moved = sqlx::query(
                "UPDATE matters SET state = $1, state_json = $2, accepted_on = COALESCE($3, accepted_on),
                        due_on = COALESCE($4, due_on), decided_at = CASE WHEN $5 THEN $6 ELSE decided_at END,
                        payload_json = COALESCE($7, payload_json), note = COALESCE($8, note), updated_at = $6
                 WHERE id = $9 AND state = $10",
            )
            .bind(step.to_state)
            .bind(&step.to_state_json)
            .bind(step.accepted_on)
            .bind(step.due_on)
            .bind(step.decided)
            .bind(now)
            .bind(payload_json)
            .bind(note)
            .bind(step.matter_id)
            .bind(step.from_state)
            .execute(&mut *tx)
            .await?;
            if moved.rows_affected() == 0 {
                return Err(StepError::Stale);
            }
            let (mut organization_id, organization_name): (Option<i64>, String) =
                sqlx::query_as("SELECT organization_id, organization_name FROM matters WHERE id = $1")
                    .bind(step.matter_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let mut credit_code: Option<String> = None;
            let mut organization_name = organization_name;
            match &step.approval {
                Some(Approval::Update { organization_id: id, changes, status, action, before, after }) => {
                    let c = changes;
                    sqlx::query(
                        "UPDATE organizations SET name = COALESCE($1, name), domicile = COALESCE($2, domicile),
                            legal_representative = COALESCE($3, legal_representative),
                            business_scope = COALESCE($4, business_scope),
                            registered_funds_fen = COALESCE($5, registered_funds_fen),
                            contact_phone = COALESCE($6, contact_phone),
                            supervisory_unit = COALESCE($7, supervisory_unit),
                            status = COALESCE($8, status), updated_at = $9
                         WHERE id = $10",
                    )
                    .bind(c.name.as_deref())
                    .bind(c.domicile.as_deref())
                    .bind(c.legal_representative.as_deref())
                    .bind(c.business_scope.as_deref())
                    .bind(c.registered_funds.map(|f| f.as_i64()))
                    .bind(c.contact_phone.as_deref())
                    .bind(c.supervisory_unit.as_deref())
                    .bind(status.map(OrgStatus::key))
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    let audit = AuditEntry {
                        actor: step.actor,
                        entity_type: "organization",
                        entity_id: id.to_string(),
                        action,
                        before: Some(before.clone()),
                        after: Some(after.clone()),
                        reason: Some(format!("登记事项 #{} 准予登记", step.matter_id)),
                    };
                    record_audit!(&mut *tx, &audit)?;
                    let event = Event { kind: (*action).to_owned(), summary: step.event.summary.clone() };
                    insert_event!(&mut *tx, Some(*id), Some(step.matter_id), &event, step.actor);
                    let (name, code): (String, String) =
                        sqlx::query_as("SELECT name, credit_code FROM organizations WHERE id = $1")
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await?;
                    organization_name = name;
                    credit_code = Some(code);
                }
                Some(Approval::Register { registration: r, changes: c, after }) => {
                    let (division,): (String,) = sqlx::query_as("SELECT division_code FROM matters WHERE id = $1")
                        .bind(step.matter_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    let code = CreditCode::generate(r.category, &division, REGISTERED_SERIAL_BASE + step.matter_id as u64);
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO organizations (credit_code, name, kind, level, division_code, status, categories,
                            emerging_industry, supervisory_unit, legal_representative, founded_on, registered_funds_fen,
                            domicile, business_scope, contact_phone, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, 'normal', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
                         RETURNING id",
                    )
                    .bind(code.as_str())
                    .bind(c.name.as_deref().unwrap_or(&organization_name))
                    .bind(r.kind)
                    .bind(r.level)
                    .bind(&division)
                    .bind(&r.categories)
                    .bind(r.emerging_industry)
                    .bind(c.supervisory_unit.as_deref())
                    .bind(c.legal_representative.as_deref())
                    .bind(step.decision.as_ref().map(|d| d.decided_on))
                    .bind(c.registered_funds.map(|f| f.as_i64()))
                    .bind(c.domicile.as_deref())
                    .bind(c.business_scope.as_deref())
                    .bind(c.contact_phone.as_deref())
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE matters SET organization_id = $1 WHERE id = $2")
                        .bind(id)
                        .bind(step.matter_id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("UPDATE organization_events SET organization_id = $1 WHERE matter_id = $2")
                        .bind(id)
                        .bind(step.matter_id)
                        .execute(&mut *tx)
                        .await?;
                    let audit = AuditEntry {
                        actor: step.actor,
                        entity_type: "organization",
                        entity_id: id.to_string(),
                        action: "register",
                        before: None,
                        after: Some(after.clone()),
                        reason: Some(format!("登记事项 #{} 准予登记", step.matter_id)),
                    };
                    record_audit!(&mut *tx, &audit)?;
                    let event = Event { kind: "registered".to_owned(), summary: step.event.summary.clone() };
                    insert_event!(&mut *tx, Some(id), Some(step.matter_id), &event, step.actor);
                    organization_id = Some(id);
                    credit_code = Some(code.as_str().to_owned());
                }
                None => {
                    insert_event!(&mut *tx, organization_id, Some(step.matter_id), &step.event, step.actor);
                }
            }
            if let Some(decision) = &step.decision {
                if credit_code.is_none()
                    && let Some(id) = organization_id {
                        let (code,): (String,) = sqlx::query_as("SELECT credit_code FROM organizations WHERE id = $1")
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await?;
                        credit_code = Some(code);
                    }
                let year = decision.decided_on.year();
                let (serial,): (i64,) =
                    sqlx::query_as("SELECT CAST(COALESCE(MAX(serial), 0) + 1 AS BIGINT) FROM licensing_decisions WHERE year = $1")
                        .bind(year)
                        .fetch_one(&mut *tx)
                        .await?;
                sqlx::query(
                    "INSERT INTO licensing_decisions (document_number, year, serial, decided_on, organization_id,
                        organization_name, credit_code, matter_id, kind, content, authority_code, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(format!("皖社许〔{year}〕{serial}号"))
                .bind(year)
                .bind(serial as i32)
                .bind(decision.decided_on)
                .bind(organization_id)
                .bind(&organization_name)
                .bind(credit_code.as_deref())
                .bind(step.matter_id)
                .bind(decision.kind)
                .bind(&decision.content)
                .bind(&decision.authority_code)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let audit = AuditEntry {
                actor: step.actor,
                entity_type: "matter",
                entity_id: step.matter_id.to_string(),
                action: step.event.kind.trim_start_matches("matter_"),
                before: Some(serde_json::json!({ "state": step.from_state })),
                after: Some(step.audit_after.clone()),
                reason: step.reason.clone(),
            };
            record_audit!(&mut *tx, &audit)?;
            tx.commit().await?;
            Ok(organization_id)
        })
    }
}

/// Inserts a matter on `$conn` and yields its id.
macro_rules! insert_matter {
    ($conn:expr, $new:expr) => {{
        let new: &NewMatter = $new;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO matters (kind, organization_id, organization_name, division_code, state, state_json, channel,
                payload_json, note, filed_by, filed_at, accepted_on, due_on, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $11) RETURNING id",
        )
        .bind(new.kind)
        .bind(new.organization_id)
        .bind(&new.organization_name)
        .bind(&new.division_code)
        .bind(new.state)
        .bind(&new.state_json)
        .bind(new.channel)
        .bind(&new.payload_json)
        .bind(&new.note)
        .bind(new.filed_by)
        .bind(new.filed_at)
        .bind(new.accepted_on)
        .bind(new.due_on)
        .fetch_one($conn)
        .await?;
        id
    }};
}
use insert_matter;

/// Appends a timeline event on `$conn`.
macro_rules! insert_event {
    ($conn:expr, $organization_id:expr, $matter_id:expr, $event:expr, $actor:expr) => {{
        let event: &Event = $event;
        let actor: &Actor = $actor;
        sqlx::query(
            "INSERT INTO organization_events (organization_id, matter_id, at, kind, summary, actor_name)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($organization_id)
        .bind($matter_id)
        .bind(Utc::now())
        .bind(&event.kind)
        .bind(&event.summary)
        .bind(&actor.name)
        .execute($conn)
        .await?;
    }};
}
use insert_event;
