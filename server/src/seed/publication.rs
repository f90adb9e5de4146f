//! The publication history (双公示) of the demo set, and the items of decisions made before the outbox.
//!
//! The case study reports 382 licensing and 15 penalty decisions in 2021, all published on time. The
//! demo registry's decisions of 2021 are generated here — which organization's matter was decided on which
//! working day, and on which day the platform confirmed its publication (one to six working days later) —
//! and their items are written by the outbox's own code; the app computes the on-time rate from them.
//! Penalty decisions get their items when they are decided (`seed::enforcement`); the demo's past ones
//! were published by upload two working days after the decision (`publish_penalties`).

use chrono::{Datelike, NaiveDate, NaiveTime};
use domain::calendar::WorkCalendar;
use domain::registry::matter::MatterKind;

use crate::store::Store;
use crate::store::publication::seed::SeedDecision;

/// The year of the case study's figures.
const CASE_YEAR: i32 = 2021;
/// Licensing decisions of the case year (all published on time).
const LICENSING_DECISIONS: usize = 382;

/// Writes the item of every decision that has none (decisions recorded before migration 0016): due
/// seven working days after the decision, pushed at once. Every start; nothing when all have one.
pub async fn backfill(store: &Store) -> anyhow::Result<()> {
    let written = store
        .enqueue_missing_publications(&WorkCalendar::mainland_china())
        .await?;
    if written > 0 {
        tracing::info!(items = written, "publication items written for earlier decisions");
    }
    Ok(())
}

/// Loads the case year's licensing decisions and their publication unless that year has decisions, and
/// the publication of the demo's past penalty decisions.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    publish_penalties(store).await?;
    if store.licensing_decisions_in(CASE_YEAR).await? > 0 {
        return Ok(());
    }
    let organizations = store
        .publication_seed_organizations(LICENSING_DECISIONS as i64)
        .await?;
    if organizations.len() < LICENSING_DECISIONS {
        return Ok(());
    }
    let calendar = WorkCalendar::mainland_china();
    let decisions = generate(&organizations, &calendar);
    store.insert_seed_decisions(&decisions, &calendar).await?;
    tracing::info!(decisions = decisions.len(), "demo publication history loaded");
    Ok(())
}

/// Marks every penalty decision of the demo that is still unpublished and due before today as published
/// by upload two working days after it was decided (within its seven), through the outbox's own
/// `mark_published`, audited as the seed. Nothing when none is left.
async fn publish_penalties(store: &Store) -> anyhow::Result<()> {
    use crate::store::publication::PublicationFilter;
    use crate::store::{Actor, AuditEntry, Visibility};
    use domain::paging::PageRequest;
    use domain::publication::{DecisionKind, PublicationStatus};

    let calendar = WorkCalendar::mainland_china();
    let today = crate::state::today();
    let actor = Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "seed".to_owned(),
    };
    let filter = PublicationFilter {
        status: Some(PublicationStatus::Pending),
        kind: Some(DecisionKind::Penalty),
        ..PublicationFilter::default()
    };
    let page = PageRequest::new(Some(1), Some(100))?;
    let (items, _) = store.list_publications(&Visibility::All, &filter, page).await?;
    for item in items.iter().filter(|i| i.due_on < today) {
        let on = calendar.add_working_days(item.decided_on, 2);
        let audit = AuditEntry {
            actor: &actor,
            entity_type: "publication_item",
            entity_id: item.id.to_string(),
            action: "mark_published",
            before: None,
            after: None,
            reason: Some("演示数据".to_owned()),
        };
        store
            .mark_published(
                item,
                on,
                Some("演示数据：已上传至信用平台"),
                chrono::Utc::now(),
                &audit,
            )
            .await?;
    }
    Ok(())
}

/// The case year's decisions, spread over its working days in order, each confirmed by the platform
/// one to six working days after it.
fn generate(organizations: &[(i64, String, String, String)], calendar: &WorkCalendar) -> Vec<SeedDecision> {
    let first = NaiveDate::from_ymd_opt(CASE_YEAR, 1, 1).expect("a day");
    let working: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| d.year() == CASE_YEAR)
        .filter(|d| calendar.is_working_day(*d))
        .collect();
    let kinds = [
        MatterKind::Change,
        MatterKind::ReElection,
        MatterKind::Filing,
        MatterKind::Change,
    ];
    // 10:00 in China.
    let morning = NaiveTime::from_hms_opt(2, 0, 0).expect("a time");
    organizations
        .iter()
        .take(LICENSING_DECISIONS)
        .enumerate()
        .map(|(i, (id, name, _, _))| {
            let decided_on = working[i * working.len() / LICENSING_DECISIONS];
            let kind = kinds[i % kinds.len()];
            // A fixed spread, not a random one: the same history on every database.
            let lag = 1 + (i * 7 % 6) as u32;
            SeedDecision {
                organization_id: *id,
                kind,
                content: format!("准予{}：{name}", kind.label_zh()),
                decided_on,
                decided_at: decided_on.and_time(morning).and_utc(),
                published_on: calendar.add_working_days(decided_on, lag),
                receipt: format!("AHXY-{CASE_YEAR}-{:06}", i + 1),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_case_years_decisions_are_all_published_within_seven_working_days() {
        let calendar = WorkCalendar::mainland_china();
        let organizations: Vec<_> = (0..LICENSING_DECISIONS as i64)
            .map(|i| (i, format!("社会组织{i}"), String::new(), "340100".to_owned()))
            .collect();
        let decisions = generate(&organizations, &calendar);
        assert_eq!(decisions.len(), 382);
        assert!(decisions.iter().all(|d| d.decided_on.year() == CASE_YEAR));
        assert!(decisions.iter().all(|d| {
            d.published_on > d.decided_on
                && d.published_on <= domain::publication::due_on(d.decided_on, &calendar)
        }));
    }
}
