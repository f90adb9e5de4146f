//! Registration matters: filing (with its timeline event and audit row), the seeded matters, and the
//! matters a caller may see — the queue, one organization's, one matter. The steps of the workflow are in
//! `steps.rs`.

use chrono::{DateTime, NaiveDate, Utc};
use domain::registry::matter::Handlers;
use sqlx::QueryBuilder;

use super::matter_phones::StoredPayload;
use crate::store::{Actor, AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

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
    /// The account that started the review: it may not decide the matter (nor may `filed_by`).
    pub reviewed_by: Option<i64>,
    /// The application's contact phone, sealed (`matter_phones.rs`; [`Store::matter_phone`] opens it).
    pub seal_ref: Option<String>,
    pub phone_key_id: Option<String>,
    pub phone_cipher: Option<String>,
}

impl MatterRow {
    /// Who has handled the matter so far, for the separation of duties.
    pub fn handlers(&self) -> Handlers {
        Handlers {
            filed_by: self.filed_by,
            reviewed_by: self.reviewed_by,
        }
    }
}

const MATTER_COLUMNS: &str = "id, kind, organization_id, organization_name, division_code, state, state_json,
    channel, payload_json, note, filed_by, filed_at, accepted_on, due_on, decided_at, reviewed_by, seal_ref,
    phone_key_id, phone_cipher";

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
    /// The application, its phone in clear: the store seals it (`matter_phones.rs`).
    pub payload_json: String,
    pub note: String,
    pub filed_by: Option<i64>,
    pub filed_at: DateTime<Utc>,
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// When it was approved or rejected (the demo's decided matters; a filed one is not decided yet).
    pub decided_at: Option<DateTime<Utc>>,
}

/// A timeline event to record with a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: String,
    pub summary: String,
}

/// Which matters a list shows, by state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatterStates<'a> {
    Open,
    Decided,
    All,
    One(&'a str),
}

impl MatterStates<'static> {
    /// One state, by its key (`submitted`, …), if it is a matter's state.
    pub fn one(key: &str) -> Option<Self> {
        const STATES: [&str; 7] = [
            "draft",
            "submitted",
            "returned",
            "accepted",
            "under_review",
            "approved",
            "rejected",
        ];
        STATES.into_iter().find(|s| *s == key).map(MatterStates::One)
    }
}

/// What a matters list asks for, inside the caller's visibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatterFilter<'a> {
    pub states: MatterStates<'a>,
    /// A matter kind's key.
    pub kind: Option<&'a str>,
    /// One organization's matters (its detail page).
    pub organization_id: Option<i64>,
}

impl Store {
    /// Files a matter with its first timeline event and audit row; returns its id.
    pub async fn create_matter(
        &self,
        new: &NewMatter,
        event: &Event,
        actor: &Actor,
    ) -> Result<i64, sqlx::Error> {
        let audit = |id: i64| AuditEntry {
            actor,
            entity_type: "matter",
            entity_id: id.to_string(),
            action: "file",
            before: None,
            after: Some(
                serde_json::json!({ "kind": new.kind, "organization_id": new.organization_id,
                                             "state": new.state }),
            ),
            reason: None,
        };
        let keys = self.data_keys();
        audited!(self, tx => {
            let id = insert_matter!(&mut *tx, new, keys);
            insert_event!(&mut *tx, new.organization_id, Some(id), event, actor);
            id
        }, id => &audit(*id))
    }

    /// Inserts seeded matters (demo data) in one transaction, each with one timeline event.
    pub async fn insert_matters(&self, matters: &[NewMatter], actor: &Actor) -> Result<(), sqlx::Error> {
        let keys = self.data_keys();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for new in matters {
                let id = insert_matter!(&mut *tx, new, keys);
                let event = Event { kind: format!("matter_{}", new.state), summary: format!("{}（演示数据）", new.note) };
                insert_event!(&mut *tx, new.organization_id, Some(id), &event, actor);
            }
            tx.commit().await
        })
    }

    /// One matter, if `visibility` covers it (by its organization, or by its registering division for
    /// staff): out of scope finds nothing, as a missing one.
    pub async fn find_matter(
        &self,
        visibility: &Visibility,
        id: i64,
    ) -> Result<Option<MatterRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(format!("SELECT {MATTER_COLUMNS} FROM matters WHERE id = "));
            query.push_bind(id);
            push_visibility!(query, visibility, "organization_id", "division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// The matters in `visibility` that `filter` asks for, newest first (up to 5,000; the queue sorts
    /// them itself).
    pub async fn list_matters(
        &self,
        visibility: &Visibility,
        filter: &MatterFilter<'_>,
    ) -> Result<Vec<MatterRow>, sqlx::Error> {
        let state_clause = match filter.states {
            MatterStates::Open => " AND state NOT IN ('approved', 'rejected')",
            MatterStates::Decided => " AND state IN ('approved', 'rejected')",
            MatterStates::All | MatterStates::One(_) => "",
        };
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(format!("SELECT {MATTER_COLUMNS} FROM matters WHERE 1 = 1{state_clause}"));
            push_visibility!(query, visibility, "organization_id", "division_code");
            if let MatterStates::One(state) = filter.states {
                query.push(" AND state = ").push_bind(state);
            }
            if let Some(kind) = filter.kind {
                query.push(" AND kind = ").push_bind(kind);
            }
            if let Some(id) = filter.organization_id {
                query.push(" AND organization_id = ").push_bind(id);
            }
            query.push(" ORDER BY id DESC LIMIT 5000");
            query.build_query_as().fetch_all(pool).await
        })
    }
}

/// Inserts a matter on `$conn`, its phone sealed under `$keys` (`Option<&DataKeys>`), and yields its id.
macro_rules! insert_matter {
    ($conn:expr, $new:expr, $keys:expr) => {{
        let new: &NewMatter = $new;
        let payload = StoredPayload::of($keys, &new.payload_json, None);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO matters (kind, organization_id, organization_name, division_code, state, state_json, channel,
                payload_json, note, filed_by, filed_at, accepted_on, due_on, decided_at, updated_at, seal_ref,
                phone_key_id, phone_cipher, phone_in_clear)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, COALESCE($14, $11), $15, $16, $17, $18)
             RETURNING id",
        )
        .bind(new.kind)
        .bind(new.organization_id)
        .bind(&new.organization_name)
        .bind(&new.division_code)
        .bind(new.state)
        .bind(&new.state_json)
        .bind(new.channel)
        .bind(&payload.payload_json)
        .bind(&new.note)
        .bind(new.filed_by)
        .bind(new.filed_at)
        .bind(new.accepted_on)
        .bind(new.due_on)
        .bind(new.decided_at)
        .bind(&payload.seal_ref)
        .bind(&payload.phone_key_id)
        .bind(&payload.phone_cipher)
        .bind(payload.phone_in_clear)
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
pub(super) use insert_event;
