//! Illegal organizations' store: clues and cases with their dated steps (here) and the numbered batches
//! that publish them, with the public search (`batches.rs`). Most bodies are unregistered and have no
//! organization, so scope applies to the division recorded on the case.

mod batches;

pub use batches::BatchError;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{EvidenceFile, IllegalCase, IllegalCaseStep, IllegalStep};
use domain::illegal::{Agency, ClueSource, IllegalStage};
use domain::paging::PageRequest;
use domain::registry::organization::OrgStatus;
use sqlx::QueryBuilder;

use crate::store::evidence::EvidenceOwner;
use crate::store::{AuditEntry, Store, Visibility, audited, like_pattern, on_pool, push_visibility};

/// A clue ready to store (its contact, if any, already sealed).
#[derive(Debug, Clone)]
pub struct NewClue {
    pub name: String,
    pub division_code: String,
    pub address: String,
    pub activities: String,
    pub evidence: String,
    pub source: ClueSource,
    pub organization_id: Option<i64>,
    pub petition_id: Option<i64>,
    /// (key id, ciphertext, masked, seal reference): sealed in `illegal_cases.contact_cipher` bound to the
    /// seal reference (`crate::crypto::Context`).
    pub contact: Option<(String, String, String, String)>,
    pub recorded_by: String,
}

/// A validated case list filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IllegalFilter {
    pub stage: Option<IllegalStage>,
    pub source: Option<ClueSource>,
    pub division_prefix: Option<String>,
    pub batch: Option<i64>,
    pub name: Option<String>,
    pub petition_id: Option<i64>,
}

/// A step to record, and what it changes on the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStep {
    pub on: NaiveDate,
    pub action: String,
    pub agencies: Vec<Agency>,
    pub description: String,
    pub to: IllegalStage,
    /// An outcome: the day, the decision number, the matter, the note.
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub on: NaiveDate,
    pub decision_number: Option<String>,
    pub matter_id: Option<i64>,
    pub note: Option<String>,
    /// 取缔: the body's status in the registry becomes banned (and the organization's, if it has one).
    pub banned: bool,
}

impl NewStep {
    /// What `step` (already checked by `IllegalStep::apply`, which gave `to`) records on the case, and for
    /// an outcome what it changes.
    pub fn for_step(step: &IllegalStep, to: IllegalStage) -> NewStep {
        let outcome =
            |decision_number: Option<String>, matter_id: Option<i64>, note: Option<String>| Outcome {
                on: step.on(),
                decision_number,
                matter_id,
                note,
                banned: matches!(step, IllegalStep::Ban { .. }),
            };
        let (action, description, agencies, outcome) = match step {
            IllegalStep::Investigate { note, .. } => {
                ("investigate", note.trim().to_owned(), Vec::new(), None)
            }
            IllegalStep::Record {
                agencies,
                description,
                ..
            } => ("record", description.trim().to_owned(), agencies.clone(), None),
            IllegalStep::Ban { decision_number, .. } => {
                let number = decision_number.trim().to_owned();
                let text = format!("依法取缔（{number}）");
                ("ban", text, Vec::new(), Some(outcome(Some(number), None, None)))
            }
            IllegalStep::Dissuade { note, .. } => {
                let note = note.trim().to_owned();
                (
                    "dissuade",
                    note.clone(),
                    Vec::new(),
                    Some(outcome(None, None, Some(note))),
                )
            }
            IllegalStep::RegisterLawfully { matter_id, .. } => {
                let text = format!("经成立登记事项 #{matter_id} 依法登记");
                (
                    "register_lawfully",
                    text,
                    Vec::new(),
                    Some(outcome(None, Some(*matter_id), None)),
                )
            }
            IllegalStep::Close { reason, .. } => {
                let reason = reason.trim().to_owned();
                (
                    "close",
                    reason.clone(),
                    Vec::new(),
                    Some(outcome(None, None, Some(reason))),
                )
            }
        };
        NewStep {
            on: step.on(),
            action: action.to_owned(),
            agencies,
            description,
            to,
            outcome,
        }
    }
}

