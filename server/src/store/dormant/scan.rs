//! The nightly scan (疑似僵尸型社会组织筛查): computes each signal from the records, with its evidence, and
//! proposes as a candidate every organization in normal status that shows one and has no open case (nor
//! one closed within the past year). Staff confirm or dismiss candidates; nothing beyond proposing is
//! automatic. Run twice, the second run proposes nothing new.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use domain::credit::check_letter_interval;
use domain::dormant::{DormantSignal, INACTIVE_DAYS, SignalEvidence};
use serde::Serialize;
use serde_json::json;

use crate::store::credit::timeline;
use crate::store::{Actor, AuditEntry, Store, on_pool};

/// The city of `o.division_code` in SQL (as `contributions::city_of`): the province's code is its own, a
/// city's or county's is its first four digits and `00`. Computed in the insert: reading each
/// organization's division first cost a query per candidate.
const CITY_OF_DIVISION: &str = "CASE WHEN o.division_code LIKE '%0000' THEN o.division_code ELSE SUBSTR(o.division_code, 1, 4) || '00' END";

/// How many candidates one transaction proposes.
const PROPOSALS_PER_TRANSACTION: usize = 200;

/// What one scan did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ScanSummary {
    /// Organizations showing at least one signal.
    pub flagged: u64,
    /// New candidates proposed.
    pub proposed: u64,
}

type Signals = BTreeMap<i64, Vec<SignalEvidence>>;

fn add(signals: &mut Signals, organization_id: i64, signal: DormantSignal, evidence: String) {
    let list = signals.entry(organization_id).or_default();
    if !list.iter().any(|s| s.signal == signal) {
        list.push(SignalEvidence { signal, evidence });
    }
}

impl Store {
    /// Scans the records as of `today` and proposes the candidates; idempotent.
    pub async fn scan_dormant(&self, today: NaiveDate) -> Result<ScanSummary, sqlx::Error> {
        let mut signals = Signals::new();
        self.missed_inspections(today, &mut signals).await?;
        self.inactivity(today, &mut signals).await?;
        self.unreachable(today, &mut signals).await?;
        let mut summary = ScanSummary {
            flagged: signals.len() as u64,
            proposed: 0,
        };
        let open = self.organizations_with_recent_cases(today).await?;
        let actor = crate::store::credit::system_actor();
        let candidates: Vec<(i64, Vec<SignalEvidence>)> = signals
            .into_iter()
            .filter(|(id, _)| open.binary_search(id).is_err())
            .collect();
        // A few hundred proposals per transaction: a first scan of a large registry proposes thousands,
        // and one transaction each would hold the writer for minutes.
        for (n, batch) in candidates.chunks(PROPOSALS_PER_TRANSACTION).enumerate() {
            if n > 0 {
                crate::store::other_writers_turn().await;
            }
            summary.proposed += self.propose_cases(batch, today, &actor).await?;
        }
        Ok(summary)
    }

