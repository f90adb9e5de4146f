//! The contribution ledger's store: entries and their review, scholarship recipients (sealed), evidence
//! files, totals and the demo load. Every list and lookup takes the caller's [`Visibility`], applied in
//! the query, so a record outside the caller's world is simply not found.
//!
//! [`Visibility`]: crate::store::Visibility

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::Contribution;
use domain::contributions::{ContributionKind, ContributionStatus, ExpoRole};
use domain::money::Fen;

mod entries;
mod recipients;
mod review;
mod seed;
mod totals;

pub use entries::{Created, NewContribution};
pub use recipients::{RecipientRow, ResealedRecipient, SealedRecipient};
pub use seed::SeedContribution;
pub use totals::TotalsBy;

/// A filter on the list, the export and the totals.
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

/// The city an entry counts under: `3401xx` → `340100`; provincial organizations stay `340000`.
pub fn city_of(division_code: &str) -> String {
    match division_code.get(..4) {
        Some(prefix) if !division_code.ends_with("0000") => format!("{prefix}00"),
        _ => division_code.to_owned(),
    }
}

/// Pushes ` WHERE` with the visibility and the filter conditions that are set onto a `QueryBuilder` over
/// `contributions c`. Only set conditions are written: a `($1 IS NULL OR col = $1)` condition keeps SQLite
/// from using an index, and the totals must.
macro_rules! push_ledger_where {
    ($qb:expr, $visibility:expr, $filter:expr) => {{
        $qb.push(" WHERE 1 = 1");
        $crate::store::push_visibility!($qb, $visibility, "c.organization_id", "c.division_code");
        if let Some(id) = $filter.organization_id {
            $qb.push(" AND c.organization_id = ").push_bind(id);
        }
        if let Some(kind) = $filter.kind {
            $qb.push(" AND c.kind = ").push_bind(kind.key());
        }
        if let Some(status) = $filter.status {
            $qb.push(" AND c.status = ").push_bind(status.key());
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
use push_ledger_where;

/// An entry as listed: the ledger row with its organization's and village's names and its counts.
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

#[cfg(test)]
mod tests {
    use super::city_of;

    #[test]
    fn an_entry_counts_under_its_city_and_provincial_ones_under_the_province() {
        assert_eq!(city_of("340104"), "340100");
        assert_eq!(city_of("340100"), "340100");
        assert_eq!(city_of("340000"), "340000");
    }
}
