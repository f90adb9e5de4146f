//! Fee inspections' demo history: a campaign a year from 2021, each drawn through the application's own
//! draw (`Store::draw_fee_campaign`, from a seed recorded with it) over the demo registry's business
//! associations with the demo staff as the inspector pool, and each drawn association's inspection
//! recorded by its first drawn inspector through `Store::record_fee_inspection` — a 查处 opening its
//! penalty case as the API does. The generator decides only the fee items and their dispositions; the
//! burden removed and the enterprises benefited follow from the items by `domain::fees`.
//!
//! 2021 is aimed at the case study (1,118 associations inspected, 3 violations, 650 associations' fees
//! standardized, 5,700万元 of burden removed, more than 20,000 enterprises benefited): its item incomes
//! are chosen so that the rules' sum lands there. Last year's campaign is still being recorded, and this
//! year's is set up but not drawn. A small demo set (the tests') gets last year's campaign of 12
//! associations and this year's. Deterministic; loaded once.

use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use domain::api::FeeItemInput;
use domain::fees::draw::SplitMix64;
use domain::fees::{Disposition, FeeFinding, burden_removed};
use domain::money::Fen;
use serde_json::json;

use super::annual::{CASE_STUDY_YEAR, FULL_HISTORY_LEDGER};
use crate::state::today;
use crate::store::fees::{NewCampaign, NewItem};
use crate::store::penalties::NewPenalty;
use crate::store::{Actor, AuditEntry, Store};

/// The demo staff accounts that make up the inspector pool.
const POOL: [&str; 3] = ["demo-admin", "demo-hefei", "demo-wuhu"];

/// 2021's aims (the case study): inspected, violations, fees standardized, burden removed in fen.
const AIM_INSPECTED: u32 = 1_118;
const AIM_VIOLATIONS: usize = 3;
const AIM_STANDARDIZED: usize = 650;
const AIM_BURDEN_FEN: i64 = 5_700_000_000;
/// Of the standardized, those whose burden is removed: a third by reducing a fee, the rest by cancelling.
const BURDEN_REMOVING: usize = 420;

/// What the generator decides for one inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Clean,
    /// 规范 or 公开, nothing removed.
    PutRight,
    /// 降低 a fee: (payers, old standard, new standard) in fen.
    Reduce(i64, i64, i64),
    /// 取消 a fee: (payers, annual income) in fen.
    Cancel(i64, i64),
    Violation,
}

/// Loads the history unless a campaign exists already.
pub async fn load(store: &Store, ledger_entries: usize) -> anyhow::Result<()> {
    if store.has_fee_campaigns().await? {
        return Ok(());
    }
    let mut pool = Vec::new();
    for name in POOL {
        if let Some(user) = store.find_user_for_login(name).await? {
            pool.push(user);
        }
    }
    if pool.len() < 2 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let ids: Vec<i64> = pool.iter().map(|u| u.id).collect();
    let full = ledger_entries >= FULL_HISTORY_LEDGER;
    let this_year = today().year();
    let last = this_year - 1;
    let first = if full { CASE_STUDY_YEAR } else { last };
    conflict(store, &pool[pool.len() - 1], first).await?;
    for year in first..=last {
        let sample = match (full, year) {
            (false, _) => 12,
            (true, CASE_STUDY_YEAR) => AIM_INSPECTED,
            (true, _) => 900 - 40 * (year - CASE_STUDY_YEAR) as u32,
        };
        let id = campaign(store, year, sample, &ids).await?;
        let Some(row) = store.find_fee_campaign(id).await? else {
            continue;
        };
        let drawn_at = Utc
            .with_ymd_and_hms(year, 4, 15, 2, 0, 0)
            .single()
            .unwrap_or_else(Utc::now);
        let actor = actor_of(&pool[0]);
        let seed = 0x5348_4547_5541_4E00_u64 + year as u64;
        store.draw_fee_campaign(&row, seed, drawn_at, &actor).await?;
        record(store, id, year, year == last, &pool).await?;
        if year < last {
            store.close_fee_campaign(id, &audit(&actor, id, "close")).await?;
        }
    }
    campaign(store, this_year, if full { 1_000 } else { 20 }, &ids).await?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo fee inspections loaded"
    );
    Ok(())
}

fn actor_of(user: &crate::store::accounts::UserRecord) -> Actor {
    Actor {
        user_id: Some(user.id),
        name: user.username.clone(),
        role: domain::policy::Role::parse(&user.role),
        client_addr: "seed".to_owned(),
    }
}

fn audit<'a>(actor: &'a Actor, id: i64, action: &'a str) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        entity_type: "fee_campaign",
        entity_id: id.to_string(),
        action,
        before: None,
        after: None,
        reason: Some("演示数据".to_owned()),
    }
}

