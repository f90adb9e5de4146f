//! The demo petitions and penalty cases (see `enforcement.rs`): petitions received over two years and
//! taken through acceptance, the one extension, the written reply and closure with the petitioner's
//! satisfaction — and today's open ones, some overdue or near due by the working-day calendar; penalty
//! cases from 2021 to this year through notice, statement and hearing to decisions (revocations, a large
//! fine, a suspension, warnings and small fines) or a drop, each decision through `Store::decide_penalty`.

use chrono::{Datelike, Days, NaiveDate};
use domain::api::{PenaltyDecisionInput, PenaltyStep, PetitionStep, PetitionerInput};
use domain::calendar::WorkCalendar;
use domain::money::Fen;
use domain::penalties::PenaltyKind;
use domain::petitions::{PetitionChannel, PetitionLimits, Satisfaction};
use domain::resident_id::ResidentId;
use serde_json::json;

use crate::auth::session::hash_token;
use crate::crypto::DataKeys;
use crate::routes::petitions::seal_petitioner;
use crate::store::penalties::{NewPenalty, PenaltyUpdate};
use crate::store::petitions::{NewPetition, PetitionUpdate};
use crate::store::{Actor, AuditEntry, Store, Visibility};

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 8] = ["建国", "秀英", "志强", "桂兰", "海燕", "文明", "丽华", "国庆"];
const MATTERS: [&str; 6] = [
    "反映某行业协会强制会员单位缴纳会费并摊派赞助，请求依法查处。",
    "反映某民办培训学校停办后拒不退还学费，请求协调退费。",
    "反映某基金会公开募捐所得款项使用情况不公开，请求监督检查。",
    "反映某商会换届选举未按章程程序进行，请求确认选举无效。",
    "投诉某养老服务中心收费项目与公示不符，请求规范收费。",
    "反映某协会以评比表彰名义向企业收费，请求查处。",
];
/// Where petitions are handled: Hefei's districts more often, so the demo city staff have a list.
const PLACES: [&str; 6] = ["340104", "340111", "340202", "340122", "341202", "340302"];

/// Where a demo petition ends up today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Replied to and closed; `extended` took the one extension first.
    Closed {
        extended: bool,
        satisfaction: Satisfaction,
    },
    Declined,
    /// Replied, waiting for closure.
    Replied,
    /// Accepted and being handled.
    Accepted,
    /// Waiting for the acceptance decision.
    Received,
}

