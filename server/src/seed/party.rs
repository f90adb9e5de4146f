//! The party-building demo history: every organization of the demo set (the provincial ones only in a
//! small demo set, as for the annual cycle) gets its party information as dated records over ten years —
//! a liaison first, then the branch an approval set up, later an annual update — the approvals behind
//! them (with a few refused and a few still pending), and the instructors' batches with their
//! assignments, visits and evaluations (`party_batches.rs`).
//!
//! The generator decides only what happened to whom and when; every figure the application shows —
//! coverage, 组建率, approvals per year, batch counts, ratings — is counted from these records by the
//! application's own code. It aims at the case study's 2021 (the constants below): 169 functional and 17
//! entity branches approved for provincial organizations, coverage of provincial organizations at 55% at
//! the year's end. Deterministic; loaded once, in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use domain::party::{ApprovalStatus, PartyInfo, PartyOrgKind, RecordSource, RecordStatus};

use super::party_batches;
use crate::state::today;
use crate::store::Store;
use crate::store::inspection::SeedOrganization;
use crate::store::party::seed::{PartySeed, SeedApproval, SeedRecord};

/// The case study's year and its aims for provincial organizations.
const CASE_YEAR: i32 = 2021;
const AIM_FUNCTIONAL: usize = 169;
const AIM_ENTITY: usize = 17;
const AIM_COVERAGE_PER_MILLE: usize = 550;
/// The first year of the history (ten years back from the last full one).
const FIRST_YEAR: i32 = 2016;