/// One inspector tied to the first eligible association (by credit code), known before the first draw.
async fn conflict(
    store: &Store,
    inspector: &crate::store::accounts::UserRecord,
    year: i32,
) -> anyhow::Result<()> {
    let eligible = store.fee_eligible_associations("34", &[]).await?;
    let Some((association, _)) = eligible.first() else {
        return Ok(());
    };
    let actor = actor_of(inspector);
    let at = Utc
        .with_ymd_and_hms(year, 1, 10, 2, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let entry = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "fee_conflict",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(json!({ "organization_id": association.id })),
        reason: Some("演示数据".to_owned()),
    };
    store
        .insert_fee_conflict(
            inspector.id,
            association.id,
            "曾任该协会理事",
            "demo-admin",
            at,
            entry,
        )
        .await?;
    Ok(())
}

async fn campaign(store: &Store, year: i32, sample: u32, pool: &[i64]) -> anyhow::Result<i64> {
    let new = NewCampaign {
        year,
        title: format!("{year}年全省行业协会商会涉企收费检查"),
        division_code: domain::division::PROVINCE_CODE.to_owned(),
        levels: Vec::new(),
        checklist: FeeFinding::ALL.to_vec(),
        sample_size: sample,
        inspectors_per_association: 2,
        pool: pool.to_vec(),
        created_by: "demo-admin".to_owned(),
    };
    let system = Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "seed".to_owned(),
    };
    Ok(store
        .insert_fee_campaign(&new, |id| audit(&system, id, "create"))
        .await?)
}

/// Records the campaign's drawn inspections (the last year's only seven in eight of them).
async fn record(
    store: &Store,
    campaign_id: i64,
    year: i32,
    in_progress: bool,
    pool: &[crate::store::accounts::UserRecord],
) -> anyhow::Result<()> {
    let pending = store.fee_pending_inspections(campaign_id).await?;
    let mut dice = SplitMix64::new(year as u64 * 7919);
    let fates = if year == CASE_STUDY_YEAR && pending.len() == AIM_INSPECTED as usize {
        case_study_fates(&mut dice)
    } else {
        (0..pending.len()).map(|_| random_fate(&mut dice)).collect()
    };
    let start = NaiveDate::from_ymd_opt(year, 5, 6).unwrap_or_else(today);
    let count = pending.len().max(1) as u64;
    for (k, ((id, organization_id, division, inspector), fate)) in pending.iter().zip(fates).enumerate() {
        if in_progress && k % 8 == 7 {
            continue;
        }
        let Some(user) = pool.iter().find(|u| u.id == *inspector) else {
            continue;
        };
        let on = start + Days::new(k as u64 * 200 / count);
        let items: Vec<NewItem> = items_of(fate, &mut dice)
            .into_iter()
            .map(|item| NewItem {
                burden_removed: burden_removed(&item),
                item,
            })
            .collect();
        let penalty = (fate == Fate::Violation).then(|| NewPenalty {
            organization_id: *organization_id,
            division_code: division.clone(),
            filed_on: on,
            facts: format!(
                "{year}年全省行业协会商会涉企收费检查发现违规收费：达标评比费（借评比达标表彰收费、强制入会）"
            ),
            evidence: format!("涉企收费检查记录（第 {id} 号）"),
            rule_broken: "《社会团体登记管理条例》第三十条".to_owned(),
            petition_id: None,
            recorded_by: user.username.clone(),
        });
        let actor = actor_of(user);
        let entry = AuditEntry {
            entity_type: "fee_inspection",
            entity_id: id.to_string(),
            action: "record",
            ..audit(&actor, *id, "record")
        };
        let summary = match fate {
            Fate::Clean => "查阅收费文件、财务凭证和会员名册，未发现违规收费",
            Fate::Violation => "发现借评比达标表彰收费并强制入会，移交立案查处",
            _ => "发现收费问题，已当场提出处理意见并督促整改",
        };
        store
            .record_fee_inspection(*id, on, summary, &items, penalty.as_ref(), &user.username, &entry)
            .await?;
    }
    Ok(())
}

/// 2021 in draw order: three violations, then the 650 standardized (420 of them removing burden, which
/// sums to the aim exactly: the reduced fees' parts first, the cancelled fees share the rest), then the
/// clean ones.
fn case_study_fates(dice: &mut SplitMix64) -> Vec<Fate> {
    let mut fates = vec![Fate::Violation; AIM_VIOLATIONS];
    let reduce_count = BURDEN_REMOVING / 3;
    let mut removed = 0_i64;
    for _ in 0..reduce_count {
        let (payers, old, new) = reduction(dice);
        removed += payers * (old - new);
        fates.push(Fate::Reduce(payers, old, new));
    }
    let cancel_count = BURDEN_REMOVING - reduce_count;
    let weights: Vec<i64> = (0..cancel_count).map(|_| 50 + dice.below(100) as i64).collect();
    let total_weight: i64 = weights.iter().sum();
    let rest = AIM_BURDEN_FEN - removed;
    let mut shared = 0_i64;
    for (i, weight) in weights.iter().enumerate() {
        let income = if i + 1 == cancel_count {
            rest - shared
        } else {
            rest * weight / total_weight
        };
        shared += income;
        fates.push(Fate::Cancel(20 + dice.below(61) as i64, income));
    }
    fates.extend(std::iter::repeat_n(
        Fate::PutRight,
        AIM_STANDARDIZED - BURDEN_REMOVING,
    ));
    fates.resize(AIM_INSPECTED as usize, Fate::Clean);
    fates
}