/// The petitions: two years of closed ones, then today's list; how many.
pub async fn petitions(
    store: &Store,
    keys: &DataKeys,
    actor: &Actor,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> anyhow::Result<usize> {
    let ago = |n: u32| working_days_ago(calendar, today, n);
    let mut plans: Vec<(NaiveDate, Plan)> = (0..24u64)
        .map(|k| {
            let received = today - Days::new(130 + 25 * k);
            let plan = if k % 7 == 3 {
                Plan::Declined
            } else {
                let satisfaction = match k % 6 {
                    5 => Satisfaction::Dissatisfied,
                    1 | 4 => Satisfaction::BasicallySatisfied,
                    _ => Satisfaction::Satisfied,
                };
                Plan::Closed {
                    extended: k % 5 == 2,
                    satisfaction,
                }
            };
            (received, plan)
        })
        .collect();
    plans.extend([
        (ago(50), Plan::Replied),
        (ago(44), Plan::Replied),
        (ago(30), Plan::Accepted),
        (ago(21), Plan::Accepted),
        // Accepted two working days after receipt: 60 working days of handling ran out 13 days ago, and 2.
        (ago(75), Plan::Accepted),
        (ago(64), Plan::Accepted),
        // Handling due within two working days: near due.
        (ago(60), Plan::Accepted),
        // Acceptance due 15 working days after receipt: overdue, and near due.
        (ago(20), Plan::Received),
        (ago(13), Plan::Received),
        (ago(2), Plan::Received),
        (today, Plan::Received),
    ]);
    let limits = PetitionLimits::default();
    for (i, (received, plan)) in plans.iter().enumerate() {
        let id = intake(store, keys, actor, i, *received, calendar, &limits).await?;
        let accepted = calendar.add_working_days(*received, 2).min(today);
        let steps: Vec<PetitionStep> = match *plan {
            Plan::Received => Vec::new(),
            Plan::Declined => vec![PetitionStep::Decline {
                on: accepted,
                reason: "该事项属于劳动争议，已告知信访人向劳动人事争议仲裁委员会申请仲裁".to_owned(),
            }],
            Plan::Accepted => vec![PetitionStep::Accept { on: accepted }],
            Plan::Replied => vec![
                PetitionStep::Accept { on: accepted },
                reply(calendar, accepted, 35),
            ],
            Plan::Closed {
                extended,
                satisfaction,
            } => {
                let mut steps = vec![PetitionStep::Accept { on: accepted }];
                if extended {
                    steps.push(PetitionStep::Extend {
                        days: 20,
                        reason: "需会同市场监管部门联合核查收费情况".to_owned(),
                    });
                }
                let replied = calendar.add_working_days(accepted, if extended { 70 } else { 40 });
                steps.push(reply(calendar, accepted, if extended { 70 } else { 40 }));
                steps.push(PetitionStep::Close {
                    on: (replied + Days::new(6)).min(today),
                    satisfaction,
                    note: "电话回访信访人".to_owned(),
                });
                steps
            }
        };
        for step in steps {
            take_petition_step(store, actor, id, &step, &limits, calendar, today).await?;
        }
    }
    Ok(plans.len())
}

fn reply(calendar: &WorkCalendar, accepted: NaiveDate, after: u32) -> PetitionStep {
    PetitionStep::Reply {
        on: calendar.add_working_days(accepted, after),
        reply: "经调查核实，已责令该组织限期整改并退还违规收取的费用；整改情况将在年度检查中复核。"
            .to_owned(),
    }
}

/// Registers demo petition `i`, received on `received`, as staff (or the online form) would.
async fn intake(
    store: &Store,
    keys: &DataKeys,
    actor: &Actor,
    i: usize,
    received: NaiveDate,
    calendar: &WorkCalendar,
    limits: &PetitionLimits,
) -> anyhow::Result<i64> {
    let division = PLACES[i % PLACES.len()];
    let birth = NaiveDate::from_ymd_opt(
        1950 + (i as i32 * 7) % 50,
        1 + (i as u32 % 12),
        1 + (i as u32 % 28),
    )
    .unwrap_or(received);
    let channel = PetitionChannel::ALL[i % PetitionChannel::ALL.len()];
    let input = PetitionerInput {
        name: format!("{}{}", SURNAMES[i % SURNAMES.len()], GIVEN[(i / 2) % GIVEN.len()]),
        phone: format!("139{:08}", 55_100_000 + i * 7_919),
        id_number: match channel {
            PetitionChannel::Letter => String::new(),
            _ => ResidentId::generate(division, birth, 100 + i as u32)
                .as_str()
                .to_owned(),
        },
    };
    let petitioner = seal_petitioner(keys, &input).map_err(|e| anyhow::anyhow!("petitioner {i}: {e:?}"))?;
    let receipt_hash = (channel == PetitionChannel::Online).then(|| hash_token(&format!("XF-demo-{i}")));
    let new = NewPetition {
        channel,
        received_on: received,
        petitioner,
        matter: MATTERS[i % MATTERS.len()].to_owned(),
        organization_id: None,
        division_code: division.to_owned(),
        receipt_hash,
        acceptance_due: limits.acceptance_due(received, calendar),
        recorded_by: actor.name.clone(),
    };
    let audit = |id: i64| AuditEntry {
        actor,
        entity_type: "petition",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(json!({
            "channel": new.channel, "received_on": new.received_on, "petitioner": new.petitioner.name_masked,
            "division_code": new.division_code,
        })),
        reason: None,
    };
    Ok(store.insert_petition(&new, audit).await?)
}

/// Takes `step` on petition `id` as staff would: checked by the domain, written with its due date.
async fn take_petition_step(
    store: &Store,
    actor: &Actor,
    id: i64,
    step: &PetitionStep,
    limits: &PetitionLimits,
    calendar: &WorkCalendar,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let row = store
        .find_petition(id, &Visibility::All)
        .await?
        .ok_or_else(|| anyhow::anyhow!("petition {id}"))?;
    let seen = domain::petitions::PetitionState {
        stage: row.stage(),
        received_on: row.received_on,
        accepted_on: row.accepted_on,
        replied_on: row.replied_on,
        extension_days: u32::try_from(row.extension_days).unwrap_or(0),
    };
    let to = step
        .apply(&seen, limits, today)
        .map_err(|e| anyhow::anyhow!("petition {id}: {e}"))?;
    let update = PetitionUpdate::for_step(&row, step, limits, calendar);
    let audit = AuditEntry {
        actor,
        entity_type: "petition",
        entity_id: id.to_string(),
        action: "step",
        before: Some(json!({ "stage": seen.stage })),
        after: Some(json!({ "stage": to, "action": step.name(), "due_on": update.due_on })),
        reason: None,
    };
    store.step_petition(&row, to, &update, &audit).await?;
    Ok(())
}

/// The day `n` working days before `today`.
fn working_days_ago(calendar: &WorkCalendar, today: NaiveDate, n: u32) -> NaiveDate {
    let mut day = today;
    let mut counted = 0;
    while counted < n {
        day = day.pred_opt().unwrap_or(day);
        if calendar.is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// Penalty decisions of the provincial authority in the case study's year (2021).
const CASE_YEAR_PENALTIES: usize = 15;

/// One demo penalty case: the year and month filed, what is decided (`None`: dropped, or still open this
/// year), a fine in 元, and whether the organization asks for a hearing.
struct PenaltyPlan {
    filed: NaiveDate,
    kinds: Option<Vec<PenaltyKind>>,
    fine_yuan: i64,
    hearing: bool,
}

/// Penalty cases from 2021 to this year; how many.
pub async fn penalties(store: &Store, actor: &Actor, today: NaiveDate) -> anyhow::Result<usize> {
    let demo: Vec<&str> = super::demo::ORGANIZATIONS.iter().map(|o| o.0).collect();
    let candidates: Vec<_> = store
        .seed_organizations()
        .await?
        .into_iter()
        .filter(|o| o.status == "normal" && !demo.contains(&o.name.as_str()))
        .collect();
    let in_hefei: Vec<_> = candidates
        .iter()
        .filter(|o| o.division_code.starts_with("3401"))
        .collect();
    let others: Vec<_> = candidates
        .iter()
        .filter(|o| !o.division_code.starts_with("3401") && o.level != "provincial")
        .collect();
    // The case study's 15 penalty decisions of 2021 are the provincial authority's.
    let provincial: Vec<_> = candidates.iter().filter(|o| o.level == "provincial").collect();
    if in_hefei.len() < 2 || others.len() < 12 || provincial.len() < CASE_YEAR_PENALTIES {
        return Ok(0);
    }
    use PenaltyKind::*;
    let on = |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 8).unwrap_or(today);
    let plan = |filed, kinds: Option<Vec<PenaltyKind>>, fine_yuan, hearing| PenaltyPlan {
        filed,
        kinds,
        fine_yuan,
        hearing,
    };
    let last = today.year() - 1;
    // The province's 2021: a revocation after a hearing, then warnings and fines spread over the year (the
    // last filed in October, decided before the year's end).
    let mut plans = vec![plan(on(2021, 4), Some(vec![Revocation]), 0, true)];
    plans.extend((1..CASE_YEAR_PENALTIES).map(|k| {
        let month = 1 + (k * 10 / CASE_YEAR_PENALTIES) as u32;
        match k % 3 {
            0 => plan(on(2021, month), Some(vec![Fine]), 5_000 * k as i64, false),
            1 => plan(on(2021, month), Some(vec![Warning]), 0, false),
            _ => plan(
                on(2021, month),
                Some(vec![Warning, Fine]),
                2_000 * k as i64,
                false,
            ),
        }
    }));
    // And the cities' and counties' own, from 2021 to last year.
    plans.extend([
        plan(on(2021, 4), Some(vec![Revocation]), 0, true),
        plan(on(2021, 7), Some(vec![Warning]), 0, false),
        plan(on(2021, 10), Some(vec![Fine]), 20_000, false),
        plan(on(2022, 3), Some(vec![Warning]), 0, false),
        plan(on(2022, 9), Some(vec![Fine]), 80_000, true),
        plan(on(2022, 11), None, 0, false),
        plan(on(2023, 5), Some(vec![Revocation]), 0, false),
        plan(on(2023, 8), Some(vec![Warning, Fine]), 10_000, false),
        plan(on(2024, 4), Some(vec![Suspension]), 0, false),
        plan(on(2024, 10), Some(vec![Warning]), 0, false),
        plan(on(last, 5), Some(vec![Revocation]), 0, true),
        plan(on(last, 9), Some(vec![Fine]), 15_000, false),
    ]);
    let decided = plans.len();
    // This year, in Hefei: one case waiting for its hearing, one just filed.
    plans.push(plan(today - Days::new(12), None, 0, true));
    plans.push(plan(today - Days::new(4), None, 0, false));
    for (i, p) in plans.iter().enumerate() {
        let org = if i < CASE_YEAR_PENALTIES {
            provincial[i * provincial.len() / CASE_YEAR_PENALTIES]
        } else if i < decided {
            others[(i - CASE_YEAR_PENALTIES) * others.len() / (decided - CASE_YEAR_PENALTIES)]
        } else {
            in_hefei[i - decided]
        };
        let new = NewPenalty {
            organization_id: org.id,
            division_code: org.division_code.clone(),
            filed_on: p.filed,
            facts: "未按章程规定召开会员大会换届，并以评比表彰名义向会员单位收取费用".to_owned(),
            evidence: "收费通知、银行流水、会员单位证言 8 份".to_owned(),
            rule_broken: "《社会团体登记管理条例》第三十条第一款第（六）项".to_owned(),
            petition_id: None,
            recorded_by: actor.name.clone(),
        };
        let audit = |id: i64| AuditEntry {
            actor,
            entity_type: "penalty_case",
            entity_id: id.to_string(),
            action: "create",
            before: None,
            after: Some(json!({ "organization_id": new.organization_id, "filed_on": new.filed_on })),
            reason: None,
        };
        let id = store.insert_penalty(&new, audit).await?;
        let noticed = p.filed + Days::new(2);
        let proposed = p.kinds.clone().unwrap_or_else(|| vec![Warning]);
        let mut steps = vec![PenaltyStep::Notify {
            on: noticed,
            proposed: proposed.clone(),
            content: "拟作出行政处罚。你单位有权进行陈述和申辩，并可在收到本告知书之日起五日内要求听证。"
                .to_owned(),
        }];
        if p.hearing {
            steps.push(PenaltyStep::RequestHearing {
                on: noticed + Days::new(3),
            });
        }
        if i < decided {
            if p.hearing {
                steps.push(PenaltyStep::HoldHearing {
                    on: noticed + Days::new(15),
                    record: "当事人对违法事实无异议，对处罚种类提出申辩".to_owned(),
                });
            } else {
                steps.push(PenaltyStep::Statement {
                    on: noticed + Days::new(4),
                    opinion: "承认违法事实，已退还所收费用，请求从轻处罚".to_owned(),
                });
            }
            steps.push(match &p.kinds {
                Some(kinds) => PenaltyStep::Decide(decision(noticed + Days::new(25), kinds, p.fine_yuan)),
                None => PenaltyStep::Drop {
                    on: noticed + Days::new(20),
                    reason: "违法行为轻微并及时改正，没有造成危害后果，依法不予处罚".to_owned(),
                },
            });
        }
        for step in steps {
            take_penalty_step(store, actor, id, &step, today).await?;
        }
    }
    Ok(plans.len())
}

fn decision(on: NaiveDate, kinds: &[PenaltyKind], fine_yuan: i64) -> PenaltyDecisionInput {
    let has = |kind| kinds.contains(&kind);
    PenaltyDecisionInput {
        on,
        kinds: kinds.to_vec(),
        fine_fen: has(PenaltyKind::Fine)
            .then(|| Fen::from_yuan(fine_yuan))
            .flatten(),
        confiscated_fen: None,
        suspend_until: has(PenaltyKind::Suspension).then(|| on + Days::new(90)),
        content: "依据《社会团体登记管理条例》第三十条之规定，决定给予上述行政处罚。".to_owned(),
    }
}

/// Takes `step` on case `id` as staff would: checked by the domain; a decision through the store's one
/// decision path (numbered, revoking and listing in its transaction).
async fn take_penalty_step(
    store: &Store,
    actor: &Actor,
    id: i64,
    step: &PenaltyStep,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let row = store
        .find_penalty(id, &Visibility::All)
        .await?
        .ok_or_else(|| anyhow::anyhow!("penalty case {id}"))?;
    let to = step
        .apply(&row.state(), today)
        .map_err(|e| anyhow::anyhow!("penalty case {id}: {e}"))?;
    let audit = AuditEntry {
        actor,
        entity_type: "penalty_case",
        entity_id: id.to_string(),
        action: "step",
        before: Some(json!({ "stage": row.stage() })),
        after: Some(json!({ "stage": to, "action": step.name() })),
        reason: None,
    };
    match step {
        PenaltyStep::Decide(decision) => {
            // Published on time, as the demo's history says (`seed::publication`).
            let publish_by =
                domain::publication::due_on(decision.on, &domain::calendar::WorkCalendar::mainland_china());
            store.decide_penalty(&row, decision, publish_by, &audit).await?;
        }
        other => {
            store
                .step_penalty(&row, to, &PenaltyUpdate::from(other), &audit)
                .await?;
        }
    }
    Ok(())
}