/// Loads the history unless a batch exists already.
pub async fn load(store: &Store, ledger_entries: usize) -> anyhow::Result<()> {
    if store.has_party_batches().await? {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let full = ledger_entries >= super::annual::FULL_HISTORY_LEDGER;
    let mut organizations = store.seed_organizations().await?;
    if !full {
        organizations.retain(|o| o.level == "provincial");
    }
    let names: HashMap<String, String> = store.division_names(None).await?.into_iter().collect();
    let today = today();
    let mut seed = records(&organizations, &names, today);
    seed.batches = party_batches::batches(store, &organizations, today).await?;
    store.insert_party_seed(&seed).await?;
    tracing::info!(
        records = seed.records.len(),
        approvals = seed.approvals.len(),
        batches = seed.batches.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo party history loaded"
    );
    Ok(())
}

/// A deterministic roll for organization `id` and purpose `salt` (splitmix64).
pub(super) fn roll(id: i64, salt: u64) -> u64 {
    let mut z = (id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A day between `from` and `to` (inclusive) picked by `r`.
fn between(from: NaiveDate, to: NaiveDate, r: u64) -> NaiveDate {
    let span = (to - from).num_days().max(0) as u64;
    from + Days::new(r % (span + 1))
}

fn noon(on: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&on.and_hms_opt(2, 0, 0).unwrap_or_default())
}

/// When an organization came into the registry (the demo's own organizations carry no founding day).
fn founded(org: &SeedOrganization) -> NaiveDate {
    org.founded_on.unwrap_or(day(2010, 1, 1))
}

/// What the generator decided for one organization: a branch set up on a day, or none.
struct Fate {
    kind: PartyOrgKind,
    on: NaiveDate,
}

/// The branch each organization gets and when: provincial organizations so that the case year's aims
/// hold, the others by chance.
fn fates(organizations: &[SeedOrganization], today: NaiveDate) -> HashMap<i64, Fate> {
    let case_end = day(CASE_YEAR, 12, 31);
    let mut fates = HashMap::new();
    let mut provincial: Vec<&SeedOrganization> = organizations
        .iter()
        .filter(|o| o.level == "provincial" && o.status == "normal" && founded(o) <= case_end)
        .collect();
    provincial.sort_by_key(|o| roll(o.id, 1));
    let covered = provincial.len() * AIM_COVERAGE_PER_MILLE / 1000;
    let before = covered.saturating_sub(AIM_FUNCTIONAL + AIM_ENTITY);
    let (mut early, mut in_case_year) = (0, 0);
    for org in &provincial {
        let r = roll(org.id, 2);
        if early < before && founded(org) <= day(CASE_YEAR - 1, 6, 30) {
            early += 1;
            fates.insert(org.id, early_fate(org, r));
        } else if in_case_year < AIM_FUNCTIONAL + AIM_ENTITY && founded(org) <= day(CASE_YEAR, 10, 31) {
            let kind = if in_case_year < AIM_ENTITY {
                PartyOrgKind::Entity
            } else {
                PartyOrgKind::Functional
            };
            in_case_year += 1;
            let from = day(CASE_YEAR, 1, 10).max(founded(org) + Days::new(30));
            fates.insert(
                org.id,
                Fate {
                    kind,
                    on: between(from, day(CASE_YEAR, 12, 20), r),
                },
            );
        }
    }
    for org in organizations {
        if fates.contains_key(&org.id) {
            continue;
        }
        let r = roll(org.id, 3);
        let provincial = org.level == "provincial";
        let chance = r % 100;
        let fate = match (provincial, founded(org) <= case_end) {
            // Provincial organizations of the case year not covered by its end: some later.
            (true, true) => (chance < 35).then(|| later_fate(org, r, today)),
            (false, true) if chance < 35 => Some(early_fate(org, r)),
            (false, true) if chance < 43 => {
                let from = day(CASE_YEAR, 1, 10).max(founded(org) + Days::new(30));
                Some(Fate {
                    kind: kind_by(r),
                    on: between(from, day(CASE_YEAR, 12, 20), r >> 8),
                })
            }
            _ => (chance < 60).then(|| later_fate(org, r, today)),
        };
        if let Some(fate) = fate.filter(|f| f.on < today) {
            fates.insert(org.id, fate);
        }
    }
    fates
}

fn kind_by(r: u64) -> PartyOrgKind {
    match (r >> 16) % 100 {
        0..30 => PartyOrgKind::Entity,
        30..40 => PartyOrgKind::Joint,
        _ => PartyOrgKind::Functional,
    }
}

/// A branch before the case year: two in five before the history starts.
fn early_fate(org: &SeedOrganization, r: u64) -> Fate {
    let start = founded(org) + Days::new(60);
    let on = if (r >> 24) % 5 < 2 && start < day(FIRST_YEAR, 1, 1) {
        between(start.max(day(2005, 1, 1)), day(FIRST_YEAR - 1, 12, 20), r >> 32)
    } else {
        between(
            start.max(day(FIRST_YEAR, 1, 10)),
            day(CASE_YEAR - 1, 12, 20),
            r >> 32,
        )
    };
    Fate { kind: kind_by(r), on }
}

/// A branch after the case year, up to a month ago.
fn later_fate(org: &SeedOrganization, r: u64, today: NaiveDate) -> Fate {
    let from = day(CASE_YEAR + 1, 1, 10).max(founded(org) + Days::new(60));
    Fate {
        kind: kind_by(r),
        on: between(from, today - Days::new(30), r >> 32),
    }
}

/// Formal members: what the kind needs, and now and then enough for an entity branch without one.
fn members_for(kind: PartyOrgKind, r: u64) -> u32 {
    let r = (r >> 40) as u32;
    match kind {
        PartyOrgKind::Entity => 3 + r % 15,
        PartyOrgKind::Joint => 1 + r % 2,
        PartyOrgKind::Functional => r % 5,
        PartyOrgKind::NoBranch => [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4][(r % 12) as usize],
    }
}

const LIAISON_SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "周", "徐", "孙", "胡",
];
const LIAISON_GIVEN: [&str; 12] = [
    "建华", "秀英", "志强", "丽娟", "国庆", "海燕", "文博", "晓东", "春梅", "卫东", "明", "静",
];

/// The body that approves branches for an organization: its city's (or the province's) 综合党委.
fn approving_body(org: &SeedOrganization, names: &HashMap<String, String>) -> String {
    let code = if org.level == "provincial" {
        domain::division::PROVINCE_CODE.to_owned()
    } else {
        format!("{}00", &org.division_code[..4])
    };
    let name = names.get(&code).map_or("安徽省", String::as_str);
    format!("中共{name}社会组织综合委员会")
}

/// Every organization's records and the approvals behind its branch.
fn records(
    organizations: &[SeedOrganization],
    names: &HashMap<String, String>,
    today: NaiveDate,
) -> PartySeed {
    let fates = fates(organizations, today);
    let mut seed = PartySeed::default();
    let joint_partners = joint_partners(organizations, &fates);
    for org in organizations {
        let r = roll(org.id, 4);
        let start = founded(org).max(day(FIRST_YEAR, 1, 1));
        let record = |on: NaiveDate, info: PartyInfo, source: RecordSource| SeedRecord {
            organization_id: org.id,
            division_code: org.division_code.clone(),
            effective_on: on,
            info,
            status: RecordStatus::Confirmed,
            source,
            approval: None,
            filed_by: "system",
            created_at: noon(on),
        };
        let liaison = format!(
            "{}{}",
            LIAISON_SURNAMES[(r % 12) as usize],
            LIAISON_GIVEN[((r >> 8) % 12) as usize]
        );
        let groups = PartyInfo {
            trade_union: r % 100 < 40,
            youth_league: (r >> 4) % 100 < 25,
            womens_federation: (r >> 12) % 100 < 20,
            ..PartyInfo::nothing()
        };
        let fate = fates.get(&org.id);
        let mut latest = match fate {
            Some(fate) if fate.on < start => branch(fate, org, names, &joint_partners, &groups, r),
            _ => PartyInfo {
                members: members_for(PartyOrgKind::NoBranch, r),
                liaison: Some(liaison),
                ..groups.clone()
            },
        };
        let mut since = fate.map_or(start, |f| f.on.min(start));
        seed.records
            .push(record(since, latest.clone(), RecordSource::Staff));
        if let Some(fate) = fate.filter(|f| f.on >= start) {
            let info = branch(fate, org, names, &joint_partners, &groups, r);
            let applied_on = fate.on - Days::new(10 + r % 30);
            seed.approvals.push(SeedApproval {
                organization_id: org.id,
                division_code: org.division_code.clone(),
                kind: info.kind,
                members: info.members,
                joint_with: info.joint_with.clone(),
                applied_on: applied_on.max(since),
                approving_body: approving_body(org, names),
                status: ApprovalStatus::Approved,
                decided_on: Some(fate.on),
                note: None,
            });
            let mut approved = record(fate.on, info.clone(), RecordSource::Approval);
            approved.approval = Some(seed.approvals.len() - 1);
            seed.records.push(approved);
            latest = info;
            since = fate.on;
        }
        // An annual update for about a third: more members, another 群团 body.
        let update_from = since + Days::new(365);
        if r.is_multiple_of(3) && update_from < today - Days::new(30) {
            let on = between(update_from, today - Days::new(30), r >> 20);
            let info = PartyInfo {
                members: latest.members + 1 + (r >> 28) as u32 % 2,
                trade_union: true,
                ..latest
            };
            seed.records.push(record(on, info, RecordSource::Staff));
        }
    }
    refusals_and_pending(organizations, &fates, names, today, &mut seed);
    seed
}

/// The branch a fate sets up, with its members and (for a joint branch) the organizations it joins.
fn branch(
    fate: &Fate,
    org: &SeedOrganization,
    names: &HashMap<String, String>,
    partners: &HashMap<i64, Vec<i64>>,
    groups: &PartyInfo,
    r: u64,
) -> PartyInfo {
    let joint_with = match fate.kind {
        PartyOrgKind::Joint => partners.get(&org.id).cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    PartyInfo {
        kind: if joint_with.is_empty() && fate.kind == PartyOrgKind::Joint {
            PartyOrgKind::Functional
        } else {
            fate.kind
        },
        members: members_for(fate.kind, r),
        approved_on: Some(fate.on),
        approving_body: Some(approving_body(org, names)),
        liaison: None,
        joint_with,
        ..groups.clone()
    }
}

/// Joint branches join organizations of the same division in twos and threes, each naming the others.
fn joint_partners(organizations: &[SeedOrganization], fates: &HashMap<i64, Fate>) -> HashMap<i64, Vec<i64>> {
    let mut by_division: HashMap<&str, Vec<i64>> = HashMap::new();
    for org in organizations {
        if fates.get(&org.id).is_some_and(|f| f.kind == PartyOrgKind::Joint) {
            by_division
                .entry(org.division_code.as_str())
                .or_default()
                .push(org.id);
        }
    }
    let mut partners = HashMap::new();
    for ids in by_division.values() {
        for group in ids.chunks(3) {
            for id in group {
                let others: Vec<i64> = group.iter().copied().filter(|o| o != id).collect();
                partners.insert(*id, others);
            }
        }
    }
    partners
}

/// A few applications refused each year, and a few waiting for a decision now, from organizations without
/// a branch; and a few organizations' own updates waiting for staff to confirm.
fn refusals_and_pending(
    organizations: &[SeedOrganization],
    fates: &HashMap<i64, Fate>,
    names: &HashMap<String, String>,
    today: NaiveDate,
    seed: &mut PartySeed,
) {
    let without: Vec<&SeedOrganization> = organizations
        .iter()
        .filter(|o| o.status == "normal" && !fates.contains_key(&o.id))
        .collect();
    for (i, org) in without.iter().enumerate() {
        let r = roll(org.id, 5);
        let pending = i.is_multiple_of(97) && i < 97 * 8;
        let refused = r % 100 < 3;
        if !(pending || refused) {
            continue;
        }
        let kind = if pending {
            PartyOrgKind::Functional
        } else {
            kind_by(r)
        };
        let (applied_on, status, decided_on, note) = if pending {
            (today - Days::new(3 + r % 20), ApprovalStatus::Pending, None, None)
        } else {
            let decided = between(
                founded(org).max(day(FIRST_YEAR, 3, 1)),
                today - Days::new(40),
                r >> 8,
            );
            let note =
                "正式党员人数不足且未明确党员组织关系，暂不具备成立条件，请先配备党建联络员".to_owned();
            (
                decided - Days::new(20),
                ApprovalStatus::Rejected,
                Some(decided),
                Some(note),
            )
        };
        let members = if kind == PartyOrgKind::Entity { 3 } else { 1 };
        seed.approvals.push(SeedApproval {
            organization_id: org.id,
            division_code: org.division_code.clone(),
            kind: if kind == PartyOrgKind::Joint {
                PartyOrgKind::Functional
            } else {
                kind
            },
            members,
            joint_with: Vec::new(),
            applied_on: applied_on.max(founded(org)),
            approving_body: approving_body(org, names),
            status,
            decided_on,
            note,
        });
    }
    for org in without.iter().step_by(211).take(6) {
        let info = PartyInfo {
            members: 2,
            liaison: Some("周文博".to_owned()),
            trade_union: true,
            youth_league: true,
            ..PartyInfo::nothing()
        };
        let on = today - Days::new(5);
        seed.records.push(SeedRecord {
            organization_id: org.id,
            division_code: org.division_code.clone(),
            effective_on: on.with_day(1).unwrap_or(on),
            info,
            status: RecordStatus::Pending,
            source: RecordSource::Organization,
            approval: None,
            filed_by: "system",
            created_at: noon(on),
        });
    }
}
