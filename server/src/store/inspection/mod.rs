//! The annual inspection's store: cycles (`cycles.rs`, with the closing at the deadline that the daily
//! rules run), reports and their review (`reports.rs`) and follow-ups (`follow_ups.rs`). Every list and
//! lookup takes the caller's [`Visibility`](crate::store::Visibility), applied in the query.

mod cycles;
mod follow_ups;
mod reports;
mod seed;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{AnnualReport, FollowUp, InspectionCycle};
use domain::inspection::{FollowUpKind, InspectionResult, ReportInput, ReportStage};
use domain::registry::organization::Level;

pub use cycles::ClosedCycles;
pub use reports::{ReportFilter, ReportPlace, StageChange};
pub use seed::{SeedFollowUp, SeedOrganization, SeedReport};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CycleRow {
    pub id: i64,
    pub year: i32,
    pub deadline: NaiveDate,
    levels: String,
    pub division_code: String,
    pub division_prefix: String,
    opened_at: DateTime<Utc>,
    closed_on: Option<NaiveDate>,
}

impl CycleRow {
    pub fn levels(&self) -> Vec<Level> {
        self.levels
            .split(',')
            .filter_map(|l| Level::parse(l).ok())
            .collect()
    }

    /// Whether an organization of `level` registered in `division_code` takes part.
    pub fn covers(&self, level: Level, division_code: &str) -> bool {
        self.levels().contains(&level) && division_code.starts_with(&self.division_prefix)
    }

    pub fn to_api(&self) -> InspectionCycle {
        InspectionCycle {
            id: self.id,
            year: self.year,
            deadline: self.deadline,
            levels: self.levels(),
            division_code: self.division_code.clone(),
            opened_at: self.opened_at,
            closed_on: self.closed_on,
        }
    }
}

pub(crate) const SELECT_REPORT: &str = "SELECT r.id, r.year, r.organization_id, o.name AS organization_name,
        r.division_code, r.level, r.stage, r.result, r.reasons, r.late, r.submitted_at, r.reviewed_at, r.content_json
    FROM annual_reports r JOIN organizations o ON o.id = r.organization_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub year: i32,
    pub organization_id: i64,
    pub organization_name: String,
    pub division_code: String,
    level: String,
    stage: String,
    result: Option<String>,
    reasons: Option<String>,
    late: bool,
    submitted_at: Option<DateTime<Utc>>,
    reviewed_at: Option<DateTime<Utc>>,
    content_json: String,
}

impl ReportRow {
    // The columns have CHECK constraints on exactly these values.
    pub fn stage(&self) -> ReportStage {
        ReportStage::parse(&self.stage).unwrap_or(ReportStage::Draft)
    }

    pub fn result(&self) -> Option<InspectionResult> {
        self.result.as_deref().and_then(InspectionResult::parse)
    }

    /// The report as lists show it (without content) or, `full`, with it.
    pub fn to_api(&self, full: bool) -> AnnualReport {
        AnnualReport {
            id: self.id,
            year: self.year,
            organization_id: self.organization_id,
            organization_name: self.organization_name.clone(),
            division_code: self.division_code.clone(),
            level: Level::parse(&self.level).unwrap_or(Level::County),
            stage: self.stage(),
            result: self.result(),
            reasons: self.reasons.clone(),
            late: self.late,
            submitted_at: self.submitted_at,
            reviewed_at: self.reviewed_at,
            content: full
                .then(|| serde_json::from_str::<ReportInput>(&self.content_json).unwrap_or_default()),
            follow_ups: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowUpRow {
    pub id: i64,
    pub report_id: i64,
    pub organization_id: i64,
    kind: String,
    on_date: NaiveDate,
    interviewee: Option<String>,
    working_days: Option<i64>,
    due_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    outcome: String,
    recorded_by: String,
}

impl FollowUpRow {
    pub fn kind(&self) -> FollowUpKind {
        FollowUpKind::parse(&self.kind).unwrap_or(FollowUpKind::Interview)
    }

    pub fn to_api(&self) -> FollowUp {
        FollowUp {
            id: self.id,
            report_id: self.report_id,
            kind: self.kind(),
            on: self.on_date,
            interviewee: self.interviewee.clone(),
            working_days: self.working_days.and_then(|d| u32::try_from(d).ok()),
            due_on: self.due_on,
            completed_on: self.completed_on,
            outcome: self.outcome.clone(),
            recorded_by: self.recorded_by.clone(),
        }
    }
}