    /// Proposes each candidate of the batch, with its timeline event and audit row, in one transaction;
    /// how many were proposed (an organization with an open case, or no longer in normal status, is not).
    async fn propose_cases(
        &self,
        batch: &[(i64, Vec<SignalEvidence>)],
        today: NaiveDate,
        actor: &Actor,
    ) -> Result<u64, sqlx::Error> {
        let now = Utc::now();
        let insert = format!(
            "INSERT INTO dormant_cases (organization_id, division_code, city_code, stage, signals_json,
                         proposed_on, created_at, updated_at)
                     SELECT o.id, o.division_code, {CITY_OF_DIVISION}, 'candidate', $2, $3, $4, $4 FROM organizations o
                     WHERE o.id = $1 AND o.status = 'normal' AND NOT EXISTS (
                         SELECT 1 FROM dormant_cases c WHERE c.organization_id = o.id AND c.closed_on IS NULL)
                     RETURNING id"
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut proposed = 0;
            for (organization_id, evidence) in batch {
                let json = serde_json::to_string(evidence).unwrap_or_else(|_| "[]".to_owned());
                let inserted: Option<(i64,)> = sqlx::query_as(&insert)
                .bind(organization_id).bind(&json).bind(today).bind(now)
                .fetch_optional(&mut *tx).await?;
                let Some((id,)) = inserted else { continue };
                timeline!(&mut *tx, *organization_id, "dormant_case", "列为疑似僵尸型社会组织（待认定）", actor);
                let audit = AuditEntry {
                    actor,
                    entity_type: "dormant_case",
                    entity_id: id.to_string(),
                    action: "propose",
                    before: None,
                    after: Some(json!({ "organization_id": organization_id, "signals": evidence })),
                    reason: Some("疑似僵尸型社会组织筛查".to_owned()),
                };
                crate::store::audit::record_audit!(&mut *tx, &audit)?;
                proposed += 1;
            }
            tx.commit().await?;
            Ok(proposed)
        })
    }

    /// 连续两年未参检: 未报送 (or filed late) in two consecutive years, the later one of the last two.
    async fn missed_inspections(&self, today: NaiveDate, signals: &mut Signals) -> Result<(), sqlx::Error> {
        let rows: Vec<(i64, i32, i64, i64)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT a.organization_id, a.year, b.id, a.id FROM annual_reports a
                 JOIN annual_reports b ON b.organization_id = a.organization_id AND b.year = a.year - 1
                 WHERE a.year >= $1 AND (a.stage = 'not_filed' OR a.late) AND (b.stage = 'not_filed' OR b.late)",
            )
            .bind(today.year() - 2).fetch_all(pool).await?
        });
        for (organization_id, year, earlier, later) in rows {
            let evidence = format!(
                "{}、{year} 年度均未按时参加年检（年度报告 #{earlier}、#{later}）",
                year - 1
            );
            add(
                signals,
                organization_id,
                DormantSignal::MissedTwoInspections,
                evidence,
            );
        }
        Ok(())
    }

    /// 成立后一年内未开展活动 and 连续一年未按章程开展活动: no report sent, matter filed or contribution
    /// dated within the year after founding, or within the past year.
    async fn inactivity(&self, today: NaiveDate, signals: &mut Signals) -> Result<(), sqlx::Error> {
        let year_ago = today - Duration::days(INACTIVE_DAYS);
        let since = year_ago.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let rows: Vec<(i64, Option<NaiveDate>)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT o.id, o.founded_on FROM organizations o
                 WHERE o.status = 'normal' AND (o.founded_on IS NULL OR o.founded_on <= $1)
                   AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.organization_id = o.id AND r.submitted_at >= $2)
                   AND NOT EXISTS (SELECT 1 FROM matters m WHERE m.organization_id = o.id AND m.filed_at >= $2)
                   AND NOT EXISTS (SELECT 1 FROM contributions c WHERE c.organization_id = o.id AND c.year >= $3
                                   AND c.date >= $1)",
            )
            .bind(year_ago).bind(since).bind(year_ago.year()).fetch_all(pool).await?
        });
        for (organization_id, founded_on) in rows {
            let recent = founded_on.is_some_and(|f| f > year_ago - Duration::days(INACTIVE_DAYS));
            let (signal, evidence) = match founded_on {
                Some(founded) if recent => (
                    DormantSignal::InactiveAfterRegistration,
                    format!("{founded} 成立登记后一年内无年度报告、登记事项或贡献记录"),
                ),
                _ => (
                    DormantSignal::InactiveForAYear,
                    format!("{year_ago} 以来无年度报告、登记事项或贡献记录"),
                ),
            };
            add(signals, organization_id, signal, evidence);
        }
        Ok(())
    }

    /// 无法取得联系: two returned letters, sent 20–60 days apart, within the past year.
    async fn unreachable(&self, today: NaiveDate, signals: &mut Signals) -> Result<(), sqlx::Error> {
        let rows: Vec<(i64, i64, NaiveDate)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, organization_id, sent_on FROM returned_letters WHERE sent_on >= $1
                 ORDER BY organization_id, sent_on",
            )
            .bind(today - Duration::days(INACTIVE_DAYS)).fetch_all(pool).await?
        });
        for pair in rows.windows(2) {
            let ((first_id, org, first), (second_id, org2, second)) = (pair[0], pair[1]);
            if org == org2 && check_letter_interval(first, second).is_ok() {
                let evidence = format!(
                    "{first}、{second} 寄往登记住所的专用信函均被退回（退信 #{first_id}、#{second_id}）"
                );
                add(signals, org, DormantSignal::Unreachable, evidence);
            }
        }
        Ok(())
    }

    /// Organizations with an open case or one closed within the past year (sorted): not proposed again.
    async fn organizations_with_recent_cases(&self, today: NaiveDate) -> Result<Vec<i64>, sqlx::Error> {
        let rows: Vec<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT DISTINCT organization_id FROM dormant_cases WHERE closed_on IS NULL OR closed_on >= $1
                 ORDER BY organization_id",
            )
            .bind(today - Duration::days(INACTIVE_DAYS)).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
