//! Petitions' store: the petition list with its petitioners sealed (`DOMAIN.md` §12: name, phone and ID
//! number under the data key, masked copies beside for lists), the steps from intake to 销号, and the
//! online petitioner's receipt, kept only as a digest. Lists and lookups take the caller's
//! [`Visibility`](crate::store::Visibility), applied to the handling division.

mod reseal;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::PetitionStep;
use domain::calendar::WorkCalendar;
use domain::paging::PageRequest;
use domain::petitions::{PetitionChannel, PetitionLimits, PetitionStage, Satisfaction};
use sqlx::QueryBuilder;

use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

pub use reseal::ResealedPetitioner;

/// The petitioner sealed under the data key (one key for the three values, each bound to `seal_ref`), with
/// the masked copies.
#[derive(Debug, Clone)]
pub struct SealedPetitioner {
    pub seal_ref: String,
    pub key_id: String,
    pub name_cipher: String,
    pub phone_cipher: String,
    pub id_number_cipher: String,
    pub name_masked: String,
    pub phone_masked: String,
    pub id_number_masked: String,
}

/// A petition ready to store.
#[derive(Debug, Clone)]
pub struct NewPetition {
    pub channel: PetitionChannel,
    pub received_on: NaiveDate,
    pub petitioner: SealedPetitioner,
    pub matter: String,
    pub organization_id: Option<i64>,
    pub division_code: String,
    /// SHA-256 (hex) of the online receipt number; the number itself is never stored.
    pub receipt_hash: Option<String>,
    pub acceptance_due: NaiveDate,
    pub recorded_by: String,
}

/// A validated filter of the petition list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PetitionFilter {
    pub stage: Option<PetitionStage>,
    pub channel: Option<PetitionChannel>,
    pub division_prefix: Option<String>,
    pub organization_id: Option<i64>,
    /// Only those whose running time limit falls in these days (both ends included).
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
}

/// What a step writes (unset fields keep their value; `due_on` is always written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PetitionUpdate {
    pub accepted_on: Option<NaiveDate>,
    pub handling_due: Option<NaiveDate>,
    pub extension_days: Option<i32>,
    pub extension_reason: Option<String>,
    pub decline_reason: Option<String>,
    pub replied_on: Option<NaiveDate>,
    pub reply: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub satisfaction: Option<Satisfaction>,
    pub close_note: Option<String>,
    pub due_on: Option<NaiveDate>,
}

impl PetitionUpdate {
    /// What `step` writes on petition `row` (already checked by `PetitionStep::apply`), with the time
    /// limit that runs afterwards: handling from the day accepted, lengthened by the one extension.
    pub fn for_step(
        row: &PetitionRow,
        step: &PetitionStep,
        limits: &PetitionLimits,
        calendar: &WorkCalendar,
    ) -> Self {
        let text = |t: &str| Some(t.trim().to_owned());
        match step {
            PetitionStep::Accept { on } => {
                let due = limits.handling_due(*on, 0, calendar);
                PetitionUpdate {
                    accepted_on: Some(*on),
                    handling_due: Some(due),
                    due_on: Some(due),
                    ..PetitionUpdate::default()
                }
            }
            PetitionStep::Decline { reason, .. } => PetitionUpdate {
                decline_reason: text(reason),
                ..PetitionUpdate::default()
            },
            PetitionStep::Extend { days, reason } => {
                let due = limits.handling_due(row.accepted_on.unwrap_or(row.received_on), *days, calendar);
                PetitionUpdate {
                    extension_days: i32::try_from(*days).ok(),
                    extension_reason: text(reason),
                    handling_due: Some(due),
                    due_on: Some(due),
                    ..PetitionUpdate::default()
                }
            }
            PetitionStep::Reply { on, reply } => PetitionUpdate {
                replied_on: Some(*on),
                reply: text(reply),
                ..PetitionUpdate::default()
            },
            PetitionStep::Close {
                on,
                satisfaction,
                note,
            } => PetitionUpdate {
                closed_on: Some(*on),
                satisfaction: Some(*satisfaction),
                close_note: text(note).filter(|n| !n.is_empty()),
                ..PetitionUpdate::default()
            },
        }
    }
}

const SELECT_PETITION: &str = "SELECT p.*, o.name AS organization_name FROM petitions p
    LEFT JOIN organizations o ON o.id = p.organization_id";

/// A stored petition, the petitioner still sealed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PetitionRow {
    pub id: i64,
    pub channel: String,
    pub stage: String,
    pub received_on: NaiveDate,
    pub key_id: String,
    pub name_cipher: String,
    pub phone_cipher: String,
    pub id_number_cipher: String,
    pub name_masked: String,
    pub phone_masked: String,
    pub id_number_masked: String,
    pub matter: String,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub division_code: String,
    pub receipt_hash: Option<String>,
    pub acceptance_due: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub handling_due: Option<NaiveDate>,
    pub extension_days: i32,
    pub extension_reason: Option<String>,
    pub decline_reason: Option<String>,
    pub replied_on: Option<NaiveDate>,
    pub reply: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub satisfaction: Option<String>,
    pub close_note: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What the petitioner is sealed with (`crate::crypto::Context`); none before values were bound to rows.
    pub seal_ref: Option<String>,
}

