//! What the demo organizations and staff did in each year of `annual.rs`'s history: the reports and their
//! verdicts, the follow-ups, removals and objections, and the 2021 dormant cases' steps.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use domain::calendar::WorkCalendar;
use domain::credit::{CreditList, ObjectionStatus};
use domain::dormant::{CaseStage, revocation_notice};
use domain::inspection::{MemberFee, Officer, ReportInput};

use super::annual::{CASE_STUDY_YEAR, takes_part};
use crate::store::credit::SeedRemoval;
use crate::store::dormant::{CaseUpdate, SeedOutcome};
use crate::store::inspection::{SeedFollowUp, SeedOrganization, SeedReport};
use crate::store::{AuditEntry, Store};

/// The case study's 2021 figures: dormant organizations identified, of which remediated
/// (observation 1,462, deregistered 738, revoked 427) and still in rectification.
const IDENTIFIED: usize = 3_491;
const OUTCOMES: [(CaseStage, usize); 6] = [
    (CaseStage::Observation, 1_462),
    (CaseStage::Deregistered, 738),
    (CaseStage::Revoked, 427),
    (CaseStage::Confirmed, 96),
    (CaseStage::Interviewed, 188),
    (CaseStage::Rectifying, 580),
];
/// Cohort members that stop reporting too but that staff dismiss after checking.
const COHORT_DISMISSED: usize = 120;
/// Provincial non-participants of 2020 interviewed in 2021, ordered to rectify, referred, audited.
const PROVINCIAL_INTERVIEWS: usize = 214;
const PROVINCIAL_RECTIFICATIONS: usize = 70;
const PROVINCIAL_REFERRALS: usize = 32;
const PROVINCIAL_AUDITS: usize = 80;

/// What happens to an organization over the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Stops reporting before 2021 and ends its 2021 case at this stage.
    Dormant(CaseStage),
    /// Stops reporting before 2021, is proposed, and staff dismiss it (or a 2021 candidate dismissed).
    Dismissed,
}