const SELECT_CASE: &str = "SELECT c.id, c.name, c.division_code, c.address, c.activities, c.evidence, c.source,
        c.stage, c.organization_id, c.petition_id, c.contact_masked, c.body_status, b.number AS batch_number,
        b.published_on, c.outcome_on, c.decision_number, c.matter_id, c.outcome_note, c.created_at, c.updated_at
    FROM illegal_cases c LEFT JOIN illegal_batches b ON b.id = c.batch_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IllegalRow {
    pub id: i64,
    name: String,
    pub division_code: String,
    address: String,
    activities: String,
    evidence: String,
    source: String,
    stage: String,
    pub organization_id: Option<i64>,
    petition_id: Option<i64>,
    contact_masked: Option<String>,
    body_status: String,
    batch_number: Option<i64>,
    published_on: Option<NaiveDate>,
    outcome_on: Option<NaiveDate>,
    decision_number: Option<String>,
    matter_id: Option<i64>,
    outcome_note: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct StepRow {
    id: i64,
    on_date: NaiveDate,
    action: String,
    agencies: String,
    description: String,
    recorded_by: String,
}

impl IllegalRow {
    // The columns have CHECK constraints on exactly these values.
    pub fn stage(&self) -> IllegalStage {
        IllegalStage::parse(&self.stage).unwrap_or(IllegalStage::Clue)
    }

    fn to_api(&self, steps: Vec<IllegalCaseStep>, files: Vec<EvidenceFile>) -> IllegalCase {
        IllegalCase {
            id: self.id,
            name: self.name.clone(),
            division_code: self.division_code.clone(),
            address: self.address.clone(),
            activities: self.activities.clone(),
            evidence: self.evidence.clone(),
            source: ClueSource::parse(&self.source).unwrap_or(ClueSource::Inspection),
            stage: self.stage(),
            organization_id: self.organization_id,
            petition_id: self.petition_id,
            reporter_contact: self.contact_masked.clone(),
            body_status: OrgStatus::parse(&self.body_status).unwrap_or(OrgStatus::Normal),
            batch_number: self.batch_number,
            published_on: self.published_on,
            outcome_on: self.outcome_on,
            decision_number: self.decision_number.clone(),
            matter_id: self.matter_id,
            outcome_note: self.outcome_note.clone(),
            steps,
            files,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

fn step_to_api(row: StepRow) -> IllegalCaseStep {
    let name = match row.action.as_str() {
        "report" => "群众举报",
        "clue" => "登记线索",
        "investigate" => "立案调查",
        "record" => "调查",
        "publish" => "公布",
        "ban" => "取缔",
        "dissuade" => "劝散",
        "register_lawfully" => "依法登记",
        "close" => "结案",
        _ => "其他",
    };
    IllegalCaseStep {
        id: row.id,
        on: row.on_date,
        name: name.to_owned(),
        action: row.action,
        agencies: row.agencies.split(',').filter_map(Agency::parse).collect(),
        description: row.description,
        recorded_by: row.recorded_by,
    }
}

macro_rules! push_case_where {
    ($qb:expr, $visibility:expr, $f:expr) => {{
        $qb.push(" WHERE 1 = 1");
        push_visibility!($qb, $visibility, "c.organization_id", "c.division_code");
        if let Some(stage) = $f.stage {
            $qb.push(" AND c.stage = ").push_bind(stage.key());
        }
        if let Some(source) = $f.source {
            $qb.push(" AND c.source = ").push_bind(source.key());
        }
        if let Some(prefix) = &$f.division_prefix {
            crate::store::push_division_prefix!($qb, "c.division_code", prefix);
        }
        if let Some(number) = $f.batch {
            $qb.push(" AND c.batch_id = (SELECT id FROM illegal_batches WHERE number = ")
                .push_bind(number)
                .push(")");
        }
        if let Some(name) = &$f.name {
            $qb.push(" AND c.name LIKE ")
                .push_bind(like_pattern(name))
                .push(" ESCAPE '\\'");
        }
        if let Some(id) = $f.petition_id {
            $qb.push(" AND c.petition_id = ").push_bind(id);
        }
    }};
}

/// Inserts a step row on `$tx`.
macro_rules! insert_step {
    ($tx:ident, $case_id:expr, $on:expr, $action:expr, $agencies:expr, $description:expr, $by:expr) => {
        sqlx::query(
            "INSERT INTO illegal_case_steps (case_id, on_date, action, agencies, description, recorded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($case_id).bind($on).bind($action).bind($agencies).bind($description).bind($by).bind(Utc::now())
        .execute(&mut *$tx).await?
    };
}
pub(crate) use insert_step;

impl Store {
    /// Records a clue (from the public form or by staff) with its first step and audit row.
    pub async fn insert_clue<'a>(
        &self,
        new: &NewClue,
        on: NaiveDate,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        let (key_id, cipher, masked, seal_ref) = match &new.contact {
            Some((k, c, m, r)) => (Some(k), Some(c), Some(m), Some(r)),
            None => (None, None, None, None),
        };
        let action = if new.source == ClueSource::PublicReport {
            "report"
        } else {
            "clue"
        };
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO illegal_cases (name, division_code, address, activities, evidence, source, stage,
                     organization_id, petition_id, contact_key_id, contact_cipher, contact_masked, recorded_by,
                     created_at, updated_at, seal_ref)
                 VALUES ($1, $2, $3, $4, $5, $6, 'clue', $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
            )
            .bind(&new.name).bind(&new.division_code).bind(&new.address).bind(&new.activities)
            .bind(&new.evidence).bind(new.source.key()).bind(new.organization_id).bind(new.petition_id)
            .bind(key_id).bind(cipher).bind(masked).bind(&new.recorded_by).bind(now).bind(seal_ref)
            .fetch_one(&mut *tx).await?;
            insert_step!(tx, id, on, action, "", new.source.label_zh(), &new.recorded_by);
            id
        }, id => &audit(*id))
    }

    /// One case with its steps, if `visibility` covers it.
    pub async fn find_illegal_case(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<IllegalCase>, sqlx::Error> {
        let Some(row) = self.illegal_row(id, visibility).await? else {
            return Ok(None);
        };
        let steps: Vec<StepRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, on_date, action, agencies, description, recorded_by FROM illegal_case_steps
                 WHERE case_id = $1 ORDER BY id",
            )
            .bind(id).fetch_all(pool).await?
        });
        let files = self
            .evidence_of(EvidenceOwner::IllegalCase(id))
            .await?
            .iter()
            .map(|f| f.to_api())
            .collect();
        Ok(Some(
            row.to_api(steps.into_iter().map(step_to_api).collect(), files),
        ))
    }

    /// The case's row (without steps), if `visibility` covers it.
    pub async fn illegal_row(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<IllegalRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_CASE);
            query.push(" WHERE c.id = ").push_bind(id);
            push_visibility!(query, visibility, "c.organization_id", "c.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// A page of the cases in `visibility` that pass `filter` (without their steps), newest first.
    pub async fn list_illegal_cases(
        &self,
        visibility: &Visibility,
        filter: &IllegalFilter,
        page: PageRequest,
    ) -> Result<(Vec<IllegalCase>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_CASE);
            push_case_where!(list, visibility, filter);
            list.push(" ORDER BY c.id DESC LIMIT ").push_bind(page.limit()).push(" OFFSET ").push_bind(page.offset());
            let rows: Vec<IllegalRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM illegal_cases c");
            push_case_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows.iter().map(|r| r.to_api(Vec::new(), Vec::new())).collect(), total as u64))
        })
    }

    /// Records a step on case `row` (only if still in the stage it was read in) with its audit row; an
    /// outcome closes the case and a ban sets the body's status — and its organization's, when a revoked or
    /// deregistered organization is still acting — to 取缔. `Ok(false)` when the case moved meanwhile.
    pub async fn step_illegal_case(
        &self,
        row: &IllegalRow,
        step: &NewStep,
        recorded_by: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        let agencies: Vec<&str> = step.agencies.iter().map(|a| a.key()).collect();
        let outcome = step.outcome.as_ref();
        let banned = outcome.is_some_and(|o| o.banned);
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE illegal_cases SET stage = $3, outcome_on = COALESCE($4, outcome_on),
                     decision_number = COALESCE($5, decision_number), matter_id = COALESCE($6, matter_id),
                     outcome_note = COALESCE($7, outcome_note),
                     body_status = CASE WHEN $8 THEN 'banned' ELSE body_status END, updated_at = $9
                 WHERE id = $1 AND stage = $2",
            )
            .bind(row.id).bind(&row.stage).bind(step.to.key()).bind(outcome.map(|o| o.on))
            .bind(outcome.and_then(|o| o.decision_number.clone())).bind(outcome.and_then(|o| o.matter_id))
            .bind(outcome.and_then(|o| o.note.clone())).bind(banned).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            insert_step!(tx, row.id, step.on, &step.action, agencies.join(","), &step.description, recorded_by);
            if banned && let Some(organization_id) = row.organization_id {
                sqlx::query("UPDATE organizations SET status = 'banned', updated_at = $2 WHERE id = $1")
                    .bind(organization_id).bind(now).execute(&mut *tx).await?;
                let line = format!("非法社会组织案件 #{}：依法取缔", row.id);
                crate::store::credit::timeline!(&mut *tx, organization_id, "illegal_ban", &line, audit.actor);
            }
            true
        }, _ => audit)
    }

    /// Whether matter `matter_id` is an approved establishment (成立登记): how a body registers lawfully.
    pub async fn approved_establishment(&self, matter_id: i64) -> Result<bool, sqlx::Error> {
        let found: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id FROM matters WHERE id = $1 AND kind = 'establishment' AND state = 'approved'")
                .bind(matter_id).fetch_optional(pool).await?
        });
        Ok(found.is_some())
    }
}