impl PetitionRow {
    /// Where the petitioner's `column` is sealed.
    pub fn context(&self, column: &'static str) -> crate::crypto::Context<'_> {
        crate::crypto::Context::new("petitions", column, self.seal_ref.as_deref().unwrap_or_default())
    }

    // The columns have CHECK constraints on exactly these values.
    pub fn stage(&self) -> PetitionStage {
        PetitionStage::parse(&self.stage).unwrap_or(PetitionStage::Received)
    }

    pub fn channel(&self) -> PetitionChannel {
        PetitionChannel::parse(&self.channel).unwrap_or(PetitionChannel::Letter)
    }
}

macro_rules! push_petition_where {
    ($qb:expr, $visibility:expr, $f:expr) => {{
        $qb.push(" WHERE 1 = 1");
        push_visibility!($qb, $visibility, "p.organization_id", "p.division_code");
        if let Some(stage) = $f.stage {
            $qb.push(" AND p.stage = ").push_bind(stage.key());
        }
        if let Some(channel) = $f.channel {
            $qb.push(" AND p.channel = ").push_bind(channel.key());
        }
        if let Some(prefix) = &$f.division_prefix {
            crate::store::push_division_prefix!($qb, "p.division_code", prefix);
        }
        if let Some(id) = $f.organization_id {
            $qb.push(" AND p.organization_id = ").push_bind(id);
        }
        if let Some(from) = $f.due_from {
            $qb.push(" AND p.due_on >= ").push_bind(from);
        }
        if let Some(to) = $f.due_to {
            $qb.push(" AND p.due_on <= ").push_bind(to);
        }
    }};
}

impl Store {
    /// Registers a petition with its audit row (`audit` gets the new id); the petitioner is stored sealed.
    pub async fn insert_petition<'a>(
        &self,
        new: &NewPetition,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        let p = &new.petitioner;
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO petitions (channel, stage, received_on, key_id, name_cipher, phone_cipher,
                     id_number_cipher, name_masked, phone_masked, id_number_masked, matter, organization_id,
                     division_code, receipt_hash, acceptance_due, due_on, recorded_by, created_at, updated_at,
                     seal_ref)
                 VALUES ($1, 'received', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $16,
                     $17)
                 RETURNING id",
            )
            .bind(new.channel.key()).bind(new.received_on).bind(&p.key_id).bind(&p.name_cipher)
            .bind(&p.phone_cipher).bind(&p.id_number_cipher).bind(&p.name_masked).bind(&p.phone_masked)
            .bind(&p.id_number_masked).bind(&new.matter).bind(new.organization_id).bind(&new.division_code)
            .bind(&new.receipt_hash).bind(new.acceptance_due).bind(&new.recorded_by).bind(now)
            .bind(&p.seal_ref)
            .fetch_one(&mut *tx).await?;
            id
        }, id => &audit(*id))
    }

    /// One petition, if `visibility` covers it.
    pub async fn find_petition(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<PetitionRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_PETITION);
            query.push(" WHERE p.id = ").push_bind(id);
            push_visibility!(query, visibility, "p.organization_id", "p.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// The online petition whose receipt number has this digest.
    pub async fn petition_by_receipt(&self, receipt_hash: &str) -> Result<Option<PetitionRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_PETITION);
            query.push(" WHERE p.receipt_hash = ").push_bind(receipt_hash);
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// A page of the petition list in `visibility` that passes `filter`, the earliest due first (those
    /// without a running limit last), and how many pass.
    pub async fn list_petitions(
        &self,
        visibility: &Visibility,
        filter: &PetitionFilter,
        page: PageRequest,
    ) -> Result<(Vec<PetitionRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_PETITION);
            push_petition_where!(list, visibility, filter);
            list.push(" ORDER BY CASE WHEN p.due_on IS NULL THEN 1 ELSE 0 END, p.due_on, p.id DESC LIMIT ")
                .push_bind(page.limit()).push(" OFFSET ").push_bind(page.offset());
            let rows: Vec<PetitionRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM petitions p");
            push_petition_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows, total as u64))
        })
    }

    /// Moves petition `row` from the stage (and extension) it was read with to `to`, with its audit row;
    /// `Ok(false)` when someone moved it meanwhile.
    pub async fn step_petition(
        &self,
        row: &PetitionRow,
        to: PetitionStage,
        update: &PetitionUpdate,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let u = update;
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE petitions SET stage = $4, accepted_on = COALESCE($5, accepted_on),
                     handling_due = COALESCE($6, handling_due), extension_days = COALESCE($7, extension_days),
                     extension_reason = COALESCE($8, extension_reason), decline_reason = COALESCE($9, decline_reason),
                     replied_on = COALESCE($10, replied_on), reply = COALESCE($11, reply),
                     closed_on = COALESCE($12, closed_on), satisfaction = COALESCE($13, satisfaction),
                     close_note = COALESCE($14, close_note), due_on = $15, updated_at = $16
                 WHERE id = $1 AND stage = $2 AND extension_days = $3",
            )
            .bind(row.id).bind(&row.stage).bind(row.extension_days).bind(to.key()).bind(u.accepted_on)
            .bind(u.handling_due).bind(u.extension_days).bind(&u.extension_reason).bind(&u.decline_reason)
            .bind(u.replied_on).bind(&u.reply).bind(u.closed_on).bind(u.satisfaction.map(Satisfaction::key))
            .bind(&u.close_note).bind(u.due_on).bind(Utc::now())
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            true
        }, _ => audit)
    }
}