/// A deterministic number from an organization, a year and a purpose (SplitMix64).
fn roll(id: i64, year: i32, salt: u64) -> u64 {
    let mut z = (id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((year as u64) << 20)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

fn at(date: NaiveDate, seconds: u64) -> DateTime<Utc> {
    let time =
        date.and_hms_opt(1, 0, 0).unwrap_or_default() + chrono::Duration::seconds((seconds % 30_000) as i64);
    Utc.from_utc_datetime(&time)
}

/// The dormant cohort: organizations registered by 2017 in normal status, in a fixed pseudo-random order,
/// with the 2021 outcome each will reach.
pub fn fates(organizations: &[SeedOrganization]) -> HashMap<i64, Fate> {
    let mut eligible: Vec<&SeedOrganization> = organizations.iter().filter(|o| takes_part(o, 2016)).collect();
    eligible.sort_by_key(|o| roll(o.id, 0, 1));
    let mut stages = OUTCOMES
        .iter()
        .flat_map(|(stage, n)| std::iter::repeat_n(*stage, *n))
        .map(Fate::Dormant);
    debug_assert_eq!(OUTCOMES.iter().map(|o| o.1).sum::<usize>(), IDENTIFIED);
    eligible
        .into_iter()
        .take(IDENTIFIED + COHORT_DISMISSED)
        .map(|o| (o.id, stages.next().unwrap_or(Fate::Dismissed)))
        .collect()
}

/// Whether the organization sends nothing for `year`.
fn misses(o: &SeedOrganization, year: i32, fate: Option<Fate>) -> bool {
    let chance = roll(o.id, year, 2) % 1000;
    match fate {
        Some(_) if (2019..=2020).contains(&year) => true,
        Some(_) if year == 2018 => chance < 500,
        Some(_) if year == 2017 => chance < 300,
        Some(Fate::Dormant(stage)) if year > 2020 => !stage.is_remediated(),
        _ => chance < 25,
    }
}

const REASONS: [&str; 5] = [
    "财务管理制度不健全，部分支出无合法票据",
    "未按章程按期召开会员（代表）大会",
    "年度工作报告内容与财务报表不一致",
    "内部治理不规范，负责人超龄任职未备案",
    "收费项目未按规定公示",
];

/// The reports of `year` the organizations sent (or keep as drafts) by its deadline, as of `today`.
pub fn reports(
    year: i32,
    organizations: &[SeedOrganization],
    fates: &HashMap<i64, Fate>,
    deadline: NaiveDate,
    today: NaiveDate,
) -> Vec<SeedReport> {
    let opened = day(year + 1, 1, 6);
    let span = (deadline - opened).num_days().max(1) as u64;
    let mut rows = Vec::with_capacity(organizations.len());
    for o in organizations.iter().filter(|o| takes_part(o, year)) {
        let fate = fates.get(&o.id).copied();
        if misses(o, year, fate) {
            continue;
        }
        let r = roll(o.id, year, 3);
        let submitted = opened + Days::new(r % span);
        if submitted > today {
            if r % 10 < 4 {
                rows.push(report(o, year, "draft", None, None, None, None));
            }
            continue;
        }
        let reviewed = submitted + Days::new(10 + (r >> 8) % 50);
        let (stage, result, reasons, reviewed_at) =
            if reviewed > today || (r >> 16) % 100 < 2 && year + 1 == today.year() {
                ("submitted", None, None, None)
            } else {
                let (result, reasons) = match (r >> 24) % 100 {
                    _ if matches!(fate, Some(Fate::Dormant(CaseStage::Observation))) && year > 2020 => {
                        ("basically_qualified", Some("整改后恢复活动，内部治理仍待完善"))
                    }
                    0..86 => ("qualified", None),
                    86..96 => (
                        "basically_qualified",
                        Some(REASONS[(r >> 32) as usize % REASONS.len()]),
                    ),
                    _ => ("unqualified", Some(REASONS[(r >> 40) as usize % REASONS.len()])),
                };
                (
                    "reviewed",
                    Some(result),
                    reasons.map(str::to_owned),
                    Some(at(reviewed, r >> 12)),
                )
            };
        rows.push(report(
            o,
            year,
            stage,
            result,
            reasons,
            Some(at(submitted, r)),
            reviewed_at,
        ));
    }
    rows
}

fn report(
    o: &SeedOrganization,
    year: i32,
    stage: &'static str,
    result: Option<&'static str>,
    reasons: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    reviewed_at: Option<DateTime<Utc>>,
) -> SeedReport {
    let r = roll(o.id, year, 4);
    let revenue_fen = (50_000 + (r % 3_000_000) as i64) * 100;
    let expenses_fen = revenue_fen / 100 * (75 + (r >> 20) as i64 % 30);
    let net_assets_fen = (20_000 + ((r >> 30) % 2_000_000) as i64) * 100;
    let content = ReportInput {
        revenue_fen,
        expenses_fen,
        net_assets_fen,
        activities: format!(
            "{year} 年度按章程开展业务培训、交流研讨和公益服务活动 {} 次",
            3 + r % 20
        ),
        party_building: if r.is_multiple_of(3) {
            "建立党的工作小组，开展主题党日活动".to_owned()
        } else {
            "联合党支部按期开展组织生活".to_owned()
        },
        member_fees: (o.credit_code.starts_with("51") && r.is_multiple_of(2))
            .then(|| MemberFee {
                item: "会员单位会费".to_owned(),
                amount_fen: 100_000 + (r % 9) as i64 * 50_000,
                payers: 20 + (r % 200) as u32,
            })
            .into_iter()
            .collect(),
        officers: vec![Officer {
            name: format!("负责人{}", r % 1000),
            position: "秘书长".to_owned(),
        }],
    };
    SeedReport {
        organization_id: o.id,
        division_code: o.division_code.clone(),
        level: o.level.clone(),
        stage,
        result,
        reasons,
        revenue_fen,
        expenses_fen,
        net_assets_fen,
        content_json: serde_json::to_string(&content).unwrap_or_else(|_| "{}".to_owned()),
        submitted_at,
        reviewed_at,
    }
}

/// Before `year`'s deadline: most organizations listed for an earlier year that sent this year's report
/// apply for removal and the bureau grants it within five working days (what the store's two steps write).
pub async fn remove_listings(
    store: &Store,
    year: i32,
    calendar: &WorkCalendar,
    deadline: NaiveDate,
) -> anyhow::Result<()> {
    let sent: HashMap<i64, DateTime<Utc>> = store.submitted_reports(year).await?.into_iter().collect();
    let mut removals = Vec::new();
    for (id, organization_id, decided_on) in store.current_listing_ids(CreditList::Abnormal).await? {
        let Some(submitted) = sent.get(&organization_id) else {
            continue;
        };
        let r = roll(organization_id, year, 5);
        let applied_on = submitted.date_naive() + Days::new(3 + r % 20);
        if r % 100 >= 80 || applied_on <= decided_on || applied_on >= deadline {
            continue;
        }
        removals.push(SeedRemoval {
            listing_id: id,
            organization_id,
            applied_on,
            decide_by: calendar.add_working_days(applied_on, domain::credit::REMOVAL_DECISION_WORKING_DAYS),
            rectification: format!("已补报 {year} 年度工作报告并完成整改"),
            decided_on: calendar.add_working_days(applied_on, 1 + (r >> 8) as u32 % 4),
        });
    }
    store
        .seed_removals(&removals, &crate::store::credit::system_actor())
        .await?;
    Ok(())
}

/// Staff's follow-ups of `year`'s non-participants after its deadline; in the case study's year, the
/// provincial ones aimed at its figures.
pub async fn follow_ups(
    store: &Store,
    year: i32,
    calendar: &WorkCalendar,
    today: NaiveDate,
) -> anyhow::Result<Vec<SeedFollowUp>> {
    let after = day(year + 1, 6, 1);
    let mut rows = Vec::new();
    let mut provincial = 0;
    for (report_id, organization_id, division_code, level) in store.not_filed_reports(year).await? {
        let r = roll(organization_id, year, 6);
        let on = after + Days::new(10 + r % 80);
        if on > today {
            continue;
        }
        let kinds: Vec<&'static str> = if level == "provincial" && after.year() == CASE_STUDY_YEAR {
            let n = provincial;
            provincial += 1;
            let mut kinds = Vec::new();
            if n < PROVINCIAL_INTERVIEWS {
                kinds.push("interview");
            }
            if n < PROVINCIAL_RECTIFICATIONS {
                kinds.push("rectification");
            } else if n < PROVINCIAL_RECTIFICATIONS + PROVINCIAL_REFERRALS {
                kinds.push("penalty_referral");
            }
            if (100..100 + PROVINCIAL_AUDITS).contains(&n) {
                kinds.push("audit");
            }
            kinds
        } else {
            match r >> 8 & 0xFF {
                0..90 => vec!["interview"],
                90..115 => vec!["interview", "rectification"],
                115..120 => vec!["penalty_referral"],
                120..125 => vec!["audit"],
                _ => Vec::new(),
            }
        };
        for kind in kinds {
            let (interviewee, working_days, due_on, completed_on, outcome) = match kind {
                "interview" => (
                    Some("秘书长".to_owned()),
                    None,
                    None,
                    None,
                    "告知未参加年检的后果，责成说明情况并补报年度工作报告".to_owned(),
                ),
                "rectification" => {
                    let due = calendar.add_working_days(on, 20);
                    let done = (r >> 20 & 0xF < 12)
                        .then(|| due - Days::new(1 + (r >> 24) % 10))
                        .filter(|d| *d <= today);
                    (
                        None,
                        Some(20),
                        Some(due),
                        done,
                        "限期补报年度工作报告，完善内部治理".to_owned(),
                    )
                }
                "penalty_referral" => (None, None, None, None, "移送执法部门依法处理".to_owned()),
                _ => (None, None, None, None, "委托会计师事务所开展财务审计".to_owned()),
            };
            rows.push(SeedFollowUp {
                report_id,
                organization_id,
                division_code: division_code.clone(),
                kind,
                on_date: on,
                interviewee,
                working_days,
                due_on,
                completed_on,
                outcome,
            });
        }
    }
    Ok(rows)
}

/// The 2021 scan (the application's own) on the day after the deadline, then each candidate's steps:
/// the cohort's outcomes, the others dismissed. Returns each organization's final stage.
pub async fn dormant_pipeline(
    store: &Store,
    on: NaiveDate,
    organizations: &[SeedOrganization],
    fates: &HashMap<i64, Fate>,
) -> anyhow::Result<Vec<(i64, CaseStage)>> {
    let scanned = store.scan_dormant(on).await?;
    let names: HashMap<i64, &SeedOrganization> = organizations.iter().map(|o| (o.id, o)).collect();
    let mut outcomes = Vec::new();
    for (n, (case_id, organization_id)) in store.candidates_proposed_on(on).await?.into_iter().enumerate() {
        let stage = match fates.get(&organization_id) {
            Some(Fate::Dormant(stage)) => *stage,
            _ => CaseStage::Dismissed,
        };
        let r = roll(organization_id, CASE_STUDY_YEAR, 7);
        let confirmed = on + Days::new(14 + r % 90);
        let interviewed = confirmed + Days::new(7 + (r >> 8) % 14);
        let deadline = interviewed + Days::new(30 + (r >> 16) % 30);
        let closed = deadline + Days::new(5 + (r >> 24) % 40);
        let mut update = CaseUpdate::default();
        if stage == CaseStage::Dismissed {
            update.closed_on = Some(confirmed);
            update.note = Some("经核查，该组织正常开展活动，未报送系材料延误".to_owned());
        } else {
            update.confirmed_on = Some(confirmed);
        }
        if !matches!(stage, CaseStage::Dismissed | CaseStage::Confirmed) {
            update.interviewee = Some("法定代表人".to_owned());
            update.interviewed_on = Some(interviewed);
            update.interview_outcome = Some("承认长期未按章程开展活动，表示将限期整改".to_owned());
        }
        if !matches!(
            stage,
            CaseStage::Dismissed | CaseStage::Confirmed | CaseStage::Interviewed
        ) {
            update.rectification_deadline = Some(deadline);
            update.rectification_requirements =
                Some("恢复按章程开展活动，补报 2019、2020 年度工作报告".to_owned());
        }
        if stage.is_remediated() {
            update.closed_on = Some(closed);
        }
        match stage {
            CaseStage::Observation => {
                update.note = Some("已恢复活动并补报年度工作报告，保留观察一年".to_owned())
            }
            CaseStage::Deregistered => update.note = Some("经业务主管单位同意，办理注销登记".to_owned()),
            CaseStage::Revoked => {
                let number = format!("皖民罚〔{}〕第 {} 号", closed.year(), 100 + n);
                if let Some(o) = names.get(&organization_id) {
                    update.public_notice = Some(revocation_notice(&o.name, &o.credit_code, &number, closed));
                }
                update.decision_number = Some(number);
            }
            _ => {}
        }
        outcomes.push(SeedOutcome {
            case_id,
            organization_id,
            stage,
            update,
        });
    }
    let actor = crate::store::credit::system_actor();
    store.seed_case_outcomes(&outcomes, &actor).await?;
    tracing::info!(
        flagged = scanned.flagged,
        proposed = scanned.proposed,
        "demo dormant pipeline of 2021"
    );
    Ok(outcomes
        .into_iter()
        .map(|o| (o.organization_id, o.stage))
        .collect())
}

/// A few organizations object to their current listing (some pending, some decided) and some publish an
/// explanation — through the store's own steps.
pub async fn objections(store: &Store, today: NaiveDate) -> anyhow::Result<()> {
    let actor = crate::store::credit::system_actor();
    let audit = |id: i64, action: &'static str| AuditEntry {
        actor: &actor,
        entity_type: "credit_listing",
        entity_id: id.to_string(),
        action,
        before: None,
        after: None,
        reason: Some("演示数据".to_owned()),
    };
    for (n, (id, organization_id, decided_on)) in store
        .current_listing_ids(CreditList::Abnormal)
        .await?
        .into_iter()
        .rev()
        .take(240)
        .enumerate()
    {
        match n % 8 {
            0 | 1 => {
                store
                    .file_objection(
                        id,
                        organization_id,
                        "已在截止日前通过邮寄方式报送年度工作报告",
                        &audit(id, "file_objection"),
                    )
                    .await?;
                if n % 8 == 1 {
                    let decided = today.min(decided_on + Days::new(20));
                    let (status, reasons) = if n % 24 == 1 {
                        (ObjectionStatus::Upheld, "经核实邮寄凭证，报告确于截止日前寄出")
                    } else {
                        (ObjectionStatus::Dismissed, "未能提供按时报送的凭证")
                    };
                    store
                        .decide_objection(
                            id,
                            organization_id,
                            status,
                            decided,
                            reasons,
                            &audit(id, "decide_objection"),
                        )
                        .await?;
                }
            }
            2 | 3 => {
                store
                    .set_explanation(
                        id,
                        organization_id,
                        Some("我单位已补报年度工作报告，正在申请移出"),
                        &audit(id, "explain"),
                    )
                    .await?;
            }
            _ => {}
        }
    }
    Ok(())
}
