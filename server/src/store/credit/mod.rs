//! Credit-list records (`DOMAIN.md` §3): listings with their events, notices, objections, explanations and
//! removals (`listings.rs`, `requests.rs`), the public list (`public.rs`) and the daily rules that list and
//! move organizations by themselves (`rules.rs`). The registry reads an organization's current listing
//! from here (`credit_listings` with `ended_on IS NULL`); there is no separate flag to drift.

mod listings;
mod public;
mod requests;
mod rules;
mod seed;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{CreditListing, Objection, Removal};
use domain::credit::{
    CreditList, CreditStanding, EventKind, Listing, ListingEnd, ListingEvent, ListingReason, ObjectionStatus,
    RemovalApplication, RemovalDecision, notice_number,
};

pub(crate) use listings::record_listing_on;
pub use listings::{ListingFilter, ListingState, NewListing};
pub use rules::RuleRunSummary;
pub(crate) use rules::system_actor;
pub use seed::SeedRemoval;

/// Appends a line to an organization's timeline on `$conn` (the change's transaction).
macro_rules! timeline {
    ($conn:expr, $organization_id:expr, $kind:expr, $summary:expr, $actor:expr) => {{
        let actor: &$crate::store::Actor = $actor;
        sqlx::query(
            "INSERT INTO organization_events (organization_id, matter_id, at, kind, summary, actor_name)
             VALUES ($1, NULL, $2, $3, $4, $5)",
        )
        .bind($organization_id)
        .bind(chrono::Utc::now())
        .bind($kind)
        .bind($summary)
        .bind(&actor.name)
        .execute($conn)
        .await?;
    }};
}
pub(crate) use timeline;

/// A listing as stored, with its organization's name and code.
pub(crate) const SELECT_LISTING: &str =
    "SELECT l.id, l.organization_id, o.name AS organization_name, o.credit_code,
        l.division_code, l.list, l.reason, l.event_kind, l.event_id, l.event_summary, l.decided_on,
        l.period_start, l.ended_on, l.end_kind, l.removal_applied_on, l.removal_decide_by,
        l.removal_rectification, l.removal_decision, l.removal_decided_on, l.removal_reasons,
        l.objection_status, l.objection_grounds, l.objection_filed_at, l.objection_decided_on,
        l.objection_reasons, l.explanation
    FROM credit_listings l JOIN organizations o ON o.id = l.organization_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListingRow {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub credit_code: String,
    pub division_code: String,
    list: String,
    reason: String,
    pub event_kind: String,
    pub event_id: Option<i64>,
    event_summary: String,
    pub decided_on: NaiveDate,
    pub period_start: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    end_kind: Option<String>,
    removal_applied_on: Option<NaiveDate>,
    removal_decide_by: Option<NaiveDate>,
    removal_rectification: Option<String>,
    removal_decision: Option<String>,
    removal_decided_on: Option<NaiveDate>,
    removal_reasons: Option<String>,
    objection_status: Option<String>,
    objection_grounds: Option<String>,
    objection_filed_at: Option<DateTime<Utc>>,
    objection_decided_on: Option<NaiveDate>,
    objection_reasons: Option<String>,
    pub explanation: Option<String>,
}

impl ListingRow {
    // The columns have CHECK constraints on these values, or are written only from the enums' keys.
    pub fn list(&self) -> CreditList {
        CreditList::parse(&self.list).unwrap_or(CreditList::Abnormal)
    }

    pub fn reason(&self) -> ListingReason {
        ListingReason::parse(&self.reason).unwrap_or(ListingReason::OtherAbnormal)
    }

    pub fn objection_status(&self) -> Option<ObjectionStatus> {
        self.objection_status.as_deref().and_then(ObjectionStatus::parse)
    }

    /// Whether an application for removal waits for the bureau's decision.
    pub fn removal_pending(&self) -> bool {
        self.removal_applied_on.is_some() && self.removal_decision.is_none()
    }

    pub fn removal_applied_on(&self) -> Option<NaiveDate> {
        self.removal_applied_on
    }

    /// The record as the domain's standing, to run its transitions (the period restarted at `period_start`).
    pub fn standing(&self) -> CreditStanding {
        if self.ended_on.is_some() {
            return CreditStanding::Clear;
        }
        let reason = self.reason();
        let later = (self.period_start > self.decided_on)
            .then_some(ListingEvent {
                reason,
                on: self.period_start,
            })
            .into_iter()
            .collect();
        let removal = match (
            self.removal_pending(),
            self.removal_applied_on,
            self.removal_decide_by,
        ) {
            (true, Some(applied_on), Some(decide_by)) => Some(RemovalApplication {
                applied_on,
                decide_by,
            }),
            _ => None,
        };
        CreditStanding::Listed(Listing {
            list: self.list(),
            first: ListingEvent {
                reason,
                on: self.decided_on,
            },
            later,
            removal,
        })
    }

    pub fn to_api(&self) -> CreditListing {
        let removal = self.removal_applied_on.map(|applied_on| Removal {
            applied_on,
            decide_by: self.removal_decide_by.unwrap_or(applied_on),
            rectification: self.removal_rectification.clone().unwrap_or_default(),
            decision: self
                .removal_decision
                .as_deref()
                .and_then(|d| RemovalDecision::parse(d).ok()),
            decided_on: self.removal_decided_on,
            reasons: self.removal_reasons.clone(),
        });
        let objection = self.objection_status().map(|status| Objection {
            status,
            grounds: self.objection_grounds.clone().unwrap_or_default(),
            filed_at: self.objection_filed_at.unwrap_or_default(),
            decided_on: self.objection_decided_on,
            reasons: self.objection_reasons.clone(),
        });
        CreditListing {
            id: self.id,
            organization_id: self.organization_id,
            organization_name: self.organization_name.clone(),
            credit_code: self.credit_code.clone(),
            division_code: self.division_code.clone(),
            list: self.list(),
            reason: self.reason(),
            event_kind: EventKind::parse(&self.event_kind).unwrap_or(EventKind::StaffDecision),
            event_id: self.event_id,
            event_summary: self.event_summary.clone(),
            decided_on: self.decided_on,
            period_start: self.period_start,
            notice_number: notice_number(self.list(), self.decided_on, self.id),
            current: self.ended_on.is_none(),
            ended_on: self.ended_on,
            end: self.end_kind.as_deref().and_then(ListingEnd::parse),
            removal,
            objection,
            explanation: self.explanation.clone(),
            notice: None,
        }
    }
}
