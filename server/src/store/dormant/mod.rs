//! Dormant organizations' store: cases and their steps (`cases.rs`), the nightly scan that proposes
//! candidates from the records (`scan.rs`), returned letters (`letters.rs`) and the counts by stage and
//! city (`counts.rs`). Lists and lookups take the caller's [`Visibility`](crate::store::Visibility).

mod cases;
mod counts;
mod letters;
mod scan;
mod seed;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::DormantCase;
use domain::dormant::{CaseStage, SignalEvidence};

pub use cases::{CaseFilter, CaseUpdate};
pub use scan::ScanSummary;
pub use seed::SeedOutcome;

pub(crate) const SELECT_CASE: &str = "SELECT c.id, c.organization_id, o.name AS organization_name, o.credit_code,
        c.division_code, c.stage, c.signals_json, c.proposed_on, c.confirmed_on, c.interviewee, c.interviewed_on,
        c.interview_outcome, c.rectification_deadline, c.rectification_requirements, c.closed_on, c.matter_id,
        c.decision_number, c.public_notice, c.note, c.updated_at
    FROM dormant_cases c JOIN organizations o ON o.id = c.organization_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub credit_code: String,
    pub division_code: String,
    stage: String,
    signals_json: String,
    proposed_on: NaiveDate,
    confirmed_on: Option<NaiveDate>,
    interviewee: Option<String>,
    interviewed_on: Option<NaiveDate>,
    interview_outcome: Option<String>,
    rectification_deadline: Option<NaiveDate>,
    rectification_requirements: Option<String>,
    closed_on: Option<NaiveDate>,
    matter_id: Option<i64>,
    decision_number: Option<String>,
    public_notice: Option<String>,
    note: Option<String>,
    updated_at: DateTime<Utc>,
}

impl CaseRow {
    // The column has a CHECK constraint on exactly these values.
    pub fn stage(&self) -> CaseStage {
        CaseStage::parse(&self.stage).unwrap_or(CaseStage::Candidate)
    }

    pub fn to_api(&self) -> DormantCase {
        DormantCase {
            id: self.id,
            organization_id: self.organization_id,
            organization_name: self.organization_name.clone(),
            credit_code: self.credit_code.clone(),
            division_code: self.division_code.clone(),
            stage: self.stage(),
            signals: serde_json::from_str::<Vec<SignalEvidence>>(&self.signals_json).unwrap_or_default(),
            proposed_on: self.proposed_on,
            confirmed_on: self.confirmed_on,
            interviewee: self.interviewee.clone(),
            interviewed_on: self.interviewed_on,
            interview_outcome: self.interview_outcome.clone(),
            rectification_deadline: self.rectification_deadline,
            rectification_requirements: self.rectification_requirements.clone(),
            closed_on: self.closed_on,
            matter_id: self.matter_id,
            decision_number: self.decision_number.clone(),
            public_notice: self.public_notice.clone(),
            note: self.note.clone(),
            updated_at: self.updated_at,
        }
    }
}