/// A fee reduced: 20–80 payers, from 1,000–3,000元 to half or two-thirds of it.
fn reduction(dice: &mut SplitMix64) -> (i64, i64, i64) {
    let payers = 20 + dice.below(61) as i64;
    let old = [100_000, 150_000, 200_000, 300_000][dice.below(4) as usize];
    let new = old * [50, 60, 70][dice.below(3) as usize] / 100;
    (payers, old, new)
}

/// Other years: about half clean, a few violations, the rest put right or with a fee cut.
fn random_fate(dice: &mut SplitMix64) -> Fate {
    match dice.below(1000) {
        0..=2 => Fate::Violation,
        3..=499 => Fate::Clean,
        500..=699 => Fate::PutRight,
        700..=799 => {
            let (payers, old, new) = reduction(dice);
            Fate::Reduce(payers, old, new)
        }
        _ => Fate::Cancel(
            20 + dice.below(61) as i64,
            2_000_000 + dice.below(20_000_000) as i64,
        ),
    }
}

fn item(name: &str, basis: &str, standard: i64, payers: i64, income: i64) -> FeeItemInput {
    FeeItemInput {
        name: name.to_owned(),
        basis: basis.to_owned(),
        standard_fen: Fen::new(standard.max(1)),
        annual_income_fen: Fen::new(income),
        payers,
        findings: Vec::new(),
        disposition: None,
        new_standard_fen: None,
    }
}

fn flagged(mut item: FeeItemInput, findings: &[FeeFinding], disposition: Disposition) -> FeeItemInput {
    item.findings = findings.to_vec();
    item.disposition = Some(disposition);
    item
}

/// The association's fee items: its membership fee, and the item its fate is about.
fn items_of(fate: Fate, dice: &mut SplitMix64) -> Vec<FeeItemInput> {
    let members = 30 + dice.below(270) as i64;
    let dues = [50_000, 100_000, 200_000, 300_000][dice.below(4) as usize];
    let membership = item("会费", "会员大会决议", dues, members, dues * members);
    let trained = 10 + dice.below(90) as i64;
    match fate {
        Fate::Clean => vec![
            membership,
            item("培训费", "自愿参加、收支公开", 80_000, trained, 80_000 * trained),
        ],
        Fate::PutRight => {
            let (findings, disposition) = if dice.below(2) == 0 {
                ([FeeFinding::Unpublished], Disposition::Publish)
            } else {
                ([FeeFinding::FeeWithoutService], Disposition::Standardize)
            };
            let training = item("培训费", "理事会决定", 80_000, trained, 80_000 * trained);
            vec![membership, flagged(training, &findings, disposition)]
        }
        Fate::Reduce(payers, old, new) => {
            let mut dues = item("会费", "会员大会决议", old, payers, old * payers);
            dues = flagged(dues, &[FeeFinding::OverStandard], Disposition::Reduce);
            dues.new_standard_fen = Some(Fen::new(new));
            vec![dues]
        }
        Fate::Cancel(payers, income) => {
            let (name, finding) = [
                ("会议展览费", FeeFinding::ForcedExpos),
                ("评比表彰费", FeeFinding::AwardsAndRatings),
                ("强制培训费", FeeFinding::ForcedTraining),
                ("资料费", FeeFinding::ForcedSubscriptions),
            ][dice.below(4) as usize];
            let fee = item(name, "秘书处通知", income / payers, payers, income);
            vec![membership, flagged(fee, &[finding], Disposition::Cancel)]
        }
        Fate::Violation => {
            let fee = item("达标评比费", "秘书处通知", 500_000, members, 500_000 * members);
            let findings = [FeeFinding::AwardsAndRatings, FeeFinding::ForcedMembership];
            vec![membership, flagged(fee, &findings, Disposition::Investigate)]
        }
    }
}

#[cfg(test)]
mod tests {
    use domain::api::ResultLine;

    use super::*;

    /// The 2021 fates, as the app counts them, land on the case study's figures.
    #[test]
    fn the_case_study_year_adds_up_to_the_case_study() {
        let mut dice = SplitMix64::new(CASE_STUDY_YEAR as u64 * 7919);
        let fates = case_study_fates(&mut dice);
        let mut line = ResultLine::default();
        for fate in fates {
            line.add(&items_of(fate, &mut dice));
        }
        assert_eq!(line.inspected, AIM_INSPECTED);
        assert_eq!(line.violations as usize, AIM_VIOLATIONS);
        assert_eq!(line.standardized as usize, AIM_STANDARDIZED);
        assert_eq!(line.burden_removed_fen.as_i64(), AIM_BURDEN_FEN);
        assert!(
            (20_000..30_000).contains(&line.enterprises_benefited),
            "{}",
            line.enterprises_benefited
        );
    }
}
