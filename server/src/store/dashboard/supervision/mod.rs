//! 综合监管 — the supervision figures: illegal organizations published and banned, dormant organizations
//! identified and remediated, fee inspections, follow-ups of the organizations that missed the annual
//! inspection, and the provincial decisions with their publication on time. Each counts the records of its
//! own module by that module's rules (the stages, dispositions and timeliness that module counts by).

mod annual;
mod decisions;
mod enforcement;
mod fees;

use domain::dashboard::FigureKey;

use super::Measure;

pub(super) fn measure(key: FigureKey) -> Measure {
    match key {
        FigureKey::IllegalPublished | FigureKey::IllegalBatches | FigureKey::IllegalBanned => {
            enforcement::illegal(key)
        }
        FigureKey::DormantIdentified | FigureKey::DormantRemediated | FigureKey::DormantInRectification => {
            enforcement::dormant(key)
        }
        FigureKey::FeeInspected
        | FigureKey::FeeViolations
        | FigureKey::FeesStandardized
        | FigureKey::FeeBurdenRemoved
        | FigureKey::FeeEnterprisesBenefited => fees::measure(key),
        FigureKey::AnnualMissingInterviewed
        | FigureKey::AnnualMissingPenalized
        | FigureKey::AnnualMissingAudited => annual::measure(key),
        FigureKey::LicensingDecisions | FigureKey::PenaltyDecisions | FigureKey::PublicationOnTime => {
            decisions::measure(key)
        }
        other => unreachable!("{other:?} is not a supervision figure"),
    }
}
