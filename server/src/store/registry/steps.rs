//! A step of a registration matter: the matter moves on (only from the state the caller saw), an approval
//! changes the registry, a decision is numbered and recorded — with the timeline events and audit rows,
//! all in one transaction.

use chrono::{Datelike, NaiveDate, Utc};
use domain::publication::DecisionKind;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::matter::{MatterKind, MatterState};
use domain::registry::organization::OrgStatus;
use domain::registry::registration::ValidChanges;
use serde_json::Value;

use super::matter_phones::StoredPayload;
use super::matters::{Event, insert_event};
use super::phones::phone_columns;
use crate::store::audit::record_audit;
use crate::store::publication::{NewPublication, enqueue_on};
use crate::store::{Actor, AuditEntry, Store, audited};

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
    /// The last day of its publication (双公示), on the server's working-day calendar.
    pub publish_by: NaiveDate,
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
    /// The account that starts the review (kept on the matter: it may not decide it).
    pub reviewed_by: Option<i64>,
}

impl<'a> Step<'a> {
    /// The plain step from `from` to `to` by `actor`: no dates, contents, approval or decision; the event
    /// and the audit row's `after` are to be filled in (the latter defaults to the new state).
    pub fn new(matter_id: i64, from: &MatterState, to: &MatterState, actor: &'a Actor) -> Self {
        Step {
            matter_id,
            from_state: from.key(),
            to_state: to.key(),
            to_state_json: serde_json::json!(to).to_string(),
            accepted_on: None,
            due_on: None,
            decided: to.is_decided(),
            payload: None,
            event: Event {
                kind: String::new(),
                summary: String::new(),
            },
            actor,
            audit_after: serde_json::json!(to),
            reason: None,
            approval: None,
            decision: None,
            reviewed_by: None,
        }
    }
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
    /// Takes one step: moves the matter on (only from `from_state`), applies an approval to the registry,
    /// records the licensing decision, the timeline events and the audit rows — all or nothing.
    /// Returns the matter's organization id afterwards.
    pub async fn step_matter(&self, step: &Step<'_>) -> Result<Option<i64>, StepError> {
        let now = Utc::now();
        let audit = AuditEntry {
            actor: step.actor,
            entity_type: "matter",
            entity_id: step.matter_id.to_string(),
            action: step.event.kind.trim_start_matches("matter_"),
            before: Some(serde_json::json!({ "state": step.from_state })),
            after: Some(step.audit_after.clone()),
            reason: step.reason.clone(),
        };
        // The matter's audit row closes the transaction; an approval adds the organization's before it.
        let keys = self.data_keys();
        audited!(self, tx => {
            if !move_matter!(&mut *tx, step, now, keys) {
                return Err(StepError::Stale);
            }
            let (mut organization_id, mut organization_name): (Option<i64>, String) =
                sqlx::query_as("SELECT organization_id, organization_name FROM matters WHERE id = $1")
                    .bind(step.matter_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let mut credit_code: Option<String> = None;
            match &step.approval {
                Some(Approval::Update { organization_id: id, changes, status, action, before, after }) => {
                    let (name, code) =
                        update_organization!(&mut *tx, step, now, *id, changes, *status, action, before, after, keys);
                    organization_name = name;
                    credit_code = Some(code);
                }
                Some(Approval::Register { registration, changes, after }) => {
                    let (id, code) =
                        register_organization!(&mut *tx, step, now, registration, changes, after, &organization_name, keys);
                    organization_id = Some(id);
                    credit_code = Some(code);
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
                let (decision_id, number) = record_decision!(
                    &mut *tx, step, now, decision, organization_id, &organization_name, credit_code.as_deref()
                );
                let kind = MatterKind::parse(decision.kind).map_or(decision.kind, MatterKind::label_zh);
                let publication = NewPublication {
                    kind: DecisionKind::Licensing,
                    decision_id,
                    document_number: &number,
                    organization_id,
                    organization_name: &organization_name,
                    credit_code: credit_code.as_deref(),
                    division_code: &decision.authority_code,
                    category: kind.to_owned(),
                    content: &decision.content,
                    decided_on: decision.decided_on,
                    valid_until: None,
                    due_on: decision.publish_by,
                };
                enqueue_on!(tx, &publication);
            }
            organization_id
        }, _ => &audit)
    }
}

/// Moves the matter to the step's state if it is still in `from_state`; yields whether it moved. New
/// contents are stored with their phone sealed (`matter_phones.rs`) under `$keys`, bound to the matter's
/// seal reference (kept if it has one).
macro_rules! move_matter {
    ($conn:expr, $step:expr, $now:expr, $keys:expr) => {{
        let step: &Step<'_> = $step;
        let stored = match &step.payload {
            Some((payload, _)) => {
                let seal_ref: Option<(Option<String>,)> =
                    sqlx::query_as("SELECT seal_ref FROM matters WHERE id = $1")
                        .bind(step.matter_id)
                        .fetch_optional($conn)
                        .await?;
                let seal_ref = seal_ref.and_then(|(s,)| s);
                let mut stored = StoredPayload::of($keys, payload, seal_ref.as_deref());
                stored.seal_ref = stored.seal_ref.or(seal_ref);
                Some(stored)
            }
            None => None,
        };
        let payload_json = stored.as_ref().map(|s| s.payload_json.as_str());
        let note = step.payload.as_ref().map(|(_, n)| n.as_str());
        let moved = sqlx::query(
            "UPDATE matters SET state = $1, state_json = $2, accepted_on = COALESCE($3, accepted_on),
                    due_on = COALESCE($4, due_on), decided_at = CASE WHEN $5 THEN $6 ELSE decided_at END,
                    payload_json = COALESCE($7, payload_json), note = COALESCE($8, note), updated_at = $6,
                    reviewed_by = COALESCE($11, reviewed_by)
             WHERE id = $9 AND state = $10",
        )
        .bind(step.to_state)
        .bind(&step.to_state_json)
        .bind(step.accepted_on)
        .bind(step.due_on)
        .bind(step.decided)
        .bind($now)
        .bind(payload_json)
        .bind(note)
        .bind(step.matter_id)
        .bind(step.from_state)
        .bind(step.reviewed_by)
        .execute($conn)
        .await?;
        if let Some(stored) = stored.filter(|_| moved.rows_affected() > 0) {
            sqlx::query(
                "UPDATE matters SET seal_ref = $1, phone_key_id = $2, phone_cipher = $3, phone_in_clear = $4
                 WHERE id = $5",
            )
            .bind(stored.seal_ref)
            .bind(stored.phone_key_id)
            .bind(stored.phone_cipher)
            .bind(stored.phone_in_clear)
            .bind(step.matter_id)
            .execute($conn)
            .await?;
        }
        moved.rows_affected() > 0
    }};
}
use move_matter;

/// Applies an approved change to an existing organization, with its audit row and timeline event; yields
/// its name and credit code afterwards.
macro_rules! update_organization {
    ($tx:expr, $step:expr, $now:expr, $id:expr, $changes:expr, $status:expr, $action:expr, $before:expr, $after:expr, $keys:expr) => {{
        let (step, id, c): (&Step<'_>, i64, &ValidChanges) = ($step, $id, $changes);
        let status: Option<OrgStatus> = $status;
        sqlx::query(
            "UPDATE organizations SET name = COALESCE($1, name), domicile = COALESCE($2, domicile),
                legal_representative = COALESCE($3, legal_representative),
                business_scope = COALESCE($4, business_scope),
                registered_funds_fen = COALESCE($5, registered_funds_fen),
                supervisory_unit = COALESCE($6, supervisory_unit),
                status = COALESCE($7, status), updated_at = $8
             WHERE id = $9",
        )
        .bind(c.name.as_deref())
        .bind(c.domicile.as_deref())
        .bind(c.legal_representative.as_deref())
        .bind(c.business_scope.as_deref())
        .bind(c.registered_funds.map(|f| f.as_i64()))
        .bind(c.supervisory_unit.as_deref())
        .bind(status.map(OrgStatus::key))
        .bind($now)
        .bind(id)
        .execute($tx)
        .await?;
        if let Some(phone) = c.contact_phone.as_deref() {
            // Sealed bound to the row's seal reference (kept if it has one).
            let (seal_ref,): (Option<String>,) = sqlx::query_as("SELECT seal_ref FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_one($tx)
                .await?;
            let p = phone_columns($keys, Some(phone), seal_ref.as_deref());
            sqlx::query(
                "UPDATE organizations SET contact_phone = $1, seal_ref = $2, phone_key_id = $3, phone_cipher = $4,
                    phone_masked = $5 WHERE id = $6",
            )
            .bind(p.clear)
            .bind(p.seal_ref.or(seal_ref))
            .bind(p.phone_key_id)
            .bind(p.phone_cipher)
            .bind(p.phone_masked)
            .bind(id)
            .execute($tx)
            .await?;
        }
        let audit = AuditEntry {
            actor: step.actor,
            entity_type: "organization",
            entity_id: id.to_string(),
            action: $action,
            before: Some($before.clone()),
            after: Some($after.clone()),
            reason: Some(format!("登记事项 #{} 准予登记", step.matter_id)),
        };
        record_audit!($tx, &audit)?;
        let event = Event {
            kind: (*$action).to_owned(),
            summary: step.event.summary.clone(),
        };
        insert_event!($tx, Some(id), Some(step.matter_id), &event, step.actor);
        let found: (String, String) =
            sqlx::query_as("SELECT name, credit_code FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_one($tx)
                .await?;
        found
    }};
}
use update_organization;

/// Registers the organization an approved establishment creates (with a generated credit code), links
/// the matter and its events to it, with its audit row and timeline event; yields its id and credit code.
macro_rules! register_organization {
    ($tx:expr, $step:expr, $now:expr, $registration:expr, $changes:expr, $after:expr, $name:expr, $keys:expr) => {{
        let (step, r, c): (&Step<'_>, &NewRegistration, &ValidChanges) = ($step, $registration, $changes);
        let phone = phone_columns($keys, c.contact_phone.as_deref(), None);
        let (division,): (String,) = sqlx::query_as("SELECT division_code FROM matters WHERE id = $1")
            .bind(step.matter_id)
            .fetch_one($tx)
            .await?;
        let code = CreditCode::generate(
            r.category,
            &division,
            REGISTERED_SERIAL_BASE + step.matter_id as u64,
        );
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO organizations (credit_code, name, kind, level, division_code, status, categories,
                emerging_industry, supervisory_unit, legal_representative, founded_on, registered_funds_fen,
                domicile, business_scope, contact_phone, created_at, updated_at, seal_ref, phone_key_id,
                phone_cipher, phone_masked)
             VALUES ($1, $2, $3, $4, $5, 'normal', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19)
             RETURNING id",
        )
        .bind(code.as_str())
        .bind(c.name.as_deref().unwrap_or($name))
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
        .bind(phone.clear)
        .bind($now)
        .bind(phone.seal_ref)
        .bind(phone.phone_key_id)
        .bind(phone.phone_cipher)
        .bind(phone.phone_masked)
        .fetch_one($tx)
        .await?;
        for table in [
            "matters SET organization_id = $1 WHERE id = $2",
            "organization_events SET organization_id = $1 WHERE matter_id = $2",
        ] {
            sqlx::query(&format!("UPDATE {table}"))
                .bind(id)
                .bind(step.matter_id)
                .execute($tx)
                .await?;
        }
        let audit = AuditEntry {
            actor: step.actor,
            entity_type: "organization",
            entity_id: id.to_string(),
            action: "register",
            before: None,
            after: Some($after.clone()),
            reason: Some(format!("登记事项 #{} 准予登记", step.matter_id)),
        };
        record_audit!($tx, &audit)?;
        let event = Event {
            kind: "registered".to_owned(),
            summary: step.event.summary.clone(),
        };
        insert_event!($tx, Some(id), Some(step.matter_id), &event, step.actor);
        (id, code.as_str().to_owned())
    }};
}
use register_organization;

/// Numbers the licensing decision in its year (皖社许〔2025〕12号) and records it; yields its id and number.
macro_rules! record_decision {
    ($tx:expr, $step:expr, $now:expr, $decision:expr, $organization_id:expr, $name:expr, $credit_code:expr) => {{
        let (step, decision): (&Step<'_>, &DecisionDraft) = ($step, $decision);
        let year = decision.decided_on.year();
        let (serial,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(serial), 0) + 1 AS BIGINT) FROM licensing_decisions WHERE year = $1",
        )
        .bind(year)
        .fetch_one($tx)
        .await?;
        let number = format!("皖社许〔{year}〕{serial}号");
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO licensing_decisions (document_number, year, serial, decided_on, organization_id,
                organization_name, credit_code, matter_id, kind, content, authority_code, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(&number)
        .bind(year)
        .bind(serial as i32)
        .bind(decision.decided_on)
        .bind($organization_id)
        .bind($name)
        .bind($credit_code)
        .bind(step.matter_id)
        .bind(decision.kind)
        .bind(&decision.content)
        .bind(&decision.authority_code)
        .bind($now)
        .fetch_one($tx)
        .await?;
        (id, number)
    }};
}
use record_decision;
